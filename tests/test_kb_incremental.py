"""A knowledge base is the same whatever the order and the number of builds its documents came in:
A and B built at once, A then B, B then A, A+B+C then C removed -- all export the same records."""
from __future__ import annotations

import json
import shutil

import pytest

import tessera
from tessera.engines import LocalEngine
from tests.conftest import EXAMPLES, REPO

CORPORA = sorted(p for p in (REPO / "benchmarks" / "corpora").iterdir() if p.is_dir())
_ANALYSES: dict = {}  # document id -> analysis: a pure function of the document, so worked out once


class MemoEngine:
    """The local engine, remembering each document's analysis across the builds of this module."""

    name = "memo"

    def map(self, documents):
        documents = list(documents)
        todo = [d for d in documents if d.id not in _ANALYSES]
        for document, result in LocalEngine().map(todo):
            _ANALYSES[document.id] = result
        for document in documents:
            yield document, _ANALYSES[document.id]


def build(path, *batches) -> tessera.KnowledgeBase:
    kb = tessera.open(path)
    for batch in batches:
        kb.build(batch, engine=MemoEngine())
    return kb


def export(kb) -> list[str]:
    """Every exported record, as canonical JSON, sorted: the order of records is not compared, every field is."""
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in kb.export_records())


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """Two near-copies of an example story: one the same day under another headline with a figure edited,
    one without its date."""
    folder = tmp_path_factory.mktemp("copies")
    story = (EXAMPLES / "101_ayorou_ambush.txt").read_text(encoding="utf-8")
    (folder / "ayorou_wire.txt").write_text(
        story.replace("Fourteen Soldiers Killed in Ambush Near Niger's Border With Mali",
                      "Niger: soldiers die in convoy ambush near Ayorou")
        .replace("nine others wounded", "10 others wounded"), encoding="utf-8")
    (folder / "ayorou_undated.txt").write_text(story.replace("Published: 11 May 2021\n\n", ""), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def parts(copies):
    """A: the examples and one development corpus; B: the other development corpora; C: copies of an A story."""
    return [EXAMPLES, CORPORA[0]], CORPORA[1:], [copies]


@pytest.fixture(scope="module")
def at_once(parts, tmp_path_factory):
    a, b, c = parts
    with build(tmp_path_factory.mktemp("once") / "kb.db", a + b + c) as kb:
        records = export(kb)
        assert kb.duplicate_of(), "the copies were not taken for copies: the test would prove less"
        return records


@pytest.mark.slow
def test_building_in_several_builds_in_any_order_gives_the_knowledge_base_built_at_once(parts, at_once, tmp_path):
    a, b, c = parts
    with build(tmp_path / "abc.db", a, b, c) as kb:
        assert export(kb) == at_once
    with build(tmp_path / "cba.db", c, b, a) as kb:
        assert export(kb) == at_once
