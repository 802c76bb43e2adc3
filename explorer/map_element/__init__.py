"""The map element: Folium composes the map, a Streamlit components-v2 element shows it in the page.

Compared with streamlit-folium there is no iframe and no debounce: a click reaches Python at once
with the feature's id, panning reports the view once the map is at rest, and a rerun with the
same map redraws nothing (the element rebuilds Leaflet only when the map's text changes, and then
keeps the user's view). The selected outline and an explicit view are applied in place.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import folium
import streamlit as st

from explorer.assets import STATIC_URL, leaflet_dist
from explorer.state import MAX_ZOOM, MIN_ZOOM, View

NAME = "stalins_shadow_map"
LEAFLET_BASE = f"{STATIC_URL}/vendor/leaflet/"
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)


def element_css() -> str:
    """Leaflet's stylesheet, inlined into the element's shadow root, image paths made absolute."""
    css = (leaflet_dist() / "leaflet.css").read_text(encoding="utf-8")
    css = css.replace("url(images/", f"url({LEAFLET_BASE}images/")
    return css + "\n:host, .ss-map-wrap { display: block; width: 100%; }\n"


_mount = st.components.v2.component(
    NAME,
    js=(Path(__file__).with_name("element.js")).read_text(encoding="utf-8"),
    css=element_css(),
    isolate_styles=True,
)
_mount_preload = st.components.v2.component(
    NAME + "_preload",
    js=(Path(__file__).with_name("preload.js")).read_text(encoding="utf-8"),
    isolate_styles=True,
)
# A second, tiny element carries the selection and requested view, so that a click's rerun does
# not resend the map (measured: resending its ~250 KB cost ~30 ms a click).
_mount_control = st.components.v2.component(
    NAME + "_control",
    js=(Path(__file__).with_name("control.js")).read_text(encoding="utf-8"),
    isolate_styles=True,
)


def preload() -> None:
    """Start loading Leaflet at once: call it first on a page that shows the map.

    Measured: the map element mounts ~0.5 s after the page starts, once Streamlit has loaded
    the code of the elements above it; Leaflet's download then no longer waits for that.
    """
    _mount_preload(key=NAME + "-preload", data={"src": LEAFLET_BASE + "leaflet.js"}, height=0)


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
    """A click this run (trigger) and the last view the map came to rest at (state), with the
    id of the view request that view answers."""

    clicked: str | None
    view: View | None
    view_id: str | None = None


def _ignore() -> None:
    """Trigger and state values only reach Python for names with a callback."""


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
) -> ElementEvent:
    """Mount (or update) the element; `view` is applied when `view_id` changes.

    `on_click` and `on_view` run as Streamlit callbacks, before the script body, so that what
    the page draws next (the outline, the panel) already follows the click.
    """

    def clicked() -> None:
        value = (st.session_state.get(key) or {}).get("clicked")
        if on_click is not None and isinstance(value, str):
            on_click(value)

    def moved() -> None:
        reported, answered = read_view((st.session_state.get(key) or {}).get("view"))
        if on_view is not None and reported is not None:
            on_view(reported, answered)

    result = _mount(
        key=key,
        data={**map_payload, "name": key, "height": height, "leafletBase": LEAFLET_BASE},
        height=height,
        on_clicked_change=clicked,
        on_view_change=moved,
    )
    _mount_control(
        key=f"{key}-control",
        data={
            "name": key,
            "selected": list(selected),
            "view": None if view is None else {"lat": view.lat, "lon": view.lon, "zoom": view.zoom},
            "viewId": view_id,
        },
        height=0,
    )
    clicked_id = result.get("clicked")
    reported, answered = read_view(result.get("view"))
    return ElementEvent(clicked_id if isinstance(clicked_id, str) else None, reported, answered)
