"""The optional estimate of what each version is worth: its own page, `/estimate`, and the API (issue 6)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    # Every rate to 2 places, like the break-even rate beside them.
    assert [r for r in rates if r in {"5.00", "10.00", "15.00", "20.00", "25.00", "30.00", "35.00", "40.00"}] == [
        "5.00", "10.00", "15.00", "20.00", "25.00", "30.00", "35.00", "40.00"]


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


# --- issue 18: a result or a field error for every accepted value, one number of places per kind -----------------

def _valuation_rows(soup) -> dict[str, list[str]]:
    table = soup.select_one("table.valuation-table")
    rows = {}
    for tr in table.select("tbody tr"):
        words = [s for s in tr.find("th").find_all(string=True) if not s.find_parent("a", class_="assumption")]
        rows[" ".join(" ".join(words).split())] = [text(td) for td in tr.find_all("td")]
    return rows


def _row(soup, start: str) -> list[str]:
    return next(cells for label, cells in _valuation_rows(soup).items() if label.startswith(start))


def test_a_tiny_price_gives_a_yield_or_says_it_is_beyond_the_range_never_enter_a_price(client):
    # At 0.01% of face, $1,534 of New Notes cost $0.1534: the yield is huge, but it is an answer, not a missing price.
    soup = estimate(client, WORKED_EXAMPLE | {"price": "0.01"})
    cells = _row(soup, "New Notes yield to maturity at a price of 0.01%")
    assert cells and not any("enter a price" in cell for cell in cells)
    assert all(cell.endswith("%") or cell.endswith("% a year") for cell in cells)
    # Close to maturity the yield is beyond what the page reports: it says so.
    late = estimate(client, {"principal": "1000", "consummation": "2009-07-31", "price": "0.01"})
    assert _row(late, "New Notes yield to maturity")[1] == "more than 1,000,000.00% a year"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("price", "0.0001", "New Notes price (% of face): must be from 0.01% to 1,000% of face, such as 95."),
    ("share_price", "0.0001", "Share price ($): must be in whole cents, from $0.01 to $1,000,000 a share, "
                              "such as 2.50."),
    ("discount_rate", "12.345", "Discount rate (% a year): must have at most 2 decimal places, from 0% to 1,000% "
                                "a year, such as 12."),
])
def test_more_places_than_the_page_shows_are_refused_naming_the_range(client, field, value, message):
    soup = estimate(client, WORKED_EXAMPLE | {field: value}, status=400)
    error = soup.select_one(f"#id_{field}").find_parent("div").select_one(".invalid-feedback")
    assert text(error) == message


def test_the_holdings_warrant_value_is_its_shares_times_the_value_per_share_shown(client):
    # $100,000 gets 1,534 warrant shares; at a share price of one cent each is worth $0.0085 (Black-Scholes, 200%
    # volatility), shown to the cent as $0.01: the holding's is 1,534 x $0.01, a figure a reader can check.
    soup = estimate(client, {"principal": "100000", "consummation": "2003-10-10", "share_price": "0.01",
                             "volatility": "200", "risk_free_rate": "4"})
    per_share, holding = _row(soup, "Warrant value per share"), _row(soup, "Warrant value of your holding")
    assert per_share == ["$0.01", "$0.01"]
    assert holding == ["$15.34 (1,534 shares)", "$15.34 (1,534 shares)"]


def test_percentages_are_written_to_2_places_like_the_figures_beside_them(client):
    soup = estimate(client, WORKED_EXAMPLE | {"discount_rate": "234.2", "price": "90", "recovery": "40"})
    rows = _valuation_rows(soup)
    assert "Present value of the cash at 234.20%" in rows
    assert "New Notes yield to maturity at a price of 90.00%" in rows
    assert "(40.00% recovery of your claim" in text(soup.select_one(".valuation-summary"))


def test_every_figure_that_rests_on_an_assumption_is_marked_and_every_assumption_is_listed(client):
    soup = estimate(client, WORKED_EXAMPLE | ASSUMPTIONS)
    for tr in soup.select("table.valuation-table tbody tr")[:4]:
        assert tr.find("th").select_one("a.assumption"), text(tr)
    listed = text(soup.select_one(".estimate-assumptions"))
    for line in ("Discount rate: 15.00% a year", "New Notes price: 90.00% of face",
                 "Recovery if you do not tender: 40.00% of your claim", "Share price: $1.50 a share",
                 "Share price volatility: 60.00% a year", "Risk-free rate: 4.00% a year",
                 "Common shares outstanding: 4,300,000 shares", "compounded quarterly, time in 30/360 years",
                 "Black-Scholes"):
        assert line in listed, line
    blank = text(estimate(client, WORKED_EXAMPLE | {"discount_rate": "15"}).select_one(".estimate-assumptions"))
    assert "Recovery if you do not tender: not given, so 0.00% of your claim" in blank
    assert "Share price: not given (no warrant value)" in blank


def test_the_staff_figure_for_shares_outstanding_is_listed_as_not_the_holders(client):
    OldNotes.objects.update(shares_outstanding=4_300_000)
    listed = text(estimate(client, WORKED_EXAMPLE | {"discount_rate": "15"}).select_one(".estimate-assumptions"))
    assert "Common shares outstanding: 4,300,000 shares (the site's figure, not yours)" in listed


def test_before_the_offer_expires_the_estimate_is_for_the_figures_date(client):
    # Oct 1, 2003: the September amendment is in force but cannot complete before Oct 7; figures for Oct 10 (rule 11).
    soup = estimate(client, {"principal": "1000", "consummation": "2003-10-01", "discount_rate": "0"})
    assert "the estimate is for Oct 10, 2003" in text(soup.select_one(".figures-date"))
    assert _row(soup, "Present value of the cash") == ["$2,235.79", "$2,603.20"]  # the module docstring's example


ACCEPTED = {
    "discount_rate": st.decimals(min_value=0, max_value=1000, places=2),
    "price": st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2),
    "recovery": st.decimals(min_value=0, max_value=100, places=2),
    "share_price": st.decimals(min_value=Decimal("0.01"), max_value=1_000_000, places=2),
    "volatility": st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2),
    "risk_free_rate": st.decimals(min_value=0, max_value=1000, places=2),
    "shares_outstanding": st.integers(min_value=1, max_value=10_000_000_000).map(Decimal),
}
TYPED = {"share_price": lambda v: st.sampled_from([f"{v}", f"${v:,}"]),
         "shares_outstanding": lambda v: st.sampled_from([f"{v}", f"{v:,}"])}


@st.composite
def accepted_queries(draw) -> dict[str, str]:
    query = {"principal": str(draw(st.integers(min_value=1, max_value=27_412_000))),
             "consummation": draw(st.dates(min_value=date(2003, 9, 18), max_value=date(2009, 7, 31))).isoformat()}
    for field, values in ACCEPTED.items():
        value = draw(st.none() | values)
        if value is not None:
            typed = TYPED.get(field, lambda v: st.sampled_from([f"{v}", f"{v}%"]))
            query[field] = draw(typed(value))
    return query


MONEY = re.compile(r"\$[\d,]+(\.\d+)?")
PERCENT = re.compile(r"(-?[\d,]*(\.\d+)?)%")


@given(query=accepted_queries())
@settings(max_examples=80, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_accepted_value_gives_an_estimate_with_one_number_of_places_per_kind(client, query):
    response = client.get("/estimate", query)
    assert response.status_code in (200, 400), query
    soup = BeautifulSoup(response.content, "html.parser")
    if response.status_code == 400:  # only a date on which no version applies: the assumptions were all accepted
        fields = {a["href"].removeprefix("#id_") for a in soup.select(".error-summary li a")}
        assert fields == {"consummation"}, (query, text(soup.select_one(".error-summary")))
        return
    given = set(query) - {"principal", "consummation"}
    if not given:
        assert soup.select_one(".no-estimate") is not None
        return
    rows = _valuation_rows(soup)
    cells = {label.split(" at ")[0]: values for label, values in rows.items()}
    applies = [cell != "does not apply" for cell in cells["Present value of the cash"]]
    for label, needs, missing in (("Present value of the cash", {"discount_rate"}, "enter a discount rate"),
                                  ("New Notes yield to maturity", {"price"}, "enter a price"),
                                  ("Warrant value per share", {"share_price", "volatility", "risk_free_rate"},
                                   "enter share price")):
        for cell, applied in zip(cells[label], applies, strict=True):
            if applied:
                assert (missing in cell) == (not needs <= given), (query, label, cell)
    # The holding's warrant value is its shares times the value of one as shown.
    for per_share, holding in zip(cells["Warrant value per share"], cells["Warrant value of your holding"],
                                  strict=True):
        if per_share.startswith("$"):
            shares = int(holding.split("(")[1].split(" ")[0].replace(",", ""))
            assert Decimal(holding.split(" ")[0][1:].replace(",", "")) == (
                Decimal(per_share[1:].replace(",", "")) * shares), (query, per_share, holding)
    # Money to the cent, percentages to 2 places, in the table, the summary, the assumptions and the rate table
    # (not the words naming the range of rates searched or shown: "from 5% to 40%", "between 0% and 100%").
    for caption in soup.select("caption"):
        caption.decompose()
    shown = " ".join(text(part) for part in soup.select(
        "table.valuation-table, .valuation-summary, .estimate-assumptions, table.pv-table"))
    shown = shown.replace("between 0% and 100%", "")
    assert all(match.group(1) and len(match.group(1)) == 3 for match in MONEY.finditer(shown)), (query, shown)
    assert all(re.fullmatch(r"-?[\d,]*\d\.\d\d", match.group(1)) for match in PERCENT.finditer(shown)), (query, shown)
