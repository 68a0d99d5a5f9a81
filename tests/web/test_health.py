"""/healthz: the load balancer's probe, and the structured error line it logs."""

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


@pytest.mark.django_db
def test_it_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_reports_503_when_the_database_does_not_answer(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}


@pytest.mark.django_db
def test_it_logs_the_failure_as_one_json_line_with_the_request_id(client, database_down, log_lines):
    client.get("/healthz", headers={"X-Request-ID": "lb-probe-42"})
    lines = [json.loads(line) for line in log_lines() if "health check failed" in line]
    assert len(lines) == 1
    line = lines[0]
    assert line["level"] == "ERROR"
    assert line["request_id"] == "lb-probe-42"
    assert "Connection refused" in line["error"]


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
