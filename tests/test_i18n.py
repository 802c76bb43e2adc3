"""The three languages without Streamlit: dates, digits, folding, the `lang` parameter, and the
translated data's checks (issue 11)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explorer import chronology, i18n, links
from explorer.state import ViewState, parse_query, to_query
from geodata import PartialDate, load_dataset
from geodata.loader import DATA_DIR, validate_dir
from tests.test_validation import edit_csv, edit_geojson, feature


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


# --- dates ---------------------------------------------------------------------------------


def test_the_azerbaijan_government_rose_and_fell_on_21_azar():
    """The issue's own check: 12 Dec 1945 and 12 Dec 1946 are both 21 Azar."""
    assert i18n.solar_hijri(PartialDate(1945, 12, 12), "en") == "21 Azar 1324 SH"
    assert i18n.solar_hijri(PartialDate(1946, 12, 12), "en") == "21 Azar 1325 SH"
    assert i18n.solar_hijri(PartialDate(1946, 12, 12), "fa") == "۲۱ آذر ۱۳۲۵"
    assert i18n.solar_hijri(PartialDate(1946, 12, 12), "ru") == "21 азара 1325 г. с. х."


def test_partial_dates_stay_partial_in_the_solar_hijri_calendar():
    # A Gregorian month overlaps two Hijri months; a year two Hijri years; never a made-up day.
    assert i18n.solar_hijri(PartialDate(1946, 12), "en") == "Azar–Dey 1325 SH"
    assert i18n.solar_hijri(PartialDate(1946, 3), "en") == "Esfand 1324 – Farvardin 1325 SH"
    assert i18n.solar_hijri(PartialDate(1946), "en") == "1324–1325 SH"
    assert i18n.solar_hijri(PartialDate(1941, 8, 25), "ru") == "3 шахривара 1320 г. с. х."


def test_dates_in_each_language():
    day = PartialDate(1946, 12, 12)
    assert i18n.date_label(day, "en") == "12 Dec 1946"
    assert i18n.date_label(day, "ru") == "12 декабря 1946"
    assert i18n.date_label(PartialDate(1946, 12), "ru") == "декабрь 1946"
    assert i18n.date_label(day, "fa") == "۱۲ دسامبر ۱۹۴۶"
    # Persian always shows both calendars; the others for events Iranian sources date so.
    assert i18n.event_date(day, False, "fa") == "۱۲ دسامبر ۱۹۴۶ (۲۱ آذر ۱۳۲۵)"
    assert i18n.event_date(day, False, "en") == "12 Dec 1946"
    assert i18n.event_date(day, True, "en") == "12 Dec 1946 (21 Azar 1325 SH)"


def test_persian_digits_only_in_persian():
    assert i18n.digits("1946–47", "fa") == "۱۹۴۶–۴۷"
    assert i18n.digits("1946", "ru") == "1946"
    assert i18n.direction("fa") == "rtl" and i18n.direction("ru") == "ltr"


# --- search folding --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("كرمانشاه", "کرمانشاه"),  # Arabic kaf and yeh against Persian kāf and ye
        ("علي", "علی"),
        ("پیشهوری", "پیشه‌وری"),  # without the zero-width non-joiner
        ("مهـــاباد", "مهاباد"),  # tatweel
        ("رضائیه", "رضاییه"),
        ("Пётр", "Петр"),
        ("Ja'far", "Jafar"),
        ("۱۳۲۵", "1325"),
    ],
)
def test_fold_makes_keyboard_variants_equal(typed, written):
    assert i18n.fold(typed) == i18n.fold(written)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("كرمانشاه", "1941-08-30-british-draft-zone-lines"),
        ("Тегеран", "1943-11-28-tehran-conference"),
        ("Sauj Bulagh", "1946-01-22-mahabad-republic-proclaimed"),
        ("تبریز", "1945-12-12-national-government-proclaimed"),
        ("пишевари", "1946-04-28-pishevari-talks-in-tehran"),
    ],
)
def test_search_finds_events_by_any_name_in_any_script(dataset, query, expected):
    for lang in ("en", "fa", "ru"):
        data = dataset.localised(lang)
        blobs = chronology.search_blobs(data.events, data.features)
        found = {i for i, blob in blobs.items() if chronology.matches(blob, query)}
        assert expected in found, (lang, query, sorted(found)[:5])


# --- the share link ---------------------------------------------------------------------------


def test_lang_is_read_kept_and_left_out_when_english():
    parsed = parse_query({"lang": "fa", "date": "1946-12", "feature": "tabriz"}, {"tabriz"})
    assert parsed.state.lang == "fa" and not parsed.notices
    assert to_query(parsed.state)["lang"] == "fa"
    assert "lang" not in to_query(ViewState())
    url = links.full_url("https://h/story?x", "timeline", parsed.state)
    assert url.endswith("&lang=fa") and "/timeline?" in url
    assert parse_query({"lang": "RU"}, ()).state.lang == "ru"


def test_an_unknown_language_is_a_notice_and_english():
    parsed = parse_query({"lang": "de"}, ())
    assert parsed.state.lang == "en"
    assert len(parsed.notices) == 1 and "lang='de'" in parsed.notices[0]


def test_notices_speak_the_links_language():
    parsed = parse_query({"lang": "ru", "date": "2099-01"}, ())
    assert parsed.state.lang == "ru"
    assert any(ch in parsed.notices[0] for ch in "абвгдеж"), parsed.notices


# --- translated data ---------------------------------------------------------------------------


def test_localised_data_keeps_ids_and_english_beside(dataset):
    for lang in ("fa", "ru"):
        data = dataset.localised(lang)
        assert list(data.events.index) == list(dataset.events.index)
        assert list(data.features.index) == list(dataset.features.index)
        assert (data.features["name_en"] == dataset.features["name"]).all()
        assert (data.events["title"] != dataset.events["title"]).all()
        assert (data.story["narrative"] != dataset.story["narrative"]).all()
        assert (data.claims["claim"] != dataset.claims["claim"]).all()
    assert dataset.localised("fa").features.loc["tabriz", "name"] == "تبریز"
    assert dataset.localised("ru").features.loc["tabriz", "name"] == "Тебриз"
    assert dataset.localised("en") is dataset


def test_names_are_tagged_by_language(dataset):
    mahabad = dataset.features.loc["mahabad"]
    assert mahabad["name_fa"] == "مهاباد" and mahabad["name_ru"] == "Мехабад"
    assert mahabad["name_ckb"] == "مەھاباد"
    assert dataset.features["name_fa"].astype(bool).all()
    assert dataset.features["name_ru"].astype(bool).all()


def _problems(data_copy: Path) -> list[str]:
    return [str(p) for p in validate_dir(data_copy)]


def test_a_missing_translation_is_a_problem(data_copy):
    edit_csv(data_copy / "i18n/ru/events.csv", lambda rows: rows.pop(3))
    assert any("i18n/ru/events.csv" in p and "no translation of" in p for p in _problems(data_copy))


def test_an_untranslated_cell_is_a_problem(data_copy):
    english = load_dataset(data_copy).events.iloc[0]

    def copy_english(rows: list[dict]) -> None:
        row = next(r for r in rows if r["id"] == english["id"])
        row["title"] = english["title"]

    edit_csv(data_copy / "i18n/fa/events.csv", copy_english)
    assert any("'title' is the English text" in p for p in _problems(data_copy))


def test_an_empty_or_foreign_cell_is_a_problem(data_copy):
    def spoil(rows: list[dict]) -> None:
        rows[0]["summary"] = ""
        rows[1]["summary"] = "Just English here"
        rows[2]["name"] = "كرمانشاه"  # Arabic kaf and yeh

    edit_csv(data_copy / "i18n/fa/features.csv", spoil)
    problems = _problems(data_copy)
    assert any("'summary' is not translated" in p for p in problems)
    assert any("'summary' is not written in fa script" in p for p in problems)
    assert any("Arabic ي/ك/ى" in p for p in problems)


def test_an_unknown_id_and_a_missing_file_are_problems(data_copy):
    edit_csv(data_copy / "i18n/ru/claims.csv", lambda rows: rows.append({**rows[0], "id": "x-1"}))
    (data_copy / "i18n/fa/story.csv").unlink()
    problems = _problems(data_copy)
    assert any("translates unknown id(s) x-1" in p for p in problems)
    assert any("i18n/fa/story.csv: file: missing" in p for p in problems)


def test_a_tagged_name_in_the_wrong_script_is_a_problem(data_copy):
    def spoil(features: list[dict]) -> None:
        feature(features, "tabriz")["properties"]["name_ru"] = "Tabriz"

    edit_geojson(data_copy / "features.geojson", spoil)
    assert any("'name_ru' is not written in ru script" in p for p in _problems(data_copy))


def test_the_solar_hijri_flag_is_checked(data_copy):
    edit_csv(data_copy / "events.csv", lambda rows: rows[0].update(solar_hijri="maybe"))
    assert any("solar_hijri must be empty or 'yes'" in p for p in _problems(data_copy))


def test_the_catalogues_period_names_are_the_schemas():
    from explorer.panel import PERIOD_NAMES
    from geodata.schema import PERIOD_LABELS

    assert PERIOD_NAMES == PERIOD_LABELS
