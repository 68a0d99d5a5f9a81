"""validate_terms: one test per rule, with the boundary checked on both sides."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from offers.core.terms import BASIS_NEW_PRINCIPAL, OfferTerms, ParticipationFeeTerms
from offers.core.termsfile import seed_terms
from offers.core.validation import validate_terms

from .strategies import NEW_YORK_EDT

SEED = seed_terms()
SEPTEMBER = SEED["september-2003"]  # maturity Aug 1, 2009; expires Oct 7, 2003; warrants to Aug 1, 2009
ORIGINAL = SEED["original"]  # has a participation fee
DAY = timedelta(days=1)
D = Decimal


def old(**changes) -> OfferTerms:
    return replace(SEPTEMBER, old_notes=replace(SEPTEMBER.old_notes, **changes))


def new(**changes) -> OfferTerms:
    return replace(SEPTEMBER, new_notes=replace(SEPTEMBER.new_notes, **changes))


def warrants(**changes) -> OfferTerms:
    return replace(SEPTEMBER, warrants=replace(SEPTEMBER.warrants, **changes))


def fee(**changes) -> OfferTerms:
    base = ParticipationFeeTerms(basis=BASIS_NEW_PRINCIPAL, percent=None, per_1000=D(30), paid_on=(None,))
    return replace(SEPTEMBER, participation_fee=replace(base, **changes))


def expiring(day: date, expected: date | None = None) -> OfferTerms:
    return replace(SEPTEMBER, expires_at=datetime.combine(day, time(17), NEW_YORK_EDT),
                   expected_consummation=expected or day)


def assert_rule(terms: OfferTerms, path: str, broken: bool) -> None:
    errors = validate_terms(terms)
    if broken:
        assert path in errors, errors
        # every message says what a valid value looks like (an example or the limiting date)
        assert all(len(message) > 20 for message in errors[path]), errors[path]
    else:
        assert path not in errors, errors


def test_the_seeded_terms_have_no_problems():
    for terms in SEED.values():
        assert validate_terms(terms) == {}


@pytest.mark.parametrize("path", ["old_notes.rate_percent", "new_notes.rate_percent", "minimum_tender_percent"])
@pytest.mark.parametrize(("rate", "broken"), [("-0.01", True), ("0", False), ("100", False), ("100.01", True)])
def test_rates_are_percentages_from_0_to_100(path, rate, broken):
    if path == "old_notes.rate_percent":
        terms = old(rate_percent=D(rate))
    elif path == "new_notes.rate_percent":
        terms = new(rate_percent=D(rate))
    else:
        terms = replace(SEPTEMBER, minimum_tender_percent=D(rate))
    assert_rule(terms, path, broken)


@pytest.mark.parametrize(("outstanding", "broken"), [("0", True), ("1", False), ("27412000.5", True)])
def test_outstanding_is_a_positive_whole_dollar_amount(outstanding, broken):
    assert_rule(old(outstanding=D(outstanding)), "old_notes.outstanding", broken)


@pytest.mark.parametrize(("increment", "broken"), [("-1", True), ("0", True), ("0.01", False), ("1000", False)])
def test_increment_is_positive(increment, broken):
    assert_rule(new(increment=D(increment)), "new_notes.increment", broken)


@pytest.mark.parametrize(("path", "field"), [("warrants.shares_per_1000", "shares_per_1000"),
                                             ("warrants.exercise_price", "exercise_price")])
@pytest.mark.parametrize(("value", "broken"), [("-1", True), ("0", True), ("0.01", False)])
def test_warrant_shares_and_price_are_positive(path, field, value, broken):
    assert_rule(warrants(**{field: D(value)}), path, broken)


@pytest.mark.parametrize(
    ("months", "broken"),
    [((2, 5, 8, 11), False), ((2, 2, 8, 11), True), ((2, 5, 8, 2), True),
     ((0, 3, 6, 9), True), ((3, 6, 9, 13), True), ((1, 12), False), (tuple(range(1, 13)), False)],
)
def test_payment_months_are_distinct_months_from_1_to_12(months, broken):
    assert_rule(new(payment_months=months, payment_day=1), "new_notes.payment_months", broken)


@pytest.mark.parametrize(
    ("months", "day", "broken"),
    [
        ((2, 5, 8, 11), 28, False),  # Feb 28 exists every year
        ((2, 5, 8, 11), 29, True),  # Feb 29 does not
        ((1, 4, 7, 10), 30, False),  # Apr 30 is the shortest month's last day
        ((1, 4, 7, 10), 31, True),  # no Apr 31
        ((1, 3, 5, 7, 8, 10, 12), 31, False),  # all 31-day months
        ((2, 5, 8, 11), 0, True),
        ((2, 5, 8, 11), 1, False),
    ],
)
def test_payment_day_exists_in_every_payment_month(months, day, broken):
    assert_rule(new(payment_months=months, payment_day=day), "new_notes.payment_day", broken)


# Payment dates of the seeded terms: the 1st of Feb, May, Aug and Nov; maturity Aug 1, 2009.
@pytest.mark.parametrize(("first", "broken"), [(date(2009, 8, 1), True), (date(2009, 5, 1), False),
                                               (date(2009, 11, 1), True)])
def test_first_payment_is_before_maturity(first, broken):
    assert_rule(new(first_payment=first), "new_notes.first_payment", broken)


@pytest.mark.parametrize(("first", "broken"), [(date(2003, 11, 1), True), (date(2004, 2, 1), False)])
def test_first_payment_is_after_a_fixed_interest_start(first, broken):
    assert_rule(new(interest_from=date(2003, 11, 1), first_payment=first), "new_notes.first_payment", broken)


@pytest.mark.parametrize(("first", "broken"), [(date(2004, 2, 1), False), (date(2004, 1, 15), True),
                                               (date(2004, 2, 2), True), (date(2004, 3, 1), True)])
def test_first_payment_is_one_of_the_payment_dates(first, broken):
    assert_rule(new(first_payment=first), "new_notes.first_payment", broken)


@pytest.mark.parametrize(("start", "broken"), [(date(2009, 8, 1), True), (date(2009, 7, 31), False)])
def test_a_fixed_interest_start_is_before_maturity(start, broken):
    assert_rule(new(interest_from=start, first_payment=None), "new_notes.interest_from", broken)


@pytest.mark.parametrize(("path", "field"), [("warrants.detachable_from", "detachable_from"),
                                             ("warrants.exercisable_from", "exercisable_from")])
@pytest.mark.parametrize(("day", "broken"), [(date(2009, 8, 1), True), (date(2009, 7, 31), False),
                                             (date(2009, 8, 2), True)])
def test_warrants_become_detachable_and_exercisable_before_they_expire(path, field, day, broken):
    assert_rule(warrants(**{field: day}), path, broken)


@pytest.mark.parametrize(
    ("expires", "outlive", "broken"),
    [(date(2009, 8, 1), False, False), (date(2009, 8, 2), False, True), (date(2009, 8, 2), True, False)],
)
def test_warrants_expire_no_later_than_maturity_unless_stated(expires, outlive, broken):
    assert_rule(warrants(expires=expires, may_expire_after_maturity=outlive), "warrants.expires", broken)


@pytest.mark.parametrize(
    ("percent", "per_1000", "broken"),
    [(None, "30", False), ("3", None, False), ("3", "30", True), (None, None, True)],
)
def test_a_fee_gives_exactly_one_of_percent_and_per_1000(percent, per_1000, broken):
    terms = fee(percent=percent and D(percent), per_1000=per_1000 and D(per_1000))
    assert_rule(terms, "participation_fee.percent", broken)


@pytest.mark.parametrize(("percent", "broken"), [("0", True), ("0.01", False), ("100", False), ("100.01", True)])
def test_a_fee_percent_is_above_0_and_at_most_100(percent, broken):
    assert_rule(fee(percent=D(percent), per_1000=None), "participation_fee.percent", broken)


@pytest.mark.parametrize(("per_1000", "broken"), [("0", True), ("0.01", False)])
def test_a_fee_per_1000_is_positive(per_1000, broken):
    assert_rule(fee(per_1000=D(per_1000)), "participation_fee.per_1000", broken)


@pytest.mark.parametrize(
    ("paid_on", "broken"),
    [
        ((date(2003, 12, 1), date(2004, 3, 1), date(2004, 6, 1)), False),
        ((date(2003, 12, 1), date(2003, 12, 1)), True),  # the same day twice
        ((date(2004, 3, 1), date(2003, 12, 1)), True),  # out of order
        ((None, date(2003, 12, 1), date(2004, 3, 1)), False),  # consummation first
        ((date(2003, 12, 1), None), True),  # consummation after a fixed date
        ((None, None), True),  # consummation twice
    ],
)
def test_fee_instalment_dates_are_in_order(paid_on, broken):
    assert_rule(fee(paid_on=paid_on), "participation_fee.paid_on", broken)


@pytest.mark.parametrize(("expiry", "broken"), [(date(2009, 8, 1), True), (date(2009, 7, 31), False)])
def test_the_offer_expires_before_maturity(expiry, broken):
    assert_rule(expiring(expiry, expected=date(2009, 7, 31)), "expires_at", broken)


@pytest.mark.parametrize(
    ("expected", "broken"),
    [
        (date(2003, 10, 6), True),  # the day before the offer expires (Oct 7, 2003)
        (date(2003, 10, 7), False),  # the expiry date itself
        (date(2009, 7, 31), False),  # the day before maturity
        (date(2009, 8, 1), True),  # maturity
    ],
)
def test_expected_consummation_is_from_expiry_up_to_maturity(expected, broken):
    assert_rule(replace(SEPTEMBER, expected_consummation=expected), "expected_consummation", broken)


@pytest.mark.parametrize(("last_day", "broken"), [(date(1999, 7, 31), True), (date(1999, 8, 1), True),
                                                  (date(1999, 8, 2), False)])
def test_a_fixed_accrual_end_is_after_the_accrual_start(last_day, broken):
    # accrual starts Aug 1, 1999
    assert_rule(old(accrual_end=last_day), "old_notes.accrual_end", broken)


def test_the_original_terms_fee_is_valid_and_a_broken_fee_is_reported_with_the_rest():
    assert validate_terms(ORIGINAL) == {}
    terms = replace(ORIGINAL, participation_fee=replace(ORIGINAL.participation_fee, percent=None),
                    warrants=replace(ORIGINAL.warrants, shares_per_1000=D(0)))
    assert set(validate_terms(terms)) == {"participation_fee.percent", "warrants.shares_per_1000"}
