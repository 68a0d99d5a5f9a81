"""The printouts themselves, as Chromium prints them on US Letter: how many pages, and what is on the paper.

Every printout carries its page address (the page again, with the same inputs), the date printed and
"not advice"; the estimate's lists every assumption it rests on; no list item is split across pages.
The PDF's text is read with pypdf, so these check the paper, not the page on the screen.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser

ANSWER = "/?principal=100%2C000&consummation=2003-10-10&tendered=yes"
ESTIMATE = ("/estimate?principal=100%2C000&consummation=2003-10-10&discount_rate=15&price=90&recovery=20"
            "&share_price=1.50&volatility=60&risk_free_rate=4&shares_outstanding=4%2C300%2C000")


def printed(page, live_site: str, path: str) -> list[str]:
    """The text of each printed page (US Letter, print stylesheet), whitespace collapsed."""
    page.goto(f"{live_site}{path}")
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="Letter")))
    return [" ".join(p.extract_text().split()) for p in reader.pages]


def unbroken(text: str) -> str:
    """The text with no spaces at all: a long address may wrap anywhere, and the extractor puts a space there."""
    return re.sub(r"\s+", "", text)


def printed_today() -> str:
    today = datetime.now(ZoneInfo("America/New_York")).date()
    return f"Printed {today:%b} {today.day}, {today.year}"


def test_the_printed_answer_fits_two_letter_pages_with_its_address_date_and_not_advice(page, live_site):
    pages = printed(page, live_site, ANSWER)
    assert 1 <= len(pages) <= 2
    paper = " ".join(pages)
    assert f"{live_site}{ANSWER}" in unbroken(paper)
    assert printed_today() in paper
    assert "Not advice." in paper


def test_the_printed_estimate_lists_every_assumption_with_its_address_date_and_not_advice(page, live_site):
    pages = printed(page, live_site, ESTIMATE)
    assert 1 <= len(pages) <= 3
    paper = " ".join(pages)
    assert f"{live_site}{ESTIMATE}" in unbroken(paper)
    assert printed_today() in paper
    assert "Not advice." in paper
    # The form is not printed: each assumption the holder typed is listed with the figures instead.
    for line in ("Discount rate: 15.00% a year", "New Notes price: 90.00% of face",
                 "Recovery if you do not tender: 20.00% of your claim", "Share price: $1.50 a share",
                 "Share price volatility: 60.00% a year", "Risk-free rate: 4.00% a year",
                 "Common shares outstanding: 4,300,000 shares", "compounded quarterly, time in 30/360 years",
                 "Black-Scholes"):
        assert line in paper, line


def test_the_address_is_on_paper_only(page, live_site):
    page.goto(f"{live_site}{ANSWER}")
    expect(page.locator(".print-footer")).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator(".print-footer")).to_be_visible()
    expect(page.locator(".print-address")).to_have_text(f"{live_site}{ANSWER}")


@pytest.mark.parametrize(("path", "items"), [(ANSWER, ".changes li"), (ESTIMATE, ".estimate-assumptions li")])
def test_no_list_item_is_split_across_printed_pages(page, live_site, path, items):
    page.goto(f"{live_site}{path}")
    page.emulate_media(media="print")
    assert page.locator(items).count() > 0
    styles = page.locator(items).evaluate_all("items => items.map(item => getComputedStyle(item).breakInside)")
    assert set(styles) == {"avoid"}
