"""Template filters that write figures for people: thin wrappers, every rule is in :mod:`offers.formatting`.

``{{ value|show:line.kind }}`` writes a value of any :data:`offers.core.compare.LINES`
kind, ``{{ difference|change }}`` the differences column. An empty value writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import template

from offers import formatting
from offers.core.outcome import long_date

register = template.Library()


def _or_empty(write: Callable[[Any], str]) -> Callable[[Any], str]:
    def wrapper(value: Any) -> str:
        return "" if value is None else write(value)

    wrapper.__name__ = write.__name__
    wrapper.__doc__ = write.__doc__
    return wrapper


for _write in (formatting.money, formatting.precise, formatting.exactly, formatting.basis_points,
               formatting.percent, formatting.new_york, formatting.deadline, formatting.change_text,
               formatting.change, formatting.would_have_given):
    register.filter(_write.__name__, _or_empty(_write))


@register.filter
def day(value: date | None) -> str:
    """``Feb 1, 2004``."""
    return "" if value is None else long_date(value)


@register.filter
def count(value: int | None, unit: str = "") -> str:
    """``{{ n|count }}``: ``1,509``; ``{{ n|count:"day" }}``: ``1 day``, ``80 days``."""
    return "" if value is None else formatting.count(value, unit)


@register.filter
def decimal(value) -> str:
    """A plain number with every decimal it has (a year fraction: ``0.25``)."""
    return "" if value is None else formatting.decimal(value)


@register.filter
def show(value: object, kind: str) -> str:
    return formatting.show(value, kind)
