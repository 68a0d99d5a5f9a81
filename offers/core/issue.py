"""The whole issue at once: an amount of Old Notes (all outstanding, or all tendered)
through one version of the terms, as if one holder held it.

Staff use it to check the terms against the company's own figures. Worked example
(September 2003 terms, consummation Oct 10, 2003, all $27,412,000 outstanding):
accrued = 27,412,000 x 12.75% x 1509/360 = 14,650,000.75 (the release: "$14,650,000");
New Notes 42,062,000 ($0.75 forgone); 420,620 warrant shares; interest in the first
year (coupons paid Feb 1, May 1 and Aug 1, 2004) = 1,556,294.00 + 2 x 1,261,860.00
= 4,080,014.00.

Treating the amount as one holding rounds once; real holders are rounded one by one
(rule 3), so the true issue-wide New Notes can be a few dollars lower.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .outcome import Coupon, Holding, VersionOutcome, version_outcome
from .terms import OfferTerms

THOUSAND = Decimal(1000)
PERCENT_PLACES = Decimal("0.1")

# What the press release of September 18, 2003 says, to check the stored terms against.
RELEASE_DATE = date(2003, 9, 18)
RELEASE_CONSUMMATION = date(2003, 10, 10)
RELEASE_ACCRUED_PER_1000 = Decimal("534.4375")
RELEASE_ACCRUED_ALL = Decimal(14650000)
RELEASE_OUTSTANDING = Decimal(27412000)
RELEASE_TENDERED_PERCENT = Decimal("99.3")
RELEASE_LARGEST_HOLDERS_PERCENT = Decimal("74.7")


def first_year_end(consummation: date) -> date:
    """The first anniversary of consummation (Feb 29 -> Feb 28 in a common year).

    >>> first_year_end(date(2003, 10, 10)), first_year_end(date(2004, 2, 29))
    (datetime.date(2004, 10, 10), datetime.date(2005, 2, 28))
    """
    year = consummation.year + 1
    return date(year, consummation.month, min(consummation.day, monthrange(year, consummation.month)[1]))


def first_year_coupons(outcome: VersionOutcome) -> tuple[Coupon, ...]:
    """The coupons paid on or after consummation and before its first anniversary."""
    start = outcome.holding.consummation
    end = first_year_end(start)
    return tuple(c for c in outcome.coupons if start <= c.paid_on < end)


def percent_of(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a percentage of ``whole``, to one decimal, halves up (as the release writes them).

    >>> percent_of(Decimal(27209000), Decimal(27412000)), percent_of(Decimal(20490000), Decimal(27412000))
    (Decimal('99.3'), Decimal('74.7'))
    """
    return (part * 100 / whole).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def to_thousand_half_up(amount: Decimal) -> Decimal:
    """The nearest $1,000, halves up: how a press release rounds a large total.

    >>> to_thousand_half_up(Decimal("14650000.75")), to_thousand_half_up(Decimal("1500"))
    (Decimal('14650000'), Decimal('2000'))
    """
    return (amount / THOUSAND).quantize(Decimal(1), rounding=ROUND_HALF_UP) * THOUSAND


def tender_condition_met(terms: OfferTerms, tendered: Decimal) -> bool:
    """Whether ``tendered`` reaches the version's minimum tender, compared exactly (not the rounded percent)."""
    return tendered * 100 >= terms.minimum_tender_percent * terms.old_notes.outstanding


@dataclass(frozen=True)
class TenderStatus:
    """A tender report against a version's minimum tender condition."""

    as_of: date
    amount_tendered: Decimal
    outstanding: Decimal
    percent: Decimal  # exact
    percent_shown: Decimal  # to one decimal, half up, as the press release writes it (99.3%)
    minimum_percent: Decimal | None
    minimum_met: bool | None


def tender_status(as_of: date, tendered: Decimal, outstanding: Decimal, terms: OfferTerms | None) -> TenderStatus:
    """How much is tendered, against the minimum of ``terms`` (the version in force), checked exactly.

    >>> from offers.core.termsfile import seed_terms
    >>> status = tender_status(date(2003, 9, 18), Decimal(27209000), Decimal(27412000), seed_terms()["original"])
    >>> status.percent_shown, status.minimum_percent, status.minimum_met
    (Decimal('99.3'), Decimal('99'), True)
    """
    return TenderStatus(
        as_of=as_of,
        amount_tendered=tendered,
        outstanding=outstanding,
        percent=tendered * 100 / outstanding,
        percent_shown=percent_of(tendered, outstanding),
        minimum_percent=None if terms is None else terms.minimum_tender_percent,
        minimum_met=None if terms is None else tender_condition_met(terms, tendered),
    )


@dataclass(frozen=True)
class IssueFigures:
    """One version applied to one amount; figures are None where the version does not apply."""

    outcome: VersionOutcome
    accrued_per_1000: Decimal | None
    first_year_end: date
    first_year_coupons: tuple[Coupon, ...]
    first_year_interest: Decimal | None

    @property
    def principal(self) -> Decimal:
        return self.outcome.holding.principal


def issue_figures(terms: OfferTerms, principal: Decimal, consummation: date) -> IssueFigures:
    """``principal`` of Old Notes (such as all outstanding) exchanged as one holding on ``consummation``."""
    whole = version_outcome(terms, Holding(principal, consummation))
    per_1000 = version_outcome(terms, Holding(THOUSAND, consummation))
    coupons = first_year_coupons(whole) if whole.available else ()
    return IssueFigures(
        outcome=whole,
        accrued_per_1000=per_1000.accrued_interest,
        first_year_end=first_year_end(consummation),
        first_year_coupons=coupons,
        first_year_interest=sum((c.amount for c in coupons), Decimal("0.00")) if whole.available else None,
    )


@dataclass(frozen=True)
class ReleaseCheck:
    """One figure of the press release beside the same figure computed from the stored terms.

    ``compared`` is ``computed`` rounded the way the release rounds it; None when it
    cannot be computed (the version does not apply, or the figure is not stored).
    """

    label: str
    kind: str  # "money" | "percent"
    release: Decimal
    computed: Decimal | None
    compared: Decimal | None
    note: str = ""

    @property
    def matches(self) -> bool:
        return self.compared is not None and self.compared == self.release


def _accrued_note(accrued: Decimal | None, rounded: Decimal | None) -> str:
    """The exact figure, and how it stands against the release's rounded one: a match or a mismatch, said so."""
    if accrued is None or rounded is None:
        return ""
    if rounded == RELEASE_ACCRUED_ALL:
        return f"Exact: ${accrued:,}; the release rounds this to ${RELEASE_ACCRUED_ALL:,}."
    return (f"Exact: ${accrued:,}, which rounds to ${rounded:,}, not the release's ${RELEASE_ACCRUED_ALL:,}: "
            "the stored terms or amount outstanding differ from the release's.")


def release_checks(versions: list[OfferTerms], outstanding: Decimal, tendered: Decimal | None,
                   largest_holders: Decimal | None) -> tuple[ReleaseCheck, ...]:
    """The press release's figures recomputed from the stored terms and tender report."""
    checks = [ReleaseCheck("Old Notes principal outstanding", "money", RELEASE_OUTSTANDING, outstanding, outstanding,
                           "" if outstanding == RELEASE_OUTSTANDING else
                           f"the stored ${outstanding:,} is not the release's ${RELEASE_OUTSTANDING:,}.")]
    for terms in versions:
        figures = issue_figures(terms, outstanding, RELEASE_CONSUMMATION)
        per_1000 = figures.accrued_per_1000
        checks.append(ReleaseCheck(f"Accrued interest per $1,000, Oct 10, 2003 ({terms.name})", "money",
                                   RELEASE_ACCRUED_PER_1000, per_1000, per_1000,
                                   figures.outcome.unavailable_reason or ""))
        accrued = figures.outcome.accrued_interest
        rounded = None if accrued is None else to_thousand_half_up(accrued)
        checks.append(ReleaseCheck(
            f"Accrued interest on all ${outstanding:,} outstanding, Oct 10, 2003 ({terms.name})", "money",
            RELEASE_ACCRUED_ALL, accrued, rounded,
            figures.outcome.unavailable_reason or _accrued_note(accrued, rounded),
        ))
    for label, release, part in (
        ("Tendered, as a percentage of the amount outstanding", RELEASE_TENDERED_PERCENT, tendered),
        ("The largest holders' Old Notes, as a percentage of the amount outstanding",
         RELEASE_LARGEST_HOLDERS_PERCENT, largest_holders),
    ):
        value = None if part is None else percent_of(part, outstanding)
        checks.append(ReleaseCheck(label, "percent", release, value, value,
                                   "" if part is None else f"${part:,} of ${outstanding:,}."))
    return tuple(checks)
