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

Compared with streamlit-folium there is no iframe and no debounce; changing the date or the
layers rebuilds the map in place, keeping the reader's view. A runtime that fails to load or a
Folium script that throws says so inside the map's box; the next map state rebuilds cleanly.
The browser-side registry is `window.__stalinsShadow.maps[key]` (`.map` is the Leaflet map,
`.wrap.dataset.builds` counts builds): tests and the benchmark read the map there.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import folium
import streamlit as st

from explorer.assets import runtime_url
from explorer.state import View

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
s.queue.push([host, __DATA__]);
if (s.runtime === "ready") { s.drain(); return; }
if (s.runtime === "loading") return;
s.runtime = "loading";
var script = document.createElement("script");
script.src = __SRC__;
script.onerror = function () {
  s.runtime = "failed";
  script.remove();
  var message = "The map could not be loaded (" + script.src + "). "
    + "Check the connection and reload.";
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


def payload(fmap: folium.Map) -> dict[str, str]:
    """What the element needs of a Folium map: its script, body HTML and styles, and a digest.

    Folium's <script src> and <link> tags are dropped: the element loads Leaflet itself from the
    app's static folder. Build the map with stable names (mapbuild does) so that the same map
    gives the same digest.
    """
    figure = fmap.get_root()
    figure.render()
    script = figure.script.render()
    html = figure.html.render().strip()
    css = "\n".join(_STYLE.findall(figure.header.render()))
    digest = hashlib.sha1("\0".join((script, html, css)).encode("utf-8")).hexdigest()
    return {"hash": digest, "script": script, "html": html, "css": css}


@dataclass(frozen=True)
class ElementEvent:
    """A click this run (trigger) and the last view the map came to rest at (state)."""

    clicked: str | None
    view: View | None


def _ignore() -> None:
    """Trigger and state values only reach Python for names with a callback."""


_BLOCKS: dict[tuple[str, str, int, str], str] = {}


def map_block(map_payload: dict[str, str], *, key: str, height: int, src: str) -> str:
    """The st.html body that draws a map: the same text for every run of the same map."""
    ident = (map_payload["hash"], key, height, src)
    body = _BLOCKS.get(ident)
    if body is None:
        data = {**map_payload, "name": key, "height": height}
        loader = _LOADER.replace("__SRC__", script_json(src)).replace("__DATA__", script_json(data))
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


def show(
    map_payload: dict[str, str],
    *,
    key: str,
    height: int,
    selected: tuple[str, ...] = (),
    view: View | None = None,
    view_id: str = "initial",
) -> ElementEvent:
    """Draw (or keep) the map and report what the reader did; `view` applies when `view_id`
    changes."""
    with st.container(gap=None):
        st.html(wanted_block(key, selected, view, view_id), unsafe_allow_javascript=True)
        st.html(
            map_block(map_payload, key=key, height=height, src=runtime_url()),
            unsafe_allow_javascript=True,
        )
        result = _mount(
            key=key,
            data={"name": key},
            height=0,
            on_clicked_change=_ignore,
            on_view_change=_ignore,
        )
    clicked = result.get("clicked")
    raw = result.get("view")
    reported = None
    if isinstance(raw, dict):
        try:
            reported = View(
                round(float(raw["lat"]), 4), round(float(raw["lon"]), 4), int(raw["zoom"])
            )
        except (KeyError, TypeError, ValueError):
            reported = None
    return ElementEvent(clicked if isinstance(clicked, str) else None, reported)
