"""Holders never reach the admin or the staff pages; the admin login locks after repeated failures."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.web.security import PASSWORD, fast_passwords, logged_in, make_user, sample_urls

pytestmark = pytest.mark.usefixtures(fast_passwords.__name__)

ADMIN_PAGES = ["admin:index", "admin:offers_offerversion_changelist", "admin:offers_offerversion_change",
               "admin:offers_offerversion_add", "admin:offers_tenderreport_changelist", "admin:auth_user_changelist"]


def staff_urls() -> list[str]:
    return [url for name, url in sample_urls().items() if url.startswith("/staff/")]


def assert_sent_to_login(response, url: str) -> None:
    assert response.status_code == 302, (url, response.status_code)
    assert response["Location"].startswith(reverse("admin:login")), (url, response["Location"])


@pytest.mark.django_db
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_an_anonymous_holder_is_sent_to_the_admin_login(client, name):
    url = sample_urls()[name]
    assert_sent_to_login(client.get(url), url)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_a_logged_in_holder_who_is_not_staff_is_sent_to_the_admin_login(name):
    client = logged_in(make_user("holder"))
    url = sample_urls()[name]
    assert_sent_to_login(client.get(url), url)


@pytest.mark.django_db
def test_holders_do_not_reach_the_staff_pages(client):
    holder = logged_in(make_user("holder"))
    urls = staff_urls()
    assert urls, "no staff page found under /staff/"
    for url in urls:
        for visitor in (client, holder):
            response = visitor.get(url)
            assert response.status_code in (302, 403, 404), (url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_staff_do_reach_the_admin():
    """So the refusals above are about who asks."""
    assert logged_in(make_user("editor", staff=True)).get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_the_admin_login_locks_after_repeated_failures_even_with_the_right_password():
    make_user("editor", staff=True)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong-guess"})
        assert response.status_code == 200  # the form again, with an error
    assert client.post("/admin/login/", {"username": "editor", "password": "wrong-guess"}).status_code == 429
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert_sent_to_login(client.get(reverse("admin:index")), "/admin/")


@pytest.mark.django_db
def test_the_right_password_still_works_before_the_limit():
    make_user("editor", staff=True)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/admin/login/", {"username": "editor", "password": "wrong-guess"})
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_behind_the_proxy_a_lockout_falls_on_the_client_not_on_the_proxy(settings):
    """Every request reaches the app from the proxy's address; the client's is in X-Forwarded-For."""
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("editor", staff=True)
    attacker = Client(HTTP_X_FORWARDED_FOR="198.51.100.7")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/admin/login/", {"username": f"guess{attempt}", "password": "wrong-guess"})
    assert attacker.post("/admin/login/", {"username": "editor", "password": PASSWORD}).status_code == 429

    # The attacker also claims other addresses on the left: only the proxy's entry counts.
    spoofing = Client(HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7")
    assert spoofing.post("/admin/login/", {"username": "editor", "password": PASSWORD}).status_code == 429

    colleague = Client(HTTP_X_FORWARDED_FOR="192.0.2.20")
    assert colleague.post("/admin/login/", {"username": "editor", "password": PASSWORD}).status_code == 302
