"""The map rendered to an HTML string: offline assets, the right layers, labels, legend, names."""

from __future__ import annotations

import csv
import json
import re

import pytest
import shapely
from shapely.geometry import Point

from explorer import style
from explorer.mapbuild import (
    REGION,
    SEA_LABELS,
    build_map,
    country_labels,
    feature_style,
    highlight_layer,
    legend_css,
    legend_entries,
    legend_html,
    map_css,
    sea_labels,
    short_name,
)
from explorer.state import View, ViewState
from explorer.visibility import visible_features
from geodata.dates import PartialDate


def render(dataset, state: ViewState, features=None, context=None) -> str:
    fmap = build_map(
        dataset.features if features is None else features,
        dataset.context if context is None else context,
        state,
        dataset.events,
    )
    return fmap.get_root().render()


@pytest.fixture(scope="module")
def default_html(dataset) -> str:
    return render(dataset, ViewState())


def drawn_ids(html: str) -> set[str]:
    return set(re.findall(r'"id": "([a-z0-9-]+)", "kind"', html))


def plugin_options(html: str) -> dict:
    """The options the map passes to its plugin (the last argument of ssMapUX)."""
    found = re.search(r"ssMapUX\(L, map_historymap,\s*\S+,\s*\S+,\s*(\{.*\})\);", html)
    assert found, "the plugin is not called"
    return json.loads(found.group(1))


def test_newcomer_view_shows_zones_and_both_republics(default_html):
    ids = drawn_ids(default_html)
    assert {"soviet-zone", "british-zone", "central-zone"} <= ids
    assert {"azerbaijan-peoples-government", "republic-of-mahabad"} <= ids
    assert "bushehr-npp" not in ids  # modern layer off, and not built yet


def test_loads_only_local_leaflet(default_html):
    scripts = re.findall(r'<script src="([^"]+)"', default_html)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', default_html)
    assert scripts == ["/app/static/vendor/leaflet/leaflet.js"]
    assert styles == ["/app/static/vendor/leaflet/leaflet.css"]
    for cdn in ("jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "githack"):
        assert cdn not in default_html


def test_offline_basemap_sits_below_online_tiles_without_a_layers_control(default_html):
    assert re.search(r'createPane\(\s*"basemap"\)', default_html)
    assert "zIndex = 150" in default_html
    # Online tiles without names (the map draws its own), and no control offering them.
    assert "basemaps.cartocdn.com/light_nolabels" in default_html
    assert "L.control.layers" not in default_html
    assert "country-irn" not in default_html  # basemap sends shapes, not ids


def test_date_and_layers_filter_features(dataset):
    html = render(dataset, ViewState(PartialDate(2016, 8, 16), ("modern",)))
    ids = drawn_ids(html)
    assert "nojeh-airbase" in ids and "bushehr-npp" in ids
    assert not ids & {"soviet-zone", "republic-of-mahabad", "tabriz"}


def test_before_the_republics_they_are_not_drawn(dataset):
    ids = drawn_ids(render(dataset, ViewState(PartialDate(1941, 9), ("occupation", "crisis"))))
    assert "soviet-zone" in ids
    assert not ids & {"azerbaijan-peoples-government", "republic-of-mahabad"}


def test_no_layers_draw_no_history_and_no_legend(dataset):
    html = render(dataset, ViewState(layers=()))
    assert drawn_ids(html) == set()
    options = plugin_options(html)
    assert options["legend"]["html"] == ""
    assert "ssMapUX(L, map_historymap,\n            null," in html


def test_view_sets_centre_and_zoom(dataset):
    html = render(dataset, ViewState(view=View(36.77, 45.73, 8)))
    assert "[36.77, 45.73]" in html
    assert '"zoom": 8' in html
    home = plugin_options(html)["home"]
    assert (home["lat"], home["lon"], home["zoom"], home["fixed"]) == (36.77, 45.73, 8, True)


def test_default_view_fits_the_core_region_on_narrow_maps(default_html):
    home = plugin_options(default_html)["home"]
    assert home["fixed"] is False
    (south, west), (north, east) = home["fit"]
    # Kurdistan (Sardasht, Khanaqin), Azerbaijan (Jolfa, Ardabil) and the Gulf (Bushehr).
    for lat, lon in [(36.155, 45.48), (34.348, 45.392), (38.939, 45.625), (38.252, 48.298)]:
        assert south <= lat <= north and west <= lon <= east
    assert south <= 28.83 and east >= 56.3  # Bushehr and the Strait of Hormuz


def test_same_state_renders_the_same_text(dataset):
    assert render(dataset, ViewState()) == render(dataset, ViewState())


def test_tooltips_and_names_are_escaped(dataset):
    features = dataset.features.copy()
    features.loc["tabriz", "name"] = "<img src=x onerror=alert(1)>Tabriz"
    html = render(dataset, ViewState(), features=features)
    assert "<img src=x onerror" not in html
    # folium writes "&" as \u0026 inside the JSON: the browser reads back the escaped label
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;Tabriz" in html
    # the plain name (set only as text or an attribute) has its "<" written as \u003c
    assert "\\u003cimg src=x onerror=alert(1)\\u003eTabriz, place" in html


def test_country_labels_come_from_the_basemap_and_are_escaped(dataset):
    context = dataset.context.copy()
    context.loc["country-irq", "name"] = "</script><script>window.__xss=1</script>Iraq"
    html = render(dataset, ViewState(), context=context)
    assert "</script><script>window.__xss" not in html
    names = {label[0] for label in plugin_options(html)["countries"]}
    assert {"Iran", "Turkey", "Azerbaijan", "Saudi Arabia"} <= names
    assert "</script><script>window.__xss=1</script>Iraq" in names


def test_country_label_points_lie_inside_their_country_and_the_region(dataset):
    labels = {label[0]: label for label in country_labels(dataset.context)}
    shapes = dict(zip(dataset.context["name"], dataset.context.geometry, strict=True))
    west, south, east, north = REGION
    for name, lat, lon, min_zoom, _rank in labels.values():
        assert shapes[name].contains(Point(lon, lat)), name
        assert west <= lon <= east and south <= lat <= north, name
        assert 2 <= min_zoom <= 12
    assert labels["Iran"][4] > max(r for n, *_, r in labels.values() if n != "Iran")
    assert labels["Russia"][2] < 60  # its label is in the region, not in Siberia


def test_sea_labels_file_is_valid(dataset):
    with SEA_LABELS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and list(rows[0]) == [
        "name",
        "name_fa",
        "name_ru",
        "lat",
        "lon",
        "min_zoom",
        "source",
    ]
    for row in rows:  # named in every language, each in its script
        assert re.search("[\u0600-\u06ff]", row["name_fa"]) and "ي" not in row["name_fa"]
        assert re.search("[\u0400-\u04ff]", row["name_ru"]), row["name"]
    land = shapely.union_all(dataset.context.geometry.values)
    west, south, east, north = REGION
    names = [row["name"] for row in rows]
    assert len(names) == len(set(names))
    for row in rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        assert west <= lon <= east and south <= lat <= north, row["name"]
        assert not land.contains(Point(lon, lat)), f"{row['name']} is labelled on land"
        assert 2 <= int(row["min_zoom"]) <= 12
        assert re.fullmatch(r"https://[a-z.]+/\S+", row["source"]), row["source"]
    assert {"Caspian Sea", "Persian Gulf", "Gulf of Oman", "Black Sea"} <= set(names)
    assert len(sea_labels()) == len(rows)


def test_sea_and_country_labels_reach_the_map(default_html):
    options = plugin_options(default_html)
    seas = {label[0] for label in options["seas"]}
    assert {"Caspian Sea", "Persian Gulf", "Mediterranean Sea", "Arabian Sea"} <= seas
    assert len(options["countries"]) > 40


def test_places_carry_a_short_label_a_rank_and_a_spoken_name(default_html):
    collections = re.findall(r"geo_json_\w+_add\((\{\"features\".*?\})\);", default_html)
    history = json.loads(collections[-1])  # the basemap comes first
    props = {f["properties"]["id"]: f["properties"] for f in history["features"]}
    assert props["majlis"]["short"] == "Majlis"
    assert props["tehran-conference"]["short"] == "Soviet embassy"
    assert props["tehran"]["rank"] > props["ardabil"]["rank"]  # more events, placed first
    assert props["tabriz"]["aria"] == "Tabriz, place"
    assert props["soviet-zone"]["aria"] == "Soviet occupation zone, zone (approximate)"
    assert props["republic-of-mahabad"]["aria"].startswith("Republic of Mahabad, self-declared")


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Majlis (Baharestan), Tehran", "Majlis"),
        ("Washington, D.C.", "Washington"),
        ("Shahid Nojeh air base (Hamadan)", "Shahid Nojeh air base"),
        ("Tabriz", "Tabriz"),
    ],
)
def test_short_name(name, short):
    assert short_name(name) == short


def test_certainty_sets_the_pattern_of_lines_and_areas(dataset):
    def style_of(ident):
        return feature_style(dataset.features.loc[ident].to_dict())

    assert style_of("soviet-zone")["dashArray"] == style.CERTAINTY_DASH["approximate"]
    assert style_of("kurdish-neutral-strip")["dashArray"] == style.CERTAINTY_DASH["disputed"]
    assert style_of("soviet-line-1941")["dashArray"] == style.CERTAINTY_DASH["approximate"]
    assert style_of("soviet-line-1941-alt")["dashArray"] == style.CERTAINTY_DASH["disputed"]
    documented = {"kind": "zone", "certainty": "documented", "id": "british-zone"}
    assert feature_style(documented)["dashArray"] is None
    assert style_of("soviet-zone")["color"] != style_of("british-zone")["color"]


def test_places_are_24px_targets_coloured_by_period(dataset):
    site = feature_style(dataset.features.loc["tabriz"].to_dict())
    assert site["iconSize"] == [24, 24] and site["iconAnchor"] == [12, 12]
    assert style.PERIOD_COLOURS["crisis"] in site["html"]
    assert "ss-site--crisis" in site["className"]


def test_legend_lists_only_what_is_drawn(dataset):
    default = legend_entries(visible_features(dataset.features, ViewState()))
    words = [w for _, w in default["areas"]]
    assert "Soviet zone and lines" in words and "Republic of Mahabad" in words
    assert [w for _, w in default["places"]] == [
        style.PERIOD_WORDS["occupation"],
        style.PERIOD_WORDS["crisis"],
    ]
    assert ("dashed", "approximate") in default["patterns"]
    assert ("dotted", "disputed") in default["patterns"]  # the Kurdish strip

    modern = legend_html(visible_features(dataset.features, ViewState(None, ("modern",))))
    assert style.PERIOD_WORDS["modern"] in modern
    assert "Soviet" not in modern and "Republic of Mahabad" not in modern
    assert style.PERIOD_WORDS["crisis"] not in modern
    assert "dashed: approximate" in modern  # Fordow's place is approximate
    assert "dotted" not in modern

    early = legend_html(visible_features(dataset.features, ViewState(PartialDate(1941, 9))))
    assert "Republic of Mahabad" not in early and "Soviet zone" in early

    assert legend_html(visible_features(dataset.features, ViewState(layers=()))) == ""


def test_legend_text_is_escaped(dataset):
    body = legend_html(visible_features(dataset.features, ViewState(PartialDate(1946, 6))))
    assert "Azerbaijan People&#x27;s Government" in body
    assert "People's" not in body


def test_legend_is_on_the_map_and_folds_on_narrow_screens(default_html):
    options = plugin_options(default_html)["legend"]
    assert "Soviet zone and lines" in options["html"]
    assert options["narrow"] >= 390  # a phone opens it folded


def test_focus_stays_visible_and_styles_reach_the_page(default_html):
    css = map_css()
    assert re.search(r"\.ss-feature:focus-visible\s*\{\s*outline: 3px solid", css)
    assert f"--ss-focus:{style.FOCUS}" in css
    assert "<style>" + css[:40] in default_html  # in the head: both backends read it


def test_highlight_ring_is_named_after_its_place(dataset):
    group = highlight_layer(dataset.features, "majlis")
    fmap = build_map(dataset.features, dataset.context, ViewState())
    group.add_to(fmap)
    html = fmap.get_root().render()
    assert '"className": "ss-ring ss-ring--majlis"' in html


def test_legend_css_serves_the_legend_outside_the_map():
    css = legend_css()
    assert ".ss-key--dot" in css and ".ss-legend-body" in css
    assert ".ss-gesture-hint" not in css and ".ss-label" not in css


def test_the_map_speaks_the_readers_language(dataset):
    """Labels, legend, controls and tooltips in Persian; the basemap's names from Natural Earth."""
    from explorer.i18n import using
    from explorer.state import ViewState

    data = dataset.localised("fa")
    with using("fa"):
        html = build_map(data.features, data.context, ViewState(), data.events).get_root().render()
    # Folium writes the GeoJSON's text as \u escapes; the plugin's options as they are.
    assert json.dumps("تبریز")[1:-1] in html or "تبریز" in html
    assert "خلیج فارس" in html and "عراق" in html
    assert '"legend":"Legend"' not in html and '"reset":"Reset the view"' not in html
