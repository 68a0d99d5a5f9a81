"""What the offer's management commands share: one-line errors and terms-file messages.

Django prints a ``CommandError`` as ``CommandError: <message>`` and an argparse
error as the usage text plus the message. A person (or a script) reading the
output of these commands gets one line naming the field instead, such as
``principal: must be more than $0, such as 1000, 25,000 or $100,000.``, and the
exit status of the error (2 for bad input).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from offers.core.inputs import InputError
from offers.core.terms import OfferTerms
from offers.core.termsfile import TermsFileError, load_terms_file

BAD_INPUT = 2


def bad_input(message: str) -> CommandError:
    """The error for anything the user gave wrong: exit status 2, ``message`` as the whole output."""
    return CommandError(" ".join(message.split()), returncode=BAD_INPUT)


def input_error(error: InputError) -> CommandError:
    return bad_input(f"{error.field}: {error.message}")


def terms_file_error(path: str | Path, error: TermsFileError) -> CommandError:
    """``terms: <file>: <field>: <message>``, every bad field of the file on the one line."""
    problems = []
    for field, messages in error.errors.items():
        text = " ".join(messages).rstrip(".")
        if field == "file":  # the reader's own message already names the file
            problems.append(text.removeprefix(f"{path}: "))
        else:
            problems.append(f"{field}: {text}")
    return bad_input(f"terms: {path}: " + "; ".join(problems) + ".")


def load_terms_files(paths: list[str]) -> list[OfferTerms]:
    """Every file read with the core's reader (which validates), in the order given."""
    loaded = []
    for path in paths:
        try:
            loaded.append(load_terms_file(path))
        except TermsFileError as error:
            raise terms_file_error(path, error) from None
    return loaded


class OneLineErrorCommand(BaseCommand):
    """A command whose errors, argument errors included, are one line on stderr without a traceback.

    From :func:`~django.core.management.call_command` errors are raised as
    ``CommandError`` (argument errors too), so tests can inspect them.
    """

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> NoReturn:
            # Instead of argparse's usage text and exit: a CommandError, exit status 2 like any bad input.
            raise CommandError(message, returncode=BAD_INPUT)

        parser.error = error
        return parser

    def run_from_argv(self, argv: list[str]) -> None:
        try:
            super().run_from_argv(argv)
        except BrokenPipeError:
            # The reader went away (``| head``): stop quietly, as other command-line tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except CommandError as error:
            # Django parses the arguments outside its own error handling; only their errors arrive here.
            if "--traceback" in argv:
                raise
            self._exit(f"{error} (see manage.py {argv[1]} --help)", error.returncode)

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self._exit(str(error), error.returncode)

    def _exit(self, message: str, status: int) -> NoReturn:
        self.stderr.write(message)
        self.stderr.flush()
        sys.exit(status)
