"""`POST /api/holdings`: many accounts at once for other systems, as a CSV or a JSON body.

The worked example, by hand (September 2003 terms in force at Oct 10, 2003; 1,509 days of accrual,
so each $1 of Old Notes becomes $1.534375 of New Notes before rounding; 10 warrant shares per $1,000
of New Notes, rounded down):

- $333.33 -> 511.4672... -> $511 of New Notes, 5.11 -> 5 warrant shares; the same for the second account;
- $333.34 -> 511.4830... -> $511, 5 shares;
- the accounts: $1,533 and 15 shares; the aggregate $1,000 -> $1,534 and 15.34 -> 15 shares;
- per-account rounding loses $1 of New Notes and no warrant share.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from offers.core import holdings as core_holdings
from tests.web.holder import shared_client

pytestmark = pytest.mark.django_db
client = shared_client

URL = "/api/holdings"
THREE = "account,principal,tendered\nA-1,333.33,yes\nA-2,333.33,no\nA-3,333.34,\n"
THREE_JSON = {"consummation": "2003-10-10", "accounts": [
    {"account": "A-1", "principal": "333.33", "tendered": True},
    {"account": "A-2", "principal": "333.33", "tendered": False},
    {"account": "A-3", "principal": "333.34"}]}
COMMAND_LINE = "manage.py outcome --holders FILE.csv"


def post_csv(client, body: str | bytes, consummation: str | None = "2003-10-10", **extra):
    url = f"{URL}?consummation={consummation}" if consummation else URL
    # The test client leaves out the content type of an empty body; a real client sends it.
    return client.post(url, body, content_type="text/csv", **({"CONTENT_TYPE": "text/csv"} | extra))


def post_json(client, body: object, **extra):
    return client.post(URL, json.dumps(body), content_type="application/json", **extra)


def answer(response) -> dict:
    assert response.status_code == 200, response.content[:2000]
    return json.loads(b"".join(response.streaming_content))


def errors(response, status: int = 400) -> dict[str, list[str]]:
    assert response.status_code == status, response.content[:2000]
    body = response.json()
    assert set(body) == {"errors"}
    return body["errors"]


def test_its_url_is_named():
    assert reverse("offers-api-holdings") == URL


def test_three_accounts_against_one_position(client):
    body = answer(post_csv(client, THREE))

    assert body["in_force"] == "september-2003"
    assert (body["consummation"], body["figures_date"]) == ("2003-10-10", "2003-10-10")
    totals, aggregate, rounding = body["totals"], body["aggregate"], body["rounding"]
    assert (totals["accounts"], totals["principal"], totals["new_notes_principal"], totals["warrant_shares"]) == (
        3, "1000.00", "1533.00", 15)
    assert (aggregate["new_notes_principal"], aggregate["warrant_shares"]) == ("1534.00", 15)
    assert (rounding["new_notes_principal"], rounding["warrant_shares"]) == ("1.00", 0)
    assert totals["accrued_interest"] == "534.4375"  # 1,000 x 12.75% x 1509/360, split three ways and added up
    assert body["replaced"]["slug"] == "original"
    assert body["replaced"]["totals"]["participation_fee"] == "30.00"  # 3% of $1,000, the replaced terms' fee


def test_each_account_gets_the_holder_contract_2_1(client):
    accounts = answer(post_csv(client, THREE))["accounts"]

    assert [(a["account"], a["tendered"]) for a in accounts] == [("A-1", True), ("A-2", False), ("A-3", None)]
    first = accounts[0]
    assert first["inputs"] == {"principal": "333.33", "consummation": "2003-10-10"}
    assert first["in_force"] == "september-2003" and first["earliest_consummation"] == "2003-10-07"
    september = next(v for v in first["versions"] if v["slug"] == "september-2003")
    assert september["expires_at"] == "2003-10-07T17:00:00-04:00"
    assert september["new_notes"]["principal"] == "511.00"
    assert september["warrants"]["shares"] == 5
    assert accounts[2]["inputs"]["principal"] == "333.34"


def _no_key_twice(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"a key twice in one object: {keys}"
    return dict(pairs)


def test_each_account_is_what_the_outcome_api_answers_for_its_principal(client):
    # Equal principals share one worked-out contract: must still each get their own id and tendered.
    response = post_csv(client, "A-1,1000,yes\nA-2,2500,no\nA-3,1000,\n")
    assert response.status_code == 200
    accounts = json.loads(b"".join(response.streaming_content), object_pairs_hook=_no_key_twice)["accounts"]

    assert [(a["account"], a["tendered"]) for a in accounts] == [("A-1", True), ("A-2", False), ("A-3", None)]
    for account in accounts:
        single = client.get("/api/outcome", {"principal": account["inputs"]["principal"],
                                             "consummation": "2003-10-10"})
        assert single.status_code == 200
        assert {key: value for key, value in account.items() if key not in ("account", "tendered")} == single.json()


def test_a_json_body_gets_the_same_answer_as_the_csv(client):
    assert answer(post_json(client, THREE_JSON)) == answer(post_csv(client, THREE))


def test_a_tab_or_semicolon_separated_body_gets_the_same_answer_as_the_csv(client):
    commas = answer(post_csv(client, THREE))
    for separator in ("\t", ";"):
        assert answer(post_csv(client, THREE.replace(",", separator))) == commas


def test_the_consummation_date_defaults_to_the_expected_one(client):
    without = dict(THREE_JSON)
    del without["consummation"]
    assert answer(post_json(client, without))["consummation"] == "2003-10-10"
    assert answer(post_csv(client, THREE, consummation=None))["consummation"] == "2003-10-10"


def test_results_and_errors_are_never_cached(client):
    assert "no-store" in post_csv(client, THREE)["Cache-Control"]
    assert "no-store" in post_csv(client, "A-1,lots\n")["Cache-Control"]


def test_it_needs_no_csrf_token_or_cookie():
    response = post_csv(Client(enforce_csrf_checks=True), THREE)

    assert response.status_code == 200
    assert not response.cookies


def test_only_post_is_allowed(client):
    response = client.get(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_another_content_type_is_refused_naming_both(client):
    found = errors(client.post(URL, THREE, content_type="text/plain"), status=415)
    assert "text/csv" in found["request"][0] and "application/json" in found["request"][0]


@pytest.mark.parametrize(("body", "expected"), [
    (b"", "file: is empty"),
    (b"PK\x03\x04\x14\x00\x06\x00rest of a workbook", "file: is an Excel workbook"),
    ("A,1000\nCaf\u00e9,1000\n".encode("cp1252"), "line 2, file: is not UTF-8 text"),
    (b'"=HYPERLINK(""http://example.com"",""click"")",1000\n', 'line 1, account: starts with "="'),
    (b"A-1,1000\nA-2,1000\nA-1,5\n", "line 3, account: the same account id is on line 1"),
    (b"A-1,lots\n", "line 1, principal: enter a dollar amount using digits only"),
])
def test_a_bad_file_gets_its_problems_by_line_and_field(client, body, expected):
    found = errors(post_csv(client, body))
    assert list(found) == ["file"]
    assert found["file"][0].startswith(expected)


def test_every_problem_of_a_file_and_the_date_at_once(client):
    found = errors(post_csv(client, "A-1,1000\nX,NaN\n,5\n", consummation="2003-13-45"))
    assert [message.split(": ")[0] for message in found["file"]] == ["line 2, principal", "line 3, account"]
    assert found["consummation"][0].startswith("Consummation date:")


def test_fifty_problems_are_listed_and_the_rest_counted(client):
    found = errors(post_csv(client, "".join(f"A{i},bad\n" for i in range(1, 121))))["file"]
    assert len(found) == 51
    assert found[49].startswith("line 50, principal:")
    assert found[50] == "and 70 more problems not listed (120 in all)."


def _never(*args, **kwargs):
    raise AssertionError("an account was parsed")


def test_100_001_accounts_are_refused_before_any_is_parsed(client, monkeypatch):
    monkeypatch.setattr(core_holdings, "parse_principal", _never)
    found = errors(post_csv(client, "".join(f"A{i},1\n" for i in range(100_001))))
    assert found["file"][0].startswith("file: has 100,001 accounts")
    assert COMMAND_LINE in found["file"][0]


def test_100_001_json_accounts_are_refused_before_any_is_read(client, monkeypatch):
    monkeypatch.setattr(core_holdings, "parse_accounts", _never)
    found = errors(post_json(client, {"accounts": [{"account": f"A{i}", "principal": "1"} for i in range(100_001)]}))
    assert found["accounts"][0].startswith("accounts: 100,001 accounts")
    assert COMMAND_LINE in found["accounts"][0]


def test_a_body_over_10_mb_is_refused_by_its_declared_length_before_it_is_read(client, monkeypatch):
    monkeypatch.setattr(core_holdings, "parse_accounts", _never)
    found = errors(post_csv(client, "A-1,1000\n", CONTENT_LENGTH=str(10 * 1024 * 1024 + 1)), status=413)
    assert found["file"][0].startswith("file: is 10.0 MB")
    assert COMMAND_LINE in found["file"][0]
    assert "no-store" in client.post(URL, "A-1,1000\n", content_type="text/csv",
                                      CONTENT_LENGTH=str(11 * 1024 * 1024))["Cache-Control"]


def test_a_json_account_with_problems_is_named_by_its_index(client):
    body = {"accounts": [{"account": "A-1", "principal": "1000"}, {"account": "A-2", "principal": "ten"},
                         {"account": "=B", "principal": "5"}]}
    assert errors(post_json(client, body)) == {"accounts": [
        'accounts[1].principal: enter a dollar amount using digits only ("$" and commas allowed), such as 1000, '
        "25,000 or $333.33.",
        'accounts[2].account: starts with "=", which a spreadsheet would run as a formula; give the account id '
        "without it, such as A-17."]}


@pytest.mark.parametrize(("body", "field", "expected"), [
    ([], "request", "request: send a JSON object with a list of accounts"),
    ({"accounts": []}, "accounts", "accounts: the list is empty"),
    ({"accounts": [{"account": "A", "principal": "1"}], "currency": "USD"}, "request", "request: unknown field"),
    ({"accounts": [{"account": "A", "principal": 1000}]}, "accounts", 'accounts[0].principal: write it as a string'),
    ({"accounts": [{"account": 17, "principal": "1000"}]}, "accounts", 'accounts[0].account: write it as a string'),
    ({"accounts": [{"account": "A\nB", "principal": "1"}]}, "accounts", "accounts[0].account: must be on one line"),
    ({"accounts": [{"account": "A", "principal": "1", "tendered": "yes"}]}, "accounts",
     "accounts[0].tendered: true, false or null"),
    ({"accounts": [{"account": "A", "principal": "1", "note": "x"}]}, "accounts", "accounts[0]: unknown field"),
    ({"accounts": ["A,1000"]}, "accounts", "accounts[0]: send an object"),
    ({"accounts": [{"account": " ", "principal": ""}, {"account": "A", "principal": "1"}]}, "accounts",
     "accounts[0]: is blank"),
    # schemathesis found this one: null is not a date, and was taken as the default.
    ({"consummation": None, "accounts": [{"account": "A", "principal": "1"}]}, "consummation",
     "consummation: write the date as a string"),
])
def test_a_json_body_of_the_wrong_shape_says_what_is_wrong(client, body, field, expected):
    found = errors(post_json(client, body))
    assert found[field][0].startswith(expected)


def test_a_json_body_takes_its_date_in_the_body_not_the_query(client):
    """schemathesis found that a date in the query was ignored when the body was JSON."""
    response = client.post(f"{URL}?consummation=2003-10-10", json.dumps(THREE_JSON), content_type="application/json")
    assert errors(response)["consummation"][0].startswith("consummation: with a JSON body, give the date in the body")


def test_a_body_that_is_not_json_says_so(client):
    found = errors(client.post(URL, "{accounts:", content_type="application/json"))
    assert found["request"][0].startswith("request: the body is not JSON")


def test_no_account_id_is_written_to_the_log(client, caplog):
    caplog.set_level("DEBUG")
    post_csv(client, "SECRET-ACCT-1,1000\nSECRET-ACCT-2,lots\n")
    answer(post_csv(client, "SECRET-ACCT-3,1000\n"))
    post_json(client, {"accounts": [{"account": "SECRET-ACCT-4", "principal": 1}]})

    assert any(record.getMessage() == "Bad Request: /api/holdings" for record in caplog.records)  # it does log
    assert "SECRET-ACCT" not in caplog.text
    assert not any("SECRET-ACCT" in repr(vars(record)) for record in caplog.records)
