"""``manage.py backup_offers``: the offer data, its history and the staff accounts, as JSON.

What is in the file: every row of every model of the ``offers`` app (the Old Notes,
the versions of the terms, the tender reports and their ``Historical*`` history
tables), and the staff accounts and groups (``auth.User``, ``auth.Group``), because
each history row names the user who made the change. Not in it: sessions, login
attempts (django-axes) and content types, which a fresh ``migrate`` recreates.

The file is a Django fixture (``loaddata`` reads it) written with natural keys for
users, groups and permissions, so it does not depend on their ids in the database it
came from. Datetimes keep their microseconds (Django's own ``dumpdata`` cuts them to
milliseconds, which would change every history timestamp on the way back). It holds
password hashes: it is created readable by its owner only.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

BACKUP_DIR = Path(settings.BASE_DIR) / "backups"


def backup_models() -> list[type[models.Model]]:
    """The models a backup holds, users and groups before the history rows that name them."""
    offers = apps.get_app_config("offers")
    auth = apps.get_app_config("auth")
    return serializers.sort_dependencies([(auth, [Group, User]), (offers, list(offers.get_models()))])


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder, except that datetimes and times keep their microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def backup_objects() -> list[dict]:
    rows = (
        row
        for model in backup_models()
        for row in serializers.serialize(
            "python",
            model._base_manager.order_by("pk").iterator(),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
    )
    return list(rows)


def write_backup(path: Path) -> int:
    """Write the backup to ``path`` (a new file, owner-only) and return the number of objects."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every table, so a change made meanwhile is in all of them or none.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        objects = backup_objects()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        json.dump(objects, stream, cls=FullPrecisionEncoder, indent=1)
        stream.write("\n")
    return len(objects)


class Command(BaseCommand):
    help = "Write the offer data, its history and the staff accounts to backups/offers-<time>.json."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Write to this file instead (it must not exist yet).")

    def handle(self, *args, output: str | None = None, **options) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = Path(output) if output else BACKUP_DIR / f"offers-{stamp}.json"
        try:
            count = write_backup(path)
        except FileExistsError:
            raise CommandError(f"{path} already exists: give another file with --output.") from None
        self.stdout.write(f"Wrote {count} objects to {path}.")
