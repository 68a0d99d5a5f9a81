"""axe-core finds nothing wrong on the holder pages, at desktop and phone widths, and the browser reports no error.

A content security policy violation (an inline style or script the policy blocks)
is reported on the console, so "no console error" also means "no CSP violation".
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pages import ERROR, RESULT, axe_violations, console_problems

pytestmark = pytest.mark.browser

PAGES = {
    "home": ("/", 200),
    "result": (RESULT, 200),
    "error": (ERROR, 400),
    "details": ("/details?principal=100%2C000&consummation=2003-10-10", 200),
    "estimate": ("/estimate?principal=100%2C000&consummation=2003-10-10&discount_rate=15&price=90&share_price=1.50"
                 "&volatility=60&risk_free_rate=4", 200),
    "estimate error": ("/estimate?principal=100%2C000&consummation=2003-10-10&discount_rate=lots", 400),
    "how we calculate": ("/how-we-calculate", 200),
}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("name", list(PAGES))
def test_a_holder_page_has_no_axe_violations_and_no_console_errors(page, live_site, name):
    path, status = PAGES[name]
    response = page.goto(f"{live_site}{path}")
    assert response.status == status
    assert axe_violations(page) == []
    # Opened parts are checked too: every coupon's working and the chart's table.
    for summary in page.locator("details > summary").all()[:3]:
        summary.click()
    assert axe_violations(page) == []
    assert console_problems(page) == []


@pytest.mark.parametrize("name", ["result", "error", "details", "estimate"])
def test_a_holder_page_has_no_axe_violations_on_a_phone_and_does_not_scroll_sideways(page, live_site, name):
    page.set_viewport_size(PHONE)
    path, _ = PAGES[name]
    page.goto(f"{live_site}{path}")
    assert axe_violations(page) == []
    # Tables reflow and charts scale down: the page fits the screen.
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    assert console_problems(page) == []


def test_the_charts_are_images_with_a_title_and_a_description(page, live_site):
    page.goto(f"{live_site}{PAGES['details'][0]}")
    chart = page.get_by_role("img", name="Cash received to date for $100,000.00 of Old Notes exchanged on Oct 10, 2003")
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_description(
        "A step chart of the total cash each version has paid by each date, from the consummation date to the last "
        "maturity (fee, coupons, then principal at maturity). Original terms (before the September 2003 amendment): "
        "$223,644.69 by Aug 1, 2007, when it repays the $153,443.00 of New Notes; September 2003 amendment: "
        "$260,392.77 by Aug 1, 2009, when it repays the $153,443.00 of New Notes.")
    expect(page.get_by_role("img", name="First coupon on $100,000.00 of Old Notes, by consummation date")
           ).to_be_visible()


def test_the_printed_result_has_no_form_or_navigation_and_repeats_table_headings(page, live_site):
    page.goto(f"{live_site}{RESULT}")
    page.emulate_media(media="print")
    expect(page.locator("form.holder-form")).to_be_hidden()
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".print-header")).to_be_visible()
    expect(page.locator(".print-header")).to_contain_text("Versions of the terms: Original terms")
    expect(page.locator("#answer")).to_be_visible()
    page.goto(f"{live_site}{PAGES['details'][0]}")
    expect(page.locator("table.comparison")).to_be_visible()
    expect(page.locator("#cash-chart svg")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('table.coupons thead')).display") == (
        "table-header-group")
    assert page.evaluate("getComputedStyle(document.querySelector('table.coupons tbody tr')).breakInside") == (
        "avoid")
    pdf = page.pdf(prefer_css_page_size=True)
    # US Letter is 612 x 792 points.
    assert b"/MediaBox [0 0 612 792]" in pdf
