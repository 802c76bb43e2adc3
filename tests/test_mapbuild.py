"""The map rendered to an HTML string: offline assets, the right layers, escaped tooltips."""

from __future__ import annotations

import re

import pytest

from explorer.mapbuild import build_map, feature_style, legend_html
from explorer.state import View, ViewState
from geodata.dates import PartialDate


def render(dataset, state: ViewState) -> str:
    return build_map(dataset.features, dataset.context, state).get_root().render()


@pytest.fixture(scope="module")
def default_html(dataset) -> str:
    return render(dataset, ViewState())


def drawn_ids(html: str) -> set[str]:
    return set(re.findall(r'"id": "([a-z0-9-]+)", "kind"', html))


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


def test_offline_basemap_sits_below_online_tiles(default_html):
    assert re.search(r'createPane\(\s*"basemap"\)', default_html)
    assert "zIndex = 150" in default_html
    assert "basemaps.cartocdn.com" in default_html  # the online tile layer is offered
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


def test_no_layers_draw_no_history(dataset):
    assert drawn_ids(render(dataset, ViewState(layers=()))) == set()


def test_view_sets_centre_and_zoom(dataset):
    html = render(dataset, ViewState(view=View(36.77, 45.73, 8)))
    assert "[36.77, 45.73]" in html
    assert '"zoom": 8' in html


def test_same_state_renders_the_same_text(dataset):
    assert render(dataset, ViewState()) == render(dataset, ViewState())


def test_tooltips_escape_names(dataset):
    features = dataset.features.copy()
    features.loc["tabriz", "name"] = "<img src=x onerror=alert(1)>Tabriz"
    html = build_map(features, dataset.context, ViewState()).get_root().render()
    assert "<img src=x onerror" not in html
    # folium writes "&" as \u0026 inside the JSON: the browser reads back the escaped label
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;Tabriz" in html


def test_certainty_changes_the_outline(dataset):
    def style(ident):
        return feature_style(dataset.features.loc[ident].to_dict())

    assert style("soviet-zone")["dashArray"] != style("kurdish-neutral-strip")["dashArray"]
    assert style("soviet-line-1941-alt")["dashArray"]  # the alternative line is dashed
    assert style("soviet-line-1941")["dashArray"] is None
    assert style("soviet-zone")["color"] != style("british-zone")["color"]


def test_legend_is_on_the_map(default_html):
    assert "map-legend" in default_html
    assert "approximate" in legend_html() and "disputed" in legend_html()
