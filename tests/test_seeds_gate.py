"""Acceptance floors on the five sample articles (skipped where ../shared is absent)."""
from __future__ import annotations

import pytest

from tests.conftest import SEEDS_KEY

pytestmark = pytest.mark.seeds


def test_seeds_meet_the_acceptance_floors(seeds_kb):
    """The issue's floors are 0.90 / 0.70 / 0.60; these are the figures reached, so a drop shows."""
    r = seeds_kb.evaluate(SEEDS_KEY)
    assert r.entities.recall >= 0.95
    assert r.relations.recall >= 0.90
    assert r.relations.precision >= 0.75
    assert r.events.recall == 1.0
    assert r.conflicts.recall == 1.0
    assert not r.false_conflicts
    assert not r.noise_violations
