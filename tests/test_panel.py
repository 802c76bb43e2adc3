"""Panel HTML: facts in order, true-precision dates, links, and everything escaped."""

from __future__ import annotations

import pandas as pd

from explorer.panel import event_date_label, event_html, feature_html, notice_text, source_link
from explorer.visibility import events_of

EVIL = '<script>alert("x")</script>'


def test_feature_panel_shows_names_dates_certainty_and_sources(dataset):
    html = feature_html(dataset.features.loc["republic-of-mahabad"].to_dict(), dataset.sources)
    assert "Republic of Mahabad" in html or "Mahabad" in html
    assert "22 Jan 1946" in html and "15 Dec 1946" in html
    assert "approximate" in html
    assert 'target="_blank"' in html and "https://" in html


def test_panel_escapes_everything(dataset):
    feature = dataset.features.loc["tabriz"].to_dict() | {
        "name": EVIL,
        "summary": EVIL,
        "aliases": (EVIL,),
    }
    sources = pd.DataFrame(
        [
            {
                "id": "s",
                "title": EVIL,
                "publisher": EVIL,
                "url": 'https://x.org/"onmouseover="alert(1)',
            }
        ]
    ).set_index("id", drop=False)
    feature["sources"] = ("s", "missing-<b>")
    html = feature_html(feature, sources)
    assert "<script>" not in html and "<b>missing" not in html
    assert '"onmouseover="' not in html
    event = {
        "id": "e",
        "date": "1946-01",
        "end_date": "",
        "title": EVIL,
        "summary": EVIL,
        "certainty": "disputed",
        "date_note": EVIL,
        "sources": ("s",),
    }
    assert "<script>" not in event_html(event, sources)


def test_only_web_links_are_linked():
    assert "<a" not in source_link(
        {"url": "javascript:alert(1)", "title": "t", "publisher": "p"}, "x"
    )


def test_event_dates_keep_their_precision():
    assert event_date_label({"date": "1995", "end_date": ""}) == "1995"
    assert event_date_label({"date": "1944-09", "end_date": ""}) == "Sep 1944"
    assert (
        event_date_label({"date": "1943-11-28", "end_date": "1943-12-01"})
        == "28 Nov 1943 – 1 Dec 1943"
    )


def test_events_of_a_feature_come_in_date_order(dataset):
    events = events_of(dataset.events, "soviet-zone")
    assert len(events) >= 3
    assert list(events["start_day"]) == sorted(events["start_day"])


def test_notices_show_input_as_text():
    text = notice_text(["Ignored feature='[x](javascript:alert(1))'."])
    assert "](" not in text.replace("\\]\\(", "")
