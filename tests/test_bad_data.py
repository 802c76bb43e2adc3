"""Bad data fails safe: every data file corrupted many ways gives a named problem, never a
traceback, and the loader raises DataError and nothing else."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from geodata import DataError, load_dataset
from geodata.build import INPUTS_DIR, read_inputs
from geodata.loader import DATA_DIR, DATA_FILES, validate_dir

CSV_FILES = ("events.csv", "sources.csv", "claims.csv", "story.csv")
GEOJSON_FILES = ("features.geojson", "context.geojson")
INPUT_FILES = ("features.csv", "lines.csv", "extents.csv")

Corrupt = Callable[[Path], None]


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _lines(path: Path) -> list[str]:
    return _text(path).splitlines()


def _write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def utf16(path: Path) -> None:
    path.write_bytes(_text(path).encode("utf-16"))


def cp1252(path: Path) -> None:
    # "é" is one byte in cp1252 and never valid UTF-8 on its own.
    path.write_bytes(_text(path).replace("\n", " é\n", 1).encode("cp1252", errors="replace"))


def binary(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04\x00\x00\x08\x00" + bytes(range(256)))


def empty(path: Path) -> None:
    path.write_bytes(b"")


def blank(path: Path) -> None:
    path.write_text("\n \n\n", encoding="utf-8")


def header_only(path: Path) -> None:
    _write_lines(path, _lines(path)[:1])


def drop_first_column(path: Path) -> None:
    _write_lines(path, [line.split(",", 1)[1] for line in _lines(path)[:2]])


def extra_cells(path: Path) -> None:
    lines = _lines(path)
    _write_lines(path, [lines[0], lines[1] + ",surplus,cells", *lines[2:]])


def repeated_column(path: Path) -> None:
    lines = _lines(path)
    first = lines[0].split(",")[0]
    _write_lines(path, [lines[0] + "," + first, *(line + ",x" for line in lines[1:])])


def first_cell_emptied(path: Path) -> None:
    lines = _lines(path)
    _write_lines(path, [lines[0], "," + lines[1].split(",", 1)[1], *lines[2:]])


def missing(path: Path) -> None:
    path.unlink()


# Corruptions of any CSV file, with the problem each must produce (a substring of its message).
CSV_CORRUPTIONS: dict[str, tuple[Corrupt, str]] = {
    "utf-16": (utf16, "is saved as UTF-16"),
    "cp1252": (cp1252, "is not UTF-8"),
    "binary": (binary, "is binary"),
    "empty": (empty, "is empty"),
    "blank lines only": (blank, "is empty"),
    "header only": (header_only, "has a header but no rows"),
    "first column dropped": (drop_first_column, "missing column(s)"),
    "more cells than columns": (extra_cells, "more cells than columns"),
    "column named twice": (repeated_column, "named twice"),
    "first cell emptied": (first_cell_emptied, "is empty"),
    "file missing": (missing, "missing"),
}


def _copy(tmp_path: Path, source: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(source, target)
    return target


def _assert_named(problems: list, file: str, message: str) -> None:
    assert not [p for p in problems if p.file.startswith("(")], [str(p) for p in problems]
    hits = [p for p in problems if p.file == file and message in p.message]
    assert hits, f"expected {message!r} in {file}, got {[str(p) for p in problems]}"


@pytest.mark.parametrize("corruption", CSV_CORRUPTIONS)
@pytest.mark.parametrize("name", CSV_FILES)
def test_corrupt_table_is_named(tmp_path, name, corruption):
    data = _copy(tmp_path, DATA_DIR, "data")
    change, message = CSV_CORRUPTIONS[corruption]
    change(data / name)
    _assert_named(validate_dir(data), name, message)
    with pytest.raises(DataError) as info:
        load_dataset(data)
    assert any(p.file == name for p in info.value.problems)


def feature_edit(edit: Callable[[dict], None]) -> Corrupt:
    def change(path: Path) -> None:
        collection = json.loads(_text(path))
        edit(collection)
        path.write_text(json.dumps(collection), encoding="utf-8")

    return change


def truncated(path: Path) -> None:
    text = _text(path)
    path.write_text(text[: len(text) // 2], encoding="utf-8")


def clockwise(collection: dict) -> None:
    for feature in collection["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "MultiPolygon":
            geometry["coordinates"] = [
                [ring[::-1] for ring in polygon] for polygon in geometry["coordinates"]
            ]
            return


def _first(collection: dict) -> dict:
    return collection["features"][0]


GEOJSON_CORRUPTIONS: dict[str, tuple[Corrupt, str]] = {
    "utf-16": (utf16, "is saved as UTF-16"),
    "cp1252": (cp1252, "is not UTF-8"),
    "binary": (binary, "is binary"),
    "empty": (empty, "is empty"),
    "truncated JSON": (truncated, "is not valid JSON"),
    "a list, not a collection": (
        lambda p: p.write_text("[1, 2, 3]", encoding="utf-8"),
        "is not a GeoJSON FeatureCollection",
    ),
    "no features": (feature_edit(lambda c: c.update(features=[])), "has no features"),
    "feature without properties": (
        feature_edit(lambda c: _first(c).pop("properties")),
        "has no object of properties",
    ),
    "null geometry": (
        feature_edit(lambda c: _first(c).update(geometry=None)),
        "has no geometry object",
    ),
    "coordinates as text": (
        feature_edit(
            lambda c: _first(c).update(geometry={"type": "Point", "coordinates": ["a", "b"]})
        ),
        "geometry cannot be read",
    ),
    "clockwise rings": (feature_edit(clockwise), "rings wind the wrong way"),
    "missing id": (feature_edit(lambda c: _first(c)["properties"].pop("id")), "'id' is empty"),
    "file missing": (missing, "missing"),
}


@pytest.mark.parametrize("corruption", GEOJSON_CORRUPTIONS)
@pytest.mark.parametrize("name", GEOJSON_FILES)
def test_corrupt_geojson_is_named(tmp_path, name, corruption):
    data = _copy(tmp_path, DATA_DIR, "data")
    change, message = GEOJSON_CORRUPTIONS[corruption]
    change(data / name)
    _assert_named(validate_dir(data), name, message)
    with pytest.raises(DataError):
        load_dataset(data)


def set_cell(column: str, value: str, row: int = 0) -> Corrupt:
    """Set one cell of a CSV file (row 0 is the first data row)."""

    def change(path: Path) -> None:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = list(reader.fieldnames or [])
            rows = list(reader)
        rows[row][column] = value
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)

    return change


INPUT_CORRUPTIONS: dict[str, dict[str, tuple[Corrupt, str]]] = {
    "features.csv": {
        "site without lat": (set_cell("lat", "", row=-1), "a site needs lat and lon"),
        "bad kind": (set_cell("kind", "castle"), "kind 'castle'"),
        "bad period": (set_cell("period", "bronze-age"), "period 'bronze-age'"),
    },
    "lines.csv": {
        "unknown line": (set_cell("line_id", "maginot-line"), "no feature is drawn from"),
        "bad role": (set_cell("role", "guess"), "role must be one of"),
        "seq not a number": (set_cell("seq", "first"), "seq is not a whole number"),
        "seq used twice": (set_cell("seq", "2"), "seq used twice"),
        "lon not a number": (set_cell("lon", "east"), "lat/lon is not a coordinate"),
    },
    "extents.csv": {
        "unknown republic": (set_cell("entity_id", "atlantis"), "no republic is drawn from"),
        "bad role": (set_cell("role", "hoped"), "role must be one of"),
        "lat out of range": (set_cell("lat", "138.07"), "lat/lon is not a coordinate"),
    },
}
INPUT_CASES = [
    (name, case, change, message)
    for name in INPUT_FILES
    for case, (change, message) in {**CSV_CORRUPTIONS, **INPUT_CORRUPTIONS[name]}.items()
]


@pytest.mark.parametrize(
    ("name", "case", "change", "message"),
    INPUT_CASES,
    ids=[f"{name}-{case}" for name, case, _, _ in INPUT_CASES],
)
def test_corrupt_input_is_named(tmp_path, name, case, change, message):
    inputs = _copy(tmp_path, INPUTS_DIR, "inputs")
    change(inputs / name)
    with pytest.raises(DataError) as info:
        read_inputs(inputs)
    file = f"inputs/{name}"
    if case == "file missing":
        message = "cannot be read"
    _assert_named(info.value.problems, file, message)


def test_every_data_file_is_corrupted_at_least_eight_ways():
    assert set(DATA_FILES) == set(CSV_FILES) | set(GEOJSON_FILES)
    assert len(CSV_CORRUPTIONS) >= 8 and len(GEOJSON_CORRUPTIONS) >= 8
    for name in INPUT_FILES:
        assert len(CSV_CORRUPTIONS) + len(INPUT_CORRUPTIONS[name]) >= 8


def test_a_byte_order_mark_is_welcome(tmp_path):
    """Files saved as UTF-8 with a BOM (as Excel does) load as if it were not there."""
    data = _copy(tmp_path, DATA_DIR, "data")
    for name in DATA_FILES:
        (data / name).write_bytes(b"\xef\xbb\xbf" + (DATA_DIR / name).read_bytes())
    assert validate_dir(data) == []
    dataset = load_dataset(data)
    assert "id" in dataset.story.columns and "\ufeffid" not in dataset.story.columns
    inputs = _copy(tmp_path, INPUTS_DIR, "inputs")
    for name in INPUT_FILES:
        (inputs / name).write_bytes(b"\xef\xbb\xbf" + (INPUTS_DIR / name).read_bytes())
    features, _, _ = read_inputs(inputs)
    assert "id" in features[0]


@pytest.mark.parametrize(
    ("view", "message"),
    [
        ("48.5,32.5,5", "does not show feature 'julfa'"),  # the first stop's view, swapped
        ("5,-70,5", "outside the map's region"),
        ("nan,48,5", "finite numbers"),
    ],
)
def test_story_view_must_show_the_region(tmp_path, view, message):
    data = _copy(tmp_path, DATA_DIR, "data")
    set_cell("view", view)(data / "story.csv")
    _assert_named(validate_dir(data), "story.csv", message)


def test_the_error_lists_its_problems_as_rows(tmp_path):
    data = _copy(tmp_path, DATA_DIR, "data")
    utf16(data / "claims.csv")
    empty(data / "story.csv")
    with pytest.raises(DataError) as info:
        load_dataset(data)
    rows = info.value.rows()
    assert {
        "file": "claims.csv",
        "where": "file",
        "problem": "is saved as UTF-16; save it as UTF-8",
    } in rows
    assert {row["file"] for row in rows} == {"claims.csv", "story.csv"}


def test_one_broken_file_does_not_hide_the_others(tmp_path):
    """A file that cannot be read is reported, and the other files are still checked in full."""
    data = _copy(tmp_path, DATA_DIR, "data")
    empty(data / "features.geojson")
    set_cell("order", "first")(data / "story.csv")
    set_cell("verdict", "maybe")(data / "claims.csv")
    problems = validate_dir(data)
    _assert_named(problems, "features.geojson", "is empty")
    _assert_named(problems, "story.csv", "order 'first'")
    _assert_named(problems, "claims.csv", "verdict 'maybe'")
    assert not [p for p in problems if "does not exist" in p.message]  # no cascade of references
