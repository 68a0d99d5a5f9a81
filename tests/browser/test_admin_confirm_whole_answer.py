"""In a real browser, the trial's case: an editor moves the published September amendment's expiry from
Oct 7 to Oct 8, 2003 and its warrant exercise price from $3.50 to $4.50, and presses Save. The confirmation
lists both (it used to say "Nothing holders see changes"), warns that Oct 7 loses its figures, and Cancel
goes back to the form with what was typed.

By hand: 15 warrant shares on $1,000 (New Notes $1,534 x 10 / 1,000 = 15.34, rounded down) cost
15 x $3.50 = $52.50 before and 15 x $4.50 = $67.50 after.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from offers.models import OfferVersion
from tests.browser.test_admin_publish_flow import log_in
from tests.web.admin_client import staff_user

pytestmark = pytest.mark.browser


def test_the_confirmation_lists_the_new_deadline_and_exercise_price(page, live_site):
    staff_user("edith", "Offer editors")
    september = OfferVersion.objects.get(slug="september-2003")
    log_in(page, live_site, "edith")
    change = f"{live_site}/admin/offers/offerversion/{september.pk}/change/"
    page.goto(change)

    page.locator("#id_expires_at_0").fill("2003-10-08")
    page.get_by_label("Exercise price").fill("4.50")
    page.get_by_label("Reason for this change").fill("Expiry extended a day; price from the supplement")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("heading", name="What holders will see change")).to_be_visible()
    effect = page.locator("#holder-effect")
    expect(effect).not_to_contain_text("Nothing holders see changes")
    lines = effect.locator("li.difference .what")
    expect(lines.filter(has_text="Deadline:")).to_have_text(
        "Deadline: Tuesday, Oct 7 \u2192 Wednesday, Oct 8, 2003, 5:00 p.m. New York time")
    expect(lines.filter(has_text="Warrant exercise price:")).to_have_text(
        "Warrant exercise price: $3.50 \u2192 $4.50 a share")
    expect(lines.filter(has_text="Warrant exercise cost:")).to_contain_text("$52.50 \u2192 $67.50")
    expect(page.locator("#figures-lost")).to_contain_text("Holders who choose Oct 7, 2003")
    expect(page.locator("#in-force-applies")).to_contain_text("\u201cApplies\u201d says whether a version")

    # Cancel: back to the form, the typing kept, nothing saved.
    page.get_by_role("button", name=re.compile("^Cancel")).click()
    expect(page.locator("#id_expires_at_0")).to_have_value("2003-10-08")
    expect(page.get_by_label("Exercise price")).to_have_value("4.50")
    expect(page.locator("ul.messagelist")).to_contain_text("Nothing was saved")
    september.refresh_from_db()
    assert september.exercise_price == Decimal("3.50")

    # Save again and confirm: holders now get the new terms.
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("button", name="Confirm: save").click()
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    september.refresh_from_db()
    assert september.exercise_price == Decimal("4.50")
    assert september.expires_at.date().isoformat() == "2003-10-08"
    assert page.console_errors == []
