"""The holder comparison page (`/`): form, results, tender status and the not-tendering panel.

Expected figures are worked out by hand from the spec's worked example ($1,000 at
Oct 10, 2003): accrued 1,000 x 12.75% x 1509/360 = 534.4375, New Notes 1,534;
original coupons 1,534 x 11.5% x 111/360 = 54.39 then 1,534 x 11.5% / 4 = 44.10 (15);
September 2003 coupons 56.76 then 46.02 (23).
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from django.urls import reverse

from offers.adapter import save_terms
from tests.web.holder import WORKED_EXAMPLE, column_headings, comparison_rows, details, page, shared_client, text

pytestmark = pytest.mark.django_db
client = shared_client  # one client for the module (see tests/web/holder.py)

ORIGINAL = "Original terms (before the September 2003 amendment)"


def _september_name(seeded_terms) -> str:
    return seeded_terms["september-2003"].name


# The first visit


def test_it_shows_the_form_and_an_introduction_on_a_first_visit(client):
    soup = page(client)
    assert soup.select_one("form.holder-form") is not None
    assert "12 3/4% Senior Subordinated Notes" in text(soup.select_one("p.lead"))
    assert soup.select_one("table.comparison") is None
    assert soup.select_one(".error-summary") is None


def test_it_starts_the_consummation_date_at_the_latest_versions_expected_date(client):
    soup = page(client)
    assert soup.select_one("#id_consummation")["value"] == "2003-10-10"


def test_it_asks_for_the_principal_with_a_numeric_keyboard_and_the_form_uses_get(client):
    soup = page(client)
    assert soup.select_one("#id_principal")["inputmode"] == "numeric"
    assert soup.select_one("form.holder-form")["method"] == "get"


def test_it_suggests_the_expiry_and_expected_consummation_dates(client):
    soup = page(client)
    field = soup.select_one("#id_consummation")
    options = [(o["value"], o["label"]) for o in soup.select(f"datalist#{field['list']} option")]
    # A date input takes ISO values; the label is what the holder reads. Not Sep 30, 2003, the original terms'
    # expiry: by then the amendment (announced Sep 18) is in force, and it applies only from Oct 7 (rule 11).
    assert options == [("2003-10-07", "Oct 7, 2003"), ("2003-10-10", "Oct 10, 2003")]


def test_the_consummation_date_is_a_date_picker_limited_to_the_dates_a_version_applies(client):
    field = page(client).select_one("#id_consummation")
    assert field["type"] == "date"
    # From the amendment's announcement (Sep 18, 2003: from then on a holder gets its figures, rule 11) to the
    # day before the last maturity (Aug 1, 2009).
    assert (field["min"], field["max"]) == ("2003-09-18", "2009-07-31")


def test_the_date_picker_gets_a_date_typed_in_another_form_back_in_iso(client):
    soup = page(client, {"principal": "1000", "consummation": "10/10/2003", "change": "1"})
    assert soup.select_one("#id_consummation")["value"] == "2003-10-10"


def test_an_invalid_date_is_quoted_in_the_message_as_the_picker_cannot_show_it(client):
    soup = page(client, {"principal": "1000", "consummation": "someday"}, status=400)
    message = text(soup.select_one("#div_id_consummation .invalid-feedback"))
    assert message.startswith("Consummation date:")
    assert "You entered \u201csomeday\u201d." in message


def test_it_ignores_query_parameters_that_are_not_form_fields(client):
    soup = page(client, {"utm_source": "newsletter"})
    assert soup.select_one(".error-summary") is None


def test_it_loads_bootstrap_from_our_own_static_files(client):
    soup = page(client)
    hrefs = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert "/static/bootstrap/css/bootstrap.min.css" in hrefs
    assert all(href.startswith("/static/") for href in hrefs)


def test_it_has_no_inline_styles_or_scripts(client):
    soup = page(client, WORKED_EXAMPLE | {"tendered": "unsure"})
    assert soup.find(style=True) is None
    assert soup.find("style") is None
    assert all(script.get("src") for script in soup.find_all("script"))


def test_it_refuses_a_post(client):
    assert client.post("/", WORKED_EXAMPLE).status_code == 405


# Field errors: 400, next to the field, named, and summarised with a link to the field


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"principal": "", "consummation": "2003-10-10"}, "principal", "enter the principal amount"),
        ({"principal": "abc", "consummation": "2003-10-10"}, "principal", "such as 1000"),
        ({"principal": "0", "consummation": "2003-10-10"}, "principal", "more than $0"),
        ({"principal": "-5", "consummation": "2003-10-10"}, "principal", "whole-dollar amount"),
        ({"principal": "1000.50", "consummation": "2003-10-10"}, "principal", "whole-dollar amount"),
        ({"principal": "1,00,0", "consummation": "2003-10-10"}, "principal", "whole-dollar amount"),
        ({"principal": "27,412,001", "consummation": "2003-10-10"}, "principal", "$27,412,000"),
        ({"principal": "1000", "consummation": ""}, "consummation", "enter a date"),
        ({"principal": "1000", "consummation": "2003-02-30"}, "consummation", "not a real date"),
        ({"principal": "1000", "consummation": "13/01/2003"}, "consummation", "13/01/2003"),
        ({"principal": "1000", "consummation": "Oct 2003"}, "consummation", "four-digit year"),
        ({"principal": "1000", "consummation": "10/10/03"}, "consummation", "four-digit year"),
        ({"principal": "1000", "consummation": "2003-09-01"}, "consummation", "no version of the offer applies"),
        ({"principal": "1000", "consummation": "2009-08-01"}, "consummation", "no version of the offer applies"),
        ({"principal": "1000", "consummation": "2003-10-10", "tendered": "maybe"}, "tendered", "I am not sure"),
    ],
)
def test_it_shows_each_field_error_next_to_the_field_and_in_the_summary(client, query, field, words):
    soup = page(client, query, status=400)
    next_to_field = soup.select_one(f"#div_id_{field}")
    assert next_to_field is not None
    errors = [text(e) for e in next_to_field.select(".invalid-feedback")]
    assert len(errors) == 1
    assert words in errors[0]
    label = {"principal": "Old Notes principal", "consummation": "Consummation date", "tendered": "Have you tendered"}
    assert errors[0].startswith(label[field])  # the message names the field
    link = soup.select_one(f'.error-summary a[href="#{soup.select_one(f"#div_id_{field} input")["id"]}"]')
    assert link is not None
    assert text(link) == errors[0]


def test_it_reports_both_fields_when_both_are_wrong(client):
    soup = page(client, {"principal": "lots", "consummation": "someday"}, status=400)
    targets = [a["href"] for a in soup.select(".error-summary a")]
    assert targets == ["#id_principal", "#id_consummation"]
    assert soup.select_one("table.comparison") is None


def test_it_marks_the_invalid_input_for_assistive_technology(client):
    soup = page(client, {"principal": "lots", "consummation": "2003-10-10"}, status=400)
    assert "is-invalid" in soup.select_one("#id_principal")["class"]


def test_it_uses_the_expected_consummation_when_a_link_gives_only_the_principal(client):
    soup = page(client, {"principal": "1000"})
    assert text(soup.select_one("#answer .holding-line")).startswith("$1,000 of Old Notes, exchanged Oct 10, 2003.")
    assert "plus $534.4375 of accrued interest" in text(soup.select_one("#answer .conversion"))


# The permalink: the URL carries the inputs and the form shows them again


@pytest.mark.parametrize("typed", ["2003-10-10", "10/10/2003", "Oct 10, 2003"])
def test_the_permalink_brings_back_the_values(client, typed):
    query = {"principal": "$100,000", "consummation": typed, "tendered": "no"}
    # 100,000 x 12.75% x 1509/360 = 53,443.75
    assert "plus $53,443.75 of accrued interest" in text(page(client, query).select_one("#answer .conversion"))
    # The answer's Change link brings the form back, filled in.
    soup = page(client, query | {"change": "1"})
    assert soup.select_one("#answer") is None
    assert soup.select_one("#id_principal")["value"] == "$100,000"
    assert soup.select_one("#id_consummation")["value"] == "2003-10-10"  # the date picker shows ISO dates
    assert soup.select_one('input[name="tendered"][checked]')["value"] == "no"


def test_the_permalink_keeps_a_bad_value_so_the_holder_can_correct_it(client):
    soup = page(client, {"principal": "1O00", "consummation": "2003-10-10"}, status=400)
    assert soup.select_one("#id_principal")["value"] == "1O00"


# The results: the answer on the holder page, the side by side table on the details page


def test_the_answer_page_is_the_answer_and_links_to_the_side_by_side_table_and_the_estimate(client):
    soup = page(client, WORKED_EXAMPLE)
    assert soup.select_one("#answer") is not None
    # Details on demand: neither the 20-line table nor the estimate's fields are on the answer page...
    assert soup.select_one("table.comparison") is None
    assert soup.select_one("#id_discount_rate") is None
    # ...each is one link away, for the same holding.
    links = {text(a): a["href"] for a in soup.select("nav.more a")}
    side_by_side = next(href for label, href in links.items() if label.startswith("Side by side"))
    assert side_by_side == "/details?principal=1000&consummation=2003-10-10#side-by-side"
    estimate = next(href for label, href in links.items() if label.startswith("What each version is worth"))
    assert estimate == "/estimate?principal=1000&consummation=2003-10-10"
    assert comparison_rows(details(client, WORKED_EXAMPLE))["Total cash"][:2] == ["$2,235.79", "$2,603.20"]


def test_it_shows_one_column_per_published_version_in_staff_order(client, seeded_terms):
    headings = column_headings(details(client, WORKED_EXAMPLE))
    assert headings[1] == ORIGINAL
    assert headings[2] == _september_name(seeded_terms)
    assert headings[3].startswith("Difference")


def test_the_columns_follow_the_announcement_dates(client, seeded_terms):
    from offers.models import OfferVersion

    assert column_headings(details(client, WORKED_EXAMPLE))[1:3] == [ORIGINAL, _september_name(seeded_terms)]
    OfferVersion.objects.filter(slug="original").update(announced="2003-09-19")  # now announced after September
    headings = column_headings(details(client, WORKED_EXAMPLE))
    assert headings[1:3] == [_september_name(seeded_terms), ORIGINAL]


def test_it_shows_the_worked_example_for_both_versions(client):
    rows = comparison_rows(details(client, WORKED_EXAMPLE))
    assert rows["Old Notes principal"][:2] == ["$1,000.00", "$1,000.00"]
    assert rows["Days of Old Notes interest"][:2] == ["1,509", "1,509"]
    assert rows["Accrued interest converted"][:2] == ["$534.4375", "$534.4375"]
    assert rows["New Notes principal"][:2] == ["$1,534.00", "$1,534.00"]
    assert rows["Forgone (fraction below the increment)"][:2] == ["$0.4375", "$0.4375"]
    assert rows["Warrant shares"][:2] == ["15", "15"]
    assert rows["Exercise price per share"][:2] == ["$3.50", "$3.50"]
    assert rows["Aggregate exercise cost"][:2] == ["$52.50", "$52.50"]
    # 54.39 + 14 x 44.10 = 671.79; 56.76 + 22 x 46.02 = 1,069.20
    assert rows["Total interest"][:2] == ["$671.79", "$1,069.20"]
    assert rows["Principal repaid at maturity"][:2] == ["$1,534.00", "$1,534.00"]
    # interest + fee + principal: 671.79 + 30 + 1,534 = 2,235.79; 1,069.20 + 1,534 = 2,603.20
    assert rows["Total cash"][:2] == ["$2,235.79", "$2,603.20"]


def test_it_lists_every_line_of_the_comparison(client):
    from offers.core.compare import LINES

    assert list(comparison_rows(details(client, WORKED_EXAMPLE))) == [line.label for line in LINES]


@pytest.mark.parametrize(
    ("label", "before", "after", "change"),
    [
        ("New Notes interest rate", "11.5%", "12%", "+0.5 percentage points"),
        ("New Notes maturity", "Aug 1, 2007", "Aug 1, 2009", "Aug 1, 2009 (was Aug 1, 2007)"),
        ("Participation fee", "$30.00 on Oct 10, 2003", "none", "none (was $30.00 on Oct 10, 2003)"),
        ("Participation fee, total", "$30.00", "$0.00", "\u2212$30.00"),
        ("Number of coupons", "15", "23", "+8"),
        ("Warrants detachable from", "Jan 1, 2004", "Aug 1, 2005", "Aug 1, 2005 (was Jan 1, 2004)"),
        ("Warrants expire", "Aug 1, 2007", "Aug 1, 2009", "Aug 1, 2009 (was Aug 1, 2007)"),
        ("Total interest", "$671.79", "$1,069.20", "+$397.41"),
    ],
)
def test_the_differences_column_marks_each_changed_line_in_words(client, label, before, after, change):
    rows = comparison_rows(details(client, WORKED_EXAMPLE))
    assert rows[label][:2] == [before, after]
    assert rows[label][2] == f"changed : {change}"


def test_the_differences_column_highlights_changed_lines_and_says_same_otherwise(client):
    soup = details(client, WORKED_EXAMPLE)
    highlighted = [text(tr.find("th")) for tr in soup.select("table.comparison tbody tr")
                   if tr.select_one("td.changed.table-warning")]
    assert any(label.startswith("New Notes interest rate") for label in highlighted)
    rows = comparison_rows(soup)
    assert rows["Accrued interest converted"][2] == "same"
    assert rows["Warrant shares"][2] == "same"


def test_figures_resting_on_an_assumption_link_to_its_explanation(client):
    soup = details(client, WORKED_EXAMPLE)
    targets = {a["href"] for a in soup.select("table.comparison a.assumption")}
    assert targets == {"/how-we-calculate#rounding", "/how-we-calculate#new-notes-day-count",
                       "/how-we-calculate#warrant-shares"}
    new_principal_label = next(th for th in soup.select("table.comparison tbody th")
                               if th.get_text().strip().startswith("New Notes principal"))
    assert new_principal_label.select_one("a.assumption")["href"] == "/how-we-calculate#rounding"


def test_money_cells_are_right_aligned_with_tabular_figures(client):
    soup = details(client, WORKED_EXAMPLE)
    cell = next(td for td in soup.select("table.comparison td") if text(td) == "$1,534.00")
    assert "num" in cell["class"]


def test_the_explanation_page_has_a_section_for_each_assumption(client):
    response = client.get(reverse("offers-how-we-calculate"))
    assert response.status_code == 200
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html.parser")
    for section in ("rounding", "new-notes-day-count", "warrant-shares"):
        assert soup.find(id=section) is not None


# A version that does not apply on the date


def test_a_version_that_does_not_apply_stays_as_a_column_saying_why(client):
    # Oct 1, 2007: the original terms' New Notes matured Aug 1, 2007 (does not apply); the amendment applies.
    soup = details(client, {"principal": "1000", "consummation": "2007-10-01"})
    headings = column_headings(soup)
    assert headings[1] == ORIGINAL
    original = text(soup.select("table.comparison thead th")[1])
    assert "Does not apply" in original and "maturity (Aug 1, 2007)" in original
    rows = comparison_rows(soup)
    # 1,000 x 12.75% x 2940/360 = 1,041.25; New Notes 2,041.
    assert rows["Accrued interest converted"][:2] == ["does not apply", "$1,041.25"]
    assert rows["New Notes principal"][:2] == ["does not apply", "$2,041.00"]
    assert rows["New Notes interest rate"][2] == "not compared"


def test_before_the_offer_expires_the_details_are_for_the_figures_date_and_say_so(client):
    # Oct 1, 2003: the amendment (in force from Sep 18) expires Oct 7; its expected consummation is Oct 10 (rule 11).
    soup = details(client, {"principal": "1000", "consummation": "2003-10-01"})
    assert "These figures are for Oct 10, 2003" in text(soup.select_one(".figures-date"))
    rows = comparison_rows(soup)
    # 1,000 x 12.75% x 1509/360 = 534.4375 under both versions, compared on the same date.
    assert rows["Accrued interest converted"][:2] == ["$534.4375", "$534.4375"]
    assert rows["New Notes principal"][:2] == ["$1,534.00", "$1,534.00"]
    assert rows["New Notes interest rate"][2].startswith("changed")


# The coupon schedule


def test_the_coupon_schedule_has_a_row_per_payment_date_and_totals(client):
    soup = details(client, WORKED_EXAMPLE)
    rows = soup.select("table.coupons tbody tr")
    assert len(rows) == 23  # Feb 1, 2004 to Aug 1, 2009, quarterly: the longer schedule holds every date
    first = [text(cell) for cell in rows[0].find_all(["th", "td"])][:3]
    assert first == ["Feb 1, 2004", "$54.39", "$56.76"]
    second = [text(cell) for cell in rows[1].find_all(["th", "td"])][:3]
    assert second == ["May 1, 2004", "$44.10", "$46.02"]
    after_original = [text(cell) for cell in rows[15].find_all(["th", "td"])][:3]
    assert after_original == ["Nov 1, 2007", "no payment", "$46.02"]
    totals = [text(cell) for cell in soup.select("table.coupons tfoot tr")[0].find_all(["th", "td"])][:3]
    assert totals == ["Total interest", "$671.79", "$1,069.20"]


def test_each_coupon_row_opens_to_show_its_working(client):
    soup = details(client, WORKED_EXAMPLE)
    working = soup.select("table.coupons tbody tr")[0].select_one("details")
    assert working is not None
    words = text(working)
    assert "Oct 10, 2003 to Feb 1, 2004" in words
    assert "111 days" in words
    assert "Year fraction 111/360" in words
    assert "$56.758 unrounded" in words  # 1,534 x 12% x 111/360
    # 1,534 x 11.5% x 111/360 = 1,958,151/36,000 = 652,717/12,000 = 54.3930833...: 4 places, marked, and exactly
    assert "≈ $54.3931 (exactly 54 4717/12000) unrounded" in words
    assert "Rounded half up to the cent: $56.76" in words


# Tender status and what to do now


def test_the_tender_panel_shows_the_latest_report_and_the_minimum_condition(client):
    soup = page(client, WORKED_EXAMPLE)
    panel = text(soup.select_one(".tender-status"))
    assert "As of Sep 18, 2003, $27,209,000.00" in panel
    assert "99.3%" in panel  # 27,209,000 / 27,412,000 = 99.259...%
    assert text(soup.select_one(".condition.minimum-tender")).startswith(
        "At least 99% of the Old Notes tendered and not withdrawn: met by the latest tender report.")


def test_the_tender_panel_uses_the_newest_report(client):
    from offers.models import OldNotes, TenderReport

    TenderReport.objects.create(old_notes=OldNotes.objects.get(), as_of=date(2003, 10, 6),
                                amount_tendered=27000000)
    panel = text(page(client, WORKED_EXAMPLE).select_one(".tender-status"))
    # 27,000,000 / 27,412,000 = 98.497...%: below 99%.
    assert "As of Oct 6, 2003, $27,000,000.00" in panel
    assert "98.5%" in panel
    assert "tendered and not withdrawn: not met by the latest tender report." in panel


def test_the_answer_states_the_deadline_of_the_version_in_force_in_words_with_its_time_zone(client, seeded_terms):
    deadline = page(client, WORKED_EXAMPLE).select_one(".deadline").get_text()
    assert deadline == ("Tender or withdraw by 5:00 p.m. New York time on Tuesday, October 7, 2003, "
                        "unless the company extends it. Brokers often set an earlier cut-off: ask yours.")
    # Each version's expiration, replaced ones too, is among the key dates.
    expiry = next(tr for tr in details(client, WORKED_EXAMPLE).select("table.key-dates tbody tr")
                  if text(tr.find("th")).startswith("Offer expires"))
    assert [text(td) for td in expiry.find_all("td")] == [
        "Sep 30, 2003, 5:00 p.m. New York time",
        "Oct 7, 2003, 5:00 p.m. New York time moved from Sep 30, 2003, 5:00 p.m. New York time",
    ]


@pytest.mark.parametrize(
    ("answer", "present", "absent"),
    [
        ("yes", ["do not need to take any further action", "directions for withdrawing tendered notes"],
         ["directions for tendering notes", "broker"]),
        ("no", ["directions for tendering notes"],
         ["do not need to take any further action", "withdrawing", "broker"]),
        ("unsure", ["Check with your broker", "do not need to take any further action",
                    "directions for withdrawing tendered notes", "directions for tendering notes"], []),
    ],
)
def test_what_to_do_now_follows_the_holders_answer(client, answer, present, absent):
    advice = text(page(client, WORKED_EXAMPLE | {"tendered": answer}).select_one(".what-to-do"))
    for words in present:
        assert words in advice
    for words in absent:
        assert words not in advice


def test_what_to_do_now_quotes_all_three_cases_when_the_holder_has_not_answered(client):
    advice = text(page(client, WORKED_EXAMPLE).select_one(".what-to-do"))
    assert "do not need to take any further action" in advice
    assert "directions for tendering notes" in advice
    assert "directions for withdrawing tendered notes" in advice


# Not tendering


def test_the_not_tendering_panel_shows_the_claim_kept_and_the_companys_intention(client):
    panel = page(client, WORKED_EXAMPLE).select_one(".not-tendering")
    rows = {text(dt): text(dt.find_next_sibling("dd")) for dt in panel.select("dl.claim dt")}
    assert rows == {
        "Old Notes principal": "$1,000.00",
        "Interest at 12.75% from Aug 1, 1999 to Oct 10, 2003": "$534.4375",
        "Claim": "$1,534.4375",
    }
    assert "does not presently intend to pay principal or accrued interest" in text(panel)


def test_with_no_published_version_it_says_so_instead_of_failing(client):
    from offers.models import OfferVersion

    OfferVersion.objects.update(status="archived")
    soup = page(client)
    assert "No version of the offer terms is published yet." in text(soup.select_one("p.terms-stamp"))
    soup = page(client, WORKED_EXAMPLE, status=400)
    assert "no version of the offer terms is published yet" in text(soup.select_one(".error-summary"))


# Stamp, exports, query budget


def test_it_names_the_versions_with_when_each_was_announced_not_when_the_sites_data_was_edited(client, seeded_terms):
    from offers.models import OfferVersion

    OfferVersion.objects.filter(slug="september-2003").update(updated_at="2026-12-05T16:53:00-05:00")
    soup = page(client)
    stamp = text(soup.select_one("main p.terms-stamp"))
    assert f"{ORIGINAL}; {_september_name(seeded_terms)} (announced Sep 18, 2003)." in stamp
    for holder_page in (soup, page(client, WORKED_EXAMPLE)):  # the edit time is staff's (the admin's list)
        assert "last changed" not in text(holder_page).lower()
        assert "4:53 p.m." not in text(holder_page)


def test_it_links_to_the_exports_of_the_same_holding(client):
    soup = page(client, {"principal": "$100,000", "consummation": "Oct 10, 2003"})
    hrefs = [a["href"] for a in soup.select("nav.more a")]
    assert "/export.csv?principal=%24100%2C000&consummation=Oct+10%2C+2003" in hrefs
    assert "/calendar.ics?version=september-2003&principal=%24100%2C000&consummation=Oct+10%2C+2003" in hrefs
    assert "/api/outcome?principal=%24100%2C000&consummation=Oct+10%2C+2003" in hrefs


def _publish_a_third_version(seeded_terms):
    september = seeded_terms["september-2003"]
    longer = dataclasses.replace(
        september, slug="longer", name="A longer version", announced=date(2003, 12, 1),
        new_notes=dataclasses.replace(september.new_notes, maturity=date(2015, 8, 1)),
    )
    save_terms(longer, status="published")


@pytest.mark.parametrize("extra_version", [False, True])
def test_the_page_needs_at_most_three_queries(client, seeded_terms, django_assert_max_num_queries, extra_version):
    if extra_version:
        _publish_a_third_version(seeded_terms)
    with django_assert_max_num_queries(3):
        response = client.get("/", WORKED_EXAMPLE | {"tendered": "yes"})
    assert response.status_code == 200
    assert b"A longer version" in response.content or not extra_version
