"""The map element: Folium composes the map, the page draws it at once, a v2 element reports.

Three parts, in this order in the page (one container, no gaps):
1. a small `st.html` script that records what the page wants shown: the features to outline
   and a view to apply (it changes with every click, and costs a few hundred bytes);
2. a `st.html` block with the map's own payload and a loader: it runs as soon as Streamlit
   renders it, with no components-v2 runtime, loads the runtime (Leaflet, its stylesheet and
   draw.js in one static file the browser caches: explorer/assets.py) and draws the map in a
   shadow root of its own. The block is the same for every run of the same map, so a rerun
   redraws nothing and resends nothing (Streamlit sends a large unchanged message as a
   reference to the browser's copy);
3. a components-v2 element (element.js) that loads later and adopts the map already drawn: a
   click reaches Python at once with the feature's id, and the view once the map comes to
   rest; what the reader did before it arrived is sent when it does.

A click also fills the page's preview slots (`preview_slot`) at once, from each drawn
feature's preview: the panel's HTML, written by the page as a static file named by its content
and fetched when the pointer first rests on the feature, so the reader sees the place before
the click's rerun (~¼ s) draws the same with its controls.

Compared with streamlit-folium there is no iframe and no debounce; changing the date or the
layers rebuilds the map in place, keeping the reader's view. A runtime that fails to load or a
Folium script that throws says so inside the map's box; the next map state rebuilds cleanly.
The browser-side registry is `window.__stalinsShadow.maps[key]` (`.map` is the Leaflet map,
`.wrap.dataset.builds` counts builds): tests and the benchmark read the map there.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import streamlit as st

from explorer import i18n
from explorer.assets import blob_url, runtime_url, write_blob
from explorer.i18n import _
from explorer.state import MAX_ZOOM, MIN_ZOOM, View

NAME = "stalins_shadow_map"
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)

_mount = st.components.v2.component(
    NAME,
    js=(Path(__file__).with_name("element.js")).read_text(encoding="utf-8"),
)

# The loader: queue this block's map for the runtime, and load the runtime once per page. A
# failed load is recorded ("failed") and said in the map's box; the next map state tries again.
_LOADER = """(function () {
var s = window.__stalinsShadow = window.__stalinsShadow || {};
s.maps = s.maps || {}; s.wanted = s.wanted || {}; s.queue = s.queue || []; s.links = s.links || {};
var host = document.currentScript.parentNode.querySelector(".ss-map-host");
if (!performance.getEntriesByName("ss:block").length) performance.mark("ss:block");
var data = __DATA__;
s.fetches = s.fetches || {};
data.blobs.forEach(function (url) {  // fetched alongside the runtime, not after it
  if (!s.fetches[url]) s.fetches[url] = fetch(url, { priority: "high" }).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status + " for " + url);
    return r.json();
  });
});
s.queue.push([host, data]);
// The page's first run leaves the other controls for a second run, which this asks for once the
// map is drawn (draw.js), or failed, or after a while whatever happens (see first_paint_trigger).
s.painted = s.painted || function () {
  var tries = 0;
  (function poke() {
    var button = document.querySelector(__TRIGGER__);
    if (button && !button.dataset.pressed) { button.dataset.pressed = "1"; button.click(); }
    else if (!button && tries++ < 60) setTimeout(poke, 50);
  })();
};
setTimeout(s.painted, __PAINT_TIMEOUT__);
if (s.runtime === "ready") { s.drain(); return; }
if (s.runtime === "loading") return;
s.runtime = "loading";
var script = document.createElement("script");
script.src = __SRC__;
// Ahead of the other elements' code in the browser's queue (a script added so is "low").
script.fetchPriority = "high";
script.onerror = function () {
  s.runtime = "failed";
  script.remove();
  s.painted();
  var message = data.messages.load.replace("{url}", script.src);
  console.error("map:", message);
  s.queue.splice(0).forEach(function (item) {
    var box = document.createElement("div");
    box.setAttribute("role", "alert");
    box.className = "ss-map-error";
    box.style.cssText = "height:100%;display:flex;align-items:center;justify-content:center;"
      + "text-align:center;padding:1rem;box-sizing:border-box;color:#7a1f1f;background:#f6f1e4;"
      + "border:1px solid #d9cfb8;font:14px/1.4 sans-serif";
    box.textContent = message;
    item[0].replaceChildren(box);
  });
};
document.head.appendChild(script);
})();"""

_WANTED = """(function () {
var s = window.__stalinsShadow = window.__stalinsShadow || {};
s.maps = s.maps || {}; s.wanted = s.wanted || {}; s.queue = s.queue || []; s.links = s.links || {};
s.wanted[__NAME__] = __WANTED__;
if (s.apply) s.apply(__NAME__);
})();"""


def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element: no "<" can close it or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def preload() -> None:
    """Nothing to do: the map's own block starts loading the runtime as soon as it renders.

    Kept so that pages keep one call for every backend.
    """


def payload(fmap: folium.Map) -> dict[str, Any]:
    """What the element needs of a Folium map: its script, body HTML and styles, and a digest.

    Folium's <script src> and <link> tags are dropped: the runtime brings Leaflet. Large
    GeoJSON literals (the basemap) leave the script for `blobs`, content-addressed static
    files the browser caches across states and sessions (see `split_data`). Build the map with
    stable names (mapbuild does) so that the same map gives the same digest.
    """
    figure = fmap.get_root()
    figure.render()
    script, blobs = split_data(figure.script.render())
    html = figure.html.render().strip()
    css = "\n".join(_STYLE.findall(figure.header.render()))
    digest = hashlib.sha1("\0".join((script, html, css)).encode("utf-8")).hexdigest()
    return {"hash": digest, "script": script, "html": html, "css": css, "blobs": blobs}


def content_digest(text: str) -> str:
    """The name of a static data file: its content's digest, so it never changes meaning."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


BLOB_MIN_CHARS = 100_000  # the basemap (~175 KB); a state's own layer is at most ~40 KB
_DATA_CALL = re.compile(r"\b(\w+_add)\((?=\{)")


def split_data(script: str) -> tuple[str, dict[str, str]]:
    """Move each large GeoJSON literal that Folium passes to `<layer>_add({...})` out of the
    script: it becomes `__ssData[i]`, and its text is returned by digest (the i-th blob).

    Measured: the basemap is ~175 KB of the ~220 KB script and is the same for every state; as
    a static file the browser fetches it once. A script Folium renders differently is left
    whole, which still works.
    """
    decoder = json.JSONDecoder()
    blobs: dict[str, str] = {}
    parts: list[str] = []
    last = 0
    for match in _DATA_CALL.finditer(script):
        start = match.end()
        if start < last:
            continue
        try:
            _, end = decoder.raw_decode(script, start)
        except ValueError:
            continue
        text = script[start:end]
        if len(text) < BLOB_MIN_CHARS:
            continue
        digest = content_digest(text)
        blobs.setdefault(digest, text)
        parts += [script[last:start], f"__ssData[{list(blobs).index(digest)}]"]
        last = end
    parts.append(script[last:])
    return "".join(parts), blobs


@dataclass(frozen=True)
class ElementEvent:
    """A click this run (trigger) and the last view the map came to rest at (state), with the
    id of the view request that view answers."""

    clicked: str | None
    view: View | None
    view_id: str | None = None


def read_view(raw: object) -> tuple[View | None, str | None]:
    """A view the element reported, zoom kept inside the share link's range, and the id of the
    view request it answers (None from an element that does not say)."""
    if not isinstance(raw, dict):
        return None, None
    try:
        zoom = min(max(int(raw["zoom"]), MIN_ZOOM), MAX_ZOOM)
        view = View(round(float(raw["lat"]), 4), round(float(raw["lon"]), 4), zoom)
    except (KeyError, TypeError, ValueError):
        return None, None
    answered = raw.get("viewId")
    return view, answered if isinstance(answered, str) else None


_BLOCKS: dict[tuple[str, str, int, str, str], str] = {}
_PRELOADS: dict[str, list[str]] = {}  # by map key: the runtime's and the data files' URLs
TRIGGER_KEY = "map_first_paint"
PAINT_TIMEOUT_MS = 4000


def preview_slot(key: str, part: str, body: str) -> str:
    """Markup for a part of the page that the map fills at once when a feature is clicked
    (`part` names the entry of the feature's preview: "head", "body"), before the rerun
    that draws the same content arrives. `body` must already be escaped HTML."""
    return f'<div data-ss-slot="{html.escape(part)}" data-ss-map="{html.escape(key)}">{body}</div>'


def preview_urls(previews: dict[str, dict[str, str]], src: str) -> dict[str, str]:
    """Each feature's preview as a static file named by its digest (the browser may keep it;
    the same place is the same file in every map state); feature id -> URL. A read-only
    ./static gives none: a click then waits for its rerun, as it did before previews."""
    urls: dict[str, str] = {}
    for ident, parts in previews.items():
        text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        digest = content_digest(text)
        try:
            write_blob(digest, text)
        except OSError:
            return {}
        urls[ident] = blob_url(digest, src)
    return urls


def map_block(
    map_payload: dict[str, Any],
    *,
    key: str,
    height: int,
    src: str,
    previews: Callable[[], dict[str, dict[str, str]]] | None = None,
) -> str:
    """The st.html body that draws a map: the same text for every run of the same map.

    Its blobs are written to ./static first (once per process), named by digest; where that
    fails, they stay in the script. `previews` (called only when the block is first made)
    gives each drawn feature's preview parts (see `preview_slot`).
    """
    ident = (map_payload["hash"], key, height, src, i18n.active())
    body = _BLOCKS.get(ident)
    if body is None:
        blobs = map_payload.get("blobs", {})
        script = map_payload["script"]
        try:
            for digest, text in blobs.items():
                write_blob(digest, text)
        except OSError:
            # A read-only ./static (say, a container's): the data goes back into the script.
            for index, text in enumerate(blobs.values()):
                script = script.replace(f"__ssData[{index}]", text)
            blobs = {}
        data = {
            **{k: map_payload[k] for k in ("hash", "html", "css")},
            "script": script,
            "blobs": [blob_url(digest, src) for digest in blobs],
            "name": key,
            "height": height,
            "previews": preview_urls(previews() if previews else {}, src),
            # What the map's box says if it fails, in the reader's language.
            "messages": {
                "load": _("The map could not be loaded ({url}). Check the connection and reload."),
                "draw": _("The map could not be drawn ({error}). Change the date or reload."),
                "data": _("The map's data could not be loaded ({error}). Reload the page."),
            },
        }
        loader = (
            _LOADER.replace("__SRC__", script_json(src))
            .replace("__TRIGGER__", script_json(f".st-key-{TRIGGER_KEY} button"))
            .replace("__PAINT_TIMEOUT__", str(PAINT_TIMEOUT_MS))
            .replace("__DATA__", script_json(data))
        )
        _PRELOADS[key] = [src, *data["blobs"]]
        body = (
            f'<div class="ss-map-host" style="height:{int(height)}px"></div>'
            f"<script>{loader}</script>"
        )
        if len(_BLOCKS) > 64:
            _BLOCKS.clear()
        _BLOCKS[ident] = body
    return body


def wanted_block(key: str, selected: tuple[str, ...], view: View | None, view_id: str) -> str:
    """The st.html body that says what to outline and which view to show."""
    wanted = {
        "selected": list(selected),
        "view": None if view is None else {"lat": view.lat, "lon": view.lon, "zoom": view.zoom},
        "viewId": view_id,
    }
    script = _WANTED.replace("__NAME__", script_json(key)).replace(
        "__WANTED__", script_json(wanted)
    )
    return f"<script>{script}</script>"


def first_paint_trigger(key: str) -> None:
    """The end of a page whose first run draws the map alone: a hidden button that the map's
    script presses once the map is drawn (or failed, or after PAINT_TIMEOUT_MS), which reruns
    the page with everything else. Call it after `show(..., adopt=False)`, as the page's last
    element, so that the next run, without it, moves no other element.

    Why (measured in issue 12): every other element of the page (the select boxes, the
    slider, the v2 elements) loads its code lazily, in its own React Suspense boundary; while
    any of them waits, React holds back the reveal of those already loaded (the map's `st.html`
    among them) for up to 500 ms after the last placeholder it showed. Alone in the first run,
    the map's block shows as soon as its own code is in. The hidden box also holds preload
    links, so the runtime and the basemap load while `st.html`'s code does.
    """
    preload = "".join(
        f'<link rel="preload" href="{html.escape(url)}" as="script">'
        if url.endswith(".js")
        else f'<link rel="preload" href="{html.escape(url)}" as="fetch" crossorigin>'
        for url in _PRELOADS.get(key, [])
    )
    with st.container(key=TRIGGER_KEY):
        # st.html, not st.markdown: HTML in markdown loads a 190 KB parser the map would wait for.
        st.html(f"<style>.st-key-{TRIGGER_KEY} {{ display: none; }}</style>{preload}")
        st.button(_("Show the controls"), key=f"{TRIGGER_KEY}_done")


def show(
    map_payload: dict[str, str],
    *,
    key: str,
    height: int,
    selected: tuple[str, ...] = (),
    view: View | None = None,
    view_id: str = "initial",
    on_click: Callable[[str], None] | None = None,
    on_view: Callable[[View, str | None], None] | None = None,
    adopt: bool = True,
    previews: Callable[[], dict[str, dict[str, str]]] | None = None,
) -> ElementEvent:
    """Draw (or keep) the map and report what the reader did; `view` applies when `view_id`
    changes. With `adopt=False` (a page's first run, see `first_paint_trigger`) the v2 element
    is left for the next run: the map is drawn, and what the reader does waits for it.

    `on_click` and `on_view` run as Streamlit callbacks, before the script body, so that what
    the page draws next (the outline, the panel) already follows the click. `previews` gives
    what the page's `preview_slot`s show the moment a feature is clicked (fetched when the
    pointer rests on the feature), so that the reader need not wait for that rerun.
    """

    def clicked() -> None:
        value = (st.session_state.get(key) or {}).get("clicked")
        if on_click is not None and isinstance(value, str):
            on_click(value)

    def moved() -> None:
        reported, answered = read_view((st.session_state.get(key) or {}).get("view"))
        if on_view is not None and reported is not None:
            on_view(reported, answered)

    src = runtime_url()
    with st.container(gap=None):
        st.html(wanted_block(key, selected, view, view_id), unsafe_allow_javascript=True)
        st.html(
            map_block(map_payload, key=key, height=height, src=src, previews=previews),
            unsafe_allow_javascript=True,
        )
        if not adopt:
            return ElementEvent(None, None)
        result = _mount(
            key=key,
            data={"name": key},
            height=0,
            on_clicked_change=clicked,
            on_view_change=moved,
        )
    clicked_id = result.get("clicked")
    reported, answered = read_view(result.get("view"))
    return ElementEvent(clicked_id if isinstance(clicked_id, str) else None, reported, answered)
