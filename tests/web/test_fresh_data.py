"""The holder page reads the terms afresh on every request, as the API does: any change shows on the next one.

Nothing is cached between requests (a new holding is worked out in a few milliseconds and a
cache keyed by the holding only helps the same request again), so these tests change the data
the way staff do, and as psql would, and read the next response.
"""
from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from offers.adapter import save_terms
from offers.models import OfferVersion, OldNotes, TenderReport
from tests.web.admin_client import logged_in, staff_user
from tests.web.holder import WORKED_EXAMPLE, column_headings, comparison_rows, details, page, text

pytestmark = pytest.mark.django_db
QUERY = WORKED_EXAMPLE | {"tendered": "yes"}
ORIGINAL = "Original terms (before the September 2003 amendment)"


def test_a_different_holding_is_worked_out_afresh(client):
    client.get("/", QUERY)
    other = page(client, QUERY | {"principal": "2000"})
    assert other.select_one("#answer .new-principal").get_text() == "$3,068.00"
    assert text(other.select_one("#answer .conversion")).startswith("Your $2,000.00 plus $1,068.875")


def test_a_principal_typed_differently_keeps_its_own_export_links(client):
    page(client, QUERY)
    soup = page(client, QUERY | {"principal": "1,000"})
    csv_link = soup.select_one("nav.more a[href*='export']")
    assert "principal=1%2C000" in csv_link["href"]


def test_editing_a_version_shows_the_change_on_the_next_request(client):
    assert text(page(client, QUERY).select_one("#answer .interest")).startswith("12% a year")
    assert comparison_rows(details(client, QUERY))["New Notes interest rate"][1] != "13.25%"
    version = OfferVersion.objects.get(slug="september-2003")
    version.new_rate_percent = Decimal("13.25")
    version.save()
    assert text(page(client, QUERY).select_one("#answer .interest")).startswith("13.25% a year")
    assert comparison_rows(details(client, QUERY))["New Notes interest rate"][1] == "13.25%"


def test_a_new_announcement_date_shows_the_new_order_on_the_next_request(client):
    assert column_headings(details(client, QUERY))[1] == ORIGINAL
    OfferVersion.objects.filter(slug="original").update(announced=date(2003, 9, 19))  # a bulk update: no save()
    assert column_headings(details(client, QUERY))[2] == ORIGINAL


def test_unpublishing_a_version_removes_it_on_the_next_request(client):
    assert ORIGINAL in column_headings(details(client, QUERY))
    OfferVersion.objects.get(slug="original").set_status(OfferVersion.Status.ARCHIVED, "withdrawn")
    assert ORIGINAL not in column_headings(details(client, QUERY))


def test_a_new_tender_report_shows_on_the_next_request(client):
    before = text(page(client, QUERY).select_one("section.tender-status"))
    assert "As of Sep 18, 2003, $27,209,000.00" in before
    TenderReport.objects.create(old_notes=OldNotes.objects.get(), as_of=date(2003, 10, 3),
                                amount_tendered=Decimal("27300000"), note="")
    after = text(page(client, QUERY).select_one("section.tender-status"))
    assert "As of Oct 3, 2003, $27,300,000.00" in after


def test_editing_the_old_notes_shows_on_the_next_request(client):
    assert "$30,000,000.00 outstanding" not in text(page(client, QUERY).select_one("section.tender-status"))
    notes = OldNotes.objects.get()
    notes.outstanding = Decimal("30000000")
    notes.save()
    assert "$30,000,000.00 outstanding" in text(page(client, QUERY).select_one("section.tender-status"))


@pytest.fixture
def draft(seeded_terms) -> str:
    september = seeded_terms["september-2003"]
    save_terms(dataclasses.replace(september, slug="draft-x", name="Draft X"), status="draft")
    return "draft-x"


def test_a_staff_preview_is_never_served_to_a_holder(client, draft):
    staff = logged_in(staff_user("previewer"))
    previewed = staff.get("/", QUERY | {"preview": draft})
    assert previewed.status_code == 200
    assert b"Draft X (draft preview)" in previewed.content
    holder = client.get("/", QUERY)
    assert holder.status_code == 200
    assert b"Draft X" not in holder.content
    assert client.get("/", QUERY | {"preview": draft}).status_code == 404


def test_a_new_holding_costs_two_queries(client, django_assert_num_queries):
    client.get("/", QUERY)
    with django_assert_num_queries(2):  # the published versions with their Old Notes, the latest tender report
        assert client.get("/", QUERY | {"principal": "2000"}).status_code == 200


def test_a_change_made_outside_django_shows_on_the_next_request_as_in_the_api(client):
    assert comparison_rows(details(client, QUERY))["New Notes interest rate"][1] == "12%"
    with connection.cursor() as cursor:  # as psql would: updated_at does not move
        cursor.execute("UPDATE offers_offerversion SET new_rate_percent = 13.25 WHERE slug = 'september-2003'")
    assert comparison_rows(details(client, QUERY))["New Notes interest rate"][1] == "13.25%"
    api = client.get("/api/outcome", WORKED_EXAMPLE).json()
    assert api["versions"][1]["new_notes"]["rate_percent"] == "13.25"
