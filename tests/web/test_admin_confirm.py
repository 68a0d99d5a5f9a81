"""Publish, unpublish, archive and saving a published version (or the Old Notes) first show what holders
will see change (everything of the answer they get, for $1,000, $100,000 and the whole issue, on every date
where it can differ) and act only when confirmed, with a reason for a status change.

Figures by hand ($1,000 exchanged Oct 10, 2003: 1,509 days 30/360, accrued $534.4375, New Notes
$1,534; coupons Feb 1, 2004 to Aug 1, 2009 = 23, the first for 111 days, 22 regular quarters):
- September 2003 terms at 12%: 1,534 x 12% x 111/360 = 56.7580 -> 56.76; 1,534 x 3% = 46.02 each;
  interest 56.76 + 22 x 46.02 = 1,069.20; no fee; cash 1,069.20 + 1,534 = 2,603.20.
- At 12.5%: 1,534 x 12.5% x 111/360 = 59.1229... -> 59.12; 1,534 x 3.125% = 47.9375 -> 47.94;
  interest 59.12 + 22 x 47.94 = 1,113.80; cash 2,647.80.
- Warrants: 1,534 x 10 / 1,000 = 15.34 -> 15 shares; at $3.50 they cost $52.50, at $4.50 $67.50.
- Tender: 27,209,000 / 27,412,000 = 99.259...% -> 99.3%; of 28,000,000 it is 97.175...% -> 97.2%.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from offers.models import OfferVersion, OldNotes
from tests.web.admin_client import (
    change_url,
    confirmation_form,
    confirmed,
    edit,
    form_data_from,
    logged_in,
    messages_on,
    staff_user,
    submit,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:offers_offerversion_changelist")
ORIGINAL = "Original terms (before the September 2003 amendment)"
SEPTEMBER = "September 2003 amendment"
COPY = "Copy of September 2003 amendment"
NOTHING = "Nothing holders see changes."


@pytest.fixture
def september():
    return OfferVersion.objects.get(slug="september-2003")


@pytest.fixture
def draft(editor, september):
    """A copy of the September terms at 12.5%, announced Dec 1, 2003, saved as a draft (a draft's save asks
    nothing)."""
    copy = september.copy_as_draft(date(2003, 12, 1))
    assert edit(editor, change_url(copy), new_rate_percent="12.5").status_code == 302
    return copy


def status_url(version: OfferVersion, action: str) -> str:
    return reverse("admin:offers_offerversion_status", args=[version.pk, action])


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def effect(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    found = BeautifulSoup(response.content, "html.parser").select_one("#holder-effect")
    assert found is not None, "no comparison on the page"
    return found


def listed(response) -> dict[str, list[str]]:
    """{subject: [each difference as the page words it]}."""
    found: dict[str, list[str]] = {}
    for heading in effect(response).select("h3"):
        found[text(heading)] = [text(li.select_one(".what")) for li in heading.find_next_sibling("ul").select(
            "li.difference")]
    return found


def scope(response, subject: str, starts: str) -> str:
    for heading in effect(response).select("h3"):
        if text(heading) == subject:
            for li in heading.find_next_sibling("ul").select("li.difference"):
                if text(li.select_one(".what")).startswith(starts):
                    return text(li.select_one(".scope"))
    raise AssertionError(f"{subject}: no line starting {starts!r}")


def cases(response, subject: str, starts: str) -> dict[str, tuple[str, str]]:
    """{holding and date: (now, after)} from the line's table of every holding and date."""
    for heading in effect(response).select("h3"):
        if text(heading) == subject:
            for li in heading.find_next_sibling("ul").select("li.difference"):
                if text(li.select_one(".what")).startswith(starts):
                    return {text(tr.th): tuple(text(td) for td in tr.select("td")) for tr in li.select("tbody tr")}
    raise AssertionError(f"{subject}: no line starting {starts!r}")


def says_nothing_changes(response) -> bool:
    return effect(response).select_one("#no-change") is not None


def test_publish_first_shows_what_holders_will_see_and_changes_nothing(editor, draft):
    response = editor.get(status_url(draft, "publish"))
    assert listed(response)[COPY] == ["Shown to holders: no \u2192 yes"]
    # The copy announced Dec 1, 2003 replaces September's terms as the answer from that day.
    assert "Replaced by: none \u2192 Copy of September 2003 amendment" in listed(response)[SEPTEMBER]
    in_force = text(effect(response).select_one("#in-force-changes"))
    assert f"Dec 1, 2003: {SEPTEMBER} \u2192 {COPY}" in in_force
    assert "Nov 30, 2003" not in in_force  # the day before it is announced, September's terms still answer
    assert not says_nothing_changes(response)
    draft.refresh_from_db()
    assert draft.status == OfferVersion.Status.DRAFT


def test_confirming_publishes_with_the_reason_in_the_history(editor, draft):
    page = editor.get(status_url(draft, "publish"))
    data = confirmation_form(page) | {"status_reason": ["Announced in the October supplement"]}
    response = editor.post(status_url(draft, "publish"), data)
    assert response.status_code == 302 and response["Location"] == change_url(draft)
    draft.refresh_from_db()
    assert draft.status == OfferVersion.Status.PUBLISHED
    assert draft.history.first().history_change_reason == "Published: Announced in the October supplement"
    history = editor.get(reverse("admin:offers_offerversion_history", args=[draft.pk]))
    assert "Published: Announced in the October supplement" in text(BeautifulSoup(history.content, "html.parser"))


@pytest.mark.parametrize("action", ["publish", "unpublish", "archive"])
def test_a_status_change_without_a_reason_is_not_made(editor, draft, september, action):
    version = draft if action == "publish" else september
    before = version.status
    response = confirmed(editor, status_url(version, action), editor.get(status_url(version, action)))
    assert response.status_code == 200
    error = text(BeautifulSoup(response.content, "html.parser").select_one("#status_reason_error"))
    assert error.startswith("Reason: say why, such as")
    version.refresh_from_db()
    assert version.status == before


def test_the_confirmation_page_offers_cancel_back_to_the_version(editor, draft):
    soup = BeautifulSoup(editor.get(status_url(draft, "publish")).content, "html.parser")
    cancel = soup.select_one("#confirm-form a.cancel-link")
    assert cancel["href"] == change_url(draft) and "Cancel" in cancel.get_text()
    assert soup.select_one("#confirm-form input[type=submit]")["value"] == "Confirm: publish"
    assert soup.select_one("label[for=id_status_reason]") is not None


@pytest.mark.parametrize("action", ["unpublish", "archive"])
def test_unpublish_and_archive_show_the_version_holders_will_lose(editor, september, action):
    response = editor.get(status_url(september, action))
    assert listed(response)[SEPTEMBER] == ["Shown to holders: yes \u2192 no"]
    # On every date a holder's entry is accepted (from the original terms' expiry, Sep 30, 2003).
    assert scope(response, SEPTEMBER, "Shown to holders") == (
        "(every holding checked, on Sep 30, Oct 1, Oct 6, Oct 7, Oct 8 and Oct 10, 2003)")
    # On every date a holder can enter, the answer falls back to the original terms.
    in_force = text(effect(response).select_one("#in-force-changes"))
    assert f"Sep 30, 2003: {SEPTEMBER} \u2192 {ORIGINAL}" in in_force
    assert f"Oct 10, 2003: {SEPTEMBER} \u2192 {ORIGINAL}" in in_force
    september.refresh_from_db()
    assert september.status == OfferVersion.Status.PUBLISHED
    data = confirmation_form(response) | {"status_reason": ["Checking the unpublish flow"]}
    assert editor.post(status_url(september, action), data).status_code == 302
    september.refresh_from_db()
    assert september.status != OfferVersion.Status.PUBLISHED
    assert september.history.first().history_change_reason.endswith(": Checking the unpublish flow")


def test_the_list_action_asks_first_too(editor, draft):
    response = editor.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]})
    assert listed(response)[COPY] == ["Shown to holders: no \u2192 yes"]
    draft.refresh_from_db()
    assert draft.status == OfferVersion.Status.DRAFT
    data = confirmation_form(response) | {"status_reason": ["Announced"]}
    assert editor.post(CHANGELIST, data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == OfferVersion.Status.PUBLISHED


def test_saving_a_published_version_shows_the_new_figures_before_saving(editor, september):
    response = edit(editor, change_url(september), confirm=False, new_rate_percent="12.5",
                    change_reason="Rate raised")
    lines = listed(response)[SEPTEMBER]
    assert "New Notes rate: 12% \u2192 12.5%" in lines
    at = cases(response, SEPTEMBER, "Total interest")
    assert at["$1,000 on Oct 10, 2003"] == ("$1,069.20", "$1,113.80")
    assert cases(response, SEPTEMBER, "Total cash")["$1,000 on Oct 10, 2003"] == ("$2,603.20", "$2,647.80")
    # The coupons, said by the first that differs (every one does: each is a share of the rate).
    assert cases(response, SEPTEMBER, "Coupons")["$1,000 on Oct 10, 2003"] == (
        "$56.76", "$59.12 for the coupon paid Feb 1, 2004 (23 of 23 coupons differ)")
    # The New Notes principal does not depend on the rate: not listed.
    assert not any(line.startswith("New Notes principal") for line in lines)
    assert "You changed: New Notes rate (% a year)." in response.content.decode()
    september.refresh_from_db()
    assert september.new_rate_percent == Decimal(12)  # nothing saved yet
    assert confirmation_form(response)["change_reason"] == ["Rate raised"]  # what was typed travels along

    saved = confirmed(editor, change_url(september), response)
    assert saved.status_code == 302
    september.refresh_from_db()
    assert september.new_rate_percent == Decimal("12.5")
    assert september.history.first().history_change_reason == "Rate raised"


def test_the_deadline_and_the_exercise_price_are_both_listed(editor, september):
    """The trial's case: "Nothing holders see changes" for a new expiry and exercise price."""
    response = edit(editor, change_url(september), confirm=False, expires_at_0="2003-10-08",
                    exercise_price="4.50")
    lines = listed(response)[SEPTEMBER]
    assert "Deadline: Tuesday, Oct 7 \u2192 Wednesday, Oct 8, 2003, 5:00 p.m. New York time" in lines
    assert "Warrant exercise price: $3.50 \u2192 $4.50 a share" in lines
    cost = cases(response, SEPTEMBER, "Warrant exercise cost")
    assert cost["$1,000 on Oct 10, 2003"] == ("$52.50", "$67.50")
    assert not says_nothing_changes(response)
    # Oct 7, 2003 is now before the offer expires: holders who choose it lose their figures, and the page says so.
    lost = text(effect(response).select_one("#figures-lost"))
    assert "Holders who choose Oct 7, 2003" in lost and "does not apply" in lost
    explained = text(effect(response).select_one("#in-force-applies"))
    assert "\u201cIn force\u201d is the version whose terms are the holder's answer" in explained


def test_the_minimum_tender_reaches_the_tender_status(editor, september):
    response = edit(editor, change_url(september), confirm=False, minimum_tender_percent="99.5")
    tender = listed(response)["Tender status"]
    assert "Minimum tender of the version in force: 99% \u2192 99.5%" in tender
    assert "Minimum tender met: yes \u2192 no" in tender  # 99.26% tendered


def test_a_warrant_date_is_listed(editor, september):
    response = edit(editor, change_url(september), confirm=False, warrant_expires="2009-07-01")
    assert "Warrants expire: Aug 1, 2009 \u2192 Jul 1, 2009" in listed(response)[SEPTEMBER]


def test_a_change_holders_do_not_see_says_nothing_changes(editor, september):
    response = edit(editor, change_url(september), confirm=False, source="The Sep 18, 2003 press release, again")
    assert says_nothing_changes(response)
    assert listed(response) == {}


def test_the_old_notes_outstanding_reaches_the_tender_status_and_the_whole_issue(editor):
    old_notes = OldNotes.objects.get()
    url = reverse("admin:offers_oldnotes_change", args=[old_notes.pk])
    response = edit(editor, url, confirm=False, outstanding="28000000", change_reason="Checking")
    tender = listed(response)["Tender status"]
    assert "Old Notes outstanding: $27,412,000.00 \u2192 $28,000,000.00" in tender
    assert "Tendered, as a share of the outstanding: 99.3% \u2192 97.2%" in tender
    # The whole issue after the change is more than holders may enter today.
    entry = cases(response, "The holder's answer", "The holder's entry")
    assert entry["$28,000,000 on Oct 10, 2003"][1] == "accepted"
    assert entry["$28,000,000 on Oct 10, 2003"][0].startswith("refused: must be at most the $27,412,000")


def test_a_published_version_with_errors_shows_them_without_asking(editor, september):
    response = edit(editor, change_url(september), confirm=False, new_rate_percent="101")
    assert confirmation_form(response) is None
    assert b"is out of range; enter a percentage from 0 to 100" in response.content


def test_a_draft_is_saved_without_asking(editor, september):
    copy = september.copy_as_draft(date(2003, 12, 1))
    assert edit(editor, change_url(copy), confirm=False, new_rate_percent="12.5").status_code == 302


def test_publishing_a_version_that_breaks_a_rule_is_not_offered(editor, september):
    copy = september.copy_as_draft(date(2003, 12, 1))
    OfferVersion.objects.filter(pk=copy.pk).update(first_payment="2009-08-01")  # bypassing the form
    response = editor.get(status_url(copy, "publish"))
    soup = BeautifulSoup(response.content, "html.parser")
    notes = " ".join(text(li) for li in soup.select("#confirm-notes li"))
    assert (f"{COPY} will not be published: First payment: Aug 1, 2009 must be before the maturity (Aug 1, 2009)."
            in notes)
    assert not [i for i in soup.select("#confirm-form input[type=submit]") if i["value"].startswith("Confirm")]
    assert soup.select_one("#id_status_reason") is None
    # Nor is the button on the version's page.
    page = BeautifulSoup(editor.get(change_url(copy)).content, "html.parser")
    assert not page.select(".offer-status input[value=Publish]")
    assert "must be before the maturity" in text(page.select_one("#publish-not-offered"))


def test_publishing_without_an_announcement_date_is_not_offered(editor, september):
    copy = september.copy_as_draft(None)
    page = BeautifulSoup(editor.get(change_url(copy)).content, "html.parser")
    assert not page.select(".offer-status input[value=Publish]")
    assert "give the date these terms were announced" in text(page.select_one("#publish-not-offered"))
    response = editor.get(status_url(copy, "publish"))
    assert not [i for i in BeautifulSoup(response.content, "html.parser").select("#confirm-form input[type=submit]")
                if i["value"] == "Confirm: publish"]


def test_saving_the_old_notes_shows_every_published_version_changing(editor):
    # At 13% a year: 1,000 x 13% x 1509/360 = 544.9166... accrued, New Notes 1,544 (was 1,534).
    old_notes = OldNotes.objects.get()
    url = reverse("admin:offers_oldnotes_change", args=[old_notes.pk])
    response = edit(editor, url, confirm=False, rate_percent="13", change_reason="Checking")
    for version in (SEPTEMBER, ORIGINAL):
        assert cases(response, version, "New Notes principal")["$1,000 on Oct 10, 2003"] == (
            "$1,534.00", "$1,544.00")
    old_notes.refresh_from_db()
    assert old_notes.rate_percent == Decimal("12.75")
    assert confirmed(editor, url, response).status_code == 302
    old_notes.refresh_from_db()
    assert old_notes.rate_percent == Decimal(13)


# No typed work lost ---------------------------------------------------------------------------------
def field_value(response, name: str) -> str:
    field = BeautifulSoup(response.content, "html.parser").select_one(f"#id_{name}")
    assert field is not None, f"no field {name} on the page"
    return field.get("value", "")


def test_cancel_on_the_confirmation_returns_to_the_form_with_the_typing(editor, september):
    page = edit(editor, change_url(september), confirm=False, new_rate_percent="12.5", change_reason="Rate raised")
    data = confirmation_form(page) | {"_back_to_form": ["Cancel"]}
    response = editor.post(change_url(september), data)
    assert response.status_code == 200
    assert field_value(response, "new_rate_percent") == "12.5"
    assert field_value(response, "change_reason") == "Rate raised"
    assert any("Nothing was saved" in m for m in messages_on(response))
    september.refresh_from_db()
    assert september.new_rate_percent == Decimal(12)
    # Saving from there asks again, then saves what was typed.
    again = submit(editor, change_url(september), form_data_from(response))
    assert confirmation_form(again) is not None
    assert confirmed(editor, change_url(september), again).status_code == 302
    september.refresh_from_db()
    assert september.new_rate_percent == Decimal("12.5")


def test_a_conflict_on_confirming_keeps_the_typing(editor, september):
    page = edit(editor, change_url(september), confirm=False, new_rate_percent="12.5", change_reason="Rate raised")
    other = logged_in(staff_user("olga", "Offer editors"))
    assert edit(other, change_url(september), source="Someone else's change").status_code == 302
    response = confirmed(editor, change_url(september), page)
    assert response.status_code == 200
    assert any(m.startswith("Not saved: olga changed this") for m in messages_on(response))
    assert field_value(response, "new_rate_percent") == "12.5"
    assert BeautifulSoup(response.content, "html.parser").select_one("#id_source").get_text().strip() == (
        "Someone else's change")  # theirs, kept under the typing
    assert field_value(response, "change_reason") == "Rate raised"
    september.refresh_from_db()
    assert september.new_rate_percent == Decimal(12)

