"""Remake the README's map screenshots from the running app, in Debian's Chromium.

    .venv/bin/python scripts/screenshots.py                         # starts the app itself
    .venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8501

- docs/map.png (1440x900): the Republic of Mahabad selected in June 1946, with the place,
  country and sea names, the legend and the panel;
- docs/map-phone.png (390x844, touch): the same date on a phone, scrolled to the map, with the
  legend folded below it;
- docs/map-fa.png (1440x900): the map in Persian, right to left, Tabriz selected in December
  1946 (Solar Hijri dates beside the Gregorian);
- docs/story-ru.png (1440x900): the story's fifth stop in Russian;
- docs/timeline.png, docs/story.png, docs/sources.png (1440x900): the timeline with the
  Mahabad republic's proclamation chosen, the story's fifth stop, the sources page.

The welcome box is dismissed first, as a returning visitor would have it. Offline: requests
to other hosts (the street-map tiles) are refused, so the pictures show the app's own basemap.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LINK = "/?date=1946-06&layers=occupation,crisis&feature=republic-of-mahabad"
PHONE_LINK = "/?date=1946-06&layers=occupation,crisis"
PERSIAN_LINK = "/?lang=fa&date=1946-12&feature=tabriz"
RUSSIAN_STORY_LINK = "/story?stop=5&lang=ru"
TIMELINE_LINK = "/timeline?date=1946-01-22&layers=crisis&feature=republic-of-mahabad"
STORY_LINK = "/story?stop=5"
SOURCES_LINK = "/sources"
IDLE = (
    "() => document.querySelector('[data-testid=stApp]')"
    "?.getAttribute('data-test-script-state') === 'notRunning'"
)


@contextmanager
def app(url: str | None):
    """The app at `url`, or one started here on a free loopback port for the block."""
    if url:
        yield url.rstrip("/")
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cmd = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py"]
    cmd += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("the app did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def settle(page) -> None:
    page.wait_for_function(IDLE, timeout=60_000)
    page.wait_for_timeout(1500)  # the map's labels and legend are placed after it is drawn
    page.wait_for_function(IDLE, timeout=60_000)


def open_view(context, base: str, link: str, ready: str = ".ss-map-host"):
    """A page of the app at `link`, offline, settled, the welcome dismissed; `ready` is what
    the page shows once drawn (the map, for pages with one)."""
    host = urlsplit(base).netloc
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if urlsplit(route.request.url).netloc == host else route.abort()
        ),
    )
    page = context.new_page()
    page.goto(base + link)
    page.locator(ready).first.wait_for(timeout=60_000)
    settle(page)
    if ready != ".ss-map-host":
        return page
    dismiss = page.locator(".st-key-dismiss_welcome button")  # in any language
    if dismiss.count():
        dismiss.click()
        settle(page)
    # The map is drawn again in its new place after the welcome goes: wait for its places.
    page.locator(".ss-map-host .ss-site").first.wait_for(timeout=60_000)
    page.wait_for_timeout(2000)
    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="the running app's base URL (default: start one)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with app(args.url) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        desktop = browser.new_context(viewport={"width": 1440, "height": 900})
        page = open_view(desktop, base, LINK)
        page.locator(".feature-panel").first.wait_for(timeout=30_000)
        page.screenshot(path=str(DOCS / "map.png"))
        phone = browser.new_context(
            viewport={"width": 390, "height": 844},
            has_touch=True,
            is_mobile=True,
            device_scale_factor=1,
        )
        page = open_view(phone, base, PHONE_LINK)
        page.locator(".ss-map-host").first.evaluate("(e) => e.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(500)
        page.screenshot(path=str(DOCS / "map-phone.png"))
        desktop = browser.new_context(viewport={"width": 1440, "height": 900})
        page = open_view(desktop, base, PERSIAN_LINK)
        page.locator(".feature-panel").first.wait_for(timeout=30_000)
        page.screenshot(path=str(DOCS / "map-fa.png"))
        page = open_view(desktop, base, RUSSIAN_STORY_LINK)
        page.locator(".story-stop").first.wait_for(timeout=30_000)
        page.screenshot(path=str(DOCS / "story-ru.png"))
        page = open_view(desktop, base, STORY_LINK)
        page.locator(".story-stop").first.wait_for(timeout=30_000)
        page.screenshot(path=str(DOCS / "story.png"))
        page = open_view(desktop, base, TIMELINE_LINK, ready="[data-testid=stVegaLiteChart]")
        page.wait_for_timeout(1500)  # the chart draws after its element appears
        page.screenshot(path=str(DOCS / "timeline.png"))
        page = open_view(desktop, base, SOURCES_LINK, ready="h1")
        page.screenshot(path=str(DOCS / "sources.png"))
        browser.close()
    print(f"wrote the map, phone, Persian, Russian story, story, timeline and sources in {DOCS}")


if __name__ == "__main__":
    main()
