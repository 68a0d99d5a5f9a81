"""Many accounts at once (offers/core/holdings.py): reading the file, and the book's figures against the holder's."""

from __future__ import annotations

import tracemalloc
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offers.core import holdings
from offers.core.holdings import book, parse_accounts
from offers.core.inputs import InputError, check_consummation
from offers.core.outcome import Holding
from offers.core.termsfile import seed_terms
from offers.core.versions import answer
from tests.core.strategies import reproducible

OUTSTANDING = Decimal(27412000)
VERSIONS = tuple(seed_terms().values())
OCT_10 = date(2003, 10, 10)


def problems(data: bytes | str) -> list[str]:
    parsed = parse_accounts(data, OUTSTANDING)
    assert not parsed.accounts  # nothing is worked out from a file with problems
    return [str(problem) for problem in parsed.errors]


# --- the worked example ------------------------------------------------------------------------


def test_three_accounts_against_one_position_at_oct_10_2003():
    """$333.33, $333.33 and $333.34 against $1,000 held as one position, under the September 2003 amendment.

    Accrual from Aug 1, 1999 to Oct 10, 2003, 30/360: 4 years, 2 months and 9 days = 1,440 + 60 + 9 = 1,509 days.
    Per dollar: 12.75% x 1509/360 = 19,239.75/36,000 = 0.5344375 = 8551/16000.

    - $333.33: accrued 33333/100 x 8551/16000 = 285,030,483/1,600,000 = 178.144051875;
      333.33 + 178.144051875 = 511.474051875 -> New Notes $511 (multiples of $1, rounded down),
      0.474051875 forgone; warrants 511 x 10/1,000 = 5.11 -> 5 shares.
    - $333.34: accrued 33334/100 x 8551/16000 = 285,039,034/1,600,000 = 178.14939625;
      511.48939625 -> $511, 0.48939625 forgone; 5 shares.
    - Accounts: New Notes 511 x 3 = $1,533; 15 shares; forgone 0.474051875 x 2 + 0.48939625 = 1.4375.
    - One position: accrued 1,000 x 0.5344375 = 534.4375; 1,534.4375 -> $1,534, 0.4375 forgone;
      1,534 x 10/1,000 = 15.34 -> 15 shares.
    - Rounding account by account loses 1,534 - 1,533 = $1 of New Notes and 15 - 15 = no warrant share.
    - Interest, 12% from Oct 10, 2003, first coupon Feb 1, 2004 (111 days) then 22 quarters: per account
      511 x 0.12 x 111/360 = 18.907 -> 18.91, plus 22 x 511 x 0.03 = 22 x 15.33 = 337.26: 356.17; three
      accounts 1,068.51. One position: 1,534 x 0.12 x 111/360 = 56.758 -> 56.76, plus 22 x 46.02 = 1,012.44:
      1,069.20. Total cash lost: (1,534 + 1,069.20) - (1,533 + 1,068.51) = 2,603.20 - 2,601.51 = 1.69.
    - The original terms (replaced): the same New Notes, a 3% fee on the Old Notes principal: 9.9999 -> 10.00,
      10.00 and 10.0002 -> 10.00: $30.00 across the accounts.
    """
    accounts = parse_accounts("A,333.33\nB,333.33\nC,333.34\n", OUTSTANDING)
    result = book(VERSIONS, accounts, OCT_10)

    assert [row.outcome.accrued_interest for row in result.rows] == [
        Decimal("178.144051875"), Decimal("178.144051875"), Decimal("178.14939625")]
    assert [row.outcome.new_principal for row in result.rows] == [511, 511, 511]
    assert [row.outcome.forgone for row in result.rows] == [
        Decimal("0.474051875"), Decimal("0.474051875"), Decimal("0.48939625")]
    assert [row.outcome.warrants.shares for row in result.rows] == [5, 5, 5]
    assert (result.totals.new_principal, result.totals.warrant_shares, result.totals.forgone) == (
        1533, 15, Decimal("1.4375"))
    assert (result.aggregate.new_principal, result.aggregate.warrant_shares, result.aggregate.forgone) == (
        1534, 15, Decimal("0.4375"))
    assert (result.rounding.new_principal, result.rounding.warrant_shares) == (1, 0)
    assert (result.totals.total_interest, result.aggregate.total_interest) == (Decimal("1068.51"),
                                                                               Decimal("1069.20"))
    assert result.rounding.total_cash == Decimal("1.69")
    assert result.answer.in_force.slug == "september-2003" and result.answer.replaced.slug == "original"
    assert result.replaced_totals.participation_fee == Decimal("30.00")
    assert result.compared.participation_fee == Decimal("-30.00")


def test_before_the_expiry_every_account_gets_the_figures_date_of_the_version_in_force():
    # Rule 11: asked about Oct 1, 2003, the September amendment is in force but its offer expires Oct 7, so
    # the figures are for its expected consummation, Oct 10: the worked example's $1,534 for $1,000.
    accounts = parse_accounts("A,1000\n", OUTSTANDING)
    result = book(VERSIONS, accounts, date(2003, 10, 1))

    assert result.answer.asked == date(2003, 10, 1) and result.answer.holding.consummation == OCT_10
    assert result.rows[0].outcome.holding.consummation == OCT_10
    assert result.totals.new_principal == 1534


def test_the_rows_kept_are_the_first_ones_and_the_totals_count_every_account():
    accounts = parse_accounts("".join(f"A{i},{i}\n" for i in range(1, 11)), OUTSTANDING)
    result = book(VERSIONS, accounts, OCT_10, keep=3)

    assert [row.account.account for row in result.rows] == ["A1", "A2", "A3"]
    assert (result.totals.accounts, result.totals.principal) == (10, 55)
    assert [row.account.account for row in holdings.account_rows(result, accounts)] == [f"A{i}" for i in
                                                                                           range(1, 11)]


# --- the property: the book is the single-holder answer, added up ------------------------------

FIRST = min(t.expiry_date for t in VERSIONS) - timedelta(days=30)
LAST = max(t.new_notes.maturity for t in VERSIONS) - timedelta(days=1)


def _applies(day: date) -> bool:
    try:
        check_consummation(day, VERSIONS)
    except InputError:
        return False
    return True


@st.composite
def books(draw: st.DrawFn) -> tuple[list[Decimal], date]:
    cents = draw(st.lists(st.integers(1, 5_000_000_00), min_size=1, max_size=12))
    day = draw(st.dates(FIRST, LAST).filter(_applies))
    return [Decimal(c) / 100 for c in cents], day


FIELDS = ("principal", "accrued_interest", "new_principal", "cash_in_lieu", "forgone", "participation_fee",
          "total_interest", "total_cash")


def _single(principal: Decimal, day: date):
    return answer(VERSIONS, Holding(principal, day)).in_force


@reproducible(150)
@given(books())
def test_the_totals_are_the_sum_of_single_holder_answers_and_the_aggregate_is_the_summed_principal_s(case):
    principals, day = case
    text = "".join(f"A{i},{p}\n" for i, p in enumerate(principals))
    result = book(VERSIONS, parse_accounts(text, OUTSTANDING), day)
    singles = [_single(p, day) for p in principals]
    if not singles[0].available:
        assert result.totals is None
        return

    expected = {
        "principal": sum((v.holding.principal for v in singles), Decimal(0)),
        "accrued_interest": sum((v.accrued_interest for v in singles), Decimal(0)),
        "new_principal": sum((v.new_principal for v in singles), Decimal(0)),
        "cash_in_lieu": sum((v.cash_in_lieu for v in singles), Decimal(0)),
        "forgone": sum((v.forgone for v in singles), Decimal(0)),
        "participation_fee": sum((v.total_participation_fee for v in singles), Decimal(0)),
        "total_interest": sum((v.total_interest for v in singles), Decimal(0)),
        "total_cash": sum((v.total_cash for v in singles), Decimal(0)),
    }
    assert {name: getattr(result.totals, name) for name in FIELDS} == expected
    assert result.totals.warrant_shares == sum(v.warrants.shares for v in singles)
    assert result.totals.accounts == len(principals)

    whole = _single(sum(principals, Decimal(0)), day)
    assert result.aggregate.new_principal == whole.new_principal
    assert result.aggregate.warrant_shares == whole.warrants.shares
    assert result.aggregate.total_cash == whole.total_cash
    assert result.aggregate.accrued_interest == whole.accrued_interest
    # Rounding down account by account never gives more than one position does.
    assert result.rounding.new_principal >= 0 and result.rounding.warrant_shares >= 0


# --- reading the file --------------------------------------------------------------------------


def test_it_reads_a_header_in_any_order_with_tendered_dollars_commas_a_bom_and_crlf():
    data = '\ufeffPrincipal,Tendered,Account\r\n"$1,000",yes,A-1\r\n\r\n333.33,,B 2\r\n25000,No,C\r\n'.encode()
    parsed = parse_accounts(data, OUTSTANDING)

    assert parsed.ok
    assert [(a.line, a.account, a.principal, a.tendered) for a in parsed.accounts] == [
        (2, "A-1", Decimal(1000), True), (4, "B 2", Decimal("333.33"), None), (5, "C", Decimal(25000), False)]


def test_without_a_header_the_columns_are_account_principal_tendered():
    parsed = parse_accounts("A-1,1000,yes\nA-2,2000\n", OUTSTANDING)

    assert [(a.account, a.principal, a.tendered) for a in parsed.accounts] == [
        ("A-1", Decimal(1000), True), ("A-2", Decimal(2000), None)]


def test_a_first_line_naming_other_columns_is_named_as_such_and_the_rest_still_checked():
    assert problems("Account ID,Face Amount\nA-1,1000\nA-2,lots\n") == [
        "line 1, file: looks like names of columns (Account ID,Face Amount); name them account, principal and (if "
        "known) tendered, or delete the line.",
        'line 3, principal: enter a dollar amount using digits only ("$" and commas allowed), such as 1000, '
        "25,000 or $333.33."]
    # An account with a digit in its id, or a principal with one, is an account (right or wrong), not names.
    assert problems("A-1,lots\n")[0].startswith("line 1, principal:")
    assert problems("Smith,1.000,50\n")[0].startswith("line 1, principal:")


def test_blank_fields_after_the_columns_are_ignored_as_a_spreadsheet_writes_them():
    # A spreadsheet that had something in a fourth column saves every line with trailing separators.
    parsed = parse_accounts("A-1,1000,yes,,\nA-2,2000,,\nA-3,3000\n", OUTSTANDING)

    assert [(a.account, a.principal, a.tendered) for a in parsed.accounts] == [
        ("A-1", Decimal(1000), True), ("A-2", Decimal(2000), None), ("A-3", Decimal(3000), None)]
    assert problems("A-1,1,000,\n") == [
        'line 1, principal: write a principal with commas in quotes, such as "25,000", or without commas.']


def test_rows_copied_from_a_spreadsheet_and_pasted_are_separated_by_tabs():
    # What a browser posts when cells are copied from Excel or Google Sheets: tabs, CRLF, amounts as displayed.
    parsed = parse_accounts("Account\tPrincipal\tTendered\r\nA-1\t$1,000.00\tyes\r\nA-2\t333.33\t\r\n", OUTSTANDING)

    assert parsed.ok
    assert [(a.line, a.account, a.principal, a.tendered) for a in parsed.accounts] == [
        (2, "A-1", Decimal(1000), True), (3, "A-2", Decimal("333.33"), None)]


def test_a_csv_saved_where_the_decimal_separator_is_a_comma_is_separated_by_semicolons():
    parsed = parse_accounts("account;principal;tendered\nA-1;1000;no\nA-2;2500.50;yes\n", OUTSTANDING)

    assert [(a.account, a.principal, a.tendered) for a in parsed.accounts] == [
        ("A-1", Decimal(1000), False), ("A-2", Decimal("2500.50"), True)]
    # Amounts written the European way are refused, never misread ("1.000" is not $1.00).
    assert problems("account;principal\nA-1;1.000\nA-2;1.000,50\n") == [
        f"line {n}, principal: enter a dollar amount using digits only (\"$\" and commas allowed), such as 1000, "
        f"25,000 or $333.33." for n in (2, 3)]


def test_the_first_line_decides_the_separator_so_commas_in_ids_and_amounts_stay_where_they_are():
    parsed = parse_accounts('Fund A; class B,"1,000"\nFund C,2000\n', OUTSTANDING)

    assert [(a.account, a.principal) for a in parsed.accounts] == [("Fund A; class B", Decimal(1000)),
                                                                    ("Fund C", Decimal(2000))]
    assert problems("A-1\t1000\tyes\tnote\n") == [
        "line 1, principal: the line has 4 fields, more than the 3 columns; give the account, the principal and "
        "(if known) tendered only."]


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "file: is empty; it needs a line per account, such as A-17,1000."),
    (b"\n \n", "file: is empty; it needs a line per account, such as A-17,1000."),
    (b"account,principal\n", "file: is empty; it needs a line per account, such as A-17,1000."),
    (b"PK\x03\x04\x14\x00\x06\x00rest of a workbook", "file: is an Excel workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest of an old workbook", "file: is an Excel workbook"),
    ("A,1000\n".encode("utf-16"), "file: contains NUL bytes"),
    ("A,1000\nCafé,1000\n".encode("cp1252"), "line 2, file: is not UTF-8 text"),
    (b"principal,tendered\n1000,yes\n", "file: the first line names the columns but not account;"),
])
def test_a_file_that_cannot_be_read_gets_one_clear_message(data, expected):
    found = problems(data)

    assert len(found) == 1
    assert found[0].startswith(expected)


@pytest.mark.parametrize(("line", "expected"), [
    ("A-1,lots", "line 2, principal: enter a dollar amount using digits only"),
    ("A-1,1.5.0", "line 2, principal: enter a dollar amount using digits only"),
    ("A-1,0", "line 2, principal: must be more than $0"),
    ("A-1,", "line 2, principal: enter the principal amount of your Old Notes in dollars"),
    ("A-1,30000000", "line 2, principal: must be at most the $27,412,000 of Old Notes outstanding."),
    ("A-1,1000,maybe", "line 2, tendered: write yes or no (or leave it blank when not known)."),
    ("A-1,1,000", 'line 2, principal: write a principal with commas in quotes, such as "25,000", or without'),
    ("A-1,1,000,yes", "line 2, principal: the line has 4 fields, more than the 3 columns; write a principal with"),
    (",1000", "line 2, account: is blank"),
    ('"=HYPERLINK(""http://example.com"",""click"")",1000', 'line 2, account: starts with "=", which a spreadsheet'),
    ("+1 555 0100,1000", 'line 2, account: starts with "+"'),
    ("-17,1000", 'line 2, account: starts with "-"'),
    ("@SUM(A1),1000", 'line 2, account: starts with "@"'),
    ('" =1+2",1000', 'line 2, account: starts with "="'),
    ("X" * 101 + ",1000", "line 2, account: is 101 characters long; an account id is at most 100."),
])
def test_each_bad_line_is_named_by_its_line_and_field(line, expected):
    found = problems(f"A-0,1000,no\n{line}\n")

    assert len(found) == 1
    assert found[0].startswith(expected)


def test_a_duplicate_account_id_names_the_line_it_first_appeared_on():
    assert problems("A-1,1000\nA-2,1000\nA-1,5\n") == [
        "line 3, account: the same account id is on line 1; each account is listed once."]


def test_every_problem_is_reported_at_once_in_line_order():
    found = problems("account,principal\nA-1,1000\nX,NaN\n\n,1000\nY\n=Z,1,000\nA-1,25000\n")

    assert [problem.split(": ")[0] for problem in found] == [
        "line 3, principal", "line 5, account", "line 6, principal", "line 7, account", "line 7, principal",
        "line 8, account"]


def test_fifty_problems_are_listed_and_the_rest_counted():
    parsed = parse_accounts("".join(f"A{i},bad\n" for i in range(1, 121)), OUTSTANDING)

    assert len(parsed.errors) == 50 and parsed.error_count == 120 and parsed.unlisted == 70
    assert str(parsed.errors[-1]).startswith("line 50, principal:")


def test_accounts_adding_up_to_more_than_is_outstanding_are_refused():
    assert problems("A,27412000\nB,1\n") == [
        "principal: the accounts add up to $27,412,001, more than the $27,412,000 of Old Notes outstanding; "
        "check for an account listed twice under different ids."]


def test_100_000_accounts_are_read(monkeypatch):
    parsed = parse_accounts("account,principal\n" + "".join(f"A{i},1\n" for i in range(100_000)), OUTSTANDING)

    assert parsed.ok and len(parsed.accounts) == 100_000


def _never(*args, **kwargs):
    raise AssertionError("a line was parsed")


def test_100_001_accounts_are_refused_before_any_line_is_parsed(monkeypatch):
    monkeypatch.setattr(holdings, "parse_principal", _never)
    data = ("account,principal\n" + "".join(f"A{i},1\n" for i in range(100_001))).encode()

    found = problems(data)

    assert found == ["file: has 100,001 accounts; this page takes up to 100,000 (and 10 MB). For a larger book "
                     "use the command line: manage.py outcome --holders FILE.csv."]


def test_more_than_10_mb_is_refused_before_any_line_is_parsed(monkeypatch):
    monkeypatch.setattr(holdings, "parse_principal", _never)
    data = b"A," + b"1" * (10 * 1024 * 1024)

    found = problems(data)

    assert found[0].startswith("file: is 10.0 MB; this page takes up to 10 MB and 100,000 accounts. For a larger "
                               "book use the command line: manage.py outcome --holders FILE.csv.")


def test_without_limits_any_number_of_accounts_is_read(monkeypatch):
    monkeypatch.setattr(holdings, "MAX_ACCOUNTS", 2)

    assert not parse_accounts("A,1\nB,1\nC,1\n", OUTSTANDING).ok
    assert parse_accounts("A,1\nB,1\nC,1\n", OUTSTANDING, limits=False).ok


# --- memory: the file's text and one account at a time ----------------------------------------------------------


def test_a_checked_file_keeps_its_bytes_not_its_accounts():
    # 40,000 accounts as Account tuples (an id, a Decimal, a line number) would be about 10 MB.
    data = ("account,principal\n" + "".join(f"A{i:06d},{1 + i % 700}.{i % 89:02d}\n" for i in range(40_000))).encode()
    tracemalloc.start()
    try:
        parsed = parse_accounts(data, OUTSTANDING)
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()

    assert parsed.ok and parsed.count == 40_000
    assert kept < 100_000, f"{kept:,} bytes kept after reading a file of {len(data):,}"
    assert [a.account for a in parsed][-1] == "A039999" and len(parsed.accounts) == 40_000  # read again, in order


def _book_peak(accounts: int) -> int:
    parsed = parse_accounts("".join(f"A{i},1000\n" for i in range(accounts)), OUTSTANDING)
    book(VERSIONS, parsed, OCT_10, keep=200)  # the schedule cache, warm
    tracemalloc.start()
    try:
        book(VERSIONS, parsed, OCT_10, keep=200)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_book_keeps_the_rows_shown_not_every_account():
    """Working out 5,000 or 20,000 accounts takes the same memory: the 200 rows shown and one account at a time.
    (Keeping a row for each of the 15,000 more accounts, even sharing one outcome, would be about 4 MB more.)"""
    small, large = _book_peak(5_000), _book_peak(20_000)

    assert large - small < 1_000_000, f"peak {small:,} bytes for 5,000 accounts, {large:,} for 20,000"


def test_a_file_over_64_kb_is_checked_for_utf8_piece_by_piece_with_the_right_line():
    # 3-byte characters straddle the 64 KB pieces; a Latin-1 byte far after the first piece is found on its line.
    lines = [f"A{i:05d}-€€€,1000\n".encode() for i in range(6_000)]
    lines[5_000] = "A-Café,1000\n".encode("latin-1")
    data = b"".join(lines)
    assert len(data) > 2 * 64 * 1024

    assert problems(data) == ["line 5,001, file: is not UTF-8 text (perhaps Windows-1252 or Latin-1); save it as CSV "
                              "UTF-8 (.csv) and upload it again."]
    assert parse_accounts(b"".join(lines[:5_000] + lines[5_001:]), OUTSTANDING, limits=False).ok
