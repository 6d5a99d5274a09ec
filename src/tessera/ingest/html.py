"""HTML pages -> Documents through trafilatura: the only module that imports it.

The main text and the reader comments come out of trafilatura separately; the stored text is
the headline, the body paragraphs and then the comments, each comment paragraph its own
``comment`` region, so later stages can tell reporting from readers' opinions.
"""
from __future__ import annotations

import re

import trafilatura

from tessera.errors import IngestError
from tessera.models import Document, Region

from .clean import BODY, COMMENT, split_regions
from .dates import parse_date
from .documents import make_document, normalize_text

MEDIA_TYPE = "text/html"

# htmldate without its extensive search reads only what the page states about itself (meta
# tags, <time> elements, structured data, the URL), never a date met in a sentence of the text.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    """The character set an HTML page declares in its first few kilobytes, if any."""
    match = _DECLARED_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in normalize_text(text or "").split("\n") if line.strip()]


def html_to_document(html: str, origin: str, warnings: tuple[str, ...] = ()) -> Document:
    """A ``Document`` from one HTML page: headline, main text and comments; raises IngestError.

    ``warnings``: what decoding the page took (see ``decode.decode_bytes``)."""
    try:
        extracted = trafilatura.bare_extraction(
            html,
            include_comments=True,
            with_metadata=True,
            include_tables=True,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception as error:  # noqa: BLE001 -- a parser failure on one page must not stop a batch
        raise IngestError(origin, f"the HTML could not be parsed ({type(error).__name__}: {error})") from error
    if extracted is None:
        raise IngestError(origin, "no main text found in this HTML page (is it an article?)")
    body = _paragraphs(extracted.text)
    comments = _paragraphs(extracted.comments)
    if not body and not comments:
        raise IngestError(origin, "no main text found in this HTML page (is it an article?)")
    title = " ".join((extracted.title or "").split()) or None
    if title and not (body and " ".join(body[0].split()).casefold() == title.casefold()):
        body.insert(0, title)
    head = "\n\n".join(body)
    regions = list(split_regions(head, title=title)) if head else []
    if not comments and not any(region.kind == BODY for region in regions):
        raise IngestError(origin, "no main text found in this HTML page, only navigation or metadata")
    text = head
    for paragraph in comments:
        if text:  # the blank line before a comment belongs to the region it closes
            text += "\n\n"
            last = regions[-1]
            regions[-1] = Region(last.kind, last.start, len(text))
        regions.append(Region(COMMENT, len(text), len(text) + len(paragraph)))
        text += paragraph
    published = parse_date(extracted.date) if extracted.date else None
    return make_document(
        text,
        origin,
        media_type=MEDIA_TYPE,
        title=title,
        published=published,
        regions=regions,
        warnings=warnings,
    )
