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

from dateutil.parser import parserinfo

from .outcome import long_date, unavailable_reason
from .terms import OfferTerms


class InputError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


# Digits with optional, correctly placed thousands separators, optional "$" and ".00".
# re.ASCII: \d would otherwise also match other scripts' digits (Arabic-Indic 1000), which Decimal accepts.
_PRINCIPAL_RE = re.compile(r"\$?\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:\.0{1,2})?", re.ASCII)
# The same with cents: an account's share of a position held for many (a holdings file) need not be whole dollars.
_PRINCIPAL_CENTS_RE = re.compile(r"\$?\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<cents>\.\d{1,2})?", re.ASCII)
_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_US_RE = re.compile(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})", re.ASCII)
# "Oct 10, 2003", "October 10 2003", "10 Oct 2003": a month name, a day and a four-digit year.
_NAMED_RE = re.compile(
    r"(?P<name>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
    r"|(?P<day2>\d{1,2})\s+(?P<name2>[A-Za-z]{3,9})\.?,?\s+(?P<year2>\d{4})",
    re.ASCII,
)
# Month names (full, three letters, "Sept") as python-dateutil knows them. Its parser
# itself is not used on the whole text: it guesses (13/01/2003 read day-first, a
# missing day filled in), where a holder must be told instead.
_MONTH_NAMES = parserinfo()
MAX_INPUT_LENGTH = 40


def parse_principal(text: str | None, outstanding: Decimal, *, cents: bool = False) -> Decimal:
    """A positive whole-dollar amount (with ``cents``, dollars and cents), at most what is outstanding.

    >>> parse_principal("$25,000", Decimal(27412000)), parse_principal("$333.33", Decimal(27412000), cents=True)
    (Decimal('25000'), Decimal('333.33'))
    """
    example = "such as 1000, 25,000 or $333.33" if cents else "such as 1000, 25,000 or $100,000"
    cleaned = (text or "").strip()
    if not cleaned:
        raise InputError("principal", f"enter the principal amount of your Old Notes in dollars, {example}.")
    pattern = _PRINCIPAL_CENTS_RE if cents else _PRINCIPAL_RE
    match = pattern.fullmatch(cleaned) if len(cleaned) <= MAX_INPUT_LENGTH else None
    if match is None:
        kind = "a dollar amount" if cents else "a whole-dollar amount"
        raise InputError("principal", f"enter {kind} using digits only (\"$\" and commas allowed), {example}.")
    amount = Decimal(match["digits"].replace(",", "") + ((match["cents"] or "") if cents else ""))
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
    if _ISO_RE.fullmatch(cleaned):
        year, month, day = (int(part) for part in cleaned.split("-"))
    elif iso_only:
        raise InputError(field, f"enter the date with day, month and four-digit year, {example}.")
    elif us := _US_RE.fullmatch(cleaned):
        # Month first, always: 13/01/2003 is refused, never read day-first.
        year, month, day = int(us["year"]), int(us["month"]), int(us["day"])
        if not 1 <= month <= 12:
            raise InputError(field, f"{cleaned} is not a real date: write the month first, as in 10/31/2003.")
    elif named := _NAMED_RE.fullmatch(cleaned):
        name, day_text, year_text = (named["name"], named["day"], named["year"]) if named["name"] else (
            named["name2"], named["day2"], named["year2"])
        month = _MONTH_NAMES.month(name) or 0
        if not month:
            raise InputError(field, f"{name} is not the name of a month; enter the date {example}.")
        year, day = int(year_text), int(day_text)
    else:
        raise InputError(field, f"enter the date with day, month and four-digit year, {example}.")
    try:
        return date(year, month, day)
    except ValueError:
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


# A plain decimal number: digits with optional correctly placed thousands separators, an
# optional fraction and sign. No exponents, "nan", "inf" or non-ASCII digits: Decimal() accepts those.
_NUMBER_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?", re.ASCII)


def _plain_number(text: str | None, field: str, prefix: str, suffix: str, what: str, example: str) -> Decimal:
    cleaned = (text or "").strip()
    if not cleaned:
        raise InputError(field, f"enter {what}, such as {example}.")
    number = cleaned.removeprefix(prefix).removesuffix(suffix).strip() if len(cleaned) <= MAX_INPUT_LENGTH else ""
    if not number or not _NUMBER_RE.fullmatch(number) or not any(c in "0123456789" for c in number):
        raise InputError(field, f"enter {what} using digits only (no letters or exponents), such as {example}.")
    value = Decimal(number.replace(",", ""))
    return value if value else abs(value)  # "-0" is 0


def _too_many_places(value: Decimal, places: int | None) -> bool:
    return places is not None and value != value.quantize(Decimal(1).scaleb(-places))


def parse_percent(text: str | None, field: str, low: Decimal, high: Decimal, *,
                  low_inclusive: bool = True, example: str = "10", per: str = "", places: int | None = None) -> Decimal:
    """A percentage (``10`` or ``10%`` for 10%) from ``low`` to ``high``, returned in percent.

    Every message states both bounds, "must be from 0% to 1,000% a year, such as 12."; the form puts the field's
    label before it. With ``places``, a value with more decimal places is refused (the pages show that many), and
    an exclusive ``low`` is stated as the smallest value allowed: "from 0.01% to 1,000% of face".

    >>> parse_percent("12.5%", "discount_rate", Decimal(0), Decimal(1000))
    Decimal('12.5')
    """
    value = _plain_number(text, field, "", "%", "a percentage", example)
    if places is not None and not low_inclusive:
        low, low_inclusive = low + Decimal(1).scaleb(-places), True
    bound = f"from {low:,}% to {high:,}%" if low_inclusive else f"more than {low:,}% and at most {high:,}%"
    if value < low or (value == low and not low_inclusive) or value > high:
        raise InputError(field, f"must be {bound}{per}, such as {example}.")
    if _too_many_places(value, places):
        raise InputError(field, f"must have at most {places} decimal places, {bound}{per}, such as {example}.")
    return value


def parse_positive(text: str | None, field: str, high: Decimal, *, whole: bool = False, example: str = "3.50",
                   unit: str = "", money: bool = False, places: int | None = None) -> Decimal:
    """A number above zero and at most ``high`` (``$`` and thousands separators allowed); ``whole`` refuses fractions,
    ``places`` more decimal places than that (``places=2`` with ``money``: whole cents, from $0.01).

    >>> parse_positive("$3.50", "share_price", Decimal(1000000), money=True, places=2)
    Decimal('3.50')
    >>> parse_positive("4,500,000", "shares_outstanding", Decimal(10**10), whole=True)
    Decimal('4500000')
    """
    value = _plain_number(text, field, "$", "", "a whole number" if whole else "a number", example)
    dollar = "$" if money else ""
    top = f"{dollar}{high:,}"
    if places is None:
        bounds = f"more than {dollar}0 and at most {top}{unit}"
    else:
        bounds = f"from {dollar}{Decimal(1).scaleb(-places)} to {top}{unit}"
    if value <= 0 or value > high:
        raise InputError(field, f"must be {bounds}, such as {example}.")
    if whole and value != value.to_integral_value():
        raise InputError(field, f"must be a whole number, such as {example}.")
    if _too_many_places(value, places):
        steps = "whole cents" if money and places == 2 else f"at most {places} decimal places"
        raise InputError(field, f"must be in {steps}, {bounds}, such as {example}.")
    return value
