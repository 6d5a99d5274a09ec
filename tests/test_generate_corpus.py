"""The synthetic corpus of benchmarks/generate_corpus.py: deterministic, in the length range, and buildable."""
from __future__ import annotations

import re
from datetime import datetime

from benchmarks.generate_corpus import MAX_WORDS, MIN_WORDS, generate, write_corpus


def test_same_seed_same_articles_other_seed_others():
    assert generate(30, seed=3) == generate(30, seed=3)
    assert generate(30, seed=3) != generate(30, seed=4)


def test_articles_are_300_to_1200_words_with_a_dateline_and_some_copies():
    articles = generate(120, seed=1)
    published = []  # each article's date: its outlet's, else its dateline's
    for name, text in articles:
        assert MIN_WORDS <= len(text.split()) <= MAX_WORDS, name
        head, _, body = text.partition("\n\n")
        headline, _, outlet = head.partition("\nPublished: ")
        assert headline and "\n" not in headline and ("_copy-of-" in name) == bool(outlet)
        # "KABUL, 12 March 2021 (Reuters) - ..."
        dateline = re.match(r"[A-Z'. -]+, (\d{1,2} [A-Z][a-z]+ 20\d\d) \([^)]+\) - ", body)
        assert dateline, body[:80]
        published.append(datetime.strptime(outlet or dateline.group(1), "%d %B %Y"))
    assert published == sorted(published)  # a stream of news, in the order of publication
    copies = [(name, text) for name, text in articles if "_copy-of-" in name]
    assert copies
    by_number = {name[:6]: text for name, text in articles}
    for name, text in copies:
        original = by_number[name.split("_copy-of-")[1][:6]]
        assert text.partition("\n\n")[2] == original.partition("\n\n")[2]  # same story, another headline
        assert text.partition("\n")[0] != original.partition("\n")[0]


def test_shuffled_articles_are_no_stream():
    dates = [re.search(r", (\d{1,2} [A-Z][a-z]+ 20\d\d) \(", text).group(1) for _n, text in generate(60, shuffled=True)]
    assert [datetime.strptime(d, "%d %B %Y") for d in dates] != sorted(datetime.strptime(d, "%d %B %Y") for d in dates)


def test_a_build_of_twenty_generated_articles_finds_events_and_entities(tmp_path):
    import tessera

    write_corpus(tmp_path / "corpus", 20, seed=2)
    with tessera.open(tmp_path / "kb.db") as kb:
        report = kb.build([tmp_path / "corpus"])
        assert len(report.added) == 20 and not report.failed
        types = {e.type for e in kb.entities()}
        assert {"organization", "person", "location"} <= types
        events = kb.events()
        assert any(ev.type == "attack" and ev.date and ev.killed for ev in events)
        assert any(r.predicate == "led_by" for r in kb.relations())
        assert kb.duplicate_of()  # the re-published copies were found
