"""Pages run headless through AppTest: share links seed the view, bad links get a notice."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from explorer.timeline import events_of
from tests.conftest import ROOT

MAHABAD = {"date": "1946-06", "layers": "occupation,crisis", "feature": "republic-of-mahabad"}


def run_app(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def html_text(at: AppTest) -> str:
    return " ".join(str(getattr(e, "proto", e)) for e in at.get("html"))


def test_default_view_is_the_1946_crisis():
    at = run_app()
    assert at.session_state["month"] == "1946-02"
    assert at.session_state["layers"] == ["occupation", "crisis"]
    assert not at.warning
    assert "features are drawn" in at.info[0].value


def test_mahabad_link_seeds_the_view_and_fills_the_panel():
    at = run_app(MAHABAD)
    assert at.session_state["month"] == "1946-06"
    assert at.session_state["feature"] == "republic-of-mahabad"
    text = html_text(at)
    assert "Mahabad" in text and "22 Jan 1946" in text
    assert "Qazi Muhammad" in text or "Qazi" in text
    assert not at.warning
    assert dict(at.query_params) == MAHABAD  # the address keeps exactly the shared view


@pytest.mark.parametrize(
    "params",
    [
        {"date": "1946-13"},
        {"layers": "medieval"},
        {"feature": "atlantis"},
        {"view": "garbage"},
        {"date": "<script>alert(1)</script>", "feature": "[x](javascript:alert(1))"},
    ],
)
def test_bad_links_show_a_notice_and_defaults(params):
    at = run_app(params)
    assert at.warning, "a bad link must show a notice"
    assert "Ignored" in at.warning[0].value
    assert at.session_state["month"] == "1946-02" or "date" not in params


def test_day_precision_link_keeps_the_day():
    at = run_app({"date": "1946-01-22", "feature": "mahabad"})
    assert at.session_state["month"] == "1946-01"
    assert at.session_state["date_exact"] == "1946-01-22"
    assert "22 Jan 1946" in " ".join(c.value for c in at.caption)


def test_choosing_an_event_moves_the_slider_to_its_date(dataset):
    first = events_of(dataset.events, "republic-of-mahabad").iloc[0]
    at = run_app({"feature": "republic-of-mahabad"})
    at.selectbox(key="goto_event").select(first["id"]).run()
    assert not at.exception
    assert at.session_state["month"] == first["date"][:7]
    assert at.query_params["date"] == first["date"]


def test_all_dates_link():
    at = run_app({"date": "all", "layers": "modern"})
    assert at.session_state["all_dates"] is True
    assert at.session_state["layers"] == ["modern"]


def test_a_late_echo_of_an_older_address_does_not_undo_a_change():
    at = run_app()
    first = dict(at.query_params)
    at.session_state["layers"] = ["modern"]
    at.run()
    assert at.query_params["layers"] == "modern"
    at.query_params.clear()
    for key, value in first.items():  # a rerun request that left before our rewrite landed
        at.query_params[key] = value
    at.run()
    assert at.session_state["layers"] == ["modern"]
    assert at.query_params["layers"] == "modern"
