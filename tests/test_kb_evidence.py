"""No claim without evidence, and every evidence quote is exactly the document text it points at."""
from __future__ import annotations

import pytest


def _all_evidence(kb):
    for r in kb.relations():
        assert r.evidence, f"relation {r.id} has no evidence"
        yield from r.evidence
    for ev in kb.events():
        assert ev.evidence, f"event {ev.id} has no evidence"
        yield from ev.evidence
        for v in ev.killed + ev.wounded + ev.dates:
            assert v.evidence, f"a value of event {ev.id} has no evidence"
            yield from v.evidence
    for c in kb.conflicts(limit=None):
        assert len(c.values) >= 2
        for v in c.values:
            assert v.evidence, f"conflict {c.id} has a value without evidence"
            yield from v.evidence


@pytest.mark.parametrize("which", ["example_kb", "seeds_kb"])
def test_every_claim_has_evidence_and_quotes_match_the_text(which, request):
    kb = request.getfixturevalue(which)
    texts = {d.id: d.text for d in kb.store.documents()}
    count = 0
    for e in _all_evidence(kb):
        assert e.document in texts
        assert texts[e.document][e.start:e.end] == e.quote
        count += 1
    assert count > 20


@pytest.mark.parametrize("which", ["example_kb", "seeds_kb"])
def test_no_claim_rests_on_furniture_or_comments(which, request):
    kb = request.getfixturevalue(which)
    docs = {d.id: d for d in kb.store.documents()}
    for e in _all_evidence(kb):
        regions = [r for r in docs[e.document].regions if r.start <= e.start < r.end]
        assert regions and regions[0].kind in ("title", "body"), (e.quote, regions)
        assert e.end <= regions[0].end


def test_rebuilding_the_same_files_changes_nothing(example_kb):
    from tests.conftest import EXAMPLES

    before = example_kb.store.stats()
    report = example_kb.build([EXAMPLES])
    assert not report.added and len(report.unchanged) >= 6
    assert example_kb.store.stats() == before


def test_export_has_the_documented_fields(example_kb):
    recs = list(example_kb.export_records())
    kinds = {r["kind"] for r in recs}
    assert {"document", "entity", "relation", "event", "conflict"} <= kinds
    fields = {
        "document": {"id", "origin", "title", "published", "source", "status"},
        "entity": {"id", "name", "type", "aliases"},
        "relation": {"id", "subject", "predicate", "object", "value", "date", "evidence"},
        "event": {"id", "type", "subtype", "date", "locations", "perpetrators", "claimed_by", "subject", "killed", "wounded", "evidence"},
        "conflict": {"id", "about", "field", "values"},
    }
    ids = {r["id"] for r in recs if r["kind"] == "entity"}
    for r in recs:
        assert fields[r["kind"]] <= set(r), r["kind"]
        if r["kind"] == "relation":
            assert r["subject"] in ids and (r["object"] is None or r["object"] in ids)
            ev = r["evidence"][0]
            assert {"document", "start", "end", "quote", "attributed_to", "hedge", "comment"} <= set(ev)
