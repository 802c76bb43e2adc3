"""The guided tour: its data, the state each stop sets, its links, and the page through AppTest."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from explorer import links, story
from explorer.state import PARAMS, View, ViewState, parse_query, parse_stop
from explorer.visibility import visible_features
from geodata.dates import PartialDate
from tests.conftest import (
    address,
    history_navigation,
    run_page,
    set_address,
    shown_state,
    shown_stop,
    widget,
)

# The issue's topics, in order, each with a word its stop must mention.
TOPICS = [
    ("1941 invasion", "1941"),
    ("Persian Corridor", "Persian Corridor"),
    ("Tehran Conference", "Roosevelt"),
    ("1944 oil concession", "concession"),
    ("Azerbaijan government", "Pishevari"),
    ("UN complaint", "Security Council"),
    ("Mahabad republic", "Qazi Muhammad"),
    ("Qavam in Moscow", "Qavam"),
    ("withdrawal", "left Azerbaijan"),
    ("fall of both republics", "Mianeh"),
    ("1947 Majlis vote", "102 votes"),
    ("Bushehr", "Bushehr"),
    ("Hamadan 2016", "Hamadan"),
    ("drones and Alabuga", "Alabuga"),
    ("2025 treaty", "Partnership Treaty"),
    ("June 2025 war", "Fordow"),
]


@pytest.fixture(scope="module")
def stops(dataset) -> list[story.Stop]:
    return story.stops(dataset.story)


# --- the data -------------------------------------------------------------------------------


def test_twelve_to_eighteen_stops_in_order(stops):
    assert 12 <= len(stops) <= 18
    assert [s.number for s in stops] == list(range(1, len(stops) + 1))
    days = [s.date.first_day() for s in stops]
    assert days == sorted(days), "the tour runs forward in time"
    assert stops[0].date.year == 1941 and stops[-1].date.year == 2025


def test_the_tour_covers_the_issue_topics_in_order(stops):
    positions = []
    for topic, word in TOPICS:
        hits = [s.number for s in stops if word.lower() in (s.title + s.narrative).lower()]
        assert hits, f"no stop covers {topic}"
        positions.append(hits[0])
    assert positions == sorted(positions)


def test_every_stop_sets_a_map_that_draws_what_it_outlines(dataset, stops):
    for stop in stops:
        assert stop.sources and set(stop.sources) <= set(dataset.sources.index)
        assert stop.feature_ids, f"stop {stop.number} outlines nothing"
        drawn = visible_features(dataset.features, stop.state())
        assert set(stop.feature_ids) <= set(drawn.index), stop.id


def test_unverified_claims_are_not_told_as_fact(dataset):
    text = " ".join(dataset.story["narrative"]).lower()
    for unverified in ("hinz", "warm-water", "warm water", "strike at kermanshah", "1945 strike"):
        assert unverified not in text
    assert "kermanshah" not in " ".join(dataset.story["feature_ids"].map(" ".join))


def test_narratives_are_short_and_plain(dataset):
    for narrative in dataset.story["narrative"]:
        assert 40 <= len(narrative.split()) <= 130
        assert "<" not in narrative and "](" not in narrative


# --- pure functions -------------------------------------------------------------------------


def test_stop_state_is_the_stops_map(stops):
    stop = stops[5]
    state = stop.state()
    assert state.date == stop.date and state.layers == stop.layers
    assert state.feature == stop.feature_ids[0] and state.view == stop.view


@pytest.mark.parametrize(
    ("value", "number", "notice"),
    [
        ("5", 5, False),
        (["2", "7"], 7, False),
        (" 3 ", 3, False),
        ("17", 17, False),
        ("0", 1, True),
        ("18", 1, True),
        ("-2", 1, True),
        ("five", 1, True),
        ("", 1, True),
        ("<script>alert(1)</script>" * 5, 1, True),
    ],
)
def test_parse_stop(value, number, notice):
    got, message = parse_stop(value, 17)
    assert got == number
    assert (message is not None) == notice
    if message:
        assert message.startswith("Ignored stop=") and "stops 1 to 17" in message
        assert len(message) < 140


def test_links_query_adds_the_stop_to_the_share_link():
    state = ViewState(PartialDate(1946, 5, 6), ("occupation", "crisis"), "soviet-zone")
    assert links.query(state, 10) == {
        "date": "1946-05-06",
        "layers": "occupation,crisis",
        "feature": "soviet-zone",
        "stop": "10",
    }
    assert parse_query(links.query(state, 10), {"soviet-zone"}).notices == []


def test_stop_html_escapes_and_lists_sources(dataset, stops):
    stop = stops[0]
    html = story.stop_html(stop, dataset.features, dataset.sources)
    assert f'data-stop="{stop.number}"' in html
    for ident in stop.sources:
        assert dataset.sources.loc[ident, "url"].replace("&", "&amp;") in html
    evil = story.Stop(
        "x", 1, "<b>bold</b>", "<script>alert(1)</script>", PartialDate(1946, 1), ("crisis",),
        ("tabriz",), View(1, 2, 3), (),
    )  # fmt: skip
    html = story.stop_html(evil, dataset.features, dataset.sources)
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>bold" not in html


def test_outline_group_outlines_every_stop_feature(dataset, stops):
    stop = next(s for s in stops if len(s.feature_ids) >= 3)
    group = story.outline_group(dataset.features, stop.feature_ids)
    assert len(group._children) == len(stop.feature_ids)
    assert len(story.outline_group(dataset.features, ["atlantis"])._children) == 0


# --- the page -------------------------------------------------------------------------------


def run_story(params: dict[str, str] | None = None) -> AppTest:
    return run_page("pages/story.py", params)


def drawn_stop(at: AppTest) -> int:
    body = " ".join(e.proto.body for e in at.get("html"))
    return int(re.search(r'class="story-stop" data-stop="(\d+)"', body).group(1))


def assert_state_is_stop(at: AppTest, stop: story.Stop) -> None:
    assert address(at) == links.query(stop.state(), stop.number)
    assert shown_state(at) == stop.state()
    assert shown_stop(at) == stop.number
    assert drawn_stop(at) == stop.number


def test_stop_link_opens_that_stop(stops):
    at = run_story({"stop": "5"})
    assert_state_is_stop(at, stops[4])
    assert not at.warning
    assert at.progress[0].value == round(5 / len(stops) * 100)


def test_first_visit_without_a_stop_starts_at_the_beginning(stops):
    at = run_story()
    assert_state_is_stop(at, stops[0])
    assert at.button(key="story_prev").disabled


def test_next_and_previous_walk_the_stops(stops):
    at = run_story({"stop": "1"})
    for stop in stops[1:]:
        at.button(key="story_next").click().run()
        assert not at.exception
        assert_state_is_stop(at, stop)
    assert at.button(key="story_next").disabled
    for stop in reversed(stops[:-1]):
        at.button(key="story_prev").click().run()
        assert_state_is_stop(at, stop)
    assert at.button(key="story_prev").disabled


def test_jump_to_a_stop(stops):
    at = run_story({"stop": "2"})
    widget(at, "selectbox", "story_jump").set_value(12).run()
    assert_state_is_stop(at, stops[11])


def test_moving_the_slider_keeps_the_stop(stops):
    at = run_story({"stop": "3"})
    widget(at, "select_slider", "month").set_value("1943-05").run()
    assert at.query_params["date"] == "1943-05"
    assert at.query_params["stop"] == "3"
    assert drawn_stop(at) == 3


def test_a_link_with_the_shared_view_keeps_it(stops):
    params = {"date": "1946-09", "layers": "crisis", "stop": "11"}
    at = run_story(params)
    assert address(at) == params
    assert widget(at, "select_slider", "month").value == "1946-09"
    assert drawn_stop(at) == 11


@pytest.mark.parametrize(
    "value", ["99", "zero", "<img src=x onerror=alert(1)>", "①", "²", "9" * 5000, "", "٣"]
)
def test_bad_stop_gets_the_notice_and_stop_one(stops, value):
    at = run_story({"stop": value})
    assert at.warning and "Ignored stop=" in at.warning[0].value
    assert drawn_stop(at) == 1
    assert at.query_params["stop"] == "1"
    assert "<img" not in at.warning[0].value.replace("\\<img", "")  # shown as text


def test_bad_shared_params_get_the_notice_too():
    at = run_story({"stop": "4", "date": "1946-13"})
    assert at.warning and "Ignored date=" in at.warning[0].value
    assert drawn_stop(at) == 4
    assert set(at.query_params) <= {*PARAMS, "stop"}


def test_the_stop_links_to_the_map(stops):
    at = run_story({"stop": "13"})
    link = at.get("page_link")[0].proto
    assert "feature=bushehr-npp" in link.query_string
    assert "date=2013-09-23" in link.query_string


def test_a_late_echo_of_an_old_address_does_not_move_the_tour_back(stops):
    at = run_story({"stop": "3"})
    old = address(at)
    at.button(key="story_next").click().run()
    assert_state_is_stop(at, stops[3])
    set_address(at, old)  # a rerun that left the browser before our last rewrite
    at.run()
    assert_state_is_stop(at, stops[3])
    assert not at.warning


def test_back_returns_to_the_previous_stop(stops, monkeypatch):
    at = run_story({"stop": "3"})
    old = address(at)
    at.button(key="story_next").click().run()
    with history_navigation(monkeypatch):
        set_address(at, old)
        at.run()
    assert_state_is_stop(at, stops[2])


def test_a_late_slider_value_from_the_previous_stop_is_ignored(stops):
    at = run_story({"stop": "3"})
    old_slider = widget(at, "select_slider", "month")._widget_state
    at.button(key="story_next").click().run()
    assert_state_is_stop(at, stops[3])
    late = at._tree.get_widget_states()
    late.widgets.append(old_slider)  # the old stop's slider, sent back late
    at._run(late)
    assert_state_is_stop(at, stops[3])
    widget(at, "select_slider", "month").set_value("1945-05").run()
    assert at.query_params["date"] == "1945-05"  # a month the reader chose is kept
