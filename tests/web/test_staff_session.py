"""Staff sessions end after 2 hours without activity or 12 hours after logging in; a save posted after the end
comes back, filled in and not saved, once the same person has logged in again (lexp_site/staff_session.py)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lexp_site.staff_session import KEPT, LAST_SEEN, STARTED
from tests.web.admin_client import PASSWORD, change_url, field_errors, form_data, staff_user
from tests.web.security import fast_passwords

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(fast_passwords.__name__)]

HOUR = 60 * 60
LOGIN = reverse("admin:login")


def logged_in(username: str, group: str = "Offer editors") -> Client:
    """A real login through the admin's login page (it records when the session started)."""
    if not staff_user_exists(username):
        staff_user(username, group)
    client = Client()
    assert client.post(LOGIN, {"username": username, "password": PASSWORD, "next": "/admin/"}).status_code == 302
    return client


def staff_user_exists(username: str) -> bool:
    return User.objects.filter(username=username).exists()


def age(client: Client, *, idle: float = 0, since_login: float | None = None) -> None:
    """Move the session's last request ``idle`` seconds back, and its login ``since_login`` seconds back."""
    session = client.session
    now = time.time()
    session[LAST_SEEN] = now - idle
    session[STARTED] = now - (since_login if since_login is not None else idle)
    session.save()


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def messages_text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(" ".join(li.get_text(" ").split()) for li in soup.select("ul.messagelist li"))


def test_the_limits_are_the_issues():
    assert (settings.STAFF_SESSION_IDLE, settings.STAFF_SESSION_MAX) == (2 * HOUR, 12 * HOUR)
    assert 0 < settings.STAFF_SESSION_WARN < settings.STAFF_SESSION_IDLE


def test_a_session_ends_after_two_hours_without_activity():
    client = logged_in("edith")
    age(client, idle=2 * HOUR + 1)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert not signed_in(client)
    assert "Your session ended after 2 hours without activity" in messages_text(response)


def test_activity_keeps_a_session_going():
    client = logged_in("edith")
    age(client, idle=2 * HOUR - 60, since_login=11 * HOUR)
    assert client.get("/admin/").status_code == 200
    assert signed_in(client)
    assert time.time() - client.session[LAST_SEEN] < HOUR  # the request counted as activity
    age(client, idle=2 * HOUR - 60, since_login=11 * HOUR)
    assert client.get("/admin/").status_code == 200


def test_a_session_ends_12_hours_after_logging_in_whatever_the_activity():
    client = logged_in("edith")
    age(client, idle=60, since_login=12 * HOUR + 1)
    response = client.get("/admin/", follow=True)
    assert not signed_in(client)
    assert "Your session ended 12 hours after you logged in" in messages_text(response)


def test_every_staff_page_says_how_long_is_left_for_the_warning():
    client = logged_in("edith")
    soup = BeautifulSoup(client.get("/admin/").content, "html.parser")
    box = soup.select_one("#session-warning")
    assert box.has_attr("hidden")  # the script shows it when the time comes
    assert settings.STAFF_SESSION_IDLE - 5 <= int(box["data-seconds-left"]) <= settings.STAFF_SESSION_IDLE
    assert int(box["data-warn-before"]) == settings.STAFF_SESSION_WARN
    assert box.select_one("button#stay-signed-in").get_text(strip=True) == "Stay signed in"
    assert soup.select_one("script[src$='offers/staff-session.js']") is not None
    assert not [s for s in soup.select("script") if s.string and s.string.strip()]  # no inline script


def test_stay_signed_in_refreshes_the_session_and_says_the_time_left():
    client = logged_in("edith")
    age(client, idle=HOUR + 55 * 60, since_login=3 * HOUR)
    response = client.post(reverse("staff-session-refresh"))
    assert response.status_code == 200
    answer = response.json()
    assert answer["signed_in"] is True and answer["can_extend"] is True
    assert settings.STAFF_SESSION_IDLE - 5 <= answer["seconds_left"] <= settings.STAFF_SESSION_IDLE
    assert time.time() - client.session[LAST_SEEN] < 60


def test_stay_signed_in_cannot_go_past_12_hours():
    client = logged_in("edith")
    age(client, idle=60, since_login=12 * HOUR - 10 * 60)
    answer = client.post(reverse("staff-session-refresh")).json()
    assert answer["can_extend"] is False and answer["seconds_left"] <= 10 * 60


def test_stay_signed_in_is_for_signed_in_staff_and_only_by_post():
    assert Client().post(reverse("staff-session-refresh")).status_code == 403
    assert logged_in("edith").get(reverse("staff-session-refresh")).status_code == 405
    ended = logged_in("olga")
    age(ended, idle=3 * HOUR)
    assert ended.post(reverse("staff-session-refresh")).json() == {"signed_in": False}


# A save after the end.


def typed_then_session_ended(client: Client, url: str):
    data = form_data(client, url) | {"new_rate_percent": "12.5", "source": "Typed before the session ended",
                                     "change_reason": "Rate raised by the supplement"}
    age(client, idle=2 * HOUR + 1)
    return client.post(url, data)


def test_a_save_after_the_session_ended_saves_nothing_and_sends_to_the_login(draft):
    client = logged_in("edith")
    url = change_url(draft)
    response = typed_then_session_ended(client, url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
    assert url in response["Location"].replace("%2F", "/")
    draft.refresh_from_db()
    assert draft.new_rate_percent == Decimal(12) and draft.source != "Typed before the session ended"
    login_page = client.get(response["Location"])
    assert "nothing was saved" in messages_text(login_page)
    assert "comes back with what you typed" in messages_text(login_page)


def test_after_logging_in_again_the_form_comes_back_with_the_typing_not_saved(draft):
    client = logged_in("edith")
    url = change_url(draft)
    typed_then_session_ended(client, url)
    back = client.post(LOGIN, {"username": "edith", "password": PASSWORD, "next": url})
    assert back.status_code == 302 and back["Location"] == url
    page = client.get(url)
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("input[name=new_rate_percent]")["value"] == "12.5"
    assert soup.select_one("textarea[name=source]").get_text().strip() == "Typed before the session ended"
    assert soup.select_one("input[name=change_reason]")["value"] == "Rate raised by the supplement"
    assert "Nothing has been saved yet" in messages_text(page)
    assert field_errors(page, "new_rate_percent") == []
    draft.refresh_from_db()
    assert draft.new_rate_percent == Decimal(12)
    # Once only: opening the form again shows the saved version.
    again = BeautifulSoup(client.get(url).content, "html.parser")
    assert again.select_one("input[name=new_rate_percent]")["value"] == "12"


def test_the_restored_form_saves_what_was_typed_when_saved(draft):
    client = logged_in("edith")
    url = change_url(draft)
    typed_then_session_ended(client, url)
    client.post(LOGIN, {"username": "edith", "password": PASSWORD, "next": url})
    assert client.post(url, form_data(client, url)).status_code == 302
    draft.refresh_from_db()
    assert draft.new_rate_percent == Decimal("12.5") and draft.source == "Typed before the session ended"


def test_someone_else_logging_in_on_that_browser_never_sees_the_typing(draft):
    staff_user("olga", "Offer editors")
    client = logged_in("edith")
    url = change_url(draft)
    typed_then_session_ended(client, url)
    client.post(LOGIN, {"username": "olga", "password": PASSWORD, "next": url})
    page = client.get(url)
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("input[name=new_rate_percent]")["value"] == "12"
    assert "Typed before the session ended" not in page.content.decode()
    assert KEPT not in client.session


def test_a_forged_post_keeps_no_typing(draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user("olga", "Offer editors"))
    age(client, idle=3 * HOUR)
    response = client.post(change_url(draft), {"new_rate_percent": "99", "source": "Planted"})
    assert response.status_code == 403  # the CSRF check comes first
    assert KEPT not in client.session


def test_typing_on_the_users_forms_is_never_kept_passwords_included():
    client = logged_in("boss", "Offer editors")
    User.objects.filter(username="boss").update(is_superuser=True)
    age(client, idle=3 * HOUR)
    secret = "a-secret-typed-here-9"
    response = client.post(reverse("admin:auth_user_add"),
                           {"username": "newcomer", "password1": secret, "password2": secret})
    assert KEPT not in client.session
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
