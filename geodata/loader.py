"""Load the historical layers, events, sources, claims and story, validated, as (Geo)DataFrames.

The files under geodata/data are the product's whole knowledge. `load_dataset` checks every rule
of `geodata.validate` first and refuses data with any problem, naming each one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import shape

from geodata import schema
from geodata.dates import parse_optional
from geodata.validate import (
    IRAN_ID,
    DataError,
    Problem,
    check_geometries,
    check_layout,
    check_references,
    check_rows,
    check_story,
    csv_header,
    read_csv,
    read_geojson,
)

# The shipped data; STALINS_SHADOW_DATA points the app at another copy (the tests use broken ones).
DATA_DIR = Path(os.environ.get("STALINS_SHADOW_DATA") or Path(__file__).parent / "data")
FEATURES_FILE = "features.geojson"
CONTEXT_FILE = "context.geojson"
EVENTS_FILE = "events.csv"
SOURCES_FILE = "sources.csv"
CLAIMS_FILE = "claims.csv"
STORY_FILE = "story.csv"
CRS = "EPSG:4326"


@dataclass(frozen=True)
class Dataset:
    """Everything the product shows. Frames are indexed by id and must not be mutated."""

    features: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    events: pd.DataFrame
    sources: pd.DataFrame
    claims: pd.DataFrame
    story: pd.DataFrame  # the guided tour's stops, in order


def validate_dir(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Every problem with the files in `data_dir` (an empty list when the data is sound)."""
    problems: list[Problem] = []
    paths = {
        name: data_dir / name
        for name in (
            FEATURES_FILE,
            CONTEXT_FILE,
            EVENTS_FILE,
            SOURCES_FILE,
            CLAIMS_FILE,
            STORY_FILE,
        )
    }
    for name, path in paths.items():
        if not path.exists():
            problems.append(Problem(name, "file", f"missing ({path})"))
    if problems:
        return problems

    sources = read_csv(paths[SOURCES_FILE])
    problems += check_rows(
        sources, schema.SOURCE_COLUMNS, SOURCES_FILE, header=csv_header(paths[SOURCES_FILE])
    )
    for number, row in enumerate(sources, start=2):
        if row.get("url") and not str(row["url"]).startswith("https://"):
            problems.append(
                Problem(SOURCES_FILE, f"row {number} ({row.get('id')})", "url must be https://")
            )
    source_ids = {row["id"] for row in sources if row.get("id")}

    collection = read_geojson(paths[FEATURES_FILE])
    problems += check_geometries(collection, FEATURES_FILE)
    props = [f.get("properties") or {} for f in collection.get("features", [])]
    problems += check_rows(
        props, schema.FEATURE_COLUMNS, FEATURES_FILE, label="feature", first_row=1
    )
    problems += check_references(
        props, "sources", source_ids, FEATURES_FILE, "source", label="feature", first_row=1
    )

    context = read_geojson(paths[CONTEXT_FILE])
    problems += check_geometries(context, CONTEXT_FILE, kinds=False)
    context_props = [f.get("properties") or {} for f in context.get("features", [])]
    problems += check_rows(
        context_props,
        dict.fromkeys(schema.CONTEXT_PROPERTIES, True),
        CONTEXT_FILE,
        label="feature",
        first_row=1,
    )
    feature_ids = [p.get("id") for p in props]
    for ident in set(feature_ids) & {p.get("id") for p in context_props}:
        problems.append(
            Problem(CONTEXT_FILE, f"feature {ident}", f"id is also used in {FEATURES_FILE}")
        )

    known_features = set(filter(None, feature_ids))
    tables: dict[str, list[dict[str, str]]] = {}
    for name, columns in (
        (EVENTS_FILE, schema.EVENT_COLUMNS),
        (CLAIMS_FILE, schema.CLAIM_COLUMNS),
        (STORY_FILE, schema.STORY_COLUMNS),
    ):
        rows = tables[name] = read_csv(paths[name])
        problems += check_rows(rows, columns, name, header=csv_header(paths[name]))
        problems += check_references(rows, "sources", source_ids, name, "source")
        if "feature_ids" in columns:
            problems += check_references(rows, "feature_ids", known_features, name, "feature")
    story = tables[STORY_FILE]
    problems += check_story(story, {str(p.get("id")): p for p in props}, STORY_FILE)

    if not any(p.file in (FEATURES_FILE, CONTEXT_FILE) for p in problems):
        geometries = {f["properties"]["id"]: shape(f["geometry"]) for f in collection["features"]}
        kinds = {p["id"]: p["kind"] for p in props}
        iran = next(
            (shape(f["geometry"]) for f in context["features"] if f["properties"]["id"] == IRAN_ID),
            None,
        )
        problems += check_layout(geometries, kinds, iran, FEATURES_FILE)
    return problems


def load_dataset(data_dir: Path = DATA_DIR) -> Dataset:
    """Validate and load the data; raise DataError listing every problem if any rule fails."""
    problems = validate_dir(data_dir)
    if problems:
        raise DataError(problems)

    features = _frame_from_geojson(read_geojson(data_dir / FEATURES_FILE))
    context = _frame_from_geojson(read_geojson(data_dir / CONTEXT_FILE))
    events = _frame(read_csv(data_dir / EVENTS_FILE))
    events["start_day"] = events["date"].map(lambda v: parse_optional(v).first_day())
    events["end_day"] = [
        (parse_optional(end) or parse_optional(start)).last_day()
        for start, end in zip(events["date"], events["end_date"], strict=True)
    ]
    events = events.sort_values(["start_day", "id"])
    return Dataset(
        features=features,
        context=context,
        events=events,
        sources=_frame(read_csv(data_dir / SOURCES_FILE)),
        claims=_frame(read_csv(data_dir / CLAIMS_FILE)),
        story=_story_frame(read_csv(data_dir / STORY_FILE)),
    )


def _frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in schema.LIST_COLUMNS:
        if column in frame:
            frame[column] = frame[column].map(schema.split_list)
    return frame.set_index("id", drop=False).rename_axis(None)


def _story_frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    story = _frame(rows)
    story["order"] = story["order"].astype(int)
    return story.sort_values("order")


def _frame_from_geojson(collection: dict) -> gpd.GeoDataFrame:
    rows = []
    for feature in collection["features"]:
        props = dict(feature["properties"])
        for column in schema.LIST_COLUMNS:
            if column in props and not isinstance(props[column], list | tuple):
                props[column] = schema.split_list(props[column])
            elif column in props:
                props[column] = tuple(props[column])
        props["geometry"] = shape(feature["geometry"])
        rows.append(props)
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    return frame.set_index("id", drop=False).rename_axis(None)
