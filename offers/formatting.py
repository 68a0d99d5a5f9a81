"""How figures are written for people: one function per kind, Decimal in, text out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from offers.core import compare
from offers.core.compare import Difference
from offers.core.money import to_cent_half_up
from offers.core.outcome import long_date
from offers.core.versions import Change

NEW_YORK = ZoneInfo("America/New_York")


@lru_cache(maxsize=8192)
def money(amount: Decimal) -> str:
    """``$1,534.00``; a negative amount is ``-$30.00``.

    Kept per value (equal Decimals write alike, so ``1.5`` and ``1.50`` may share an entry):
    a result page writes some three hundred amounts, many of them the same coupon again.

    >>> money(Decimal("1534")), money(Decimal("-30"))
    ('$1,534.00', '-$30.00')
    """
    cents = to_cent_half_up(Decimal(amount))
    return f"{'-' if cents < 0 else ''}${abs(cents):,.2f}"


PLACES_FOR_PEOPLE = 4
_FOUR_PLACES = Decimal("0.0001")


def precise(amount: Decimal) -> str:
    """Money with the places its exact value needs, at least 2 and at most 4 (spec: figures for people).

    Exactly as the release writes it when the value ends within 4 places; otherwise rounded
    half up to 4 places and marked as rounded with "≈" (its exact value goes in the working,
    as a :func:`fraction`).

    >>> precise(Decimal("534.4375")), precise(Decimal("1534")), precise(Decimal("558.52083333333"))
    ('$534.4375', '$1,534.00', '≈ $558.5208')
    """
    value = Decimal(amount)
    shown = value.quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)
    places = max(2, -shown.normalize().as_tuple().exponent) if shown else 2
    text = f"{'-' if shown < 0 else ''}${abs(shown):,.{places}f}"
    return text if shown == value else f"≈ {text}"


def exactly(value: Fraction) -> str:
    """An exact amount for the working: as :func:`precise` writes it, with the fraction when that is rounded.

    >>> exactly(Fraction(8555, 16)), exactly(Fraction(652717, 12000))
    ('$534.6875', '≈ $54.3931 (exactly 54 4717/12000)')
    """
    text = precise(Decimal(value.numerator) / Decimal(value.denominator))
    return text if not text.startswith("≈") else f"{text} (exactly {fraction(value)})"


def fraction(value: Fraction) -> str:
    """An exact amount as a whole number and a fraction in lowest terms, for the working.

    >>> fraction(Fraction(1000) * Fraction("12.75") * Fraction(1577, 36000)), fraction(Fraction(7, 16))
    ('558 25/48', '7/16')
    """
    whole, rest = divmod(abs(value), 1)
    sign = "-" if value < 0 else ""
    if not rest:
        return f"{sign}{whole:,}"
    return f"{sign}{whole:,} {rest}" if whole else f"{sign}{rest}"


def basis_points(rate_percent: Decimal) -> str:
    """A rate given to the basis point, with both places: ``11.60%``.

    >>> basis_points(Decimal("11.6")), basis_points(Decimal("11.62"))
    ('11.60%', '11.62%')
    """
    return f"{Decimal(rate_percent):,.2f}%"


def percent(value: Decimal) -> str:
    """``12%``, ``11.5%``, ``12.75%``: as many decimals as the rate has, no padding.

    >>> percent(Decimal("11.500000")), percent(Decimal("12"))
    ('11.5%', '12%')
    """
    number = Decimal(value).normalize()
    places = max(0, -number.as_tuple().exponent)
    return f"{number:,.{places}f}%"


def new_york(value: datetime) -> str:
    """``Oct 7, 2003, 5:00 p.m. New York time``.

    >>> new_york(datetime.fromisoformat("2003-10-07T21:00:00+00:00"))
    'Oct 7, 2003, 5:00 p.m. New York time'
    """
    return f"{long_date(value.astimezone(NEW_YORK).date())}, {new_york_time(value)}"


def new_york_time(value: datetime) -> str:
    """The time of day alone, where the date is said elsewhere: ``5:00 p.m. New York time``.

    >>> new_york_time(datetime.fromisoformat("2003-10-07T21:00:00+00:00"))
    '5:00 p.m. New York time'
    """
    local = value.astimezone(NEW_YORK)
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d} {'a.m.' if local.hour < 12 else 'p.m.'} New York time"


def decimal(value: Decimal) -> str:
    """A plain number with every decimal it has (a year fraction: ``0.25``, ``0.3083333...``).

    >>> decimal(Decimal("10.00"))
    '10'
    """
    return f"{Decimal(value).normalize():f}"


def deadline(value: datetime) -> str:
    """A deadline in words, with its time zone: ``5:00 p.m. New York time on Tuesday, October 7, 2003``.

    >>> deadline(datetime.fromisoformat("2003-10-07T21:00:00+00:00"))
    '5:00 p.m. New York time on Tuesday, October 7, 2003'
    """
    local = value.astimezone(NEW_YORK)
    return f"{new_york_time(value)} on {local:%A}, {local:%B} {local.day}, {local.year}"


def count(value: int, unit: str = "") -> str:
    """``1,509``; with a unit, ``1 day``, ``80 days``, ``1,534 shares``.

    >>> count(1509), count(1, "day"), count(1534, "share")
    ('1,509', '1 day', '1,534 shares')
    """
    if not unit:
        return f"{value:,}"
    return f"{value:,} {unit}{'' if value == 1 else 's'}"


def _payments(value: tuple[tuple[date, Decimal], ...]) -> str:
    """``$30.00 on Oct 10, 2003``; instalments joined by ``;``; no payment is ``none``."""
    if not value:
        return "none"
    return "; ".join(f"{money(amount)} on {long_date(paid_on)}" for paid_on, amount in value)


_WRITERS = {
    compare.MONEY: money,
    compare.EXACT: precise,
    compare.PERCENT: percent,
    compare.COUNT: count,
    compare.DATE: long_date,
    compare.PAYMENTS: _payments,
}
MINUS = "\u2212"


def show(value: object, kind: str) -> str:
    """A value of one of :data:`offers.core.compare.LINES`, written the way its kind is written; missing is ``none``.

    >>> show(Decimal("12"), compare.PERCENT), show(None, compare.MONEY)
    ('12%', 'none')
    """
    if value is None:
        return "none"
    return _WRITERS[kind](value)


def change(difference: Difference) -> str:
    """The differences column: ``+0.5 percentage points``, ``\u2212$30.00`` (a minus sign), ``+8``.

    Where subtraction means nothing (dates, payments): the new value and the old.
    """
    kind, delta = difference.line.kind, difference.delta
    if delta is None:
        return f"{show(difference.after, kind)} (was {show(difference.before, kind)})"
    sign = "+" if delta > 0 else MINUS
    size = abs(delta)
    if kind == compare.PERCENT:
        return f"{sign}{percent(size)[:-1]} percentage points"
    return sign + _WRITERS[kind](size)


def would_have_given(difference: Difference) -> str:
    """A line of what the replaced terms would have given against the terms in force, in one line.

    ``New Notes interest rate: 11.5% instead of 12%``.
    """
    kind = difference.line.kind
    return f"{difference.line.label}: {show(difference.before, kind)} instead of {show(difference.after, kind)}"


_BASES = {"old_principal": "Old Notes principal", "new_principal": "New Notes principal"}
_MONEY_FIELDS = ("increment", "exercise_price", "per_1000", "outstanding")


def term_value(field: str, value: Any) -> str:
    """A value of the terms file format (field path and value as the file writes them), for people.

    >>> term_value("new_notes.rate_percent", "11.5"), term_value("new_notes.maturity", "2009-08-01")
    ('11.5%', 'Aug 1, 2009')
    >>> term_value("participation_fee", {"basis": "old_principal", "percent": "3", "paid_on": ["consummation"]})
    '3% of the Old Notes principal, paid at consummation'
    """
    if value is None:
        return "none"
    if field == "participation_fee":
        amount = percent(Decimal(value["percent"])) if value.get("percent") else \
            f"{money(Decimal(value['per_1000']))} per $1,000"
        paid = ", ".join("at consummation" if d == "consummation" else f"on {long_date(date.fromisoformat(d))}"
                         for d in value.get("paid_on") or ["consummation"])
        return f"{amount} of the {_BASES.get(value.get('basis'), value.get('basis'))}, paid {paid}"
    if field == "expires_at":
        return new_york(datetime.fromisoformat(value))
    if field.endswith("payment_months"):
        return ", ".join(date(2000, month, 1).strftime("%B") for month in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field.endswith("percent"):
        return percent(Decimal(value))
    if field.endswith(_MONEY_FIELDS):
        return money(Decimal(value))
    if field.endswith("basis"):
        return _BASES.get(value, value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return long_date(date.fromisoformat(value))
    return str(value).replace("_", " ")


def change_text(change: Change) -> str:
    """One change in words: ``New Notes interest rate: 12% (was 11.5%)``."""
    return f"{change.label}: {term_value(change.field, change.after)} (was {term_value(change.field, change.before)})"
