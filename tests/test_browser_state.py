"""The view state as a reader drives it in Chromium: the outline follows the click, Back and
Forward step through views, the picker and Close write the address, every link the app writes
opens without "Page not found", the map stays inside the link's zoom range, no click is lost."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from explorer import links, story
from explorer.state import MAX_ZOOM
from geodata import load_dataset
from tests.conftest import (
    MAP_BACKEND,
    click_feature,
    click_map_at,
    idle,
    map_frame,
    map_js,
    map_view,
    no_page_not_found,
    panel_text,
    query,
    url_path,
    wait_for_query,
)

pytestmark = pytest.mark.browser
element_only = pytest.mark.skipif(MAP_BACKEND != "element", reason="reads the element's registry")
AZERBAIJAN = "/?date=1946-06&layers=occupation,crisis&view=36.9,46.6,8"


@pytest.fixture(scope="module")
def data():
    return load_dataset()


def outlined(page) -> str | None:
    """The ids the element outlines now."""
    return page.evaluate("() => window.__stalinsShadow.maps.history_map.outlineKey")


def point_of(data, ident: str) -> tuple[float, float]:
    geometry = data.features.loc[ident, "geometry"]
    return geometry.y, geometry.x


@element_only
def test_the_outline_follows_each_click(page, app_url, data):
    page.goto(app_url + AZERBAIJAN)
    map_frame(page)
    idle(page)
    for ident in ("bukan", "miandoab", "mahabad", "bukan"):
        click_map_at(page, *point_of(data, ident))
        wait_for_query(page, feature=ident)
        page.wait_for_function(
            "(id) => window.__stalinsShadow.maps.history_map.outlineKey === id", arg=ident
        )
        assert outlined(page) == ident
        assert data.features.loc[ident, "name"] in panel_text(page)


def test_back_and_forward_step_through_the_views(page, app_url, data):
    page.goto("about:blank")
    page.goto(app_url + AZERBAIJAN)
    map_frame(page)
    idle(page)
    start = query(page)
    for ident in ("bukan", "miandoab"):
        click_map_at(page, *point_of(data, ident))
        wait_for_query(page, feature=ident)
        idle(page)
    page.go_back()
    wait_for_query(page, feature="bukan")
    expect(page.locator(".feature-panel").first).to_contain_text("Bukan")
    page.go_back()
    wait_for_query(page, feature=None, **{k: v for k, v in start.items() if k != "feature"})
    expect(page.get_by_text("features are drawn for this date")).to_be_visible()
    page.go_forward()
    wait_for_query(page, feature="bukan")
    expect(page.locator(".feature-panel").first).to_contain_text("Bukan")
    page.go_back()
    wait_for_query(page, feature=None)
    idle(page)
    page.go_back()  # the first view's entry was not duplicated: Back leaves the app
    page.wait_for_url("about:blank", timeout=20_000)


def test_the_picker_and_close_write_the_address(page, app_url):
    page.goto(app_url + "/")
    map_frame(page)
    idle(page)
    picker = page.get_by_label("Place or layer")
    picker.click()
    page.keyboard.type("Sauj Bulagh")  # another name of Mahabad
    page.keyboard.press("Enter")
    wait_for_query(page, feature="mahabad")
    idle(page)
    page.reload()
    expect(page.locator(".feature-panel").first).to_contain_text("Mahabad", timeout=30_000)
    page.get_by_role("button", name="Close").click()
    wait_for_query(page, feature=None)
    idle(page)
    page.reload()
    expect(page.get_by_text("features are drawn for this date")).to_be_visible(timeout=30_000)
    assert "feature" not in query(page)


def test_old_map_links_open_the_map_without_page_not_found(page, app_url):
    page.goto(app_url + "/map?date=1946-06&layers=occupation,crisis&feature=republic-of-mahabad")
    expect(page.locator(".feature-panel").first).to_contain_text("Mahabad", timeout=30_000)
    idle(page)
    no_page_not_found(page)
    assert url_path(page) == "/"
    assert query(page)["feature"] == "republic-of-mahabad"


def test_the_timeline_links_open_the_map_with_the_event_layer(page, app_url):
    event = "1946-03-27-gromyko-walkout"
    page.goto(app_url + "/timeline?date=1946-02&layers=occupation,crisis")
    idle(page)
    chooser = page.get_by_role("combobox", name="Event")
    chooser.click()
    page.keyboard.type("Gromyko")
    page.keyboard.press("Enter")
    wait_for_query(page, feature="new-york")
    copy_box = page.locator('input[aria-label="Link to this view"]').first
    expect(copy_box).to_have_value(re.compile(r"feature=new-york"), timeout=20_000)
    copied = copy_box.input_value()
    assert urlsplit(copied).path == "/" and "feature=new-york" in copied
    # Leave the event's state, then open the same map link again: it must win.
    page.get_by_role("link", name="Map", exact=True).click()
    map_frame(page)
    idle(page)
    page.get_by_role("button", name="Crisis 1945–47").click()
    wait_for_query(page, layers="occupation")
    idle(page)
    page.get_by_role("link", name="Timeline", exact=True).click()
    idle(page)
    page.get_by_role("combobox", name="Event").click()
    page.keyboard.type("Gromyko")
    page.keyboard.press("Enter")
    idle(page)
    page.get_by_role("link", name="Open the map at this event").click()
    expect(page.locator(".feature-panel").first).to_contain_text("New York", timeout=30_000)
    wait_for_query(page, feature="new-york", date="1946-03-27")
    no_page_not_found(page)
    assert event  # the chosen event is the Gromyko walkout


@element_only
def test_the_map_stays_inside_the_links_zoom_range(page, app_url):
    page.goto(app_url + "/?view=38.07,46.3,11")
    map_frame(page)
    idle(page)
    box = page.locator(".ss-map-wrap").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(6):  # far more than the one step left to the limit
        page.mouse.wheel(0, -400)
        page.wait_for_timeout(120)
    page.wait_for_function(
        "(max) => (new URLSearchParams(location.search).get('view') || '').endsWith(',' + max)",
        arg=MAX_ZOOM,
        timeout=15_000,
    )
    assert map_view(page)[2] == MAX_ZOOM
    zoom = int(query(page)["view"].split(",")[2])
    assert zoom == MAX_ZOOM
    page.goto(app_url + "/?" + urlencode(query(page)))
    map_frame(page)
    idle(page)
    assert page.get_by_text("Ignored view=").count() == 0
    assert map_view(page)[2] == zoom


def test_an_empty_timeline_says_so(page, app_url):
    page.goto(app_url + "/timeline?layers=occupation")
    idle(page)
    page.get_by_label("Search").fill("Bushehrr")
    page.get_by_label("Search").press("Enter")
    expect(page.get_by_text("No event matches").first).to_be_visible(timeout=20_000)
    assert page.locator('[data-testid="stException"]').count() == 0


@element_only
def test_go_to_its_start_date_draws_the_place(page, app_url, data):
    page.goto(app_url + "/?date=1946-02&layers=occupation&feature=bushehr-npp")
    expect(page.get_by_text("Not drawn at this date")).to_be_visible(timeout=30_000)
    idle(page)
    page.get_by_role("button", name="Go to its start date").click()
    start = data.features.loc["bushehr-npp", "start"]
    wait_for_query(page, date=start, layers="occupation,modern", feature="bushehr-npp")
    expect(page.get_by_text("Not drawn at this date")).to_have_count(0, timeout=20_000)
    page.wait_for_function(
        "() => window.__stalinsShadow.maps.history_map.layers.has('bushehr-npp')",
        timeout=20_000,
    )


@pytest.mark.parametrize("walk", [1, 2])
@pytest.mark.parametrize("pause_ms", [0, 300])
def test_no_story_click_is_lost(page, app_url, data, pause_ms, walk):
    """Next to the end and Previous back; the next click as soon as the address changed (0 ms)
    or 300 ms after it."""
    stops = story.stops(data.story)
    page.goto(app_url + "/story?stop=1")
    page.locator('.story-stop[data-stop="1"]').wait_for(timeout=30_000)
    idle(page)
    walk = [s.number for s in stops[1:]] + [s.number for s in reversed(stops[:-1])]
    for number in walk:
        button = "Next →" if number > int(query(page).get("stop", "1")) else "← Previous"
        page.get_by_role("button", name=button).click()
        wait_for_query(page, stop=str(number))
        if pause_ms:
            page.wait_for_timeout(pause_ms)
    idle(page)
    wait_for_query(page, stop="1")
    assert query(page) == links.query(stops[0].state(), 1)
    expect(page.locator('.story-stop[data-stop="1"]')).to_be_visible()


@element_only
def test_forty_alternating_map_clicks_each_fill_the_panel(page, app_url, data):
    page.goto(app_url + AZERBAIJAN)
    map_frame(page)
    idle(page)
    for n in range(40):
        ident = ("bukan", "miandoab")[n % 2]
        click_map_at(page, *point_of(data, ident))
        wait_for_query(page, feature=ident)
        expect(page.locator(".feature-panel").first).to_contain_text(
            data.features.loc[ident, "name"]
        )
    assert map_js(page, "(m) => m.getZoom()") == 8


@element_only
def test_the_first_click_on_a_map_below_the_fold_counts(browser, app_url):
    """At 1440x900 the welcome pushes the map's bottom off screen; Leaflet focuses the map on a
    press, which scrolled the page between press and release and lost the click."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        page.goto(app_url + "/")
        map_frame(page)
        click_feature(page, "british-zone")
        wait_for_query(page, feature="british-zone")
        scrolled = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop")
        assert scrolled == 0
    finally:
        context.close()
