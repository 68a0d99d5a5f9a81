"""The content security policy: on every page type, our own origin only, no inline code.

The header alone is not enough: a page that relied on an inline script or style would
be broken by it, so the HTML of each page is also checked for inline code.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests.web.security import HOLDING, fast_passwords, logged_in, make_user, sample_urls

pytestmark = pytest.mark.usefixtures(fast_passwords.__name__)

RESULT = "principal=1000&consummation=2003-10-10"
HOLDER_PAGES = {
    "compare form": ("/", 200),
    "result": (f"/?{RESULT}", 200),
    "error 400": ("/?principal=abc", 400),
    "api": (f"/api/outcome?{RESULT}", 200),
    "csv export": (f"/export.csv?{RESULT}", 200),
    "calendar": (f"/calendar.ics?version=original&{RESULT}", 200),
    "how we calculate": ("/how-we-calculate", 200),
    "admin login": ("/admin/login/", 200),
    "healthz": ("/healthz", 200),
    "404": ("/no-such-page", 404),
}
STAFF_PAGES = [
    "admin:index", "admin:offers_offerversion_changelist", "admin:offers_offerversion_change",
    "admin:offers_offerversion_add", "admin:offers_offerversion_history", "admin:offers_oldnotes_change",
    "admin:offers_tenderreport_changelist", "admin:offers_tenderreport_add", "admin:auth_user_changelist",
    "admin:password_change", "offers-staff-issue",
]
# Data blocks are not run, so the policy does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def policy_problems(response) -> list[str]:
    directives = policy(response)
    problems = []
    if directives.get("script-src") != ["'self'"]:
        problems.append(f"script-src is {directives.get('script-src')}")
    if directives.get("style-src") != ["'self'"]:
        problems.append(f"style-src is {directives.get('style-src')}")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append(f"frame-ancestors is {directives.get('frame-ancestors')}")
    for name, sources in directives.items():
        for source in sources:
            allowed = source in ("'self'", "'none'") or (name == "img-src" and source == "data:")
            if not allowed:  # 'unsafe-inline', 'unsafe-eval', any host or scheme
                problems.append(f"{name} allows {source}")
    return problems


def inline_code(response) -> list[str]:
    """Inline scripts, style attributes and elements, event handlers and javascript: links."""
    if not response["Content-Type"].startswith("text/html"):
        return []
    soup = BeautifulSoup(response.content, "html.parser")
    found = [f"inline <script> {tag.get('id', '')}" for tag in soup.find_all("script")
             if not tag.get("src") and tag.get("type") not in DATA_SCRIPT_TYPES]
    found += ["<style> element" for _ in soup.find_all("style")]
    for tag in soup.find_all(True):
        for attribute, value in tag.attrs.items():
            if attribute == "style" or attribute.startswith("on"):
                found.append(f"<{tag.name} {attribute}=...>")
            if attribute in ("href", "src", "action") and str(value).strip().lower().startswith("javascript:"):
                found.append(f"<{tag.name} {attribute}=javascript:...>")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("page", HOLDER_PAGES)
def test_every_holder_page_type_sends_the_strict_policy_and_has_no_inline_code(page):
    url, status = HOLDER_PAGES[page]
    response = Client().get(url)
    assert response.status_code == status
    assert policy_problems(response) == []
    assert inline_code(response) == []


@pytest.mark.django_db
def test_every_staff_page_sends_the_strict_policy_and_has_no_inline_code():
    """Django 5.2's admin runs without inline code, so it needs no relaxation of the policy."""
    client = logged_in(make_user("root", superuser=True))
    urls = sample_urls()
    problems = {}
    for name in STAFF_PAGES:
        response = client.get(urls[name], HOLDING if name == "offers-staff-issue" else None)
        assert response.status_code == 200, (name, response.status_code)
        if found := policy_problems(response) + inline_code(response):
            problems[name] = found
    assert problems == {}

