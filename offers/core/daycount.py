"""Day-count conventions of the terms file format.

Each convention answers two questions about the period from ``start`` (included)
to ``end`` (excluded): how many days it has, and what fraction of a year that is.
The year fraction is returned as an exact ratio of integers, so that interest can
be computed as ``amount * rate * numerator / denominator`` with a single division
at the end: ``1000 * 0.1275 * 1509 / 360 == 534.4375`` exactly.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

THIRTY_360 = "30/360"
THIRTY_E_360 = "30E/360"
ACT_360 = "ACT/360"
ACT_365F = "ACT/365F"
ACT_ACT_ISDA = "ACT/ACT-ISDA"

DAY_COUNTS: tuple[str, ...] = (THIRTY_360, THIRTY_E_360, ACT_360, ACT_365F, ACT_ACT_ISDA)


class UnknownDayCount(ValueError):
    def __init__(self, code: object) -> None:
        super().__init__(f"unknown day count {code!r}; use one of {', '.join(DAY_COUNTS)}")


def _thirty_360_days(start: date, end: date, *, european: bool) -> int:
    d1, d2 = start.day, end.day
    if d1 == 31:
        d1 = 30
    if d2 == 31 and (european or d1 == 30):
        d2 = 30
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)


def days_between(code: str, start: date, end: date) -> int:
    """Days from ``start`` to ``end`` under ``code``.

    >>> days_between("30/360", date(1999, 8, 1), date(2003, 10, 10))
    1509
    >>> days_between("30/360", date(2003, 10, 10), date(2004, 2, 1))
    111
    """
    if code == THIRTY_360:
        return _thirty_360_days(start, end, european=False)
    if code == THIRTY_E_360:
        return _thirty_360_days(start, end, european=True)
    if code in (ACT_360, ACT_365F, ACT_ACT_ISDA):
        return (end - start).days
    raise UnknownDayCount(code)


def _days_in_year(year: int) -> int:
    return 366 if date(year, 12, 31).timetuple().tm_yday == 366 else 365


def year_fraction_ratio(code: str, start: date, end: date) -> tuple[int, int]:
    """The year fraction as an exact ``(numerator, denominator)`` pair.

    ACT/ACT-ISDA splits the period at each January 1: days falling in a leap
    year count 1/366, the others 1/365.

    >>> year_fraction_ratio("30/360", date(1999, 8, 1), date(2003, 10, 10))
    (1509, 360)
    >>> year_fraction_ratio("ACT/ACT-ISDA", date(2003, 12, 1), date(2004, 1, 31))
    (22296, 133590)
    """
    if code in (THIRTY_360, THIRTY_E_360, ACT_360):
        return days_between(code, start, end), 360
    if code == ACT_365F:
        return (end - start).days, 365
    if code != ACT_ACT_ISDA:
        raise UnknownDayCount(code)
    if end < start:
        numerator, denominator = year_fraction_ratio(code, end, start)
        return -numerator, denominator
    # Sum days/len(year) over the calendar years the period touches, over a
    # common denominator 365 * 366 so the result stays an exact ratio.
    numerator = 0
    cursor = start
    while cursor < end:
        next_new_year = date(cursor.year + 1, 1, 1)
        stop = min(end, next_new_year)
        days = (stop - cursor).days
        numerator += days * (365 * 366 // _days_in_year(cursor.year))
        cursor = stop
    return numerator, 365 * 366


def year_fraction(code: str, start: date, end: date) -> Decimal:
    """The year fraction as a Decimal, for display: exact when it terminates.

    >>> year_fraction("30/360", date(2003, 11, 1), date(2004, 2, 1))
    Decimal('0.25')
    """
    numerator, denominator = year_fraction_ratio(code, start, end)
    return Decimal(numerator) / Decimal(denominator)


def accrue(amount: Decimal, rate_percent: Decimal, code: str, start: date, end: date) -> Decimal:
    """Simple interest on ``amount`` at ``rate_percent`` from ``start`` to ``end``.

    Not rounded: the one division comes last, so the result is exact whenever
    the true value has a finite decimal expansion.

    >>> accrue(Decimal(1000), Decimal("12.75"), "30/360", date(1999, 8, 1), date(2003, 10, 10))
    Decimal('534.4375')
    """
    numerator, denominator = year_fraction_ratio(code, start, end)
    return amount * rate_percent * numerator / (denominator * 100)
