"""What a person sees in Chromium: the map drawn offline, clicks, share links, layer toggles."""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import (
    MAP_BACKEND,
    TILE_HOSTS,
    click_feature,
    click_map_at,
    data_copy,
    idle,
    map_frame,
    map_view,
    panel_text,
    query,
    running_app,
    wait_for_query,
)

pytestmark = pytest.mark.browser

BACKEND = MAP_BACKEND
MAHABAD = "/?date=1946-06&layers=occupation,crisis&feature=republic-of-mahabad"


def polygon_count(page) -> int:
    """Features drawn: areas and lines (SVG paths) and sites (marker divs)."""
    return map_frame(page).locator(".leaflet-interactive").count()


def test_map_draws_its_polygons_offline(page, app_url):
    outside = []
    app_host = urlsplit(app_url).netloc

    def check(request) -> None:
        url = urlsplit(request.url.removeprefix("blob:"))
        if url.scheme != "data" and url.netloc not in (app_host, *TILE_HOSTS):
            outside.append(request.url)

    page.on("request", check)
    page.goto(app_url + "/")
    assert polygon_count(page) >= 10
    assert not outside, f"the page asked other hosts: {outside[:5]}"
    legend = map_frame(page).locator(".map-legend")
    assert "Soviet" in legend.inner_text()


def test_clicking_the_soviet_zone_fills_the_panel(page, app_url):
    page.goto(app_url + "/")
    click_feature(page, "azerbaijan-peoples-government")
    wait_for_query(page, feature="azerbaijan-peoples-government")
    click_feature(page, "soviet-zone")
    page.wait_for_function("() => location.search.includes('feature=soviet-zone')", timeout=15_000)
    text = panel_text(page)
    assert "Soviet" in text
    assert page.locator(".event").count() >= 3


def test_mahabad_link_reproduces_its_view(page, app_url):
    page.goto(app_url + MAHABAD)
    assert "Mahabad" in panel_text(page)
    assert "Jun 1946" in page.locator('[data-testid="stSlider"]').inner_text()
    assert query(page) == {
        "date": "1946-06",
        "layers": "occupation,crisis",
        "feature": "republic-of-mahabad",
    }
    assert polygon_count(page) >= 5
    share = page.locator('input[aria-label="Link to this view"]').input_value()
    assert "feature=republic-of-mahabad" in share and share.startswith("http")


def test_turning_a_period_off_removes_its_polygons(page, app_url):
    page.goto(app_url + "/?date=1946-06&layers=occupation,crisis")
    before = polygon_count(page)
    page.get_by_role("button", name="Crisis 1945–47").click()
    wait_for_query(page, layers="occupation")
    expect(map_frame(page).locator(".leaflet-interactive")).not_to_have_count(
        before, timeout=20_000
    )
    assert polygon_count(page) < before


def test_bad_link_shows_the_notice(page, app_url):
    page.goto(app_url + "/?date=1946-13&layers=medieval&feature=atlantis")
    notice = page.locator('[data-testid="stAlert"]').first
    notice.wait_for(timeout=20_000)
    assert "Ignored" in notice.inner_text()
    assert polygon_count(page) >= 5


def test_no_script_from_the_url_runs(page, app_url):
    evil = "/?" + urlencode(
        {
            "feature": "<img src=x onerror=window.__xss=1>",
            "date": "<script>window.__xss=2</script>",
            "view": "<svg onload=window.__xss=3>",
        }
    )
    page.goto(app_url + evil)
    page.locator('[data-testid="stAlert"]').first.wait_for(timeout=20_000)
    map_frame(page)
    for frame in page.frames:
        assert frame.evaluate("() => window.__xss === undefined")
    assert not [e for e in page.js_errors if "__xss" in e]


def builds(page) -> str:
    return page.locator(".ss-map-wrap").first.get_attribute("data-builds")


element_only = pytest.mark.skipif(BACKEND != "element", reason="the element reports the view")


@element_only
def test_a_pan_redraws_nothing_and_the_link_follows_the_view(page, app_url):
    page.goto(app_url + "/")
    map_frame(page)
    assert builds(page) == "1"
    box = page.locator(".ss-map-wrap").first.bounding_box()
    x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.45  # away from controls
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 150, y - 60, steps=8)
    page.mouse.up()
    page.wait_for_function("() => location.search.includes('view=')", timeout=15_000)
    lat, lon, zoom = map_view(page)
    view = query(page)["view"].split(",")
    assert abs(float(view[0]) - lat) < 0.01 and abs(float(view[1]) - lon) < 0.01
    assert int(view[2]) == zoom
    assert builds(page) == "1", "a pan must not rebuild the map"
    shared = page.locator('input[aria-label="Link to this view"]').input_value()
    assert "view=" in shared
    # the link of the panned view opens that view
    page.goto(app_url + "/?" + urlencode(query(page)))
    map_frame(page)
    assert map_view(page)[2] == zoom
    assert abs(map_view(page)[1] - lon) < 0.01


@element_only
def test_a_layer_toggle_keeps_the_view(page, app_url):
    page.goto(app_url + "/?date=1946-06&layers=occupation,crisis&view=36.8,46.0,7")
    map_frame(page)
    before = map_view(page)
    assert before == (36.8, 46.0, 7)
    page.get_by_role("button", name="Crisis 1945–47").click()
    page.wait_for_function("() => !location.search.includes('crisis')", timeout=15_000)
    expect(page.locator(".ss-map-wrap")).to_have_attribute("data-builds", "2", timeout=20_000)
    assert map_view(page) == before
    assert "view=36.8" in page.evaluate("location.search")


@element_only
def test_clicks_answer_without_rebuilding_the_map(page, app_url):
    page.goto(app_url + "/")
    map_frame(page)
    for feature in ("soviet-zone", "british-zone"):
        click_feature(page, feature)
        page.wait_for_function(
            "(f) => location.search.includes('feature=' + f)", arg=feature, timeout=15_000
        )
    assert builds(page) == "1"
    assert "British" in panel_text(page)


EVIL_NAME = '<img src=x onerror="window.__xss=4">Tabriz<script>window.__xss=5</script>'


@pytest.fixture(scope="module")
def evil_app_url(tmp_path_factory):
    """The app on a copy of the data whose Tabriz has a hostile name and summary."""
    data = data_copy(tmp_path_factory, "evil")
    path = data / "features.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    for feature in collection["features"]:
        if feature["properties"]["id"] == "tabriz":
            feature["properties"]["name"] = EVIL_NAME
            feature["properties"]["summary"] = EVIL_NAME
    path.write_text(json.dumps(collection), encoding="utf-8")
    with running_app(env={"STALINS_SHADOW_DATA": str(data)}) as url:
        yield url


def test_no_script_in_a_feature_name_runs(page, evil_app_url):
    page.goto(evil_app_url + "/?date=1946-06&feature=tabriz&view=38.07,46.3,9")
    map_frame(page)
    assert "Tabriz" in panel_text(page)
    assert "<img" in panel_text(page)  # shown as text
    click_map_at(page, 38.074, 46.296)  # the Tabriz marker: opens its tooltip and panel
    page.mouse.move(5, 5)
    click_map_at(page, 38.074, 46.296)
    idle(page)
    for frame in page.frames:
        assert frame.evaluate("() => window.__xss === undefined")
