"""``manage.py outcome``: the worked example in every format, the input rules, bulk mode.

Expected figures are the spec's worked example ($1,000 at Oct 10, 2003), worked by hand:
accrued 1,000 x 12.75% x 1509/360 = 534.4375; N = 1,534; original: first coupon
1,534 x 11.5% x 111/360 = 54.39, then 14 of 1,534 x 11.5% / 4 = 44.10 (total 671.79),
fee 3% x 1,000 = 30.00; september-2003: 56.76 then 22 of 46.02 (total 1,069.20), no fee;
15 warrant shares at $3.50 ($52.50). Total cash = interest + fee + principal 1,534:
2,235.79 and 2,603.20.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given

import offers
from offers.core.contract import outcome_to_contract
from offers.core.holdings import Account, AccountRow
from offers.core.outcome import version_outcome
from offers.core.terms import ROUND_DOWN_FRACTIONS
from offers.core.versions import outcome
from offers.holdings import CSV_COLUMNS, _account_cells
from tests.core.strategies import reproducible, terms_and_holding

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = Path(offers.__file__).resolve().parent / "seed_terms"
ORIGINAL, SEPTEMBER = str(SEED_DIR / "original.json"), str(SEED_DIR / "september-2003.json")
BOTH = ("--terms", ORIGINAL, "--terms", SEPTEMBER)
EXAMPLE = ("--principal", "1000", "--consummation", "2003-10-10")


def run(*args: str, stderr: io.StringIO | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), stderr if stderr is not None else io.StringIO()
    call_command("outcome", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failure(*args: str) -> CommandError:
    with pytest.raises(CommandError) as raised:
        run(*args)
    return raised.value


def cells(table: str, label: str) -> list[str]:
    """The cells of the table row starting with ``label`` (columns are at least two spaces apart)."""
    for line in table.splitlines():
        if line.startswith(label + "  ") or line == label:
            return re.split(r"\s{2,}", line.strip())[1:]
    raise AssertionError(f"no row {label!r} in:\n{table}")


# --- table -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_table_shows_the_worked_example_side_by_side_from_the_published_versions():
    table, _ = run(*EXAMPLE)

    assert cells(table, "Version")[:2] == ["original", "september-2003"]
    assert cells(table, "Old Notes principal")[:2] == ["$1,000.00", "$1,000.00"]
    assert cells(table, "Days of Old Notes interest")[:2] == ["1,509", "1,509"]
    assert cells(table, "Accrued interest converted")[:2] == ["$534.4375", "$534.4375"]
    assert cells(table, "New Notes principal")[:2] == ["$1,534.00", "$1,534.00"]
    assert cells(table, "Forgone (fraction below the increment)")[:2] == ["$0.4375", "$0.4375"]
    assert cells(table, "New Notes interest rate")[:2] == ["11.5%", "12%"]
    assert cells(table, "New Notes maturity")[:2] == ["Aug 1, 2007", "Aug 1, 2009"]
    assert cells(table, "Participation fee")[:2] == ["$30.00 on Oct 10, 2003", "none"]
    assert cells(table, "Warrant shares") == ["15", "15"]
    assert cells(table, "Aggregate exercise cost") == ["$52.50", "$52.50"]
    assert cells(table, "Total interest")[:2] == ["$671.79", "$1,069.20"]
    assert cells(table, "Total cash")[:2] == ["$2,235.79", "$2,603.20"]


@pytest.mark.django_db
def test_table_after_the_amendment_rounds_a_repeating_accrual_to_four_places_and_names_the_version_in_force():
    table, _ = run("--principal", "1000", "--consummation", "2003-12-18")

    # 1,000 x 12.75% x 1,577/360 = 558 25/48 = 558.520833...; the amount forgone is the 0.520833... below $1,558.
    assert cells(table, "Accrued interest converted")[:2] == ["≈ $558.5208", "≈ $558.5208"]
    assert cells(table, "Forgone (fraction below the increment)")[:2] == ["≈ $0.5208", "≈ $0.5208"]
    assert "In force on Dec 18, 2003: september-2003 (September 2003 amendment)." in table
    assert "september-2003  September 2003 amendment (in force)" in table
    assert "(replaced by september-2003, announced Sep 18, 2003; for comparison only)" in table
    changes = table[table.index("What september-2003 changed from original:"):table.index("Break-even")]
    assert "New Notes interest rate: 12% (was 11.5%)" in changes
    assert "New Notes maturity: Aug 1, 2009 (was Aug 1, 2007)" in changes
    assert "Participation fee: none (was 3% of the Old Notes principal, paid at consummation)" in changes
    assert "Offer expires: Oct 7, 2003, 5:00 p.m. New York time (was Sep 30, 2003, 5:00 p.m. New York time)" in changes
    assert len([line for line in changes.splitlines() if re.match(r"\s+\d+\. ", line)]) == 7
    assert re.search(r"Break-even discount rate: \d+\.\d{2}% a year \(compounded quarterly\): september-2003 is worth "
                     r"more only below it\.", table)


def test_table_says_when_the_version_in_force_does_not_apply_yet_and_never_offers_the_replaced_one():
    # Oct 1, 2003: the amendment (announced Sep 18) is in force but applies from its expiry, Oct 7.
    table, _ = run("--principal", "1000", "--consummation", "2003-10-01", *BOTH)

    assert "In force on Oct 1, 2003: september-2003 (September 2003 amendment)." in table
    assert "It does not apply on that date: " in table and "it applies from that day on" in table
    assert "original        Original terms (before the September 2003 amendment) (replaced by september-2003" in table
    assert "Break-even discount rate: none" in table


@pytest.mark.django_db
def test_table_differences_column_is_the_latest_version_minus_the_one_before():
    table, _ = run(*EXAMPLE)

    assert cells(table, "Version")[2] == "september-2003 minus original"
    assert cells(table, "Number of coupons") == ["15", "23", "+8"]
    assert cells(table, "Total interest")[2] == "+$397.41"  # 1,069.20 - 671.79
    assert cells(table, "Total cash")[2] == "+$367.41"  # 2,603.20 - 2,235.79
    assert cells(table, "Participation fee, total")[2] == "\u2212$30.00"
    assert cells(table, "Warrant shares") == ["15", "15"]  # equal: no difference shown


@pytest.mark.django_db
def test_table_coupon_schedule_has_a_row_per_payment_date_and_the_totals():
    table, _ = run(*EXAMPLE)
    schedule = table[table.index("Coupon schedule"):]

    assert cells(schedule, "Feb 1, 2004") == ["$54.39", "$56.76"]
    assert cells(schedule, "May 1, 2004") == ["$44.10", "$46.02"]
    assert cells(schedule, "Aug 1, 2007") == ["$44.10", "$46.02"]
    assert cells(schedule, "Nov 1, 2007") == ["$46.02"]  # the original notes have matured
    assert cells(schedule, "Aug 1, 2009") == ["$46.02"]
    assert cells(schedule, "Total interest") == ["$671.79", "$1,069.20"]
    dated = [line for line in schedule.splitlines() if re.match(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", line)]
    assert len(dated) == 23


def test_table_gives_the_reason_a_version_does_not_apply():
    # Oct 1, 2003 is after the original offer expired (Sep 30) but before the amended one (Oct 7).
    table, _ = run("--principal", "1000", "--consummation", "2003-10-01", *BOTH)

    assert cells(table, "Applies on Oct 1, 2003") == ["yes", "no, see note 1"]
    assert cells(table, "Accrued interest converted") == ["$531.25", "n/a"]  # 1,000 x 12.75% x 1500/360
    assert "Note 1: september-2003 does not apply." in table
    assert "Oct 7, 2003" in table.split("Note 1:")[1]
    assert "minus" not in cells(table, "Version")  # nothing to subtract from a version that does not apply


# --- json and csv ----------------------------------------------------------------------------


def test_json_is_the_contract_for_the_worked_example(seeded_terms, worked_example_holding):
    text, _ = run(*EXAMPLE, *BOTH, "--format", "json")
    document = json.loads(text)
    original, september = document["versions"]

    assert document["inputs"] == {"principal": "1000.00", "consummation": "2003-10-10"}
    assert original["old_notes"] == {"principal": "1000.00", "accrual_days": 1509, "accrued_interest": "534.4375"}
    assert original["new_notes"]["principal"] == "1534.00"
    assert document["in_force"] == "september-2003" and september["supersedes"] == "original"
    assert original["new_notes"]["forgone"] == "0.4375"
    assert original["coupons"][0] == {"period_start": "2003-10-10", "period_end": "2004-02-01",
                                      "paid_on": "2004-02-01", "days": 111, "amount": "54.39"}
    assert [c["amount"] for c in original["coupons"][1:]] == ["44.10"] * 14
    assert [c["amount"] for c in september["coupons"]] == ["56.76"] + ["46.02"] * 22
    assert original["participation_fee"] == [{"paid_on": "2003-10-10", "amount": "30.00"}]
    assert september["participation_fee"] == []
    assert september["warrants"]["shares"] == 15
    assert september["warrants"]["exercise_cost"] == "52.50"
    assert original["totals"] == {"interest": "671.79", "participation_fee": "30.00", "cash": "2235.79"}
    assert september["totals"] == {"interest": "1069.20", "participation_fee": "0.00", "cash": "2603.20"}
    # The same document as the API: the contract function's output, unchanged.
    expected = outcome_to_contract(outcome([seeded_terms["original"], seeded_terms["september-2003"]],
                                           worked_example_holding))
    assert document == expected
    assert text == json.dumps(expected, indent=2) + "\n"


def test_csv_lists_every_dated_cash_flow_of_every_version():
    text, _ = run(*EXAMPLE, *BOTH, "--format", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    original = [r for r in rows if r[0] == "original"]
    september = [r for r in rows if r[0] == "september-2003"]

    assert rows[0] == ["version", "paid_on", "kind", "amount"]
    assert len(rows) == 1 + len(original) + len(september)
    assert original[:2] == [["original", "2003-10-10", "participation_fee", "30.00"],
                            ["original", "2004-02-01", "coupon", "54.39"]]
    assert original[-2:] == [["original", "2007-08-01", "coupon", "44.10"],
                             ["original", "2007-08-01", "principal", "1534.00"]]
    assert len(original) == 1 + 15 + 1
    assert september[0] == ["september-2003", "2004-02-01", "coupon", "56.76"]
    assert september[-1] == ["september-2003", "2009-08-01", "principal", "1534.00"]
    assert len(september) == 23 + 1


def test_output_option_writes_the_file_instead_of_stdout(tmp_path):
    target = tmp_path / "outcome.json"
    out, _ = run(*EXAMPLE, *BOTH, "--format", "json", "--output", str(target))

    assert out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["versions"][1]["totals"]["interest"] == "1069.20"


# --- --terms -----------------------------------------------------------------------------------


def test_terms_files_are_used_instead_of_the_database_in_announcement_order():
    # No database mark: reading the database here would fail the test.
    text, _ = run(*EXAMPLE, "--terms", SEPTEMBER, "--terms", ORIGINAL, "--format", "json")

    document = json.loads(text)
    assert [v["slug"] for v in document["versions"]] == ["original", "september-2003"]  # rule 11, not file order
    assert document["in_force"] == "september-2003"


def test_a_bad_terms_file_exits_2_naming_the_file_and_the_field(tmp_path):
    data = json.loads(Path(ORIGINAL).read_text(encoding="utf-8"))
    data["new_notes"]["rate_percent"] = "eleven"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")

    error = failure(*EXAMPLE, "--terms", ORIGINAL, "--terms", str(bad))

    assert error.returncode == 2
    assert str(error).startswith(f"terms: {bad}: new_notes.rate_percent: must be a decimal number")
    assert "\n" not in str(error)


def test_a_terms_file_that_is_not_json_exits_2(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("not json", encoding="utf-8")

    error = failure(*EXAMPLE, "--terms", str(bad))

    assert error.returncode == 2
    assert str(error).startswith(f"terms: {bad}: cannot be read as JSON")


# --- input rules -----------------------------------------------------------------------------


@pytest.mark.parametrize("principal", [
    "NaN", "nan", "sNaN", "inf", "Infinity", "-inf", "1e3", "1E+3", "", " ", "0", "-1000", "1000.50",
    "1,00", "27412001", "$27,412,001", "\u0661\u0660\u0660\u0660", "1000 dollars", "0x3e8",
])
def test_it_rejects_a_bad_principal_with_exit_2_and_one_line(principal):
    error = failure(f"--principal={principal}", "--consummation", "2003-10-10", *BOTH)

    assert error.returncode == 2
    assert str(error).startswith("principal: ")
    assert "\n" not in str(error)


def test_it_requires_a_principal_without_holders():
    error = failure("--consummation", "2003-10-10", *BOTH)

    assert error.returncode == 2
    assert str(error).startswith("principal: enter the principal")


@pytest.mark.parametrize("consummation", [
    "2003-02-30", "2003-13-01", "2003-00-10", "", "10/10/2003", "Oct 10, 2003", "2003-10-10T00:00", "20031010",
    "NaN", "inf", "2003-9-30",
])
def test_it_rejects_a_consummation_that_is_not_an_iso_date(consummation):
    error = failure("--principal", "1000", f"--consummation={consummation}", *BOTH)

    assert error.returncode == 2
    assert str(error).startswith("consummation: ")
    assert "\n" not in str(error)


@pytest.mark.parametrize("consummation", ["2003-09-29", "2009-08-01", "2030-01-01"])
def test_it_rejects_a_consummation_on_which_no_version_applies(consummation):
    error = failure("--principal", "1000", f"--consummation={consummation}", *BOTH)

    assert error.returncode == 2
    assert str(error).startswith("consummation: no version of the offer applies")
    assert "Sep 30, 2003" in str(error)  # the first date any version applies


@pytest.mark.parametrize("args", [
    ("--principal", "1000"),  # no --consummation
    ("--principal", "1000", "--consummation", "2003-10-10", "--format", "xml"),
    ("--principal", "1000", "--consummation", "2003-10-10", "--no-such-option"),
])
def test_argument_errors_exit_2(args):
    error = failure(*args, *BOTH)

    assert error.returncode == 2
    assert "\n" not in str(error)


@pytest.mark.parametrize(("args", "first_line"), [
    (("--principal", "NaN", "--consummation", "2003-10-10"), "principal: enter a whole-dollar amount"),
    (("--principal", "1000", "--consummation", "2003-02-30"), "consummation: 2003-02-30 is not a real date"),
    (("--principal", "1000"), "the following arguments are required: --consummation"),
])
def test_the_real_command_line_exits_2_with_one_line_and_no_traceback(args, first_line):
    result = subprocess.run(
        [sys.executable, "manage.py", "outcome", *args, *BOTH], cwd=ROOT, capture_output=True, text=True,
        timeout=60, check=False,
    )

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(first_line)
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


# --- bulk mode -------------------------------------------------------------------------------

# Per account under the version in force (september-2003 on Oct 10, 2003), worked by hand.
# 1,000: the worked example above (accrued 534.4375, N = 1,534, 0.4375 forgone, 1,069.20 interest).
# 25,000: accrued 25 x 534.4375 = 13,360.9375, N = 38,360 (0.9375 forgone); 38,360 x 12% x 111/360 = 1,419.32,
# then 22 x 1,150.80 -> 26,736.92 interest; 383 warrant shares (38,360 x 10 / 1,000 = 383.6), $1,340.50.
# 27,412,000 (the whole issue): accrued 14,650,000.75 (spec), N = 42,062,000, 420,620 shares.
BULK_HEADER = ["account", "tendered", "version", "figures_date", "principal", "accrued_interest",
               "new_notes_principal", "forgone", "cash_in_lieu", "participation_fee", "warrant_shares",
               "exercise_cost", "total_interest", "total_cash"]
# Money as machines read it (spec): 2 places, accrued interest and forgone exact.
EXPECTED_BULK = [
    ["A-1", "yes", "september-2003", "2003-10-10", "1000.00", "534.4375", "1534.00", "0.4375", "0.00", "0.00", "15",
     "52.50", "1069.20", "2603.20"],
    ["B 2", "", "september-2003", "2003-10-10", "25000.00", "13360.9375", "38360.00", "0.9375", "0.00", "0.00",
     "383", "1340.50", "26736.92", "65096.92"],
]


def holders_file(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "holders.csv"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return str(path)


def bulk_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_bulk_writes_a_row_per_account_under_the_version_in_force(tmp_path):
    holders = holders_file(tmp_path, 'account,principal,tendered\nA-1,1000,yes\nB 2,"25,000",\nALL,"$27,385,000"\n')

    out, _ = run("--holders", holders, "--consummation", "2003-10-10", *BOTH)
    rows = bulk_rows(out)

    assert rows[0] == BULK_HEADER
    assert rows[1:3] == EXPECTED_BULK
    rest = dict(zip(BULK_HEADER, rows[3], strict=True))
    # 27,385,000 x 0.5344375 = 14,635,570.9375 -> N = 42,020,570 (0.9375 forgone), 420,205 shares.
    assert (rest["accrued_interest"], rest["new_notes_principal"], rest["forgone"], rest["warrant_shares"]) == (
        "14635570.9375", "42020570.00", "0.9375", "420205")
    assert len(rows) == 4


def test_bulk_writes_the_totals_and_the_allocation_check_on_stderr(tmp_path):
    # Three accounts against one $1,000 position (tests/core/test_holdings.py works it by hand): $1,533 of New
    # Notes against $1,534, 15 warrant shares both ways.
    holders = holders_file(tmp_path, "A,333.33\nB,333.33\nC,333.34\n")

    _, err = run("--holders", holders, "--consummation", "2003-10-10", *BOTH)

    new_notes = cells(err, "New Notes principal")
    assert new_notes == ["$1,533.00", "$1,534.00", "$1.00"]
    assert cells(err, "Warrant shares") == ["15", "15", "0"]
    assert "Rounding account by account loses $1.00 of New Notes principal and no warrant shares" in err
    assert "5:00 p.m. New York time on Tuesday, October 7, 2003" in err


def test_bulk_lists_every_problem_with_its_line_and_writes_nothing(tmp_path):
    holders = holders_file(tmp_path, "account,principal\nA-1,1000\nX,NaN\n\n,1000\nY\nZ,1,000\nA-1,25000\n")
    out = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("outcome", "--holders", holders, "--consummation", "2003-10-10", *BOTH, stdout=out,
                     stderr=(err := io.StringIO()))
    messages = err.getvalue().splitlines()

    assert raised.value.returncode == 1
    assert str(raised.value) == f"holders: {holders}: 5 problems (listed above); nothing was written."
    assert [m.split(": ")[0] for m in messages] == [
        "line 3, principal", "line 5, account", "line 6, principal", "line 7, principal", "line 8, account"]
    assert out.getvalue() == ""


def test_bulk_output_option_writes_the_file(tmp_path):
    holders = holders_file(tmp_path, "account,principal,tendered\nA-1,1000,yes\n")
    target = tmp_path / "out.csv"

    out, _ = run("--holders", holders, "--consummation", "2003-10-10", *BOTH, "--output", str(target))

    assert out == ""
    assert bulk_rows(target.read_text(encoding="utf-8")) == [BULK_HEADER, EXPECTED_BULK[0]]


def test_bulk_before_the_expiry_gives_the_figures_for_the_version_s_figures_date(tmp_path):
    # Rule 11: on Oct 1, 2003 the September amendment is in force but its offer expires Oct 7, so the figures
    # are for its expected consummation, Oct 10 (the worked example).
    holders = holders_file(tmp_path, "account,principal\nA-1,1000\n")

    out, err = run("--holders", holders, "--consummation", "2003-10-01", *BOTH)

    row = dict(zip(BULK_HEADER, bulk_rows(out)[1], strict=True))
    assert (row["version"], row["figures_date"], row["new_notes_principal"]) == ("september-2003", "2003-10-10",
                                                                                  "1534.00")
    assert "figures for 2003-10-10" in err


def test_bulk_reads_a_file_without_a_header_as_account_principal(tmp_path):
    holders = holders_file(tmp_path, "A-1,1000\n")

    out, _ = run("--holders", holders, "--consummation", "2003-10-10", *BOTH)

    assert bulk_rows(out)[1][:5] == ["A-1", "", "september-2003", "2003-10-10", "1000.00"]


def test_bulk_has_no_page_limits(tmp_path, monkeypatch):
    # The page stops at 100,000 accounts and names the command line: the command itself reads any number.
    monkeypatch.setattr("offers.core.holdings.MAX_ACCOUNTS", 2)
    holders = holders_file(tmp_path, "A,1\nB,1\nC,1\n")

    out, _ = run("--holders", holders, "--consummation", "2003-10-10", *BOTH)

    assert len(bulk_rows(out)) == 4


@pytest.mark.parametrize(("extra", "field"), [
    (("--principal", "1000"), "principal: not allowed with --holders"),
    (("--format", "json"), "format: --holders writes CSV only"),
])
def test_bulk_refuses_single_holding_options(tmp_path, extra, field):
    holders = holders_file(tmp_path, "account,principal\nA-1,1000\n")

    error = failure("--holders", holders, "--consummation", "2003-10-10", *BOTH, *extra)

    assert error.returncode == 2
    assert str(error).startswith(field)


def test_bulk_still_checks_the_consummation_date(tmp_path):
    holders = holders_file(tmp_path, "account,principal\nA-1,1000\n")

    error = failure("--holders", holders, "--consummation", "2003-02-30", *BOTH)

    assert error.returncode == 2
    assert str(error).startswith("consummation: ")


@reproducible(500)
@given(terms_and_holding())
def test_bulk_rows_are_the_full_outcome_as_machines_read_it(case):
    # Each CSV row comes from version_outcome, the one path from a holding to its figures: its totals are
    # the sums of the outcome's own coupons and fees.
    terms, holding = case
    full = version_outcome(terms, holding)
    if not full.available:
        return
    row = _account_cells(AccountRow(Account(2, "A-1", holding.principal, None), full, None))
    written = dict(zip(CSV_COLUMNS, row, strict=True))
    assert written["account"] == "A-1" and written["version"] == terms.slug
    assert Decimal(written["total_interest"]) == sum(c.amount for c in full.coupons)
    assert Decimal(written["participation_fee"]) == sum(p.amount for p in full.participation_fee)
    assert Decimal(written["total_cash"]) == (sum(c.amount for c in full.coupons) + sum(
        p.amount for p in full.participation_fee) + full.cash_in_lieu + full.new_principal)
    assert written["warrant_shares"] == full.warrants.shares
    if terms.new_notes.fractions == ROUND_DOWN_FRACTIONS:
        assert (Decimal(written["principal"]) + Decimal(written["accrued_interest"])
                == Decimal(written["new_notes_principal"]) + Decimal(written["forgone"]))
