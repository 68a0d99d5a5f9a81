"""Every POST needs the CSRF token: a forged form from another site gets a 403, on every URL."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.security import PASSWORD, fast_passwords, logged_in, make_user, sample_urls

pytestmark = pytest.mark.usefixtures(fast_passwords.__name__)


# 403: the CSRF check refused the post. 405: the view takes no POST at all (the holder
# pages and /healthz are GET-only and skip the CSRF check, since nothing can be posted).
REFUSED = (403, 405)
# The one exception: POST /api/holdings is an API for other systems, CSRF-exempt by design. It changes nothing
# (it computes and answers) and another site cannot read its answer (no CORS), so a forged post gains nothing;
# tests/web/test_api_holdings.py checks it needs no token and sets no cookie.
CSRF_EXEMPT_APIS = {"offers-api-holdings"}


@pytest.mark.django_db
def test_every_url_refuses_a_post_without_the_csrf_token_even_from_a_superuser():
    client = logged_in(make_user("root", superuser=True), enforce_csrf_checks=True)
    urls = sample_urls()
    assert len(urls) > 20  # the admin's URLs are in the walk, not just the holder pages
    statuses = {name: client.post(url, {}).status_code for name, url in urls.items() if name not in CSRF_EXEMPT_APIS}
    assert {name: status for name, status in statuses.items() if status not in REFUSED} == {}


@pytest.mark.django_db
def test_every_admin_and_staff_url_refuses_the_post_for_the_missing_token():
    client = logged_in(make_user("root", superuser=True), enforce_csrf_checks=True)
    urls = {name: url for name, url in sample_urls().items() if url.startswith(("/admin/", "/staff/"))}
    assert {name: client.post(url, {}).status_code for name, url in urls.items()} == dict.fromkeys(urls, 403)


@pytest.mark.django_db
def test_the_admin_login_refuses_a_post_without_the_csrf_token():
    make_user("editor", staff=True)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_admin_login_accepts_the_same_post_with_the_token():
    """So the 403 above is about the token, not about the login itself."""
    make_user("editor", staff=True)
    client = Client(enforce_csrf_checks=True)
    client.get("/admin/login/")
    token = client.cookies["csrftoken"].value
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD,
                                             "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
