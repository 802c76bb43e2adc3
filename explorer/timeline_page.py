"""The timeline page's glue: filters, the time chart or the table, and the chosen event with its
link to the map. Choosing an event goes through explorer.session like every other change."""

from __future__ import annotations

import copy
import functools

import pandas as pd
import streamlit as st

from explorer import chronology, frame, links, session
from explorer.copy_link import copy_link
from explorer.i18n import N_, _, active, bound, digits, using
from explorer.panel import certainty_word
from explorer.state import ViewState, to_query
from geodata import Dataset, PartialDate
from geodata.schema import CERTAINTIES

MAP_PAGE = "pages/map.py"
KEY_SEARCH = "timeline_search"
KEY_PLACES = "timeline_places"
KEY_CERTAINTIES = "timeline_certainties"
KEY_CHART = "timeline_chart"  # one chart per layout: timeline_chart_wide, timeline_chart_narrow
TITLE = N_("Timeline, 1941–2025")


# What is the same for every reader is made once per process (measured with py-spy under 50
# sessions: Altair's to_dict, validation included, ran under a lock Streamlit holds for all
# Altair charts and serialised every timeline run; labelling every option was a tenth).
@st.cache_resource(show_spinner=False, max_entries=512)
def _timeline_spec(
    shown: tuple[str, ...],
    periods: tuple[str, ...],
    chosen: tuple[str, ...],
    marker: str | None,
    layout: str = "wide",
    lang: str = "en",
) -> dict:
    """The chart's Vega-Lite spec for these filters, choice, date and language (callers
    deep-copy it: Streamlit edits a spec while sending it)."""
    with using(lang):
        data = frame.dataset(lang)
        chart = chronology.timeline_chart(
            data.events.loc[list(shown)],
            data.features,
            periods=periods,
            chosen=chosen,
            marker=PartialDate.parse(marker) if marker else None,
            layout=layout,
        )
        return chart.to_dict()


@st.cache_resource(show_spinner=False, max_entries=512)
def _events_table(shown: tuple[str, ...], layers: tuple[str, ...], lang: str = "en") -> str:
    """The events table's HTML for these filters."""
    with using(lang):
        data = frame.dataset(lang)
        return chronology.events_table_html(
            data.events.loc[list(shown)], data.features, data.sources, layers
        )


@st.cache_resource(show_spinner=False, max_entries=3)
def _event_labels(lang: str) -> dict[str, str]:
    """Every event's label in the chooser."""
    with using(lang):
        events = frame.dataset(lang).events
        return {
            ident: f"{chronology.event_date_label(event.to_dict())} — {event['title']}"
            for ident, event in events.iterrows()
        }


@st.cache_resource(show_spinner=False, max_entries=3)
def _feature_names(lang: str) -> dict[str, str]:
    """Every feature's name by id (the place filter's labels)."""
    return frame.dataset(lang).features["name"].to_dict()


def choose_event(event_id: object) -> None:
    """Make an event the chosen one: the map state at the event (its date, one of its places,
    that place's layer and, if far away, its view), so the address reopens it."""
    data = frame.dataset()
    if not isinstance(event_id, str) or event_id not in data.events.index:
        return
    state = session.current_state()
    event = data.events.loc[event_id]
    linked = chronology.map_state(event, data.features, state.layers, state.feature)
    session.apply_state(linked, "event")


def _chart_picked(key: str) -> None:
    selection = (st.session_state.get(key) or {}).get("selection") or {}
    picked = selection.get(chronology.SELECTION) or []
    if picked and isinstance(picked[0], dict):
        choose_event(picked[0].get("id"))


def _event_picked(key: str) -> None:
    if session.is_current("feature", key):
        choose_event(st.session_state.get(key))


def render() -> None:
    """Filters, the time chart (or the table), and the chosen event with its map link."""
    data = frame.dataset()
    state = session.current_state()
    lang = active()
    st.title(_(TITLE))
    frame.show_notices()
    places = chronology.event_places(data.events, data.features)
    col_search, col_places, col_certainty = st.columns([2, 2, 2], vertical_alignment="bottom")
    with col_search:
        query = st.text_input(
            _("Search"),
            key=KEY_SEARCH,
            placeholder=_("Title, summary or place, e.g. Kirmanshah"),
            max_chars=100,
        )
    with col_places:
        chosen_places = st.multiselect(
            _("Places"),
            options=places,
            key=KEY_PLACES,
            format_func=_feature_names(lang).__getitem__,
            placeholder=_("All places"),
        )
    with col_certainty:
        certainties = st.pills(
            _("Certainty"),
            options=list(CERTAINTIES),
            selection_mode="multi",
            default=list(CERTAINTIES),
            format_func=bound(certainty_word),
            key=KEY_CERTAINTIES,
        )
    shown = chronology.filter_events(
        data.events,
        data.features,
        periods=state.layers,
        places=chosen_places,
        certainties=certainties,
        query=query or "",
    )
    chosen = chronology.chosen_events(data.events, state)
    st.caption(
        _(
            "{shown} of {total} events. Periods follow the sidebar's period layers; the dashed "
            "line marks the map's date. Click an event to choose it; scroll over the war years "
            "to zoom, drag to pan, double-click to reset."
        ).format(shown=digits(len(shown)), total=digits(len(data.events)))
    )
    if not state.layers:
        st.info(_("Turn on a period layer in the sidebar to see its events."))
    chart_tab, table_tab = st.tabs([_("Chart"), _("Table")])
    with chart_tab:
        if shown.empty:
            st.info(chronology.empty_message(query or "", state.layers, certainties))
        else:
            # Both layouts are sent; the page's CSS shows the one that fits the column.
            with st.container(key="timeline_charts"):
                for layout in chronology.LAYOUTS:
                    key = f"{KEY_CHART}_{layout}"
                    st.vega_lite_chart(
                        spec=copy.deepcopy(
                            _timeline_spec(
                                tuple(shown.index),
                                tuple(state.layers),
                                tuple(chosen.index),
                                state.date.iso() if state.date else None,
                                layout,
                                lang,
                            )
                        ),
                        on_select=functools.partial(_chart_picked, key),
                        selection_mode=chronology.SELECTION,
                        key=key,
                        width="content",
                    )
            _event_chooser(data, shown, chosen)
        _event_details(data, state, chosen)
    with table_tab:
        if shown.empty:
            st.info(chronology.empty_message(query or "", state.layers, certainties))
        else:
            st.html(_events_table(tuple(shown.index), tuple(state.layers), lang))


def _event_chooser(data: Dataset, shown: pd.DataFrame, chosen: pd.DataFrame) -> None:
    options = [None, *shown.index]
    labels = _event_labels(active())
    current = next((i for i in chosen.index if i in shown.index), None)
    key = session.widget_key("feature", "timeline_event")
    st.selectbox(
        _("Event"),
        options=options,
        index=options.index(current),
        key=key,
        format_func=bound(lambda i: _("Choose an event…") if i is None else labels[i]),
        on_change=_event_picked,
        args=(key,),
    )


def _event_details(data: Dataset, state: ViewState, chosen: pd.DataFrame) -> None:
    if chosen.empty:
        st.caption(_("No event chosen: click one on the chart or pick it above."))
        return
    for number, (ident, event) in enumerate(chosen.iterrows()):
        with st.container(border=True):
            st.html(chronology.event_detail_html(event, data.features, data.sources))
            linked = chronology.map_state(event, data.features, state.layers, state.feature)
            st.page_link(
                MAP_PAGE,
                label=_("Open the map at this event"),
                icon=":material/map:",
                query_params=to_query(linked),
            )
            copy_link(
                links.full_url(frame.current_url(), "map", linked),
                key=f"event_link_{number}_{ident}",
            )
