"""The offer terms, as the calculation core sees them: frozen, typed, hashable."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal

ROUND_DOWN_FRACTIONS = "round_down"
CASH_IN_LIEU = "cash_in_lieu"
FRACTION_RULES: tuple[str, ...] = (ROUND_DOWN_FRACTIONS, CASH_IN_LIEU)

BASIS_OLD_PRINCIPAL = "old_principal"
BASIS_NEW_PRINCIPAL = "new_principal"
FEE_BASES: tuple[str, ...] = (BASIS_OLD_PRINCIPAL, BASIS_NEW_PRINCIPAL)


@dataclass(frozen=True)
class OldNotesTerms:
    """The security being exchanged. ``accrual_end`` None means "the day before consummation"."""

    name: str
    rate_percent: Decimal
    accrual_start: date
    accrual_end: date | None
    day_count: str
    outstanding: Decimal


@dataclass(frozen=True)
class NewNotesTerms:
    """``interest_from`` None means interest runs from the consummation date."""

    rate_percent: Decimal
    interest_from: date | None
    first_payment: date | None
    payment_months: tuple[int, ...]
    payment_day: int
    maturity: date
    day_count: str
    increment: Decimal
    fractions: str


@dataclass(frozen=True)
class ParticipationFeeTerms:
    """Exactly one of ``percent`` and ``per_1000`` is set; a None in ``paid_on`` is consummation."""

    basis: str
    percent: Decimal | None
    per_1000: Decimal | None
    paid_on: tuple[date | None, ...]


@dataclass(frozen=True)
class WarrantTerms:
    shares_per_1000: Decimal
    exercise_price: Decimal
    detachable_from: date
    exercisable_from: date
    expires: date
    fractions: str
    # The spec's format has no such key: an extension, written only when true, for
    # a version whose warrants are stated to outlive the New Notes.
    may_expire_after_maturity: bool = False


@dataclass(frozen=True)
class OfferTerms:
    """One version of the exchange offer, as in one terms file."""

    slug: str
    name: str
    announced: date | None
    source: str
    expires_at: datetime
    expected_consummation: date
    minimum_tender_percent: Decimal
    old_notes: OldNotesTerms
    new_notes: NewNotesTerms
    participation_fee: ParticipationFeeTerms | None
    warrants: WarrantTerms

    def __hash__(self) -> int:
        # Terms key the schedule cache, looked up once per holding in a bulk run;
        # hashing the nested dataclasses each time cost more than the arithmetic.
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = self.__dict__["_hash"] = hash(tuple(getattr(self, f.name) for f in fields(self)))
        return cached

    @property
    def text(self) -> str:
        """The terms as written (their repr), worked out once per object: a cache key compared as one string.
        Terms read afresh from the database for each request are equal to an earlier request's, not the same
        object, and comparing the nested dataclasses field by field cost more than a holding's arithmetic."""
        cached = self.__dict__.get("_text")
        if cached is None:
            cached = self.__dict__["_text"] = repr(self)
        return cached

    def __getstate__(self) -> dict:
        # String hashes differ between processes: never carry the cached one along.
        return {k: v for k, v in self.__dict__.items() if k not in ("_hash", "_text")}

    @property
    def expiry_date(self) -> date:
        """The calendar day on which the offer expires, in the offer's own time zone."""
        return self.expires_at.date()
