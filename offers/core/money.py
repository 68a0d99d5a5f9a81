"""The two roundings the spec names, written out once."""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cent_half_up(amount: Decimal) -> Decimal:
    """Round to the cent, halves away from zero (coupons, fees, cash in lieu).

    >>> to_cent_half_up(Decimal("54.3935")), to_cent_half_up(Decimal("0.005"))
    (Decimal('54.39'), Decimal('0.01'))
    """
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cent_down(amount: Decimal) -> Decimal:
    """Round down to the cent (every fee instalment but the last).

    >>> to_cent_down(Decimal("33.339"))
    Decimal('33.33')
    """
    return amount.quantize(CENT, rounding=ROUND_FLOOR)


def down_to_multiple(amount: Decimal, increment: Decimal) -> Decimal:
    """The largest multiple of ``increment`` not above ``amount`` (New Notes principal).

    >>> down_to_multiple(Decimal("1534.4375"), Decimal(1))
    Decimal('1534')
    >>> down_to_multiple(Decimal("1534.4375"), Decimal(1000))
    Decimal('1000')
    """
    units = (amount / increment).to_integral_value(rounding=ROUND_FLOOR)
    return units * increment


def whole_units(amount: Decimal) -> int:
    """Round down to a whole number (warrant shares).

    >>> whole_units(Decimal("15.34"))
    15
    """
    return int(amount.to_integral_value(rounding=ROUND_FLOOR))
