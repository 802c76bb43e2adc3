"""The shared sidebar: the date and the period layers, drawn once by the entry point for every
page, so the widgets keep one identity across pages. Their values come from and go to
explorer.session (see there why their keys carry a generation number)."""

from __future__ import annotations

import streamlit as st

from explorer import frame, session, time_control
from explorer.i18n import LANG_NAMES, _, active, bound, date_label, digits
from explorer.panel import period_label
from explorer.state import month_of
from geodata import PartialDate
from geodata.schema import LANGUAGES, PERIODS

SLIDER_MONTHS = time_control.slider_months()
# The language switch's label, in every language: a reader who cannot read the current one
# still finds it.
LANGUAGE_LABEL = "Language · زبان · Язык"


@st.cache_resource(show_spinner=False, max_entries=len(LANGUAGES))
def slider_labels(lang: str) -> dict[str, str]:
    """The slider's labels, made once per language: Streamlit formats all the options on every
    run, and parsing and labelling each one there was a fifth of the server's time under load
    (py-spy)."""
    return {month: time_control.slider_label(month, lang) for month in SLIDER_MONTHS}


def _language_chosen(key: str) -> None:
    if key != f"language-{session.current_lang()}":
        return  # a late value from the widget of a language no longer shown
    lang = st.session_state.get(key)
    if lang in LANGUAGES and lang != session.current_lang():
        session.apply_state(session.current_state().with_(lang=lang), "lang")


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
    return time_control.month_name(number)


def sidebar() -> None:
    """Draw the date and layer controls for the current state."""
    state = session.current_state()
    with st.sidebar:
        st.radio(
            LANGUAGE_LABEL,
            options=list(LANGUAGES),
            index=LANGUAGES.index(state.lang),
            format_func=LANG_NAMES.__getitem__,
            horizontal=True,
            # One widget per language shown: a link or Back that changes the language brings a
            # new widget at the state's language, never a stale choice (see explorer.session).
            key=f"language-{state.lang}",
            on_change=_language_chosen,
            args=(f"language-{state.lang}",),
        )
        all_key = session.widget_key("date", "all_dates")
        st.toggle(
            _("All dates"),
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
            _("Year"),
            options=year_options,
            index=year_options.index(shown_year),
            key=year_key,
            accept_new_options=True,
            disabled=all_dates,
            on_change=_year_chosen,
            args=(year_key,),
            format_func=bound(digits),
            help=_(
                "Pick a year, or type one from 1941 to 2025 and press Enter. The list skips the "
                "years from 1948 to 1994 that have no event."
            ),
        )
        month_key = session.widget_key("month", "month_pick")
        col_month.selectbox(
            _("Month"),
            options=MONTH_NUMBERS,
            index=int(shown[5:]) - 1,
            format_func=bound(_month_name),
            key=month_key,
            disabled=all_dates,
            on_change=_month_chosen,
            args=(month_key,),
            help=_("Pick a month of the chosen year."),
        )
        note = st.session_state.get(KEY_DATE_NOTE)
        if note and note[2] == shown:
            text, refused, _month = note
            if refused:
                st.warning(text)
            else:
                st.caption(text)
        slider_key = session.widget_key("date", "month")
        st.select_slider(
            _("Date (month)"),
            options=SLIDER_MONTHS,
            key=slider_key,
            value=time_control.slider_position(shown),
            format_func=slider_labels(active()).__getitem__,
            disabled=all_dates,
            on_change=_month_moved,
            args=(slider_key,),
            help=_(
                "Drag, or focus the slider and press the left or right arrow key to step: a "
                "month in 1941–1947 and 1995–2025, a year in between. The buttons below step "
                "one month."
            ),
        )
        month = month_of(state.date) if state.date else None
        col_back, col_on = st.columns(2)
        col_back.button(
            _("← Month"),
            key="month_back",
            on_click=_step,
            args=(-1,),
            disabled=month in (None, time_control.MONTHS[0]),
            help=_("The month before"),
            width="stretch",
        )
        col_on.button(
            _("Month →"),
            key="month_on",
            on_click=_step,
            args=(1,),
            disabled=month in (None, time_control.MONTHS[-1]),
            help=_("The month after"),
            width="stretch",
        )
        if state.date is not None and state.date.precision == "day":
            st.caption(_("Showing the day {date}.").format(date=date_label(state.date)))
        layers_key = session.widget_key("layers", "layers")
        st.pills(
            _("Period layers"),
            options=list(PERIODS),
            selection_mode="multi",
            default=list(state.layers),
            format_func=bound(period_label),
            key=layers_key,
            on_change=_layers_changed,
            args=(layers_key,),
        )
