"""The story page's glue: the map as the stop sets it, the narrative beside it, and the way on.

Which stop a run shows is decided by `resolve_stop` (a link's `stop`, else the reader's stop,
else the first); every stop change goes through explorer.session. The Previous and Next buttons
keep one key and step from the stop the session holds when their click arrives, so two quick
clicks are two steps, whatever the page showed when the second one was made.
"""

from __future__ import annotations

import streamlit as st

from explorer import frame, map_adapter, session, story
from explorer.i18n import N_, _, active
from explorer.state import VIEW_PARAMS, View, parse_stop, to_query

MAP_PAGE = "pages/map.py"
STORY_MAP_KEY = "story_map"
STORY_MAP_HEIGHT = 540
TITLE = N_("The story, 1941–2025")


@st.cache_resource(show_spinner=False, max_entries=3)
def _stops(lang: str) -> list[story.Stop]:
    return story.stops(frame.dataset(lang).story)


def all_stops() -> list[story.Stop]:
    """The tour's stops in the reader's language, made once per process and language."""
    return _stops(active())


def go_to(number: int) -> None:
    """Show stop `number` (1-based): its date, layers, outlined places and view."""
    stops = all_stops()
    number = min(max(number, 1), len(stops))
    session.apply_state(stops[number - 1].state(), "story", stop=number)


def step(delta: int) -> None:
    """Previous (-1) or Next (+1) from the stop the reader is at now."""
    go_to((session.current_stop() or 1) + delta)


def _jumped(key: str) -> None:
    if not session.is_current("stop", key):
        return
    number = st.session_state.get(key)
    if isinstance(number, int):
        go_to(number)


def resolve_stop() -> story.Stop:
    """The stop this run shows. A link naming only a stop (and perhaps a language) sets the
    map to that stop; a link with the view's parameters too keeps them (it is someone's exact
    view of that stop)."""
    stops = all_stops()
    link = session.opened_link()
    if link is not None:
        number, notice = (
            parse_stop(link[story.STOP_PARAM], len(stops))
            if story.STOP_PARAM in link
            else (session.current_stop() or 1, None)
        )
        if set(link) & set(VIEW_PARAMS):
            session.apply_state(session.current_state(), "link", stop=number)
        else:
            session.apply_state(
                stops[number - 1].state().with_(lang=session.current_lang()), "link", stop=number
            )
        if notice:
            session.add_notice(notice)
    elif session.current_stop() is None:
        go_to(1)  # first visit in this session: the tour starts at its beginning
    return stops[(session.current_stop() or 1) - 1]


def _moved(view: View, answered: str | None) -> None:
    session.accept_reported_view(view, answered)


def render() -> None:
    """The map as the stop sets it, the narrative beside it, and the way on."""
    data = frame.dataset()
    stops = all_stops()
    stop = resolve_stop()
    state = session.current_state()
    map_adapter.preload()
    st.title(_(TITLE))
    frame.show_notices()
    count = len(stops)
    st.progress(stop.number / count, text=story.progress_label(stop.number, count))
    # Previous and Next first, above the map: on a phone, where the columns stack, they stay
    # above the fold (a horizontal container does not stack).
    with st.container(horizontal=True):
        st.button(
            _("← Previous"),
            key="story_prev",
            disabled=stop.number == 1,
            on_click=step,
            args=(-1,),
        )
        st.button(
            _("Next →"),
            key="story_next",
            type="primary",
            disabled=stop.number == count,
            on_click=step,
            args=(1,),
        )
    col_map, col_text = st.columns([3, 2], gap="medium")
    with col_map:
        map_adapter.show_map(
            frame.map_builder(state),
            cache_key=frame.map_key(state),
            key=STORY_MAP_KEY,
            height=STORY_MAP_HEIGHT,
            selected=stop.feature_ids,
            highlight=lambda: story.outline_group(data.features, stop.feature_ids),
            view=state.view or stop.view,
            view_id=session.view_id(),
            on_view=_moved,
        )
        frame.legend_below(state)
    with col_text:
        st.html(story.stop_html(stop, data.features, data.sources))
        options = story.stop_options(stops)
        jump_key = session.widget_key("stop", "story_jump")
        st.selectbox(
            _("Jump to stop"),
            options=list(options),
            index=stop.number - 1,
            format_func=lambda n: options[n],
            key=jump_key,
            on_change=_jumped,
            args=(jump_key,),
        )
        st.page_link(
            MAP_PAGE,
            label=_("Explore this view on the map"),
            icon=":material/map:",
            query_params=to_query(state),
        )
        frame.share_box("story", state, stop.number, key="story_link")
    st.html(story.announce_html(stop, count), unsafe_allow_javascript=True)
