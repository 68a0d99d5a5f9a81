"""The whole-issue figures (offers.core.issue), pure.

Figures by hand (30/360; Aug 1, 1999 to Oct 10, 2003 = 1,509 days):
all $27,412,000 -> accrued 27,412 x 534.4375 = 14,650,000.75, New Notes 42,062,000,
420,620 warrant shares; the original terms' fee 3% x 27,412,000 = 822,360.00.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offers.core.issue import (
    first_year_coupons,
    first_year_end,
    issue_figures,
    percent_of,
    release_checks,
    tender_condition_met,
    to_thousand_half_up,
)
from offers.core.outcome import Holding, version_outcome

OUTSTANDING = Decimal(27412000)
TENDERED = Decimal(27209000)
LARGEST = Decimal(20490000)
OCT_10 = date(2003, 10, 10)


def test_the_whole_issue_accrues_the_press_release_total(seeded_terms):
    figures = issue_figures(seeded_terms["september-2003"], OUTSTANDING, OCT_10)
    assert figures.outcome.accrued_interest == Decimal("14650000.75")
    assert figures.accrued_per_1000 == Decimal("534.4375")
    assert figures.outcome.new_principal == Decimal(42062000)
    assert figures.outcome.warrants.shares == 420620


def test_the_original_terms_fee_on_the_whole_issue(seeded_terms):
    figures = issue_figures(seeded_terms["original"], OUTSTANDING, OCT_10)
    assert figures.outcome.total_participation_fee == Decimal("822360.00")


def test_first_year_interest_is_the_coupons_paid_before_the_first_anniversary(seeded_terms):
    figures = issue_figures(seeded_terms["september-2003"], OUTSTANDING, OCT_10)
    assert [c.paid_on for c in figures.first_year_coupons] == [date(2004, 2, 1), date(2004, 5, 1), date(2004, 8, 1)]
    # 42,062,000 x 12% x 111/360 = 1,556,294.00; 42,062,000 x 3% = 1,261,860.00
    assert figures.first_year_interest == Decimal("1556294.00") + 2 * Decimal("1261860.00")


@pytest.mark.parametrize(("consummation", "anniversary"), [
    (date(2003, 10, 10), date(2004, 10, 10)),
    (date(2004, 2, 29), date(2005, 2, 28)),  # no Feb 29 in 2005
    (date(2003, 12, 31), date(2004, 12, 31)),
])
def test_the_first_anniversary_is_the_same_day_a_year_later(consummation, anniversary):
    assert first_year_end(consummation) == anniversary


def test_a_coupon_paid_on_the_anniversary_is_not_in_the_first_year(seeded_terms):
    # Consummation Nov 1, 2004 is itself a payment day: Feb, May, Aug 1, 2005 are in; Nov 1, 2005 is not.
    terms = dataclasses.replace(seeded_terms["september-2003"], expected_consummation=date(2004, 11, 1))
    coupons = first_year_coupons(version_outcome(terms, Holding(Decimal(1000), date(2004, 11, 1))))
    assert [c.paid_on for c in coupons] == [date(2005, 2, 1), date(2005, 5, 1), date(2005, 8, 1)]


def test_a_coupon_paid_on_consummation_is_in_the_first_year(seeded_terms):
    # New Notes accruing from a fixed date before consummation: the Feb 1, 2004 coupon is
    # paid at a Feb 10, 2004 consummation (rule 5), so it counts.
    base = seeded_terms["september-2003"]
    terms = dataclasses.replace(base, new_notes=dataclasses.replace(base.new_notes, interest_from=date(2003, 10, 10)))
    coupons = first_year_coupons(version_outcome(terms, Holding(Decimal(1000), date(2004, 2, 10))))
    assert coupons[0].paid_on == date(2004, 2, 10)
    assert [c.paid_on for c in coupons] == [date(2004, 2, 10), date(2004, 5, 1), date(2004, 8, 1), date(2004, 11, 1),
                                            date(2005, 2, 1)]


def test_a_version_that_does_not_apply_has_no_figures(seeded_terms):
    figures = issue_figures(seeded_terms["september-2003"], OUTSTANDING, date(2003, 10, 1))
    assert figures.outcome.unavailable_reason is not None
    assert figures.first_year_interest is None and figures.first_year_coupons == ()


@pytest.mark.parametrize(("part", "whole", "shown"), [
    (TENDERED, OUTSTANDING, Decimal("99.3")),
    (LARGEST, OUTSTANDING, Decimal("74.7")),
    (Decimal(1), Decimal(8), Decimal("12.5")),  # 12.5 exactly
    (Decimal(1), Decimal(16), Decimal("6.3")),  # 6.25 rounds half up
    (Decimal(1), Decimal(3), Decimal("33.3")),
])
def test_percent_of_rounds_to_one_decimal_half_up(part, whole, shown):
    assert percent_of(part, whole) == shown


@pytest.mark.parametrize(("amount", "rounded"), [
    (Decimal("14650000.75"), Decimal(14650000)),
    (Decimal("14650500"), Decimal(14651000)),
    (Decimal("14650499.99"), Decimal(14650000)),
])
def test_to_thousand_half_up(amount, rounded):
    assert to_thousand_half_up(amount) == rounded


@pytest.mark.parametrize(("tendered", "met"), [
    (Decimal(27137880), True),   # exactly 99% of 27,412,000
    (Decimal(27137879), False),
    (TENDERED, True),
])
def test_the_minimum_tender_condition_is_checked_exactly(seeded_terms, tendered, met):
    assert tender_condition_met(seeded_terms["september-2003"], tendered) is met


def test_the_stored_terms_reproduce_every_release_figure(seeded_terms):
    checks = release_checks(list(seeded_terms.values()), OUTSTANDING, TENDERED, LARGEST)
    assert len(checks) == 7  # the amount outstanding, 2 figures per version, 2 tender figures
    assert all(check.matches for check in checks), [c for c in checks if not c.matches]


def test_a_wrong_old_notes_rate_fails_the_release_check(seeded_terms):
    base = seeded_terms["september-2003"]
    wrong = dataclasses.replace(base, old_notes=dataclasses.replace(base.old_notes, rate_percent=Decimal("12.5")))
    checks = release_checks([wrong], OUTSTANDING, TENDERED, LARGEST)
    assert [c.matches for c in checks] == [True, False, False, True, True]


def test_an_amount_outstanding_other_than_the_releases_fails_its_own_check(seeded_terms):
    # 27,412,001 x 534.4375 / 1,000 = 14,650,001.28...: to the nearest $1,000 the accrual still matches.
    checks = release_checks([seeded_terms["september-2003"]], OUTSTANDING + 1, None, None)
    assert [c.matches for c in checks[:3]] == [False, True, True]
    assert checks[0].note == "the stored $27,412,001 is not the release's $27,412,000."


def test_missing_tender_figures_are_not_counted_as_matching(seeded_terms):
    checks = release_checks([seeded_terms["original"]], OUTSTANDING, None, None)
    assert [c.computed for c in checks[3:]] == [None, None]
    assert not any(c.matches for c in checks[3:])


@given(st.integers(min_value=1, max_value=27412000))
def test_the_whole_issue_scales_the_per_1000_accrual_exactly(seeded_terms, principal):
    figures = issue_figures(seeded_terms["september-2003"], Decimal(principal), OCT_10)
    assert figures.outcome.accrued_interest == figures.accrued_per_1000 * principal / 1000
