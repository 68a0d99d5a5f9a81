"""Publish, unpublish, archive and saving a published version first show what holders will see
change, for $1,000 of Old Notes at the version's expected consummation, and act only when confirmed.

Figures by hand ($1,000 exchanged Oct 10, 2003: 1,509 days 30/360, accrued $534.4375, New Notes
$1,534; coupons Feb 1, 2004 to Aug 1, 2009 = 23, the first for 111 days, 22 regular quarters):
- September 2003 terms at 12%: 1,534 x 12% x 111/360 = 56.7580 -> 56.76; 1,534 x 3% = 46.02 each;
  interest 56.76 + 22 x 46.02 = 1,069.20; no fee; cash 1,069.20 + 1,534 = 2,603.20.
- At 12.5%: 1,534 x 12.5% x 111/360 = 59.1229... -> 59.12; 1,534 x 3.125% = 47.9375 -> 47.94;
  interest 59.12 + 22 x 47.94 = 1,113.80; cash 2,647.80.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from offers.models import OfferVersion, OldNotes
from tests.web.admin_client import change_url, confirmation_form, confirmed, edit, logged_in, staff_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:offers_offerversion_changelist")
SEPTEMBER = "September 2003 amendment"
COPY = "Copy of September 2003 amendment"


@pytest.fixture
def editor():
    return logged_in(staff_user("edith", "Offer editors"))


@pytest.fixture
def september():
    return OfferVersion.objects.get(slug="september-2003")


@pytest.fixture
def draft(editor, september):
    """A copy of the September terms at 12.5%, saved as a draft (a draft's save asks nothing)."""
    copy = september.copy_as_draft(date(2003, 12, 1))
    assert edit(editor, change_url(copy), new_rate_percent="12.5").status_code == 302
    return copy


def status_url(version: OfferVersion, action: str) -> str:
    return reverse("admin:offers_offerversion_status", args=[version.pk, action])


def effect_rows(response) -> dict[tuple[str, str], tuple[str, str]]:
    """{(version, figure): (now, after)} from the confirmation page."""
    assert response.status_code == 200, response.status_code
    soup = BeautifulSoup(response.content, "html.parser")
    rows, version = {}, None
    for tr in soup.select(".holder-effect tbody tr"):
        group = tr.select_one("th[scope=rowgroup]")
        if group is not None:
            version = group.get_text(" ", strip=True)
        label = tr.select_one("th[scope=row]").get_text(" ", strip=True)
        now, after = (" ".join(td.get_text(" ").split()) for td in tr.select("td"))
        rows[(version, label)] = (now, after.removesuffix(" (changes)"))
    return rows


def changed_rows(response) -> set[tuple[str, str]]:
    soup = BeautifulSoup(response.content, "html.parser")
    found, version = set(), None
    for tr in soup.select(".holder-effect tbody tr"):
        if (group := tr.select_one("th[scope=rowgroup]")) is not None:
            version = group.get_text(" ", strip=True)
        if "changes" in tr.get("class", []):
            found.add((version, tr.select_one("th[scope=row]").get_text(" ", strip=True)))
    return found


def test_publish_first_shows_the_new_column_holders_will_see_and_changes_nothing(editor, draft):
    response = editor.get(status_url(draft, "publish"))
    rows = effect_rows(response)
    assert "for $1,000 of Old Notes exchanged on Oct 10, 2003" in response.content.decode()
    assert rows[(COPY, "Shown to holders")] == ("no", "yes")
    assert rows[(COPY, "New Notes principal")] == ("not shown", "$1,534.00")
    assert rows[(COPY, "Total interest")] == ("not shown", "$1,113.80")
    assert rows[(COPY, "Participation fee")] == ("not shown", "$0.00")
    assert rows[(COPY, "Total cash")] == ("not shown", "$2,647.80")
    # The published versions stay as they are, and are not marked as changing.
    assert rows[(SEPTEMBER, "Total interest")] == ("$1,069.20", "$1,069.20")
    assert {version for version, _ in changed_rows(response)} == {COPY}
    draft.refresh_from_db()
    assert draft.status == OfferVersion.Status.DRAFT
    assert draft.history.first().history_change_reason != "Published"


def test_confirming_publishes(editor, draft):
    response = confirmed(editor, status_url(draft, "publish"), editor.get(status_url(draft, "publish")))
    assert response.status_code == 302 and response["Location"] == change_url(draft)
    draft.refresh_from_db()
    assert draft.status == OfferVersion.Status.PUBLISHED
    assert draft.history.first().history_change_reason == "Published"


def test_the_confirmation_page_offers_cancel_back_to_the_version(editor, draft):
    soup = BeautifulSoup(editor.get(status_url(draft, "publish")).content, "html.parser")
    cancel = soup.select_one("#confirm-form a.cancel-link")
    assert cancel["href"] == change_url(draft) and "Cancel" in cancel.get_text()
    assert soup.select_one("#confirm-form input[type=submit]")["value"] == "Confirm: publish"


@pytest.mark.parametrize("action", ["unpublish", "archive"])
def test_unpublish_and_archive_show_the_column_holders_will_lose(editor, september, action):
    response = editor.get(status_url(september, action))
    rows = effect_rows(response)
    assert rows[(SEPTEMBER, "Shown to holders")] == ("yes", "no")
    assert rows[(SEPTEMBER, "Total interest")] == ("$1,069.20", "not shown")
    assert rows[(SEPTEMBER, "Total cash")] == ("$2,603.20", "not shown")
    september.refresh_from_db()
    assert september.status == OfferVersion.Status.PUBLISHED
    assert confirmed(editor, status_url(september, action), response).status_code == 302
    september.refresh_from_db()
    assert september.status != OfferVersion.Status.PUBLISHED


def test_the_list_action_asks_first_too(editor, draft):
    response = editor.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]})
    assert effect_rows(response)[(COPY, "Shown to holders")] == ("no", "yes")
    draft.refresh_from_db()
    assert draft.status == OfferVersion.Status.DRAFT
    assert confirmed(editor, CHANGELIST, response).status_code == 302
    draft.refresh_from_db()
    assert draft.status == OfferVersion.Status.PUBLISHED


def test_saving_a_published_version_shows_the_new_figures_before_saving(editor, september):
    response = edit(editor, change_url(september), confirm=False, new_rate_percent="12.5",
                    change_reason="Rate raised")
    rows = effect_rows(response)
    assert rows[(SEPTEMBER, "Total interest")] == ("$1,069.20", "$1,113.80")
    assert rows[(SEPTEMBER, "Total cash")] == ("$2,603.20", "$2,647.80")
    assert rows[(SEPTEMBER, "New Notes principal")] == ("$1,534.00", "$1,534.00")
    assert changed_rows(response) == {(SEPTEMBER, "Total interest"), (SEPTEMBER, "Total cash")}
    assert "You changed: New Notes rate (% a year)." in response.content.decode()
    september.refresh_from_db()
    assert september.new_rate_percent == Decimal(12)  # nothing saved yet
    assert confirmation_form(response)["change_reason"] == ["Rate raised"]  # what was typed travels along

    saved = confirmed(editor, change_url(september), response)
    assert saved.status_code == 302
    september.refresh_from_db()
    assert september.new_rate_percent == Decimal("12.5")
    assert september.history.first().history_change_reason == "Rate raised"


def test_a_published_version_with_errors_shows_them_without_asking(editor, september):
    response = edit(editor, change_url(september), confirm=False, new_rate_percent="101")
    assert confirmation_form(response) is None
    assert b"is out of range; enter a percentage from 0 to 100" in response.content


def test_a_draft_is_saved_without_asking(editor, september):
    copy = september.copy_as_draft(date(2003, 12, 1))
    assert edit(editor, change_url(copy), confirm=False, new_rate_percent="12.5").status_code == 302


def test_publishing_a_version_that_breaks_a_rule_says_so_on_the_confirmation_page(editor, september):
    copy = september.copy_as_draft(date(2003, 12, 1))
    OfferVersion.objects.filter(pk=copy.pk).update(first_payment="2009-08-01")  # bypassing the form
    response = editor.get(status_url(copy, "publish"))
    notes = " ".join(li.get_text(" ") for li in BeautifulSoup(response.content, "html.parser").select(
        "#confirm-notes li"))
    assert (f"{COPY} will not be published: First payment: Aug 1, 2009 must be before the maturity (Aug 1, 2009)."
            in notes)
    assert effect_rows(response)[(SEPTEMBER, "Shown to holders")] == ("yes", "yes")
    assert (COPY, "Shown to holders") not in effect_rows(response)


def test_saving_the_old_notes_shows_every_published_version_changing(editor):
    # At 13% a year: 1,000 x 13% x 1509/360 = 544.9166... accrued, New Notes 1,544 (was 1,534).
    old_notes = OldNotes.objects.get()
    url = reverse("admin:offers_oldnotes_change", args=[old_notes.pk])
    response = edit(editor, url, confirm=False, rate_percent="13", change_reason="Checking")
    rows = effect_rows(response)
    assert rows[(SEPTEMBER, "New Notes principal")] == ("$1,534.00", "$1,544.00")
    assert rows[("Original terms (before the September 2003 amendment)", "New Notes principal")] == (
        "$1,534.00", "$1,544.00")
    old_notes.refresh_from_db()
    assert old_notes.rate_percent == Decimal("12.75")
    assert confirmed(editor, url, response).status_code == 302
    old_notes.refresh_from_db()
    assert old_notes.rate_percent == Decimal(13)
