"""The holder's forms: Old Notes principal, consummation date, whether they have tendered; the assumptions.

Parsing is the core's (:mod:`offers.core.inputs`), so the page, the API and the
command read input the same way; here an :class:`InputError` becomes a field error
that starts with the field's label.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict

from offers.core.inputs import InputError, check_consummation, parse_date_text, parse_principal
from offers.core.outcome import Holding, long_date
from offers.core.terms import OfferTerms
from offers.core.valuation import ASSUMPTION_PARSERS, ValuationInputs, parse_assumption
from offers.core.versions import version_in_force

TENDERED_CHOICES = [
    ("yes", "Yes, I have tendered"),
    ("no", "No, I have not tendered"),
    ("unsure", "I am not sure"),
]
# The holding in one line, as the answer page writes it: "$100,000 of Old Notes, exchanged Oct 10, 2003, tendered".
TENDERED_SUMMARY = {"yes": "tendered", "no": "not tendered", "unsure": "not sure whether tendered"}
DATE_LIST_ID = "consummation-dates"


class RawText(forms.Field):
    """Hands the text over as typed: the core's parser owns every rule and every message.

    (A ``CharField`` would add its own messages, such as "Null characters are not
    allowed.", which do not say which field they are about.)
    """

    def to_python(self, value: Any) -> str:
        return "" if value is None else str(value)


class DatePicker(forms.TextInput):
    """``<input type="date">``: the browser's date picker, fed the date in ISO form.

    The query string may carry ``10/10/2003`` or ``Oct 10, 2003`` (links, older
    browsers); a date input shows only ISO values, so a readable date is written
    back as ``2003-10-10``. Text that is not a date leaves the field empty (a date
    input cannot show it; the error message quotes it instead).
    """

    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        try:
            return parse_date_text(value).isoformat()
        except InputError:
            return None


def consummation_range(terms: tuple[OfferTerms, ...], *, from_announcement: bool = False) -> dict[str, str]:
    """The date picker's ``min`` and ``max``: the first day any version applies (or, on the holder's pages, the
    first day a dated version was announced, if earlier) to the day before the last maturity."""
    if not terms:
        return {}
    first = min([t.expiry_date for t in terms] + [t.announced for t in terms if from_announcement and t.announced])
    last = max(t.new_notes.maturity for t in terms) - timedelta(days=1)
    return {"min": first.isoformat(), "max": last.isoformat()}


class OutcomeForm(forms.Form):
    """Principal and consummation date: what the API, the exports and the page all need."""

    # The page's date picker shows text that is not a date as an empty field, so its message
    # says what was typed (escaped by the template); the API and the exports echo no input.
    quotes_typed_date = False
    # The holder's pages answer a date on or after the announcement of the version in force and before its offer
    # expires with that version's figures date (rule 11); the API and the exports keep the outcome on the date.
    answers_before_expiry = False

    principal = RawText(
        label="Old Notes principal",
        required=False,
        help_text="The principal amount of your Old Notes in dollars, such as 100,000.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "100,000"}),
    )
    consummation = RawText(
        label="Consummation date",
        required=False,
        help_text="The day the exchange is completed, such as Oct 10, 2003.",
        widget=DatePicker(attrs={"autocomplete": "off", "list": DATE_LIST_ID}),
    )

    def __init__(self, data: QueryDict | None = None, *, terms: tuple[OfferTerms, ...]) -> None:
        self.terms = terms
        default = terms[-1].expected_consummation if terms else None
        if data is not None and "consummation" not in data and default is not None:
            # A link with only a principal gets the expected consummation date, as a first visit does.
            data = data.copy()
            data["consummation"] = default.isoformat()
        super().__init__(data, initial={"consummation": default.isoformat() if default else ""})
        self.fields["consummation"].widget.attrs.update(
            consummation_range(terms, from_announcement=self.answers_before_expiry))

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
        typed = self.cleaned_data["consummation"]
        try:
            day = parse_date_text(typed)
        except InputError as error:
            shown = " ".join(typed.split())
            if self.quotes_typed_date and shown and shown not in error.message and len(shown) <= 40:
                error = InputError(error.field, f"{error.message} You entered \u201c{shown}\u201d.")
            raise self._field_error(error) from None
        if self.answers_before_expiry and self._before_expiry_of_announced(day):
            return day
        try:
            return check_consummation(day, self.terms)
        except InputError as error:
            raise self._field_error(error) from None

    def _before_expiry_of_announced(self, day: date) -> bool:
        """On or after the announcement of the (dated) version in force, before its offer expires."""
        current = version_in_force(self.terms, day) if self.terms else None
        return current is not None and current.announced is not None and day < current.expiry_date

    def holding(self) -> Holding:
        """The holding entered; call only after ``is_valid()``."""
        return Holding(self.cleaned_data["principal"], self.cleaned_data["consummation"])

    def query(self) -> dict[str, str]:
        """The inputs as typed, for links to the exports of the same holding."""
        return {name: str(self.data.get(name, "")) for name in ("principal", "consummation")}


class HolderForm(OutcomeForm):
    """The holder's details page: the holding, answered like the holder page (rule 11's figures date)."""

    answers_before_expiry = True


class CompareForm(HolderForm):
    """The page's form adds whether the holder has tendered (optional: it only changes the advice)."""

    quotes_typed_date = True

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

    def summary(self) -> str:
        """The holding in one line: "$100,000 of Old Notes, exchanged Oct 10, 2003, tendered" (after ``is_valid()``).

        The principal as a person writes a round amount (no cents unless it has some).
        """
        principal = self.cleaned_data["principal"]
        amount = f"${principal:,.0f}" if principal == principal.to_integral_value() else f"${principal:,.2f}"
        words = [f"{amount} of Old Notes", f"exchanged {long_date(self.cleaned_data['consummation'])}"]
        if self.cleaned_data["tendered"] in TENDERED_SUMMARY:
            words.append(TENDERED_SUMMARY[self.cleaned_data["tendered"]])
        return ", ".join(words)


class EstimateForm(OutcomeForm):
    """The estimate's page and the API: the holding and the optional assumptions for an estimate of value."""

    discount_rate = RawText(label="Discount rate (% a year)", required=False,
                            help_text="The return you want from a bond like this, such as 15.")
    price = RawText(label="New Notes price (% of face)", required=False,
                    help_text="What the New Notes might sell for, such as 90.")
    recovery = RawText(label="Recovery if you do not tender (% of your claim)", required=False,
                       help_text="What an untendered holder might recover, such as 20; blank counts as 0.")
    share_price = RawText(label="Share price ($)", required=False,
                          help_text="Lexington Precision common stock, such as 1.50.")
    volatility = RawText(label="Share price volatility (% a year)", required=False, help_text="Such as 60.")
    risk_free_rate = RawText(label="Risk-free rate (% a year)", required=False, help_text="Such as 4.")
    shares_outstanding = RawText(label="Common shares outstanding", required=False,
                                 help_text="For the dilution from the warrants, such as 4,300,000.")

    def __init__(self, data: QueryDict | None = None, *, terms: tuple[OfferTerms, ...],
                 shares_outstanding: int | None = None) -> None:
        super().__init__(data, terms=terms)
        self.default_shares_outstanding = shares_outstanding

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ASSUMPTION_PARSERS:
            if name not in cleaned:
                continue
            try:
                cleaned[name] = parse_assumption(name, cleaned[name])
            except InputError as error:
                self.add_error(name, self._field_error(error))
        return cleaned

    def valuation_inputs(self) -> ValuationInputs:
        """The optional assumptions; none given means no estimate. Call only after ``is_valid()``.

        The staff's default number of shares outstanding fills a blank field, but on its
        own it does not ask for an estimate.
        """
        values = {name: self.cleaned_data.get(name) for name in ASSUMPTION_PARSERS}
        if all(value is None for value in values.values()):
            return ValuationInputs()
        if values["shares_outstanding"] is None and self.default_shares_outstanding:
            values["shares_outstanding"] = Decimal(self.default_shares_outstanding)
        return ValuationInputs(**values)

    @property
    def uses_default_shares_outstanding(self) -> bool:
        """Whether the estimate's shares outstanding is the staff's figure, not the holder's (after ``is_valid()``)."""
        return self.cleaned_data.get("shares_outstanding") is None and bool(self.default_shares_outstanding)

    def assumption_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ASSUMPTION_PARSERS]


class EstimatePageForm(EstimateForm):
    """The estimate page's form: its date picker, like the holder page's, cannot show text that is not a date."""

    quotes_typed_date = True
