"""QuantLib as an independent implementation of the day counts, schedules and coupons.

QuantLib works in floats: this is the one place floats appear, and only in the test.
The core's exact Decimal figures are compared with them to a tight tolerance, and
rounded coupons are compared after rounding QuantLib's float the spec's way.

Schedules: the spec's rule 4 (payment dates are the payment day of the payment
months after interest starts, none before ``first_payment``, maturity last) is a
QuantLib schedule generated *backward* from maturity, unadjusted, on a null
calendar, with ``firstDate`` = ``first_payment``: QuantLib then leaves one
irregular first period, long or short, from the start to the first date, as the
spec does. Two cases need care:

- A maturity that is not itself on the payment grid (the spec pays on every grid
  date before it, then at maturity: a short last period). Backward generation
  from maturity would move the whole grid, so QuantLib is given the last grid date
  before maturity as ``nextToLastDate``.
- A ``first_payment`` on or before the date interest runs from (possible when
  interest runs from consummation): the spec's filter then excludes nothing, and
  QuantLib refuses such a ``firstDate``, so none is passed.

One case cannot be expressed: a ``first_payment`` that is not itself a grid date.
QuantLib would pay on that date; the spec skips to the next grid date on or after
it. First payments are therefore drawn from the grid.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
import QuantLib as ql
from hypothesis import given
from hypothesis import strategies as st

from offers.core.dates import payment_dates
from offers.core.daycount import days_between, year_fraction
from offers.core.outcome import Holding, version_outcome

from .strategies import NEW_YORK_EDT, SEED, any_dates, draw_between, reproducible

CENT = Decimal("0.01")

QUANTLIB_DAY_COUNTERS = {
    "30/360": ql.Thirty360(ql.Thirty360.BondBasis),
    "30E/360": ql.Thirty360(ql.Thirty360.European),
    "ACT/360": ql.Actual360(),
    "ACT/365F": ql.Actual365Fixed(),
    "ACT/ACT-ISDA": ql.ActualActual(ql.ActualActual.ISDA),
}


def ql_date(d: date) -> ql.Date:
    return ql.Date(d.day, d.month, d.year)


def py_date(d: ql.Date) -> date:
    return date(d.year(), d.month(), d.dayOfMonth())


def assert_close(ours: Decimal, theirs: float, relative: str) -> None:
    """``ours`` (exact) and QuantLib's float agree to ``relative`` (zero must be exactly zero)."""
    assert abs(ours - Decimal(theirs)) <= Decimal(relative) * abs(ours), (ours, theirs)


@pytest.mark.parametrize("code", list(QUANTLIB_DAY_COUNTERS))
@reproducible(1000)
@given(start=any_dates(), end=any_dates())
def test_day_count_agrees_with_quantlib(code, start, end):
    counter = QUANTLIB_DAY_COUNTERS[code]
    assert days_between(code, start, end) == counter.dayCount(ql_date(start), ql_date(end))
    assert_close(year_fraction(code, start, end), counter.yearFraction(ql_date(start), ql_date(end)), "1e-12")


# --- Schedules and coupons --------------------------------------------------------------------

QUARTERLY_PATTERNS = ((1, 4, 7, 10), (2, 5, 8, 11), (3, 6, 9, 12))


def grid_date(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, monthrange(year, month)[1]))


def grid_between(months: tuple[int, ...], day: int, after: date, before: date) -> list[date]:
    """Grid dates (``day`` of ``months``) strictly between two dates, for building QuantLib's anchors."""
    found = (grid_date(y, m, day) for y in range(after.year, before.year + 1) for m in months)
    return sorted(d for d in found if after < d < before)


@st.composite
def quarterly_terms(draw: st.DrawFn):
    """Terms with a quarterly pattern and the date interest runs from (the effective date)."""
    months = draw(st.sampled_from(QUARTERLY_PATTERNS))
    # A payment day that exists in every payment month (February: 28; April, June, ...: 30).
    day = draw(st.integers(1, 28 if 2 in months else 30))
    on_grid = draw(st.booleans())
    if on_grid:
        maturity = grid_date(draw(st.integers(2004, 2040)), draw(st.sampled_from(months)), day)
    else:
        maturity = draw_between(draw, date(2004, 1, 1), date(2040, 12, 31))
    interest_from = draw_between(draw, date(1999, 1, 1), maturity - timedelta(days=1))
    after_start = grid_between(months, day, interest_from, maturity)
    first_payment = None
    choice = draw(st.sampled_from(["none", "on-grid", "before-start"]))
    if choice == "on-grid" and after_start:
        first_payment = draw(st.sampled_from(after_start))
    elif choice == "before-start":
        first_payment = draw_between(draw, date(1998, 1, 1), interest_from)
    base = SEED[draw(st.sampled_from(["original", "september-2003"]))]
    notes = replace(base.new_notes, payment_months=months, payment_day=day, maturity=maturity,
                    first_payment=first_payment, interest_from=None, day_count="30/360")
    return replace(base, new_notes=notes), interest_from


def quantlib_schedule(terms, interest_from: date) -> ql.Schedule:
    notes = terms.new_notes
    grid = grid_between(notes.payment_months, notes.payment_day, interest_from, notes.maturity)
    first = notes.first_payment if notes.first_payment and notes.first_payment > interest_from else None
    # Maturity off the grid: anchor the backward generation on the last grid date before it.
    maturity_on_grid = notes.maturity == grid_date(notes.maturity.year, notes.maturity.month, notes.payment_day) \
        and notes.maturity.month in notes.payment_months
    next_to_last = grid[-1] if grid and not maturity_on_grid else None
    return ql.Schedule(
        ql_date(interest_from), ql_date(notes.maturity), ql.Period(ql.Quarterly), ql.NullCalendar(),
        ql.Unadjusted, ql.Unadjusted, ql.DateGeneration.Backward, False,
        ql_date(first) if first else ql.Date(), ql_date(next_to_last) if next_to_last else ql.Date(),
    )


@reproducible(1000)
@given(quarterly_terms())
def test_payment_dates_agree_with_a_quantlib_backward_schedule(generated):
    terms, interest_from = generated
    schedule = [py_date(d) for d in quantlib_schedule(terms, interest_from)]
    assert schedule[0] == interest_from
    assert list(payment_dates(terms.new_notes, interest_from)) == schedule[1:]


@reproducible(400)
@given(generated=quarterly_terms(), principal=st.integers(1, 27_412_000), rate_thousandths=st.integers(1, 25_000))
def test_coupons_agree_with_a_quantlib_fixed_rate_leg(generated, principal, rate_thousandths):
    terms, consummation = generated
    rate_percent = Decimal(rate_thousandths).scaleb(-3)
    # Interest runs from consummation, and the version applies then (expired that day).
    terms = replace(
        terms,
        expires_at=datetime.combine(consummation, time(17), NEW_YORK_EDT),
        new_notes=replace(terms.new_notes, rate_percent=rate_percent),
    )
    v = version_outcome(terms, Holding(Decimal(principal), consummation))
    assert v.available
    leg = ql.FixedRateLeg(
        quantlib_schedule(terms, consummation), QUANTLIB_DAY_COUNTERS["30/360"],
        [float(v.new_principal)], [float(rate_percent / 100)], ql.Unadjusted,
    )
    assert [py_date(c.date()) for c in leg] == [c.period_end for c in v.coupons]
    for coupon, flow in zip(v.coupons, leg, strict=True):
        theirs = flow.amount()
        # QuantLib computes nominal x ((1 + rate x t) - 1): its float error scales with the nominal.
        assert abs(coupon.unrounded - Decimal(theirs)) <= Decimal("1e-12") * v.new_principal, (coupon, theirs)
        rounded = Decimal(str(theirs)).quantize(CENT, rounding=ROUND_HALF_UP)
        if coupon.amount != rounded:
            # Only allowed where the exact amount is on a half cent (x.xx5), which a float may
            # hold a hair either side of; there the unrounded values must agree to 1e-9.
            assert (coupon.unrounded * 200) % 2 == 1, (coupon, theirs)
            assert abs(coupon.unrounded - Decimal(theirs)) <= Decimal("1e-9"), (coupon, theirs)


def test_quantlib_is_set_up_as_the_spec_reads_on_the_worked_example():
    """The construction above reproduces the spec's own figures (111-day first period, 56.76, 46.02)."""
    terms = SEED["september-2003"]
    leg = ql.FixedRateLeg(quantlib_schedule(terms, date(2003, 10, 10)), QUANTLIB_DAY_COUNTERS["30/360"],
                          [1534.0], [0.12], ql.Unadjusted)
    amounts = [Decimal(str(c.amount())).quantize(CENT, rounding=ROUND_HALF_UP) for c in leg]
    assert py_date(leg[0].date()) == date(2004, 2, 1)
    assert amounts[0] == Decimal("56.76")
    assert set(amounts[1:]) == {Decimal("46.02")}
    assert len(amounts) == 23
