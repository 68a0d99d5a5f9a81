"""Properties that hold for every consistent version of the terms and every holding."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from math import floor

from hypothesis import given
from hypothesis import strategies as st

from offers.core.outcome import Holding, version_outcome
from offers.core.terms import BASIS_NEW_PRINCIPAL, CASH_IN_LIEU
from offers.core.termsfile import dump_terms, terms_from_dict, terms_to_dict

from .strategies import PRINCIPALS, consummation_for, offer_terms, reproducible, terms_and_holding

HALF_CENT = Decimal("0.005")


@reproducible(300)
@given(terms_and_holding())
def test_new_notes_and_fractions_add_up_to_principal_plus_accrued(case):
    terms, holding = case
    v = version_outcome(terms, holding)
    whole = holding.principal + v.accrued_interest
    increment = terms.new_notes.increment
    assert v.new_principal % increment == 0
    assert 0 <= whole - v.new_principal < increment
    if terms.new_notes.fractions == CASH_IN_LIEU:
        assert v.forgone == 0
        # the fraction is paid, rounded half up to the cent: at most half a cent off
        assert abs(v.new_principal + v.cash_in_lieu - whole) <= HALF_CENT
        assert v.cash_in_lieu == v.cash_in_lieu.quantize(Decimal("0.01"))
    else:
        assert v.cash_in_lieu == 0
        assert v.new_principal + v.forgone == whole
    if v.accrued_interest >= increment:
        assert v.new_principal >= holding.principal


@reproducible(300)
@given(terms_and_holding())
def test_totals_are_the_sum_of_their_parts(case):
    terms, holding = case
    v = version_outcome(terms, holding)
    assert v.total_interest == sum(c.amount for c in v.coupons)
    assert v.total_participation_fee == sum(p.amount for p in v.participation_fee)
    assert v.total_cash == v.total_interest + v.total_participation_fee + v.cash_in_lieu + v.new_principal
    flows = v.cash_flows()
    assert sum(f.amount for f in flows) == v.total_cash
    assert [f.paid_on for f in flows] == sorted(f.paid_on for f in flows)
    assert v.principal_repayment.amount == v.new_principal
    assert v.principal_repayment.paid_on == terms.new_notes.maturity
    # every payment is in whole cents
    for amount in [c.amount for c in v.coupons] + [p.amount for p in v.participation_fee]:
        assert amount == amount.quantize(Decimal("0.01"))


@reproducible(300)
@given(terms_and_holding())
def test_fee_instalments_share_the_total_with_the_last_taking_the_remainder(case):
    terms, holding = case
    v = version_outcome(terms, holding)
    fee = terms.participation_fee
    if fee is None:
        assert v.participation_fee == ()
        return
    # The total, worked in fractions: basis x percent / 100 (or x per_1000 / 1000), half up to the cent.
    basis = v.new_principal if fee.basis == BASIS_NEW_PRINCIPAL else holding.principal
    share = Fraction(fee.percent) / 100 if fee.percent is not None else Fraction(fee.per_1000) / 1000
    exact = Fraction(basis) * share
    cents = floor(exact * 100 + Fraction(1, 2))
    assert v.total_participation_fee * 100 == cents
    # Each instalment but the last is total / count rounded down to the cent; the last takes the rest.
    count = len(fee.paid_on)
    each = cents // count
    expected = [each] * (count - 1) + [cents - each * (count - 1)]
    assert [p.amount * 100 for p in v.participation_fee] == expected
    assert all(p.paid_on >= holding.consummation for p in v.participation_fee)


@reproducible(300)
@given(st.data())
def test_more_principal_never_gives_less(data):
    terms = data.draw(offer_terms())
    consummation = data.draw(consummation_for(terms))
    smaller = data.draw(PRINCIPALS)
    larger = smaller + data.draw(st.integers(1, 1_000_000))
    a = version_outcome(terms, Holding(smaller, consummation))
    b = version_outcome(terms, Holding(larger, consummation))
    assert b.new_principal >= a.new_principal
    assert b.total_interest >= a.total_interest
    assert b.warrants.shares >= a.warrants.shares
    assert b.total_cash >= a.total_cash
    for low, high in zip(a.coupons, b.coupons, strict=True):
        assert high.amount >= low.amount


def floor_shares(new_principal: Decimal, shares_per_1000: Decimal) -> int:
    """floor(N x shares_per_1000 / 1000) in integers: scale both to whole hundredths-of-a-cent first."""
    n_scaled, n_exp = scaled(new_principal)
    s_scaled, s_exp = scaled(shares_per_1000)
    numerator = n_scaled * s_scaled
    denominator = 1000 * 10 ** (n_exp + s_exp)
    return numerator // denominator


def scaled(value: Decimal) -> tuple[int, int]:
    """``value`` as ``(integer, k)`` with value == integer / 10**k."""
    sign, digits, exponent = value.as_tuple()
    integer = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    if exponent >= 0:
        return integer * 10**exponent, 0
    return integer, -exponent


@reproducible(300)
@given(terms_and_holding())
def test_warrant_shares_are_rounded_down_to_whole_shares(case):
    terms, holding = case
    v = version_outcome(terms, holding)
    expected = floor_shares(v.new_principal, terms.warrants.shares_per_1000)
    assert v.warrants.shares == expected
    assert isinstance(v.warrants.shares, int)
    assert v.warrants.exercise_cost == expected * terms.warrants.exercise_price


@reproducible(300)
@given(terms_and_holding())
def test_coupon_periods_chain_from_interest_start_to_maturity(case):
    terms, holding = case
    v = version_outcome(terms, holding)
    coupons = v.coupons
    assert coupons
    interest_from = terms.new_notes.interest_from or holding.consummation
    assert coupons[0].period_start == interest_from
    assert coupons[-1].period_end == terms.new_notes.maturity
    for before, after in pairwise(coupons):
        assert before.period_end == after.period_start
    for coupon in coupons:
        assert coupon.period_start < coupon.period_end
        assert coupon.paid_on >= holding.consummation
        assert coupon.paid_on == max(coupon.period_end, holding.consummation)
    first = terms.new_notes.first_payment
    if first is not None and first > interest_from:
        assert coupons[0].period_end >= first


def test_the_seeded_terms_round_trip_through_the_terms_format(seeded_terms):
    for terms in seeded_terms.values():
        assert terms_from_dict(terms_to_dict(terms)) == terms
        assert terms_from_dict(json.loads(dump_terms(terms))) == terms


@reproducible(200)
@given(offer_terms())
def test_generated_terms_round_trip_through_the_terms_format(terms):
    assert terms_from_dict(json.loads(dump_terms(terms))) == terms


@reproducible(100)
@given(terms=offer_terms(), exponent=st.integers(-2, 3))
def test_decimals_written_in_any_form_round_trip(terms, exponent):
    """A Decimal such as Decimal("1E+3") (from normalize() or a form) is written as plain digits."""
    increment = Decimal(1).scaleb(exponent)  # 1E-2 .. 1E+3
    terms = replace(terms, new_notes=replace(terms.new_notes, increment=increment),
                    minimum_tender_percent=terms.minimum_tender_percent.normalize())
    data = json.loads(dump_terms(terms))
    assert "E" not in data["new_notes"]["increment"].upper()
    assert terms_from_dict(data) == terms
