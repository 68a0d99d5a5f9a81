"""The valuation against an independent implementation: QuantLib (a test-only dependency).

Floats appear here only to talk to QuantLib; our figures stay Decimal.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
import QuantLib as ql
from hypothesis import given
from hypothesis import strategies as st

from offers.core.money import to_cent_half_up
from offers.core.outcome import Holding, VersionOutcome, version_outcome
from offers.core.terms import ParticipationFeeTerms
from offers.core.valuation import (
    black_scholes_call,
    break_even_discount_rate,
    new_notes_flows,
    present_value,
    yield_to_maturity,
)

from .strategies import reproducible

THIRTY_360 = ql.Thirty360(ql.Thirty360.BondBasis)
HOLDINGS = [
    Holding(Decimal(1000), date(2003, 10, 10)),  # the spec's worked example
    Holding(Decimal(27412000), date(2003, 10, 10)),  # the whole issue
    Holding(Decimal(12345), date(2005, 3, 15)),  # an odd amount between payment dates
]
RATES = ["0", "5", "12.5", "40", "250"]
PRICES = ["60", "100", "112.5"]


def ql_date(day: date) -> ql.Date:
    return ql.Date(day.day, day.month, day.year)


def ql_leg(flows) -> ql.Leg:
    return ql.Leg([ql.SimpleCashFlow(float(flow.amount), ql_date(flow.paid_on)) for flow in flows])


def quarterly_30_360(rate_percent: str) -> ql.InterestRate:
    return ql.InterestRate(float(rate_percent) / 100, THIRTY_360, ql.Compounded, ql.Quarterly)


def ql_npv(flows, rate_percent: str, on: date) -> float:
    # includeSettlementDateFlows: a fee or cash in lieu paid at consummation counts in full.
    return ql.CashFlows.npv(ql_leg(flows), quarterly_30_360(rate_percent), True, ql_date(on), ql_date(on))


@pytest.fixture(scope="module")
def variant_terms(seeded_terms):
    """The September terms with everything the format allows that the seeds do not use.

    Interest from a fixed date before consummation (so the coupons already due are paid at
    consummation), New Notes in $1,000 multiples with cash in lieu, and a fee per $1,000
    of New Notes in two instalments.
    """
    base = seeded_terms["september-2003"]
    return dataclasses.replace(
        base,
        slug="variant",
        new_notes=dataclasses.replace(base.new_notes, interest_from=date(2003, 5, 1), first_payment=None,
                                      increment=Decimal(1000), fractions="cash_in_lieu"),
        participation_fee=ParticipationFeeTerms("new_principal", None, Decimal("12.5"),
                                                (None, date(2004, 6, 30))),
    )


@pytest.fixture(scope="module")
def versions(seeded_terms, variant_terms) -> list[VersionOutcome]:
    terms = [seeded_terms["original"], seeded_terms["september-2003"], variant_terms]
    found = [version_outcome(t, holding) for holding in HOLDINGS for t in terms]
    assert all(v.available for v in found)
    return found


def test_variant_pays_some_flows_on_the_consummation_date(versions):
    # Guards the cross-check below: flows at consummation are the case QuantLib must include.
    variant = next(v for v in versions if v.slug == "variant")
    kinds_at_consummation = {f.kind for f in variant.cash_flows() if f.paid_on == variant.holding.consummation}
    assert kinds_at_consummation == {"cash_in_lieu", "participation_fee", "coupon"}


@pytest.mark.parametrize("rate", RATES)
def test_present_value_of_every_cash_flow_agrees_with_quantlib(versions, rate):
    for v in versions:
        ours = present_value(v.cash_flows(), v.holding.consummation, Decimal(rate))
        theirs = ql_npv(v.cash_flows(), rate, v.holding.consummation)
        assert abs(float(ours) - theirs) <= 1e-6, (v.slug, v.holding, rate, ours, theirs)


@pytest.mark.parametrize("price", PRICES)
def test_yield_to_maturity_agrees_with_quantlib(versions, price):
    for v in versions:
        ours = yield_to_maturity(v, Decimal(price))
        assert ours is not None
        on = ql_date(v.holding.consummation)
        theirs = ql.CashFlows.yieldRate(
            ql_leg(new_notes_flows(v)), float(Decimal(price) * v.new_principal / 100), THIRTY_360,
            ql.Compounded, ql.Quarterly, True, on, on, 1e-14, 1000, 0.1,
        )
        assert abs(float(ours) - 100 * theirs) <= 1e-6, (v.slug, v.holding, price, ours, theirs)


def test_new_notes_coupons_match_a_quantlib_fixed_rate_bond(seeded_terms):
    # QuantLib generates the schedule itself (backward from maturity, long first period to
    # the first payment date) and the unrounded coupons; ours are those rounded half up.
    holding = HOLDINGS[0]
    for terms in (seeded_terms["original"], seeded_terms["september-2003"]):
        v = version_outcome(terms, holding)
        notes = terms.new_notes
        schedule = ql.Schedule(
            ql_date(holding.consummation), ql_date(notes.maturity), ql.Period(3, ql.Months), ql.NullCalendar(),
            ql.Unadjusted, ql.Unadjusted, ql.DateGeneration.Backward, False, ql_date(notes.first_payment),
        )
        bond = ql.FixedRateBond(0, float(v.new_principal), schedule, [float(notes.rate_percent) / 100], THIRTY_360)
        coupons = [(cf.date(), cf.amount()) for cf in bond.cashflows() if ql.as_coupon(cf) is not None]
        assert [d for d, _ in coupons] == [ql_date(c.paid_on) for c in v.coupons]
        for (_, amount), coupon in zip(coupons, v.coupons, strict=True):
            assert to_cent_half_up(Decimal(repr(amount))) == coupon.amount


def test_break_even_rate_agrees_with_a_quantlib_brent_solve(seeded_terms):
    holding = HOLDINGS[0]
    a = version_outcome(seeded_terms["original"], holding).cash_flows()
    b = version_outcome(seeded_terms["september-2003"], holding).cash_flows()
    on = ql_date(holding.consummation)
    leg_a, leg_b = ql_leg(a), ql_leg(b)

    def difference(rate: float) -> float:
        y = ql.InterestRate(rate, THIRTY_360, ql.Compounded, ql.Quarterly)
        return ql.CashFlows.npv(leg_a, y, True, on, on) - ql.CashFlows.npv(leg_b, y, True, on, on)

    theirs = ql.Brent().solve(difference, 1e-14, 0.1, 0.0, 1.0)
    ours = break_even_discount_rate(a, b, holding.consummation)
    assert ours is not None
    assert abs(float(ours) - 100 * theirs) <= 1e-6


def ql_black_scholes(share_price: Decimal, exercise_price: Decimal, volatility: Decimal, rate: Decimal,
                     start: date, expiry: date) -> float:
    """QuantLib's analytic European call, valued on ``start`` (its global evaluation date is put back)."""
    today = ql_date(start)
    quantlib_settings = ql.Settings.instance()
    before = quantlib_settings.evaluationDate
    quantlib_settings.evaluationDate = today
    try:
        return _ql_call(share_price, exercise_price, volatility, rate, today, ql_date(expiry))
    finally:
        quantlib_settings.evaluationDate = before


def _ql_call(share_price: Decimal, exercise_price: Decimal, volatility: Decimal, rate: Decimal,
             today: ql.Date, expiry: ql.Date) -> float:
    act365 = ql.Actual365Fixed()
    process = ql.BlackScholesProcess(
        ql.QuoteHandle(ql.SimpleQuote(float(share_price))),
        ql.YieldTermStructureHandle(ql.FlatForward(today, float(rate) / 100, act365)),  # continuous
        ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, ql.NullCalendar(), float(volatility) / 100,
                                                           act365)),
    )
    option = ql.EuropeanOption(ql.PlainVanillaPayoff(ql.Option.Call, float(exercise_price)),
                               ql.EuropeanExercise(expiry))
    option.setPricingEngine(ql.AnalyticEuropeanEngine(process))
    return option.NPV()


@pytest.mark.parametrize("slug", ["original", "september-2003"])
@pytest.mark.parametrize(("share_price", "volatility", "rate"), [
    ("3.50", "40", "4"), ("1.25", "80", "1.5"), ("9.00", "25", "6"), ("0.40", "150", "0"),
])
def test_warrant_value_agrees_with_quantlib_for_the_seeded_warrants(
        seeded_terms, slug, share_price, volatility, rate):
    warrants = seeded_terms[slug].warrants
    start = date(2003, 10, 10)
    args = (Decimal(share_price), warrants.exercise_price, Decimal(volatility), Decimal(rate), start,
            warrants.expires)
    assert abs(float(black_scholes_call(*args)) - ql_black_scholes(*args)) <= 1e-6


@reproducible(60)
@given(
    share_price=st.decimals(min_value="0.05", max_value="50", places=2),
    exercise_price=st.decimals(min_value="0.50", max_value="20", places=2),
    volatility=st.decimals(min_value="1", max_value="200", places=1),
    rate=st.decimals(min_value="0", max_value="20", places=2),
    days=st.integers(min_value=1, max_value=4000),
)
def test_black_scholes_agrees_with_quantlib_analytic_european_engine(
        share_price, exercise_price, volatility, rate, days):
    start = date(2003, 10, 10)
    args = (share_price, exercise_price, volatility, rate, start, start + timedelta(days=days))
    assert abs(float(black_scholes_call(*args)) - ql_black_scholes(*args)) <= 1e-6
