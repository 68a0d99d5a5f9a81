"""How figures are written for people: one function per kind, Decimal in, text out."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from offers.core.money import to_cent_half_up


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


def exact(amount: Decimal) -> str:
    """Every decimal the figure has, at least two: ``$534.4375``, ``$1,534.00``.

    >>> exact(Decimal("534.4375")), exact(Decimal("1534"))
    ('$534.4375', '$1,534.00')
    """
    value = Decimal(amount)
    places = max(2, -value.normalize().as_tuple().exponent) if value else 2
    return f"{'-' if value < 0 else ''}${abs(value):,.{places}f}"


def percent(value: Decimal) -> str:
    """``12%``, ``11.5%``, ``12.75%``: as many decimals as the rate has, no padding.

    >>> percent(Decimal("11.500000")), percent(Decimal("12"))
    ('11.5%', '12%')
    """
    number = Decimal(value).normalize()
    places = max(0, -number.as_tuple().exponent)
    return f"{number:,.{places}f}%"
