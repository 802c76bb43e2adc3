"""The sources page's glue: the bibliography, how each layer is drawn, the article's claims
with verdicts, and the downloads."""

from __future__ import annotations

from datetime import date

import streamlit as st

from explorer import bibliography, downloads, frame, links
from geodata.schema import PERIOD_LABELS, PERIODS, VERDICTS

KEY_VERDICTS = "claims_verdicts"
TITLE = "Sources and evidence"


@st.cache_resource(show_spinner=False)
def _published() -> dict[str, str]:
    """The downloads as static files with a content hash in the name, written once per server
    process (every replica writes the same names), so any replica serves them."""
    return downloads.publish(frame.dataset())


@st.cache_data(show_spinner=False)
def _version() -> str:
    return downloads.data_version()


@st.cache_resource(show_spinner=False, max_entries=16)
def _downloads_html(page_url: str, base_path: str, today: date) -> str:
    """The downloads section: links to the static files, citations and licences, in one
    element made once per address and day."""
    return downloads.downloads_html(_published(), base_path, _version(), page_url, today)


# The page's HTML is the same for every reader (the claims' for each verdict filter): made once
# per process, not on every run, where it was half the page's server time under load.
@st.cache_resource(show_spinner=False)
def _bibliography_html(kind: str) -> str:
    data = frame.dataset()
    cited = bibliography.citation_counts(data.features, data.events, data.claims, data.story)
    return bibliography.bibliography_html(data.sources, cited, kind)


@st.cache_resource(show_spinner=False)
def _layer_html(period: str) -> str:
    data = frame.dataset()
    return bibliography.layer_html(data.features, data.sources, period)


@st.cache_resource(show_spinner=False, max_entries=64)
def _claims_html(verdicts: tuple[str, ...]) -> str:
    data = frame.dataset()
    return bibliography.claims_html(data.claims, data.sources, verdicts)


@st.cache_resource(show_spinner=False)
def _canonical_share() -> float:
    return bibliography.canonical_share(frame.dataset().sources)


def render() -> None:
    """Bibliography, how each layer is drawn, the article's claims, and the downloads."""
    data = frame.dataset()
    st.title(TITLE)
    frame.show_notices()
    st.header("Bibliography")
    share = _canonical_share()
    st.caption(
        f"{len(data.sources)} sources. Every place, event, claim and story stop cites at least "
        f"one; links open the source itself. {share:.0%} are canonical (archives and official "
        "texts, edited encyclopaedias, scholarship, major news agencies); no event rests on "
        "Wikipedia alone."
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
    base = links.page_url(frame.current_url(), "sources")
    st.html(_downloads_html(base, str(st.get_option("server.baseUrlPath") or ""), date.today()))
    st.subheader("Licences and attributions")
    st.markdown(
        "- Country borders: Natural Earth, public domain.\n"
        "- Street map shown on the map page when online: © OpenStreetMap contributors (ODbL), "
        "© CARTO; it is not part of any download.\n"
        "- Cited works keep their own licences; the files hold only their titles and links.\n"
        f"- {downloads.PROJECT_LICENCE}"
    )
