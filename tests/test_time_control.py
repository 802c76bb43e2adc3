"""The sidebar's time control: a year and a month chosen directly, the previous and next month
buttons, a slider with the empty decades compressed, all still one `date` in the address."""

from __future__ import annotations

import pytest

from explorer import time_control
from geodata import PartialDate
from tests.conftest import address, run_page, shown_state, widget

# --- plain functions ------------------------------------------------------------------------


def test_the_slider_compresses_the_empty_decades():
    months = time_control.slider_months()
    assert "1946-03" in months and "2013-07" in months  # every month of the busy eras
    between = [m for m in months if 1948 <= int(m[:4]) <= 1994]
    assert between == [f"{y}-01" for y in range(1948, 1995)]  # one position a year
    assert len(months) < len(time_control.MONTHS) / 2
    assert months[0] == "1941-08" and months[-1] == "2025-12"


@pytest.mark.parametrize(
    ("month", "position", "label"),
    [
        ("1946-03", "1946-03", "Mar 1946"),
        ("1960-05", "1960-01", "1960"),
        ("1995-01", "1995-01", "Jan 1995"),
    ],
)
def test_slider_position_and_label(month, position, label):
    assert time_control.slider_position(month) == position
    assert time_control.slider_label(position) == label


def test_the_year_picker_skips_empty_years(dataset):
    dated = [*dataset.events["date"], *dataset.features["start"], *dataset.features["end"]]
    years = time_control.picker_years(dated)
    assert years[:7] == [str(y) for y in range(1941, 1948)]
    assert "1953" in years and "1979" in years  # a year between with an event is listed
    assert "1960" not in years and "1970" not in years
    assert years[-1] == "2025" and "1995" in years


@pytest.mark.parametrize("text", ["1941", " 1946 ", "2025"])
def test_parse_year_accepts_the_covered_years(text):
    assert time_control.parse_year(text) == int(text)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("abc", "is not a year"),
        ("19 46", "is not a year"),
        ("", "is not a year"),
        ("١٩٤٦x", "is not a year"),
        ("9" * 5000, "is not a year"),
        ("1930", "The map covers Aug 1941 to Dec 2025"),
        ("2031", "type a year from 1941 to 2025"),
    ],
)
def test_parse_year_explains_what_it_refuses(text, says):
    with pytest.raises(ValueError, match=says) as refused:
        time_control.parse_year(text)
    assert len(str(refused.value)) < 120


def test_a_month_outside_the_map_moves_inside_with_a_note():
    assert time_control.with_year_month(1946, 3) == (PartialDate(1946, 3), None)
    date, note = time_control.with_year_month(1941, 2)
    assert date == PartialDate(1941, 8) and "starts in Aug 1941" in note


def test_step_goes_through_every_month():
    assert time_control.step("1947-12", 1) == "1948-01"
    assert time_control.step("1948-01", 1) == "1948-02"
    assert time_control.step("1941-08", -1) is None
    assert time_control.step("2025-12", 1) is None


# --- the sidebar through AppTest -------------------------------------------------------------


def test_choosing_a_year_keeps_the_month():
    at = run_page()
    widget(at, "selectbox", "year").set_value("1945").run()
    assert shown_state(at).date == PartialDate(1945, 2)
    assert address(at)["date"] == "1945-02"
    assert widget(at, "select_slider", "month").value == "1945-02"
    assert widget(at, "selectbox", "month_pick").value == 2


def test_choosing_1946_then_march_gives_date_1946_03():
    at = run_page(params={"date": "1944-07"})
    widget(at, "selectbox", "year").set_value("1946").run()
    widget(at, "selectbox", "month_pick").set_value(3).run()
    assert not at.exception
    assert shown_state(at).date == PartialDate(1946, 3)
    assert address(at)["date"] == "1946-03"
    assert widget(at, "select_slider", "month").value == "1946-03"
    assert widget(at, "selectbox", "year").value == "1946"


def test_a_month_before_the_invasion_moves_to_august_1941_and_says_so():
    at = run_page(params={"date": "1942-02"})
    widget(at, "selectbox", "year").set_value("1941").run()
    assert shown_state(at).date == PartialDate(1941, 8)
    assert any("starts in Aug 1941" in c.value for c in at.sidebar.caption)


def test_the_pickers_follow_the_slider_and_the_buttons():
    at = run_page()
    widget(at, "select_slider", "month").set_value("2016-08").run()
    assert widget(at, "selectbox", "year").value == "2016"
    assert widget(at, "selectbox", "month_pick").value == 8
    at.button(key="month_on").click().run()
    assert shown_state(at).date == PartialDate(2016, 9)
    assert widget(at, "selectbox", "month_pick").value == 9


def test_a_month_in_the_quiet_decades_shows_on_the_compressed_slider():
    at = run_page(params={"date": "1960-05"})
    assert widget(at, "select_slider", "month").value == "1960-01"
    assert widget(at, "selectbox", "year").value == "1960"  # listed while it is the date
    assert widget(at, "selectbox", "month_pick").value == 5
    assert address(at) == {"date": "1960-05"}  # the link keeps its month, not the position


def test_all_dates_disables_the_pickers():
    at = run_page(params={"date": "all"})
    assert widget(at, "selectbox", "year").disabled
    assert widget(at, "selectbox", "month_pick").disabled


def test_a_year_typed_with_persian_or_arabic_digits_is_read():
    """A Persian keyboard types ۱۹۴۶; an Arabic one ١٩٤٦: both are 1946."""
    assert time_control.parse_year("۱۹۴۶") == 1946
    assert time_control.parse_year("١٩٤٦") == 1946
