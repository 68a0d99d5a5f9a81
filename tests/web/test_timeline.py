"""The key dates of each version, side by side, with the dates that moved marked in words.

Expected dates are the press release's: holders of record as of July 1, 2002; the
offer expiring Sep 30, 2003 (original) and Oct 7, 2003 (amended); warrants detachable
and exercisable from Jan 1, 2004, moved to Aug 1, 2005; warrants expiring and New Notes
maturing Aug 1, 2007, moved to Aug 1, 2009; first payment Feb 1, 2004 in both.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from offers.core.outcome import Holding
from offers.core.versions import outcome
from offers.explanation import quote
from offers.pictures import RECORD_DATE, timeline
from tests.web.holder import WORKED_EXAMPLE, details, shared_client, text

client = shared_client  # one client for the module (see tests/web/holder.py)

EXPECTED = {
    "Record date (who the offer is made to)": (["Jul 1, 2002", "Jul 1, 2002"], [None, None]),
    "Offer expires": (["Sep 30, 2003, 5:00 p.m. New York time", "Oct 7, 2003, 5:00 p.m. New York time"],
                      [None, "Sep 30, 2003, 5:00 p.m. New York time"]),
    "Consummation (the date you entered)": (["Oct 10, 2003", "Oct 10, 2003"], [None, None]),
    "First interest payment": (["Feb 1, 2004", "Feb 1, 2004"], [None, None]),
    "Warrants detachable from the New Notes": (["Jan 1, 2004", "Aug 1, 2005"], [None, "Jan 1, 2004"]),
    "Warrants exercisable from": (["Jan 1, 2004", "Aug 1, 2005"], [None, "Jan 1, 2004"]),
    "Warrants expire": (["Aug 1, 2007", "Aug 1, 2009"], [None, "Aug 1, 2007"]),
    "New Notes mature (principal repaid)": (["Aug 1, 2007", "Aug 1, 2009"], [None, "Aug 1, 2007"]),
}


def test_the_record_date_is_the_one_the_press_release_gives():
    passage = quote("holders of\nrecord, as of July 1, 2002").text
    month, day, year = re.search(r"holders of record, as of (\w+) (\d+), (\d{4})", passage).groups()
    assert RECORD_DATE == date(int(year), 7, int(day)) and month == "July"


def test_each_key_date_lines_up_across_the_versions_and_a_moved_one_says_from_what(seeded_terms,
                                                                                    worked_example_holding):
    result = outcome([seeded_terms["original"], seeded_terms["september-2003"]], worked_example_holding)
    rows = {row.label: ([cell.text for cell in row.cells], [cell.moved_from for cell in row.cells])
            for row in timeline(result).rows}
    assert rows == EXPECTED


def test_the_first_payment_follows_the_consummation_date(seeded_terms):
    result = outcome([seeded_terms["september-2003"]], Holding(Decimal(1000), date(2004, 2, 10)))
    first = next(row for row in timeline(result).rows if row.label == "First interest payment")
    assert first.cells[0].day == date(2004, 5, 1)  # Feb 1, 2004 has passed: the next quarter's date


@pytest.mark.django_db
def test_the_page_shows_the_key_dates_in_a_table_with_headers_and_moves_in_words(client):
    soup = details(client, WORKED_EXAMPLE)
    table = soup.select_one("table.key-dates")
    assert text(table.find("caption")).startswith("Key dates of each version")
    assert [th["scope"] for th in table.select("thead th")] == ["col", "col", "col"]
    for tr in table.select("tbody tr"):
        label = tr.find("th")
        assert label["scope"] == "row"
        name = next(key for key in EXPECTED if text(label).startswith(key))
        cells = [text(td) for td in tr.find_all("td")]
        dates, moved = EXPECTED[name]
        for cell, day, before in zip(cells, dates, moved, strict=True):
            assert cell.startswith(day)
            assert (f"moved from {before}" in cell) if before else ("moved" not in cell)
    moved_rows = [text(tr.find("th")) for tr in table.select("tbody tr.changed-row")]
    assert len(moved_rows) == 5
