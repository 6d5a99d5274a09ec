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


# Names the hostile knowledge base gives its entities after the build: markup a page must show as text.
HOSTILE_NAMES = ("<b>x</b>", "<img src=x onerror=alert('name')>", "</script><script>alert('name2')</script>")


@pytest.fixture(scope="session")
def hostile_db_closed(tmp_path_factory) -> Path:
    """A knowledge base built from documents full of markup and script, its top entities then renamed to markup.

    Every payload calls ``alert``, so a browser test sees any that runs as a dialog.
    """
    import dataclasses
    import json

    from tessera.kb import KnowledgeBase
    from tessera.store import Store

    folder = tmp_path_factory.mktemp("hostile")
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(
        "Gunmen attack <script>alert('title')</script> post\n\n"
        "NIAMEY, 3 March 2022 - Gunmen from the Gourma Liberation Army attacked an army post near Ouallam "
        "<img src=x onerror=alert('img')>, killing five soldiers, the defence ministry said.\n\n"
        "The Gourma Liberation Army is led by Souleymane Harouna <a href=\"javascript:alert('link')\">profile</a>, "
        "officials said. The group was founded by Amadou Tinibé in 2011 </script><script>alert('close')</script>.\n",
        encoding="utf-8")
    (corpus / "feed.jsonl").write_text(json.dumps({
        "title": "<script>alert('jsonl title')</script> Ambush near Ayorou",
        "url": "javascript:alert('origin')",
        "published": "2022-03-04",
        "text": "Fighters of the Gourma Liberation Army ambushed a convoy near Ayorou on 2 March 2022, killing "
                "seven soldiers <svg onload=alert('svg')>, the army said. Souleymane Harouna leads the group.",
    }) + "\n", encoding="utf-8")
    path = folder / "hostile.db"
    with KnowledgeBase.open(path) as kb:
        report = kb.build([corpus])
    assert len(report.added) == 2 and not report.failed
    with Store.open(path) as store:
        entities = sorted(store.entities(), key=lambda e: -e.mentions)
        renamed = {e.id: dataclasses.replace(e, name=name, aliases=(*e.aliases, name))
                   for e, name in zip([e for e in entities if e.type in ("organization", "person")], HOSTILE_NAMES)}
        store.replace_knowledge([renamed.get(e.id, e) for e in entities], store.merges(), store.mention_entities(),
                                store.relations(), store.events(), store.conflicts(), store.event_merges())
    return path
