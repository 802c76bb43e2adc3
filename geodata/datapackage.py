"""A Frictionless Data Package (datapackage.json) describing geodata/data, made from schema.py.

Generated, never edited by hand, so the published description and the rules the validator applies
come from one place; a test checks that the committed file equals what this module makes now and
that the data passes it under the `frictionless` library.

Table Schema cannot express a foreign key on a list column (`events.sources`, `feature_ids`...):
those fields say so and name what they refer to under `x-list-references`; `python -m geodata
validate` checks them. The only single-valued references (`source` in inputs/lines.csv and
inputs/extents.csv) live outside geodata/data, where a package may not point (no `..` paths).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from geodata import schema
from geodata.loader import (
    CLAIMS_FILE,
    CONTEXT_FILE,
    DATA_DIR,
    EVENTS_FILE,
    FEATURES_FILE,
    SOURCES_FILE,
    STORY_FILE,
)

PACKAGE_FILE = "datapackage.json"
DATA_LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
PUBLIC_DOMAIN = {
    "path": "https://www.naturalearthdata.com/about/terms-of-use/",
    "title": "Public domain (Natural Earth)",
}
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
MONTH_OR_DAY = r"^\d{4}-\d{2}(-\d{2})?$"
NUMBER = r"-?\d+(\.\d+)?"

# What each column means, by name (a name means the same in every table, except `kind`).
DESCRIPTIONS = {
    "id": "Stable identifier: lowercase words joined by '-'; part of share links.",
    "date": "Partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD) at the precision the sources support.",
    "end_date": "Last day of an event that spans days, as a partial ISO date; empty if none.",
    "title": "Short title, in the project's own words.",
    "summary": "What happened, in the project's own words.",
    "date_note": "Where sources disagree on a date, or how it was inferred.",
    "period": "Period layer of the map.",
    "certainty": "How firmly the sources support it.",
    "publisher": "Who publishes the page.",
    "url": "The page itself (canonical, https), not a search or a mirror.",
    "accessed": "When the page was read, as a partial ISO date.",
    "licence": "The page's licence where known (e.g. public domain for US government works).",
    "claim": "A claim of the article the project started from, paraphrased.",
    "verdict": "What the sources say of the claim.",
    "explanation": "Why the verdict, in the project's own words.",
    "order": "Position of the stop in the tour, 1 to n.",
    "narrative": f"What the stop tells, at most {schema.STORY_MAX_WORDS} words.",
    "view": (
        "Map view as lat,lon,zoom: centre in the region "
        f"{schema.REGION} (west, south, east, north), zoom {schema.MIN_ZOOM} to {schema.MAX_ZOOM}."
    ),
    "name": "Name shown on the map.",
}
ENUMS: Mapping[str, tuple[str, ...]] = {
    "period": schema.PERIODS,
    "certainty": schema.CERTAINTIES,
    "verdict": schema.VERDICTS,
}
# List columns: ";"-separated, and what each item is.
LIST_ITEMS = {
    "sources": ("an id in sources.csv", {"resource": "sources", "fields": "id"}),
    "feature_ids": (
        "the id of a feature in features.geojson",
        {"resource": "features", "fields": "properties.id"},
    ),
    "layers": (f"a period layer: one of {', '.join(schema.PERIODS)}", None),
    "aliases": ("another name or spelling", None),
}
TABLES = (
    (SOURCES_FILE, schema.SOURCE_COLUMNS, "The bibliography: one row per page cited."),
    (EVENTS_FILE, schema.EVENT_COLUMNS, "The chronology, 1941–2025, each event sourced."),
    (CLAIMS_FILE, schema.CLAIM_COLUMNS, "Claims of the article the project grew from, judged."),
    (STORY_FILE, schema.STORY_COLUMNS, "The guided tour: one row per stop."),
)


def _field(name: str, required: bool, table: str) -> dict:
    """The Table Schema field of one column."""
    field: dict = {"name": name, "type": "string"}
    constraints: dict = {"required": True} if required else {}
    description = DESCRIPTIONS.get(name, "")
    if name == "id":
        constraints |= {"unique": True, "pattern": schema.ID_PATTERN.pattern}
    elif name in ("date", "end_date", "accessed"):
        pattern = MONTH_OR_DAY if table == STORY_FILE and name == "date" else PARTIAL_DATE
        constraints["pattern"] = pattern
        if table == STORY_FILE and name == "date":
            description = (
                f"Month or day the map shows, from {schema.MAP_FIRST_MONTH} to "
                f"{schema.MAP_LAST_MONTH}."
            )
    elif name == "kind":
        constraints["enum"] = list(schema.SOURCE_KINDS)
        description = "What kind of source the page is."
    elif name in ENUMS:
        constraints["enum"] = list(ENUMS[name])
    elif name == "url":
        field["format"] = "uri"
        constraints["pattern"] = r"https://\S+"  # Table Schema patterns match the whole value
    elif name == "order":
        field["type"] = "integer"
        constraints |= {"unique": True, "minimum": 1}
    elif name == "view":
        constraints["pattern"] = f"^{NUMBER},{NUMBER},\\d+$"
    if name in LIST_ITEMS:
        item, target = LIST_ITEMS[name]
        field |= {"type": "list", "delimiter": ";", "itemType": "string"}
        description = f"';'-separated list; each item is {item}."
        if target:
            description += (
                " Table Schema cannot declare a foreign key on a list column, so "
                "`python -m geodata validate` checks these references."
            )
            field["x-list-references"] = target
    if description:
        field["description"] = description
    if constraints:
        field["constraints"] = constraints
    return field


def _table(path: str, columns: Mapping[str, bool], description: str) -> dict:
    return {
        "name": path.removesuffix(".csv"),
        "path": path,
        "type": "table",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": description,
        "licenses": [DATA_LICENCE],
        "schema": {
            "fields": [_field(name, required, path) for name, required in columns.items()],
            "primaryKey": ["id"],
            "missingValues": [""],
        },
    }


def _geojson(path: str, description: str, licences: list[dict]) -> dict:
    return {
        "name": path.removesuffix(".geojson"),
        "path": path,
        "type": "file",
        "format": "geojson",
        "mediatype": "application/geo+json",
        "encoding": "utf-8",
        "description": description,
        "licenses": licences,
    }


def datapackage() -> dict:
    """The package descriptor: every file of geodata/data, its fields, keys and licences."""
    feature_props = ", ".join(schema.FEATURE_PROPERTIES)
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "stalins-shadow",
        "title": "Stalin's Shadow: a map of Russia–Iran history, 1941–2025",
        "description": (
            "Dated, sourced events, map layers, claims and a guided tour on the Anglo-Soviet "
            "occupation of Iran, the 1945–46 Azerbaijan and Mahabad governments, the 1946 "
            "crisis and Russia–Iran ties to 2025. Generated from geodata/schema.py by "
            "`python -m geodata datapackage`; do not edit by hand."
        ),
        "version": "0.1.0",
        "licenses": [DATA_LICENCE],
        "contributors": [{"title": "Stalin's Shadow contributors", "role": "author"}],
        "sources": [
            {
                "title": "Natural Earth 1:10m Admin 0 countries (public domain)",
                "path": "https://www.naturalearthdata.com/",
            },
            {
                "title": "The pages listed in sources.csv, cited row by row",
                "path": SOURCES_FILE,
            },
        ],
        "keywords": ["Iran", "Soviet Union", "Russia", "1946 Iran crisis", "historical GIS"],
        "resources": [
            *(_table(path, columns, text) for path, columns, text in TABLES),
            _geojson(
                FEATURES_FILE,
                "Map features (zones, lines, republics, the railway, sites) in EPSG:4326, "
                f"derived from geodata/inputs; properties: {feature_props}.",
                [DATA_LICENCE, PUBLIC_DOMAIN],
            ),
            _geojson(
                CONTEXT_FILE,
                "The basemap: Iran and its neighbours from Natural Earth, simplified together "
                f"as one coverage; properties: {', '.join(schema.CONTEXT_PROPERTIES)}.",
                [PUBLIC_DOMAIN],
            ),
        ],
    }


def datapackage_text() -> str:
    """The descriptor as committed: indented JSON, one trailing newline."""
    return json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n"


def write_datapackage(data_dir: Path = DATA_DIR) -> Path:
    """Write datapackage.json beside the data; return its path."""
    path = data_dir / PACKAGE_FILE
    path.write_text(datapackage_text(), encoding="utf-8")
    return path
