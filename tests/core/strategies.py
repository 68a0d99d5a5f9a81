"""Hypothesis settings and strategies shared by the property-based core tests.

Every property test is derandomized (the same examples on every run, so CI is
reproducible), keeps no example database and has no deadline: a slow machine
must never fail a test.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from hypothesis import HealthCheck, assume, settings
from hypothesis import strategies as st

from offers.core.daycount import DAY_COUNTS
from offers.core.outcome import Holding
from offers.core.terms import (
    BASIS_NEW_PRINCIPAL,
    BASIS_OLD_PRINCIPAL,
    CASH_IN_LIEU,
    ROUND_DOWN_FRACTIONS,
    OfferTerms,
    ParticipationFeeTerms,
)
from offers.core.termsfile import seed_terms
from offers.core.validation import validate_terms

NEW_YORK_EDT = timezone(timedelta(hours=-4))


def reproducible(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def special_dates(min_year: int, max_year: int) -> st.SearchStrategy[date]:
    """Dates the 30/360 rules treat specially: 1st, 28th-31st, Feb 28 and 29."""

    @st.composite
    def build(draw: st.DrawFn) -> date:
        year = draw(st.integers(min_year, max_year))
        month = draw(st.integers(1, 12))
        last = monthrange(year, month)[1]
        day = draw(st.sampled_from([1, 28, 29, 30, 31, last]))
        return date(year, month, min(day, last))

    return build()


def any_dates(min_year: int = 1950, max_year: int = 2100) -> st.SearchStrategy[date]:
    return st.one_of(st.dates(date(min_year, 1, 1), date(max_year, 12, 31)), special_dates(min_year, max_year))


def decimals(low: int, high: int, places: int) -> st.SearchStrategy[Decimal]:
    """Decimals from ``low`` to ``high`` with ``places`` decimals, built exactly (no float)."""
    return st.integers(low * 10**places, high * 10**places).map(lambda n: Decimal(n).scaleb(-places))


# Payment months: quarterly, half-yearly, yearly and monthly patterns.
PAYMENT_PATTERNS: tuple[tuple[int, ...], ...] = (
    *(tuple(range(first, 13, 3)) for first in (1, 2, 3)),
    *(tuple(range(first, 13, 6)) for first in (1, 2, 6)),
    (2,), (12,),
    tuple(range(1, 13)),
)


def longest_payment_day(months: tuple[int, ...]) -> int:
    """The last day that exists in every one of ``months`` in every year (February: 28)."""
    return min(28 if m == 2 else monthrange(2001, m)[1] for m in months)


def dates_between(low: date, high: date) -> st.SearchStrategy[date]:
    """A date from ``low`` to ``high`` inclusive."""
    return st.integers(0, (high - low).days).map(lambda n: low + timedelta(days=n))


# Building a strategy per draw is what makes a composite slow, so the terms below
# draw a position in a range from one shared strategy (0 and the top are likely,
# so both ends of each range are well covered).
_STEPS = 1_000_000
_POSITION = st.integers(0, _STEPS)
_COIN = st.booleans()
SEED = seed_terms()
_SLUGS = st.sampled_from(sorted(SEED))
_OLD_RATE = decimals(0, 20, 3)
_NEW_RATE = decimals(0, 25, 3)
_FEE_PERCENT = decimals(0, 10, 2).filter(lambda d: d > 0)
_FEE_PER_1000 = decimals(0, 100, 2).filter(lambda d: d > 0)
_SHARES = decimals(0, 50, 2).filter(lambda d: d > 0)
_PRICE = decimals(0, 20, 2).filter(lambda d: d > 0)
_MIN_TENDER = decimals(0, 100, 1)
_DAY_COUNT = st.sampled_from(DAY_COUNTS)
_PATTERN = st.sampled_from(PAYMENT_PATTERNS)
_INCREMENT = st.sampled_from([Decimal(1), Decimal(1000), Decimal("0.01"), Decimal(25), Decimal(100)])
_FRACTIONS = st.sampled_from([ROUND_DOWN_FRACTIONS, CASH_IN_LIEU])
_BASIS = st.sampled_from([BASIS_OLD_PRINCIPAL, BASIS_NEW_PRINCIPAL])
_INSTALMENTS = st.integers(1, 4)


def draw_between(draw: st.DrawFn, low: date, high: date) -> date:
    return low + timedelta(days=(high - low).days * draw(_POSITION) // _STEPS)


def maybe_draw_between(draw: st.DrawFn, low: date, high: date) -> date | None:
    return draw_between(draw, low, high) if draw(_COIN) else None


@st.composite
def offer_terms(draw: st.DrawFn) -> OfferTerms:
    """A consistent variant of a seeded version (it passes ``validate_terms``)."""
    base = SEED[draw(_SLUGS)]
    day = timedelta(days=1)
    maturity = draw_between(draw, date(2004, 6, 1), date(2016, 12, 31))
    expiry = draw_between(draw, date(2002, 1, 1), maturity - timedelta(days=60))
    expected = draw_between(draw, expiry, maturity - day)

    accrual_start = draw_between(draw, date(1995, 1, 1), date(2001, 12, 31))
    old_notes = replace(
        base.old_notes,
        rate_percent=draw(_OLD_RATE),
        accrual_start=accrual_start,
        accrual_end=maybe_draw_between(draw, accrual_start + day, date(2003, 12, 31)),
        day_count=draw(_DAY_COUNT),
    )

    months = draw(_PATTERN)
    interest_from = maybe_draw_between(draw, date(2001, 1, 1), maturity - day)
    earliest_first = (interest_from or date(2001, 1, 1)) + day
    first_payment = maybe_draw_between(draw, earliest_first, maturity - day) if earliest_first < maturity else None
    new_notes = replace(
        base.new_notes,
        rate_percent=draw(_NEW_RATE),
        interest_from=interest_from,
        first_payment=first_payment,
        payment_months=months,
        payment_day=1 + (longest_payment_day(months) - 1) * draw(_POSITION) // _STEPS,
        maturity=maturity,
        day_count=draw(_DAY_COUNT),
        increment=draw(_INCREMENT),
        fractions=draw(_FRACTIONS),
    )

    fee = None
    if draw(_COIN):
        per_1000 = draw(_COIN)
        count = draw(_INSTALMENTS)
        fixed = sorted({draw_between(draw, date(2002, 1, 1), date(2012, 12, 31)) for _ in range(count)})
        paid_on: tuple[date | None, ...] = tuple(fixed)
        if draw(_COIN):
            paid_on = (None, *fixed[1:])
        fee = ParticipationFeeTerms(
            basis=draw(_BASIS),
            percent=None if per_1000 else draw(_FEE_PERCENT),
            per_1000=draw(_FEE_PER_1000) if per_1000 else None,
            paid_on=paid_on,
        )

    warrant_expires = draw_between(draw, date(2004, 1, 2), maturity)
    warrants = replace(
        base.warrants,
        shares_per_1000=draw(_SHARES),
        exercise_price=draw(_PRICE),
        detachable_from=draw_between(draw, date(2003, 1, 1), warrant_expires - day),
        exercisable_from=draw_between(draw, date(2003, 1, 1), warrant_expires - day),
        expires=warrant_expires,
    )
    terms = replace(
        base,
        expires_at=datetime.combine(expiry, time(17), NEW_YORK_EDT),
        expected_consummation=expected,
        minimum_tender_percent=draw(_MIN_TENDER),
        old_notes=old_notes,
        new_notes=new_notes,
        participation_fee=fee,
        warrants=warrants,
    )
    assume(not validate_terms(terms))
    return terms


def consummation_for(terms: OfferTerms) -> st.SearchStrategy[date]:
    """A consummation date on which ``terms`` applies: from expiry up to (not including) maturity."""
    return dates_between(terms.expiry_date, terms.new_notes.maturity - timedelta(days=1))


# Whole-dollar Old Notes principal, $1 to the whole issue, biased to small and round amounts.
PRINCIPALS = st.one_of(
    st.integers(1, 27_412_000),
    st.integers(1, 27_412).map(lambda n: n * 1000),
    st.integers(1, 5000),
).map(Decimal)


def principals() -> st.SearchStrategy[Decimal]:
    return PRINCIPALS


@st.composite
def terms_and_holding(draw: st.DrawFn) -> tuple[OfferTerms, Holding]:
    terms = draw(offer_terms())
    consummation = draw_between(draw, terms.expiry_date, terms.new_notes.maturity - timedelta(days=1))
    return terms, Holding(draw(PRINCIPALS), consummation)


def _variants() -> tuple[OfferTerms, ...]:
    """The seeded versions under each rule the format allows for fractions, increments and fees: cheap to draw."""
    found = []
    for terms in SEED.values():
        for increment in (Decimal(1), Decimal(1000), Decimal("0.01")):
            for fractions in (ROUND_DOWN_FRACTIONS, CASH_IN_LIEU):
                notes = replace(terms.new_notes, increment=increment, fractions=fractions)
                found.append(replace(terms, new_notes=notes))
    return tuple(found)


VARIANTS = _variants()


@st.composite
def seeded_variant_and_holding(draw: st.DrawFn) -> tuple[OfferTerms, Holding]:
    """Thousands of holdings quickly: a seeded version (or a variant of its rounding rules) and any holding on
    which it applies. :func:`terms_and_holding` draws whole new terms, at many times the cost."""
    terms = draw(st.sampled_from(VARIANTS))
    consummation = draw_between(draw, terms.expiry_date, terms.new_notes.maturity - timedelta(days=1))
    return terms, Holding(draw(PRINCIPALS), consummation)
