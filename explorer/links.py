"""Every URL the app writes: share links and the addresses between pages.

The map is the app's default page, so Streamlit serves it at the app's root: its links are
`/?date=…`, never `/map?…` (the entry point still answers `/map` for old links). The other pages
have the URL path of their file name. Links keep any base path the app is served under.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from explorer.state import STOP_PARAM, ViewState, to_query

# Page name -> URL path (see streamlit_app.py); the map is the root.
PAGE_PATHS = {"map": "", "timeline": "timeline", "story": "story", "sources": "sources"}
# Paths that name a page (the old `/map` included), to find the app's base in an address.
_PAGE_SEGMENTS = {*PAGE_PATHS.values(), "map"} - {""}


def query(state: ViewState, stop: int | None = None) -> dict[str, str]:
    """The parameters of a link to a state (and to a story stop)."""
    params = to_query(state)
    if stop is not None:
        params[STOP_PARAM] = str(stop)
    return params


def page_url(current: str, page: str) -> str:
    """The address of a page, worked out from the current page's full address (which may be
    the app's root, a page, or either under a base path)."""
    parts = urlsplit(current)
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[-1] in _PAGE_SEGMENTS:
        segments = segments[:-1]
    path = "/" + "/".join(s for s in [*segments, PAGE_PATHS[page]] if s)
    if PAGE_PATHS[page] == "" and segments:
        path += "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def full_url(current: str, page: str, state: ViewState, stop: int | None = None) -> str:
    """The full share link of a state on a page."""
    return page_url(current, page) + "?" + urlencode(query(state, stop), safe=",")


def page_href(page: str, state: ViewState) -> str:
    """A link relative to the app's root for HTML the app renders (the map page is `./`)."""
    return f"./{PAGE_PATHS[page]}?{urlencode(to_query(state), safe=',')}"
