"""Split a text into title, body, furniture and comment regions, line by line.

Page furniture (navigation, metadata bullets, share buttons, captions, tag lists) and reader
comments are kept apart from the article body so that later stages never mine them as reporting.
The patterns below are data: general for English news sites, matched against whole lines.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from tessera.models import Region

from .dates import parse_dateline, parse_wire_dateline, with_wrapped_separator

TITLE, BODY, FURNITURE, COMMENT = "title", "body", "furniture", "comment"


def _compile(patterns: Sequence[str], flags: int = re.I) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, flags) for p in patterns)


# A line that opens the comments section: after it nothing is body.
COMMENT_HEADERS: tuple[re.Pattern[str], ...] = _compile((
    r"(?:reader |readers' |user )?comments?",
    r"(?:\d+|one|no)\s+(?:comments?|responses?|replies|reactions)(?: (?:to|on) .{1,200})?",
    r"(?:\d+|one) thoughts? on .{1,200}",
    r"no comments?(?: yet)?",
    r"leave a (?:reply|comment|response)(?: to .{1,200})?",
    r"(?:post|add|write) (?:a|your) comment",
    r"(?:join|start) the (?:discussion|conversation)",
    r"(?:show|view|load|read|see) (?:all )?(?:\d+ )?comments?",
    r"comments (?:are|have been) (?:closed|disabled)",
))

# "Name says:" (optionally "Name says: March 3, 2021 at 5:01 pm") opens one reader comment.
COMMENT_AUTHOR_LINES: tuple[re.Pattern[str], ...] = _compile((
    r"(?P<name>[^\s:].{0,60}?)\s+says\s*:\s*(?P<when>.{0,60})",
    r"(?P<name>[^\s:].{0,60}?)\s+(?:on|at)\s+(?P<when>.{4,60}?)\s+(?:said|wrote)\s*:",
))
# First words that make "X says:" a sentence of the article rather than a commenter's name.
NOT_COMMENTER_WORDS = frozenset(
    "the a an he she it they we i you this that these those who which what one everyone someone "
    "nobody his her their our my its report statement article story study survey letter note "
    "message sign label headline caption government ministry police army military official "
    "officials spokesman spokeswoman spokesperson source sources analysis data law text".split()
)
_WHEN = re.compile(
    r"(?:on\s+)?(?:.{0,30}\d.{0,30}|\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago)",
    re.I,
)

# Keys of metadata lines ("• category: Politics", "Tags: a, b", "No: 799").
METADATA_KEYS: tuple[str, ...] = (
    "publish", "published", "posted", "updated", "last updated", "modified", "date", "time",
    "category", "categories", "tag", "tags", "topic", "topics", "filed under", "keywords",
    "section", "source", "author", "authors", "by", "written by", "views", "no", "reading time",
    "read time", "word count", "edition", "location", "language",
)

# Whole lines that are furniture wherever they stand.
FURNITURE_LINES: tuple[re.Pattern[str], ...] = _compile((
    rf"(?:{'|'.join(METADATA_KEYS)})\s*\.?\s*:.{{0,160}}",
    r"share(?: this(?: article| story| post| page)?| on \w+| via \w+)?",
    r"(?:click to )?(?:share|email|print|tweet)(?: on| to| this)?(?: \w+)?(?: \(opens in new window\))?",
    r"(?:(?:facebook|twitter|x|email|e-mail|print|whatsapp|linkedin|reddit|pinterest|telegram|tumblr"
    r"|copy link|more)\s*[|,•·/]?\s*)+",
    r"(?:like|follow) us on .{1,60}",
    r"(?:related|recommended|popular|trending|latest|more)(?: articles?| stories| posts| news| reading"
    r"| content| coverage| topics| videos)?(?: from .{1,40})?",
    r"(?:read more|also read|read also|see also|more on this)(?:\s*[:»›>|-].{0,200})?",
    r"advertisements?|sponsored(?: content| links?)?|continue reading.{0,40}|scroll (?:down|to).{0,40}",
    r"(?:subscribe|sign up)\b.{0,80}\bnewsletters?\b.{0,80}",
    r"(?:skip|jump|back) to (?:the )?(?:main )?(?:content|top|navigation|menu)",
    r"home|menu|search|log ?in|sign in|register|log out|sign out",
    r"(?:©|\(c\)|copyright\b).{0,160}|all rights reserved\.?",
    r"your email address will not be published.{0,160}",
    r"required fields are marked.{0,20}",
    r"(?:name|email|e-mail|website|comment|message)\s*\*?",
    r"save my name,? email,? and website .{0,160}",
    r"notify me of .{0,160}",
    r"(?:post|submit|send) (?:comment|reply)|cancel reply|reply(?: ↓)?|\d+ likes?|like|(?:up|down)vote",
    r"(?:report|flag)(?: this)?(?: comment| abuse)?|(?:load|show) more(?: comments| replies)?",
    r"(?:log ?in|sign in|register) to (?:reply|comment|post).{0,60}|you must be logged in .{0,160}",
    r"please .{0,120}\bcomment(?:s|ing|ers?)?\b.{0,120}",
    r"(?:comments? (?:are|is) moderated|comment policy|community guidelines).{0,160}",
    r"(?:(?:file|stock|representational|representative|main|top) )?(?:photos?|images?|pictures?"
    r"|photographs?|video|pic)(?: credits?| courtesy)?\s*[:|].{0,400}",
    r"\((?:file |representational )?(?:photo|image|picture)[^)]{0,120}\)",
    r"(?:photos?|images?|pictures?) (?:by|courtesy of|credit) .{1,120}",
    r"[\W_]+",
    # navigation: breadcrumbs ("Home > Research > Profiles") and menus of short items joined by pipes
    r"[^.!?]{0,80}(?:\s+[>»›]\s+[^.!?]{1,60}){2,}",
    r"(?:[^|.!?]{1,40}\|){2,}[^|.!?]{0,40}",
    r"(?:download|print|cite|save|export)(?: (?:this|the))?(?: (?:pdf|page|profile|article|report))?"
    r"(?:\s*[|•·]\s*.{0,60})?",
    r"(?:related|more|other) (?:profiles?|groups?|pages?|links?|coverage|reports?)\s*:.{0,300}",
    r"(?:contact|about|about us|contact us|privacy(?: policy)?|terms(?: of use| of service)?)",
))
# A short line in capitals with no sentence punctuation is a section heading, not reporting.
SECTION_HEADING = re.compile(r"[A-Z0-9][A-Z0-9 &/,'’-]{2,60}")
# "By Jane Doe" / "By Jane Doe, Reuters" on a line of its own (names are capitalised).
BYLINE = re.compile(
    r"(?i:by)\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|van|von|al|bin|el|du|da))*"
    r"(?:\s*[,|–—-]\s*[A-Z][\w .'’&-]{0,60})?",
)
_BULLETS = re.compile(r"^[\s•·*▪◦‣>|]*(?:[–—-]\s+)?")
_TRAILING = re.compile(r"[\s:.!?]*(?:\(\d+\))?[\s:.!?]*$")
_SENTENCE_INSIDE = re.compile(r"[.!?]\s|[,;:!?\"”]$")
_FINAL_PUNCT = re.compile(r"[.!?:;,\"”’')\]…]$")
_TITLE_MAX_WORDS, _TITLE_MAX_CHARS = 20, 160
_TOPIC_MAX_WORDS = 3


def _key(line: str) -> str:
    """A line without bullets, edge whitespace and trailing punctuation or counts, for matching."""
    return _TRAILING.sub("", _BULLETS.sub("", line.strip()))


def _same_line(a: str, b: str) -> bool:
    return " ".join(a.lstrip("#").split()).casefold() == " ".join(b.lstrip("#").split()).casefold()


def is_comment_header(line: str) -> bool:
    """True when ``line`` opens a comments section ("COMMENTS", "3 Comments", "Leave a Reply")."""
    key = _key(line)
    return bool(key) and any(p.fullmatch(key) for p in COMMENT_HEADERS)


def is_comment_author(line: str) -> bool:
    """True when ``line`` opens one reader comment ("Jane says:", "Jane on May 3, 2014 said:")."""
    key = _BULLETS.sub("", line.strip())
    for pattern in COMMENT_AUTHOR_LINES:
        match = pattern.fullmatch(key)
        if not match:
            continue
        name = match["name"].strip()
        words = name.split()
        when = match["when"].strip()
        if (
            1 <= len(words) <= 5
            and words[0].casefold().strip("\"'“”") not in NOT_COMMENTER_WORDS
            and not _SENTENCE_INSIDE.search(name)
            and (not when or _WHEN.fullmatch(when))
        ):
            return True
    return False


def is_furniture(line: str) -> bool:
    """True when ``line`` is page furniture on its own: metadata, buttons, captions, datelines."""
    stripped = line.strip()
    if not stripped:
        return False
    if parse_dateline(stripped):
        return True
    wire = parse_wire_dateline(stripped)
    if wire and not stripped[wire.end:].strip():
        return True  # a wire dateline on its own line: "SAN SALVADOR, 12 NOV 89 (RADIO VENCEREMOS) --"
    bare = _BULLETS.sub("", stripped)
    if BYLINE.fullmatch(bare) and not _FINAL_PUNCT.search(bare):
        return True
    if SECTION_HEADING.fullmatch(bare) and len(bare.split()) <= 6 and any(c.isalpha() for c in bare):
        return True
    if stripped.startswith("##") and len(stripped.split()) <= 12 and not _FINAL_PUNCT.search(stripped):
        return True  # a Markdown section heading (the level-1 heading is the title)
    if stripped[:1] in "-•*·▪" and bare and len(bare.split()) <= 14 and not _FINAL_PUNCT.search(bare):
        return True  # a bulleted headline in a list of links ("- Garissa bus attack: survivors recount ordeal")
    key = _key(stripped)
    return not key or any(p.fullmatch(key) or p.fullmatch(bare) for p in FURNITURE_LINES)


def _is_title_like(line: str, following: str | None = None) -> bool:
    stripped = line.strip()
    return (
        len(stripped) <= _TITLE_MAX_CHARS
        and len(stripped.split()) <= _TITLE_MAX_WORDS
        and not re.search(r"[.,;:]$", stripped)
        # "BOGOTA, 23 AUG 88 (EFE) -- THE ARMY SAID" opens the report, its dash sometimes wrapped to the next line
        and parse_wire_dateline(with_wrapped_separator(stripped, following)) is None
    )


def _is_topic_line(line: str) -> bool:
    stripped = line.strip()
    return 1 <= len(stripped.split()) <= _TOPIC_MAX_WORDS and not _FINAL_PUNCT.search(stripped)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def classify_lines(lines: Sequence[str], title: str | None = None) -> list[tuple[str | None, bool]]:
    """Each line's kind (None for a blank line) and whether it opens a new reader comment."""
    kinds: list[tuple[str | None, bool]] = []
    title_text: str | None = None
    seen_body = in_comments = False
    for i, line in enumerate(lines):
        if not line.strip():
            kinds.append((None, False))
            continue
        if in_comments:
            if is_comment_author(line):
                kinds.append((COMMENT, True))
            elif is_comment_header(line) or is_furniture(line):
                kinds.append((FURNITURE, False))
            else:
                kinds.append((COMMENT, False))
            continue
        if seen_body and is_comment_header(line):
            in_comments = True
            kinds.append((FURNITURE, False))
        elif seen_body and is_comment_author(line):
            in_comments = True
            kinds.append((COMMENT, True))
        elif is_furniture(line) or is_comment_header(line):
            kinds.append((FURNITURE, False))
        elif title_text is not None and _same_line(line, title_text):
            kinds.append((FURNITURE, False))  # the headline printed again
        elif title_text is None and not seen_body and (
            _same_line(line, title) if title else _is_title_like(line, lines[i + 1] if i + 1 < len(lines) else None)
        ):
            title_text = line
            kinds.append((TITLE, False))
        else:
            seen_body = True
            kinds.append((BODY, False))
    _mark_trailing_topics(lines, kinds)
    return kinds


def _mark_trailing_topics(lines: Sequence[str], kinds: list[tuple[str | None, bool]]) -> None:
    """A run of short topic lines closing the file (tags, related topics) is furniture."""
    run: list[int] = []
    for i in range(len(lines) - 1, -1, -1):
        kind, opens = kinds[i]
        if kind is None or kind == FURNITURE:
            continue
        if kind == TITLE or opens or not _is_topic_line(lines[i]):
            break
        run.append(i)
    in_comments = any(kinds[i][0] == COMMENT for i in run)
    body_left = sum(1 for k, _ in kinds if k == BODY) - sum(1 for i in run if kinds[i][0] == BODY)
    if not run or len(run) < (2 if in_comments else 1) or (body_left == 0 and not in_comments):
        return
    for i in run:
        kinds[i] = (FURNITURE, False)


def split_regions(text: str, title: str | None = None) -> tuple[Region, ...]:
    """Regions covering ``text`` exactly: title, body, furniture and comment, in text order."""
    if not text:
        return ()
    spans = _line_spans(text)
    kinds = classify_lines([text[s:e] for s, e in spans], title)
    regions: list[tuple[str, int]] = []  # (kind, start)
    for (start, _end), (kind, opens) in zip(spans, kinds):
        if kind is None:
            continue  # a blank line belongs to the region before it
        if not regions:
            regions.append((kind, 0))  # leading blank lines belong to the first region
        elif regions[-1][0] != kind or opens:
            regions.append((kind, start))
    if not regions:
        return (Region(FURNITURE, 0, len(text)),)
    ends = [start for _kind, start in regions[1:]] + [len(text)]
    return tuple(Region(kind, start, end) for (kind, start), end in zip(regions, ends))


def region_text(text: str, region: Region) -> str:
    """The text of ``region`` without its surrounding whitespace (a title without '#' marks)."""
    value = text[region.start:region.end].strip()
    return value.lstrip("#").strip() if region.kind == TITLE else value
