"""The version admin: list, search, filters, the form's sections and help, adding a version."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from offers.models import OfferVersion, OldNotes
from tests.web.admin_client import change_url, field_errors, form_data, staff_user, submit

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:offers_offerversion_changelist")
ADD = reverse("admin:offers_offerversion_add")


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def column_headings(soup: BeautifulSoup) -> list[str]:
    return [" ".join(th.get_text(" ").split()) for th in soup.select("#result_list thead th")]


def test_the_list_shows_name_status_rate_maturity_expiry_and_last_change(editor):
    soup = soup_of(editor.get(CHANGELIST))
    headings = [h.lower() for h in column_headings(soup)]
    for wanted in ("name", "status", "new notes rate", "new notes maturity", "expires at", "last change"):
        assert any(wanted in h for h in headings), (wanted, headings)
    rows = [" ".join(tr.get_text(" ").split()) for tr in soup.select("#result_list tbody tr")]
    assert len(rows) == 2
    september = next(r for r in rows if r.startswith("September 2003 amendment"))
    assert "Published" in september and "12%" in september and "Aug. 1, 2009" in september


def test_the_list_says_who_made_the_last_change(editor):
    version = OfferVersion.objects.get(slug="september-2003")
    version._history_user = staff_user("olga")
    version._change_reason = "Typo in the source"
    version.source = "Press release of September 18, 2003"
    version.save()
    soup = soup_of(editor.get(CHANGELIST))
    september = next(" ".join(tr.get_text(" ").split()) for tr in soup.select("#result_list tbody tr")
                     if tr.get_text(" ").split()[0] == "September")
    assert "by olga" in september


def test_search_finds_a_version_by_slug_or_name(editor):
    soup = soup_of(editor.get(CHANGELIST, {"q": "september-2003"}))
    assert len(soup.select("#result_list tbody tr")) == 1
    soup = soup_of(editor.get(CHANGELIST, {"q": "Original terms"}))
    assert len(soup.select("#result_list tbody tr")) == 1
    soup = soup_of(editor.get(CHANGELIST, {"q": "no such version"}))
    assert not soup.select("#result_list tbody tr")


def test_the_status_filter_lists_drafts_only(editor):
    OfferVersion.objects.get(slug="original").copy_as_draft()
    soup = soup_of(editor.get(CHANGELIST, {"status__exact": "draft"}))
    rows = [tr.get_text(" ") for tr in soup.select("#result_list tbody tr")]
    assert len(rows) == 1 and "Copy of Original terms" in rows[0]


def test_the_form_follows_the_terms_in_sections(editor):
    soup = soup_of(editor.get(change_url(OfferVersion.objects.get(slug="original"))))
    headings = [" ".join(h.get_text(" ").split()) for h in soup.select("fieldset h2, fieldset legend")]
    for section in ("Old Notes accrual", "New Notes", "Participation fee", "Warrants", "Dates and conditions",
                    "Recorded in the history"):
        assert section in headings, (section, headings)


def test_every_field_on_the_form_has_plain_english_help(editor):
    soup = soup_of(editor.get(change_url(OfferVersion.objects.get(slug="original"))))
    names = set()
    for row in soup.select("#offerversion_form .form-row"):
        fields = [f for f in row.select("input[name], select[name], textarea[name]") if f.get("type") != "hidden"]
        if not fields:
            continue
        names |= {f["name"].removesuffix("_0").removesuffix("_1") for f in fields}
        help_text = " ".join(h.get_text(" ", strip=True) for h in row.select(".help"))
        assert len(help_text.split()) >= 4, f"{fields[0]['name']} has no help text"
    assert len(names) >= 30
    assert {"new_rate_percent", "payment_months", "fee_paid_on", "expires_at", "change_reason"} <= names


def test_payment_months_and_fee_dates_show_as_plain_lists(editor):
    data = form_data(editor, change_url(OfferVersion.objects.get(slug="original")))
    assert data["payment_months"] == "2, 5, 8, 11"
    assert data["fee_paid_on"] == "consummation"


def test_an_editor_adds_a_version_as_a_draft(editor):
    data = form_data(editor, change_url(OfferVersion.objects.get(slug="september-2003")))
    data |= {"slug": "october-2003", "name": "October 2003 amendment", "new_rate_percent": "12.25",
             "change_reason": "", "loaded_updated_at": ""}
    response = submit(editor, ADD, data)
    assert response.status_code == 302, field_errors(response, "slug")
    added = OfferVersion.objects.get(slug="october-2003")
    assert added.status == OfferVersion.Status.DRAFT
    assert added.new_rate_percent == Decimal("12.25")
    assert added.history.get().history_change_reason == "Created"


def test_adding_a_version_checks_the_rules_too(editor):
    data = form_data(editor, change_url(OfferVersion.objects.get(slug="september-2003")))
    data |= {"slug": "october-2003", "first_payment": "2009-08-01", "loaded_updated_at": ""}
    response = submit(editor, ADD, data)
    assert response.status_code == 200
    assert field_errors(response, "first_payment")
    assert not OfferVersion.objects.filter(slug="october-2003").exists()


def test_a_published_version_warns_that_a_saved_change_reaches_holders_at_once(editor):
    soup = soup_of(editor.get(change_url(OfferVersion.objects.get(slug="september-2003"))))
    assert "reaches them at once" in soup.select_one(".offer-status").get_text()


def test_the_add_form_starts_with_the_one_old_notes_and_the_usual_defaults(editor):
    soup = soup_of(editor.get(ADD))
    chosen = soup.select("select[name=old_notes] option[selected]")
    assert [option.get_text() for option in chosen] == ["12 3/4% Senior Subordinated Notes"]
    assert soup.select_one("input[name=increment]")["value"] == "1"
    assert soup.select_one("input[name=minimum_tender_percent]")["value"] == "99"


def test_with_an_unused_second_old_notes_the_add_form_still_starts_with_the_one_in_use(editor):
    # Only possible from data older than the one-Old-Notes rule (the admin refuses a second).
    OldNotes.objects.create(name="Another security", rate_percent=10, accrual_start="2001-01-01", outstanding=1000)
    soup = soup_of(editor.get(ADD))
    chosen = soup.select("select[name=old_notes] option[selected]")
    assert [option.get_text() for option in chosen] == ["12 3/4% Senior Subordinated Notes"]


def test_the_maturity_filter_offers_the_years_the_notes_mature_in(editor):
    soup = soup_of(editor.get(CHANGELIST))
    filters = " ".join(soup.select_one("#changelist-filter").get_text(" ").split())
    assert "Today" not in filters and "Past 7 days" not in filters
    years = [a.get_text(strip=True) for a in soup.select("#changelist-filter details")[1].select("li a")]
    assert years == ["All", "2007", "2009"]
    rows = soup_of(editor.get(CHANGELIST, {"maturity_year": "2009"})).select("#result_list tbody tr")
    assert len(rows) == 1 and "September 2003 amendment" in rows[0].get_text()


def test_dates_use_the_browsers_own_inputs_so_the_time_zone_note_is_not_repeated(editor):
    """The admin's calendar widgets add "Note: You are N hours ahead of server time" under every date."""
    page = editor.get(change_url(OfferVersion.objects.get(slug="september-2003"))).content.decode()
    soup = BeautifulSoup(page, "html.parser")
    assert "DateTimeShortcuts.js" not in page
    assert not soup.select("input.vDateField, input.vTimeField")
    assert soup.select_one("input[name=maturity]")["type"] == "date"
    assert soup.select_one("input[name=expires_at_0]")["value"] == "2003-10-07"
    assert (soup.select_one("input[name=expires_at_1]")["type"], soup.select_one("input[name=expires_at_1]")[
        "value"]) == ("time", "17:00")


def test_the_list_is_in_announcement_order_and_says_which_version_is_in_force(editor):
    soup = soup_of(editor.get(CHANGELIST))
    headings = [h.lower().lstrip("0123456789 ") for h in column_headings(soup)]  # without sort-order marks
    assert "announced" in headings and "in force today" in headings
    rows = [[" ".join(td.get_text(" ").split()) for td in tr.select("th, td")] for tr in
            soup.select("#result_list tbody tr")]
    announced, in_force = headings.index("announced"), headings.index("in force today")
    assert [(row[announced], row[in_force]) for row in rows] == [("-", "replaced"), ("Sept. 18, 2003", "in force")]
    draft = OfferVersion.objects.get(slug="september-2003").copy_as_draft()
    soup = soup_of(editor.get(CHANGELIST))
    cells = [" ".join(td.get_text(" ").split()) for td in soup.select("#result_list tbody tr td")]
    assert "not published" in cells
    assert draft.name in [" ".join(th.get_text(" ").split()) for th in soup.select("#result_list tbody th")]
