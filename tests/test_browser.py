"""What a person sees in Chromium: the map drawn offline, clicks, share links, layer toggles."""

from __future__ import annotations

import json
import os
import shutil
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from geodata.loader import DATA_DIR
from tests.conftest import start_app

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
BACKEND = os.environ.get("STALINS_SHADOW_MAP", "element")
TILE_HOSTS = tuple(f"{s}.basemaps.cartocdn.com" for s in "abcd")
MAHABAD = "/?date=1946-06&layers=occupation,crisis&feature=republic-of-mahabad"
# The Leaflet map object: the element's registry holds it by key, streamlit-folium names it `map`.
MAP_JS = "(window.__stalinsShadow ? window.__stalinsShadow.maps.history_map.map : window.map)"


def map_root(page):
    """Where the map is drawn: the page itself (element) or streamlit-folium's iframe."""
    if BACKEND == "st_folium":
        page.wait_for_selector(MAP_FRAME, timeout=30_000)
        return page.frame_locator(MAP_FRAME)
    return page


def map_frame(page):
    """The map's root, once its features are drawn."""
    root = map_root(page)
    root.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=30_000)
    return root


def polygon_count(page) -> int:
    return map_frame(page).locator("path.leaflet-interactive").count()


def map_js(page, script: str, arg=None):
    """Evaluate `script` (a function of (map, arg)) where the Leaflet map lives."""
    map_frame(page)
    target = page.query_selector(MAP_FRAME).content_frame() if BACKEND == "st_folium" else page
    return target.evaluate(f"(arg) => ({script})({MAP_JS}, arg)", arg)


def click_map_at(page, lat: float, lon: float) -> None:
    """Click the map where Leaflet draws (lat, lon)."""
    x, y = map_js(
        page,
        "(m, [lat, lon]) => { const p = m.latLngToContainerPoint([lat, lon]);"
        " const r = m.getContainer().getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; }",
        [lat, lon],
    )
    if BACKEND == "st_folium":
        box = page.query_selector(MAP_FRAME).bounding_box()
        x, y = x + box["x"], y + box["y"]
    page.mouse.click(x, y)


def panel_text(page) -> str:
    return page.locator(".feature-panel").first.inner_text(timeout=15_000)


def query(page) -> dict[str, str]:
    """The address bar's parameters (Streamlit uses replaceState, which page.url may miss)."""
    return {k: v[0] for k, v in parse_qs(urlsplit(page.evaluate("location.href")).query).items()}


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
    click_map_at(page, 37.9, 47.6)  # between Tabriz and Ardabil: only the Soviet zone... and APG
    page.wait_for_function("() => location.search.includes('feature=')", timeout=15_000)
    feature = query(page)["feature"]
    assert feature in ("soviet-zone", "azerbaijan-peoples-government")
    click_map_at(page, 36.6, 54.6)  # between Gorgan and Shahrud: Soviet zone, no overlay
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
    page.wait_for_function(
        "() => location.search.includes('layers=occupation') && !location.search.includes('crisis')"
    )
    page.wait_for_timeout(500)
    after = polygon_count(page)
    assert after < before


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


def map_view(page) -> tuple[float, float, int]:
    return tuple(
        map_js(
            page,
            "(m) => [+m.getCenter().lat.toFixed(3), +m.getCenter().lng.toFixed(3), m.getZoom()]",
        )
    )


def wait_until(condition, what: str, seconds: float = 15) -> None:
    deadline = time.time() + seconds
    while not condition():
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.1)


def builds(page) -> str:
    return page.locator(".ss-map-wrap").first.get_attribute("data-builds")


element_only = pytest.mark.skipif(BACKEND != "element", reason="the element reports the view")


@element_only
def test_a_pan_redraws_nothing_and_the_link_follows_the_view(page, app_url):
    page.goto(app_url + "/")
    map_frame(page)
    assert builds(page) == "1"
    box = page.locator(".ss-map-wrap").first.bounding_box()
    x, y = box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.8  # over the Gulf
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
    wait_until(lambda: builds(page) == "2", "the map is rebuilt for the new layers")
    assert map_view(page) == before
    assert "view=36.8" in page.evaluate("location.search")


@element_only
def test_clicks_answer_without_rebuilding_the_map(page, app_url):
    page.goto(app_url + "/")
    map_frame(page)
    for lat, lon, feature in ((36.6, 54.6, "soviet-zone"), (31.0, 48.0, "british-zone")):
        click_map_at(page, lat, lon)
        page.wait_for_function(
            "(f) => location.search.includes('feature=' + f)", arg=feature, timeout=15_000
        )
    assert builds(page) == "1"
    assert "British" in panel_text(page)


EVIL_NAME = '<img src=x onerror="window.__xss=4">Tabriz<script>window.__xss=5</script>'


@pytest.fixture(scope="module")
def evil_app_url(tmp_path_factory):
    """The app on a copy of the data whose Tabriz has a hostile name and summary."""
    data = tmp_path_factory.mktemp("evil") / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "features.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    for feature in collection["features"]:
        if feature["properties"]["id"] == "tabriz":
            feature["properties"]["name"] = EVIL_NAME
            feature["properties"]["summary"] = EVIL_NAME
    path.write_text(json.dumps(collection), encoding="utf-8")
    proc, url = start_app(env={"STALINS_SHADOW_DATA": str(data)})
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_no_script_in_a_feature_name_runs(page, evil_app_url):
    page.goto(evil_app_url + "/?date=1946-06&feature=tabriz&view=38.07,46.3,9")
    map_frame(page)
    assert "Tabriz" in panel_text(page)
    assert "<img" in panel_text(page)  # shown as text
    click_map_at(page, 38.074, 46.296)  # the Tabriz marker: opens its tooltip and panel
    page.mouse.move(5, 5)
    click_map_at(page, 38.074, 46.296)
    page.wait_for_timeout(1000)
    for frame in page.frames:
        assert frame.evaluate("() => window.__xss === undefined")
