"""The admin login lockout in a real browser: one editor locked out after repeated wrong passwords,
while a colleague at the same address (the same office, here 127.0.0.1) still logs in; guesses for
other usernames from the office's address do not lock the office out."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.test_admin_publish_flow import log_in
from tests.web.admin_client import staff_user

pytestmark = pytest.mark.browser


def test_one_editor_is_locked_out_while_a_colleague_at_the_same_address_logs_in(page, browser, live_site):
    staff_user("edith", "Offer editors")
    staff_user("olga", "Offer editors")

    page.goto(f"{live_site}/admin/login/?next=/admin/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username").fill("edith")
        page.get_by_label("Password").fill("not-her-password")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("load")
    expect(page.locator("#lockout-reason")).to_contain_text(
        "Too many failed logins for edith from your address: 5 wrong passwords within an hour.")
    expect(page.locator("#lockout-until")).to_contain_text("New York time: an hour after the last failed attempt")
    expect(page.locator("#lockout-what-to-do")).to_contain_text("python manage.py axes_reset_username edith")
    expect(page.locator("#site-name")).to_contain_text("Exchange Outcome staff")  # the admin's styled page
    # The page's own 429 is reported as a failed load; nothing else (no CSP violation) may be.
    assert [e for e in page.console_errors if "status of 429" not in e] == []

    colleague = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(colleague, live_site, "olga")
    expect(colleague.locator("#user-tools")).to_contain_text("olga")
    colleague.context.close()


def test_guesses_for_other_usernames_from_the_office_do_not_lock_out_a_colleague(page, browser, live_site):
    staff_user("olga", "Offer editors")

    page.goto(f"{live_site}/admin/login/?next=/admin/")
    for attempt in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        page.get_by_label("Username").fill(f"guess{attempt}")
        page.get_by_label("Password").fill("not-a-password")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("load")
    # The address is locked for usernames with no account: a further guess gets the lockout page.
    page.goto(f"{live_site}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("one-more-guess")
    page.get_by_label("Password").fill("not-a-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#lockout-reason")).to_contain_text("Too many failed logins from your address")
    expect(page.locator("#lockout-what-to-do")).to_contain_text("Axes → Access attempts")

    colleague = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(colleague, live_site, "olga")  # same address, the right password
    expect(colleague.locator("#user-tools")).to_contain_text("olga")
    colleague.context.close()


def test_the_login_page_warns_before_the_lock(page, live_site):
    staff_user("edith", "Offer editors")
    page.goto(f"{live_site}/admin/login/?next=/admin/")
    for _ in range(3):
        page.get_by_label("Username").fill("edith")
        page.get_by_label("Password").fill("not-her-password")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("load")
    expect(page.locator("#attempts-left")).to_contain_text("2 attempts left before edith is locked for an hour")
