"""Migrations: back to zero and forward again, on whichever database the suite runs on
(SQLite, and PostgreSQL under scripts/with-postgres.sh), and none missing.

These tests work on the test database outside pytest-django's per-test transaction
(``django_db_blocker.unblock()``): SQLite cannot alter tables inside one, and a
transactional test would end by emptying every table, seed included, for the tests
after it. Instead the last step migrates forward again, so the database is left as
``migrate`` made it: the seed versions, groups and baseline history are back.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from offers.models import OfferVersion, OldNotes, TenderReport


@pytest.fixture
def database(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            yield connection
        finally:
            call_command("migrate", verbosity=0)  # whatever happened, leave every migration applied


def offers_tables() -> set[str]:
    return {name for name in connection.introspection.table_names() if name.startswith("offers_")}


def applied(app: str) -> list[str]:
    executor = MigrationExecutor(connection)
    return sorted(name for label, name in executor.loader.applied_migrations if label == app)


def test_offers_migrations_go_back_to_zero_and_forward_again(database):
    migrations = applied("offers")
    assert len(migrations) >= 2

    call_command("migrate", "offers", "zero", verbosity=0)
    assert offers_tables() == set()
    assert applied("offers") == []

    call_command("migrate", "offers", verbosity=0)
    assert applied("offers") == migrations
    assert {"offers_offerversion", "offers_historicalofferversion"} <= offers_tables()
    assert set(OfferVersion.objects.values_list("slug", flat=True)) == {"original", "september-2003"}
    assert OldNotes.objects.count() == 1
    assert TenderReport.objects.count() == 1


def test_no_model_change_is_missing_a_migration(database):
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, verbosity=1)
    except SystemExit:
        pytest.fail(f"models changed without a migration:\n{out.getvalue()}")
