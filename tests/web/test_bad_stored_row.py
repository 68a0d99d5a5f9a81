"""A stored version that breaks the terms rules (written past the admin, here with raw SQL)
is left out of every holder page and the API, with a note; the other version still answers;
staff see it flagged on /staff/issue and in the admin's list; the log says so once.

Expected figures for the September 2003 amendment, by hand from the spec, $1,000 exchanged on
Oct 10, 2003: accrued 534.4375 per $1,000 (30/360, Aug 1, 1999 to Oct 10, 2003 = 1,509 days
at 12.75%), New Notes 1,534 (round down to $1); first coupon Oct 10, 2003 to Feb 1, 2004 =
111 days: 1,534 x 12% x 111/360 = 56.758 -> 56.76; then 22 quarterly coupons (May 1, 2004 to
Aug 1, 2009) of 1,534 x 3% = 46.02: 1,012.44; total interest 1,069.20.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse

from offers import services
from offers.models import OfferVersion
from tests.web.admin_client import change_url, edit, logged_in, staff_user
from tests.web.security import HOLDING, make_user

pytestmark = pytest.mark.django_db

ORIGINAL = "Original terms (before the September 2003 amendment)"
HOLDER_PAGES = ["/", "/details", "/estimate", "/export.csv", "/how-we-calculate", "/api/outcome"]

BREAKAGES = {
    "payment month 13": ("payment_months = '[13]'", "new_notes.payment_months"),
    "rate of -5": ("new_rate_percent = -5", "new_notes.rate_percent"),
    "maturity before the offer expires": ("maturity = '2003-01-01'", "expires_at"),
    "payment months null": ("payment_months = 'null'", "new_notes.payment_months"),
    "unknown day count": ("new_day_count = 'ACT/999'", "new_notes.day_count"),
}


@pytest.fixture(autouse=True)
def fresh_log_memory(monkeypatch):
    """Each test starts as a new process would: nothing logged yet."""
    monkeypatch.setattr(services, "_reported", set(), raising=False)


def break_original(assignment: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE offers_offerversion SET {assignment} WHERE slug = 'original'")  # noqa: S608 (ours)


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_every_holder_page_and_the_api_answer_without_the_broken_version(client, breakage):
    break_original(breakage[0])
    for url in HOLDER_PAGES:
        response = client.get(url, HOLDING)
        assert response.status_code == 200, (url, response.status_code)
    calendar = client.get("/calendar.ics", HOLDING | {"version": "september-2003"})
    assert calendar.status_code == 200
    refused = client.get("/calendar.ics", HOLDING | {"version": "original"})
    assert refused.status_code == 404
    assert "failed our checks" in refused.content.decode()


def test_the_api_gives_the_other_versions_figures_and_names_the_one_left_out(client):
    break_original(BREAKAGES["payment month 13"][0])
    document = client.get("/api/outcome", HOLDING).json()
    assert [v["slug"] for v in document["versions"]] == ["september-2003"]
    september = document["versions"][0]
    assert (september["new_notes"]["principal"], september["totals"]["interest"]) == ("1534.00", "1069.20")
    assert document["in_force"] == "september-2003"
    assert [(v["slug"], v["name"]) for v in document["left_out"]] == [("original", ORIGINAL)]


def test_the_api_says_nothing_of_left_out_versions_when_none_is(client):
    assert "left_out" not in client.get("/api/outcome", HOLDING).json()


def note(soup: BeautifulSoup) -> str:
    found = soup.select_one(".left-out")
    return " ".join(found.get_text().split()) if found else ""


@pytest.mark.parametrize("url", ["/", "/details", "/estimate", "/how-we-calculate"])
def test_each_holder_page_says_which_version_it_leaves_out(client, url):
    assert note(BeautifulSoup(client.get(url, HOLDING).content, "html.parser")) == ""
    break_original(BREAKAGES["rate of -5"][0])
    soup = BeautifulSoup(client.get(url, HOLDING).content, "html.parser")
    said = note(soup)
    assert said.startswith(f"One version of the terms is missing here: {ORIGINAL}.")
    assert soup.select_one(".left-out")["role"] == "status"


def test_the_answer_shows_the_other_versions_figures(client):
    break_original(BREAKAGES["rate of -5"][0])
    answer = BeautifulSoup(client.get("/", HOLDING).content, "html.parser").select_one("#answer")
    text = " ".join(answer.get_text().split())
    assert "September 2003 amendment" in text
    assert "$1,069.20" in text  # the amendment's total interest
    assert "-$" not in text and "\N{MINUS SIGN}$" not in text  # no negative interest from the broken rate


def test_the_failure_is_logged_once_per_version_with_its_slug(client, log_lines):
    break_original(BREAKAGES["payment month 13"][0])
    for _ in range(3):
        client.get("/api/outcome", HOLDING)
        client.get("/", HOLDING)
    logged = [json.loads(line) for line in log_lines() if '"offers.services"' in line]
    assert len(logged) == 1
    assert logged[0]["level"] == "ERROR"
    assert logged[0]["slug"] == "original"
    assert logged[0]["problems"][0].startswith("new_notes.payment_months: 13 includes a month that does not exist; "
                                                "enter month numbers from 1 to 12")


def test_staff_issue_page_flags_the_version_and_still_checks_the_other():
    break_original(BREAKAGES["payment month 13"][0])
    response = logged_in(staff_user("vera", "Offer viewers")).get(reverse("offers-staff-issue"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    flag = " ".join(soup.select_one(".left-out").get_text().split())
    assert (f"{ORIGINAL} (original): new_notes.payment_months: 13 includes a month that does not exist; "
            "enter month numbers from 1 to 12") in flag
    assert "September 2003 amendment" in soup.select_one("table").get_text()


def test_the_admin_list_flags_the_version():
    break_original(BREAKAGES["maturity before the offer expires"][0])
    client = logged_in(make_user("root", superuser=True))
    response = client.get(reverse("admin:offers_offerversion_changelist"))
    assert response.status_code == 200
    rows = {" ".join(row.select_one("th").get_text().split()): " ".join(row.get_text().split())
            for row in BeautifulSoup(response.content, "html.parser").select("#result_list tbody tr")}
    assert "LEFT OUT of the holder pages" in rows[ORIGINAL]
    assert "expires_at: Sep 30, 2003: the offer must expire before the New Notes mature (Jan 1, 2003)" in rows[ORIGINAL]
    assert "LEFT OUT" not in rows["September 2003 amendment"]


def test_when_every_version_is_broken_the_pages_still_answer(client):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE offers_offerversion SET payment_months = '[13]'")
    for url in HOLDER_PAGES:
        assert client.get(url, HOLDING).status_code < 500, url
    assert "2 versions of the terms are missing here" in note(BeautifulSoup(client.get("/").content, "html.parser"))


@pytest.mark.parametrize("breakage", [BREAKAGES["payment month 13"], BREAKAGES["rate of -5"]], ids=["month", "rate"])
def test_staff_correct_the_version_in_the_admin_and_holders_get_it_back(client, breakage):
    break_original(breakage[0])
    editor = logged_in(make_user("root", superuser=True))
    saved = edit(editor, change_url(OfferVersion.objects.get(slug="original")), payment_months="2, 5, 8, 11",
                 new_rate_percent="11.5", change_reason="Corrected a value written with SQL")
    assert saved.status_code == 302
    document = client.get("/api/outcome", HOLDING).json()
    assert [v["slug"] for v in document["versions"]] == ["original", "september-2003"]
    assert "left_out" not in document
