"""``manage.py backup_offers``: the offer data, its history, the admin's log and the staff accounts, as JSON.

What the file holds and how it proves it is whole: :mod:`offers.backups`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from offers.backups import write_backup
from offers.management.base import OneLineErrorCommand

BACKUP_DIR = Path(settings.BASE_DIR) / "backups"


class Command(OneLineErrorCommand):
    help = ("Write the offer data, its history, the admin's log and the staff accounts, with a manifest, "
            "to backups/offers-<time>.json.")

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Write to this file instead (it must not exist yet).")

    def handle(self, *args, output: str | None = None, **options) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = Path(output) if output else BACKUP_DIR / f"offers-{stamp}.json"
        try:
            count = write_backup(path)
        except FileExistsError:
            raise CommandError(f"{path} already exists: give another file with --output.") from None
        self.stdout.write(f"Wrote {count} objects and their manifest to {path}.")
