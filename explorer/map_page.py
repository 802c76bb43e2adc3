"""The map page's glue: the map and its side panel. Every change goes through explorer.session;
a click on the map reruns only the fragment with the map and the panel."""

from __future__ import annotations

import html

import streamlit as st

from explorer import chronology, frame, map_adapter, panel, session
from explorer.i18n import N_, _, active, bound, digits, fold, using
from explorer.mapbuild import highlight_layer
from explorer.state import DEFAULT_VIEW, View, ViewState
from explorer.visibility import events_of
from geodata import Dataset
from geodata.schema import PERIODS

MAP_KEY = "history_map"
MAP_HEIGHT = 640
TITLE = N_("Stalin's Shadow: Russia and Iran, 1941–2025")
WHOLE_REGION = View(*DEFAULT_VIEW)


KEY_WELCOMED = "_welcome_dismissed"
WELCOME = N_(
    "An atlas of Russia and Iran since the 1941 invasion: the occupation zones, the two "
    "republics of 1945–46, the 1946 crisis and the ties of today, every place and event with "
    "its sources. Click the map or choose a place to read what happened there, or move the date "
    "in the sidebar."
)
KEY_PICKER_MISS = "_picker_miss"  # a name typed in the place picker that matched no place


def _dismiss_welcome() -> None:
    st.session_state[KEY_WELCOMED] = True


def welcome() -> None:
    """Two sentences on what this is and a way into the story, until dismissed (per session)."""
    if st.session_state.get(KEY_WELCOMED):
        return
    with st.container(border=True, key="welcome"):
        st.markdown(_(WELCOME))
        col_story, col_close = st.columns([3, 1])
        # Buttons, not a page link: the first run draws the map with as few kinds of element as
        # it can (each kind loads its own code, and the map waits for all of them; see
        # `begin_first_paint`), and the trigger there is a button already.
        story = col_story.button(
            _("Take the 17-stop story"),
            key="welcome_story",
            icon=":material/auto_stories:",
            type="tertiary",
        )
        col_close.button(_("Dismiss"), key="dismiss_welcome", on_click=_dismiss_welcome)
    if story:
        st.switch_page(
            "pages/story.py",
            query_params={"stop": "1", **({"lang": active()} if active() != "en" else {})},
        )


KEY_FIRST_PAINT = "_map_first_paint"


def begin_first_paint(page: str) -> None:
    """Decide, in the entry point before the page runs, whether this run draws the map alone.

    Only a session's first run, on the map page, with the map element, and with a browser to
    press the trigger (AppTest has no client, so no headers): the map then appears without
    waiting for the other controls' code (see explorer/map_element `first_paint_trigger`), and
    the run that the map asks for once drawn brings the panel, the sidebar and the element
    that reports clicks. Every later run draws everything.
    """
    first = KEY_FIRST_PAINT not in st.session_state
    st.session_state[KEY_FIRST_PAINT] = (
        first
        and page == "index"
        and map_adapter.draws_first()
        and bool(st.context.headers.get("Host"))
    )


def first_paint() -> bool:
    """Whether this run draws the map alone (see `begin_first_paint`)."""
    return st.session_state.get(KEY_FIRST_PAINT) is True


def render() -> None:
    """The page: title, notices, the welcome, then the map and the panel."""
    map_adapter.preload()
    st.title(_(TITLE))
    frame.show_notices()
    welcome()
    map_and_panel()
    if first_paint():
        map_adapter.first_paint_trigger(MAP_KEY)


def _clicked(feature_id: str) -> None:
    if feature_id in frame.dataset().features.index:
        state = session.current_state()
        session.apply_state(state.with_(feature=feature_id), "click")


def _moved(view: View, answered: str | None) -> None:
    session.accept_reported_view(view, answered)


@st.fragment
def map_and_panel() -> None:
    """The map and its side panel; a click reruns only this fragment."""
    if session.take_full_rerun():
        st.rerun(scope="app")
    data = frame.dataset()
    state = session.current_state()
    col_map, col_panel = st.columns([3, 2], gap="medium")
    with col_map:
        map_adapter.show_map(
            frame.map_builder(state),
            cache_key=frame.map_key(state),
            key=MAP_KEY,
            height=MAP_HEIGHT,
            selected=state.feature,
            highlight=lambda: highlight_layer(data.features, state.feature),
            view=state.view or WHOLE_REGION,
            view_id=session.view_id(),
            on_click=_clicked,
            on_view=_moved,
            first_paint=first_paint(),
            previews=lambda: panel_previews(frame.map_key(state.with_(view=None)), active()),
        )
    session.write_url()
    if first_paint():
        return
    with col_map:
        frame.legend_below(state)  # below the map, on phones only: not needed for its first draw
    with col_panel:
        feature_panel(data, state)
        frame.share_box("map", state, key="share_link")


@st.cache_resource(show_spinner=False, max_entries=3)
def _picker(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """The picker's labels by id (sorted by name; each lists the place's other names in every
    script, so typing "Sauj Bulagh", "Тегеран" or "مهاباد" narrows the list), and every name's
    folded form to its id, for a name typed with other letters (Arabic kaf and yeh for the
    Persian ones: "كرمانشاه")."""
    features = frame.dataset(lang).features.sort_values("name")
    labels: dict[str, str] = {}
    folded: dict[str, str] = {}
    for ident, row in features.iterrows():
        names = list(dict.fromkeys([row["name"], *row["all_names"]]))
        others = [n for n in names if n != row["name"]]
        labels[ident] = f"{row['name']} ({', '.join(others)})" if others else row["name"]
        for name in names:
            folded.setdefault(fold(name), ident)
    return labels, folded


def picker_labels() -> dict[str, str]:
    """Every feature's picker label by id, in the reader's language."""
    return _picker(active())[0]


def find_place(text: object) -> str | None:
    """The id of the place a typed name means (folded: any script, any keyboard), or None: the
    whole name first, then the one place whose name starts with it."""
    typed = fold(text)
    if not typed:
        return None
    folded = _picker(active())[1]
    if typed in folded:
        return folded[typed]
    starts = {ident for name, ident in folded.items() if name.startswith(typed)}
    return starts.pop() if len(starts) == 1 else None


@st.cache_resource(show_spinner=False, max_entries=512)
def feature_panel_parts(
    feature_id: str, lang: str = "en"
) -> tuple[str, str, dict[str, tuple[str, str]]]:
    """A feature's panel head and events as escaped HTML, and its events' dates and labels."""
    with using(lang):
        data = frame.dataset(lang)
        events = events_of(data.events, feature_id)
        head = panel.feature_html(data.features.loc[feature_id].to_dict(), data.sources)
        body = panel.events_html([e._asdict() for e in events.itertuples()], data.sources)
        choices = {
            e.id: (e.id, f"{panel.event_date_label(e._asdict())} — {e.title}")
            for e in events.itertuples()
        }
        return head, body, choices


def panel_previews(map_key: str, lang: str) -> dict[str, dict[str, str]]:
    """The panel's head and events of every feature drawn for a map key, for the map to show
    the moment a feature is clicked (the same HTML the panel draws: see `feature_panel`)."""
    previews = {}
    for ident in sorted(frame.visible_ids(map_key)):
        head, body, _choices = feature_panel_parts(ident, lang)
        previews[ident] = {"head": head, "body": body}
    return previews


def _slot(part: str, body: str) -> str:
    return map_adapter.preview_slot(MAP_KEY, part, body)


def _picked(key: str) -> None:
    if not session.is_current("feature", key):
        return
    state = session.current_state()
    value = st.session_state.get(key)
    st.session_state[KEY_PICKER_MISS] = None
    if value is not None and value not in picker_labels():  # a name typed, not a choice
        ident = find_place(value)
        if ident is None:
            st.session_state[KEY_PICKER_MISS] = str(value)[:60]
            session.refresh("feature")  # show the state's place again, not the typed text
            return
        value = ident
    session.apply_state(state.with_(feature=value), "picker")


def _close() -> None:
    session.apply_state(session.current_state().with_(feature=None), "close")


def _with_layer(state: ViewState, period: str) -> tuple[str, ...]:
    return tuple(p for p in PERIODS if p in {*state.layers, period})


def _show_date(date: str, period: str, reason: str) -> None:
    """Move to a date (at its own precision) and turn on the layer of `period`."""
    state = session.current_state()
    session.apply_state(
        state.with_(date=chronology.state_date(date), layers=_with_layer(state, period)), reason
    )


def _go_to_start(feature_id: str) -> None:
    """Show a place that is not drawn: its start date, its layer on."""
    feature = frame.dataset().features.loc[feature_id]
    _show_date(feature["start"], feature["period"], "go-to-start")


def _event_chosen(key: str) -> None:
    """Show an event of the panel's place: its date, its period's layer on."""
    if not session.is_current("date", key):
        return
    ident = st.session_state.get(key)
    events = frame.dataset().events
    if ident in events.index:
        _show_date(events.loc[ident, "date"], events.loc[ident, "period"], "event")


def feature_panel(data: Dataset, state: ViewState) -> None:
    """Name, dates, certainty, summary, sources and the events of the selected feature.

    Built from cached HTML with few elements, so that a click's rerun stays short.
    """
    labels = picker_labels()
    options = [None, *labels]
    picker_key = session.widget_key("feature", "place_picker")
    st.selectbox(
        _("Place or layer"),
        options=options,
        index=options.index(state.feature) if state.feature in labels else 0,
        format_func=bound(lambda i: _("None") if i is None else labels.get(i, str(i))),
        placeholder=_("Click the map, or choose a place here…"),
        key=picker_key,
        accept_new_options=True,
        on_change=_picked,
        args=(picker_key,),
    )
    missed = st.session_state.get(KEY_PICKER_MISS)
    if missed:
        st.caption(_("No place is called “{name}”. Try another spelling.").format(name=missed))
    visible = frame.visible_ids(frame.map_key(state.with_(view=None)))
    if not state.feature:
        # As HTML slots, so that a click fills them at once (see map_element.preview_slot).
        text = _(
            "{count} features are drawn for this date and these layers. Click one to read "
            "what happened there."
        ).format(count=digits(len(visible)))
        info = f'<div class="ss-info">{html.escape(text)}</div>'
        st.html(_slot("head", info) + _slot("body", ""))
        return
    head, body, choices = feature_panel_parts(state.feature, active())
    st.html(_slot("head", head))
    feature = data.features.loc[state.feature]
    if state.feature not in visible:
        st.caption(_("Not drawn at this date or with these layers."))
        if feature["start"]:
            st.button(
                _("Go to its start date"),
                key="go_feature_start",
                on_click=_go_to_start,
                args=(state.feature,),
            )
    if choices:
        event_key = session.widget_key("date", f"goto_event_{state.feature}")
        st.selectbox(
            _("Show an event's date on the map"),
            options=[None, *choices],
            format_func=lambda i: "" if i is None else choices[i][1],
            placeholder=_("Choose an event…"),
            key=event_key,
            on_change=_event_chosen,
            args=(event_key,),
        )
    st.html(_slot("body", body))
    st.button(_("Close"), key="close_feature", on_click=_close)
