"""outcome_to_contract: the spec's JSON contract (version 2.1), keys and types written out by hand from the spec."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from offers.core.contract import outcome_to_contract
from offers.core.outcome import Holding
from offers.core.versions import outcome

# From the spec's "Machine-readable outcome (the JSON contract)", its version 2 (rules 11-13) and 2.1.
TOP_KEYS = {"inputs", "versions", "in_force", "break_even_discount_rate", "earliest_consummation"}
INPUT_KEYS = {"principal", "consummation"}
VERSION_KEYS = {"slug", "name", "available", "unavailable_reason", "expires_at", "old_notes", "new_notes", "coupons",
                "principal_repayment", "participation_fee", "warrants", "totals",
                "supersedes", "superseded_by", "changes"}
CHANGE_KEYS = {"field", "label", "from", "to"}
OLD_NOTES_KEYS = {"principal", "accrual_days", "accrued_interest"}
NEW_NOTES_KEYS = {"principal", "cash_in_lieu", "forgone", "rate_percent", "maturity"}
COUPON_KEYS = {"period_start", "period_end", "paid_on", "days", "amount"}
PRINCIPAL_REPAYMENT_KEYS = {"date", "amount"}
FEE_KEYS = {"paid_on", "amount"}
WARRANT_KEYS = {"shares", "exercise_price", "exercise_cost", "detachable_from", "exercisable_from", "expires"}
TOTALS_KEYS = {"interest", "participation_fee", "cash"}


def is_decimal_string(value) -> bool:
    return isinstance(value, str) and Decimal(value).is_finite()


def is_iso_date(value) -> bool:
    return isinstance(value, str) and date.fromisoformat(value).isoformat() == value


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@pytest.fixture
def worked_example_contract(seeded_terms, worked_example_holding):
    versions = [seeded_terms["original"], seeded_terms["september-2003"]]
    return outcome_to_contract(outcome(versions, worked_example_holding))


def test_the_contract_has_the_specs_keys(worked_example_contract):
    doc = worked_example_contract
    assert set(doc) == TOP_KEYS
    assert set(doc["inputs"]) == INPUT_KEYS
    assert [v["slug"] for v in doc["versions"]] == ["original", "september-2003"]
    for version in doc["versions"]:
        assert set(version) == VERSION_KEYS
        assert set(version["old_notes"]) == OLD_NOTES_KEYS
        assert set(version["new_notes"]) == NEW_NOTES_KEYS
        assert version["coupons"] and all(set(c) == COUPON_KEYS for c in version["coupons"])
        assert set(version["principal_repayment"]) == PRINCIPAL_REPAYMENT_KEYS
        assert all(set(p) == FEE_KEYS for p in version["participation_fee"])
        assert set(version["warrants"]) == WARRANT_KEYS
        assert set(version["totals"]) == TOTALS_KEYS


def test_the_contract_writes_money_as_strings_dates_iso_and_counts_as_ints(worked_example_contract):
    doc = worked_example_contract
    assert is_decimal_string(doc["inputs"]["principal"])
    assert is_iso_date(doc["inputs"]["consummation"])
    for v in doc["versions"]:
        assert isinstance(v["slug"], str) and isinstance(v["name"], str)
        assert v["available"] is True and v["unavailable_reason"] is None
        assert is_decimal_string(v["old_notes"]["principal"])
        assert is_int(v["old_notes"]["accrual_days"])
        assert is_decimal_string(v["old_notes"]["accrued_interest"])
        for key in ("principal", "cash_in_lieu", "forgone", "rate_percent"):
            assert is_decimal_string(v["new_notes"][key]), key
        assert is_iso_date(v["new_notes"]["maturity"])
        for c in v["coupons"]:
            assert all(is_iso_date(c[k]) for k in ("period_start", "period_end", "paid_on"))
            assert is_int(c["days"]) and is_decimal_string(c["amount"])
        assert is_iso_date(v["principal_repayment"]["date"])
        assert is_decimal_string(v["principal_repayment"]["amount"])
        for p in v["participation_fee"]:
            assert is_iso_date(p["paid_on"]) and is_decimal_string(p["amount"])
        w = v["warrants"]
        assert is_int(w["shares"])
        assert is_decimal_string(w["exercise_price"]) and is_decimal_string(w["exercise_cost"])
        assert all(is_iso_date(w[k]) for k in ("detachable_from", "exercisable_from", "expires"))
        assert all(is_decimal_string(v["totals"][k]) for k in TOTALS_KEYS)


def test_the_contract_carries_the_worked_example_figures(worked_example_contract):
    original, september = worked_example_contract["versions"]
    assert worked_example_contract["inputs"] == {"principal": "1000.00", "consummation": "2003-10-10"}
    for v in (original, september):
        assert v["old_notes"] == {"principal": "1000.00", "accrual_days": 1509, "accrued_interest": "534.4375"}
        assert v["new_notes"]["principal"] == "1534.00" and v["new_notes"]["forgone"] == "0.4375"
        assert Decimal(v["new_notes"]["principal"]) == 1534
        assert Decimal(v["new_notes"]["forgone"]) == Decimal("0.4375")
        assert v["warrants"]["shares"] == 15 and Decimal(v["warrants"]["exercise_cost"]) == Decimal("52.50")
    assert original["coupons"][0] == {"period_start": "2003-10-10", "period_end": "2004-02-01",
                                      "paid_on": "2004-02-01", "days": 111, "amount": "54.39"}
    assert september["coupons"][0]["amount"] == "56.76"
    assert original["participation_fee"] == [{"paid_on": "2003-10-10", "amount": "30.00"}]
    assert september["participation_fee"] == []
    assert original["principal_repayment"] == {"date": "2007-08-01", "amount": "1534.00"}
    # totals.cash = interest + participation fee + cash in lieu + principal repaid (see test_worked_examples)
    assert original["totals"] == {"interest": "671.79", "participation_fee": "30.00", "cash": "2235.79"}
    assert Decimal(september["totals"]["cash"]) == Decimal("2603.20")


def test_the_contract_is_json(worked_example_contract):
    assert json.loads(json.dumps(worked_example_contract)) == worked_example_contract


def test_an_unavailable_version_keeps_the_keys_and_says_why(seeded_terms):
    # Oct 1, 2003: original applies (expired Sep 30), september-2003 does not (expires Oct 7)
    versions = [seeded_terms["original"], seeded_terms["september-2003"]]
    doc = outcome_to_contract(outcome(versions, Holding(Decimal(1000), date(2003, 10, 1))))
    original, september = doc["versions"]
    assert set(september) == VERSION_KEYS
    assert september["available"] is False
    assert "Oct 7, 2003" in september["unavailable_reason"]
    assert september["coupons"] == [] and september["participation_fee"] == []
    assert original["available"] is True and set(original["old_notes"]) == OLD_NOTES_KEYS
    json.dumps(doc)


def test_version_2_says_which_version_is_in_force_and_what_it_replaced(worked_example_contract):
    doc = worked_example_contract
    assert doc["in_force"] == "september-2003"
    assert doc["break_even_discount_rate"] == "11.62"  # QuantLib agrees: tests/core/test_versions.py
    original, september = doc["versions"]
    assert (original["supersedes"], original["superseded_by"]) == (None, "september-2003")
    assert (september["supersedes"], september["superseded_by"]) == ("original", None)
    assert original["changes"] == []
    assert all(set(change) == CHANGE_KEYS for change in september["changes"])
    by_field = {change["field"]: change for change in september["changes"]}
    assert by_field["new_notes.rate_percent"] == {"field": "new_notes.rate_percent", "label": "New Notes interest rate",
                                                 "from": "11.5", "to": "12"}
    assert by_field["participation_fee"]["to"] is None


def test_before_the_amendment_the_original_terms_are_in_force_with_no_break_even(seeded_terms):
    versions = [seeded_terms["september-2003"], seeded_terms["original"]]  # any order in, announcement order out
    doc = outcome_to_contract(outcome(versions, Holding(Decimal(1000), date(2003, 9, 17))))
    assert doc["in_force"] == "original"
    assert doc["break_even_discount_rate"] is None
    assert [v["slug"] for v in doc["versions"]] == ["original", "september-2003"]
