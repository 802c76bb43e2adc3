"""The map page through AppTest: links seed the view, every change lands in the address, late
echoes lose, Back and links win, bad links get a notice."""

from __future__ import annotations

import pytest

from explorer.state import ViewState
from explorer.visibility import events_of
from geodata import PartialDate
from tests.conftest import (
    address,
    history_navigation,
    run_page,
    set_address,
    shown_state,
    shown_stop,
    widget,
)

MAHABAD = {"date": "1946-06", "layers": "occupation,crisis", "feature": "republic-of-mahabad"}


def html_text(at) -> str:
    return " ".join(str(getattr(e, "proto", e)) for e in at.get("html"))


def test_default_view_is_the_1946_crisis():
    at = run_page()
    assert shown_state(at) == ViewState()
    assert widget(at, "select_slider", "month").value == "1946-02"
    assert list(widget(at, "button_group", "layers").value) == ["occupation", "crisis"]
    assert not at.warning
    assert any("features are drawn" in h.proto.body for h in at.get("html"))
    assert address(at) == {}  # the bare address already means the default view: no new entry


def test_mahabad_link_seeds_the_view_and_fills_the_panel():
    at = run_page(params=MAHABAD)
    assert shown_state(at).date == PartialDate(1946, 6)
    assert shown_state(at).feature == "republic-of-mahabad"
    text = html_text(at)
    assert "Mahabad" in text and "22 Jan 1946" in text
    assert "Qazi Muhammad" in text
    assert not at.warning
    assert address(at) == MAHABAD  # the address keeps exactly the shared view


@pytest.mark.parametrize(
    "params",
    [
        {"date": "1946-13"},
        {"layers": "medieval"},
        {"feature": "atlantis"},
        {"view": "garbage"},
        {"view": "35,51,14"},
        {"date": "<script>alert(1)</script>", "feature": "[x](javascript:alert(1))"},
    ],
)
def test_bad_links_show_a_notice_and_defaults(params):
    at = run_page(params=params)
    assert at.warning, "a bad link must show a notice"
    assert "Ignored" in at.warning[0].value
    assert shown_state(at) == ViewState()
    assert address(at) == {"date": "1946-02", "layers": "occupation,crisis"}


def test_day_precision_link_keeps_the_day():
    at = run_page(params={"date": "1946-01-22", "feature": "mahabad"})
    assert widget(at, "select_slider", "month").value == "1946-01"
    assert shown_state(at).date == PartialDate(1946, 1, 22)
    assert "22 Jan 1946" in " ".join(c.value for c in at.caption)


def test_choosing_an_event_moves_the_date_and_the_address(dataset):
    first = events_of(dataset.events, "republic-of-mahabad").iloc[0]
    at = run_page(params={"feature": "republic-of-mahabad"})
    widget(at, "selectbox", "goto_event_republic-of-mahabad").select(first["id"]).run()
    assert not at.exception
    assert widget(at, "select_slider", "month").value == first["date"][:7]
    assert at.query_params["date"] == first["date"]


def test_all_dates_link():
    at = run_page(params={"date": "all", "layers": "modern"})
    assert widget(at, "toggle", "all_dates").value is True
    assert list(widget(at, "button_group", "layers").value) == ["modern"]
    assert widget(at, "select_slider", "month").disabled


def test_the_picker_and_close_write_the_address():
    at = run_page()
    widget(at, "selectbox", "place_picker").select("tabriz").run()
    assert at.query_params["feature"] == "tabriz"
    assert "Tabriz" in html_text(at)
    at.button(key="close_feature").click().run()
    assert "feature" not in address(at)
    assert shown_state(at).feature is None


def test_the_picker_finds_a_place_by_another_name():
    at = run_page()
    labels = widget(at, "selectbox", "place_picker").options
    assert any("Sauj Bulagh" in label for label in labels)
    assert any("مهاباد" in label for label in labels)


def test_go_to_start_date_turns_the_layer_on(dataset):
    at = run_page(params={"date": "1946-02", "layers": "occupation", "feature": "bushehr-npp"})
    assert "Not drawn" in " ".join(c.value for c in at.caption)
    at.button(key="go_feature_start").click().run()
    state = shown_state(at)
    assert "modern" in state.layers
    feature = dataset.features.loc["bushehr-npp"]
    assert state.date.first_day().year == int(feature["start"][:4])
    assert "Not drawn" not in " ".join(c.value for c in at.caption)


def test_a_late_echo_of_an_older_address_does_not_undo_a_change():
    at = run_page()
    first = {"date": "1946-02", "layers": "occupation,crisis"}
    widget(at, "button_group", "layers").set_value(["modern"]).run()
    assert at.query_params["layers"] == "modern"
    set_address(at, first)  # a rerun request that left before our rewrite landed
    at.run()
    assert shown_state(at).layers == ("modern",)
    assert at.query_params["layers"] == "modern"


def test_a_late_widget_value_from_before_a_change_is_ignored():
    at = run_page(params={"feature": "republic-of-mahabad"})
    old_slider = widget(at, "select_slider", "month")._widget_state  # as the browser held it
    widget(at, "selectbox", "goto_event_republic-of-mahabad").select_index(1).run()
    moved = shown_state(at).date
    assert moved != PartialDate(1946, 2)
    # A request that left the browser before the change arrived carries the widgets the browser
    # had then, the old slider at 1946-02 among them: no widget of this run reads that key.
    late = at._tree.get_widget_states()
    late.widgets.append(old_slider)
    at._run(late)
    assert shown_state(at).date == moved
    assert at.query_params["date"] == moved.iso()


def test_back_restores_the_earlier_view(monkeypatch):
    at = run_page(params=MAHABAD)
    widget(at, "selectbox", "place_picker").select("tabriz").run()
    assert at.query_params["feature"] == "tabriz"
    with history_navigation(monkeypatch):
        set_address(at, MAHABAD)
        at.run()
    assert shown_state(at).feature == "republic-of-mahabad"
    assert address(at) == MAHABAD
    assert widget(at, "selectbox", "place_picker").value == "republic-of-mahabad"


def test_a_link_equal_to_an_earlier_address_opens_with_its_own_values(monkeypatch):
    at = run_page(params=MAHABAD)
    widget(at, "button_group", "layers").set_value(["modern"]).run()
    with history_navigation(monkeypatch):  # any navigation: Back, or a page link
        set_address(at, MAHABAD)
        at.run()
    assert shown_state(at).layers == ("occupation", "crisis")


def test_old_map_path_opens_the_map_with_its_link():
    at = run_page("pages/map.py", MAHABAD)
    assert shown_state(at).feature == "republic-of-mahabad"


def test_the_welcome_shows_until_dismissed():
    at = run_page()
    assert any("atlas of Russia and Iran" in m.value for m in at.markdown)
    at.button(key="welcome_story").click().run()  # a button: see map_page.welcome
    assert shown_stop(at) == 1 and at.query_params["stop"] == "1"
    assert [t.value for t in at.title] == ["The story, 1941–2025"]
    at = run_page()
    at.button(key="dismiss_welcome").click().run()
    assert not any("atlas of Russia and Iran" in m.value for m in at.markdown)
    at.run()  # stays dismissed for the session
    assert not any("atlas of Russia and Iran" in m.value for m in at.markdown)


def test_month_buttons_step_the_date_and_stop_at_the_ends():
    at = run_page(params={"date": "1946-01-22"})
    at.button(key="month_on").click().run()
    assert at.query_params["date"] == "1946-02"
    at.button(key="month_back").click().run()
    at.button(key="month_back").click().run()
    assert at.query_params["date"] == "1945-12"
    assert widget(at, "select_slider", "month").value == "1945-12"
    at = run_page(params={"date": "2025-12"})
    assert at.button(key="month_on").disabled
    at = run_page(params={"date": "all"})
    assert at.button(key="month_back").disabled and at.button(key="month_on").disabled
