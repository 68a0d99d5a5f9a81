"""The results fragment (everything below the form) is Jinja2, escaped as Django's templates escape.

``offers.views.render_results`` asks for ``offers/_results.html`` by name; these tests fail if
that name (or a partial it includes) stops resolving to the Jinja2 engine, if a Django
template of the same name comes back, or if the Jinja2 environment stops escaping.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import jinja2
import pytest
from bs4 import BeautifulSoup
from django.template import TemplateDoesNotExist, engines
from django.template.backends.jinja2 import Jinja2
from django.template.loader import get_template
from django.urls import get_script_prefix, set_script_prefix

from offers.adapter import save_terms
from offers.jinja2 import environment, url
from tests.web.holder import WORKED_EXAMPLE, shared_client

client = shared_client  # one client for the module (see tests/web/holder.py)

PARTIALS = ["_results", "_comparison", "_charts", "_coupons", "_timeline", "_sensitivity", "_valuation", "_tender",
            "_not_tendering", "_exports"]
PAYLOAD = "<script>alert(1)</script> & \"O'Brien\""
# What Django's escape writes (Jinja's own escape would write &#39; and &#34;).
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;O&#x27;Brien&quot;"


@pytest.mark.parametrize("name", PARTIALS)
def test_the_results_fragment_and_its_partials_are_jinja2_templates_only(name):
    template_name = f"offers/{name}.html"
    assert isinstance(get_template(template_name).backend, Jinja2)
    with pytest.raises(TemplateDoesNotExist):
        engines["django"].get_template(template_name)


def test_a_missing_value_is_empty_as_in_a_django_template_even_with_debug_undefined():
    """Django's backend picks DebugUndefined with DEBUG on, which would print the expression in the page."""
    env = environment(loader=jinja2.DictLoader({}), autoescape=True, undefined=jinja2.DebugUndefined)
    assert env.from_string("[{{ missing }}{{ tender.as_of.year }}]").render() == "[]"


@pytest.mark.django_db
def test_a_script_in_a_version_name_comes_back_escaped_in_the_results(client, seeded_terms):
    september = seeded_terms["september-2003"]
    later = dataclasses.replace(september, slug="payload", name=PAYLOAD, announced=date(2003, 9, 19))
    save_terms(later, status="published")
    response = client.get("/", WORKED_EXAMPLE)
    assert response.status_code == 200
    results = response.content.decode().split("</form>", 1)[1]
    assert "<script>alert" not in results
    assert "&amp;lt;" not in results  # escaped once, not twice
    # Where the templates themselves write the name (the tables' markup in offers.render escapes on its own).
    written = {
        "comparison and coupons headings": f'class="text-end version-name">{ESCAPED}',
        "differences heading": f"{ESCAPED} minus {september.name}",
        "key dates heading": f'<th scope="col" class="version-name">{ESCAPED}</th>',
        "consummation date table heading": f"First coupon: {ESCAPED}</th>",
        "calendar link": f"Payment dates under {ESCAPED} (calendar file)",
    }
    assert [place for place, markup in written.items() if markup not in results] == []
    assert results.count(written["comparison and coupons headings"]) == 2
    # The markup written in Python (offers.render) is not escaped again.
    soup = BeautifulSoup(results, "html.parser")
    assert len(soup.select("table.comparison tbody tr")) > 5
    assert soup.select_one("table.coupons tbody details dl.coupon-working") is not None
    assert soup.select_one("section.cash-over-time figure.chart svg") is not None


@pytest.mark.django_db
def test_the_typed_inputs_in_the_export_links_are_url_encoded_and_escaped(client):
    body = client.get("/", {"principal": "$1,000", "consummation": "Oct 10, 2003"}).content.decode()
    query = "principal=%241%2C000&amp;consummation=Oct+10%2C+2003"
    assert f'href="/export.csv?{query}"' in body
    assert f'href="/calendar.ics?version=september-2003&amp;{query}"' in body


def test_links_follow_the_script_prefix_the_site_is_mounted_under():
    before = get_script_prefix()
    try:
        assert url("offers-export-csv") == "/export.csv"
        set_script_prefix("/exchange/")
        assert url("offers-export-csv") == "/exchange/export.csv"
    finally:
        set_script_prefix(before)
    assert url("offers-export-csv") == "/export.csv"
