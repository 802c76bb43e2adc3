"""The whole chronology: text search, filters, the chosen event, its map link, the time chart and
the plain table.

Pure functions (DataFrames and strings in, DataFrames, strings and Altair specs out), so the
timeline page only lays out what these return. The chart is a broken time axis, 1941–1947,
1948–1994 and 1995–2025: the war years and the modern ties are dense, the decades between are
sparse, and one axis would squash the war.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import altair as alt
import geopandas as gpd
import pandas as pd

from explorer.i18n import _, active, date_label, direction, fold, span_label
from explorer.links import page_href
from explorer.mapbuild import SITE_COLOURS
from explorer.panel import (
    certainty_badge,
    certainty_word,
    esc,
    event_date_label,
    event_html,
    period_label,
    source_list,
)
from explorer.state import View, ViewState
from geodata.dates import PartialDate, parse_optional
from geodata.schema import CERTAINTIES, PERIODS

PERIOD_COLOURS = {period: SITE_COLOURS[period] for period in PERIODS}
CERTAINTY_SHAPES = {"documented": "circle", "approximate": "diamond", "disputed": "triangle-up"}
SPAN_KINDS = ("zone", "entity", "route")
# Where the map's default view already shows a place; farther features get a view of their own.
IRAN_BOUNDS = (43.5, 24.5, 63.5, 40.0)
FAR_ZOOM = 5
ROW_HEIGHT = 14
SELECTION = "pick"


@dataclass(frozen=True)
class Era:
    """One stretch of the broken time axis."""

    label: str
    first: date
    last: date
    width: int
    gap_days: int  # events closer than this share a row only if they do not overlap on screen


ERAS = (
    # A little room either side, so a point at either end is drawn whole.
    Era("1941–1947", date(1941, 7, 1), date(1948, 1, 31), width=500, gap_days=43),
    Era("1948–1994", date(1948, 2, 1), date(1994, 6, 30), width=90, gap_days=2200),
    Era("1995–2025", date(1994, 7, 1), date(2026, 6, 30), width=240, gap_days=440),
)
# The chart's two layouts: "wide" puts the three eras side by side (about 894 px in all, for a
# column of 900 px or more: a 1366 px laptop's, sidebar open); "narrow" stacks them, each
# NARROW_WIDTH wide (about 347 px in all, for a phone's 358 px column). The page shows the one
# that fits its column (explorer/style.py).
LAYOUTS = ("wide", "narrow")
NARROW_WIDTH = 330


def narrow_era(era: Era) -> Era:
    """An era drawn NARROW_WIDTH wide: rows keep the same spacing on screen."""
    return replace(era, width=NARROW_WIDTH, gap_days=round(era.gap_days * era.width / NARROW_WIDTH))


_NON_WORD = re.compile(r"[^\w]+")


def normalise(text: object) -> str:
    """The form a search compares (explorer.i18n.fold): 'Ja'far' and 'jafar', 'Šāhpūr' and
    'Sahpur', 'كرمانشاه' and 'کرمانشاه' are the same words."""
    return fold(text)


def place_names(feature_ids: Iterable[str], features: pd.DataFrame) -> list[str]:
    """The display names of features (an unknown id is shown as it is)."""
    return [features.loc[i, "name"] if i in features.index else i for i in feature_ids]


def search_blobs(events: pd.DataFrame, features: pd.DataFrame) -> pd.Series:
    """Per event, the normalised text a search looks in: title, summary, date note, date, its
    title in every language, and every name of its places in every script (so 'Kirmanshah',
    'كرمانشاه' and 'Керманшах' all find Kermanshah)."""
    place_text = {
        ident: " ".join(map(str, row.get("all_names") or (row["name"],)))
        for ident, row in features.iterrows()
    }
    titles = events["all_titles"] if "all_titles" in events else events["title"].map(lambda t: (t,))
    blobs = [
        normalise(
            " ".join(
                [
                    str(event.title),
                    *titles[event.Index],
                    str(event.summary),
                    str(event.date_note or ""),
                    str(event.date),
                    *(place_text.get(i, i) for i in event.feature_ids),
                ]
            )
        )
        for event in events.itertuples()
    ]
    return pd.Series(blobs, index=events.index, dtype=object)


def matches(blob: str, query: str) -> bool:
    """Whether every word of the query occurs in the text (an empty query matches all)."""
    return all(word in blob for word in normalise(query).split())


def filter_events(
    events: pd.DataFrame,
    features: pd.DataFrame,
    *,
    periods: Collection[str],
    places: Collection[str] = (),
    certainties: Collection[str] = CERTAINTIES,
    query: str = "",
) -> pd.DataFrame:
    """Events of the given periods and certainties, at any of `places` (all when empty), whose
    text matches the query; in date order."""
    mask = events["period"].isin(list(periods)) & events["certainty"].isin(list(certainties))
    if places:
        wanted = set(places)
        mask &= events["feature_ids"].map(lambda ids: bool(wanted.intersection(ids)))
    if query.strip():
        blobs = search_blobs(events, features)
        mask &= blobs.map(lambda blob: matches(blob, query))
    return events[mask].sort_values(["start_day", "id"])


def empty_message(query: str, periods: Collection[str], certainties: Collection[str] | None) -> str:
    """What to tell a reader whose filters match no event, naming the filter to loosen."""
    if not periods:
        return _("No event to show: turn on a period layer in the sidebar.")
    if not certainties:
        return _("No event to show: choose at least one certainty.")
    if query.strip():
        return _(
            "No event matches “{query}” with these filters. Check the spelling, try another "
            "name of the place, or turn on more period layers."
        ).format(query=query.strip()[:60])
    return _("No event matches these filters.")


def event_places(events: pd.DataFrame, features: pd.DataFrame) -> list[str]:
    """The ids of every place some event happened at, sorted by name (for the place filter)."""
    used = {i for ids in events["feature_ids"] for i in ids if i in features.index}
    return sorted(used, key=lambda i: (normalise(features.loc[i, "name"]), i))


def state_date(event_date: str) -> PartialDate:
    """The slider date that stands for an event's date: its own day or month; January of its
    year when only the year is known (the slider has months)."""
    value = PartialDate.parse(event_date)
    return value if value.month is not None else PartialDate(value.year, 1)


def primary_feature(event: Any) -> str | None:
    """The feature an event is shown at: the first it lists."""
    ids = event["feature_ids"] if isinstance(event, dict | pd.Series) else event.feature_ids
    return ids[0] if ids else None


def chosen_events(events: pd.DataFrame, state: ViewState) -> pd.DataFrame:
    """The events a state points at: those at the state's date that involve its feature. This is
    how a shared link (date + feature) reopens the event that was chosen."""
    if state.date is None or not state.feature:
        return events.iloc[0:0]
    mask = events["date"].map(lambda d: state_date(d) == state.date) & events["feature_ids"].map(
        lambda ids: state.feature in ids
    )
    return events[mask].sort_values(["start_day", "id"])


def view_for(geometry: Any) -> View | None:
    """No view for a place the default map shows; a view centred on anything farther away."""
    minx, miny, maxx, maxy = IRAN_BOUNDS
    point = geometry.representative_point()
    if minx <= point.x <= maxx and miny <= point.y <= maxy:
        return None
    return View(round(point.y, 4), round(point.x, 4), FAR_ZOOM)


def map_state(
    event: pd.Series,
    features: gpd.GeoDataFrame,
    layers: Iterable[str],
    prefer: str | None = None,
) -> ViewState:
    """The map at an event: its date, one of its places selected (`prefer` if it is one, else
    the first), that place's layer on and, if it lies far from Iran, in view."""
    ids = list(event["feature_ids"])
    ident = prefer if prefer in ids else (ids[0] if ids else None)
    wanted = {*layers, event["period"]}
    view = None
    if ident in features.index:
        wanted.add(features.loc[ident, "period"])
        view = view_for(features.loc[ident, "geometry"])
    return ViewState(
        lang=active(),  # a link made in a language opens in it
        date=state_date(event["date"]),
        layers=tuple(p for p in PERIODS if p in wanted),
        feature=ident,
        view=view,
    )


def event_detail_html(event: pd.Series, features: pd.DataFrame, sources: pd.DataFrame) -> str:
    """An event in full: the map panel's view of it, plus its period and places."""
    names = ", ".join(esc(name) for name in place_names(event["feature_ids"], features))
    return (
        f'<div class="event-detail" data-event="{esc(event["id"])}">'
        + event_html(event.to_dict(), sources)
        + f'<p class="meta"><b>{esc(_("Period:"))}</b> {esc(period_label(event["period"]))} · '
        f"<b>{esc(_('Certainty:'))}</b> {certainty_badge(event['certainty'])}</p>"
        + f'<p class="places"><b>{esc(_("Places:"))}</b> {names}</p></div>'
    )


def events_table_html(
    events: pd.DataFrame, features: gpd.GeoDataFrame, sources: pd.DataFrame, layers: Iterable[str]
) -> str:
    """The events as a plain HTML table for reading and screen readers; all text escaped."""
    layers = tuple(layers)
    rows = []
    for _index, event in events.iterrows():
        href = page_href("map", map_state(event, features, layers))
        places = ", ".join(esc(n) for n in place_names(event["feature_ids"], features))
        rows.append(
            f'<tr data-event="{esc(event["id"])}">'
            f'<td class="date">{esc(event_date_label(event.to_dict()))}</td>'
            f"<td><b>{esc(event['title'])}</b><br>{esc(event['summary'])}</td>"
            f"<td>{places}</td>"
            f"<td>{esc(period_label(event['period']))}</td>"
            f"<td>{certainty_badge(event['certainty'])}</td>"
            f"<td>{source_list(event['sources'], sources)}</td>"
            f'<td><a href="{esc(href)}" target="_self">{esc(_("Map"))}</a></td></tr>'
        )
    head = "".join(
        f'<th scope="col">{esc(name)}</th>'
        for name in (
            _("Date"),
            _("Event"),
            _("Places"),
            _("Period"),
            _("Certainty"),
            _("Sources"),
            _("On the map"),
        )
    )
    return (
        f'<table class="events-table" dir="{direction()}">'
        f"<caption>{esc(_('{count} events, in date order').format(count=len(rows)))}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _rows(events: pd.DataFrame, era: Era) -> list[int]:
    """A row for each event of an era so that points closer than `gap_days` do not overlap."""
    row_ends: list[date] = []
    rows = []
    for start, end in zip(events["start_day"], events["end_day"], strict=True):
        for index, row_end in enumerate(row_ends):
            if (start - row_end).days > era.gap_days:
                row_ends[index] = max(start, end)
                rows.append(index)
                break
        else:
            row_ends.append(max(start, end))
            rows.append(len(row_ends) - 1)
    return rows


EVENT_COLUMNS = ["id", "title", "when", "start", "end", "period", "certainty", "places", "row"]


def chart_events(events: pd.DataFrame, features: pd.DataFrame, era: Era) -> pd.DataFrame:
    """The chart's records of the events inside an era (dates as ISO text for Vega)."""
    inside = events[(events["start_day"] >= era.first) & (events["start_day"] <= era.last)]
    inside = inside.sort_values(["start_day", "id"])
    records = [
        {
            "id": event["id"],
            "title": event["title"],
            "when": event_date_label(event),
            "start": event["start_day"].isoformat(),
            # Only a stated end makes a span; a month-precision date is not a month-long event.
            "end": min(event["end_day"], era.last).isoformat() if event["end_date"] else "",
            "period": period_label(event["period"]),
            "certainty": certainty_word(event["certainty"]),
            "places": ", ".join(place_names(event["feature_ids"], features)),
            "row": row,
            "description": f"{event_date_label(event)}: {event['title']}",
        }
        for event, row in zip(inside.to_dict("records"), _rows(inside, era), strict=True)
    ]
    return pd.DataFrame(records, columns=[*EVENT_COLUMNS, "description"])


def chart_spans(features: pd.DataFrame, periods: Collection[str], era: Era) -> pd.DataFrame:
    """Zones, republics and the corridor as bars, for the periods shown."""
    rows = []
    for _index, feature in features.iterrows():
        start, end = parse_optional(feature["start"]), parse_optional(feature["end"])
        if feature["kind"] not in SPAN_KINDS or feature["period"] not in periods:
            continue
        if start is None or end is None or end.last_day() < era.first:
            continue
        rows.append(
            {
                "id": feature["id"],
                "name": feature["name"],
                "start": max(start.first_day(), era.first).isoformat(),
                "end": min(end.last_day(), era.last).isoformat(),
                "when": span_label(start, end),
                "period": period_label(feature["period"]),
                "certainty": certainty_word(feature["certainty"]),
                "description": f"{feature['name']}, {span_label(start, end)}",
            }
        )
    columns = ["id", "name", "start", "end", "when", "period", "certainty", "description"]
    return pd.DataFrame(rows, columns=columns).sort_values(["start", "name"], ignore_index=True)


def _colour() -> alt.Color:
    labels = [period_label(p) for p in PERIODS]
    return alt.Color(
        "period:N",
        title=_("Period"),
        scale=alt.Scale(domain=labels, range=[PERIOD_COLOURS[p] for p in PERIODS]),
        legend=alt.Legend(orient="bottom"),
    )


def _day(value: date) -> alt.DateTime:
    return alt.DateTime(year=value.year, month=value.month, date=value.day)


def _x(era: Era, *, domain: bool = False) -> alt.X:
    """The time axis of an era. Only one layer of a view names the domain: Vega-Lite warns
    when layers name it in different forms, which it does for the one bound to the zoom."""
    scale = alt.Scale(domain=[_day(era.first), _day(era.last)]) if domain else alt.Undefined
    return alt.X(
        "start:T",
        title=None,
        scale=scale,
        axis=alt.Axis(format="%Y", labelAngle=0, tickCount=7, grid=True, gridOpacity=0.4),
    )


def _era_events(
    records: pd.DataFrame,
    era: Era,
    chosen: Collection[str],
    marker: PartialDate | None,
    params: list[alt.Parameter],
    name: str,
) -> alt.LayerChart:
    rows = max(int(records["row"].max()) + 1 if len(records) else 1, 4)
    y = alt.Y("row:O", axis=None, scale=alt.Scale(domain=list(range(rows))))
    height = rows * ROW_HEIGHT + 10
    if records.empty:  # an empty panel keeps its axis and says why it is empty
        note = pd.DataFrame({"start": [era.first.isoformat()], "text": [_("No event shown")]})
        return (
            alt.Chart(note)
            .mark_text(align="left", dx=6, color="#777", fontSize=12)
            .encode(x=_x(era, domain=True), y=alt.value(height / 2), text="text:N")
            .properties(
                width=era.width, height=height, title=_("Events {era}").format(era=era.label)
            )
        )
    base = alt.Chart(records)
    spans = (
        base.transform_filter("datum.end != ''")
        .mark_rule(strokeWidth=3, opacity=0.5)
        .encode(x=_x(era), x2="end:T", y=y, color=_colour())
    )
    points = (
        base.mark_point(filled=True, size=64, opacity=0.9, cursor="pointer")
        .encode(
            x=_x(era, domain=True),
            y=y,
            color=_colour(),
            shape=alt.Shape(
                "certainty:N",
                title=_("Certainty"),
                scale=alt.Scale(
                    domain=[certainty_word(c) for c in CERTAINTIES],
                    range=[CERTAINTY_SHAPES[c] for c in CERTAINTIES],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("when:N", title=_("Date")),
                alt.Tooltip("title:N", title=_("Event")),
                alt.Tooltip("places:N", title=_("Places")),
                alt.Tooltip("certainty:N", title=_("Certainty")),
            ],
            description="description:N",
        )
        .add_params(*params)
        .properties(name=name)
    )
    layers: list[alt.Chart] = [spans, points]
    ring = records[records["id"].isin(list(chosen))]
    if len(ring):
        layers.append(
            alt.Chart(ring)
            .mark_point(size=260, filled=False, strokeWidth=2.5, color="#111")
            .encode(x=_x(era), y=y)
        )
    if marker is not None and era.first <= marker.first_day() <= era.last:
        layers.append(
            alt.Chart(pd.DataFrame({"start": [marker.first_day().isoformat()]}))
            .mark_rule(strokeDash=[4, 3], color="#555")
            .encode(
                x=_x(era), tooltip=alt.value(_("Map date: {date}").format(date=date_label(marker)))
            )
        )
    return alt.layer(*layers).properties(
        width=era.width, height=height, title=_("Events {era}").format(era=era.label)
    )


def _spans_chart(spans: pd.DataFrame, era: Era, *, names_at_start: bool = False) -> alt.LayerChart:
    y = alt.Y("name:N", axis=None, sort=alt.EncodingSortField("start", order="ascending"))
    base = alt.Chart(spans).encode(x=_x(era), y=y)
    bars = base.mark_bar(height=13, opacity=0.35, cornerRadius=2).encode(
        x2="end:T",
        color=_colour(),
        tooltip=[
            alt.Tooltip("name:N", title=_("Zone or republic")),
            alt.Tooltip("when:N", title=_("Dates")),
            alt.Tooltip("certainty:N", title=_("Certainty")),
        ],
        description="description:N",
    )
    names = base.mark_text(align="left", dx=4, fontSize=11, color="#222").encode(text="name:N")
    if names_at_start:  # a narrow panel: a name at its bar's start would run off the chart
        names = names.encode(x=alt.value(0))
    return alt.layer(bars, names).properties(
        width=era.width,
        height=max(len(spans), 1) * 16,
        title=_("Zones, republics and the corridor"),
    )


def timeline_chart(
    events: pd.DataFrame,
    features: pd.DataFrame,
    *,
    periods: Collection[str],
    chosen: Collection[str] = (),
    marker: PartialDate | None = None,
    layout: str = "wide",
) -> alt.TopLevelMixin:
    """Every given event on a time axis broken at 1948 and 1995, coloured by period, shaped
    by certainty; below the war years, the spans of the zones and republics. Clicking a point
    selects it (the selection is named `pick` and carries the event's id); the war years zoom
    and pan with the mouse wheel and drag. `layout` is one of LAYOUTS."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    pick = alt.selection_point(name=SELECTION, fields=["id"], on="click")
    zoom = alt.selection_interval(name="zoom", bind="scales", encodings=["x"])
    first, middle, second = ERAS if layout == "wide" else tuple(narrow_era(e) for e in ERAS)
    records = chart_events(events, features, first)
    war = _era_events(records, first, chosen, marker, [pick, zoom], "war_events")
    left: alt.TopLevelMixin = war
    spans = chart_spans(features, periods, first)
    if len(spans):
        spans_chart = _spans_chart(spans, first, names_at_start=layout == "narrow")
        left = alt.vconcat(war, spans_chart, spacing=6).resolve_scale(x="shared")
    records = chart_events(events, features, middle)
    between = _era_events(records, middle, chosen, marker, [pick], "cold_war_events")
    records = chart_events(events, features, second)
    right = _era_events(records, second, chosen, marker, [pick], "modern_events")
    with warnings.catch_warnings():
        # Both eras use the one `pick` selection on purpose; Altair warns when it merges them.
        warnings.filterwarnings("ignore", message="Automatically deduplicated selection")
        if layout == "wide":
            chart = alt.hconcat(left, between, right, spacing=20)
        else:
            chart = alt.vconcat(left, between, right, spacing=16)
    return (
        chart.resolve_scale(color="shared", shape="shared")
        .configure_view(stroke="#ddd")
        # Side by side, each legend's entries in a row; stacked, in a column (narrower).
        .configure_legend(direction="horizontal" if layout == "wide" else "vertical")
        .configure_title(fontSize=13, anchor="start")
    )
