"""The explanation page: every rule in plain words, the worked example computed live, the source's own lines.

Worked example (spec): $1,000 at Oct 10, 2003: 1,000 x 12.75% x 1509/360 = 534.4375;
New Notes 1,534 ($0.4375 forgone); original 1,534 x 11.5% x 111/360 = 54.3930833... ->
54.39, then 14 x 44.10; September 2003 56.758 -> 56.76, then 22 x 46.02; fee 3% of
$1,000 = $30.00; 15 warrant shares at $3.50 = $52.50.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from offers.adapter import save_terms
from offers.explanation import QUOTES, SOURCE, quotes
from tests.web.holder import WORKED_EXAMPLE, details, page, shared_client, text

pytestmark = pytest.mark.django_db
client = shared_client  # one client for the module (see tests/web/holder.py)

ROOT = Path(__file__).resolve().parents[2]
X = "\u00d7"  # the multiplication sign the page writes
SECTIONS = ("availability", "accrued-interest", "rounding", "payment-dates", "new-notes-day-count", "coupons",
            "participation-fee", "warrant-shares", "not-tendering", "day-counts", "valuation")


def explanation(client) -> BeautifulSoup:
    response = client.get(reverse("offers-how-we-calculate"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_it_lives_at_how_we_calculate():
    assert reverse("offers-how-we-calculate") == "/how-we-calculate"


def test_it_has_a_titled_section_for_every_rule_and_a_contents_list_linking_to_them(client):
    soup = explanation(client)
    for section_id in SECTIONS:
        section = soup.find(id=section_id)
        assert section is not None and section.name == "section", section_id
        heading = section.find("h2")
        assert section["aria-labelledby"] == heading["id"]
        assert len(text(section)) > 150, section_id  # words, not just a heading
    contents = {a["href"] for a in soup.select("nav.contents a")}
    assert {f"#{section_id}" for section_id in SECTIONS} <= contents


def test_each_assumption_is_marked_as_one(client):
    soup = explanation(client)
    for section_id in ("rounding", "new-notes-day-count", "warrant-shares"):
        assert "Assumption:" in text(soup.find(id=section_id)), section_id


def test_the_worked_example_is_the_specs(client):
    original, september = (text(article) for article in explanation(client).select("#worked-example article"))
    for version in (original, september):
        accrued = f"$1,000.00 {X} 12.75% {X} 1,509/360 (1,509 days in 30/360 from Aug 1, 1999 to Oct 10, 2003)"
        assert f"{accrued} = $534.4375" in version
        assert "rounded down to a multiple of $1.00: $1,534.00 ; $0.4375 below it is forgone" in version
        assert "15 shares at $3.50, $52.50 to exercise them all" in version
    first = f"$1,534.00 {X} 11.5% {X} 111/360 (111 days, Oct 10, 2003 to Feb 1, 2004)"
    assert f"{first} = ≈ $54.3931 (exactly 54 4717/12000)" in original  # 652,717/12,000
    assert "rounded half up to the cent: $54.39" in original
    later = f"14 coupons, paid May 1, 2004 to Aug 1, 2007, each: $1,534.00 {X} 11.5% {X} 90/360 (90 days)"
    assert f"{later} = $44.1025" in original
    assert "Number of coupons: 15" in original and "Number of coupons: 23" in september
    assert "3% of the Old Notes principal ($1,000.00), rounded half up to the cent: $30.00, paid on Oct 10, 2003" in (
        original)
    assert "= $56.758, rounded half up to the cent: $56.76" in september
    assert "22 coupons, paid May 1, 2004 to Aug 1, 2009, each" in september and "$46.02" in september
    assert "Participation fee: none in this version." in september


def test_the_worked_example_is_computed_from_the_published_terms_not_typed_in(client, seeded_terms):
    september = seeded_terms["september-2003"]
    higher = dataclasses.replace(september.new_notes, rate_percent=Decimal("12.5"))
    save_terms(dataclasses.replace(september, new_notes=higher), status="published")
    worked = text(explanation(client).select("#worked-example article")[1])
    # 1,534 x 12.5% x 111/360 = 59.1229166... -> 59.12
    assert f"$1,534.00 {X} 12.5% {X} 111/360" in worked and "rounded half up to the cent: $59.12" in worked


def test_every_quotation_is_the_source_documents_own_lines():
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    found = quotes()
    assert set(found) == set(QUOTES)
    for section, passages in found.items():
        for passage in passages:
            original = " ".join(" ".join(lines[passage.first_line - 1:passage.last_line]).split())
            assert passage.text == original, section
            assert not lines[passage.first_line - 2].strip() and not lines[passage.last_line].strip()


def test_the_page_quotes_the_source_in_each_section(client):
    soup = explanation(client)
    lines = soup.select("ol.source-document li")
    assert len(lines) == len(SOURCE.read_text(encoding="utf-8").splitlines())
    accrued = soup.find(id="accrued-interest")
    quoted = text(accrued.select_one("blockquote"))
    assert "the accrued interest would total $534.4375 for each $1,000 principal amount of Old Notes" in quoted
    cite = accrued.select_one(".source-quote figcaption a")
    assert soup.find(id=cite["href"].removeprefix("#")) in lines
    assert "does not presently intend to pay principal or accrued interest" in text(soup.find(id="not-tendering"))
    assert "holders of record, as of July 1, 2002" in text(soup.find(id="availability"))


def test_the_valuation_section_follows_the_conventions_of_docs_valuation(client):
    document = (ROOT / "docs" / "valuation.md").read_text(encoding="utf-8")
    conventions = document.split("### Conventions", 1)[1].split("###", 1)[0]
    lead_ins = re.findall(r"^- \*\*(.+?)\*\*", conventions, flags=re.M)
    assert len(lead_ins) >= 5
    section = text(explanation(client).find(id="valuation"))
    for lead_in in lead_ins:
        assert lead_in in section, lead_in
    assert "estimates under assumptions you choose, not advice" in section


def test_the_terms_table_lists_what_staff_can_change_per_version_and_marks_assumptions(client):
    table = explanation(client).select_one("table.terms-table")
    rows = {text(tr.find("th")): [text(td) for td in tr.find_all("td")] for tr in table.select("tbody tr")}
    assert rows["New Notes rate"] == ["11.5%", "12%", "documents"]
    assert rows["New Notes day count"] == ["30/360", "30/360", "assumption"]
    assert rows["New Notes issued in multiples of"] == ["$1.00", "$1.00", "assumption"]
    assert rows["Warrant shares rounded"][-1] == "assumption"
    assert rows["Participation fee"][:2] == ["3% of the Old Notes principal, paid on consummation", "none"]
    assert rows["Warrants detachable from"][:2] == ["Jan 1, 2004", "Aug 1, 2005"]


def test_every_link_from_the_result_page_to_the_explanation_lands_on_a_section(client):
    links = page(client, WORKED_EXAMPLE).select('a[href^="/how-we-calculate#"]')
    links += details(client, WORKED_EXAMPLE).select('a[href^="/how-we-calculate#"]')
    targets = {a["href"].split("#")[1] for a in links}
    assert {"rounding", "new-notes-day-count", "warrant-shares", "payment-dates"} <= targets
    soup = explanation(client)
    assert all(soup.find(id=target) is not None for target in targets)


def test_it_has_no_inline_styles_or_scripts_and_needs_one_query(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(reverse("offers-how-we-calculate"))
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find(style=True) is None and soup.find("style") is None
    assert all(script.get("src") for script in soup.find_all("script"))
