"""Tender reports in the admin: the list, the rules, and the holder page showing the latest report.

Percentages by hand: 27,209,000 / 27,412,000 = 99.259...% -> 99.3%; 20,490,000 / 27,412,000
= 74.748...% -> 74.7%; 27,400,000 / 27,412,000 = 99.956...% -> 100.0%.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from offers.models import OldNotes, TenderReport
from tests.web.admin_client import field_errors

pytestmark = pytest.mark.django_db

ADD = reverse("admin:offers_tenderreport_add")


def add_report(client, **fields: str):
    data = {"old_notes": str(OldNotes.objects.get().pk), "as_of": "2003-10-03", "amount_tendered": "27400000",
            "note": "Company update", "largest_holders_count": "", "largest_holders_amount": "",
            "change_reason": "", "loaded_updated_at": ""}
    return client.post(ADD, {**data, **fields})


def list_rows(client) -> list[str]:
    soup = BeautifulSoup(client.get(reverse("admin:offers_tenderreport_changelist")).content, "html.parser")
    return [" ".join(tr.get_text(" ").split()) for tr in soup.select("#result_list tbody tr")]


def test_the_list_shows_as_of_amount_percent_of_outstanding_largest_holders_and_note(editor):
    [row] = list_rows(editor)
    assert "Sept. 18, 2003" in row and "27209000" in row.replace(",", "")
    assert "99.3%" in row
    assert "4: $20,490,000 (74.7%)" in row
    assert "Press release of September 18, 2003" in row


def test_an_editor_adds_a_later_report_and_the_list_puts_it_first(editor):
    assert add_report(editor).status_code == 302
    rows = list_rows(editor)
    assert "Oct. 3, 2003" in rows[0] and "100.0%" in rows[0]
    assert TenderReport.objects.latest().amount_tendered == Decimal(27400000)


def test_the_holder_page_shows_the_latest_report(editor, client):
    add_report(editor, amount_tendered="27300000")
    page = client.get("/").content.decode()
    assert "$27,300,000" in page and "$27,209,000" not in page


@pytest.mark.parametrize(("amount", "ok"), [("27412000", True), ("27412001", False)])
def test_a_report_cannot_tender_more_than_is_outstanding(editor, amount, ok):
    response = add_report(editor, amount_tendered=amount)
    assert response.status_code == 302 if ok else field_errors(response, "amount_tendered") == [
        "Principal tendered ($): 27,412,001 is more than the $27,412,000 of Old Notes outstanding; enter a "
        "whole-dollar amount from 0 to 27,412,000."]


@pytest.mark.parametrize(("amount", "ok"), [("27412000", True), ("27412001", False)])
def test_the_largest_holders_cannot_hold_more_than_is_outstanding(editor, amount, ok):
    response = add_report(editor, largest_holders_count="4", largest_holders_amount=amount)
    assert response.status_code == 302 if ok else field_errors(response, "largest_holders_amount")


def test_the_largest_holders_need_both_their_number_and_their_amount(editor):
    response = add_report(editor, largest_holders_count="", largest_holders_amount="20490000")
    assert any("give both" in e for e in field_errors(response, "largest_holders_count"))
    response = add_report(editor, largest_holders_count="4", largest_holders_amount="")
    assert any("give both" in e for e in field_errors(response, "largest_holders_amount"))
    assert TenderReport.objects.count() == 1
