"""Consistency rules for one version of the terms.

Used by the admin (through ``Model.clean()``) and by terms-file import, so a
version that the calculation would misread can be neither saved nor loaded.
Errors are keyed by the terms-file path of the field they concern; each message
says the value given and what would be valid (the admin puts the field's label
before it, a terms file its path), in the same words in both.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from .outcome import long_date
from .terms import OfferTerms

HUNDRED = Decimal(100)
# February has 28 days in most years: a payment day must exist in every year.
_LONGEST_DAY = {month: (28 if month == 2 else monthrange(2001, month)[1]) for month in range(1, 13)}
# Digits with correctly placed thousands separators or none, an optional sign and decimals: "27,350,000",
# "12.75", "-1". re.ASCII: \d would otherwise match other scripts' digits, which Decimal accepts.
NUMBER_RE = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", re.ASCII)


def parse_number(text: str) -> Decimal:
    """A number as staff write it in a form or a terms file, thousands separators allowed.

    >>> parse_number("27,350,000"), parse_number("12.75")
    (Decimal('27350000'), Decimal('12.75'))
    """
    cleaned = text.strip()
    if not NUMBER_RE.fullmatch(cleaned):
        raise ValueError(f"\"{text}\" is not a number")
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise ValueError(f"\"{text}\" is not a number") from None


def number_text(value: Decimal) -> str:
    """A number as given, plainly: ``1275``, ``12.75``, never ``1.275E+3``."""
    return format(value, "f")


@dataclass(frozen=True)
class Range:
    """The values a number of the terms may take, and how to say so."""

    what: str  # "a percentage"
    example: str  # "12.75"
    high: Decimal | None = None  # None: no upper bound
    above_zero: bool = False  # False: from 0; True: more than 0

    def holds(self, value: Decimal) -> bool:
        low_ok = value > 0 if self.above_zero else value >= 0
        return low_ok and (self.high is None or value <= self.high)

    def words(self, below: Decimal | None = None) -> str:
        """``a percentage from 0 to 100``; ``below``: the most a stored column holds, where the rule has no top."""
        if self.high is not None:
            low = "above 0 and at most" if self.above_zero else "from 0 to"
            return f"{self.what} {low} {self.high:,}"
        low = "above 0" if self.above_zero else "of 0 or more"
        return f"{self.what} {low}" + (f" and below {below:,}" if below is not None else "")

    def refusal(self, given: str, below: Decimal | None = None) -> str:
        """``1275 is out of range; enter a percentage from 0 to 100, such as 12.75.``"""
        return f"{given} is out of range; enter {self.words(below)}, such as {self.example}."

    def not_a_number(self, given: str) -> str:
        """``"twelve" is not a number; enter a percentage from 0 to 100, such as 12 (commas allowed: 27,412,000).``"""
        return (f"\"{given}\" is not a number; enter {self.words()}, such as {self.example} (digits, with commas "
                "between thousands if you like: 27,412,000).")


PERCENTAGE = "a percentage"
# The numbers of the terms, by terms-file path.
RANGES: dict[str, Range] = {
    "old_notes.rate_percent": Range(PERCENTAGE, "12.75", high=HUNDRED),
    "new_notes.rate_percent": Range(PERCENTAGE, "12", high=HUNDRED),
    "minimum_tender_percent": Range(PERCENTAGE, "99", high=HUNDRED),
    "old_notes.outstanding": Range("a whole-dollar amount", "27,412,000", above_zero=True),
    "new_notes.increment": Range("an amount in dollars", "1 or 1,000", above_zero=True),
    "participation_fee.percent": Range(PERCENTAGE, "3", high=HUNDRED, above_zero=True),
    "participation_fee.per_1000": Range("an amount in dollars per $1,000", "30", above_zero=True),
    "warrants.shares_per_1000": Range("a number of shares", "10", above_zero=True),
    "warrants.exercise_price": Range("a price per share in dollars", "3.50", above_zero=True),
}


def _day(value: date) -> str:
    return long_date(value)


def validate_terms(terms: OfferTerms) -> dict[str, list[str]]:
    """Every broken rule of ``terms``, as ``{field path: [message, ...]}``; empty when consistent."""
    errors: dict[str, list[str]] = {}

    def fail(path: str, message: str) -> None:
        errors.setdefault(path, []).append(message)

    old, new, fee, war = terms.old_notes, terms.new_notes, terms.participation_fee, terms.warrants

    numbers = {
        "old_notes.rate_percent": old.rate_percent,
        "new_notes.rate_percent": new.rate_percent,
        "minimum_tender_percent": terms.minimum_tender_percent,
        "old_notes.outstanding": old.outstanding,
        "new_notes.increment": new.increment,
        "warrants.shares_per_1000": war.shares_per_1000,
        "warrants.exercise_price": war.exercise_price,
    }
    if fee is not None:
        numbers |= {"participation_fee.percent": fee.percent, "participation_fee.per_1000": fee.per_1000}
    for path, value in numbers.items():
        if value is not None and not RANGES[path].holds(value):
            fail(path, RANGES[path].refusal(number_text(value)))
    if old.outstanding > 0 and old.outstanding != old.outstanding.to_integral_value():
        fail("old_notes.outstanding", f"{number_text(old.outstanding)} has cents; enter a whole-dollar amount, "
             "such as 27,412,000.")
    if old.accrual_end is not None and old.accrual_end <= old.accrual_start:
        fail("old_notes.accrual_end", f"{_day(old.accrual_end)} is not after the accrual start "
             f"({_day(old.accrual_start)}); enter a later date, or none for the usual rule.")

    months = new.payment_months
    shown = ", ".join(str(m) for m in months)
    if len(set(months)) != len(months):
        fail("new_notes.payment_months", f"{shown} repeats a month; give each month once, such as 2, 5, 8, 11.")
    if not all(1 <= m <= 12 for m in months):
        fail("new_notes.payment_months", f"{shown} includes a month that does not exist; enter month numbers from "
             "1 to 12, such as 2, 5, 8, 11.")
    elif not 1 <= new.payment_day <= min(_LONGEST_DAY[m] for m in months):
        fail("new_notes.payment_day", f"{new.payment_day} is not a day that exists in every payment month; enter a "
             f"day from 1 to {min(_LONGEST_DAY[m] for m in months)} for these months, such as 1.")

    # A maturity on or before the expiry breaks the rule between the two: either may be the one to fix, so
    # both fields say so, and the rules that measure other dates against the maturity stay silent (they would
    # only repeat it on fields that are fine).
    maturity_ok = new.maturity > terms.expiry_date
    if not maturity_ok:
        after = max(terms.expiry_date, terms.expected_consummation)
        fail("new_notes.maturity", f"{_day(new.maturity)} is not after the offer expires ({_day(terms.expiry_date)}) "
             f"and the New Notes are issued (at consummation, expected {_day(terms.expected_consummation)}); enter "
             f"a date after {_day(after)}, such as {_day(date(after.year + 6, 8, 1))}.")
        fail("expires_at", f"{_day(terms.expiry_date)}: the offer must expire before the New Notes mature "
             f"({_day(new.maturity)}).")

    if new.first_payment is not None:
        on_grid = new.first_payment.month in months and new.first_payment.day == min(
            new.payment_day, monthrange(new.first_payment.year, new.first_payment.month)[1])
        if not on_grid:
            fail("new_notes.first_payment", f"{_day(new.first_payment)} is not one of the payment dates; enter the "
                 "payment day of a payment month, such as Feb 1, 2004 for payments on the 1st of months 2, 5, 8 "
                 "and 11.")
        if maturity_ok and new.first_payment >= new.maturity:
            fail("new_notes.first_payment", f"{_day(new.first_payment)} must be before the maturity "
                 f"({_day(new.maturity)}).")
        if new.interest_from is not None and new.first_payment <= new.interest_from:
            fail("new_notes.first_payment", f"{_day(new.first_payment)} must be after the date interest runs from "
                 f"({_day(new.interest_from)}).")
    if maturity_ok and new.interest_from is not None and new.interest_from >= new.maturity:
        fail("new_notes.interest_from", f"{_day(new.interest_from)} must be before the maturity "
             f"({_day(new.maturity)}).")
    if terms.expiry_date > terms.expected_consummation or (maturity_ok and terms.expected_consummation >= new.maturity):
        fail("expected_consummation", f"{_day(terms.expected_consummation)} must be on or after the expiration "
             f"({_day(terms.expiry_date)})" + (f" and before the maturity ({_day(new.maturity)})." if maturity_ok
                                               else "."))

    if fee is not None:
        if (fee.percent is None) == (fee.per_1000 is None):
            fail("participation_fee.percent", "give exactly one of percent or per_1000.")
        fixed = [d for d in fee.paid_on if d is not None]
        if any(d is not None for d in fee.paid_on[:1]) and None in fee.paid_on:
            fail("participation_fee.paid_on", "\"consummation\" can only be the first instalment.")
        if any(b <= a for a, b in pairwise(fixed)):
            fail("participation_fee.paid_on", ", ".join(_day(d) for d in fixed) + ": instalment dates must be in "
                 "order, each after the one before.")
        if fee.paid_on.count(None) > 1:
            fail("participation_fee.paid_on", "\"consummation\" may appear only once.")

    for path, day in (("warrants.detachable_from", war.detachable_from),
                      ("warrants.exercisable_from", war.exercisable_from)):
        if day >= war.expires:
            fail(path, f"{_day(day)} must be before the warrants expire ({_day(war.expires)}).")
    if maturity_ok and war.expires > new.maturity and not war.may_expire_after_maturity:
        fail(
            "warrants.expires",
            f"{_day(war.expires)} is after the New Notes maturity ({_day(new.maturity)}); enter a date on or before "
            "it, unless the terms state that the warrants outlive the notes.",
        )
    return errors
