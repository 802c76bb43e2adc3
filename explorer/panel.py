"""The side panel's content as HTML: every value from the data or the URL is escaped here.

Pure functions returning strings, so escaping and wording are tested without Streamlit.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from geodata.dates import parse_optional, span_label
from geodata.schema import PERIOD_LABELS

KIND_LABELS = {
    "zone": "Occupation area",
    "entity": "Self-declared government",
    "line": "1941 demarcation line",
    "route": "Supply route",
    "site": "Place",
}
CERTAINTY_TEXT = {
    "documented": "Documented: sources agree on it.",
    "approximate": "Approximate: known only roughly; drawn from the best evidence.",
    "disputed": "Disputed: sources disagree; see the note and the sources.",
}
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
    return badge(certainty, CERTAINTY_TEXT.get(certainty, ""), colour)


def feature_html(feature: Mapping[str, Any], sources: pd.DataFrame) -> str:
    """The panel's head for a feature: names, dates, certainty, summary, how drawn, sources."""
    start, end = parse_optional(feature.get("start")), parse_optional(feature.get("end"))
    dates = span_label(start, end) or "Throughout the period shown"
    aliases = ", ".join(esc(a) for a in feature.get("aliases") or ())
    parts = [
        f'<div class="feature-panel" data-feature="{esc(feature["id"])}">',
        f"<h2>{esc(feature['name'])}</h2>",
    ]
    if aliases:
        parts.append(f'<p class="aliases"><b>Also:</b> {aliases}</p>')
    parts.append(
        f'<p class="meta">{esc(KIND_LABELS.get(feature["kind"], feature["kind"]))} · '
        f"{esc(PERIOD_LABELS.get(feature['period'], feature['period']))} · "
        f"<b>{esc(dates)}</b> · {certainty_badge(feature['certainty'])}</p>"
    )
    if feature.get("date_note"):
        parts.append(f'<p class="note">Dates: {esc(feature["date_note"])}</p>')
    parts.append(f'<p class="summary">{esc(feature["summary"])}</p>')
    if feature.get("derivation") and feature["kind"] != "site":
        parts.append(f'<p class="note"><b>How it is drawn:</b> {esc(feature["derivation"])}</p>')
    parts.append("<p><b>Sources</b></p>" + source_list(feature.get("sources") or (), sources))
    parts.append("</div>")
    return "".join(parts)


def event_date_label(event: Mapping[str, Any]) -> str:
    """An event's date at its own precision, with its end where it spans days."""
    start, end = parse_optional(event.get("date")), parse_optional(event.get("end_date"))
    if start is None:
        return str(event.get("date") or "")
    return span_label(start, end) if end and end != start else start.label()


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
        parts.append(f'<p class="note">Dates: {esc(event["date_note"])}</p>')
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
        + f'<div class="events"><p><b>Events ({len(items)})</b></p>'
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
