"""The map element in Chromium: it fails visibly, recovers on the next map, follows a base path.

These tests drive the default backend (the element); they read the map through the element's
registry, `window.__stalinsShadow.maps[key]`, the same way the other browser tests do.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.conftest import click_feature, running_app, wait_for_query

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("STALINS_SHADOW_MAP", "element") != "element",
        reason="these tests are about the map element",
    ),
]

LINK = "/?date=1946-06&layers=occupation,crisis"
RUNTIME = "**/stalins_shadow/map-*.js"
MAP_READY = (
    "() => { const s = window.__stalinsShadow; const m = s && s.maps.history_map;"
    " return !!(m && m.map && m.link); }"
)
# Make Leaflet's first L.tileLayer call throw, as a broken Folium script would halfway through.
BREAK_ONCE = """
Object.defineProperty(window, "L", {
  configurable: true,
  get() { return window.__testL; },
  set(value) {
    if (value && value.tileLayer && !value.__testBroken) {
      const original = value.tileLayer;
      let thrown = false;
      value.tileLayer = function (...args) {
        if (!thrown) { thrown = true; throw new Error("tile layer broke for the test"); }
        return original.apply(this, args);
      };
      value.__testBroken = true;
    }
    window.__testL = value;
  },
});
"""


def toggle_crisis(page) -> None:
    """Change the map's state (the crisis layer off), which sends a new map block."""
    page.get_by_role("button", name="Crisis 1945–47").click()
    page.wait_for_function("() => !location.search.includes('crisis')", timeout=20_000)


def test_the_map_is_in_the_registry_and_no_test_hook_ships(page, app_url):
    page.goto(app_url + LINK)
    page.wait_for_function(MAP_READY, timeout=30_000)
    assert page.evaluate("() => window.__stalinsShadowMap === undefined")
    assert page.evaluate("() => window.__stalinsShadow.maps.history_map.map.getZoom()") >= 2
    expect(page.locator(".ss-map-wrap")).to_have_count(1)
    expect(page.locator(".ss-map-wrap")).to_have_attribute("data-builds", "1")
    assert page.evaluate("() => window.__stalinsShadow.runtime") == "ready"
    assert not page.js_errors


# What the page held when the map's script had drawn the map (performance.mark "ss:script-done").
AT_FIRST_DRAW = """
const mark = performance.mark.bind(performance);
performance.mark = (name, ...rest) => {
  if (name === "ss:script-done" && !window.__atFirstDraw) {
    window.__atFirstDraw = {
      sliders: document.querySelectorAll("[data-testid=stSlider]").length,
      pickers: document.querySelectorAll("[data-testid=stSelectbox]").length,
      top: document.querySelector(".ss-map-host").getBoundingClientRect().top,
      code: performance.getEntriesByType("resource").map((r) => r.name.split("/").pop()),
    };
  }
  return mark(name, ...rest);
};
"""


def test_the_first_run_draws_the_map_alone_and_the_controls_follow(page, app_url):
    """Issue 12: a session's first run draws the map without the other controls (whose code
    would hold the map back), then asks for them; the map is neither redrawn nor moved."""
    page.add_init_script(AT_FIRST_DRAW)
    page.goto(app_url + "/")
    page.wait_for_function(MAP_READY, timeout=30_000)  # the element (second run) adopted it
    first = page.evaluate("() => window.__atFirstDraw")
    assert first["sliders"] == 0 and first["pickers"] == 0
    # Nor did it wait for their code, or for a page link's or HTML markdown's (a 190 KB parser).
    waited = {name.split(".")[0] for name in first["code"] if name.endswith(".js")}
    assert not waited & {"Selectbox", "Slider", "PageLink", "rehype-raw", "ButtonGroup"}, waited
    assert "Html" in waited
    expect(page.get_by_text("Date (month)")).to_be_visible(timeout=20_000)
    expect(page.get_by_label("Place or layer")).to_be_visible()
    expect(page.locator(".st-key-map_first_paint")).to_have_count(0)
    expect(page.locator(".ss-map-wrap")).to_have_attribute("data-builds", "1")
    assert (
        page.evaluate("() => document.querySelector('.ss-map-host').getBoundingClientRect().top")
        == first["top"]
    )
    click_feature(page, "soviet-zone")
    expect(page.locator(".feature-panel h2")).to_have_text("Soviet occupation zone")
    assert not page.js_errors


# Hold every message to the server (a rerun can't start) until `release`.
HOLD_SENDS = """() => {
  const send = WebSocket.prototype.send;
  window.__held = [];
  window.__release = () => {
    WebSocket.prototype.send = send;
    for (const [socket, message] of window.__held.splice(0)) socket.send(message);
  };
  WebSocket.prototype.send = function (message) { window.__held.push([this, message]); };
}"""


def test_a_click_fills_the_panel_before_its_rerun_and_the_rerun_agrees(page, app_url):
    """Issue 12: the panel of a clicked place shows at once, from the preview the map fetched
    when the pointer reached it; the rerun then draws the same place with its controls."""
    page.goto(app_url + "/")
    page.wait_for_function(MAP_READY, timeout=30_000)
    expect(page.get_by_label("Place or layer")).to_be_visible(timeout=20_000)
    page.evaluate(HOLD_SENDS)
    click_feature(page, "soviet-zone")
    expect(page.locator(".feature-panel h2")).to_have_text("Soviet occupation zone")
    expect(page.locator(".feature-panel")).to_contain_text("Sources")
    assert "feature=" not in page.url  # no rerun: the preview alone filled the panel
    expect(page.get_by_text("features are drawn for this date")).to_have_count(0)
    page.evaluate("() => window.__release()")
    wait_for_query(page, feature="soviet-zone")
    expect(page.get_by_role("button", name="Close")).to_be_visible(timeout=20_000)
    expect(page.locator(".feature-panel")).to_have_count(1)
    expect(page.locator(".feature-panel h2")).to_have_text("Soviet occupation zone")
    assert not page.js_errors


def test_a_failed_runtime_load_says_so_and_the_next_map_draws(page, app_url):
    page.route(RUNTIME, lambda route: route.fulfill(status=404, body="not here"))
    page.goto(app_url + LINK)
    message = page.locator(".ss-map-error")
    expect(message).to_be_visible(timeout=30_000)
    expect(message).to_contain_text("could not be loaded")
    assert page.evaluate("() => window.__stalinsShadow.runtime") == "failed"
    expect(page.locator(".leaflet-interactive")).to_have_count(0)
    page.unroute(RUNTIME)
    toggle_crisis(page)
    page.wait_for_function(MAP_READY, timeout=30_000)
    expect(page.locator(".ss-map-error")).to_have_count(0)
    expect(page.locator(".ss-map-wrap")).to_have_count(1)
    assert page.locator(".leaflet-interactive").count() >= 5


def test_a_throwing_map_script_says_so_and_the_next_map_draws_cleanly(page, app_url):
    page.add_init_script(BREAK_ONCE)
    page.goto(app_url + LINK)
    message = page.locator(".ss-map-error")
    expect(message).to_be_visible(timeout=30_000)
    expect(message).to_contain_text("tile layer broke for the test")
    expect(page.locator(".ss-map-wrap")).to_have_count(0)  # nothing half-made is left
    toggle_crisis(page)
    page.wait_for_function(MAP_READY, timeout=30_000)
    expect(page.locator(".ss-map-error")).to_have_count(0)
    expect(page.locator(".ss-map-wrap")).to_have_count(1)
    expect(page.locator(".ss-map-wrap")).to_have_attribute("data-builds", "1")
    assert page.locator(".leaflet-interactive").count() >= 5


@pytest.fixture(scope="module")
def base_path_url() -> Iterator[str]:
    """The app served under /explorer, as behind a proxy with a path prefix."""
    with running_app(base_path="explorer") as url:
        yield url


def test_the_map_follows_the_base_path(page, base_path_url):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base_path_url + LINK)
    page.wait_for_function(MAP_READY, timeout=30_000)
    assert page.locator(".leaflet-interactive").count() >= 5
    runtime = [url for url in requested if "/stalins_shadow/map-" in url]
    assert runtime and all("/explorer/app/static/" in url for url in runtime)
    expect(page.locator(".ss-map-error")).to_have_count(0)
