"""RSS and Atom feeds, read with ``feedparser``: each item is one document (title, link, text, date).

feedparser reads what sites really serve: RSS 0.9x to 2.0, RDF, Atom 0.3 and 1.0, and the broken
variants (unclosed tags, HTML entities XML does not know, a wrong encoding declaration), falling
back to a lenient parser where the XML is not well formed. The file is decoded here first, as any
other input is (``decode.decode_bytes``: the declared encoding only when the bytes are not UTF-8),
and handed to feedparser as UTF-8 bytes from a stream, so it never opens a path or a URL itself.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from tessera.errors import IngestError
from tessera.models import Document

from .decode import decode_bytes
from .documents import make_document

MEDIA_TYPE = "application/rss+xml"
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")


class _Text(HTMLParser):
    """The text of an HTML fragment, paragraphs kept apart."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("p", "br", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "tr"):
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _plain(fragment: str | None, html: bool = True) -> str:
    """Text of a feed field: HTML fragments lose their markup, paragraphs stay apart."""
    if not fragment:
        return ""
    if html and "<" in fragment:
        parser = _Text()
        parser.feed(fragment)
        parser.close()
        fragment = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in fragment.split("\n\n")]
    return "\n\n".join(line for line in lines if line)


def _date(raw: str | None, parsed) -> str | None:
    """The item's date as printed (its own day, not converted to UTC), else as feedparser read it."""
    if raw:
        raw = raw.strip()
        try:
            return email.utils.parsedate_to_datetime(raw).date().isoformat()  # RSS: RFC 822
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return dt.date.fromisoformat(raw[:10]).isoformat()  # Atom: ISO 8601
        except ValueError:
            pass
    if parsed:  # feedparser's many other formats, as a UTC struct_time
        try:
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
        except ValueError:
            return None
    return None


def _body(entry) -> str:
    """The fullest text an entry holds: content (content:encoded, Atom content), else summary/description."""
    for part in entry.get("content") or ():
        text = _plain(part.get("value"), html="html" in (part.get("type") or "html"))
        if text:
            return text
    detail = entry.get("summary_detail") or {}
    return _plain(entry.get("summary"), html="html" in (detail.get("type") or "html"))


def _entry_fields(entry) -> tuple[str | None, str | None, str, str | None]:
    title = _plain(entry.get("title"), html="html" in ((entry.get("title_detail") or {}).get("type") or "")) or None
    link = (entry.get("link") or "").strip() or None
    date = (_date(entry.get("published"), entry.get("published_parsed"))
            or _date(entry.get("updated"), entry.get("updated_parsed")))
    return title, link, _body(entry), date


def read_feed(path: Path, max_bytes: int) -> Iterator[Document | IngestError]:
    """Documents from an RSS or Atom file; an unreadable feed or an empty item is one clear error."""
    import feedparser

    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield IngestError(origin, f"the feed is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                                      "(split it or raise --max-bytes)")
            return
        data = path.read_bytes()
    except OSError as error:
        yield IngestError(origin, f"cannot read the file ({error.strerror or error})")
        return
    if not data.strip():
        yield IngestError(origin, "the file is empty")
        return
    declared = _XML_ENCODING.match(data)
    try:
        decoded = decode_bytes(data, declared.group(1).decode("ascii") if declared else None)
    except ValueError as error:
        yield IngestError(origin, str(error))
        return
    # decoded here, so feedparser is told the bytes are UTF-8 whatever the declaration says
    feed = feedparser.parse(io.BytesIO(decoded.text.encode("utf-8")),
                            response_headers={"content-type": "application/xml; charset=utf-8"})
    warnings = decoded.warnings
    broken = feed.get("bozo_exception") if feed.get("bozo") else None
    if broken is not None:
        warnings += (f"the feed is not well-formed XML ({type(broken).__name__}: {broken}); read leniently",)
    items = [_entry_fields(entry) for entry in feed.entries]
    if not any(body or title for title, _link, body, _date in items):
        reason = "no items in this feed (expected RSS <item> or Atom <entry>)" if not items else "its items have no text"
        if broken is not None:
            reason = f"not a readable RSS or Atom feed ({broken}): {reason}"
        yield IngestError(origin, reason)
        return
    for number, (title, link, body, date) in enumerate(items, start=1):
        where = link or f"{origin}#{number}"
        if not body:
            yield IngestError(where, "the feed item has no text")
            continue
        text = f"{title}\n\n{body}\n" if title else body + "\n"
        try:
            yield make_document(text, where, MEDIA_TYPE, title=title, published=date, warnings=warnings)
        except IngestError as error:
            yield IngestError(where, error.reason)
