"""Admin forms: friendly fields for the two list columns, a required reason for every
change, and refusal of an edit made from a stale form."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.text import capfirst

from offers.adapter import TERMS_PATH_TO_FIELD
from offers.core.inputs import InputError, parse_date_text
from offers.core.outcome import long_date
from offers.core.validation import RANGES, Range, parse_number
from offers.formatting import new_york
from offers.models import OfferVersion, OldNotes, TenderReport

CONSUMMATION = "consummation"
_SEPARATORS = re.compile(r"[,;\s]+")


def _items(text: str) -> list[str]:
    return [item for item in _SEPARATORS.split(text.strip()) if item]


class MonthsField(forms.CharField):
    """ "2, 5, 8, 11" <-> [2, 5, 8, 11]; range and repeats are checked by the model's rules."""

    example = "such as 2, 5, 8, 11"

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(month) for month in value)
        return value

    def __init__(self, **kwargs: Any) -> None:
        # Empty is refused as the model refuses it, in the same words (one message, not two).
        kwargs.setdefault("error_messages", {"required": OfferVersion._meta.get_field("payment_months")
                                             .error_messages["blank"]})
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[int]:
        months = []
        for item in _items(str(value or "")):
            if not item.isdigit():
                raise ValidationError(
                    f"\"{item}\" is not a month number: enter month numbers from 1 to 12 separated by commas, "
                    f"{self.example}.")
            months.append(int(item))
        return months


class PaidOnField(forms.CharField):
    """ "consummation, 2004-02-01" <-> ["consummation", "2004-02-01"]; order is checked by the model's rules."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        paid_on = []
        for item in _items(str(value or "")):
            if item.lower() == CONSUMMATION:
                paid_on.append(CONSUMMATION)
                continue
            try:
                paid_on.append(parse_date_text(item, "fee paid on", iso_only=True).isoformat())
            except InputError:
                raise ValidationError(
                    f"\"{item}\" is neither \"consummation\" nor a real date: enter \"consummation\" and/or dates "
                    "written YYYY-MM-DD, separated by commas, such as consummation, 2004-02-01.") from None
        return paid_on


# The range of each number staff type, by model and field: the terms' own (offers/core/validation.py), so the
# admin and terms files say the same, and the tender reports'.
NUMBER_RANGES: dict[tuple[type[models.Model], str], Range] = {
    **{(OfferVersion, field): RANGES[path] for path, field in TERMS_PATH_TO_FIELD.items() if path in RANGES},
    (OldNotes, "rate_percent"): RANGES["old_notes.rate_percent"],
    (OldNotes, "outstanding"): RANGES["old_notes.outstanding"],
    (TenderReport, "amount_tendered"): Range("a whole-dollar amount", "27,209,000"),
    (TenderReport, "largest_holders_amount"): Range("a whole-dollar amount", "20,490,000", above_zero=True),
}
ANY_NUMBER = Range("a number", "12.75")


class NumberField(forms.DecimalField):
    """A number as staff type it (``27,350,000``: thousands separators allowed), refused in the words of its
    range with the value given: ``1275 is out of range; enter a percentage from 0 to 100, such as 12.``"""

    def __init__(self, *, rule: Range, **kwargs: Any) -> None:
        self.rule = rule
        super().__init__(**kwargs)

    @classmethod
    def like(cls, field: forms.DecimalField, rule: Range) -> NumberField:
        # The range is checked here, in the range's words: the model's own bounds would say it again, in Django's.
        validators = [v for v in field.validators
                      if not isinstance(v, (DecimalValidator, MinValueValidator, MaxValueValidator))]
        return cls(rule=rule, max_digits=field.max_digits, decimal_places=field.decimal_places,
                   required=field.required, label=field.label, help_text=field.help_text, widget=field.widget,
                   initial=field.initial, validators=validators, localize=field.localize, disabled=field.disabled)

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        try:
            number = parse_number(text)
        except ValueError:
            raise ValidationError(self.rule.not_a_number(text), code="invalid") from None
        whole_digits = self.max_digits - self.decimal_places
        exponent = number.as_tuple().exponent
        if abs(number) >= Decimal(10) ** whole_digits:
            raise ValidationError(self.rule.refusal(text, below=Decimal(10) ** whole_digits), code="max_whole_digits")
        if isinstance(exponent, int) and -exponent > self.decimal_places:
            places = (f"has more than {self.decimal_places} decimal place{'s' if self.decimal_places != 1 else ''}"
                      if self.decimal_places else "is not a whole number")
            raise ValidationError(f"{text} {places}; enter {self.rule.words()}, such as {self.rule.example}.",
                                  code="max_decimal_places")
        if not self.rule.holds(number):
            raise ValidationError(self.rule.refusal(text), code="out_of_range")
        return number


def plain_number(value: Any, decimal_places: int | None) -> Any:
    """A rate stored as ``12.000000`` shown as staff wrote it, ``12``; cents stay (``3.50``)."""
    if not isinstance(value, Decimal) or decimal_places == 2:
        return value
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def field_text(field: models.Field, value: Any) -> str:
    """A field's value as staff read it: choices by their label, times in New York, dates, numbers and
    lists as they are typed (``Oct 7, 2003, 5:00 p.m. New York time``, ``Old Notes principal tendered``)."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return new_york(value)
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(plain_number(value, getattr(field, "decimal_places", None)))


def field_label(model: type[models.Model], name: str) -> str:
    """A field as the form labels it (``New Notes rate (% a year)``); "Terms" for a problem of no one field."""
    if name == NON_FIELD_ERRORS:
        return "Terms"
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _when(moment: datetime) -> str:
    return new_york(moment)


class TrackedChangeForm(forms.ModelForm):
    """Asks why (saved as the history's change reason) and refuses a save over someone else's newer edit.

    The row's ``updated_at`` as it was when the form was opened travels in a hidden
    field; if the row has changed since, the save is refused, naming who changed it
    and when (from the latest history record).
    """

    change_reason = forms.CharField(
        label="Reason for this change", max_length=100,
        help_text="Saved in the history with your name, such as \"Rate raised to 12% by the Sep 18, 2003 release\".",
        error_messages={"required": "say why you are making this change, in up to 100 characters, such as \"Rate "
                                    "raised to 12% by the Sep 18, 2003 release\"; the history shows it with your name "
                                    "and the time."},
    )
    loaded_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain_decimals()
        instance = self.instance
        if instance.pk is None:
            self.fields["change_reason"].required = False
            self.fields["change_reason"].help_text = "Optional for a new row; saved in the history with your name."
            return
        # The current row, not the instance: on a revert the instance is the old state.
        current = type(instance).objects.filter(pk=instance.pk).values_list("updated_at", flat=True).first()
        self.fields["loaded_updated_at"].initial = current.isoformat() if current else ""
        record = getattr(instance, "_history", None)  # set by simple_history on the revert form
        if record is not None:
            was = f" ({record.history_change_reason})" if record.history_change_reason else ""
            self.fields["change_reason"].initial = f"Reverted to {_when(record.history_date)}{was}"[:100]

    def _plain_decimals(self) -> None:
        model = type(self.instance)
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.DecimalField):
                if name in self.initial:  # a new row has none: the field keeps the model's default
                    self.initial[name] = plain_number(self.initial[name], field.decimal_places)
                self.fields[name] = NumberField.like(field, NUMBER_RANGES.get((model, name), ANY_NUMBER))
        for field in self.fields.values():
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                field.error_messages["required"] = f"enter a value. {field.help_text}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        """Each message on a field starts with the field's label (``New Notes maturity: ...``), so it names the
        field wherever it is read (the error summary at the top of the page too)."""
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(None if name == NON_FIELD_ERRORS else name, ValidationError(errors))
            return
        if field is not None and field in self.fields:
            label = str(self.fields[field].label or capfirst(field))
            error = ValidationError([ValidationError(_labelled(label, message), code=one.code)
                                     for one in error.error_list for message in one])
        super().add_error(field, error)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is not None:
            self._refuse_stale_edit()
        return cleaned

    def _refuse_stale_edit(self) -> None:
        model = type(self.instance)
        rows = model.objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()  # PostgreSQL: no one else saves between this check and our save
        current = rows.values_list("updated_at", flat=True).first()
        loaded = self.cleaned_data.get("loaded_updated_at") or ""
        if current is None or current.isoformat() == loaded:
            return
        latest = model.history.filter(id=self.instance.pk).select_related("history_user").first()
        who = (latest.history_user.get_username() if latest and latest.history_user else "someone")
        when = _when(latest.history_date if latest else current)
        raise ValidationError(
            f"Not saved: {who} changed this on {when}, after you opened this form.{self._their_changes(latest)} "
            "Open it again to see their change, then make yours again.",
            code="stale",
        )

    def _their_changes(self, latest: Any) -> str:
        """`` Their changes: New Notes maturity: Aug 1, 2010; ...``: the saved row against the one this form
        was opened on (found in the history by its ``updated_at``), or nothing if that is not known."""
        try:
            loaded = datetime.fromisoformat(self.cleaned_data.get("loaded_updated_at") or "")
        except ValueError:
            return ""
        opened = type(self.instance).history.filter(id=self.instance.pk, updated_at=loaded).first()
        if latest is None or opened is None:
            return ""
        delta = latest.diff_against(opened, excluded_fields=["updated_at"], foreign_keys_are_objs=True)
        new = {change.field: change.new for change in delta.changes}
        changes = "; ".join(f"{field_label(type(self.instance), field.name)}: {field_text(field, new[field.name])}"
                            for field in self.instance._meta.concrete_fields if field.name in new)  # form order
        return f" Their changes: {changes}." if changes else ""

    def history_change_reason(self, *, change: bool) -> str:
        return self.cleaned_data.get("change_reason") or ("Changed" if change else "Created")


def _labelled(label: str, message: str) -> str:
    return message if message.startswith(f"{label}:") else f"{label}: {message}"


class OfferVersionForm(TrackedChangeForm):
    """The admin supplies the model and the fields (from its fieldsets)."""

    payment_months = MonthsField(
        label="Payment months", help_text=OfferVersion._meta.get_field("payment_months").help_text)
    fee_paid_on = PaidOnField(
        label="Fee paid on", required=False, help_text=OfferVersion._meta.get_field("fee_paid_on").help_text)


class TermsFileUploadForm(forms.Form):
    terms_file = forms.FileField(
        label="Terms file", help_text="A terms file (.json) such as one downloaded from a version's page. "
        "It becomes a new draft; its slug must not be taken.")

    MAX_BYTES = 200_000

    def clean_terms_file(self) -> str:
        upload = self.cleaned_data["terms_file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(f"is {upload.size:,} bytes; a terms file is a few kilobytes (at most 200,000).")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError("is not a text file: upload the .json terms file, saved as UTF-8.") from None


class CopyAsDraftForm(forms.Form):
    """What a copy needs that the original cannot give it: when the new terms were announced (rule 11)."""

    announced = forms.DateField(
        label="Announced on",
        help_text="When the amendment these terms describe was announced, such as 2003-09-18. Versions are "
        "ordered by it: the copy will replace the version announced before it.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "give the date the new terms were announced, such as 2003-09-18.",
                        "invalid": "enter the date as YYYY-MM-DD, such as 2003-09-18."},
    )
