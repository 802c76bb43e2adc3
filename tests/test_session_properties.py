"""Properties of the share-link contract and of the view-state owner, found by Hypothesis:
no text in any parameter of any page raises, and after any sequence of actions the address
holds exactly the state shown, a link opened always winning over older state."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import links, time_control
from explorer.state import PARAMS, STOP_PARAM, ViewState, parse_query, parse_stop
from geodata import load_dataset
from tests.conftest import (
    address,
    history_navigation,
    run_page,
    set_address,
    shown_state,
    shown_stop,
    widget,
)

DATA = load_dataset()
IDS = set(DATA.features.index)
PAGES = (None, "pages/timeline.py", "pages/story.py", "pages/sources.py")
# Any text a URL can carry: every Unicode character but lone surrogates (not encodable).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
HUGE_NUMBER = st.text("0123456789", min_size=4301, max_size=6000)  # past int()'s limit
VALUE = st.one_of(ANY_TEXT, HUGE_NUMBER, st.sampled_from(["①", "²", "٣", "all", "none", ""]))
PARAM_VALUES = st.one_of(VALUE, st.lists(VALUE, min_size=1, max_size=3))  # repeated parameters
NAMES = st.sampled_from([*PARAMS, STOP_PARAM, "embed", "x", ""])


@given(st.dictionaries(NAMES, PARAM_VALUES, max_size=5))
@settings(max_examples=400, deadline=None)
def test_parse_query_never_raises_and_explains(params):
    parsed = parse_query(params, IDS)
    assert isinstance(parsed.state, ViewState)
    for notice in parsed.notices:
        assert notice.startswith("Ignored") and len(notice) < 400
    assert parse_query(links.query(parsed.state), IDS).state == parsed.state  # canonical again


@given(PARAM_VALUES)
@settings(max_examples=300, deadline=None)
def test_parse_stop_never_raises(value):
    number, notice = parse_stop(value, 17)
    assert 1 <= number <= 17
    assert notice is None or notice.startswith("Ignored stop=")


@pytest.mark.parametrize("page", PAGES)
@given(params=st.dictionaries(NAMES, PARAM_VALUES, max_size=4))
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_no_link_raises_on_any_page(page, params):
    at = run_page(page, params)  # asserts that the run raised nothing
    assert not at.exception
    assert_address_is_the_state(at, story=page == "pages/story.py")


def assert_address_is_the_state(at, *, story: bool = False) -> None:
    """The address holds the state shown: written in full, or (as opened) meaning exactly it,
    with nothing in it that a reopening would ignore."""
    if story:
        assert address(at) == links.query(shown_state(at), shown_stop(at))
        return
    parsed = parse_query(address(at), IDS)
    assert parsed.notices == []
    assert parsed.state == shown_state(at)


MONTHS = time_control.slider_months()  # the slider's positions
FEATURES = sorted(IDS)

ACTIONS = st.one_of(
    st.tuples(st.just("slider"), st.sampled_from(MONTHS)),
    st.tuples(st.just("year"), st.sampled_from(["1941", "1946", "1979", "2016", "2025"])),
    st.tuples(st.just("month"), st.integers(min_value=1, max_value=12)),
    st.tuples(st.just("layers"), st.lists(st.sampled_from(["occupation", "crisis", "modern"]))),
    st.tuples(st.just("pick"), st.sampled_from(FEATURES)),
    st.tuples(st.just("event"), st.integers(min_value=1, max_value=3)),
    st.tuples(st.just("back"), st.integers(min_value=0, max_value=5)),
    st.tuples(st.just("link"), st.dictionaries(NAMES, VALUE, max_size=3)),
)


@given(actions=st.lists(ACTIONS, min_size=1, max_size=6))
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_sequence_of_actions_keeps_the_address_and_the_state_together(actions, monkeypatch):
    at = run_page()
    seen = [address(at)]
    for kind, arg in actions:
        if kind == "slider" and not widget(at, "select_slider", "month").disabled:
            widget(at, "select_slider", "month").set_value(arg).run()
        elif kind == "year" and not widget(at, "selectbox", "year").disabled:
            widget(at, "selectbox", "year").set_value(arg).run()
        elif kind == "month" and not widget(at, "selectbox", "month_pick").disabled:
            widget(at, "selectbox", "month_pick").set_value(arg).run()
        elif kind == "layers":
            widget(at, "button_group", "layers").set_value(arg).run()
        elif kind == "pick":
            widget(at, "selectbox", "place_picker").select(arg).run()
        elif kind == "event":
            state = shown_state(at)
            choosers = [s for s in at.selectbox if str(s.key).startswith("goto_event_")]
            if state.feature and choosers and len(choosers[0].options) > arg:
                choosers[0].select_index(arg).run()
        elif kind in ("back", "link"):
            target = seen[-1 - min(arg, len(seen) - 1)] if kind == "back" else arg
            with history_navigation(monkeypatch):  # Back, or a link opened in the session
                set_address(at, target)
                at.run()
            opened = parse_query(target, IDS).state
            assert shown_state(at) == opened, "a link opened must win over older state"
        assert not at.exception, at.exception
        assert_address_is_the_state(at)
        seen.append(address(at))
