"""`/api/outcome`: the spec's JSON contract for the same parameters as the form.

Figures are the spec's worked example, worked by hand: $1,000 at Oct 10, 2003.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.holder import shared_client

pytestmark = pytest.mark.django_db
client = shared_client  # one client for the module (see tests/web/holder.py)

URL = "/api/outcome"


def _get(client, **query):
    return client.get(URL, query)


def test_its_url_is_named():
    assert reverse("offers-api-outcome") == URL


def test_it_returns_the_worked_example_as_the_contract(client):
    response = _get(client, principal="1000", consummation="2003-10-10")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["inputs"] == {"principal": "1000.00", "consummation": "2003-10-10"}
    original, september = body["versions"]
    assert [original["slug"], september["slug"]] == ["original", "september-2003"]
    for version in (original, september):
        assert version["available"] is True
        assert version["unavailable_reason"] is None
        assert version["old_notes"] == {"principal": "1000.00", "accrual_days": 1509, "accrued_interest": "534.4375"}
        assert version["new_notes"]["principal"] == "1534.00"
        assert version["new_notes"]["forgone"] == "0.4375"
        assert version["warrants"]["shares"] == 15
        assert version["warrants"]["exercise_cost"] == "52.50"
    assert original["new_notes"]["rate_percent"] == "11.5"
    assert original["new_notes"]["maturity"] == "2007-08-01"
    assert september["new_notes"]["maturity"] == "2009-08-01"
    assert original["coupons"][0] == {"period_start": "2003-10-10", "period_end": "2004-02-01",
                                      "paid_on": "2004-02-01", "days": 111, "amount": "54.39"}
    assert [c["amount"] for c in original["coupons"][1:]] == ["44.10"] * 14
    assert september["coupons"][0]["amount"] == "56.76"
    assert [c["amount"] for c in september["coupons"][1:]] == ["46.02"] * 22
    assert original["participation_fee"] == [{"paid_on": "2003-10-10", "amount": "30.00"}]
    assert september["participation_fee"] == []
    assert september["principal_repayment"] == {"date": "2009-08-01", "amount": "1534.00"}
    assert original["totals"] == {"interest": "671.79", "participation_fee": "30.00", "cash": "2235.79"}
    assert september["totals"] == {"interest": "1069.20", "participation_fee": "0.00", "cash": "2603.20"}
    # Contract 2.1: the first date the version in force applies, and each version's deadline (the seed files'
    # expires_at: 5:00 p.m. New York time, EDT).
    assert body["earliest_consummation"] == "2003-10-07"
    assert original["expires_at"] == "2003-09-30T17:00:00-04:00"
    assert september["expires_at"] == "2003-10-07T17:00:00-04:00"


@pytest.mark.parametrize("typed", ["10/10/2003", "Oct 10, 2003", " 2003-10-10 "])
def test_it_reads_dates_and_amounts_as_people_type_them(client, typed):
    body = _get(client, principal="$1,000", consummation=typed).json()
    assert body["inputs"] == {"principal": "1000.00", "consummation": "2003-10-10"}


def test_it_ignores_the_tendered_answer_even_a_nonsense_one(client):
    plain = _get(client, principal="1000", consummation="2003-10-10").json()
    assert _get(client, principal="1000", consummation="2003-10-10", tendered="perhaps").json() == plain


def test_it_defaults_the_consummation_to_the_latest_expected_date(client):
    assert _get(client, principal="1000").json()["inputs"]["consummation"] == "2003-10-10"


def test_it_shows_a_version_that_does_not_apply_with_its_reason(client):
    original, september = _get(client, principal="1000", consummation="2003-10-01").json()["versions"]
    assert original["available"] is True
    assert original["old_notes"]["accrued_interest"] == "531.25"  # 1,000 x 12.75% x 1500/360
    assert september["available"] is False
    assert "Oct 7, 2003" in september["unavailable_reason"]
    assert september["coupons"] == []


def test_before_the_version_in_force_applies_it_keeps_the_outcome_on_the_date_and_says_from_when_it_applies(client):
    # Machines keep the outcome on C (rule 11); the holder page moves the figures to Oct 10 instead.
    body = _get(client, principal="1000", consummation="2003-10-01").json()
    assert body["inputs"]["consummation"] == "2003-10-01"
    assert body["in_force"] == "september-2003"
    assert body["earliest_consummation"] == "2003-10-07"


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({}, ["principal"]),
        ({"principal": "ten"}, ["principal"]),
        ({"principal": "1000", "consummation": "2003-02-30"}, ["consummation"]),
        ({"principal": "0", "consummation": "tomorrow"}, ["principal", "consummation"]),
        ({"principal": "1000", "consummation": "2010-01-01"}, ["consummation"]),
    ],
)
def test_it_answers_bad_input_with_400_and_errors_by_field(client, query, fields):
    response = client.get(URL, query)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert sorted(errors) == sorted(fields)
    label = {"principal": "Old Notes principal", "consummation": "Consummation date"}
    for field, messages in errors.items():
        assert messages and all(message.startswith(label[field]) for message in messages)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_allows_only_get(method):
    # As a browser or a script would meet it: with CSRF checks on, still 405 rather than 403.
    client = Client(enforce_csrf_checks=True)
    assert getattr(client, method)(URL).status_code == 405


def test_it_needs_at_most_three_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = _get(client, principal="27,412,000", consummation="2003-10-10")
    assert response.status_code == 200
