"""The breaker (lexp_site/breaker.py): after a failed connection, no new attempt for a few seconds,
then one attempt at a time; and one log line per outage, not one per 503.

With a clock the test moves, and with the real PostgreSQL backend pointed at a port where
nothing listens (no server needed). The real frozen server is in ``test_database_faults.py``.
"""

from __future__ import annotations

import json
import socket

import dj_database_url
import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from lexp_site.breaker import DatabaseOutage, outage
from lexp_site.postgresql.base import DatabaseWrapper

RETRY_SECONDS = 5.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def breaker(clock) -> DatabaseOutage:
    return DatabaseOutage(lambda: RETRY_SECONDS, clock)


def test_with_no_failure_known_every_attempt_goes_ahead(breaker):
    assert [breaker.refuse_if_known_down() for _ in range(3)] == [None, None, None]
    assert not breaker.known_down


def test_after_a_failure_attempts_are_refused_until_the_retry_time(breaker, clock):
    breaker.connect_failed()
    clock.now += RETRY_SECONDS - 0.1
    refusal = breaker.refuse_if_known_down()
    assert refusal.startswith("database unavailable: a connection attempt failed moments ago")
    assert "next attempt in 0.1 s" in refusal
    assert breaker.known_down


def test_then_one_attempt_goes_ahead_and_the_others_are_refused_while_it_waits(breaker, clock):
    breaker.connect_failed()
    clock.now += RETRY_SECONDS
    assert breaker.refuse_if_known_down() is None  # this caller tries
    clock.now += 2  # still connecting
    assert breaker.refuse_if_known_down() is not None
    breaker.connect_failed()  # it failed again: another period
    clock.now += RETRY_SECONDS - 0.1
    assert breaker.refuse_if_known_down() is not None


def test_a_connection_that_succeeds_closes_it(breaker, clock):
    breaker.connect_failed()
    clock.now += RETRY_SECONDS
    assert breaker.refuse_if_known_down() is None
    breaker.connected()
    assert [breaker.refuse_if_known_down() for _ in range(3)] == [None, None, None]


def test_an_outage_is_one_error_line_and_one_line_when_it_ends(breaker, clock, log_lines):
    for _ in range(500):
        breaker.answered_503(OperationalError("connection timeout expired"))
        clock.now += 0.01
    breaker.connected()
    lines = [json.loads(line) for line in log_lines()]
    assert [line["level"] for line in lines] == ["ERROR", "WARNING"]
    assert lines[0]["error"] == "OperationalError: connection timeout expired"
    assert (lines[1]["answered_503"], lines[1]["seconds"]) == (500, 5.0)


def test_a_503_long_after_the_last_one_is_a_new_outage(breaker, clock, log_lines):
    """A fault that needs no new connection (a statement timeout) never ends with a connection."""
    breaker.answered_503(OperationalError("canceling statement due to statement timeout"))
    clock.now += RETRY_SECONDS / 2
    breaker.answered_503(OperationalError("canceling statement due to statement timeout"))
    clock.now += RETRY_SECONDS + 1
    breaker.answered_503(OperationalError("canceling statement due to statement timeout"))
    assert [json.loads(line)["level"] for line in log_lines()] == ["ERROR", "ERROR"]


def test_a_connection_with_no_outage_logs_nothing(breaker, log_lines):
    breaker.connected()
    assert log_lines() == []


def nothing_listening() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again: connections to it are refused


@pytest.fixture
def refused_backend(settings) -> DatabaseWrapper:
    """The site's PostgreSQL backend, configured for an address where nothing listens."""
    settings.DB_ANSWER_TIMEOUT_SECONDS = 6
    handler = ConnectionHandler({"default": dj_database_url.parse(
        f"postgres://exchange@127.0.0.1:{nothing_listening()}/exchange_outcome",
        engine="lexp_site.postgresql")})
    return handler["default"]


def test_the_backend_does_not_connect_again_right_after_a_failure(refused_backend, monkeypatch, django_db_blocker):
    attempts = []
    with django_db_blocker.unblock():
        with pytest.raises(OperationalError, match="refused"):
            refused_backend.ensure_connection()
        monkeypatch.setattr(DatabaseWrapper.Database, "connect", lambda **params: attempts.append(params))
        with pytest.raises(OperationalError, match="database unavailable: a connection attempt failed moments ago"):
            refused_backend.ensure_connection()
    assert attempts == []
    assert outage.known_down
