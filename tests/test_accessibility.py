"""axe-core (through axe-playwright-python) finds no violation on the four pages, default and
with a feature selected, at 1440x900 and at phone size (390x844).

Every rule runs. Nothing is excluded: the theme (.streamlit/config.toml) fixes Streamlit's own
contrast failures (captions, selected pills), and the app's headings go h1, h2.
"""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, SIZES, idle

pytestmark = pytest.mark.browser

PAGES = {
    "map": ("/", ".ss-map-host"),
    "map-feature": ("/?feature=tabriz&date=1946-12", ".feature-panel"),
    "map-approximate": ("/?feature=republic-of-mahabad&date=1946-06", ".feature-panel"),
    "timeline": ("/timeline", '[data-testid="stVegaLiteChart"] svg'),
    "timeline-event": (
        "/timeline?date=1946-01-22&layers=crisis&feature=republic-of-mahabad",
        ".event-detail",
    ),
    "story": ("/story", ".story-stop"),
    "story-last": ("/story?stop=17", ".story-stop"),
    "sources": ("/sources", "a"),
}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violation(browser, app_url, axe, name, size):
    path, ready = PAGES[name]
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    try:
        page.goto(app_url + path)
        page.locator(ready).first.wait_for(state="attached", timeout=30_000)
        idle(page)
        page.wait_for_timeout(500)  # late renders (the map's labels, the chart's marks)
        idle(page)
        violations = axe.run(page).response["violations"]
        found = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations
        ]
        if found:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"axe-{name}-{size}.png"))
        assert not found, "\n".join(found)
    finally:
        context.close()
