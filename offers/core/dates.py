"""The New Notes payment dates and what they make of the first interest period (rule 4).

Every date is built from its own year and month (a payment day past the end of a
month falls on the month's last day), never by adding months repeatedly.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from .terms import NewNotesTerms

LONG, REGULAR, SHORT = "long", "regular", "short"


def _on(notes: NewNotesTerms, year: int, month: int) -> date:
    return date(year, month, min(notes.payment_day, monthrange(year, month)[1]))


def payment_dates(notes: NewNotesTerms, interest_from: date) -> tuple[date, ...]:
    """New Notes payment dates after ``interest_from``, not before the first payment, maturity last.

    >>> from offers.core.termsfile import seed_terms
    >>> dates = payment_dates(seed_terms()["september-2003"].new_notes, date(2003, 10, 10))
    >>> dates[0], dates[-1], len(dates)
    (datetime.date(2004, 2, 1), datetime.date(2009, 8, 1), 23)
    """
    dates: list[date] = []
    for year in range(interest_from.year, notes.maturity.year + 1):
        for month in sorted(notes.payment_months):
            day = _on(notes, year, month)
            if day <= interest_from or day > notes.maturity:
                continue
            if notes.first_payment is not None and day < notes.first_payment:
                continue
            dates.append(day)
    if not dates or dates[-1] != notes.maturity:
        dates.append(notes.maturity)
    return tuple(dates)


def regular_payment_date_before(notes: NewNotesTerms, day: date) -> date:
    """The regular payment date before ``day``, whether or not anything is paid on it.

    >>> from offers.core.termsfile import seed_terms
    >>> regular_payment_date_before(seed_terms()["september-2003"].new_notes, date(2004, 2, 1))
    datetime.date(2003, 11, 1)
    """
    candidates = [_on(notes, year, month) for year in (day.year - 1, day.year) for month in notes.payment_months]
    return max(d for d in candidates if d < day)


def regular_payment_dates(notes: NewNotesTerms, first: date, last: date) -> tuple[date, ...]:
    """Every regular payment date from ``first`` to ``last``, both included.

    >>> from offers.core.termsfile import seed_terms
    >>> regular_payment_dates(seed_terms()["original"].new_notes, date(2003, 10, 1), date(2004, 3, 1))
    (datetime.date(2003, 11, 1), datetime.date(2004, 2, 1))
    """
    return tuple(sorted(d for year in range(first.year, last.year + 1) for month in notes.payment_months
                        if first <= (d := _on(notes, year, month)) <= last))


def first_period_length(notes: NewNotesTerms, start: date, end: date) -> str:
    """Whether a first interest period from ``start`` to ``end`` is long, regular or short.

    Against the regular payment date before ``end``: a period that starts before it is
    long (Oct 10, 2003 to Feb 1, 2004 starts before Nov 1, 2003), on it regular, after it short.

    >>> from offers.core.termsfile import seed_terms
    >>> notes = seed_terms()["september-2003"].new_notes
    >>> [first_period_length(notes, date(2003, m, d), date(2004, 2, 1)) for m, d in ((10, 10), (11, 1), (11, 11))]
    ['long', 'regular', 'short']
    """
    regular_start = regular_payment_date_before(notes, end)
    return LONG if start < regular_start else REGULAR if start == regular_start else SHORT
