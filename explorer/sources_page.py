"""The sources page's glue: the bibliography, how each layer is drawn, the article's claims
with verdicts, and the downloads."""

from __future__ import annotations

from datetime import date

import streamlit as st

from explorer import bibliography, downloads, frame, links
from explorer.i18n import N_, _, active, bound, digits, using
from explorer.panel import period_label
from geodata.schema import PERIODS, VERDICTS

KEY_VERDICTS = "claims_verdicts"
TITLE = N_("Sources and evidence")


@st.cache_resource(show_spinner=False)
def _published() -> dict[str, str]:
    """The downloads as static files with a content hash in the name, written once per server
    process (every replica writes the same names), so any replica serves them."""
    return downloads.publish(frame.dataset("en"))  # the files hold the source language


@st.cache_data(show_spinner=False)
def _version() -> str:
    return downloads.data_version()


@st.cache_resource(show_spinner=False, max_entries=48)
def _downloads_html(page_url: str, base_path: str, today: date, lang: str) -> str:
    """The downloads section: links to the static files, citations and licences, in one
    element made once per address, day and language."""
    with using(lang):
        return downloads.downloads_html(_published(), base_path, _version(), page_url, today)


# The page's HTML is the same for every reader of a language (the claims' for each verdict
# filter): made once per process, not on every run, where it was half the page's server time
# under load. Each takes the language, so that a cache entry is in one language.
@st.cache_resource(show_spinner=False, max_entries=32)
def _bibliography_html(kind: str, lang: str) -> str:
    with using(lang):
        data = frame.dataset(lang)
        cited = bibliography.citation_counts(data.features, data.events, data.claims, data.story)
        return bibliography.bibliography_html(data.sources, cited, kind)


@st.cache_resource(show_spinner=False, max_entries=16)
def _layer_html(period: str, lang: str) -> str:
    with using(lang):
        data = frame.dataset(lang)
        return bibliography.layer_html(data.features, data.sources, period)


@st.cache_resource(show_spinner=False, max_entries=128)
def _claims_html(verdicts: tuple[str, ...], lang: str) -> str:
    with using(lang):
        data = frame.dataset(lang)
        return bibliography.claims_html(data.claims, data.sources, verdicts)


@st.cache_resource(show_spinner=False)
def _canonical_share() -> float:
    return bibliography.canonical_share(frame.dataset().sources)


def render() -> None:
    """Bibliography, how each layer is drawn, the article's claims, and the downloads."""
    data = frame.dataset()
    lang = active()
    st.title(_(TITLE))
    frame.show_notices()
    st.header(_("Bibliography"))
    share = _canonical_share()
    st.caption(
        _(
            "{count} sources. Every place, event, claim and story stop cites at least one; "
            "links open the source itself. {share} are canonical (archives and official texts, "
            "edited encyclopaedias, scholarship, major news agencies); no event rests on "
            "Wikipedia alone."
        ).format(count=digits(len(data.sources)), share=digits(f"{share:.0%}"))
    )
    for kind, label, count in bibliography.source_kinds(data.sources):
        with st.expander(f"{label} ({digits(count)})"):
            st.html(_bibliography_html(kind, lang))

    st.header(_("How each layer is drawn"))
    st.markdown(
        _(
            "The **basemap** (Iran and its neighbours) is drawn from Natural Earth's 1:10m "
            "country borders, public domain, so the map works offline; an online street map "
            "from OpenStreetMap and CARTO is laid over it when there is a connection. On the "
            "map, a **solid** outline means documented, **dashed** approximate and **dotted** "
            "disputed."
        )
    )
    for period in PERIODS:
        count = int((data.features["period"] == period).sum())
        label = _("{period} ({count} features)").format(
            period=period_label(period), count=digits(count)
        )
        with st.expander(label):
            st.html(_layer_html(period, lang))

    st.header(_("What the article claims"))
    st.caption(
        _(
            "Each claim of the article that inspired this project, paraphrased, with our "
            "verdict and the sources it rests on."
        )
    )
    counts = bibliography.verdict_counts(data.claims)
    for column, (verdict, count) in zip(st.columns(len(counts)), counts, strict=True):
        column.metric(
            bibliography.verdict_word(verdict).capitalize(),
            digits(count),
            help=_(bibliography.VERDICT_TEXT[verdict]),
        )
    verdicts = st.pills(
        _("Show verdicts"),
        options=list(VERDICTS),
        selection_mode="multi",
        default=list(VERDICTS),
        key=KEY_VERDICTS,
        format_func=bound(lambda verdict: bibliography.verdict_word(verdict).capitalize()),
    )
    st.html(_claims_html(tuple(verdicts or ()), lang))

    st.header(_("Downloads"))
    version = _version()
    st.caption(
        _("Data version {version}: the same version always means the same files.").format(
            version=version
        )
    )
    base = links.page_url(frame.current_url(), "sources")
    base_path = str(st.get_option("server.baseUrlPath") or "")
    st.html(_downloads_html(base, base_path, date.today(), lang))
    st.subheader(_("Licences and attributions"))
    st.markdown(
        "- "
        + _("Country borders: Natural Earth, public domain.")
        + "\n- "
        + _(
            "Street map shown on the map page when online: © OpenStreetMap contributors "
            "(ODbL), © CARTO; it is not part of any download."
        )
        + "\n- "
        + _("Cited works keep their own licences; the files hold only their titles and links.")
        + "\n- "
        + _(downloads.PROJECT_LICENCE)
    )
