"""/healthz: the load balancer's liveness probe (no database, any Host), and the request id and log lines."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import OperationalError, connection


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    monkeypatch.setattr(connection, "_cursor", refuse)


@pytest.mark.django_db
def test_it_reports_ok_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_is_a_liveness_check_the_database_being_down_does_not_change_it(client, database_down, log_lines):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert log_lines() == []


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["10.0.0.5:8000", "[fd00::5]:8000", "probe.internal", "evil.example\\r\\n"])
def test_it_answers_a_host_not_in_allowed_hosts(client, host):
    """A load balancer probing an app server by its address: the Host is the address."""
    response = client.get("/healthz", headers={"Host": host})
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert host not in response.content.decode()


@pytest.mark.django_db
def test_only_the_probe_skips_the_host_check(client):
    assert client.get("/", headers={"Host": "10.0.0.5:8000"}).status_code == 400
    assert client.get("/healthz/", headers={"Host": "10.0.0.5:8000"}).status_code == 400
    assert client.post("/healthz", headers={"Host": "10.0.0.5:8000"}).status_code == 400


@pytest.mark.django_db
def test_an_error_with_a_traceback_stays_on_one_line(log_lines):
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        logging.getLogger("tests.health").exception("it broke")
    lines = log_lines()
    assert len(lines) == 1
    assert "Traceback" in json.loads(lines[0])["exception"]


@pytest.mark.django_db
def test_it_echoes_a_well_formed_request_id(client):
    response = client.get("/healthz", headers={"X-Request-ID": "3f2a9c1e-7b4d-4e8a-9f00-1a2b3c4d5e6f"})
    assert response["X-Request-ID"] == "3f2a9c1e-7b4d-4e8a-9f00-1a2b3c4d5e6f"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming",
    ["", "has space", 'quote"d', "new\nline", "x" * 129, "-starts-with-dash", "é"],
)
def test_it_replaces_a_malformed_request_id_with_a_new_one(client, incoming):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_each_request_without_an_id_gets_its_own(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second


@pytest.mark.django_db
def test_it_refuses_post(client):
    assert client.post("/healthz").status_code == 405
