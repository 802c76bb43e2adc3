"""The shared sidebar: the date and the period layers, drawn once by the entry point for every
page, so the widgets keep one identity across pages. Their values come from and go to
explorer.session (see there why their keys carry a generation number)."""

from __future__ import annotations

import streamlit as st

from explorer import session
from explorer.state import month_of, month_options
from geodata import PartialDate
from geodata.schema import PERIOD_LABELS, PERIODS

MONTHS = month_options()
# The slider's labels, made once: Streamlit formats all ~1,000 options on every run, and parsing
# and labelling each one there was a fifth of the server's time under load (py-spy).
MONTH_LABELS = {month: PartialDate.parse(month).label() for month in MONTHS}


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
    index = MONTHS.index(month_of(state.date)) + months
    if 0 <= index < len(MONTHS):
        session.apply_state(state.with_(date=PartialDate.parse(MONTHS[index])), "step")


def _layers_changed(key: str) -> None:
    if not session.is_current("layers", key):
        return
    state = session.current_state()
    session.apply_state(state.with_(layers=tuple(st.session_state[key] or ())), "layers")


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
        month_key = session.widget_key("date", "month")
        st.select_slider(
            "Date (month)",
            options=MONTHS,
            key=month_key,
            value=month_of(state.date) if state.date else session.last_month(),
            format_func=MONTH_LABELS.__getitem__,
            disabled=state.date is None,
            on_change=_month_moved,
            args=(month_key,),
            help="Drag, or focus the slider and use the arrow keys to step a month.",
        )
        month = month_of(state.date) if state.date else None
        col_back, col_on = st.columns(2)
        col_back.button(
            "← Month",
            key="month_back",
            on_click=_step,
            args=(-1,),
            disabled=month in (None, MONTHS[0]),
            help="The month before",
            width="stretch",
        )
        col_on.button(
            "Month →",
            key="month_on",
            on_click=_step,
            args=(1,),
            disabled=month in (None, MONTHS[-1]),
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
