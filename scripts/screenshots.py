"""Take the screenshots in docs/screenshots/ (`make screenshots`): real pages, in Debian's chromium.

A throwaway SQLite database is migrated (which seeds the two published versions), the
development server serves it on a free local port, and Playwright drives chromium
(``/usr/bin/chromium``, or ``CHROMIUM_PATH``) at desktop (1280 px) and phone (390 px)
widths. Nothing outside docs/screenshots/ is changed, and the server is stopped at the end.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
RESULT = "/?principal=100%2C000&consummation=2003-10-10&tendered=yes"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, seconds: int = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the development server stopped (exit code {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the development server did not answer {url} within {seconds} s")


def shoot(base: str) -> list[Path]:
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        for name, viewport, path, part in (
            ("home.png", DESKTOP, "/", None),
            ("result-desktop.png", DESKTOP, RESULT, "#answer"),
            ("result-phone.png", PHONE, RESULT, "#answer"),
        ):
            context = browser.new_context(viewport=viewport, locale="en-US", device_scale_factor=1)
            context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda message, errors=errors: errors.append(message.text)
                    if message.type == "error" else None)
            page.goto(base + path)
            target = OUT / name
            if part is None:
                page.screenshot(path=target)
            else:  # the answer, where the holder lands after submitting the form (its action ends in #answer-title)
                box = page.locator(part).bounding_box()
                assert box is not None, f"{part} is not on {path}"
                page.screenshot(path=target, full_page=True,
                                clip={"x": 0, "y": max(0, box["y"] - 16), "width": viewport["width"],
                                      "height": box["height"] + 32})
            if errors:
                raise SystemExit(f"{path}: browser console errors: {errors}")
            written.append(target)
            context.close()
        written.append(shoot_holdings(browser, base))
        browser.close()
    return written


# A custodian's book for /holdings: the three-account worked example and a few more.
HOLDINGS_FILE = (b"account,principal,tendered\nA-1,333.33,yes\nA-2,333.33,no\nA-3,333.34,\n"
                 b"FUND-EU,\"$250,000\",yes\nFUND-US,\"1,250,000\",yes\nIRA-0042,7500,no\n")


def shoot_holdings(browser, base: str) -> Path:
    """/holdings after uploading a file: the first screen, totals and the allocation check."""
    context = browser.new_context(viewport=DESKTOP, locale="en-US", device_scale_factor=1)
    page = context.new_page()
    page.goto(base + "/holdings")
    page.locator("#id_file").set_input_files({"name": "accounts.csv", "mimeType": "text/csv",
                                              "buffer": HOLDINGS_FILE})
    page.get_by_role("button", name="Work out every account").click()
    page.locator("#totals").wait_for()
    target = OUT / "holdings.png"
    page.screenshot(path=target)
    context.close()
    return target


def main() -> None:
    if not CHROMIUM.exists():
        raise SystemExit(f"chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
                         "(or set CHROMIUM_PATH).")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        env = os.environ | {"DATABASE_URL": f"sqlite:///{scratch}/screenshots.sqlite3", "DJANGO_ENV": "development",
                            "DEBUG": "true"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        # Fixed arguments, our own interpreter and manage.py.
        subprocess.run([*manage, "migrate", "--noinput", "--verbosity", "0"], env=env, cwd=ROOT, check=True)  # noqa: S603
        port = free_port()
        server = subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],  # noqa: S603
                                  env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/healthz", server)
            for path in shoot(base):
                print(f"wrote {path.relative_to(ROOT)}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
