"""Read real marked-up Word files and print what the reader finds in each: comments (with
replies and authors), tracked changes (insertions, deletions, moves), untracked changes,
and what could not be placed, with the time taken.

Usage:
  python bench/word_import.py ../shared/corpus/pandoc-docx
  python bench/word_import.py ../shared/corpus/pandoc-docx --all     # every .docx, not only
                                                                     # comments*/track_changes*

The files are not drafts of the portal, so the "draft" each is compared with is the file's
own text with its tracked changes rejected, cut into sections by the draft importer (one
section for a file without headings): untracked changes are then none by construction, and
comments and changes are placed on the sections the importer found. Nothing is saved.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from consult.documents.importer import DraftImportError, read_upload  # noqa: E402
from consult.documents.word_markup import (  # noqa: E402
    MarkupError,
    SectionRef,
    _blocks,
    _heading_styles,
    _open,
    _paragraphs,
    _part,
    read_markup,
    w,
)

PREAMBLE = "(whole file)"


def _own_sections(data: bytes) -> list[SectionRef]:
    """The file's own sections (by the importer), their text with tracked changes rejected."""
    try:
        report = read_upload("file.docx", data)
        parsed = report.sections
    except DraftImportError:
        parsed = []
    refs = [SectionRef(f"s{i}", s.number, s.heading, "") for i, s in enumerate(parsed)]
    with _open(data) as archive:
        body = _part(archive, "word/document.xml").find(w("body"))
        styles = _heading_styles(_part(archive, "word/styles.xml"))
    paras = list(_paragraphs(body))
    if not refs:
        refs = [SectionRef("s0", "", PREAMBLE, "")]
    # What stands before the first heading is the importer's first section (its preamble).
    blocks, _found, _b = _blocks(paras, refs, styles, lead_key=refs[0].key)
    texts = {b.key: "\n".join(p.original for p in b.paras) for b in blocks if b.key}
    return [SectionRef(r.key, r.number, r.heading, texts.get(r.key, "")) for r in refs]


def _short(text: str | None, n: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--all", action="store_true", help="every .docx of the folder")
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.docx"))
    if not args.all:
        files = [f for f in files if f.name.startswith(("comments", "track_changes"))]
    totals = {"comment": 0, "change": 0, "heading": 0, "untracked": 0, "unplaced": 0}
    for path in files:
        data = path.read_bytes()
        started = time.perf_counter()
        try:
            sections = _own_sections(data)
            report = read_markup(data, sections, lead_key=sections[0].key)
        except MarkupError as exc:
            print(f"{path.name}: refused: {exc}")
            continue
        elapsed = (time.perf_counter() - started) * 1000
        headings = {s.key: s.heading for s in sections}
        print(
            f"{path.name}: {len(report.findings)} found, {report.paragraphs} paragraphs, "
            f"{len(sections)} sections, {elapsed:.0f} ms"
        )
        for f in report.findings:
            where = (
                headings.get(f.section_key or "", "general")
                if f.placed
                else f"NOT PLACED ({f.problem})"
            )
            totals["unplaced" if not f.placed else f.kind] += 1
            if f.kind == "comment":
                replies = "; ".join(f"{a}: {_short(t, 30)}" for a, t in f.replies)
                print(
                    f"  comment [{where}] by {', '.join(f.authors) or '?'} on «{_short(f.quote)}»: "
                    f"{_short(f.body)}" + (f" | replies: {replies}" if replies else "")
                )
            elif f.proposes_deletion:
                print(
                    f"  {f.kind} [{where}] delete «{_short(f.quote)}»"
                    + (" (moved)" if f.moved else "")
                )
            else:
                new = _short(f.proposed_text or f.body)
                moved = " (moved)" if f.moved else ""
                print(f"  {f.kind} [{where}] «{_short(f.quote)}» -> «{new}»{moved}")
    print("totals:", ", ".join(f"{k} {v}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
