"""Publication datelines: recognise a line that prints a date and normalise it to partial ISO.

Only whole lines count ("Published: 4 May 2022", "March 3, 2021", "2021-03-03"), and the wire
dateline that opens a report ("BOGOTA, 23 AUG 88 (EFE) --"), which also names the agency; a date
inside a sentence or a citation is the analyze stage's business, never a publication date.
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
# A time printed before the date: "Posted at 7:42 AM, Dec 16, 2014", "Updated 10:23 AM ET, Tue February 10, 2012".
_LEADING_TIME = re.compile(
    r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*(?-i:[A-Z]{1,4}T|UTC))?\s*,?\s+(?=\D)", re.I
)
_LEADING_WEEKDAY = re.compile(_WEEKDAY, re.I)
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
    """The date at the start of ``value`` (after an optional time and weekday) and the rest of the value."""
    time = _LEADING_TIME.match(value)
    start = time.end() if time else 0
    weekday = _LEADING_WEEKDAY.match(value, start)
    start = weekday.end() if weekday else start
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


# ---- wire datelines -----------------------------------------------------------------------

# Wires print two-digit years ("12 NOV 89"). A fixed window keeps ingest a pure function of the
# text (a file read in 2031 gets the date it got in 2024): 00-29 are 2000-2029, 30-99 are 1930-1999.
TWO_DIGIT_YEAR_PIVOT = 30

# "SAN SALVADOR, 12 NOV 89 (RADIO VENCEREMOS) --", "MANAGUA (NICARAGUA), 11 DEC 89 (RADIO SANDINO) --",
# "BEIRUT, June 14 (Reuters) -", "NIAMEY, 3 March 2022 (Reuters) -", "KABUL, Afghanistan (AP) —",
# "CLANDESTINE, NO DATE (RADIO VENCEREMOS) --": a place, an optional region, an optional date,
# an optional agency in brackets, then a dash. The pieces are told apart below. Typists bracket
# the agency in square brackets too, or open one kind and close the other ("[INRAVISION ...)"),
# and an agency may carry its abbreviation ("(INTERPRESS AGENCY [IPS])").
_PLACE = r"[A-Z][A-Za-z.'’ -]{1,40}?(?:\s*\([A-Za-z.'’ -]{2,30}\)(?=\s*,))?"
_WIRE_DATELINE = re.compile(
    rf"\s*(?P<place>{_PLACE})(?P<rest>(?:\s*,\s*[A-Za-z0-9.'’ ]{{1,40}}?){{0,3}})"
    r"\s*(?:[(\[](?P<source>[^()\[\]\n]{1,40}(?:\[[^()\[\]\n]{1,12}\])?)[)\]])?\s*(?:--?|[–—:])(?=\s|$)"
)
_WIRE_DATES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(rf"(?:{_WEEKDAY})?{p}", re.I)
    for p in (
        rf"{_MONTH}\s+{_DAY}(?:,?\s+(?P<year>\d{{4}}|\d\d))?",  # June 14 / June 14, 2014 / NOV 12, 89
        rf"{_DAY}\s+{_MONTH},?(?:\s+(?P<year>\d{{4}}|\d\d))?",  # 3 March 2022 / 12 NOV 89 / 25 JAN
    )
)


class WireDateline(NamedTuple):
    """The dateline opening a wire report.

    ``date`` is partial ISO, or yearless ``--MM-DD`` when the wire prints no year, or None when it
    prints none ("NO DATE"); ``source`` is the agency as printed; ``end`` is where the dateline ends."""

    date: str | None
    source: str | None
    end: int


def expand_two_digit_year(year: int) -> int:
    """A wire's two-digit year as a full year (see ``TWO_DIGIT_YEAR_PIVOT``)."""
    return 2000 + year if year < TWO_DIGIT_YEAR_PIVOT else 1900 + year


def _wire_date(piece: str) -> str | None:
    """The date a dateline's date piece prints: full or yearless ISO; None when it is no date."""
    for form in _WIRE_DATES:
        match = form.fullmatch(piece.strip())
        if not match:
            continue
        month = _MONTHS[match["month"][:3].lower()]
        day = int(match["day"])
        year_text = match["year"]
        if year_text is None:
            return f"--{month:02d}-{day:02d}" if _valid(2000, month, day) else None  # 2000: Feb 29 is a date
        year = int(year_text) if len(year_text) == 4 else expand_two_digit_year(int(year_text))
        return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None
    return None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
        return True
    except ValueError:
        return False


def with_wrapped_separator(line: str, following: str | None) -> str:
    """``line`` with the start of the next line when a hard wrap put the dateline's dash there:
    "CARACAS (VENEZUELA), 18 MAY 90 (VENEZOLANA DE TELEVISION CANAL 8)" / "-- [TEXT] ..."."""
    if following is not None and re.match(r"\s*(?:--?|[–—])(?=\s|$)", following) and line.rstrip().endswith(")"):
        return line.rstrip() + " " + following.strip()
    return line


def parse_wire_dateline(line: str) -> WireDateline | None:
    """The wire dateline opening ``line`` ("BOGOTA, 23 AUG 88 (EFE) --"), else None.

    A dateline needs a date or, when it prints none (or one that is no date), an agency after a
    place in capitals ("WASHINGTON (Reuters) -"); a yearless date needs one of the two. A sentence
    such as "Gunmen, police said - ..." is no dateline."""
    match = _WIRE_DATELINE.match(line)
    if not match:
        return None
    pieces = [p.strip() for p in match["rest"].split(",")[1:]]
    source = " ".join(match["source"].split()) if match["source"] else None
    place = re.sub(r"\s*\(.*", "", match["place"])
    # the date is the last piece, or the last two when the year follows a comma ("June 14, 2014")
    date = next((d for d in (_wire_date(", ".join(pieces[-2:])) if len(pieces) > 1 else None,
                             _wire_date(pieces[-1]) if pieces else None) if d), None)
    if date is not None and (not date.startswith("--") or source or place.isupper()):
        return WireDateline(date, source, match.end())
    if source and place.isupper():  # "WASHINGTON (Reuters) -", "CLANDESTINE, NO DATE (...) --", "31 NOV 89"
        return WireDateline(None, source, match.end())
    return None


def complete_year(yearless: str, reference: str | None) -> str | None:
    """``--MM-DD`` given the year that puts it nearest the (partial ISO) ``reference`` date; None without one."""
    if reference is None:
        return None
    month, day = int(yearless[2:4]), int(yearless[5:7])
    parts = [int(p) for p in reference.split("-")]
    if len(parts) == 1:
        return f"{parts[0]:04d}-{month:02d}-{day:02d}" if _valid(parts[0], month, day) else None
    around = dt.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 15)
    candidates = [dt.date(y, month, day) for y in (around.year - 1, around.year, around.year + 1)
                  if _valid(y, month, day)]
    return min(candidates, key=lambda d: abs(d - around)).isoformat() if candidates else None
