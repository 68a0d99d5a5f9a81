"""``manage.py outcome``: what each version of the offer gives a holding, in a terminal or a file.

One holding (``--principal``) as a side-by-side table, the JSON contract or the
dated cash flows as CSV; or a whole book of accounts (``--holders``) as one CSV
row per account, read and worked out as ``/holdings`` does (:mod:`offers.holdings`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandError, CommandParser

from offers import holdings, services
from offers.adapter import published_terms
from offers.core.contract import cash_flow_rows, outcome_to_contract
from offers.core.inputs import InputError, check_consummation, parse_date_text, parse_principal
from offers.core.outcome import Holding, VersionOutcome, long_date
from offers.core.terms import OfferTerms
from offers.core.versions import Outcome, outcome
from offers.formatting import change, change_text, money, show
from offers.management.base import OneLineErrorCommand, bad_input, input_error, load_terms_files

FORMATS = ("table", "json", "csv")
FILE_WITH_ERRORS = 1


class Command(OneLineErrorCommand):
    help = (
        "What each version of the exchange offer gives a holder of the Old Notes. "
        "Versions are the published ones in the database, or those in --terms files. "
        "Bad input exits with status 2 and one line on stderr naming the field. "
        "With --holders (a CSV file of account,principal[,tendered] lines, as /holdings reads it) writes one CSV "
        "row per account under the version in force, and the totals and the allocation check on stderr; a file "
        "with problems gets every one of them on stderr by line number, nothing is written, and the exit "
        "status is 1."
    )
    # A read-only report: skipping the system checks keeps a bulk run's start-up short.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--principal", help="Old Notes principal in whole dollars, such as 1000 or 25,000.")
        parser.add_argument("--consummation", required=True, help="Consummation date, YYYY-MM-DD.")
        parser.add_argument(
            "--terms", action="append", metavar="FILE",
            help="A terms file to use instead of the published versions (repeat for several, in column order).",
        )
        parser.add_argument("--format", choices=FORMATS, help="table (the default), json or csv.")
        parser.add_argument(
            "--holders", metavar="FILE.csv",
            help="Bulk mode: a CSV file of account,principal[,tendered] lines (header optional; tabs or semicolons "
                 "between the columns are read too); replaces --principal.",
        )
        parser.add_argument("--output", metavar="FILE", help="Write to this file instead of stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        versions = load_terms_files(options["terms"]) if options["terms"] else published_terms()
        if not versions:
            raise bad_input("versions: no version of the offer terms is published; publish one or pass --terms FILE.")
        outstanding = max(terms.old_notes.outstanding for terms in versions)
        if options["holders"]:
            if options["principal"] is not None:
                raise bad_input("principal: not allowed with --holders, where each line gives its own principal.")
            if options["format"] not in (None, "csv"):
                raise bad_input("format: --holders writes CSV only; leave out --format or use --format csv.")
            consummation = _consummation(options["consummation"], versions)
            with _destination(options["output"], self.stdout) as out:
                self._bulk(options["holders"], versions, outstanding, consummation, out)
            return
        try:
            principal = parse_principal(options["principal"], outstanding)
        except InputError as error:
            raise input_error(error) from None
        result = outcome(versions, Holding(principal, _consummation(options["consummation"], versions)))
        with _destination(options["output"], self.stdout) as out:
            fmt = options["format"] or "table"
            if fmt == "json":
                out.write(json.dumps(outcome_to_contract(result), indent=2) + "\n")
            elif fmt == "csv":
                _write_cash_flows(result, out)
            else:
                out.write(table(result))

    def _bulk(self, path: str, versions: list[OfferTerms], outstanding: Decimal, consummation: date,
              out: IO[str]) -> None:
        """Read the file as /holdings does (no size limit), write a CSV row per account, the totals on stderr."""
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise bad_input(f"holders: cannot read {path}: {error.strerror or error}.") from None
        parsed = holdings.parse_accounts(data, outstanding, limits=False)
        if not parsed.ok:
            for problem in parsed.errors:
                self.stderr.write(str(problem))
            if parsed.unlisted:
                self.stderr.write(f"and {parsed.unlisted:,} more not listed")
            raise CommandError(f"holders: {path}: {parsed.error_count:,} problems (listed above); nothing was "
                               f"written.", returncode=FILE_WITH_ERRORS)
        result = holdings.write_csv(versions, parsed, consummation, out)
        for line in holdings.summary_lines(result):
            self.stderr.write(line)


def _consummation(text: str, versions: list[OfferTerms]) -> date:
    try:
        return check_consummation(parse_date_text(text, iso_only=True), versions)
    except InputError as error:
        raise input_error(error) from None


@contextmanager
def _destination(path: str | None, stdout: Any) -> Iterator[Any]:
    if path is None:
        yield stdout
        return
    try:
        handle = open(path, "w", encoding="utf-8", newline="")
    except OSError as error:
        raise bad_input(f"output: cannot write {path}: {error.strerror or error}.") from None
    with handle:
        yield handle


def _write_cash_flows(result: Outcome, out: IO[str]) -> None:
    csv.writer(out, lineterminator="\n").writerows(cash_flow_rows(result))


def table(result: Outcome) -> str:
    """The side-by-side comparison as text: the lines, the differences, the coupon schedule, the notes."""
    compared = services.comparison(result)
    versions = result.versions
    holding = result.holding
    notes = [v for v in versions if not v.available]
    old_notes = versions[0].terms.old_notes.name
    heading = [f"Exchange outcome for {money(holding.principal)} of {old_notes} tendered, consummation on "
               f"{long_date(holding.consummation)}", ""]
    width = max(len(v.slug) for v in versions)
    heading += [f"  {v.slug.ljust(width)}  {v.name}{_standing(result, v)}" for v in versions]

    diff_header = []
    if compared.compared:
        before, after = compared.compared
        diff_header = [f"{after.slug} minus {before.slug}"]
    rows: list[list[str]] = [["Version", *(v.slug for v in versions), *diff_header]]
    applies = [f"no, see note {notes.index(v) + 1}" if not v.available else "yes" for v in versions]
    rows.append([f"Applies on {long_date(holding.consummation)}", *applies, *([""] if diff_header else [])])
    for row in compared.rows:
        cells = [show(cell.value, row.line.kind) if cell.applies else "n/a" for cell in row.cells]
        difference = [change(row.difference) if row.difference else ""] if diff_header else []
        rows.append([row.line.label, *cells, *difference])

    schedule: list[list[str]] = [["Coupon schedule", *(v.slug for v in versions)]]
    for coupon_row in services.coupon_rows(result):
        cells = [" + ".join(money(w.coupon.amount) for w in cell.workings) for cell in coupon_row.cells]
        schedule.append([long_date(coupon_row.paid_on), *cells])
    schedule.append(["Total interest",
                     *(money(v.total_interest) if v.available else "n/a" for v in versions)])

    parts = ["\n".join(heading), _in_force(result), _columns(rows), _columns(schedule)]
    if notes:
        parts.append("\n".join(f"Note {i}: {v.slug} does not apply. {v.unavailable_reason}"
                               for i, v in enumerate(notes, 1)))
    return "\n\n".join(parts) + "\n"


def _standing(result: Outcome, version: VersionOutcome) -> str:
    """Where a version stands on the consummation date: in force, replaced, or not yet announced."""
    if version is result.in_force:
        return " (in force)"
    later = result.replaced_by(version)
    if later is not None:
        announced = f", announced {long_date(later.terms.announced)}" if later.terms.announced else ""
        return f" (replaced by {later.slug}{announced}; for comparison only)"
    return f" (not yet announced on {long_date(result.holding.consummation)}; for comparison only)"


def _in_force(result: Outcome) -> str:
    """Which version is in force, whether it applies, what it changed and the break-even rate (rules 11-13)."""
    on = long_date(result.holding.consummation)
    current = result.in_force
    if current is None:
        return f"No version of the offer is in force on {on}."
    lines = [f"In force on {on}: {current.slug} ({current.name})."]
    if not current.available:
        lines.append(f"It does not apply on that date: {current.unavailable_reason}")
    replaced = result.replaced
    if replaced is not None:
        changes = result.link(current).changes
        lines.append(f"What {current.slug} changed from {replaced.slug}:")
        lines += [f"  {i}. {change_text(c)}" for i, c in enumerate(changes, 1)] or ["  nothing"]
        rate = result.break_even_discount_rate
        lines.append(
            f"Break-even discount rate: {rate}% a year (compounded quarterly): {current.slug} is worth more "
            f"{'only below' if result.better_below_break_even is current else 'only above'} it."
            if rate is not None else
            f"Break-even discount rate: none between 0% and 100% a year ({current.slug} against {replaced.slug}).")
    return "\n".join(lines)


def _columns(rows: list[list[str]]) -> str:
    """Rows as aligned text: the first column left-aligned, the figures right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:],
                                                                                       strict=True)]
        lines.append("   ".join(cells).rstrip())
    return "\n".join(lines)
