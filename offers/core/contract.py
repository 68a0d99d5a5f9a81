"""The machine-readable outcome (spec: "the JSON contract", version 2.1): money and rates as strings.

Every money string has exactly 2 decimals ("1534.00"), except ``accrued_interest`` and
``forgone``: exact when the value ends within 10 decimal places, otherwise rounded half up
to 10 places, with ``forgone`` then worked out from the strings themselves, so that
``principal + accrued_interest == new_notes.principal + forgone`` holds exactly on what is
written (when fractions are paid as cash in lieu, ``forgone`` is 0.00).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .money import CENT
from .outcome import VersionOutcome
from .versions import Link, Outcome

_TEN_PLACES = Decimal("1E-10")


def money(value: Decimal | None) -> str | None:
    """Exactly 2 decimals: ``1534`` -> ``"1534.00"``. Amounts here are already whole cents.

    >>> money(Decimal(1534)), money(Decimal("46.02"))
    ('1534.00', '46.02')
    """
    return None if value is None else format(value.quantize(CENT), "f")


def fine_money(value: Decimal) -> Decimal:
    """Exact when the value ends within 10 decimal places, else rounded half up to 10; at least 2 places.

    >>> fine_money(Decimal("534.4375")), fine_money(Decimal("558.5208333333333333333333333"))
    (Decimal('534.4375'), Decimal('558.5208333333'))
    """
    rounded = value.quantize(_TEN_PLACES, rounding=ROUND_HALF_UP)
    places = max(2, -rounded.normalize().as_tuple().exponent) if rounded else 2
    return rounded.quantize(Decimal(1).scaleb(-places))


def accrued_and_forgone(v: VersionOutcome) -> tuple[str, str]:
    """``accrued_interest`` and ``forgone`` as machines get them: principal + accrued == new principal + forgone.

    >>> from offers.core.termsfile import seed_terms
    >>> from offers.core.outcome import Holding, version_outcome
    >>> accrued_and_forgone(version_outcome(seed_terms()["original"], Holding(Decimal(1000), date(2003, 12, 18))))
    ('558.5208333333', '0.5208333333')
    """
    assert v.accrued_interest is not None and v.new_principal is not None
    accrued = fine_money(v.accrued_interest)
    forgone = fine_money(v.holding.principal + accrued - v.new_principal) if v.forgone else Decimal("0.00")
    return format(accrued, "f"), format(forgone, "f")


def _d(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _changes(link: Link) -> list[dict[str, Any]]:
    return [{"field": c.field, "label": c.label, "from": c.before, "to": c.after} for c in link.changes]


def version_to_contract(v: VersionOutcome, link: Link) -> dict[str, Any]:
    notes = v.terms.new_notes
    base: dict[str, Any] = {
        "slug": v.slug,
        "name": v.name,
        "available": v.available,
        "unavailable_reason": v.unavailable_reason,
        "expires_at": v.terms.expires_at.isoformat(),
        "supersedes": link.supersedes.slug if link.supersedes else None,
        "superseded_by": link.superseded_by.slug if link.superseded_by else None,
        "changes": _changes(link),
    }
    if not v.available:
        return base | {
            "old_notes": None, "new_notes": None, "coupons": [], "principal_repayment": None,
            "participation_fee": [], "warrants": None, "totals": None,
        }
    assert v.warrants is not None and v.principal_repayment is not None
    accrued, forgone = accrued_and_forgone(v)
    return base | {
        "old_notes": {
            "principal": money(v.holding.principal),
            "accrual_days": v.accrual_days,
            "accrued_interest": accrued,
        },
        "new_notes": {
            "principal": money(v.new_principal),
            "cash_in_lieu": money(v.cash_in_lieu),
            "forgone": forgone,
            "rate_percent": str(notes.rate_percent),
            "maturity": _d(notes.maturity),
        },
        "coupons": [
            {"period_start": _d(c.period_start), "period_end": _d(c.period_end), "paid_on": _d(c.paid_on),
             "days": c.days, "amount": money(c.amount)}
            for c in v.coupons
        ],
        "principal_repayment": {"date": _d(v.principal_repayment.paid_on),
                                "amount": money(v.principal_repayment.amount)},
        "participation_fee": [{"paid_on": _d(p.paid_on), "amount": money(p.amount)} for p in v.participation_fee],
        "warrants": {
            "shares": v.warrants.shares,
            "exercise_price": money(v.warrants.exercise_price),
            "exercise_cost": money(v.warrants.exercise_cost),
            "detachable_from": _d(v.warrants.detachable_from),
            "exercisable_from": _d(v.warrants.exercisable_from),
            "expires": _d(v.warrants.expires),
        },
        "totals": {
            "interest": money(v.total_interest),
            "participation_fee": money(v.total_participation_fee),
            "cash": money(v.total_cash),
        },
    }


def outcome_to_contract(result: Outcome) -> dict[str, Any]:
    rate = result.break_even_discount_rate
    return {
        "inputs": {"principal": money(result.holding.principal), "consummation": _d(result.holding.consummation)},
        "in_force": result.in_force.slug if result.in_force else None,
        "earliest_consummation": _d(result.earliest_consummation),
        "break_even_discount_rate": None if rate is None else str(rate),
        "versions": [version_to_contract(v, link) for v, link in zip(result.versions, result.links, strict=True)],
    }


CASH_FLOW_COLUMNS = ("version", "paid_on", "kind", "amount")


def cash_flow_rows(result: Outcome) -> list[list[str]]:
    """The CSV of every dated cash flow of every version (the command's and the download's): header first."""
    return [list(CASH_FLOW_COLUMNS)] + [
        [version.slug, flow.paid_on.isoformat(), flow.kind, money(flow.amount)]
        for version in result.versions for flow in version.cash_flows()
    ]
