"""Floors on the development corpora about invented groups (benchmarks/corpora): they must not drop.

These corpora were written without looking at the rules, so they check that extraction
carries over to groups Tessera was not tuned on. Figures: benchmarks/eval_corpora.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import tessera

CORPORA = Path(__file__).resolve().parents[1] / "benchmarks" / "corpora"
FLOORS = {  # entity recall, relation recall, relation precision, share of key events found
    "andes": (0.90, 0.80, 0.90, 1.0),
    "horn": (0.90, 0.85, 0.85, 1.0),
    "levant": (0.85, 0.65, 0.75, 1.0),
    "sahel": (0.85, 0.75, 0.85, 1.0),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_development_corpus_meets_its_floors(name, tmp_path):
    ent_r, rel_r, rel_p, events = FLOORS[name]
    with tessera.open(tmp_path / "kb.db") as kb:
        kb.build([CORPORA / name])
        r = kb.evaluate(CORPORA / name / "key.yaml")
    assert r.entities.recall >= ent_r
    assert r.relations.recall >= rel_r and r.relations.precision >= rel_p
    assert r.events.recall >= events
    assert not r.false_conflicts and not r.noise_violations
