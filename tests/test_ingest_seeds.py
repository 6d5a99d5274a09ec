"""Generic properties of ingesting the shared seed articles (real pages with furniture and comments)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tessera.ingest import iter_inputs
from tessera.models import Document

SEEDS = Path(__file__).resolve().parents[2] / "shared/corpus/seeds"

pytestmark = [
    pytest.mark.seeds,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed corpus not found at {SEEDS} (shared/ is absent)"),
]

# Written independently of ingest.clean: the common English comment-section headers.
HEADER = re.compile(r"\s*(?:comments?|\d+ comments?|leave a reply|post a comment|no comments:?)\s*", re.I)
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# A short line near the top that prints a day, month and year is a printed date.
PRINTED_DATE = re.compile(rf".*\b(?:\d{{1,2}} {MONTH},? |{MONTH} \d{{1,2}}, )((?:19|20)\d\d)\b.*", re.I)


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    results = list(iter_inputs([SEEDS]))
    errors = [r for r in results if not isinstance(r, Document)]
    assert not errors, errors
    return results


def test_every_seed_is_a_document(documents: list[Document]) -> None:
    assert len(documents) == 5
    assert len({d.id for d in documents}) == 5
    assert [d.origin for d in documents] == sorted(d.origin for d in documents)


def test_regions_cover_each_text_exactly(documents: list[Document]) -> None:
    for doc in documents:
        assert doc.regions[0].start == 0 and doc.regions[-1].end == len(doc.text), doc.origin
        assert all(a.end == b.start for a, b in zip(doc.regions, doc.regions[1:])), doc.origin
        assert doc.regions_of("body"), doc.origin


def test_comment_headers_and_what_follows_are_never_body(documents: list[Document]) -> None:
    for doc in documents:
        offset = 0
        cut = None
        for line in doc.text.split("\n"):
            if HEADER.fullmatch(line):
                cut = offset
                break
            offset += len(line) + 1
        if cut is None:
            continue
        assert not [r for r in doc.regions_of("body") if r.end > cut], doc.origin


def test_says_comment_blocks_are_never_body(documents: list[Document]) -> None:
    for doc in documents:
        body = "".join(doc.text[r.start:r.end] for r in doc.regions_of("body"))
        assert not re.search(r"^\W*\w+ says:\s*$", body, re.M), doc.origin


def test_dates_printed_at_the_top_are_found(documents: list[Document]) -> None:
    for doc in documents:
        top = [line for line in doc.text.split("\n") if line.strip()][:10]
        printed = [m for line in top if len(line) < 60 and (m := PRINTED_DATE.fullmatch(line))]
        if printed:
            assert doc.published is not None, doc.origin
            assert doc.published.startswith(printed[0].group(1)), doc.origin
        else:
            assert doc.published is None, doc.origin


def test_titles_are_short_lines_without_a_final_period(documents: list[Document]) -> None:
    for doc in documents:
        if doc.title is not None:
            assert len(doc.title.split()) <= 20 and not doc.title.endswith("."), doc.origin
            assert doc.title in doc.text
