"""Consistency rules for one version of the terms.

Used by the admin (through ``Model.clean()``) and by terms-file import, so a
version that the calculation would misread can be neither saved nor loaded.
Errors are keyed by the terms-file path of the field they concern.
"""

from __future__ import annotations

from calendar import monthrange
from decimal import Decimal
from itertools import pairwise

from .outcome import long_date
from .terms import OfferTerms

HUNDRED = Decimal(100)
# February has 28 days in most years: a payment day must exist in every year.
_LONGEST_DAY = {month: (28 if month == 2 else monthrange(2001, month)[1]) for month in range(1, 13)}


def validate_terms(terms: OfferTerms) -> dict[str, list[str]]:
    """Every broken rule of ``terms``, as ``{field path: [message, ...]}``; empty when consistent."""
    errors: dict[str, list[str]] = {}

    def fail(path: str, message: str) -> None:
        errors.setdefault(path, []).append(message)

    old, new, fee, war = terms.old_notes, terms.new_notes, terms.participation_fee, terms.warrants

    for path, rate in (
        ("old_notes.rate_percent", old.rate_percent),
        ("new_notes.rate_percent", new.rate_percent),
        ("minimum_tender_percent", terms.minimum_tender_percent),
    ):
        if not 0 <= rate <= HUNDRED:
            fail(path, f"must be a percentage between 0 and 100, such as 12.75 (got {rate}).")
    if old.outstanding <= 0 or old.outstanding != old.outstanding.to_integral_value():
        fail("old_notes.outstanding", "must be a positive whole-dollar amount, such as 27412000.")
    if old.accrual_end is not None and old.accrual_end <= old.accrual_start:
        fail(
            "old_notes.accrual_end",
            f"a fixed last accrual date must be after the accrual start ({long_date(old.accrual_start)}).",
        )
    if new.increment <= 0:
        fail("new_notes.increment", "must be a positive amount, such as 1 or 1000.")

    months = new.payment_months
    if len(set(months)) != len(months):
        fail("new_notes.payment_months", "must not repeat a month.")
    if not all(1 <= m <= 12 for m in months):
        fail("new_notes.payment_months", "must be month numbers from 1 to 12, such as 2, 5, 8, 11.")
    elif not 1 <= new.payment_day <= min(_LONGEST_DAY[m] for m in months):
        fail(
            "new_notes.payment_day",
            f"must be a day that exists in every payment month, 1 to "
            f"{min(_LONGEST_DAY[m] for m in months)} for these months.",
        )
    if new.first_payment is not None:
        on_grid = new.first_payment.month in months and new.first_payment.day == min(
            new.payment_day, monthrange(new.first_payment.year, new.first_payment.month)[1])
        if not on_grid:
            fail("new_notes.first_payment", "must be one of the payment dates (the payment day of a payment month), "
                 "such as Feb 1, 2004 for payments on the 1st of months 2, 5, 8 and 11.")
        if new.first_payment >= new.maturity:
            fail("new_notes.first_payment", f"must be before the maturity ({long_date(new.maturity)}).")
        if new.interest_from is not None and new.first_payment <= new.interest_from:
            fail("new_notes.first_payment", "must be after the date interest runs from.")
    if new.interest_from is not None and new.interest_from >= new.maturity:
        fail("new_notes.interest_from", f"must be before the maturity ({long_date(new.maturity)}).")
    if terms.expiry_date >= new.maturity:
        fail("expires_at", f"the offer must expire before the New Notes mature ({long_date(new.maturity)}).")
    if not terms.expiry_date <= terms.expected_consummation < new.maturity:
        fail(
            "expected_consummation",
            f"must be on or after the expiration ({long_date(terms.expiry_date)}) "
            f"and before the maturity ({long_date(new.maturity)}).",
        )

    if fee is not None:
        if (fee.percent is None) == (fee.per_1000 is None):
            fail("participation_fee.percent", "give exactly one of percent or per_1000.")
        if fee.percent is not None and not 0 < fee.percent <= HUNDRED:
            fail("participation_fee.percent", "must be a percentage above 0 and at most 100, such as 3.")
        if fee.per_1000 is not None and fee.per_1000 <= 0:
            fail("participation_fee.per_1000", "must be a positive dollar amount per $1,000, such as 30.")
        fixed = [d for d in fee.paid_on if d is not None]
        if any(d is not None for d in fee.paid_on[:1]) and None in fee.paid_on:
            fail("participation_fee.paid_on", "\"consummation\" can only be the first instalment.")
        if any(b <= a for a, b in pairwise(fixed)):
            fail("participation_fee.paid_on", "instalment dates must be in order, each after the one before.")
        if fee.paid_on.count(None) > 1:
            fail("participation_fee.paid_on", "\"consummation\" may appear only once.")

    if war.shares_per_1000 <= 0:
        fail("warrants.shares_per_1000", "must be a positive number of shares, such as 10.")
    if war.exercise_price <= 0:
        fail("warrants.exercise_price", "must be a positive price per share, such as 3.50.")
    for path, day in (("warrants.detachable_from", war.detachable_from),
                      ("warrants.exercisable_from", war.exercisable_from)):
        if day >= war.expires:
            fail(path, f"must be before the warrants expire ({long_date(war.expires)}).")
    if war.expires > new.maturity and not war.may_expire_after_maturity:
        fail(
            "warrants.expires",
            f"must not be after the New Notes maturity ({long_date(new.maturity)}) "
            "unless the terms state that the warrants outlive the notes.",
        )
    return errors
