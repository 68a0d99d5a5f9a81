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
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
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


def offers_models():
    return list(apps.get_app_config("offers").get_models())


def staff_state() -> dict:
    """Every offer row (history included, ids and all), and each group's permissions and members."""
    state = {model._meta.label: list(model._base_manager.order_by("pk").values()) for model in offers_models()}
    state["groups"] = {
        group.name: (sorted(p.codename for p in group.permissions.all()),
                     sorted(u.username for u in group.user_set.all()))
        for group in Group.objects.order_by("name")
    }
    return state


@pytest.fixture
def staff_database(database):
    """The test database with staff work in it: put back as `migrate` made it afterwards (later tests expect that)."""
    pristine = serializers.serialize(
        "python", [row for model in [*offers_models(), Group] for row in model._base_manager.order_by("pk")])

    editor = User.objects.create_user("edith", is_staff=True)
    editor.groups.add(Group.objects.get(name="Offer editors"))
    viewer = User.objects.create_user("victor", is_staff=True)
    viewers = Group.objects.get(name="Offer viewers")
    viewer.groups.add(viewers)
    viewers.permissions.add(Permission.objects.get(codename="change_tenderreport"))  # staff widened a group
    version = OfferVersion.objects.get(slug="september-2003")
    version._history_user = editor
    version._change_reason = "Rate corrected"
    version.new_rate_percent = Decimal("12.25")
    version.save()
    try:
        yield editor
    finally:
        User.objects.all().delete()
        for model in (TenderReport, OfferVersion, OldNotes, *offers_models(), Group):
            model._base_manager.all().delete()
        for row in serializers.deserialize("python", pristine):
            row.save()


@pytest.mark.parametrize("target", ["0003_staff_fields_and_help_text", "0001_initial"])
def test_going_back_and_forward_again_keeps_staff_edits_ids_history_and_group_memberships(staff_database, target):
    before = staff_state()
    assert before["groups"]["Offer viewers"][1] == ["victor"]

    call_command("migrate", "offers", target, verbosity=0)
    call_command("migrate", verbosity=0)

    assert staff_state() == before
    assert OfferVersion.objects.get(slug="september-2003").new_rate_percent == Decimal("12.25")


def test_going_back_past_figures_only_staff_entered_is_refused_and_loses_nothing(staff_database):
    TenderReport.objects.create(old_notes=OldNotes.objects.get(), as_of=date(2003, 10, 3),
                                amount_tendered=Decimal("27300000"), largest_holders_count=3,
                                largest_holders_amount=Decimal("19000000"))
    before = staff_state()

    with pytest.raises(CommandError, match=r"this would delete staff work: the largest holders' figures of "
                                           r"1 tender reports and 1 history records, entered in the admin"):
        call_command("migrate", "offers", "0001_initial", verbosity=0)
    call_command("migrate", verbosity=0)

    assert staff_state() == before
