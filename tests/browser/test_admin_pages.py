"""Admin pages as an editor sees them in a real browser: nothing repeated, nothing clipped."""

from __future__ import annotations

import pytest

from offers.models import OfferVersion
from tests.browser.test_admin_publish_flow import log_in
from tests.web.admin_client import staff_user

pytestmark = pytest.mark.browser


@pytest.fixture
def utc_page(browser):
    """A browser whose clock is in UTC: 5 hours ahead of the server's New York time in October."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US", timezone_id="UTC")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def test_the_version_form_does_not_repeat_a_time_zone_note(utc_page, live_site):
    staff_user("edith", "Offer editors")
    log_in(utc_page, live_site, "edith")
    version = OfferVersion.objects.get(slug="september-2003")
    utc_page.goto(f"{live_site}/admin/offers/offerversion/{version.pk}/change/")
    utc_page.wait_for_load_state("load")
    assert utc_page.locator(".timezonewarning").count() == 0
    assert "hours ahead of server time" not in utc_page.locator("#content").inner_text()


def test_the_version_list_shows_every_column_at_1400_px(utc_page, live_site):
    staff_user("edith", "Offer editors")
    log_in(utc_page, live_site, "edith")
    utc_page.goto(f"{live_site}/admin/offers/offerversion/")
    results = utc_page.locator(".results")
    overflow = results.evaluate("element => element.scrollWidth - element.clientWidth")
    assert overflow <= 0, f"the list is {overflow} px wider than its box: the last columns are cut off"
    box, cell = results.bounding_box(), utc_page.locator("td.field-last_change").first.bounding_box()
    assert cell["x"] + cell["width"] <= box["x"] + box["width"] + 1
