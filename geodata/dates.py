"""Partial ISO dates (YYYY, YYYY-MM, YYYY-MM-DD) kept at their true precision.

Historical dates are often known only to the month or the year. We keep the precision the source
gives, and turn a partial date into the span of days it may mean when we need to compare dates
(a feature "ending 1946-05" still exists on 1946-05-20).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse YYYY, YYYY-MM or YYYY-MM-DD; raise ValueError with the reason otherwise."""
        match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(match.group(1))
        if year < 1:
            raise ValueError(f"{text!r} has no year 0")
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} has no month {month}")
        if day is not None:
            assert month is not None
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise ValueError(f"{text!r} is not a day of {year}-{month:02d}")
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        """'year', 'month' or 'day'."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def first_day(self) -> date:
        """The earliest day this date may mean."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The latest day this date may mean."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return date(self.year, month, day)

    def iso(self) -> str:
        """The date written at its own precision."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def label(self) -> str:
        """A reader's form at its own precision: '22 Jan 1946', 'Jan 1946', '1995'."""
        if self.month is None:
            return str(self.year)
        month = calendar.month_abbr[self.month]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"

    def __str__(self) -> str:
        return self.iso()


def parse_optional(text: object) -> PartialDate | None:
    """Parse a date cell that may be empty (NaN, None or blank)."""
    if text is None or (isinstance(text, float) and text != text):
        return None
    text = str(text).strip()
    return PartialDate.parse(text) if text else None


def span_label(start: PartialDate | None, end: PartialDate | None) -> str:
    """'22 Jan 1946 – 15 Dec 1946', 'from 2011', '28 Nov 1943 – 1 Dec 1943', or ''."""
    if start and end:
        if start == end:
            return start.label()
        return f"{start.label()} – {end.label()}"
    if start:
        return f"from {start.label()}"
    if end:
        return f"until {end.label()}"
    return ""


def overlaps(
    start: PartialDate | None,
    end: PartialDate | None,
    window_start: date,
    window_end: date,
) -> bool:
    """Whether something that existed from start to end existed at some day of the window.

    An empty start means "since before our story", an empty end "still exists". Partial dates
    are read generously (a feature ending in May 1946 is shown for all of May 1946).
    """
    if start is not None and start.first_day() > window_end:
        return False
    return not (end is not None and end.last_day() < window_start)
