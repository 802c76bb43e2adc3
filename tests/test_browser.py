"""What a person sees in Chromium: the map drawn offline, clicks, share links, layer toggles."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MAHABAD = "/?date=1946-06&layers=occupation,crisis&feature=republic-of-mahabad"


def map_frame(page):
    page.wait_for_selector(MAP_FRAME, timeout=30_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    return frame


def polygon_count(page) -> int:
    return map_frame(page).locator("path.leaflet-interactive").count()


def click_map_at(page, lat: float, lon: float) -> None:
    """Click the map where Leaflet draws (lat, lon)."""
    map_frame(page)
    handle = page.query_selector(MAP_FRAME)
    frame = handle.content_frame()
    point = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    box = frame.evaluate(
        "() => { const r = window.map.getContainer().getBoundingClientRect();"
        " return [r.left, r.top]; }"
    )
    frame_box = handle.bounding_box()
    page.mouse.click(frame_box["x"] + box[0] + point[0], frame_box["y"] + box[1] + point[1])


def panel_text(page) -> str:
    return page.locator(".feature-panel").first.inner_text(timeout=15_000)


def query(page) -> dict[str, str]:
    """The address bar's parameters (Streamlit uses replaceState, which page.url may miss)."""
    return {k: v[0] for k, v in parse_qs(urlsplit(page.evaluate("location.href")).query).items()}


def test_map_draws_its_polygons_offline(page, app_url):
    outside = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(app_url)
            and "basemaps.cartocdn.com" not in r.url
            and not r.url.startswith("data:")
            else None
        ),
    )
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
    share = page.locator('[data-testid="stCode"]').inner_text()
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
