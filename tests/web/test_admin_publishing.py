"""Drafts, preview, publishing, archiving, and the refusal to lose anything by deleting it.

Figures by hand (spec worked example, $1,000 at Oct 10, 2003, New Notes 1,534): at 12.5%
the first coupon (111 days, 30/360) is 1,534 x 12.5% x 111/360 = 59.1229... -> $59.12;
at the published 12% it is $56.76.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from offers.models import DeletionRefused, OfferVersion, OldNotes
from tests.web.admin_client import change_url, edit, field_errors, logged_in, messages_on, staff_user

pytestmark = pytest.mark.django_db

HOLDER_QUERY = {"principal": "1000", "consummation": "2003-10-10"}
CHANGELIST = reverse("admin:offers_offerversion_changelist")


@pytest.fixture
def editor_user():
    return staff_user("edith", "Offer editors")


@pytest.fixture
def editor(editor_user):
    return logged_in(editor_user)


@pytest.fixture
def september():
    return OfferVersion.objects.get(slug="september-2003")


def button(client: Client, version: OfferVersion, action: str):
    """Press a status button and confirm (publish, unpublish, archive ask first); copy acts at once."""
    data = {} if action == "copy" else {"confirmed": "yes", "status_reason": "Checking the buttons"}
    return client.post(reverse("admin:offers_offerversion_status", args=[version.pk, action]), data, follow=True)


DECEMBER = date(2003, 12, 1)  # a made-up later amendment's announcement


def copy_as_draft(client: Client, version: OfferVersion, announced: str = "2003-12-01"):
    return client.post(reverse("admin:offers_offerversion_copy", args=[version.pk]), {"announced": announced},
                       follow=True)


def holder_page(client: Client, **query: str) -> str:
    """The holder page and its details page (every coupon), as one text."""
    pages = [client.get(path, {**HOLDER_QUERY, **query}) for path in ("/", "/details")]
    assert [response.status_code for response in pages] == [200, 200]
    return "".join(response.content.decode() for response in pages)


# Copy as new draft


def test_copy_as_new_draft_starts_an_amendment_from_a_published_version(editor, september):
    response = copy_as_draft(editor, september)
    draft = OfferVersion.objects.get(slug="september-2003-draft")
    assert response.redirect_chain[-1][0] == change_url(draft)
    assert (draft.name, draft.status) == ("Copy of September 2003 amendment", OfferVersion.Status.DRAFT)
    assert draft.announced == DECEMBER
    assert draft.new_rate_percent == september.new_rate_percent and draft.maturity == september.maturity
    assert draft.history.get().history_change_reason == "Copied from september-2003"
    assert draft.history.get().history_user.username == "edith"


def test_copy_asks_for_the_announcement_date_and_copies_nothing_without_it(editor, september):
    form = editor.get(reverse("admin:offers_offerversion_copy", args=[september.pk]))
    assert form.status_code == 200 and b'name="announced"' in form.content
    refused = copy_as_draft(editor, september, announced="")
    assert "give the date the new terms were announced, such as 2003-09-18." in refused.content.decode()
    assert not OfferVersion.objects.filter(slug__startswith="september-2003-draft").exists()


def test_the_list_action_sends_one_version_to_the_copy_form(editor, september):
    response = editor.post(CHANGELIST, {"action": "copy_as_new_draft", "_selected_action": [september.pk]})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:offers_offerversion_copy", args=[september.pk])


def test_copying_again_numbers_the_new_slugs(editor, september):
    copy_as_draft(editor, september)
    copy_as_draft(editor, september)
    copy_as_draft(editor, september)
    slugs = set(OfferVersion.objects.filter(slug__startswith="september-2003-").values_list("slug", flat=True))
    assert slugs == {"september-2003-draft", "september-2003-draft-2", "september-2003-draft-3"}


def test_a_draft_can_be_copied_too(editor, september):
    draft = september.copy_as_draft()
    copy_as_draft(editor, draft)
    copy = OfferVersion.objects.get(slug="september-2003-draft-draft")
    assert copy.name == "Copy of Copy of September 2003 amendment"


# Drafts and preview


def test_a_draft_does_not_reach_holders(client, september):
    draft = september.copy_as_draft()
    assert draft.name not in holder_page(client)


def test_staff_preview_a_draft_on_the_holder_page_with_its_new_figure(editor, september):
    draft = september.copy_as_draft()
    edit(editor, change_url(draft), new_rate_percent="12.5")
    page = holder_page(editor, preview=draft.slug)
    assert "Copy of September 2003 amendment (draft preview)" in page
    assert "$59.12" in page and "$56.76" in page  # the draft beside the published versions
    assert "$59.12" not in holder_page(editor)


def test_the_change_form_links_to_the_preview(editor, september):
    draft = september.copy_as_draft()
    page = editor.get(change_url(draft)).content.decode()
    assert f"/?preview={draft.slug}&amp;principal=1000&amp;consummation=2003-10-10" in page


@pytest.mark.parametrize("who", ["anonymous", "holder"])
def test_anyone_but_staff_gets_a_404_for_a_preview(client, september, who):
    draft = september.copy_as_draft()
    if who == "holder":
        client.force_login(User.objects.create_user("holly", password="a-holder-password-1"))
    assert client.get("/", {**HOLDER_QUERY, "preview": draft.slug}).status_code == 404
    assert client.get("/", {"preview": "no-such-version"}).status_code == 404


def test_a_preview_of_an_unknown_slug_is_a_404_for_staff_too(editor):
    assert editor.get("/", {**HOLDER_QUERY, "preview": "no-such-version"}).status_code == 404


# Publishing, unpublishing, archiving: each recorded with who did it.


def test_publishing_a_draft_shows_it_to_holders_and_records_who_and_why(editor, september, client):
    draft = september.copy_as_draft(DECEMBER)
    edit(editor, change_url(draft), new_rate_percent="12.5")
    response = button(editor, draft, "publish")
    assert "Copy of September 2003 amendment: published (Checking the buttons)." in messages_on(response)
    draft.refresh_from_db()
    assert draft.status == OfferVersion.Status.PUBLISHED
    record = draft.history.first()
    assert (record.history_change_reason, record.history_user.username) == ("Published: Checking the buttons", "edith")
    page = holder_page(client)
    assert "Copy of September 2003 amendment" in page and "$59.12" in page


def test_unpublishing_hides_a_version_and_is_recorded(editor, september, client):
    button(editor, september, "unpublish")
    september.refresh_from_db()
    assert september.status == OfferVersion.Status.DRAFT
    assert september.history.first().history_change_reason == "Unpublished: Checking the buttons"
    assert "September 2003 amendment" not in holder_page(client).replace("before the September 2003 amendment", "")


def test_archiving_hides_a_version_and_is_recorded(editor, september):
    button(editor, september, "archive")
    september.refresh_from_db()
    assert september.status == OfferVersion.Status.ARCHIVED
    assert september.history.first().history_change_reason == "Archived: Checking the buttons"
    assert [v.slug for v in OfferVersion.objects.published()] == ["original"]


def test_the_list_actions_publish_and_unpublish_several_versions(editor, september):
    drafts = [september.copy_as_draft(DECEMBER), september.copy_as_draft(date(2003, 12, 2))]
    editor.post(CHANGELIST, {"action": "publish", "_selected_action": [d.pk for d in drafts], "confirmed": "yes",
                            "status_reason": "Several at once"})
    assert set(OfferVersion.objects.filter(pk__in=[d.pk for d in drafts]).values_list("status", flat=True)) == {
        "published"}
    editor.post(CHANGELIST, {"action": "unpublish", "_selected_action": [d.pk for d in drafts], "confirmed": "yes",
                            "status_reason": "Several at once"})
    assert set(OfferVersion.objects.filter(pk__in=[d.pk for d in drafts]).values_list("status", flat=True)) == {
        "draft"}


def confirmation_notes(response) -> str:
    assert response.status_code == 200
    return " ".join(" ".join(li.get_text(" ").split()) for li in BeautifulSoup(response.content, "html.parser")
                    .select("#confirm-notes li"))


def test_publishing_refuses_a_version_that_breaks_a_rule(editor, september):
    draft = september.copy_as_draft(DECEMBER)
    OfferVersion.objects.filter(pk=draft.pk).update(first_payment="2009-08-01")  # bypassing the form
    response = button(editor, draft, "publish")
    assert ("will not be published: First payment: Aug 1, 2009 must be before the maturity"
            in confirmation_notes(response))
    draft.refresh_from_db()
    assert draft.status == OfferVersion.Status.DRAFT


def test_a_second_version_without_an_announcement_date_is_not_published(editor, september):
    draft = september.copy_as_draft()  # no date: the original terms already stand first without one
    response = button(editor, draft, "publish")
    notes = confirmation_notes(response)
    assert "will not be published" in notes and "give the date these terms were announced, such as 2003-09-18" in notes
    draft.refresh_from_db()
    assert draft.status == OfferVersion.Status.DRAFT


SAME_DAY = "September 2003 amendment is published with the same announcement date (2003-09-18)"


def test_two_published_versions_cannot_share_an_announcement_date(editor, september):
    draft = september.copy_as_draft(september.announced)
    response = button(editor, draft, "publish")
    assert SAME_DAY in confirmation_notes(response)
    draft.refresh_from_db()
    assert draft.status == OfferVersion.Status.DRAFT
    # The rule is the model's: any door that validates refuses it.
    draft.status = OfferVersion.Status.PUBLISHED
    with pytest.raises(ValidationError) as refused:
        draft.full_clean()
    assert SAME_DAY in " ".join(refused.value.message_dict["announced"])


def test_a_published_version_cannot_be_moved_onto_another_ones_announcement_date(editor, september):
    later = september.copy_as_draft(DECEMBER)
    button(editor, later, "publish")
    later.refresh_from_db()
    assert later.status == OfferVersion.Status.PUBLISHED
    response = edit(editor, change_url(later), announced="2003-09-18")
    assert response.status_code == 200
    assert any(SAME_DAY in e for e in field_errors(response, "announced"))
    later.refresh_from_db()
    assert later.announced == DECEMBER


def test_the_status_buttons_act_only_on_a_confirmed_post(editor, september):
    url = reverse("admin:offers_offerversion_status", args=[september.pk, "archive"])
    assert editor.get(url).status_code == 200  # the confirmation page
    assert editor.post(url).status_code == 200  # a post that does not confirm: the confirmation page again
    september.refresh_from_db()
    assert september.status == OfferVersion.Status.PUBLISHED
    assert editor.get(reverse("admin:offers_offerversion_copy", args=[september.pk])).status_code == 200  # asks


def test_a_viewer_cannot_publish_or_copy(september):
    viewer = logged_in(staff_user("vera", "Offer viewers"))
    draft = september.copy_as_draft()
    assert viewer.post(reverse("admin:offers_offerversion_status", args=[draft.pk, "publish"])).status_code == 403
    assert copy_as_draft(viewer, draft).status_code == 403
    draft.refresh_from_db()
    assert draft.status == OfferVersion.Status.DRAFT


# No data loss


@pytest.fixture
def boss():
    return logged_in(User.objects.create_superuser("boss", "boss@example.com", "a-boss-password-123"))


def delete_url(version) -> str:
    return reverse("admin:offers_offerversion_delete", args=[version.pk])


def refusal(response) -> tuple[str, str | None]:
    """The refusal page's reason, and where its "Archive" link goes."""
    assert response.status_code == 403
    soup = BeautifulSoup(response.content, "html.parser")
    archive = soup.select_one("#archive-instead")
    return " ".join(soup.select_one("#deletion-refused").get_text(" ").split()), archive and archive["href"]


def test_a_published_version_cannot_be_deleted_even_by_a_superuser(boss, september):
    assert boss.post(delete_url(september), {"post": "yes"}).status_code == 403
    assert OfferVersion.objects.filter(pk=september.pk).exists()
    with pytest.raises(DeletionRefused, match="Archive it instead"):
        september.delete()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_refused_delete_says_why_and_links_to_archive(boss, september, method):
    response = getattr(boss, method)(delete_url(september), {"post": "yes"} if method == "post" else {})
    reason, archive = refusal(response)
    assert reason == ("September 2003 amendment is published: holders may have relied on it. Archive it instead "
                      "of deleting it.")
    assert archive == reverse("admin:offers_offerversion_status", args=[september.pk, "archive"])
    assert boss.get(archive).status_code == 200  # the archive confirmation page


def test_a_version_with_history_says_why_it_is_kept(boss, september, editor):
    draft = september.copy_as_draft()
    edit(editor, change_url(draft), new_rate_percent="12.5")
    reason, archive = refusal(boss.get(delete_url(draft)))
    assert "has been changed since it was created; archive it instead" in reason
    assert archive is not None


def test_an_editor_is_told_to_archive_instead(editor, september):
    draft = september.copy_as_draft()
    reason, archive = refusal(editor.get(delete_url(draft)))
    assert reason.startswith("Only a superuser can delete a version") and "Archive Copy of" in reason
    assert archive == reverse("admin:offers_offerversion_status", args=[draft.pk, "archive"])


def test_there_is_no_bulk_delete_for_versions(boss, september):
    soup = BeautifulSoup(boss.get(CHANGELIST).content, "html.parser")
    actions = [option["value"] for option in soup.select("select[name=action] option") if option["value"]]
    assert actions == ["publish", "unpublish", "archive", "copy_as_new_draft"]


def test_a_version_with_history_beyond_its_creation_cannot_be_deleted(boss, september, editor):
    draft = september.copy_as_draft()
    edit(editor, change_url(draft), new_rate_percent="12.5")
    assert boss.post(delete_url(draft), {"post": "yes"}).status_code == 403
    with pytest.raises(DeletionRefused, match="archive it instead"):
        OfferVersion.objects.filter(pk=draft.pk).delete()
    assert OfferVersion.objects.filter(pk=draft.pk).exists()


def test_a_posted_bulk_delete_deletes_nothing(boss, september):
    draft = september.copy_as_draft()
    boss.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [september.pk, draft.pk], "post": "yes"})
    assert OfferVersion.objects.filter(pk__in=[september.pk, draft.pk]).count() == 2


def test_a_fresh_draft_made_by_mistake_can_be_deleted_by_a_superuser(boss, september):
    draft = september.copy_as_draft()
    assert boss.post(delete_url(draft), {"post": "yes"}).status_code == 302
    assert not OfferVersion.objects.filter(pk=draft.pk).exists()


def test_editors_cannot_delete_anything(editor, september):
    draft = september.copy_as_draft()
    assert editor.post(delete_url(draft), {"post": "yes"}).status_code == 403
    assert OfferVersion.objects.filter(pk=draft.pk).exists()


def test_the_old_notes_in_use_cannot_be_deleted_even_by_the_superuser(boss):
    old_notes = OldNotes.objects.get()
    url = reverse("admin:offers_oldnotes_delete", args=[old_notes.pk])
    response = boss.post(url, {"reason": "Trying"})
    assert response.status_code == 403
    said = " ".join(BeautifulSoup(response.content, "html.parser").select_one("#deletion-refused").get_text().split())
    assert said.startswith("12 3/4% Senior Subordinated Notes cannot be deleted: 2 version(s) and 1 tender report(s) "
                           "describe them.")
    with pytest.raises(DeletionRefused):
        old_notes.delete()
    assert OldNotes.objects.get().outstanding == Decimal(27412000)
