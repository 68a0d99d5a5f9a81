"""There is one Old Notes security: editors cannot add a second; an unused one (older data, or added by
mistake) can be deleted by the superuser, with a reason the history keeps; "Add offer version" starts with it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from offers.models import OldNotes
from tests.web.admin_client import logged_in

pytestmark = pytest.mark.django_db

ADD_OLD_NOTES = reverse("admin:offers_oldnotes_add")
ADD_VERSION = reverse("admin:offers_offerversion_add")
THE_OLD_NOTES = "12 3/4% Senior Subordinated Notes"
SECOND = {"name": "Another security", "rate_percent": "10", "accrual_start": "2001-01-01", "day_count": "30/360",
          "outstanding": "1000", "change_reason": "Trying"}


@pytest.fixture
def boss():
    return logged_in(User.objects.create_superuser("boss", "boss@example.com", "a-boss-password-123"))


def unused_second() -> OldNotes:
    """A second, unused Old Notes row, as older data may hold (written past the admin's rule)."""
    return OldNotes.objects.create(name="Another security", rate_percent=10, accrual_start="2001-01-01",
                                   outstanding=1000)


def text(response, selector: str) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").select_one(selector).get_text(" ").split())


def test_an_editor_cannot_add_a_second_old_notes(editor):
    assert editor.get(ADD_OLD_NOTES).status_code == 403
    assert editor.post(ADD_OLD_NOTES, SECOND).status_code == 403
    assert OldNotes.objects.count() == 1
    index = BeautifulSoup(editor.get(reverse("admin:index")).content, "html.parser")
    assert not index.select(f"a[href='{ADD_OLD_NOTES}']")


def test_the_model_refuses_a_second_old_notes():
    second = OldNotes(name="Another security", rate_percent=10, accrual_start="2001-01-01", outstanding=1000)
    with pytest.raises(ValidationError, match=f"There is one Old Notes security, \"{THE_OLD_NOTES}\""):
        second.full_clean()


def test_add_offer_version_starts_with_the_old_notes(editor):
    editor.post(ADD_OLD_NOTES, SECOND)  # refused
    soup = BeautifulSoup(editor.get(ADD_VERSION).content, "html.parser")
    chosen = soup.select("select[name=old_notes] option[selected]")
    assert [option.get_text() for option in chosen] == [THE_OLD_NOTES]


def test_the_superuser_deletes_an_unused_old_notes_with_a_reason(boss):
    second = unused_second()
    url = reverse("admin:offers_oldnotes_delete", args=[second.pk])
    page = boss.get(url)
    assert page.status_code == 200 and "can be deleted" in text(page, "#content-main")
    refused = boss.post(url, {"reason": "  "})
    assert refused.status_code == 200
    assert text(refused, "#reason_error").startswith("Reason: say why these Old Notes are deleted")
    assert OldNotes.objects.filter(pk=second.pk).exists()
    done = boss.post(url, {"reason": "Added by mistake"})
    assert done.status_code == 302 and done["Location"] == reverse("admin:offers_oldnotes_changelist")
    assert not OldNotes.objects.filter(pk=second.pk).exists()
    record = OldNotes.history.filter(id=second.pk).first()
    assert (record.history_type, record.history_change_reason, record.history_user.username) == (
        "-", "Deleted: Added by mistake", "boss")


def test_an_editor_is_told_why_not_instead_of_a_bare_403(editor):
    second = unused_second()
    response = editor.post(reverse("admin:offers_oldnotes_delete", args=[second.pk]), {"reason": "Mine"})
    assert response.status_code == 403
    assert text(response, "#deletion-refused").startswith("Only a superuser can delete Old Notes")
    assert OldNotes.objects.filter(pk=second.pk).exists()
