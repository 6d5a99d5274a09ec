"""The lexicon searches run as spaCy matchers compiled once from the lexicon files (short texts written for these tests)."""
from __future__ import annotations

import pytest

from tessera.analyze import analyze_text, load_pipeline
from tessera.analyze.events import _length, _matchers
from tessera.analyze.lexicons import cues, records
from tessera.analyze.relations import _phrase_matcher


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def _matched(nlp, text):
    """The lexicon rows whose trigger the text holds, with the words matched."""
    triggers, _ = _matchers(nlp.vocab)
    doc = nlp(text)
    return [(triggers.rows[rank]["trigger"], doc[a:b].text) for rank, a, b, _ in triggers.find(doc)]


def _events(text):
    a = analyze_text(text, published="2021-05-10")
    names = {e.id: e.name for e in a.entities}
    return [(e.subtype, e.date, [names[x] for x in e.locations], [names[x] for x in e.perpetrators]) for e in a.events]


def test_matchers_are_compiled_once_per_vocabulary(nlp):
    assert _matchers(nlp.vocab) is _matchers(nlp.vocab)
    assert _phrase_matcher(nlp.vocab) is _phrase_matcher(nlp.vocab)
    triggers, perps = _matchers(nlp.vocab)
    assert len(triggers.rows) == len(records("events"))
    assert len(perps.rows) == len(cues()["perpetrator_phrases"])


def test_rows_are_ranked_longest_first(nlp):
    triggers, _ = _matchers(nlp.vocab)
    lengths = [_length(r) for r in triggers.rows]
    assert lengths == sorted(lengths, reverse=True)


def test_a_row_names_the_token_that_heads_it(nlp):
    triggers, _ = _matchers(nlp.vocab)
    doc = nlp("Guerrillas set fire to three buses on Tuesday.")
    assert [(triggers.rows[rank]["trigger"], doc[head].text) for rank, _, _, head in triggers.find(doc)] == [("set fire to", "set")]


def test_phrases_match_in_any_case(nlp):
    found = _matched(nlp, "A CAR BOMB exploded near the market.")
    assert ("car bomb", "CAR BOMB") in found


def test_a_one_word_trigger_must_be_a_noun_or_a_verb(nlp):
    found = _matched(nlp, "Offensive attacks against the army in Gao have stopped.")
    assert ("attacks", "attacks") in found
    assert not any(t == "offensive" for t, _ in found)  # the adjective is not the event
    assert ("offensive", "offensive") in _matched(nlp, "The army launched an offensive in Gao on Sunday.")


def test_the_longer_trigger_stands():
    assert _events("A bombing raid on the town of Tessalit on 3 May 2021 killed 12 people.") == [
        ("airstrike", "2021-05-03", ["Tessalit"], [])]


def test_a_required_context_gates_a_trigger():
    assert _events("Forty inmates escaped from the central prison in Kidal on Sunday.") == [
        ("prison break", "2021-05-09", ["Kidal"], [])]


def test_a_planned_attack_is_not_an_event():
    assert _events("The Northern Shield Front plans to attack the capital Bamako on Sunday.") == []


def test_perpetrator_phrase():
    assert _events("The bombing in Gao on Monday was blamed on the Northern Shield Front.") == [
        ("bombing", "2021-05-10", ["Gao"], ["Northern Shield Front"])]


def test_relation_phrase_first_word_by_lemma():
    a = analyze_text("The Northern Shield Front often flees to Algeria when the army advances.")
    names = {e.id: e.name for e in a.entities}
    assert ("Northern Shield Front", "based_in", "Algeria") in {
        (names[r.subject], r.predicate, names.get(r.object)) for r in a.relations}
