"""The optional estimate of what each version is worth: its own page, `/estimate`, and the API (issue 6)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from offers.models import OldNotes
from tests.web.holder import WORKED_EXAMPLE, estimate, page, shared_client, text

client = shared_client  # one client for the module (see tests/web/holder.py)

pytestmark = pytest.mark.django_db

ASSUMPTIONS = {"discount_rate": "15", "price": "90", "recovery": "40", "share_price": "1.50",
               "volatility": "60", "risk_free_rate": "4", "shares_outstanding": "4,300,000"}


def test_it_shows_no_estimate_without_assumptions(client):
    assert page(client, WORKED_EXAMPLE).select_one("section.valuation") is None
    soup = estimate(client, WORKED_EXAMPLE)
    assert soup.select_one("section.valuation") is None
    assert "No estimate yet: fill in at least one assumption" in text(soup.select_one(".no-estimate"))
    assert soup.select_one("#id_principal")["value"] == "1000"  # the holding, from the answer's link
    document = client.get("/api/outcome", WORKED_EXAMPLE).json()
    assert "comparison" not in document
    assert all("valuation" not in version for version in document["versions"])


def test_at_a_zero_discount_rate_present_value_is_the_total_cash(client):
    # Spec worked example: total cash 2,235.79 (original) and 2,603.20 (september-2003);
    # undiscounted, the present value is exactly that, and September 2003 is worth more by 367.41.
    soup = estimate(client, WORKED_EXAMPLE | {"discount_rate": "0"})
    section = soup.select_one("section.valuation")
    assert "Estimate, not advice" in text(section)
    cells = [text(td) for td in section.select("table.valuation-table tbody tr")[0].find_all("td")]
    assert cells == ["$2,235.79", "$2,603.20"]
    assert ("The terms in force, September 2003 amendment, are worth $367.41 more than the terms they replaced"
            in text(section).replace(" ,", ","))


def test_when_the_replaced_terms_are_worth_more_the_page_says_they_are_no_longer_on_offer(client):
    # At 12%, above the break-even (11.62%), the original terms' fee now and earlier principal win.
    section = estimate(client, WORKED_EXAMPLE | {"discount_rate": "12"}).select_one("section.valuation")
    words = text(section)
    assert "The replaced terms, Original terms (before the September 2003 amendment), would have been worth" in words
    assert "but they are no longer on offer: tendering gets you the terms in force." in words
    assert "is worth more" not in words


def test_the_api_adds_the_valuation_keys_only_when_asked(client):
    document = client.get("/api/outcome", WORKED_EXAMPLE | {"discount_rate": "0", "recovery": "40"}).json()
    assert set(document["comparison"]) == {"break_even_discount_rate", "better_version", "not_tendering_value"}
    # 40% of the claim 1,000 + 534.4375 = 613.775, rounded half up to the cent.
    assert document["comparison"]["not_tendering_value"] == "613.78"
    assert document["comparison"]["better_version"] == "september-2003"
    for version in document["versions"]:
        assert set(version["valuation"]) == {"present_value", "yield_to_maturity", "warrant_value_per_share",
                                             "warrant_value", "total_value"}
        assert version["valuation"]["present_value"] == version["totals"]["cash"]
        assert version["valuation"]["warrant_value"] is None  # no share price given


def test_the_break_even_row_is_marked_and_its_values_agree(client):
    soup = estimate(client, WORKED_EXAMPLE | {"discount_rate": "15"})
    marked = soup.select("table.pv-table tr.break-even")
    assert len(marked) == 1
    assert "break-even" in text(marked[0])
    values = [text(td) for td in marked[0].find_all("td")]
    assert values[0] == values[1]
    rates = [text(tr.find("th")).split("%")[0] for tr in soup.select("table.pv-table tbody tr")]
    assert [r for r in rates if r in {"5", "10", "15", "20", "25", "30", "35", "40"}] == [
        "5", "10", "15", "20", "25", "30", "35", "40"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("volatility", "-5"), ("price", "0"), ("discount_rate", "1001"), ("risk_free_rate", "2000%"),
     ("share_price", "NaN"), ("recovery", "101"), ("shares_outstanding", "1e6"), ("discount_rate", "inf")],
)
def test_it_rejects_a_bad_assumption_naming_the_field(client, field, value):
    soup = estimate(client, WORKED_EXAMPLE | {field: value}, status=400)
    error = soup.select_one(f"#id_{field}").find_parent("div").select_one(".invalid-feedback")
    assert error is not None and "such as" in text(error)
    response = client.get("/api/outcome", WORKED_EXAMPLE | {field: value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_staff_default_shares_outstanding_is_used_for_dilution(client):
    query = WORKED_EXAMPLE | {"share_price": "3", "volatility": "50", "risk_free_rate": "4"}
    undiluted = client.get("/api/outcome", query).json()["versions"][1]["valuation"]
    OldNotes.objects.update(shares_outstanding=4_300_000)
    diluted = client.get("/api/outcome", query).json()["versions"][1]["valuation"]
    explicit = client.get("/api/outcome", query | {"shares_outstanding": "4300000"}).json()
    assert diluted == explicit["versions"][1]["valuation"]
    # Dilution N / (N + M) with M = 420,620 warrant shares for the whole issue lowers the value.
    assert Decimal(diluted["warrant_value_per_share"]) < Decimal(undiluted["warrant_value_per_share"])
    # The default alone does not ask for an estimate.
    assert "comparison" not in client.get("/api/outcome", WORKED_EXAMPLE).json()


def test_a_chart_shows_present_value_by_discount_rate_with_the_break_even(client):
    soup = estimate(client, WORKED_EXAMPLE | {"discount_rate": "15"})
    svg = soup.select_one("section.valuation svg")
    assert svg is not None and text(svg.find("title")) == "Present value by discount rate"
    labels = [text(t) for t in svg.find_all("text")]
    break_even = text(soup.select_one("table.pv-table tr.break-even th")).split(" ")[0]
    assert f"Break-even {break_even}" in labels
    # The legend names every version, the table of the same figures is linked.
    assert {"Original terms (before the September 2003 amendment)", "September 2003 amendment"} <= set(labels)
    assert soup.select_one('section.valuation a[href="#pv-table"]') is not None


def test_the_answer_links_to_the_estimate_for_the_same_holding_and_back(client):
    link = next(a for a in page(client, WORKED_EXAMPLE).select("nav.more a") if "/estimate" in a["href"])
    assert link["href"] == "/estimate?principal=1000&consummation=2003-10-10"
    back = next(a for a in estimate(client, WORKED_EXAMPLE).select("a") if text(a) == "Back to your answer")
    assert back["href"] == "/?principal=1000&consummation=2003-10-10#answer"


def test_a_link_from_when_the_estimate_was_on_the_holder_page_still_gets_the_estimate(client):
    soup = page(client, WORKED_EXAMPLE | {"discount_rate": "15"})
    assert soup.select_one("section.valuation") is not None
    assert soup.select_one("form.holder-form")["action"] == "/estimate#valuation-title"  # the next submit moves on
    assert "Estimate what each version is worth" in text(soup.select_one("form.holder-form button"))


def test_a_first_visit_to_the_estimate_page_is_the_form_without_errors(client):
    soup = estimate(client)
    assert soup.select_one("form.holder-form") is not None
    assert soup.select_one(".error-summary") is None
    assert soup.select_one("#id_consummation")["value"] == "2003-10-10"


def test_a_bad_holding_on_the_estimate_page_is_named_like_on_the_holder_page(client):
    soup = estimate(client, {"principal": "lots", "consummation": "someday", "discount_rate": "15"}, status=400)
    summary = [text(li) for li in soup.select(".error-summary li")]
    assert len(summary) == 2
    assert summary[0].startswith("Old Notes principal:")
    assert summary[1].startswith("Consummation date:") and "You entered “someday”" in summary[1]
    assert soup.select_one("section.valuation") is None
