"""Each validation rule, on a deliberately broken copy of the shipped data."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer import state
from geodata import DataError, load_dataset, schema
from geodata.build import INPUTS_DIR, read_inputs
from geodata.loader import DATA_DIR, validate_dir


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit_geojson(path: Path, change: Callable[[list[dict]], None]) -> None:
    collection = json.loads(path.read_text(encoding="utf-8"))
    change(collection["features"])
    path.write_text(json.dumps(collection), encoding="utf-8")


def edit_csv(path: Path, change: Callable[[list[dict]], None], drop: str | None = None) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = [f for f in reader.fieldnames or [] if f != drop]
        rows = list(reader)
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def feature(features: list[dict], ident: str) -> dict:
    return next(f for f in features if f["properties"]["id"] == ident)


def set_prop(ident: str, key: str, value: object) -> Callable[[list[dict]], None]:
    return lambda fs: feature(fs, ident)["properties"].__setitem__(key, value)


def set_geometry(ident: str, geometry: dict) -> Callable[[list[dict]], None]:
    return lambda fs: feature(fs, ident).__setitem__("geometry", geometry)


BOWTIE = {"type": "Polygon", "coordinates": [[[50, 30], [51, 31], [51, 30], [50, 31], [50, 30]]]}
IN_IRAQ = {"type": "Polygon", "coordinates": [[[43, 33], [44, 33], [44, 34], [43, 34], [43, 33]]]}
PROJECTED = {"type": "Point", "coordinates": [5_000_000.0, 4_000_000.0]}


def copy_geometry(source: str, target: str) -> Callable[[list[dict]], None]:
    def change(fs: list[dict]) -> None:
        feature(fs, target)["geometry"] = feature(fs, source)["geometry"]

    return change


def first_row(key: str, value: str) -> Callable[[list[dict]], None]:
    return lambda rows: rows[0].__setitem__(key, value)


GEOJSON_CASES = {
    "invalid geometry": (
        "republic-of-mahabad",
        set_geometry("republic-of-mahabad", BOWTIE),
        "invalid geometry",
    ),
    "not EPSG:4326": ("tabriz", set_geometry("tabriz", PROJECTED), "EPSG:4326"),
    "wrong geometry type": ("tabriz", set_geometry("tabriz", IN_IRAQ), "a site must be a Point"),
    "missing property": ("tabriz", set_prop("tabriz", "summary", ""), "'summary' is empty"),
    "bad date": ("soviet-zone", set_prop("soviet-zone", "end", "1946-13"), "end:"),
    "start after end": (
        "british-zone",
        set_prop("british-zone", "start", "1947-01"),
        "is after end",
    ),
    "unknown source": (
        "tabriz",
        set_prop("tabriz", "sources", ["no-such-source"]),
        "source 'no-such-source'",
    ),
    "bad certainty": (
        "tabriz",
        set_prop("tabriz", "certainty", "probably"),
        "certainty 'probably'",
    ),
    "duplicate id": ("mahabad", set_prop("tabriz", "id", "mahabad"), "is used again"),
    "zones overlap": (
        "soviet-zone",
        copy_geometry("soviet-zone", "british-zone"),
        "overlaps british-zone",
    ),
    "republics overlap": (
        "azerbaijan-peoples-government",
        copy_geometry("azerbaijan-peoples-government", "republic-of-mahabad"),
        "overlaps republic-of-mahabad",
    ),
    "outside Iran": (
        "republic-of-mahabad",
        set_geometry("republic-of-mahabad", IN_IRAQ),
        "outside Iran",
    ),
    "zones leave a gap": ("zones", set_geometry("central-zone", IN_IRAQ), "uncovered"),
    "bad id": ("Tabriz Town", set_prop("tabriz", "id", "Tabriz Town"), "lowercase"),
}


@pytest.mark.parametrize("case", GEOJSON_CASES, ids=list(GEOJSON_CASES))
def test_broken_features_are_named(data_copy, case):
    where, change, message = GEOJSON_CASES[case]
    edit_geojson(data_copy / "features.geojson", change)
    problems = validate_dir(data_copy)
    hits = [
        p
        for p in problems
        if p.file == "features.geojson" and where in p.where and message in p.message
    ]
    assert hits, f"expected {message!r} at {where!r}, got {[str(p) for p in problems]}"


CSV_CASES = {
    "event with unknown feature": (
        "events.csv",
        first_row("feature_ids", "atlantis"),
        "feature 'atlantis'",
    ),
    "event with unknown source": (
        "events.csv",
        first_row("sources", "nowhere"),
        "source 'nowhere'",
    ),
    "event with bad date": ("events.csv", first_row("date", "1946-02-30"), "date:"),
    "event ends before it starts": (
        "events.csv",
        first_row("end_date", "1900"),
        "is after end_date",
    ),
    "event without title": ("events.csv", first_row("title", ""), "'title' is empty"),
    "event with bad period": (
        "events.csv",
        first_row("period", "bronze-age"),
        "period 'bronze-age'",
    ),
    "source not https": ("sources.csv", first_row("url", "ftp://example.org"), "https"),
    "source with bad kind": ("sources.csv", first_row("kind", "rumour"), "kind 'rumour'"),
    "claim with bad verdict": ("claims.csv", first_row("verdict", "maybe"), "verdict 'maybe'"),
    "claim with unknown source": (
        "claims.csv",
        first_row("sources", "nowhere"),
        "source 'nowhere'",
    ),
}


@pytest.mark.parametrize("case", CSV_CASES, ids=list(CSV_CASES))
def test_broken_tables_are_named(data_copy, case):
    name, change, message = CSV_CASES[case]
    edit_csv(data_copy / name, change)
    problems = validate_dir(data_copy)
    hits = [
        p
        for p in problems
        if p.file == name and p.where.startswith("row 2") and message in p.message
    ]
    assert hits, f"expected {message!r} in {name} row 2, got {[str(p) for p in problems]}"


def test_missing_column_is_named(data_copy):
    edit_csv(data_copy / "events.csv", lambda rows: None, drop="certainty")
    problems = validate_dir(data_copy)
    assert any(
        p.file == "events.csv" and "missing column(s): certainty" in p.message for p in problems
    )


def test_unquoted_comma_is_named(data_copy):
    path = data_copy / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append("extra-source,Title,Publisher,https://example.org,2026-11-26,reference,,surplus")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert any("more cells than columns" in p.message for p in validate_dir(data_copy))


def test_missing_file_is_named(data_copy):
    (data_copy / "claims.csv").unlink()
    assert [str(p) for p in validate_dir(data_copy)] == [
        f"claims.csv: file: missing ({data_copy / 'claims.csv'})"
    ]


def test_loader_refuses_broken_data_and_lists_the_problems(data_copy):
    edit_csv(data_copy / "events.csv", first_row("feature_ids", "atlantis"))
    with pytest.raises(DataError) as info:
        load_dataset(data_copy)
    assert "events.csv: row 2" in str(info.value)
    assert "feature 'atlantis' does not exist" in str(info.value)


def test_build_inputs_are_checked(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS_DIR, inputs)
    edit_csv(
        inputs / "features.csv",
        lambda rows: next(r for r in rows if r["id"] == "tabriz").__setitem__("lat", ""),
    )
    edit_csv(inputs / "lines.csv", first_row("lon", "east"))
    with pytest.raises(DataError) as info:
        read_inputs(inputs)
    text = str(info.value)
    assert "inputs/features.csv" in text and "(tabriz)" in text and "needs lat and lon" in text
    assert "inputs/lines.csv: row 2: lat/lon is not a coordinate" in text


def test_validate_command_reports_and_fails(data_copy):
    command = [sys.executable, "-m", "geodata", "validate", "--data", str(data_copy)]
    ok = subprocess.run(command, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "0 problem(s)" in ok.stdout
    edit_csv(data_copy / "claims.csv", first_row("verdict", "maybe"))
    broken = subprocess.run(command, capture_output=True, text=True)
    assert broken.returncode == 1
    assert "claims.csv: row 2 (claim-01): verdict 'maybe'" in broken.stderr


def first_stop(**changes: str) -> Callable[[list[dict]], None]:
    return lambda rows: rows[0].update(changes)


STORY_CASES = {
    "stop with unknown feature": (first_stop(feature_ids="atlantis"), "feature 'atlantis'"),
    "stop with unknown source": (first_stop(sources="nowhere"), "source 'nowhere'"),
    "stop without source": (first_stop(sources=""), "'sources' is empty"),
    "stop without narrative": (first_stop(narrative=""), "'narrative' is empty"),
    "stop with bad date": (first_stop(date="1941-02-30"), "date:"),
    "stop dated by year only": (first_stop(date="1941"), "date needs a month"),
    "stop before the map begins": (first_stop(date="1939-09"), "outside the map"),
    "stop with unknown layer": (first_stop(layers="occupation;bronze-age"), "'bronze-age'"),
    "stop with view garbage": (first_stop(view="here"), "expected lat,lon,zoom"),
    "stop zoomed too far": (first_stop(view="35,51,19"), "zoom must be a whole number"),
    "stop view off the globe": (first_stop(view="95,51,5"), "out of range"),
    "stop outlines a hidden layer": (
        first_stop(layers="occupation", feature_ids="tabriz"),
        "'tabriz' is in the crisis layer",
    ),
    "stop outlines what is not there yet": (
        first_stop(date="1941-08-25", layers="crisis", feature_ids="republic-of-mahabad"),
        "'republic-of-mahabad' is not on the map at 1941-08-25",
    ),
    "stop with bad order": (first_stop(order="first"), "order 'first'"),
    "stop with long narrative": (first_stop(narrative="word " * 131), "131 words"),
    "stop with bad id": (first_stop(id="Stop One"), "lowercase"),
}


@pytest.mark.parametrize("case", STORY_CASES, ids=list(STORY_CASES))
def test_broken_story_is_named(data_copy, case):
    change, message = STORY_CASES[case]
    edit_csv(data_copy / "story.csv", change)
    problems = validate_dir(data_copy)
    hits = [
        p
        for p in problems
        if p.file == "story.csv" and p.where.startswith("row 2") and message in p.message
    ]
    assert hits, f"expected {message!r} in story.csv row 2, got {[str(p) for p in problems]}"


def test_story_stops_are_numbered_once_each(data_copy):
    edit_csv(data_copy / "story.csv", lambda rows: rows[1].__setitem__("order", "1"))
    problems = [str(p) for p in validate_dir(data_copy)]
    assert any(p.startswith("story.csv: order: stops must be numbered 1 to") for p in problems)


def test_story_column_missing_is_named(data_copy):
    edit_csv(data_copy / "story.csv", lambda rows: None, drop="view")
    problems = validate_dir(data_copy)
    assert any(p.file == "story.csv" and "missing column(s): view" in p.message for p in problems)


def test_missing_story_is_named(data_copy):
    (data_copy / "story.csv").unlink()
    assert [str(p) for p in validate_dir(data_copy)] == [
        f"story.csv: file: missing ({data_copy / 'story.csv'})"
    ]


def test_loader_gives_the_stops_in_order(data_copy):
    def reverse(rows: list[dict]) -> None:
        rows.reverse()

    edit_csv(data_copy / "story.csv", reverse)
    story = load_dataset(data_copy).story
    assert list(story["order"]) == list(range(1, len(story) + 1))
    assert isinstance(story.iloc[0]["layers"], tuple)


def test_story_rules_match_the_map():
    """The validator's date and zoom limits are the share-link contract's."""
    assert state.FIRST_MONTH.iso() == schema.MAP_FIRST_MONTH
    assert state.LAST_MONTH.iso() == schema.MAP_LAST_MONTH
    assert (state.MIN_ZOOM, state.MAX_ZOOM) == (schema.MIN_ZOOM, schema.MAX_ZOOM)
