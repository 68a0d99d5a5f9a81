"""What the "How we calculate" page shows besides its prose: the worked example, the terms staff can change, the source.

The worked example is computed here by the core from the published terms, never
typed in; the quotes are read from the press release shipped with the project
(``offers/sources``), so what the page quotes is the document itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from offers.core.outcome import (
    Coupon,
    Holding,
    VersionOutcome,
    accrued_interest_exact,
    coupon_exact,
    long_date,
    schedule,
    version_outcome,
)
from offers.core.terms import BASIS_NEW_PRINCIPAL, CASH_IN_LIEU, OfferTerms
from offers.formatting import money, new_york, percent
from offers.pictures import RECORD_DATE

SOURCE = Path(__file__).resolve().parent / "sources" / "lexp-press-release-2003-09-18.txt"
SOURCE_TITLE = "Lexington Precision press release of September 18, 2003"
# The spec's worked example, the case the press release itself works out: $1,000 exchanged on Oct 10, 2003.
WORKED_EXAMPLE = Holding(Decimal(1000), date(2003, 10, 10))

# The passages each section quotes, found by a phrase they contain (a test checks each is found once).
QUOTES: dict[str, tuple[str, ...]] = {
    "availability": ("holders of\nrecord, as of July 1, 2002", "will expire at 5:00 p.m., New York City Time"),
    "accrued_interest": ("tendering holders of Old Notes\nwill receive New Notes",),
    "payment_dates": ("Interest on the New Notes will accrue",),
    "coupons": ("The interest rate on the new senior", "The maturity date of the New Notes"),
    "participation_fee": ("The participation fee has been eliminated",),
    "warrant_shares": ("Warrants to\npurchase 10 shares", "The expiration date of the common stock"),
    "not_tendering": ("does not presently intend to pay",),
    "what_to_do": ("Holders who have tendered their Old Notes and wish",),
}


@dataclass(frozen=True)
class Quote:
    text: str  # the paragraph's words exactly, its line breaks read as spaces
    first_line: int
    last_line: int


@lru_cache(maxsize=1)
def source_lines() -> tuple[str, ...]:
    """The press release, line by line, as shipped (``offers/sources``)."""
    return tuple(SOURCE.read_text(encoding="utf-8").splitlines())


@lru_cache(maxsize=1)
def _paragraphs() -> tuple[Quote, ...]:
    lines = source_lines()
    found: list[Quote] = []
    start = None
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip() and start is None:
            start = number
        elif not line.strip() and start is not None:
            found.append(Quote("\n".join(lines[start - 1:number - 1]), start, number - 1))
            start = None
    return tuple(found)


def quote(phrase: str) -> Quote:
    """The source paragraph containing ``phrase`` (line breaks in the phrase match the document's)."""
    matches = [p for p in _paragraphs() if phrase in p.text]
    if len(matches) != 1:
        raise LookupError(f"{len(matches)} paragraphs of {SOURCE.name} contain {phrase!r}; expected one")
    paragraph = matches[0]
    return Quote(" ".join(paragraph.text.split()), paragraph.first_line, paragraph.last_line)


def quotes() -> dict[str, tuple[Quote, ...]]:
    return {section: tuple(quote(phrase) for phrase in phrases) for section, phrases in QUOTES.items()}


# The worked example


@dataclass(frozen=True)
class CouponRun:
    """Consecutive coupons of the same period length (and so the same amount)."""

    count: int
    first: Coupon
    last: Coupon
    ratio: tuple[int, int]
    exact: Fraction  # each coupon before rounding, exactly


@dataclass(frozen=True)
class WorkedVersion:
    version: VersionOutcome
    accrual_ratio: tuple[int, int]
    runs: tuple[CouponRun, ...]
    fee_text: str
    accrued_exact: Fraction
    unavailable_reason = None  # like a VersionOutcome's: the template reads both alike

    @property
    def terms(self) -> OfferTerms:
        return self.version.terms


def _runs(version: VersionOutcome) -> tuple[CouponRun, ...]:
    runs = []
    for key, group in groupby(version.coupons, key=lambda coupon: coupon.ratio):
        coupons = list(group)
        runs.append(CouponRun(len(coupons), coupons[0], coupons[-1], key, coupon_exact(version, coupons[0])))
    return tuple(runs)


def _fee_text(version: VersionOutcome) -> str:
    fee = version.terms.participation_fee
    if fee is None:
        return "none in this version."
    basis_name, basis = ("New Notes principal", version.new_principal) if fee.basis == BASIS_NEW_PRINCIPAL else (
        "Old Notes principal", version.holding.principal)
    rate = f"{percent(fee.percent)} of" if fee.percent is not None else f"{money(fee.per_1000)} per $1,000 of"
    payments = version.participation_fee
    paid = (f"paid on {long_date(payments[0].paid_on)}" if len(payments) == 1 else "paid in instalments: " + "; ".join(
        f"{money(p.amount)} on {long_date(p.paid_on)}" for p in payments))
    return f"{rate} the {basis_name} ({money(basis)}), rounded half up to the cent: " \
           f"{money(version.total_participation_fee)}, {paid}."


def worked_example(terms: tuple[OfferTerms, ...]) -> tuple[WorkedVersion | VersionOutcome, ...]:
    """$1,000 at Oct 10, 2003 under each published version; a version that does not apply comes back as is."""
    worked: list[WorkedVersion | VersionOutcome] = []
    for t in terms:
        version = version_outcome(t, WORKED_EXAMPLE)
        if not version.available:
            worked.append(version)
            continue
        plan = schedule(t, WORKED_EXAMPLE.consummation)
        worked.append(WorkedVersion(version, plan.accrual_ratio, _runs(version), _fee_text(version),
                                    accrued_interest_exact(t, WORKED_EXAMPLE)))
    return tuple(worked)


# What staff can change


@dataclass(frozen=True)
class TermRow:
    label: str
    values: tuple[str, ...]
    section: str  # where the page explains the rule this term feeds
    assumption: bool = False  # the public documents are silent; the value is our default


def _months(t: OfferTerms) -> str:
    names = ", ".join(date(2000, m, 1).strftime("%B") for m in t.new_notes.payment_months)
    return f"day {t.new_notes.payment_day} of {names}"


def _fee(t: OfferTerms) -> str:
    fee = t.participation_fee
    if fee is None:
        return "none"
    amount = f"{percent(fee.percent)}" if fee.percent is not None else f"{money(fee.per_1000)} per $1,000"
    basis = "New Notes principal" if fee.basis == BASIS_NEW_PRINCIPAL else "Old Notes principal"
    paid = ", ".join(long_date(d) if d else "consummation" for d in fee.paid_on)
    return f"{amount} of the {basis}, paid on {paid}"


TERM_ROWS: tuple[tuple[str, str, bool, Callable[[OfferTerms], str]], ...] = (
    ("Offer expires", "availability", False, lambda t: new_york(t.expires_at)),
    ("Expected consummation (the form's starting date)", "availability", False,
     lambda t: long_date(t.expected_consummation)),
    ("Minimum tender condition", "availability", False, lambda t: percent(t.minimum_tender_percent)),
    ("Old Notes rate", "accrued-interest", False, lambda t: percent(t.old_notes.rate_percent)),
    ("Old Notes interest accrues from", "accrued-interest", False, lambda t: long_date(t.old_notes.accrual_start)),
    ("Old Notes interest accrues through", "accrued-interest", False,
     lambda t: long_date(t.old_notes.accrual_end) if t.old_notes.accrual_end else "the day before consummation"),
    ("Old Notes day count", "day-counts", False, lambda t: t.old_notes.day_count),
    ("New Notes issued in multiples of", "rounding", True, lambda t: money(t.new_notes.increment)),
    ("Fraction below that multiple", "rounding", True,
     lambda t: "paid in cash" if t.new_notes.fractions == CASH_IN_LIEU else "not issued and not paid"),
    ("New Notes rate", "coupons", False, lambda t: percent(t.new_notes.rate_percent)),
    ("New Notes interest runs from", "payment-dates", False,
     lambda t: "consummation" if t.new_notes.interest_from is None else long_date(t.new_notes.interest_from)),
    ("Interest paid on", "payment-dates", False, _months),
    ("First payment", "payment-dates", False,
     lambda t: "the first payment date after interest starts" if t.new_notes.first_payment is None
     else long_date(t.new_notes.first_payment)),
    ("New Notes maturity", "payment-dates", False, lambda t: long_date(t.new_notes.maturity)),
    ("New Notes day count", "new-notes-day-count", True, lambda t: t.new_notes.day_count),
    ("Participation fee", "participation-fee", False, _fee),
    ("Warrant shares per $1,000 of New Notes", "warrant-shares", False,
     lambda t: f"{t.warrants.shares_per_1000.normalize():f}"),
    ("Warrant shares rounded", "warrant-shares", True,
     lambda t: "fractions paid in cash" if t.warrants.fractions == CASH_IN_LIEU else "down to a whole share"),
    ("Exercise price per share", "warrant-shares", False, lambda t: money(t.warrants.exercise_price)),
    ("Warrants detachable from", "warrant-shares", False, lambda t: long_date(t.warrants.detachable_from)),
    ("Warrants exercisable from", "warrant-shares", False, lambda t: long_date(t.warrants.exercisable_from)),
    ("Warrants expire", "warrant-shares", False, lambda t: long_date(t.warrants.expires)),
)


def term_rows(terms: tuple[OfferTerms, ...]) -> tuple[TermRow, ...]:
    """Each term staff can change, with its value in each published version."""
    return tuple(TermRow(label, tuple(get(t) for t in terms), section, assumption)
                 for label, section, assumption, get in TERM_ROWS)


@dataclass(frozen=True)
class Explanation:
    terms: tuple[OfferTerms, ...]
    worked: tuple[WorkedVersion | VersionOutcome, ...]
    term_rows: tuple[TermRow, ...]
    quotes: dict[str, tuple[Quote, ...]]
    holding: Holding = WORKED_EXAMPLE
    record_date: date = RECORD_DATE
    source_title: str = SOURCE_TITLE

    @property
    def source_lines(self) -> tuple[str, ...]:
        return source_lines()

    @property
    def payment_days(self) -> str:
        """When the latest version pays interest: "day 1 of February, May, August, November"."""
        return _months(self.terms[-1]) if self.terms else ""


def explain(terms: tuple[OfferTerms, ...]) -> Explanation:
    return Explanation(terms, worked_example(terms), term_rows(terms), quotes())



# What the answer quotes from the release beside the figures


@lru_cache(maxsize=1)
def contact() -> str:
    """The company's contact for the offer, as the release gives it: "Warren Delano (212) 319-4657"."""
    return quote("Contact:").text.removeprefix("Contact:").strip()
