"""Helpers for the holder page browser tests: keyboard moves, what has focus, console problems, axe."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe

RESULT = "/?principal=100%2C000&consummation=2003-10-10&tendered=yes"
ERROR = "/?principal=lots&consummation=someday"
# The error page is a 400 on purpose; Chromium logs a document's own error status as a console error.
OWN_STATUS = re.compile(r"^Failed to load resource: the server responded with a status of 400 ")


def focused(page) -> str:
    """What has focus, as a person would name it: the id of a field, else the element's own text."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el === document.body) return "(nothing)";
        return el.id ? "#" + el.id : el.tagName.toLowerCase() + ": " + el.textContent.trim().replace(/\\s+/g, " ");
    }""")


def tab_to(page, name: str, most: int = 200) -> None:
    """Press Tab until ``name`` (as :func:`focused` writes it) has focus; fail after ``most`` presses."""
    for _ in range(most):
        if focused(page) == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{name!r} never got focus in {most} presses of Tab (last: {focused(page)!r})")


def console_problems(page) -> list[str]:
    """Console errors (CSP violations among them) and uncaught script errors, but not a 400 page's own status."""
    own = page.url.split("#")[0]
    return [error for error in page.console_errors if not (
        OWN_STATUS.match(error) and any(m.text == error and m.location.get("url", "").split("#")[0] == own
                                        for m in page.console_messages))]


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it is now, each with the elements it found: empty is a pass."""
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}"
            for v in results.response["violations"]]


def submit_the_form(page, live_site: str) -> None:
    page.goto(f"{live_site}/")
    page.fill("#id_principal", "100,000")
    page.fill("#id_consummation", "2003-10-10")
    page.check("#id_tendered_0")
    with page.expect_navigation():
        page.get_by_role("button", name="Show what the offer gives me").click()
