"""The example corpus, built end to end, scored against its key: floors that must not drop."""
from __future__ import annotations

from tests.conftest import EXAMPLES_KEY


def test_example_corpus_meets_its_floors(example_kb):
    r = example_kb.evaluate(EXAMPLES_KEY)
    assert r.entities.recall >= 0.9
    assert r.relations.recall >= 0.9 and r.relations.precision >= 0.9
    assert r.events.recall == 1.0 and r.conflicts.recall == 1.0
    assert not r.false_conflicts and not r.noise_violations


def test_any_alias_finds_the_profile(example_kb):
    by_acronym = example_kb.profile("GLA")
    by_name = example_kb.profile("gourma liberation army")
    assert by_acronym.entity.id == by_name.entity.id
    preds = {r.predicate for r in by_name.relations}
    assert {"founded_by", "led_by", "based_in"} <= preds


def test_death_toll_disagreement_is_a_conflict_with_both_sides(example_kb):
    killed = [c for c in example_kb.conflicts(limit=None) if c.field == "killed"]
    assert killed
    values = {str(v.value) for v in killed[0].values}
    assert {"14", "17"} <= values
    docs = {e.document for v in killed[0].values for e in v.evidence}
    assert len(docs) >= 2


def test_founding_precision_is_not_a_conflict(example_kb):
    founded = [r for r in example_kb.relations() if r.predicate == "founded_on"]
    assert founded and founded[0].value == "2011"
    assert not [c for c in example_kb.conflicts(limit=None) if c.about == founded[0].id]
