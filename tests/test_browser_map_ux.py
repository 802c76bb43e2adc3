"""The map as a visitor meets it, in Chromium at 1440x900 and at phone size (390x844, touch).

Each test loads a standalone page: the map built by `build_map`, written to a file, with Leaflet
from static/vendor (copied there by explorer.assets) and every request off this machine
refused. It needs neither the Streamlit app nor the network.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from shapely.ops import polylabel

from explorer.assets import ensure_static
from explorer.mapbuild import build_map
from explorer.state import View, ViewState
from geodata.dates import PartialDate

DESKTOP = {"viewport": {"width": 1440, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 2,
}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
# The map on the test page: 640 px high, with the page going on below it (so a page can scroll).
PAGE_CSS = (
    "<style>html,body{height:auto!important;margin:0}"
    "#map_historymap{height:640px!important}</style>"
)
PAGE_TAIL = (
    '<div id="below" style="height:1600px;padding:8px">The page goes on below the map.</div>'
    "<script>window.__clicked = [];"
    "map_historymap.eachLayer(function (l) {"
    "  if (l.feature && l.feature.properties && l.feature.properties.id)"
    "    l.on('click', function () { window.__clicked.push(l.feature.properties.id); });"
    "});"
    "window.__mapClicks = 0; map_historymap.on('click', function () { window.__mapClicks++; });"
    "</script>"
)


@pytest.fixture(scope="module")
def leaflet_base() -> str:
    return ensure_static().as_uri() + "/"


@pytest.fixture(scope="module")
def write_page(dataset, leaflet_base, tmp_path_factory):
    folder = tmp_path_factory.mktemp("maps")
    made: dict[ViewState, Path] = {}

    def write(state: ViewState) -> str:
        if state not in made:
            fmap = build_map(dataset.features, dataset.context, state, dataset.events)
            text = fmap.get_root().render()
            text = text.replace("/app/static/vendor/leaflet/", leaflet_base)
            text = text.replace("</head>", PAGE_CSS + "</head>", 1)
            text = text + PAGE_TAIL  # after Folium's script, which follows </body>
            path = folder / f"map-{len(made)}.html"
            path.write_text(text, encoding="utf-8")
            made[state] = path
        return made[state].as_uri()

    return write


@pytest.fixture(params=list(SIZES))
def size(request) -> str:
    return request.param


@pytest.fixture
def open_map(browser, write_page, request) -> Iterator:
    contexts = []

    def open_(state: ViewState, size: str):
        context = browser.new_context(**SIZES[size])
        contexts.append(context)
        # Offline: any request that is not a local file is refused (the online tiles).
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors  # type: ignore[attr-defined]
        page.goto(write_page(state))
        page.locator(".ss-site").first.wait_for(state="attached")
        page.wait_for_timeout(200)
        return page

    yield open_
    for context in contexts:
        name = request.node.name.replace("/", "_")
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            artifacts = Path(__file__).resolve().parent.parent / "test-artifacts"
            artifacts.mkdir(exist_ok=True)
            for number, page in enumerate(context.pages):
                page.screenshot(path=str(artifacts / f"{name}-{number}.png"))
        context.close()


def rects(page, selector: str) -> list[dict]:
    """Bounding boxes of the visible elements matching `selector`, with their text or id."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)]
            .filter((e) => e.offsetParent !== null || getComputedStyle(e).display !== 'none')
            .map((e) => { const r = e.getBoundingClientRect();
                return {x: r.x, y: r.y, w: r.width, h: r.height,
                        id: e.closest('[data-feature-id]')?.dataset.featureId,
                        text: e.textContent}; })
            .filter((r) => r.w > 0 && r.h > 0)""",
        selector,
    )


def dot(page, ident: str) -> dict:
    found = [r for r in rects(page, ".ss-site .ss-dot") if r["id"] == ident]
    assert found, f"{ident} is not drawn"
    return found[0]


def centre(r: dict) -> tuple[float, float]:
    return r["x"] + r["w"] / 2, r["y"] + r["h"] / 2


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    )


def inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["y"] >= outer["y"] - 0.5
        and inner["x"] + inner["w"] <= outer["x"] + outer["w"] + 0.5
        and inner["y"] + inner["h"] <= outer["y"] + outer["h"] + 0.5
    )


def map_box(page) -> dict:
    return rects(page, "#map_historymap")[0]


def map_centre(page) -> tuple[float, float, int]:
    return page.evaluate(
        "() => { const c = map_historymap.getCenter();"
        " return [c.lat, c.lng, map_historymap.getZoom()]; }"
    )


def test_labels_are_drawn_offline_and_never_overlap(open_map, size):
    page = open_map(ViewState(), size)
    labels = rects(page, ".ss-label")
    texts = {r["text"] for r in labels}
    assert {"Caspian Sea", "Persian Gulf", "Iran", "Iraq", "Baku"} <= texts
    assert {"Tehran", "Tabriz", "Mahabad"} <= texts  # the most-cited places keep their names
    box = map_box(page)
    for a, b in itertools.combinations(labels, 2):
        assert not overlap(a, b), f"{a['text']!r} overlaps {b['text']!r}"
    dots = rects(page, ".ss-site .ss-dot")
    controls = rects(page, ".leaflet-control")
    for label in labels:
        for control in controls:
            assert not overlap(label, control), f"{label['text']!r} is under a control"
        assert inside(label, box), f"{label['text']!r} is cut by the map's edge"
        for d in dots:
            assert not overlap(label, d), f"{label['text']!r} covers the dot of {d['id']}"
    # Readable over the zones: a white halo around dark text.
    shadow = page.evaluate(
        "() => getComputedStyle(document.querySelector('.ss-label--site')).textShadow"
    )
    assert "rgb(255, 255, 255)" in shadow
    assert not page.js_errors


def test_labels_follow_the_zoom(open_map):
    page = open_map(ViewState(view=View(36.7, 45.9, 5)), "desktop")
    at_five = {r["text"] for r in rects(page, ".ss-label--site")}
    page.evaluate("() => map_historymap.setZoom(8, {animate: false})")
    page.wait_for_timeout(100)
    at_eight = {r["text"] for r in rects(page, ".ss-label--site")}
    # Zoomed in, the Mahabad cluster has room: more of its names show.
    assert {"Mahabad", "Bukan", "Naqadeh", "Miandoab"} <= at_eight
    assert len(at_eight & {"Mahabad", "Bukan", "Naqadeh", "Miandoab", "Saqqez", "Piranshahr"}) > (
        len(at_five & {"Mahabad", "Bukan", "Naqadeh", "Miandoab", "Saqqez", "Piranshahr"})
    )


def test_co_located_and_crowded_places_are_spread(open_map, size):
    page = open_map(ViewState(date=None), size)
    dots = {r["id"]: r for r in rects(page, ".ss-site .ss-dot")}
    tehran = [dots["tehran"], dots["tehran-conference"], dots["majlis"]]
    for a, b in itertools.combinations(tehran, 2):
        (ax, ay), (bx, by) = centre(a), centre(b)
        assert ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5 >= 23.5  # 24 px targets, apart
    # Every dot on screen keeps its own 24 px target.
    box = map_box(page)
    on_screen = [d for d in dots.values() if inside(d, box)]
    for a, b in itertools.combinations(on_screen, 2):
        (ax, ay), (bx, by) = centre(a), centre(b)
        assert ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5 >= 23.5, (a["id"], b["id"])
    # A moved dot is tied to its true spot by a leader line.
    assert page.locator(".leaflet-ss-leaders-pane path").count() >= 3
    targets = rects(page, ".ss-site")
    assert all(t["w"] >= 24 and t["h"] >= 24 for t in targets)


def test_each_of_the_tehran_dots_opens_its_own_place(open_map):
    page = open_map(ViewState(date=None, view=View(35.69, 51.42, 6)), "desktop")
    for ident in ("tehran", "tehran-conference", "majlis"):
        page.evaluate("() => { window.__clicked = []; }")
        x, y = centre(dot(page, ident))
        page.mouse.click(x, y)
        assert page.evaluate("() => window.__clicked") == [ident]


def test_a_click_inside_a_republic_selects_the_republic(open_map, dataset, size):
    shape = dataset.features.loc["republic-of-mahabad"].geometry
    point = polylabel(shape, tolerance=0.01)
    page = open_map(ViewState(PartialDate(1946, 6), view=View(point.y, point.x, 8)), size)
    x, y = page.evaluate(
        "([lat, lon]) => { const p = map_historymap.latLngToContainerPoint([lat, lon]);"
        " const r = map_historymap.getContainer().getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; }",
        [point.y, point.x],
    )
    assert not any(
        overlap({"x": x - 1, "y": y - 1, "w": 2, "h": 2}, t) for t in rects(page, ".ss-site")
    ), "a place dot lies on the test point"
    if size == "phone":
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)
    assert page.evaluate("() => window.__clicked") == ["republic-of-mahabad"]


def test_keyboard_reaches_named_features_and_enter_selects(open_map, size):
    page = open_map(ViewState(), size)
    # Every focusable thing in the map has a name.
    nameless = page.evaluate(
        """() => [...document.querySelectorAll('#map_historymap [tabindex="0"], '
                + '#map_historymap button, #map_historymap a[href]')]
            .filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim()))
            .map((e) => e.outerHTML.slice(0, 80))"""
    )
    assert not nameless
    names = page.evaluate(
        "() => [...document.querySelectorAll('.ss-feature')]"
        ".map((e) => e.getAttribute('aria-label'))"
    )
    assert "Soviet occupation zone, zone (approximate)" in names and "Tabriz, place" in names
    region = page.locator("#map_historymap")
    assert region.get_attribute("role") == "region"
    assert "Enter selects" in region.get_attribute("aria-label")
    page.locator("#below").click()  # somewhere neutral, then Tab into the map
    page.evaluate("() => document.activeElement.blur()")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('ss-feature')"):
            break
    focused = page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return {name: e.getAttribute('aria-label'), role: e.getAttribute('role'),"
        " id: e.dataset.featureId, outline: s.outlineStyle, width: s.outlineWidth}; }"
    )
    assert focused["name"] and focused["role"] == "button"
    assert focused["outline"] == "solid" and focused["width"] == "3px"  # the ring shows
    page.keyboard.press("Enter")
    assert page.evaluate("() => window.__clicked") == [focused["id"]]
    page.keyboard.press("Tab")
    second = page.evaluate("() => document.activeElement.dataset.featureId")
    page.keyboard.press(" ")
    assert page.evaluate("() => window.__clicked") == [focused["id"], second]
    assert page.evaluate("() => window.scrollY") == 0  # Space selected, it did not scroll


@pytest.mark.parametrize(
    "view",
    [None, View(25.9, 44.5, 7), View(28.9, 50.9, 8)],
    ids=["default", "bushehr-top-right", "bushehr-centre"],
)
def test_legend_lists_what_is_drawn_and_hides_no_place(open_map, size, view):
    page = open_map(ViewState(PartialDate(2016, 8), ("modern",), view=view), size)
    check_legend(page, size)
    text = page.locator(".ss-legend").inner_text()
    assert "modern ties" in text and "Soviet" not in text and "crisis" not in text


def test_legend_at_the_default_date_hides_no_place(open_map, size):
    page = open_map(ViewState(), size)
    check_legend(page, size)
    text = page.locator(".ss-legend").inner_text()
    assert "Soviet zone" in text and "modern ties" not in text


def check_legend(page, size: str) -> None:
    """Open the legend (folded on a phone); it must hide no place and swallow no click."""
    toggle = page.locator(".ss-legend-toggle")
    expanded = toggle.get_attribute("aria-expanded")
    assert expanded == ("false" if size == "phone" else "true")  # folded on a phone
    if expanded == "false":
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        # It may have moved to a free corner: the focus stayed on its button.
        assert page.evaluate("() => document.activeElement.className") == "ss-legend-toggle"
    page.wait_for_timeout(50)
    legend = rects(page, ".ss-legend")[0]
    hidden = [
        target["id"]
        for target in rects(page, ".ss-site")
        if inside(target, map_box(page)) and overlap(legend, target)
    ]
    if size == "desktop":
        assert not hidden, f"the legend hides {hidden}"
    else:
        # A phone's map may have no free corner for the open legend: it takes the corner that
        # hides fewest places (and the page can show the legend below the map instead).
        fewest = page.evaluate(
            """() => { const box = document.querySelector('.ss-legend');
                const counts = [];
                for (const [v, h] of [['top','right'],['bottom','right'],['bottom','left'],
                                      ['top','left']]) {
                    const corner = document.querySelector('.leaflet-' + v + '.leaflet-' + h);
                    const sibling = v === 'bottom' ? corner.firstChild : null;
                    corner.insertBefore(box, sibling);
                    const r = box.getBoundingClientRect();
                    counts.push([...document.querySelectorAll('.ss-site')].filter((e) => {
                        const d = e.getBoundingClientRect();
                        return d.left < r.right && r.left < d.right
                            && d.top < r.bottom && r.top < d.bottom; }).length);
                }
                return Math.min(...counts); }"""
        )
        assert len(hidden) == fewest <= 2, hidden
    # Folded, it hides nothing.
    toggle.click()
    folded = rects(page, ".ss-legend")[0]
    assert not [t for t in rects(page, ".ss-site") if overlap(folded, t)]
    toggle.click()
    # Its toggle is not a trap: clicking it never selects a feature or reaches the map.
    assert page.evaluate("() => [window.__clicked, window.__mapClicks]") == [[], 0]


def test_reset_and_full_screen_controls(open_map, size):
    page = open_map(ViewState(), size)
    home = map_centre(page)
    page.evaluate("() => map_historymap.setView([55.75, 37.6], 7, {animate: false})")
    page.get_by_role("button", name="Reset the view").click()
    page.wait_for_timeout(400)
    lat, lon, zoom = map_centre(page)
    assert abs(lat - home[0]) < 0.05 and abs(lon - home[1]) < 0.05 and zoom == home[2]

    full = page.get_by_role("button", name="Show the map full screen")
    full.click()
    page.wait_for_timeout(300)
    viewport = page.viewport_size
    box = map_box(page)
    assert (round(box["w"]), round(box["h"])) == (viewport["width"], viewport["height"])
    leave = page.get_by_role("button", name="Leave full screen")
    assert leave.get_attribute("aria-pressed") == "true"
    # Leaflet knows its new size: the map's centre is the screen's centre.
    size_seen = page.evaluate("() => map_historymap.getSize()")
    assert (size_seen["x"], size_seen["y"]) == (viewport["width"], viewport["height"])
    leave.click()
    page.wait_for_timeout(300)
    assert round(map_box(page)["h"]) == 640
    assert not page.js_errors


def test_no_layers_control_and_tiles_dropped_offline(open_map):
    page = open_map(ViewState(), "desktop")
    assert page.locator(".leaflet-control-layers").count() == 0
    page.wait_for_timeout(300)
    assert page.locator(".leaflet-tile").count() == 0  # refused tiles: the layer is gone


def touch(cdp, kind: str, points: list[tuple[float, float]]) -> None:
    cdp.send(
        "Input.dispatchTouchEvent",
        {
            "type": kind,
            "touchPoints": [{"x": x, "y": y, "id": n} for n, (x, y) in enumerate(points)],
        },
    )


def test_one_finger_scrolls_the_page_two_fingers_move_the_map(open_map):
    page = open_map(ViewState(), "phone")
    before = map_centre(page)
    box = map_box(page)
    x, y = box["x"] + box["w"] / 2, box["y"] + box["h"] * 0.7
    cdp = page.context.new_cdp_session(page)
    touch(cdp, "touchStart", [(x, y)])
    for step in range(1, 11):
        touch(cdp, "touchMove", [(x + step * 4, y - step * 25)])
        page.wait_for_timeout(16)
    hint_shown = page.evaluate(
        "() => document.querySelector('.ss-gesture-hint')"
        ".classList.contains('ss-gesture-hint--shown')"
    )
    touch(cdp, "touchEnd", [])
    page.wait_for_timeout(300)
    assert map_centre(page) == before, "one finger moved the map"
    assert page.evaluate("() => window.scrollY") > 50, "one finger did not scroll the page"
    assert hint_shown
    assert page.locator(".ss-gesture-hint").inner_text() == "Use two fingers to move the map"

    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(100)
    box = map_box(page)
    x, y = box["x"] + box["w"] / 2, box["y"] + box["h"] / 2
    touch(cdp, "touchStart", [(x - 40, y), (x + 40, y)])
    for step in range(1, 11):
        touch(
            cdp, "touchMove", [(x - 40 + step * 8, y + step * 6), (x + 40 + step * 8, y + step * 6)]
        )
        page.wait_for_timeout(16)
    touch(cdp, "touchEnd", [])
    page.wait_for_timeout(400)
    assert map_centre(page)[:2] != before[:2], "two fingers did not move the map"


def test_default_view_on_a_phone_holds_azerbaijan_kurdistan_and_the_gulf(open_map):
    page = open_map(ViewState(None, ("crisis", "modern")), "phone")
    box = map_box(page)
    for ident in ("tabriz", "mahabad", "sardasht", "bushehr-npp", "tehran"):
        assert inside(dot(page, ident), box), f"{ident} is off the map"
    assert page.evaluate(
        "() => map_historymap.getBounds().contains([[25.9, 44.4], [39.6, 56.3]])"
    ), "the Gulf to Azerbaijan does not fit"
    # No place of the core region sits under the zoom and tool buttons of the left edge (as
    # Oshnavieh and Urmia did, in June 1946, when the core was fitted to the whole width).
    page = open_map(ViewState(PartialDate(1946, 6), ("occupation", "crisis")), "phone")
    buttons = rects(page, ".leaflet-top.leaflet-left .leaflet-bar")
    right = max(r["x"] + r["w"] for r in buttons)
    for ident in ("oshnavieh", "piranshahr", "urmia", "sardasht"):
        assert dot(page, ident)["x"] > right + 4, f"{ident} is under the map's buttons"
