"""The guided tour: stops read from geodata's story table, the map state each one sets, its
panel as escaped HTML, and the `stop` parameter of its links.

Pure functions, so the tour's logic and wording are tested without Streamlit. The stop number in
links is 1-based (`/story?stop=5` is the fifth stop), as people count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd

from explorer.mapbuild import highlight_layer
from explorer.panel import esc, source_list
from explorer.state import View, ViewState, month_of, parse_view, to_query
from geodata.dates import PartialDate
from geodata.schema import PERIODS

STOP_PARAM = "stop"


@dataclass(frozen=True)
class Stop:
    """One stop of the tour: what the map shows and what the reader is told."""

    id: str
    number: int
    title: str
    narrative: str
    date: PartialDate
    layers: tuple[str, ...]
    feature_ids: tuple[str, ...]
    view: View
    sources: tuple[str, ...]

    def state(self) -> ViewState:
        """The map state the stop sets: its date, layers and view, its first feature selected."""
        return ViewState(
            date=self.date,
            layers=self.layers,
            feature=self.feature_ids[0] if self.feature_ids else None,
            view=self.view,
        )


def stops(story: pd.DataFrame) -> list[Stop]:
    """The stops in tour order (the loader has validated every cell)."""
    return [
        Stop(
            id=row.id,
            number=int(row.order),
            title=row.title,
            narrative=row.narrative,
            date=PartialDate.parse(row.date),
            layers=tuple(p for p in PERIODS if p in row.layers),
            feature_ids=tuple(row.feature_ids),
            view=parse_view(row.view),
            sources=tuple(row.sources),
        )
        for row in story.sort_values("order").itertuples()
    ]


def parse_stop(value: object, count: int) -> tuple[int, str | None]:
    """A `stop` parameter as a stop number, or stop 1 and a notice saying why not."""
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    text = str(value if value is not None else "").strip()
    if text.isdigit() and 1 <= int(text) <= count:
        return int(text), None
    shown = "".join(ch if ch.isprintable() else "?" for ch in text)
    shown = shown if len(shown) <= 40 else shown[:37] + "…"
    return 1, (f"Ignored stop={shown!r}: the story has stops 1 to {count}. Showing stop 1 instead.")


def story_query(state: ViewState, number: int) -> dict[str, str]:
    """The story page's link parameters: the shared state plus the stop number."""
    return {**to_query(state), STOP_PARAM: str(number)}


def same_view(reported: View, asked: View) -> bool:
    """Whether the map's reported view is the one asked for: Leaflet snaps the centre to whole
    pixels, so a view within a pixel of the asked one at the same zoom is the same view."""
    pixel = 360 / (256 * 2**asked.zoom)  # degrees of longitude per pixel at this zoom
    return (
        reported.zoom == asked.zoom
        and abs(reported.lat - asked.lat) <= pixel
        and abs(reported.lon - asked.lon) <= pixel
    )


def undo_echo(now: ViewState, before: ViewState | None, applied: ViewState) -> ViewState | None:
    """The state to put back when the sidebar's values in `now` are those from `before` a stop
    change rather than the `applied` ones: a browser request that left before the change reached
    it sends the old values back. None when there is nothing to undo.

    Only values equal to the old ones count as echoes (a month for the date, as the slider
    has months); anything else the reader did on purpose.
    """
    if before is None:
        return None
    fixed = now
    if now.date != applied.date:
        old_month = None if before.date is None else month_of(before.date)
        now_month = None if now.date is None else month_of(now.date)
        new_month = None if applied.date is None else month_of(applied.date)
        if now_month == old_month and (now_month != new_month or now.date is None):
            fixed = fixed.with_(date=applied.date)
    if now.layers != applied.layers and now.layers == before.layers:
        fixed = fixed.with_(layers=applied.layers)
    return None if fixed == now else fixed


def progress_label(number: int, count: int) -> str:
    """'Stop 5 of 17'."""
    return f"Stop {number} of {count}"


def stop_html(stop: Stop, features: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The narrative panel: title, date, the places outlined on the map, text and sources."""
    names = [
        esc(features.loc[i, "name"]) if i in features.index else esc(i) for i in stop.feature_ids
    ]
    parts = [
        f'<div class="story-stop" data-stop="{stop.number}" data-stop-id="{esc(stop.id)}">',
        f'<p class="meta"><b>{esc(stop.date.label())}</b></p>',
        f"<h3>{esc(stop.title)}</h3>",
        f'<p class="narrative">{esc(stop.narrative)}</p>',
    ]
    if names:
        parts.append(f'<p class="places"><b>Outlined on the map:</b> {", ".join(names)}</p>')
    parts.append("<p><b>Sources</b></p>" + source_list(stop.sources, sources))
    parts.append("</div>")
    return "".join(parts)


def outline_group(features: gpd.GeoDataFrame, feature_ids: Iterable[str]) -> folium.FeatureGroup:
    """Non-interactive outlines of a stop's features (for the st_folium backend)."""
    return highlight_layer(features, tuple(feature_ids))


def stop_options(all_stops: Iterable[Stop]) -> Mapping[int, str]:
    """Stop number to '5. Title' for a chooser."""
    return {stop.number: f"{stop.number}. {stop.title}" for stop in all_stops}
