"""History (who, when, what changed from what to what, and why), revert, and the stale-edit refusal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from offers.models import OfferVersion, OldNotes, TenderReport
from tests.web.admin_client import (
    change_url,
    confirmed,
    edit,
    field_errors,
    form_data,
    form_data_from,
    form_errors,
    logged_in,
    messages_on,
    staff_user,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def september():
    return OfferVersion.objects.get(slug="september-2003")


def history_url(version: OfferVersion) -> str:
    return reverse("admin:offers_offerversion_history", args=[version.pk])


def history_rows(client, url: str) -> list[str]:
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return [" ".join(tr.get_text(" ").split()) for tr in soup.select("#change-history tbody tr")]


def test_a_change_needs_a_reason(editor, september):
    response = edit(editor, change_url(september), new_rate_percent="12.5", change_reason="")
    assert response.status_code == 200
    [message] = field_errors(response, "change_reason")
    assert message.startswith("Reason for this change: say why you are making this change")
    assert "the history shows it with your name" in message
    september.refresh_from_db()
    assert september.new_rate_percent == Decimal(12)


def test_the_history_shows_who_when_what_changed_and_why(editor, september):
    edit(editor, change_url(september), new_rate_percent="12.5", change_reason="Rate raised by the supplement")
    latest = september.history.first()
    assert latest.history_user.username == "edith"
    assert latest.history_change_reason == "Rate raised by the supplement"
    rows = history_rows(editor, history_url(september))
    assert len(rows) == 2
    assert "edith" in rows[0] and "Rate raised by the supplement" in rows[0]
    assert "New Notes rate (% a year): 12 → 12.5" in rows[0]
    # Only what changed is listed: not the untouched fields, not the timestamp.
    assert "maturity" not in rows[0].lower() and "updated" not in rows[0].lower()


def test_the_old_notes_and_tender_reports_keep_a_history_with_reasons_too(editor):
    old_notes = OldNotes.objects.get()
    edit(editor, reverse("admin:offers_oldnotes_change", args=[old_notes.pk]), shares_outstanding="5000000",
         change_reason="From the 10-Q")
    report = TenderReport.objects.get()
    edit(editor, reverse("admin:offers_tenderreport_change", args=[report.pk]), note="Checked", change_reason="Tidy")
    assert old_notes.history.first().history_change_reason == "From the 10-Q"
    assert report.history.first().history_change_reason == "Tidy"
    rows = history_rows(editor, reverse("admin:offers_oldnotes_history", args=[old_notes.pk]))
    assert "Shares outstanding: (empty) → 5000000" in rows[0] and "edith" in rows[0]


def test_reverting_restores_the_earlier_terms_with_a_reason_saying_so(editor, september):
    edit(editor, change_url(september), new_rate_percent="12.5", change_reason="Rate raised")
    created = september.history.last()
    url = reverse("admin:offers_offerversion_simple_history", args=[september.pk, created.history_id])
    data = form_data(editor, url)
    assert data["change_reason"].startswith("Reverted to ")
    assert data["new_rate_percent"] == "12"
    response = submit(editor, url, data)
    assert response.status_code == 302
    september.refresh_from_db()
    assert september.new_rate_percent == Decimal(12)
    assert september.status == OfferVersion.Status.PUBLISHED  # a revert never changes the status
    latest = september.history.first()
    assert latest.history_change_reason == data["change_reason"]
    assert latest.history_user.username == "edith"
    assert "12.5 → 12" in history_rows(editor, history_url(september))[0]


def test_a_revert_needs_a_reason(editor, september):
    edit(editor, change_url(september), new_rate_percent="12.5", change_reason="Rate raised")
    url = reverse("admin:offers_offerversion_simple_history", args=[september.pk, september.history.last().pk])
    response = submit(editor, url, {**form_data(editor, url), "change_reason": ""})
    assert response.status_code == 200
    september.refresh_from_db()
    assert september.new_rate_percent == Decimal("12.5")


def test_a_revert_keeps_the_current_status_of_a_version_published_since(editor):
    draft = OfferVersion.objects.get(slug="september-2003").copy_as_draft(date(2003, 12, 1))
    edit(editor, change_url(draft), new_rate_percent="12.5")
    editor.post(reverse("admin:offers_offerversion_status", args=[draft.pk, "publish"]),
                {"confirmed": "yes", "status_reason": "Announced"})
    first = draft.history.last()  # the copy, when it was a draft at 12%
    url = reverse("admin:offers_offerversion_simple_history", args=[draft.pk, first.pk])
    assert submit(editor, url, form_data(editor, url)).status_code == 302
    draft.refresh_from_db()
    assert (draft.new_rate_percent, draft.status) == (Decimal(12), OfferVersion.Status.PUBLISHED)


def test_an_edit_from_a_stale_form_is_refused_naming_who_changed_it_and_when(editor, september):
    stale = form_data(editor, change_url(september))  # edith opens the form...
    other = logged_in(staff_user("olga", "Offer editors"))
    assert edit(other, change_url(september), maturity="2010-08-01", warrant_expires="2010-08-01",
                change_reason="Maturity extended").status_code == 302  # ...olga saves first
    response = submit(editor, change_url(september), {**stale, "new_rate_percent": "12.5",
                                                      "change_reason": "Rate raised"})
    assert response.status_code == 200
    [message] = [m for m in messages_on(response) if m.startswith("Not saved")]
    olga_saved = timezone.localtime(september.history.first().history_date)  # New York time, as staff read it
    assert message.startswith("Not saved: olga changed this on ")
    assert f" {olga_saved.day}, {olga_saved.year}, {olga_saved:%-I}:{olga_saved:%M}" in message
    assert "after you opened this form" in message
    september.refresh_from_db()
    assert september.new_rate_percent == Decimal(12)  # edith's change was not applied
    assert str(september.maturity) == "2010-08-01"  # olga's stays
    # Nothing typed is lost: the form shows olga's version with edith's change on top, and saves as it is.
    assert "their version with your changes on top (New Notes rate (% a year))" in message
    shown = form_data_from(response)
    assert (shown["new_rate_percent"], shown["maturity"], shown["change_reason"]) == ("12.5", "2010-08-01",
                                                                                      "Rate raised")
    assert confirmed(editor, change_url(september), submit(editor, change_url(september), shown)).status_code == 302
    september.refresh_from_db()
    assert (september.new_rate_percent, str(september.maturity)) == (Decimal("12.5"), "2010-08-01")


def test_an_edit_from_a_fresh_form_after_someone_elses_save_goes_through(editor, september):
    other = logged_in(staff_user("olga", "Offer editors"))
    edit(other, change_url(september), source="Press release", change_reason="Shorter")
    assert edit(editor, change_url(september), new_rate_percent="12.5").status_code == 302


def test_a_form_without_its_opening_marker_is_refused(editor, september):
    data = {**form_data(editor, change_url(september)), "loaded_updated_at": "", "change_reason": "Rate"}
    response = submit(editor, change_url(september), {**data, "new_rate_percent": "12.5"})
    assert response.status_code == 200 and form_errors(response)


def test_a_stale_revert_is_refused_too(editor, september):
    edit(editor, change_url(september), new_rate_percent="12.5", change_reason="Rate raised")
    url = reverse("admin:offers_offerversion_simple_history", args=[september.pk, september.history.last().pk])
    stale = form_data(editor, url)
    edit(logged_in(staff_user("olga", "Offer editors")), change_url(september), new_rate_percent="13")
    response = submit(editor, url, stale)
    assert response.status_code == 200 and "olga" in " ".join(form_errors(response))
    september.refresh_from_db()
    assert september.new_rate_percent == Decimal(13)


def test_a_stale_edit_of_a_tender_report_is_refused_too(editor):
    report = TenderReport.objects.get()
    url = reverse("admin:offers_tenderreport_change", args=[report.pk])
    stale = form_data(editor, url)
    edit(logged_in(staff_user("olga", "Offer editors")), url, amount_tendered="27300000", change_reason="Update")
    response = submit(editor, url, {**stale, "note": "Mine", "change_reason": "Note"})
    assert response.status_code == 200
    assert any(m.startswith("Not saved: olga changed this") for m in messages_on(response))
    assert TenderReport.objects.get().amount_tendered == 27300000
    shown = form_data_from(response)  # olga's amount, edith's note on top
    assert (shown["amount_tendered"], shown["note"]) == ("27300000", "Mine")


# Read as staff read them: New York times, labels, the revert's differences, the other person's changes.


def new_york_text(moment) -> str:
    """``Oct 7, 2003, 5:00 p.m. New York time``, written out here (not with the code under test)."""
    local = moment.astimezone(ZoneInfo("America/New_York"))
    return (f"{local:%b} {local.day}, {local.year}, {local.hour % 12 or 12}:{local:%M} "
            f"{'a.m.' if local.hour < 12 else 'p.m.'} New York time")


def test_the_history_shows_times_in_new_york_and_choices_by_their_label(editor):
    draft = OfferVersion.objects.get(slug="september-2003").copy_as_draft()
    edit(editor, change_url(draft), expires_at_0="2003-10-08", expires_at_1="17:00",
         fee_basis="old_principal", fee_percent="3", fee_paid_on="consummation", change_reason="Fee added")
    latest, _created = history_rows(editor, history_url(draft))
    assert "Expires at: Oct 7, 2003, 5:00 p.m. New York time → Oct 8, 2003, 5:00 p.m. New York time" in latest
    assert "Participation fee basis: (empty) → Old Notes principal tendered" in latest
    assert "Fee paid on: (empty) → consummation" in latest
    assert "old_principal" not in latest and "+00:00" not in latest
    assert new_york_text(draft.history.first().history_date) in latest


def revert_url(version: OfferVersion, record) -> str:
    return reverse("admin:offers_offerversion_simple_history", args=[version.pk, record.history_id])


def test_the_revert_page_shows_what_the_revert_changes_and_asks_to_confirm(editor, september):
    edit(editor, change_url(september), new_rate_percent="12.5", source="Amended source",
         change_reason="Rate raised")
    created = september.history.last()
    soup = BeautifulSoup(editor.get(revert_url(september, created)).content, "html.parser")
    rows = [[" ".join(cell.get_text(" ").split()) for cell in tr.select("th, td")]
            for tr in soup.select("#revert-differences tbody tr")]
    assert rows == [["Source", "Amended source", september.history.last().source],
                    ["New Notes rate (% a year)", "12.5", "12"]]
    assert soup.select_one("input[type=submit][value='Confirm: revert']")
    assert soup.select_one("a.cancel-link")["href"] == history_url(september)
    # Published: what holders will see. At 12.5% the total interest on $1,000 at Oct 10, 2003 is
    # 59.12 + 22 x 47.94 = 1,113.80; back at 12%, 56.76 + 22 x 46.02 = 1,069.20.
    row = soup.select_one(".holder-effect li.difference:-soup-contains('Total interest') tr:-soup-contains("
                          "'$1,000 on Oct 10, 2003')")
    assert [" ".join(td.get_text(" ").split()) for td in row.select("td")] == ["$1,113.80", "$1,069.20"]
    september.refresh_from_db()
    assert september.new_rate_percent == Decimal("12.5")  # nothing changed by looking


def test_a_revert_ends_with_a_message_saying_what_it_restored(editor, september):
    edit(editor, change_url(september), new_rate_percent="12.5", change_reason="Rate raised")
    created = september.history.last()
    url = revert_url(september, created)
    response = editor.post(url, form_data(editor, url), follow=True)
    assert response.redirect_chain[-1][0] == change_url(september)
    assert messages_on(response) == [
        f"September 2003 amendment was reverted to its state of {new_york_text(created.history_date)}. "
        "1 field restored: New Notes rate (% a year)."]


def test_the_stale_edit_refusal_lists_what_the_other_person_changed(editor, september):
    stale = form_data(editor, change_url(september))
    other = logged_in(staff_user("olga", "Offer editors"))
    edit(other, change_url(september), maturity="2010-08-01", warrant_expires="2010-08-01",
         fee_basis="new_principal", fee_per_1000="30", fee_paid_on="consummation", change_reason="Extended")
    response = submit(editor, change_url(september), {**stale, "new_rate_percent": "12.5", "change_reason": "Rate"})
    [message] = [m for m in messages_on(response) if m.startswith("Not saved")]
    assert ("Their changes: New Notes maturity: Aug 1, 2010; Participation fee basis: New Notes principal issued; "
            "Fee ($ per $1,000 of basis): 30.00; Fee paid on: consummation; Warrants expire: Aug 1, 2010.") in message
