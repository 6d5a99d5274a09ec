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


# The crowded knowledge base: more facts than a read returns by default (tessera.kb.PROFILE_LIMIT 50,
# TIMELINE_LIMIT 200, CONFLICTS_LIMIT 25), written through the store in a second.
CROWDED = {"relations": 60, "supported": 10, "events": 230, "conflicts": 40}


@pytest.fixture(scope="session")
def crowded_db(tmp_path_factory) -> Path:
    """One organization ("Crowded Front", ``ent-big``) with 60 relations to as many others (the 10 with the
    highest ids said in two documents, the rest in one; relation ``i`` dated 2000 + i), 230 attacks it is
    named the perpetrator of, one a day from 2001-01-01, and 40 conflicts about the latest 40 attacks' toll."""
    import hashlib
    from datetime import date, timedelta

    from tessera.models import (Conflict, Document, DocumentAnalysis, Entity, Event, Evidence, LocalEntity, Mention,
                                Relation, ValueWithEvidence)
    from tessera.store import Store

    texts = ["Crowded Front fighters attacked a village. Three people were killed, police said.",
             "Crowded Front again: five people were killed, a witness said. The group denied it."]
    docs = [Document(hashlib.sha256(t.encode()).hexdigest(), f"crowded/{i}.txt", t, title=None, published="2001")
            for i, t in enumerate(texts)]

    def evidence(doc: Document, start: int = 0, end: int = 13) -> Evidence:
        return Evidence(doc.id, start, end, doc.text[start:end], extractor="rules.test.v1")

    n = CROWDED
    others = [Entity(f"ent-other{i:03d}", f"Other Group {i}", "organization", (), 1, 1) for i in range(n["relations"])]
    big = Entity("ent-big", "Crowded Front", "organization", (), 2, 2 + n["events"])
    relations = [Relation(f"rel{i:03d}", "ent-big", "allied_with",
                          tuple(evidence(d) for d in (docs if i >= n["relations"] - n["supported"] else docs[:1])),
                          object=o.id, date=str(2000 + i % 24))
                 for i, o in enumerate(others)]
    first = date(2001, 1, 1)
    events = []
    for i in range(n["events"]):
        killed = (ValueWithEvidence(3, (evidence(docs[0], 43, 58),)), ValueWithEvidence(5, (evidence(docs[1], 19, 35),)))
        events.append(Event(f"evt{i:03d}", "attack", (evidence(docs[i % 2]),), date=(first + timedelta(i)).isoformat(),
                            perpetrators=("ent-big",), killed=killed if i >= n["events"] - n["conflicts"] else killed[:1]))
    conflicts = [Conflict(f"cfl{i:03d}", e.id, "killed", e.killed) for i, e in enumerate(events[-n["conflicts"]:])]
    path = tmp_path_factory.mktemp("crowded") / "crowded.db"
    with Store.open(path) as store:
        for doc in docs:
            store.add_document(doc, DocumentAnalysis(
                doc.id, (LocalEntity("e0", "organization", "Crowded Front", ("Crowded Front",),
                                     (Mention(0, 13, "Crowded Front"),)),),
                (), (), ((0, len(doc.text)),), ("rules.test.v1",)))
        store.replace_knowledge([big, *others], [], [(d.id, "e0", "ent-big") for d in docs], relations, events,
                                conflicts)
    return path
