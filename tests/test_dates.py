"""Partial dates keep their precision and compare as spans of days."""

from datetime import date

import pytest

from geodata.dates import PartialDate, overlaps, parse_optional, span_label


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("1995", "year", date(1995, 1, 1), date(1995, 12, 31)),
        ("1946-02", "month", date(1946, 2, 1), date(1946, 2, 28)),
        ("1944-02", "month", date(1944, 2, 1), date(1944, 2, 29)),
        ("1946-01-22", "day", date(1946, 1, 22), date(1946, 1, 22)),
    ],
)
def test_parse_keeps_precision(text, precision, first, last):
    value = PartialDate.parse(text)
    assert value.precision == precision
    assert (value.first_day(), value.last_day()) == (first, last)
    assert value.iso() == text


@pytest.mark.parametrize("text", ["", "46", "1946-13", "1946-02-30", "1946/02", "x1946", "1946-2"])
def test_parse_rejects(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_labels():
    assert PartialDate.parse("1946-01-22").label() == "22 Jan 1946"
    assert PartialDate.parse("1944-09").label() == "Sep 1944"
    assert PartialDate.parse("1995").label() == "1995"
    assert (
        span_label(PartialDate(1943, 11, 28), PartialDate(1943, 12, 1))
        == "28 Nov 1943 – 1 Dec 1943"
    )
    assert span_label(PartialDate(2011), None) == "from 2011"
    assert span_label(None, None) == ""


def test_parse_optional_empty_cells():
    assert parse_optional("") is None
    assert parse_optional(None) is None
    assert parse_optional(float("nan")) is None
    assert parse_optional(" 1946 ") == PartialDate(1946)


def test_overlaps_reads_partial_dates_generously():
    may = (date(1946, 5, 20), date(1946, 5, 20))
    assert overlaps(PartialDate(1941, 8, 25), PartialDate(1946, 5), *may)
    assert not overlaps(PartialDate(1941, 8, 25), PartialDate(1946, 3, 2), *may)
    assert overlaps(None, None, *may)
    assert not overlaps(PartialDate(2011), None, *may)
    assert overlaps(PartialDate(1946, 5, 31), None, date(1946, 5, 1), date(1946, 5, 31))
