"""Date expressions -> partial ISO strings with their precision, and precision-aware comparison.

Forms produced: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, yearless ``--MM-DD`` / ``--MM``, and
decade labels ``1990s`` / ``early 1990s`` / ``mid 1990s`` / ``late 1990s``. Relative
expressions ("Sunday", "13 days ago", "last month", "last year") resolve only against a known
document date, with the precision they carry; dateparser reads them, our own code the rest
(decades, yearless dates).
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterable

from . import lexicons

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"

_PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:,\s*)?(?:1[89]|20)\d\d)", re.I),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b", re.I),
    re.compile(r"\b(?P<part>early|mid|mid-|late)?\s*-?(?:the\s+)?(?P<decade>1[89]\d0|20\d0)'?s\b", re.I),
    re.compile(rf"\b(?:in|since|by|until|of|during|from)\s+(?:early\s+|late\s+|mid-?)?(?P<month>jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b(?!\s+\d)", re.I),
    # a year alone, not a time of day ("AT 1800", "at approximately 2030 hours")
    re.compile(rf"(?<![\d-])(?<!\bat\s)(?<!\bapproximately\s)(?<!\babout\s)(?<!\baround\s){_YEAR}(?![\d-])(?!\s*(?:hours|hrs|gmt)\b)", re.I),
]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = "(?:" + "|".join(WEEKDAYS) + ")"
_COUNT = (r"(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
          r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty)")
# Relative expressions, found here and read by dateparser (``_parsed``): only the matched words
# reach it, never a whole sentence. ``weekday`` marks the ones a name can hold ("Bloody Sunday").
_RELATIVE = re.compile(
    r"\b(?P<rel>(?:the\s+)?day\s+before\s+yesterday|today|yesterday"
    r"|(?:last|this)\s+(?:week|month|year)"
    r"|(?:early\s+|late\s+)?(?:this\s+(?:morning|afternoon|evening)|last\s+night|tonight)"
    r"|(?:in|over|during|within)\s+the\s+(?:last|past)\s+(?:24|twenty-four|few|several)\s+hours"
    rf"|{_COUNT}\s+(?:days?|weeks?|months?|years?)\s+ago"
    rf"|(?:just\s+)?(?:{_COUNT}(?:\s*(?:-|to|or)\s*{_COUNT})?|a\s+few|several)\s+(?:minutes?|hours?)\s+ago"
    rf"|(?:in\s+the\s+)?(?:early|small|wee)\s+hours\s+of\s+(?:(?:on|last)\s+)?{_WEEKDAY}"
    rf"|(?:on\s+|last\s+)?(?P<weekday>{_WEEKDAY})(?:'s|’s)?(?:\s+(?:night|morning|afternoon|evening))?"
    r")\b",
    re.I,
)
_RELATIVE_CUES = ("day", "week", "month", "year", "night", "morning", "afternoon", "evening", "hour", "minute")  # every relative expression holds one: a cheap first test
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\s+$")
_WORD_AFTER_ANY = re.compile(r"\s+([A-Za-z]+)")
_WORD_AFTER = re.compile(r"\s+([A-Z][a-z]+)")  # capitalised: "the Sunday Times", not "Sunday post-election"


def parse_iso(value: str | None) -> dt.date | None:
    """A full ``YYYY-MM-DD`` string as a date, else None."""
    if value and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


AHEAD_DAYS = 7  # a yearless day up to a week after the document's date is that week's, not the year before's


def _anchor(month: int, day: int | None, anchor: dt.date | None) -> str:
    if anchor is None:
        return f"--{month:02d}-{day:02d}" if day else f"--{month:02d}"
    year = anchor.year
    probe = dt.date(year, month, min(day or 1, 28))
    if probe > anchor + dt.timedelta(days=AHEAD_DAYS if day else 0):
        year -= 1  # a news report speaks of the past: "Sept. 19" before an October date; but "two similar
        # actions on 3 November" in a report of 2 November are the days ahead, not a year before
    return f"{year}-{month:02d}-{day:02d}" if day else f"{year}-{month:02d}"


def anchor_month(month: int, anchor: dt.date | None) -> str:
    """A month named alone ("the June bombing"): in the document's year, or the year before."""
    return _anchor(month, None, anchor)


def _valid(year: int, month: int, day: int | None) -> bool:
    try:
        dt.date(year, month, day or 1)
        return True
    except ValueError:
        return False


def find_dates(text: str, anchor: dt.date | None = None) -> list[tuple[int, int, str]]:
    """Every date expression in ``text`` as (start, end, normalized), earliest first, no overlaps."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for pat in _PATTERNS:
        for m in pat.finditer(text):
            if not free(m.start(), m.end()):
                continue
            g = m.groupdict()
            value = None
            if g.get("m"):
                y, mo, d = int(g["year"]), int(g["m"]), int(g["d"])
                value = f"{y}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
            elif g.get("decade"):
                part = (g.get("part") or "").lower().rstrip("-")
                value = f"{part + ' ' if part else ''}{g['decade']}s"
            elif g.get("month"):
                mo = MONTHS[g["month"].lower().rstrip(".")]
                day = int(g["day"]) if g.get("day") else None
                if day is not None and not 1 <= day <= 31:
                    continue
                if g.get("year"):
                    y = int(g["year"])
                    if not _valid(y, mo, day):
                        continue
                    value = f"{y}-{mo:02d}-{day:02d}" if day else f"{y}-{mo:02d}"
                else:
                    value = _anchor(mo, day, anchor)
            elif g.get("year"):
                value = None if _numbered(text, m.start()) else g["year"]  # "at No. 1810": no year
            if value and _names_a_group(text, m.end()):
                taken.append((m.start(), m.end()))  # "the 19 April Movement": a name, not a date
            elif value:
                found.append((m.start(), m.end(), value))
                taken.append((m.start(), m.end()))
    lowered = text.lower() if anchor is not None else ""
    if any(cue in lowered for cue in _RELATIVE_CUES):
        for m in _RELATIVE.finditer(text):
            if m.group("weekday") and any(0 <= a - m.end() <= 2 and not text[m.end():a].strip(" ,") for a, _, _ in found):
                continue  # "on Monday, 4 August": the weekday of the date that follows it
            if free(m.start(), m.end()) and not _names_a_day(text, m):
                value = resolve_relative(m.group("rel"), anchor)
                if value:
                    found.append((m.start(), m.end(), value))
                    taken.append((m.start(), m.end()))
    return sorted(found)


def _numbered(text: str, start: int) -> bool:
    """True when the number at ``start`` follows a word for a kind of number ("No.", "Flight", "Decree")."""
    before = re.search(r"(\S+)\s*$", text[max(0, start - 12):start])
    return bool(before) and before.group(1).lower() in lexicons.word_lists("dates")["number_before"]


def _names_a_group(text: str, end: int) -> bool:
    """True when the date is part of a group's name: "the 19 April Movement", "26th of July Movement"."""
    after = _WORD_AFTER_ANY.match(text, end)
    return bool(after and after.group(1).lower() in lexicons.word_lists("dates")["date_name_after"])


def _names_a_day(text: str, match: re.Match[str]) -> bool:
    """True when the weekday is part of a name: "Bloody Sunday", "Good Friday", "the Sunday Times"."""
    if not match.group("weekday"):
        return False
    words = lexicons.word_lists("dates")
    start = match.start("weekday")
    before = _WORD_BEFORE.search(text[max(0, start - 20):start])
    after = _WORD_AFTER.match(text, match.end("weekday"))
    return bool(before and before.group(1).lower() in words["day_name_before"]
                or after and after.group(1).lower() in words["day_name_after"])


def resolve_relative(expr: str, anchor: dt.date) -> str | None:
    """'Sunday', 'last week', '13 days ago', 'Wednesday night', 'last year' ... against the document's
    date, as precise as the expression: a day, a month or a year (a week: see ``_week``)."""
    phrase = re.sub(r"\s+", " ", expr.lower().strip())
    phrase = re.sub(r"('s|’s)(?= |$)", "", phrase)
    # "in the early hours of Wednesday" is Wednesday; dateparser knows no "early hours"
    phrase = re.sub(r"^(?:in the )?(?:early|small|wee) hours of (?:on )?", "", phrase)
    # parts of a day dateparser does not read: "last night" is yesterday's, "this morning" today's
    phrase = re.sub(r"^(?:early |late )?(?:this (?:morning|afternoon|evening)|tonight)$", "today", phrase)
    phrase = re.sub(r"^(?:early |late )?last night$", "yesterday", phrase)
    # "a few minutes ago", "two hours ago": the report's day (dateparser counts back from its midnight)
    phrase = re.sub(r"^(?:just )?(?:a few|several|an?|one|two|three|four|five|six|[1-9]|1[0-2]) (?:minutes?|hours?) ago$",
                    "today", phrase)
    # "15-20 minutes ago", "two to three hours ago": a range within those bounds is the report's day too
    phrase = re.sub(r"^(?:just )?(?:[1-5]?\d|a few|several|fifteen|twenty|thirty|forty|fifty)(?:\s*(?:-|to|or)\s*"
                    r"(?:[1-5]?\d|fifteen|twenty|thirty|forty|fifty|sixty))? minutes ago$", "today", phrase)
    phrase = re.sub(r"^(?:an?|one|two|three|four|five|[1-5])\s*(?:-|to|or)\s*(?:two|three|four|five|six|[2-6]) hours ago$",
                    "today", phrase)
    if re.search(r"(?:minutes?|hours?) ago$", phrase) and phrase != "today":
        return None  # "36 hours ago": yesterday or the day before, as the report's hour (unknown) decides
    # "in the last 24 hours", "in the last few hours" end as the report is made: its day, as a wire report of
    # that day means it
    phrase = re.sub(r"^(?:in|over|during|within) the (?:last|past) (?:24|twenty-four|few|several) hours$", "today", phrase)
    return _parsed(phrase, anchor)


@functools.lru_cache(maxsize=4096)
def _parsed(phrase: str, anchor: dt.date) -> str | None:
    data = _parser(anchor).get_date_data(phrase)
    if data is None or data.date_obj is None:
        return None
    day = data.date_obj.date()
    if day > anchor:  # a report speaks of the past; nothing here points ahead
        return None
    if data.period == "day":
        return day.isoformat()
    if data.period == "week":
        return _week(day, anchor)
    if data.period == "month":
        return f"{day.year}-{day.month:02d}"
    if data.period == "year":
        return str(day.year)
    return None


def _week(day: dt.date, anchor: dt.date) -> str | None:
    """A week ("last week", "two weeks ago") has no partial ISO form: the calendar week (Monday to
    Sunday, no later than the document date) that holds ``day`` gives its month when it lies in one
    month, its year when it lies in one year, else nothing."""
    monday = day - dt.timedelta(days=day.weekday())
    last = min(monday + dt.timedelta(days=6), anchor)
    if monday.year != last.year:
        return None
    return f"{monday.year}-{monday.month:02d}" if monday.month == last.month else str(monday.year)


@functools.lru_cache(maxsize=64)
def _parser(anchor: dt.date):
    """A dateparser reader relative to ``anchor`` (dateparser is imported here, once: it is slow to load).

    "current_period" rather than "past": a report dated on a Sunday that says "on Sunday" means
    that day, not the Sunday before; every other weekday still resolves to the past."""
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": dt.datetime(anchor.year, anchor.month, anchor.day),
        "PREFER_DATES_FROM": "current_period",
        "RETURN_AS_TIMEZONE_AWARE": False,
    })


# ---- comparison -------------------------------------------------------------------------

_PART_RANGE = {"": (0, 9), "early": (0, 3), "mid": (3, 6), "late": (6, 9)}


@functools.lru_cache(maxsize=1 << 16)  # (a knowledge base's events are dated by a few thousand values, compared often)
def bounds(value: str) -> tuple[tuple[int, int, int], tuple[int, int, int]] | None:
    """The earliest and latest (year, month, day) a dated value can mean; None for yearless."""
    m = re.fullmatch(r"(?:(early|mid|late) )?(\d{3})0s", value)
    if m:
        lo, hi = _PART_RANGE[m.group(1) or ""]
        base = int(m.group(2)) * 10
        return (base + lo, 1, 1), (base + hi, 12, 31)
    m = re.fullmatch(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?", value)
    if not m:
        return None
    y = int(m.group(1))
    if m.group(3):
        d = (y, int(m.group(2)), int(m.group(3)))
        return d, d
    if m.group(2):
        return (y, int(m.group(2)), 1), (y, int(m.group(2)), 31)
    return (y, 1, 1), (y, 12, 31)


def days_apart(a: str | None, b: str | None) -> float:
    """Days between the periods two dates mean (0 when they overlap: "2020-11" and "2020-11-30");
    infinite when either is yearless or unknown."""
    da, db = _days(a or ""), _days(b or "")
    if da is None or db is None:
        return float("inf")
    (a0, a1), (b0, b1) = da, db
    return max(0, (b0 - a1).days, (a0 - b1).days)


@functools.lru_cache(maxsize=1 << 16)
def _days(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last calendar day a dated value can mean; None for yearless."""
    span = bounds(value)
    if span is None:
        return None

    def day(ymd: tuple[int, int, int]) -> dt.date:
        y, m, d = ymd
        return dt.date(y, m, min(d, calendar.monthrange(y, m)[1]))

    return day(span[0]), day(span[1])


def _month_day(value: str) -> tuple[int | None, int | None]:
    m = re.fullmatch(r"(?:\d{4}|-)-(\d\d)(?:-(\d\d))?", value)
    if not m:
        return None, None
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None


def compatible(a: str | None, b: str | None) -> bool:
    """True when two dates can name the same time: one refines the other (1998 / late 1990s)."""
    if not a or not b:
        return True
    if a.startswith("--") or b.startswith("--"):
        (ma, da), (mb, db) = _month_day(a), _month_day(b)
        if ma is None or mb is None:
            ba, bb = bounds(a), bounds(b)
            return True if ba is None or bb is None else not (ba[1] < bb[0] or bb[1] < ba[0])
        return ma == mb and (da is None or db is None or da == db)
    ba, bb = bounds(a), bounds(b)
    if ba is None or bb is None:
        return a == b
    inside_a = bb[0] <= ba[0] and ba[1] <= bb[1]
    inside_b = ba[0] <= bb[0] and bb[1] <= ba[1]
    return inside_a or inside_b


def month_or_day(value: str | None) -> bool:
    """Dated to the month or the day, the year known or not ("2021-03", "--03-14", "--03")."""
    return bool(value) and (precision_rank(value) >= 4 or value.startswith("--"))


def precision_rank(value: str) -> int:
    """Higher is more precise: day 5, month 4, year 3, part of decade 2, decade 1, yearless 0."""
    if value.startswith("--"):
        return 0
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return 5
    if re.fullmatch(r"\d{4}-\d\d", value):
        return 4
    if re.fullmatch(r"\d{4}", value):
        return 3
    return 2 if " " in value else 1


def most_precise(values: list[str]) -> str | None:
    """The most precise of mutually compatible values (ties: the first)."""
    best = None
    for v in values:
        if best is None or precision_rank(v) > precision_rank(best):
            best = v
    return best


def earliest_report(published: Iterable[str]) -> str | None:
    """The publication date, of several, by which a thing they all tell had happened: the one whose period
    ends first ("1989-07-13" before "1989-07", which runs to the 31st); None without any."""
    return min((p for p in published if p), key=lambda p: (bounds(p[:10]) or ((9999, 12, 31),) * 2)[1], default=None)
