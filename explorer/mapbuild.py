"""Compose the Folium map of a view: offline vector basemap, historical layers, legend.

The map is a pure function of the data and the view state, so it can be cached per state and
tested as an HTML string. It loads Leaflet from the app's own static folder (see
`explorer.assets`), never from a CDN; an online tile layer is drawn above the vector basemap
and below the history, so when tiles fail to load the vector basemap shows through.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any, ClassVar

import folium
import geopandas as gpd
from branca.element import Element, MacroElement, Template

from explorer.assets import LEAFLET_CSS_URL, LEAFLET_JS_URL
from explorer.state import DEFAULT_VIEW, MAX_ZOOM, MIN_ZOOM, ViewState
from explorer.visibility import visible_features

POWER_COLOURS = {
    "soviet-zone": "#b22222",
    "soviet-line-1941": "#b22222",
    "soviet-line-1941-alt": "#b22222",
    "khorasan-soviet-garrison": "#b22222",
    "british-zone": "#1f4e9c",
    "british-line-1941": "#1f4e9c",
    "central-zone": "#8c7b4f",
    "kurdish-neutral-strip": "#7d3c98",
    "azerbaijan-peoples-government": "#e07b00",
    "republic-of-mahabad": "#138d75",
    "trans-iranian-railway": "#2b2b2b",
}
SITE_COLOURS = {"occupation": "#5b3a29", "crisis": "#7a1f5c", "modern": "#0b6e99"}
# Outline pattern by certainty: solid documented, dashed approximate, dotted disputed.
CERTAINTY_DASH = {"documented": None, "approximate": "8 5", "disputed": "2 6"}
CERTAINTY_FILL = {"documented": 0.35, "approximate": 0.25, "disputed": 0.15}
DRAW_ORDER = {"zone": 0, "entity": 1, "line": 2, "route": 3, "site": 4}
SEA = "#cddfe8"
BASEMAP_PANE = "basemap"  # below Leaflet's tile pane (200), so online tiles cover it
HIGHLIGHT = "#ffd400"
TILES_URL = "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png"
TILES_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
    '&copy; <a href="https://carto.com/attributions">CARTO</a>'
)
BASEMAP_ATTRIBUTION = 'Borders: <a href="https://www.naturalearthdata.com/">Natural Earth</a>'
MAP_ID = "historymap"
MAP_CSS = (
    "<style>.leaflet-interactive:focus{outline:none}"
    ".leaflet-container .leaflet-control-attribution{font-size:11px;line-height:1.4}</style>"
)  # folium names the JS variable map_<id>


class OfflineMap(folium.Map):
    """A folium Map that needs only Leaflet, served by the app itself."""

    default_js: ClassVar = [("leaflet", LEAFLET_JS_URL)]
    default_css: ClassVar = [("leaflet_css", LEAFLET_CSS_URL)]


def feature_style(props: dict[str, Any]) -> dict[str, Any]:
    """Leaflet path style of a feature: colour by power, outline and fill by certainty."""
    kind, certainty, ident = props["kind"], props["certainty"], props["id"]
    if kind == "site":
        return {
            "color": "#ffffff",
            "weight": 1.5,
            "fill": True,
            "fillColor": SITE_COLOURS.get(props["period"], "#444444"),
            "fillOpacity": 0.95,
            "radius": 6,
        }
    colour = POWER_COLOURS.get(ident, "#555555")
    style: dict[str, Any] = {"color": colour, "weight": 2, "opacity": 0.9}
    if kind in ("line", "route"):
        style["weight"] = 3
        # The alternative 1941 line is dashed; the main lines are solid.
        style["dashArray"] = (
            "10 7" if ident.endswith("-alt") else ("4 6" if kind == "route" else None)
        )
        style["fill"] = False
    else:
        style["dashArray"] = CERTAINTY_DASH.get(certainty)
        style["fillColor"] = colour
        style["fillOpacity"] = CERTAINTY_FILL.get(certainty, 0.2)
    return style


def _hover(props: dict[str, Any]) -> dict[str, Any]:
    return {"weight": 4} if props["kind"] != "site" else {"radius": 8}


def to_geojson(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """The browser's copy of features: only what the map needs, names HTML-escaped."""
    if frame.empty:
        return {"type": "FeatureCollection", "features": []}
    ordered = frame.assign(_order=frame["kind"].map(DRAW_ORDER)).sort_values(["_order", "id"])
    features = []
    for row in ordered.itertuples():
        props = {
            "id": row.id,
            "label": html.escape(
                f"{row.name} ({row.certainty})" if row.certainty != "documented" else row.name
            ),
            "kind": row.kind,
            "period": row.period,
            "certainty": row.certainty,
        }
        features.append(
            {
                "type": "Feature",
                "id": row.id,
                "properties": props,
                "geometry": row.geometry.__geo_interface__,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def build_map(
    features: gpd.GeoDataFrame,
    context: gpd.GeoDataFrame,
    state: ViewState,
) -> folium.Map:
    """The map of a view state: basemap, the visible historical features, legend, tile layer."""
    view = state.view
    centre = (view.lat, view.lon) if view else DEFAULT_VIEW[:2]
    zoom = view.zoom if view else DEFAULT_VIEW[2]
    fmap = OfflineMap(
        location=centre,
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        attribution_control=True,
        # Passed through to L.map (Folium 0.20 gives its min_zoom/max_zoom to tiles only), so
        # the reader cannot zoom beyond what a share link may hold.
        minZoom=MIN_ZOOM,
        maxZoom=MAX_ZOOM,
    )
    fmap._id = MAP_ID  # stable name: the same state renders the same text
    folium.map.CustomPane(BASEMAP_PANE, z_index=150, pointer_events=False).add_to(fmap)
    add_basemap(fmap, context)
    folium.TileLayer(
        TILES_URL,
        attr=TILES_ATTRIBUTION,
        name="Street map (online)",
        subdomains="abcd",
        max_zoom=MAX_ZOOM,
        overlay=True,
        control=True,
        show=True,
    ).add_to(fmap)
    add_history(fmap, visible_features(features, state))
    folium.LayerControl(collapsed=True, position="topright").add_to(fmap)
    Legend().add_to(fmap)
    fmap.get_root().header.add_child(Element(MAP_CSS), name="map_css")
    stable_names(fmap)
    return fmap


def stable_names(element: Element, prefix: str = "e") -> None:
    """Name every element by its place in the tree instead of at random.

    Folium names JavaScript variables with random ids; fixed names make the same state render
    the same text, which lets caches and streamlit-folium's change detection see it as unchanged.
    """
    for number, child in enumerate(element._children.values()):
        child._id = f"{prefix}{number}"
        stable_names(child, f"{prefix}{number}_")


def add_basemap(fmap: folium.Map, context: gpd.GeoDataFrame) -> None:
    """Sea, neighbours and Iran drawn from Natural Earth: the map works with no internet."""
    sea = {
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[-12, 12], [80, 12], [80, 66], [-12, 66], [-12, 12]]],
        },
    }
    land = {
        "type": "FeatureCollection",
        "features": [sea]
        + [
            {
                "type": "Feature",
                "properties": {"iran": row.iso_a3 == "IRN"},
                "geometry": row.geometry.__geo_interface__,
            }
            for row in context.itertuples()
        ],
    }
    folium.GeoJson(
        land,
        name="Basemap (offline)",
        style_function=lambda f: (
            {"stroke": False, "fillColor": SEA, "fillOpacity": 1}
            if "iran" not in f["properties"]
            else {
                "color": "#8a8478" if f["properties"]["iran"] else "#a9a398",
                "weight": 1.2 if f["properties"]["iran"] else 0.6,
                "fillColor": "#f6f1e4" if f["properties"]["iran"] else "#e4dfd3",
                "fillOpacity": 1,
            }
        ),
        interactive=False,
        pane=BASEMAP_PANE,
        control=False,
        attribution=BASEMAP_ATTRIBUTION,
    ).add_to(fmap)


def add_history(fmap: folium.Map, visible: gpd.GeoDataFrame) -> None:
    """The historical features as one clickable GeoJSON layer with escaped tooltips."""
    data = to_geojson(visible)
    if not data["features"]:
        return
    folium.GeoJson(
        data,
        name="History",
        style_function=lambda f: feature_style(f["properties"]),
        highlight_function=lambda f: _hover(f["properties"]),
        marker=folium.CircleMarker(radius=6),
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True),
        zoom_on_click=False,
        control=False,
    ).add_to(fmap)


def highlight_layer(
    features: gpd.GeoDataFrame, feature_ids: str | Iterable[str] | None
) -> folium.FeatureGroup:
    """Non-interactive outlines of the selected features (empty when none is selected)."""
    group = folium.FeatureGroup(name="Selected", control=False)
    ids = [feature_ids] if isinstance(feature_ids, str) else list(feature_ids or ())
    for ident in ids:
        if ident not in features.index:
            continue
        row = features.loc[ident]
        geometry = row.geometry.__geo_interface__
        if row["kind"] == "site":
            lon, lat = geometry["coordinates"]
            folium.CircleMarker(
                (lat, lon), radius=11, color=HIGHLIGHT, weight=4, fill=False, interactive=False
            ).add_to(group)
        else:
            folium.GeoJson(
                {"type": "Feature", "properties": {}, "geometry": geometry},
                style_function=lambda f: {"color": HIGHLIGHT, "weight": 5, "fill": False},
                interactive=False,
            ).add_to(group)
    return group


LEGEND_ROWS = [
    ("#b22222", "Soviet zone and lines"),
    ("#1f4e9c", "British zone and line"),
    ("#8c7b4f", "Unoccupied centre (Tehran)"),
    ("#7d3c98", "Kurdish strip left to neither"),
    ("#e07b00", "Azerbaijan People's Government"),
    ("#138d75", "Republic of Mahabad"),
    ("#2b2b2b", "Trans-Iranian Railway"),
]


# Outline patterns, as in CERTAINTY_DASH; the alternative 1941 line is dashed too.
PATTERNS = [
    ("solid", "documented"),
    ("dashed", "approximate (or the alternative 1941 line)"),
    ("dotted", "disputed"),
]


class Legend(MacroElement):
    """A Leaflet control listing colours and what the outline patterns mean."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "map-legend");
                div.setAttribute("style", {{ this.box_style|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Legend"
        self.box_style = (
            "background:rgba(255,255,255,.92);padding:6px 9px;border-radius:4px;"
            "font:11px/1.4 sans-serif;color:#222;box-shadow:0 1px 4px rgba(0,0,0,.3)"
        )
        self.html = legend_html()


def legend_html() -> str:
    """The legend's HTML, every text escaped."""
    swatch = (
        '<span style="display:inline-block;width:12px;height:12px;margin-right:6px;'
        'vertical-align:-2px;background:{}"></span>{}'
    )
    rows = [swatch.format(colour, html.escape(text)) for colour, text in LEGEND_ROWS]
    line = (
        '<span style="display:inline-block;width:22px;border-top:2px {} #333;margin-right:6px;'
        'vertical-align:3px"></span>{}'
    )
    patterns = [line.format(style, word) for style, word in PATTERNS]
    return (
        '<details open><summary style="cursor:pointer;font-weight:bold">Legend</summary>'
        + "<br>".join(rows + patterns)
        + "</details>"
    )
