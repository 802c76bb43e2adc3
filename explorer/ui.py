"""Streamlit glue shared by the pages: cached data, the URL-backed sidebar, the map and its panel.

The URL is the state. On a session's first run (or when the address changes under us) the query
parameters seed the widgets; after that every run writes the canonical parameters back, so the
address bar always holds a link to exactly what is on screen.
"""

from __future__ import annotations

import gc

import streamlit as st

from explorer import map_adapter, panel
from explorer.assets import ensure_static
from explorer.copy_link import copy_link
from explorer.mapbuild import build_map, highlight_layer
from explorer.state import (
    View,
    ViewState,
    month_of,
    month_options,
    parse_query,
    share_url,
    to_query,
)
from explorer.timeline import events_of, visible_features
from geodata import Dataset, PartialDate, load_dataset
from geodata.schema import PERIOD_LABELS, PERIODS

KEY_MONTH = "month"
KEY_EXACT = "date_exact"  # a day-precision date from a link or an event, until the slider moves
KEY_ALL = "all_dates"
KEY_LAYERS = "layers"
KEY_FEATURE = "feature"
KEY_PICKER = "feature_picker"
KEY_GOTO_EVENT = "goto_event"
KEY_VIEW = "view"
KEY_NOTICES = "_notices"
KEY_WRITTEN = "_query_written"
KEY_ADDRESSES = "_addresses_written"
ADDRESSES_KEPT = 100
KEY_FULL_RERUN = "_full_rerun"
MAP_HEIGHT = 640
MONTHS = month_options()
# The slider's labels, made once: Streamlit formats all ~1000 options on every run, and parsing
# and labelling each one there was a fifth of the server's time under load (py-spy).
MONTH_LABELS = {month: PartialDate.parse(month).label() for month in MONTHS}


@st.cache_resource(show_spinner=False)
def dataset() -> Dataset:
    """The validated data, loaded once per server process and shared (read-only) by sessions.

    Once it is loaded, the process's objects are moved out of the garbage collector's reach
    (gc.freeze): they live as long as the server, and scanning them made full collections
    stall the server for ~70 ms, often in the middle of a click's rerun (measured: click to
    panel p50 120-140 ms before, ~75 ms after).
    """
    ensure_static()
    data = load_dataset()
    gc.collect()
    gc.freeze()
    return data


def _drawn(state: ViewState) -> ViewState:
    """The part of a state the map drawing depends on: not the selection, and not the view
    unless the backend bakes the view into the map."""
    return state.with_(feature=None, view=state.view if map_adapter.view_in_map() else None)


def map_key(state: ViewState) -> str:
    """A name for the map drawing of a state, for caching it."""
    drawn = _drawn(state)
    return "|".join(
        [
            "all" if drawn.date is None else drawn.date.iso(),
            ",".join(drawn.layers),
            drawn.view.param() if drawn.view else "",
        ]
    )


def map_builder(state: ViewState):
    """A function that composes the map of a state (the adapter decides when to call it)."""
    data = dataset()
    drawn = _drawn(state)
    return lambda: build_map(data.features, data.context, drawn)


def _view_numbers(text: str) -> tuple[float, float, int]:
    lat, lon, zoom = text.split(",")
    return float(lat), float(lon), int(zoom)


def _seed(state: ViewState) -> None:
    ss = st.session_state
    ss[KEY_ALL] = state.date is None
    ss[KEY_MONTH] = month_of(state.date) if state.date else ss.get(KEY_MONTH, "1946-02")
    ss[KEY_EXACT] = state.date.iso() if state.date and state.date.precision == "day" else None
    ss[KEY_LAYERS] = list(state.layers)
    ss[KEY_FEATURE] = state.feature
    ss[KEY_VIEW] = state.view.param() if state.view else None


def sync_from_url(data: Dataset) -> None:
    """Seed the widgets from the address when it is not the one this session last wrote."""
    params = st.query_params.to_dict()
    seeded = KEY_LAYERS in st.session_state
    if seeded and (
        not params  # a page change: Streamlit clears the parameters
        or params == st.session_state.get(KEY_WRITTEN)
        or params in st.session_state.get(KEY_ADDRESSES, [])
    ):
        # Our own address, or an older one of ours sent back late by a rerun request that left
        # the browser before our last rewrite reached it (a map reporting its view, say).
        return
    parsed = parse_query(params, set(data.features.index))
    _seed(parsed.state)
    st.session_state[KEY_NOTICES] = parsed.notices


def current_state() -> ViewState:
    """The state the widgets hold now."""
    ss = st.session_state
    if ss.get(KEY_ALL):
        date = None
    else:
        date = PartialDate.parse(ss.get(KEY_EXACT) or ss.get(KEY_MONTH) or "1946-02")
    view = ss.get(KEY_VIEW)
    return ViewState(
        date=date,
        layers=tuple(p for p in PERIODS if p in (ss.get(KEY_LAYERS) or [])),
        feature=ss.get(KEY_FEATURE),
        view=View(*_view_numbers(view)) if view else None,
    )


def write_url(state: ViewState) -> None:
    """Put the state in the address bar (only when it changed, to avoid needless messages)."""
    query = to_query(state)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    st.session_state[KEY_WRITTEN] = query
    remember_address()


def remember_address() -> None:
    """Note the address this run leaves in the browser, so that a late echo is not a new link."""
    written = st.session_state.setdefault(KEY_ADDRESSES, [])
    address = st.query_params.to_dict()
    if address not in written:
        written.append(address)
        del written[:-ADDRESSES_KEPT]


def _month_moved() -> None:
    st.session_state[KEY_EXACT] = None
    st.session_state[KEY_NOTICES] = []


def _controls_changed() -> None:
    st.session_state[KEY_NOTICES] = []


def sidebar(data: Dataset) -> ViewState:
    """Date slider, all-dates switch and period layers, backed by the URL; returns the state."""
    sync_from_url(data)
    with st.sidebar:
        st.toggle("All dates", key=KEY_ALL, on_change=_controls_changed)
        st.select_slider(
            "Date (month)",
            options=MONTHS,
            key=KEY_MONTH,
            format_func=MONTH_LABELS.__getitem__,
            disabled=bool(st.session_state.get(KEY_ALL)),
            on_change=_month_moved,
        )
        exact = st.session_state.get(KEY_EXACT)
        if exact and not st.session_state.get(KEY_ALL):
            st.caption(f"Showing the day {PartialDate.parse(exact).label()}.")
        st.pills(
            "Period layers",
            options=list(PERIODS),
            selection_mode="multi",
            format_func=lambda p: PERIOD_LABELS[p],
            key=KEY_LAYERS,
            on_change=_controls_changed,
        )
    state = current_state()
    write_url(state)
    return state


def show_notices() -> None:
    """The friendly notice for anything in the link that could not be used."""
    notices = st.session_state.get(KEY_NOTICES) or []
    if notices:
        st.warning(panel.notice_text(notices), icon="⚠️")


def share_box(state: ViewState) -> None:
    """The full link of the current view, with a copy button."""
    st.caption("Link to this view:")
    copy_link(share_url(str(st.context.url or "/"), state), key="share_link")


def _select(feature_id: str | None) -> None:
    st.session_state[KEY_FEATURE] = feature_id


def _go_to(date_iso: str) -> None:
    """Move the time slider to a date (kept at its own precision) and redraw the page."""
    value = PartialDate.parse(date_iso)
    st.session_state[KEY_ALL] = False
    st.session_state[KEY_MONTH] = month_of(value) if value.month else f"{value.year}-01"
    st.session_state[KEY_EXACT] = value.iso() if value.precision == "day" else None
    st.session_state[KEY_NOTICES] = []
    st.session_state[KEY_FULL_RERUN] = True


@st.fragment
def map_and_panel() -> None:
    """The map and its side panel; a click reruns only this fragment."""
    data = dataset()
    if st.session_state.pop(KEY_FULL_RERUN, False):
        st.rerun(scope="app")
    state = current_state()
    col_map, col_panel = st.columns([3, 2], gap="medium")
    with col_map:
        event = map_adapter.show_map(
            map_builder(state),
            cache_key=map_key(state),
            key="history_map",
            height=MAP_HEIGHT,
            selected=state.feature,
            highlight=lambda: highlight_layer(data.features, state.feature),
            view=state.view,
        )
    changed = False
    if event.clicked and event.clicked in data.features.index and event.clicked != state.feature:
        st.session_state[KEY_FEATURE] = event.clicked
        changed = True
    if event.view and event.view != state.view:
        st.session_state[KEY_VIEW] = event.view.param()
        changed = True
    if changed:
        state = current_state()
        write_url(state)
    with col_panel:
        feature_panel(data, state)
        share_box(state)


@st.cache_resource(show_spinner=False)
def feature_names() -> dict[str, str]:
    """Every feature's name by id, in the order of the names (the picker's options)."""
    names = dataset().features["name"].sort_values()
    return dict(zip(names.index, names, strict=True))


@st.cache_resource(show_spinner=False, max_entries=1024)
def visible_ids(key: str) -> frozenset[str]:
    """Ids of the features drawn for a map key (date and layers); shared by all sessions."""
    date, layers, _ = key.split("|")
    state = ViewState(None if date == "all" else PartialDate.parse(date), tuple(layers.split(",")))
    return frozenset(visible_features(dataset().features, state).index)


@st.cache_resource(show_spinner=False, max_entries=256)
def feature_panel_parts(feature_id: str) -> tuple[str, str, dict[str, tuple[str, str]]]:
    """A feature's panel head and events as escaped HTML, and its events' dates and labels."""
    data = dataset()
    events = events_of(data.events, feature_id)
    head = panel.feature_html(data.features.loc[feature_id].to_dict(), data.sources)
    body = panel.events_html([e._asdict() for e in events.itertuples()], data.sources)
    choices = {
        e.id: (e.date, f"{panel.event_date_label(e._asdict())} — {e.title}")
        for e in events.itertuples()
    }
    return head, body, choices


def _event_chosen() -> None:
    ident = st.session_state.get(KEY_GOTO_EVENT)
    feature = st.session_state.get(KEY_FEATURE)
    if ident and feature:
        _go_to(feature_panel_parts(feature)[2][ident][0])
    st.session_state[KEY_GOTO_EVENT] = None


def feature_panel(data: Dataset, state: ViewState) -> None:
    """Name, dates, certainty, summary, sources and the events of the selected feature.

    Built from cached HTML with few elements, so that a click's rerun stays short.
    """
    names = feature_names()
    st.session_state[KEY_PICKER] = state.feature  # follows map clicks; the widget is a mirror
    st.selectbox(
        "Place or layer",
        options=[None, *names],
        format_func=lambda i: "None" if i is None else names[i],
        placeholder="Click the map, or choose a place here…",
        key=KEY_PICKER,
        on_change=lambda: _select(st.session_state[KEY_PICKER]),
    )
    visible = visible_ids(map_key(state.with_(view=None)))
    if not state.feature:
        st.info(
            f"{len(visible)} features are drawn for this date and these layers. "
            "Click one to read what happened there."
        )
        return
    head, body, choices = feature_panel_parts(state.feature)
    st.html(head)
    feature = data.features.loc[state.feature]
    if state.feature not in visible:
        st.caption("Not drawn at this date or with these layers.")
        if feature["start"]:
            st.button(
                "Go to its start date",
                key="go_feature_start",
                on_click=_go_to,
                args=(feature["start"],),
            )
    if choices:
        st.selectbox(
            "Show an event's date on the map",
            options=[None, *choices],
            format_func=lambda i: "" if i is None else choices[i][1],
            placeholder="Choose an event…",
            key=KEY_GOTO_EVENT,
            on_change=_event_chosen,
        )
    st.html(body)
    st.button("Close", key="close_feature", on_click=_select, args=(None,))
