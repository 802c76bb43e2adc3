"""The one place that shows the map in Streamlit: pages call `show_map` and read a MapEvent.

Two interchangeable backends, chosen by the STALINS_SHADOW_MAP environment variable (a server
setting, never the share link):
- `element` (default): the project's map element (explorer/map_element): drawn in the page by a
  `st.html` block before Streamlit's components-v2 runtime has loaded, no iframe; a v2 element
  then adopts it: clicks at once, the view reported when the map comes to rest;
- `st_folium`: streamlit-folium, kept for comparison in the benchmark. Only a click returns data
  (`returned_objects=["last_active_drawing"]`), so panning does not rerun the app; it does not
  report the view. It alters a map while drawing it, so it gets a fresh one each run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import folium
import streamlit as st

from explorer.state import View

BACKENDS = ("element", "st_folium")
BACKEND = os.environ.get("STALINS_SHADOW_MAP", "element")
if BACKEND not in BACKENDS:
    raise ValueError(f"STALINS_SHADOW_MAP must be one of {', '.join(BACKENDS)}, not {BACKEND!r}")


@dataclass(frozen=True)
class MapEvent:
    """What the user did on the map: a feature clicked in this run, the view left at (if known)
    and the id of the view request that view answers."""

    clicked: str | None = None
    view: View | None = None
    view_id: str | None = None


def view_in_map() -> bool:
    """Whether the map itself must be built at the state's view (st_folium) or is told it."""
    return BACKEND == "st_folium"


@st.cache_resource(show_spinner=False, max_entries=256)
def _payload(cache_key: str, _build: Callable[[], folium.Map]) -> dict[str, Any]:
    """The element's rendering of a map, made once per map state and shared by all sessions."""
    from explorer import map_element

    return map_element.payload(_build())


def preload() -> None:
    """Start loading the map's code early (call it first on a page with a map); the element
    needs nothing today (its block loads the runtime), the call stays for future backends."""
    if BACKEND == "element":
        from explorer import map_element

        map_element.preload()


def draws_first() -> bool:
    """Whether the map can be drawn alone in a page's first run, before the other controls
    (the element; st_folium needs the components runtime to draw at all)."""
    return BACKEND == "element"


def first_paint_trigger(key: str) -> None:
    """After a first run that drew the map alone (`show_map(..., first_paint=True)`): what
    asks for the next run once the map is drawn. Call it as the page's last element."""
    from explorer import map_element

    map_element.first_paint_trigger(key)


def preview_slot(key: str, part: str, body: str) -> str:
    """Markup for a part of the page (`part`: "head" or "body") that the map `key` fills the
    moment a feature is clicked, from `show_map(previews=...)`; plain markup for st_folium."""
    from explorer import map_element

    return map_element.preview_slot(key, part, body)


def show_map(
    build: Callable[[], folium.Map],
    *,
    cache_key: str,
    key: str,
    height: int,
    selected: tuple[str, ...] | str | None = (),
    highlight: folium.FeatureGroup | Callable[[], folium.FeatureGroup] | None = None,
    view: View | None = None,
    view_id: str = "initial",
    on_click: Callable[[str], None] | None = None,
    on_view: Callable[[View, str | None], None] | None = None,
    first_paint: bool = False,
    previews: Callable[[], dict[str, dict[str, str]]] | None = None,
) -> MapEvent:
    """Draw the map composed by `build` (named `cache_key`) and report clicks and the view.

    `selected` ids are outlined by the element; st_folium draws `highlight` instead. `view` is
    applied by the element when `view_id` changes (st_folium takes it from the map itself).
    `on_click(feature_id)` and `on_view(view, view_id)` run before the page is drawn on the
    element; st_folium reports a click only in its return value, so the adapter calls
    `on_click` then and reruns the page to draw what follows from it. `first_paint` (element
    only, see `draws_first`) draws the map without the element that reports. `previews`
    (element only; called once per map state) gives each drawn feature's parts for the
    page's `preview_slot`s, shown as soon as the feature is clicked.
    """
    if isinstance(selected, str):
        selected = (selected,)
    if BACKEND == "element":
        from explorer import map_element

        event = map_element.show(
            _payload(cache_key, build),
            key=key,
            height=height,
            selected=tuple(selected or ()),
            view=view,
            view_id=view_id,
            on_click=on_click,
            on_view=on_view,
            adopt=not first_paint,
            previews=previews,
        )
        return MapEvent(event.clicked, event.view, event.view_id)
    from streamlit_folium import st_folium

    group = highlight() if callable(highlight) else highlight
    result = st_folium(
        build(),
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        feature_group_to_add=group,
    )
    drawing = (result or {}).get("last_active_drawing") or {}
    ident = (drawing.get("properties") or {}).get("id")
    # streamlit-folium returns the last click on every run: report it once, when it changes.
    seen = f"{key}__last_click"
    if not isinstance(ident, str) or st.session_state.get(seen) == ident:
        return MapEvent()
    st.session_state[seen] = ident
    if on_click is not None:
        on_click(ident)
        st.rerun()
    return MapEvent(clicked=ident)
