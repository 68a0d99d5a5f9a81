"""Spec, "Figures for machines", and every accepted input bounded (issue 11).

Property tests at 10,000 generated cases each: the JSON identity on the strings, and no
accepted valuation input that raises. Figures for people: tests/web/test_figures_for_people.py.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offers.core.contract import outcome_to_contract
from offers.core.inputs import InputError
from offers.core.outcome import Holding, accrued_interest_exact, version_outcome
from offers.core.terms import ROUND_DOWN_FRACTIONS
from offers.core.valuation import ValuationInputs, parse_assumption, value_outcome, value_version
from offers.core.versions import outcome

from .strategies import reproducible, seeded_variant_and_holding, terms_and_holding

TWO_PLACES = re.compile(r"-?\d+\.\d{2}")
AT_MOST_TEN_PLACES = re.compile(r"-?\d+\.\d{2,10}")
MONEY_KEYS = {("old_notes", "principal"), ("new_notes", "principal"), ("new_notes", "cash_in_lieu"),
              ("principal_repayment", "amount"), ("warrants", "exercise_price"), ("warrants", "exercise_cost"),
              ("totals", "interest"), ("totals", "participation_fee"), ("totals", "cash")}


@reproducible(10_000)
@given(seeded_variant_and_holding())
def test_the_json_strings_keep_principal_plus_accrued_equal_to_new_principal_plus_forgone(case):
    _check_machine_figures(*case)


@reproducible(500)
@given(terms_and_holding())
def test_the_json_identity_holds_for_any_terms_the_format_allows(case):
    _check_machine_figures(*case)


def _check_machine_figures(terms, holding):
    document = outcome_to_contract(outcome([terms], holding))
    version = document["versions"][0]
    if not version["available"]:
        return
    old, new = version["old_notes"], version["new_notes"]
    assert AT_MOST_TEN_PLACES.fullmatch(old["accrued_interest"]), old["accrued_interest"]
    assert AT_MOST_TEN_PLACES.fullmatch(new["forgone"]), new["forgone"]
    for group, key in MONEY_KEYS:
        assert TWO_PLACES.fullmatch(version[group][key]), (group, key, version[group][key])
    for item in version["coupons"] + version["participation_fee"]:
        assert TWO_PLACES.fullmatch(item["amount"]), item
    principal, accrued = Decimal(old["principal"]), Decimal(old["accrued_interest"])
    if terms.new_notes.fractions == ROUND_DOWN_FRACTIONS:
        assert principal + accrued == Decimal(new["principal"]) + Decimal(new["forgone"])
    else:
        assert Decimal(new["forgone"]) == 0
        exact = Fraction(holding.principal) + accrued_interest_exact(terms, holding) - Fraction(new["principal"])
        assert abs(Fraction(new["cash_in_lieu"]) - exact) <= Fraction(1, 200)


def test_the_accrued_interest_at_dec_18_2003_is_rounded_to_ten_places_for_machines(seeded_terms):
    # 1,000 x 12.75% x 1,577/360 = 558 25/48 = 558.52083333...
    holding = Holding(Decimal(1000), date(2003, 12, 18))
    version = outcome_to_contract(outcome([seeded_terms["september-2003"]], holding))["versions"][0]
    assert version["old_notes"]["accrued_interest"] == "558.5208333333"
    assert version["new_notes"]["forgone"] == "0.5208333333"
    assert version["new_notes"]["principal"] == "1558.00"
    assert version["old_notes"]["principal"] == "1000.00"


def test_the_release_figure_is_written_exactly(seeded_terms):
    holding = Holding(Decimal(1000), date(2003, 10, 10))
    version = outcome_to_contract(outcome([seeded_terms["september-2003"]], holding))["versions"][0]
    assert version["old_notes"]["accrued_interest"] == "534.4375"
    assert version["new_notes"]["forgone"] == "0.4375"
    assert version["coupons"][1]["amount"] == "46.02"


# Every accepted valuation input, from its lowest to its highest value, and beyond them a refusal. Percentages
# have at most 2 decimal places and the share price whole cents, as the pages show them (issue 18).
BOUNDS = {
    "discount_rate": (Decimal(0), Decimal(1000)),
    "price": (Decimal("0.01"), Decimal(1000)),
    "recovery": (Decimal(0), Decimal(100)),
    "share_price": (Decimal("0.01"), Decimal(1_000_000)),
    "volatility": (Decimal("0.01"), Decimal(1000)),
    "risk_free_rate": (Decimal(0), Decimal(1000)),
    "shares_outstanding": (Decimal(1), Decimal(10_000_000_000)),
}


def _accepted(field: str) -> st.SearchStrategy[Decimal]:
    low, high = BOUNDS[field]
    places = 0 if field == "shares_outstanding" else 2
    edges = st.sampled_from([low, high])
    return st.one_of(edges, st.decimals(min_value=low, max_value=high, places=places, allow_nan=False))


@st.composite
def valuation_inputs(draw: st.DrawFn) -> ValuationInputs:
    values = {field: draw(st.one_of(st.none(), _accepted(field))) for field in BOUNDS}
    return ValuationInputs(**values)


@reproducible(10_000)
@given(case=seeded_variant_and_holding(), inputs=valuation_inputs())
def test_no_accepted_valuation_input_raises(case, inputs):
    terms, holding = case
    valued = value_version(version_outcome(terms, holding), inputs)
    assert valued.slug == terms.slug


@reproducible(300)
@given(case=terms_and_holding(), inputs=valuation_inputs())
def test_no_accepted_valuation_input_raises_on_a_whole_page_of_any_terms(seeded_terms, case, inputs):
    terms, holding = case
    valuation = value_outcome(outcome([seeded_terms["original"], terms], holding), inputs)
    assert len(valuation.versions) == 2


@pytest.mark.parametrize("field", sorted(BOUNDS))
def test_each_bound_is_accepted_and_a_step_past_it_is_refused_with_both_bounds_named(field):
    low, high = BOUNDS[field]
    for value in (low, high):
        assert parse_assumption(field, f"{value:f}") == value
    step = Decimal(1) if field == "shares_outstanding" else Decimal("0.01")
    with pytest.raises(InputError) as refused:
        parse_assumption(field, f"{high + step:f}")
    assert refused.value.field == field
    assert refused.value.message.startswith("must be ")
    assert f"{high:,}" in refused.value.message and "such as" in refused.value.message


def test_a_share_price_of_twenty_seven_nines_is_refused_not_a_crash():
    with pytest.raises(InputError) as refused:
        parse_assumption("share_price", "9" * 27)
    assert refused.value.message == "must be from $0.01 to $1,000,000 a share, such as 2.50."


def test_a_huge_accepted_share_price_with_volatility_and_rate_still_values(seeded_terms):
    holding = Holding(Decimal(27_412_000), date(2003, 10, 10))
    inputs = ValuationInputs(share_price=Decimal(1_000_000), volatility=Decimal(1000), risk_free_rate=Decimal(1000),
                             shares_outstanding=Decimal(1), discount_rate=Decimal(0), price=Decimal("0.01"))
    valuation = value_outcome(outcome(seeded_terms.values(), holding), inputs)
    assert all(v.total_value is not None for v in valuation.versions)

