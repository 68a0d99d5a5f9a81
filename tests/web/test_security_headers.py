"""Every response carries the security headers, errors included; nothing the site renders may be kept
by a shared cache; API errors are always JSON; staff sessions are short."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.web.security import PASSWORD, fast_passwords, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(fast_passwords.__name__)]

RESULT = "principal=1000&consummation=2003-10-10"
HOLDER_PAGES = ["/", f"/?{RESULT}", f"/api/outcome?{RESULT}", f"/export.csv?{RESULT}",
                f"/calendar.ics?version=original&{RESULT}", "/?principal=abc"]


def assert_security_headers(response) -> None:
    assert "frame-ancestors 'none'" in response.headers.get("Content-Security-Policy", ""), response.headers
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "same-origin"


@pytest.mark.parametrize("path", ["/", "/api/outcome", "/admin/login/"])
def test_the_400_for_a_wrong_host_carries_the_security_headers(client, path):
    response = client.get(path, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert_security_headers(response)


@pytest.mark.parametrize("path", ["/no-such-page", "/?principal=abc", f"/api/outcome?{RESULT}&principal=-1"])
def test_other_errors_carry_them_too(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert_security_headers(response)


def test_more_than_1000_query_parameters_on_the_api_get_the_apis_json_errors(client):
    query = "&".join(f"p{n}=1" for n in range(1001))
    response = client.get(f"/api/outcome?{RESULT}&{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert list(errors) == ["request"]
    assert errors["request"][0].startswith("request: more than 1,000 query parameters.")
    assert_security_headers(response)


def test_a_wrong_host_on_the_api_gets_json_too(client):
    response = client.get(f"/api/outcome?{RESULT}", HTTP_HOST="attacker.example")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["request"]


def test_too_many_parameters_on_a_holder_page_is_still_a_plain_400(client):
    query = "&".join(f"p{n}=1" for n in range(1001))
    response = client.get(f"/?{query}")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", HOLDER_PAGES)
def test_holder_pages_and_downloads_are_never_kept_by_shared_caches(client, path):
    """They carry the holding (principal, date) in the address: a shared cache would give it to others."""
    response = client.get(path)
    directives = {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}
    assert "private" in directives or "no-store" in directives, (path, response.headers.get("Cache-Control"))
    assert "public" not in directives


def test_a_staff_session_ends_when_the_browser_closes_and_its_record_at_most_12_hours_after_login():
    """The 2-hour idle limit and the 12-hour limit are the middleware's: tests/web/test_staff_session.py."""
    make_user("editor", staff=True)
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    session = Session.objects.get()
    left = session.expire_date - timezone.now()
    assert timedelta(hours=11, minutes=59) < left <= timedelta(hours=12)
