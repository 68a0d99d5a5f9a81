"""``manage.py import_terms FILE...``: load terms files into the database, all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from offers.adapter import TERMS_PATH_TO_FIELD, OldNotesMismatch, save_terms
from offers.core.termsfile import TermsFileError, load_terms_file
from offers.holder_effect import compare, state_now
from offers.management.base import BAD_INPUT, OneLineErrorCommand, bad_input, terms_file_error
from offers.models import OfferVersion

# Model field -> the terms file's dotted path, so a problem found on saving names the field in the file.
FIELD_TO_PATH = {field: path for path, field in TERMS_PATH_TO_FIELD.items()}


class Command(OneLineErrorCommand):
    help = (
        "Load terms files (one version each) into the database in one transaction: a version whose slug is new "
        "becomes a draft, an existing one is updated and keeps its status; --publish publishes them all. "
        "If any file is bad nothing is saved, and the command exits with status 2 naming the file and field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="Terms files (JSON), such as original.json.")
        parser.add_argument("--publish", action="store_true", help="Publish every imported version.")

    def handle(self, *args: Any, **options: Any) -> None:
        loaded, problems, seen = [], [], {}
        for path in options["files"]:
            try:
                terms = load_terms_file(path)
            except TermsFileError as error:
                problems.append(str(terms_file_error(path, error)))
                continue
            if terms.slug in seen:
                problems.append(f"terms: {path}: slug: {terms.slug} is also the slug in {seen[terms.slug]}; "
                                f"each file must describe a different version.")
            seen[terms.slug] = path
            loaded.append((path, terms))
        if problems:
            raise CommandError("\n".join(problems), returncode=BAD_INPUT)

        done = []
        before = state_now()
        with transaction.atomic():
            for path, terms in loaded:
                existing = OfferVersion.objects.filter(slug=terms.slug).values_list("status", flat=True).first()
                status = OfferVersion.Status.PUBLISHED if options["publish"] else existing or OfferVersion.Status.DRAFT
                try:
                    save_terms(terms, status=status)
                except OldNotesMismatch as error:
                    raise bad_input(f"terms: {path}: {error}") from None
                except ValidationError as error:
                    raise bad_input(f"terms: {path}: {_saving_problems(error)}") from None
                done.append(f"{terms.slug}: {'updated' if existing else 'created'} as {status} from {path}")
            # What holders see change, worked out as the admin's confirmation page does it.
            effect = compare(before, state_now())
        # Only once everything is saved: a later bad file would have undone the earlier ones.
        self.stdout.write("\n".join([*done, "What holders see:", *(f"- {line}" for line in effect.lines())]))


def _saving_problems(error: ValidationError) -> str:
    by_field = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return "; ".join(
        f"{FIELD_TO_PATH.get(field, field if field != '__all__' else 'file')}: {' '.join(messages)}"
        for field, messages in by_field.items()
    )
