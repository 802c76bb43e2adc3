"""Compose the Folium map of a view: offline vector basemap, historical layers, labels, legend.

The map is a pure function of the data and the view state, so it can be cached per state and
tested as an HTML string. It loads Leaflet from the app's own static folder (see
`explorer.assets`), never from a CDN; an online tile layer (without names: the map draws its
own) is drawn above the vector basemap and below the history, so when tiles fail to load the
vector basemap shows through, and the layer is then dropped. No layers control is shown.

What Leaflet itself does not do (labels that avoid each other, spread dots, names for screen
readers, the legend, reset and full-screen controls, the touch gesture rule) is the small plugin
in `explorer/map_plugins/`, embedded in Folium's own script so that it runs in both map backends.
Country labels come from the basemap's own names; sea labels from `explorer/data/sea_labels.csv`
(each point placed by hand inside the water body the linked page describes).
"""

from __future__ import annotations

import csv
import html
import json
import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element, MacroElement, Template
from shapely.geometry import box
from shapely.ops import polylabel

from explorer import style
from explorer.assets import LEAFLET_CSS_URL, LEAFLET_JS_URL
from explorer.i18n import N_, _, active
from explorer.panel import certainty_word
from explorer.state import DEFAULT_VIEW, MAX_ZOOM, MIN_ZOOM, ViewState
from explorer.visibility import visible_features
from geodata.schema import CERTAINTIES, PERIODS

# Re-exported for the modules that read the palette from here (the chart, for now).
SITE_COLOURS = style.PERIOD_COLOURS
CERTAINTY_DASH = style.CERTAINTY_DASH
CERTAINTY_FILL = style.CERTAINTY_FILL
HIGHLIGHT = style.HIGHLIGHT
SEA = style.SEA
DRAW_ORDER = {"zone": 0, "entity": 1, "line": 2, "route": 3, "site": 4}
BASEMAP_PANE = "basemap"  # below Leaflet's tile pane (200), so online tiles cover it
TILES_URL = "https://{s}.basemaps.cartocdn.com/light_nolabels/{z}/{x}/{y}{r}.png"
TILES_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
    '&copy; <a href="https://carto.com/attributions">CARTO</a>'
)
BASEMAP_ATTRIBUTION = 'Borders: <a href="https://www.naturalearthdata.com/">Natural Earth</a>'
MAP_ID = "historymap"  # folium names the JS variable map_<id>
PLUGINS = Path(__file__).with_name("map_plugins")
SEA_LABELS = Path(__file__).with_name("data") / "sea_labels.csv"
# The basemap's extent (west, south, east, north): sea is drawn, and countries labelled, in it.
REGION = (-12.0, 12.0, 80.0, 66.0)
# A map narrower than this opens with the legend folded and, at the default view, fits CORE.
NARROW_PX = 500
# Iranian Azerbaijan and Kurdistan to the Gulf and Hormuz: ((south, west), (north, east)).
CORE = ((25.6, 44.0), (39.8, 56.6))
SITE_TARGET_PX = 24  # the smallest target a finger can hit reliably (WCAG 2.5.8)
MAP_LABEL = N_(
    "Map. Tab moves through its areas, lines and places; Enter selects one. "
    "Arrow keys move the map, plus and minus zoom."
)
PATTERN_NAMES = {"solid": N_("solid"), "dashed": N_("dashed"), "dotted": N_("dotted")}


class OfflineMap(folium.Map):
    """A folium Map that needs only Leaflet, served by the app itself."""

    default_js: ClassVar = [("leaflet", LEAFLET_JS_URL)]
    default_css: ClassVar = [("leaflet_css", LEAFLET_CSS_URL)]


def feature_style(props: dict[str, Any]) -> dict[str, Any]:
    """Leaflet style of a feature: colour by power or period, outline pattern by certainty.

    A place is a 24 px marker holding a 12 px dot (so a finger can hit it); areas and lines are
    SVG paths, dashed when approximate and dotted when disputed.
    """
    kind, certainty, ident = props["kind"], props["certainty"], props["id"]
    if kind == "site":
        colour = style.PERIOD_COLOURS.get(props["period"], style.OTHER_COLOUR)
        return {
            "className": f"ss-site ss-site--{props['period']} ss-site--{certainty}",
            "html": f'<span class="ss-dot" style="background:{colour}"></span>',
            "iconSize": [SITE_TARGET_PX, SITE_TARGET_PX],
            "iconAnchor": [SITE_TARGET_PX // 2, SITE_TARGET_PX // 2],
        }
    colour = style.group_colour(ident)
    result: dict[str, Any] = {
        "color": colour,
        "weight": 2,
        "opacity": 0.9,
        "dashArray": style.CERTAINTY_DASH.get(certainty),
    }
    if kind in ("line", "route"):
        result["weight"] = 3
        result["fill"] = False
    else:
        result["fillColor"] = colour
        result["fillOpacity"] = style.CERTAINTY_FILL.get(certainty, 0.2)
    return result


def _hover(props: dict[str, Any]) -> dict[str, Any]:
    return {"weight": 4}


def short_name(name: str) -> str:
    """A place's map label: its name before any bracket or comma ("Majlis (Baharestan), Tehran")."""
    for mark in (" (", ","):
        name = name.split(mark)[0]
    return name.strip()


def aria_name(row: Any) -> str:
    """What a screen reader says for a feature: its name, its kind, and any doubt."""
    kind = _(style.KIND_WORDS[row.kind]) if row.kind in style.KIND_WORDS else row.kind
    text = f"{row.name}, {kind}"
    return text if row.certainty == "documented" else f"{text} ({certainty_word(row.certainty)})"


def site_ranks(events: pd.DataFrame | None) -> dict[str, int]:
    """How many events name each feature: the more, the sooner its label is placed."""
    if events is None or events.empty:
        return {}
    counts: dict[str, int] = {}
    for ids in events["feature_ids"]:
        for ident in ids:
            counts[ident] = counts.get(ident, 0) + 1
    return counts


def to_geojson(frame: gpd.GeoDataFrame, ranks: Mapping[str, int] | None = None) -> dict[str, Any]:
    """The browser's copy of features: only what the map needs.

    `label` (the tooltip) is HTML-escaped; `name`, `short` and `aria` are plain text that the
    plugin only ever sets as text or attributes.
    """
    if frame.empty:
        return {"type": "FeatureCollection", "features": []}
    ranks = ranks or {}
    ordered = frame.assign(_order=frame["kind"].map(DRAW_ORDER)).sort_values(["_order", "id"])
    features = []
    for row in ordered.itertuples():
        props = {
            "id": row.id,
            "kind": row.kind,
            "period": row.period,
            "certainty": row.certainty,
            "label": html.escape(
                f"{row.name} ({row.certainty})" if row.certainty != "documented" else row.name
            ),
            "name": row.name,
            "aria": aria_name(row),
        }
        if row.kind == "site":
            props["short"] = short_name(row.name)
            props["rank"] = 400 + min(ranks.get(row.id, 0), 99)
        features.append(
            {
                "type": "Feature",
                "id": row.id,
                "properties": props,
                "geometry": row.geometry.__geo_interface__,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def country_labels(context: gpd.GeoDataFrame) -> list[list[Any]]:
    """[name, lat, lon, min zoom, rank] for each country of the basemap, from its own names.

    The point is the pole of inaccessibility of the country's largest part inside the region
    (so Russia's label is not in Siberia); small countries appear only when zoomed in.
    """
    return [list(item) for item in _country_labels(_context_key(context))]


def _context_key(context: gpd.GeoDataFrame) -> tuple[tuple[str, str, bytes], ...]:
    return tuple(
        (row.name, row.iso_a3, row.geometry.wkb) for row in context.itertuples(index=False)
    )


@lru_cache(maxsize=4)
def _country_labels(key: tuple[tuple[str, str, bytes], ...]) -> tuple[tuple[Any, ...], ...]:
    from shapely import wkb

    region = box(*REGION)
    labels = []
    for name, iso, blob in key:
        shape = wkb.loads(blob).intersection(region)
        if shape.is_empty:
            continue
        area = shape.area  # square degrees: only used to rank and to choose a zoom
        if area < 0.3:
            continue  # enclaves, bases and islets: not worth a label at this scale
        part = max(getattr(shape, "geoms", [shape]), key=lambda p: p.area)
        point = polylabel(part, tolerance=0.05)
        min_zoom = 3 if area > 60 else 4 if area > 12 else 5 if area > 2 else 6
        rank = 900 if iso == "IRN" else 100 + min(int(math.log1p(area) * 20), 199)
        labels.append((name, round(point.y, 3), round(point.x, 3), min_zoom, rank))
    return tuple(labels)


@lru_cache(maxsize=8)
def sea_labels(
    path: Path = SEA_LABELS, lang: str = "en"
) -> tuple[tuple[str, float, float, int, str], ...]:
    """(name, lat, lon, min zoom, source) of each sea label, read from the project's CSV, named
    in `lang` (the CSV has `name_fa` and `name_ru` beside the English)."""
    column = "name" if lang == "en" else f"name_{lang}"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            (
                row.get(column) or row["name"],
                float(row["lat"]),
                float(row["lon"]),
                int(row["min_zoom"]),
                row["source"],
            )
            for row in csv.DictReader(handle)
        )


def build_map(
    features: gpd.GeoDataFrame,
    context: gpd.GeoDataFrame,
    state: ViewState,
    events: pd.DataFrame | None = None,
) -> folium.Map:
    """The map of a view state: basemap, visible features, labels, legend and controls.

    `events`, when given, ranks the place labels (a place named by more events keeps its label
    when labels collide).
    """
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
    tiles = folium.TileLayer(
        TILES_URL,
        attr=TILES_ATTRIBUTION,
        name=_("Street map (online)"),
        subdomains="abcd",
        max_zoom=MAX_ZOOM,
        overlay=True,
        control=False,
        # Added by the map's plugin once the map is painted (ux.js): the vector basemap needs no
        # network, and the tiles' set-up was a sixth of the first draw.
        show=False,
    ).add_to(fmap)
    visible = visible_features(features, state)
    history = add_history(fmap, visible, site_ranks(events))
    MapUX(
        history,
        tiles,
        {
            "countries": country_labels(context),
            "seas": [
                [n, lat, lon, z, 350] for n, lat, lon, z, _ in sea_labels(SEA_LABELS, active())
            ],
            "legend": {"html": legend_html(visible), "narrow": NARROW_PX},
            "home": {
                "lat": centre[0],
                "lon": centre[1],
                "zoom": zoom,
                "fixed": view is not None,
                "fit": [list(CORE[0]), list(CORE[1])],
                "narrow": NARROW_PX,
            },
            "highlight": style.HIGHLIGHT,
            "dotTarget": SITE_TARGET_PX,
            "gestures": True,
            "mapLabel": _(MAP_LABEL),
            "text": {
                "legend": _("Legend"),
                "reset": _("Reset the view"),
                "full": _("Show the map full screen"),
                "leaveFull": _("Leave full screen"),
                "twoFingers": _("Use two fingers to move the map"),
            },
        },
    ).add_to(fmap)
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
    west, south, east, north = REGION
    sea = {
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[west, south], [east, south], [east, north], [west, north], [west, south]]
            ],
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
            {"stroke": False, "fillColor": style.SEA, "fillOpacity": 1}
            if "iran" not in f["properties"]
            else {
                "color": style.IRAN_BORDER if f["properties"]["iran"] else style.BORDER,
                "weight": 1.2 if f["properties"]["iran"] else 0.6,
                "fillColor": style.IRAN if f["properties"]["iran"] else style.LAND,
                "fillOpacity": 1,
            }
        ),
        interactive=False,
        pane=BASEMAP_PANE,
        control=False,
        attribution=BASEMAP_ATTRIBUTION,
    ).add_to(fmap)


def add_history(
    fmap: folium.Map, visible: gpd.GeoDataFrame, ranks: Mapping[str, int] | None = None
) -> folium.GeoJson | None:
    """The historical features as one clickable GeoJSON layer with escaped tooltips.

    Places are markers with a 24 px target (a DivIcon styled per feature), so that they sit
    above every area: a click inside a republic selects the republic unless a dot is under it.
    """
    data = to_geojson(visible, ranks)
    if not data["features"]:
        return None
    return folium.GeoJson(
        data,
        name="History",
        style_function=lambda f: feature_style(f["properties"]),
        highlight_function=lambda f: _hover(f["properties"]),
        marker=folium.Marker(icon=folium.DivIcon(), keyboard=True),
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True),
        zoom_on_click=False,
        control=False,
    ).add_to(fmap)


def highlight_layer(
    features: gpd.GeoDataFrame, feature_ids: str | Iterable[str] | None
) -> folium.FeatureGroup:
    """Non-interactive outlines of the selected features (empty when none is selected).

    A place's ring is named `ss-ring--<id>`, so that the map's plugin can move it with the dot
    when crowded dots are spread apart.
    """
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
                (lat, lon),
                radius=11,
                color=style.HIGHLIGHT,
                weight=4,
                fill=False,
                interactive=False,
                className=f"ss-ring ss-ring--{ident}",
            ).add_to(group)
        else:
            folium.GeoJson(
                {"type": "Feature", "properties": {}, "geometry": geometry},
                style_function=lambda f: {"color": style.HIGHLIGHT, "weight": 5, "fill": False},
                interactive=False,
            ).add_to(group)
    return group


def legend_entries(visible: gpd.GeoDataFrame) -> dict[str, list[tuple[str, str]]]:
    """What the legend must explain for these features, and nothing else.

    Returns {"areas": [(colour, words)], "places": [(colour, words)], "patterns": [(pattern,
    words)]}: one row per power or state drawn, one per period of the places drawn, one per
    certainty drawn (areas and lines by their outline, places by their dot's rim).
    """
    kinds = visible["kind"] if not visible.empty else pd.Series(dtype=str)
    shapes = visible[kinds != "site"] if not visible.empty else visible
    places = visible[kinds == "site"] if not visible.empty else visible
    groups = {style.FEATURE_GROUP.get(ident) for ident in shapes.index}
    areas = [(colour, _(words)) for key, (colour, words) in style.GROUPS.items() if key in groups]
    if None in groups:
        areas.append((style.OTHER_COLOUR, _("Other area or line")))
    periods = set(places["period"]) if not places.empty else set()
    dots = [(style.PERIOD_COLOURS[p], _(style.PERIOD_WORDS[p])) for p in PERIODS if p in periods]
    certainties = set(visible["certainty"]) if not visible.empty else set()
    patterns = [
        (style.CERTAINTY_WORDS[c][0], _(style.CERTAINTY_WORDS[c][1]))
        for c in CERTAINTIES
        if c in certainties
    ]
    return {"areas": areas, "places": dots, "patterns": patterns}


def legend_html(visible: gpd.GeoDataFrame, heading: str = "h4") -> str:
    """The legend's body for these features, every text escaped.

    The map shows it in a collapsible control; on a phone the page shows the same HTML below
    the map (it needs only the CSS classes of `legend_css()`), with its group names as
    `heading="p"` there, so that they do not break the page's order of headings.
    """
    if heading not in ("h4", "p"):
        raise ValueError(f"unknown heading tag {heading!r}")
    entries = legend_entries(visible)
    esc = html.escape
    parts: list[str] = []
    if entries["areas"]:
        rows = "".join(
            f'<li><span class="ss-key ss-key--area" style="border-color:{esc(colour)};'
            f'background:{esc(colour)}55"></span>{esc(words)}</li>'
            for colour, words in entries["areas"]
        )
        parts.append(_legend_group(heading, _("Areas and lines"), rows))
    if entries["places"]:
        rows = "".join(
            f'<li><span class="ss-key ss-key--dot" style="background:{esc(colour)}"></span>'
            f"{esc(words)}</li>"
            for colour, words in entries["places"]
        )
        parts.append(_legend_group(heading, _("Places"), rows))
    if entries["patterns"]:
        rows = "".join(
            f'<li><span class="ss-key ss-key--line" style="border-top-style:{esc(pattern)}">'
            f"</span>{esc(_(PATTERN_NAMES[pattern]))}: {esc(words)}</li>"
            for pattern, words in entries["patterns"]
        )
        parts.append(_legend_group(heading, _("Outlines"), rows))
    if not parts:
        return ""
    return '<div class="ss-legend-items">' + "".join(parts) + "</div>"


def _legend_group(heading: str, title: str, rows: str) -> str:
    return f'<{heading} class="ss-legend-head">{html.escape(title)}</{heading}><ul>{rows}</ul>'


def legend_css() -> str:
    """The styles the legend's HTML needs, for showing it outside the map."""
    css = (PLUGINS / "ux.css").read_text(encoding="utf-8")
    start = css.index("/* Legend")
    end = css.index("/* Touch")
    return css[start:end]


def map_css() -> str:
    """The plugin's styles with the palette's colours: put in the page head (both backends)."""
    palette = (
        f".leaflet-container{{--ss-focus:{style.FOCUS};--ss-label:{style.LABEL_TEXT};"
        f"--ss-country:{style.COUNTRY_TEXT};--ss-sea:{style.SEA_TEXT}}}\n"
    )
    return palette + (PLUGINS / "ux.css").read_text(encoding="utf-8")


class MapUX(MacroElement):
    """The map's own plugin (map_plugins/ux.js) and its styles, called with this map's options."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
        {{ this.js }}
        ssMapUX(L, {{ this._parent.get_name() }},
            {{ this.history.get_name() if this.history else "null" }},
            {{ this.tiles.get_name() if this.tiles else "null" }},
            {{ this.options_json }});
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        history: folium.GeoJson | None,
        tiles: folium.TileLayer | None,
        options: dict[str, Any],
    ) -> None:
        super().__init__()
        self._name = "MapUX"
        self.history = history
        self.tiles = tiles
        self.js = _plugin_js()
        self.css = map_css()
        # "</" cannot end the script early: the JSON is escaped for HTML.
        self.options_json = (
            json.dumps(options, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026")
        )


@lru_cache(maxsize=1)
def _plugin_js() -> str:
    return (PLUGINS / "ux.js").read_text(encoding="utf-8")
