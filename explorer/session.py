"""The one owner of a reader's view state: `current_state` reads it, `apply_state` writes it.

Every change goes through `apply_state(state, reason)`: a link opened, Back or Forward, the
slider moved, a layer toggled, a feature clicked or picked, an event chosen, a story stop, "go to
its start date". The address bar and the widgets only *show* the state. Neither is read back
blindly, because Streamlit can send us older values than the ones we last wrote: a rerun
request carries the widget values and the address the browser held when the request *left*, so a
request that left before our last write reached the browser brings the old values back
(streamlit/streamlit#218: the browser sends the state of all its widgets, old ones included;
#16388: a stale value the browser still shows is re-adopted on the next rerun; the address
side follows from `rerun_script.query_string` being read from `window.location` when the
request is sent, see the frontend's `sendRerunBackMsg`). The model:

1. **The address is read only on a navigation run**: the session's first run (a link opened,
   a reload), a run the browser marks as Back or Forward (`is_history_navigation`, sent by
   Streamlit's frontend on `popstate`), and a page change that carries a query (our page links).
   On every other run the address is output only: `write_url` puts the state there, so it always
   links to exactly what is on screen, and an old address sent back late cannot win. A link
   equal to an address this session wrote before opens with the link's values, since opening a
   link is a navigation whatever its text.
2. **A widget the code changes is replaced, never written into**: the date (slider, year and
   month), layer, place and stop widgets have keys ending in a generation number
   (`widget_key`), and `apply_state` moves a group's number on when a change it did not come
   from that group's own widget alters the group. The new widget starts at the state's value;
   an old value sent late belongs to a key no widget of this run reads, and Streamlit drops it.
   Streamlit does keep a replaced widget's callback, though, and runs it when the late value
   arrives (the old widget's state is gone, so any value looks like a change): every widget
   callback first asks `is_current`. A widget the reader moves keeps its key, so dragging and
   keyboard focus are not disturbed.
3. **The map's reports name the view they answer**: the map element tags each view it reports
   with the id of the last view it was asked to show (`view_id`), and a report for an older
   request is not the reader's doing (`accept_reported_view`).

Nothing else in the app touches these session keys.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from explorer import i18n, links
from explorer.state import (
    DEFAULT_DATE,
    DEFAULT_VIEW,
    STREAMLIT_PARAMS,
    View,
    ViewState,
    month_of,
    parse_lang,
    parse_query,
)
from geodata.dates import PartialDate

_STATE = "_ss_state"
_SESSION = "_ss_session"

# The widget groups, and the change reasons that come from each group's own widget. The
# sidebar's year and month pickers are groups of their own beside the date's slider: each shows
# one part of the date, and is replaced only when that part changes by another way.
GROUPS = ("date", "year", "month", "layers", "feature", "stop")
OWN_WIDGET = {
    "slider": "date",
    "all-dates": "date",
    "year": "year",
    "month": "month",
    "layers": "layers",
    "picker": "feature",
}
REASONS = frozenset(
    {
        *OWN_WIDGET,
        "link",
        "history",
        "page",
        "click",
        "close",
        "pan",
        "event",
        "story",
        "go-to-start",
        "reset",
        "step",
        "lang",
    }
)
NAVIGATION = frozenset({"link", "history"})


@dataclass
class _Session:
    """What the owner keeps per session (one object, so that it is easy to see whole)."""

    state: ViewState = field(default_factory=ViewState)
    stop: int | None = None
    generations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))
    page: str | None = None
    link: dict[str, str] | None = None  # the address of this run, when it is a navigation
    notices: list[str] = field(default_factory=list)
    last_month: str = month_of(DEFAULT_DATE)
    view_id: int = 0  # moves on when the app (not the reader) sets the map's view
    full_rerun: bool = False


def _session() -> _Session:
    ss = st.session_state
    if _SESSION not in ss:
        ss[_SESSION] = _Session()
    return ss[_SESSION]


def is_history_navigation() -> bool:
    """Whether the browser's Back or Forward started this run."""
    ctx = get_script_run_ctx()
    return bool(ctx and getattr(ctx, "is_history_navigation", False))


def begin_run(page: str, feature_ids: Collection[str]) -> None:
    """Decide, once per full run and before any widget, whether this run opens an address.

    Call it in the entry point after `st.navigation` (which tells the page) and before the
    page runs. See the module docstring for when the address counts.
    """
    session = _session()
    params = st.query_params.to_dict()
    first = _STATE not in st.session_state
    st.session_state[_STATE] = True
    changed_page = session.page is not None and session.page != page
    session.page = page
    session.link = None
    history = is_history_navigation()
    if first or history or (changed_page and params):
        parsed = parse_query(params, feature_ids)
        apply_state(parsed.state, "history" if history else "link")
        session.notices = parsed.notices
        session.link = params
        session.view_id += 1


def opened_link() -> Mapping[str, str] | None:
    """The address this run opened (a navigation run), or None: a page reads its own extra
    parameters (the story's `stop`) from it."""
    return _session().link


def current_state() -> ViewState:
    """The state on screen."""
    return _session().state


def current_stop() -> int | None:
    """The story stop the reader is at, or None before the story was opened."""
    return _session().stop


def apply_state(state: ViewState, reason: str, *, stop: int | None = None) -> None:
    """The one writer: make `state` (and a story `stop`) what the reader sees.

    `reason` says where the change came from (see REASONS); a change from a group's own widget
    leaves that widget in place, any other change to a group replaces its widgets.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    session = _session()
    before = session.state
    if reason not in {*NAVIGATION, "lang"}:
        # States made from data (a story stop, an event's map) know no language: keep the
        # reader's. Only a link, Back/Forward or the switch changes it.
        state = state.with_(lang=before.lang)
    changed = {
        "date": state.date != before.date,
        "year": _part(state.date, "year") != _part(before.date, "year"),
        "month": _part(state.date, "month") != _part(before.date, "month"),
        "layers": state.layers != before.layers,
        "feature": state.feature != before.feature,
        "stop": stop is not None and stop != session.stop,
    }
    for group, did in changed.items():
        if did and OWN_WIDGET.get(reason) != group:
            session.generations[group] += 1
    if state.lang != before.lang:
        for group in GROUPS:  # every widget's label and options change language
            session.generations[group] += 1
    if reason not in {"pan", "click", "picker", "close"} and state.view != before.view:
        session.view_id += 1  # the app moves the map: tell the element to show this view
    if (changed["date"] or changed["layers"]) and reason in {"event", "go-to-start"}:
        session.full_rerun = True  # changed from inside the map's fragment: redraw the sidebar
    if state.date is not None:
        session.last_month = month_of(state.date)
    if stop is not None:
        session.stop = stop
    if reason not in NAVIGATION:
        session.notices = []
    session.state = state


def early_lang() -> str:
    """The language for what the entry point draws before `begin_run` (the page titles): the
    link's on a session's first run or a Back/Forward run, else the reader's."""
    if _STATE not in st.session_state or is_history_navigation():
        return parse_lang(st.query_params.get("lang", "")) or i18n.DEFAULT_LANG
    return current_lang()


def current_lang() -> str:
    """The reader's language (explorer.i18n asks this when no `using` block is open)."""
    return _session().state.lang


i18n.set_resolver(current_lang)


def _part(date: PartialDate | None, part: str) -> int | None:
    return None if date is None else getattr(date, part)


def refresh(group: str) -> None:
    """Replace a group's widgets although the state did not change: a value the reader typed
    was refused, and the widget must show the state again."""
    _session().generations[group] += 1


def widget_key(group: str, name: str) -> str:
    """The key of a widget of `group` in this generation (see the module docstring)."""
    return f"{name}-{_session().generations[group]}"


def is_current(group: str, key: str) -> bool:
    """Whether a widget's key is of its group's current generation. Widget callbacks ask this
    first: Streamlit keeps a replaced widget's callback, and a late request that carries the
    old widget's value would otherwise call it (its state is gone, so any value looks new)."""
    return key == widget_key(group, key.rsplit("-", 1)[0])


def last_month() -> str:
    """The slider's month while "All dates" is on (the month the reader last had)."""
    return _session().last_month


def view_id() -> str:
    """The id of the view the app last asked the map to show."""
    return f"view-{_session().view_id}"


def accept_reported_view(reported: View | None, answered: str | None) -> bool:
    """Take a view the map reports as the reader's, unless it answers an older request."""
    session = _session()
    asked = session.state.view or View(*DEFAULT_VIEW)
    if reported is None or asked.near(reported):
        return False
    if answered is not None and answered != view_id():
        return False
    apply_state(session.state.with_(view=reported), "pan")
    return True


def take_full_rerun() -> bool:
    """Whether a change made inside a fragment needs the whole page redrawn (once)."""
    session = _session()
    wanted, session.full_rerun = session.full_rerun, False
    return wanted


def notices() -> list[str]:
    """What the last link opened could not use."""
    return list(_session().notices)


def add_notice(text: str) -> None:
    """Add a notice about the address this run opened."""
    _session().notices.append(text)


def write_url() -> None:
    """Put the state in the address bar (with the stop on the story page), unless the address
    already means exactly it.

    An address that means the state (`/` for the default view, `view=36.9,46.6,8` for
    `36.9000,46.6000,8`) is left as it is: rewriting it would add a history entry for the same
    view, so Back would seem to do nothing and would not leave the app from the first view. An
    address with values we could not use is rewritten in full.
    """
    session = _session()
    with_stop = session.page == links.PAGE_PATHS["story"]
    wanted = links.query(session.state, session.stop if with_stop else None)
    # Streamlit keeps its own `embed` parameters in the address whatever the app writes.
    address = {k: v for k, v in st.query_params.to_dict().items() if k not in STREAMLIT_PARAMS}
    if address == wanted:
        return
    if not with_stop:
        parsed = parse_query(address, {session.state.feature} - {None})
        if not parsed.notices and parsed.state == session.state:
            return
    st.query_params.from_dict(wanted)
