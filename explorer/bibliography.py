"""The evidence pages' content as escaped HTML: the bibliography, how each layer is drawn, and
the article's claims with their verdicts.

Pure functions of the data, so wording and escaping are tested without Streamlit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from urllib.parse import urlsplit

import pandas as pd

from explorer.i18n import N_, _, digits, direction, ngettext, span_label
from explorer.panel import (
    badge,
    certainty_badge,
    esc,
    kind_label,
    period_label,
    source_link,
    source_list,
)
from geodata.dates import parse_optional
from geodata.schema import SOURCE_KINDS, VERDICTS

SOURCE_KIND_LABELS = {
    "primary": N_("Primary documents"),
    "reference": N_("Reference works"),
    "scholarship": N_("Scholarship and histories"),
    "news": N_("News reports"),
    "data": N_("Data"),
}
VERDICT_WORDS = {
    "supported": N_("supported"),
    "imprecise": N_("imprecise"),
    "unverified": N_("unverified"),
    "unsupported": N_("unsupported"),
    "opinion": N_("opinion"),
}
VERDICT_TEXT = {
    "supported": N_("Supported: the sources bear it out."),
    "imprecise": N_("Imprecise: right in substance, wrong or overstated in a detail."),
    "unverified": N_("Unverified: no record found either way (which does not refute it)."),
    "unsupported": N_("Unsupported: the sources read do not bear it out, or say otherwise."),
    "opinion": N_("Opinion: a judgement, not a checkable fact."),
}
VERDICT_COLOURS = {
    "supported": "#2e7d32",
    "imprecise": "#8a5300",
    "unverified": "#5f6368",
    "unsupported": "#b00020",
    "opinion": "#4a5a8a",
}

CLAIM_STYLE = "border-left:3px solid #ddd;padding:0 0 0 12px;margin:0 0 18px 0"


# Kinds of source that are canonical in themselves: archives and official texts, edited
# reference works, and scholarship.
CANONICAL_KINDS = ("primary", "reference", "scholarship")
# News agencies and public international broadcasters whose wire reports count as canonical news,
# named as they appear in a source's publisher (also when carried by another outlet, as in
# "KTVZ (Associated Press)").
MAJOR_AGENCIES = (
    "Reuters",
    "Associated Press",
    "AFP",
    "Agence France-Presse",
    "TASS",
    "Interfax",
    "Xinhua",
    "IRNA",
    "ANI",
    "Radio Free Europe",
    "Deutsche Welle",
    "BBC",
)
_AGENCY = re.compile(r"\b(?:" + "|".join(re.escape(name) for name in MAJOR_AGENCIES) + r")\b")


def is_wikipedia(source: dict | pd.Series) -> bool:
    """An open wiki article: any Wikipedia language edition, by publisher or by address."""
    host = urlsplit(str(source.get("url") or "")).hostname or ""
    return "Wikipedia" in str(source.get("publisher") or "") or host.endswith("wikipedia.org")


def canonical_share(sources: pd.DataFrame) -> float:
    """The share (0 to 1) of source rows a historian can cite as canonical.

    A source is canonical when it is not a Wikipedia article and either its kind is primary,
    reference or scholarship (archives, official texts, edited encyclopaedias, scholarship) or its
    publisher names a major news agency (see MAJOR_AGENCIES). Wikipedia, other news sites, blogs
    and data downloads are not. Every row counts once, whatever it is cited for; an empty table
    has a share of 0.
    """
    if len(sources) == 0:
        return 0.0
    canonical = 0
    for source in sources.to_dict("records"):
        if is_wikipedia(source):
            continue
        if source.get("kind") in CANONICAL_KINDS or _AGENCY.search(str(source.get("publisher"))):
            canonical += 1
    return canonical / len(sources)


def citation_counts(*frames: pd.DataFrame) -> Counter[str]:
    """How many rows of the given tables cite each source."""
    counts: Counter[str] = Counter()
    for frame in frames:
        for ids in frame["sources"]:
            counts.update(set(ids))
    return counts


def bibliography_html(sources: pd.DataFrame, cited: Counter[str], kind: str) -> str:
    """The sources of one kind, by title, each linked, with publisher, date read and licence."""
    chosen = sources[sources["kind"] == kind].sort_values("title", key=lambda s: s.str.lower())
    items = []
    for _index, source in chosen.iterrows():
        extra = [esc(_("read {date}").format(date=digits(source["accessed"])))]
        if source.get("licence"):
            extra.append(esc(_("licence: {licence}").format(licence=source["licence"])))
        count = cited.get(source["id"], 0)
        extra.append(
            esc(
                ngettext("cited {count} time", "cited {count} times", count).format(
                    count=digits(count)
                )
            )
        )
        items.append(
            f'<li data-source="{esc(source["id"])}">{source_link(source, source["id"])}'
            f'<span class="meta"> · {" · ".join(extra)}</span></li>'
        )
    return (
        f'<ul class="bibliography" data-kind="{esc(kind)}" dir="{direction()}">'
        f"{''.join(items)}</ul>"
    )


def source_kinds(sources: pd.DataFrame) -> list[tuple[str, str, int]]:
    """(kind, label, count) of every kind that has sources, in the schema's order."""
    counts = sources["kind"].value_counts()
    return [
        (
            kind,
            _(SOURCE_KIND_LABELS[kind]) if kind in SOURCE_KIND_LABELS else kind,
            int(counts[kind]),
        )
        for kind in SOURCE_KINDS
        if kind in counts
    ]


def layer_html(features: pd.DataFrame, sources: pd.DataFrame, period: str) -> str:
    """For one period layer: every feature with its dates, certainty, how it is drawn and from
    what, as a table."""
    chosen = features[features["period"] == period].sort_values(["kind", "name"])
    rows = []
    for _index, feature in chosen.iterrows():
        dates = span_label(parse_optional(feature["start"]), parse_optional(feature["end"]))
        rows.append(
            f'<tr data-feature="{esc(feature["id"])}">'
            f"<td><b>{esc(feature['name'])}</b><br>"
            f'<span class="meta">{esc(kind_label(feature["kind"]))}</span>'
            f"</td><td>{esc(dates or _('not dated'))}</td>"
            f"<td>{certainty_badge(feature['certainty'])}</td>"
            f"<td>{esc(feature.get('derivation') or '')}"
            + (
                f"<br><i>{esc(_('Dates:'))}</i> {esc(feature['date_note'])}"
                if feature["date_note"]
                else ""
            )
            + f"</td><td>{source_list(feature['sources'], sources)}</td></tr>"
        )
    head = "".join(
        f'<th scope="col">{esc(name)}</th>'
        for name in (_("Feature"), _("Dates"), _("Certainty"), _("How it is drawn"), _("Sources"))
    )
    caption = ngettext("{period}: {count} feature", "{period}: {count} features", len(rows))
    return (
        f'<table class="layer-table" data-period="{esc(period)}" dir="{direction()}">'
        f"<caption>{esc(caption.format(period=period_label(period), count=digits(len(rows))))}"
        "</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def verdict_word(verdict: str) -> str:
    """A verdict in the reader's language."""
    return _(VERDICT_WORDS[verdict]) if verdict in VERDICT_WORDS else verdict


def verdict_badge(verdict: str) -> str:
    """A verdict as a coloured word with its meaning as a tooltip."""
    colour = VERDICT_COLOURS.get(verdict, "#555")
    style = "font-size:0.85em;text-transform:uppercase;letter-spacing:.03em"
    word = verdict_word(verdict)
    meaning = _(VERDICT_TEXT[verdict]) if verdict in VERDICT_TEXT else ""
    return badge(word, meaning, colour, "verdict", style)


def verdict_counts(claims: pd.DataFrame) -> list[tuple[str, int]]:
    """(verdict, number of claims) for every verdict, in the schema's order."""
    counts = claims["verdict"].value_counts()
    return [(verdict, int(counts.get(verdict, 0))) for verdict in VERDICTS]


def claims_html(
    claims: pd.DataFrame, sources: pd.DataFrame, verdicts: Collection[str] = VERDICTS
) -> str:
    """The article's claims with the given verdicts: paraphrase, verdict, why, and sources."""
    items = []
    for _index, claim in claims[claims["verdict"].isin(list(verdicts))].iterrows():
        number = claim["id"].rsplit("-", 1)[-1].lstrip("0") or "0"
        items.append(
            f'<li class="claim" data-claim="{esc(claim["id"])}" '
            f'data-verdict="{esc(claim["verdict"])}" style="{CLAIM_STYLE}">'
            f'<p><span class="meta">{esc(_("Claim {number}").format(number=digits(number)))}'
            f"</span> {verdict_badge(claim['verdict'])}"
            f"</p><p><b>{esc(claim['claim'])}</b></p>"
            f'<p class="explanation">{esc(claim["explanation"])}</p>'
            + source_list(claim["sources"], sources)
            + "</li>"
        )
    if not items:
        return f'<p class="empty">{esc(_("No claim has the chosen verdicts."))}</p>'
    return (
        f'<ul class="claims" dir="{direction()}" style="list-style:none;padding-inline-start:0">'
        f"{''.join(items)}</ul>"
    )
