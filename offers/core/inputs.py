"""Reading what a holder types: the principal and the consummation date.

Shared by the command line, the web form and the API so the rules (and the words
of the messages) are the same everywhere. Each failure is an :class:`InputError`
naming the field and showing what a valid value looks like.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from dateutil import parser as date_parser

from .outcome import long_date, unavailable_reason
from .terms import OfferTerms


class InputError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


# Digits with optional, correctly placed thousands separators, optional "$" and ".00".
_PRINCIPAL_RE = re.compile(r"^\$?\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:\.0{1,2})?$")
_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_US_RE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
# "Oct 10, 2003", "October 10 2003", "10 Oct 2003": a month name, a day and a four-digit year.
_NAMED_RE = re.compile(r"^(?:[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4})$")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MAX_INPUT_LENGTH = 40


def parse_principal(text: str | None, outstanding: Decimal) -> Decimal:
    """A positive whole-dollar amount, at most what is outstanding.

    >>> parse_principal("$25,000", Decimal(27412000))
    Decimal('25000')
    """
    example = "such as 1000, 25,000 or $100,000"
    cleaned = (text or "").strip()
    if not cleaned:
        raise InputError("principal", f"enter the principal amount of your Old Notes in dollars, {example}.")
    match = _PRINCIPAL_RE.match(cleaned) if len(cleaned) <= MAX_INPUT_LENGTH else None
    if match is None:
        raise InputError(
            "principal", f"enter a whole-dollar amount using digits only (\"$\" and commas allowed), {example}."
        )
    amount = Decimal(match["digits"].replace(",", ""))
    if amount <= 0:
        raise InputError("principal", f"must be more than $0, {example}.")
    if amount > outstanding:
        raise InputError("principal", f"must be at most the ${outstanding:,} of Old Notes outstanding.")
    return amount


def parse_date_text(text: str | None, field: str = "consummation", *, iso_only: bool = False) -> date:
    """A date as people type it: ``2003-10-10``, ``10/10/2003`` (month first) or ``Oct 10, 2003``.

    Anything missing a part (``Oct 2003``), with a two-digit year, or impossible
    (``2003-02-30``) is refused rather than guessed.

    >>> parse_date_text("Oct 10, 2003"), parse_date_text("10/9/2003")
    (datetime.date(2003, 10, 10), datetime.date(2003, 10, 9))
    """
    example = "such as 2003-10-10" if iso_only else "such as 2003-10-10, 10/10/2003 or Oct 10, 2003"
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise InputError(field, f"enter a date, {example}.")
    if len(cleaned) > MAX_INPUT_LENGTH:
        raise InputError(field, f"is too long to be a date; enter one {example}.")
    if _ISO_RE.match(cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            raise InputError(field, f"{cleaned} is not a real date; enter one {example}.") from None
    named = _NAMED_RE.match(cleaned) and any(m in cleaned.lower() for m in _MONTH_NAMES)
    if iso_only or not (_US_RE.match(cleaned) or named):
        raise InputError(field, f"enter the date with day, month and four-digit year, {example}.")
    try:
        return date_parser.parse(cleaned, dayfirst=False, yearfirst=False, fuzzy=False).date()
    except (ValueError, OverflowError):
        raise InputError(field, f"{cleaned} is not a real date; enter one {example}.") from None


def check_consummation(consummation: date, versions: Iterable[OfferTerms]) -> date:
    """Refuse a date on which no version applies, saying between which dates versions apply."""
    versions = list(versions)
    if not versions:
        raise InputError("consummation", "no version of the offer terms is published yet.")
    if any(unavailable_reason(terms, consummation) is None for terms in versions):
        return consummation
    first = min(terms.expiry_date for terms in versions)
    last = max(terms.new_notes.maturity for terms in versions)
    raise InputError(
        "consummation",
        f"no version of the offer applies on {long_date(consummation)}; enter a date from "
        f"{long_date(first)} up to (not including) {long_date(last)}, such as "
        f"{long_date(versions[-1].expected_consummation)}.",
    )
