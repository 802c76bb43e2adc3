"""Rules the data must meet, each failure named by file, row or feature, and problem.

Every rule reports instead of raising, so one run lists all that is wrong with the data; the loader
refuses to load data with any problem (nothing is dropped silently).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geodata import schema
from geodata.dates import PartialDate, overlaps, parse_optional

# The zones that together partition Iran; ids are part of the share-link contract.
PARTITION_ZONES = ("soviet-zone", "british-zone", "central-zone")
IRAN_ID = "country-irn"
# Degrees of slack for "inside Iran": the border is simplified by about 1 km, and a port at the
# end of a route may sit a few km off the simplified coast.
INSIDE_TOLERANCE = {"zone": 0.01, "entity": 0.01, "route": 0.1}
# Overlap smaller than this many square degrees (about 1 km²) is grid rounding, not data.
AREA_TOLERANCE = 1e-4
GEOMETRY_TYPES = {
    "zone": ("Polygon", "MultiPolygon"),
    "entity": ("Polygon", "MultiPolygon"),
    "line": ("LineString", "MultiLineString"),
    "route": ("LineString", "MultiLineString"),
    "site": ("Point",),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where it is and what it is."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}"


class DataError(ValueError):
    """Raised by the loader when the data breaks any rule; lists every problem.

    The app catches this one type and shows `problems` (file, where, message) to the reader.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the data:\n{lines}")

    def rows(self) -> list[dict[str, str]]:
        """The problems as table rows (file, where, problem), for a page that lists them."""
        return [{"file": p.file, "where": p.where, "problem": p.message} for p in self.problems]


def read_text(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    """A data file's text, UTF-8 with or without a byte-order mark; otherwise a problem of that
    file (UTF-16, cp1252, binary), so a badly saved file is named instead of crashing the app."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(file, "file", f"cannot be read ({exc.strerror or exc})")]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, [Problem(file, "file", "is saved as UTF-16; save it as UTF-8")]
    if b"\x00" in data:
        return None, [Problem(file, "file", "is binary (it holds NUL bytes), not UTF-8 text")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        return None, [
            Problem(
                file,
                "file",
                f"is not UTF-8 (byte 0x{byte:02x} at offset {exc.start}; cp1252 or Latin-1?): "
                "save it as UTF-8",
            )
        ]


def read_table(path: Path, file: str) -> tuple[list[str], list[dict[str, str]], list[Problem]]:
    """Header, rows (dicts of stripped strings) and the problems of reading a CSV file.

    A file that cannot be decoded or parsed, has no header, repeats a column, or has a header
    but no rows is a problem; cells beyond the header are kept under `__extra__`.
    """
    text, problems = read_text(path, file)
    if text is None:
        return [], [], problems
    try:
        rows_read = csv.reader(io.StringIO(text, newline=""))
        records = [r for r in rows_read if any(cell.strip() for cell in r)]  # skip blank lines
    except csv.Error as exc:
        return [], [], [Problem(file, "file", f"cannot be read as CSV: {exc}")]
    if not records:
        return [], [], [Problem(file, "file", "is empty: no header and no rows")]
    header = [name.strip() for name in records[0]]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        problems.append(Problem(file, "header", f"column(s) named twice: {', '.join(repeated)}"))
    if len(records) == 1:
        problems.append(Problem(file, "file", "has a header but no rows"))
    rows = []
    for record in records[1:]:
        row = {
            name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)
        }
        if len(record) > len(header):
            row["__extra__"] = record[len(header) :]  # type: ignore[assignment]
        rows.append(row)
    return header, rows, problems


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file already checked by `read_table` ('' for empty cells)."""
    return read_table(path, path.name)[1]


def csv_header(path: Path) -> list[str]:
    """The header row of a CSV file."""
    return read_table(path, path.name)[0]


def read_geojson(path: Path, file: str | None = None) -> dict:
    """A GeoJSON FeatureCollection already checked by `read_collection`."""
    collection, _ = read_collection(path, file or path.name)
    return collection or {"type": "FeatureCollection", "features": []}


def read_collection(path: Path, file: str) -> tuple[dict | None, list[Problem]]:
    """A GeoJSON FeatureCollection whose every feature has an object of properties and a
    geometry object; otherwise None and the problems (bad encoding, bad JSON, wrong shape)."""
    text, problems = read_text(path, file)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem(file, "file", "is empty")]
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        return None, [Problem(file, where, f"is not valid JSON: {exc.msg}")]
    except RecursionError:
        return None, [Problem(file, "file", "is not valid JSON: nested too deeply")]
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        return None, [Problem(file, "file", "is not a GeoJSON FeatureCollection")]
    features = collection.get("features")
    if not isinstance(features, list):
        return None, [Problem(file, "file", "'features' is not a list")]
    if not features:
        return None, [Problem(file, "file", "has no features")]
    for number, feature in enumerate(features, start=1):
        where = f"feature #{number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(file, where, "is not a GeoJSON Feature"))
        elif not isinstance(feature.get("properties"), dict):
            problems.append(Problem(file, where, "has no object of properties"))
        elif not isinstance(feature.get("geometry"), dict):
            problems.append(Problem(file, where, "has no geometry object"))
    return (None if problems else collection), problems


def check_rows(
    rows: list[Mapping[str, object]],
    columns: Mapping[str, bool],
    file: str,
    *,
    header: Iterable[str] | None = None,
    label: str = "row",
    first_row: int = 2,
) -> list[Problem]:
    """Columns present, required cells filled, ids well formed and unique, enums and dates valid."""
    problems: list[Problem] = []
    if header is not None:
        missing = [c for c in columns if c not in header]
        if missing:
            return [Problem(file, "header", f"missing column(s): {', '.join(missing)}")]
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=first_row):
        ident = str(row.get("id") or "")
        where = f"{label} {number}" + (f" ({ident})" if ident else "")
        if row.get("__extra__"):
            problems.append(Problem(file, where, "more cells than columns (a comma not quoted?)"))
        for column, required in columns.items():
            if required and not str(row.get(column) or "").strip():
                problems.append(Problem(file, where, f"'{column}' is empty"))
        if "id" in columns and ident:
            if not schema.ID_PATTERN.match(ident):
                problems.append(
                    Problem(file, where, f"id {ident!r} must be lowercase words joined by '-'")
                )
            if ident in seen:
                problems.append(
                    Problem(file, where, f"id {ident!r} is used again (first at row {seen[ident]})")
                )
            seen.setdefault(ident, number)
        problems += _check_enums(row, file, where)
        problems += _check_dates(row, file, where)
    return problems


_ENUMS = {
    "kind": None,  # depends on the table, set by the caller through `enum_column`
    "period": schema.PERIODS,
    "certainty": schema.CERTAINTIES,
    "verdict": schema.VERDICTS,
}


def _check_enums(row: Mapping[str, object], file: str, where: str) -> list[Problem]:
    problems = []
    for column, allowed in _ENUMS.items():
        value = str(row.get(column) or "")
        if column == "kind":
            allowed = schema.SOURCE_KINDS if "url" in row else schema.KINDS
        if value and allowed and value not in allowed:
            problems.append(
                Problem(file, where, f"{column} {value!r} is not one of {', '.join(allowed)}")
            )
    return problems


def _check_dates(row: Mapping[str, object], file: str, where: str) -> list[Problem]:
    problems = []
    parsed: dict[str, PartialDate] = {}
    for column in ("start", "end", "date", "end_date", "accessed"):
        value = str(row.get(column) or "")
        if not value:
            continue
        try:
            parsed[column] = PartialDate.parse(value)
        except ValueError as exc:
            problems.append(Problem(file, where, f"{column}: {exc}"))
    for first, last in (("start", "end"), ("date", "end_date")):
        if (
            first in parsed
            and last in parsed
            and parsed[first].first_day() > parsed[last].last_day()
        ):
            problems.append(
                Problem(file, where, f"{first} {parsed[first]} is after {last} {parsed[last]}")
            )
    return problems


def check_references(
    rows: list[Mapping[str, object]],
    column: str,
    known: set[str],
    file: str,
    what: str,
    *,
    label: str = "row",
    first_row: int = 2,
) -> list[Problem]:
    """Every id listed in `column` is one of `known`."""
    problems = []
    for number, row in enumerate(rows, start=first_row):
        ident = str(row.get("id") or "")
        where = f"{label} {number}" + (f" ({ident})" if ident else "")
        for ref in schema.split_list(row.get(column)):
            if ref not in known:
                problems.append(Problem(file, where, f"{what} {ref!r} does not exist"))
    return problems


def check_geometries(collection: dict, file: str, kinds: bool = True) -> list[Problem]:
    """GeoJSON in EPSG:4326: valid geometries with coordinates in range and of the kind's type."""
    problems = []
    crs = collection.get("crs")
    if crs:
        name = str(crs.get("properties", {}).get("name", ""))
        if not name.endswith(("CRS84", "4326")):
            problems.append(Problem(file, "crs", f"{name!r} is not EPSG:4326 / CRS84"))
    for number, feature in enumerate(collection.get("features", []), start=1):
        props = feature.get("properties") or {}
        where = f"feature {props.get('id') or '#' + str(number)}"
        try:
            geom = shape(feature.get("geometry"))
        except Exception as exc:  # shapely raises several types for bad GeoJSON
            problems.append(Problem(file, where, f"geometry cannot be read: {exc}"))
            continue
        if geom.is_empty:
            problems.append(Problem(file, where, "geometry is empty"))
            continue
        if not geom.is_valid:
            from shapely.validation import explain_validity

            problems.append(Problem(file, where, f"invalid geometry: {explain_validity(geom)}"))
        minx, miny, maxx, maxy = geom.bounds
        if not all(math.isfinite(v) for v in geom.bounds) or (
            minx < -180 or maxx > 180 or miny < -90 or maxy > 90
        ):
            problems.append(
                Problem(
                    file, where, "coordinates outside longitude/latitude range (not EPSG:4326?)"
                )
            )
        if geom.geom_type in ("Polygon", "MultiPolygon") and not geom.equals_exact(
            shapely.orient_polygons(geom), 0
        ):
            problems.append(
                Problem(
                    file,
                    where,
                    "rings wind the wrong way: RFC 7946 wants exterior rings counter-clockwise "
                    "(run `python -m geodata build`)",
                )
            )
        kind = props.get("kind")
        if kinds and kind in GEOMETRY_TYPES and geom.geom_type not in GEOMETRY_TYPES[kind]:
            problems.append(
                Problem(file, where, f"a {kind} must be a {' or '.join(GEOMETRY_TYPES[kind])}")
            )
    return problems


def check_layout(
    geometries: Mapping[str, BaseGeometry],
    kinds: Mapping[str, str],
    iran: BaseGeometry | None,
    file: str,
) -> list[Problem]:
    """Zones partition Iran without overlap; republics do not overlap; all lie inside Iran."""
    problems = []
    zones = [z for z in PARTITION_ZONES if z in geometries]
    for missing in sorted(set(PARTITION_ZONES) - set(zones)):
        problems.append(Problem(file, f"feature {missing}", "required zone is missing"))
    entities = [i for i, k in kinds.items() if k == "entity" and i in geometries]
    for group in (zones, entities):
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                shared = geometries[first].intersection(geometries[second]).area
                if shared > AREA_TOLERANCE:
                    problems.append(
                        Problem(
                            file,
                            f"feature {first}",
                            f"overlaps {second} ({shared:.4f} square degrees)",
                        )
                    )
    if iran is None:
        problems.append(Problem(file, f"feature {IRAN_ID}", "Iran's border is missing"))
        return problems
    slack = {kind: iran.buffer(width) for kind, width in INSIDE_TOLERANCE.items()}
    for ident, kind in kinds.items():
        if kind in slack and ident in geometries and not slack[kind].contains(geometries[ident]):
            problems.append(Problem(file, f"feature {ident}", "lies partly outside Iran"))
    if len(zones) == len(PARTITION_ZONES):
        gap = iran.difference(unary_union([geometries[z] for z in zones])).area
        if gap > AREA_TOLERANCE * 100:
            problems.append(
                Problem(file, "zones", f"the three zones leave {gap:.4f} square degrees uncovered")
            )
    return problems


def parse_view_cell(text: str) -> tuple[float, float, int]:
    """A `lat,lon,zoom` cell as numbers; ValueError says what is wrong.

    The centre must lie in the map's region (`schema.REGION`), which also catches most swaps of
    latitude and longitude.
    """
    parts = [part.strip() for part in str(text).split(",")]
    if len(parts) != 3:
        raise ValueError("expected lat,lon,zoom")
    try:
        lat, lon, zoom = (float(part) for part in parts)
    except ValueError:
        raise ValueError("expected numbers as lat,lon,zoom") from None
    if not all(math.isfinite(v) for v in (lat, lon, zoom)):
        raise ValueError("expected finite numbers as lat,lon,zoom")
    if not (-85 <= lat <= 85 and -180 <= lon <= 180):
        raise ValueError("latitude or longitude out of range")
    west, south, east, north = schema.REGION
    if not (south <= lat <= north and west <= lon <= east):
        raise ValueError(
            f"centre is outside the map's region (lat {south} to {north}, lon {west} to {east}); "
            "are lat and lon swapped?"
        )
    if zoom != int(zoom) or not schema.MIN_ZOOM <= zoom <= schema.MAX_ZOOM:
        raise ValueError(f"zoom must be a whole number from {schema.MIN_ZOOM} to {schema.MAX_ZOOM}")
    return lat, lon, int(zoom)


def view_bounds(
    lat: float, lon: float, zoom: int, size: tuple[int, int] = schema.STORY_MAP_PX
) -> tuple[float, float, float, float]:
    """(west, south, east, north) that a Web Mercator map of `size` pixels shows at this view."""
    world = 256 * 2**zoom  # pixels for 360° of longitude at this zoom

    def y_of(latitude: float) -> float:
        phi = math.radians(latitude)
        return (1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2 * world

    def lat_of(y: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / world))))

    half_width = size[0] / 2 * 360 / world
    y = y_of(lat)
    return (
        lon - half_width,
        lat_of(min(world, y + size[1] / 2)),
        lon + half_width,
        lat_of(max(0.0, y - size[1] / 2)),
    )


def check_story(
    rows: list[Mapping[str, object]],
    features: Mapping[str, Mapping[str, object]],
    file: str,
    shapes: Mapping[str, BaseGeometry] | None = None,
) -> list[Problem]:
    """Story stops: numbered 1..n, a month on the map's time axis, known period layers, a
    valid view in the region, a short narrative, and outlined features that the stop's map
    really draws and its view shows (`shapes`, when the features could be read)."""
    problems: list[Problem] = []
    first_month = PartialDate.parse(schema.MAP_FIRST_MONTH).first_day()
    last_month = PartialDate.parse(schema.MAP_LAST_MONTH).last_day()
    orders: list[int] = []
    for number, row in enumerate(rows, start=2):
        ident = str(row.get("id") or "")
        where = f"row {number}" + (f" ({ident})" if ident else "")

        def problem(message: str, where: str = where) -> None:
            problems.append(Problem(file, where, message))

        order = str(row.get("order") or "")
        if order:
            if order.isascii() and order.isdecimal():
                orders.append(int(order))
            else:
                problem(f"order {order!r} is not a whole number")
        stop_date = _optional_date(row.get("date"))  # a bad date is reported by check_rows
        if stop_date is not None:
            if stop_date.month is None:
                problem("date needs a month (YYYY-MM or YYYY-MM-DD): the map's slider has months")
            elif stop_date.last_day() < first_month or stop_date.first_day() > last_month:
                problem(
                    f"date {stop_date} is outside the map's {schema.MAP_FIRST_MONTH} to "
                    f"{schema.MAP_LAST_MONTH}"
                )
        layers = schema.split_list(row.get("layers"))
        for layer in layers:
            if layer not in schema.PERIODS:
                problem(f"layer {layer!r} is not one of {', '.join(schema.PERIODS)}")
        view = None
        if row.get("view"):
            try:
                view = parse_view_cell(str(row["view"]))
            except ValueError as exc:
                problem(f"view {row['view']!r}: {exc}")
        if view is not None and shapes:
            box = shapely.box(*view_bounds(*view))
            width, height = schema.STORY_MAP_PX
            for ident_ref in schema.split_list(row.get("feature_ids")):
                if ident_ref in shapes and not box.intersects(shapes[ident_ref]):
                    problem(
                        f"view {row['view']!r} does not show feature {ident_ref!r} on a "
                        f"{width}×{height} px map; are lat and lon swapped?"
                    )
        words = len(str(row.get("narrative") or "").split())
        if words > schema.STORY_MAX_WORDS:
            problem(f"narrative has {words} words; keep it to {schema.STORY_MAX_WORDS}")
        for ident_ref in schema.split_list(row.get("feature_ids")):
            feature = features.get(ident_ref)
            if feature is None:
                continue  # reported by check_references
            if feature.get("period") not in layers:
                problem(
                    f"feature {ident_ref!r} is in the {feature.get('period')} layer, which "
                    "the stop does not show"
                )
            elif stop_date is not None and stop_date.month is not None:
                start = _optional_date(feature.get("start"))
                end = _optional_date(feature.get("end"))
                if not overlaps(start, end, stop_date.first_day(), stop_date.last_day()):
                    problem(f"feature {ident_ref!r} is not on the map at {stop_date}")
    if orders and sorted(orders) != list(range(1, len(rows) + 1)):
        problems.append(
            Problem(file, "order", f"stops must be numbered 1 to {len(rows)}, each once")
        )
    return problems


def _optional_date(value: object) -> PartialDate | None:
    try:
        return parse_optional(value)
    except ValueError:
        return None  # a malformed date is reported by check_rows


# Scripts a language's text must be written in (a cell with none of its letters is untranslated).
_SCRIPTS = {
    "fa": re.compile(r"[\u0600-\u06FF]"),
    "ckb": re.compile(r"[\u0600-\u06FF]"),
    "az": re.compile(r"[\u0600-\u06FF]"),
    "ru": re.compile(r"[\u0400-\u04FF]"),
}
# Arabic letters a Persian text should not use (Persian writes ی and ک): a sign of text typed on
# an Arabic keyboard, which a search still finds (explorer.i18n.fold) but a reader notices.
_NOT_PERSIAN = re.compile(r"[\u064A\u0643\u0649]")


def check_script(text: str, lang: str, file: str, where: str, column: str) -> list[Problem]:
    """A cell in `lang` is written in that language's script (and Persian in Persian letters)."""
    problems = []
    if text and not _SCRIPTS[lang].search(text):
        problems.append(Problem(file, where, f"'{column}' is not written in {lang} script"))
    if lang == "fa" and _NOT_PERSIAN.search(text):
        problems.append(Problem(file, where, f"'{column}' has Arabic ي/ك/ى where Persian has ی/ک"))
    return problems


def check_names(
    props: list[Mapping[str, object]],
    file: str,
    columns: Mapping[str, str] = schema.NAME_COLUMNS,
) -> list[Problem]:
    """A feature's names tagged by language are in that language's script."""
    problems = []
    for number, row in enumerate(props, start=1):
        where = f"feature {number} ({row.get('id')})"
        for column, lang in columns.items():
            problems += check_script(str(row.get(column) or ""), lang, file, where, column)
    return problems


def check_flags(rows: list[Mapping[str, object]], file: str) -> list[Problem]:
    """An event's `solar_hijri` flag is empty or 'yes'."""
    return [
        Problem(file, f"row {number} ({row.get('id')})", "solar_hijri must be empty or 'yes'")
        for number, row in enumerate(rows, start=2)
        if str(row.get("solar_hijri") or "") not in schema.SOLAR_HIJRI_VALUES
    ]


def check_translation(
    english: list[Mapping[str, object]],
    rows: list[Mapping[str, object]],
    columns: Mapping[str, bool],
    file: str,
    lang: str,
) -> list[Problem]:
    """A translation table has the English table's ids (in any order) and translates exactly
    the cells the English fills: none missing, none left in English, none extra."""
    problems = check_rows(rows, columns, file)
    by_id = {str(r.get("id")): r for r in english}
    ids = [str(r.get("id")) for r in rows]
    missing = [i for i in by_id if i not in ids]
    extra = [i for i in ids if i not in by_id]
    if missing:
        problems.append(Problem(file, "ids", f"no translation of {', '.join(missing)}"))
    if extra:
        problems.append(Problem(file, "ids", f"translates unknown id(s) {', '.join(extra)}"))
    for number, row in enumerate(rows, start=2):
        source = by_id.get(str(row.get("id")))
        if source is None:
            continue
        where = f"row {number} ({row.get('id')})"
        for column in columns:
            if column == "id":
                continue
            text, original = str(row.get(column) or "").strip(), str(source.get(column) or "")
            if original.strip() and not text:
                problems.append(Problem(file, where, f"'{column}' is not translated"))
            elif text and not original.strip():
                problems.append(Problem(file, where, f"'{column}' is filled but English is empty"))
            elif text and text == original.strip():
                problems.append(Problem(file, where, f"'{column}' is the English text"))
            else:
                problems += check_script(text, lang, file, where, column)
    return problems
