"""The basemap is one coverage (shared borders shared, no gap, no overlap), every polygon winds as
RFC 7946 asks, and the three 1941 zones partition Iran exactly."""

from __future__ import annotations

import itertools
import json

import pytest
import shapely
from shapely.geometry import shape

from geodata.build import GRID
from geodata.loader import CONTEXT_FILE, DATA_DIR, FEATURES_FILE
from geodata.validate import IRAN_ID, PARTITION_ZONES

# Iran's land neighbours (Natural Earth codes).
NEIGHBOURS = ("AFG", "ARM", "AZE", "IRQ", "PAK", "TKM", "TUR")


def _collection(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def countries() -> dict[str, shapely.Geometry]:
    return {
        f["properties"]["iso_a3"]: shape(f["geometry"])
        for f in _collection(CONTEXT_FILE)["features"]
    }


def test_basemap_is_a_valid_coverage(countries):
    """No two countries overlap and every shared border has the same vertices on both sides."""
    geoms = list(countries.values())
    assert all(g.is_valid for g in geoms)
    assert shapely.coverage_is_valid(geoms)
    invalid = shapely.coverage_invalid_edges(geoms)
    assert [code for code, e in zip(countries, invalid, strict=True) if not e.is_empty] == []


def test_no_two_countries_overlap(countries):
    tree = shapely.STRtree(list(countries.values()))
    codes = list(countries)
    total = 0.0
    for i, j in zip(*tree.query(list(countries.values()), predicate="intersects"), strict=True):
        if i < j:
            total += countries[codes[i]].intersection(countries[codes[j]]).area
    assert total < 1e-9


def test_iran_shares_its_land_borders(countries):
    """Each neighbour touches Iran along a line, and no hole (a sliver gap) opens beside Iran."""
    iran = countries["IRN"]
    for code in NEIGHBOURS:
        shared = iran.boundary.intersection(countries[code].boundary)
        assert shared.length > 0.2, f"Iran and {code} share {shared.length:.3f}° of border"
        assert iran.intersection(countries[code]).area < 1e-12
    union = shapely.union_all([iran, *(countries[c] for c in NEIGHBOURS)])
    holes = [shapely.Polygon(r) for p in shapely.get_parts(union) for r in p.interiors]
    assert [h.centroid.coords[0] for h in holes if h.distance(iran) < 0.05] == []


def _rings(geometry: dict) -> list[tuple[bool, list]]:
    """(is exterior, coordinates) for each ring of a GeoJSON (Multi)Polygon, as written."""
    polygons = {"Polygon": [geometry.get("coordinates")], "MultiPolygon": geometry["coordinates"]}
    return [
        (index == 0, ring)
        for polygon in polygons.get(geometry["type"], [])
        for index, ring in enumerate(polygon)
    ]


def _signed_area(ring: list) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


@pytest.mark.parametrize("name", [CONTEXT_FILE, FEATURES_FILE])
def test_rings_follow_rfc_7946(name):
    """Exterior rings counter-clockwise, holes clockwise (RFC 7946, section 3.1.6)."""
    wrong = [
        f["properties"]["id"]
        for f in _collection(name)["features"]
        for exterior, ring in _rings(f["geometry"])
        if (_signed_area(ring) > 0) != exterior
    ]
    assert wrong == []
    assert sum(len(_rings(f["geometry"])) for f in _collection(name)["features"]) > 10


def test_zones_partition_iran_exactly(countries):
    """Exact to the output grid: each zone is cut from Iran on the 1e-4° grid (about 10 m), so
    where a line meets the border or the coast, snapping may leave a seam thinner than one grid
    step between two zones or between the zones and Iran, never a sliver as wide as one."""
    features = {
        f["properties"]["id"]: shape(f["geometry"]) for f in _collection(FEATURES_FILE)["features"]
    }
    zones = [features[z] for z in PARTITION_ZONES]
    for first, second in itertools.combinations(zones, 2):
        shared = first.intersection(second)
        assert shared.area < 1e-5
        assert shared.buffer(-GRID / 2).is_empty
    seams = shapely.union_all(zones).symmetric_difference(countries["IRN"])
    assert seams.area < 5e-5  # about 0.5 km² in all, along thousands of km of border
    assert seams.buffer(-GRID / 2).is_empty
    assert IRAN_ID in {f["properties"]["id"] for f in _collection(CONTEXT_FILE)["features"]}


def test_no_country_of_the_region_goes_missing():
    """Every country with land in the basemap box that is larger than an islet is drawn
    (a repair nested in collections once lost Saudi Arabia; a failed seam, Syria)."""
    import shapely

    from geodata import build, load_dataset

    countries = build.load_countries()
    box = shapely.box(*build.CONTEXT_BOX)
    inside = countries[countries.intersects(box)]
    large = {
        name
        for name, geom in zip(inside["NAME_EN"], inside.geometry, strict=True)
        if shapely.intersection(geom, box).area > 1.0
    }
    drawn = set(load_dataset().context["name"])
    assert large - drawn == set()
    assert {"Saudi Arabia", "Syria", "Iraq", "Turkey"} <= drawn
