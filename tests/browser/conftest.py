"""Real-browser fixtures: Debian's chromium driven by Playwright against pytest-django's live server.

- ``browser`` (session): chromium launched by path. A missing chromium FAILS the test
  (install it with ``apt-get install -y chromium``); it never skips.
- ``page``: a fresh context and page per test; ``page.console_errors`` collects console
  errors and uncaught page errors (a CSP violation shows up there), for tests to assert on.
- ``live_site``: the live server's URL, with the database as the migrations seeded it
  (serialized rollback: a transactional test would otherwise empty the tables for the
  tests after it).

Mark browser tests with ``@pytest.mark.browser``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from the test code ("SynchronousOnlyOperation").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
                    "(or set CHROMIUM_PATH). Browser tests fail rather than skip without it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    # The site has no favicon; the browser's automatic request for one is not a page error.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    new_page.console_errors = errors
    yield new_page
    context.close()


@pytest.fixture
def live_site(live_server, transactional_db, django_db_serialized_rollback) -> str:
    return live_server.url
