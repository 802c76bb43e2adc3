"""Load the historical layers, events, sources, claims and story, validated, as (Geo)DataFrames.

The files under geodata/data are the product's whole knowledge. `load_dataset` checks every rule
of `geodata.validate` first and refuses data with any problem, naming each one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
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
    check_flags,
    check_geometries,
    check_layout,
    check_names,
    check_references,
    check_rows,
    check_story,
    check_translation,
    read_collection,
    read_csv,
    read_geojson,
    read_table,
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
# The CSV tables and the columns each must have, in the order they are checked.
TABLES = {
    SOURCES_FILE: schema.SOURCE_COLUMNS,
    EVENTS_FILE: schema.EVENT_COLUMNS,
    CLAIMS_FILE: schema.CLAIM_COLUMNS,
    STORY_FILE: schema.STORY_COLUMNS,
}
DATA_FILES = (FEATURES_FILE, CONTEXT_FILE, *TABLES)


@dataclass(frozen=True)
class Dataset:
    """Everything the product shows. Frames are indexed by id and must not be mutated."""

    features: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    events: pd.DataFrame
    sources: pd.DataFrame
    claims: pd.DataFrame
    story: pd.DataFrame  # the guided tour's stops, in order
    # lang -> table file -> the translated columns, indexed by id (English has none)
    translations: Mapping[str, Mapping[str, pd.DataFrame]] = field(default_factory=dict)

    def localised(self, lang: str) -> Dataset:
        """The same data with its text in `lang` (names, titles, summaries, narratives, claims);
        ids, dates, geometries, sources and every language's names for search are unchanged.
        The English text stays beside it in `<column>_en` columns."""
        tables = self.translations.get(lang)
        if not tables:
            return self

        def swap(frame: pd.DataFrame, file: str) -> pd.DataFrame:
            translated = tables[file]
            frame = frame.copy()
            for column in translated.columns:
                if column == "id":
                    continue
                frame[f"{column}_en"] = frame[column]
                frame[column] = translated[column].reindex(frame.index).fillna("")
            return frame

        context = self.context.copy()
        column = f"name_{lang}"
        if column in context:
            context["name"] = context[column].where(context[column].astype(bool), context["name"])
        return replace(
            self,
            context=context,
            features=swap(self.features, "features.csv"),
            events=swap(self.events, EVENTS_FILE),
            story=swap(self.story, STORY_FILE),
            claims=swap(self.claims, CLAIMS_FILE),
        )


def validate_dir(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Every problem with the files in `data_dir` (an empty list when the data is sound).

    Never raises for bad data: a file that cannot be read is a problem of that file, and an
    unexpected error in a check is reported as a problem rather than a traceback.
    """
    try:
        return _problems(Path(data_dir))
    except Exception as exc:  # a last resort: the rules above should name every fault
        return [
            Problem("(validator)", "check", f"failed unexpectedly: {type(exc).__name__}: {exc}")
        ]


def _problems(data_dir: Path) -> list[Problem]:
    problems: list[Problem] = []
    paths = {name: data_dir / name for name in DATA_FILES}
    for name, path in paths.items():
        if not path.is_file():
            problems.append(Problem(name, "file", f"missing ({path})"))
    if problems:
        return problems

    tables: dict[str, list[dict[str, str]]] = {}
    unreadable: set[str] = set()
    for name, columns in TABLES.items():
        header, rows, read_problems = read_table(paths[name], name)
        problems += read_problems
        if not header:
            unreadable.add(name)
            continue
        problems += check_rows(rows, columns, name, header=header)
        tables[name] = rows
    collections: dict[str, dict] = {}
    for name in (FEATURES_FILE, CONTEXT_FILE):
        collection, read_problems = read_collection(paths[name], name)
        problems += read_problems
        if collection is None:
            unreadable.add(name)
        else:
            collections[name] = collection

    sources = tables.get(SOURCES_FILE, [])
    for number, row in enumerate(sources, start=2):
        if row.get("url") and not str(row["url"]).startswith("https://"):
            problems.append(
                Problem(SOURCES_FILE, f"row {number} ({row.get('id')})", "url must be https://")
            )
    # References are checked only against a file that could be read (else every row would fail).
    source_ids = None if SOURCES_FILE in unreadable else {r["id"] for r in sources if r.get("id")}

    props: list[dict] = []
    if FEATURES_FILE in collections:
        collection = collections[FEATURES_FILE]
        problems += check_geometries(collection, FEATURES_FILE)
        props = [f["properties"] for f in collection["features"]]
        problems += check_rows(
            props, schema.FEATURE_COLUMNS, FEATURES_FILE, label="feature", first_row=1
        )
        problems += check_names(props, FEATURES_FILE)
        if source_ids is not None:
            problems += check_references(
                props, "sources", source_ids, FEATURES_FILE, "source", label="feature", first_row=1
            )

    context_props: list[dict] = []
    if CONTEXT_FILE in collections:
        context = collections[CONTEXT_FILE]
        problems += check_geometries(context, CONTEXT_FILE, kinds=False)
        context_props = [f["properties"] for f in context["features"]]
        problems += check_rows(
            context_props,
            dict.fromkeys(schema.CONTEXT_PROPERTIES, True),
            CONTEXT_FILE,
            label="feature",
            first_row=1,
        )
        problems += check_names(context_props, CONTEXT_FILE, schema.CONTEXT_NAME_COLUMNS)
    feature_ids = [str(p.get("id")) for p in props if p.get("id")]
    for ident in sorted(set(feature_ids) & {str(p.get("id")) for p in context_props}):
        problems.append(
            Problem(CONTEXT_FILE, f"feature {ident}", f"id is also used in {FEATURES_FILE}")
        )

    known_features = None if FEATURES_FILE in unreadable else set(feature_ids)
    for name, rows in tables.items():
        if name == SOURCES_FILE:
            continue
        if source_ids is not None:
            problems += check_references(rows, "sources", source_ids, name, "source")
        if "feature_ids" in TABLES[name] and known_features is not None:
            problems += check_references(rows, "feature_ids", known_features, name, "feature")
    features_ok = FEATURES_FILE in collections and not any(
        p.file == FEATURES_FILE for p in problems
    )
    if STORY_FILE in tables:
        features = collections[FEATURES_FILE]["features"] if features_ok else []
        shapes = {f["properties"]["id"]: shape(f["geometry"]) for f in features}
        problems += check_story(
            tables[STORY_FILE], {str(p.get("id")): p for p in props}, STORY_FILE, shapes
        )

    if EVENTS_FILE in tables:
        problems += check_flags(tables[EVENTS_FILE], EVENTS_FILE)
    english: dict[str, list[dict]] = dict(tables)
    if FEATURES_FILE in collections:
        english["features.csv"] = props
    problems += _translation_problems(data_dir, english)

    context_ok = CONTEXT_FILE in collections and not any(p.file == CONTEXT_FILE for p in problems)
    if features_ok and context_ok:
        collection, context = collections[FEATURES_FILE], collections[CONTEXT_FILE]
        geometries = {f["properties"]["id"]: shape(f["geometry"]) for f in collection["features"]}
        kinds = {p["id"]: p["kind"] for p in props}
        iran = next(
            (shape(f["geometry"]) for f in context["features"] if f["properties"]["id"] == IRAN_ID),
            None,
        )
        problems += check_layout(geometries, kinds, iran, FEATURES_FILE)
    return problems


def translation_path(data_dir: Path, lang: str, file: str) -> Path:
    """Where the `lang` translation of a table lives."""
    return data_dir / schema.I18N_DIR / lang / file


def _translation_problems(data_dir: Path, english: Mapping[str, list[dict]]) -> list[Problem]:
    """Every translation file present, readable and complete against its English table."""
    problems: list[Problem] = []
    for lang in schema.TRANSLATED:
        for file, columns in schema.TRANSLATION_COLUMNS.items():
            name = f"{schema.I18N_DIR}/{lang}/{file}"
            path = translation_path(data_dir, lang, file)
            if not path.is_file():
                problems.append(Problem(name, "file", f"missing ({path})"))
                continue
            header, rows, read_problems = read_table(path, name)
            problems += read_problems
            if not header:
                continue
            missing = [c for c in columns if c not in header]
            if missing:
                problems.append(Problem(name, "header", f"missing column(s): {', '.join(missing)}"))
                continue
            if file in english:
                problems += check_translation(english[file], rows, columns, name, lang)
    return problems


def load_dataset(data_dir: Path = DATA_DIR) -> Dataset:
    """Validate and load the data; raise DataError listing every problem if any rule fails.

    DataError is the only exception bad data raises: its `problems` name file, row and rule.
    """
    problems = validate_dir(data_dir)
    if problems:
        raise DataError(problems)
    try:
        return _load(Path(data_dir))
    except Exception as exc:  # validated data should load; if not, still one calm error
        raise DataError(
            [Problem("(loader)", "load", f"failed unexpectedly: {type(exc).__name__}: {exc}")]
        ) from exc


def _load(data_dir: Path) -> Dataset:
    features = _frame_from_geojson(read_geojson(data_dir / FEATURES_FILE))
    context = _frame_from_geojson(read_geojson(data_dir / CONTEXT_FILE))
    events = _frame(read_csv(data_dir / EVENTS_FILE))
    events["start_day"] = events["date"].map(lambda v: parse_optional(v).first_day())
    events["end_day"] = [
        (parse_optional(end) or parse_optional(start)).last_day()
        for start, end in zip(events["date"], events["end_date"], strict=True)
    ]
    events = events.sort_values(["start_day", "id"])
    translations = {
        lang: {
            file: _frame(read_csv(translation_path(data_dir, lang, file)))
            for file in schema.TRANSLATION_COLUMNS
        }
        for lang in schema.TRANSLATED
    }
    features["all_names"] = _all_names(features, translations)
    events["all_titles"] = [
        tuple(
            dict.fromkeys(
                [title]
                + [str(t[EVENTS_FILE]["title"].get(ident, "")) for t in translations.values()]
            )
        )
        for ident, title in zip(events.index, events["title"], strict=True)
    ]
    return Dataset(
        features=features,
        context=context,
        events=events,
        sources=_frame(read_csv(data_dir / SOURCES_FILE)),
        claims=_frame(read_csv(data_dir / CLAIMS_FILE)),
        story=_story_frame(read_csv(data_dir / STORY_FILE)),
        translations=translations,
    )


def _all_names(
    features: pd.DataFrame, translations: Mapping[str, Mapping[str, pd.DataFrame]]
) -> list[tuple[str, ...]]:
    """Every name of each feature, in every language and script, for search: the English name,
    the aliases, the names tagged by language and the translated names."""
    names = []
    for ident, row in features.iterrows():
        found = [str(row["name"]), *row.get("aliases", ())]
        found += [str(row.get(column) or "") for column in schema.NAME_COLUMNS]
        found += [
            str(tables["features.csv"]["name"].get(ident, "")) for tables in translations.values()
        ]
        names.append(tuple(dict.fromkeys(name for name in found if name)))
    return names


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
