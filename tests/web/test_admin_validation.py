"""Every consistency rule of a version, posted through the admin change form like an editor would.

The draft is a copy of the September 2003 amendment: expires Oct 7, 2003 5:00 p.m.,
expected consummation Oct 10, 2003, New Notes mature Aug 1, 2009, paid Feb/May/Aug/Nov 1
from Feb 1, 2004; warrants detachable and exercisable Aug 1, 2005, expire Aug 1, 2009;
no fee. Each rule is checked just inside and just outside its boundary, and the refusal
must appear on the field that breaks it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from offers.models import OfferVersion, OldNotes
from tests.web.admin_client import change_url, edit, field_errors, form_data, logged_in, staff_user, submit

pytestmark = pytest.mark.django_db


def saved(response) -> bool:
    return response.status_code == 302


def refused_on(response, field: str, words: str) -> bool:
    assert response.status_code == 200, "the form was saved"
    return any(words in message for message in field_errors(response, field))


# Rates are percentages from 0 to 100.


@pytest.mark.parametrize("rate", ["100", "0", "12.5"])
def test_it_accepts_a_new_notes_rate_from_0_to_100(editor, draft, rate):
    assert saved(edit(editor, change_url(draft), new_rate_percent=rate))
    draft.refresh_from_db()
    assert draft.new_rate_percent == Decimal(rate)


@pytest.mark.parametrize("rate", ["100.000001", "-0.000001"])
def test_it_refuses_a_new_notes_rate_outside_0_to_100_on_the_rate_field(editor, draft, rate):
    response = edit(editor, change_url(draft), new_rate_percent=rate)
    assert refused_on(response, "new_rate_percent", f"New Notes rate (% a year): {rate} is out of range; enter a "
                                                    "percentage from 0 to 100, such as 12.")
    draft.refresh_from_db()
    assert draft.new_rate_percent == Decimal(12)


@pytest.mark.parametrize(("percent", "ok"), [("100", True), ("100.001", False), ("0", True), ("-0.001", False)])
def test_it_holds_the_minimum_tender_to_0_to_100(editor, draft, percent, ok):
    response = edit(editor, change_url(draft), minimum_tender_percent=percent)
    assert saved(response) if ok else refused_on(response, "minimum_tender_percent", f"Minimum tender (%): {percent} "
                                                 "is out of range; enter a percentage from 0 to 100, such as 99.")


@pytest.mark.parametrize(("rate", "ok"), [("100", True), ("100.000001", False), ("0", True), ("-0.000001", False)])
def test_it_holds_the_old_notes_rate_to_0_to_100(rate, ok):
    client = logged_in(staff_user("edith", "Offer editors"))
    old_notes = OldNotes.objects.get()
    url = f"/admin/offers/oldnotes/{old_notes.pk}/change/"
    response = edit(client, url, rate_percent=rate)
    assert saved(response) if ok else field_errors(response, "rate_percent")


# Increment and warrant shares are positive.


@pytest.mark.parametrize(("increment", "ok"), [("0.01", True), ("0", False), ("-1", False)])
def test_it_requires_a_positive_increment(editor, draft, increment, ok):
    response = edit(editor, change_url(draft), increment=increment)
    assert saved(response) if ok else refused_on(response, "increment", f"Increment: {increment} is out of range; "
                                                 "enter an amount in dollars above 0")


@pytest.mark.parametrize(("shares", "ok"), [("0.0001", True), ("0", False), ("-10", False)])
def test_it_requires_a_positive_number_of_warrant_shares(editor, draft, shares, ok):
    response = edit(editor, change_url(draft), shares_per_1000=shares)
    assert saved(response) if ok else refused_on(response, "shares_per_1000", f"Warrant shares per $1,000: {shares} "
                                                 "is out of range; enter a number of shares above 0")


# Payment months: distinct, 1 to 12, and a payment day that exists in each.


@pytest.mark.parametrize("months", ["1, 12", "2,5,8,11", "3 6 9 12"])
def test_it_accepts_distinct_months_from_1_to_12_written_as_a_list(editor, draft, months):
    # No first payment date: it would have to be one of the new payment dates.
    assert saved(edit(editor, change_url(draft), payment_months=months, first_payment=""))
    draft.refresh_from_db()
    assert draft.payment_months == [int(m) for m in months.replace(",", " ").split()]


@pytest.mark.parametrize(("months", "words"), [
    ("2, 5, 8, 2", "2, 5, 8, 2 repeats a month"),
    ("0, 5", "from 1 to 12"),
    ("12, 13", "from 1 to 12"),
    ("2, five", "\"five\" is not a month number"),
    ("", "at least one month"),
])
def test_it_refuses_bad_payment_months_on_the_months_field(editor, draft, months, words):
    response = edit(editor, change_url(draft), payment_months=months)
    assert refused_on(response, "payment_months", words)
    draft.refresh_from_db()
    assert draft.payment_months == [2, 5, 8, 11]


@pytest.mark.parametrize(("months", "day", "ok"), [
    ("2, 5, 8, 11", "28", True),   # February has 28 days in a common year
    ("2, 5, 8, 11", "29", False),
    ("4, 6, 9, 11", "30", True),
    ("4, 6, 9, 11", "31", False),
    ("1, 7", "31", True),
    ("1, 7", "0", False),
])
def test_it_requires_a_payment_day_that_exists_in_every_payment_month(editor, draft, months, day, ok):
    response = edit(editor, change_url(draft), payment_months=months, payment_day=day, first_payment="")
    assert saved(response) if ok else refused_on(response, "payment_day", "exists in every payment month")


# Dates that must come before others.


@pytest.mark.parametrize(("first_payment", "months", "day", "ok"), [
    ("2009-07-31", "1, 7", "31", True),  # a payment date, the day before maturity (Aug 1, 2009)
    ("2009-08-01", "2, 5, 8, 11", "1", False),
    ("2010-02-01", "2, 5, 8, 11", "1", False),
])
def test_it_requires_the_first_payment_before_maturity(editor, draft, first_payment, months, day, ok):
    response = edit(editor, change_url(draft), first_payment=first_payment, payment_months=months, payment_day=day)
    assert saved(response) if ok else refused_on(response, "first_payment", "before the maturity (Aug 1, 2009)")


@pytest.mark.parametrize("field", ["detachable_from", "exercisable_from"])
@pytest.mark.parametrize(("day", "ok"), [("2009-07-31", True), ("2009-08-01", False)])
def test_it_requires_warrants_detachable_and_exercisable_before_they_expire(editor, draft, field, day, ok):
    response = edit(editor, change_url(draft), **{field: day})
    assert saved(response) if ok else refused_on(response, field, "before the warrants expire (Aug 1, 2009)")


@pytest.mark.parametrize(("expires", "outlive", "ok"), [
    ("2009-08-01", None, True),
    ("2009-08-02", None, False),
    ("2009-08-02", "on", True),  # the terms state that the warrants outlive the notes
])
def test_it_refuses_warrants_expiring_after_maturity_unless_stated(editor, draft, expires, outlive, ok):
    response = edit(editor, change_url(draft), warrant_expires=expires, warrants_may_outlive_notes=outlive)
    assert saved(response) if ok else refused_on(response, "warrant_expires", "unless the terms state")


@pytest.mark.parametrize(("expires_day", "expires_time", "ok"), [
    ("2009-07-31", "23:59:00", True),
    ("2009-08-01", "00:00:00", False),
    ("2009-08-01", "17:00:00", False),
])
def test_it_requires_the_offer_to_expire_before_the_new_notes_mature(editor, draft, expires_day, expires_time, ok):
    # The expected consummation moves with the expiry so only the expiry rule is in play.
    response = edit(editor, change_url(draft), expires_at_0=expires_day, expires_at_1=expires_time,
                    expected_consummation="2009-07-31")
    assert saved(response) if ok else refused_on(response, "expires_at", "expire before the New Notes mature")


@pytest.mark.parametrize(("last_day", "ok"), [("1999-08-02", True), ("1999-08-01", False), ("1999-07-31", False)])
def test_it_requires_a_fixed_last_accrual_day_after_the_accrual_start(editor, draft, last_day, ok):
    response = edit(editor, change_url(draft), accrual_end=last_day)
    assert saved(response) if ok else refused_on(response, "accrual_end", "after the accrual start (Aug 1, 1999)")


# The participation fee.


@pytest.mark.parametrize(("percent", "per_1000"), [("3", ""), ("", "30")])
def test_it_accepts_a_fee_as_a_percentage_or_per_1000_with_its_basis(editor, draft, percent, per_1000):
    assert saved(edit(editor, change_url(draft), fee_basis="old_principal", fee_percent=percent,
                      fee_per_1000=per_1000, fee_paid_on="consummation"))


@pytest.mark.parametrize(("percent", "per_1000", "paid_on"), [("3", "", ""), ("", "30", ""), ("", "", "consummation")])
def test_a_fee_without_a_basis_is_refused_on_the_basis_field(editor, draft, percent, per_1000, paid_on):
    # Saved, it would be no fee at all: holders would see "none".
    response = edit(editor, change_url(draft), fee_basis="", fee_percent=percent, fee_per_1000=per_1000,
                    fee_paid_on=paid_on)
    assert refused_on(response, "fee_basis", "Choose what the fee is counted on")
    assert refused_on(response, "fee_basis", "leave the fee (% of basis)")
    draft.refresh_from_db()
    assert (draft.fee_basis, draft.fee_percent, draft.fee_per_1000) == ("", None, None)


def test_a_basis_without_a_fee_is_refused_on_the_basis_field_saying_what_to_give(editor, draft):
    response = edit(editor, change_url(draft), fee_basis="old_principal", fee_percent="", fee_per_1000="",
                    fee_paid_on="consummation")
    assert refused_on(response, "fee_basis", "no fee is given: give the fee (% of basis), such as 3, or the fee "
                                             "($ per $1,000 of basis), such as 30")
    assert field_errors(response, "fee_percent") == [] and field_errors(response, "fee_per_1000") == []


def test_both_fee_amounts_are_refused_on_both_amount_fields(editor, draft):
    response = edit(editor, change_url(draft), fee_basis="old_principal", fee_percent="3", fee_per_1000="30",
                    fee_paid_on="consummation")
    assert refused_on(response, "fee_percent", "not both")
    assert refused_on(response, "fee_per_1000", "not both")
    assert field_errors(response, "fee_basis") == []
    # One message per field, in the form's words (not the terms file's "percent or per_1000").
    assert len(field_errors(response, "fee_percent")) == 1
    assert "per_1000" not in " ".join(field_errors(response, "fee_percent"))


def test_the_fee_rules_are_the_models_so_every_way_of_saving_gets_them():
    """The admin form, publishing and terms files all go through ``full_clean``."""
    draft = OfferVersion.objects.get(slug="september-2003").copy_as_draft()
    draft.fee_basis, draft.fee_percent = "", Decimal(3)
    with pytest.raises(ValidationError) as refused:
        draft.full_clean()
    assert list(refused.value.message_dict) == ["fee_basis"]


@pytest.mark.parametrize(("paid_on", "ok"), [
    ("2004-02-01, 2004-02-02", True),
    ("consummation, 2004-02-01", True),
    ("2004-02-01, 2004-02-01", False),
    ("2004-02-01, 2004-01-31", False),
])
def test_it_requires_fee_instalment_dates_in_order(editor, draft, paid_on, ok):
    response = edit(editor, change_url(draft), fee_basis="new_principal", fee_per_1000="30", fee_percent="",
                    fee_paid_on=paid_on)
    assert saved(response) if ok else refused_on(response, "fee_paid_on", "instalment dates must be in order")


def test_it_keeps_fee_dates_as_a_list_staff_can_read(editor, draft):
    assert saved(edit(editor, change_url(draft), fee_basis="new_principal", fee_per_1000="30",
                      fee_paid_on="consummation, 2004-02-01 2004-08-01"))
    draft.refresh_from_db()
    assert draft.fee_paid_on == ["consummation", "2004-02-01", "2004-08-01"]
    assert "consummation, 2004-02-01, 2004-08-01" in editor.get(change_url(draft)).content.decode()


@pytest.mark.parametrize("paid_on", ["consummation, 2004-02-30", "consummation, Feb 1"])
def test_it_refuses_a_fee_date_that_is_not_a_real_date_on_the_fee_dates_field(editor, draft, paid_on):
    response = edit(editor, change_url(draft), fee_basis="new_principal", fee_per_1000="30", fee_paid_on=paid_on)
    assert refused_on(response, "fee_paid_on", "neither \"consummation\" nor a real date")


def test_it_saves_a_draft_that_breaks_no_rule_and_changes_only_what_was_edited(editor, draft):
    before = OfferVersion.objects.filter(pk=draft.pk).values().get()
    assert saved(edit(editor, change_url(draft), maturity="2010-08-01", warrant_expires="2010-08-01"))
    after = OfferVersion.objects.filter(pk=draft.pk).values().get()
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"maturity", "warrant_expires", "updated_at"}
    assert after["maturity"] == date(2010, 8, 1)


@pytest.mark.parametrize(("first_payment", "ok"), [("2004-05-01", True), ("2004-02-02", False)])
def test_it_requires_the_first_payment_to_be_a_payment_date(editor, draft, first_payment, ok):
    response = edit(editor, change_url(draft), first_payment=first_payment)
    assert saved(response) if ok else refused_on(response, "first_payment", "Feb 2, 2004 is not one of the payment "
                                                 "dates")


# Names, slugs and numbers that do not fit.


@pytest.mark.parametrize("name", ["September 2003 amendment", "september 2003 AMENDMENT"])
def test_a_name_already_used_by_another_version_is_refused_on_the_name_field(editor, draft, name):
    response = edit(editor, change_url(draft), name=name)
    assert field_errors(response, "name") == [
        "Name: Another version is already called \"September 2003 amendment\": holders tell versions apart by name, "
        "so give this one its own, such as \"October 2003 amendment\"."]
    draft.refresh_from_db()
    assert draft.name == "Copy of September 2003 amendment"


def test_a_version_keeps_its_own_name_when_saved_again(editor, draft):
    assert saved(edit(editor, change_url(draft), name="Copy of September 2003 amendment", source="Typo fixed"))


def test_copies_get_names_of_their_own(draft):
    september = OfferVersion.objects.get(slug="september-2003")
    assert [september.copy_as_draft().name for _ in range(2)] == [
        "Copy of September 2003 amendment (2)", "Copy of September 2003 amendment (3)"]


@pytest.mark.parametrize("slug", ["Sept-Draft_X", "sept_draft", "sept draft", "-sept", "sept--draft", "Sept"])
def test_a_slug_that_breaks_the_rule_in_its_help_text_is_refused(editor, draft, slug):
    response = edit(editor, change_url(draft), slug=slug)
    assert field_errors(response, "slug") == [
        "Slug: Use only lower-case letters, digits and hyphens between them, such as september-2003 or "
        "october-2003-draft."]
    draft.refresh_from_db()
    assert draft.slug == "september-2003-draft"


def test_a_slug_of_lower_case_letters_digits_and_hyphens_is_accepted(editor, draft):
    assert saved(edit(editor, change_url(draft), slug="sept-draft-2"))


@pytest.mark.parametrize(("rate", "problem"), [
    ("1275", "1275 is out of range; enter a percentage from 0 to 100, such as 12."),
    ("1e400", "\"1e400\" is not a number; enter a percentage from 0 to 100, such as 12"),
    ("12.1234567", "12.1234567 has more than 6 decimal places; enter a percentage from 0 to 100, such as 12."),
])
def test_a_rate_that_does_not_fit_says_so_naming_the_field_the_value_and_the_range(editor, draft, rate, problem):
    response = edit(editor, change_url(draft), new_rate_percent=rate)
    [message] = field_errors(response, "new_rate_percent")
    assert message.startswith(f"New Notes rate (% a year): {problem}")
    assert "digits before the decimal point" not in message and "required" not in message


def test_a_rate_is_typed_as_text_so_the_browser_sends_what_was_typed(editor, draft):
    # A number input sends an empty value for 1e400 (it cannot hold it): the server would say "required".
    soup = BeautifulSoup(editor.get(change_url(draft)).content, "html.parser")
    field = soup.select_one("input[name=new_rate_percent]")
    assert field["type"] == "text" and field["inputmode"] == "decimal"


def test_an_empty_payment_months_field_gets_one_message_when_adding_too(editor):
    data = form_data(editor, change_url(OfferVersion.objects.get(slug="september-2003")))
    data |= {"slug": "october-2003", "name": "October 2003 amendment", "payment_months": "", "loaded_updated_at": ""}
    response = submit(editor, reverse("admin:offers_offerversion_add"), data)
    assert field_errors(response, "payment_months") == [
        "Payment months: Enter at least one month number from 1 to 12, such as 2, 5, 8, 11."]
    assert not OfferVersion.objects.filter(slug="october-2003").exists()
