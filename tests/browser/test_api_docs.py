"""The API's browsable documentation: the vendored Swagger UI, under the portal's CSP."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_api_docs_render_and_try_a_call_under_the_portals_csp(journey):
    from playwright.sync_api import expect

    j = journey("api-docs")
    page = j.page
    response = j.goto("/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    assert operations.count() >= 14
    expect(page.get_by_text("Consult API", exact=False).first).to_be_visible()
    # Try a call from the page itself: the document and the call come from the portal.
    listing = page.locator(".opblock-get").filter(
        has=page.locator('.opblock-summary-path[data-path="/api/v1/proposals"]')
    )
    listing.locator(".opblock-summary").click()
    listing.get_by_role("button", name="Try it out").click()
    listing.get_by_role("button", name="Execute").click()
    expect(listing.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        "200"
    )
    expect(listing.locator(".live-responses-table")).to_contain_text("DTTM-CT")
    # Swagger UI is a third-party page: its own project answers for its accessibility; we
    # check that it loads with no script refused and no error in the console.
    j.checked.add(j._path(page.url))
