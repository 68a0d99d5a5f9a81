"""The valuation (issue 6), with expected figures worked out by hand from the conventions.

Where a figure needs powers, the test computes them with whole-number exponents
(1.025 ** 4), which the code under test never does: it discounts through exp and ln.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offers.core.contract import outcome_to_contract
from offers.core.inputs import InputError
from offers.core.outcome import CashFlow, Holding, version_outcome
from offers.core.valuation import (
    ValuationInputs,
    add_valuation_to_contract,
    black_scholes_call,
    break_even_discount_rate,
    compare_versions,
    issue_warrant_shares,
    not_tendering_value,
    parse_assumption,
    parse_valuation_inputs,
    present_value,
    pv_table,
    value_outcome,
    value_version,
    warrant_value_per_share,
    yield_to_maturity,
)
from offers.core.versions import outcome

from .strategies import principals, reproducible, terms_and_holding

OCT_10 = date(2003, 10, 10)
CENT = Decimal("0.01")


def flow(day: date, amount: str, kind: str = "coupon") -> CashFlow:
    return CashFlow(day, kind, Decimal(amount))


@pytest.fixture
def worked_example(seeded_terms, worked_example_holding):
    return outcome([seeded_terms["original"], seeded_terms["september-2003"]], worked_example_holding)


# --- present value -------------------------------------------------------------------

def test_a_flow_on_the_valuation_date_is_not_discounted():
    assert present_value([flow(OCT_10, "30.00", "participation_fee")], OCT_10, Decimal(25)) == Decimal("30.00")


@pytest.mark.parametrize(("paid_on", "quarters"), [
    (date(2004, 1, 10), 1),  # 90 days in 30/360
    (date(2004, 10, 10), 4),
    (date(2008, 10, 10), 20),
])
def test_present_value_discounts_quarterly_in_30_360_years(paid_on, quarters):
    expected = Decimal(1000) / Decimal("1.025") ** quarters  # 10% a year is 2.5% a quarter
    got = present_value([flow(paid_on, "1000", "principal")], OCT_10, Decimal(10))
    assert abs(got - expected) < Decimal("1e-20")  # the expected figure has 28 digits


def test_present_value_of_a_broken_period_uses_the_fractional_power():
    # Oct 10, 2003 to Feb 1, 2004 is 111 days in 30/360: 111/90 quarters. 1.21^(1/2) = 1.1 exactly,
    # so 45 days (half a quarter) at 84% a year (21% a quarter) discounts by 1.1.
    got = present_value([flow(date(2003, 11, 25), "110")], OCT_10, Decimal(84))
    assert abs(got - Decimal(100)) < Decimal("1e-28")


def test_present_value_at_zero_is_the_sum_of_the_worked_example_cash_flows(worked_example):
    original, september = worked_example.versions
    # Spec worked example: fee 30.00, 54.39 then 14 x 44.10, principal 1,534; 56.76 then 22 x 46.02, 1,534.
    assert present_value(original.cash_flows(), OCT_10, Decimal(0)) == Decimal("2235.79")
    assert present_value(september.cash_flows(), OCT_10, Decimal(0)) == Decimal("2603.20")


two_rates = st.lists(st.decimals(min_value=0, max_value=1000, places=4), min_size=2, max_size=2, unique=True)
both_apply = st.dates(min_value=date(2003, 10, 7), max_value=date(2007, 7, 31))


@reproducible(60)
@given(principal=principals(), consummation=both_apply, slug=st.sampled_from(["original", "september-2003"]),
       rates=two_rates)
def test_present_value_falls_as_the_discount_rate_rises(seeded_terms, principal, consummation, slug, rates):
    v = version_outcome(seeded_terms[slug], Holding(principal, consummation))
    low, high = sorted(rates)
    flows = v.cash_flows()
    assert present_value(flows, consummation, low) > present_value(flows, consummation, high)


@reproducible(60)
@given(case=terms_and_holding(), rates=two_rates)
def test_present_value_never_rises_with_the_discount_rate_under_any_valid_terms(case, rates):
    # Not always strictly: a holding too small for one increment of New Notes may get only cash now.
    terms, holding = case
    flows = version_outcome(terms, holding).cash_flows()
    low, high = sorted(rates)
    assert present_value(flows, holding.consummation, low) >= present_value(flows, holding.consummation, high)


# --- yield to maturity ---------------------------------------------------------------

@pytest.fixture
def par_notes(seeded_terms):
    """$1,000 of New Notes exactly (no Old Notes interest), issued Nov 1, 2003: whole 90-day periods."""
    def build(slug: str):
        terms = seeded_terms[slug]
        terms = dataclasses.replace(terms, old_notes=dataclasses.replace(terms.old_notes, rate_percent=Decimal(0)))
        v = version_outcome(terms, Holding(Decimal(1000), date(2003, 11, 1)))
        assert v.new_principal == 1000 and {c.days for c in v.coupons} == {90}
        return v
    return build


@pytest.mark.parametrize(("slug", "coupon_rate"), [("original", "11.5"), ("september-2003", "12")])
def test_notes_bought_at_par_yield_their_coupon_rate(par_notes, slug, coupon_rate):
    got = yield_to_maturity(par_notes(slug), Decimal(100))
    assert got is not None and abs(got - Decimal(coupon_rate)) < Decimal("1e-8")


def test_yield_at_a_discount_price_solves_the_bond_price_formula(par_notes):
    # 23 quarterly coupons of 30 and 1,000 at maturity, priced at 4% a quarter (16% a year):
    # price = 30 x (1 - 1.04^-23) / 0.04 + 1,000 x 1.04^-23.
    v = par_notes("september-2003")
    assert len(v.coupons) == 23
    discount = 1 / Decimal("1.04") ** 23
    price_in_dollars = 30 * (1 - discount) / Decimal("0.04") + 1000 * discount
    got = yield_to_maturity(v, price_in_dollars / 10)  # percent of the $1,000 face
    assert got is not None and abs(got - 16) < Decimal("1e-8")


def test_yield_above_the_price_of_the_undiscounted_cash_is_negative(par_notes):
    # At 0% the notes are worth 23 x 30 + 1,000 = 1,690: a higher price means a negative yield.
    v = par_notes("september-2003")
    at_cash_value = yield_to_maturity(v, Decimal("169"))
    above = yield_to_maturity(v, Decimal(500))
    assert at_cash_value is not None and abs(at_cash_value) < Decimal("1e-8")
    assert above is not None and above < 0


def test_yield_of_a_version_that_does_not_apply_is_none(seeded_terms):
    v = version_outcome(seeded_terms["september-2003"], Holding(Decimal(1000), date(2003, 10, 1)))
    assert yield_to_maturity(v, Decimal(100)) is None


# --- break-even discount rate --------------------------------------------------------

def test_break_even_is_where_money_now_equals_money_later():
    # 100 now against 100 x 1.025^8 in two years: even at 10% a year compounded quarterly.
    later = Decimal(100) * Decimal("1.025") ** 8
    got = break_even_discount_rate([flow(OCT_10, "100")], [flow(date(2005, 10, 10), str(later))], OCT_10)
    assert got is not None and abs(got - 10) < Decimal("1e-9")


def test_break_even_finds_the_lower_of_two_crossings_inside_the_range():
    # With u = (1 + y/4)^4, 100 u^2 - 100 (u1 + u2) u + 100 u1 u2 is zero at u1 = 1.025^4 (10%)
    # and u2 = 1.05^4 (20%) and positive at both 0% and 100%: only the grid finds the crossings.
    u1, u2 = Decimal("1.025") ** 4, Decimal("1.05") ** 4
    a = [flow(OCT_10, "100"), flow(date(2005, 10, 10), str(100 * u1 * u2))]
    b = [flow(date(2004, 10, 10), str(100 * (u1 + u2)))]
    got = break_even_discount_rate(a, b, OCT_10)
    assert got is not None and abs(got - 10) < Decimal("1e-9")


def test_break_even_is_none_when_one_side_is_worth_more_at_every_rate():
    a = [flow(OCT_10, "30"), flow(date(2004, 2, 1), "56.76")]
    b = [flow(date(2004, 2, 1), "56.76")]
    assert break_even_discount_rate(a, b, OCT_10) is None
    assert break_even_discount_rate(b, a, OCT_10) is None


def test_break_even_is_none_for_identical_flows():
    a = [flow(date(2004, 2, 1), "56.76")]
    assert break_even_discount_rate(a, list(a), OCT_10) is None


def test_break_even_outside_zero_to_one_hundred_percent_is_none():
    # 100 now against 100 x 1.5^4 in a year: even at 200% a year, outside the range.
    later = Decimal(100) * Decimal("1.5") ** 4
    assert break_even_discount_rate([flow(OCT_10, "100")], [flow(date(2004, 10, 10), str(later))], OCT_10) is None


@reproducible(40)
@given(principal=principals(), consummation=both_apply)
def test_at_the_break_even_rate_both_versions_are_worth_the_same_to_the_cent(seeded_terms, principal,
                                                                             consummation):
    holding = Holding(principal, consummation)
    a = version_outcome(seeded_terms["original"], holding).cash_flows()
    b = version_outcome(seeded_terms["september-2003"], holding).cash_flows()
    rate = break_even_discount_rate(a, b, consummation)
    # September's extra coupons win at 0%, the original fee and earlier principal at 100%.
    assert rate is not None and 0 < rate < 100
    gap = present_value(a, consummation, rate) - present_value(b, consummation, rate)
    assert abs(gap) < Decimal("0.005")


def test_the_worked_example_versions_break_even_inside_the_range(worked_example):
    # September's extra coupons win at 0% (2,603.20 against 2,235.79); at 100% a year the fee
    # paid now and the principal two years sooner win for the original terms.
    original, september = worked_example.versions
    a, b = original.cash_flows(), september.cash_flows()
    assert present_value(a, OCT_10, Decimal(100)) > present_value(b, OCT_10, Decimal(100))
    rate = break_even_discount_rate(a, b, OCT_10)
    assert rate is not None and 0 < rate < 100


# --- not tendering -------------------------------------------------------------------

def test_not_tendering_is_the_recovery_share_of_principal_and_interest_to_consummation(seeded_terms):
    # 40% of (1,000 + 534.4375) = 613.775, half up to the cent.
    old = seeded_terms["original"].old_notes
    assert not_tendering_value(Decimal(1000), old, OCT_10, Decimal(40)) == Decimal("613.78")
    assert not_tendering_value(Decimal(1000), old, OCT_10, Decimal(0)) == Decimal("0.00")


def test_not_tendering_claim_runs_to_consummation_even_when_accrual_for_the_exchange_stops_sooner(seeded_terms):
    # Rule 9: the claim is interest at the old rate to consummation, whatever the exchange capitalises.
    old = dataclasses.replace(seeded_terms["original"].old_notes, accrual_end=date(2003, 6, 30))
    assert not_tendering_value(Decimal(1000), old, OCT_10, Decimal(100)) == Decimal("1534.44")


# --- warrants ------------------------------------------------------------------------

def test_black_scholes_matches_the_textbook_value():
    # Hull, Options, Futures and Other Derivatives: S = K = 100, sigma 20%, r 5%, one year: 10.4506.
    value = black_scholes_call(Decimal(100), Decimal(100), Decimal(20), Decimal(5), date(2003, 1, 1),
                               date(2004, 1, 1))
    assert abs(value - Decimal("10.450583572185565")) < Decimal("1e-12")


def test_black_scholes_on_the_expiry_date_is_the_intrinsic_value():
    assert black_scholes_call(Decimal(5), Decimal("3.50"), Decimal(40), Decimal(4), OCT_10, OCT_10) == Decimal("1.50")
    assert black_scholes_call(Decimal(3), Decimal("3.50"), Decimal(40), Decimal(4), OCT_10, OCT_10) == 0


def test_black_scholes_after_expiry_is_zero():
    assert black_scholes_call(Decimal(5), Decimal("3.50"), Decimal(40), Decimal(4), OCT_10, date(2003, 10, 9)) == 0


@reproducible(100)
@given(
    share_price=st.decimals(min_value="0.01", max_value="100", places=2),
    exercise_price=st.decimals(min_value="0.01", max_value="50", places=2),
    volatility=st.decimals(min_value="0.01", max_value="1000", places=2),
    rate=st.decimals(min_value="0", max_value="1000", places=2),
    days=st.integers(min_value=0, max_value=20 * 365),
)
def test_warrant_value_lies_between_intrinsic_value_and_share_price(share_price, exercise_price, volatility,
                                                                    rate, days):
    value = black_scholes_call(share_price, exercise_price, volatility, rate, OCT_10, OCT_10 + timedelta(days=days))
    # Allowance for the last of 34 digits: the bounds are mathematically tight at the extremes.
    noise = Decimal("1e-25")
    assert max(share_price - exercise_price, Decimal(0)) - noise <= value <= share_price + noise


def test_whole_issue_warrant_shares_follow_from_the_spec(worked_example):
    # $27,412,000 + $14,650,000.75 accrued = 42,062,000 of New Notes (rounded down), 10 shares per $1,000.
    for v in worked_example.versions:
        assert issue_warrant_shares(v) == 420_620


def test_dilution_scales_the_warrant_value_by_n_over_n_plus_m(worked_example):
    september = worked_example.versions[1]
    plain = ValuationInputs(share_price=Decimal("2.00"), volatility=Decimal(60), risk_free_rate=Decimal(4))
    diluted = dataclasses.replace(plain, shares_outstanding=Decimal(4_000_000))
    undiluted_value = warrant_value_per_share(september, plain)
    diluted_value = warrant_value_per_share(september, diluted)
    assert undiluted_value is not None and diluted_value is not None
    expected = undiluted_value * Decimal(4_000_000) / Decimal(4_420_620)
    assert abs(diluted_value - expected) < Decimal("1e-25")


# --- per version, comparison, table, contract -----------------------------------------

def test_a_version_with_no_inputs_gets_no_figures(worked_example):
    valuation = value_version(worked_example.versions[0], ValuationInputs())
    assert valuation.slug == "original"
    assert (valuation.present_value, valuation.yield_to_maturity, valuation.warrant_value_per_share,
            valuation.warrant_value, valuation.total_value) == (None, None, None, None, None)


def test_warrant_figures_need_share_price_volatility_and_risk_free_rate(worked_example):
    inputs = ValuationInputs(discount_rate=Decimal(0), share_price=Decimal("5.00"), volatility=Decimal(40))
    valuation = value_version(worked_example.versions[1], inputs)
    assert valuation.present_value == Decimal("2603.20")
    assert valuation.warrant_intrinsic_value_per_share == Decimal("1.50")  # 5.00 - 3.50
    assert (valuation.warrant_value_per_share, valuation.warrant_value, valuation.total_value) == (None, None, None)


def test_total_value_is_present_value_plus_the_holdings_warrant_value(worked_example):
    inputs = ValuationInputs(discount_rate=Decimal(0), share_price=Decimal("5.00"), volatility=Decimal(40),
                             risk_free_rate=Decimal(4))
    valuation = value_version(worked_example.versions[1], inputs)
    assert valuation.warrant_value is not None and valuation.warrant_value_per_share is not None
    # 15 warrant shares times the per-share value as shown, to the cent: the two figures agree (issue 18).
    assert valuation.warrant_value == 15 * valuation.warrant_value_per_share
    assert valuation.total_value == Decimal("2603.20") + valuation.warrant_value


def test_deep_in_the_money_warrants_are_worth_at_least_their_intrinsic_value(worked_example):
    inputs = ValuationInputs(share_price=Decimal("20.00"), volatility=Decimal(30), risk_free_rate=Decimal(4))
    for v in worked_example.versions:
        valuation = value_version(v, inputs)
        assert valuation.warrant_value is not None
        assert valuation.warrant_value >= 15 * (Decimal("20.00") - Decimal("3.50"))


def test_an_unavailable_version_gets_no_figures(seeded_terms):
    early = outcome([seeded_terms["original"], seeded_terms["september-2003"]], Holding(Decimal(1000),
                                                                                        date(2003, 10, 1)))
    valuation = value_version(early.versions[1], ValuationInputs(discount_rate=Decimal(10), price=Decimal(90)))
    assert (valuation.present_value, valuation.yield_to_maturity) == (None, None)


def test_comparison_at_zero_without_warrant_inputs_compares_present_values(worked_example):
    inputs = ValuationInputs(discount_rate=Decimal(0), recovery=Decimal(40))
    valuations = [value_version(v, inputs) for v in worked_example.versions]
    comparison = compare_versions(worked_example, valuations, inputs)
    assert comparison.compared_on == "present_value"
    assert comparison.better_version == "september-2003"
    assert comparison.difference == Decimal("367.41")  # 2,603.20 - 2,235.79
    assert comparison.not_tendering_value == Decimal("613.78")
    assert comparison.break_even_versions == ("original", "september-2003")
    assert comparison.break_even_discount_rate is not None
    assert comparison.break_even_discount_rate == comparison.break_even_discount_rate.quantize(CENT)


def test_comparison_with_one_version_available_has_no_break_even_or_winner(seeded_terms):
    early = outcome([seeded_terms["original"], seeded_terms["september-2003"]], Holding(Decimal(1000),
                                                                                        date(2003, 10, 1)))
    inputs = ValuationInputs(discount_rate=Decimal(10))
    comparison = value_outcome(early, inputs).comparison
    assert comparison.break_even_discount_rate is None and comparison.better_version is None
    assert comparison.not_tendering_value == Decimal("0.00")  # no recovery given: 0%


def test_pv_table_has_a_row_every_five_percent_and_a_marked_break_even_row(worked_example):
    valuation = value_outcome(worked_example, ValuationInputs(discount_rate=Decimal(10)))
    rows = valuation.table
    plain = [row.rate_percent for row in rows if not row.break_even]
    assert plain == [Decimal(r) for r in range(5, 41, 5)]
    marked = [row for row in rows if row.break_even]
    assert len(marked) == 1
    assert marked[0].rate_percent == valuation.comparison.break_even_discount_rate
    first, second = marked[0].present_values
    assert first == second
    assert [row.rate_percent for row in rows] == sorted(row.rate_percent for row in rows)


def test_pv_table_leaves_unavailable_versions_empty(seeded_terms):
    early = outcome([seeded_terms["original"], seeded_terms["september-2003"]], Holding(Decimal(1000),
                                                                                        date(2003, 10, 1)))
    rows = pv_table(early.versions, [Decimal(0)])
    # Original terms at Oct 1, 2003: accrued 1,000 x 12.75% x 1500/360 = 531.25, so N = 1,531;
    # first coupon 1,531 x 11.5% x 120/360 = 58.688 -> 58.69, then 14 x 44.01625 -> 44.02, fee 30.00.
    assert rows[0].present_values == (Decimal("30.00") + Decimal("58.69") + 14 * Decimal("44.02") + 1531, None)


def test_contract_gets_valuation_and_comparison_as_strings(worked_example):
    inputs = ValuationInputs(discount_rate=Decimal(0), price=Decimal(100), recovery=Decimal(40))
    valuation = value_outcome(worked_example, inputs)
    contract = outcome_to_contract(worked_example)
    document = add_valuation_to_contract(contract, valuation.versions, valuation.comparison)
    assert "comparison" not in contract and "valuation" not in contract["versions"][0]
    september = document["versions"][1]["valuation"]
    assert september == {
        "present_value": "2603.20",
        "yield_to_maturity": september["yield_to_maturity"],
        "warrant_value_per_share": None,
        "warrant_value": None,
        "total_value": None,
    }
    assert september["yield_to_maturity"].count(".") == 1 and len(september["yield_to_maturity"].split(".")[1]) == 2
    assert document["comparison"]["better_version"] == "september-2003"
    assert document["comparison"]["not_tendering_value"] == "613.78"
    assert set(document["comparison"]) == {"break_even_discount_rate", "better_version", "not_tendering_value"}


# --- assumption inputs ---------------------------------------------------------------

@pytest.mark.parametrize(("field", "text"), [
    ("volatility", "-5"),
    ("volatility", "0"),
    ("price", "0"),
    ("price", "-10"),
    ("discount_rate", "1000.01"),
    ("discount_rate", "1,001%"),
    ("risk_free_rate", "5000"),
    ("recovery", "101"),
    ("discount_rate", "-1"),
    ("share_price", "0"),
    ("share_price", "-3.50"),
    ("shares_outstanding", "1.5"),
    ("discount_rate", "NaN"),
    ("volatility", "inf"),
    ("price", "1e2"),
    ("share_price", "Infinity"),
    ("discount_rate", "ten"),
    ("discount_rate", "1" * 60),
])
def test_bad_assumptions_get_an_error_naming_the_field_with_a_valid_example(field, text):
    with pytest.raises(InputError) as raised:
        parse_assumption(field, text)
    assert raised.value.field == field
    assert "such as" in raised.value.message


@pytest.mark.parametrize(("field", "text", "expected"), [
    ("discount_rate", "12.5%", "12.5"),
    ("discount_rate", "1,000", "1000"),
    ("discount_rate", "0", "0"),
    ("price", "95", "95"),
    ("recovery", "100", "100"),
    ("share_price", "$3.50", "3.50"),
    ("volatility", " 40 % ", "40"),
    ("shares_outstanding", "4,500,000", "4500000"),
])
def test_good_assumptions_are_read_in_percent_or_dollars(field, text, expected):
    assert parse_assumption(field, text) == Decimal(expected)


def test_blank_assumptions_are_not_given():
    inputs, errors = parse_valuation_inputs({"discount_rate": "", "price": "  "})
    assert errors == {} and inputs == ValuationInputs() and not inputs.given


def test_every_bad_assumption_is_reported_at_once():
    inputs, errors = parse_valuation_inputs({"volatility": "-5", "price": "0", "discount_rate": "12"})
    assert set(errors) == {"volatility", "price"}
    assert inputs.discount_rate == Decimal(12) and inputs.given
