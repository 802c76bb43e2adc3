"""The published Data Package: generated from geodata/schema.py, committed as generated, and the
shipped data passes it under the `frictionless` library, so the schema and the data cannot drift."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import frictionless
import pytest

from geodata import schema
from geodata.datapackage import PACKAGE_FILE, datapackage_text
from geodata.loader import DATA_DIR, DATA_FILES, TABLES


def _validate(package: Path) -> frictionless.Report:
    return frictionless.validate(str(package))


def _errors(report: frictionless.Report) -> list[str]:
    return [
        f"{task.name}: {error.type}: {error.note}" for task in report.tasks for error in task.errors
    ]


def test_committed_package_is_what_the_schema_makes():
    committed = (DATA_DIR / PACKAGE_FILE).read_text(encoding="utf-8")
    assert committed == datapackage_text(), "run `python -m geodata datapackage` and commit"


def test_shipped_data_passes_the_package():
    report = _validate(DATA_DIR / PACKAGE_FILE)
    assert report.valid, _errors(report)
    assert {task.name for task in report.tasks} == {Path(f).stem for f in DATA_FILES}


def test_package_describes_every_column_and_value():
    package = json.loads((DATA_DIR / PACKAGE_FILE).read_text(encoding="utf-8"))
    resources = {r["path"]: r for r in package["resources"]}
    assert set(resources) == set(DATA_FILES)
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    for name, columns in TABLES.items():
        fields = resources[name]["schema"]["fields"]
        assert [f["name"] for f in fields] == list(columns)
        assert resources[name]["schema"]["primaryKey"] == ["id"]
        required = [f["name"] for f in fields if f.get("constraints", {}).get("required")]
        assert required == [c for c, needed in columns.items() if needed]
    events = {f["name"]: f for f in resources["events.csv"]["schema"]["fields"]}
    assert events["period"]["constraints"]["enum"] == list(schema.PERIODS)
    assert events["certainty"]["constraints"]["enum"] == list(schema.CERTAINTIES)
    assert events["sources"]["x-list-references"] == {"resource": "sources", "fields": "id"}
    claims = {f["name"]: f for f in resources["claims.csv"]["schema"]["fields"]}
    assert claims["verdict"]["constraints"]["enum"] == list(schema.VERDICTS)
    sources = {f["name"]: f for f in resources["sources.csv"]["schema"]["fields"]}
    assert sources["kind"]["constraints"]["enum"] == list(schema.SOURCE_KINDS)


def _edit(name: str, column: str, value: str | None) -> Callable[[Path], None]:
    """Set a cell of the first row; None copies the second row's value (a repeated key)."""

    def change(data: Path) -> None:
        path = data / name
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = list(reader.fieldnames or [])
            rows = list(reader)
        rows[0][column] = rows[1][column] if value is None else value
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)

    return change


def _rename_column(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(data: Path) -> None:
        path = data / name
        lines = path.read_text(encoding="utf-8").split("\n", 1)
        path.write_text(lines[0].replace(old, new) + "\n" + lines[1], encoding="utf-8")

    return change


DRIFTS = {
    "unknown period": (_edit("events.csv", "period", "bronze-age"), "constraint-error"),
    "unknown verdict": (_edit("claims.csv", "verdict", "maybe"), "constraint-error"),
    "order not a number": (_edit("story.csv", "order", "first"), "type-error"),
    "bad date": (_edit("events.csv", "date", "22 January 1946"), "constraint-error"),
    "plain http": (_edit("sources.csv", "url", "http://example.org/page"), "constraint-error"),
    "renamed column": (_rename_column("claims.csv", "verdict", "judgement"), "incorrect-label"),
    "repeated id": (_edit("sources.csv", "id", None), "primary-key"),
}


@pytest.mark.parametrize("drift", DRIFTS)
def test_the_package_catches_drift(tmp_path, drift):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    change, error = DRIFTS[drift]
    change(data)
    report = _validate(data / PACKAGE_FILE)
    assert not report.valid
    assert any(error in line for line in _errors(report)), _errors(report)


def test_datapackage_command_checks_the_committed_file():
    command = [sys.executable, "-m", "geodata", "datapackage", "--check"]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
