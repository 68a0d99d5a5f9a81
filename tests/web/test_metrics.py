"""/metrics: Prometheus' text format, for the addresses the operator allows; a 404 for anyone else.

The figures are read as Prometheus reads them (prometheus_client's parser), before and after.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests.web.security import HOLDING, fast_passwords, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(fast_passwords.__name__)]


def scrape(client: Client | None = None, **headers: str) -> dict[tuple[str, tuple], float]:
    response = (client or Client()).get("/metrics", headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.content.decode())
            for sample in family.samples}


def value(figures: dict, name: str, **labels: str) -> float:
    return sum(v for (n, sample_labels), v in figures.items()
               if n == name and set(labels.items()) <= set(sample_labels))


def test_it_counts_requests_by_status_and_times_them():
    before = scrape()
    Client().get("/", HOLDING)
    Client().get("/no-such-page")
    after = scrape()
    assert value(after, "django_http_responses_total_by_status_total", status="200") \
        - value(before, "django_http_responses_total_by_status_total", status="200") >= 1
    assert value(after, "django_http_responses_total_by_status_total", status="404") \
        - value(before, "django_http_responses_total_by_status_total", status="404") == 1
    assert value(after, "django_http_requests_latency_seconds_by_view_method_count") \
        > value(before, "django_http_requests_latency_seconds_by_view_method_count")


def test_it_counts_the_503s_for_a_database_fault(monkeypatch):
    before = scrape()
    with monkeypatch.context() as patch:
        def refuse(*args, **kwargs):
            raise OperationalError("connection to server failed: Connection refused")

        patch.setattr(connection, "_cursor", refuse)
        assert Client().get("/", HOLDING).status_code == 503
        assert Client().get("/api/outcome", HOLDING).status_code == 503
    after = scrape()
    assert value(after, "exchange_outcome_database_unavailable_503_total") \
        - value(before, "exchange_outcome_database_unavailable_503_total") == 2
    assert value(after, "django_http_responses_total_by_status_total", status="503") \
        - value(before, "django_http_responses_total_by_status_total", status="503") == 2


def test_it_counts_lockouts():
    make_user("editor", staff=True)
    before = scrape()
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attacker.post("/admin/login/", {"username": "editor", "password": "wrong-guess"})
    assert response.status_code == 429
    after = scrape()
    name = "exchange_outcome_admin_lockouts_total"
    assert value(after, name) - value(before, name) == 1


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_loopback_may_read_it_whatever_the_host(address):
    response = Client(REMOTE_ADDR=address).get("/metrics", headers={"Host": "10.0.0.5:8000"})
    assert response.status_code == 200
    assert b"django_http_requests_total_by_method_total" in response.content


@pytest.mark.parametrize("address", ["203.0.113.9", "10.0.0.7", "192.168.1.20"])
def test_any_other_address_gets_the_sites_404(address):
    response = Client(REMOTE_ADDR=address).get("/metrics")
    assert response.status_code == 404
    assert b"django_http" not in response.content


def test_through_a_proxy_the_site_was_not_told_about_it_is_refused():
    """nginx in front, TRUSTED_PROXY_COUNT left at 0: REMOTE_ADDR is nginx's loopback address."""
    response = Client(REMOTE_ADDR="127.0.0.1").get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 404


def test_behind_a_proxy_the_client_address_decides(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.METRICS_ALLOWED_ADDRESSES = ["10.0.0.7"]
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    assert proxy.get("/metrics", headers={"X-Forwarded-For": "10.0.0.7"}).status_code == 200
    assert proxy.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    assert proxy.get("/metrics", headers={"X-Forwarded-For": "10.0.0.7, 203.0.113.9"}).status_code == 404


def test_an_operator_sets_the_addresses(settings):
    settings.METRICS_ALLOWED_ADDRESSES = ["10.0.0.7"]
    assert Client(REMOTE_ADDR="10.0.0.7").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 404
