"""Core terms from a version row: the one conversion, shared by the adapter and the model's own validation.

It reads the row's attributes and imports no model, so ``OfferVersion.clean`` can use it without an
import circle (the adapter, which saves rows, imports the models).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from offers.core.terms import (
    NewNotesTerms,
    OfferTerms,
    OldNotesTerms,
    ParticipationFeeTerms,
    WarrantTerms,
)

NEW_YORK = ZoneInfo("America/New_York")

# Where a problem found in core terms is shown on the version form.
TERMS_PATH_TO_FIELD: dict[str, str] = {
    "slug": "slug",
    "name": "name",
    "announced": "announced",
    "source": "source",
    "expires_at": "expires_at",
    "expected_consummation": "expected_consummation",
    "minimum_tender_percent": "minimum_tender_percent",
    "old_notes.accrual_end": "accrual_end",
    "new_notes.rate_percent": "new_rate_percent",
    "new_notes.interest_from": "interest_from",
    "new_notes.first_payment": "first_payment",
    "new_notes.payment_months": "payment_months",
    "new_notes.payment_day": "payment_day",
    "new_notes.maturity": "maturity",
    "new_notes.day_count": "new_day_count",
    "new_notes.increment": "increment",
    "new_notes.fractions": "fractions",
    "participation_fee.basis": "fee_basis",
    "participation_fee.percent": "fee_percent",
    "participation_fee.per_1000": "fee_per_1000",
    "participation_fee.paid_on": "fee_paid_on",
    "warrants.shares_per_1000": "shares_per_1000",
    "warrants.exercise_price": "exercise_price",
    "warrants.detachable_from": "detachable_from",
    "warrants.exercisable_from": "exercisable_from",
    "warrants.expires": "warrant_expires",
    "warrants.fractions": "warrant_fractions",
    "warrants.may_expire_after_maturity": "warrants_may_outlive_notes",
}


def plain(value: Decimal | None) -> Decimal | None:
    """``12.000000`` -> ``12``, ``3.50`` stays ``3.50`` (money keeps its cents), never ``1E+3``."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _paid_on(items: list[Any]) -> tuple[date | None, ...]:
    return tuple(None if item == "consummation" else date.fromisoformat(item) for item in items)


def terms_from_version(version: Any) -> OfferTerms:
    """Core terms for a version row (its Old Notes included)."""
    old = version.old_notes
    fee = None
    if version.fee_basis:
        fee = ParticipationFeeTerms(
            basis=version.fee_basis,
            percent=plain(version.fee_percent),
            per_1000=plain(version.fee_per_1000),
            paid_on=_paid_on(version.fee_paid_on or ["consummation"]),
        )
    return OfferTerms(
        slug=version.slug,
        name=version.name,
        announced=version.announced,
        source=version.source,
        expires_at=version.expires_at.astimezone(NEW_YORK),
        expected_consummation=version.expected_consummation,
        minimum_tender_percent=plain(version.minimum_tender_percent),
        old_notes=OldNotesTerms(
            name=old.name,
            rate_percent=plain(old.rate_percent),
            accrual_start=old.accrual_start,
            accrual_end=version.accrual_end,
            day_count=old.day_count,
            outstanding=plain(old.outstanding),
        ),
        new_notes=NewNotesTerms(
            rate_percent=plain(version.new_rate_percent),
            interest_from=version.interest_from,
            first_payment=version.first_payment,
            payment_months=tuple(version.payment_months),
            payment_day=version.payment_day,
            maturity=version.maturity,
            day_count=version.new_day_count,
            increment=plain(version.increment),
            fractions=version.fractions,
        ),
        participation_fee=fee,
        warrants=WarrantTerms(
            shares_per_1000=plain(version.shares_per_1000),
            exercise_price=version.exercise_price,
            detachable_from=version.detachable_from,
            exercisable_from=version.exercisable_from,
            expires=version.warrant_expires,
            fractions=version.warrant_fractions,
            may_expire_after_maturity=version.warrants_may_outlive_notes,
        ),
    )
