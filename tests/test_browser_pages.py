"""The timeline, story and sources pages as a person uses them in Chromium: the chart draws and
opens the map at a chosen event, the story walks its stops, every download reads back."""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from playwright.sync_api import expect

from explorer import chronology, downloads, links, story
from geodata import load_dataset
from tests.conftest import TILE_HOSTS, idle, no_page_not_found, query, url_path, wait_for_query

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"]'
POINTS = f'{CHART} svg [aria-roledescription="point"]'
MAHABAD_EVENT = "1946-01-22-mahabad-republic-proclaimed"


@pytest.fixture(scope="module")
def data():
    return load_dataset()


def click_mark(page, label: str) -> None:
    """Click a chart mark by its accessible label (Vega draws SVG; the svg takes the events)."""
    # The page sends the chart in two layouts and shows the one that fits its column.
    mark = page.locator(f'{CHART} svg [aria-label="{label}"]').locator("visible=true").first
    mark.wait_for(state="attached", timeout=30_000)
    idle(page)
    box = mark.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def stop_number(page) -> int:
    return int(page.locator(".story-stop").first.get_attribute("data-stop"))


# --- timeline -------------------------------------------------------------------------------


def test_timeline_chart_draws_every_event_offline(page, app_url, data):
    outside = []
    host = urlsplit(app_url).netloc
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlsplit(r.url).scheme not in ("data", "blob") and urlsplit(r.url).netloc != host
            else None
        ),
    )
    page.goto(app_url + "/timeline?date=1946-02&layers=occupation,crisis,modern")
    page.locator(POINTS).first.wait_for(state="attached", timeout=30_000)
    labels = page.locator(POINTS).evaluate_all("ms => ms.map(m => m.getAttribute('aria-label'))")
    expected = {
        f"{chronology.event_date_label(e)}: {e['title']}" for e in data.events.to_dict("records")
    }
    assert set(labels) == expected
    bars = page.locator(f'{CHART} svg [aria-roledescription="bar"]').count()
    assert bars >= 6  # the zones, the republics and the corridor
    assert not outside, f"the timeline asked other hosts: {outside[:5]}"
    assert not page.js_errors


def test_choosing_an_event_on_the_chart_opens_the_map_there(page, app_url, data):
    page.goto(app_url + "/timeline?date=1941-09&layers=occupation,crisis")
    event = data.events.loc[MAHABAD_EVENT]
    click_mark(page, f"{chronology.event_date_label(event.to_dict())}: {event['title']}")
    wait_for_query(page, date="1946-01-22", feature="mahabad")
    detail = page.locator(f'.event-detail[data-event="{MAHABAD_EVENT}"]')
    assert "Qazi Muhammad" in detail.inner_text(timeout=15_000)
    page.get_by_role("link", name="Open the map at this event").click()
    page.locator(".feature-panel").first.wait_for(timeout=30_000)
    assert url_path(page) == "/"
    no_page_not_found(page)
    expected = {"date": "1946-01-22", "layers": "occupation,crisis", "feature": "mahabad"}
    assert query(page) == expected
    assert "Mahabad" in page.locator(".feature-panel").first.inner_text()
    page.locator(".leaflet-interactive").first.wait_for(state="attached", timeout=30_000)


def test_table_view_lists_the_filtered_events(page, app_url):
    page.goto(app_url + "/timeline?date=1946-02&layers=occupation,crisis,modern")
    page.get_by_label("Search").fill("Kirmanshah")
    page.get_by_label("Search").press("Enter")
    page.get_by_role("tab", name="Table").click()
    rows = page.locator(".events-table tbody tr")
    rows.first.wait_for(timeout=20_000)
    page.wait_for_function(
        "() => document.querySelector('.events-table caption')?.textContent.startsWith('1 ')"
        " || document.querySelectorAll('.events-table tbody tr').length < 10",
        timeout=20_000,
    )
    text = page.locator(".events-table").inner_text()
    assert "Kermanshah" in text and "Bushehr" not in text


def test_a_link_made_on_the_timeline_opens_the_same_state_on_the_map(page, app_url):
    page.goto(app_url + "/timeline?date=1946-06&layers=crisis&feature=republic-of-mahabad")
    page.locator(POINTS).first.wait_for(state="attached", timeout=30_000)
    idle(page)
    page.get_by_role("link", name="Map", exact=True).click()  # the sidebar's navigation
    page.locator(".feature-panel").first.wait_for(timeout=30_000)
    wait_for_query(page, date="1946-06", layers="crisis", feature="republic-of-mahabad")
    assert "Republic of Mahabad" in page.locator(".feature-panel").first.inner_text()


@pytest.mark.parametrize(
    ("page_path", "ready"),
    [("/story?stop=17", ".story-stop"), ("/sources", "ul.claims"), ("/timeline", POINTS)],
)
def test_pages_ask_no_other_host(page, app_url, page_path, ready):
    """Everything comes from the app itself; only the map's optional street tiles do not."""
    host = urlsplit(app_url).netloc
    outside = []

    def check(request) -> None:
        url = urlsplit(request.url.removeprefix("blob:"))
        if url.scheme != "data" and url.netloc != host and url.netloc not in TILE_HOSTS:
            outside.append(request.url)

    page.on("request", check)
    page.goto(app_url + page_path)
    page.locator(ready).first.wait_for(state="attached", timeout=30_000)
    idle(page)
    assert not outside, f"{page_path} asked other hosts: {outside[:5]}"


def test_no_script_from_a_story_link_runs(page, app_url):
    evil = "<img src=x onerror=window.__xss=1>"
    page.goto(app_url + "/story?" + urlencode({"stop": evil, "feature": evil}))
    notice = page.locator('[data-testid="stAlert"]').first
    notice.wait_for(timeout=20_000)
    assert "Ignored stop=" in notice.inner_text() and "<img" in notice.inner_text()
    page.locator('.story-stop[data-stop="1"]').wait_for(timeout=20_000)
    assert page.evaluate("() => window.__xss === undefined")


@pytest.mark.parametrize("page_path", ["/timeline", "/story", "/sources"])
def test_bad_links_show_the_notice(page, app_url, page_path):
    page.goto(app_url + page_path + "?date=1946-13&layers=medieval&stop=99")
    notice = page.locator('[data-testid="stAlert"]').first
    notice.wait_for(timeout=20_000)
    assert "Ignored" in notice.inner_text()
    assert not page.js_errors


# --- story ----------------------------------------------------------------------------------


def test_next_walks_every_stop(page, app_url, data):
    stops = story.stops(data.story)
    page.goto(app_url + "/story?stop=1")
    page.locator('.story-stop[data-stop="1"]').wait_for(timeout=30_000)
    for stop in stops[1:]:
        idle(page)
        page.get_by_role("button", name="Next →").click()
        page.locator(f'.story-stop[data-stop="{stop.number}"]').wait_for(timeout=20_000)
        wait_for_query(page, stop=str(stop.number), date=stop.date.iso())
        assert stop.title in page.locator(".story-stop").inner_text()
    assert page.get_by_role("button", name="Next →").is_disabled()
    assert page.get_by_text(f"Stop {len(stops)} of {len(stops)}").first.is_visible()


def test_a_stop_link_opens_that_stop_with_its_map(page, app_url, data):
    stop = story.stops(data.story)[8]
    page.goto(app_url + f"/story?stop={stop.number}")
    page.locator(f'.story-stop[data-stop="{stop.number}"]').wait_for(timeout=30_000)
    assert query(page) == links.query(stop.state(), stop.number)
    page.locator(".leaflet-interactive").first.wait_for(state="attached", timeout=30_000)
    assert stop.title in page.locator(".story-stop").inner_text()


# --- sources --------------------------------------------------------------------------------


def test_every_download_reads_back_identical(page, app_url, data, tmp_path):
    page.goto(app_url + "/sources")
    page.get_by_role("link", name="Download stalins-shadow-story.csv").wait_for(timeout=30_000)
    idle(page)
    for item in downloads.DOWNLOADS:
        button = page.get_by_role("link", name=f"Download {item.file_name}")
        with page.expect_download(timeout=30_000) as info:
            button.click()
        saved = tmp_path / item.file_name
        info.value.save_as(saved)
        assert info.value.suggested_filename == item.file_name
        content = saved.read_bytes()
        if item.key == "layers-geojson":
            back = downloads.read_back_layer(content)
            expected = downloads.export_features(data.features)
            assert_layers_equal(back, expected)
        elif item.key == "datapackage":
            assert content == downloads.file_bytes(data, "datapackage")
            assert json.loads(content)["resources"]
        elif item.key == "layers-gpkg":
            for period, expected in downloads.period_layers(data.features).items():
                assert_layers_equal(downloads.read_back_layer(content, period), expected)
        else:
            frame = getattr(data, item.key)
            pd.testing.assert_frame_equal(
                downloads.read_back_csv(content),
                downloads.export_table(frame, downloads.TABLE_COLUMNS[item.key]),
            )


def assert_layers_equal(back, expected) -> None:
    assert_geodataframe_equal(back, expected, check_less_precise=False)


def test_sources_page_links_every_source(page, app_url, data):
    page.goto(app_url + "/sources")
    page.locator("ul.bibliography").first.wait_for(state="attached", timeout=30_000)
    hrefs = page.locator("ul.bibliography a").evaluate_all("as => as.map(a => a.href)")
    assert len(hrefs) == len(data.sources)
    assert set(hrefs) == set(data.sources["url"].map(lambda u: u.replace(" ", "%20")))
    assert page.locator(".claims li.claim").count() == len(data.claims)


@pytest.fixture(scope="module")
def broken_app_url(tmp_path_factory):
    """The app on a copy of the data with a story file saved as UTF-16 and an empty claims."""
    from tests.conftest import data_copy, running_app

    data = data_copy(tmp_path_factory, "broken")
    story_text = (data / "story.csv").read_text(encoding="utf-8")
    (data / "story.csv").write_bytes(story_text.encode("utf-16"))
    (data / "claims.csv").write_text("", encoding="utf-8")
    with running_app(env={"STALINS_SHADOW_DATA": str(data)}) as url:
        yield url


@pytest.mark.parametrize("page_path", ["/", "/timeline?date=1946-02", "/story?stop=3"])
def test_bad_data_gives_one_calm_page(page, broken_app_url, page_path):
    page.goto(broken_app_url + page_path)
    alert = page.locator('[data-testid="stAlert"]').first
    alert.wait_for(timeout=30_000)
    assert "did not pass its checks" in alert.inner_text()
    problems = page.locator("ul.data-problems li")
    expect(problems.first).to_be_visible(timeout=30_000)  # the list follows the alert
    assert problems.count() >= 2
    text = page.locator("ul.data-problems").inner_text()
    assert "story.csv" in text and "claims.csv" in text
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.content()
