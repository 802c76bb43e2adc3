"""The languages through AppTest (issue 11): a `lang` link seeds every page's text, the language
is kept across pages and written in the address, a switch in the sidebar changes it, and a bad
value is a notice."""

from __future__ import annotations

import re

from tests.conftest import address, run_page, shown_state, widget

PERSIAN = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def html_text(at) -> str:
    """The bodies of the page's st.html blocks, as the browser receives them."""
    return " ".join(e.proto.body for e in at.get("html"))


def test_a_persian_link_opens_the_map_in_persian():
    at = run_page(params={"lang": "fa", "date": "1946-12", "feature": "tabriz"})
    assert shown_state(at).lang == "fa"
    assert PERSIAN.search(at.title[0].value)
    text = html_text(at)
    assert "تبریز" in text and 'dir="rtl"' in text
    assert "آذر" in text  # the Solar Hijri month of December 1946, in the events' dates
    assert address(at)["lang"] == "fa"
    assert not at.warning


def test_a_russian_story_link_tells_stop_5_in_russian(dataset):
    at = run_page("pages/story.py", {"stop": "5", "lang": "ru"})
    narrative = dataset.localised("ru").story.sort_values("order").iloc[4]["narrative"]
    assert narrative[:60] in html_text(at)
    assert CYRILLIC.search(at.title[0].value)
    assert address(at)["lang"] == "ru" and address(at)["stop"] == "5"


def test_the_language_is_kept_on_every_page():
    at = run_page(params={"lang": "ru"})
    for page in ("pages/timeline.py", "pages/story.py", "pages/sources.py", "pages/map.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert shown_state(at).lang == "ru", page
        assert CYRILLIC.search(at.title[0].value), page
        assert address(at).get("lang") == "ru", page


def test_the_sidebar_switch_changes_the_language_and_the_address():
    at = run_page(params={"date": "1946-06"})
    widget(at, "radio", "language").set_value("fa").run()
    assert shown_state(at).lang == "fa"
    assert address(at)["lang"] == "fa"
    assert PERSIAN.search(at.title[0].value)
    widget(at, "radio", "language").set_value("en").run()
    assert shown_state(at).lang == "en" and "lang" not in address(at)


def test_an_unknown_language_is_a_notice_not_an_error():
    at = run_page(params={"lang": "xx"})
    assert shown_state(at).lang == "en"
    assert "lang='xx'" in at.warning[0].value.replace("\\", "")


def test_the_timeline_searches_every_script():
    at = run_page("pages/timeline.py", {"lang": "fa"})
    for typed in ("كرمانشاه", "Тегеран", "Sauj Bulagh"):
        at.text_input(key="timeline_search").set_value(typed).run()
        caption = " ".join(c.value for c in at.caption)
        assert not at.exception
        assert not any("No event" in i.value for i in at.info), (typed, caption)


def test_a_story_link_with_a_language_opens_the_stops_own_map():
    """`lang` is not a view parameter: /story?stop=5&lang=ru shows stop 5's date and layers
    (it showed the default February 1946, as if the link had carried someone's own view)."""
    english = run_page("pages/story.py", {"stop": "5"})
    for lang in ("ru", "fa"):
        at = run_page("pages/story.py", {"stop": "5", "lang": lang})
        assert shown_state(at).with_(lang="en") == shown_state(english)
        assert at.query_params["date"] == english.query_params["date"] == "1944-12-02"
