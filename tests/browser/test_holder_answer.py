"""The holder page answers first and fits the screen: at 320, 390 and 1280 px, with and without JavaScript.

After submitting, the browser lands on the answer (the form's action ends in ``#answer-title``, a
fragment a GET form keeps); nothing is wider than the screen on the answer, the details or the
estimate; axe finds nothing wrong in any state; the printed answer, with its comparison against
not tendering and the replaced terms, fits on two Letter pages.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import axe_violations, console_problems, submit_the_form

pytestmark = pytest.mark.browser

WIDTHS = [320, 390, 1280]
HOLDING = "/?principal=100%2C000&consummation=2003-10-10&tendered=yes"
ESTIMATE = ("/estimate?principal=100%2C000&consummation=2003-10-10"
            "&discount_rate=15&price=90&recovery=20&share_price=1.50&volatility=60&risk_free_rate=4")
DETAILS = "/details?principal=100%2C000&consummation=2003-10-10"


def viewport(width: int) -> dict[str, int]:
    return {"width": width, "height": 844 if width < 1000 else 900}


def in_first_screen(page, selector: str) -> bool:
    """The element's top comes to rest on the screen (Bootstrap scrolls smoothly to a fragment), not above or below.

    Read through the browser's protocol, not a script: the page may have JavaScript turned off.
    """
    height = page.viewport_size["height"]
    for _ in range(50):
        box = page.locator(selector).bounding_box()
        if box is not None and 0 <= box["y"] < height - 60:
            return True
        page.wait_for_timeout(100)
    return False


def document_width(page) -> int:
    return page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


@pytest.mark.parametrize("width", WIDTHS)
def test_after_submitting_the_answer_is_in_the_first_screen(page, live_site, width):
    page.set_viewport_size(viewport(width))
    submit_the_form(page, live_site)
    assert page.url.endswith("#answer-title")
    assert in_first_screen(page, "#answer-title")
    expect(page.locator(".in-force-name")).to_have_text("September 2003 amendment")
    expect(page.locator(".total-cash")).to_contain_text("$260,392.77")
    assert console_problems(page) == []


@pytest.mark.parametrize("width", [390, 1280])
def test_without_javascript_submitting_also_lands_on_the_answer(browser, live_site, width):
    context = browser.new_context(viewport=viewport(width), java_script_enabled=False)
    page = context.new_page()
    try:
        submit_the_form(page, live_site)
        assert page.url.endswith("#answer-title")
        assert in_first_screen(page, "#answer-title")
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", [HOLDING, ESTIMATE, DETAILS], ids=["answer", "estimate", "details"])
def test_nothing_is_wider_than_the_screen_and_axe_finds_nothing(page, live_site, width, path):
    page.set_viewport_size(viewport(width))
    page.goto(f"{live_site}{path}")
    if path == ESTIMATE:
        expect(page.locator("table.valuation-table")).to_be_visible()
    for summary in page.locator("details > summary").all()[:3]:  # opened parts too
        summary.click()
    assert document_width(page) <= width
    assert axe_violations(page) == []
    assert console_problems(page) == []


@pytest.mark.parametrize("width", [320, 390])
def test_on_a_phone_every_versions_figures_read_without_scrolling_sideways(page, live_site, width):
    page.set_viewport_size(viewport(width))
    page.goto(f"{live_site}{DETAILS}#side-by-side")
    cells = page.locator("table.comparison tbody td")
    assert cells.count() == 20 * 3
    rights = page.evaluate("""() => [...document.querySelectorAll(
        'table.comparison tbody td, table.comparison tbody th')].map(cell => cell.getBoundingClientRect().right)""")
    assert max(rights) <= width
    # Each cell names its version (the column heading is not on the screen to say it), beside its figure.
    cell = page.locator("table.comparison tbody tr").nth(3).locator("td").nth(1)
    assert cell.get_attribute("data-label") == "September 2003 amendment"
    assert cell.evaluate("cell => getComputedStyle(cell, '::before').content") == '"September 2003 amendment"'
    expect(cell).to_have_text("$153,443.00")


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_the_printed_answer_and_comparison_fit_on_two_letter_pages(page, live_site):
    page.goto(f"{live_site}{HOLDING}")
    page.emulate_media(media="print")
    expect(page.locator("#answer")).to_be_visible()
    expect(page.locator("#answer .not-tendering")).to_be_visible()
    expect(page.locator("#answer .changes")).to_be_visible()
    expect(page.locator("#answer .would-have-given")).to_be_visible()
    expect(page.locator("#answer .would-have-given")).to_contain_text("Total cash: $223,644.69 instead of $260,392.77")
    expect(page.locator("nav.more")).to_be_hidden()  # links to click: nothing to read on paper
    pdf = page.pdf(format="Letter")
    assert 1 <= pdf_pages(pdf) <= 2


def test_the_full_schedule_prints_only_from_its_own_page_without_what_needs_a_click(page, live_site):
    page.goto(f"{live_site}{HOLDING}")
    assert page.locator("table.coupons").count() == 0
    page.goto(f"{live_site}{DETAILS}")
    page.emulate_media(media="print")
    expect(page.locator("table.coupons")).to_be_visible()
    body = page.evaluate("document.body.innerText")
    assert "Open a row's working" not in body
    assert ". ." not in body
    assert "Show working" not in body
