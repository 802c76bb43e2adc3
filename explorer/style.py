"""One palette for the map (and, later, the chart and the badges): colours, patterns, words.

Kept apart from the map code so that every view of the data uses the same colour for the same
power or period, and the same line pattern for the same certainty.
"""

from __future__ import annotations

from explorer.i18n import N_

# Who held or claimed an area or a line: one colour per group, one legend row per group.
GROUPS: dict[str, tuple[str, str]] = {
    "soviet": ("#b22222", N_("Soviet zone and lines")),
    "british": ("#1f4e9c", N_("British zone and line")),
    "central": ("#8c7b4f", N_("Unoccupied centre (Tehran)")),
    "kurdish-strip": ("#7d3c98", N_("Kurdish strip left to neither")),
    "azerbaijan": ("#e07b00", N_("Azerbaijan People's Government")),
    "mahabad": ("#138d75", N_("Republic of Mahabad")),
    "railway": ("#2b2b2b", N_("Trans-Iranian Railway")),
}
FEATURE_GROUP: dict[str, str] = {
    "soviet-zone": "soviet",
    "soviet-line-1941": "soviet",
    "soviet-line-1941-alt": "soviet",
    "khorasan-soviet-garrison": "soviet",
    "british-zone": "british",
    "british-line-1941": "british",
    "central-zone": "central",
    "kurdish-neutral-strip": "kurdish-strip",
    "azerbaijan-peoples-government": "azerbaijan",
    "republic-of-mahabad": "mahabad",
    "trans-iranian-railway": "railway",
}
OTHER_COLOUR = "#555555"

# Places (site dots) by period: the same colours as the timeline's periods.
PERIOD_COLOURS: dict[str, str] = {
    "occupation": "#5b3a29",
    "crisis": "#7a1f5c",
    "modern": "#0b6e99",
}
PERIOD_WORDS: dict[str, str] = {
    "occupation": N_("Place of the occupation, 1941–46"),
    "crisis": N_("Place of the crisis, 1945–47"),
    "modern": N_("Place of the modern ties, 1995–2025"),
}

# Outline pattern by certainty (SVG dash arrays): solid documented, dashed approximate, dotted
# disputed. Lines and areas follow the same rule, so one legend row explains both.
CERTAINTY_DASH: dict[str, str | None] = {
    "documented": None,
    "approximate": "9 6",
    "disputed": "2 6",
}
CERTAINTY_WORDS: dict[str, tuple[str, str]] = {
    "documented": ("solid", N_("documented")),
    "approximate": ("dashed", N_("approximate")),
    "disputed": ("dotted", N_("disputed")),
}
CERTAINTY_FILL: dict[str, float] = {"documented": 0.35, "approximate": 0.25, "disputed": 0.15}

# What a feature is, said to screen readers with its name ("Tabriz, place").
KIND_WORDS: dict[str, str] = {
    "zone": N_("zone"),
    "entity": N_("self-declared state"),
    "line": N_("line"),
    "route": N_("railway"),
    "site": N_("place"),
}

# Basemap and labels.
SEA = "#cddfe8"
LAND = "#e4dfd3"
IRAN = "#f6f1e4"
BORDER = "#a9a398"
IRAN_BORDER = "#8a8478"
HIGHLIGHT = "#ffd400"
FOCUS = "#0b57d0"  # the keyboard focus ring; 4.5:1 or more on every fill above
LABEL_TEXT = "#1d1d1d"
COUNTRY_TEXT = "#5a5448"
SEA_TEXT = "#2f5d78"
HALO = "#ffffff"


def group_colour(feature_id: str) -> str:
    """The colour of the power or state a feature belongs to."""
    group = FEATURE_GROUP.get(feature_id)
    return GROUPS[group][0] if group else OTHER_COLOUR


# The page's own CSS, put once in every page by the entry point (explorer.frame.app_style).
# NARROW_SCREEN is where Streamlit stacks columns: the map's legend moves below the map there.
NARROW_SCREEN = 640
TIMELINE_WIDE_CHART = 900  # the "wide" chart's width (explorer.chronology.LAYOUTS) and a margin
APP_CSS = f"""
/* The maps' height follows the screen, within a floor and the page's own height (the story's
   map, on the page with the story's buttons, is the shorter). No keyed container wraps the
   maps: one that moves (the welcome dismissed above it) makes Streamlit draw its block anew. */
.ss-map-host {{ height: clamp(360px, calc(100svh - 220px), 640px) !important; }}
[data-testid="stMain"]:has(.st-key-story_next) .ss-map-host {{
  height: clamp(340px, calc(100svh - 300px), 540px) !important;
}}
@media (max-width: {NARROW_SCREEN}px) {{
  .ss-map-host {{ height: clamp(300px, 62svh, 640px) !important; }}
  [data-testid="stMain"]:has(.st-key-story_next) .ss-map-host {{
    height: clamp(260px, 46svh, 540px) !important;
  }}
  /* The legend inside the map (explorer/map_plugins/ux.js names it part="legend") gives way
     to the one below the map. */
  .ss-map-host::part(legend) {{ display: none; }}
}}
@media (min-width: {NARROW_SCREEN + 1}px) {{
  .ss-legend-below {{ display: none; }}
}}
.ss-legend-below {{
  font: 13px/1.45 system-ui, sans-serif; border: 1px solid #d6d3cf; border-radius: 4px;
  padding: 4px 10px; margin-top: 4px;
}}
.ss-legend-below summary {{ font-weight: 600; min-height: 24px; cursor: pointer; }}
.ss-legend-below ul {{ list-style: none; margin: 0; padding: 0; }}
.ss-legend-below li {{ display: flex; align-items: center; gap: 6px; margin: 2px 0; }}
.ss-legend-below h4 {{ margin: 6px 0 2px; font-size: 13px; font-weight: 600; }}
/* The timeline shows the chart layout that fits its column. */
.st-key-timeline_charts {{ container-type: inline-size; }}
@container (max-width: {TIMELINE_WIDE_CHART - 1}px) {{
  .st-key-timeline_chart_wide {{ display: none; }}
}}
@container (min-width: {TIMELINE_WIDE_CHART}px) {{
  .st-key-timeline_chart_narrow {{ display: none; }}
}}
/* The map page's panel with nothing chosen: a note in Streamlit's info colours (an HTML slot
   the map fills at once on a click, explorer/map_element preview_slot; 7.9:1 contrast). */
.ss-info {{
  background: rgba(28, 131, 225, 0.1); color: #004280; border-radius: 0.5rem;
  padding: 1rem; font-size: 1rem; line-height: 1.6;
}}
/* A visually hidden live region still read by screen readers. */
.ss-visually-hidden {{
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}}
"""
