"""A holder who uses only the keyboard can do everything on the holder page and its details page.

Figures worked out by hand from the spec for $100,000 exchanged on Nov 11, 2003:
30/360 days from Aug 1, 1999 = 360 x 4 + 30 x 3 + 10 = 1,540; accrued interest
100,000 x 12.75% x 1540/360 = 54,541.666...; New Notes 154,541. First coupon (Nov 11,
2003 to Feb 1, 2004: 80 days): original 154,541 x 11.5% x 80/360 = 3,949.38, September
2003 154,541 x 12% x 80/360 = 4,121.09; later coupons 154,541 x 11.5% / 4 = 4,443.05
and 154,541 x 12% / 4 = 4,636.23; fee 3% of 100,000 = 3,000.00 (original only).
"""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser.pages import ERROR, console_problems, focused, tab_to

pytestmark = pytest.mark.browser

ORIGINAL = "Original terms (before the September 2003 amendment)"
SEPTEMBER = "September 2003 amendment"


def comparison_cells(page, label: str) -> list[str]:
    row = page.locator("table.comparison tbody tr").filter(has=page.locator("th", has_text=label)).first
    return [" ".join(text.split()) for text in row.locator("td").all_inner_texts()]


def test_the_tab_order_follows_the_page_from_the_skip_link_through_the_form(page, live_site):
    page.goto(f"{live_site}/")
    seen: list[str] = []
    for _ in range(12):
        page.keyboard.press("Tab")
        name = focused(page)
        if not seen or seen[-1] != name:  # the date input's month, day and year take a Tab each
            seen.append(name)
    assert seen[:8] == [
        "a: Skip to main content",
        "a: Exchange Outcome",
        "a: How we calculate",
        "a: Many accounts",
        "#id_principal",
        "#id_consummation",
        "#id_tendered_0",
        "button: Show what the offer gives me",
    ]


def test_a_holder_gets_the_figures_opens_a_working_and_downloads_the_csv_with_the_keyboard_only(page, live_site):
    page.goto(f"{live_site}/")

    # The form, by keyboard: type the principal, a date in the date picker, choose an answer, submit.
    tab_to(page, "#id_principal")
    page.keyboard.type("100,000")
    page.keyboard.press("Tab")
    assert focused(page) == "#id_consummation"
    page.keyboard.type("11112003")  # month, day, year: the picker moves from one to the next by itself
    tab_to(page, "#id_tendered_0")
    page.keyboard.press("Space")
    tab_to(page, "button: Show what the offer gives me")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "principal=100%2C000" in page.url and "consummation=2003-11-11" in page.url and "tendered=yes" in page.url
    assert page.url.endswith("#answer-title")  # the browser lands on the answer
    expect(page.locator("#answer .key-figures")).to_contain_text("Total cash by Aug 1, 2009")

    # The CSV, downloaded with the keyboard.
    tab_to(page, "a: Every payment of every version (CSV spreadsheet)")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == "lexington-exchange-100000-2003-11-11.csv"
    with open(download.path(), encoding="utf-8") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows[0] == ["version", "paid_on", "kind", "amount"]
    assert ["original", "2003-11-11", "participation_fee", "3000.00"] in rows
    assert ["original", "2004-02-01", "coupon", "3949.38"] in rows
    assert ["original", "2007-08-01", "coupon", "4443.05"] in rows
    assert ["september-2003", "2004-02-01", "coupon", "4121.09"] in rows
    assert ["september-2003", "2009-05-01", "coupon", "4636.23"] in rows
    assert ["september-2003", "2009-08-01", "principal", "154541.00"] in rows
    # 1 fee + 15 coupons + principal; 23 coupons + principal.
    assert [row[0] for row in rows[1:]].count("original") == 17
    assert [row[0] for row in rows[1:]].count("september-2003") == 24
    # Both versions' figures, side by side, on the details page.
    tab_to(page, "a: Side by side: every figure of every version, line by line")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Side by side: $100,000.00 of Old Notes, exchanged on Nov 11, 2003")
           ).to_be_visible()
    headings = [" ".join(t.split()) for t in page.locator("table.comparison thead th").all_inner_texts()]
    assert headings[1].startswith(f"{ORIGINAL} replaced by {SEPTEMBER}")  # for comparison only
    assert headings[2] == f"{SEPTEMBER} in force"
    assert comparison_cells(page, "Days of Old Notes interest")[:2] == ["1,540", "1,540"]
    assert comparison_cells(page, "New Notes principal")[:2] == ["$154,541.00", "$154,541.00"]
    assert comparison_cells(page, "Participation fee, total")[:2] == ["$3,000.00", "$0.00"]
    assert comparison_cells(page, "Number of coupons")[:2] == ["15", "23"]

    # A coupon's working, on the same page, opened with the keyboard.
    first_working = page.locator("table.coupons details").first
    tab_to(page, "summary: Show working for Feb 1, 2004")
    page.keyboard.press("Enter")
    expect(first_working).to_have_attribute("open", "")
    working = " ".join(first_working.inner_text().split())
    assert "Period Nov 11, 2003 to Feb 1, 2004: 80 days (30/360)" in working
    assert "Rounded half up to the cent: $3,949.38" in working
    assert "Rounded half up to the cent: $4,121.09" in working

    assert console_problems(page) == []


def test_an_error_puts_focus_on_the_summary_whose_links_lead_to_each_field(page, live_site):
    page.goto(f"{live_site}/")
    tab_to(page, "#id_principal")
    page.keyboard.type("lots")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", name="Check what you entered")).to_be_visible()
    assert summary.get_by_role("link").all_inner_texts()[0].startswith("Old Notes principal: enter a whole-dollar")
    expect(page.locator("#div_id_principal .invalid-feedback")).to_contain_text("Old Notes principal:")

    # From the summary, Tab reaches the first message, and Enter takes the holder to the field to correct.
    page.keyboard.press("Tab")
    assert focused(page).startswith("a: Old Notes principal:")
    page.keyboard.press("Enter")
    expect(page.locator("#id_principal")).to_be_focused()
    assert console_problems(page) == []


def test_a_date_that_is_not_a_date_is_quoted_because_the_date_picker_cannot_show_it(page, live_site):
    page.goto(f"{live_site}{ERROR}")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#div_id_consummation .invalid-feedback")).to_contain_text("You entered \u201csomeday\u201d.")
    expect(page.locator("#id_consummation")).to_have_value("")
    assert console_problems(page) == []


def test_the_chart_links_to_its_figures_as_a_table(page, live_site):
    page.goto(f"{live_site}/details?principal=1000&consummation=2003-10-10")
    tab_to(page, "a: The same figures as a table")
    page.keyboard.press("Enter")
    table = page.locator("#cash-chart-table")
    expect(table).to_be_visible()  # the link opens the details it is in
    # $1,000 at Oct 10, 2003: the original terms pay the $30.00 fee at once, then $54.39 on Feb 1, 2004.
    rows = [" ".join(t.split()) for t in table.locator("tbody tr").all_inner_texts()]
    assert rows[0] == "Oct 10, 2003 $30.00 $0.00"
    assert rows[1] == "Feb 1, 2004 $84.39 $56.76"
