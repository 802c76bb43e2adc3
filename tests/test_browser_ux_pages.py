"""The app's pages as a visitor meets them, in Chromium at 1440x900 and at phone size (390x844,
touch): the time control aimed by year and month, the map's height and legend on a phone, the
timeline chart inside its column, and the story's announced stops, kept focus and controls
above the fold."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from explorer import story
from tests.conftest import SIZES, idle, map_js, page_in, query, wait_for_query

pytestmark = pytest.mark.browser


@pytest.fixture(params=list(SIZES))
def size(request) -> str:
    return request.param


@pytest.fixture
def sized(browser, size, request):
    """A page at `size` (a fresh context each test); a screenshot when the test fails."""
    yield from page_in(browser, request, full_page=False, **SIZES[size])


@pytest.fixture(scope="module")
def stops(dataset):
    return story.stops(dataset.story)


def open_page(page, url: str) -> None:
    page.goto(url)
    idle(page)


def open_sidebar(page) -> None:
    """Open the sidebar where it starts folded (a phone)."""
    expand = page.locator('[data-testid="stExpandSidebarButton"]')
    if expand.count() and expand.is_visible():
        expand.click()
    page.locator('[data-testid="stSidebar"]').get_by_text("Year").first.wait_for()


def pick(page, label: str, option: str) -> None:
    """Choose `option` in the sidebar's selectbox called `label`."""
    idle(page)
    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label)
    box.click()
    # Typing opens the list filtered to the option (a tap on a phone may only focus the box).
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    idle(page)


def type_year(page, text: str) -> None:
    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Year")
    box.click()
    box.fill(text)
    box.press("Enter")
    idle(page)


def drawn_ids(page) -> set[str]:
    return set(
        map_js(
            page,
            "(m) => { const ids = []; m.eachLayer((l) => { const p = l.feature && "
            "l.feature.properties; if (p && p.id) ids.push(p.id); }); return ids; }",
        )
    )


def shown_picker(page, label: str) -> str:
    """The value the sidebar's selectbox called `label` shows."""
    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label)
    return box.input_value()


# --- the time control -------------------------------------------------------------------------


def test_year_then_month_sets_the_date_and_back_returns(sized, app_url):
    page = sized
    open_page(page, app_url + "/?date=1944-07")
    assert "republic-of-mahabad" not in drawn_ids(page)  # proclaimed in January 1946
    open_sidebar(page)
    pick(page, "Year", "1946")
    wait_for_query(page, date="1946-07")
    pick(page, "Month", "March")
    wait_for_query(page, date="1946-03")
    assert shown_picker(page, "Month") == "March" and shown_picker(page, "Year") == "1946"
    expect(
        page.locator('[data-testid="stSidebar"] [data-testid="stSliderThumbValue"]')
    ).to_have_text("Mar 1946")
    page.wait_for_function(
        "() => { const r = window.__stalinsShadow && window.__stalinsShadow.maps;"
        " const m = r && r.history_map && r.history_map.map; if (!m) return false;"
        " let found = false; m.eachLayer((l) => { if (l.feature && l.feature.properties"
        " && l.feature.properties.id === 'republic-of-mahabad') found = true; });"
        " return found; }",
        timeout=30_000,
    )
    panel = page.get_by_text("features are drawn for this date").first
    expect(panel).to_be_visible()
    page.go_back()
    wait_for_query(page, date="1946-07")
    idle(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stSidebar] input[role=combobox]')]"
        ".some((s) => s.value === 'July')",
        timeout=20_000,
    )
    assert not page.js_errors


@pytest.mark.parametrize(
    ("typed", "says"), [("abc", "is not a year"), ("1930", "The map covers Aug 1941")]
)
def test_a_typed_bad_year_gets_a_message_not_a_traceback(sized, app_url, typed, says):
    page = sized
    open_page(page, app_url + "/?date=1946-05")
    open_sidebar(page)
    type_year(page, typed)
    alert = page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]')
    expect(alert).to_contain_text(says, timeout=20_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert query(page)["date"] == "1946-05"
    assert shown_picker(page, "Year") == "1946"  # the box shows the date's year again
    type_year(page, "1979")  # a year the list skips can still be typed
    wait_for_query(page, date="1979-05")
    expect(alert).to_have_count(0)


def test_the_slider_steps_by_keyboard_as_its_help_says(sized, app_url):
    page = sized
    open_page(page, app_url + "/")
    open_sidebar(page)
    slider = page.locator('[data-testid="stSidebar"] input[type="range"]')
    slider.focus()
    page.keyboard.press("ArrowRight")
    wait_for_query(page, date="1946-03")
    page.get_by_role("button", name="Help for Date (month)").hover()
    expect(page.get_by_text("press the left or right arrow key")).to_be_visible(timeout=10_000)


# --- phones: the map's height and its legend ---------------------------------------------------


def test_the_map_follows_the_screen_and_the_legend_moves_below_on_a_phone(sized, app_url, size):
    page = sized
    open_page(page, app_url + "/?date=1946-06")
    host = page.locator(".ss-map-host").first
    host.wait_for()
    height = host.bounding_box()["height"]
    below = page.locator(".ss-legend-below")
    in_map = page.locator(".ss-map-host .ss-legend")  # Playwright's CSS reaches shadow roots
    in_map.wait_for(state="attached", timeout=30_000)
    if size == "phone":
        assert 300 <= height <= 0.65 * 844, height  # 62% of the screen, not 640 px
        expect(below).to_be_visible()
        assert below.get_attribute("open") is None  # folded
        assert not in_map.is_visible()
        assert below.bounding_box()["y"] >= host.bounding_box()["y"] + height - 1
        below.locator("summary").click()
        expect(below).to_contain_text("Republic of Mahabad")
    else:
        assert height == 640
        expect(below).to_be_hidden()
        assert in_map.is_visible()


# --- the timeline chart ------------------------------------------------------------------------


def test_the_timeline_chart_fits_its_column(sized, app_url, size):
    page = sized
    open_page(page, app_url + "/timeline?date=1946-02&layers=occupation,crisis,modern")
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.first.wait_for(state="attached", timeout=30_000)
    page.locator('[data-testid="stVegaLiteChart"] svg').first.wait_for(state="attached")
    # Under load the chart is attached before it is laid out: wait until one has a width.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg')]"
        ".some((s) => s.getBoundingClientRect().width > 0)",
        timeout=30_000,
    )
    boxes = [b for b in (charts.nth(i).bounding_box() for i in range(charts.count())) if b]
    shown = [b for b in boxes if b["width"] > 0]
    assert len(shown) == 1, boxes  # one layout at a time
    chart = shown[0]
    column = page.locator(".st-key-timeline_charts").bounding_box()
    svg = page.locator('[data-testid="stVegaLiteChart"] svg').evaluate_all(
        "(ss) => ss.map((s) => s.getBoundingClientRect().toJSON()).filter((r) => r.width > 0)"
    )[0]
    for box in (chart, svg):
        assert box["x"] >= column["x"] - 0.5
        assert box["x"] + box["width"] <= column["x"] + column["width"] + 0.5, (box, column)
    assert chart["width"] >= 0.85 * column["width"] if size == "phone" else 0.9 * column["width"]


# --- the story -----------------------------------------------------------------------------------


def live_text(page) -> str:
    return page.locator('#ss-story-live[aria-live="polite"]').inner_text()


def test_story_stop_changes_are_announced(sized, app_url, stops):
    page = sized
    open_page(page, app_url + "/story?stop=1")
    live = page.locator('#ss-story-live[aria-live="polite"]')
    expect(live).to_have_text(story.announcement(1, len(stops), stops[0].title), timeout=20_000)
    page.get_by_role("button", name="Next →").click()
    expect(live).to_have_text(story.announcement(2, len(stops), stops[1].title), timeout=20_000)
    page.get_by_role("button", name="← Previous").click()
    expect(live).to_have_text(story.announcement(1, len(stops), stops[0].title), timeout=20_000)
    assert not live.is_visible() or live.bounding_box()["width"] <= 1  # heard, not seen


def focused_key(page) -> str | None:
    return page.evaluate(
        "() => { const a = document.activeElement;"
        " const k = a && a.closest && a.closest('[class*=st-key-story_]');"
        " return k ? [...k.classList].find((c) => c.startsWith('st-key-')) : a && a.tagName; }"
    )


def test_story_focus_stays_on_a_button_at_the_ends(sized, app_url, stops):
    page = sized
    last = len(stops)
    open_page(page, app_url + f"/story?stop={last - 1}")
    page.locator(".st-key-story_next button").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f'.story-stop[data-stop="{last}"]')).to_be_attached(timeout=20_000)
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest"
        " && document.activeElement.closest('.st-key-story_prev')",
        timeout=10_000,
    )
    assert focused_key(page) == "st-key-story_prev"
    open_page(page, app_url + "/story?stop=2")
    page.locator(".st-key-story_prev button").click()
    expect(page.locator('.story-stop[data-stop="1"]')).to_be_attached(timeout=20_000)
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest"
        " && document.activeElement.closest('.st-key-story_next')",
        timeout=10_000,
    )
    page.keyboard.press("Enter")  # the focused Next goes on
    expect(page.locator('.story-stop[data-stop="2"]')).to_be_attached(timeout=20_000)


def test_story_controls_are_above_the_fold(sized, app_url, size):
    page = sized
    open_page(page, app_url + "/story?stop=3")
    height = SIZES[size]["viewport"]["height"]
    for name in ("← Previous", "Next →"):
        box = page.get_by_role("button", name=name).bounding_box()
        assert box["y"] + box["height"] <= height, (name, box)
        assert box["height"] >= 24 and box["width"] >= 24
