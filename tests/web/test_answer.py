"""The answer at the top of the holder page: the core's figures for the version in force, the deadline in words,
what the amendment changed, what the replaced terms would have given, the break-even rate in plain words."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offers import formatting
from offers.core.outcome import Holding
from offers.core.termsfile import seed_terms
from offers.core.versions import outcome
from tests.core.strategies import reproducible
from tests.web.holder import WORKED_EXAMPLE, page, shared_client, text

client = shared_client  # one client for the module (see tests/web/holder.py)
pytestmark = pytest.mark.django_db
TERMS = tuple(seed_terms().values())
# Consummation dates on which the amendment is in force and applies: its expiry to a year and a half after.
FIRST, LAST = date(2003, 10, 7), date(2005, 4, 7)


def answer_text(soup, selector: str) -> str:
    element = soup.select_one(f"#answer {selector}")
    assert element is not None, selector
    return " ".join(element.get_text().split())  # as it reads: no space added around inline markup


@given(principal=st.integers(min_value=1, max_value=27_412_000),
       days=st.integers(min_value=0, max_value=(LAST - FIRST).days))
@reproducible(max_examples=25)
def test_the_answers_figures_are_the_cores_for_the_version_in_force(client, principal, days):
    holding = Holding(Decimal(principal), FIRST + timedelta(days=days))
    result = outcome(TERMS, holding)
    current = result.in_force
    soup = page(client, {"principal": str(principal), "consummation": holding.consummation.isoformat()})
    assert answer_text(soup, ".in-force-name") == current.name
    assert answer_text(soup, ".new-principal") == formatting.money(current.new_principal)
    accrued = formatting.precise(current.accrued_interest)
    assert answer_text(soup, ".conversion").startswith(f"Your {formatting.money(principal)} plus {accrued} of accrued")
    interest = answer_text(soup, ".interest")
    assert f"{len(current.coupons):,} coupon" in interest
    assert formatting.money(current.total_interest) in interest
    assert "Aug 1, 2009" in interest and "12%" in interest
    warrants = answer_text(soup, ".warrants")
    assert warrants.startswith(formatting.count(current.warrants.shares, "share"))
    if current.warrants.shares:
        assert formatting.money(current.warrants.exercise_price) in warrants
        assert "exercisable from Aug 1, 2005" in warrants
    else:  # under $100 of New Notes: the sentence says why there is none
        assert "too small for one warrant share" in warrants
    assert answer_text(soup, ".fee") == "none."
    assert answer_text(soup, ".total-cash") == formatting.money(current.total_cash)
    assert f"{formatting.basis_points(result.break_even_discount_rate)} a year" in answer_text(soup, ".break-even")


def test_the_answer_states_the_deadline_and_what_to_do_for_the_holders_answer(client):
    soup = page(client, WORKED_EXAMPLE | {"tendered": "no"})
    assert "5:00 p.m. New York time on Tuesday, October 7, 2003" in answer_text(soup, ".deadline")
    assert "follow the directions for tendering notes" in answer_text(soup, ".what-to-do")


def test_the_answer_lists_what_the_amendment_changed_like_the_release(client):
    changes = [text(li) for li in page(client, WORKED_EXAMPLE).select("#answer ol.changes li")]
    assert changes == [
        "Offer expires: Oct 7, 2003, 5:00 p.m. New York time (was Sep 30, 2003, 5:00 p.m. New York time)",
        "New Notes interest rate: 12% (was 11.5%)",
        "New Notes maturity: Aug 1, 2009 (was Aug 1, 2007)",
        "Participation fee: none (was 3% of the Old Notes principal, paid at consummation)",
        "Warrants detachable from: Aug 1, 2005 (was Jan 1, 2004)",
        "Warrants exercisable from: Aug 1, 2005 (was Jan 1, 2004)",
        "Warrants expire: Aug 1, 2009 (was Aug 1, 2007)",
    ]


def test_beside_the_answer_the_replaced_terms_and_not_tendering_each_difference_in_one_line(client):
    soup = page(client, WORKED_EXAMPLE)
    lines = [text(li) for li in soup.select("#answer .would-have-given li")]
    assert "New Notes interest rate: 11.5% instead of 12%" in lines
    assert "Total cash: $2,235.79 instead of $2,603.20" in lines  # $1,000 at Oct 10, 2003
    assert "Number of coupons: 15 instead of 23" in lines
    assert all("Old Notes principal" not in line for line in lines)  # only what differs
    # The fee once, with its amount and date; its total would only repeat it.
    assert [line for line in lines if line.startswith("Participation fee")] == [
        "Participation fee: $30.00 on Oct 10, 2003 instead of none"]
    break_even = answer_text(soup, ".break-even")
    assert "Break-even discount rate: 11.62% a year." in break_even
    assert "worth more to you than Original terms (before the September 2003 amendment) only if you discount " \
           "future payments at less than this rate" in break_even
    assert "does not presently intend to pay" in answer_text(soup, ".not-tendering")


def test_a_single_day_and_a_count_of_shares_are_written_for_people():
    assert formatting.count(1, "day") == "1 day"
    assert formatting.count(1534, "share") == "1,534 shares"
