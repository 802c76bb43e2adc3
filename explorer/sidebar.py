"""The shared sidebar: the date and the period layers, drawn once by the entry point for every
page, so the widgets keep one identity across pages. Their values come from and go to
explorer.session (see there why their keys carry a generation number)."""

from __future__ import annotations

import streamlit as st

from explorer import frame, session, time_control
from explorer.state import month_of
from geodata import PartialDate
from geodata.schema import PERIOD_LABELS, PERIODS

SLIDER_MONTHS = time_control.slider_months()
# The slider's labels, made once: Streamlit formats all the options on every run, and parsing
# and labelling each one there was a fifth of the server's time under load (py-spy).
SLIDER_LABELS = {month: time_control.slider_label(month) for month in SLIDER_MONTHS}
MONTH_NUMBERS = list(range(1, 13))
KEY_DATE_NOTE = "_date_note"  # the sidebar's note on a year or month it could not show as asked


def _note(text: str | None, *, refused: bool = False) -> None:
    """Say why the date is not what the reader asked for (shown while the date stays so)."""
    month = time_control.shown_month(session.current_state().date, session.last_month())
    st.session_state[KEY_DATE_NOTE] = (text, refused, month) if text else None


@st.cache_resource(show_spinner=False)
def picker_years() -> list[str]:
    """The year picker's years (explorer.time_control.picker_years over the data's dates)."""
    data = frame.dataset()
    dated = [*data.events["date"], *data.features["start"], *data.features["end"]]
    return time_control.picker_years(dated)


def _all_toggled(key: str) -> None:
    if not session.is_current("date", key):
        return
    state = session.current_state()
    date = None if st.session_state[key] else PartialDate.parse(session.last_month())
    session.apply_state(state.with_(date=date), "all-dates")


def _month_moved(key: str) -> None:
    if not session.is_current("date", key):
        return
    state = session.current_state()
    session.apply_state(state.with_(date=PartialDate.parse(st.session_state[key])), "slider")


def _step(months: int) -> None:
    """One month back or on (from a day, the month it is in)."""
    state = session.current_state()
    if state.date is None:
        return
    month = time_control.step(month_of(state.date), months)
    if month is not None:
        session.apply_state(state.with_(date=PartialDate.parse(month)), "step")


def _year_chosen(key: str) -> None:
    """A year picked or typed: the same month in that year (moved into the map's range)."""
    if not session.is_current("year", key):
        return
    state = session.current_state()
    if state.date is None:
        return
    try:
        year = time_control.parse_year(st.session_state.get(key))
    except ValueError as refused:
        _note(str(refused), refused=True)
        session.refresh("year")  # show the state's year again, not the typed text
        return
    month = int(month_of(state.date)[5:])
    date, note = time_control.with_year_month(year, month)
    session.apply_state(state.with_(date=date), "year")
    _note(note)


def _month_chosen(key: str) -> None:
    """A month picked: that month of the shown year (moved into the map's range)."""
    if not session.is_current("month", key):
        return
    state = session.current_state()
    number = st.session_state.get(key)
    if state.date is None or number not in MONTH_NUMBERS:
        return
    date, note = time_control.with_year_month(state.date.year, number)
    session.apply_state(state.with_(date=date), "month")
    _note(note)


def _layers_changed(key: str) -> None:
    if not session.is_current("layers", key):
        return
    state = session.current_state()
    session.apply_state(state.with_(layers=tuple(st.session_state[key] or ())), "layers")


def _month_name(number: int) -> str:
    return time_control.MONTH_NAMES[number - 1]


def sidebar() -> None:
    """Draw the date and layer controls for the current state."""
    state = session.current_state()
    with st.sidebar:
        all_key = session.widget_key("date", "all_dates")
        st.toggle(
            "All dates",
            key=all_key,
            value=state.date is None,
            on_change=_all_toggled,
            args=(all_key,),
        )
        shown = time_control.shown_month(state.date, session.last_month())
        all_dates = state.date is None
        col_year, col_month = st.columns(2)
        years = picker_years()
        shown_year = shown[:4]
        year_options = years if shown_year in years else sorted([*years, shown_year])
        year_key = session.widget_key("year", "year")
        col_year.selectbox(
            "Year",
            options=year_options,
            index=year_options.index(shown_year),
            key=year_key,
            accept_new_options=True,
            disabled=all_dates,
            on_change=_year_chosen,
            args=(year_key,),
            help=(
                "Pick a year, or type one from 1941 to 2025 and press Enter. The list skips the "
                "years from 1948 to 1994 that have no event."
            ),
        )
        month_key = session.widget_key("month", "month_pick")
        col_month.selectbox(
            "Month",
            options=MONTH_NUMBERS,
            index=int(shown[5:]) - 1,
            format_func=_month_name,
            key=month_key,
            disabled=all_dates,
            on_change=_month_chosen,
            args=(month_key,),
            help="Pick a month of the chosen year.",
        )
        note = st.session_state.get(KEY_DATE_NOTE)
        if note and note[2] == shown:
            text, refused, _ = note
            if refused:
                st.warning(text)
            else:
                st.caption(text)
        slider_key = session.widget_key("date", "month")
        st.select_slider(
            "Date (month)",
            options=SLIDER_MONTHS,
            key=slider_key,
            value=time_control.slider_position(shown),
            format_func=SLIDER_LABELS.__getitem__,
            disabled=all_dates,
            on_change=_month_moved,
            args=(slider_key,),
            help=(
                "Drag, or focus the slider and press the left or right arrow key to step: a "
                "month in 1941–1947 and 1995–2025, a year in between. The buttons below step "
                "one month."
            ),
        )
        month = month_of(state.date) if state.date else None
        col_back, col_on = st.columns(2)
        col_back.button(
            "← Month",
            key="month_back",
            on_click=_step,
            args=(-1,),
            disabled=month in (None, time_control.MONTHS[0]),
            help="The month before",
            width="stretch",
        )
        col_on.button(
            "Month →",
            key="month_on",
            on_click=_step,
            args=(1,),
            disabled=month in (None, time_control.MONTHS[-1]),
            help="The month after",
            width="stretch",
        )
        if state.date is not None and state.date.precision == "day":
            st.caption(f"Showing the day {state.date.label()}.")
        layers_key = session.widget_key("layers", "layers")
        st.pills(
            "Period layers",
            options=list(PERIODS),
            selection_mode="multi",
            default=list(state.layers),
            format_func=PERIOD_LABELS.__getitem__,
            key=layers_key,
            on_change=_layers_changed,
            args=(layers_key,),
        )
