"""The backup file: what ``backup_offers`` writes, and the checks ``restore_offers`` makes before it loads one.

A backup holds every row of the ``offers`` app (the Old Notes, every version of the terms, the
tender reports and their ``Historical*`` history tables), the admin's log of staff actions
(``admin.LogEntry``, the "Recent actions"), and the staff accounts and groups
(``auth.User``, ``auth.Group``), because history rows and log entries name their user. Not in
it: sessions, login attempts (django-axes) and content types, which a fresh ``migrate``
recreates.

The file is one JSON object, a manifest and the rows::

    {"manifest": {"format": "exchange-outcome-backup", "format_version": 1,
                  "created_at": "2026-11-26T15:18:52.123456+00:00",
                  "database": {"vendor": "postgresql", "name": "exchange_outcome"},
                  "rows": {"admin.logentry": 3, "auth.group": 1, "auth.user": 2, ..., "offers.tenderreport": 2},
                  "sha256": "9f86d081..."},
     "objects": [{"model": "auth.group", "fields": {...}}, ...]}

``rows`` counts the objects of every model a backup holds (0 included); ``sha256`` is the
SHA-256 of ``objects`` written as canonical JSON (keys sorted, no spaces, UTF-8), so it
does not depend on the file's layout. The objects are a Django fixture written with
natural keys for users, groups, permissions and content types, so they do not depend on
those ids in the database they came from; datetimes keep their microseconds (Django's
own ``dumpdata`` cuts them to milliseconds). The file holds password hashes: it is created
readable by its owner only.

:func:`read_backup` checks a file completely, without touching the database, and raises
:class:`BackupError` with one sentence saying what is wrong and what to do: empty,
unreadable, cut short, not a backup, from before manifests, from another version,
incomplete, changed since it was written, or without the offer.

The checksum shows the file is whole, not that its values are valid: :func:`invalid_rows`
checks every row of the offer as the admin does (``Model.full_clean``, whose ``clean()``
applies the core's terms rules) before the restore writes any of them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from offers.adapter import TERMS_PATH_TO_FIELD, stored_problems
from offers.models import OfferVersion, OldNotes, TenderReport

FORMAT = "exchange-outcome-backup"
FORMAT_VERSION = 1
TAKE_A_NEW_ONE = "take a new backup of the source database with `make backup` (manage.py backup_offers)"
ANOTHER_COPY = "restore from another copy of the backup"


class BackupError(Exception):
    """A file that must not be restored; the message says why and what to do."""


def backup_models() -> list[type[models.Model]]:
    """The models a backup holds, users and groups before the history rows and log entries that name them."""
    offers = apps.get_app_config("offers")
    return serializers.sort_dependencies([
        (apps.get_app_config("auth"), [Group, User]),
        (apps.get_app_config("admin"), [LogEntry]),
        (offers, list(offers.get_models())),
    ])


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder, except that datetimes and times keep their microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def checksum(objects: list[dict]) -> str:
    """SHA-256 of the objects as canonical JSON: the same for the rows written and the rows read back."""
    canonical = json.dumps(objects, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def backup_objects() -> list[dict]:
    """Every row a backup holds, as plain JSON values (strings for dates, times and decimals)."""
    rows = [
        row
        for model in backup_models()
        for row in serializers.serialize(
            "python",
            model._base_manager.order_by("pk").iterator(),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
    ]
    return json.loads(json.dumps(rows, cls=FullPrecisionEncoder))


def write_backup(path: Path) -> int:
    """Write the backup to ``path`` (a new file, owner-only) and return the number of objects."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every table, so a change made meanwhile is in all of them or none.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        objects = backup_objects()
    counts = Counter(row["model"] for row in objects)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "database": {"vendor": connection.vendor, "name": str(connection.settings_dict["NAME"])},
        "rows": {model._meta.label_lower: counts[model._meta.label_lower] for model in backup_models()},
        "sha256": checksum(objects),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        json.dump({"manifest": manifest, "objects": objects}, stream, indent=1)
        stream.write("\n")
    return len(objects)


@dataclass(frozen=True)
class Backup:
    manifest: dict[str, Any]
    objects: list[dict]


def read_backup(path: Path) -> Backup:
    """The backup in ``path``, checked against its manifest; :class:`BackupError` if it must not be restored."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise BackupError(f"it cannot be read ({error.strerror}).") from None
    if not content.strip():
        raise BackupError(f"the file is empty: {ANOTHER_COPY}.")
    try:
        data = json.loads(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise BackupError("it is not text, so not a backup (a compressed or encrypted copy must be unpacked "
                          "first): give the JSON file written by `make backup`.") from None
    except json.JSONDecodeError as error:
        raise BackupError(f"it is not complete JSON ({error.msg} at line {error.lineno}, column {error.colno}): "
                          f"the file is damaged or was cut short; {ANOTHER_COPY}.") from None
    if isinstance(data, list):
        raise BackupError(f"it has no manifest, so nothing can show it is complete: it is a bare list of rows, as "
                          f"backups were before they carried a manifest (or it is not a backup); {TAKE_A_NEW_ONE}.")
    manifest = data.get("manifest") if isinstance(data, dict) else None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("it is not an Exchange Outcome backup (it has no backup manifest): give a file "
                          "written by `make backup` (manage.py backup_offers).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"it is backup format version {manifest.get('format_version')!r} and this version of "
                          f"Exchange Outcome reads version {FORMAT_VERSION}: restore it with the version that "
                          f"wrote it.")
    objects, rows, digest = data.get("objects"), manifest.get("rows"), manifest.get("sha256")
    if (not isinstance(objects, list) or not all(isinstance(row, dict) for row in objects)
            or not isinstance(rows, dict) or not all(type(n) is int and n >= 0 for n in rows.values())
            or not isinstance(digest, str)):
        raise BackupError(f"its manifest or its list of rows is damaged: {ANOTHER_COPY}.")
    expected = {model._meta.label_lower for model in backup_models()}
    if set(rows) != expected:
        others = ", ".join(sorted(set(rows) ^ expected))
        raise BackupError(f"it was written by another version of Exchange Outcome (its tables differ from "
                          f"this version's: {others}): restore it with the version that wrote it.")
    found = Counter(row.get("model") for row in objects)
    if found != Counter({label: n for label, n in rows.items() if n}):
        short = "; ".join(f"{label}: {found[label]} of {n}" for label, n in sorted(rows.items()) if found[label] != n)
        raise BackupError(f"it is incomplete: its manifest lists {sum(rows.values())} rows and the file holds "
                          f"{len(objects)} ({short or 'rows of tables it does not list'}); {ANOTHER_COPY}.")
    if checksum(objects) != digest:
        raise BackupError(f"it has been changed since it was written (its rows do not match the manifest's "
                          f"SHA-256 checksum): {ANOTHER_COPY}.")
    published = [row for row in objects if row["model"] == "offers.offerversion"
                 and row.get("fields", {}).get("status") == OfferVersion.Status.PUBLISHED]
    if not rows["offers.oldnotes"] or not published:
        raise BackupError("it holds no published version of the terms: restoring it would leave holders with no "
                          "offer; restore a backup of a database that has one.")
    return Backup(manifest, objects)


CHECKED_MODELS = (OldNotes, OfferVersion, TenderReport)  # history rows record what was, valid then or not


def invalid_rows(backup: Backup) -> list[str]:
    """Every rule a row of the offer breaks, as "table row N (name), field: rule"; empty when all are valid.

    The admin's own checks: each field's (``Model.full_clean``), then the model's ``clean()``,
    which for a version applies the core's terms rules, then the rules the holder pages read
    terms with (:func:`offers.adapter.stored_problems`). Run on rows not yet saved, in a
    database holding no other version (the restore has cleared the seed), so a name is
    compared with nothing but itself. Uniqueness is left to the database's constraints.
    """
    labels = {model._meta.label_lower: model for model in CHECKED_MODELS}
    rows = [row for row in backup.objects if row.get("model") in labels]
    try:
        objects = [found.object for found in serializers.deserialize("python", rows)]
    except serializers.base.DeserializationError as error:
        return [" ".join(str(error).split())]
    old_notes = {row.pk: row for row in objects if isinstance(row, OldNotes)}
    found: list[str] = []
    for row in objects:
        where = f"{row._meta.label_lower} row {row.pk} ({getattr(row, 'slug', None) or row})"
        exclude = []
        if hasattr(row, "old_notes_id"):
            exclude.append("old_notes")  # checked here against the backup's Old Notes, not the database's
            if row.old_notes_id not in old_notes:
                found.append(f"{where}, old_notes: names Old Notes row {row.old_notes_id}, which the backup "
                             f"does not hold.")
                continue
            row.old_notes = old_notes[row.old_notes_id]
        try:
            row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            found.extend(f"{where}, {field if field != '__all__' else 'terms'}: {' '.join(messages)}"
                         for field, messages in error.message_dict.items())
            continue
        except (TypeError, ValueError, ArithmeticError) as error:  # a value of the wrong type for its rule
            found.append(f"{where}: {type(error).__name__}: {error}")
            continue
        if isinstance(row, OfferVersion):
            for problem in stored_problems(row)[1]:
                path, _, message = problem.partition(": ")
                found.append(f"{where}, {TERMS_PATH_TO_FIELD.get(path, path)}: {message}")
    return found
