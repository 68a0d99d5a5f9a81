"""Property: any change to any field of a version that holders can see is listed on the confirmation page.

The comparison (offers.holder_effect.compare) is run on the two seeded versions, before and after one field
of one of them (or of the Old Notes they share) takes another valid value. Valid means the core's own term
rules accept it (offers.core.validation.validate_terms), as the admin and the terms files do. The only field
left out is ``source``: it names the document the terms come from and holders never see it; and
``warrants.fractions``, which has one possible value.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from offers.core.terms import OfferTerms, ParticipationFeeTerms
from offers.core.termsfile import seed_terms
from offers.core.validation import validate_terms
from offers.core.versions import in_announcement_order
from offers.holder_effect import State, compare
from offers.services import Report

NEW_YORK = ZoneInfo("America/New_York")
SEED = seed_terms()
SLUGS = ("original", "september-2003")


def report(outstanding: Decimal) -> Report:
    """The seeded tender report (27,209,000 tendered as of Sep 18, 2003), as the holder pages read it: no database
    needed."""
    return Report(as_of=date(2003, 9, 18), amount_tendered=Decimal(27209000), outstanding=outstanding)


def state(terms: list[OfferTerms]) -> State:
    outstanding = terms[0].old_notes.outstanding
    return State(in_announcement_order(terms), report(outstanding), outstanding)


def days_around(anchor: date, before: int, after: int) -> st.SearchStrategy[date]:
    return st.integers(-before, after).map(lambda n: anchor + timedelta(days=n))


def decimals(low: str, high: str, step: str) -> st.SearchStrategy[Decimal]:
    lo, hi, inc = Decimal(low), Decimal(high), Decimal(step)
    return st.integers(0, int((hi - lo) / inc)).map(lambda n: lo + n * inc)


def replace(terms: OfferTerms, path: str, value: object) -> OfferTerms:
    """``terms`` with the field at ``path`` (the terms file's dotted path) set to ``value``."""
    if "." not in path:
        return dataclasses.replace(terms, **{path: value})
    group, field = path.split(".")
    return dataclasses.replace(terms, **{group: dataclasses.replace(getattr(terms, group), **{field: value})})


def fee(percent: Decimal) -> ParticipationFeeTerms:
    return ParticipationFeeTerms(basis="old_principal", percent=percent, per_1000=None, paid_on=(None,))


def version_fields(terms: OfferTerms) -> dict[str, st.SearchStrategy]:
    """Every holder-visible field of a version, each with a strategy for another value near the current one."""
    expiry = terms.expires_at.astimezone(NEW_YORK)
    return {
        "name": st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghij0123456789", min_size=1, max_size=30).map(str.strip)
        .filter(bool),
        "slug": st.from_regex(r"[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,5}){0,2}", fullmatch=True),
        "announced": days_around(date(2003, 9, 18), 60, 60),
        "expires_at": st.tuples(days_around(expiry.date(), 10, 10), st.sampled_from([time(17), time(12), time(23, 59)]))
        .map(lambda dt: datetime.combine(dt[0], dt[1], NEW_YORK)),
        "expected_consummation": days_around(terms.expected_consummation, 10, 40),
        "minimum_tender_percent": decimals("50", "100", "0.5"),
        "old_notes.accrual_end": st.none() | days_around(date(2003, 10, 1), 200, 30),
        "new_notes.rate_percent": decimals("5", "20", "0.125"),
        "new_notes.interest_from": st.none() | days_around(date(2003, 10, 10), 30, 30),
        "new_notes.first_payment": st.none() | days_around(date(2004, 2, 1), 0, 200),
        "new_notes.payment_months": st.sampled_from([(2, 5, 8, 11), (2, 8), (1, 4, 7, 10), (3, 6, 9, 12), (5, 11)]),
        "new_notes.payment_day": st.integers(1, 28),
        "new_notes.maturity": st.integers(2006, 2012).flatmap(
            lambda year: st.sampled_from([date(year, m, 1) for m in (2, 5, 8, 11)])),
        "new_notes.day_count": st.sampled_from(["30/360", "30E/360", "ACT/360", "ACT/365F", "ACT/ACT-ISDA"]),
        "new_notes.increment": st.sampled_from([Decimal(1), Decimal(10), Decimal(100), Decimal(1000)]),
        "new_notes.fractions": st.sampled_from(["round_down", "cash_in_lieu"]),
        "participation_fee": st.none() | decimals("0.5", "5", "0.5").map(fee),
        "warrants.shares_per_1000": decimals("1", "20", "0.5"),
        "warrants.exercise_price": decimals("0.5", "10", "0.25"),
        "warrants.detachable_from": days_around(terms.warrants.detachable_from, 400, 200),
        "warrants.exercisable_from": days_around(terms.warrants.exercisable_from, 400, 200),
        "warrants.expires": days_around(terms.warrants.expires, 400, 100),
        "warrants.may_expire_after_maturity": st.booleans(),
    }


FIELDS = sorted(version_fields(SEED["original"]))


@st.composite
def one_change(draw) -> tuple[str, str, object]:
    slug = draw(st.sampled_from(SLUGS))
    field = draw(st.sampled_from(FIELDS))
    value = draw(version_fields(SEED[slug])[field])
    return slug, field, value


@given(one_change())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
def test_any_change_to_a_holder_visible_field_of_a_version_is_listed(change):
    slug, field, value = change
    before = dict(SEED)
    changed = replace(before[slug], field, value)
    assume(changed != before[slug])
    assume(not validate_terms(changed))
    other = next(s for s in SLUGS if s != slug)
    assume(field != "slug" or value != other)  # two versions cannot share a slug
    assume(field != "name" or value.lower() != before[other].name.lower())
    effect = compare(state(list(before.values())), state([changed, before[other]]))
    assert effect.changed, (slug, field, value)
    assert effect.lines() != ["Nothing holders see changes."]


OLD_NOTES_FIELDS = {
    "rate_percent": decimals("5", "20", "0.125"),
    "accrual_start": days_around(date(1999, 8, 1), 300, 300),
    "day_count": st.sampled_from(["30/360", "30E/360", "ACT/360", "ACT/365F", "ACT/ACT-ISDA"]),
    "outstanding": st.integers(1_000, 60_000_000).map(Decimal),
}


@given(st.sampled_from(sorted(OLD_NOTES_FIELDS)).flatmap(lambda f: st.tuples(st.just(f), OLD_NOTES_FIELDS[f])))
@settings(max_examples=60, deadline=None)
def test_any_change_to_the_old_notes_is_listed(change):
    field, value = change
    versions = list(SEED.values())
    changed = [dataclasses.replace(t, old_notes=dataclasses.replace(t.old_notes, **{field: value})) for t in versions]
    assume(changed != versions)
    assume(not any(validate_terms(t) for t in changed))
    assert compare(state(versions), state(changed)).changed, (field, value)


def test_no_change_is_said_as_nothing():
    versions = list(SEED.values())
    effect = compare(state(versions), state(versions))
    assert not effect.changed
    assert effect.lines() == ["Nothing holders see changes."]


@pytest.mark.parametrize("field, value, expected", [
    ("warrants.exercise_price", Decimal("4.50"), "Warrant exercise price: $3.50 \u2192 $4.50 a share"),
    ("expires_at", datetime(2003, 10, 8, 17, tzinfo=NEW_YORK),
     "Deadline: Tuesday, Oct 7 \u2192 Wednesday, Oct 8, 2003, 5:00 p.m. New York time"),
])
def test_the_septembers_deadline_and_exercise_price_in_words(field, value, expected):
    versions = list(SEED.values())
    changed = [replace(t, field, value) if t.slug == "september-2003" else t for t in versions]
    effect = compare(state(versions), state(changed))
    [group] = [g for g in effect.groups if g.subject == "September 2003 amendment"]
    assert expected in [line.text for line in group.lines]


def test_a_figure_that_differs_by_holding_is_said_for_one_and_counted_in_the_plain_text():
    # 15 shares on $1,000 (1,534 x 10 / 1,000, rounded down): $52.50 at $3.50, $67.50 at $4.50.
    versions = list(SEED.values())
    changed = [replace(t, "warrants.exercise_price", Decimal("4.50")) if t.slug == "september-2003" else t
               for t in versions]
    lines = compare(state(versions), state(changed)).lines()
    [cost] = [line for line in lines if line.startswith("September 2003 amendment: Warrant exercise cost:")]
    assert cost.startswith("September 2003 amendment: Warrant exercise cost: $52.50 \u2192 $67.50 (for $1,000 on "
                           "Oct 7, 2003; it differs by holding and date, ")
