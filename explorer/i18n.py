"""The interface in the reader's language: English, Persian (right to left) or Russian.

Interface strings go through gettext with catalogues managed by Babel: `_(text)` marks and
translates a string, `explorer/locale/<lang>/LC_MESSAGES/messages.po` holds the translations
(`make i18n` extracts new strings and updates the catalogues; `make` compiles them to `.mo` at
set-up). A server without the compiled files (a hosted app installs only requirements.txt)
compiles the `.po` in memory on first use, so the catalogues in git are always what is shown.

The active language is set per script run by the session (`set_resolver`); plain code and tests
choose one with `using(lang)`. This module knows nothing of Streamlit.

Also here, because every page needs them: the text direction, Persian digits, dates in the
reader's language with the Solar Hijri date beside the Gregorian, and the folding that lets a
search find a name typed with another keyboard's letters.
"""

from __future__ import annotations

import ast
import gettext as _gettext
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache
from pathlib import Path

import jdatetime
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from geodata.dates import PartialDate
from geodata.schema import LANGUAGES

DEFAULT_LANG = "en"
LANG_NAMES = {"en": "English", "fa": "فارسی", "ru": "Русский"}
RTL = frozenset({"fa"})
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"

_active: ContextVar[str | None] = ContextVar("stalins_shadow_lang", default=None)
_resolver: Callable[[], str] | None = None


def set_resolver(resolver: Callable[[], str] | None) -> None:
    """Where `active()` finds the language when no `using` block is open (the session's)."""
    global _resolver
    _resolver = resolver


def active() -> str:
    """The language of the text being made now."""
    lang = _active.get()
    if lang is None and _resolver is not None:
        try:
            lang = _resolver()
        except Exception:  # no session (a bare import, a thread of our own): English
            lang = None
    return lang if lang in LANGUAGES else DEFAULT_LANG


@contextmanager
def using(lang: str) -> Iterator[None]:
    """Make text in `lang` inside the block (cached builders take the language as an argument
    and open this block, so a cache entry never mixes languages)."""
    token = _active.set(lang)
    try:
        yield
    finally:
        _active.reset(token)


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of a language: its `.mo` if it is newer than the `.po`, else the
    `.po` compiled in memory. English is the source language: no catalogue."""
    if lang == DEFAULT_LANG or lang not in LANGUAGES:
        return _gettext.NullTranslations()
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def _(message: str) -> str:
    """The interface string `message` in the active language (in Persian, with Persian
    digits: the catalogue keeps ASCII ones, as in the English)."""
    lang = active()
    return digits(translations(lang).gettext(message), lang)


def ngettext(singular: str, plural: str, count: int) -> str:
    """A string that agrees with a number (Russian has three forms, Persian one)."""
    lang = active()
    return digits(translations(lang).ngettext(singular, plural, count), lang)


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark a string for the catalogue without translating it yet (module-level constants are
    made once, before any reader's language is known: translate them where they are shown)."""
    return message


def direction(lang: str | None = None) -> str:
    """'rtl' or 'ltr', for the `dir` attribute."""
    return "rtl" if (lang or active()) in RTL else "ltr"


_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def digits(text: object, lang: str | None = None) -> str:
    """Text with the digits its readers expect: Persian digits in Persian."""
    text = str(text)
    return text.translate(_PERSIAN_DIGITS) if (lang or active()) == "fa" else text


# Solar Hijri month names: Persian from jdatetime; English and Russian transliterated (Russian
# in the genitive after a day, as Russian writes Gregorian dates).
_SH_MONTHS = {
    "en": jdatetime.date.j_months_en,
    "fa": jdatetime.date.j_months_fa,
    "ru": [
        "фарвардин",
        "ордибехешт",
        "хордад",
        "тир",
        "мордад",
        "шахривар",
        "мехр",
        "абан",
        "азар",
        "дей",
        "бахман",
        "эсфанд",
    ],
}
_SH_MONTHS_RU_GENITIVE = [
    "фарвардина",
    "ордибехешта",
    "хордада",
    "тира",
    "мордада",
    "шахривара",
    "мехра",
    "абана",
    "азара",
    "дея",
    "бахмана",
    "эсфанда",
]
_SH_ERA = {"en": " SH", "fa": "", "ru": " г. с. х."}


def _jalali(day: date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=day)


def solar_hijri(value: PartialDate, lang: str | None = None) -> str:
    """The Solar Hijri form of a date at its own precision. A Gregorian month overlaps two
    Hijri months and a year two Hijri years, so a partial date maps to a span, never to a
    made-up day: December 1946 is Azar–Dey 1325."""
    lang = lang or active()
    months = _SH_MONTHS[lang]
    era = _SH_ERA[lang]
    first, last = _jalali(value.first_day()), _jalali(value.last_day())
    if value.precision == "day":
        month = (_SH_MONTHS_RU_GENITIVE if lang == "ru" else months)[first.month - 1]
        text = f"{first.day} {month} {first.year}{era}"
    elif value.precision == "month":
        if first.year == last.year:
            text = f"{months[first.month - 1]}–{months[last.month - 1]} {first.year}{era}"
        else:
            text = (
                f"{months[first.month - 1]} {first.year} – {months[last.month - 1]} "
                f"{last.year}{era}"
            )
    else:
        text = f"{first.year}–{last.year}{era}"
    return digits(text, lang)


def date_label(value: PartialDate, lang: str | None = None) -> str:
    """A Gregorian date in the reader's language at its own precision: '12 December 1946',
    '12 декабря 1946', '۱۲ دسامبر ۱۹۴۶'; 'December 1946'; '1946'."""
    lang = lang or active()
    if lang == DEFAULT_LANG:
        return value.label()
    day = value.first_day()
    if value.precision == "day":
        text = format_date(day, "d MMMM y", locale=lang)
    elif value.precision == "month":
        text = format_date(day, "LLLL y", locale=lang)
    else:
        text = str(value.year)
    return digits(text, lang)


def event_date(value: PartialDate, solar: bool, lang: str | None = None) -> str:
    """An event's date: Gregorian, with the Solar Hijri beside it in Persian always and in the
    other languages for the events Iranian sources date that way (`solar`)."""
    lang = lang or active()
    text = date_label(value, lang)
    if lang == "fa" or solar:
        text = f"{text} ({solar_hijri(value, lang)})"
    return text


# Search folding: the letters different keyboards type for the same Persian word, and the marks
# that do not change a word. Arabic yeh/alef maksura and kaf are Persian ye and kaf; teh marbuta
# is heh; the zero-width non-joiner, the tatweel and directional marks are dropped.
_ARABIC_SCRIPT = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "ؤ": "و",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "\u200c": "",
        "\u200d": "",
        "\u200e": "",
        "\u200f": "",
        "\u0640": "",
    }
)
_NON_WORD = re.compile(r"[^\w]+")


def fold(text: object) -> str:
    """The form a search compares: lower case, no accents or Arabic diacritics, Arabic-script
    variants folded to the Persian letters, ё as е, digits as ASCII, no apostrophes or
    punctuation. So 'Ja'far' = 'jafar', 'كرمانشاه' = 'کرمانشاه', 'Пётр' = 'петр'."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    text = str(text).translate(_ARABIC_SCRIPT).translate(_ASCII_DIGITS)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = unicodedata.normalize("NFC", plain).translate(_ARABIC_SCRIPT)
    plain = plain.replace("'", "").replace("’", "").replace("ʼ", "")
    return " ".join(_NON_WORD.sub(" ", plain.casefold()).split())


def span_label(start: PartialDate | None, end: PartialDate | None, *, solar: bool = False) -> str:
    """A span of dates in the reader's language: '22 Jan 1946 – 15 Dec 1946', 'from 2011', ''
    (with `solar`, each date as `event_date` writes it: the Solar Hijri beside it in Persian)."""

    def one(value: PartialDate) -> str:
        return event_date(value, False) if solar else date_label(value)

    if start and end:
        if start == end:
            return one(start)
        return f"{one(start)} – {one(end)}"
    if start:
        return _("from {date}").format(date=one(start))
    if end:
        return _("until {date}").format(date=one(end))
    return ""


# The translated text columns, per table: in Persian their digits are shown as Persian digits
# (the translations keep ASCII digits, as in the English, so that they diff and search alike).
TEXT_COLUMNS = {
    "features": ("name", "summary", "date_note", "derivation"),
    "events": ("title", "summary", "date_note"),
    "story": ("title", "narrative"),
    "claims": ("claim", "explanation"),
}


def with_local_digits(frames: dict, lang: str) -> dict:
    """The frames (by table name) with their text columns' digits as `lang` writes them."""
    if lang != "fa":
        return frames
    result = {}
    for name, frame in frames.items():
        frame = frame.copy()
        for column in TEXT_COLUMNS.get(name, ()):
            if column in frame:
                frame[column] = frame[column].map(lambda text: digits(text, lang))
        result[name] = frame
    return result


# Persian needs a face with good Naskh glyphs; these ship with Windows, macOS, Android and most
# Linux desktops (a web font would need a second installer to be served offline: see README).
PERSIAN_FONTS = (
    '"Vazirmatn", "Noto Sans Arabic", "Noto Naskh Arabic", "Segoe UI", Tahoma, "Geeza Pro", '
    '"DejaVu Sans", sans-serif'
)


def page_style(lang: str) -> str:
    """The page's CSS for a language: Persian flips the main area, the sidebar and our panels to
    right to left and uses a Persian font stack; the map itself stays left to right (Leaflet's
    controls assume it) while its tooltips and legend follow the text."""
    if lang not in RTL:
        return ""
    return (
        "<style>"
        '[data-testid="stMain"], [data-testid="stSidebarContent"] { direction: rtl; }'
        '[data-testid="stMain"] :is(h1, h2, h3, p, li, label, caption, td, th),'
        '[data-testid="stSidebarContent"] :is(h1, h2, h3, p, li, label) { text-align: start; }'
        f':is([data-testid="stMain"], [data-testid="stSidebarContent"]) {{'
        f" font-family: {PERSIAN_FONTS}; }}"
        ".leaflet-container { direction: ltr; }"
        ".leaflet-tooltip, .ss-legend, .leaflet-popup-content { direction: rtl;"
        f" font-family: {PERSIAN_FONTS}; }}"
        "</style>"
    )


def page_script(lang: str) -> str:
    """A script that tells the browser the page's language (screen readers, hyphenation, axe's
    `html-valid-lang`). The direction is set by `page_style` on the main area and the sidebar,
    not on <html>, which would move Streamlit's sidebar and its animations."""
    return f"<script>document.documentElement.lang = {lang!r};</script>"


def bound(function: Callable[..., str], lang: str | None = None) -> Callable[..., str]:
    """`function` made to speak `lang` (the active language now) whenever it is called: a
    widget's format_func is called again outside the script run (AppTest's state read-back),
    where no reader's language is active."""
    lang = lang or active()

    def call(*args: object) -> str:
        with using(lang):
            return function(*args)

    return call


# A marked string inside an f-string (`f"<b>{_('Sources')}</b>"`) is one token to Python 3.11's
# tokenizer, so Babel's own extractor does not see it; this finds such one-literal calls too.
_CALL = re.compile(r"""(?<![\w.])(N_|_)\(\s*((?:"(?:\\.|[^"\\])*")|(?:'(?:\\.|[^'\\])*'))\s*\)""")


def extract(fileobj, keywords, comment_tags, options):
    """Babel extraction method (babel.cfg): Babel's Python extractor, plus the one-literal
    `_()` and `N_()` calls inside f-strings that it cannot see."""
    from babel.messages.extract import extract_python

    source = fileobj.read()
    seen = set()
    for lineno, funcname, message, comments in extract_python(
        io.BytesIO(source), keywords, comment_tags, options
    ):
        seen.add(message if isinstance(message, str | None) else message[0])
        yield lineno, funcname, message, comments
    text = source.decode("utf-8")
    for match in _CALL.finditer(text):
        message = ast.literal_eval(match.group(2))
        if message not in seen:
            seen.add(message)
            yield text.count("\n", 0, match.start()) + 1, match.group(1), message, []
