"""Fuzz the pages and the API with whatever a query string can carry: never a 500, every 400 names a field.

Inputs mix plausible values (amounts with "$" and commas, dates in each accepted
format and out of range) with arbitrary unicode, very long strings, repeated and
missing parameters, unknown parameters and raw bytes that are not UTF-8.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote_from_bytes, urlencode

import pytest
from bs4 import BeautifulSoup
from django.http import QueryDict
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.web.holder import shared_client

pytestmark = pytest.mark.django_db
# One client for every example: building one per example (middleware, whitenoise scan) costs more than a request.
client = shared_client

LABELS = {"principal": "Old Notes principal", "consummation": "Consummation date", "tendered": "Have you tendered",
          # The estimate's assumptions: each bounded above and below (issue 11), so each can be refused.
          "discount_rate": "Discount rate", "price": "New Notes price", "recovery": "Recovery",
          "share_price": "Share price", "volatility": "Share price volatility", "risk_free_rate": "Risk-free rate",
          "shares_outstanding": "Common shares outstanding"}
FUZZ = settings(
    max_examples=2000,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

amounts = st.one_of(
    st.integers(min_value=-10**6, max_value=10**9).map(str),
    st.integers(min_value=0, max_value=10**9).map(lambda n: f"${n:,}"),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"{n}.00"),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
near_days = st.dates(min_value=date(2003, 9, 1), max_value=date(2009, 9, 1))
dates_typed = st.one_of(
    st.one_of(days, near_days).map(date.isoformat),
    st.one_of(days, near_days).map(lambda d: f"{d.month}/{d.day}/{d.year}"),
    st.one_of(days, near_days).map(lambda d: f"{d:%b} {d.day}, {d.year}"),
    st.one_of(days, near_days).map(lambda d: f"{d.day}/{d.month}/{d.year % 100}"),
)
values = st.one_of(
    amounts,
    dates_typed,
    # Full-width and Arabic-Indic digits ("1000" in other scripts) must not slip through as numbers.
    st.sampled_from(["yes", "no", "unsure", "", " ", "YES", "\x00", "\uff11\uff10\uff10\uff10",
                     "\u0661\u0660\u0660\u0660", "1e3", "NaN"]),
    st.text(max_size=30),
    st.text(min_size=1, max_size=8).map(lambda s: s * 2000),  # very long
)
keys = st.one_of(st.sampled_from(list(LABELS)), st.text(max_size=12))
queries = st.one_of(
    st.lists(st.tuples(keys, values), max_size=7).map(urlencode),  # repeated, missing and unknown parameters
    st.fixed_dictionaries({"principal": amounts, "consummation": dates_typed}).map(urlencode),
    st.binary(max_size=60).map(lambda raw: "principal=" + quote_from_bytes(raw)),  # not UTF-8
    st.binary(max_size=60).map(lambda raw: quote_from_bytes(raw, safe="=&")),
    st.text(max_size=12).map(lambda slug: urlencode({"principal": "1000", "preview": slug})),
)


def asks_for_a_preview(query: str) -> bool:
    """``?preview=`` is the staff's draft preview: a holder asking for one gets a 404, whatever else is typed."""
    return "preview" in QueryDict(query)


@pytest.mark.parametrize("path", ["/", "/estimate"])
@given(query=queries)
@FUZZ
def test_the_page_never_fails_and_every_400_names_a_field(client, path, query):
    response = client.get(f"{path}?{query}")
    event(f"status {response.status_code}")
    if asks_for_a_preview(query):
        assert response.status_code == 404, query
        return
    assert response.status_code in (200, 400), query
    if response.status_code == 200:
        return
    soup = BeautifulSoup(response.content, "html.parser")
    links = soup.select(".error-summary li a")
    assert links, query
    for link in links:
        target = soup.find(id=link["href"].removeprefix("#"))
        assert target is not None and target.name == "input", query
        field = target["name"]
        assert link.get_text().startswith(LABELS[field]), query


@given(query=queries)
@FUZZ
def test_the_api_never_fails_and_every_400_names_a_field(client, query):
    response = client.get(f"/api/outcome?{query}")
    event(f"status {response.status_code}")
    body = response.json()
    if asks_for_a_preview(query):
        assert response.status_code == 404 and list(body["errors"]) == ["preview"], query
        return
    assert response.status_code in (200, 400), query
    if response.status_code == 200:
        assert body["versions"], query
        return
    errors = body["errors"]
    assert errors and set(errors) <= set(LABELS) - {"tendered"}, query  # tendered is optional in the API
    for field, messages in errors.items():
        assert messages and all(message.startswith(LABELS[field]) for message in messages), query
