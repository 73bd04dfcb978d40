"""An import-linter contract type: no import cycle between any two modules of a package.

import-linter's own `acyclic_siblings` compares siblings only, so a package that imports a
module which imports the package back (a blueprint's `__init__` and its views) slips
through; this one looks at every module, parents and children included.
"""

from __future__ import annotations

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def find_cycles(graph: grimp.ImportGraph, package: str) -> list[list[str]]:
    """Each import cycle inside ``package`` once, as the chain of modules from its first module
    (alphabetically) back to it."""
    inside = {m for m in graph.modules if m == package or m.startswith(package + ".")}
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    for importer in sorted(inside):
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & inside):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is None:
                continue
            chain = [importer, *back]
            key = frozenset(chain)
            if key not in seen:
                seen.add(key)
                cycles.append(chain)
    return cycles


class AcyclicModulesContract(Contract):
    """``package``: the package (with every module in it) that must have no import cycle."""

    type_name = "acyclic_modules"

    package = fields.StringField()

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        cycles = find_cycles(graph, str(self.package))
        details = [
            [
                (a, b, [d["line_number"] for d in graph.get_import_details(importer=a, imported=b)])
                for a, b in zip(chain, chain[1:], strict=False)
            ]
            for chain in cycles
        ]
        return ContractCheck(kept=not cycles, metadata={"cycles": details})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            for importer, imported, lines in cycle:
                where = ", ".join(f"l.{n}" for n in lines) or "?"
                output.print(f"- {importer} -> {imported} ({where})")
            output.new_line()
