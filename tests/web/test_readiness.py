"""/readyz: the database answers and one holding renders the whole way; 503 otherwise."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError, connection

from offers import services

pytestmark = pytest.mark.django_db


def test_it_is_ready_when_the_database_answers_and_the_holding_renders(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "holding": "rendered $1000 at 2003-10-10",
                               "left_out": []}
    assert "no-cache" in response["Cache-Control"]


def test_it_renders_its_own_holding_whatever_the_query_says(client):
    assert client.get("/readyz", {"principal": "-5", "consummation": "nonsense"}).status_code == 200


def test_a_left_out_version_is_reported_and_the_server_stays_ready(client, monkeypatch):
    monkeypatch.setattr(services, "_reported", set())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE offers_offerversion SET payment_months = '[13]' WHERE slug = 'original'")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["left_out"] == ["original"]


def test_it_is_not_ready_when_no_version_can_be_computed(client, monkeypatch):
    monkeypatch.setattr(services, "_reported", set())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE offers_offerversion SET new_rate_percent = -5")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.json()
    assert body["status"] == "error"
    assert body["holding"] == "no published version can be computed"
    assert sorted(body["left_out"]) == ["original", "september-2003"]


def test_it_is_not_ready_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable (OperationalError)"


def test_it_is_not_ready_when_the_holder_page_fails_and_logs_why(client, monkeypatch, log_lines):
    def fails(stored, holding):
        raise ArithmeticError("figures path broken")

    monkeypatch.setattr(services, "holder_page", fails)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["holding"] == "the holder page failed (logged)"
    logged = [json.loads(line) for line in log_lines() if "readiness" in line]
    assert len(logged) == 1 and "figures path broken" in logged[0]["exception"]


def test_it_only_reads(client):
    assert client.post("/readyz").status_code == 405
