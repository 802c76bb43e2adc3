"""The guided tour: stops read from geodata's story table, the map state each one sets, its
panel as escaped HTML, and the `stop` parameter of its links.

Pure functions, so the tour's logic and wording are tested without Streamlit. The stop number in
links is 1-based (`/story?stop=5` is the fifth stop), as people count.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

__all__ = [
    "STOP_PARAM",
    "Stop",
    "outline_group",
    "progress_label",
    "stop_html",
    "stop_options",
    "stops",
]
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd

from explorer.i18n import _, digits, direction, event_date
from explorer.mapbuild import highlight_layer
from explorer.panel import esc, source_list
from explorer.state import STOP_PARAM, View, ViewState, parse_view

__all__ = ["STOP_PARAM", "Stop", "outline_group", "progress_label", "stop_html", "stops"]
from geodata.dates import PartialDate
from geodata.schema import PERIODS


@dataclass(frozen=True)
class Stop:
    """One stop of the tour: what the map shows and what the reader is told."""

    id: str
    number: int
    title: str
    narrative: str
    date: PartialDate
    layers: tuple[str, ...]
    feature_ids: tuple[str, ...]
    view: View
    sources: tuple[str, ...]

    def state(self) -> ViewState:
        """The map state the stop sets: its date, layers and view, its first feature selected."""
        return ViewState(
            date=self.date,
            layers=self.layers,
            feature=self.feature_ids[0] if self.feature_ids else None,
            view=self.view,
        )


def stops(story: pd.DataFrame) -> list[Stop]:
    """The stops in tour order (the loader has validated every cell)."""
    return [
        Stop(
            id=row.id,
            number=int(row.order),
            title=row.title,
            narrative=row.narrative,
            date=PartialDate.parse(row.date),
            layers=tuple(p for p in PERIODS if p in row.layers),
            feature_ids=tuple(row.feature_ids),
            view=parse_view(row.view),
            sources=tuple(row.sources),
        )
        for row in story.sort_values("order").itertuples()
    ]


def progress_label(number: int, count: int) -> str:
    """'Stop 5 of 17'."""
    return _("Stop {number} of {count}").format(number=digits(number), count=digits(count))


def announcement(number: int, count: int, title: str) -> str:
    """What the live region says when the reader arrives at a stop."""
    return _("Stop {number} of {count}: {title}").format(
        number=digits(number), count=digits(count), title=title
    )


# The story's live region and focus keeper, run by st.html each time the stop changes:
# - it says "Stop 3 of 17: title" in a polite live region (made once, inside the page's main
#   landmark, visually hidden), so a screen reader hears every stop change;
# - at the first or last stop, reached with Previous or Next, the button clicked is now
#   disabled and the browser drops focus to the page body: focus goes to the other button.
_ANNOUNCE_JS = """(function () {
  var said = __TEXT__, end = __END__;
  var w = window;
  if (!w.__ssStoryNav) {
    w.__ssStoryNav = { at: 0 };
    document.addEventListener("click", function (e) {
      var t = e.target;
      if (t && t.closest && t.closest(".st-key-story_prev, .st-key-story_next")) {
        w.__ssStoryNav.at = Date.now();
      }
    }, true);
  }
  var live = document.getElementById("ss-story-live");
  if (!live) {
    live = document.createElement("div");
    live.id = "ss-story-live";
    live.className = "ss-visually-hidden";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    (document.querySelector("[data-testid=stMain]") || document.body).appendChild(live);
  }
  setTimeout(function () { live.textContent = said; }, 50);
  if (!end) return;
  var want = end === "last" ? ".st-key-story_prev button" : ".st-key-story_next button";
  var tries = 0;
  (function keep() {
    if (Date.now() - w.__ssStoryNav.at > 10000) return;
    var active = document.activeElement, button = document.querySelector(want);
    var lost = !active || active === document.body || active.disabled;
    if (button && !button.disabled && lost) {
      button.focus();
      return;
    }
    if (++tries < 60) setTimeout(keep, 50);
  })();
})();"""


def announce_html(stop: Stop, count: int) -> str:
    """The st.html body (with JavaScript) that announces `stop` and keeps focus at the ends."""
    end = "first" if stop.number == 1 else "last" if stop.number == count else ""
    said = announcement(stop.number, count, stop.title)
    script = _ANNOUNCE_JS.replace("__TEXT__", _script_json(said)).replace(
        "__END__", _script_json(end)
    )
    return f"<script>{script}</script>"


def _script_json(value: str) -> str:
    """A JSON string that cannot end the script early."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def stop_html(stop: Stop, features: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The narrative panel: title, date, the places outlined on the map, text and sources."""
    names = [
        esc(features.loc[i, "name"]) if i in features.index else esc(i) for i in stop.feature_ids
    ]
    parts = [
        f'<div class="story-stop" data-stop="{stop.number}" data-stop-id="{esc(stop.id)}" '
        f'dir="{direction()}">',
        f'<p class="meta"><b>{esc(event_date(stop.date, solar=False))}</b></p>',
        f"<h2>{esc(stop.title)}</h2>",
        f'<p class="narrative">{esc(stop.narrative)}</p>',
    ]
    if names:
        parts.append(
            f'<p class="places"><b>{esc(_("Outlined on the map:"))}</b> {", ".join(names)}</p>'
        )
    parts.append(f"<p><b>{esc(_('Sources'))}</b></p>" + source_list(stop.sources, sources))
    parts.append("</div>")
    return "".join(parts)


def outline_group(features: gpd.GeoDataFrame, feature_ids: Iterable[str]) -> folium.FeatureGroup:
    """Non-interactive outlines of a stop's features (for the st_folium backend)."""
    return highlight_layer(features, tuple(feature_ids))


def stop_options(all_stops: Iterable[Stop]) -> Mapping[int, str]:
    """Stop number to '5. Title' for a chooser."""
    return {stop.number: f"{digits(stop.number)}. {stop.title}" for stop in all_stops}
