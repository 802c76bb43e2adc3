"""Streamlit glue of the timeline, story and sources pages (the map page's glue is explorer.ui).

Every page draws the shared sidebar of explorer.ui (date, period layers), through
`shared_sidebar` or, on the story page, `story_sidebar`, and reads its content from the pure
modules (chronology, story, bibliography, downloads). Shared state changes go through the
session keys of explorer.ui, set in callbacks before the widgets are drawn; the address is
rewritten on every run, so it always links to what is on screen.
"""

from __future__ import annotations

import copy
from datetime import date

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from explorer import bibliography, chronology, downloads, links, map_adapter, story, ui
from explorer.copy_link import copy_link
from explorer.state import PARAMS, PartialDate, View, ViewState, month_of, to_query
from geodata import Dataset
from geodata.schema import CERTAINTIES, PERIOD_LABELS, PERIODS, VERDICTS

MAP_PAGE = "pages/map.py"
KEY_SEARCH = "timeline_search"
KEY_PLACES = "timeline_places"
KEY_CERTAINTIES = "timeline_certainties"
KEY_CHART = "timeline_chart"
KEY_EVENT = "timeline_event"
KEY_CHOOSER = "_timeline_chooser"
KEY_STOP = "story_stop"
KEY_JUMP = "story_jump"
KEY_SEEN_VIEW = "_story_seen_view"
KEY_GUARD = "_story_guard"
GUARD_RUNS = 6
KEY_VERDICTS = "claims_verdicts"
STORY_MAP_HEIGHT = 540


SHARED_WIDGETS = (ui.KEY_ALL, ui.KEY_MONTH, ui.KEY_LAYERS)


def keep_shared_state() -> None:
    """Carry the sidebar's values from page to page.

    Each page draws its own copy of the sidebar widgets, and Streamlit drops a widget's value
    when a run does not draw that very widget, so a page change would reset the date and the
    layers. Writing the values back before the page runs keeps them (Streamlit's documented way
    to keep widget state across pages). Call it in the entry point, before the page runs.
    """
    for key in SHARED_WIDGETS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def ensure_app_navigation() -> None:
    """Run the page inside the app's own navigation.

    A server whose first request names a page (say /timeline) sees the pages/ folder and runs the
    page file alone, the old multipage way: no page set-up, a navigation made of file names. That
    mode lasts until the entry point calls st.navigation. Leaving it and rerunning makes the
    entry point run first, as on every later request.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def _late_echo() -> bool:
    """Whether the address is one this session wrote before, sent back late.

    A rerun request carries the browser's address as it was when the request left; one that
    left before our last rewrite reached the browser (a map reporting its view, say) brings an
    old address back. That is not a new link: tell ui.sync_from_url to keep the state.
    """
    address = st.query_params.to_dict()
    ours = st.session_state.get(ui.KEY_ADDRESSES, [])
    if address and address != st.session_state.get(ui.KEY_WRITTEN) and address in ours:
        st.session_state[ui.KEY_WRITTEN] = address
        return True
    return False


def shared_sidebar(data: Dataset) -> ViewState:
    """`ui.sidebar` (which ignores late echoes of addresses this session wrote)."""
    return ui.sidebar(data)


def _set_date(value_iso: str) -> None:
    """Put the shared date slider at a date, kept at day precision when it has a day."""
    value = chronology.state_date(value_iso)
    ss = st.session_state
    ss[ui.KEY_ALL] = False
    ss[ui.KEY_MONTH] = month_of(value)
    ss[ui.KEY_EXACT] = value.iso() if value.precision == "day" else None


# --- Timeline -------------------------------------------------------------------------------


def choose_event(event_id: str | None) -> None:
    """Make an event the chosen one: the shared date and feature become its date and place,
    so the address (and any link made from it) reopens it."""
    data = ui.dataset()
    if not event_id or event_id not in data.events.index:
        return
    event = data.events.loc[event_id]
    linked = chronology.map_state(event, data.features, ())
    _set_date(event["date"])
    st.session_state[ui.KEY_FEATURE] = linked.feature
    st.session_state[ui.KEY_VIEW] = linked.view.param() if linked.view else None
    st.session_state[ui.KEY_NOTICES] = []


def _chart_picked() -> None:
    selection = (st.session_state.get(KEY_CHART) or {}).get("selection") or {}
    picked = selection.get(chronology.SELECTION) or []
    if picked and isinstance(picked[0], dict):
        choose_event(picked[0].get("id"))


def _event_picked(key: str) -> None:
    """An event chooser changed. Only the chooser drawn last counts: a late value from an older
    one (which Streamlit has forgotten, so any value looks new) is not the reader's doing."""
    if st.session_state.get(KEY_CHOOSER) == key:
        choose_event(st.session_state.get(key))


def timeline_page(data: Dataset, state: ViewState) -> None:
    """Filters, the time chart (or the table), and the chosen event with its map link."""
    places = chronology.event_places(data.events, data.features)
    col_search, col_places, col_certainty = st.columns([2, 2, 2], vertical_alignment="bottom")
    with col_search:
        query = st.text_input(
            "Search",
            key=KEY_SEARCH,
            placeholder="Title, summary or place, e.g. Kirmanshah",
            max_chars=100,
        )
    with col_places:
        chosen_places = st.multiselect(
            "Places",
            options=places,
            key=KEY_PLACES,
            format_func=ui.feature_names().__getitem__,
            placeholder="All places",
        )
    with col_certainty:
        certainties = st.pills(
            "Certainty",
            options=list(CERTAINTIES),
            selection_mode="multi",
            default=list(CERTAINTIES),
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
        f"{len(shown)} of {len(data.events)} events. Periods follow the sidebar's period layers; "
        "the dashed line marks the map's date. Click an event to choose it; scroll over the war "
        "years to zoom, drag to pan, double-click to reset."
    )
    if not state.layers:
        st.info("Turn on a period layer in the sidebar to see its events.")
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        st.vega_lite_chart(
            spec=copy.deepcopy(
                _timeline_spec(
                    tuple(shown.index),
                    tuple(state.layers),
                    tuple(chosen.index),
                    state.date.iso() if state.date else None,
                )
            ),
            on_select=_chart_picked,
            selection_mode=chronology.SELECTION,
            key=KEY_CHART,
            width="content",
        )
        _event_chooser(data, shown, chosen)
        _event_details(data, state, chosen)
    with table_tab:
        if shown.empty:
            st.info("No event matches these filters.")
        else:
            st.html(_events_table(tuple(shown.index), tuple(state.layers)))


@st.cache_resource(show_spinner=False, max_entries=512)
def _timeline_spec(
    shown: tuple[str, ...], periods: tuple[str, ...], chosen: tuple[str, ...], marker: str | None
) -> dict:
    """The chart's Vega-Lite spec, made once per filters, choice and date for every reader.

    Altair's `to_dict` (schema validation included) ran on every run, under a lock Streamlit
    holds for all Altair charts of the process: under load it serialised every timeline run.
    Callers deep-copy the spec, which Streamlit edits while sending it.
    """
    data = ui.dataset()
    chart = chronology.timeline_chart(
        data.events.loc[list(shown)],
        data.features,
        periods=periods,
        chosen=chosen,
        marker=PartialDate.parse(marker) if marker else None,
    )
    return chart.to_dict()


@st.cache_resource(show_spinner=False, max_entries=512)
def _events_table(shown: tuple[str, ...], layers: tuple[str, ...]) -> str:
    """The events table's HTML, made once per filters for every reader."""
    data = ui.dataset()
    return chronology.events_table_html(
        data.events.loc[list(shown)], data.features, data.sources, layers
    )


@st.cache_resource(show_spinner=False)
def _event_labels() -> dict[str, str]:
    """Every event's label in the chooser, made once (formatting each option on every run was
    a tenth of the timeline's server time)."""
    events = ui.dataset().events
    return {
        ident: f"{chronology.event_date_label(event.to_dict())} — {event['title']}"
        for ident, event in events.iterrows()
    }


def _event_chooser(data: Dataset, shown, chosen) -> None:
    options = [None, *shown.index]
    labels = _event_labels()
    current = next((i for i in chosen.index if i in shown.index), None)
    # A chooser per chosen event (see the story's chooser): a late value cannot undo a choice.
    key = f"{KEY_EVENT}_{current or 'none'}"
    st.session_state[KEY_CHOOSER] = key
    st.selectbox(
        "Event",
        options=options,
        index=options.index(current),
        key=key,
        format_func=lambda i: "Choose an event…" if i is None else labels[i],
        on_change=_event_picked,
        args=(key,),
    )


def _event_details(data: Dataset, state: ViewState, chosen) -> None:
    if chosen.empty:
        st.caption("No event chosen: click one on the chart or pick it above.")
        return
    for number, (ident, event) in enumerate(chosen.iterrows()):
        with st.container(border=True):
            st.html(chronology.event_detail_html(event, data.features, data.sources))
            linked = chronology.map_state(event, data.features, state.layers, state.feature)
            st.page_link(
                MAP_PAGE,
                label="Open the map at this event",
                icon=":material/map:",
                query_params=to_query(linked),
            )
            copy_link(
                links.full_url(str(st.context.url or "/"), "map", linked),
                key=f"event_link_{number}_{ident}",
            )


# --- Story ----------------------------------------------------------------------------------


def apply_stop(stop: story.Stop) -> None:
    """Set the shared map state to a stop's: date, layers, first feature and view."""
    state = stop.state()
    ss = st.session_state
    before = ui.current_state() if ui.KEY_LAYERS in ss else None
    _set_date(state.date.iso() if state.date else "1946-02")
    ss[ui.KEY_LAYERS] = list(state.layers)
    ss[ui.KEY_FEATURE] = state.feature
    ss[ui.KEY_VIEW] = state.view.param() if state.view else None
    ss[ui.KEY_NOTICES] = []
    ss[KEY_STOP] = stop.number
    ss[KEY_GUARD] = {"before": before, "applied": state, "runs": 0}


def _hold_stop_state() -> None:
    """Keep a stop's date and layers against late echoes of the values from before it.

    The sidebar's widgets take the stop's values when the page is drawn; a request the browser
    sent before that (the map reporting its view, say) brings the old values back, and Streamlit
    takes them as the reader's. For a few runs after a stop change, values equal to the old
    ones are put back to the stop's; once the browser sends the stop's own values, or after
    GUARD_RUNS runs, the guard is lifted.
    """
    ss = st.session_state
    guard = ss.get(KEY_GUARD)
    if not guard:
        return
    guard["runs"] += 1
    if guard["runs"] < 2:
        return  # the run that made the change
    now, applied = ui.current_state(), guard["applied"]
    fixed = story.undo_echo(now, guard["before"], applied)
    if fixed is None:
        if (now.date, now.layers) == (applied.date, applied.layers) or guard["runs"] > GUARD_RUNS:
            del ss[KEY_GUARD]
        return
    if fixed.date is not None:
        _set_date(fixed.date.iso())
    ss[ui.KEY_LAYERS] = list(fixed.layers)


def _jumped(stops: list[story.Stop], shown: int) -> None:
    """The chooser of stop `shown` changed; a late value from an older stop's chooser (which
    Streamlit has forgotten, so any value looks new) is not the reader's doing."""
    if st.session_state.get(KEY_STOP) != shown:
        return
    number = st.session_state.get(f"{KEY_JUMP}_{shown}")
    if isinstance(number, int) and 1 <= number <= len(stops) and number != shown:
        apply_stop(stops[number - 1])


def _write_stop(number: int) -> None:
    """Add the stop to the address `ui.sidebar` wrote, and remember it as our own."""
    if st.query_params.get(story.STOP_PARAM) != str(number):
        st.query_params[story.STOP_PARAM] = str(number)
    st.session_state[ui.KEY_WRITTEN] = st.query_params.to_dict()
    ui.remember_address()


def story_sidebar(data: Dataset, stops: list[story.Stop]) -> tuple[ViewState, story.Stop]:
    """The story's version of `ui.sidebar`: a link naming only a stop sets the map to that
    stop; a link with the shared parameters too keeps them (it is someone's exact view)."""
    ss = st.session_state
    params = st.query_params.to_dict()
    notice = None
    _hold_stop_state()
    if _late_echo():
        pass  # an old address of ours: the stop and the map stay as they are
    elif params and ss.get(ui.KEY_WRITTEN) != params:  # a link was opened
        if story.STOP_PARAM in params:
            number, notice = story.parse_stop(params[story.STOP_PARAM], len(stops))
        else:
            number = ss.get(KEY_STOP) or 1
        if not set(params) & set(PARAMS):
            apply_stop(stops[number - 1])
            ss[KEY_GUARD]["runs"] = 1  # this run made the change
            ss[ui.KEY_WRITTEN] = params  # tells ui.sync_from_url the state is already set
        ss[KEY_STOP] = number
    elif KEY_STOP not in ss:
        apply_stop(stops[0])  # first visit in this session: the tour starts at its beginning
        ss[KEY_GUARD]["runs"] = 1
    state = ui.sidebar(data)
    if notice:
        ss[ui.KEY_NOTICES] = [*(ss.get(ui.KEY_NOTICES) or []), notice]
    number = ss[KEY_STOP]
    _write_stop(number)
    return state, stops[number - 1]


def _follow_the_map(reported: View | None, state: ViewState, stop: story.Stop) -> None:
    """Put a view the reader panned or zoomed to into the state and the link.

    The map reports the last view it came to rest at on every run, so only a report that
    differs from the previous one is news: right after a stop change the report is still the
    old stop's view. A report within a pixel of the state's view is the stop's own view.
    """
    if reported is None or reported == st.session_state.get(KEY_SEEN_VIEW):
        return
    st.session_state[KEY_SEEN_VIEW] = reported
    if state.view is not None and story.same_view(reported, state.view):
        return
    before = (st.session_state.get(KEY_GUARD) or {}).get("before")
    if before is not None and before.view is not None and story.same_view(reported, before.view):
        return  # the previous stop's view, reported late
    st.session_state[ui.KEY_VIEW] = reported.param()
    ui.write_url(ui.current_state())
    _write_stop(stop.number)


def story_page(data: Dataset, state: ViewState, stop: story.Stop, stops: list[story.Stop]) -> None:
    """The map as the stop sets it, the narrative beside it, and the way on."""
    count = len(stops)
    st.progress(stop.number / count, text=story.progress_label(stop.number, count))
    col_map, col_text = st.columns([3, 2], gap="medium")
    with col_map:
        event = map_adapter.show_map(
            ui.map_builder(state),
            cache_key=ui.map_key(state),
            key="story_map",
            height=STORY_MAP_HEIGHT,
            selected=stop.feature_ids,
            highlight=lambda: story.outline_group(data.features, stop.feature_ids),
            view=state.view,
            view_id=f"stop-{stop.number}",
        )
        _follow_the_map(event.view, state, stop)
    with col_text:
        col_prev, col_next = st.columns(2)
        with col_prev:
            st.button(
                "← Previous",
                key="story_prev",
                disabled=stop.number == 1,
                on_click=apply_stop,
                args=(stops[stop.number - 2],) if stop.number > 1 else (stop,),
                width="stretch",
            )
        with col_next:
            st.button(
                "Next →",
                key="story_next",
                type="primary",
                disabled=stop.number == count,
                on_click=apply_stop,
                args=(stops[stop.number],) if stop.number < count else (stop,),
                width="stretch",
            )
        st.html(story.stop_html(stop, data.features, data.sources))
        options = story.stop_options(stops)
        # One chooser per stop (its key names the stop) rather than one whose value the code
        # overwrites: a value the browser sends late can then never move the tour back.
        st.selectbox(
            "Jump to stop",
            options=list(options),
            index=stop.number - 1,
            format_func=lambda n: options[n],
            key=f"{KEY_JUMP}_{stop.number}",
            on_change=_jumped,
            args=(stops, stop.number),
        )
        st.page_link(
            MAP_PAGE,
            label="Explore this view on the map",
            icon=":material/map:",
            query_params=to_query(state),
        )
        st.caption("Link to this stop:")
        copy_link(
            links.full_url(
                str(st.context.url or "/"), "story", state, {story.STOP_PARAM: str(stop.number)}
            ),
            key="story_link",
        )


# --- Sources --------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _published() -> dict[str, str]:
    """The downloads as static files with a content hash in the name, written once per server
    process (every replica writes the same names), so any replica serves them."""
    return downloads.publish(ui.dataset())


@st.cache_data(show_spinner=False)
def _version() -> str:
    return downloads.data_version()


@st.cache_resource(show_spinner=False, max_entries=16)
def _downloads_html(page_url: str, base_path: str, today: date) -> str:
    """The downloads section: links to the static files (any replica serves them), citations
    and licences, in one element made once per address and day."""
    return downloads.downloads_html(_published(), base_path, _version(), page_url, today)


# The sources page's HTML is the same for every reader (the claims' only for each verdict
# filter): made once per process, not on every run, where it was half the page's server time.
@st.cache_resource(show_spinner=False)
def _bibliography_html(kind: str) -> str:
    data = ui.dataset()
    cited = bibliography.citation_counts(data.features, data.events, data.claims, data.story)
    return bibliography.bibliography_html(data.sources, cited, kind)


@st.cache_resource(show_spinner=False)
def _layer_html(period: str) -> str:
    data = ui.dataset()
    return bibliography.layer_html(data.features, data.sources, period)


@st.cache_resource(show_spinner=False, max_entries=64)
def _claims_html(verdicts: tuple[str, ...]) -> str:
    data = ui.dataset()
    return bibliography.claims_html(data.claims, data.sources, verdicts)


def sources_page(data: Dataset) -> None:
    """Bibliography, how each layer is drawn, the article's claims, and the downloads."""
    st.header("Bibliography")
    st.caption(
        f"{len(data.sources)} sources. Every place, event, claim and story stop cites at least "
        "one; links open the source itself."
    )
    for kind, label, count in bibliography.source_kinds(data.sources):
        with st.expander(f"{label} ({count})"):
            st.html(_bibliography_html(kind))

    st.header("How each layer is drawn")
    st.markdown(
        "The **basemap** (Iran and its neighbours) is drawn from Natural Earth's 1:10m country "
        "borders, public domain, so the map works offline; an online street map from "
        "OpenStreetMap and CARTO is laid over it when there is a connection. On the map, a "
        "**solid** outline means documented, **dashed** approximate and **dotted** disputed."
    )
    for period in PERIODS:
        count = int((data.features["period"] == period).sum())
        with st.expander(f"{PERIOD_LABELS[period]} ({count} features)"):
            st.html(_layer_html(period))

    st.header("What the article claims")
    st.caption(
        "Each claim of the article that inspired this project, paraphrased, with our verdict "
        "and the sources it rests on."
    )
    counts = bibliography.verdict_counts(data.claims)
    for column, (verdict, count) in zip(st.columns(len(counts)), counts, strict=True):
        column.metric(verdict.capitalize(), count, help=bibliography.VERDICT_TEXT[verdict])
    verdicts = st.pills(
        "Show verdicts",
        options=list(VERDICTS),
        selection_mode="multi",
        default=list(VERDICTS),
        key=KEY_VERDICTS,
        format_func=str.capitalize,
    )
    st.html(_claims_html(tuple(verdicts or ())))

    st.header("Downloads")
    version = _version()
    st.caption(f"Data version {version}: the same version always means the same files.")
    base = links.page_url(str(st.context.url or "/"), "sources")
    st.html(_downloads_html(base, str(st.get_option("server.baseUrlPath") or ""), date.today()))
    st.subheader("Licences and attributions")
    st.markdown(
        "- Country borders: Natural Earth, public domain.\n"
        "- Street map shown on the map page when online: © OpenStreetMap contributors (ODbL), "
        "© CARTO; it is not part of any download.\n"
        "- Cited works keep their own licences; the files hold only their titles and links.\n"
        f"- {downloads.PROJECT_LICENCE}"
    )
