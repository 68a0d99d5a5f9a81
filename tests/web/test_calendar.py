"""`/calendar.ics?version=SLUG`: one version's deadline, payments and warrant dates for the holding."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from offers.core.outcome import Holding, version_outcome
from offers.services import payment_calendar
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


def _titled(events, start: str) -> list:
    return [e for e in events if str(e["summary"]).startswith(start)]


def _one(events, start: str):
    found = _titled(events, start)
    assert len(found) == 1, [str(e["summary"]) for e in found]
    return found[0]


def _all_day(event) -> date:
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert type(start) is date and end == start + timedelta(days=1)  # all day: ends the next day, exclusive
    return start


# The September 2003 amendment, typed from the press release of September 18, 2003: expires
# 5:00 p.m. New York time on Oct 7, 2003 (EDT, UTC-4); warrants detachable and exercisable
# Aug 1, 2005, expiring Aug 1, 2009; New Notes mature Aug 1, 2009. $1,000 at Oct 10, 2003 gets
# $1,534 of New Notes (and so 15 warrant shares at $3.50), paid in 23 quarterly coupons.
def test_it_has_the_offer_deadline_as_the_hour_ending_at_5_pm_new_york(client):
    events = _events(client.get(URL, WORKED_EXAMPLE | {"version": "september-2003"}))
    deadline = _one(events, "Lexington exchange offer deadline")
    assert str(deadline["summary"]) == ("Lexington exchange offer deadline: tender or withdraw by "
                                        "5:00 p.m. New York time")
    # A duration, so that calendars show it as a block of time: the last hour before the offer expires.
    assert deadline.decoded("dtend") == datetime(2003, 10, 7, 21, 0, tzinfo=UTC)
    assert deadline.decoded("dtend").astimezone(ZoneInfo("America/New_York")).hour == 17
    assert deadline.decoded("dtstart") == datetime(2003, 10, 7, 20, 0, tzinfo=UTC)
    assert "Oct 7, 2003, 5:00 p.m. New York time" in str(deadline["description"])
    assert events[0] is deadline  # the first thing that happens


def test_the_deadline_has_a_reminder_a_day_before_the_offer_expires(client):
    events = _events(client.get(URL, WORKED_EXAMPLE | {"version": "september-2003"}))
    deadline = _one(events, "Lexington exchange offer deadline")
    alarms = deadline.walk("VALARM")
    assert len(alarms) == 1
    alarm = alarms[0]
    assert str(alarm["action"]) == "DISPLAY"
    assert "Oct 7, 2003, 5:00 p.m. New York time" in str(alarm["description"])
    trigger = alarm["trigger"]
    # Relative to the end of the event, the moment the offer expires: 5:00 p.m. on Oct 6, 2003.
    assert trigger.params.get("RELATED") == "END"
    assert deadline.decoded("dtend") + trigger.dt == datetime(2003, 10, 6, 21, 0, tzinfo=UTC)
    # Only the deadline has an alarm: a coupon is not something to act on.
    assert sum(len(e.walk("VALARM")) for e in events) == 1


def test_a_replaced_version_has_no_deadline_and_says_it_is_for_comparison_only(client):
    # On Oct 10, 2003 the September amendment is in force; its deadline (Oct 7) is the one to act on.
    response = client.get(URL, WORKED_EXAMPLE | {"version": "original"})
    events = _events(response)
    assert not [e for e in events if str(e["summary"]).startswith("Lexington exchange offer deadline")]
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]).endswith("(replaced by September 2003 amendment: for comparison only)")
    assert all("for comparison only" in str(e["description"]) for e in events)
    # Each title says so too: an imported calendar shows titles, not descriptions.
    assert all(str(e["summary"]).endswith(" (replaced terms, for comparison only)") for e in events)
    fee = _one(events, "Lexington participation fee")
    assert str(fee["summary"]) == "Lexington participation fee $30.00 (replaced terms, for comparison only)"


def test_the_version_in_force_does_not_say_it_is_replaced(client):
    events = _events(client.get(URL, WORKED_EXAMPLE | {"version": "september-2003"}))
    assert not [e for e in events if "replaced" in str(e["summary"]) or "comparison" in str(e["summary"])]


def test_warrants_detachable_and_exercisable_on_the_same_day_are_one_event(client):
    events = _events(client.get(URL, WORKED_EXAMPLE | {"version": "september-2003"}))
    assert _titled(events, "Lexington warrants become detachable") == [
        _one(events, "Lexington warrants become detachable and exercisable")]
    exercisable = _one(events, "Lexington warrants become detachable and exercisable")
    assert _all_day(exercisable) == date(2005, 8, 1)
    assert "Warrants for 15 shares at $3.50 a share, expiring Aug 1, 2009." in str(exercisable["description"])
    expire = _one(events, "Lexington warrants expire")
    assert _all_day(expire) == date(2009, 8, 1)


def test_it_has_an_all_day_event_for_each_coupon_with_the_amount_in_the_title(client):
    events = _events(client.get(URL, WORKED_EXAMPLE | {"version": "september-2003"}))
    coupons = [(_all_day(e), str(e["summary"])) for e in _titled(events, "Lexington New Notes interest")]
    assert len(coupons) == 23
    assert coupons[0] == (date(2004, 2, 1), "Lexington New Notes interest $56.76")
    assert coupons[1] == (date(2004, 5, 1), "Lexington New Notes interest $46.02")
    assert coupons[-1] == (date(2009, 8, 1), "Lexington New Notes interest $46.02")


def test_maturity_is_titled_as_such_with_the_principal_repaid(client):
    events = _events(client.get(URL, WORKED_EXAMPLE | {"version": "september-2003"}))
    maturity = _one(events, "Lexington New Notes mature")
    assert str(maturity["summary"]) == "Lexington New Notes mature: principal repaid $1,534.00"
    assert _all_day(maturity) == date(2009, 8, 1)


def test_it_has_nothing_else_and_in_date_order(client):
    events = _events(client.get(URL, WORKED_EXAMPLE | {"version": "september-2003"}))
    assert len(events) == 1 + 23 + 1 + 2  # deadline, coupons, maturity, warrants (exercisable, expire)
    days = [e.decoded("dtstart") for e in events]
    days = [d.date() if isinstance(d, datetime) else d for d in days]
    assert days == sorted(days)


def test_every_description_names_the_version_and_the_holding(client):
    events = _events(client.get(URL, {"principal": "5000", "consummation": "2003-10-14", "version": "september-2003"}))
    for event in events:
        assert str(event["description"]).endswith(
            "September 2003 amendment: for $5,000.00 of Old Notes exchanged on Oct 14, 2003."), event["summary"]


def test_it_includes_the_participation_fee_where_the_version_pays_one(client):
    events = _events(client.get(URL, WORKED_EXAMPLE | {"version": "original"}))
    fee = _one(events, "Lexington participation fee")
    assert (_all_day(fee), str(fee["summary"])) == (
        date(2003, 10, 10), "Lexington participation fee $30.00 (replaced terms, for comparison only)")
    assert str(_titled(events, "Lexington New Notes interest")[0]["summary"]) == (
        "Lexington New Notes interest $54.39 (replaced terms, for comparison only)")
    assert len(events) == 17 + 2  # payments and warrants; no deadline: on Oct 10 these terms are replaced


def _uids(response) -> list[str]:
    return [str(e["uid"]) for e in _events(response)]


def test_its_uids_are_unique_and_the_same_when_the_same_holding_is_downloaded_again(client):
    first = _uids(client.get(URL, WORKED_EXAMPLE | {"version": "september-2003"}))
    again = _uids(client.get(URL, {"principal": "$1,000", "consummation": "Oct 10, 2003", "version": "september-2003"}))
    assert len(set(first)) == len(first)
    assert first == again  # importing it again updates the events rather than adding them twice
    assert first[0] == "september-2003-1000-20031010-deadline@exchange-outcome"
    assert "september-2003-1000-20031010-coupon-20040201-1@exchange-outcome" in first


def _merged(*responses) -> Calendar:
    """What a calendar program holds after importing each file: one event per UID, the later import winning."""
    by_uid = {}
    for response in responses:
        for event in _events(response):
            by_uid[str(event["uid"])] = event
    merged = Calendar()
    for event in by_uid.values():
        merged.add_component(event)
    return merged


@pytest.mark.parametrize("other", [
    {"principal": "100000", "consummation": "2003-10-10"},  # another principal, the same date
    {"principal": "1000", "consummation": "2003-10-14"},  # the same principal, another date
])
def test_two_holdings_calendars_imported_side_by_side_keep_every_event(client, other):
    first = client.get(URL, WORKED_EXAMPLE | {"version": "september-2003"})
    second = client.get(URL, other | {"version": "september-2003"})
    events = list(_merged(first, second).walk("VEVENT"))
    assert len(events) == len(_events(first)) + len(_events(second))
    # Each calendar's name says whose it is, so the two can be told apart once imported.
    names = {str(Calendar.from_ical(response.content)["x-wr-calname"]) for response in (first, second)}
    assert len(names) == 2
    assert "Lexington exchange offer: September 2003 amendment, $1,000.00 exchanged Oct 10, 2003" in names
    coupons = sorted(str(e["summary"]) for e in events if e.decoded("dtstart") == date(2004, 5, 1))
    assert len(coupons) == 2  # each holding's May 1, 2004 coupon


def test_two_versions_calendars_for_one_holding_keep_every_event(client):
    first = client.get(URL, WORKED_EXAMPLE | {"version": "september-2003"})
    second = client.get(URL, WORKED_EXAMPLE | {"version": "original"})
    assert len(list(_merged(first, second).walk("VEVENT"))) == len(_events(first)) + len(_events(second))


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


def test_before_the_offer_expires_it_is_the_calendar_of_the_figures_date_under_the_terms_in_force(client):
    # Oct 1, 2003: the September amendment is in force but cannot complete before it expires on Oct 7;
    # the figures are for Oct 10, its expected consummation (rule 11). Its calendar is offered, with the deadline.
    response = client.get(URL, {"principal": "250000", "consummation": "2003-10-01", "version": "september-2003"})
    assert response.status_code == 200
    events = _events(response)
    deadline = _one(events, "Lexington exchange offer deadline")
    assert deadline.decoded("dtend") == datetime(2003, 10, 7, 21, 0, tzinfo=UTC)
    maturity = _one(events, "Lexington New Notes mature")
    assert str(maturity["summary"]) == "Lexington New Notes mature: principal repaid $383,609.00"
    description = str(maturity["description"])
    assert "for $250,000.00 of Old Notes exchanged on Oct 10, 2003." in description
    assert "You asked about Oct 1, 2003" in description
    assert all(str(e["uid"]).startswith("september-2003-250000-20031010-") for e in events)


def test_before_the_offer_expires_the_replaced_terms_are_for_comparison_only_and_pay_no_fee_now(client):
    # The original terms' $7,500 fee on $250,000 is only ever a comparison once the amendment is announced.
    response = client.get(URL, {"principal": "250000", "consummation": "2003-10-01", "version": "original"})
    assert response.status_code == 200
    events = _events(response)
    assert not [e for e in events if str(e["summary"]).startswith("Lexington exchange offer deadline")]
    fee = _one(events, "Lexington participation fee")
    assert str(fee["summary"]) == "Lexington participation fee $7,500.00 (replaced terms, for comparison only)"
    assert _all_day(fee) == date(2003, 10, 10)


def test_it_refuses_a_version_that_does_not_apply_on_the_date(client):
    # The original terms' New Notes mature Aug 1, 2007: on Jan 2, 2008 only the amendment applies.
    response = client.get(URL, {"principal": "1000", "consummation": "2008-01-02", "version": "original"})
    assert response.status_code == 400
    assert "Aug 1, 2007" in response.content.decode()


def test_it_names_the_field_on_bad_input(client):
    response = client.get(URL, {"principal": "many", "consummation": "2003-10-10", "version": "original"})
    assert response.status_code == 400
    assert response.content.decode().startswith("Old Notes principal")


def test_warrants_detachable_before_they_are_exercisable_get_an_event_each(seeded_terms):
    september = seeded_terms["september-2003"]
    terms = replace(september, warrants=replace(september.warrants, detachable_from=date(2004, 8, 1)))
    version = version_outcome(terms, Holding(Decimal("1000"), date(2003, 10, 10)))
    events = list(payment_calendar(version, datetime(2003, 10, 1, tzinfo=UTC)).walk("VEVENT"))
    detachable = _one(events, "Lexington warrants become detachable")
    assert (str(detachable["summary"]), _all_day(detachable)) == (
        "Lexington warrants become detachable from the New Notes", date(2004, 8, 1))
    exercisable = _one(events, "Lexington warrants become exercisable")
    assert _all_day(exercisable) == date(2005, 8, 1)
    assert str(detachable["uid"]) != str(exercisable["uid"])
