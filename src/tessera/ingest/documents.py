"""Documents from texts: normalization, content ids, titles and publication dates."""
from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Sequence

from tessera.errors import IngestError
from tessera.models import Document, Region

from .clean import BODY, COMMENT, FURNITURE, TITLE, is_comment_header, region_text, split_regions
from .dates import (WireDateline, complete_year, parse_date, parse_dateline, parse_wire_dateline,
                    with_wrapped_separator)

# A date printed on its own line counts as the publication date only this near the top;
# keyed metadata lines ("Published: ...") count wherever they stand outside comments.
DATELINE_TOP_LINES = 10
# Characters no text holds: C0 controls but tab, line feed and carriage return; DEL and the C1
# controls; lone surrogates (from a JSON "\ud800" escape); the noncharacters U+FFFE and U+FFFF.
# They break XML exports and the id hash, and mean a damaged byte or a mis-decoded file.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def replace_non_text(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` with control characters, lone surrogates and noncharacters replaced by U+FFFD, and the warning."""
    found = _NOT_TEXT.findall(text)
    if not found:
        return text, ()
    kinds = sorted({f"U+{ord(c):04X}" for c in found})
    shown = ", ".join(kinds[:5]) + (", ..." if len(kinds) > 5 else "")
    return _NOT_TEXT.sub("\ufffd", text), (
        f"{len(found)} control or invalid character{'s' if len(found) != 1 else ''} ({shown}) replaced with U+FFFD",)


def normalize_text(text: str) -> str:
    """Unicode NFC, ``\\r\\n`` to ``\\n``, trailing whitespace stripped from each line; nothing else."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def document_id(normalized_text: str) -> str:
    """The sha256 hex digest of the (already normalized) text: equal texts share one id."""
    return hashlib.sha256(normalized_text.encode("utf-8")).hexdigest()


def _check_regions(text: str, regions: Sequence[Region]) -> None:
    position = 0
    for region in regions:
        if region.start != position or region.end <= region.start:
            raise ValueError(f"regions must cover the text in order without gaps or overlaps: {region!r}")
        position = region.end
    if position != len(text):
        raise ValueError(f"regions end at {position} but the text has {len(text)} characters")


def _kind_at(regions: Sequence[Region], starts: Sequence[int], offset: int) -> str | None:
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and offset < regions[index].end:
        return regions[index].kind
    return None


def _printed(text: str, regions: Sequence[Region]) -> tuple[str | None, str | None, WireDateline | None]:
    """The published and updated dates printed near the top or on metadata lines, and the wire dateline."""
    published: str | None = None
    updated: str | None = None
    wire: WireDateline | None = None
    offset = nonblank = 0
    seen_body = after_blank = False
    previous_kind: str | None = None
    starts = [region.start for region in regions]
    lines = text.split("\n")
    for i, line in enumerate(lines):
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            after_blank = True
            continue
        nonblank += 1
        kind = _kind_at(regions, starts, start)
        opens_paragraph = after_blank or kind != previous_kind  # not a line wrapped inside a paragraph
        after_blank, previous_kind = False, kind
        first_body = kind == BODY and not seen_body
        seen_body = seen_body or kind == BODY
        if kind == COMMENT or (seen_body and is_comment_header(line)):
            break  # dates in the comments section are the commenters'
        # Body sentences and headlines never carry the publication date, except the wire
        # dateline that opens a paragraph of the report ("NIAMEY, 3 March 2022 (Reuters) - ...")
        # or stands on a line of its own (furniture). One that prints no date names only the
        # agency, and counts only on the body's first line.
        if (wire is None and kind in (BODY, FURNITURE) and opens_paragraph and nonblank <= DATELINE_TOP_LINES
                and (found := parse_wire_dateline(with_wrapped_separator(line, lines[i + 1] if i + 1 < len(lines) else None))) and (found.date or first_body or kind == FURNITURE)):
            wire = found
            if found.date and not found.date.startswith("--"):
                published = published or found.date
        if kind != FURNITURE:
            continue
        dateline = parse_dateline(line)
        if dateline is None:
            continue
        if nonblank > DATELINE_TOP_LINES and not dateline.keyed:
            continue
        if dateline.updated:
            updated = updated or dateline.date
        else:
            published = published or dateline.date
    return published, updated, wire


def _with_wire_date(published: str | None, updated: str | None, wire_date: str | None) -> str | None:
    """The publication date, given the metadata dates and the wire dateline's date.

    A yearless dateline ("BEIRUT, June 14 (Reuters) -") takes the year that puts it nearest the
    metadata date, and stays unknown without one. The dateline's day beats an update stamp and
    refines a partial publication date it agrees with ("2014" and "June 14"); a full one stands."""
    meta = published or updated
    if wire_date is not None and wire_date.startswith("--"):
        wire_date = complete_year(wire_date, meta)
    if wire_date is None or (published is not None and not wire_date.startswith(published + "-")):
        return meta
    return wire_date


def published_on(text: str, regions: Sequence[Region]) -> str | None:
    """The publication date printed in ``text``: a dateline near the top or a metadata line."""
    published, updated, wire = _printed(text, regions)
    return _with_wire_date(published, updated, wire.date if wire else None)


def make_document(
    text: str,
    origin: str,
    media_type: str = "text/plain",
    title: str | None = None,
    published: str | None = None,
    regions: Sequence[Region] | None = None,
    warnings: Sequence[str] = (),
) -> Document:
    """A ``Document`` from raw text: normalized, identified by content, split into regions.

    ``warnings`` say what reading the input took (a detected encoding, replaced bytes); characters
    no text holds are replaced here, with a warning of their own. A ``published`` that is no date
    raises IngestError (callers that must keep the document pass None and warn)."""
    text, more = replace_non_text(text)  # one character for one: given regions still fit
    warnings = tuple(warnings) + more
    if title:
        title = replace_non_text(title)[0]
    normalized = normalize_text(text)
    if not normalized.strip():
        raise IngestError(origin, "no text (only whitespace); nothing to ingest")
    title = " ".join(title.split()) if title and title.strip() else None
    if regions is None:
        regions = split_regions(normalized, title=title)
    else:
        regions = tuple(regions)
        _check_regions(normalized, regions)
    printed, updated, wire = _printed(normalized, regions)
    if published is not None:
        date = parse_date(published)
        if date is None:
            raise IngestError(origin, f"publication date {published!r} is not a date; use YYYY-MM-DD")
        printed, updated = date, None  # the caller's date stands for what the text prints
    published = _with_wire_date(printed, updated, wire.date if wire else None)
    if title is None:
        title = next((region_text(normalized, r) for r in regions if r.kind == TITLE), None) or None
    return Document(
        id=document_id(normalized),
        origin=origin,
        text=normalized,
        title=title,
        published=published,
        regions=tuple(regions),
        media_type=media_type,
        source=wire.source if wire else None,
        warnings=warnings,
    )
