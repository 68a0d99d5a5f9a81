"""How the holder's figures move with the consummation date, and the dates where they jump.

Worked out by hand for $100,000 of Old Notes (30/360 from Aug 1, 1999; 12.75%):
- Nov 11, 2003: 360 x 4 + 30 x 3 + 10 = 1,540 days, accrued 54,541.666... (54,541.67 to
  the cent), New Notes 154,541; first period Nov 11, 2003 to Feb 1, 2004 = 80 days,
  short (it starts after Nov 1): 154,541 x 11.5% x 80/360 = 3,949.38 and x 12% = 4,121.09.
- Feb 1, 2004: 1,620 days, accrued 57,375.00, New Notes 157,375; the first payment moves
  to May 1, 2004, a regular 90-day period: 157,375 x 11.5% / 4 = 4,524.53, x 12% / 4 = 4,721.25.
- Oct 10, 2003: 111 days to Feb 1, 2004, long: 153,443 x 11.5% x 111/360 = 5,440.83.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from offers.core.dates import LONG, REGULAR, SHORT
from offers.core.outcome import Holding, version_outcome
from offers.core.versions import consummation_dates
from offers.pictures import first_coupon, sensitivity
from tests.web.holder import details, shared_client, text

client = shared_client  # one client for the module (see tests/web/holder.py)
QUERY = {"principal": "100,000", "consummation": "2003-10-10"}


@pytest.fixture
def both(seeded_terms):
    return (seeded_terms["original"], seeded_terms["september-2003"])


def test_the_dates_run_every_two_weeks_from_the_first_expiry_with_the_dates_that_matter_added(both):
    # Sep 30, 2003 (the first expiry) starts the steps but is left out: only the replaced terms applied then.
    every_two_weeks = [date(2003, 10, 14), date(2003, 10, 28), date(2003, 11, 11),
                       date(2003, 11, 25), date(2003, 12, 9), date(2003, 12, 23), date(2004, 1, 6),
                       date(2004, 1, 20), date(2004, 2, 3), date(2004, 2, 17), date(2004, 3, 2), date(2004, 3, 16),
                       date(2004, 3, 30), date(2004, 4, 13), date(2004, 4, 27)]
    # The amended offer's expiry, the expected consummation, the payment dates in range, six months on.
    added = [date(2003, 10, 7), date(2003, 10, 10), date(2003, 11, 1), date(2004, 2, 1), date(2004, 4, 30)]
    assert list(consummation_dates(both, date(2003, 10, 10))) == sorted(every_two_weeks + added)


def test_the_date_entered_is_added_when_it_is_in_range(both):
    assert date(2003, 12, 1) in consummation_dates(both, date(2003, 12, 1))
    assert date(2005, 1, 3) not in consummation_dates(both, date(2005, 1, 3))


@pytest.mark.parametrize(
    ("consummation", "length", "days"),
    [(date(2003, 10, 10), LONG, 111), (date(2003, 11, 1), REGULAR, 90), (date(2003, 11, 11), SHORT, 80),
     (date(2004, 2, 1), REGULAR, 90), (date(2004, 2, 3), SHORT, 88)],
)
def test_the_first_period_is_long_regular_or_short_against_the_payment_date_before_its_end(
        seeded_terms, consummation, length, days):
    first = first_coupon(version_outcome(seeded_terms["september-2003"], Holding(Decimal(1000), consummation)))
    assert (first.length, first.coupon.days) == (length, days)


def test_the_figures_for_each_date_come_from_the_core(both):
    rows = {row.consummation: row for row in sensitivity(both, Holding(Decimal(100000), date(2003, 10, 10))).rows}
    november = rows[date(2003, 11, 11)]
    assert november.conversion.accrued_interest.quantize(Decimal("0.01")) == Decimal("54541.67")
    assert november.conversion.new_principal == Decimal(154541)
    assert [cell.first.coupon.amount for cell in november.cells] == [Decimal("3949.38"), Decimal("4121.09")]
    february = rows[date(2004, 2, 1)]
    assert february.conversion.accrued_interest == Decimal("57375")
    assert [(cell.first.coupon.paid_on, cell.first.coupon.amount) for cell in february.cells] == [
        (date(2004, 5, 1), Decimal("4524.53")), (date(2004, 5, 1), Decimal("4721.25"))]
    assert rows[date(2003, 10, 10)].cells[0].first.coupon.amount == Decimal("5440.83")
    assert date(2003, 9, 30) not in rows  # only the replaced terms applied then; the amendment from Oct 7


def test_the_dates_where_a_result_jumps_are_named_in_words(both):
    result = sensitivity(both, Holding(Decimal(100000), date(2003, 10, 10)))
    notes = {row.consummation: row.notes for row in result.rows if row.jumped}
    assert notes == {
        date(2003, 11, 1): ("Every version: first period now regular (90 days, was long)",),
        date(2003, 11, 11): ("Every version: first period now short (80 days, was regular)",),
        date(2004, 2, 1): ("Every version: first payment moves to May 1, 2004",
                           "Every version: first period now regular (90 days, was short)"),
        date(2004, 2, 3): ("Every version: first period now short (88 days, was regular)",),
    }
    assert result.same_conversion


def test_the_first_coupon_chart_has_a_line_per_version_over_the_table_dates(both):
    result = sensitivity(both, Holding(Decimal(100000), date(2003, 10, 10)))
    assert [line.name for line in result.chart.lines] == [
        "Original terms (before the September 2003 amendment)", "September 2003 amendment"]
    assert len(result.chart.lines[0].dots) == len(result.chart.lines[1].dots) == 20  # from Oct 7, 2003


@pytest.mark.django_db
def test_the_page_shows_the_table_marking_jumps_in_words_and_the_holders_date(client):
    soup = details(client, QUERY)
    table = soup.select_one("#sensitivity-table")
    assert text(table.find("caption")).startswith("Accrued interest, New Notes principal and first coupon")
    assert all(th["scope"] == "col" for th in table.select("thead th"))
    rows = {text(tr.find("th")): [text(td) for td in tr.find_all("td")] for tr in table.select("tbody tr")}
    assert rows["Nov 11, 2003"][:4] == ["$54,541.67", "$154,541.00", "$3,949.38 on Feb 1, 2004, 80 days (short)",
                                        "$4,121.09 on Feb 1, 2004, 80 days (short)"]
    assert rows["Nov 11, 2003"][4] == "Changes: Every version: first period now short (80 days, was regular)"
    assert rows["Nov 25, 2003"][4] == "no change"
    assert "Sep 30, 2003" not in rows  # the amendment in force does not apply before Oct 7
    assert "Oct 10, 2003 (your date) (expected)" in rows  # the holder's date, also the expected one
    jumped = [text(tr.find("th")) for tr in table.select("tbody tr.changed-row")]
    assert jumped == ["Nov 1, 2003", "Nov 11, 2003", "Feb 1, 2004", "Feb 3, 2004"]
    link = soup.select_one("#first-coupon-chart figcaption a")
    assert link["href"] == "#sensitivity-table"


@pytest.mark.django_db
def test_the_details_page_with_the_sensitivity_table_stays_within_three_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/details", QUERY)
    assert response.status_code == 200
    assert b'id="sensitivity-table"' in response.content
