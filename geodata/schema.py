"""What the data files must contain: columns, allowed values and id formats.

Kept in one place so the loader, the validator, the build script and the README agree.
"""

from __future__ import annotations

import re

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

KINDS = ("zone", "entity", "line", "route", "site")
PERIODS = ("occupation", "crisis", "modern")
CERTAINTIES = ("documented", "approximate", "disputed")
SOURCE_KINDS = ("primary", "reference", "news", "scholarship", "data")
VERDICTS = ("supported", "imprecise", "unverified", "unsupported", "opinion")

# The languages of the product: English is the source; the others are translations kept beside
# it, one file per table and language (data/i18n/<lang>/<table>.csv), checked by the validator.
LANGUAGES = ("en", "fa", "ru")
TRANSLATED = ("fa", "ru")
I18N_DIR = "i18n"
# Per table, the columns a translation file has: True = required, False = filled exactly where
# the English is filled. The ids are the English table's.
TRANSLATION_COLUMNS = {
    "features.csv": {
        "id": True,
        "name": True,
        "summary": True,
        "date_note": False,
        "derivation": False,
    },
    "events.csv": {"id": True, "title": True, "summary": True, "date_note": False},
    "story.csv": {"id": True, "title": True, "narrative": True},
    "claims.csv": {"id": True, "claim": True, "explanation": True},
}
# A feature's own names by language (ISO 639): Persian, Central Kurdish (Sorani), Azerbaijani
# (in the Arabic script used in Iran) and Russian; `aliases` keeps the other spellings.
NAME_COLUMNS = {"name_fa": "fa", "name_ckb": "ckb", "name_az": "az", "name_ru": "ru"}
# Values of an event's `solar_hijri` flag: "yes" when Iranian sources date it in the Solar Hijri
# calendar (the app then shows that date beside the Gregorian in every language).
SOLAR_HIJRI_VALUES = ("", "yes")

PERIOD_LABELS = {
    "occupation": "Occupation 1941–45",
    "crisis": "Crisis 1945–47",
    "modern": "Later ties 1947–2025",
}

# Columns every row must fill (True) or may leave empty (False), in file order.
FEATURE_COLUMNS = {
    "id": True,
    "name": True,
    "aliases": False,
    "name_fa": False,
    "name_ckb": False,
    "name_az": False,
    "name_ru": False,
    "kind": True,
    "period": True,
    "start": False,
    "end": False,
    "certainty": True,
    "summary": True,
    "date_note": False,
    "sources": True,
}
SITE_COLUMNS = {"lat": False, "lon": False}
EVENT_COLUMNS = {
    "id": True,
    "date": True,
    "end_date": False,
    "title": True,
    "summary": True,
    "date_note": False,
    "feature_ids": True,
    "period": True,
    "certainty": True,
    "sources": True,
    "solar_hijri": False,
}
SOURCE_COLUMNS = {
    "id": True,
    "title": True,
    "publisher": True,
    "url": True,
    "accessed": True,
    "kind": True,
    "licence": False,
}
CLAIM_COLUMNS = {
    "id": True,
    "claim": True,
    "verdict": True,
    "explanation": True,
    "sources": True,
}
# A guided-tour stop: what the map shows (date, period layers, outlined features, view) and a
# short narrative in the project's own words, with its sources.
STORY_COLUMNS = {
    "id": True,
    "order": True,
    "title": True,
    "narrative": True,
    "date": True,
    "layers": True,
    "feature_ids": False,
    "view": True,
    "sources": True,
}
# The months the map covers and its zoom range (explorer.state uses the same; a test checks it).
MAP_FIRST_MONTH = "1941-08"
MAP_LAST_MONTH = "2025-12"
MIN_ZOOM, MAX_ZOOM = 2, 12
# The region the map is about, (west, south, east, north) in degrees: the basemap's extent, from
# Europe to Central Asia. A story view must be centred in it and show the places it outlines on a
# map of STORY_MAP_PX pixels (the story page's map), which catches swapped latitude and longitude.
REGION = (-12.0, 12.0, 80.0, 62.0)
STORY_MAP_PX = (800, 540)
# A stop's narrative is read beside the map: keep it short.
STORY_MAX_WORDS = 130

LINE_COLUMNS = {
    "line_id": True,
    "seq": True,
    "place": True,
    "lat": True,
    "lon": True,
    "role": True,
    "source": False,
    "note": False,
}
EXTENT_COLUMNS = {
    "entity_id": True,
    "place": True,
    "lat": True,
    "lon": True,
    "role": True,
    "source": True,
    "note": False,
}

# Columns holding ";"-separated lists.
LIST_COLUMNS = ("aliases", "sources", "feature_ids", "layers")

# Fields of a feature carried in the GeoJSON properties, in order.
FEATURE_PROPERTIES = (
    "id",
    "name",
    "aliases",
    "name_fa",
    "name_ckb",
    "name_az",
    "name_ru",
    "kind",
    "period",
    "start",
    "end",
    "certainty",
    "summary",
    "date_note",
    "sources",
    "derivation",
)

CONTEXT_PROPERTIES = ("id", "name", "iso_a3")
# The basemap's country names in the other languages (Natural Earth's), optional per country.
CONTEXT_NAME_COLUMNS = {"name_fa": "fa", "name_ru": "ru"}


def split_list(cell: object) -> tuple[str, ...]:
    """Split a ';'-separated cell into its trimmed, non-empty items."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ()
    if isinstance(cell, list | tuple):
        return tuple(str(item).strip() for item in cell if str(item).strip())
    return tuple(item.strip() for item in str(cell).split(";") if item.strip())
