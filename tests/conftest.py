"""Shared fixtures: the shipped data, a running app, and Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from explorer.state import ViewState
from geodata import Dataset, load_dataset

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(
    script: str = "streamlit_app.py",
    extra: list[str] | None = None,
    env: dict | None = None,
    *,
    base_path: str = "",
    log_dir: Path = ARTIFACTS,
):
    """Start `streamlit run` on a free loopback port (under `base_path`, as behind a proxy
    with a path prefix); return (process, base URL) once its health check answers."""
    port = free_port()
    base = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *(("--server.baseUrlPath", base) if base else ()),
        *(extra or []),
    ]
    log_dir.mkdir(exist_ok=True)
    log = open(log_dir / f"streamlit-{port}.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
    )
    url = f"http://127.0.0.1:{port}{base}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early; see {log.name}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("streamlit did not become healthy in 60 s")


@contextmanager
def running_app(**options) -> Iterator[str]:
    """An app started with `start_app(**options)` for the block; its base URL."""
    proc, url = start_app(**options)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def data_copy(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A writable copy of the shipped data, for an app run on altered data
    (`running_app(env={"STALINS_SHADOW_DATA": str(copy)})`)."""
    from geodata.loader import DATA_DIR

    copy = tmp_path_factory.mktemp(name) / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    with running_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        message = f"Chromium not found at {CHROMIUM} (run `make browser`)"
        if IN_CI:
            pytest.fail(message + ": browser tests are mandatory under CI=true")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# The two screens every browser test of a reader's path runs at (issue 10).
SIZES = {
    "desktop": {"viewport": {"width": 1440, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "has_touch": True,
        "is_mobile": True,
        "device_scale_factor": 2,
    },
}


def page_in(browser, request, *, full_page: bool = True, **options) -> Iterator:
    """A page in a fresh browser context (`options` as for `new_context`) that collects its
    script errors in `page.js_errors`; a screenshot in test-artifacts when the test fails."""
    context = browser.new_context(**options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = request.node.name.replace("/", "_")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)
    context.close()


@pytest.fixture
def page(browser, request):
    yield from page_in(browser, request, viewport={"width": 1400, "height": 1000})


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


# --- AppTest helpers ------------------------------------------------------------------------

SESSION_KEY = "_ss_session"  # explorer.session's one session object


def run_page(page: str | None = None, params: dict[str, str] | None = None) -> AppTest:
    """Open the app (at `page`, e.g. "pages/story.py") with a share link's parameters."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def shown_state(at: AppTest) -> ViewState:
    """The view state the session shows."""
    return at.session_state[SESSION_KEY].state


def shown_stop(at: AppTest) -> int | None:
    return at.session_state[SESSION_KEY].stop


def address(at: AppTest) -> dict[str, str]:
    """The app's parameters in the address (Streamlit's own `embed` ones left out)."""
    return {k: v for k, v in at.query_params.items() if k not in ("embed", "embed_options")}


def set_address(at: AppTest, params: dict[str, str]) -> None:
    """Put an address in the (simulated) browser's bar, as a late request or Back would."""
    at.query_params.clear()
    for key, value in params.items():
        at.query_params[key] = value


@contextmanager
def history_navigation(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Runs inside this block are Back/Forward runs (Streamlit's is_history_navigation)."""
    from explorer import session

    monkeypatch.setattr(session, "is_history_navigation", lambda: True)
    try:
        yield
    finally:
        monkeypatch.setattr(session, "is_history_navigation", lambda: False)


def widget(at: AppTest, kind: str, name: str):
    """The one widget of `kind` (e.g. "select_slider") whose key starts with `name-`."""
    found = [w for w in getattr(at, kind) if str(w.key).rsplit("-", 1)[0] == name]
    assert len(found) == 1, [w.key for w in getattr(at, kind)]
    return found[0]


# --- browser helpers ------------------------------------------------------------------------

MAP_BACKEND = os.environ.get("STALINS_SHADOW_MAP", "element")
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TILE_HOSTS = tuple(f"{s}.basemaps.cartocdn.com" for s in "abcd")
# The Leaflet map: read through the element's own registry (window.__stalinsShadow.maps, one
# entry per element key); streamlit-folium names its map `map` inside its iframe.
MAP_JS = (
    "((key) => { const r = window.__stalinsShadow && window.__stalinsShadow.maps;"
    " const inst = r && (r[key] || Object.values(r)[0]); return inst ? inst.map : window.map; })"
)


def query(page) -> dict[str, str]:
    """The address bar's parameters (read from location: page.url may miss replaceState)."""
    return {k: v[0] for k, v in parse_qs(urlsplit(page.evaluate("location.href")).query).items()}


def url_path(page) -> str:
    return urlsplit(page.evaluate("location.href")).path


def wait_for_query(page, **expected: str | None) -> None:
    """Wait until the address holds these parameters (None: the parameter is absent)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "(expected) => { const q = new URLSearchParams(location.search);"
            " return Object.entries(expected).every(([k, v]) => q.get(k) === v); }",
            arg=expected,
            timeout=20_000,
        )
    except PlaywrightTimeout:
        raise AssertionError(f"expected {expected} in the address, have {query(page)}") from None


def idle(page) -> None:
    """Wait until the app has finished its run."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'",
        timeout=30_000,
    )


def map_root(page):
    """Where the map is drawn: the page itself (element) or streamlit-folium's iframe."""
    if MAP_BACKEND == "st_folium":
        page.wait_for_selector(MAP_FRAME, timeout=30_000)
        return page.frame_locator(MAP_FRAME)
    return page


def map_frame(page):
    """The map's root, once its features are drawn."""
    root = map_root(page)
    root.locator(".leaflet-interactive").first.wait_for(state="attached", timeout=30_000)
    return root


def map_js(page, script: str, arg=None, key: str = "history_map"):
    """Evaluate `script` (a function of (map, arg)) where the Leaflet map lives."""
    map_frame(page)
    target = page.query_selector(MAP_FRAME).content_frame() if MAP_BACKEND == "st_folium" else page
    return target.evaluate(f"([arg, key]) => ({script})({MAP_JS}(key), arg)", [arg, key])


def map_view(page, key: str = "history_map") -> tuple[float, float, int]:
    return tuple(
        map_js(
            page,
            "(m) => [+m.getCenter().lat.toFixed(3), +m.getCenter().lng.toFixed(3), m.getZoom()]",
            key=key,
        )
    )


def click_map_at(page, lat: float, lon: float) -> None:
    """Click the map where Leaflet draws (lat, lon), once the page has settled."""
    idle(page)
    x, y = map_js(
        page,
        "(m, [lat, lon]) => { const p = m.latLngToContainerPoint([lat, lon]);"
        " const r = m.getContainer().getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; }",
        [lat, lon],
    )
    if MAP_BACKEND == "st_folium":
        box = page.query_selector(MAP_FRAME).bounding_box()
        x, y = x + box["x"], y + box["y"]
    # Hover first, as a hand does: a marker's hover style brings it to the front, and a click
    # whose press lands while that happens is not a click to Leaflet.
    page.mouse.move(x, y)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")
    page.mouse.click(x, y)


def panel_text(page) -> str:
    return page.locator(".feature-panel").first.inner_text(timeout=15_000)


def no_page_not_found(page) -> None:
    """Fail if Streamlit shows its "Page not found" dialog."""
    dialog = page.get_by_text("Page not found")
    assert dialog.count() == 0, "Streamlit said: Page not found"


FREE_SPOT_JS = """([key, id]) => {
  const reg = window.__stalinsShadow && window.__stalinsShadow.maps;
  const map = reg ? reg[key].map : window.map;
  let layer = null;
  map.eachLayer((l) => {
    if (l.feature && l.feature.properties && l.feature.properties.id === id) layer = l;
  });
  const el = layer && (layer.getElement ? layer.getElement() : layer._path);
  if (!el) return null;
  const root = el.getRootNode();
  const box = el.getBoundingClientRect();
  const mapBox = map.getContainer().getBoundingClientRect();
  for (let step = 12; step >= 3; step -= 3) {
    for (let i = 1; i < step; i++) for (let j = 1; j < step; j++) {
      const x = box.left + (box.width * i) / step, y = box.top + (box.height * j) / step;
      if (x < mapBox.left || x > mapBox.right || y < mapBox.top || y > mapBox.bottom) continue;
      const hit = root.elementFromPoint(x, y);
      if (hit === el || (hit && el.contains(hit))) return [x, y];
    }
  }
  return null;
}"""


def click_feature(page, ident: str, key: str = "history_map") -> None:
    """Click a spot where the feature itself is on top (no dot, label or line over it), once
    the page has settled (elements that render late move the map down)."""
    map_frame(page)
    idle(page)
    if MAP_BACKEND == "st_folium":
        frame = page.query_selector(MAP_FRAME)
        spot = frame.content_frame().evaluate(FREE_SPOT_JS, [key, ident])
        box = frame.bounding_box()
        spot = spot and [spot[0] + box["x"], spot[1] + box["y"]]
    else:
        spot = page.evaluate(FREE_SPOT_JS, [key, ident])
    assert spot, f"{ident} is not drawn, or covered everywhere"
    page.mouse.move(*spot)
    page.mouse.click(*spot)
