"""On a phone the participation table and a proposal's drafts table show every column, as
cards (like the inbox); the board reminds a silent body from the participation page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

# Every cell of every row shown on a 390 px screen, inside it, with its column's label.
CELLS_ON_A_PHONE = """(selector) => {
    const width = document.documentElement.clientWidth;
    const table = document.querySelector(selector);
    const head = table.querySelector('thead');
    const rows = [...table.querySelectorAll('tbody tr')];
    const problems = [];
    if (head && getComputedStyle(head).display !== 'none') problems.push('header row shown');
    for (const row of rows) {
        for (const cell of row.querySelectorAll('td')) {
            if (!cell.textContent.trim()) continue;
            const box = cell.getBoundingClientRect(), html = cell.outerHTML.slice(0, 80);
            if (box.width === 0 || box.height === 0) problems.push('hidden: ' + html);
            if (box.left < 0 || box.right > width + 1) problems.push('outside: ' + html);
            const label = getComputedStyle(cell, '::before').content;
            if (cell !== row.cells[0] && cell.dataset.label && !label.includes(cell.dataset.label))
                problems.push('no label: ' + html);
        }
    }
    return {rows: rows.length, problems};
}"""


def _cards(page, selector: str) -> None:
    page.set_viewport_size(PHONE)
    result = page.evaluate(CELLS_ON_A_PHONE, selector)
    page.set_viewport_size(DESKTOP)
    assert result["rows"] > 0, selector
    assert not result["problems"], result["problems"][:5]


def test_participation_and_drafts_tables_are_cards_on_a_phone(journey):
    j = journey("phone-tables")
    page = j.page
    j.login("bst@demo.example.vn")
    j.check("home")
    j.goto("/proposals/DTTM-CT")
    j.check("proposal")
    _cards(page, "table.drafts-table")
    j.goto("/proposals/DTTM-CT/drafts/3/participation")
    j.check("participation")
    _cards(page, "table.participation-table")
    # Remind one body that has not responded: the button then says when, and waits a day.
    row = page.locator("table.participation-table tbody tr.state-none").first
    body = row.locator("td").first.inner_text()
    row.get_by_role("button", name="Nhắc ngay").click()
    expect(page.locator(".flash")).to_contain_text("Đã nhắc 1 cơ quan")
    row = page.locator("table.participation-table tbody tr", has_text=body).first
    expect(row.get_by_role("button", name="Nhắc ngay")).to_be_disabled()
    expect(row).to_contain_text("Đã nhắc lúc")
    j.check("reminded")
