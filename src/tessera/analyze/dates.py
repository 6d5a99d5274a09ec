"""Date expressions -> partial ISO strings with their precision, and precision-aware comparison.

Forms produced: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, yearless ``--MM-DD`` / ``--MM``, and
decade labels ``1990s`` / ``early 1990s`` / ``mid 1990s`` / ``late 1990s``. Relative
expressions ("Sunday", "this month", "last year") resolve only against a known document date.
"""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
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
    re.compile(rf"(?<![\d-]){_YEAR}(?![\d-])"),
]
_RELATIVE = re.compile(
    r"\b(?P<rel>today|yesterday|(?:last|this|on)\s+(?:week|month|year)|last\s+(?:week|month|year)|"
    r"(?:on\s+|last\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:'s|’s)?)\b",
    re.I,
)


def parse_iso(value: str | None) -> dt.date | None:
    """A full ``YYYY-MM-DD`` string as a date, else None."""
    if value and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _anchor(month: int, day: int | None, anchor: dt.date | None) -> str:
    if anchor is None:
        return f"--{month:02d}-{day:02d}" if day else f"--{month:02d}"
    year = anchor.year
    probe = dt.date(year, month, min(day or 1, 28))
    if probe > anchor:  # a news report speaks of the past: "Sept. 19" before an October date
        year -= 1
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
                value = g["year"]
            if value:
                found.append((m.start(), m.end(), value))
                taken.append((m.start(), m.end()))
    if anchor is not None:
        for m in _RELATIVE.finditer(text):
            if free(m.start(), m.end()):
                value = resolve_relative(m.group("rel"), anchor)
                if value:
                    found.append((m.start(), m.end(), value))
                    taken.append((m.start(), m.end()))
    return sorted(found)


def resolve_relative(expr: str, anchor: dt.date) -> str | None:
    """'Sunday', 'this month', 'last year', 'yesterday' against the document's date."""
    e = re.sub(r"('s|’s)$", "", expr.lower()).replace("on ", "").strip()
    if e == "today":
        return anchor.isoformat()
    if e == "yesterday":
        return (anchor - dt.timedelta(days=1)).isoformat()
    if e.startswith("last ") and e[5:] in WEEKDAYS or e in WEEKDAYS:
        wd = WEEKDAYS[e.split()[-1]]
        delta = (anchor.weekday() - wd) % 7 or (7 if e.startswith("last") else 0)
        return (anchor - dt.timedelta(days=delta)).isoformat()
    if e == "this month":
        return f"{anchor.year}-{anchor.month:02d}"
    if e == "last month":
        y, m = (anchor.year, anchor.month - 1) if anchor.month > 1 else (anchor.year - 1, 12)
        return f"{y}-{m:02d}"
    if e == "this year":
        return str(anchor.year)
    if e == "last year":
        return str(anchor.year - 1)
    if e in ("this week", "last week"):
        start = anchor - dt.timedelta(days=anchor.weekday() + (7 if e == "last week" else 0))
        return start.isoformat() if False else f"{start.year}-{start.month:02d}"
    return None


# ---- comparison -------------------------------------------------------------------------

_PART_RANGE = {"": (0, 9), "early": (0, 3), "mid": (3, 6), "late": (6, 9)}


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
