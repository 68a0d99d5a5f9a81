"""Every refusal names the field, the value given and what is valid, on the field at fault, in the same
words whether staff type it in the admin or load it from a terms file (upload or ``import_terms``).

The draft is a copy of the September 2003 amendment (expires Oct 7, 2003, expected consummation
Oct 10, 2003, New Notes mature Aug 1, 2009, first payment Feb 1, 2004, warrants Aug 1, 2005 to
Aug 1, 2009); the terms files are its download, changed one key at a time.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from offers.models import OfferVersion, OldNotes, TenderReport
from tests.web.admin_client import change_url, edit, field_errors, form_data, logged_in, staff_user, submit

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:offers_offerversion_upload")
DATE_FIELDS = ("expires_at", "expected_consummation", "first_payment", "interest_from", "detachable_from",
               "exercisable_from", "warrant_expires", "maturity")


def terms_file(editor, **changes) -> dict:
    """The September terms as downloaded, with a new slug and ``section__key`` changes (None: key removed)."""
    version = OfferVersion.objects.get(slug="september-2003")
    data = json.loads(editor.get(reverse("admin:offers_offerversion_terms_file", args=[version.pk])).content)
    data["slug"], data["name"] = "october-2003", "October 2003 amendment"
    for path, value in changes.items():
        *sections, key = path.split("__")
        target = data
        for section in sections:
            target = target[section]
        if value is None:
            del target[key]
        else:
            target[key] = value
    return data


def uploaded(editor, data: dict) -> list[str]:
    """The problems the upload page lists, one line per field path."""
    response = editor.post(UPLOAD, {"terms_file": SimpleUploadedFile("terms.json", json.dumps(data).encode(),
                                                                     "application/json")})
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(li.get_text().split()) for li in soup.select("#terms-file-problems li")]


def imported(tmp_path, data: dict) -> str:
    path = tmp_path / "terms.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_terms", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return str(refused.value)


# New Notes rate 1275: the range, not the number of digits.


def test_a_rate_of_1275_gets_its_range_in_the_admin(editor, draft):
    response = edit(editor, change_url(draft), new_rate_percent="1275")
    assert field_errors(response, "new_rate_percent") == [
        "New Notes rate (% a year): 1275 is out of range; enter a percentage from 0 to 100, such as 12."]


def test_a_rate_of_1275_gets_the_same_words_in_a_terms_file(editor, tmp_path):
    data = terms_file(editor, new_notes__rate_percent="1275")
    words = "1275 is out of range; enter a percentage from 0 to 100, such as 12."
    assert uploaded(editor, data) == [f"new_notes.rate_percent: {words}"]
    assert f"new_notes.rate_percent: {words}" in imported(tmp_path, data)


def test_the_old_notes_rate_gets_its_range_in_the_admin():
    client = logged_in(staff_user("edith", "Offer editors"))
    response = edit(client, f"/admin/offers/oldnotes/{OldNotes.objects.get().pk}/change/", rate_percent="127.5")
    assert field_errors(response, "rate_percent") == [
        "Interest rate (% a year): 127.5 is out of range; enter a percentage from 0 to 100, such as 12.75."]


# Minimum tender 990: its own example, not the rate's.


def test_a_minimum_tender_of_990_gets_its_own_range_and_example_in_the_admin(editor, draft):
    response = edit(editor, change_url(draft), minimum_tender_percent="990")
    assert field_errors(response, "minimum_tender_percent") == [
        "Minimum tender (%): 990 is out of range; enter a percentage from 0 to 100, such as 99."]


def test_a_minimum_tender_of_990_gets_the_same_words_in_a_terms_file(editor, tmp_path):
    data = terms_file(editor, minimum_tender_percent="990")
    words = "minimum_tender_percent: 990 is out of range; enter a percentage from 0 to 100, such as 99."
    assert uploaded(editor, data) == [words]
    assert words in imported(tmp_path, data)


# A maturity before the notes are issued: said on the maturity, not only on the fields measured against it.


def test_a_maturity_before_the_issue_date_is_refused_on_the_maturity_in_the_admin(editor, draft):
    response = edit(editor, change_url(draft), maturity="2003-01-01")
    assert field_errors(response, "maturity") == [
        "New Notes maturity: Jan 1, 2003 is not after the offer expires (Oct 7, 2003) and the New Notes are "
        "issued (at consummation, expected Oct 10, 2003); enter a date after Oct 10, 2003, such as Aug 1, 2009."]
    # Only the expiry shares the rule (either may be the one to fix); the dates measured against the
    # maturity (first payment, warrants) are fine and say nothing.
    flagged = {field for field in DATE_FIELDS if field_errors(response, field)}
    assert flagged == {"maturity", "expires_at"}
    draft.refresh_from_db()
    assert str(draft.maturity) == "2009-08-01"


def test_a_maturity_before_the_issue_date_is_refused_on_the_maturity_in_a_terms_file(editor, tmp_path):
    data = terms_file(editor, new_notes__maturity="2003-01-01")
    found = uploaded(editor, data)
    assert [line.split(":")[0] for line in found] == ["expires_at", "new_notes.maturity"]
    assert ("new_notes.maturity: Jan 1, 2003 is not after the offer expires (Oct 7, 2003) and the New Notes are "
            "issued") in " ".join(found)
    assert "new_notes.maturity: Jan 1, 2003 is not after" in imported(tmp_path, data)


# Amounts with thousands separators.


def test_the_old_notes_outstanding_takes_thousands_separators_in_the_admin():
    client = logged_in(staff_user("edith", "Offer editors"))
    response = edit(client, f"/admin/offers/oldnotes/{OldNotes.objects.get().pk}/change/", outstanding="27,350,000")
    assert response.status_code == 302, field_errors(response, "outstanding")
    assert OldNotes.objects.get().outstanding == Decimal(27350000)


def test_a_tender_report_amount_takes_thousands_separators_in_the_admin(editor):
    url = reverse("admin:offers_tenderreport_add")
    data = {**form_data(editor, url), "old_notes": str(OldNotes.objects.get().pk), "as_of": "2003-10-01",
            "amount_tendered": "27,350,000", "change_reason": "", "loaded_updated_at": ""}
    assert submit(editor, url, data).status_code == 302
    assert TenderReport.objects.get(as_of="2003-10-01").amount_tendered == Decimal(27350000)


@pytest.mark.parametrize("typed", ["27,35,000", "27350,000", "27.350.000"])
def test_misplaced_separators_are_refused_saying_what_was_typed(typed):
    client = logged_in(staff_user("edith", "Offer editors"))
    response = edit(client, f"/admin/offers/oldnotes/{OldNotes.objects.get().pk}/change/", outstanding=typed)
    [message] = field_errors(response, "outstanding")
    assert message.startswith(f"Principal outstanding ($): \"{typed}\" is not a number; enter a whole-dollar "
                              "amount above 0")


def test_a_terms_file_takes_thousands_separators_too(editor):
    data = terms_file(editor, old_notes__outstanding="27,412,000", warrants__exercise_price="1,000.50")
    assert uploaded(editor, data) == []
    version = OfferVersion.objects.get(slug="october-2003")
    assert version.exercise_price == Decimal("1000.50")


# The reason for a change.


def test_an_empty_reason_says_what_the_reason_is_for(editor):
    september = OfferVersion.objects.get(slug="september-2003")
    response = edit(editor, change_url(september), source="Typo fixed", change_reason="")
    [message] = field_errors(response, "change_reason")
    assert message != "This field is required."
    assert message.startswith("Reason for this change: say why you are making this change")
    assert "history" in message


# Unknown and misspelled keys in a terms file.


def test_a_misspelled_key_is_refused_by_name_with_the_key_it_probably_meant(editor, tmp_path):
    data = terms_file(editor, new_notes__rate_percent=None, new_notes__rate_precent="12")
    found = uploaded(editor, data)
    assert found == ["new_notes.rate_precent: no such field; did you mean `rate_percent`?"]
    assert "is missing" not in " ".join(found)
    assert "new_notes.rate_precent: no such field; did you mean `rate_percent`?" in imported(tmp_path, data)


def test_a_misspelled_top_level_key_is_refused_by_name(editor):
    data = terms_file(editor, announced=None, anounced="2003-10-01")
    assert uploaded(editor, data) == ["anounced: no such field; did you mean `announced`?"]


def test_a_misspelled_section_is_refused_once_not_as_every_field_of_it_missing(editor):
    data = terms_file(editor)
    data["warrant"] = data.pop("warrants")
    assert uploaded(editor, data) == ["warrant: no such field; did you mean `warrants`?"]


def test_a_status_in_a_terms_file_is_refused_not_ignored(editor, tmp_path):
    data = terms_file(editor, status="published")
    [line] = uploaded(editor, data)
    assert line.startswith("status: no such field; a terms file holds the terms, not whether holders see them")
    assert not OfferVersion.objects.filter(slug="october-2003").exists()
    assert "status: no such field" in imported(tmp_path, data)


def test_an_unknown_key_with_no_near_name_lists_the_fields_there(editor):
    data = terms_file(editor, warrants__colour="blue")
    [line] = uploaded(editor, data)
    assert line.startswith("warrants.colour: no such field; the fields here are `detachable_from`, `exercisable_from`")


# A viewer: told what they may do, not to publish, and never a bare 403.


@pytest.fixture
def viewer():
    return logged_in(staff_user("vera", "Offer viewers"))


def test_a_viewer_is_not_told_to_publish_a_draft(viewer, draft):
    soup = BeautifulSoup(viewer.get(change_url(draft)).content, "html.parser")
    status = " ".join(soup.select_one(".offer-status").get_text(" ").split())
    assert "publish it" not in status.lower().replace("publishes it", "")
    assert "Your account can view this version, its history and its terms file, not change them" in status


@pytest.mark.parametrize("action", ["publish", "archive"])
def test_a_viewer_refused_an_action_gets_a_page_saying_what_they_may_do(viewer, draft, action):
    response = viewer.get(reverse("admin:offers_offerversion_status", args=[draft.pk, action]))
    assert response.status_code == 403
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#not-allowed-why").get_text(" ", strip=True).startswith(
        "Your account can look at the terms but not change them")
    can = " ".join(soup.select_one("#not-allowed-what-you-can-do").get_text(" ").split())
    assert "download its terms file" in can
    assert "Offer editors" in soup.get_text()
    assert soup.select_one("a[href='/admin/']") is not None
