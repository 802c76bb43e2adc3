"""The sidebar's time control as plain functions: which years the year picker lists, which
positions the month slider has, and what a chosen (or typed) year and month make of the date.

The map covers every month from August 1941 to December 2025, but the data has little between
1948 and 1994. So the year picker lists the years 1941-1947 and 1995-2025 and only those years
in between that have an event or a place's start or end (a reader may still type any year); the
slider has a position per month in the two busy eras and one per year in between. The previous
and next month buttons step through every month. All of them set one `date` (YYYY-MM).
"""

from __future__ import annotations

from collections.abc import Iterable

from babel.dates import get_month_names

from explorer.i18n import DEFAULT_LANG, _, active, date_label, digits
from explorer.state import FIRST_MONTH, LAST_MONTH, month_of, month_options
from geodata import PartialDate

MONTHS = month_options()  # every month the map covers, YYYY-MM
_LOCAL_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
# The years where the slider has a position per month; in between, one per year (January).
BUSY_YEARS = ((1941, 1947), (1995, 2025))
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def busy(year: int) -> bool:
    """Whether the slider has a position for every month of `year`."""
    return any(first <= year <= last for first, last in BUSY_YEARS)


def slider_months() -> list[str]:
    """The slider's positions: every month of the busy eras, January of each year between."""
    return [m for m in MONTHS if busy(int(m[:4])) or m.endswith("-01")]


def slider_position(month: str) -> str:
    """The slider position that shows `month` (YYYY-MM): itself, or January of its year
    between the busy eras."""
    return month if busy(int(month[:4])) else f"{month[:4]}-01"


def month_name(number: int, lang: str | None = None) -> str:
    """A month's name as a heading or a picker shows it ("March", "март", "مارس")."""
    lang = lang or active()
    if lang == DEFAULT_LANG:
        return MONTH_NAMES[number - 1]
    return get_month_names("wide", context="stand-alone", locale=lang)[number]


def slider_label(month: str, lang: str | None = None) -> str:
    """A slider position's label: "Mar 1946", or just the year between the busy eras."""
    if busy(int(month[:4])):
        return date_label(PartialDate.parse(month), lang)
    return digits(month[:4], lang)


def picker_years(dated: Iterable[object]) -> list[str]:
    """The year picker's years: every busy year, and the years in between with something dated
    (`dated`: ISO dates or partial dates as text, such as the events' and places' dates)."""
    years = {y for first, last in BUSY_YEARS for y in range(first, last + 1)}
    for value in dated:
        text = str(value or "")[:4]
        if text.isascii() and text.isdigit():
            years.add(int(text))
    first, last = FIRST_MONTH.year, LAST_MONTH.year
    return [str(y) for y in sorted(years) if first <= y <= last]


def parse_year(text: object) -> int:
    """A year the reader chose or typed; ValueError with a message for the reader otherwise."""
    raw = str(text or "").strip()
    typed = raw.translate(_LOCAL_DIGITS)  # "۱۹۴۶" typed on a Persian keyboard is 1946
    first, last = FIRST_MONTH.year, LAST_MONTH.year
    if not (typed.isascii() and typed.isdigit() and len(typed) <= 4):
        shown = raw if len(raw) <= 20 else raw[:19] + "…"
        raise ValueError(
            _("“{text}” is not a year: type one from {first} to {last}, such as 1946.").format(
                text=shown, first=digits(first), last=digits(last)
            )
        )
    year = int(typed)
    if not first <= year <= last:
        raise ValueError(
            _("The map covers {start} to {end}: type a year from {first} to {last}.").format(
                start=date_label(FIRST_MONTH),
                end=date_label(LAST_MONTH),
                first=digits(first),
                last=digits(last),
            )
        )
    return year


def with_year_month(year: int, month: int) -> tuple[PartialDate, str | None]:
    """The month `year`-`month`, moved into the map's range, and a note when it was moved."""
    wanted = f"{year:04d}-{month:02d}"
    if wanted < MONTHS[0]:
        first = date_label(FIRST_MONTH)
        note = _("The map starts in {first}: showing {first}.").format(first=first)
        return PartialDate.parse(MONTHS[0]), note
    if wanted > MONTHS[-1]:
        last = date_label(LAST_MONTH)
        note = _("The map ends in {last}: showing {last}.").format(last=last)
        return PartialDate.parse(MONTHS[-1]), note
    return PartialDate.parse(wanted), None


def step(month: str, months: int) -> str | None:
    """The month `months` before or after `month` (YYYY-MM), or None past either end."""
    index = MONTHS.index(month) + months
    return MONTHS[index] if 0 <= index < len(MONTHS) else None


def shown_month(date: PartialDate | None, last_month: str) -> str:
    """The month the controls show: the date's, or the last one chosen while all dates are on."""
    return month_of(date) if date is not None else last_month
