"""Backup and restore: a backup restored into a fresh database gives back every row and
every history row, and restore refuses a database someone has worked in."""

from __future__ import annotations

import io
import json
import stat
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict

from offers.models import OfferVersion, OldNotes, TenderReport
from tests.web.security import fast_passwords, make_user

pytestmark = pytest.mark.usefixtures(fast_passwords.__name__)

def offers_models():
    return list(apps.get_app_config("offers").get_models())


def user_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.is_relation and f.related_model is User]


def snapshot() -> dict:
    """Every row the backup is responsible for, users named by username (their ids may change)."""
    usernames = dict(User.objects.values_list("pk", "username"))
    rows = {}
    for model in offers_models():
        named = user_fields(model)
        rows[model._meta.label] = [
            {k: usernames.get(v) if k in named else v for k, v in row.items()}
            for row in model._base_manager.order_by("pk").values()
        ]
    rows["auth.User"] = [
        {k: v for k, v in model_to_dict(user).items() if k not in ("id", "groups", "user_permissions")}
        | {"groups": sorted(g.name for g in user.groups.all()),
           "permissions": sorted(p.codename for p in user.user_permissions.all())}
        for user in User.objects.order_by("username")
    ]
    rows["auth.Group"] = {
        group.name: sorted(p.codename for p in group.permissions.all()) for group in Group.objects.all()
    }
    return rows


def staff_work() -> None:
    """What staff do over the life of the offer: edits with reasons, a draft, a report, a deletion."""
    editor = make_user("editor", staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_offerversion"))
    reviewers = Group.objects.create(name="Backup reviewers")
    reviewers.permissions.add(Permission.objects.get(codename="view_tenderreport"))
    editor.groups.add(reviewers)
    make_user("root", superuser=True)

    version = OfferVersion.objects.get(slug="september-2003")
    version._history_user = editor
    version._change_reason = "Typo in the name"
    version.name = "Amended terms (Sep 18, 2003)"
    version.save()

    draft = OfferVersion.objects.get(slug="original")
    draft.pk = None
    draft.slug = "draft-2004"
    draft.status = OfferVersion.Status.DRAFT
    draft.new_rate_percent = Decimal("12.5")
    draft._history_user = editor
    draft.save()
    draft.delete()  # leaves only its history behind

    old_notes = OldNotes.objects.get()
    old_notes.shares_outstanding = 4_920_000
    old_notes._history_user = editor
    old_notes.save()
    TenderReport.objects.create(old_notes=old_notes, as_of=date(2003, 10, 3), amount_tendered=Decimal("27300000"),
                                note="Extension notice")


@pytest.fixture
def fresh_database(db):
    """Puts the database back as `migrate` leaves a new one (each test database starts so)."""
    seeded = serializers.serialize(
        "python", [row for model in [*offers_models(), Group] for row in model._base_manager.order_by("pk")]
    )

    def make_fresh() -> None:
        for model in (TenderReport, OfferVersion, OldNotes, *offers_models()):
            model._base_manager.all().delete()  # the plain manager: no archive-instead guard
        User.objects.all().delete()
        Group.objects.all().delete()
        for row in serializers.deserialize("python", seeded):
            row.save()

    return make_fresh


@pytest.fixture
def backup_file(fresh_database, tmp_path):
    staff_work()
    path = tmp_path / "offers.json"
    call_command("backup_offers", output=str(path), stdout=io.StringIO())
    return path


def test_a_restore_into_a_fresh_database_gives_back_every_row_and_every_history_row(backup_file, fresh_database):
    before = snapshot()
    assert len(before["offers.HistoricalOfferVersion"]) >= 3  # the edit, the draft's creation and deletion
    fresh_database()
    assert snapshot() != before
    call_command("restore_offers", str(backup_file), stdout=io.StringIO())
    assert snapshot() == before


def test_restored_history_keeps_who_why_and_exactly_when(backup_file, fresh_database):
    change = OfferVersion.history.get(history_change_reason="Typo in the name")
    fresh_database()
    call_command("restore_offers", str(backup_file), stdout=io.StringIO())
    restored = OfferVersion.history.get(history_change_reason="Typo in the name")
    assert restored.history_user.username == "editor"
    assert restored.history_date == change.history_date  # to the microsecond
    assert restored.name == "Amended terms (Sep 18, 2003)"


def test_new_rows_after_a_restore_get_fresh_ids(backup_file, fresh_database):
    fresh_database()
    call_command("restore_offers", str(backup_file), stdout=io.StringIO())
    report = TenderReport.objects.create(old_notes=OldNotes.objects.get(), as_of=date(2003, 10, 9),
                                         amount_tendered=Decimal("27400000"))
    assert report.pk > max(row["pk"] for row in json.loads(backup_file.read_text())
                           if row["model"] == "offers.tenderreport")


def test_restore_refuses_a_database_with_offer_history_and_changes_nothing(backup_file):
    before = snapshot()
    with pytest.raises(CommandError, match="Refusing to restore: this database already holds offer data"):
        call_command("restore_offers", str(backup_file))
    assert snapshot() == before


def test_restore_refuses_a_version_the_seed_does_not_make(backup_file, fresh_database):
    fresh_database()
    OfferVersion.objects.filter(slug="original").update(slug="imported-by-hand")
    with pytest.raises(CommandError, match="versions the seed does not make: imported-by-hand"):
        call_command("restore_offers", str(backup_file))


@pytest.mark.django_db
def test_restore_says_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="No backup file at"):
        call_command("restore_offers", str(tmp_path / "nowhere.json"))


def test_restore_of_a_file_that_is_not_a_backup_changes_nothing(fresh_database, tmp_path):
    path = tmp_path / "notes.json"
    path.write_text('[{"model": "offers.nosuchmodel", "pk": 1, "fields": {}}]')
    before = snapshot()
    with pytest.raises(CommandError, match="could not be restored, and nothing was changed"):
        call_command("restore_offers", str(path))
    assert snapshot() == before


def test_the_backup_is_readable_by_its_owner_only(backup_file):
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600


def test_backup_refuses_to_overwrite_a_file(backup_file):
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_offers", output=str(backup_file))
