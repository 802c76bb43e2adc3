"""Every URL the app writes: the map is the root, other pages by name, base paths kept."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from explorer import links
from explorer.state import View, ViewState, parse_query
from geodata.dates import PartialDate


@pytest.mark.parametrize(
    ("current", "page", "expected"),
    [
        ("http://h:8501/timeline?date=1946-01", "map", "http://h:8501/"),
        ("http://h:8501/", "map", "http://h:8501/"),
        ("http://h:8501", "map", "http://h:8501/"),
        ("http://h:8501/map?date=1946-01", "timeline", "http://h:8501/timeline"),
        ("https://h/base/story?stop=3#x", "map", "https://h/base/"),
        ("https://h/base/", "sources", "https://h/base/sources"),
        ("https://h/base/timeline", "story", "https://h/base/story"),
    ],
)
def test_page_url(current, page, expected):
    assert links.page_url(current, page) == expected


def test_full_url_is_in_the_share_link_format():
    state = ViewState(PartialDate(1946, 6), ("occupation", "crisis"), "tabriz", View(37.0, 46.0, 6))
    url = links.full_url("http://h/timeline?x=1", "story", state, 4)
    assert url == (
        "http://h/story?date=1946-06&layers=occupation,crisis&feature=tabriz"
        "&view=37.0000,46.0000,6&stop=4"
    )


def test_no_link_names_the_old_map_path():
    state = ViewState(feature="tabriz")
    for page in links.PAGE_PATHS:
        url = links.full_url("http://h/base/timeline", page, state)
        assert "/map" not in urlsplit(url).path
    assert links.page_href("map", state).startswith("./?")


def test_page_href_round_trips():
    state = ViewState(PartialDate(1946, 1, 22), ("crisis",), "tabriz", View(38.07, 46.3, 9))
    href = links.page_href("map", state)
    params = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
    assert parse_query(params, {"tabriz"}).state == state
