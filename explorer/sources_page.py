"""The sources page's glue: the bibliography, how each layer is drawn, the article's claims
with verdicts, and the downloads."""

from __future__ import annotations

from datetime import date

import streamlit as st

from explorer import bibliography, downloads, frame, links
from explorer.panel import markdown_literal
from geodata.schema import PERIOD_LABELS, PERIODS, VERDICTS

KEY_VERDICTS = "claims_verdicts"
TITLE = "Sources and evidence"


@st.cache_data(show_spinner=False)
def _file(key: str) -> bytes:
    """A download's content, made once per server process."""
    return downloads.file_bytes(frame.dataset(), key)


@st.cache_data(show_spinner=False)
def _version() -> str:
    return downloads.data_version()


def render() -> None:
    """Bibliography, how each layer is drawn, the article's claims, and the downloads."""
    data = frame.dataset()
    st.title(TITLE)
    frame.show_notices()
    cited = bibliography.citation_counts(data.features, data.events, data.claims, data.story)
    st.header("Bibliography")
    share = bibliography.canonical_share(data.sources)
    st.caption(
        f"{len(data.sources)} sources. Every place, event, claim and story stop cites at least "
        f"one; links open the source itself. {share:.0%} are canonical (archives and official "
        "texts, edited encyclopaedias, scholarship, major news agencies); no event rests on "
        "Wikipedia alone."
    )
    for kind, label, count in bibliography.source_kinds(data.sources):
        with st.expander(f"{label} ({count})"):
            st.html(bibliography.bibliography_html(data.sources, cited, kind))

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
            st.html(bibliography.layer_html(data.features, data.sources, period))

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
    st.html(bibliography.claims_html(data.claims, data.sources, verdicts or ()))

    st.header("Downloads")
    version = _version()
    st.caption(f"Data version {version}: the same version always means the same files.")
    base = links.page_url(frame.current_url(), "sources")
    for item in downloads.DOWNLOADS:
        with st.container(border=True):
            st.markdown(f"**{item.label}** — {item.description}")
            st.download_button(
                f"Download {item.file_name}",
                data=_file(item.key),
                file_name=item.file_name,
                mime=item.mime,
                key=f"download_{item.key}",
                on_click="ignore",
                icon=":material/download:",
            )
            st.caption(
                markdown_literal(
                    "Cite as: " + downloads.citation(item, version, base, date.today())
                )
            )
            st.caption(markdown_literal("Licence and attribution: " + item.licence))
    st.subheader("Licences and attributions")
    st.markdown(
        "- Country borders: Natural Earth, public domain.\n"
        "- Street map shown on the map page when online: © OpenStreetMap contributors (ODbL), "
        "© CARTO; it is not part of any download.\n"
        "- Cited works keep their own licences; the files hold only their titles and links.\n"
        f"- {downloads.PROJECT_LICENCE}"
    )
