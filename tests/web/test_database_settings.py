"""The database settings: PostgreSQL connections, statements and open transactions time out in seconds.

Read as Django reads ``lexp_site/settings.py``, in this process (it only reads the environment).
"""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS = Path(__file__).resolve().parents[2] / "lexp_site" / "settings.py"


@pytest.fixture
def database(monkeypatch):
    def read(url: str, **env: str) -> dict:
        for name in ("DB_CONNECT_TIMEOUT", "DB_STATEMENT_TIMEOUT_MS", "DJANGO_ENV"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("DATABASE_URL", url)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS))["DATABASES"]["default"]
    return read


def test_postgresql_gets_a_connect_a_statement_and_a_network_timeout_by_default(database):
    default = database("postgres://exchange@db.internal:5432/exchange_outcome")
    assert default["ENGINE"] == "lexp_site.postgresql"
    assert default["OPTIONS"] == {
        "connect_timeout": 3, "tcp_user_timeout": 3000,
        "options": "-c statement_timeout=5000 -c idle_in_transaction_session_timeout=5000"}
    assert (default["CONN_MAX_AGE"], default["CONN_HEALTH_CHECKS"]) == (60, True)


def test_the_environment_sets_the_timeouts(database):
    options = database("postgres://exchange@db.internal/exchange_outcome",
                       DB_CONNECT_TIMEOUT="5", DB_STATEMENT_TIMEOUT_MS="0")["OPTIONS"]
    assert options == {"connect_timeout": 5, "tcp_user_timeout": 5000,
                       "options": "-c statement_timeout=0 -c idle_in_transaction_session_timeout=0"}


def test_a_value_in_the_database_url_wins(database):
    options = database("postgres://exchange@db.internal/exchange_outcome?connect_timeout=10&sslmode=require")["OPTIONS"]
    assert (options["connect_timeout"], options["sslmode"]) == (10, "require")
    assert options["options"] == "-c statement_timeout=5000 -c idle_in_transaction_session_timeout=5000"


def test_sqlite_is_left_as_it_is(database):
    default = database("sqlite:///:memory:", DB_CONNECT_TIMEOUT="5")
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert not default.get("OPTIONS")


def test_a_timeout_that_is_not_a_number_stops_start_up(database):
    with pytest.raises(ImproperlyConfigured, match="DB_CONNECT_TIMEOUT must be a whole number, not 'soon'"):
        database("postgres://exchange@db.internal/exchange_outcome", DB_CONNECT_TIMEOUT="soon")
