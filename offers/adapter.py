"""The one adapter between database rows and core terms (both directions).

Rows to terms is :mod:`offers.row_terms` (re-exported here), which the model's own validation uses too;
terms to rows, saving a version and reading the published ones are here.
"""

from __future__ import annotations

from typing import Any

from offers.core.terms import OfferTerms
from offers.core.termsfile import TermsFileError, terms_from_dict, terms_to_dict
from offers.models import OfferVersion, OldNotes
from offers.row_terms import TERMS_PATH_TO_FIELD, plain, terms_from_version

__all__ = ["TERMS_PATH_TO_FIELD", "OldNotesMismatch", "published_terms", "save_terms", "stored_problems",
           "terms_from_version"]


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
    return {"rate_percent": plain(old_notes.rate_percent), "accrual_start": old_notes.accrual_start,
            "outstanding": plain(old_notes.outstanding), "day_count": old_notes.day_count}


def published_terms() -> list[OfferTerms]:
    """Core terms of every published version, in announcement order (one query)."""
    return [terms_from_version(v) for v in OfferVersion.objects.published()]
