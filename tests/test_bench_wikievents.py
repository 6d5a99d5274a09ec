"""The WikiEvents gold reader on one real dev document, and the export-to-groups mapping."""
from __future__ import annotations

import pytest

from benchmarks.wikievents import DEFAULT_DATA, document_text, gold_groups, load_split, predictions_from_records

DOC = "suicide_ied_114"


@pytest.fixture(scope="module")
def doc_and_clusters():
    if not (DEFAULT_DATA / "dev.jsonl").is_file():
        pytest.skip("WikiEvents dev data not present")
    docs, clusters = load_split(DEFAULT_DATA, "dev")
    doc = next(d for d in docs if d["doc_id"] == DOC)
    return doc, clusters[DOC]


def test_gold_groups_of_one_dev_document(doc_and_clusters):
    # "On the morning of 1 March 2019, Taliban gunmen and suicide bombers attacked Camp Shorabak in
    # Helmand Province, Afghanistan. They killed 23 Afghan soldiers and injured another 15. Twenty
    # insurgents were killed." Read by hand: the Attacker 'bombers' (cluster with 'They', also Killer
    # and Injurer) and 'gunmen' (clustered with the victims 'insurgents') are not names, so no
    # perpetrator; 'Afghanistan' clusters with 'Afghan'.
    doc, clusters = doc_and_clusters
    assert gold_groups(doc, clusters) == {
        "perpetrator": [],
        "target": [["Camp Shorabak"]],
        "victim": [["soldiers", "23"], ["15"], ["insurgents", "gunmen"]],
        "place": [["Helmand Province"], ["Afghan", "Afghanistan"]],
        "instrument": [],
    }


def test_perpetrators_kept_without_the_name_rule_when_named(doc_and_clusters):
    doc, clusters = doc_and_clusters
    # the same document with 'Taliban' joined to the bombers' cluster: now a named perpetrator
    merged = [c + ["suicide_ied_114-T1"] if "suicide_ied_114-T3" in c else c for c in clusters]
    assert gold_groups(doc, merged)["perpetrator"] == [["bombers", "They", "Taliban"]]


def test_document_text_separates_glued_sentences(doc_and_clusters):
    doc, _ = doc_and_clusters
    assert "Afghanistan.They killed" in doc["text"]  # the file glues its sentences together
    text = document_text(doc)
    assert text.startswith("On the morning of 1 March 2019, Taliban gunmen")
    assert "Afghanistan. They killed" in text and "another 15. Twenty insurgents" in text


def test_predictions_from_records_both_field_shapes():
    records = [
        {"kind": "entity", "id": "ent-1", "name": "Taliban", "aliases": ["the Taliban"]},
        {"kind": "entity", "id": "ent-2", "name": "Helmand", "aliases": []},
        {"kind": "entity", "id": "ent-3", "name": "Ahmad Khan", "aliases": ["Khan"]},
        {"kind": "event", "type": "attack", "locations": ["ent-2"], "perpetrators": ["ent-1"], "claimed_by": ["ent-1"],
         "subject": None, "targets": ["Camp Shorabak", "camp shorabak"]},
        {"kind": "event", "type": "attack", "locations": [], "perpetrators": [], "claimed_by": [], "subject": None,
         "targets": [{"value": "Afghan soldiers", "entity": None, "evidence": []}],
         "attackers": [{"value": "Taliban gunmen", "entity": "ent-1", "evidence": []}],
         "victims": [{"value": "Khan", "entity": "ent-3", "evidence": []}],
         "weapons": [{"value": "car bomb", "entity": None, "evidence": []}]},
        {"kind": "event", "type": "death", "locations": [], "perpetrators": [], "claimed_by": [], "subject": "ent-3",
         "targets": []},
    ]
    assert predictions_from_records(records) == {
        "perpetrator": [["Taliban", "the Taliban", "Taliban gunmen"]],
        "target": [["Camp Shorabak"], ["Afghan soldiers"]],
        "victim": [["Khan", "Ahmad Khan"]],
        "place": [["Helmand"]],
        "instrument": [["car bomb"]],
    }
