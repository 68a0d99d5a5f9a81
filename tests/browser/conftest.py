"""Real-browser fixtures: Debian's chromium driven by Playwright against pytest-django's live server.

- ``browser``: chromium launched by path, for one test. A missing chromium FAILS the test
  (install it with ``apt-get install -y chromium``); it never skips.
- ``page``: a fresh context and page per test; ``page.console_errors`` collects console
  errors and uncaught page errors (a CSP violation shows up there), for tests to assert on;
  ``page.console_messages`` keeps every console message with its source (see
  ``tests/browser/pages.py`` for the check the holder pages use).
- ``live_site``: the live server's URL, with the database as the migrations seeded it
  (serialized rollback: a transactional test would otherwise empty the tables for the
  tests after it).

Mark browser tests with ``@pytest.mark.browser``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def _async_unsafe_allowed() -> Iterator[None]:
    """Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
    database access from the test code ("SynchronousOnlyOperation").

    Only while a browser test runs: a process another test starts would inherit the variable,
    and ``manage.py check --deploy`` rightly refuses it (async.E001).
    """
    before = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = before


@pytest.fixture
def browser(django_db_setup) -> Iterator:
    """Chromium for one test. Playwright's event loop lives only as long as the test: the database
    is restored and flushed around the test outside it, and the tests after it run without it."""
    if not CHROMIUM.exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
                    "(or set CHROMIUM_PATH). Browser tests fail rather than skip without it.")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with _async_unsafe_allowed(), sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()
        # Inside Playwright's context the test code gets connection objects of its own: close them.
        connections.close_all()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    # The site has no favicon; the browser's automatic request for one is not a page error.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    new_page = context.new_page()
    errors: list[str] = []
    messages: list = []
    new_page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    new_page.on("console", lambda message: messages.append(message))
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    new_page.console_errors = errors
    new_page.console_messages = messages
    yield new_page
    context.close()


@pytest.fixture
def live_site(live_server, transactional_db, django_db_serialized_rollback) -> str:
    return live_server.url
