"""The timeline: search and filters, the chosen event and its map link, the chart, the table,
and the page itself through AppTest."""

from __future__ import annotations

import itertools
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from explorer import chronology, frame, links
from explorer.state import PARAMS, ViewState, parse_query
from geodata.dates import PartialDate
from geodata.schema import CERTAINTIES, PERIODS
from tests.conftest import run_page, shown_state, widget

ALL = tuple(PERIODS)


# --- search and filters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ja'far Pishevari", "jafar pishevari"),
        ("BANDAR-e ŠĀHPŪR", "bandar e sahpur"),
        ("  Qazî   Mohammed ", "qazi mohammed"),
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_normalise(text, expected):
    assert chronology.normalise(text) == expected


def test_an_alias_finds_the_place(dataset):
    found = chronology.filter_events(
        dataset.events, dataset.features, periods=ALL, query="Kirmanshah"
    )
    assert len(found) >= 1
    assert all("kermanshah" in ids for ids in found["feature_ids"])
    assert "kirmanshah" not in chronology.normalise(" ".join(found["title"] + found["summary"]))
    by_name = chronology.filter_events(
        dataset.events, dataset.features, periods=ALL, query="kermanshah"
    )
    assert set(by_name.index) >= set(found.index)


@pytest.mark.parametrize(
    ("query", "event_id"),
    [
        ("Meshed", "1941-09-soviet-garrison-at-mashhad"),  # an alias of Mashhad
        ("Sauj Bulagh", "1946-01-22-mahabad-republic-proclaimed"),  # Mahabad's old name
        ("Gromyko", "1946-03-27-gromyko-walkout"),  # summary text
        ("Majlis 102", "1947-10-22-majlis-voids-oil-deal"),  # two words, both required
        ("تبریز", "1945-09-03-adp-founded"),  # Tabriz in Persian
    ],
)
def test_search_reads_titles_summaries_and_place_names(dataset, query, event_id):
    found = chronology.filter_events(dataset.events, dataset.features, periods=ALL, query=query)
    assert event_id in found.index


def test_search_needs_every_word(dataset):
    found = chronology.filter_events(
        dataset.events, dataset.features, periods=ALL, query="Bushehr Gromyko"
    )
    assert found.empty


def test_filters_by_period_place_and_certainty(dataset):
    events, features = dataset.events, dataset.features
    crisis = chronology.filter_events(events, features, periods=("crisis",))
    assert set(crisis["period"]) == {"crisis"}
    assert len(crisis) == (events["period"] == "crisis").sum()
    at_tabriz = chronology.filter_events(events, features, periods=ALL, places=["tabriz"])
    assert len(at_tabriz) >= 4 and all("tabriz" in ids for ids in at_tabriz["feature_ids"])
    disputed = chronology.filter_events(events, features, periods=ALL, certainties=["disputed"])
    assert set(disputed["certainty"]) == {"disputed"}
    assert chronology.filter_events(events, features, periods=()).empty
    assert chronology.filter_events(events, features, periods=ALL, certainties=()).empty
    everything = chronology.filter_events(events, features, periods=ALL)
    assert len(everything) == len(events)
    assert list(everything["start_day"]) == sorted(everything["start_day"])


def test_place_options_are_the_places_of_events(dataset):
    places = chronology.event_places(dataset.events, dataset.features)
    used = {i for ids in dataset.events["feature_ids"] for i in ids}
    assert set(places) == used
    names = [chronology.normalise(dataset.features.loc[i, "name"]) for i in places]
    assert names == sorted(names)


# --- the chosen event and its map link ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1946-01-22", "1946-01-22"), ("1941-08", "1941-08"), ("1995", "1995-01")],
)
def test_state_date_has_a_month(text, expected):
    assert chronology.state_date(text).iso() == expected


def test_a_link_with_date_and_feature_reopens_the_event(dataset):
    state = ViewState(date=PartialDate(1946, 1, 22), feature="republic-of-mahabad")
    chosen = chronology.chosen_events(dataset.events, state)
    assert list(chosen.index) == ["1946-01-22-mahabad-republic-proclaimed"]
    assert chronology.chosen_events(dataset.events, state.with_(date=None)).empty
    assert chronology.chosen_events(dataset.events, state.with_(feature=None)).empty
    year_only = ViewState(date=PartialDate(1942, 1), feature="bandar-shah")
    assert list(chronology.chosen_events(dataset.events, year_only).index) == [
        "1942-persian-corridor-lend-lease"
    ]


def test_every_event_can_be_chosen_from_its_own_state(dataset):
    """Choosing an event sets date and feature; that state must point back at the event."""
    for ident, event in dataset.events.iterrows():
        state = chronology.map_state(event, dataset.features, ())
        assert ident in chronology.chosen_events(dataset.events, state).index


def test_map_state_selects_and_draws_the_place(dataset):
    events, features = dataset.events, dataset.features
    event = events.loc["1941-09-16-reza-shah-abdicates"]  # an occupation event at Tehran
    state = chronology.map_state(event, features, ("occupation",))
    assert state.feature == "tehran"
    assert state.date == PartialDate(1941, 9, 16)
    assert set(state.layers) == {"occupation", features.loc["tehran", "period"]}
    assert state.view is None  # Tehran is in the default view
    far = chronology.map_state(events.loc["1946-01-19-iran-complains-to-un"], features, ALL)
    assert far.feature == "london"
    assert far.view is not None and abs(far.view.lat - 51.5) < 1 and far.view.zoom == 5
    kept = chronology.map_state(
        events.loc["1946-01-22-mahabad-republic-proclaimed"], features, (), "republic-of-mahabad"
    )
    assert kept.feature == "republic-of-mahabad"
    ignored = chronology.map_state(
        events.loc["1946-01-22-mahabad-republic-proclaimed"], features, (), "tabriz"
    )
    assert ignored.feature == "mahabad"


def test_every_event_links_to_a_valid_map_state(dataset):
    for _, event in dataset.events.iterrows():
        state = chronology.map_state(event, dataset.features, ())
        href = links.page_href("map", state)
        params = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
        parsed = parse_query(params, set(dataset.features.index))
        assert parsed.notices == [], (event["id"], parsed.notices)
        assert parsed.state == state


# --- HTML -----------------------------------------------------------------------------------


def test_detail_and_table_escape_the_data(dataset):
    events = dataset.events.copy()
    ident = events.index[0]
    events.loc[ident, "title"] = "<script>alert(1)</script>"
    events.loc[ident, "summary"] = '<img src=x onerror="alert(2)">'
    detail = chronology.event_detail_html(events.loc[ident], dataset.features, dataset.sources)
    table = chronology.events_table_html(events, dataset.features, dataset.sources, ALL)
    for text in (detail, table):
        assert "<script>" not in text and "<img" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_table_lists_every_event_with_a_map_link(dataset):
    table = chronology.events_table_html(dataset.events, dataset.features, dataset.sources, ALL)
    assert table.count("<tr data-event=") == len(dataset.events)
    assert f"<caption>{len(dataset.events)} events" in table
    assert 'href="./?date=1946-01-22&amp;layers=' in table
    assert table.count('scope="col"') == 7


# --- the chart ------------------------------------------------------------------------------


def test_rows_keep_nearby_points_apart(dataset):
    for era in chronology.ERAS:
        records = chronology.chart_events(dataset.events, dataset.features, era)
        for _, group in records.groupby("row"):
            days = sorted(PartialDate.parse(d).first_day() for d in group["start"])
            gaps = [(b - a).days for a, b in itertools.pairwise(days)]
            assert all(gap > era.gap_days for gap in gaps)


def test_every_event_is_in_one_era_of_the_chart(dataset):
    ids = []
    for era in chronology.ERAS:
        ids += list(chronology.chart_events(dataset.events, dataset.features, era)["id"])
    assert sorted(ids) == sorted(dataset.events.index)


def test_spans_are_the_zones_republics_and_corridor(dataset):
    spans = chronology.chart_spans(dataset.features, ALL, chronology.ERAS[0])
    assert {"soviet-zone", "british-zone", "azerbaijan-peoples-government"} <= set(spans["id"])
    assert {"republic-of-mahabad", "trans-iranian-railway"} <= set(spans["id"])
    assert not set(spans["id"]) & set(dataset.features.index[dataset.features["kind"] == "site"])
    crisis_only = chronology.chart_spans(dataset.features, ("crisis",), chronology.ERAS[0])
    assert set(crisis_only["id"]) == {"azerbaijan-peoples-government", "republic-of-mahabad"}


def test_chart_spec_selects_events_by_id(dataset):
    chart = chronology.timeline_chart(
        dataset.events,
        dataset.features,
        periods=ALL,
        chosen=["1946-01-22-mahabad-republic-proclaimed"],
        marker=PartialDate(1946, 1),
    )
    spec = chart.to_dict()
    pick = next(p for p in spec["params"] if p["name"] == chronology.SELECTION)
    assert pick["select"] == {"type": "point", "fields": ["id"], "on": "click"}
    text = json.dumps(spec)
    ids = set(re.findall(r'"id": "([a-z0-9-]+)"', text))
    assert set(dataset.events.index) <= ids
    assert "Map date: Jan 1946" in text
    colour = next(
        layer["encoding"]["color"]
        for layer in spec["hconcat"][1]["layer"]
        if "color" in layer.get("encoding", {})
    )
    assert colour["scale"]["range"] == [chronology.PERIOD_COLOURS[p] for p in PERIODS]


def test_chart_of_nothing_still_draws(dataset):
    chart = chronology.timeline_chart(dataset.events.iloc[0:0], dataset.features, periods=())
    assert "No event shown" in json.dumps(chart.to_dict())


# --- the page -------------------------------------------------------------------------------


def run_timeline(params: dict[str, str] | None = None) -> AppTest:
    return run_page("pages/timeline.py", params)


def html_text(at: AppTest) -> str:
    return " ".join(e.proto.body for e in at.get("html"))


def link_query(link) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(link.query_string).items()}


def table_ids(at: AppTest) -> list[str]:
    return re.findall(r'<tr data-event="([^"]+)"', html_text(at))


def test_page_shows_the_events_of_the_shared_layers(dataset):
    at = run_timeline({"date": "1946-02", "layers": "crisis"})
    expected = dataset.events.index[dataset.events["period"] == "crisis"]
    assert sorted(table_ids(at)) == sorted(expected)
    chart = at.get("vega_lite_chart")[0].proto
    assert list(chart.selection_mode) == [chronology.SELECTION]
    assert not at.warning
    assert dict(at.query_params) == {"date": "1946-02", "layers": "crisis"}


def test_search_box_finds_kermanshah_by_its_old_name():
    at = run_timeline({"layers": "occupation,crisis,modern"})
    at.text_input(key="timeline_search").input("Kirmanshah").run()
    ids = table_ids(at)
    assert "1941-08-30-british-draft-zone-lines" in ids
    assert all("kermanshah" in frame.dataset().events.loc[i, "feature_ids"] for i in ids)


def test_place_and_certainty_filters():
    at = run_timeline({"layers": "occupation,crisis,modern"})
    at.multiselect(key="timeline_places").select("mahabad").run()
    ids = table_ids(at)
    assert "1947-03-31-qazi-muhammad-hanged" in ids
    assert "1946-07-14-abadan-oil-strike" not in ids
    at.button_group(key="timeline_certainties").set_value(["disputed"]).run()
    assert set(table_ids(at)) < set(ids)
    assert "1947-03-31-qazi-muhammad-hanged" in table_ids(at)  # disputed date


def test_choosing_an_event_shows_it_and_links_to_the_map(dataset):
    at = run_timeline({"date": "1946-02", "layers": "occupation,crisis"})
    widget(at, "selectbox", "timeline_event").set_value("1946-03-27-gromyko-walkout").run()
    assert not at.exception
    assert shown_state(at).date == PartialDate(1946, 3, 27)
    assert shown_state(at).feature == "new-york"
    assert at.query_params["date"] == "1946-03-27"
    assert at.query_params["feature"] == "new-york"
    assert 'data-event="1946-03-27-gromyko-walkout"' in html_text(at)
    link = at.get("page_link")[0].proto
    assert link.page_script_hash == calc_hash("index")  # the map page (served at the root)
    query = link_query(link)
    assert query["date"] == "1946-03-27" and query["feature"] == "new-york"
    assert query["layers"] == "occupation,crisis"
    assert "view" in query  # New York is far from the default view


def test_a_shared_link_reopens_the_chosen_event():
    at = run_timeline(
        {"date": "1946-01-22", "layers": "occupation,crisis", "feature": "republic-of-mahabad"}
    )
    chooser = widget(at, "selectbox", "timeline_event")
    assert chooser.value == "1946-01-22-mahabad-republic-proclaimed"
    assert "Kurdish republic proclaimed" in html_text(at)
    query = link_query(at.get("page_link")[0].proto)
    assert query["feature"] == "republic-of-mahabad"  # the feature of the link is kept
    assert query["date"] == "1946-01-22"


@pytest.mark.parametrize(
    "params",
    [
        {"date": "1946-13"},
        {"layers": "medieval"},
        {"feature": "<script>alert(1)</script>"},
        {"view": "[x](javascript:alert(1))", "event": "1"},
    ],
)
def test_bad_links_get_the_notice(params):
    at = run_timeline(params)
    assert at.warning and "Ignored" in at.warning[0].value
    assert "<script>" not in at.warning[0].value
    assert set(at.query_params) <= set(PARAMS)


def test_certainty_pills_list_every_certainty():
    at = run_timeline()
    assert list(at.button_group(key="timeline_certainties").value) == list(CERTAINTIES)


def test_an_empty_timeline_says_so():
    at = run_timeline({"layers": "none"})
    assert not at.exception
    assert not at.get("vega_lite_chart")
    assert any("period layer" in info.value for info in at.info)


@pytest.mark.parametrize("query", ["Bushehrr", "zzzz", "Bushehr"])
def test_a_search_that_finds_nothing_says_so(query):
    at = run_timeline({"layers": "occupation"})
    at.text_input(key="timeline_search").input(query).run()
    assert not at.exception
    assert any("No event matches" in info.value for info in at.info)
    assert not at.get("vega_lite_chart")


def test_no_certainty_chosen_says_so():
    at = run_timeline()
    at.button_group(key="timeline_certainties").set_value([]).run()
    assert not at.exception
    assert any("certainty" in info.value for info in at.info)
