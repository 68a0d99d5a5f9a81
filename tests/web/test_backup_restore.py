"""Backup and restore: a backup restored into a fresh database gives back every row, every
history row and the admin's log, and the same figures on the holder page; restore refuses a
database someone has worked in, and a file that is not a whole, unchanged backup."""

from __future__ import annotations

import io
import json
import os
import random
import re
import stat
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict

from offers.models import OfferVersion, OldNotes, TenderReport
from tests.web.security import HOLDING, fast_passwords, make_user

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
    rows["admin.LogEntry"] = [
        {k: v for k, v in row.items() if k not in ("user_id", "content_type_id")}
        | {"user": usernames[row["user_id"]], "content_type": ContentType.objects.get_for_id(row["content_type_id"])
           .natural_key()}
        for row in LogEntry.objects.order_by("pk").values()
    ]
    return rows


def holder_figures(client) -> tuple[str, dict]:
    """The holder page and the API for one holding, read afresh from the database (nothing kept or cached)."""
    page = client.get("/", {**HOLDING, "principal": "100000"})
    api = client.get("/api/outcome", {**HOLDING, "principal": "100000"})
    assert (page.status_code, api.status_code) == (200, 200)
    return page.content.decode(), api.json()


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

    amended = OfferVersion.objects.get(slug="september-2003")
    amended.pk = None
    amended.slug = "october-2003"
    amended.name = "Second amendment (Oct 2003)"
    amended.new_rate_percent = Decimal("13.5")
    amended._history_user = editor
    amended.save()  # a third published version: a third column on the holder page
    kept_draft = OfferVersion.objects.get(slug="original")
    kept_draft.pk = None
    kept_draft.slug = "draft-2005"
    kept_draft.status = OfferVersion.Status.DRAFT
    kept_draft._history_user = editor
    kept_draft.save()

    # What the admin records in its "Recent actions" for such edits.
    versions = ContentType.objects.get_for_model(OfferVersion)
    LogEntry.objects.create(user=editor, content_type=versions, object_id=str(version.pk), object_repr=str(version),
                            action_flag=CHANGE, change_message='[{"changed": {"fields": ["Name"]}}]')
    LogEntry.objects.create(user=editor, content_type=versions, object_id=str(draft.pk), object_repr="draft-2004",
                            action_flag=DELETION)


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
    assert len(before["offers.HistoricalOfferVersion"]) >= 5  # edits, a draft created and deleted, two new versions
    assert len(before["admin.LogEntry"]) == 2
    fresh_database()
    assert snapshot() != before
    call_command("restore_offers", str(backup_file), stdout=io.StringIO())
    assert snapshot() == before


def test_a_restore_gives_holders_the_same_figures(backup_file, fresh_database, client):
    before = holder_figures(client)
    assert [v["slug"] for v in before[1]["versions"]] == ["original", "september-2003", "october-2003"]
    fresh_database()
    assert holder_figures(client) != before
    call_command("restore_offers", str(backup_file), stdout=io.StringIO())
    assert holder_figures(client) == before


def test_the_backup_carries_a_manifest_of_what_it_holds(backup_file):
    manifest = json.loads(backup_file.read_text())["manifest"]
    assert (manifest["format"], manifest["format_version"]) == ("exchange-outcome-backup", 1)
    assert manifest["database"]["vendor"] in ("sqlite", "postgresql")
    assert manifest["rows"]["admin.logentry"] == 2
    assert manifest["rows"]["offers.offerversion"] == OfferVersion.objects.count() == 4
    assert manifest["rows"]["offers.historicalofferversion"] == OfferVersion.history.count()
    assert len(manifest["sha256"]) == 64


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
    assert report.pk > max(row["pk"] for row in json.loads(backup_file.read_text())["objects"]
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


def test_restore_refuses_a_database_with_entries_in_the_admins_log(backup_file, fresh_database):
    fresh_database()
    setup = make_user("setup", superuser=True)
    LogEntry.objects.create(user=setup, content_type=ContentType.objects.get_for_model(User), object_id=str(setup.pk),
                            object_repr="setup", action_flag=CHANGE)
    with pytest.raises(CommandError, match="1 entries in the admin's log"):
        call_command("restore_offers", str(backup_file))


def rewritten(backup_file: Path, change) -> bytes:
    """The backup with ``change(objects)`` applied and its manifest kept as it was."""
    backup = json.loads(backup_file.read_text())
    backup["objects"] = change(backup["objects"])
    return json.dumps(backup, indent=1).encode()


def edited_figure(objects: list[dict]) -> list[dict]:
    version = next(row for row in objects if row["model"] == "offers.offerversion")
    version["fields"]["new_rate_percent"] = "99.000"
    return objects


BAD_FILES = {
    "empty": (lambda good: b"", "the file is empty"),
    "an empty list": (lambda good: b"[]", "it has no manifest"),
    "a backup from before manifests": (lambda good: json.dumps(json.loads(good.read_text())["objects"]).encode(),
                                       "as backups were before they carried a manifest"),
    "the first half of the rows": (lambda good: rewritten(good, lambda rows: rows[: len(rows) // 2]),
                                   "it is incomplete: its manifest lists"),
    "the history rows removed": (lambda good: rewritten(good, lambda rows: [
        row for row in rows if not row["model"].startswith("offers.historical")]),
        "offers.historicalofferversion: 0 of"),
    "an edited figure": (lambda good: rewritten(good, edited_figure),
                         "it has been changed since it was written"),
    "truncated": (lambda good: good.read_bytes()[: len(good.read_bytes()) * 2 // 3],
                  "it is not complete JSON .* cut short"),
    "random bytes": (lambda good: random.Random(14).randbytes(4096), "it is not text, so not a backup"),
    "foreign JSON": (lambda good: b'{"name": "exchange-outcome", "version": "0.1.0", "dependencies": {}}',
                     "it is not an Exchange Outcome backup"),
    "a newer format": (lambda good: good.read_bytes().replace(b'"format_version": 1', b'"format_version": 2'),
                       "format version 2 and this version of Exchange Outcome reads version 1"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_restore_refuses_a_file_that_is_not_a_whole_unchanged_backup_and_changes_nothing(
        backup_file, fresh_database, tmp_path, kind):
    make, reason = BAD_FILES[kind]
    bad = tmp_path / "bad.json"
    bad.write_bytes(make(backup_file))
    fresh_database()
    before = snapshot()
    with pytest.raises(CommandError, match=f"^Refusing to restore {re.escape(str(bad))}: .*{reason}") as refused:
        call_command("restore_offers", str(bad))
    assert "\n" not in str(refused.value)
    assert str(refused.value).endswith("Nothing was changed.")
    assert snapshot() == before


def test_a_refusal_on_the_command_line_is_one_line_with_a_failing_status(tmp_path):
    """Random bytes once gave a 36-line UnicodeDecodeError traceback."""
    bad = tmp_path / "random.json"
    bad.write_bytes(random.Random(14).randbytes(4096))
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}  # refused before any query
    result = subprocess.run([sys.executable, "manage.py", "restore_offers", str(bad)], cwd=Path(__file__).parents[2],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Refusing to restore {bad}: it is not text, so not a backup (a compressed or encrypted copy must be "
        "unpacked first): give the JSON file written by `make backup`. Nothing was changed."]
    assert not (tmp_path / "unused.sqlite3").exists()


def test_the_backup_is_readable_by_its_owner_only(backup_file):
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600


def test_backup_refuses_to_overwrite_a_file(backup_file):
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_offers", output=str(backup_file))


def rechecksummed(backup_file: Path, model: str, slug: str | None, fields: dict) -> bytes:
    """The backup with one row's fields changed and its SHA-256 recomputed (as someone editing the file would):
    canonical JSON of the objects, keys sorted, no spaces, UTF-8, as the backup format's docstring gives it."""
    import hashlib

    backup = json.loads(backup_file.read_text())
    row = next(r for r in backup["objects"]
               if r["model"] == model and (slug is None or r["fields"].get("slug") == slug))
    row["fields"].update(fields)
    canonical = json.dumps(backup["objects"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    backup["manifest"]["sha256"] = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return json.dumps(backup, indent=1).encode()


INVALID_VALUES = {
    "payment month 13": ("offers.offerversion", "september-2003", {"payment_months": [13]},
                         r"offers\.offerversion row \d+ \(september-2003\), payment_months: 13 includes a month that "
                         r"does not exist; enter month numbers from 1 to 12"),
    "a rate of -5": ("offers.offerversion", "october-2003", {"new_rate_percent": "-5.000000"},
                     r"offers\.offerversion row \d+ \(october-2003\), new_rate_percent: -5 is out of range; enter a "
                     r"percentage from 0 to 100"),
    "maturity before the notes are issued": (
        "offers.offerversion", "original", {"maturity": "2003-01-01"},
        r"offers\.offerversion row \d+ \(original\), maturity: Jan 1, 2003 is not after the offer expires "
        r"\(Sep 30, 2003\)"),
    "an Old Notes rate of -5": ("offers.oldnotes", None, {"rate_percent": "-5.000000"},
                                r"offers\.oldnotes row \d+ \(12 3/4% Senior Subordinated Notes\), rate_percent: "
                                r"Ensure this value is greater than or equal to 0"),
    "more tendered than outstanding": ("offers.tenderreport", None, {"amount_tendered": "99999999"},
                                       r"offers\.tenderreport row \d+ \(.*\), amount_tendered: 99,999,999 is more "
                                       r"than the \$27,412,000 of Old Notes outstanding"),
}


@pytest.mark.parametrize("kind", INVALID_VALUES)
def test_restore_refuses_a_whole_backup_with_invalid_values_and_changes_nothing(
        backup_file, fresh_database, tmp_path, kind):
    model, slug, fields, rule = INVALID_VALUES[kind]
    bad = tmp_path / "rechecksummed.json"
    bad.write_bytes(rechecksummed(backup_file, model, slug, fields))
    fresh_database()
    before = snapshot()
    with pytest.raises(CommandError, match=f"^Refusing to restore {re.escape(str(bad))}: \\d+ of its values break "
                                           f"the rules the admin enforces: (.*; )?{rule}") as refused:
        call_command("restore_offers", str(bad))
    assert "\n" not in str(refused.value)
    assert str(refused.value).endswith("Nothing was changed.")
    assert snapshot() == before


def test_restore_into_a_database_never_migrated_says_to_run_migrate_first(backup_file, tmp_path):
    empty = tmp_path / "never-migrated.sqlite3"
    env = os.environ | {"DATABASE_URL": f"sqlite:///{empty}"}
    result = subprocess.run([sys.executable, "manage.py", "restore_offers", str(backup_file)],
                            cwd=Path(__file__).parents[2], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Refusing to restore {backup_file}: this database is not migrated (")
    assert line.endswith("run `manage.py migrate` first, then restore. Nothing was changed.")
