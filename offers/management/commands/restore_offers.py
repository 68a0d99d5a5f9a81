"""``manage.py restore_offers FILE``: load a ``backup_offers`` file into a new database.

First the file is checked against its manifest (:func:`offers.backups.read_backup`), before
the database is touched: an empty, unreadable, truncated, incomplete, edited or foreign
file, or one from before backups carried a manifest, is refused with one line saying what
is wrong and what to do. A database that is not migrated is refused next ("run migrate
first"), and then every row of the offer is checked as the admin checks it
(:func:`offers.backups.invalid_rows`) before any is written: a file whose checksum is right
but whose values are not (a payment month 13, a rate of -5) is refused, naming each table,
row, field and rule, and nothing is changed.

Restore is for a database that holds nothing of its own yet: created, migrated, and
not touched since. ``migrate`` seeds the two published versions, the Old Notes and a
tender report, each with one creation record in its history and no user; the restore
replaces exactly those seeded rows (and their records) with the backup, in one
transaction. Anything else (a version the seed does not make, a second tender report,
a history record made by a person or a second record for a row, an entry in the admin's
log) means someone has worked in this database: the restore refuses and changes nothing,
rather than mixing two databases' worth of terms.

Staff accounts in the backup are matched by username: one that already exists (say
the superuser created to set the new server up) takes the backup's values.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count

from offers.backups import Backup, BackupError, backup_models, invalid_rows, read_backup
from offers.core.termsfile import seed_terms
from offers.management.base import OneLineErrorCommand
from offers.models import OfferVersion, OldNotes, TenderReport

START_AFRESH = "Restore into a new database: create it, run `manage.py migrate`, then restore."


def history_models() -> list[type[models.Model]]:
    return [m for m in apps.get_app_config("offers").get_models() if m.__name__.startswith("Historical")]


def work_found() -> list[str]:
    """What in this database did not come from ``migrate``, in words; empty when it is fresh."""
    found = []
    extra = sorted(set(OfferVersion._base_manager.values_list("slug", flat=True)) - set(seed_terms()))
    if extra:
        found.append("versions the seed does not make: " + ", ".join(extra))
    for model in (OldNotes, TenderReport):
        if (count := model._base_manager.count()) > 1:
            found.append(f"{count} {model._meta.verbose_name_plural}")
    for model in history_models():
        records = model._base_manager.all()
        by_people = records.exclude(history_user__isnull=True).count()
        changes = records.exclude(history_type="+").count()
        repeated = records.values("id").annotate(n=Count("history_id")).filter(n__gt=1).count()
        if by_people or changes or repeated:
            found.append(f"changes recorded in the {model._meta.verbose_name_plural}")
    if count := LogEntry.objects.count():
        found.append(f"{count} entries in the admin's log")
    return found


def unapplied_migrations() -> list[str]:
    """The migrations this database still lacks (all of them for one never migrated)."""
    executor = MigrationExecutor(connection)
    return [f"{migration.app_label}.{migration.name}"
            for migration, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]


def clear_seed() -> None:
    """Delete the seeded rows, and the history rows their deletion records."""
    for model in (TenderReport, OfferVersion, OldNotes):
        model._base_manager.all().delete()
    for model in history_models():
        model._base_manager.all().delete()
    left = [m._meta.verbose_name_plural for m in apps.get_app_config("offers").get_models() if m._base_manager.exists()]
    if left:
        raise CommandError(f"Cannot restore: the database still holds {', '.join(map(str, left))}.")


def load(backup: Backup) -> None:
    """``loaddata`` the backup's rows (it reads fixtures from files only: an owner-only temporary one)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as fixture:
        json.dump(backup.objects, fixture)
        fixture.flush()
        call_command("loaddata", fixture.name, verbosity=0)


def not_taken(backup: Backup) -> list[str]:
    """Tables that do not hold the manifest's count after loading (users and groups may also be there from before)."""
    rows = backup.manifest["rows"]
    return [
        f"{label}: {count} of {rows[label]}"
        for model in backup_models()
        if (label := model._meta.label_lower) not in ("auth.user", "auth.group")
        and (count := model._base_manager.count()) != rows[label]
    ]


class Command(OneLineErrorCommand):
    help = "Load a backup written by backup_offers into a freshly migrated database (refuses otherwise)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup, such as backups/offers-20031010T120000Z.json.")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No backup file at {file}.")
        try:
            backup = read_backup(path)
        except BackupError as error:
            raise CommandError(f"Refusing to restore {file}: {error} Nothing was changed.") from None
        if missing := unapplied_migrations():
            raise CommandError(f"Refusing to restore {file}: this database is not migrated ({len(missing)} "
                               f"migrations to apply, such as {missing[0]}): run `manage.py migrate` first, then "
                               f"restore. Nothing was changed.")
        try:
            with transaction.atomic():
                found = work_found()
                if found:
                    raise CommandError(
                        "Refusing to restore: this database already holds offer data (" + "; ".join(found)
                        + f"). {START_AFRESH}"
                    )
                clear_seed()
                if problems := invalid_rows(backup):  # raised inside the transaction: the seed comes back
                    listed = "; ".join(problem.rstrip(".") for problem in problems)
                    raise CommandError(f"Refusing to restore {file}: {len(problems)} of its values break the rules "
                                       f"the admin enforces: {listed}. Correct them at the source and take a new "
                                       f"backup. Nothing was changed.")
                load(backup)
                if wrong := not_taken(backup):
                    raise CommandError(f"{file} could not be restored, and nothing was changed: the database did "
                                       f"not take every row ({'; '.join(wrong)}).")
        except (serializers.base.DeserializationError, IntegrityError, DatabaseError) as error:
            message = " ".join(str(error).split())
            raise CommandError(f"{file} could not be restored, and nothing was changed: {message}") from None
        made = backup.manifest
        counts = ", ".join(
            f"{model._base_manager.count()} {model._meta.verbose_name_plural}"
            for model in (OldNotes, OfferVersion, TenderReport, LogEntry)
        )
        self.stdout.write(
            f"Restored {file} (made {made['created_at']} from the {made['database']['vendor']} database "
            f"{made['database']['name']}): {counts}, with their history."
        )
