"""The Re-DocRED benchmark's reader, matcher and scorer on hand-made documents (no model needed)."""
from __future__ import annotations

import json

import pytest

from benchmarks import redocred as rd
from tessera.models import DocumentAnalysis, Evidence, LocalEntity, Mention, RelationClaim

SENTS = [
    ["The", "Boko", "Haram", "group", "was", "founded", "in", "March", "2002", "by", "Mohammed", "Yusuf", "."],
    ["Its", "leader", ",", "Abubakar", "Shekau", "(", "born", "1973", ")", ",", "said", '"', "no", '"',
     "to", "Maiduguri", "-", "based", "talks", "."],
]
TEXT = ('The Boko Haram group was founded in March 2002 by Mohammed Yusuf. '
        'Its leader, Abubakar Shekau (born 1973), said "no" to Maiduguri-based talks.')


def record(labels):
    return {
        "title": "Boko Haram",
        "sents": SENTS,
        "vertexSet": [
            [{"name": "Boko Haram", "sent_id": 0, "pos": [1, 3], "type": "ORG"},
             {"name": "Its", "sent_id": 1, "pos": [0, 1], "type": "ORG"}],
            [{"name": "March 2002", "sent_id": 0, "pos": [7, 9], "type": "TIME"}],
            [{"name": "Mohammed Yusuf", "sent_id": 0, "pos": [10, 12], "type": "PER"}],
            [{"name": "Abubakar Shekau", "sent_id": 1, "pos": [3, 5], "type": "PER"}],
            [{"name": "Maiduguri", "sent_id": 1, "pos": [15, 16], "type": "LOC"}],
        ],
        "labels": labels,
    }


GOLD_LABELS = [
    {"h": 0, "t": 2, "r": "P112", "evidence": [0]},
    {"h": 0, "t": 1, "r": "P571", "evidence": [0]},
    {"h": 0, "t": 3, "r": "P488", "evidence": [1]},
    {"h": 0, "t": 4, "r": "P159", "evidence": [1]},
    {"h": 3, "t": 0, "r": "P463", "evidence": [1]},
    {"h": 2, "t": 0, "r": "P463", "evidence": [0]},
    {"h": 3, "t": 1, "r": "P17", "evidence": []},  # not mapped: never scored
]


# ---- reader -------------------------------------------------------------------------------

def test_rebuild_text_and_token_offsets():
    text, offsets = rd.rebuild_text(SENTS)
    assert text == TEXT
    assert [len(s) for s in offsets] == [len(s) for s in SENTS]
    for sent, spans in zip(SENTS, offsets):
        for tok, (a, b) in zip(sent, spans):
            assert text[a:b] == tok
    assert offsets[1][0] == (text.index("Its"), text.index("Its") + 3)
    assert offsets[1][-1] == (len(text) - 1, len(text))


def test_whitespace_token_gets_an_empty_span_and_nfc():
    text, offsets = rd.rebuild_text([["Cafe\u0301", "\xa0", "Noir", "."]])
    assert text == "Caf\u00e9 Noir."
    assert offsets[0][1][0] == offsets[0][1][1]
    assert text[slice(*offsets[0][2])] == "Noir"


def test_read_doc_maps_mentions_to_character_spans():
    gold = rd.read_doc(record(GOLD_LABELS))
    assert gold.mention_texts(0) == ["Boko Haram", "Its"]
    assert gold.mention_texts(1) == ["March 2002"]
    assert gold.mention_texts(4) == ["Maiduguri"]
    assert gold.types[3] == "PER"
    assert (3, "P17", 1) in gold.triples


# ---- matcher ------------------------------------------------------------------------------

def test_entity_matches_by_name_key_or_overlapping_span():
    gold = rd.read_doc(record(GOLD_LABELS))
    assert rd.entity_matches(("the Boko Haram",), (), gold, 0)  # article dropped by name_key
    assert not rd.entity_matches(("Boko",), (), gold, 0)
    a = TEXT.index("Boko Haram")
    assert rd.entity_matches(("BH group",), ((a, a + len("Boko Haram group")),), gold, 0)  # mostly overlapping
    assert not rd.entity_matches(("x",), ((a, a + 4),), gold, 0)  # "Boko": under half of the gold span
    assert not rd.entity_matches(("x",), ((0, TEXT.index(" by")),), gold, 0)  # gold span under half of it
    assert not rd.entity_matches(("Mohammed Yusuf",), (), gold, 3)


def test_date_matches_same_date_or_refinement_only():
    gold = rd.read_doc(record(GOLD_LABELS))
    assert rd.date_entity_matches("2002-03", gold, 1)
    assert rd.date_entity_matches("2002", gold, 1)
    assert not rd.date_entity_matches("2002-04", gold, 1)
    assert not rd.date_entity_matches("2000s", gold, 1)
    assert not rd.date_entity_matches("2003", gold, 1)


# ---- scorer -------------------------------------------------------------------------------

def ent(eid, etype, *names):
    mentions = tuple(Mention(TEXT.index(n), TEXT.index(n) + len(n), n) for n in names)
    return LocalEntity(eid, etype, names[0], tuple(names), mentions)


def analysis(claims):
    ev = Evidence(document="d", start=0, end=5, quote="quote")
    entities = (ent("e0", "organization", "Boko Haram"), ent("e1", "person", "Mohammed Yusuf"),
                ent("e2", "person", "Abubakar Shekau"), ent("e3", "location", "Maiduguri"))
    rels = tuple(RelationClaim(subject=s, predicate=p, object=o, value=v, evidence=ev) for s, p, o, v in claims)
    return DocumentAnalysis(document="d", entities=entities, relations=rels, events=())


PERFECT = [
    ("e0", "founded_by", "e1", None),
    ("e0", "founded_on", None, "2002-03"),
    ("e0", "led_by", "e2", None),
    ("e0", "based_in", "e3", None),
    ("e2", "member_of", "e0", None),
    ("e1", "member_of", "e0", None),
]


def score(claims, labels=GOLD_LABELS):
    tallies = {}
    rd.score_doc(rd.read_doc(record(labels)), rd.predictions(analysis(claims)), tallies)
    return tallies


def test_perfect_predictions_score_100():
    tallies = score(PERFECT)
    total = rd.micro(tallies)
    assert (total.gold, total.pred) == (6, 6)  # P17 is not mapped: not in the gold count
    assert total.prf() == (100.0, 100.0, 100.0)
    assert tallies["member_of"].gold_by_prop["P463"] == 2


def test_wrong_direction_is_wrong():
    tallies = score([("e1", "founded_by", "e0", None), ("e0", "member_of", "e2", None)])
    total = rd.micro(tallies)
    assert total.pred == 2 and total.pred_ok == 0 and total.gold_ok == 0
    assert total.prf() == (0.0, 0.0, 0.0)


def test_unmapped_predicates_and_properties_are_ignored():
    tallies = score([("e0", "allied_with", "e3", None), ("e2", "spokesperson_of", "e0", None),
                     ("e0", "founded_by", "e1", None)],
                    labels=[{"h": 0, "t": 2, "r": "P112", "evidence": []}, {"h": 3, "t": 1, "r": "P17", "evidence": []}])
    total = rd.micro(tallies)
    assert (total.gold, total.pred, total.gold_ok, total.pred_ok) == (1, 1, 1, 1)


def test_duplicate_claims_count_once_and_partial_scores():
    tallies = score([("e0", "founded_by", "e1", None), ("e0", "founded_by", "e1", None),
                     ("e0", "led_by", "e1", None)])
    total = rd.micro(tallies)
    assert (total.gold, total.pred, total.gold_ok, total.pred_ok) == (6, 2, 1, 1)
    p, r, f = total.prf()
    assert p == pytest.approx(50.0) and r == pytest.approx(100 / 6) and f == pytest.approx(25.0)


def test_main_prints_p_r_f1_last(tmp_path, monkeypatch, capsys):
    import tessera.analyze as ta

    (tmp_path / "dev_revised.json").write_text(json.dumps([record(GOLD_LABELS)]), encoding="utf-8")
    monkeypatch.setattr(ta, "load_pipeline", lambda: None)
    monkeypatch.setattr(ta, "analyze_text", lambda text, origin="", nlp=None: analysis(PERFECT[:3]))
    assert rd.main(["--split", "dev", "--data", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-3:] == ["P 100.00", "R 50.00", "F1 66.67"]
    assert "documents/s" in lines[-4]


def test_predictions_about_entities_outside_the_gold_are_told_apart():
    tallies = score([("e0", "founded_by", "e1", None), ("e0", "founded_on", None, "1999")])
    total = rd.micro(tallies)
    assert (total.pred, total.pred_ok, total.pred_known) == (2, 1, 1)  # no gold TIME entity reads 1999
