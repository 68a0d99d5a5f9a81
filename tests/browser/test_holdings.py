"""`/holdings` in a real browser: upload a file, the totals and the allocation check on the first screen on a
phone and a desktop, the table sorts, the downloads open (the workbook read back with openpyxl), axe finds nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from tests.browser.pages import axe_violations, console_problems

pytestmark = pytest.mark.browser

# The worked example of tests/core/test_holdings.py (figures by hand there), and a fourth account.
ACCOUNTS = b"account,principal,tendered\nA-1,333.33,yes\nA-2,333.33,no\nA-3,333.34,\nB-1,\"$25,000\",yes\n"
SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def upload(page, live_site: str) -> None:
    page.goto(f"{live_site}/holdings")
    page.locator("#id_file").set_input_files(
        {"name": "accounts.csv", "mimeType": "text/csv", "buffer": ACCOUNTS})
    page.get_by_role("button", name="Work out every account").click()
    page.locator("#totals").wait_for()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_totals_and_the_allocation_check_are_on_the_first_screen(page, live_site, screen):
    page.set_viewport_size(SCREENS[screen])
    upload(page, live_site)
    height = SCREENS[screen]["height"]

    totals = page.locator("table.totals").bounding_box()
    allocation = page.locator("#allocation").bounding_box()
    assert page.evaluate("window.scrollY") == 0
    assert totals["y"] + totals["height"] <= height
    assert allocation["y"] + allocation["height"] <= height
    assert page.locator(".total-new-principal").inner_text() == "$39,893.00"  # 1,533 + 38,360
    # 26,000 x 1.5344375 = 39,895.375 as one position; the forgone fractions add up to 1.4375 + 0.9375 = 2.375.
    assert page.locator(".allocation-words").inner_text().startswith(
        "Rounding account by account loses $2.00 of New Notes principal and no warrant shares")
    assert page.evaluate("document.documentElement.scrollWidth") == SCREENS[screen]["width"]
    assert axe_violations(page) == []
    assert console_problems(page) == []


def test_the_form_has_no_axe_violations_on_a_phone(page, live_site):
    page.set_viewport_size(SCREENS["phone"])
    page.goto(f"{live_site}/holdings")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") == SCREENS["phone"]["width"]
    assert console_problems(page) == []


def test_a_bad_file_lists_its_problems_and_has_no_axe_violations(page, live_site):
    page.goto(f"{live_site}/holdings")
    page.locator("#id_file").set_input_files(
        {"name": "accounts.csv", "mimeType": "text/csv", "buffer": b"A-1,lots\n=SUM(A1),1000\n"})
    page.get_by_role("button", name="Work out every account").click()
    summary = page.locator(".error-summary")
    summary.wait_for()

    assert summary.locator("li").all_inner_texts()[0].startswith("line 1, principal:")
    assert axe_violations(page) == []


def test_a_column_heading_sorts_the_accounts(page, live_site):
    upload(page, live_site)
    accounts = page.locator("table.accounts tbody th")

    page.get_by_role("button", name="Old Notes principal").click()
    descending = page.get_by_role("button", name="Old Notes principal")
    descending.click()

    assert accounts.all_inner_texts() == ["B-1", "A-3", "A-1", "A-2"]
    assert page.locator("table.accounts thead th[aria-sort]").get_attribute("aria-sort") == "descending"
    assert console_problems(page) == []


def test_the_downloads_open(page, live_site, tmp_path: Path):
    upload(page, live_site)

    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8"))))
    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="Download Excel workbook").click()
    assert xlsx_download.value.suggested_filename == "lexington-exchange-accounts-2003-10-10.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))

    assert [(r["account"], r["new_notes_principal"]) for r in rows] == [
        ("A-1", "511.00"), ("A-2", "511.00"), ("A-3", "511.00"), ("B-1", "38360.00")]
    assert workbook.sheetnames == ["Totals", "Accounts"]
    totals = {row[0]: row[1:] for row in workbook["Totals"].iter_rows(values_only=True) if row[0]}
    assert totals["New Notes principal"][:2] == (39893, 39895)  # 26,000 x 1.5344375 = 39,895.375
    assert [row[0] for row in workbook["Accounts"].iter_rows(min_row=2, values_only=True)] == [
        "A-1", "A-2", "A-3", "B-1"]
