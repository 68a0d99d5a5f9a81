"""`/export.csv`: every dated cash flow of every version for the holding entered."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.web.holder import shared_client

pytestmark = pytest.mark.django_db
client = shared_client  # one client for the module (see tests/web/holder.py)

URL = "/export.csv"


def _rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_its_url_is_named():
    assert reverse("offers-export-csv") == URL


def test_it_is_a_csv_attachment_with_a_filename_naming_the_holding(client):
    response = client.get(URL, {"principal": "1000", "consummation": "2003-10-10"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lexington-exchange-1000-2003-10-10.csv"'


def test_it_lists_every_payment_of_the_worked_example(client):
    rows = _rows(client.get(URL, {"principal": "$1,000", "consummation": "Oct 10, 2003"}))
    assert list(rows[0]) == ["version", "paid_on", "kind", "amount"]
    original = [r for r in rows if r["version"] == "original"]
    september = [r for r in rows if r["version"] == "september-2003"]
    assert len(rows) == len(original) + len(september)
    # Original: the 3% fee at consummation, 15 coupons, principal at maturity.
    assert original[0] == {"version": "original", "paid_on": "2003-10-10", "kind": "participation_fee",
                           "amount": "30.00"}
    assert [(r["paid_on"], r["amount"]) for r in original[1:3]] == [("2004-02-01", "54.39"), ("2004-05-01", "44.10")]
    assert [r["kind"] for r in original[1:16]] == ["coupon"] * 15
    assert original[16] == {"version": "original", "paid_on": "2007-08-01", "kind": "principal", "amount": "1534.00"}
    assert len(original) == 17
    # September 2003: no fee, 23 coupons, then principal (the last coupon and the principal share Aug 1, 2009).
    assert [(r["paid_on"], r["kind"], r["amount"]) for r in september[:2]] == [
        ("2004-02-01", "coupon", "56.76"), ("2004-05-01", "coupon", "46.02")]
    assert [(r["paid_on"], r["kind"], r["amount"]) for r in september[-2:]] == [
        ("2009-08-01", "coupon", "46.02"), ("2009-08-01", "principal", "1534.00")]
    assert len(september) == 24


def test_it_leaves_out_a_version_that_does_not_apply(client):
    rows = _rows(client.get(URL, {"principal": "1000", "consummation": "2003-10-01"}))
    assert {r["version"] for r in rows} == {"original"}


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"consummation": "2003-10-10"}, "Old Notes principal"),
        ({"principal": "1000", "consummation": "31/12/2003"}, "Consummation date"),
    ],
)
def test_it_answers_bad_input_with_400_text_naming_the_field(client, query, words):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith(words)


def test_it_allows_only_get(client):
    assert client.post(URL).status_code == 405
