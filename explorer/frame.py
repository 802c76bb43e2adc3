"""What every page shares around its content: the cached data, the map drawing of a state, the
notices about a link, the share box, and the guard that keeps a cold deep link inside the app's
own navigation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import folium
import geopandas as gpd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from explorer import i18n, links, map_adapter, panel, session, style
from explorer.assets import ensure_static
from explorer.copy_link import copy_link
from explorer.i18n import _
from explorer.mapbuild import build_map, legend_css, legend_html
from explorer.state import ViewState
from explorer.visibility import visible_features
from geodata import DataError, Dataset, PartialDate, load_dataset
from geodata.schema import LANGUAGES


@st.cache_resource(show_spinner=False)
def _dataset() -> Dataset:
    ensure_static()
    return load_dataset()


@st.cache_resource(show_spinner=False, max_entries=len(LANGUAGES))
def _localised(lang: str) -> Dataset:
    data = _dataset().localised(lang)
    tables = {name: getattr(data, name) for name in i18n.TEXT_COLUMNS}
    return replace(data, **i18n.with_local_digits(tables, lang))


def dataset(lang: str | None = None) -> Dataset:
    """The validated data in the reader's language (or `lang`), loaded once per server process
    and shared (read-only) by sessions (the entry point then freezes it out of the garbage
    collector's scans: explorer/process.py)."""
    return _localised(lang or i18n.active())


def app_style() -> None:
    """The page's own CSS (explorer.style.APP_CSS): the maps' height, the legend below the map
    on a phone, the timeline's chart layout, the story's live region."""
    st.html(f"<style>{style.APP_CSS}</style>")


def ensure_app_navigation() -> None:
    """Run the page inside the app's own navigation, even on a server's first, deep request.

    Streamlit decides once per process, at the first session, whether the app is an old-style
    `pages/` app; a server whose first request names a page (say /timeline) runs that page file
    alone, without the entry point, until some run calls `st.navigation`. No public setting
    turns that off while a `pages/` folder exists (streamlit/streamlit#10276 keeps the flag as
    "a relic of v1"), so this flips Streamlit's class attribute and reruns. A test
    (tests/test_frame.py) fails loudly if an upgrade renames or retypes the attribute.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


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
            drawn.lang,
        ]
    )


def map_builder(state: ViewState) -> Callable[[], folium.Map]:
    """A function that composes the map of a state (the adapter decides when to call it)."""
    data = dataset()
    drawn = _drawn(state)
    return lambda: build_map(data.features, data.context, drawn, data.events)


def _visible_of_key(key: str) -> tuple[gpd.GeoDataFrame, str]:
    """The features drawn for a map key (its date and layers), in the key's language."""
    date, layers, _view, lang = key.split("|")
    state = ViewState(None if date == "all" else PartialDate.parse(date), tuple(layers.split(",")))
    return visible_features(dataset(lang).features, state), lang


@st.cache_resource(show_spinner=False, max_entries=1024)
def visible_ids(key: str) -> frozenset[str]:
    """Ids of the features drawn for a map key (date and layers); shared by all sessions."""
    return frozenset(_visible_of_key(key)[0].index)


def language_setup() -> None:
    """The page's language and, for Persian, its right-to-left layout and fonts (English needs
    nothing: it is Streamlit's own)."""
    lang = i18n.active()
    if lang != i18n.DEFAULT_LANG:
        st.sidebar.html(
            i18n.page_style(lang) + i18n.page_script(lang), unsafe_allow_javascript=True
        )


@st.cache_resource(show_spinner=False, max_entries=1024)
def legend_below_html(key: str) -> str:
    """The legend of a map key as a folded block for below the map, or "" when nothing is
    drawn. The page's CSS shows it only on narrow screens, where the map hides its own."""
    visible, lang = _visible_of_key(key)
    with i18n.using(lang):
        body = legend_html(visible, heading="p")
        if not body:
            return ""
        return (
            f"<style>{legend_css()}</style>"
            f'<details class="ss-legend-below"><summary>{_("Legend")}</summary>{body}</details>'
        )


def legend_below(state: ViewState) -> None:
    """The map's legend below it (shown on phones only, folded)."""
    text = legend_below_html(map_key(state.with_(view=None)))
    if text:
        st.html(text)


def show_notices() -> None:
    """The friendly notice for anything in the link that could not be used."""
    notices = session.notices()
    if notices:
        st.warning(panel.notice_text(notices), icon="⚠️")


def current_url() -> str:
    """The address the browser shows (for building full links)."""
    return str(st.context.url or "/")


def share_box(page: str, state: ViewState, stop: int | None = None, *, key: str) -> None:
    """The full link of the current view, with a copy button."""
    st.caption(_("Link to this view:"))
    copy_link(links.full_url(current_url(), page, state, stop), key=key)


def data_error_page(error: DataError) -> None:
    """One calm page when the data fails its checks: what is wrong, where, and no stack trace.

    The data is cached only when it loads, so fixing the files and reloading the page is enough.
    """
    st.title("Stalin's Shadow")
    st.error(
        _(
            "The historical data did not pass its checks, so the explorer cannot show it. "
            "Nothing is wrong with your link: the files on the server need fixing."
        ),
        icon="⚠️",
    )
    problems = [str(problem) for problem in getattr(error, "problems", [])] or [str(error)]
    st.markdown("**" + _("{count} problem(s) found:").format(count=len(problems)) + "**")
    st.html(panel.problem_list_html(problems))
    st.caption(_("Run `python -m geodata validate` on the server to see the same list."))
