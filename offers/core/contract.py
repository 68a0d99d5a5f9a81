"""The machine-readable outcome (spec: "the JSON contract"): money and rates as strings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from .outcome import Outcome, VersionOutcome


def _s(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


def _d(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def version_to_contract(v: VersionOutcome) -> dict[str, Any]:
    notes = v.terms.new_notes
    base: dict[str, Any] = {
        "slug": v.slug,
        "name": v.name,
        "available": v.available,
        "unavailable_reason": v.unavailable_reason,
    }
    if not v.available:
        return base | {
            "old_notes": None, "new_notes": None, "coupons": [], "principal_repayment": None,
            "participation_fee": [], "warrants": None, "totals": None,
        }
    assert v.warrants is not None and v.principal_repayment is not None
    return base | {
        "old_notes": {
            "principal": _s(v.holding.principal),
            "accrual_days": v.accrual_days,
            "accrued_interest": _s(v.accrued_interest),
        },
        "new_notes": {
            "principal": _s(v.new_principal),
            "cash_in_lieu": _s(v.cash_in_lieu),
            "forgone": _s(v.forgone),
            "rate_percent": _s(notes.rate_percent),
            "maturity": _d(notes.maturity),
        },
        "coupons": [
            {"period_start": _d(c.period_start), "period_end": _d(c.period_end), "paid_on": _d(c.paid_on),
             "days": c.days, "amount": _s(c.amount)}
            for c in v.coupons
        ],
        "principal_repayment": {"date": _d(v.principal_repayment.paid_on),
                                "amount": _s(v.principal_repayment.amount)},
        "participation_fee": [{"paid_on": _d(p.paid_on), "amount": _s(p.amount)} for p in v.participation_fee],
        "warrants": {
            "shares": v.warrants.shares,
            "exercise_price": _s(v.warrants.exercise_price),
            "exercise_cost": _s(v.warrants.exercise_cost),
            "detachable_from": _d(v.warrants.detachable_from),
            "exercisable_from": _d(v.warrants.exercisable_from),
            "expires": _d(v.warrants.expires),
        },
        "totals": {
            "interest": _s(v.total_interest),
            "participation_fee": _s(v.total_participation_fee),
            "cash": _s(v.total_cash),
        },
    }


def outcome_to_contract(result: Outcome) -> dict[str, Any]:
    return {
        "inputs": {"principal": _s(result.holding.principal), "consummation": _d(result.holding.consummation)},
        "versions": [version_to_contract(v) for v in result.versions],
    }
