"""Many accounts at once: the one module behind ``/holdings``, ``POST /api/holdings`` and ``manage.py outcome
--holders``.

The arithmetic and the reading of the file are the core's (:mod:`offers.core.holdings`); here a request
becomes bytes, and a book becomes a CSV file, an Excel workbook, JSON or lines for a terminal.

Private by default: nothing here stores, logs or caches an account id or a figure. Uploads are read in
memory (the settings keep uploads up to :data:`MAX_REQUEST_BYTES` out of temporary files), the downloads
are computed again from the rows posted back, and every response carries ``Cache-Control: no-store``.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.cache import add_never_cache_headers
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from offers.core.contract import accrued_and_forgone, fine_money, money, outcome_to_contract
from offers.core.holdings import (
    MAX_ACCOUNTS,
    MAX_BYTES,
    MAX_LISTED,
    MEMO_LIMIT,
    Account,
    AccountRow,
    Book,
    Figures,
    ParsedAccounts,
    Problem,
    account_outcome,
    account_rows,
    book,
    parse_accounts,
    plan,
    too_many_bytes,
)
from offers.core.outcome import long_date
from offers.core.terms import OfferTerms
from offers.core.versions import Outcome
from offers.formatting import count, deadline, precise
from offers.formatting import money as dollars
from offers.forms import OutcomeForm

__all__ = [
    "CSV_COLUMNS",
    "MAX_REQUEST_BYTES",
    "Account",
    "Book",
    "Figures",
    "HoldingsForm",
    "ParsedAccounts",
    "Problem",
    "account_json",
    "book",
    "book_to_contract",
    "download",
    "parse_accounts",
    "parse_posted",
    "posted_data",
    "private",
    "summary_lines",
    "write_csv",
]

# A request around the file: the form's other fields, multipart boundaries, and pasted rows whose
# line ends the browser sends as CRLF. settings.DATA_UPLOAD_MAX_MEMORY_SIZE and FILE_UPLOAD_MAX_MEMORY_SIZE
# are this figure, so Django neither refuses a request the page takes nor writes an upload to disk.
MAX_REQUEST_BYTES = MAX_BYTES + 1024 * 1024
FILE_FIELD, ROWS_FIELD = "file", "rows"
ROWS_SHOWN = 200  # accounts on the page; every account is in the downloads
LIMITS = {"megabytes": MAX_BYTES // 1024 // 1024, "accounts": MAX_ACCOUNTS, "shown": ROWS_SHOWN, "listed": MAX_LISTED}

CSV_COLUMNS = (
    "account", "tendered", "version", "figures_date", "principal", "accrued_interest", "new_notes_principal",
    "forgone", "cash_in_lieu", "participation_fee", "warrant_shares", "exercise_cost", "total_interest",
    "total_cash",
)
TENDERED_WORDS = {True: "yes", False: "no", None: ""}


class HoldingsForm(OutcomeForm):
    """The consummation date, read as the holder form reads it (its default, its picker's range, its messages).
    The accounts come as a file or pasted rows: :func:`posted_data`."""

    principal = None  # each account has its own


def private(response: HttpResponse) -> HttpResponse:
    """Results are never cached, by the browser or anyone between."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store"
    return response


def request_too_large(request: HttpRequest) -> Problem | None:
    """Refuse a request by its declared length, before Django reads its body."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return too_many_bytes(length - (MAX_REQUEST_BYTES - MAX_BYTES))


def posted_data(request: HttpRequest) -> bytes | Problem:
    """The accounts as posted: the uploaded file's bytes, else the pasted rows as UTF-8 (line ends as LF).
    A request over the size limit is refused before its body is read."""
    if problem := request_too_large(request):
        return problem
    upload = request.FILES.get(FILE_FIELD)
    if upload is not None and upload.size:
        if problem := too_many_bytes(upload.size):
            return problem
        return upload.read()
    return request.POST.get(ROWS_FIELD, "").replace("\r\n", "\n").encode("utf-8")


def parse_posted(request: HttpRequest, outstanding: Decimal) -> tuple[ParsedAccounts, str]:
    """The accounts posted, and their text to post back with a download (empty when they had errors)."""
    data = posted_data(request)
    if isinstance(data, Problem):
        return ParsedAccounts(errors=(data,), error_count=1), ""
    parsed = parse_accounts(data, outstanding)
    return parsed, (data.decode("utf-8-sig") if parsed.ok else "")


def _account_cells(row: AccountRow) -> list[object]:
    """One account as the CSV writes it: money as the JSON contract writes it (strings, exact)."""
    v = row.outcome
    assert v.warrants is not None
    accrued, forgone = accrued_and_forgone(v)
    return [row.account.account, TENDERED_WORDS[row.account.tendered], v.slug, v.holding.consummation.isoformat(),
            money(row.account.principal), accrued, money(v.new_principal), forgone, money(v.cash_in_lieu),
            money(v.total_participation_fee), v.warrants.shares, money(v.warrants.exercise_cost),
            money(v.total_interest), money(v.total_cash)]


class _Line:
    """A file-like object csv.writer writes one line to, handed straight on."""

    def write(self, text: str) -> str:
        return text


def csv_lines(result: Book | Outcome, accounts: Iterable[Account]) -> Iterator[str]:
    """The header, then a line per account under the version in force, computed as it is written."""
    writer = csv.writer(_Line())
    yield writer.writerow(CSV_COLUMNS)
    for row in account_rows(result, accounts):
        yield writer.writerow(_account_cells(row))


def write_csv(versions: Iterable[OfferTerms], accounts: ParsedAccounts, consummation: date, out: Any) -> Book:
    """The header, then a line per account as the book works it out (one pass, as the workbook's): for the
    command line, which then prints the book's totals."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    return book(versions, accounts, consummation, keep=0, each=lambda row: writer.writerow(_account_cells(row)))


def _filename(result: Outcome, suffix: str) -> str:
    return f"lexington-exchange-accounts-{result.holding.consummation.isoformat()}.{suffix}"


def download(fmt: str, versions: Iterable[OfferTerms], accounts: ParsedAccounts,
             consummation: date) -> HttpResponse:
    """Every account as ``csv`` (streamed as it is worked out) or ``xlsx`` (a totals sheet and an accounts sheet,
    written in one pass over the accounts)."""
    if fmt == "xlsx":
        return xlsx_response(versions, accounts, consummation)
    answered = plan(versions, accounts, consummation)
    response = StreamingHttpResponse(csv_lines(answered, accounts), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(answered, "csv")}"'
    return private(response)  # type: ignore[return-value]


MONEY_FORMAT = '"$"#,##0.00;-"$"#,##0.00'
FINE_MONEY_FORMAT = '"$"#,##0.00########;-"$"#,##0.00########'  # accrued interest and forgone, to 10 places
COUNT_FORMAT = "#,##0"
# Each figure of a total: its label, its Figures field and its number format.
TOTAL_LINES = (
    ("Accounts", "accounts", COUNT_FORMAT),
    ("Old Notes principal", "principal", MONEY_FORMAT),
    ("Accrued interest", "accrued_interest", FINE_MONEY_FORMAT),
    ("New Notes principal", "new_principal", MONEY_FORMAT),
    ("Cash in lieu of fractions", "cash_in_lieu", MONEY_FORMAT),
    ("Forgone fractions", "forgone", FINE_MONEY_FORMAT),
    ("Warrant shares", "warrant_shares", COUNT_FORMAT),
    ("Warrant exercise cost", "exercise_cost", MONEY_FORMAT),
    ("Participation fee", "participation_fee", MONEY_FORMAT),
    ("Total interest", "total_interest", MONEY_FORMAT),
    ("Total cash", "total_cash", MONEY_FORMAT),
)
ACCOUNT_FORMATS = (None, None, MONEY_FORMAT, FINE_MONEY_FORMAT, MONEY_FORMAT, FINE_MONEY_FORMAT, MONEY_FORMAT,
                   MONEY_FORMAT, COUNT_FORMAT, MONEY_FORMAT, MONEY_FORMAT, MONEY_FORMAT)


def _number(value: Any) -> Any:
    """Decimals go in as numbers (openpyxl writes a Decimal's digits); accrued interest to 10 places at most."""
    return fine_money(value) if isinstance(value, Decimal) else value


def _totals_sheet(sheet: Any, result: Book) -> None:
    sheet.column_dimensions["A"].width = 34
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 22
    answer = result.answer
    assert answer.in_force is not None and result.totals is not None and result.aggregate is not None
    sheet.append(["Version in force", answer.in_force.name])
    sheet.append(["Consummation date asked", long_date(answer.asked or answer.holding.consummation)])
    sheet.append(["Figures for", long_date(answer.holding.consummation)])
    sheet.append(["Offer expires", deadline(answer.in_force.terms.expires_at)])
    sheet.append([])
    heading = ["Figure", "Sum of the accounts", "Aggregate position", "Lost to per-account rounding"]
    replaced = result.replaced_totals
    if replaced is not None:
        assert answer.replaced is not None
        heading += [f"Sum of the accounts, {answer.replaced.name}", "In force minus replaced"]
    sheet.append(heading)
    rounding, compared = result.rounding, result.compared
    for label, name, number_format in TOTAL_LINES:
        figures = [result.totals, result.aggregate, rounding]
        if replaced is not None:
            figures += [replaced, compared]
        cells = [label]
        for figure in figures:
            cell = WriteOnlyCell(sheet, value=_number(getattr(figure, name)))
            cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)


ACCOUNT_SHEET_COLUMNS = tuple(name for name in CSV_COLUMNS if name not in ("version", "figures_date"))


def _account_values(row: AccountRow) -> tuple[object, ...]:
    v = row.outcome
    assert v.warrants is not None
    return (row.account.account, TENDERED_WORDS[row.account.tendered], row.account.principal,
            fine_money(v.accrued_interest), v.new_principal, fine_money(v.forgone),  # type: ignore[arg-type]
            v.cash_in_lieu, v.total_participation_fee, v.warrants.shares, v.warrants.exercise_cost, v.total_interest,
            v.total_cash)


def xlsx_response(versions: Iterable[OfferTerms], accounts: ParsedAccounts, consummation: date) -> FileResponse:
    """The workbook, in write-only mode to an anonymous temporary file (gone when closed), then streamed. The version
    and the figures date are on the totals sheet (the same for every account); the accounts sheet's rows are
    written as the book is worked out, the totals sheet after it."""
    workbook = Workbook(write_only=True)
    totals_sheet = workbook.create_sheet("Totals")
    sheet = workbook.create_sheet("Accounts")
    sheet.append(list(ACCOUNT_SHEET_COLUMNS))
    # One cell object per column, its format set once; a row is written out as soon as it is appended.
    cells = [WriteOnlyCell(sheet) for _ in ACCOUNT_SHEET_COLUMNS]
    for cell, number_format in zip(cells, ACCOUNT_FORMATS, strict=True):
        if number_format:
            cell.number_format = number_format

    def write(row: AccountRow) -> None:
        for cell, value in zip(cells, _account_values(row), strict=True):
            cell.value = value
        sheet.append(cells)

    result = book(versions, accounts, consummation, keep=0, each=write)
    _totals_sheet(totals_sheet, result)
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=_filename(result.answer, "xlsx"),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return private(response)  # type: ignore[return-value]


def figures_to_contract(figures: Figures) -> dict[str, Any]:
    """Totals as machines read them: money strings with 2 decimals, accrued interest and forgone exact to 10."""
    return {
        "accounts": figures.accounts, "principal": money(figures.principal),
        "accrued_interest": format(fine_money(figures.accrued_interest), "f"),
        "new_notes_principal": money(figures.new_principal), "cash_in_lieu": money(figures.cash_in_lieu),
        "forgone": format(fine_money(figures.forgone), "f"), "warrant_shares": figures.warrant_shares,
        "exercise_cost": money(figures.exercise_cost), "participation_fee": money(figures.participation_fee),
        "interest": money(figures.total_interest), "cash": money(figures.total_cash),
    }


def book_to_contract(result: Book) -> dict[str, Any]:
    """The totals of a book for the API: the version in force and its dates, the sum of the accounts, the aggregate
    position, what rounding lost, and the same under the replaced version (null when it does not apply)."""
    answer = result.answer

    def maybe(figures: Figures | None) -> dict[str, Any] | None:
        return None if figures is None else figures_to_contract(figures)

    return {
        "consummation": (answer.asked or answer.holding.consummation).isoformat(),
        "figures_date": answer.holding.consummation.isoformat(),
        "in_force": answer.in_force.slug if answer.in_force else None,
        "earliest_consummation": None if answer.earliest_consummation is None
        else answer.earliest_consummation.isoformat(),
        "unavailable_reason": answer.in_force.unavailable_reason if answer.in_force else None,
        "totals": maybe(result.totals),
        "aggregate": maybe(result.aggregate),
        "rounding": maybe(result.rounding),
        "replaced": None if answer.replaced is None else {
            "slug": answer.replaced.slug, "totals": maybe(result.replaced_totals),
            "aggregate": maybe(result.replaced_aggregate)},
    }


def account_json(versions: Iterable[OfferTerms], accounts: Iterable[Account], consummation: date,
                 encode: Callable[[object], str]) -> Iterator[str]:
    """Per account, its JSON object as text: ``{"account": ..., "tendered": ...,`` then the members of the JSON
    contract (2.1) a single holder of that principal gets. Each distinct principal's contract is worked out and
    encoded once (the first :data:`MEMO_LIMIT` of them, about 7 KB each): a book of equal positions costs one
    encoding, not one per account."""
    versions = tuple(versions)
    memo: dict[Decimal, str] = {}
    for account in accounts:
        members = memo.get(account.principal)
        if members is None:
            contract = outcome_to_contract(account_outcome(versions, account, consummation))
            assert contract and not contract.keys() & {"account", "tendered"}
            members = encode(contract)[1:]  # after its opening brace: '"inputs": {...}, ..., "versions": [...]}'
            if len(memo) < MEMO_LIMIT:
                memo[account.principal] = members
        yield f'{{"account": {encode(account.account)}, "tendered": {encode(account.tendered)}, {members}'


DOWNLOAD_FORMATS = (("csv", "Download CSV"), ("xlsx", "Download Excel workbook"))
# The per-account table's columns on the page: heading, and whether it sorts as a number.
ACCOUNT_HEADINGS = (("Account", False), ("Tendered", False), ("Old Notes principal", True), ("Accrued interest", True),
                    ("New Notes principal", True), ("Cash in lieu or forgone", True), ("Warrant shares", True),
                    ("Participation fee", True), ("Total interest", True), ("Total cash", True))


class Line(NamedTuple):
    """A line of a table of totals, for people: the label and its figures as text."""

    label: str
    values: tuple[str, ...]


def _writer(number_format: str) -> Any:
    return count if number_format == COUNT_FORMAT else (precise if number_format == FINE_MONEY_FORMAT else dollars)


def _lines(*columns: Figures) -> list[Line]:
    return [Line(label, tuple(_writer(number_format)(getattr(figures, name)) for figures in columns))
            for label, name, number_format in TOTAL_LINES if name != "accounts"]


def page_context(result: Book) -> dict[str, Any]:
    """What the page shows of a book beyond its figures: the tables of totals as text, the allocation check in
    words, the download buttons and the per-account headings."""
    context: dict[str, Any] = {"download_formats": DOWNLOAD_FORMATS, "account_headings": ACCOUNT_HEADINGS,
                               "rounding_words": rounding_words(result)}
    if result.totals is not None and result.aggregate is not None and result.rounding is not None:
        context["aggregate_lines"] = _lines(result.totals, result.aggregate, result.rounding)
    if result.totals is not None and result.replaced_totals is not None and result.compared is not None:
        context["compared_lines"] = _lines(result.totals, result.replaced_totals, result.compared)
    return context


def rounding_words(result: Book) -> str:
    """The allocation check in words: what rounding account by account loses, then the two sides of it.

    "Rounding account by account loses $1.00 of New Notes principal and no warrant shares, and $1.69 of cash to
    maturity. As one position, the $1,000.00 of Old Notes would get $1,534.00 of New Notes and 15 warrant shares;
    the 3 accounts get $1,533.00 and 15 warrant shares."
    """
    rounding, totals, aggregate = result.rounding, result.totals, result.aggregate
    if rounding is None or totals is None or aggregate is None:
        return ""
    notes = f"{dollars(rounding.new_principal)} of New Notes principal" if rounding.new_principal else (
        "no New Notes principal")
    shares = count(rounding.warrant_shares, "warrant share") if rounding.warrant_shares else "no warrant shares"
    cash = f", and {dollars(rounding.total_cash)} of cash to maturity" if rounding.total_cash else ""
    return (f"Rounding account by account loses {notes} and {shares}{cash}. As one position, the "
            f"{dollars(aggregate.principal)} of Old Notes would get {dollars(aggregate.new_principal)} of New Notes "
            f"and {count(aggregate.warrant_shares, 'warrant share')}; the {count(totals.accounts, 'account')} get "
            f"{dollars(totals.new_principal)} and {count(totals.warrant_shares, 'warrant share')}.")


def summary_lines(result: Book) -> list[str]:
    """The totals and the allocation check as lines for a terminal (the command's standard error)."""
    answer = result.answer
    if answer.in_force is None:
        return ["No version of the offer is in force on that date."]
    if result.totals is None:
        return [f"{answer.in_force.name} does not apply: {answer.in_force.unavailable_reason}"]
    lines = [f"Version in force: {answer.in_force.name}; figures for {answer.holding.consummation.isoformat()}; "
             f"the offer expires at {deadline(answer.in_force.terms.expires_at)}."]
    width = max(len(label) for label, _, _ in TOTAL_LINES)
    lines.append(f"{'Totals'.ljust(width)}  {'accounts':>20}  {'aggregate':>20}  {'rounding':>16}")
    assert result.aggregate is not None and result.rounding is not None
    for label, name, number_format in TOTAL_LINES:
        write = _writer(number_format)
        lines.append(f"{label.ljust(width)}  {write(getattr(result.totals, name)):>20}  "
                     f"{write(getattr(result.aggregate, name)):>20}  {write(getattr(result.rounding, name)):>16}")
    lines.append(rounding_words(result))
    return lines
