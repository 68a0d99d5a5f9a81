"""An editor amends the terms in a real browser: copy, change a rate, preview, publish (after a
confirmation page that shows what holders will see); holders see it.

At 12.5% the first coupon on $1,000 exchanged Oct 10, 2003 (New Notes 1,534, 111 days
30/360 to Feb 1, 2004) is 1,534 x 12.5% x 111/360 = 59.1229... -> $59.12; at the
published 12% it is $56.76.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from offers.models import OfferVersion
from tests.web.admin_client import PASSWORD, staff_user

pytestmark = pytest.mark.browser

HOLDER_QUERY = "/?principal=1000&consummation=2003-10-10"
# Every version's figures, side by side: announced Dec 1, the new version is not in force on Oct 10, 2003,
# so its figures show there, not in the answer.
# (No fragment: going to the same address with one again would only scroll, not reload.)
SIDE_BY_SIDE = "/details?principal=1000&consummation=2003-10-10"


def log_in(page, site: str, username: str) -> None:
    page.goto(f"{site}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/admin/")


def test_an_editor_changes_a_rate_previews_publishes_and_holders_see_it(page, browser, live_site):
    staff_user("edith", "Offer editors")
    september = OfferVersion.objects.get(slug="september-2003")
    log_in(page, live_site, "edith")

    # Start the amendment from the published September 2003 terms.
    page.goto(f"{live_site}/admin/offers/offerversion/{september.pk}/change/")
    page.get_by_role("link", name="Copy as new draft").click()
    page.get_by_label("Announced on").fill("2003-12-01")  # an amendment says when it was announced
    page.get_by_role("button", name="Copy as a new draft").click()
    page.wait_for_url(re.compile(r"/admin/offers/offerversion/\d+/change/$"))
    expect(page.get_by_role("heading", name="Status: Draft")).to_be_visible()

    # Change the rate, with a reason, and save.
    page.get_by_label("New Notes rate (% a year)").fill("12.5")
    page.get_by_label("Reason for this change").fill("Rate raised to 12.5% in the October supplement")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    draft_url = page.url

    # Preview it on the holder page: the draft beside the published versions.
    page.get_by_role("link", name="Preview on the holder page").click()
    page.wait_for_url(re.compile(r"preview=september-2003-draft"))
    assert "Copy of September 2003 amendment (draft preview)" in page.locator("main").inner_text()
    page.get_by_role("link", name="Side by side: every figure of every version, line by line").click()
    page.wait_for_url(re.compile(r"/details\?.*preview=september-2003-draft"))
    body = page.locator("main").inner_text()
    assert "Copy of September 2003 amendment (draft preview)" in body
    assert "$1,113.80" in body and "$1,069.20" in body  # total interest: the draft, the published amendment

    # Holders do not see the draft yet.
    holder = browser.new_context().new_page()
    holder.goto(f"{live_site}{SIDE_BY_SIDE}")
    assert "$1,113.80" not in holder.locator("main").inner_text()

    # Publish it: first the confirmation page says what holders will see, then confirm with a reason.
    page.goto(draft_url)
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", name="What holders will see change")).to_be_visible()
    effect = page.locator("#holder-effect")
    expect(effect.locator("li.difference", has_text="Shown to holders")).to_contain_text("no \u2192 yes")
    # Announced Dec 1, 2003, the copy becomes the answer from that day.
    expect(page.locator("#in-force-changes")).to_contain_text(
        "Dec 1, 2003: September 2003 amendment \u2192 Copy of September 2003 amendment")
    holder.goto(f"{live_site}{SIDE_BY_SIDE}")
    assert "$1,113.80" not in holder.locator("main").inner_text()  # not yet: nothing is confirmed
    page.get_by_label("Reason (recorded in the history)").fill("Announced in the October supplement")
    page.get_by_role("button", name="Confirm: publish").click()
    expect(page.locator("ul.messagelist")).to_contain_text(
        "Copy of September 2003 amendment: published (Announced in the October supplement).")
    expect(page.get_by_role("heading", name="Status: Published")).to_be_visible()

    # Now a holder sees the new figure.
    holder.goto(f"{live_site}{SIDE_BY_SIDE}")
    holder_body = holder.locator("main").inner_text()
    assert "Copy of September 2003 amendment" in holder_body and "(draft preview)" not in holder_body
    assert "$1,113.80" in holder_body
    holder.context.close()

    draft = OfferVersion.objects.get(slug="september-2003-draft")
    assert page.console_errors == []  # no script errors, no content security policy violations
    reasons = list(draft.history.values_list("history_change_reason", flat=True))
    assert reasons == ["Published: Announced in the October supplement",
                       "Rate raised to 12.5% in the October supplement", "Copied from september-2003"]


def test_leaving_a_changed_form_asks_first_and_staying_keeps_what_was_typed(page, live_site):
    staff_user("edith", "Offer editors")
    draft = OfferVersion.objects.get(slug="september-2003").copy_as_draft()
    log_in(page, live_site, "edith")
    page.goto(f"{live_site}/admin/offers/offerversion/{draft.pk}/change/")
    page.get_by_label("New Notes rate (% a year)").fill("12.5")

    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", stay)
    page.get_by_role("link", name="Preview on the holder page").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert "/change/" in page.url
    expect(page.get_by_label("New Notes rate (% a year)")).to_have_value("12.5")

    # Saving the form itself does not ask.
    page.remove_listener("dialog", stay)
    page.on("dialog", lambda dialog: asked.append(dialog.type) or dialog.accept())
    page.get_by_label("Reason for this change").fill("Rate raised")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    assert asked == ["beforeunload"]
    assert page.console_errors == []
