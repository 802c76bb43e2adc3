"""The one place that talks to streamlit-folium: show a Folium map, report what was clicked.

Swappable: pages call `show_map` and read a MapEvent, nothing else of the map widget. Only a
click returns data (`returned_objects=["last_active_drawing"]`), so panning and zooming do not
rerun the app; the selected outline is a dynamic feature group, which streamlit-folium applies
in place, so a click that only changes the panel does not remount (or flicker) the map.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import folium
from streamlit_folium import st_folium


@dataclass(frozen=True)
class MapEvent:
    """What the user did on the map in this run: the id of a clicked feature, if any."""

    clicked: str | None = None


def show_map(
    build: Callable[[], folium.Map],
    *,
    cache_key: str,
    key: str,
    height: int,
    highlight: folium.FeatureGroup | None = None,
) -> MapEvent:
    """Draw the map and return the feature the user last clicked (None before any click).

    `build` composes the map; `cache_key` names what it depends on. streamlit-folium alters a
    map while drawing it, so it gets a fresh one each run (about 30 ms to compose).
    """
    del cache_key  # nothing to reuse safely: see above
    result = st_folium(
        build(),
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        feature_group_to_add=highlight,
    )
    drawing = (result or {}).get("last_active_drawing") or {}
    ident = (drawing.get("properties") or {}).get("id")
    return MapEvent(clicked=ident if isinstance(ident, str) else None)
