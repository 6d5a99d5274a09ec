"""RSS 2.0 and Atom feeds: each item is one document (title, link, text, publication date)."""
from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from tessera.errors import IngestError
from tessera.models import Document

from .documents import make_document

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


class _Text(HTMLParser):
    """The text of an HTML fragment, paragraphs kept apart."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("p", "br", "div", "li", "h1", "h2", "h3"):
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _plain(fragment: str | None) -> str:
    if not fragment:
        return ""
    if "<" not in fragment:
        return fragment.strip()
    parser = _Text()
    parser.feed(fragment)
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n\n")]
    return "\n\n".join(line for line in lines if line)


def _date(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()  # RSS: RFC 822
    except (TypeError, ValueError):
        pass
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()  # Atom: ISO 8601
    except ValueError:
        return None


def _items(root: ET.Element) -> Iterator[dict]:
    for item in root.iter("item"):
        yield {"title": item.findtext("title"), "link": item.findtext("link"),
               "text": item.findtext(_CONTENT) or item.findtext("description"), "date": item.findtext("pubDate")}
    for entry in root.iter(f"{_ATOM}entry"):
        link = entry.find(f"{_ATOM}link")
        yield {"title": entry.findtext(f"{_ATOM}title"), "link": link.get("href") if link is not None else None,
               "text": entry.findtext(f"{_ATOM}content") or entry.findtext(f"{_ATOM}summary"),
               "date": entry.findtext(f"{_ATOM}published") or entry.findtext(f"{_ATOM}updated")}


def read_feed(path: Path, max_bytes: int) -> Iterator[Document | IngestError]:
    """Documents from an RSS or Atom file; a broken feed or an empty item is one clear error."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield IngestError(origin, f"the feed is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                                      "(split it or raise --max-bytes)")
            return
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        yield IngestError(origin, f"not a readable RSS or Atom feed ({error})")
        return
    except OSError as error:
        yield IngestError(origin, f"cannot read the file ({error.strerror or error})")
        return
    found = False
    for number, item in enumerate(_items(root), start=1):
        found = True
        where = item["link"] or f"{origin}#{number}"
        title = _plain(item["title"]) or None
        body = _plain(item["text"])
        if not body:
            yield IngestError(where, "the feed item has no text")
            continue
        text = f"{title}\n\n{body}\n" if title else body + "\n"
        try:
            yield make_document(text, where, "application/rss+xml", title=title, published=_date(item["date"]))
        except IngestError as error:
            yield IngestError(where, error.reason)
    if not found:
        yield IngestError(origin, "no items in this feed (expected RSS <item> or Atom <entry>)")
