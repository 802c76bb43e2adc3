"""The shipped data: valid, reproducible from its inputs, and right where historians look."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point

from geodata import build
from geodata.loader import validate_dir
from geodata.schema import PERIODS
from scripts.article_digest import gram_digests

REQUIRED_IDS = [
    "soviet-zone",
    "british-zone",
    "central-zone",
    "azerbaijan-peoples-government",
    "republic-of-mahabad",
    "trans-iranian-railway",
    "tabriz",
    "mahabad",
    "tehran",
    "tehran-conference",
    "kermanshah",
    "bushehr-npp",
    "abadan-refinery",
    "bandar-shahpur",
    "bandar-shah",
    "qazvin",
    "zanjan",
    "mashhad",
    "oshnavieh",
    "moscow-kremlin",
    "natanz",
    "fordow",
    "isfahan-ucf",
    "nojeh-airbase",
    "alabuga",
    "london",
    "new-york",
    "vienna",
    "kupiansk",
    "st-petersburg",
    "baku",
]
ARTICLE_DIGEST = Path(__file__).resolve().parent / "data" / "article_grams.txt"

# (lon, lat) of towns a historian checks first.
TOWNS = {
    "Tabriz": (46.296, 38.074),
    "Rasht": (49.583, 37.267),
    "Ahvaz": (48.671, 31.318),
    "Abadan": (48.304, 30.339),
    "Tehran": (51.423, 35.696),
    "Isfahan": (51.668, 32.654),
    "Mahabad": (45.734, 36.768),
    "Bukan": (46.209, 36.521),
    "Saqqez": (46.271, 36.241),
    "Sardasht": (45.479, 36.156),
}
# The 1941 zones (FRUS 1941 vol. III doc 427) and the Soviet garrison area of Khorasan.
OCCUPATION_ZONES = ("soviet-zone", "british-zone", "khorasan-soviet-garrison")


def test_shipped_data_is_valid():
    assert validate_dir() == []


def test_committed_geometries_match_a_fresh_build():
    assert build.stale_files() == [], "run `python -m geodata build` and commit the result"


def test_required_ids_exist(dataset):
    missing = set(REQUIRED_IDS) - set(dataset.features.index)
    assert not missing


@pytest.mark.parametrize(
    ("town", "feature"),
    [
        ("Tabriz", "soviet-zone"),
        ("Rasht", "soviet-zone"),
        ("Ahvaz", "british-zone"),
        ("Abadan", "british-zone"),
        ("Tehran", "central-zone"),
        ("Isfahan", "central-zone"),
        ("Tabriz", "azerbaijan-peoples-government"),
        ("Mahabad", "republic-of-mahabad"),
        ("Bukan", "republic-of-mahabad"),
    ],
)
def test_town_lies_in(dataset, town, feature):
    assert dataset.features.loc[feature, "geometry"].contains(Point(TOWNS[town]))


@pytest.mark.parametrize(
    ("town", "feature"),
    [
        ("Saqqez", "republic-of-mahabad"),
        ("Tehran", "soviet-zone"),
        ("Tabriz", "central-zone"),
        ("Mahabad", "azerbaijan-peoples-government"),
    ],
)
def test_town_lies_outside(dataset, town, feature):
    assert not dataset.features.loc[feature, "geometry"].contains(Point(TOWNS[town]))


@pytest.mark.parametrize("town", ["Saqqez", "Sardasht"])
def test_the_kurdish_south_was_unoccupied(dataset, town):
    """Doc 427's British limit runs Khanaqin–Kermanshah–...–Bandar Deylam, far south of Saqqez
    and Sardasht: both lie in the unoccupied middle, in no occupation zone."""
    point = Point(TOWNS[town])
    assert not [
        z for z in OCCUPATION_ZONES if dataset.features.loc[z, "geometry"].intersects(point)
    ]
    assert dataset.features.loc["central-zone", "geometry"].contains(point)


def test_the_british_limit_stays_south_of_kermanshah(dataset):
    assert dataset.features.loc["british-zone", "geometry"].bounds[3] < 34.4


def test_the_soviet_line_starts_on_the_iraq_frontier(dataset):
    """Doc 427: "from the Iraq frontier to Ushnu": the line does not run on into Iraq."""
    line = dataset.features.loc["soviet-line-1941", "geometry"]
    west = shapely.box(40, 35, 45.098, 39)  # west of Ushnu
    iran = dataset.context.loc["country-irn", "geometry"]
    assert line.intersection(west).difference(iran.buffer(0.02)).length < 0.01


def test_sites_sit_on_their_towns(dataset):
    for ident, town in (("tabriz", "Tabriz"), ("mahabad", "Mahabad"), ("tehran", "Tehran")):
        assert dataset.features.loc[ident, "geometry"].distance(Point(TOWNS[town])) < 0.05


def test_every_feature_event_and_claim_has_a_source(dataset):
    for frame in (dataset.features, dataset.events, dataset.claims):
        assert frame["sources"].map(len).min() >= 1


def test_chronology_covers_1941_to_2025(dataset):
    events = dataset.events
    assert len(events) >= 55
    assert events["start_day"].min().year == 1941
    assert events["start_day"].max().year == 2025
    assert set(events["period"]) == set(PERIODS)


def test_unverified_claims_are_not_events(dataset):
    text = " ".join(dataset.events["title"] + " " + dataset.events["summary"]).lower()
    assert "hinz" not in text
    kermanshah_1945 = dataset.events[
        dataset.events["feature_ids"].map(lambda ids: "kermanshah" in ids)
        & (dataset.events["start_day"].map(lambda d: d.year) == 1945)
    ]
    assert kermanshah_1945.empty


def test_sources_are_canonical_pages(dataset):
    mirrors = (
        "wikiclassic",
        "kiwix",
        "liquisearch",
        "friendlywiki",
        "qaz.wiki",
        "perceptiode",
        "wikisum",
    )
    for url in dataset.sources["url"]:
        assert url.startswith("https://")
        assert not any(m in url for m in mirrors), url
        assert "search?" not in url and "/search/" not in url, url


def test_geometry_data_is_credited_with_licence(dataset):
    natural_earth = dataset.sources.loc[build.NATURAL_EARTH_SOURCE]
    assert "public domain" in natural_earth["licence"].lower()
    for ident in ("soviet-zone", "republic-of-mahabad"):
        assert build.NATURAL_EARTH_SOURCE in dataset.features.loc[ident, "sources"]


def test_no_sentence_is_copied_from_the_article():
    """No run of ten words of the seed article appears in the data, the story or the README
    (compared through the digest in tests/data, made by scripts/article_digest.py)."""
    grams = set(ARTICLE_DIGEST.read_text(encoding="utf-8").split())
    assert len(grams) > 1000  # the digest of a whole article, not an empty file
    root = Path(__file__).resolve().parent.parent
    for path in [
        *root.glob("geodata/**/*.csv"),
        *root.glob("geodata/**/*.geojson"),
        *root.glob("explorer/**/*.py"),
        root / "README.md",
    ]:
        copied = gram_digests(path.read_text(encoding="utf-8")) & grams
        assert not copied, f"{path.name} copies {len(copied)} ten-word run(s) of the article"
