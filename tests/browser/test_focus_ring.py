"""A keyboard user always sees where focus is, and nothing hides it (WCAG 2.2 SC 2.4.7 and SC 2.4.11).

Pressing only Tab through the holder page (first visit, and an answer) at 320, 390 and 1280 px,
every element that takes focus is checked as it has it:

- the ring is drawn (2.4.7): its computed style has an outline at least 2px wide, or a box-shadow
  that paints something; and the indicator's colour contrasts at least 3:1 with the white page;
- the ring is seen: a screenshot with the element focused is compared, pixel by pixel, with one
  after ``element.blur()``; the pixels whose colour changed by a contrast of 3:1 or more must cover
  at least a 2px-thick perimeter of the element's box (the measure of SC 2.4.13, Focus Appearance).
  Without the site's ring this fails where the style check could be fooled: Bootstrap's own
  ``.form-control:focus`` shadow is a pale blue at 25% opacity. It also fails when the ring is cut
  off by the edge of the screen: Chromium scrolls a focused element just into view, and only the
  ring's ``scroll-margin`` brings the ring in with it;
- the element is not obscured (2.4.11): part of its box is on the screen, and what is drawn at the
  centre of that part is the element itself (or, for a radio button, its label). The site has no
  sticky or fixed header today; the check holds any that comes later to the same rule.

The date field (``input[type=date]``) in Chromium takes four Tab stops, in the en-US locale:
month, day and year, where the input itself has focus and ``:focus-visible``; then the
"Show date picker" button inside the browser's own shadow tree, where ``document.activeElement``
is still the input but the input matches neither ``:focus`` nor ``:focus-visible``. Chromium's own
style sheet gives the button a thin ring (``::-webkit-calendar-picker-indicator:focus-visible``),
but the same selector in a site's style sheet never matches; the site's ring comes from
``input[type="date"]:focus-within:not(:focus)::-webkit-calendar-picker-indicator``. The button's box
and style are read through the browser's protocol (a script cannot reach that shadow tree), and
since ``blur()`` cannot move focus out of it, the unfocused picture is the one taken at the year stop.

Screenshots are decoded and compared by Chromium itself, in the page (the project has no image library).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field

import pytest

from tests.browser.pages import console_problems, focused, tab_to

pytestmark = pytest.mark.browser

WIDTHS = [320, 390, 1280]
PAGES = {"first visit": "/", "answer": "/?principal=1000&consummation=2003-10-10"}
HEIGHT = 800
MOST_TABS = 60
PAD = 6  # the ring is a 3px outline 2px outside the box: 6px around the box holds it
LEAST_CONTRAST = 3.0
WHITE = (255, 255, 255)
PICKER = "-webkit-calendar-picker-indicator"
PICKER_STOP = "#id_consummation: Show date picker"
FORM_STOPS = ["a: Skip to main content", "#id_principal", PICKER_STOP, "button: Show what the offer gives me"]
# The answer page has no form, and focus starts on its heading: the walk goes on through the Change link back to it.
PAGE_STOPS = {"first visit": FORM_STOPS, "answer": ["a: Change your holding, date or whether you have tendered"]}
# The ring's computed style, as ACTIVE names it, and as CSS does.
RING = {
    "outlineStyle": "outline-style",
    "outlineWidth": "outline-width",
    "outlineColor": "outline-color",
    "boxShadow": "box-shadow",
}

# Resolves when the page is still: transitions done (Bootstrap eases a field's box-shadow in and
# out) and the smooth scroll that brings the focused element into view over.
SETTLE = """async () => {
    await Promise.all(document.getAnimations().map(animation => animation.finished.catch(() => null)));
    let last = null, still = 0;
    for (let frame = 0; frame < 120 && still < 3; frame++) {
        await new Promise(resolve => requestAnimationFrame(resolve));
        const now = scrollX + "," + scrollY;
        still = now === last ? still + 1 : 0;
        last = now;
    }
}"""

# What has focus and how its ring is drawn. "picker" is the date picker button: the input is the
# active element but is not itself focused, because focus is inside its shadow tree.
ACTIVE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        body: el === document.body || el === null,
        picker: el.matches('input[type="date"]') && !el.matches(":focus"),
        box: {x: box.x, y: box.y, width: box.width, height: box.height},
        rects: Array.from(el.getClientRects(), r => ({x: r.x, y: r.y, width: r.width, height: r.height})),
        outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth, outlineColor: style.outlineColor,
        boxShadow: style.boxShadow,
        scroll: [scrollX, scrollY],
    };
}"""

# Is what is drawn at the centre of the on-screen part of each rectangle the focused element, inside
# it, or (for a radio button or checkbox) its label? ``rects`` in viewport coordinates.
UNCOVERED = """(rects) => {
    const el = document.activeElement;
    const hits = [];
    for (const r of rects) {
        const left = Math.max(r.x, 0), right = Math.min(r.x + r.width, innerWidth);
        const top = Math.max(r.y, 0), bottom = Math.min(r.y + r.height, innerHeight);
        if (right - left < 1 || bottom - top < 1) continue;
        const hit = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
        if (hit && (el.contains(hit) || Array.from(el.labels || []).some(label => label.contains(hit)))) return null;
        hits.push(hit ? hit.outerHTML.slice(0, 80) : "nothing");
    }
    return hits.length ? "covered by " + hits.join("; ") : "not on the screen";
}"""

# How many pixels of ``region`` differ between two screenshots by a contrast of at least ``least``:1 (WCAG
# relative luminance). Each screenshot is a PNG of a clip of the viewport; Chromium decodes it, in the page
# (a Blob, no request: the page's content security policy does not come into it).
CONTRASTING_PIXELS = """async ([one, other, region, least]) => {
    const read = async (shot) => {
        const bytes = Uint8Array.from(atob(shot.png), c => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], {type: "image/png"}));
        const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext("2d");
        context.drawImage(bitmap, 0, 0);
        return context.getImageData(region.x - shot.clip.x, region.y - shot.clip.y, region.width, region.height).data;
    };
    const channel = v => (v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    const luminance = (d, i) => 0.2126 * channel(d[i]) + 0.7152 * channel(d[i + 1]) + 0.0722 * channel(d[i + 2]);
    const a = await read(one), b = await read(other);
    let count = 0;
    for (let i = 0; i < a.length; i += 4) {
        const la = luminance(a, i), lb = luminance(b, i);
        if ((Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05) >= least) count++;
    }
    return count;
}"""


@dataclass
class Stop:
    """One press of Tab: what got focus and what is wrong with how it shows."""

    name: str
    problems: list[str] = field(default_factory=list)


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: tuple[float, float, float], other: tuple[float, float, float]) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def rgba(css_colour: str) -> tuple[float, float, float, float]:
    red, green, blue, *alpha = (float(v) for v in re.findall(r"[\d.]+", css_colour))
    return red, green, blue, alpha[0] if alpha else 1.0


def on_white(css_colour: str) -> tuple[float, float, float]:
    """An ``rgb()``/``rgba()`` computed colour as it shows over the white page."""
    *rgb, opacity = rgba(css_colour)
    return tuple(opacity * v + (1 - opacity) * 255 for v in rgb)


def drawn_shadows(box_shadow: str) -> list[str]:
    """The colours of the shadows in a computed ``box-shadow`` that paint something: not transparent, not 0 wide."""
    colours = []
    for colour, lengths in re.findall(r"(rgba?\([^)]*\))([^,]*)", box_shadow):
        blur_and_spread = [float(length) for length in re.findall(r"(-?[\d.]+)px", lengths)[2:]]
        if rgba(colour)[3] > 0 and any(length > 0 for length in blur_and_spread):
            colours.append(colour)
    return colours


def style_problems(ring: dict) -> list[str]:
    """SC 2.4.7 by computed style: an outline at least 2px wide or a box-shadow, of a colour 3:1 against white."""
    colours = []
    if ring["outlineStyle"] != "none" and float(ring["outlineWidth"].removesuffix("px")) >= 2:
        colours.append(ring["outlineColor"])
    colours += drawn_shadows(ring["boxShadow"])
    if not colours:
        return [f"no ring: outline {ring['outlineStyle']} {ring['outlineWidth']}, box-shadow {ring['boxShadow']}"]
    best = max(contrast(on_white(colour), WHITE) for colour in colours)
    if best < LEAST_CONTRAST:
        return [f"ring colours {colours} contrast only {best:.2f}:1 with the white page"]
    return []


def settle(page) -> None:
    page.evaluate(SETTLE)


def padded_clip(page, box: dict) -> dict:
    """The box and PAD px around it, in whole pixels, cut to the viewport."""
    size = page.viewport_size
    left, top = max(int(box["x"]) - PAD, 0), max(int(box["y"]) - PAD, 0)
    right = min(int(box["x"] + box["width"]) + 1 + PAD, size["width"])
    bottom = min(int(box["y"] + box["height"]) + 1 + PAD, size["height"])
    return {"x": left, "y": top, "width": max(right - left, 0), "height": max(bottom - top, 0)}


def two_pixel_perimeter(page, box: dict) -> float:
    """The area of a 2px-thick line around the part of ``box`` on the screen (SC 2.4.13's least focus indicator)."""
    size = page.viewport_size
    width = min(box["x"] + box["width"], size["width"]) - max(box["x"], 0)
    height = min(box["y"] + box["height"], size["height"]) - max(box["y"], 0)
    return 2 * 2 * (max(width, 0) + max(height, 0))


@dataclass
class Shot:
    """A screenshot of ``clip`` (viewport coordinates) and the scroll position it was taken at."""

    png: str
    clip: dict
    scroll: list[float]

    @classmethod
    def take(cls, page, clip: dict, scroll: list[float]) -> Shot:
        return cls(base64.b64encode(page.screenshot(clip=clip)).decode("ascii"), clip, scroll)

    def holds(self, clip: dict, scroll: list[float]) -> bool:
        """Taken at ``scroll``, of a clip that covers ``clip``."""
        mine = self.clip
        inside = mine["x"] <= clip["x"] and clip["x"] + clip["width"] <= mine["x"] + mine["width"]
        inside &= mine["y"] <= clip["y"] and clip["y"] + clip["height"] <= mine["y"] + mine["height"]
        return self.scroll == scroll and inside


def contrasting_pixels(page, focused_shot: Shot, unfocused_shot: Shot, region: dict) -> int:
    if region["width"] == 0 or region["height"] == 0:
        return 0
    shots = [{"png": shot.png, "clip": shot.clip} for shot in (focused_shot, unfocused_shot)]
    return page.evaluate(CONTRASTING_PIXELS, [*shots, region, LEAST_CONTRAST])


class Picker:
    """The date picker button, seen through Chromium's DevTools protocol: it lives in the date input's
    user-agent shadow tree, which ``document`` does not show to scripts."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("DOM.enable")
        self.cdp.send("CSS.enable")

    def node(self) -> int:
        def find(node: dict) -> int | None:
            attributes = node.get("attributes", [])
            if dict(zip(attributes[::2], attributes[1::2], strict=True)).get("pseudo") == PICKER:
                return node["nodeId"]
            for child in node.get("children", []) + node.get("shadowRoots", []):
                found = find(child)
                if found is not None:
                    return found
            return None

        found = find(self.cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"])
        assert found is not None, f"no {PICKER} in the date input's shadow tree"
        return found

    def state(self) -> dict:
        """The button's box and ring, as ``ACTIVE`` gives them for an element of the page."""
        node = self.node()
        quad = self.cdp.send("DOM.getBoxModel", {"nodeId": node})["model"]["border"]
        xs, ys = quad[0::2], quad[1::2]
        box = {"x": min(xs), "y": min(ys), "width": max(xs) - min(xs), "height": max(ys) - min(ys)}
        computed = self.cdp.send("CSS.getComputedStyleForNode", {"nodeId": node})["computedStyle"]
        style = {item["name"]: item["value"] for item in computed}
        ring = {key: style[name] for key, name in RING.items()}
        return {"box": box, "rects": [box], **ring}


def open_at(page, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": HEIGHT})
    page.goto(url)
    settle(page)


def walk(page, presses: int = MOST_TABS) -> list[Stop]:
    """Press Tab up to ``presses`` times, until focus goes back to the page itself, checking each stop."""
    picker = None
    unfocused = None  # the last screenshot with nothing focused
    stops = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        settle(page)
        active = page.evaluate(ACTIVE)
        if active["body"]:
            break
        stop = Stop(PICKER_STOP if active["picker"] else focused(page))
        stops.append(stop)
        if active["picker"]:
            picker = picker or Picker(page)
            active |= picker.state()

        stop.problems += style_problems(active)
        covered = page.evaluate(UNCOVERED, active["rects"])
        if covered:
            stop.problems.append(f"obscured: {covered}")

        clip = padded_clip(page, active["box"])
        with_focus = Shot.take(page, clip, active["scroll"])
        if active["picker"]:
            # blur() cannot take focus out of the input's shadow tree: the year stop's screenshot, taken
            # after blurring the field at the same scroll position, shows the button without focus.
            assert unfocused is not None and unfocused.holds(clip, active["scroll"]), "no picture without focus"
        else:
            page.evaluate("document.activeElement.blur()")  # Tab goes on from the element all the same
            settle(page)
            unfocused = Shot.take(page, clip, active["scroll"])
        changed = contrasting_pixels(page, with_focus, unfocused, clip)
        least = two_pixel_perimeter(page, active["box"])
        if changed < least:
            stop.problems.append(f"only {changed} px change by 3:1 with focus; a 2px perimeter is {least:.0f} px")
    return stops


def report(stops: list[Stop]) -> list[str]:
    return [f"{stop.name}: {problem}" for stop in stops for problem in stop.problems]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_every_tab_stop_shows_a_ring_that_contrasts_and_is_not_obscured(page, live_site, name, width):
    open_at(page, f"{live_site}{PAGES[name]}", width)
    stops = walk(page)
    # The walk went through the form (or the answer's Change link), so the checks had something to check.
    assert [stop.name for stop in stops if stop.name in PAGE_STOPS[name]] == PAGE_STOPS[name]
    assert report(stops) == []
    assert console_problems(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_date_field_shows_the_ring_on_each_part_and_on_the_date_picker_button(page, live_site, width):
    open_at(page, f"{live_site}/", width)
    tab_to(page, "#id_principal")
    stops = walk(page, presses=5)
    # Month, day and year, with the ring around the field; then the picker button, with a ring of its own.
    assert [stop.name for stop in stops] == ["#id_consummation"] * 3 + [PICKER_STOP, "#id_tendered_0"]
    assert report(stops) == []
