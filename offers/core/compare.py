"""The side-by-side lines of a comparison and the differences between two versions.

One list of lines serves the terminal table, the web page and the differences
column, so they cannot disagree about what is compared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .outcome import VersionOutcome

# How a line's value is written: money to the cent, exact (all decimals),
# a percentage, a whole count, a date, or a list of dated payments.
MONEY, EXACT, PERCENT, COUNT, DATE, PAYMENTS = "money", "exact", "percent", "count", "date", "payments"


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    kind: str
    get: Callable[[VersionOutcome], object]
    assumption: str | None = None  # the section of the explanation the figure rests on


def _fee_payments(v: VersionOutcome) -> tuple[tuple[date, Decimal], ...]:
    return tuple((p.paid_on, p.amount) for p in v.participation_fee)


LINES: tuple[Line, ...] = (
    Line("old_principal", "Old Notes principal", MONEY, lambda v: v.holding.principal),
    Line("accrual_days", "Days of Old Notes interest", COUNT, lambda v: v.accrual_days),
    Line("accrued_interest", "Accrued interest converted", EXACT, lambda v: v.accrued_interest),
    Line("new_principal", "New Notes principal", MONEY, lambda v: v.new_principal, "rounding"),
    Line("forgone", "Forgone (fraction below the increment)", EXACT, lambda v: v.forgone, "rounding"),
    Line("cash_in_lieu", "Cash in lieu of fractions", MONEY, lambda v: v.cash_in_lieu, "rounding"),
    Line("rate_percent", "New Notes interest rate", PERCENT, lambda v: v.terms.new_notes.rate_percent),
    Line("maturity", "New Notes maturity", DATE, lambda v: v.terms.new_notes.maturity),
    Line("participation_fee", "Participation fee", PAYMENTS, _fee_payments),
    Line("total_participation_fee", "Participation fee, total", MONEY, lambda v: v.total_participation_fee),
    Line("warrant_shares", "Warrant shares", COUNT, lambda v: v.warrants.shares if v.warrants else None,
         "warrant-shares"),
    Line("exercise_price", "Exercise price per share", MONEY,
         lambda v: v.warrants.exercise_price if v.warrants else None),
    Line("exercise_cost", "Aggregate exercise cost", MONEY,
         lambda v: v.warrants.exercise_cost if v.warrants else None),
    Line("detachable_from", "Warrants detachable from", DATE,
         lambda v: v.warrants.detachable_from if v.warrants else None),
    Line("exercisable_from", "Warrants exercisable from", DATE,
         lambda v: v.warrants.exercisable_from if v.warrants else None),
    Line("warrant_expires", "Warrants expire", DATE, lambda v: v.warrants.expires if v.warrants else None),
    Line("coupon_count", "Number of coupons", COUNT, lambda v: len(v.coupons) if v.available else None),
    Line("total_interest", "Total interest", MONEY, lambda v: v.total_interest, "new-notes-day-count"),
    Line("principal_repaid", "Principal repaid at maturity", MONEY,
         lambda v: v.principal_repayment.amount if v.principal_repayment else None),
    Line("total_cash", "Total cash", MONEY, lambda v: v.total_cash),
)


@dataclass(frozen=True)
class Difference:
    """``after`` minus ``before`` for one line; ``delta`` is None where subtraction means nothing."""

    line: Line
    before: object
    after: object
    delta: Decimal | int | None


def differences(before: VersionOutcome, after: VersionOutcome) -> tuple[Difference, ...]:
    """The lines whose values differ between two outcomes, in :data:`LINES` order.

    Only compares versions that both apply; otherwise there is nothing to subtract.
    """
    if not (before.available and after.available):
        return ()
    found = []
    for line in LINES:
        a, b = line.get(before), line.get(after)
        if a == b:
            continue
        delta = b - a if line.kind in (MONEY, EXACT, PERCENT, COUNT) and a is not None and b is not None else None
        found.append(Difference(line, a, b, delta))
    return tuple(found)
