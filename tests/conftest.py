"""Shared fixtures: knowledge bases built once per session from the example corpus and the seeds."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "corpus"
EXAMPLES_KEY = REPO / "examples" / "corpus-key.yaml"
SHARED = REPO.parent / "shared" / "corpus"
SEEDS = SHARED / "seeds"
SEEDS_KEY = SHARED / "seeds-key.yaml"


@pytest.fixture(scope="session")
def example_kb(tmp_path_factory):
    import tessera

    path = tmp_path_factory.mktemp("kb") / "examples.db"
    kb = tessera.open(path)
    report = kb.build([EXAMPLES])
    assert report.added and not report.failed
    yield kb
    kb.close()


@pytest.fixture(scope="session")
def seeds_kb(tmp_path_factory):
    if not SEEDS.is_dir():
        pytest.skip(f"the sample corpus is not here ({SEEDS}); it lives in ../shared, present in CI")
    import tessera

    path = tmp_path_factory.mktemp("kb") / "seeds.db"
    kb = tessera.open(path)
    kb.build([SEEDS])
    yield kb
    kb.close()


@pytest.fixture(scope="session")
def examples_db_closed(tmp_path_factory) -> Path:
    """The example corpus built into its own file and closed: for the web app, which opens it read-only."""
    from tessera.kb import KnowledgeBase

    path = tmp_path_factory.mktemp("web") / "examples.db"
    with KnowledgeBase.open(path) as kb:
        report = kb.build([EXAMPLES])
    assert len(report.added) == 8 and not report.failed
    return path
