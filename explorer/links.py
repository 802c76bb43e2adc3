"""Addresses between the app's pages, in the share-link format of explorer.state."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from explorer.state import ViewState, to_query

# The URL paths Streamlit gives the pages (from their file names, see streamlit_app.py).
PAGES = ("map", "timeline", "story", "sources")


def page_url(current: str, page: str) -> str:
    """The address of another page, worked out from the current page's full address (which may
    be the app's root, a page, or either under a base path)."""
    parts = urlsplit(current)
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[-1] in PAGES:
        segments = segments[:-1]
    path = "/" + "/".join([*segments, page])
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def page_href(page: str, state: ViewState, extra: dict[str, str] | None = None) -> str:
    """A relative link to a page showing a state (for links inside HTML the app renders)."""
    return f"{page}?{urlencode({**to_query(state), **(extra or {})}, safe=',')}"


def full_url(current: str, page: str, state: ViewState, extra: dict[str, str] | None = None) -> str:
    """The full share link of a state on a page."""
    return page_url(current, page) + "?" + urlencode({**to_query(state), **(extra or {})}, safe=",")
