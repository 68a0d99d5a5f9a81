"""Rule 11's figures date: a holder asking about a date before the offer in force expires still gets figures.

Worked examples, by hand (30/360 from Aug 1, 1999; 12 3/4% on the Old Notes):

- Oct 10, 2003 is 4 x 360 + 2 x 30 + 9 = 1,509 days: $250,000 accrues
  250,000 x 0.1275 x 1509/360 = 133,609.375, so N = 383,609 ($0.375 forgone).
- Oct 24, 2003 is 4 x 360 + 2 x 30 + 23 = 1,523 days: $1,000 accrues
  1,000 x 0.1275 x 1523/360 = 539.3958..., so N = 1,539.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offers.core.contract import outcome_to_contract
from offers.core.outcome import Holding
from offers.core.termsfile import terms_from_dict, terms_to_dict
from offers.core.versions import answer, figures_date, outcome


@pytest.mark.parametrize("asked", [date(2003, 9, 18), date(2003, 9, 30), date(2003, 10, 1), date(2003, 10, 6)])
def test_before_the_amendment_expires_the_figures_are_for_its_expected_consummation(seeded_terms, asked):
    result = answer(seeded_terms.values(), Holding(Decimal(250000), asked))
    assert result.in_force.slug == "september-2003"
    assert result.asked == asked and result.figures_moved
    assert result.holding.consummation == date(2003, 10, 10)
    assert result.in_force.available
    assert result.in_force.new_principal == Decimal(383609)
    assert result.in_force.forgone == Decimal("0.375")
    # The replaced terms are compared on the same date: no fee of their own is dropped.
    assert result.replaced.slug == "original" and result.replaced.holding.consummation == date(2003, 10, 10)
    assert result.break_even_discount_rate is not None


@pytest.mark.parametrize("asked", [date(2003, 10, 7), date(2003, 10, 10), date(2004, 3, 1)])
def test_on_or_after_the_expiry_the_figures_are_for_the_holders_own_date(seeded_terms, asked):
    result = answer(seeded_terms.values(), Holding(Decimal(1000), asked))
    assert not result.figures_moved and result.holding.consummation == asked
    assert result.in_force.available


def test_before_any_amendment_the_original_terms_wait_for_their_own_expiry(seeded_terms):
    # Sep 17: the original terms are in force; they expire Sep 30 and expect Oct 10.
    result = answer(seeded_terms.values(), Holding(Decimal(1000), date(2003, 9, 17)))
    assert result.in_force.slug == "original" and result.holding.consummation == date(2003, 10, 10)
    assert result.in_force.total_participation_fee == Decimal("30.00")


def test_the_figures_date_is_the_expiry_when_the_expected_consummation_is_earlier(seeded_terms):
    # Validation keeps stored terms from this (the expected consummation must follow the expiry); the rule
    # still says what to do, so the function is checked on terms built directly.
    terms = dataclasses.replace(seeded_terms["september-2003"], expected_consummation=date(2003, 10, 1))
    assert figures_date(terms) == date(2003, 10, 7)
    assert figures_date(seeded_terms["september-2003"]) == date(2003, 10, 10)


@pytest.fixture
def with_october(seeded_terms):
    """The seeds and a (made-up) amendment announced Oct 3, 2003 that expires Oct 21, expected Oct 24."""
    october = terms_to_dict(seeded_terms["september-2003"]) | {
        "slug": "october-2003", "name": "October 2003 amendment", "announced": "2003-10-03",
        "expires_at": "2003-10-21T17:00:00-04:00", "expected_consummation": "2003-10-24"}
    return [*seeded_terms.values(), terms_from_dict(october)]


def test_an_amendment_announced_oct_3_gives_figures_for_its_expected_date(with_october):
    result = answer(with_october, Holding(Decimal(1000), date(2003, 10, 10)))
    assert result.in_force.slug == "october-2003" and result.replaced.slug == "september-2003"
    assert result.holding.consummation == date(2003, 10, 24)
    assert result.in_force.accrual_days == 1523
    assert result.in_force.new_principal == Decimal(1539)
    assert result.replaced.new_principal == Decimal(1539)  # compared on Oct 24 too


def test_no_holder_date_from_oct_3_to_oct_20_gives_an_empty_answer(with_october):
    day = date(2003, 10, 3)
    while day <= date(2003, 10, 20):
        result = answer(with_october, Holding(Decimal(100000), day))
        assert result.in_force.slug == "october-2003", day
        assert result.in_force.available and result.in_force.new_principal > 0, day
        day += timedelta(days=1)


@given(st.dates(date(2003, 9, 18), date(2009, 7, 31)),
       st.decimals(Decimal(1), Decimal(27412000), places=2, allow_nan=False, allow_infinity=False))
def test_every_holder_date_gets_a_new_notes_principal_or_a_reason(asked, principal):
    from offers.core.termsfile import seed_terms

    result = answer(seed_terms().values(), Holding(principal, asked))
    version = result.in_force
    assert version is not None
    assert version.available, version.unavailable_reason
    assert version.new_principal is not None and version.new_principal >= 0
    assert result.holding.consummation >= version.terms.expiry_date


def test_after_maturity_the_answer_says_why_in_words(seeded_terms):
    result = answer(seeded_terms.values(), Holding(Decimal(1000), date(2009, 8, 1)))
    assert not result.in_force.available
    assert "maturity" in result.in_force.unavailable_reason


def test_the_contract_keeps_the_holders_date_and_adds_the_earliest_consummation(seeded_terms):
    document = outcome_to_contract(outcome(seeded_terms.values(), Holding(Decimal(1000), date(2003, 10, 1))))
    assert document["inputs"]["consummation"] == "2003-10-01"
    assert document["earliest_consummation"] == "2003-10-07"
    assert [v["expires_at"] for v in document["versions"]] == ["2003-09-30T17:00:00-04:00",
                                                               "2003-10-07T17:00:00-04:00"]
    assert document["versions"][1]["available"] is False
