"""Partial dates as periods on a time axis: a month is a month-long range, a year a year; never a day invented.

Dates are the store's partial ISO strings (``models.py``): ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``,
yearless ``--MM-DD`` / ``--MM``, decade labels ``1990s`` / ``early|mid|late 1990s``. A yearless date
has no place on an axis: ``period`` returns None for it, and the pages list it apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

# the years of a decade's parts as the reconciler reads them (analyze.dates.bounds), last year included
_DECADE_PARTS = {"": (0, 9), "early": (0, 3), "mid": (3, 6), "late": (6, 9)}


@dataclass(frozen=True)
class Period:
    """[start, end) in days, and how precise the source was: day, month, year, decade."""

    start: date
    end: date  # exclusive
    precision: str

    def overlaps(self, other: "Period") -> bool:
        return self.start < other.end and other.start < self.end

    def to_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "precision": self.precision}


def period(value: str | None) -> Period | None:
    """The stretch of time a partial date names; None for a yearless or unreadable date."""
    if not value:
        return None
    m = re.fullmatch(r"(?:(early|mid|late) )?(\d{3})0s", value.strip())
    if m:
        lo, hi = _DECADE_PARTS[m.group(1) or ""]
        base = int(m.group(2)) * 10
        return Period(date(base + lo, 1, 1), date(base + hi + 1, 1, 1), "decade")
    m = re.fullmatch(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?", value.strip())
    if not m:
        return None
    try:
        year = int(m.group(1))
        if m.group(3):
            day = date(year, int(m.group(2)), int(m.group(3)))
            return Period(day, day + timedelta(days=1), "day")
        if m.group(2):
            month = int(m.group(2))
            start = date(year, month, 1)
            return Period(start, date(year + month // 12, month % 12 + 1, 1), "month")
        return Period(date(year, 1, 1), date(year + 1, 1, 1), "year")
    except ValueError:  # month 13, 30 February: not a date
        return None


def bound(value: str | None, upper: bool = False) -> date | None:
    """A filter bound typed by a person (``2019``, ``2019-06``, ``2019-06-01``): its first day, or with
    ``upper`` the day after its last; None when empty or unreadable."""
    p = period(value)
    if p is None:
        return None
    return p.end if upper else p.start
