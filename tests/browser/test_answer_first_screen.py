"""The first screen after submitting holds the answer (issue 18): at 390x844 the New Notes principal, the total
cash, the deadline and what to do; at 320x568 at least the New Notes principal and the deadline; at 1280x800 all
four. Focus moves to the answer's heading; the Change link brings back the filled form; axe finds nothing.

Positions are each element's bottom edge in CSS pixels from the top of the screen, after the browser has
landed on the answer (run with ``-s`` to see them).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pages import axe_violations, console_problems, focused, submit_the_form

pytestmark = pytest.mark.browser

SCREENS = {"320x568": (320, 568), "390x844": (390, 844), "1280x800": (1280, 800)}
MUST_SHOW = {
    "320x568": ("new-principal", "deadline"),
    "390x844": ("new-principal", "total-cash", "deadline", "what-to-do"),
    "1280x800": ("new-principal", "total-cash", "deadline", "what-to-do"),
}
PARTS = {"new-principal": "#answer .new-principal", "total-cash": "#answer .total-cash",
         "deadline": "#answer .deadline", "what-to-do": "#answer .what-to-do"}


def submit(page, live_site: str) -> None:
    submit_the_form(page, live_site)
    expect(page.locator("#answer .new-principal")).to_have_text("$153,443.00")
    expect(page.locator("#answer-title")).to_be_focused()
    page.wait_for_timeout(300)  # any smooth scroll to the fragment comes to rest


def bottoms(page) -> dict[str, float]:
    return {name: page.locator(selector).bounding_box()["y"] + page.locator(selector).bounding_box()["height"]
            for name, selector in PARTS.items()}


@pytest.mark.parametrize("screen", SCREENS)
def test_the_first_screen_after_submitting_holds_the_answer_and_focus_is_on_its_heading(page, live_site, screen):
    width, height = SCREENS[screen]
    page.set_viewport_size({"width": width, "height": height})
    submit(page, live_site)
    assert focused(page) == "#answer-title"
    found = bottoms(page)
    print(f"\n{screen}: " + ", ".join(f"{name} bottom {found[name]:.0f} px" for name in PARTS))
    for name in MUST_SHOW[screen]:
        assert 0 <= found[name] <= height, f"{name} ends at {found[name]:.0f} px, below the {height} px screen"
    expect(page.locator("#answer .total-cash")).to_have_text("$260,392.77")
    assert page.locator("form").count() == 0  # the answer page is the answer: no form on it
    assert axe_violations(page) == []
    assert console_problems(page) == []


@pytest.mark.parametrize("screen", ["320x568", "1280x800"])
def test_the_change_link_returns_to_the_filled_form(page, live_site, screen):
    width, height = SCREENS[screen]
    page.set_viewport_size({"width": width, "height": height})
    submit(page, live_site)
    with page.expect_navigation():
        page.get_by_role("link", name="Change your holding, date or whether you have tendered").click()
    assert "change=1" in page.url
    expect(page.locator("#id_principal")).to_have_value("100,000")
    expect(page.locator("#id_consummation")).to_have_value("2003-10-10")
    expect(page.locator("#id_tendered_0")).to_be_checked()
    assert page.locator("#answer").count() == 0
    assert axe_violations(page) == []
    # Submitting again lands on the answer, for the changed holding.
    page.fill("#id_principal", "1,000")
    with page.expect_navigation():
        page.get_by_role("button", name="Show what the offer gives me").click()
    expect(page.locator("#answer .new-principal")).to_have_text("$1,534.00")
    assert console_problems(page) == []


def test_the_first_visit_states_the_deadline_and_the_conditions_and_axe_finds_nothing(page, live_site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_site}/")
    expect(page.locator(".offer-deadline")).to_contain_text("5:00 p.m. New York time on Tuesday, October 7, 2003")
    expect(page.locator(".conditions")).to_contain_text("not yet known")
    assert focused(page) == "(nothing)"  # a first visit keeps focus where the browser puts it
    assert axe_violations(page) == []
