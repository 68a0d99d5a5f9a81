"""``manage.py export_terms [SLUG...]``: write versions from the database as terms files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from offers.adapter import terms_from_version
from offers.core.termsfile import dump_terms
from offers.management.base import OneLineErrorCommand, bad_input
from offers.models import ANNOUNCEMENT_ORDER, OfferVersion


class Command(OneLineErrorCommand):
    help = (
        "Write versions of the terms (every version, whatever its status, when no SLUG is given) as terms files "
        "named <slug>.json in --output-dir; one SLUG without --output-dir prints that file. "
        "An unknown slug exits with status 2."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="Versions to export, such as september-2003.")
        parser.add_argument("--output-dir", metavar="DIR", help="Directory for the files (created if missing).")

    def handle(self, *args: Any, **options: Any) -> None:
        slugs: list[str] = options["slugs"]
        rows = OfferVersion.objects.select_related("old_notes").order_by(*ANNOUNCEMENT_ORDER)
        if slugs:
            found = {row.slug: row for row in rows.filter(slug__in=slugs)}
            unknown = [slug for slug in slugs if slug not in found]
            if unknown:
                known = ", ".join(rows.values_list("slug", flat=True)) or "none yet"
                raise bad_input(f"slug: there is no version {', '.join(unknown)}; the versions are: {known}.")
            versions = [found[slug] for slug in dict.fromkeys(slugs)]
        else:
            versions = list(rows)
        if options["output_dir"] is None:
            if len(versions) != 1 or not slugs:
                raise bad_input("output-dir: give --output-dir DIR to export several versions, or one SLUG to "
                                "print its terms file.")
            self.stdout.write(dump_terms(terms_from_version(versions[0])), ending="")
            return
        directory = Path(options["output_dir"])
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for row in versions:
                path = directory / f"{row.slug}.json"
                path.write_text(dump_terms(terms_from_version(row)), encoding="utf-8")
                self.stdout.write(f"{row.slug}: {path}")
        except OSError as error:
            raise bad_input(f"output-dir: cannot write to {directory}: {error.strerror or error}.") from None
