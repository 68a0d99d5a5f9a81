"""The printed page: version names, when the terms last changed, the inputs and the date printed."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.utils import timezone

from tests.web.holder import page, shared_client, text

pytestmark = pytest.mark.django_db
client = shared_client  # one client for the module (see tests/web/holder.py)

QUERY = {"principal": "$100,000", "consummation": "10/10/2003", "tendered": "yes"}


def _print_css() -> str:
    path = finders.find("offers/print.css")
    assert path is not None
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _rules(css: str) -> dict[str, str]:
    """selector list -> declarations (the print sheet is flat: no nested blocks)."""
    return {selectors.strip(): body for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(
        r"/\*.*?\*/", "", css, flags=re.S))}


def test_the_page_links_the_print_stylesheet_for_print_only(client):
    soup = page(client, QUERY)
    link = soup.find("link", href="/static/offers/print.css")
    assert link is not None
    assert link["media"] == "print"


def test_the_print_stylesheet_hides_the_form_and_navigation_and_shows_the_print_header():
    rules = _rules(_print_css())
    hidden = next(body for selectors, body in rules.items() if ".holder-form" in selectors)
    assert "display: none" in hidden
    hiding = next(selectors for selectors, body in rules.items() if "display: none" in body)
    assert ".site-nav" in hiding
    shown = next(body for selectors, body in rules.items() if selectors == ".print-only")
    assert "display: block" in shown


def test_the_screen_stylesheet_hides_the_print_header():
    path = finders.find("offers/site.css")
    with open(path, encoding="utf-8") as handle:
        assert ".print-only { display: none; }" in handle.read()


def test_the_print_header_carries_versions_inputs_and_date_printed_not_when_the_data_was_edited(client, seeded_terms):
    from offers.models import OfferVersion

    OfferVersion.objects.filter(slug="september-2003").update(updated_at="2003-09-19T09:05:00-04:00")
    OfferVersion.objects.filter(slug="original").update(updated_at="2003-09-18T09:05:00-04:00")
    soup = page(client, QUERY)
    header = text(soup.select_one(".print-only.print-header"))
    today = timezone.localdate()
    # The date printed is said once, in the footer every printout ends with (with the page's address).
    assert f"Printed {today:%b} {today.day}, {today.year} from " in text(soup.select_one(".print-only.print-footer"))
    assert seeded_terms["original"].name in header
    assert seeded_terms["september-2003"].name in header
    assert "last changed" not in header and "Sep 19, 2003" not in header  # the time staff edited: staff pages only
    assert "Old Notes principal $100,000.00; consummation date Oct 10, 2003; tendered: Yes, I have tendered." in header


def test_the_print_header_is_there_before_any_input(client, seeded_terms):
    header = text(page(client).select_one(".print-only.print-header"))
    assert seeded_terms["original"].name in header
    assert "Your inputs" not in header


@pytest.mark.parametrize("path", ["/", "/estimate", "/details", "/how-we-calculate"])
def test_every_printout_ends_with_its_address_the_date_printed_and_not_advice(client, path):
    query = "principal=%24100%2C000&consummation=10%2F10%2F2003&tendered=yes"
    response = client.get(f"{path}?{query}")
    footer = text(BeautifulSoup(response.content, "html.parser").select_one(".print-only.print-footer"))
    today = timezone.localdate()  # the server's date in New York (TIME_ZONE)
    assert footer.startswith(f"Printed {today:%b} {today.day}, {today.year} from http://testserver{path}?{query}")
    assert "Not advice." in footer


def test_the_print_stylesheet_keeps_list_items_whole():
    rules = _rules(_print_css())
    assert "break-inside: avoid" in next(body for selectors, body in rules.items()
                                         if "li" in [s.strip() for s in selectors.split(",")])
