"""Template filters that write figures for people; every rule is in :mod:`offers.formatting`.

``{{ value|show:line.kind }}`` writes a value of any :data:`offers.core.compare.LINES`
kind, ``{{ difference|change }}`` the differences column.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from django import template

from offers import formatting
from offers.core import compare
from offers.core.compare import Difference
from offers.core.outcome import long_date

register = template.Library()
MINUS = "\u2212"


@register.filter
def money(value: Decimal | None) -> str:
    return "" if value is None else formatting.money(value)


@register.filter
def precise(value: Decimal | None) -> str:
    return "" if value is None else formatting.precise(value)


@register.filter
def exactly(value: Fraction | None) -> str:
    return "" if value is None else formatting.exactly(value)


@register.filter
def basis_points(value: Decimal | None) -> str:
    return "" if value is None else formatting.basis_points(value)


@register.filter
def percent(value: Decimal | None) -> str:
    return "" if value is None else formatting.percent(value)


@register.filter
def day(value: date | None) -> str:
    """``Feb 1, 2004``."""
    return "" if value is None else long_date(value)


@register.filter
def count(value: int | None) -> str:
    """``1,509``."""
    return "" if value is None else f"{value:,}"


@register.filter
def decimal(value: Decimal | None) -> str:
    """A plain number with every decimal it has (a year fraction: ``0.25``, ``0.3083333...``)."""
    return "" if value is None else f"{Decimal(value).normalize():f}"


@register.filter
def new_york(value: datetime | None) -> str:
    return "" if value is None else formatting.new_york(value)


def _payments(value: tuple[tuple[date, Decimal], ...]) -> str:
    """``$30.00 on Oct 10, 2003``; instalments joined by ``;``; no payment is ``none``."""
    if not value:
        return "none"
    return "; ".join(f"{formatting.money(amount)} on {long_date(paid_on)}" for paid_on, amount in value)


_WRITERS = {
    compare.MONEY: formatting.money,
    compare.EXACT: formatting.precise,
    compare.PERCENT: formatting.percent,
    compare.COUNT: lambda value: f"{value:,}",
    compare.DATE: long_date,
    compare.PAYMENTS: _payments,
}


@register.filter
def show(value: object, kind: str) -> str:
    """A line's value written the way its kind is written; a missing value is ``none``."""
    if value is None:
        return "none"
    return _WRITERS[kind](value)


@register.filter
def change(difference: Difference) -> str:
    """The differences column: ``+0.5 percentage points``, ``-$30.00`` (a minus sign), ``+8``.

    Where subtraction means nothing (dates, payments): the new value and the old.
    """
    kind, delta = difference.line.kind, difference.delta
    if delta is None:
        return f"{show(difference.after, kind)} (was {show(difference.before, kind)})"
    sign = "+" if delta > 0 else MINUS
    size = abs(delta)
    if kind == compare.PERCENT:
        return f"{sign}{formatting.percent(size)[:-1]} percentage points"
    return sign + _WRITERS[kind](size)


# The result page's big tables and charts, written in Python (offers.render): a template loop
# over hundreds of cells was nearly all of the page's cost. Imported when called, as
# offers.render uses the filters above.


@register.simple_tag
def chart_figure(chart, table_id: str = "") -> str:
    """``{% chart_figure chart %}``: the chart as inline SVG, then its table (or a link to ``table_id``)."""
    from offers import render

    return render.chart(chart, table_id)


@register.simple_tag
def comparison_rows(comparison) -> str:
    from offers import render

    return render.comparison_rows(comparison)


@register.simple_tag
def coupon_rows(comparison) -> str:
    from offers import render

    return render.coupon_rows(comparison)


@register.simple_tag
def sensitivity_rows(sensitivity) -> str:
    from offers import render

    return render.sensitivity_rows(sensitivity)


@register.simple_tag
def assumption(section: str | None) -> str:
    """`` assumption`` linked to the section of the how-we-calculate page a figure rests on."""
    from offers import render

    return render.assumption(section)
