"""Furniture and comment splitting on small realistic texts (ingest.clean)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tessera.ingest import make_document, split_regions
from tessera.models import Region

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def assert_partition(text: str, regions: tuple[Region, ...]) -> None:
    """Regions cover the text from 0 to its end, in order, without gaps or overlaps."""
    assert regions, "a non-empty text has regions"
    assert regions[0].start == 0 and regions[-1].end == len(text)
    for before, after in zip(regions, regions[1:]):
        assert before.end == after.start
    assert all(r.end > r.start for r in regions)
    assert all(r.kind in {"title", "body", "furniture", "comment"} for r in regions)


def texts_of(text: str, regions: tuple[Region, ...], kind: str) -> list[str]:
    return [text[r.start:r.end].strip() for r in regions if r.kind == kind]


def kind_of_line(text: str, regions: tuple[Region, ...], line: str) -> str:
    offset = re.search(rf"^[ \t•]*{re.escape(line)}", text, re.M).start()
    return next(r.kind for r in regions if r.start <= offset < r.end)


def test_says_blocks_tags_metadata_and_duplicated_headline() -> None:
    text = (FIXTURES / "says_comments.txt").read_text(encoding="utf-8")
    doc = make_document(text, "says_comments.txt")
    assert_partition(doc.text, doc.regions)
    assert doc.title == "Militia commander killed in border clash"
    assert texts_of(doc.text, doc.regions, "title") == ["Militia commander killed in border clash"]
    body = "\n".join(texts_of(doc.text, doc.regions, "body"))
    assert body.startswith("A commander of the Eastern Hills militia")
    assert body.endswith("signed on March 3, 2015.")
    for furniture in ("Published: 4 May 2022", "Share this:", "Tags: militia, border, Varsk",
                      "May 4, 2022 at 9:14 pm", "Reply", "Eastern Hills", "Border security"):
        assert kind_of_line(doc.text, doc.regions, furniture) == "furniture", furniture
    # the headline printed a second time is furniture, not a second title or body
    second = doc.text.index("Militia commander killed", 10)
    assert next(r.kind for r in doc.regions if r.start <= second < r.end) == "furniture"
    comments = texts_of(doc.text, doc.regions, "comment")
    assert any("Daniel K. says:" in c for c in comments)
    assert any("announced his death twice" in c for c in comments)
    assert any("maria_r says:" in c and "Good riddance" in c for c in comments)
    # each "X says:" opens its own comment region
    starts = [r for r in doc.regions if r.kind == "comment" and "says:" in doc.text[r.start:r.end]]
    assert len(starts) == 2


def test_comments_header_ends_the_body() -> None:
    text = (FIXTURES / "header_comments.txt").read_text(encoding="utf-8")
    regions = split_regions(text)
    assert_partition(text, regions)
    header = text.index("12 Comments")
    assert all(r.kind in {"furniture", "comment"} for r in regions if r.end > header)
    assert kind_of_line(text, regions, "12 Comments") == "furniture"
    assert kind_of_line(text, regions, "Finally some good news") == "comment"
    assert kind_of_line(text, regions, "The army said the same thing") == "comment"
    assert kind_of_line(text, regions, "Leave a Reply") == "furniture"
    assert kind_of_line(text, regions, "Your email address will not be published") == "furniture"
    for metadata in ("• publish: 3 February 2020", "• time: 10:15 am", "• category: Security", "• No: 312"):
        assert kind_of_line(text, regions, metadata) == "furniture", metadata
    assert kind_of_line(text, regions, "File Photo: Soldiers on patrol") == "furniture"
    assert texts_of(text, regions, "title") == ["Government forces retake hill town"]
    body = " ".join(texts_of(text, regions, "body"))
    assert "recaptured the hill town" in body and "began to return on Monday" in body


@pytest.mark.parametrize(
    "tail",
    [
        "COMMENTS\n\nPlease let us know if you're having issues with commenting.\n",
        "No comments:\nPost a Comment\n",
        "Leave a Reply\n\nYour email address will not be published.\n",
        "3 Comments\n\nA reader wrote a long reply that argues the opposite of the article above.\n",
        "Post a Comment\n\nThis is a comment that a reader left under the post.\n",
    ],
)
def test_comment_headers_and_everything_after_are_never_body(tail: str) -> None:
    text = (
        "Storm damages coastal villages\n\n"
        "A storm damaged dozens of houses in three coastal villages overnight, officials said.\n\n"
        "Rescue teams reached the area by noon.\n\n" + tail
    )
    regions = split_regions(text)
    assert_partition(text, regions)
    cut = text.index(tail)
    assert not [r for r in regions if r.kind == "body" and r.end > cut]
    assert texts_of(text, regions, "body")[-1].endswith("by noon.")
    if "reader" in tail:
        assert any("reader" in c for c in texts_of(text, regions, "comment"))


def test_trailing_topic_lines_are_furniture_but_a_short_body_is_kept() -> None:
    text = (
        "Talks resume in the capital\n\n"
        "Delegations from both sides met again on Friday to discuss a prisoner exchange.\n\n"
        "Prisoner exchange\nCeasefire\nNorthern Province\n"
    )
    regions = split_regions(text)
    assert kind_of_line(text, regions, "Prisoner exchange") == "furniture"
    assert kind_of_line(text, regions, "Northern Province") == "furniture"
    assert kind_of_line(text, regions, "Delegations from both sides") == "body"
    short = "Headline here\n\nOne short body\n"
    assert texts_of(short, split_regions(short), "body") == ["One short body"]


def test_lines_of_punctuation_and_share_buttons_are_furniture() -> None:
    text = "Headline of the day\n\n* * *\n\nThe first paragraph of the story ends here.\n\nShare this\n\n---\n"
    regions = split_regions(text)
    assert kind_of_line(text, regions, "* * *") == "furniture"
    assert kind_of_line(text, regions, "Share this") == "furniture"
    assert kind_of_line(text, regions, "---") == "furniture"


def test_sentences_that_look_like_comment_markers_stay_body() -> None:
    text = (
        "Officials report on the talks\n\n"
        "The statement says:\n"
        "Both parties agreed to meet again next month in the capital.\n\n"
        "The envoy said the talks had gone well and that comments from both sides were positive.\n"
    )
    regions = split_regions(text)
    assert kind_of_line(text, regions, "The statement says:") == "body"
    assert not texts_of(text, regions, "comment")


def test_title_needs_a_short_first_line_without_a_final_period() -> None:
    long_first = "This first line is a full sentence of the body and it ends with a period.\n\nMore text.\n"
    assert not texts_of(long_first, split_regions(long_first), "title")
    given = "Breaking: market reopens\n\nTraders returned to the market on Monday.\n"
    assert texts_of(given, split_regions(given, title="Breaking: market reopens"), "title") == [
        "Breaking: market reopens"
    ]


def test_empty_and_blank_texts() -> None:
    assert split_regions("") == ()
    assert split_regions("\n\n  \n") == (Region("furniture", 0, 5),)
