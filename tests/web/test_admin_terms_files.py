"""Terms files in the admin: download a version, upload one as a new draft (round trip), per-field errors."""

from __future__ import annotations

import dataclasses
import json

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from offers.adapter import terms_from_version
from offers.core.termsfile import terms_from_dict
from offers.models import OfferVersion
from tests.web.admin_client import logged_in, staff_user

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:offers_offerversion_upload")


def download(client, slug: str):
    version = OfferVersion.objects.get(slug=slug)
    return client.get(reverse("admin:offers_offerversion_terms_file", args=[version.pk]))


def upload(client, content: str | bytes, name: str = "terms.json"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(UPLOAD, {"terms_file": SimpleUploadedFile(name, data, "application/json")})


def problems(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(li.get_text().split()) for li in soup.select("#terms-file-problems li")]


def test_a_version_downloads_as_its_terms_file(editor, seeded_terms):
    response = download(editor, "september-2003")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="september-2003.json"'
    assert response["Content-Type"] == "application/json"
    assert terms_from_dict(json.loads(response.content)) == seeded_terms["september-2003"]


def test_the_original_terms_download_with_their_participation_fee(editor, seeded_terms):
    data = json.loads(download(editor, "original").content)
    assert data["participation_fee"] == {"basis": "old_principal", "percent": "3", "per_1000": None,
                                         "paid_on": ["consummation"]}
    assert terms_from_dict(data) == seeded_terms["original"]


def test_a_downloaded_file_uploads_as_a_new_draft_with_the_same_terms(editor, seeded_terms):
    data = json.loads(download(editor, "original").content)
    data["slug"], data["name"] = "original-reissued", "Original terms, reissued"
    response = upload(editor, json.dumps(data), "original-reissued.json")
    draft = OfferVersion.objects.get(slug="original-reissued")
    assert response.status_code == 302 and response["Location"].endswith(f"/{draft.pk}/change/")
    assert draft.status == OfferVersion.Status.DRAFT
    expected = dataclasses.replace(seeded_terms["original"], slug="original-reissued",
                                   name="Original terms, reissued")
    assert terms_from_version(draft) == expected
    record = draft.history.get()
    assert record.history_change_reason == "Uploaded from terms file original-reissued.json"
    assert record.history_user.username == "edith"


def test_uploading_a_file_whose_slug_is_taken_is_refused_not_written_over(editor):
    data = json.loads(download(editor, "september-2003").content)
    data["new_notes"]["rate_percent"] = "13"
    response = upload(editor, json.dumps(data))
    assert response.status_code == 200
    assert any(p.startswith("slug:") and "already taken" in p for p in problems(response))
    assert str(OfferVersion.objects.get(slug="september-2003").new_rate_percent.normalize()) == "12"
    assert OfferVersion.objects.count() == 2


def test_a_file_with_bad_fields_lists_every_problem_by_field(editor):
    data = json.loads(download(editor, "september-2003").content)
    data["slug"] = "broken"
    data["new_notes"]["rate_percent"] = "twelve"
    data["warrants"]["expires"] = "2009-02-30"
    response = upload(editor, json.dumps(data))
    found = problems(response)
    assert any(p.startswith("new_notes.rate_percent: \"twelve\" is not a number; enter a percentage from 0 to 100")
               for p in found)
    assert any(p.startswith("warrants.expires:") and "not a real ISO date" in p for p in found)
    assert not OfferVersion.objects.filter(slug="broken").exists()


def test_a_file_that_breaks_a_rule_names_the_rule(editor):
    data = json.loads(download(editor, "september-2003").content)
    data["slug"] = "inconsistent"
    data["new_notes"]["payment_months"] = [2, 5, 8, 2]
    found = problems(upload(editor, json.dumps(data)))
    assert found == ["new_notes.payment_months: 2, 5, 8, 2 repeats a month; give each month once, such as 2, 5, 8, "
                     "11."]


def test_a_file_that_is_not_json_is_refused_with_a_message(editor):
    found = problems(upload(editor, "slug: september"))
    assert len(found) == 1 and found[0].startswith("file: is not valid JSON")


def test_a_binary_file_is_refused_on_the_file_field(editor):
    response = upload(editor, b"\xff\xfe\x00binary")
    assert "is not a text file" in response.content.decode()


def test_old_notes_that_differ_from_the_stored_security_are_refused(editor):
    data = json.loads(download(editor, "september-2003").content)
    data["slug"] = "other-notes"
    data["old_notes"]["outstanding"] = "30000000"
    found = problems(upload(editor, json.dumps(data)))
    assert len(found) == 1 and found[0].startswith("old_notes: outstanding is 30000000 in the file")


def test_a_viewer_may_download_but_not_upload():
    viewer = logged_in(staff_user("vera", "Offer viewers"))
    assert download(viewer, "original").status_code == 200
    assert viewer.get(UPLOAD).status_code == 403


def test_the_upload_page_and_download_link_are_where_staff_look(editor):
    version = OfferVersion.objects.get(slug="original")
    assert UPLOAD in editor.get(reverse("admin:offers_offerversion_changelist")).content.decode()
    page = editor.get(reverse("admin:offers_offerversion_change", args=[version.pk])).content.decode()
    assert reverse("admin:offers_offerversion_terms_file", args=[version.pk]) in page
