"""The cycle finder behind the `acyclic_modules` import contract (tests/import_contracts.py).

scripts/test.sh runs every contract of pyproject.toml with lint-imports."""

from __future__ import annotations

import os

import grimp
import pytest

from tests.import_contracts import find_cycles

# No database here: once, in the SQLite pass.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="touches no database: runs in one pass"
)


def graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    g = grimp.ImportGraph()
    for importer, imported in imports:
        g.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
    return g


def test_a_package_importing_its_own_views_back_is_a_cycle():
    g = graph(("app.drafts", "app.drafts.routes"), ("app.drafts.routes", "app.drafts"))
    assert find_cycles(g, "app") == [["app.drafts", "app.drafts.routes", "app.drafts"]]


def test_a_cycle_through_a_late_import_three_modules_long_is_found_once():
    g = graph(
        ("app.models", "app.util"),
        ("app.util", "app.services"),
        ("app.services", "app.models"),
        ("app.routes", "app.services"),
    )
    assert find_cycles(g, "app") == [["app.models", "app.util", "app.services", "app.models"]]


def test_imports_that_run_one_way_have_no_cycle():
    g = graph(("app.routes", "app.services"), ("app.services", "app.models"), ("app", "app.routes"))
    assert find_cycles(g, "app") == []


def test_modules_outside_the_package_do_not_count():
    g = graph(("app.a", "other.b"), ("other.b", "app.a"))
    assert find_cycles(g, "app") == []
