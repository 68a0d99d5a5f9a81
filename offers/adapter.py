"""The one adapter between database rows and core terms (both directions).

Decimal columns come back from the database with their full scale (``12.000000``);
``_plain`` strips the padding so a version exported to a terms file reads the way
staff wrote it (``12``) and a round trip is loss-free.
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
from offers.core.termsfile import TermsFileError, terms_from_dict, terms_to_dict
from offers.models import OfferVersion, OldNotes

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


def _plain(value: Decimal | None) -> Decimal | None:
    """``12.000000`` -> ``12``, ``3.50`` stays ``3.50`` (money keeps its cents), never ``1E+3``."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _paid_on(items: list[Any]) -> tuple[date | None, ...]:
    return tuple(None if item == "consummation" else date.fromisoformat(item) for item in items)


def terms_from_version(version: OfferVersion) -> OfferTerms:
    """Core terms for a version row (its Old Notes included)."""
    old: OldNotes = version.old_notes
    fee = None
    if version.fee_basis:
        fee = ParticipationFeeTerms(
            basis=version.fee_basis,
            percent=_plain(version.fee_percent),
            per_1000=_plain(version.fee_per_1000),
            paid_on=_paid_on(version.fee_paid_on or ["consummation"]),
        )
    return OfferTerms(
        slug=version.slug,
        name=version.name,
        announced=version.announced,
        source=version.source,
        expires_at=version.expires_at.astimezone(NEW_YORK),
        expected_consummation=version.expected_consummation,
        minimum_tender_percent=_plain(version.minimum_tender_percent),
        old_notes=OldNotesTerms(
            name=old.name,
            rate_percent=_plain(old.rate_percent),
            accrual_start=old.accrual_start,
            accrual_end=version.accrual_end,
            day_count=old.day_count,
            outstanding=_plain(old.outstanding),
        ),
        new_notes=NewNotesTerms(
            rate_percent=_plain(version.new_rate_percent),
            interest_from=version.interest_from,
            first_payment=version.first_payment,
            payment_months=tuple(version.payment_months),
            payment_day=version.payment_day,
            maturity=version.maturity,
            day_count=version.new_day_count,
            increment=_plain(version.increment),
            fractions=version.fractions,
        ),
        participation_fee=fee,
        warrants=WarrantTerms(
            shares_per_1000=_plain(version.shares_per_1000),
            exercise_price=version.exercise_price,
            detachable_from=version.detachable_from,
            exercisable_from=version.exercisable_from,
            expires=version.warrant_expires,
            fractions=version.warrant_fractions,
            may_expire_after_maturity=version.warrants_may_outlive_notes,
        ),
    )


def stored_problems(row: OfferVersion) -> tuple[OfferTerms | None, tuple[str, ...]]:
    """The row as core terms, or no terms and every core rule it breaks, each as "terms path: message".

    The rules a terms file is read with (types, choices, then
    :func:`offers.core.validation.validate_terms`), so a row written past the admin (with SQL,
    say) is caught here however it is broken, instead of failing somewhere in the figures.
    """
    try:
        terms = terms_from_version(row)
        terms_from_dict(terms_to_dict(terms))
    except TermsFileError as error:
        return None, tuple(f"{path}: {' '.join(messages)}" for path, messages in error.errors.items())
    except Exception as error:  # any value the adapter cannot read at all (a null list, a string for a date)
        return None, (f"{type(error).__name__}: {error}",)
    return terms, ()


def old_notes_fields(terms: OfferTerms) -> dict[str, Any]:
    old = terms.old_notes
    return {"rate_percent": old.rate_percent, "accrual_start": old.accrual_start,
            "outstanding": old.outstanding, "day_count": old.day_count}


def version_fields(terms: OfferTerms) -> dict[str, Any]:
    """Column values for a version row holding ``terms`` (the Old Notes are a separate row)."""
    new, fee, war = terms.new_notes, terms.participation_fee, terms.warrants
    return {
        "slug": terms.slug,
        "name": terms.name,
        "announced": terms.announced,
        "source": terms.source,
        "expires_at": terms.expires_at,
        "expected_consummation": terms.expected_consummation,
        "minimum_tender_percent": terms.minimum_tender_percent,
        "accrual_end": terms.old_notes.accrual_end,
        "new_rate_percent": new.rate_percent,
        "interest_from": new.interest_from,
        "first_payment": new.first_payment,
        "payment_months": list(new.payment_months),
        "payment_day": new.payment_day,
        "maturity": new.maturity,
        "new_day_count": new.day_count,
        "increment": new.increment,
        "fractions": new.fractions,
        "fee_basis": fee.basis if fee else "",
        "fee_percent": fee.percent if fee else None,
        "fee_per_1000": fee.per_1000 if fee else None,
        "fee_paid_on": ["consummation" if d is None else d.isoformat() for d in fee.paid_on] if fee else [],
        "shares_per_1000": war.shares_per_1000,
        "exercise_price": war.exercise_price,
        "detachable_from": war.detachable_from,
        "exercisable_from": war.exercisable_from,
        "warrant_expires": war.expires,
        "warrant_fractions": war.fractions,
        "warrants_may_outlive_notes": war.may_expire_after_maturity,
    }


class OldNotesMismatch(ValueError):
    """A terms file describes the Old Notes differently from the stored security."""


def save_terms(terms: OfferTerms, *, status: str) -> OfferVersion:
    """Create or update the version with ``terms.slug``; the Old Notes row is found by name.

    A file whose Old Notes figures differ from the stored security is refused:
    the Old Notes are one security, shared by every version.
    """
    old_notes, created = OldNotes.objects.get_or_create(name=terms.old_notes.name,
                                                        defaults=old_notes_fields(terms))
    if not created:
        stored = terms_from_old_notes_row(old_notes)
        wanted = old_notes_fields(terms)
        differing = [k for k, v in wanted.items() if stored[k] != v]
        if differing:
            raise OldNotesMismatch(
                "old_notes: " + ", ".join(f"{k} is {wanted[k]} in the file but {stored[k]} in the stored "
                                          f"security" for k in differing) + "."
            )
    fields = version_fields(terms) | {"old_notes": old_notes, "status": status}
    version = OfferVersion.objects.filter(slug=terms.slug).first() or OfferVersion()
    for name, value in fields.items():
        setattr(version, name, value)
    version.full_clean()
    version.save()
    return version


def terms_from_old_notes_row(old_notes: OldNotes) -> dict[str, Any]:
    return {"rate_percent": _plain(old_notes.rate_percent), "accrual_start": old_notes.accrual_start,
            "outstanding": _plain(old_notes.outstanding), "day_count": old_notes.day_count}


def published_terms() -> list[OfferTerms]:
    """Core terms of every published version, in announcement order (one query)."""
    return [terms_from_version(v) for v in OfferVersion.objects.published()]
