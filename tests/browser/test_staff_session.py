"""Staff sessions in a real browser: the warning and "Stay signed in", and a save pressed after the session
ended, which comes back filled in (not saved) once the editor has logged in again."""

from __future__ import annotations

import re
import time
from decimal import Decimal
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from lexp_site.staff_session import LAST_SEEN
from offers.models import OfferVersion
from tests.browser.test_admin_publish_flow import log_in
from tests.web.admin_client import PASSWORD, change_url, staff_user

pytestmark = pytest.mark.browser


def session_of(page):
    """The browser's session, as the server stores it."""
    [key] = [c["value"] for c in page.context.cookies() if c["name"] == django_settings.SESSION_COOKIE_NAME]
    return import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=key)


def idle_for(page, seconds: float) -> None:
    session = session_of(page)
    session[LAST_SEEN] = time.time() - seconds
    session.save()


def test_a_save_after_the_session_ended_comes_back_filled_in_after_logging_in(page, live_site):
    staff_user("edith", "Offer editors")
    draft = OfferVersion.objects.get(slug="september-2003").copy_as_draft()
    log_in(page, live_site, "edith")
    page.goto(f"{live_site}{change_url(draft)}")
    page.locator("input[name=new_rate_percent]").fill("12.5")
    page.locator("textarea[name=source]").fill("Typed before the session ended")
    page.locator("input[name=change_reason]").fill("Rate raised by the supplement")

    idle_for(page, django_settings.STAFF_SESSION_IDLE + 1)  # the editor went to lunch
    page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_url(re.compile(r"/admin/login/"))
    expect(page.locator(".messagelist")).to_contain_text("Your session ended after 2 hours without activity, so "
                                                         "nothing was saved")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(f"{live_site}{change_url(draft)}")
    expect(page.locator("input[name=new_rate_percent]")).to_have_value("12.5")
    expect(page.locator("textarea[name=source]")).to_have_value("Typed before the session ended")
    expect(page.locator("input[name=change_reason]")).to_have_value("Rate raised by the supplement")
    expect(page.locator(".messagelist")).to_contain_text("Nothing has been saved yet")
    draft.refresh_from_db()
    assert draft.new_rate_percent == Decimal(12)
    assert draft.source != "Typed before the session ended"
    assert page.console_errors == []


def test_the_warning_before_the_end_and_stay_signed_in(page, live_site, settings):
    settings.STAFF_SESSION_WARN = settings.STAFF_SESSION_IDLE + 60  # so the warning shows at once
    staff_user("edith", "Offer editors")
    log_in(page, live_site, "edith")
    warning = page.locator("#session-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Your session ends in about")

    idle_for(page, 60 * 60)  # as if the page had been open an hour
    with page.expect_response(lambda response: "/staff/session" in response.url) as answered:
        page.get_by_role("button", name="Stay signed in").click()
    assert answered.value.status == 200
    assert time.time() - session_of(page)[LAST_SEEN] < 60  # the server counted it as activity
    expect(warning).to_contain_text("Your session ends in about")
    assert page.console_errors == []
