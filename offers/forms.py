"""The holder's form: Old Notes principal, consummation date and whether they have tendered.

Parsing is the core's (:mod:`offers.core.inputs`), so the page, the API and the
command read input the same way; here an :class:`InputError` becomes a field error
that starts with the field's label.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.http import QueryDict

from offers.core.inputs import InputError, check_consummation, parse_date_text, parse_principal
from offers.core.outcome import Holding
from offers.core.terms import OfferTerms

TENDERED_CHOICES = [
    ("yes", "Yes, I have tendered"),
    ("no", "No, I have not tendered"),
    ("unsure", "I am not sure"),
]
DATE_LIST_ID = "consummation-dates"


class RawText(forms.Field):
    """Hands the text over as typed: the core's parser owns every rule and every message.

    (A ``CharField`` would add its own messages, such as "Null characters are not
    allowed.", which do not say which field they are about.)
    """

    def to_python(self, value: Any) -> str:
        return "" if value is None else str(value)


class OutcomeForm(forms.Form):
    """Principal and consummation date: what the API, the exports and the page all need."""

    principal = RawText(
        label="Old Notes principal",
        required=False,
        help_text="The principal amount of your Old Notes in dollars, such as 100,000.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "100,000"}),
    )
    consummation = RawText(
        label="Consummation date",
        required=False,
        help_text="The day the exchange is completed: 2003-10-10, 10/10/2003 or Oct 10, 2003.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": DATE_LIST_ID, "placeholder": "Oct 10, 2003"}),
    )

    def __init__(self, data: QueryDict | None = None, *, terms: tuple[OfferTerms, ...]) -> None:
        self.terms = terms
        default = terms[-1].expected_consummation if terms else None
        if data is not None and "consummation" not in data and default is not None:
            # A link with only a principal gets the expected consummation date, as a first visit does.
            data = data.copy()
            data["consummation"] = default.isoformat()
        super().__init__(data, initial={"consummation": default.isoformat() if default else ""})
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Row(*(Column(name, css_class="col-md-4") for name in self.fields)))

    def _field_error(self, error: InputError) -> forms.ValidationError:
        label = self.fields[error.field].label if error.field in self.fields else error.field
        return forms.ValidationError(f"{label}: {error.message}", code=error.field)

    def clean_principal(self) -> Decimal:
        # Every version shares the one Old Notes issue; with none published the date's error says so.
        outstanding = self.terms[0].old_notes.outstanding if self.terms else Decimal("Infinity")
        try:
            return parse_principal(self.cleaned_data["principal"], outstanding)
        except InputError as error:
            raise self._field_error(error) from None

    def clean_consummation(self) -> date:
        try:
            return check_consummation(parse_date_text(self.cleaned_data["consummation"]), self.terms)
        except InputError as error:
            raise self._field_error(error) from None

    def holding(self) -> Holding:
        """The holding entered; call only after ``is_valid()``."""
        return Holding(self.cleaned_data["principal"], self.cleaned_data["consummation"])

    def query(self) -> dict[str, str]:
        """The inputs as typed, for links to the exports of the same holding."""
        return {name: str(self.data.get(name, "")) for name in ("principal", "consummation")}


class CompareForm(OutcomeForm):
    """The page's form adds whether the holder has tendered (optional: it only changes the advice)."""

    tendered = forms.ChoiceField(
        label="Have you tendered your Old Notes?",
        choices=TENDERED_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": 'Have you tendered: choose "Yes, I have tendered", "No, I have not tendered" '
            'or "I am not sure", or leave it unanswered.',
        },
    )

    def tendered_label(self) -> str:
        """The answer in words, for the printed page; call only after ``is_valid()``."""
        return dict(TENDERED_CHOICES).get(self.cleaned_data["tendered"], "not answered")
