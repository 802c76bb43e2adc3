"""The share-link contract: parse, defaults with notices, and the round trip."""

from urllib.parse import parse_qs, urlsplit

import pytest

from explorer import links
from explorer.state import (
    DEFAULT_DATE,
    DEFAULT_LAYERS,
    View,
    ViewState,
    month_options,
    parse_query,
    to_query,
)
from geodata.dates import PartialDate

IDS = {"republic-of-mahabad", "soviet-zone", "tabriz"}


def test_the_documented_example():
    parsed = parse_query(
        {"date": "1946-06", "layers": "occupation,crisis", "feature": "republic-of-mahabad"}, IDS
    )
    assert parsed.notices == []
    assert parsed.state == ViewState(
        PartialDate(1946, 6), ("occupation", "crisis"), "republic-of-mahabad"
    )


def test_empty_link_gives_the_newcomer_view():
    parsed = parse_query({}, IDS)
    assert parsed.state == ViewState()
    assert parsed.state.date == DEFAULT_DATE and parsed.state.layers == DEFAULT_LAYERS
    assert parsed.notices == []


@pytest.mark.parametrize(
    ("params", "field", "expected"),
    [
        ({"date": "1946-01-22"}, "date", PartialDate(1946, 1, 22)),
        ({"date": "all"}, "date", None),
        ({"date": "ALL"}, "date", None),
        ({"layers": "modern"}, "layers", ("modern",)),
        ({"layers": "crisis, occupation"}, "layers", ("occupation", "crisis")),
        ({"layers": "none"}, "layers", ()),
        ({"view": "36.77,45.73,8"}, "view", View(36.77, 45.73, 8)),
        ({"date": ["1941-09", "1946-06"]}, "date", PartialDate(1946, 6)),
    ],
)
def test_valid_values(params, field, expected):
    parsed = parse_query(params, IDS)
    assert getattr(parsed.state, field) == expected
    assert parsed.notices == []


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"date": "1946-13"}, "date", "date="),
        ({"date": "1930-01"}, "date", "covers"),
        ({"date": "2031-01"}, "date", "covers"),
        ({"date": "1946"}, "date", "month"),
        ({"date": "<script>"}, "date", "date="),
        ({"layers": "medieval"}, "layers", "unknown layer"),
        ({"layers": ""}, "layers", "no layer"),
        ({"feature": "atlantis"}, "feature", "no such place"),
        ({"view": "1,2"}, "view", "lat,lon,zoom"),
        ({"view": "a,b,c"}, "view", "numbers"),
        ({"view": "95,0,5"}, "view", "range"),
        ({"view": "30,50,30"}, "view", "zoom"),
        ({"view": "30,50,5.5"}, "view", "zoom"),
        ({"colour": "red"}, None, "unknown parameter"),
    ],
)
def test_bad_values_get_default_and_notice(params, field, words):
    parsed = parse_query(params, IDS)
    if field:
        assert getattr(parsed.state, field) == getattr(ViewState(), field)
    assert len(parsed.notices) == 1
    assert words in parsed.notices[0]


def test_partly_known_layers_keep_the_known_ones():
    parsed = parse_query({"layers": "crisis,bogus"}, IDS)
    assert parsed.state.layers == ("crisis",)
    assert "bogus" in parsed.notices[0]


def test_notice_excerpt_is_short_and_printable():
    parsed = parse_query({"feature": "x" * 500 + "\x00"}, IDS)
    assert len(parsed.notices[0]) < 200
    assert "\x00" not in parsed.notices[0]


@pytest.mark.parametrize(
    "state",
    [
        ViewState(),
        ViewState(None, (), None, None),
        ViewState(PartialDate(1946, 1, 22), ("crisis",), "tabriz", View(38.07, 46.3, 9)),
        ViewState(PartialDate(2025, 6), ("occupation", "crisis", "modern"), "soviet-zone"),
    ],
)
def test_round_trip_through_a_link(state):
    url = links.full_url("https://example.streamlit.app/timeline?old=1", "map", state)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}
    assert urlsplit(url).path == "/"
    parsed = parse_query(query, IDS)
    assert parsed.notices == []
    assert parsed.state == state


def test_to_query_is_explicit_and_ordered():
    assert to_query(ViewState()) == {"date": "1946-02", "layers": "occupation,crisis"}
    assert list(to_query(ViewState(feature="tabriz", view=View(1, 2, 3)))) == [
        "date",
        "layers",
        "feature",
        "view",
    ]


def test_month_options_span_the_slider():
    months = month_options()
    assert months[0] == "1941-08" and months[-1] == "2025-12"
    assert len(months) == (2025 - 1941) * 12 + 5


def test_a_view_within_a_pixel_is_the_same_view():
    asked = View(36.9, 46.6, 8)
    assert asked.near(View(36.9016, 46.5985, 8))  # Leaflet's pixel snapping
    assert not asked.near(View(36.95, 46.6, 8))
    assert not asked.near(View(36.9, 46.6, 9))
