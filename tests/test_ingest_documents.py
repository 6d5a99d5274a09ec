"""Document ids, normalization, titles and publication dates (ingest.documents)."""
from __future__ import annotations

import hashlib
import unicodedata

import pytest

from tessera.errors import IngestError
from tessera.ingest import make_document
from tessera.models import Region

BODY = (
    "Security forces arrested four suspects after the bombing of a bus depot, police said.\n\n"
    "The group has not claimed the attack.\n"
)


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ("This Article is From Oct 06, 2014\n\nDepot bombing suspects held\n\n", "2014-10-06"),
        ("  • publish: 22 August 2015\n  • time: 11:06 pm\n\nDepot bombing suspects held\n\n", "2015-08-22"),
        ("Depot bombing suspects held\n\nPublished: 4 May 2022\n\n", "2022-05-04"),
        ("Depot bombing suspects held\nUpdated: March 5, 2021 10:00 IST\n\n", "2021-03-05"),
        ("Depot bombing suspects held\n\nMarch 3, 2021\n\n", "2021-03-03"),
        ("Depot bombing suspects held\n2021-03-03\n\n", "2021-03-03"),
        ("Depot bombing suspects held\nMonday, March 1, 2021 at 5:00 pm EST\n\n", "2021-03-01"),
        ("Depot bombing suspects held\nNovember 2019\n\n", "2019-11"),
        ("Published: 4 May 2022\nUpdated: 6 May 2022\n\nDepot bombing suspects held\n\n", "2022-05-04"),
        ("Updated: 6 May 2022\nPublished: 4 May 2022\n\nDepot bombing suspects held\n\n", "2022-05-04"),
    ],
)
def test_printed_publication_dates(top: str, expected: str) -> None:
    doc = make_document(top + BODY, "t.txt")
    assert doc.published == expected
    assert doc.title == "Depot bombing suspects held"


def test_undated_text_has_no_date() -> None:
    assert make_document("Depot bombing suspects held\n\n" + BODY, "t.txt").published is None


def test_a_date_in_a_body_sentence_or_a_citation_is_not_the_publication_date() -> None:
    text = (
        "Doe, Jane. \"Militancy in the valley\". Regional Review, 14 Nov. 2011.\n"
        "On March 3, 2021 the group attacked a police post near the river.\n"
        "2019-05-01 was the day the ceasefire collapsed, officials recalled.\n"
    )
    assert make_document(text, "t.txt").published is None


def test_a_date_only_line_deep_in_the_text_is_not_a_dateline_but_a_keyed_one_is() -> None:
    filler = "".join(f"Paragraph {i} of the report describes the fighting in detail.\n\n" for i in range(12))
    assert make_document("Headline words\n\n" + filler + "March 3, 2021\n", "t.txt").published is None
    keyed = make_document("Headline words\n\n" + filler + "Posted on March 3, 2021 by A. Writer\n", "t.txt")
    assert keyed.published == "2021-03-03"


def test_dates_in_the_comments_section_are_not_the_publication_date() -> None:
    text = "Headline words\n\n" + BODY + "\nCOMMENTS\n\nSam says:\nPosted on June 2, 2020\nSo sad.\n"
    assert make_document(text, "t.txt").published is None


def test_given_published_is_normalized_and_validated() -> None:
    assert make_document(BODY, "t", published="2021-03-03T10:00:00Z").published == "2021-03-03"
    assert make_document(BODY, "t", published="2021").published == "2021"
    with pytest.raises(IngestError, match="not a date"):
        make_document(BODY, "t", published="last week")


def test_ids_are_stable_and_content_based() -> None:
    a = make_document(BODY, "a.txt")
    b = make_document(BODY, "b.txt")
    assert a.id == b.id == hashlib.sha256(a.text.encode("utf-8")).hexdigest()
    assert len(a.id) == 64
    assert make_document(BODY.replace("four", "five"), "a.txt").id != a.id
    assert make_document(BODY, "a.txt").id == a.id  # the same on every run


def test_normalization_is_nfc_newlines_and_trailing_spaces_only() -> None:
    raw = "Caf\u0065\u0301 talks \u201cresume\u201d  \r\nSecond line\t \r\n\r\n  indented line\n"
    doc = make_document(raw, "t.txt")
    assert doc.text == "Caf\u00e9 talks \u201cresume\u201d\nSecond line\n\n  indented line\n"
    assert doc.text == unicodedata.normalize("NFC", doc.text)
    assert make_document(raw.replace("\r\n", "\n"), "t.txt").id == doc.id
    assert make_document(unicodedata.normalize("NFD", raw), "t.txt").id == doc.id


def test_title_given_wins_and_region_title_is_the_fallback() -> None:
    text = "# Market reopens after curfew\n\nTraders returned on Monday.\n"
    assert make_document(text, "t.md", "text/markdown").title == "Market reopens after curfew"
    assert make_document(BODY, "t.txt", title="  Given   title ").title == "Given title"
    assert make_document(BODY, "t.txt").title is None


def test_regions_given_must_cover_the_text() -> None:
    text = "Headline\n\nBody text here.\n"
    regions = (Region("title", 0, 10), Region("body", 10, len(text)))
    assert make_document(text, "t", regions=regions).regions == regions
    with pytest.raises(ValueError):
        make_document(text, "t", regions=(Region("body", 0, 5),))


def test_whitespace_only_text_is_an_ingest_error() -> None:
    with pytest.raises(IngestError, match="only whitespace"):
        make_document(" \n\t\n", "blank.txt")


def test_wire_dateline_opening_the_report_is_the_publication_date():
    from tessera.ingest import make_document

    doc = make_document("Gunmen attack army post\n\nNIAMEY, 3 March 2022 (Reuters) - Gunmen attacked a post.\n", "x.txt")
    assert doc.published == "2022-03-03"
    later = make_document("Gunmen attack army post\n\nGunmen attacked a post on 3 March 2022 - officials said.\n", "y.txt")
    assert later.published is None
