"""The offer terms as staff keep them: the Old Notes, versions of the terms, tender reports.

Every field of the terms file format has a column here; :mod:`offers.adapter` is the
one place that turns a row into core terms and back.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from offers.core.daycount import DAY_COUNTS
from offers.core.terms import FEE_BASES, FRACTION_RULES
from offers.core.termsfile import SLUG_RE

DAY_COUNT_CHOICES = [(code, code) for code in DAY_COUNTS]
FRACTION_CHOICES = [
    ("round_down", "Round down: the fraction is not issued and not paid"),
    ("cash_in_lieu", "Cash in lieu: the fraction is paid in cash at consummation"),
]
assert tuple(code for code, _ in FRACTION_CHOICES) == FRACTION_RULES
FEE_BASIS_CHOICES = [
    ("old_principal", "Old Notes principal tendered"),
    ("new_principal", "New Notes principal issued"),
]
assert tuple(code for code, _ in FEE_BASIS_CHOICES) == FEE_BASES

MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 6}


class DeletionRefused(Exception):
    """Deleting this row would lose something holders relied on: archive it instead."""


def _refuse_deletion(reason: str | None) -> None:
    if reason:
        raise DeletionRefused(reason)


class OldNotes(models.Model):
    """The security being exchanged (one row: the 12 3/4% Senior Subordinated Notes)."""

    name = models.CharField(max_length=200, unique=True, help_text="As the offering documents name it.")
    rate_percent = models.DecimalField(
        "interest rate (% a year)", **RATE,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="The Old Notes coupon rate, such as 12.75.",
    )
    accrual_start = models.DateField(help_text="The day unpaid interest runs from (Aug 1, 1999).")
    outstanding = models.DecimalField(
        "principal outstanding ($)", max_digits=14, decimal_places=0,
        validators=[MinValueValidator(1)],
        help_text="Total principal amount outstanding, in whole dollars.",
    )
    day_count = models.CharField(max_length=16, choices=DAY_COUNT_CHOICES, default="30/360",
                                 help_text="How days between two dates are counted for interest.")
    shares_outstanding = models.PositiveBigIntegerField(
        null=True, blank=True,
        help_text="Common shares outstanding, the default for the warrant dilution estimate.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Old Notes"
        verbose_name_plural = "Old Notes"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        other = OldNotes.objects.exclude(pk=self.pk).first()
        if other is not None:
            raise ValidationError(
                f"There is one Old Notes security, \"{other.name}\": every version and tender report describes it. "
                "Change it on its own page instead of adding another.")

    def deletion_refused_reason(self) -> str | None:
        """Why these Old Notes may not be deleted (a version or tender report describes them), or None."""
        used = [f"{n} {what}" for n, what in ((self.versions.count(), "version(s)"),
                                             (self.tender_reports.count(), "tender report(s)")) if n]
        if used:
            return (f"{self.name} cannot be deleted: {' and '.join(used)} describe them. Only Old Notes that nothing "
                    "uses (added by mistake) can be deleted.")
        return None

    def delete(self, *args, **kwargs):
        _refuse_deletion(self.deletion_refused_reason())
        return super().delete(*args, **kwargs)


# Rule 11: versions in the order they were announced, no date first, ties by name.
ANNOUNCEMENT_ORDER = (models.F("announced").asc(nulls_first=True), "name", "pk")


class OfferVersionQuerySet(models.QuerySet):
    def published(self) -> OfferVersionQuerySet:
        return self.filter(status=OfferVersion.Status.PUBLISHED).select_related("old_notes").order_by(
            *ANNOUNCEMENT_ORDER
        )

    def delete(self):
        # A bulk delete skips Model.delete(): apply the same guard row by row first.
        for version in self:
            _refuse_deletion(version.deletion_refused_reason())
        return super().delete()


class OfferVersion(models.Model):
    """One version of the exchange offer terms, as in one terms file."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    old_notes = models.ForeignKey(OldNotes, on_delete=models.PROTECT, related_name="versions",
                                  help_text="The security being exchanged; its rate and accrual start are kept there.")
    # A CharField, not a SlugField: Django's slug rule also allows capitals and underscores, and a second
    # rule would give a second message.
    slug = models.CharField(
        max_length=80, unique=True,
        validators=[RegexValidator(SLUG_RE, "Use only lower-case letters, digits and hyphens between them, such as "
                                            "september-2003 or october-2003-draft.")],
        help_text="Short name used in links and terms file names: lower-case letters, digits and "
        "hyphens, such as september-2003.")
    name = models.CharField(max_length=200, help_text="What holders see as the column heading; "
                            "no two versions share a name.")
    announced = models.DateField(
        null=True, blank=True,
        help_text="When these terms were announced, such as 2003-09-18. Versions are ordered by it, and each "
        "replaces the one announced before it. Only the first version of the offer (the terms in force before "
        "any amendment) may leave it empty.")
    source = models.TextField(help_text="The document these terms come from.")
    expires_at = models.DateTimeField(
        help_text="When the offer expires under these terms, New York time, such as 2003-10-07 17:00. "
        "Must be before the New Notes mature.")
    expected_consummation = models.DateField(
        help_text="The consummation date the holder's form starts with: on or after the expiry, "
        "before the New Notes maturity.")
    minimum_tender_percent = models.DecimalField(
        "minimum tender (%)", max_digits=6, decimal_places=3, default=99,
        help_text="The share of Old Notes that must be tendered for the offer to complete, such as 99.",
    )
    # Old Notes accrual: None = through the day before consummation.
    accrual_end = models.DateField(
        "last day interest accrues", null=True, blank=True,
        help_text="Leave empty for the usual rule: interest accrues through the day before consummation. "
        "Give a date (after the Old Notes accrual start) to stop capitalising interest on that date.",
    )
    # New Notes
    new_rate_percent = models.DecimalField(
        "New Notes rate (% a year)", **RATE,
        help_text="The New Notes coupon rate, a percentage from 0 to 100, such as 12 or 11.5.")
    interest_from = models.DateField(
        "New Notes interest from", null=True, blank=True,
        help_text="Leave empty: interest runs from consummation. Give a date for notes that accrue from a fixed date.",
    )
    first_payment = models.DateField(
        null=True, blank=True,
        help_text="The first interest payment date, such as 2004-02-01; before the maturity. "
        "Leave empty to pay on every payment date after interest starts.")
    payment_months = models.JSONField(
        default=list,
        error_messages={"blank": "Enter at least one month number from 1 to 12, such as 2, 5, 8, 11."},
        help_text="Months interest is paid, as month numbers 1 to 12 separated by commas, each once, such as "
        "2, 5, 8, 11 (February, May, August, November).")
    payment_day = models.PositiveSmallIntegerField(
        default=1,
        help_text="Day of the month interest is paid, such as 1; it must exist in every payment month "
        "(at most 28 when February is one).")
    maturity = models.DateField("New Notes maturity", help_text="When the New Notes principal is repaid.")
    new_day_count = models.CharField("New Notes day count", max_length=16, choices=DAY_COUNT_CHOICES, default="30/360",
                                     help_text="Assumed 30/360 like the Old Notes unless the documents say otherwise.")
    increment = models.DecimalField(
        **MONEY, default=1,
        help_text="New Notes are issued in multiples of this amount (more than 0), such as 1 or 1000.")
    fractions = models.CharField(max_length=16, choices=FRACTION_CHOICES, default="round_down",
                                 help_text="What happens to the part below the increment.")
    # Participation fee: no basis = no fee.
    fee_basis = models.CharField("participation fee basis", max_length=16, choices=FEE_BASIS_CHOICES, blank=True,
                                 help_text="Leave empty when there is no participation fee.")
    fee_percent = models.DecimalField(
        "fee (% of basis)", **RATE, null=True, blank=True,
        help_text="Fee as a percentage of the basis, such as 3. Give this or the fee per $1,000, not both.")
    fee_per_1000 = models.DecimalField(
        "fee ($ per $1,000 of basis)", **MONEY, null=True, blank=True,
        help_text="Fee in dollars per $1,000 of the basis, such as 30. Give this or the fee percentage, not both.")
    fee_paid_on = models.JSONField(
        "fee paid on", default=list, blank=True,
        help_text='When the fee is paid: "consummation" and/or dates in order, separated by commas, such as '
        '"consummation, 2004-02-01"; more than one means equal instalments. Empty means at consummation.',
    )
    # Warrants
    shares_per_1000 = models.DecimalField(
        "warrant shares per $1,000", max_digits=10, decimal_places=4,
        help_text="Shares of common stock per $1,000 of New Notes principal (more than 0), such as 10.")
    exercise_price = models.DecimalField(**MONEY, help_text="Exercise price per share in dollars, such as 3.50.")
    detachable_from = models.DateField(
        "warrants detachable from", help_text="When warrants can be traded apart from the notes; before they expire.")
    exercisable_from = models.DateField(
        "warrants exercisable from", help_text="When warrants can first be exercised; before they expire.")
    warrant_expires = models.DateField(
        "warrants expire",
        help_text="The last day warrants can be exercised; not after the New Notes maturity unless the next "
        "box is ticked.")
    warrant_fractions = models.CharField(max_length=16, choices=[("round_down", "Round down to a whole share")],
                                         default="round_down", help_text="Fractional warrant shares are not issued.")
    warrants_may_outlive_notes = models.BooleanField(
        default=False, help_text="Tick only when the terms state that warrants expire after the New Notes mature.")
    # Publishing
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT,
                              help_text="Only published versions reach holders. Archive instead of deleting.")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = OfferVersionQuerySet.as_manager()

    class Meta:
        ordering = ANNOUNCEMENT_ORDER

    def __str__(self) -> str:
        return self.name

    def deletion_refused_reason(self) -> str | None:
        """Why this version may not be hard-deleted (archive it instead), or None."""
        if self.status == self.Status.PUBLISHED:
            return f"{self.name} is published: holders may have relied on it. Archive it instead of deleting it."
        if self.pk is not None and self.history.count() > 1:
            return f"{self.name} has been changed since it was created; archive it instead, so its history is kept."
        return None

    def delete(self, *args, **kwargs):
        _refuse_deletion(self.deletion_refused_reason())
        return super().delete(*args, **kwargs)

    def set_status(self, status: str, reason: str) -> None:
        """Publish, unpublish or archive, recorded in the history with ``reason`` (who: the request's user)."""
        self.status = status
        self._change_reason = reason
        self.save(update_fields=["status", "updated_at"])

    def copy_as_draft(self, announced: date | None = None, reason: str | None = None) -> OfferVersion:
        """A new draft with these terms, announced on ``announced``: slug ``<slug>-draft`` (``-draft-2``, ...),
        name "Copy of ..."."""
        base = f"{self.slug}-draft"
        taken = set(OfferVersion.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        copy = OfferVersion.objects.get(pk=self.pk)
        copy.pk = copy.id = None
        copy._state.adding = True
        copy.slug = slug
        copy.name = self._free_name(f"Copy of {self.name}")
        copy.status = self.Status.DRAFT
        copy.announced = announced
        copy._change_reason = reason or f"Copied from {self.slug}"
        copy.save()
        return copy

    @classmethod
    def _free_name(cls, wanted: str) -> str:
        """``wanted``, or ``wanted (2)``, ``(3)``, ...: the first no version has (names are unique)."""
        longest = cls._meta.get_field("name").max_length
        taken = {name.lower() for name in cls.objects.filter(name__istartswith=wanted[:longest - 6])
                 .values_list("name", flat=True)}
        name, n = wanted[:longest], 1
        while name.lower() in taken:
            n += 1
            name = f"{wanted[:longest - 6]} ({n})"
        return name

    def clean(self) -> None:
        from offers.core.validation import validate_terms
        from offers.row_terms import TERMS_PATH_TO_FIELD, terms_from_version

        problems = self._fee_problems()
        same_name = OfferVersion.objects.filter(name__iexact=self.name).exclude(pk=self.pk).first()
        if self.name and same_name is not None:
            problems["name"] = [f"Another version is already called \"{same_name.name}\": holders tell versions "
                                "apart by name, so give this one its own, such as \"October 2003 amendment\"."]
        if self.status == self.Status.PUBLISHED and self.announced is not None:
            same_day = OfferVersion.objects.filter(status=self.Status.PUBLISHED, announced=self.announced).exclude(
                pk=self.pk).first()
            if same_day is not None:
                problems["announced"] = [
                    f"{same_day.name} is published with the same announcement date ({self.announced.isoformat()}): "
                    "each published version replaces the one announced before it, so two cannot share a day. Give "
                    "the date these terms were announced, or unpublish or archive the other version first."]
        if self.status == self.Status.PUBLISHED and self.announced is None:
            first = OfferVersion.objects.filter(status=self.Status.PUBLISHED, announced__isnull=True).exclude(
                pk=self.pk).first()
            if first is not None:
                problems["announced"] = [
                    f"give the date these terms were announced, such as 2003-09-18: only one published version, "
                    f"the first ({first.name}), may have none, and every later version replaces the one "
                    "announced before it."]
        if not self.payment_months or self.old_notes_id is None or any(
            getattr(self, f) is None for f in ("new_rate_percent", "maturity", "expires_at", "shares_per_1000",
                                                "exercise_price", "detachable_from", "exercisable_from",
                                                "warrant_expires", "expected_consummation",
                                                "minimum_tender_percent", "increment")
        ):
            if problems:
                raise ValidationError(problems)
            return  # field-level errors already say what is missing
        try:
            terms = terms_from_version(self)
        except (TypeError, ValueError) as exc:
            raise ValidationError(str(exc)) from None
        for path, messages in validate_terms(terms).items():
            field = TERMS_PATH_TO_FIELD.get(path, "__all__")
            # A fee of the wrong shape is said above in the form's words, on the field to fix.
            if not (problems and field in ("fee_percent", "fee_per_1000")):
                problems.setdefault(field, []).extend(messages)
        if problems:
            raise ValidationError(problems)

    def _fee_problems(self) -> dict[str, list[str]]:
        """A fee needs a basis and exactly one amount; no basis means no fee, so no amount either."""
        percent, per_1000 = self.fee_percent is not None, self.fee_per_1000 is not None
        if not self.fee_basis:
            if percent or per_1000 or self.fee_paid_on:
                return {"fee_basis": [
                    "Choose what the fee is counted on, such as \"Old Notes principal tendered\": without a basis "
                    "holders are shown no fee at all. If these terms pay no participation fee, leave the fee "
                    "(% of basis), the fee ($ per $1,000 of basis) and the fee dates empty instead."]}
            return {}
        if not percent and not per_1000:
            return {"fee_basis": [
                "A basis is chosen but no fee is given: give the fee (% of basis), such as 3, or the fee "
                "($ per $1,000 of basis), such as 30. If these terms pay no participation fee, leave the basis "
                "empty."]}
        if percent and per_1000:
            return {
                "fee_percent": ["Give the fee either as a percentage or in dollars per $1,000, not both: "
                                "empty this field or the fee ($ per $1,000 of basis)."],
                "fee_per_1000": ["Give the fee either in dollars per $1,000 or as a percentage, not both: "
                                 "empty this field or the fee (% of basis)."],
            }
        return {}


class TenderReport(models.Model):
    """How much of the Old Notes had been tendered, as of a date."""

    old_notes = models.ForeignKey(OldNotes, on_delete=models.PROTECT, related_name="tender_reports")
    as_of = models.DateField(help_text="The date the amount was reported for.")
    amount_tendered = models.DecimalField(
        "principal tendered ($)", max_digits=14, decimal_places=0, validators=[MinValueValidator(0)],
        help_text="Old Notes principal tendered and not withdrawn, in whole dollars.")
    note = models.TextField(blank=True, help_text="Where the figure comes from, or anything holders should know.")
    largest_holders_count = models.PositiveSmallIntegerField(
        "number of largest holders", null=True, blank=True, validators=[MinValueValidator(1)],
        help_text="How many of the largest holders the next figure covers, such as 4. Leave both empty if not known.")
    largest_holders_amount = models.DecimalField(
        "principal held by the largest holders ($)", max_digits=14, decimal_places=0, null=True, blank=True,
        validators=[MinValueValidator(1)],
        help_text="Old Notes principal those holders control together, in whole dollars, such as 20490000.")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-as_of", "-pk"]
        get_latest_by = ["as_of", "pk"]

    def __str__(self) -> str:
        return f"{self.amount_tendered:,} tendered as of {self.as_of:%b} {self.as_of.day}, {self.as_of.year}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        outstanding = self.old_notes.outstanding if self.old_notes_id else None
        for field in ("amount_tendered", "largest_holders_amount"):
            value = getattr(self, field)
            if outstanding is not None and value is not None and value > outstanding:
                errors[field] = (f"{value:,} is more than the ${outstanding:,} of Old Notes outstanding; enter a "
                                 f"whole-dollar amount from 0 to {outstanding:,}.")
        if (self.largest_holders_count is None) != (self.largest_holders_amount is None):
            missing = "largest_holders_amount" if self.largest_holders_amount is None else "largest_holders_count"
            errors[missing] = "give both the number of largest holders and their principal, or neither."
        if errors:
            raise ValidationError(errors)
