"""Benchmark: the map page against a bare Streamlit page, served the same way, in one run.

Prints, for each page: time until the map's polygons are drawn (or the bare page's text), as a
ratio of the bare page; two click latencies (p50 and p95): until the feature's name heads the
side panel (what the reader sees; the element fills the panel from a preview it fetched when
the pointer reached the feature, so the first click on a place also waits for that file), and
until the click's rerun has landed (the address and the map's outline follow it); bytes sent
to the browser; and the server's memory. Run with `make bench` (figures only; no test asserts
on time).

All pages are served at once and loaded in turn, round after round, each load in a fresh
browser context (nothing cached), so that every page sees the same load on a shared machine;
the ratio is the median of the per-round ratios. For the map element it also prints the median
time of each performance mark the map sets (explorer/map_element), to show where time goes.
"""

from __future__ import annotations

import argparse
import json
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, FREE_SPOT_JS, ROOT, start_app

RESULTS = ROOT / "bench-results"
# Two features to click in turn: (lat, lon, expected panel heading).
TARGETS = [("soviet-zone", "Soviet occupation zone"), ("british-zone", "British occupation zone")]


@dataclass
class Variant:
    """One way of serving a page."""

    name: str
    script: str
    env: dict[str, str] = field(default_factory=dict)
    is_map: bool = True
    clicks: bool = True


@dataclass
class Figures:
    """What one variant measured."""

    name: str
    first_draw_ms: list[float] = field(default_factory=list)
    click_ms: list[float] = field(default_factory=list)
    landed_ms: list[float] = field(default_factory=list)
    bytes_http: int = 0
    bytes_ws: int = 0
    rss_mb: float = 0.0
    marks: dict[str, list[float]] = field(default_factory=dict)


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# Runs in a frame on every animation frame: the wall-clock time once the page shows what we wait
# for (10 interactive map features, areas and sites, looked for inside shadow roots too; or the
# bare page's text).
DRAWN_JS = """(isMap) => {
  let found;
  if (isMap) {
    const roots = [document, ...[...document.querySelectorAll('*')]
      .map((e) => e.shadowRoot).filter(Boolean)];
    const paths = (r) => r.querySelectorAll('.leaflet-interactive').length;
    found = roots.reduce((n, r) => n + paths(r), 0) >= 10;
  } else {
    found = document.body && document.body.innerText.includes('A bare Streamlit page');
  }
  return found ? performance.timeOrigin + performance.now() : false;
}"""


# The first of each performance mark: Streamlit's own ("running": the script started) and the
# map's (ss:block, ss:runtime-ready, ss:script-done, ss:adopted; see explorer/map_element).
MARKS_JS = """() => {
  const first = {};
  for (const m of performance.getEntriesByType('mark')) {
    if (!(m.name in first)) first[m.name] = m.startTime;
  }
  return first;
}"""


def first_draw(page: Page, url: str, variant: Variant) -> float:
    """Milliseconds from navigation start to the polygons (or the bare text) on screen.

    Measured in the page, checked on every animation frame, so that the figure does not depend
    on how often the test driver polls.
    """
    page.goto(url, wait_until="commit")
    frame = page.main_frame
    if variant.is_map and variant.env.get("STALINS_SHADOW_MAP", "element") == "st_folium":
        page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=60_000)
        frame = page.query_selector('iframe[title="streamlit_folium.st_folium"]').content_frame()
    drawn_at = frame.wait_for_function(
        DRAWN_JS, arg=variant.is_map, polling="raf", timeout=60_000
    ).json_value()
    return drawn_at - page.evaluate("performance.timeOrigin")


def click_point(page: Page, variant: Variant, ident: str) -> tuple[float, float]:
    """Page coordinates of a spot where the feature itself is on top (no dot, label or line)."""
    if variant.env.get("STALINS_SHADOW_MAP", "element") == "st_folium":
        handle = page.query_selector('iframe[title="streamlit_folium.st_folium"]')
        x, y = handle.content_frame().evaluate(FREE_SPOT_JS, ["history_map", ident])
        box = handle.bounding_box()
        return box["x"] + x, box["y"] + y
    x, y = page.evaluate(FREE_SPOT_JS, ["history_map", ident])
    return x, y


# Measured in the page, so that the test driver's own round trips are not counted: from the
# press (a capturing pointerdown in the frame that holds the map, on the epoch clock that both
# frames share) to the first animation frame whose page shows the feature's name heading the
# panel, and to the first frame after the click's rerun has landed (the address names the
# feature and, for the element, the page's outline request asks for it).
ARM_PRESS_JS = """() => {
  document.addEventListener("pointerdown", () => {
    window.top.__pressedAt = performance.timeOrigin + performance.now();
  }, { capture: true, once: true });
}"""
WATCH_JS = """([name, ident]) => {
  window.top.__pressedAt = null;
  window.__clicked = new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error("the click showed no panel within 20 s")), 20000);
    let shown = null;
    const landed = () => {
      const s = window.__stalinsShadow;
      const map = s && s.maps && s.maps.history_map;
      const wanted = s && s.wanted && s.wanted.history_map;
      const asked = !map || (wanted && (wanted.selected || []).join(",") === ident);
      return new URLSearchParams(location.search).get("feature") === ident && asked;
    };
    const tick = () => {
      const at = window.top.__pressedAt;
      if (at) {
        const now = performance.timeOrigin + performance.now();
        const h = document.querySelector(".feature-panel h2");
        if (shown === null && h && h.textContent === name) shown = now - at;
        if (shown !== null && landed()) return resolve([shown, now - at]);
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}"""


def clicks(page: Page, variant: Variant, count: int) -> tuple[list[float], list[float]]:
    """Milliseconds from pressing on a feature to its name heading the side panel (what the
    reader sees; the element shows a preview at once), and to the click's rerun landing."""
    shown, landed = [], []
    points = [(click_point(page, variant, ident), ident, name) for ident, name in TARGETS]
    frame = page.main_frame
    if variant.env.get("STALINS_SHADOW_MAP", "element") == "st_folium":
        frame = page.query_selector('iframe[title="streamlit_folium.st_folium"]').content_frame()
    for i in range(count):
        (x, y), ident, name = points[i % len(points)]
        page.evaluate(WATCH_JS, [name, ident])
        frame.evaluate(ARM_PRESS_JS)
        page.mouse.click(x, y)
        first, rerun = page.evaluate("() => window.__clicked")
        shown.append(first)
        landed.append(rerun)
        page.mouse.move(5, 5)  # leave the feature so the next hover starts clean
        page.wait_for_timeout(300)
    return shown, landed


def load_once(browser, url: str, variant: Variant, figures: Figures | None) -> None:
    """One page load in a fresh browser context; its figures are kept unless `figures` is None."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        elapsed = first_draw(page, url + "/", variant)
        if figures is not None:
            figures.first_draw_ms.append(elapsed)
            for name, at in page.evaluate(MARKS_JS).items():
                figures.marks.setdefault(name, []).append(at)
    finally:
        context.close()


def bytes_and_clicks(browser, url: str, variant: Variant, figures: Figures, count: int) -> None:
    """One more load that counts the bytes received, then the clicks."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        sizes = count_bytes(page)
        first_draw(page, url + "/", variant)
        # Everything the page loads after its first draw counts too (widgets' code, tiles).
        page.wait_for_load_state("networkidle", timeout=60_000)
        page.wait_for_timeout(500)
        figures.bytes_http, figures.bytes_ws = sizes["http"], sizes["ws"]
        if variant.is_map and variant.clicks:
            figures.click_ms, figures.landed_ms = clicks(page, variant, count)
            page.screenshot(path=str(ARTIFACTS / f"bench-{variant.name}.png"))
    finally:
        context.close()


# Streamlit serves ./static beside the main script: the floor page (tests/) sees the app's.
FLOOR_STATIC = ROOT / "tests" / "static"


def measure(variants: list[Variant], loads: int, click_count: int, browser) -> list[Figures]:
    """All variants served at once and loaded in turn, round after round, so that each sees
    the same load on the machine (a shared machine's load drifts within minutes)."""
    servers = []
    linked = not FLOOR_STATIC.exists()
    if linked:
        FLOOR_STATIC.symlink_to(ROOT / "static", target_is_directory=True)
    try:
        for variant in variants:
            servers.append(start_app(variant.script, env=variant.env))
        results = [Figures(variant.name) for variant in variants]
        for (_, url), variant in zip(servers, variants, strict=True):
            load_once(browser, url, variant, None)  # warms the server's caches; dropped
        for _ in range(loads):
            for (_, url), variant, figures in zip(servers, variants, results, strict=True):
                load_once(browser, url, variant, figures)
        for (proc, url), variant, figures in zip(servers, variants, results, strict=True):
            bytes_and_clicks(browser, url, variant, figures, click_count)
            figures.rss_mb = rss_mb(proc.pid)
        return results
    finally:
        for proc, _ in servers:
            proc.terminate()
        for proc, _ in servers:
            proc.wait(timeout=20)
        if linked:
            FLOOR_STATIC.unlink()


def count_bytes(page: Page) -> dict[str, int]:
    """Count the bytes the page receives over HTTP and over the websocket, as they arrive."""
    sizes = {"http": 0, "ws": 0}

    def on_finished(request) -> None:
        sizes["http"] += _size(request)

    def on_frame(frame) -> None:
        sizes["ws"] += len(frame)

    page.on("requestfinished", on_finished)
    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return sizes


def _size(request) -> int:
    """Bytes of a response as they came over the wire (headers and compressed body)."""
    try:
        sizes = request.sizes()
    except Exception:  # a request whose page has gone reports nothing
        return 0
    return max(0, sizes["responseBodySize"]) + max(0, sizes["responseHeadersSize"])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(results: list[Figures]) -> str:
    bare_runs = results[0].first_draw_ms
    lines = [
        "| page | first draw p50 (ms) | × bare (p50 of rounds) | click→panel p50 / p95 (ms) "
        "| click→rerun landed p50 / p95 (ms) | bytes HTTP + WS (KB) | server RSS (MB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for fig in results:
        draw = statistics.median(fig.first_draw_ms)
        ratio = statistics.median(t / b for t, b in zip(fig.first_draw_ms, bare_runs, strict=True))
        click, landed = (
            f"{statistics.median(ms):.0f} / {percentile(ms, 0.95):.0f}" if ms else "-"
            for ms in (fig.click_ms, fig.landed_ms)
        )
        lines.append(
            f"| {fig.name} | {draw:.0f} | {ratio:.2f} | {click} | {landed} | "
            f"{fig.bytes_http / 1024:.0f} + {fig.bytes_ws / 1024:.0f} | {fig.rss_mb:.0f} |"
        )
    for fig in results:
        if any(name.startswith("ss:") for name in fig.marks):
            steps = sorted(
                (statistics.median(times), name)
                for name, times in fig.marks.items()
                if name.startswith("ss:") or name == "running"
            )
            lines.append("")
            lines.append(
                f"{fig.name}, p50 of each mark (ms): "
                + ", ".join(f"{name} {at:.0f}" for at, name in steps)
            )
    return "\n".join(lines)


VARIANTS = {
    "bare": Variant("bare page", "tests/bench_bare.py", is_map=False),
    "st_folium": Variant("map, st_folium", "streamlit_app.py", {"STALINS_SHADOW_MAP": "st_folium"}),
    "element": Variant("map, map element", "streamlit_app.py", {"STALINS_SHADOW_MAP": "element"}),
    # The floor: the map's block alone (no clicks to measure).
    "floor": Variant("map block alone (floor)", "tests/bench_floor.py", clicks=False),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--loads", type=int, default=7, help="page loads per variant")
    parser.add_argument("--clicks", type=int, default=24, help="clicks per map variant")
    parser.add_argument("variants", nargs="*", default=list(VARIANTS))
    args = parser.parse_args()
    ARTIFACTS.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    chosen = ["bare", *[v for v in args.variants if v != "bare"]]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results = measure([VARIANTS[name] for name in chosen], args.loads, args.clicks, browser)
        browser.close()
    table = report(results)
    print(table)
    (RESULTS / "latest.md").write_text(table + "\n")
    (RESULTS / "latest.json").write_text(json.dumps([asdict(r) for r in results], indent=1))


if __name__ == "__main__":
    main()
