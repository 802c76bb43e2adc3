"""The evidence page: bibliography, layer derivations, the article's claims, and downloads that
read back identical to the data."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from streamlit.testing.v1 import AppTest

from explorer import bibliography, downloads
from geodata.loader import DATA_DIR
from geodata.schema import PERIODS, VERDICTS
from tests.conftest import ROOT

TABLES = {
    "events": "events.csv",
    "sources": "sources.csv",
    "claims": "claims.csv",
    "story": "story.csv",
}


# --- bibliography, layers, claims -----------------------------------------------------------


def test_every_source_is_listed_once_and_linked(dataset):
    cited = bibliography.citation_counts(dataset.features, dataset.events, dataset.claims)
    html = "".join(
        bibliography.bibliography_html(dataset.sources, cited, kind)
        for kind, _, _ in bibliography.source_kinds(dataset.sources)
    )
    listed = re.findall(r'<li data-source="([^"]+)">', html)
    assert sorted(listed) == sorted(dataset.sources.index)
    for url in dataset.sources["url"]:
        assert f'href="{url.replace("&", "&amp;")}"' in html


def test_citation_counts(dataset):
    cited = bibliography.citation_counts(dataset.features, dataset.events, dataset.claims)
    expected = sum(
        "frus-1946-v07-d306" in ids
        for frame in (dataset.features, dataset.events, dataset.claims)
        for ids in frame["sources"]
    )
    assert cited["frus-1946-v07-d306"] == expected >= 3


def test_source_kinds_follow_the_schema(dataset):
    kinds = bibliography.source_kinds(dataset.sources)
    assert sum(count for _, _, count in kinds) == len(dataset.sources)
    assert [k for k, _, _ in kinds] == ["primary", "reference", "news", "scholarship", "data"]


def test_every_feature_says_how_it_is_drawn(dataset):
    for period in PERIODS:
        html = bibliography.layer_html(dataset.features, dataset.sources, period)
        ids = re.findall(r'<tr data-feature="([^"]+)">', html)
        assert sorted(ids) == sorted(dataset.features.index[dataset.features["period"] == period])
    html = bibliography.layer_html(dataset.features, dataset.sources, "crisis")
    assert "Convex hull of the towns it held" in html  # the republics' derivation
    assert "approximate" in html


def test_claims_are_all_there_with_verdicts(dataset):
    html = bibliography.claims_html(dataset.claims, dataset.sources)
    claims = re.findall(r'data-claim="([^"]+)" data-verdict="([^"]+)"', html)
    assert len(claims) == len(dataset.claims) == 30
    assert dict(claims) == dict(zip(dataset.claims["id"], dataset.claims["verdict"], strict=True))
    only = bibliography.claims_html(dataset.claims, dataset.sources, ["unverified"])
    assert set(re.findall(r'data-verdict="([^"]+)"', only)) == {"unverified"}
    assert "No claim" in bibliography.claims_html(dataset.claims, dataset.sources, [])


def test_verdict_counts_cover_every_claim(dataset):
    counts = dict(bibliography.verdict_counts(dataset.claims))
    assert list(counts) == list(VERDICTS)
    assert sum(counts.values()) == len(dataset.claims)
    assert counts["unverified"] == 2  # the Kermanshah strike and the Hinz quote


def test_evidence_html_escapes_the_data(dataset):
    claims = dataset.claims.copy()
    claims.iloc[0, claims.columns.get_loc("claim")] = "<script>alert(1)</script>"
    sources = dataset.sources.copy()
    sources.iloc[0, sources.columns.get_loc("title")] = '<img src=x onerror="alert(2)">'
    html = bibliography.claims_html(claims, sources) + bibliography.bibliography_html(
        sources, bibliography.citation_counts(claims), sources.iloc[0]["kind"]
    )
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html


# --- downloads ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(TABLES))
def test_csv_downloads_read_back_identical(dataset, key):
    content = downloads.file_bytes(dataset, key)
    back = downloads.read_back_csv(content)
    frame = getattr(dataset, key)
    pd.testing.assert_frame_equal(back, downloads.export_table(frame, downloads.TABLE_COLUMNS[key]))
    shipped = pd.read_csv(DATA_DIR / TABLES[key], dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(back, shipped)
    assert content == (DATA_DIR / TABLES[key]).read_bytes()  # the very file
    # and the lists split back into what the app uses
    if "sources" in back:
        assert [tuple(s.split(";")) for s in back["sources"]] == list(frame["sources"])


def test_geojson_download_reads_back_identical(dataset):
    back = downloads.read_back_layer(downloads.file_bytes(dataset, "layers-geojson"))
    expected = downloads.export_features(dataset.features)
    assert_geodataframe_equal(back, expected, check_less_precise=False)
    assert list(back["id"]) == list(dataset.features.index)


def test_geopackage_has_one_identical_table_per_period(dataset):
    content = downloads.file_bytes(dataset, "layers-gpkg")
    assert content.startswith(b"SQLite format 3")
    total = 0
    for period, expected in downloads.period_layers(dataset.features).items():
        back = downloads.read_back_layer(content, period)
        assert_geodataframe_equal(back, expected, check_less_precise=False)
        total += len(back)
    assert total == len(dataset.features)


def test_data_version_changes_with_the_data(tmp_path):
    for name in downloads.DATA_FILES:
        (tmp_path / name).write_bytes((DATA_DIR / name).read_bytes())
    same = downloads.data_version(tmp_path)
    assert same == downloads.data_version() and re.fullmatch(r"[0-9a-f]{10}", same)
    (tmp_path / "claims.csv").write_bytes(b"changed")
    assert downloads.data_version(tmp_path) != same


def test_every_download_has_a_citation_and_licence():
    assert len({d.key for d in downloads.DOWNLOADS}) == len(downloads.DOWNLOADS)
    for item in downloads.DOWNLOADS:
        line = downloads.citation(item, "abc1234567", "https://h/sources", date(2026, 1, 2))
        assert item.file_name in line and "abc1234567" in line and "2026-01-02" in line
        assert item.licence
    layers = downloads.BY_KEY["layers-geojson"]
    assert "Natural Earth" in layers.licence and "public domain" in layers.licence


# --- the page -------------------------------------------------------------------------------


def run_sources(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.switch_page("pages/sources.py")
    at.run()
    assert not at.exception, at.exception
    return at


def test_page_lists_sources_layers_claims_and_downloads(dataset):
    at = run_sources({"date": "1946-06", "layers": "crisis"})
    body = " ".join(e.proto.body for e in at.get("html"))
    assert len(re.findall(r'<li data-source="', body)) == len(dataset.sources)
    assert len(re.findall(r'<tr data-feature="', body)) == len(dataset.features)
    assert len(re.findall(r'data-claim="', body)) == len(dataset.claims)
    names = downloads.publish(dataset)
    links = re.findall(r'<a href="([^"]+)" download="([^"]+)"', body)
    assert links == [
        (f"/app/static/downloads/{names[item.key]}", item.file_name) for item in downloads.DOWNLOADS
    ]
    assert not at.warning
    assert dict(at.query_params) == {"date": "1946-06", "layers": "crisis"}  # shared sidebar
    assert body.count("Cite as: ") == len(downloads.DOWNLOADS)


def test_verdict_filter():
    at = run_sources()
    at.button_group(key="claims_verdicts").set_value(["opinion"]).run()
    body = " ".join(e.proto.body for e in at.get("html"))
    assert set(re.findall(r'data-verdict="([^"]+)"', body)) == {"opinion"}


def test_bad_link_on_the_sources_page_gets_the_notice():
    at = run_sources({"layers": "bronze-age"})
    assert at.warning and "Ignored layers=" in at.warning[0].value
