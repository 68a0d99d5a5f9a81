"""Issue 18: an answer on every date (rule 11), the answer page is the answer, everything a holder must know,
small holdings. Expected figures are worked by hand from the spec (30/360 days, 12.75% a year)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offers.adapter import save_terms
from tests.core.strategies import reproducible
from tests.web.holder import page, shared_client, text

client = shared_client  # one client for the module (see tests/web/holder.py)
pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


def words(soup, selector: str) -> str:
    element = soup.select_one(selector)
    assert element is not None, selector
    return " ".join(element.get_text().split())  # as it reads: no space added around inline markup


# Rule 11: before the offer in force expires, the figures are for its figures date


@pytest.mark.parametrize("asked", ["2003-10-01", "2003-09-30"])
def test_before_the_amendment_expires_the_answer_gives_the_figures_for_its_expected_consummation(client, asked):
    soup = page(client, {"principal": "250000", "consummation": asked, "tendered": "yes"})
    # 250,000 x 12.75% x 1509/360 (Aug 1, 1999 to Oct 10, 2003) = 133,609.375: New Notes $383,609.00.
    assert words(soup, "#answer .new-principal") == "$383,609.00"
    why = words(soup, "#answer .figures-date")
    day = date.fromisoformat(asked)
    assert f"The exchange cannot complete on {day:%b} {day.day}, 2003" in why
    assert "5:00 p.m. New York time on Tuesday, October 7, 2003" in why
    assert "These figures are for Oct 10, 2003, the date the company expects to complete the exchange" in why
    assert words(soup, "#answer .in-force-name") == "September 2003 amendment"
    # Not tendering and the replaced terms on the same date: the claim to Oct 10, the original's 3% fee then.
    assert "Interest at 12.75% from Aug 1, 1999 to Oct 10, 2003" in words(soup, "#answer .not-tendering")
    replaced = [text(li) for li in soup.select("#answer .would-have-given li")]
    assert "Participation fee: $7,500.00 on Oct 10, 2003 instead of none" in replaced
    assert "Not compared" not in words(soup, "#answer .replaced")
    # Its exports carry the date the figures are for, so they agree with the page.
    csv = next(a["href"] for a in soup.select("nav.more a") if "export.csv" in a["href"])
    assert "consummation=2003-10-10" in csv


def test_on_or_after_the_expiry_the_figures_are_for_the_holders_own_date(client):
    soup = page(client, {"principal": "1000", "consummation": "2003-10-07"})
    assert soup.select_one("#answer .figures-date") is None
    # 1,000 x 12.75% x 1506/360 = 533.375: New Notes $1,533.00.
    assert words(soup, "#answer .new-principal") == "$1,533.00"


def _amendment_of_oct_3(seeded_terms, expected: date = date(2003, 10, 24)):
    """An amendment announced Oct 3, 2003 whose offer expires Oct 21 (as in the issue)."""
    september = seeded_terms["september-2003"]
    return dataclasses.replace(
        september, slug="october-2003", name="October 2003 amendment", announced=date(2003, 10, 3),
        expires_at=datetime(2003, 10, 21, 17, 0, tzinfo=NEW_YORK), expected_consummation=expected)


@pytest.mark.parametrize("asked", [date(2003, 10, 3) + timedelta(days=n) for n in range(18)],
                         ids=lambda d: d.isoformat())
def test_no_date_between_an_amendments_announcement_and_its_expiry_gives_an_empty_answer(client, seeded_terms, asked):
    save_terms(_amendment_of_oct_3(seeded_terms), status="published")
    soup = page(client, {"principal": "1000", "consummation": asked.isoformat()})
    assert words(soup, "#answer .in-force-name") == "October 2003 amendment"
    # 1,000 x 12.75% x 1523/360 (Aug 1, 1999 to Oct 24, 2003) = 539.3958...: New Notes $1,539.00.
    assert words(soup, "#answer .new-principal") == "$1,539.00"
    assert "These figures are for Oct 24, 2003" in words(soup, "#answer .figures-date")
    assert "5:00 p.m. New York time on Tuesday, October 21, 2003" in words(soup, "#answer .deadline")


def test_the_date_hints_suggest_no_date_on_which_the_version_in_force_does_not_apply(client, seeded_terms):
    save_terms(_amendment_of_oct_3(seeded_terms), status="published")
    options = [o["value"] for o in page(client).select("datalist#consummation-dates option")]
    # Sep 30 (original's expiry) and Oct 7, Oct 10 (the September amendment's) fall where the October
    # amendment or the September one is in force but has not expired: none is offered.
    assert options == ["2003-10-21", "2003-10-24"]


@given(day=st.dates(min_value=date(2003, 9, 18), max_value=date(2009, 7, 31)))
@reproducible(max_examples=40)
def test_every_holder_date_gets_a_new_notes_principal_or_words_saying_why_none(client, day):
    response = client.get("/", {"principal": "100000", "consummation": day.isoformat()})
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200, text(soup.select_one("main"))
    principal = soup.select_one("#answer .new-principal")
    if principal is None:
        assert words(soup, "#answer .no-figures").startswith("No figures can be given: ")
    else:
        assert words(soup, "#answer .new-principal").startswith("$")
        assert soup.select_one("#answer .unavailable-reason") is None


def test_a_date_before_the_versions_announcement_is_still_refused_with_the_valid_range(client):
    soup = page(client, {"principal": "1000", "consummation": "2003-09-10"}, status=400)
    assert "enter a date from Sep 30, 2003" in words(soup, ".error-summary")


# The answer page is the answer


def test_the_answer_page_has_no_form_and_the_holding_in_one_line_with_a_change_link(client):
    soup = page(client, {"principal": "100,000", "consummation": "2003-10-10", "tendered": "yes"})
    assert soup.select_one("form") is None
    assert soup.select_one("#answer-title")["tabindex"] == "-1"
    line = soup.select_one("#answer .holding-line")
    assert words(soup, "#answer .holding-line").startswith("$100,000 of Old Notes, exchanged Oct 10, 2003, tendered.")
    change = line.select_one("a.change-link")
    assert change["href"] == "/?principal=100%2C000&consummation=2003-10-10&tendered=yes&change=1"
    form_page = client.get(change["href"])
    assert form_page.status_code == 200
    from bs4 import BeautifulSoup

    filled = BeautifulSoup(form_page.content, "html.parser")
    assert filled.select_one("#answer") is None
    assert filled.select_one("#id_principal")["value"] == "100,000"
    assert filled.select_one("#id_consummation")["value"] == "2003-10-10"
    assert filled.select_one('input[name="tendered"][checked]')["value"] == "yes"
    assert filled.select_one(".error-summary") is None


def test_the_key_figures_and_the_deadline_come_before_the_terms_in_force_paragraph(client):
    soup = page(client, {"principal": "100000", "consummation": "2003-10-10", "tendered": "yes"})
    order = [element.get("class", [None])[0] for element in soup.select(
        "#answer .new-principal, #answer .total-cash, #answer .deadline, #answer .what-to-do, #answer .terms-in-force")]
    assert order == ["new-principal", "total-cash", "deadline", "what-to-do", "terms-in-force"]


# Everything a holder must know


def test_the_first_visit_states_the_deadline_and_the_conditions(client):
    soup = page(client)
    assert "expires at 5:00 p.m. New York time on Tuesday, October 7, 2003" in words(soup, ".offer-deadline")
    conditions = words(soup, ".conditions")
    assert "At least 99% of the Old Notes tendered and not withdrawn: met" in conditions
    assert "refinancing or retirement of all of the company's debt other than the Old Notes" in conditions


def test_the_answer_states_every_condition_whether_it_is_met_the_contact_and_the_brokers_cut_off(client):
    soup = page(client, {"principal": "1000", "consummation": "2003-10-10", "tendered": "no"})
    assert words(soup, "#answer .condition.minimum-tender").startswith(
        "At least 99% of the Old Notes tendered and not withdrawn: met by the latest tender report.")
    assert words(soup, "#answer .condition.other-debt") == (
        "The refinancing or retirement of all of the company's debt other than the Old Notes, on terms satisfactory "
        "to the company: not yet known.")
    assert "Warren Delano (212) 319-4657" in words(soup, "#answer .contact")  # the release's last line
    assert "Brokers often set an earlier cut-off" in words(soup, "#answer .deadline")


def test_with_no_tender_report_the_minimum_tender_is_not_yet_known(client):
    from offers.models import TenderReport

    TenderReport.objects.all().delete()
    soup = page(client, {"principal": "1000", "consummation": "2003-10-10"})
    assert "tendered and not withdrawn: not yet known" in words(soup, "#answer .condition.minimum-tender")


def test_assumptions_are_marked_and_the_releases_per_1000_figure_stands_beside_the_holders(client):
    soup = page(client, {"principal": "1000", "consummation": "2003-10-01"})
    conversion = words(soup, "#answer .conversion")
    # 1,000 x 12.75% x 1509/360 = 534.4375 (figures for Oct 10): $1,534.4375, $0.4375 below $1 is forgone.
    assert "$0.4375 below the increment is forgone (assumption: " in conversion
    assert "rounded down to a whole share: an assumption" in words(soup, "#answer .warrants")
    # The release: $534.4375 of accrued interest per $1,000 on Oct 10, 2003, so $1,534.4375 before rounding.
    per_1000 = words(soup, "#answer .per-1000")
    assert per_1000.startswith("For each $1,000 of Old Notes: $1,534.4375 of New Notes principal before rounding")
    assert "consummated Oct 10, 2003" in per_1000


# Small holdings


def test_a_holding_too_small_for_one_warrant_share_says_so_in_words(client):
    soup = page(client, {"principal": "50", "consummation": "2003-10-10"})
    # 50 x 12.75% x 1509/360 = 26.72...: New Notes $76; 76 x 10 / 1,000 = 0.76 shares, rounded down: none.
    assert words(soup, "#answer .new-principal") == "$76.00"
    warrants = words(soup, "#answer .warrants")
    assert warrants.startswith("0 shares: your $76.00 of New Notes is too small for one warrant share.")
    assert "one share needs $100.00 of New Notes; you get no warrants." in warrants


def test_a_holding_too_small_for_one_new_note_says_what_it_gets_instead(client, seeded_terms):
    september = seeded_terms["september-2003"]
    thousands = dataclasses.replace(september, slug="thousands", name="Notes in thousands",
                                    announced=date(2003, 9, 19),
                                    new_notes=dataclasses.replace(september.new_notes, increment=Decimal(1000)))
    save_terms(thousands, status="published")
    soup = page(client, {"principal": "100", "consummation": "2003-10-10"})
    # 100 x 12.75% x 1509/360 = 53.44...: $153.44 is below one $1,000 New Note; rounded down, it is forgone.
    principal = words(soup, "#answer .new-principal")
    assert principal.startswith("$0.00: your holding is too small for one New Note. New Notes come in multiples of "
                                "$1,000.00;")
    assert "is forgone (assumption: no cash in lieu)" in principal
