"""`/holdings`: many accounts at once. Totals, the allocation check, the accounts, the downloads; bad files;
privacy. Figures are the worked example of tests/core/test_holdings.py, worked by hand there."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from offers.core import holdings as core_holdings
from offers.core.outcome import Holding
from offers.core.termsfile import seed_terms
from offers.core.versions import answer
from offers.formatting import count, money
from tests.core.strategies import reproducible
from tests.web.holder import shared_client

pytestmark = pytest.mark.django_db
client = shared_client

URL = "/holdings"
WORKED = "account,principal,tendered\nA-1,333.33,yes\nA-2,333.33,no\nA-3,333.34,\n"


def post(client, rows: str | bytes | None = None, *, file: bytes | None = None, status: int = 200,
         consummation: str = "2003-10-10", **extra: str):
    data: dict[str, object] = {"consummation": consummation, **extra}
    if rows is not None:
        data["rows"] = rows
    if file is not None:
        data["file"] = SimpleUploadedFile("accounts.csv", file, content_type="text/csv")
    response = client.post(URL, data)
    assert response.status_code == status, response.content[:3000]
    return response


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def problems(response) -> list[str]:
    return [text(li) for li in soup(response).select(".error-summary .problems li")]


def test_its_url_is_named_and_the_holder_page_links_to_it(client):
    assert reverse("offers-holdings") == URL
    nav = soup(client.get("/")).select_one("nav[aria-label=Main]")
    assert nav.find("a", href=URL).get_text(strip=True) == "Many accounts"


def test_the_form_states_the_limits_and_that_nothing_is_kept(client):
    response = client.get(URL)
    page = soup(response)
    limits = text(page.select_one(".limits"))

    assert response.status_code == 200
    assert "Up to 10 MB and 100,000 accounts" in limits
    assert "manage.py outcome --holders" in limits
    assert "never stored, logged or cached" in limits
    assert page.select_one("input[type=file][name=file]") is not None
    assert page.select_one("textarea[name=rows]") is not None
    # The expected consummation of the version in force, as on the holder page.
    assert page.select_one("input[name=consummation]")["value"] == "2003-10-10"


def test_an_uploaded_file_gives_the_totals_first_then_the_allocation_check(client):
    page = soup(post(client, file=WORKED.encode()))
    totals = page.select_one("#totals")

    assert text(totals.select_one("h2")) == "3 accounts under the September 2003 amendment"
    assert text(totals.select_one(".deadline")).startswith("Exchanged on Oct 10, 2003.")
    assert text(totals.select_one(".total-principal")) == "$1,000.00"
    assert text(totals.select_one(".total-new-principal")) == "$1,533.00"
    assert text(totals.select_one(".total-warrant-shares")) == "15 ($52.50 to exercise)"
    assert text(totals.select_one(".total-cash")) == "$2,601.51"
    assert "5:00 p.m. New York time on Tuesday, October 7, 2003" in text(totals.select_one(".deadline"))
    assert text(page.select_one(".allocation-words")) == (
        "Rounding account by account loses $1.00 of New Notes principal and no warrant shares, and $1.69 of cash "
        "to maturity. As one position, the $1,000.00 of Old Notes would get $1,534.00 of New Notes and 15 warrant "
        "shares; the 3 accounts get $1,533.00 and 15 warrant shares.")
    # Totals come before everything else on the page.
    assert page.select_one("main h2").get("id") == "totals-title"


def test_pasted_rows_give_the_same_page_as_the_file(client):
    from_file, pasted = soup(post(client, file=WORKED.encode())), soup(post(client, WORKED))

    assert text(from_file.select_one("#totals")) == text(pasted.select_one("#totals"))


def test_rows_pasted_from_a_spreadsheet_give_the_same_page_as_the_file(client):
    # A browser posts the textarea with CRLF; cells copied from a spreadsheet are separated by tabs.
    copied = WORKED.replace(",", "\t").replace("\n", "\r\n")
    from_file, pasted = soup(post(client, file=WORKED.encode())), soup(post(client, copied))

    assert text(pasted.select_one("#totals")) == text(from_file.select_one("#totals"))
    assert text(pasted.select_one(".total-new-principal")) == "$1,533.00"


def test_each_account_is_a_row_of_the_table_with_its_own_figures(client):
    rows = soup(post(client, WORKED)).select("table.accounts tbody tr")

    assert [text(row.select_one("th")) for row in rows] == ["A-1", "A-2", "A-3"]
    first = {cell["data-label"]: text(cell) for cell in rows[0].select("td")}
    assert first["Tendered"] == "yes"
    assert first["New Notes principal"] == "$511.00"
    assert first["Warrant shares"] == "5"
    assert first["Forgone"] == "≈ $0.4741"
    assert first["Total cash"] == "$867.17"
    assert {cell["data-label"]: text(cell) for cell in rows[2].select("td")}["Tendered"] == "not said"


def test_the_replaced_version_is_compared_in_totals(client):
    section = soup(post(client, WORKED)).select_one("section.replaced")
    lines = {text(row.select_one("th")): [text(td) for td in row.select("td")] for row in section.select("tbody tr")}

    assert "Original terms" in text(section.select_one("h2"))
    assert lines["Participation fee"] == ["$0.00", "$30.00", "-$30.00"]
    assert lines["New Notes principal"] == ["$1,533.00", "$1,533.00", "$0.00"]


def test_the_page_shows_the_first_200_accounts_and_says_the_rest_are_in_the_downloads(client):
    page = soup(post(client, "".join(f"A{i},1000\n" for i in range(250))))

    assert len(page.select("table.accounts tbody tr")) == 200
    assert text(page.select_one("#accounts-title")) == "Per account: the first 200 of 250"
    assert text(page.select_one("#totals .total-principal")) == "$250,000.00"


def test_a_date_before_the_expiry_gives_the_figures_for_the_version_s_figures_date(client):
    page = soup(post(client, WORKED, consummation="2003-10-01"))

    assert text(page.select_one(".moved")) == (
        "Figures for Oct 10, 2003: you asked about Oct 1, 2003, before the offer expires.")
    assert text(page.select_one(".total-new-principal")) == "$1,533.00"


# --- the property: what the page shows is the single-holder answer, added up ----------------------

VERSIONS = tuple(seed_terms().values())


@reproducible(20)
@given(st.lists(st.integers(1, 2_000_000_00), min_size=1, max_size=8))
def test_the_page_totals_are_the_sum_of_single_holder_answers(client, cents):
    principals = [Decimal(c) / 100 for c in cents]
    page = soup(post(client, "".join(f"A{i},{p}\n" for i, p in enumerate(principals))))
    singles = [answer(VERSIONS, Holding(p, date(2003, 10, 10))).in_force for p in principals]
    whole = answer(VERSIONS, Holding(sum(principals, Decimal(0)), date(2003, 10, 10))).in_force

    assert text(page.select_one(".total-new-principal")) == money(sum(v.new_principal for v in singles))
    assert text(page.select_one(".total-cash")) == money(sum(v.total_cash for v in singles))
    assert text(page.select_one(".total-warrant-shares")).startswith(count(sum(v.warrants.shares for v in singles)))
    aggregate = {text(row.select_one("th")): [text(td) for td in row.select("td")]
                 for row in page.select("table.aggregate tbody tr")}
    assert aggregate["New Notes principal"][1] == money(whole.new_principal)
    assert aggregate["Warrant shares"][1] == count(whole.warrants.shares)
    assert aggregate["Total cash"][1] == money(whole.total_cash)


# --- bad files: every problem at once, nothing worked out ---------------------------------------


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "file: is empty"),
    (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", "file: is an Excel workbook (or another spreadsheet file), "
                                                       "not CSV; in the spreadsheet choose File > Save As > CSV UTF-8"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "file: is an Excel workbook"),
    ("A-1,1000\nZürich 1,1000\n".encode("latin-1"), "line 2, file: is not UTF-8 text (perhaps Windows-1252 or "
                                                     "Latin-1); save it as CSV UTF-8"),
    (b'"=HYPERLINK(""http://evil.example"",""Click"")",1000\n', 'line 1, account: starts with "=", which a '
                                                                      "spreadsheet would run as a formula"),
    (b"A-1,1000\nA-1,2000\n", "line 2, account: the same account id is on line 1; each account is listed once."),
    (b"A-1,1000\nA-2,lots\n", "line 2, principal: enter a dollar amount using digits only"),
])
def test_a_bad_file_gets_a_clear_message_and_nothing_is_worked_out(client, data, expected):
    response = post(client, file=data, status=400)

    assert problems(response)[0].startswith(expected)
    assert soup(response).select_one("#totals") is None
    assert "no-store" in response["Cache-Control"]


def test_every_problem_is_listed_with_its_line_and_field(client):
    response = post(client, file=b"account,principal\nA-1,1000\nX,NaN\n\n,1000\nY\nZ,1,000\nA-1,25000\n", status=400)

    assert [problem.split(": ")[0] for problem in problems(response)] == [
        "line 3, principal", "line 5, account", "line 6, principal", "line 7, principal", "line 8, account"]


def test_fifty_problems_are_listed_and_the_rest_counted(client):
    response = post(client, "".join(f"A{i},bad\n" for i in range(1, 121)), status=400)

    assert len(problems(response)) == 50
    assert text(soup(response).select_one(".unlisted")) == (
        "And 70 more problems not listed: the first 50 are shown.")


def test_a_file_with_errors_keeps_the_pasted_rows_to_fix(client):
    page = soup(post(client, "A-1,1000\nA-2,lots\n", status=400))

    assert page.select_one("textarea#id_rows").get_text() == "A-1,1000\nA-2,lots\n"


def test_100_001_accounts_are_refused_before_any_line_is_parsed(client, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("a line was parsed")

    monkeypatch.setattr(core_holdings, "parse_principal", never)
    response = post(client, file=("".join(f"A{i},1\n" for i in range(100_001))).encode(), status=400)

    assert problems(response) == [
        "file: has 100,001 accounts; this page takes up to 100,000 (and 10 MB). For a larger book use the command "
        "line: manage.py outcome --holders FILE.csv."]


def test_a_file_just_over_10_mb_gets_the_page_s_message_not_django_s(client):
    # Under the request limit Django reads it (in memory); the page refuses it by its size.
    response = post(client, file=b"A," + b"1" * (10 * 1024 * 1024 + 10), status=400)

    assert problems(response)[0].startswith("file: is 10.0 MB; this page takes up to 10 MB and 100,000 accounts.")


def test_pasted_rows_up_to_10_mb_reach_the_page(client):
    # DATA_UPLOAD_MAX_MEMORY_SIZE is above the page's limit: the page, not Django, answers.
    line = "Account-number-0000001,1\n"
    rows = line * ((10 * 1024 * 1024 - 100) // len(line))
    response = post(client, rows, status=400)

    assert problems(response)[0].startswith(f"file: has {len(rows) // len(line):,} accounts; this page takes up to")


def test_a_request_over_the_limit_is_refused_before_it_is_read():
    # With the CSRF check on, as in a browser: the check reads the body, so the length is checked first.
    body = b"x" * (12 * 1024 * 1024)
    response = Client(enforce_csrf_checks=True).generic("POST", URL, body,
                                                        content_type="multipart/form-data; boundary=zzz")

    assert response.status_code == 413
    assert problems(response)[0].startswith("file: is 11.0 MB; this page takes up to 10 MB and 100,000 accounts. "
                                            "For a larger book use the command line: manage.py outcome --holders")


def test_the_csrf_check_still_applies_to_a_request_within_the_limit():
    response = Client(enforce_csrf_checks=True).post(URL, {"rows": WORKED, "consummation": "2003-10-10"})

    assert response.status_code == 403


def test_a_bad_consummation_date_is_named_and_nothing_is_worked_out(client):
    response = post(client, WORKED, consummation="2003-02-30", status=400)

    assert [text(li) for li in soup(response).select(".error-summary li")] == [
        "Consummation date: 2003-02-30 is not a real date; enter one such as 2003-10-10, 10/10/2003 or Oct 10, "
        "2003."]
    assert soup(response).select_one("#totals") is None


# --- downloads ---------------------------------------------------------------------------------


def _download(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_csv_download_has_every_account_as_machines_read_it(client):
    response = post(client, WORKED, format="csv")
    rows = list(csv.DictReader(io.StringIO(_download(response).decode("utf-8"))))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lexington-exchange-accounts-2003-10-10.csv"'
    assert "no-store" in response["Cache-Control"]
    assert [(r["account"], r["tendered"], r["accrued_interest"], r["new_notes_principal"], r["forgone"],
             r["warrant_shares"], r["total_cash"]) for r in rows] == [
        ("A-1", "yes", "178.144051875", "511.00", "0.474051875", "5", "867.17"),
        ("A-2", "no", "178.144051875", "511.00", "0.474051875", "5", "867.17"),
        ("A-3", "", "178.14939625", "511.00", "0.48939625", "5", "867.17"),
    ]


def test_the_workbook_has_a_totals_sheet_and_an_accounts_sheet_with_numbers_as_numbers(client):
    response = post(client, WORKED, format="xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(_download(response)))

    assert response["Content-Disposition"] == 'attachment; filename="lexington-exchange-accounts-2003-10-10.xlsx"'
    assert "no-store" in response["Cache-Control"]
    assert workbook.sheetnames == ["Totals", "Accounts"]
    totals = {row[0].value: row[1:] for row in workbook["Totals"].iter_rows() if row[0].value}
    new_notes = totals["New Notes principal"]
    assert [cell.value for cell in new_notes[:3]] == [1533, 1534, 1]
    assert new_notes[0].number_format == '"$"#,##0.00;-"$"#,##0.00'
    assert [cell.value for cell in totals["Warrant shares"][:3]] == [15, 15, 0]
    accounts = list(workbook["Accounts"].iter_rows(values_only=True))
    assert accounts[0][:5] == ("account", "tendered", "principal", "accrued_interest", "new_notes_principal")
    assert accounts[1][2] == pytest.approx(333.33) and isinstance(accounts[1][2], float)
    assert accounts[1][4] == 511 and accounts[3][8] == 5
    assert workbook["Accounts"]["L2"].number_format == '"$"#,##0.00;-"$"#,##0.00'
    assert accounts[0][11] == "total_cash" and accounts[1][11] == pytest.approx(867.17)
    # The version and the date, the same for every account, are on the totals sheet.
    assert totals["Version in force"][0].value == "September 2003 amendment"
    assert totals["Figures for"][0].value == "Oct 10, 2003"


def test_the_download_buttons_post_the_same_rows_back(client):
    page = soup(post(client, file=WORKED.encode()))
    form = page.select_one("form.download-form")

    assert [button["value"] for button in form.select("button[name=format]")] == ["csv", "xlsx"]
    assert len(page.select("textarea[name=rows][hidden]")) == 1  # the rows once, for both buttons
    fields = {field["name"]: field.get("value", field.get_text()) for field in form.select("[name]:not(button)")}
    response = client.post(URL, fields | {"format": "csv"})
    rows = list(csv.reader(io.StringIO(_download(response).decode("utf-8"))))
    assert [row[0] for row in rows[1:]] == ["A-1", "A-2", "A-3"]


# --- private by default ------------------------------------------------------------------------


def test_no_account_id_reaches_any_log_line(client, caplog, capfd):
    secret = "ACCT-7f3a9-SECRET"
    with caplog.at_level("DEBUG"):
        post(client, f"{secret},1000\n", format="csv")
        post(client, f"{secret},1000\n")
        post(client, f"{secret},lots\n{secret},1000\n", status=400)

    assert [record.getMessage() for record in caplog.records] == ["Bad Request: /holdings"]  # logged, no rows
    assert secret not in caplog.text
    assert secret not in capfd.readouterr().err


def test_every_answer_of_the_page_is_no_store(client):
    for response in (client.get(URL), post(client, WORKED), post(client, "A,lots\n", status=400)):
        assert "no-store" in response["Cache-Control"]


def test_django_s_limits_are_the_page_s_so_uploads_stay_in_memory(settings):
    from offers.holdings import MAX_REQUEST_BYTES

    # Above FILE_UPLOAD_MAX_MEMORY_SIZE Django would write the upload to a temporary file; above
    # DATA_UPLOAD_MAX_MEMORY_SIZE it would answer 400 before the page could say why.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == settings.DATA_UPLOAD_MAX_MEMORY_SIZE == MAX_REQUEST_BYTES


def test_the_documented_proxy_lets_the_largest_holders_file_through():
    """docs/deploy.md's nginx answers 413 itself above client_max_body_size: it must be above the page's own
    limit, so a custodian's 10 MB file reaches the page (and a larger one gets the page's message)."""
    import re

    from django.conf import settings

    from offers.holdings import MAX_REQUEST_BYTES

    text = (settings.BASE_DIR / "docs" / "deploy.md").read_text()
    sizes = re.findall(r"^\s*client_max_body_size (\d+)m;", text, flags=re.MULTILINE)
    assert sizes, "docs/deploy.md has no client_max_body_size"
    assert all(int(size) * 1024 * 1024 > MAX_REQUEST_BYTES for size in sizes)
