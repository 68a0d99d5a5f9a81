"""`/calendar.ics?version=SLUG`: one version's payments to the holder as all-day events."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.web.holder import shared_client

pytestmark = pytest.mark.django_db
client = shared_client  # one client for the module (see tests/web/holder.py)

URL = "/calendar.ics"
WORKED_EXAMPLE = {"principal": "1000", "consummation": "2003-10-10"}


def _events(response) -> list:
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_its_url_is_named():
    assert reverse("offers-calendar") == URL


def test_it_is_a_calendar_attachment(client):
    response = client.get(URL, WORKED_EXAMPLE | {"version": "september-2003"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lexington-september-2003-payments.ics"'


def test_it_has_an_all_day_event_for_each_payment_with_the_amount_in_the_title(client):
    events = _events(client.get(URL, WORKED_EXAMPLE | {"version": "september-2003"}))
    titles = [(e.decoded("dtstart"), str(e["summary"])) for e in events]
    assert len(titles) == 24  # 23 coupons and the principal
    assert titles[0] == (date(2004, 2, 1), "Lexington New Notes interest $56.76")
    assert titles[1] == (date(2004, 5, 1), "Lexington New Notes interest $46.02")
    assert titles[-1] == (date(2009, 8, 1), "Lexington New Notes principal repaid $1,534.00")
    first = events[0]
    assert first.decoded("dtend") == date(2004, 2, 2)  # all day: ends the next day, exclusive


def test_it_includes_the_participation_fee_where_the_version_pays_one(client):
    events = _events(client.get(URL, WORKED_EXAMPLE | {"version": "original"}))
    assert (events[0].decoded("dtstart"), str(events[0]["summary"])) == (
        date(2003, 10, 10), "Lexington participation fee $30.00")
    assert str(events[1]["summary"]) == "Lexington New Notes interest $54.39"
    assert len(events) == 17


def test_its_uids_are_unique_and_stable_across_downloads_and_principals(client):
    first = [str(e["uid"]) for e in _events(client.get(URL, WORKED_EXAMPLE | {"version": "september-2003"}))]
    again = [str(e["uid"]) for e in _events(client.get(URL, {"principal": "5000", "consummation": "2003-10-10",
                                                                "version": "september-2003"}))]
    assert len(set(first)) == len(first)
    assert first == again


def test_it_asks_for_a_version_when_none_is_given(client):
    response = client.get(URL, WORKED_EXAMPLE)
    assert response.status_code == 400
    assert response.content.decode().startswith("version: choose one of the published versions: original, "
                                                "september-2003")


def test_it_answers_404_for_an_unknown_version(client):
    response = client.get(URL, WORKED_EXAMPLE | {"version": "december-2003"})
    assert response.status_code == 404
    # It names the versions there are, not the unknown one (which could carry markup).
    assert "no published version by that name" in response.content.decode()
    assert "original, september-2003" in response.content.decode()
    assert "december-2003" not in response.content.decode()


def test_it_refuses_a_version_that_does_not_apply_on_the_date(client):
    response = client.get(URL, {"principal": "1000", "consummation": "2003-10-01", "version": "september-2003"})
    assert response.status_code == 400
    assert "Oct 7, 2003" in response.content.decode()


def test_it_names_the_field_on_bad_input(client):
    response = client.get(URL, {"principal": "many", "consummation": "2003-10-10", "version": "original"})
    assert response.status_code == 400
    assert response.content.decode().startswith("Old Notes principal")
