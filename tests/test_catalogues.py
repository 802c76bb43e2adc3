"""The interface catalogues (explorer/locale/*/LC_MESSAGES/messages.po) translate every string
the code marks, keep every placeholder, and compile (issue 11)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from explorer import i18n
from geodata.schema import TRANSLATED

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _marked() -> set[str]:
    """Every msgid the code marks, as pybabel extract finds them with babel.cfg."""
    found: set[str] = set()
    method = "explorer.i18n:extract"  # as babel.cfg: Babel's extractor and f-strings
    method_map = [("streamlit_app.py", method), ("explorer/**.py", method), ("pages/**.py", method)]
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map=method_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])  # plurals: by singular
    return found


MARKED = _marked()


def _catalog(lang: str):
    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_the_code_marks_strings():
    assert len(MARKED) > 150
    assert "Stop {number} of {count}" in MARKED


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_marked_string_is_translated(lang):
    catalog = _catalog(lang)
    missing, fuzzy, empty = [], [], []
    for message_id in sorted(MARKED):
        message = catalog.get(message_id)
        if message is None:
            missing.append(message_id)
        elif message.fuzzy:
            fuzzy.append(message_id)
        elif not (message.string if isinstance(message.string, str) else all(message.string)):
            empty.append(message_id)
    assert not missing, f"not in {lang}.po (run `make i18n`): {missing[:10]}"
    assert not fuzzy, f"fuzzy in {lang}.po: {fuzzy[:10]}"
    assert not empty, f"untranslated in {lang}.po: {empty[:10]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder(lang):
    for message in _catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == wanted, (lang, message.id, text)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_obsolete_strings_linger(lang):
    catalog = _catalog(lang)
    stale = [
        m.id
        for m in catalog
        if m.id and (m.id[0] if isinstance(m.id, tuple) else m.id) not in MARKED
    ]
    assert not stale, f"{lang}.po has strings the code no longer marks: {stale[:10]}"


def test_each_catalogue_loads_and_translates(monkeypatch):
    i18n.translations.cache_clear()
    with i18n.using("ru"):
        assert i18n._("Sources") != "Sources"
    with i18n.using("fa"):
        assert i18n._("Sources") != "Sources"
    with i18n.using("en"):
        assert i18n._("Sources") == "Sources"
