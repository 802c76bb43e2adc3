"""The side panel's content as HTML: every value from the data or the URL is escaped here.

Pure functions returning strings, so escaping and wording are tested without Streamlit.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from explorer.i18n import N_, _, direction, event_date, span_label
from geodata.dates import parse_optional
from geodata.schema import NAME_COLUMNS

KIND_LABELS = {
    "zone": N_("Occupation area"),
    "entity": N_("Self-declared government"),
    "line": N_("1941 demarcation line"),
    "route": N_("Supply route"),
    "site": N_("Place"),
}
CERTAINTY_WORDS = {
    "documented": N_("documented"),
    "approximate": N_("approximate"),
    "disputed": N_("disputed"),
}
CERTAINTY_TEXT = {
    "documented": N_("Documented: sources agree on it."),
    "approximate": N_("Approximate: known only roughly; drawn from the best evidence."),
    "disputed": N_("Disputed: sources disagree; see the note and the sources."),
}
# The period names, for the catalogue (geodata.schema keeps the English, shown in downloads;
# tests/test_i18n.py checks the two agree).
PERIOD_NAMES = {
    "occupation": N_("Occupation 1941–45"),
    "crisis": N_("Crisis 1945–47"),
    "modern": N_("Later ties 1947–2025"),
}
NAME_LANGUAGES = {
    "name_fa": N_("Persian"),
    "name_ckb": N_("Kurdish (Sorani)"),
    "name_az": N_("Azerbaijani"),
    "name_ru": N_("Russian"),
}


def period_label(period: str) -> str:
    """A period's name in the reader's language."""
    return _(PERIOD_NAMES[period]) if period in PERIOD_NAMES else period


def kind_label(kind: str) -> str:
    """A feature kind in the reader's language."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def certainty_word(certainty: str) -> str:
    """A certainty in the reader's language."""
    return _(CERTAINTY_WORDS[certainty]) if certainty in CERTAINTY_WORDS else certainty


CERTAINTY_COLOURS = {"documented": "#2e7d32", "approximate": "#8a5300", "disputed": "#b00020"}


def esc(value: object) -> str:
    """HTML-escape any value (None and NaN become empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def source_link(source: Mapping[str, Any] | None, ident: str) -> str:
    """A source as an outbound link; an unknown id is shown, not linked."""
    if source is None:
        return f"<span>{esc(ident)}</span>"
    url = str(source.get("url", ""))
    title = esc(source.get("title"))
    publisher = esc(source.get("publisher"))
    if not url.startswith(("https://", "http://")):
        return f"<span>{title}</span>"
    return (
        f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
        f'<span class="pub"> · {publisher}</span>'
    )


def source_list(ids: Iterable[str], sources: pd.DataFrame) -> str:
    """An HTML list of source links."""
    items = [
        f"<li>{source_link(sources.loc[i] if i in sources.index else None, i)}</li>" for i in ids
    ]
    return '<ul class="sources">' + "".join(items) + "</ul>" if items else ""


def badge(word: str, meaning: str, colour: str, css_class: str = "badge", style: str = "") -> str:
    """A coloured, outlined word with its meaning as a tooltip."""
    return (
        f'<span class="{esc(css_class)}" title="{esc(meaning)}" '
        f'style="border:1px solid {colour};color:{colour};border-radius:3px;padding:0 4px;'
        f'{style or "font-size:0.8em"}">{esc(word)}</span>'
    )


def certainty_badge(certainty: str) -> str:
    """A certainty as a coloured word with its meaning as a tooltip."""
    colour = CERTAINTY_COLOURS.get(certainty, "#555")
    meaning = _(CERTAINTY_TEXT[certainty]) if certainty in CERTAINTY_TEXT else ""
    return badge(certainty_word(certainty), meaning, colour)


def tagged_names(feature: Mapping[str, Any]) -> str:
    """A feature's own names in other languages, each marked with its language and direction
    (so a screen reader speaks it right and Persian reads right to left inside English)."""
    parts = []
    for column, language in NAME_LANGUAGES.items():
        name = str(feature.get(column) or "")
        if not name or name == feature.get("name"):
            continue
        lang = NAME_COLUMNS[column]
        script_dir = "ltr" if lang == "ru" else "rtl"
        parts.append(
            f'<span lang="{lang}" dir="{script_dir}">{esc(name)}</span> '
            f'<span class="lang">({esc(_(language))})</span>'
        )
    return " · ".join(parts)


def feature_html(feature: Mapping[str, Any], sources: pd.DataFrame) -> str:
    """The panel's head for a feature: names, dates, certainty, summary, how drawn, sources."""
    start, end = parse_optional(feature.get("start")), parse_optional(feature.get("end"))
    dates = span_label(start, end, solar=True) or _("Throughout the period shown")
    aliases = ", ".join(esc(a) for a in feature.get("aliases") or ())
    names = tagged_names(feature)
    parts = [
        f'<div class="feature-panel" data-feature="{esc(feature["id"])}" dir="{direction()}">',
        f"<h2>{esc(feature['name'])}</h2>",
    ]
    if names:
        parts.append(f'<p class="names"><b>{esc(_("Names:"))}</b> {names}</p>')
    if aliases:
        parts.append(f'<p class="aliases" dir="auto"><b>{esc(_("Also:"))}</b> {aliases}</p>')
    parts.append(
        f'<p class="meta">{esc(kind_label(feature["kind"]))} · '
        f"{esc(period_label(feature['period']))} · "
        f"<b>{esc(dates)}</b> · {certainty_badge(feature['certainty'])}</p>"
    )
    if feature.get("date_note"):
        parts.append(f'<p class="note">{esc(_("Dates:"))} {esc(feature["date_note"])}</p>')
    parts.append(f'<p class="summary">{esc(feature["summary"])}</p>')
    if feature.get("derivation") and feature["kind"] != "site":
        parts.append(
            f'<p class="note"><b>{esc(_("How it is drawn:"))}</b> {esc(feature["derivation"])}</p>'
        )
    parts.append(
        f"<p><b>{esc(_('Sources'))}</b></p>" + source_list(feature.get("sources") or (), sources)
    )
    parts.append("</div>")
    return "".join(parts)


def event_date_label(event: Mapping[str, Any]) -> str:
    """An event's date at its own precision, with its end where it spans days."""
    start, end = parse_optional(event.get("date")), parse_optional(event.get("end_date"))
    if start is None:
        return str(event.get("date") or "")
    solar = event.get("solar_hijri") == "yes"
    if end and end != start:
        return f"{event_date(start, solar)} – {event_date(end, solar)}"
    return event_date(start, solar)


def event_html(event: Mapping[str, Any], sources: pd.DataFrame) -> str:
    """One event: date at its true precision, title, summary, certainty, alternatives, sources."""
    parts = [
        f'<div class="event" data-event="{esc(event["id"])}">',
        f'<p class="event-head"><b>{esc(event_date_label(event))}</b> — {esc(event["title"])}',
    ]
    if event.get("certainty") and event["certainty"] != "documented":
        parts.append(" " + certainty_badge(event["certainty"]))
    parts.append("</p>")
    parts.append(f'<p class="summary">{esc(event["summary"])}</p>')
    if event.get("date_note"):
        parts.append(f'<p class="note">{esc(_("Dates:"))} {esc(event["date_note"])}</p>')
    parts.append(source_list(event.get("sources") or (), sources))
    parts.append("</div>")
    return "".join(parts)


_MARKDOWN_SPECIALS = set("\\`*_{}[]()<>#+-.!|~:$&")


def markdown_literal(text: str) -> str:
    """Text that Streamlit's Markdown shows as typed: no links, no HTML, no formatting."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in text)


EVENTS_CSS = (
    "<style>.events .event{border-top:1px solid #e6e6ea;padding-top:.5rem;margin-top:.5rem}"
    ".events .event p{margin:.2rem 0}.events ul.sources{margin:.2rem 0 0 1.2rem;"
    "font-size:.9em}</style>"
)


def events_html(events: Iterable[Mapping[str, Any]], sources: pd.DataFrame) -> str:
    """A feature's events, in the order given, as one block of escaped HTML."""
    items = [event_html(event, sources) for event in events]
    return (
        EVENTS_CSS
        + f'<div class="events" dir="{direction()}"><p><b>'
        + esc(_("Events ({count})").format(count=len(items)))
        + "</b></p>"
        + "".join(items)
        + "</div>"
    )


def notice_text(notices: Iterable[str]) -> str:
    """Notices about the link as Markdown paragraphs in which user input is only text."""
    return "\n\n".join(markdown_literal(n) for n in notices)


def problem_list_html(problems: Iterable[str]) -> str:
    """Data problems as an escaped list (file, row and rule are in each problem's text)."""
    items = "".join(f"<li><code>{esc(problem)}</code></li>" for problem in problems)
    return f'<ul class="data-problems">{items}</ul>'
