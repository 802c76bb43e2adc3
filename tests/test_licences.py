"""Anyone may reuse the project: the code under MIT, the data and texts under CC BY 4.0, with a
valid citation file that says so."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_code_and_data_licences_are_stated():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    data = (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert "CC BY 4.0" in data and "https://creativecommons.org/licenses/by/4.0/" in data
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Licences and how to cite", 1)[1].split("\n## ", 1)[0]
    assert "MIT" in section and "Creative Commons Attribution 4.0" in section
    assert "CITATION.cff" in section


def test_citation_file_follows_cff_1_2():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= set(cff)
    assert cff["authors"] == [{"name": "Stalin's Shadow contributors"}]
    assert cff["title"].startswith("Stalin's Shadow")
    assert set(cff["license"]) == {"MIT", "CC-BY-4.0"}
