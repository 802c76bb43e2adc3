"""Which features and events a view shows: a feature at the dates it existed, in the chosen
period layers; the events of a feature."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from explorer.state import ViewState
from geodata.dates import overlaps, parse_optional


def visible_features(features: gpd.GeoDataFrame, state: ViewState) -> gpd.GeoDataFrame:
    """Features of the chosen period layers that existed at some day of the chosen date."""
    chosen = features[features["period"].isin(state.layers)]
    window = state.window()
    if window is None:
        return chosen
    keep = [
        overlaps(parse_optional(start), parse_optional(end), *window)
        for start, end in zip(chosen["start"], chosen["end"], strict=True)
    ]
    return chosen[keep]


def events_of(events: pd.DataFrame, feature_id: str) -> pd.DataFrame:
    """The events that happened at or concern a feature, in date order."""
    mask = events["feature_ids"].map(lambda ids: feature_id in ids)
    return events[mask].sort_values(["start_day", "id"])
