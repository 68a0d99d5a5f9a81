"""The site's pages escape what they did not write: typed text and version names come back escaped once.

Also the page shell: the navigation marks the current page, the print stylesheet is linked.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from django.urls import reverse

from offers.adapter import save_terms
from tests.web.admin_client import logged_in, staff_user
from tests.web.holder import WORKED_EXAMPLE, shared_client

client = shared_client  # one client for the module (see tests/web/holder.py)

PAYLOAD = "<script>alert(1)</script> & \"O'Brien\""
# What Django's escape writes.
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;O&#x27;Brien&quot;"
TITLE_END = " \u00b7 Lexington Precision exchange offer</title>"


def between(body: str, start: str, end: str) -> str:
    """The markup from ``start`` to the first ``end`` after it, as written (a parser would re-escape it)."""
    if start not in body:
        return ""
    head = body.index(start)
    return body[head:body.index(end, head) + len(end)]


def shell(body: str) -> dict[str, str]:
    """The parts of the page the shell templates write (not the form's fields, not the results)."""
    return {
        "title": between(body, "<title>", "</title>"),
        "print header": between(body, '<div class="print-only print-header">', "</div>"),
        "terms line": between(body, '<p class="small text-body-secondary terms-stamp mt-4">', "</p>"),
        "error summary": between(body, '<div class="alert alert-danger error-summary"', "</div>"),
    }


def assert_no_raw_payload(body: str) -> None:
    assert "<script>alert" not in body
    assert "&amp;lt;" not in body  # escaped once, not twice
    assert body.count("<script") == 1  # only base.html's own focus.js


@pytest.mark.django_db
def test_the_holder_page_and_how_we_calculate_share_the_page_shell(client):
    """The nav reads ``request``: the current page is marked, the other not."""
    page = client.get("/").content.decode()
    explained = client.get(reverse("offers-how-we-calculate")).content.decode()
    assert page.startswith("<!doctype html>\n<html lang=\"en\">")
    assert page.endswith("</html>\n")
    assert "<title>Compare the versions of the offer" + TITLE_END in page
    assert "<title>How we calculate" + TITLE_END in explained
    assert 'href="/how-we-calculate" aria-current="page">How we calculate</a>' in explained
    assert 'href="/how-we-calculate">How we calculate</a>' in page
    assert 'href="/static/offers/print.css" media="print"' in page
    # The quotes partial is included with each section's own quotes.
    assert explained.count('<figure class="source-quote">') >= 8
    assert 'id="source-line-1"' in explained


@pytest.mark.django_db
def test_a_script_typed_in_the_principal_comes_back_escaped_once(client):
    response = client.get("/", {"principal": PAYLOAD, "consummation": "2003-10-10"})
    assert response.status_code == 400
    body = response.content.decode()
    assert_no_raw_payload(body)
    parts = shell(body)
    assert "<title>Compare the versions of the offer" + TITLE_END in parts["title"]
    assert '<a href="#id_principal">Old Notes principal: ' in parts["error summary"]
    assert f'name="principal" value="{ESCAPED}"' in body


@pytest.mark.django_db
def test_a_script_typed_in_the_date_comes_back_escaped_in_the_error_summary(client):
    response = client.get("/", {"principal": "1000", "consummation": PAYLOAD})
    assert response.status_code == 400
    body = response.content.decode()
    assert_no_raw_payload(body)
    summary = shell(body)["error summary"]
    assert '<a href="#id_consummation">Consummation date: ' in summary
    assert f"You entered \u201c{ESCAPED}\u201d.</a></li>" in summary


@pytest.mark.django_db
def test_a_script_in_a_version_name_comes_back_escaped_in_the_print_header_and_terms_line(client, seeded_terms):
    september = seeded_terms["september-2003"]
    later = dataclasses.replace(september, slug="payload", name=PAYLOAD, announced=date(2003, 9, 19))
    save_terms(later, status="published")
    response = client.get("/", WORKED_EXAMPLE | {"tendered": "yes"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert" not in body
    parts = shell(body)
    # The title carries the holding, written by the filters (no typed text reaches it as typed).
    assert "<title>$1,000.00 at Oct 10, 2003" + TITLE_END in parts["title"]
    versions = f"{september.name}; {ESCAPED}."
    assert f"Versions of the terms: {seeded_terms['original'].name}; {versions}" in body
    assert versions in parts["print header"]
    assert "Your inputs: Old Notes principal $1,000.00;\n  consummation date Oct 10, 2003; tendered: " \
           in parts["print header"]
    # The form page's terms line names each version with its announcement date.
    form_page = client.get("/").content.decode()
    assert_no_raw_payload(form_page)
    assert f"{ESCAPED} (announced Sep 19, 2003)." in shell(form_page)["terms line"]


@pytest.mark.django_db
def test_a_script_in_the_staff_pages_date_comes_back_escaped():
    staff = logged_in(staff_user("vera", "Offer viewers"))
    response = staff.get(reverse("offers-staff-issue"), {"consummation": PAYLOAD})
    assert response.status_code == 400
    body = response.content.decode()
    assert_no_raw_payload(body)
    assert f'value="{ESCAPED}"' in body
    assert '<a class="nav-link" href="/admin/">Staff admin</a>' in body
    assert "<title>Whole issue at " in shell(body)["title"]
