"""The view a user sees, and its share-link form: a documented, stable contract.

Query parameters (all optional):
- `date`: `YYYY-MM` or `YYYY-MM-DD` between August 1941 and December 2025, or `all` for every date;
- `layers`: comma list of period ids (`occupation`, `crisis`, `modern`); `none` for no layer;
- `feature`: a geodata feature id, whose panel is open;
- `view`: `lat,lon,zoom` of the map (zoom 2 to 12);
- `stop` (story page only): the tour stop, 1 to the number of stops;
- `lang`: the language, `en` (the default, left out of links), `fa` (Persian) or `ru` (Russian);
  kept across pages.

Example: `/?date=1946-06&layers=occupation,crisis&feature=republic-of-mahabad`.
Anything that does not parse is replaced by its default and reported in a notice.

This module is the contract's one home: its limits and defaults (the month range and zoom range
come from geodata.schema, which the data validator shares), the parsers and the canonical query.
URLs are built in explorer.links; the session's reading and writing of the state is
explorer.session.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from explorer.i18n import DEFAULT_LANG, _, date_label, using
from geodata.dates import PartialDate
from geodata.schema import LANGUAGES, MAP_FIRST_MONTH, MAP_LAST_MONTH, MAX_ZOOM, MIN_ZOOM, PERIODS

FIRST_MONTH = PartialDate.parse(MAP_FIRST_MONTH)
LAST_MONTH = PartialDate.parse(MAP_LAST_MONTH)
ALL_DATES = "all"
NO_LAYERS = "none"
DEFAULT_DATE = PartialDate(1946, 2)
DEFAULT_LAYERS: tuple[str, ...] = ("occupation", "crisis")
# Fits Azerbaijan, Kurdistan and the Gulf on a phone, west of centre so that the westmost
# places of Kurdistan (Oshnavieh, Urmia) are not under the map's buttons on the left edge.
DEFAULT_VIEW = (32.9, 49.5, 5)
__all__ = ["MAX_ZOOM", "MIN_ZOOM"]  # re-exported: the map and the parser share these limits
# What a link says the map shows; the language is not part of that (a story link with only a
# stop and a language opens the stop's own view).
VIEW_PARAMS = ("date", "layers", "feature", "view")
PARAMS = (*VIEW_PARAMS, "lang")
STOP_PARAM = "stop"
# Parameters Streamlit itself reads; a link may carry them without a notice.
STREAMLIT_PARAMS = ("embed", "embed_options")
# Longest value we read from a parameter; longer input is garbage, not a date or an id.
MAX_PARAM_LENGTH = 200


@dataclass(frozen=True)
class View:
    """A map centre and zoom."""

    lat: float
    lon: float
    zoom: int

    def param(self) -> str:
        """The `view` parameter: 4 decimals are about 10 m, enough for any zoom we allow."""
        return f"{self.lat:.4f},{self.lon:.4f},{self.zoom}"

    def near(self, other: View) -> bool:
        """Whether a map showing `other` shows this view: Leaflet snaps the centre to whole
        pixels, so a centre within a pixel at the same zoom is the same view."""
        pixel = 360 / (256 * 2**self.zoom)  # degrees of longitude per pixel at this zoom
        return (
            other.zoom == self.zoom
            and abs(other.lat - self.lat) <= pixel
            and abs(other.lon - self.lon) <= pixel
        )


@dataclass(frozen=True)
class ViewState:
    """What the map shows: a date (None means all dates), period layers, a feature, a view,
    and the language it is told in."""

    date: PartialDate | None = DEFAULT_DATE
    layers: tuple[str, ...] = DEFAULT_LAYERS
    feature: str | None = None
    view: View | None = None
    lang: str = DEFAULT_LANG

    def with_(self, **changes: object) -> ViewState:
        """A copy with some fields changed (layers kept in canonical order)."""
        state = replace(self, **changes)  # type: ignore[arg-type]
        return replace(state, layers=tuple(p for p in PERIODS if p in state.layers))

    def window(self) -> tuple[date, date] | None:
        """The span of days the date means, or None for all dates."""
        if self.date is None:
            return None
        return self.date.first_day(), self.date.last_day()


@dataclass
class Parsed:
    """A state read from a URL, with a notice for each parameter that was replaced."""

    state: ViewState
    notices: list[str] = field(default_factory=list)


def first_value(value: object) -> str:
    """A parameter's value as text: the last of repeated values (as Streamlit reads them)."""
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return "" if value is None else str(value)


def shown(text: str) -> str:
    """A short, printable excerpt of user input for a notice (escaped later, where shown)."""
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 40 else text[:37] + "…"


def parse_date(text: str) -> PartialDate | None:
    """A `date` parameter as a PartialDate (None = all dates); ValueError says why not."""
    text = text.strip()
    if text.lower() == ALL_DATES:
        return None
    try:
        parsed = PartialDate.parse(text)
    except ValueError:
        raise ValueError(_("not a month of the form YYYY-MM")) from None
    if parsed.month is None:
        raise ValueError(_("give a month too, as YYYY-MM"))
    if parsed.last_day() < FIRST_MONTH.first_day() or parsed.first_day() > LAST_MONTH.last_day():
        raise ValueError(
            _("the map covers {first} to {last}").format(
                first=date_label(FIRST_MONTH), last=date_label(LAST_MONTH)
            )
        )
    return parsed


def parse_view(text: str) -> View:
    """A `view` parameter as a View; ValueError with a reason otherwise."""
    parts = text[:MAX_PARAM_LENGTH].split(",")
    if len(parts) != 3:
        raise ValueError(_("expected lat,lon,zoom"))
    try:
        lat, lon, zoom_f = (float(p) for p in parts)
    except ValueError:
        raise ValueError(_("expected numbers as lat,lon,zoom")) from None
    if not (-85 <= lat <= 85 and -180 <= lon <= 180):
        raise ValueError(_("latitude or longitude out of range"))
    if not (MIN_ZOOM <= zoom_f <= MAX_ZOOM) or zoom_f != int(zoom_f):
        raise ValueError(
            _("zoom must be a whole number from {low} to {high}").format(
                low=MIN_ZOOM, high=MAX_ZOOM
            )
        )
    return View(round(lat, 4), round(lon, 4), int(zoom_f))


def parse_lang(value: object) -> str | None:
    """A `lang` parameter as a language code, or None if it names none we have."""
    text = first_value(value).strip().lower()[:MAX_PARAM_LENGTH]
    return text if text in LANGUAGES else None


def parse_query(params: Mapping[str, object], feature_ids: Collection[str]) -> Parsed:
    """Read a share link's parameters; never raises, and explains every replaced value (in the
    link's language, when it names one)."""
    lang = parse_lang(params["lang"]) if "lang" in params else DEFAULT_LANG
    with using(lang or DEFAULT_LANG):
        return _parse_query(params, feature_ids, lang)


def _parse_query(
    params: Mapping[str, object], feature_ids: Collection[str], lang: str | None
) -> Parsed:
    state = ViewState(lang=lang or DEFAULT_LANG)
    notices: list[str] = []

    def bad(name: str, value: str, reason: str, fallback: str) -> None:
        notices.append(
            _("Ignored {name}={value}: {reason}. Showing {fallback} instead.").format(
                name=name, value=repr(shown(value)), reason=reason, fallback=fallback
            )
        )

    if lang is None:
        raw = first_value(params["lang"])
        bad("lang", raw, _("the languages are en, fa and ru"), "English")

    if "date" in params:
        raw = first_value(params["date"])[:MAX_PARAM_LENGTH]
        try:
            state = state.with_(date=parse_date(raw))
        except ValueError as exc:
            bad("date", raw, str(exc), date_label(DEFAULT_DATE))

    if "layers" in params:
        raw = first_value(params["layers"])[:MAX_PARAM_LENGTH]
        items = [item.strip().lower() for item in raw.split(",") if item.strip()]
        if items == [NO_LAYERS]:
            state = state.with_(layers=())
        else:
            known = [item for item in items if item in PERIODS]
            unknown = [item for item in items if item not in PERIODS]
            if unknown or not known:
                reason = (
                    _("unknown layer(s) {names}").format(names=", ".join(map(shown, unknown)))
                    if unknown
                    else _("no layer named")
                )
                fallback = known or list(DEFAULT_LAYERS)
                reason = _("{reason}; layers are {names}").format(
                    reason=reason, names=", ".join(PERIODS)
                )
                bad("layers", raw, reason, ", ".join(fallback))
            state = state.with_(layers=tuple(known) if known else DEFAULT_LAYERS)

    if "feature" in params:
        raw = first_value(params["feature"])[:MAX_PARAM_LENGTH].strip()
        if raw in feature_ids:
            state = state.with_(feature=raw)
        elif raw:
            bad("feature", raw, _("no such place or layer"), _("no selection"))

    if "view" in params:
        raw = first_value(params["view"])[:MAX_PARAM_LENGTH]
        try:
            state = state.with_(view=parse_view(raw))
        except ValueError as exc:
            bad("view", raw, str(exc), _("the whole region"))

    unknown_params = sorted(set(params) - set(PARAMS) - set(STREAMLIT_PARAMS) - {STOP_PARAM})
    if unknown_params:
        notices.append(
            _("Ignored unknown parameter(s): {names}.").format(
                names=", ".join(shown(p) for p in unknown_params)
            )
        )
    return Parsed(state, notices)


def to_query(state: ViewState) -> dict[str, str]:
    """The share-link parameters of a state, in contract order (defaults included: explicit)."""
    query = {
        "date": ALL_DATES if state.date is None else state.date.iso(),
        "layers": ",".join(state.layers) if state.layers else NO_LAYERS,
    }
    if state.feature:
        query["feature"] = state.feature
    if state.view:
        query["view"] = state.view.param()
    if state.lang != DEFAULT_LANG:
        query["lang"] = state.lang
    return query


def month_options() -> list[str]:
    """Every month of the time slider, as YYYY-MM."""
    months = []
    year, month = FIRST_MONTH.year, FIRST_MONTH.month or 1
    while (year, month) <= (LAST_MONTH.year, LAST_MONTH.month or 12):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_of(value: PartialDate) -> str:
    """The slider month a date falls in (a bare year would not be accepted by parse_date)."""
    return f"{value.year:04d}-{value.month or 1:02d}"


def parse_stop(value: object, count: int) -> tuple[int, str | None]:
    """A `stop` parameter as a stop number, or stop 1 and a notice saying why not.

    Only ASCII digits count ("①" and "²" are digits to str.isdigit but not to int), and the
    length is checked before converting, so a 5,000-digit number is a notice, not an error.
    """
    text = first_value(value).strip()
    if (
        text.isascii()
        and text.isdigit()
        and len(text) <= len(str(count))
        and 1 <= int(text) <= count
    ):
        return int(text), None
    return (
        1,
        _("Ignored stop={value}: the story has stops 1 to {count}. Showing stop 1 instead.").format(
            value=repr(shown(text)), count=count
        ),
    )
