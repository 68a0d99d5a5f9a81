"""Many accounts at once (a custodian's book): reading the accounts file and adding up the outcomes.

Pure: no Django. The page, the API and ``manage.py outcome --holders`` read a file with
:func:`parse_accounts` and compute with :func:`book` / :func:`account_rows`; the Django shell
(:mod:`offers.holdings`) only moves bytes in and figures out.

A file is lines of ``account,principal`` with an optional third column ``tendered``
(yes/no, blank for not said); a first line naming the columns (``account,principal``)
is optional and may put them in any order. Principals are dollars with optional cents,
``$`` and thousands separators (``$1,000``, ``333.33``): an account's share of a position
need not be whole dollars.

Every account gets the holder answer of rule 11: the version in force on the consummation
date, its figures on the version's figures date when that date is before its expiry. The
*aggregate* is the same answer for the summed principal: the difference between it and the
sum of the accounts is what per-account rounding costs (New Notes rounded down to the
increment, warrants to whole shares).

Worked example (September 2003 terms, Oct 10, 2003; 1509 days of accrual at 12.75%, 30/360):
three accounts of $333.33, $333.33 and $333.34 get New Notes of $511 each (the rest of
$511.47... and $511.49... forgone) and 5 warrant shares each (10 per $1,000 of New Notes);
$1,000 held as one position gets $1,534 and 15 shares. Per-account rounding loses $1 of New
Notes and no warrant share (tests/core/test_holdings.py works the arithmetic by hand).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from .inputs import InputError, parse_principal
from .outcome import Holding, VersionOutcome, version_outcome
from .terms import OfferTerms
from .versions import Outcome, answer

MAX_BYTES = 10 * 1024 * 1024  # a file or pasted rows, as UTF-8
MAX_ACCOUNTS = 100_000
MAX_LISTED = 50  # problems listed; the rest are counted
MAX_ACCOUNT_LENGTH = 100
# A cell starting with one of these is run as a formula by spreadsheets (OWASP "CSV injection"):
# such an account id is refused, so no id is ever written in a form a spreadsheet executes. (A leading tab
# or carriage return, OWASP's other two, cannot survive: ids are stripped of surrounding white space.)
FORMULA_STARTS = ("=", "+", "-", "@")
COLUMNS = ("account", "principal", "tendered")
TENDERED = {"yes": True, "y": True, "true": True, "1": True, "tendered": True,
            "no": False, "n": False, "false": False, "0": False, "not tendered": False, "": None}
# Magic numbers of what people upload instead of CSV.
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx, .ods, .numbers: zip archives
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003)
# A book of many equal positions is worked out once per amount: the outcomes of the first MEMO_LIMIT distinct
# principals are kept (about 7 KB each, both versions), the reading of the first 4,096 distinct principal texts.
# Bounded, so memory does not grow with a file of ever new amounts.
MEMO_LIMIT = 512
TEXT_MEMO_LIMIT = 4096


class Account(NamedTuple):
    """One line of the file: its line number, the account id, the Old Notes principal, tendered (None: not said)."""

    line: int
    account: str
    principal: Decimal
    tendered: bool | None


class Problem(NamedTuple):
    """What is wrong with one line (``line`` None: with the file as a whole), naming the field."""

    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line:,}, " if self.line is not None else ""
        return f"{where}{self.field}: {self.message}"


@dataclass(frozen=True)
class ParsedAccounts:
    """A checked file: how many accounts and their summed principal, or what is wrong with it (``errors`` lists at
    most :data:`MAX_LISTED` problems, ``error_count`` counts them all). Nothing is computed from a file with errors.

    The accounts themselves are not kept: iterating reads them again from the file's bytes, in file order, so
    a book of 100,000 accounts holds its bytes and one account at a time (memory grows with neither the
    accounts nor their results)."""

    errors: tuple[Problem, ...] = ()
    error_count: int = 0
    count: int = 0
    principal: Decimal = Decimal(0)
    read: Callable[[], Iterator[Account]] | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def unlisted(self) -> int:
        """Problems beyond the :data:`MAX_LISTED` listed."""
        return self.error_count - len(self.errors)

    def __iter__(self) -> Iterator[Account]:
        """The accounts, read again from the file (none when it had errors)."""
        return self.read() if self.read is not None and self.ok else iter(())

    @property
    def accounts(self) -> tuple[Account, ...]:
        """Every account at once: for a few accounts (and tests); the page, the API and the command iterate."""
        return tuple(self)


def _refused(field_name: str, message: str) -> ParsedAccounts:
    return ParsedAccounts(errors=(Problem(None, field_name, message),), error_count=1)


def too_many_bytes(size: int) -> Problem | None:
    """The size limit, checked before anything is read (the shell checks a request's length with it too)."""
    if size > MAX_BYTES:
        return Problem(None, "file", f"is {size / 1024 / 1024:,.1f} MB; this page takes up to "
                                     f"{MAX_BYTES // 1024 // 1024} MB and {MAX_ACCOUNTS:,} accounts. For a larger "
                                     f"book use the command line: manage.py outcome --holders FILE.csv.")
    return None


def _delimiter(first_line: str) -> str:
    """What separates the columns, as the first non-blank line shows it: commas; tabs when the rows were copied
    from a spreadsheet and pasted; semicolons when a spreadsheet saved the CSV where a comma is the decimal
    separator (then a line has no comma). Amounts written the European way (``1.000,50``) are refused line by
    line, never misread: a principal takes a comma only between groups of three digits.

    >>> _delimiter("A-17\\t25000"), _delimiter("account;principal"), _delimiter('A-17,"$25,000"')
    ('\\t', ';', ',')
    """
    if "\t" in first_line:
        return "\t"
    if ";" in first_line and "," not in first_line:
        return ";"
    return ","


def _looks_like_header(line: str, delimiter: str) -> bool:
    names = {cell.strip().strip('"').strip().lower() for cell in line.split(delimiter)}
    return bool(names & set(COLUMNS))


# A line (between CR, LF or CRLF, as bytes.splitlines() splits) with something other than white space on it.
_NONBLANK_LINE = re.compile(rb"[^\r\n]*\S[^\r\n]*")


def _first_line(data: bytes) -> str:
    """The first non-blank line, decoded ("" when there is none): it names the columns or not, and shows what
    separates them."""
    found = _NONBLANK_LINE.search(data)
    return "" if found is None else found.group().decode("utf-8-sig")


def _not_utf8_at(data: bytes, chunk: int = 64 * 1024) -> int | None:
    """Where the first byte that is not UTF-8 is, or None: decoded a piece at a time, nothing kept."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    for start in range(0, len(data), chunk):
        try:
            decoder.decode(view[start:start + chunk], final=start + chunk >= len(data))
        except UnicodeDecodeError as error:
            # The decoder holds back an incomplete character at a piece's end: the error may start before it.
            return start + error.start - len(error.object) + len(view[start:start + chunk])
    return None


def refuse_before_parsing(data: bytes, *, limits: bool = True) -> Problem | None:
    """The file as a whole, before any line is parsed: size, kind (Excel, binary), encoding, emptiness and the
    number of accounts (one non-blank line each, the first not counted when it names the columns). Without
    ``limits`` (the command line) any size and number of accounts is read.

    >>> str(refuse_before_parsing(b""))
    'file: is empty; it needs a line per account, such as A-17,1000.'
    """
    if limits and (problem := too_many_bytes(len(data))):
        return problem
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        return Problem(None, "file", "is an Excel workbook (or another spreadsheet file), not CSV; in the "
                                     "spreadsheet choose File > Save As > CSV UTF-8 (.csv) and upload that.")
    if b"\x00" in data:
        return Problem(None, "file", "contains NUL bytes, so it is not a CSV text file (UTF-16 text or a binary "
                                     "file?); save it as CSV UTF-8 (.csv).")
    if (bad := _not_utf8_at(data)) is not None:
        line = data.count(b"\n", 0, bad) + 1
        return Problem(line, "file", "is not UTF-8 text (perhaps Windows-1252 or Latin-1); save it as CSV UTF-8 "
                                     "(.csv) and upload it again.")
    first_line = _first_line(data)
    named = _looks_like_header(first_line, _delimiter(first_line))
    accounts = sum(1 for _ in _NONBLANK_LINE.finditer(data)) - (1 if named else 0)  # counting keeps no line
    if not accounts:
        return Problem(None, "file", "is empty; it needs a line per account, such as A-17,1000.")
    if limits and accounts > MAX_ACCOUNTS:
        return Problem(None, "file", f"has {accounts:,} accounts; this page takes up to {MAX_ACCOUNTS:,} (and "
                                     f"{MAX_BYTES // 1024 // 1024} MB). For a larger book use the command line: "
                                     f"manage.py outcome --holders FILE.csv.")
    return None


def parse_accounts(data: bytes | str, outstanding: Decimal, *, limits: bool = True) -> ParsedAccounts:
    """The accounts in a CSV file (bytes as uploaded, or text as pasted), checked, or every problem with it.

    Each principal is at most ``outstanding``, and so is their sum; account ids are unique, not blank,
    at most :data:`MAX_ACCOUNT_LENGTH` characters, and never start like a spreadsheet formula. ``limits``: the
    page's :data:`MAX_BYTES` and :data:`MAX_ACCOUNTS`, checked before any line is parsed.

    >>> parsed = parse_accounts("account,principal\\nA-1,$333.33\\nA-2,\\"1,000\\"\\n", Decimal(27412000))
    >>> [(a.line, a.account, a.principal) for a in parsed], parsed.count, parsed.principal
    ([(2, 'A-1', Decimal('333.33')), (3, 'A-2', Decimal('1000'))], 2, Decimal('1333.33'))
    >>> [str(p) for p in parse_accounts("A-1,lots\\n=HYPERLINK(1),10\\n", Decimal(27412000)).errors]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['line 1, principal: enter a dollar amount using digits only ("$" and commas allowed), such as 1000,
      25,000 or $333.33.',
     'line 2, account: starts with "=", which a spreadsheet would run as a formula; give the account id
      without it, such as A-17.']
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if problem := refuse_before_parsing(raw, limits=limits):
        return ParsedAccounts(errors=(problem,), error_count=1)
    fail = _Problems()
    layout = _layout(raw, fail)
    if isinstance(layout, ParsedAccounts):
        return layout

    def read() -> Iterator[Account]:
        again = _layout(raw, _Problems())  # the checked file: the same layout, no problem
        assert not isinstance(again, ParsedAccounts)
        return _each(*again, outstanding, _Problems(), None)

    return _checked(_each(*layout, outstanding, fail, {}), fail, outstanding, read)


_POSITIONS = {name: i for i, name in enumerate(COLUMNS)}


def _layout(raw: bytes, fail: _Problems) -> tuple[Iterator[tuple[int, Sequence[str]]], dict[str, int], int, str] | (
        ParsedAccounts):
    """The numbered rows of a file (UTF-8, checked), decoded and read a line at a time, where its columns are
    (as a first line names them, else account, principal, tendered) and what separates them. A refusal when the
    first line names the columns but not the two needed."""
    delimiter = _delimiter(_first_line(raw))
    rows = _numbered(csv.reader(io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig", newline=""),
                                delimiter=delimiter), fail)
    first = next(rows, None)
    if first is not None and _looks_like_header(delimiter.join(first[1]), delimiter):
        names = [cell.strip().lower() for cell in first[1]]
        missing = [name for name in COLUMNS[:2] if name not in names]
        if missing:
            return _refused("file", f"the first line names the columns but not {' and '.join(missing)}; "
                                    f"write it as account,principal (optionally ,tendered).")
        return rows, {name: names.index(name) for name in COLUMNS if name in names}, len(names), delimiter
    if first is not None and _other_column_names(first[1]):
        shown = delimiter.join(cell.strip() for cell in first[1])
        fail(first[0], "file", f"looks like names of columns ({shown[:60]}); name them account, principal and (if "
                               f"known) tendered, or delete the line.")
        return rows, _POSITIONS, len(COLUMNS), delimiter  # the other lines are still checked
    return (rows if first is None else _chain(first, rows)), _POSITIONS, len(COLUMNS), delimiter


def _other_column_names(cells: Sequence[str]) -> bool:
    """A first line of words where an account and its principal should be (``Account ID,Face Amount``): column
    names other than ours, not an account."""
    return len(cells) >= 2 and all(cell.strip() and not any(c.isdigit() for c in cell) for cell in cells[:2])


class _Problems:
    """Every problem counted, the first :data:`MAX_LISTED` kept."""

    def __init__(self) -> None:
        self.listed: list[Problem] = []
        self.count = 0

    def __call__(self, line: int | None, field_name: str, message: str) -> None:
        self.count += 1
        if len(self.listed) < MAX_LISTED:
            self.listed.append(Problem(line, field_name, message))


def _checked(accounts: Iterator[Account], fail: _Problems, outstanding: Decimal,
             read: Callable[[], Iterator[Account]]) -> ParsedAccounts:
    """Read every account once, counting and adding up, and keep none: the file, or every problem with it."""
    count, total = 0, Decimal(0)
    for account in accounts:
        count += 1
        total += account.principal
    if fail.count == 0 and not count:
        return _refused("file", "is empty; it needs a line per account, such as A-17,1000.")
    if fail.count == 0 and total > outstanding:
        fail(None, "principal", f"the accounts add up to ${total:,}, more than the ${outstanding:,} of Old Notes "
                                f"outstanding; check for an account listed twice under different ids.")
    if fail.count:
        return ParsedAccounts(errors=tuple(fail.listed), error_count=fail.count)
    return ParsedAccounts(count=count, principal=total, read=read)


def _each(rows: Iterator[tuple[int, Sequence[str]]], at: dict[str, int], width: int, delimiter: str,
          outstanding: Decimal, fail: _Problems, seen: dict[str, int] | None) -> Iterator[Account]:
    """The accounts of the rows that are right, one at a time; each problem to ``fail``. ``seen`` maps the ids read
    so far to their line, to find duplicates (None: the file was checked already)."""
    # Too many fields: with commas, an amount's thousands separator split it; otherwise a column too many.
    split = delimiter == ","
    too_wide = _SPLIT_AMOUNT if split else "give the account, the principal and (if known) tendered only."
    principals: dict[str, Decimal | InputError] = {}  # each distinct text parsed once
    for line, row in rows:
        account = row[at["account"]].strip() if at["account"] < len(row) else ""
        bad_account = _account_problem(account, line, seen)
        if bad_account:
            fail(line, "account", bad_account)
        elif seen is not None:
            seen[account] = line
        # Blank fields after the columns are a spreadsheet's (it had something further right): ignored.
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            fail(line, "principal", f"the line has {len(row)} fields, more than the {width} columns; {too_wide}")
            continue
        text_principal = row[at["principal"]] if at["principal"] < len(row) else ""
        principal = principals.get(text_principal)
        if principal is None:
            try:
                principal = parse_principal(text_principal, outstanding, cents=True)
            except InputError as error:
                principal = error
            if len(principals) < TEXT_MEMO_LIMIT:
                principals[text_principal] = principal
        if isinstance(principal, InputError):
            fail(line, "principal", principal.message)
            continue
        tendered_text = (row[at["tendered"]] or "").strip().lower() if "tendered" in at and at["tendered"] < len(
            row) else ""
        if tendered_text not in TENDERED:
            if split and tendered_text.isdigit() and len(tendered_text) == 3:  # 1,000 unquoted: split by its comma
                fail(line, "principal", _SPLIT_AMOUNT)
            else:
                fail(line, "tendered", "write yes or no (or leave it blank when not known).")
            continue
        if bad_account:
            continue
        yield Account(line, account, principal, TENDERED[tendered_text])


_SPLIT_AMOUNT = 'write a principal with commas in quotes, such as "25,000", or without commas.'


def _numbered(reader: Any, fail: _Problems) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the number of the line they start on."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a quote left open runs to the end of the text
            fail(reader.line_num, "file", f"cannot be read as CSV ({error}); check the quotes.")
            return
        if "".join(row).strip():  # not a blank line (only separators and spaces)
            yield reader.line_num, row


def _chain(first: tuple[int, list[str]], rest: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, Sequence[str]]]:
    yield first
    yield from rest


def _account_problem(account: str, line: int, seen: dict[str, int] | None) -> str | None:
    if not account:
        return "is blank; give each account an id, such as A-17."
    if account.startswith(FORMULA_STARTS):
        return (f"starts with \"{account[0]}\", which a spreadsheet would run as a formula; give the account id "
                f"without it, such as A-17.")
    if len(account) > MAX_ACCOUNT_LENGTH:
        return f"is {len(account):,} characters long; an account id is at most {MAX_ACCOUNT_LENGTH}."
    if seen is not None and account in seen:
        return f"the same account id is on line {seen[account]:,}; each account is listed once."
    return None


@dataclass
class Figures:
    """The figures of some accounts under one version, added up (one account: its own figures)."""

    accounts: int = 0
    principal: Decimal = Decimal(0)
    accrued_interest: Decimal = Decimal(0)
    new_principal: Decimal = Decimal(0)
    cash_in_lieu: Decimal = Decimal(0)
    forgone: Decimal = Decimal(0)
    warrant_shares: int = 0
    exercise_cost: Decimal = Decimal(0)
    participation_fee: Decimal = Decimal(0)
    total_interest: Decimal = Decimal(0)
    total_cash: Decimal = Decimal(0)

    def add(self, v: VersionOutcome) -> None:
        """Add one account's outcome (an available version)."""
        assert v.warrants is not None
        self.accounts += 1
        self.principal += v.holding.principal
        self.accrued_interest += v.accrued_interest  # type: ignore[operator]
        self.new_principal += v.new_principal  # type: ignore[operator]
        self.cash_in_lieu += v.cash_in_lieu  # type: ignore[operator]
        self.forgone += v.forgone  # type: ignore[operator]
        self.warrant_shares += v.warrants.shares
        self.exercise_cost += v.warrants.exercise_cost
        self.participation_fee += v.total_participation_fee  # type: ignore[operator]
        self.total_interest += v.total_interest  # type: ignore[operator]
        self.total_cash += v.total_cash  # type: ignore[operator]

    @classmethod
    def of(cls, v: VersionOutcome, accounts: int = 1) -> Figures:
        """One outcome's figures, as the figures of ``accounts`` accounts held as one position."""
        figures = cls()
        figures.add(v)
        figures.accounts = accounts
        return figures

    def minus(self, other: Figures) -> Figures:
        """Field by field, ``self - other`` (accounts too)."""
        return Figures(**{name: getattr(self, name) - getattr(other, name) for name in FIGURES})


FIGURES = tuple(Figures.__dataclass_fields__)


class AccountRow(NamedTuple):
    """One account and its outcome under the version in force (and the replaced version, when there is one)."""

    account: Account
    outcome: VersionOutcome
    replaced: VersionOutcome | None


@dataclass(frozen=True)
class Book:
    """The accounts' outcomes under the holder answer of rule 11, added up, and the same for the aggregate.

    ``answer`` is the single-holder answer for the summed principal: the version in force, the one it
    replaced, the figures date (``answer.holding.consummation``) and the date asked (``answer.asked``).
    ``totals`` adds up the accounts under the version in force, ``aggregate`` is the outcome of the summed
    principal; ``replaced_totals`` and ``replaced_aggregate`` the same under the replaced version. All four
    are None when that version does not apply (``answer.in_force.unavailable_reason`` says why).
    ``rows`` are the first accounts (as many as asked for), in file order.
    """

    answer: Outcome
    totals: Figures | None
    aggregate: Figures | None
    replaced_totals: Figures | None
    replaced_aggregate: Figures | None
    tendered: dict[bool | None, int] = field(default_factory=dict)  # accounts by the tendered column
    rows: tuple[AccountRow, ...] = ()

    @property
    def available(self) -> bool:
        return self.totals is not None

    @property
    def rounding(self) -> Figures | None:
        """What per-account rounding loses against the aggregate: ``aggregate - totals`` (New Notes principal and
        warrant shares; cash in lieu or forgone interest take the other side)."""
        if self.totals is None or self.aggregate is None:
            return None
        return self.aggregate.minus(self.totals)

    @property
    def compared(self) -> Figures | None:
        """Totals under the version in force minus totals under the replaced version."""
        if self.totals is None or self.replaced_totals is None:
            return None
        return self.totals.minus(self.replaced_totals)


class _Outcomes:
    """Each account's outcomes, computed once per distinct principal (up to :data:`MEMO_LIMIT` of them); the
    replaced version's only when asked for (the totals compare with it, the downloads do not)."""

    def __init__(self, result: Outcome, *, replaced: bool = True) -> None:
        self.in_force = result.in_force.terms if result.in_force is not None else None
        self.replaced = result.replaced.terms if replaced and result.replaced is not None else None
        self.on = result.holding.consummation
        self.memo: dict[Decimal, tuple[VersionOutcome, VersionOutcome | None]] = {}

    def __call__(self, principal: Decimal) -> tuple[VersionOutcome, VersionOutcome | None]:
        found = self.memo.get(principal)
        if found is None:
            assert self.in_force is not None
            holding = Holding(principal, self.on)
            found = (version_outcome(self.in_force, holding),
                     None if self.replaced is None else version_outcome(self.replaced, holding))
            if len(self.memo) < MEMO_LIMIT:
                self.memo[principal] = found
        return found


def book(versions: Iterable[OfferTerms], accounts: ParsedAccounts, consummation: date, *,
         keep: int = 200, each: Callable[[AccountRow], object] | None = None) -> Book:
    """Every account's outcome on ``consummation`` under the version in force (rule 11), added up in file order;
    the aggregate position's; the same under the replaced version; the first ``keep`` rows. ``each`` is called
    with every account's row as it is worked out (the workbook writes its rows in the same pass).

    >>> from offers.core.termsfile import seed_terms
    >>> accounts = parse_accounts("A,333.33\\nB,333.33\\nC,333.34\\n", Decimal(27412000))
    >>> result = book(seed_terms().values(), accounts, date(2003, 10, 10))
    >>> result.totals.new_principal, result.aggregate.new_principal, result.rounding.warrant_shares
    (Decimal('1533'), Decimal('1534'), 0)
    """
    result = plan(versions, accounts, consummation)
    in_force, replaced = result.in_force, result.replaced
    if in_force is None or not in_force.available:
        return Book(result, None, None, None, None)
    outcomes = _Outcomes(result)
    totals, replaced_totals = Figures(), Figures()
    replaced_applies = replaced is not None and replaced.available
    tendered: dict[bool | None, int] = {True: 0, False: 0, None: 0}
    rows: list[AccountRow] = []
    for account in accounts:
        current, before = outcomes(account.principal)
        totals.add(current)
        if replaced_applies:
            replaced_totals.add(before)  # type: ignore[arg-type]
        tendered[account.tendered] += 1
        if len(rows) < keep or each is not None:
            row = AccountRow(account, current, before)
            if len(rows) < keep:
                rows.append(row)
            if each is not None:
                each(row)
    return Book(
        answer=result,
        totals=totals,
        aggregate=Figures.of(in_force, totals.accounts),
        replaced_totals=replaced_totals if replaced_applies else None,
        replaced_aggregate=Figures.of(replaced, totals.accounts) if replaced_applies else None,  # type: ignore[arg-type]
        tendered=tendered,
        rows=tuple(rows),
    )


def plan(versions: Iterable[OfferTerms], accounts: ParsedAccounts, consummation: date) -> Outcome:
    """The single-holder answer for the accounts' summed principal: the version in force, the one it replaced and
    the figures date, nothing added up (what :func:`account_rows` needs)."""
    return answer(versions, Holding(accounts.principal, consummation))


def account_rows(result: Book | Outcome, accounts: Iterable[Account]) -> Iterator[AccountRow]:
    """Every account's row under the version in force (``replaced`` None), one at a time: for the downloads,
    nothing kept but the per-principal memo. ``result`` is a :class:`Book` or the :func:`plan` of one."""
    answered = result.answer if isinstance(result, Book) else result
    if answered.in_force is None or not answered.in_force.available:
        return
    outcomes = _Outcomes(answered, replaced=False)
    for account in accounts:
        yield AccountRow(account, outcomes(account.principal)[0], None)


def account_outcome(versions: Iterable[OfferTerms], account: Account, consummation: date) -> Outcome:
    """One account's full answer, as a single holder of that principal gets it (every version, the break-even):
    what the API writes per account as the JSON contract."""
    return answer(versions, Holding(account.principal, consummation))
