"""Rules 11-13: versions over time, what changed, and the break-even rate (worked examples).

Expected values are typed from the press release of September 18, 2003 and the spec,
never computed with the code under test.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal

import pytest
import QuantLib as ql

from offers.core.outcome import Holding, version_outcome
from offers.core.termsfile import load_terms_file, terms_to_dict
from offers.core.versions import (
    changes,
    consummation_dates,
    in_announcement_order,
    links,
    outcome,
    version_in_force,
)

SEPTEMBER = "September 2003 amendment"


@pytest.mark.parametrize(
    ("day", "in_force", "applies_from"),
    [
        (date(2003, 9, 17), "original", "Sep 30, 2003"),  # the amendment is announced the next day
        (date(2003, 9, 18), "september-2003", "Oct 7, 2003"),  # announced that day: it replaces the original
        (date(2003, 10, 1), "september-2003", "Oct 7, 2003"),  # the original would apply, but it is replaced
        (date(2003, 10, 7), "september-2003", None),  # the amended offer expires: it applies from this day
        (date(2003, 10, 10), "september-2003", None),  # the expected consummation
    ],
)
def test_the_version_in_force_on_each_date(seeded_terms, day, in_force, applies_from):
    result = outcome(seeded_terms.values(), Holding(Decimal(1000), day))
    assert result.in_force.slug == in_force
    if applies_from is None:
        assert result.in_force.available
    else:
        assert not result.in_force.available
        assert "applies from that day on" in result.in_force.unavailable_reason
        assert applies_from in result.in_force.unavailable_reason


def test_on_oct_1_the_replaced_terms_are_shown_but_not_in_force(seeded_terms):
    result = outcome(seeded_terms.values(), Holding(Decimal(1000), date(2003, 10, 1)))
    original = result.versions[0]
    assert original.slug == "original" and original.available  # its offer expired Sep 30
    assert result.in_force.slug == "september-2003"
    assert result.superseded_by(original).slug == "september-2003"
    assert result.break_even_discount_rate is None  # the version in force does not apply yet


def test_versions_are_ordered_by_announcement_whatever_order_they_come_in(seeded_terms):
    for given in (list(seeded_terms.values()), list(reversed(seeded_terms.values()))):
        assert [t.slug for t in in_announcement_order(given)] == ["original", "september-2003"]


def test_ties_on_the_announcement_date_go_by_name(seeded_terms):
    september = seeded_terms["september-2003"]
    b = dataclasses.replace(september, slug="b", name="B terms")
    a = dataclasses.replace(september, slug="a", name="A terms")
    assert [t.slug for t in in_announcement_order([b, seeded_terms["original"], a])] == ["original", "a", "b"]


def test_no_version_is_in_force_before_the_first_is_announced(seeded_terms):
    dated = dataclasses.replace(seeded_terms["original"], announced=date(2003, 6, 1))
    assert version_in_force([dated], date(2003, 5, 31)) is None
    assert version_in_force([dated], date(2003, 6, 1)) is dated


def test_the_september_amendment_changed_exactly_the_release_items_and_the_expiration(seeded_terms):
    found = {c.field: (c.before, c.after) for c in changes(seeded_terms["original"], seeded_terms["september-2003"])}
    assert found == {
        # 1. "increased to 12% from 11 1/2%"
        "new_notes.rate_percent": ("11.5", "12"),
        # 2. "extended to August 1, 2009; previously ... August 1, 2007"
        "new_notes.maturity": ("2007-08-01", "2009-08-01"),
        # 3. warrants expire "August 1, 2009, from August 1, 2007"; exercisable and detachable
        #    "August 1, 2005, from January 1, 2004"
        "warrants.expires": ("2007-08-01", "2009-08-01"),
        "warrants.detachable_from": ("2004-01-01", "2005-08-01"),
        "warrants.exercisable_from": ("2004-01-01", "2005-08-01"),
        # 4. "The participation fee has been eliminated; ... 3% of the principal amount of Old Notes"
        "participation_fee": ({"basis": "old_principal", "percent": "3", "per_1000": None,
                               "paid_on": ["consummation"]}, None),
        # "extended the expiration date ... from September 30, 2003, to 5:00 p.m. ... on October 7, 2003"
        "expires_at": ("2003-09-30T17:00:00-04:00", "2003-10-07T17:00:00-04:00"),
    }


def test_changes_have_plain_english_labels(seeded_terms):
    labels = {c.field: c.label for c in changes(seeded_terms["original"], seeded_terms["september-2003"])}
    assert labels["new_notes.rate_percent"] == "New Notes interest rate"
    assert labels["participation_fee"] == "Participation fee"
    assert labels["expires_at"] == "Offer expires"
    assert all(label and "_" not in label for label in labels.values())


def test_identity_fields_are_never_changes(seeded_terms):
    renamed = dataclasses.replace(seeded_terms["september-2003"], slug="x", name="X", source="Y",
                                  announced=date(2004, 1, 1))
    assert changes(seeded_terms["september-2003"], renamed) == ()


def test_a_member_of_a_fee_present_in_both_is_its_own_change(seeded_terms):
    original = seeded_terms["original"]
    fee = dataclasses.replace(original.participation_fee, percent=Decimal(2))
    cheaper = dataclasses.replace(original, participation_fee=fee)
    assert [(c.field, c.before, c.after) for c in changes(original, cheaper)] == [
        ("participation_fee.percent", "3", "2")]


@pytest.fixture
def three_files(tmp_path, seeded_terms):
    """Three terms files, as staff would import them: the seeds and a later (made-up) amendment."""
    later = terms_to_dict(seeded_terms["september-2003"]) | {
        "slug": "december-2003", "name": "December 2003 amendment", "announced": "2003-12-01",
        "expires_at": "2003-12-15T17:00:00-05:00", "expected_consummation": "2003-12-18"}
    later["new_notes"] = later["new_notes"] | {"rate_percent": "12.5"}
    paths = []
    for name, data in (("a.json", terms_to_dict(seeded_terms["original"])), ("c.json", later),
                       ("b.json", terms_to_dict(seeded_terms["september-2003"]))):
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        paths.append(path)
    return [load_terms_file(path) for path in paths]


def test_three_versions_form_a_chain(three_files):
    ordered = in_announcement_order(three_files)
    assert [t.slug for t in ordered] == ["original", "september-2003", "december-2003"]
    chain = links(ordered)
    assert [(link.supersedes and link.supersedes.slug, link.superseded_by and link.superseded_by.slug)
            for link in chain] == [(None, "september-2003"), ("original", "december-2003"),
                                   ("september-2003", None)]
    assert chain[0].changes == ()
    assert {(c.field, c.before, c.after) for c in chain[2].changes} == {
        ("new_notes.rate_percent", "12", "12.5"),
        ("expires_at", "2003-10-07T17:00:00-04:00", "2003-12-15T17:00:00-05:00"),
        ("expected_consummation", "2003-10-10", "2003-12-18"),
    }


@pytest.mark.parametrize(("day", "in_force", "replaced"), [
    (date(2003, 11, 30), "september-2003", "original"),
    (date(2003, 12, 1), "december-2003", "september-2003"),
    (date(2003, 12, 18), "december-2003", "september-2003"),
])
def test_three_versions_in_force_and_replaced(three_files, day, in_force, replaced):
    result = outcome(three_files, Holding(Decimal(1000), day))
    assert (result.in_force.slug, result.replaced.slug) == (in_force, replaced)


# --- rule 13: break-even against QuantLib -------------------------------------------------

THIRTY_360 = ql.Thirty360(ql.Thirty360.BondBasis)


def _ql_date(day: date) -> ql.Date:
    return ql.Date(day.day, day.month, day.year)


def _ql_npv(flows, rate: float, on: date) -> float:
    leg = ql.Leg([ql.SimpleCashFlow(float(flow.amount), _ql_date(flow.paid_on)) for flow in flows])
    interest = ql.InterestRate(rate, THIRTY_360, ql.Compounded, ql.Quarterly)
    return ql.CashFlows.npv(leg, interest, True, _ql_date(on), _ql_date(on))


@pytest.mark.parametrize("principal", [Decimal(1000), Decimal(100000), Decimal(27412000)])
def test_break_even_agrees_with_quantlib_to_the_basis_point(seeded_terms, principal):
    holding = Holding(principal, date(2003, 10, 10))
    result = outcome(seeded_terms.values(), holding)
    a = version_outcome(seeded_terms["original"], holding).cash_flows()
    b = version_outcome(seeded_terms["september-2003"], holding).cash_flows()
    quantlib = ql.Brent().solve(lambda y: _ql_npv(b, y, holding.consummation) - _ql_npv(a, y, holding.consummation),
                                1e-12, 0.1, 0.0, 1.0) * 100
    assert result.break_even_discount_rate == Decimal(f"{quantlib:.2f}")
    assert abs(result.break_even_unrounded - Decimal(repr(quantlib))) < Decimal("0.0001")


def test_below_the_break_even_the_amendment_is_worth_more(seeded_terms):
    result = outcome(seeded_terms.values(), Holding(Decimal(1000), date(2003, 10, 10)))
    assert result.better_below_break_even.slug == "september-2003"  # 2,603.20 in all against 2,235.79


def test_the_consummation_dates_worth_showing_start_when_the_version_in_force_applies(seeded_terms):
    days = consummation_dates(seeded_terms.values(), date(2003, 10, 10))
    assert days[0] == date(2003, 10, 7)  # before it, the amendment in force does not apply yet
    assert date(2003, 9, 30) not in days  # only the replaced terms would apply then
    assert {date(2003, 11, 1), date(2004, 2, 1), date(2003, 10, 10)} <= set(days)


# --- pure means pure ----------------------------------------------------------------------


def test_equal_terms_written_differently_give_each_caller_its_own_figures(seeded_terms):
    # 12.75 and 12.750000 are equal (and hash alike), so a cache keyed by equal terms may be shared;
    # what it hands back must not carry the first caller's numbers into the second caller's figures.
    from offers.core.outcome import _schedule

    plain = seeded_terms["september-2003"]
    padded = dataclasses.replace(plain, old_notes=dataclasses.replace(plain.old_notes,
                                                                     rate_percent=Decimal("12.750000")))
    holding = Holding(Decimal(1000), date(2003, 10, 10))
    seen = []
    for first, second in ((plain, padded), (padded, plain)):
        _schedule.cache_clear()
        results = {t.old_notes.rate_percent.as_tuple(): version_outcome(t, holding) for t in (first, second)}
        seen.append({key: (str(v.accrued_interest), v.terms) for key, v in results.items()})
    assert seen[0] == seen[1]  # whatever the order of the calls
    assert seen[0][plain.old_notes.rate_percent.as_tuple()] == ("534.4375", plain)
    assert seen[0][padded.old_notes.rate_percent.as_tuple()][1] is padded
