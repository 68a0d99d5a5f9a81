"""``manage.py backup_offers``: the offer data, its history, the admin's log and the staff accounts, as JSON.

What the file holds and how it proves it is whole: :mod:`offers.backups`. For a schedule
(docs/deploy.md, "Backup schedule"), the command can also send the new file off the server
(``--copy-to`` a mounted folder, ``--pipe-to`` a command that reads it on stdin) and delete
the oldest backups in the folder beyond the newest ``--keep``. Each step runs only if the one
before it worked, and any failure exits non-zero with one line saying which, so cron or a
systemd timer reports it; old backups are deleted last, so a failed copy never costs one.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from offers.backups import write_backup
from offers.management.base import OneLineErrorCommand, bad_input

BACKUP_DIR = Path(settings.BASE_DIR) / "backups"
# What the command names its files: only these are counted, and deleted, by --keep.
BACKUP_NAME = re.compile(r"offers-\d{8}T\d{6}Z\.json")


def sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


class Command(OneLineErrorCommand):
    help = ("Write the offer data, its history, the admin's log and the staff accounts, with a manifest, "
            "to backups/offers-<time>.json; optionally copy it off the server and delete the oldest.")

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Write to this file instead (it must not exist yet).")
        parser.add_argument("--dir", help="Write offers-<time>.json in this folder instead of backups/.")
        parser.add_argument("--keep", type=int, metavar="N",
                            help="Then delete all but the newest N backups (offers-<time>.json) in that folder.")
        parser.add_argument("--copy-to", metavar="DIR",
                            help="Copy the new backup into this folder (a mount of another machine or disk), "
                                 "checked byte for byte.")
        parser.add_argument("--pipe-to", metavar="COMMAND",
                            help="Run this shell command with the new backup on its stdin, and the file's name "
                                 "in $BACKUP_NAME (such as: ssh backup@vault 'cat > exchange/$BACKUP_NAME').")

    def handle(self, *args, output: str | None = None, dir: str | None = None, keep: int | None = None,
               copy_to: str | None = None, pipe_to: str | None = None, **options) -> None:
        if output and dir:
            raise bad_input("--dir: give either --output or --dir, not both.")
        if keep is not None and keep < 1:
            raise bad_input(f"--keep: must be 1 or more (the backup just written counts), not {keep}; such as 14.")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = Path(output) if output else Path(dir or BACKUP_DIR) / f"offers-{stamp}.json"
        try:
            count = write_backup(path)
        except FileExistsError:
            raise CommandError(f"{path} already exists: give another file with --output.") from None
        self.stdout.write(f"Wrote {count} objects and their manifest to {path}.")
        if copy_to:
            self.copy(path, Path(copy_to))
        if pipe_to:
            self.pipe(path, pipe_to)
        if keep is not None:
            self.rotate(path.parent, keep)

    def copy(self, path: Path, folder: Path) -> None:
        """Copy under a temporary name, check it, then rename: the folder never holds half a backup."""
        target = folder / path.name
        partial = folder / f".{path.name}.partial"
        try:
            if target.exists():
                raise CommandError(f"--copy-to: {target} already exists; the backup stays in {path}.")
            shutil.copyfile(path, partial)
            if sha256(partial) != sha256(path):
                raise CommandError(f"--copy-to: the copy in {folder} differs from {path}; the backup stays in {path}.")
            os.replace(partial, target)
        except OSError as error:
            raise CommandError(f"--copy-to: could not copy to {folder} ({error.strerror or error}); "
                               f"the backup stays in {path}.") from None
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Copied it to {target}.")

    def pipe(self, path: Path, command: str) -> None:
        with path.open("rb") as stream:
            try:
                # The operator's own command, from the command line or the cron line: the shell is the point.
                finished = subprocess.run(command, shell=True, stdin=stream, capture_output=True,  # noqa: S602
                                          env=os.environ | {"BACKUP_NAME": path.name}, check=False)
            except OSError as error:
                raise CommandError(f"--pipe-to: could not run it ({error.strerror}); the backup stays in {path}.") \
                    from None
        if finished.returncode != 0:
            said = " ".join(finished.stderr.decode("utf-8", "replace").split())[:300]
            raise CommandError(f"--pipe-to: the command exited with status {finished.returncode}"
                               f"{': ' + said if said else ''}; the backup stays in {path}.")
        self.stdout.write(f"Sent it to: {command}")

    def rotate(self, folder: Path, keep: int) -> None:
        """Delete all but the newest ``keep`` backups; their names sort as their times."""
        backups = sorted(entry for entry in folder.iterdir() if BACKUP_NAME.fullmatch(entry.name))
        old = backups[:-keep]
        for entry in old:
            entry.unlink()
        if old:
            self.stdout.write(f"Deleted {len(old)} older backups in {folder} (kept the newest {keep}).")
