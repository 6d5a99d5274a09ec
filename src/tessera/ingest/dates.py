"""Publication datelines: recognise a line that prints a date and normalise it to partial ISO.

Only whole lines count ("Published: 4 May 2022", "March 3, 2021", "2021-03-03"); a date inside
a sentence or a citation is the analyze stage's business, never a publication date.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|2[01]\d\d)"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"

# Date forms, most precise first; each is searched at the start of a dateline's value.
DATE_FORMS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.I)
    for p in (
        rf"{_YEAR}-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?![\d])",  # 2021-03-03, 2021-03-03T10:00Z
        rf"{_YEAR}/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?![\d])",  # 2021/03/03
        rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}(?![\d])",  # March 3, 2021 / Oct 06, 2014
        rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}(?![\d])",  # 22 August 2015
        rf"{_MONTH},?\s+{_YEAR}(?![\d])",  # March 2021
        rf"{_YEAR}-(?P<m>[01]?\d)(?![\d-])",  # 2021-03
    )
)
_YEAR_ONLY = re.compile(rf"{_YEAR}")

# A key that announces a date on a metadata line; the updated-ones are used only as a fallback.
PUBLISHED_KEYS: tuple[str, ...] = (
    r"this (?:article|story|report|post|page) (?:is|was) (?:from|published(?: on)?)",
    r"(?:first |originally )?publish(?:ed)?(?:\s+(?:on|at))?",
    r"posted(?:\s+(?:on|at))?",
    r"date(?:d)?",
    r"filed(?:\s+(?:on|at))?",
)
UPDATED_KEYS: tuple[str, ...] = (r"(?:last\s+)?(?:updated|modified)(?:\s+(?:on|at))?",)

_BULLET = r"[\s•·*▪◦‣–—-]*"
_KEYED = re.compile(
    rf"{_BULLET}(?:(?P<published>{'|'.join(PUBLISHED_KEYS)})|(?P<updated>{'|'.join(UPDATED_KEYS)}))"
    r"\s*(?::|-|–|—|\s)\s*(?P<value>.+)",
    re.I,
)
# What may follow a date on a dateline, token by token: a time, a zone, separators.
_TIME_TOKEN = re.compile(
    r"t?\d{1,2}(?:[:.]\d{2}){1,2}(?:\.\d+)?(?:z|[+-]\d{1,2}(?::?\d{2})?)?(?:[ap]\.?m\.?)?"
    r"|at|t|[ap]\.?m\.?|hrs|(?-i:(?:[A-Z]{1,4}T|UTC)(?:[+-]\d{1,2}(?::?\d{2})?)?)|z|[+-]\d{1,2}(?::?\d{2})?|[-–—+]+",
    re.I,
)
_TOKEN = re.compile(r"[^\s,|/()]+")
_KEYED_TAIL = re.compile(r"(?:(?:by|in|from|updated|last updated)\b.{0,80})?", re.I)
_MAX_DATELINE_WORDS = 16
_MAX_DATE_CHARS = 200  # a dateline is short; the cap also keeps the patterns linear


class Dateline(NamedTuple):
    """A date printed on a line of its own: partial ISO, whether it is an update, whether keyed."""

    date: str
    updated: bool = False
    keyed: bool = False  # announced by a key ("Published:") rather than standing alone


def _iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    year = int(groups["year"])
    month_text = groups.get("month")
    month = _MONTHS[month_text[:3].lower()] if month_text else int(groups["m"])
    day_text = groups.get("day") or groups.get("d")
    try:
        if day_text is None:
            dt.date(year, month, 1)
            return f"{year:04d}-{month:02d}"
        return dt.date(year, month, int(day_text)).isoformat()
    except ValueError:
        return None


def _after_time(tail: str) -> str:
    """``tail`` without the time, zone and separators that may follow a date."""
    for token in _TOKEN.finditer(tail):
        if not _TIME_TOKEN.fullmatch(token.group()):
            return tail[token.start():]
    return ""


def _leading_date(value: str) -> tuple[str, str] | None:
    """The date at the start of ``value`` (after an optional weekday) and the rest of the value."""
    weekday = re.match(_WEEKDAY, value, re.I)
    start = weekday.end() if weekday else 0
    for form in DATE_FORMS:
        match = form.match(value, start)
        if match:
            iso = _iso(match)
            if iso:
                return iso, value[match.end():]
    return None


def parse_date(value: str, allow_year: bool = True) -> str | None:
    """Normalise a whole date string ("4 May 2022", "2021-03-03T10:00Z") to YYYY-MM-DD / YYYY-MM."""
    value = value.strip()
    if len(value) > _MAX_DATE_CHARS:
        return None
    found = _leading_date(value)
    if found and not _after_time(found[1]):
        return found[0]
    if allow_year and _YEAR_ONLY.fullmatch(value):
        return value
    return None


def parse_dateline(line: str) -> Dateline | None:
    """The publication date printed by ``line`` when the line is a dateline, else None."""
    line = line.strip()
    if not line or len(line) > _MAX_DATE_CHARS or len(line.split()) > _MAX_DATELINE_WORDS:
        return None
    keyed = _KEYED.fullmatch(line)
    if keyed:
        found = _leading_date(keyed["value"].strip())
        if found and _KEYED_TAIL.fullmatch(_after_time(found[1])):
            return Dateline(found[0], updated=keyed["updated"] is not None, keyed=True)
        return None
    bare = re.sub(rf"^{_BULLET}", "", line)
    found = _leading_date(bare)
    if found and not _after_time(found[1]):
        return Dateline(found[0])
    return None
