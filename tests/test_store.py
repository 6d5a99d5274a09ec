"""Store: documents, analyses, failures, derived knowledge and search, with hand-made models."""
from __future__ import annotations

import hashlib

import pytest

from tessera.errors import NotFoundError
from tessera.models import (
    Conflict, Document, DocumentAnalysis, Entity, Event, EventClaim, Evidence, Filler, LocalEntity,
    Mention, Merge, Quantity, Region, Relation, RelationClaim, ValueWithEvidence,
)
from tessera.store import SearchHit, Store
from tessera.store.codec import decode_analysis, encode_analysis
from tessera.store.knowledge import alias_key

TEXT = (
    "Attack at Kabul airport. Militants of the Haqqani Network attacked the airport on 3 May 2014. "
    "At least 12 people were killed, a spokesman said."
)


def make_document(text: str = TEXT, origin: str = "corpus/kabul.txt") -> Document:
    doc_id = hashlib.sha256(text.encode()).hexdigest()
    return Document(
        id=doc_id, origin=origin, text=text, title="Attack at Kabul airport", published="2014-05",
        regions=(Region("title", 0, 24), Region("body", 25, len(text))), media_type="text/html",
    )


def ev(doc: Document, start: int, end: int, **kw: object) -> Evidence:
    return Evidence(doc.id, start, end, doc.text[start:end], extractor="rules.test.v1", **kw)


def make_analysis(doc: Document) -> DocumentAnalysis:
    text = doc.text
    h = text.index("Haqqani Network")
    k = text.index("Kabul")
    killed = text.index("At least 12")
    return DocumentAnalysis(
        document=doc.id,
        entities=(
            LocalEntity("e0", "organization", "Haqqani Network", ("Haqqani Network",),
                        (Mention(h, h + 15, "Haqqani Network"),), acronyms=("HQN",)),
            LocalEntity("e1", "location", "Kabul", ("Kabul",), (Mention(k, k + 5, "Kabul"),)),
        ),
        relations=(
            RelationClaim("e0", "based_in", ev(doc, h, h + 15, hedge="believed"), object="e1"),
            RelationClaim("e0", "founded_on", ev(doc, h, h + 15), value="1970s", ended=True),
        ),
        events=(
            EventClaim(
                "attack", (ev(doc, 25, 93), ev(doc, killed, killed + 30, attributed_to="a spokesman")),
                subtype="armed", date="2014-05-03", locations=("e1",), perpetrators=("e0",),
                targets=(Filler("the airport", (ev(doc, 25, 93),)),),
                victims=(Filler("Haqqani Network", (ev(doc, h, h + 15),), entity="e0"),),
                killed=(Quantity(12, "at least", ev(doc, killed, killed + 11, confidence=0.75)),),
            ),
        ),
        sentences=((0, 24), (25, 93), (94, len(text))),
        extractors=("rules.test.v1", "rules.events.v1"),
    )


def make_knowledge(doc: Document) -> dict:
    h = doc.text.index("Haqqani Network")
    k = doc.text.index("Kabul")
    n = doc.text.index("At least 12")
    haqqani = Entity("org:haqqani", "Haqqani Network", "organization",
                     ("Haqqani Network", "the Haqqani-Network", "Haqqanis'"), documents=1, mentions=5)
    kabul = Entity("loc:kabul", "Kabul", "location", ("Kabul", "Kābul"), documents=1, mentions=2)
    hq = Entity("org:hq", "Haqqani Shura", "organization", (), documents=1, mentions=1)
    based = Relation("r1", "org:haqqani", "based_in", (ev(doc, h, h + 15), ev(doc, k, k + 5, comment=True)),
                     object="loc:kabul", date="2014")
    founded = Relation("r2", "org:haqqani", "founded_on", (ev(doc, h, h + 15),), value="1970s", ended=True)
    attack = Event(
        "ev1", "attack", (ev(doc, 25, 93),), subtype="armed", date="2014-05-03", locations=("loc:kabul",),
        perpetrators=("org:haqqani",), targets=(Filler("the airport", (ev(doc, 25, 93), ev(doc, n, n + 11))),),
        attackers=(Filler("Haqqani fighters", (ev(doc, h, h + 15),), entity="org:haqqani"),),
        killed=(ValueWithEvidence(12, (ev(doc, n, n + 11), ev(doc, n, n + 30))),
                ValueWithEvidence(15, (ev(doc, n + 3, n + 11),))),
        dates=(ValueWithEvidence("2014-05-03", (ev(doc, 80, 93),)),),
    )
    conflict = Conflict("c1", "ev1", "killed", attack.killed)
    return dict(
        entities=[kabul, haqqani, hq],
        merges=[Merge("org:haqqani", "Haqqanis'", "Haqqani Network", "possessive variant")],
        mention_entity=[(doc.id, "e0", "org:haqqani"), (doc.id, "e1", "loc:kabul")],
        relations=[based, founded], events=[attack], conflicts=[conflict],
    )


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "kb.db") as s:
        yield s


def test_codec_round_trip_is_exact():
    doc = make_document()
    analysis = make_analysis(doc)
    back = decode_analysis(encode_analysis(analysis))
    assert back == analysis
    assert isinstance(back.sentences, tuple) and isinstance(back.sentences[0], tuple)
    assert isinstance(back.events[0].killed[0].evidence, Evidence)


def test_add_document_round_trip(store):
    doc = make_document()
    analysis = make_analysis(doc)
    assert not store.has_document(doc.id)
    store.add_document(doc, analysis)
    assert store.has_document(doc.id)
    assert list(store.analyses()) == [analysis]
    assert store.documents() == [doc]
    assert store.document(doc.id) == doc
    assert store.document_origin(doc.id) == doc.origin
    assert store.document_status() == {"ok": 1, "latest": 1, "failed": 0}
    assert store.stats()["sentences"] == 3
    with pytest.raises(NotFoundError):
        store.document("nope")


def test_add_document_twice_replaces_it(store):
    doc = make_document()
    store.add_document(doc, make_analysis(doc))
    store.add_document(doc, make_analysis(doc))
    assert store.stats()["documents"] == 1 and store.stats()["sentences"] == 3
    assert len(store.search("airport")) == 2


def test_add_documents_stores_many_in_one_go_like_add_document(store):
    first = make_document()
    second = make_document(TEXT + " Later.", origin="corpus/later.txt")
    store.add_documents([(first, make_analysis(first)), (second, make_analysis(second))])
    assert {d.id for d in store.documents()} == {first.id, second.id}
    assert list(store.analyses()) == [make_analysis(first), make_analysis(second)]  # by origin
    assert store.stats()["sentences"] == 6
    assert {h.document for h in store.search("airport")} == {first.id, second.id}
    bad = make_document(TEXT + " Again.", origin="corpus/again.txt")
    with pytest.raises(ValueError):
        store.add_documents([(bad, make_analysis(first))])  # an analysis of another document
    assert store.stats()["documents"] == 2


def test_new_version_of_an_origin(store):
    old = make_document()
    new = make_document(TEXT.replace("said", "told reporters"))
    other = make_document("Another text about Herat.", origin="corpus/a.txt")
    for d in (old, new, other):
        store.add_document(d, make_analysis(d) if d is not other else DocumentAnalysis(d.id, (), (), ()))
    assert [d.id for d in store.documents()] == [other.id, old.id, new.id]
    assert [d.id for d in store.latest_documents()] == [other.id, new.id]
    assert [a.document for a in store.analyses()] == [other.id, new.id]
    assert [a.document for a in store.analyses(latest_only=False)] == [other.id, old.id, new.id]
    assert {h.document for h in store.search("killed")} == {new.id}


def test_failure_recorded_then_cleared(store):
    doc = make_document()
    store.add_failure(doc.origin, "analysis crashed", document=doc)
    store.add_failure("corpus/broken.pdf", "unsupported media type")
    assert store.failures() == [("corpus/broken.pdf", "unsupported media type"),
                                (doc.origin, "analysis crashed")]
    assert not store.has_document(doc.id)
    assert store.document(doc.id) == doc  # kept for inspection
    assert store.documents() == []
    assert store.document_status()["failed"] == 2
    store.add_document(doc, make_analysis(doc))
    assert store.failures() == [("corpus/broken.pdf", "unsupported media type")]
    assert store.has_document(doc.id)


def test_replace_knowledge_then_read(store):
    doc = make_document()
    store.add_document(doc, make_analysis(doc))
    k = make_knowledge(doc)
    store.replace_knowledge(**k)
    assert [e.id for e in store.entities()] == ["org:haqqani", "loc:kabul", "org:hq"]
    assert [e.id for e in store.entities("location")] == ["loc:kabul"]
    assert store.entity("org:haqqani") == k["entities"][1]
    with pytest.raises(NotFoundError, match="known: organization"):
        store.entities("weapon")
    with pytest.raises(NotFoundError):
        store.entity("org:none")
    assert store.merges() == k["merges"] and store.merges("loc:kabul") == []
    assert store.mention_entities("loc:kabul") == [(doc.id, "e1", "loc:kabul")]
    assert store.relations() == k["relations"]
    assert store.relations("loc:kabul") == [k["relations"][0]]
    assert store.events() == k["events"] and store.events("loc:kabul") == k["events"]
    assert store.events("org:haqqani") == k["events"] and store.events("org:hq") == []
    assert store.conflicts() == k["conflicts"]
    assert store.stats()["evidence"] == 3 + 1 + 4 + 3 + 3  # two target mentions, one attacker
    # rebuilt whole: a second call leaves only the new rows
    store.replace_knowledge(entities=k["entities"][:1], merges=[], mention_entity=[],
                            relations=[], events=[], conflicts=[])
    assert [e.id for e in store.entities()] == ["loc:kabul"]
    assert store.stats()["evidence"] == 0 and store.relations() == []


def test_reads_of_some_conflicts_and_of_names_by_id(store):
    doc = make_document()
    store.add_document(doc, make_analysis(doc))
    k = make_knowledge(doc)
    store.replace_knowledge(**k)
    (conflict,) = k["conflicts"]
    assert store.conflicts(about=[conflict.about]) == [conflict]
    assert store.conflicts(about=["no-such-fact"]) == [] and store.conflicts(about=[]) == []
    # every fact of an entity named across a large kb: more ids than SQLite takes parameters (32,766 by default,
    # 250,000 in Debian's build)
    assert store.conflicts(about=[f"fact-{i}" for i in range(260_000)] + [conflict.about]) == [conflict]
    assert store.conflicts(limit=1) == [conflict] and store.conflicts(limit=1, offset=1) == []
    assert store.entity_refs(["loc:kabul", "org:none"]) == {"loc:kabul": ("Kabul", "location")}
    assert store.document_refs([doc.id, "nope"]) == {doc.id: (doc.origin, doc.title)}
    event = k["events"][0]
    assert store.events(ids=[event.id]) == [event] and store.events(ids=[]) == []
    assert store.relations(ids=[k["relations"][0].id]) == [k["relations"][0]]


# how to take a file back to the schema before a migration (as a file written by an older Tessera would be)
_UNDO = {
    8: "DROP TABLE entity_counts; DROP INDEX event_entities_latest; DROP INDEX relations_subject_support;"
       " DROP INDEX relations_object_support; DROP INDEX relations_subject_latest; DROP INDEX relations_object_latest;"
       " DROP INDEX relations_pair; DROP INDEX entities_documents; DROP INDEX entities_type; ALTER TABLE relations DROP COLUMN documents;"
       " DROP INDEX relations_latest; CREATE INDEX relations_latest ON relations (date IS NULL, date DESC, rank, position);"
       " DROP INDEX events_latest; CREATE INDEX events_latest ON events (date IS NULL, date DESC, rank, position);"
       " DROP INDEX mention_entities_entity_document; CREATE INDEX mention_entities_entity ON mention_entities (entity);"
       " CREATE INDEX relations_subject ON relations (subject); CREATE INDEX relations_object ON relations (object);"
       " ALTER TABLE event_entities DROP COLUMN date; ALTER TABLE event_entities DROP COLUMN rank;"
       " ALTER TABLE event_entities DROP COLUMN position;",
    7: "DROP TABLE event_entities; DROP INDEX conflicts_about; DROP INDEX relations_latest;"
       " DROP INDEX events_latest; DROP INDEX documents_copies; DROP INDEX documents_latest;",
    9: "DELETE FROM knowledge_state WHERE name = 'full';",
    10: "ALTER TABLE accounts DROP COLUMN position; DELETE FROM knowledge_state WHERE name = 'full';",
    11: "DROP TABLE signature_bands;",
    12: "DROP TABLE entity_places; DELETE FROM knowledge_state WHERE name IN ('full', 'places');",
    13: "DELETE FROM knowledge_state WHERE name = 'full';",
    14: "ALTER TABLE accounts DROP COLUMN weighing; DELETE FROM knowledge_state WHERE name = 'full';",
}


def _back_to(path, version: int) -> None:
    import sqlite3

    from tessera.store import schema

    conn = sqlite3.connect(path)
    for v in range(schema.LATEST_VERSION, version, -1):
        conn.executescript(_UNDO[v] + f" DELETE FROM schema_version WHERE version = {v};")
    conn.close()


def test_events_of_an_entity_after_migrating_a_file_without_the_event_index(tmp_path):
    path = tmp_path / "kb.db"
    doc = make_document()
    k = make_knowledge(doc)
    with Store.open(path) as store:
        store.add_document(doc, make_analysis(doc))
        store.replace_knowledge(**k)
    _back_to(path, 6)
    with Store.open(path) as store:
        assert store.events("loc:kabul") == k["events"] and store.events("org:haqqani") == k["events"]
        assert store.events("org:hq") == []
        assert store.events("loc:kabul", limit=1) == k["events"]


def test_counts_and_pages_after_migrating_a_file_without_them(tmp_path):
    """Migration 8 fills the per-fact support, the events' order beside each entity and the per-entity counts
    of the knowledge already stored, as a build writes them."""
    path, fresh = tmp_path / "kb.db", tmp_path / "fresh.db"
    doc = make_document()
    k = make_knowledge(doc)
    for p in (path, fresh):
        with Store.open(p) as store:
            store.add_document(doc, make_analysis(doc))
            store.replace_knowledge(**k)
    _back_to(path, 7)
    with Store.open(path) as old, Store.open(fresh) as new:
        for store in (old, new):
            assert store.fact_counts("org:haqqani") == (2, 1) and store.fact_counts("loc:kabul") == (1, 1)
            assert store.fact_counts("org:hq") == (0, 0) and store.sources_of_entity("org:haqqani") == 1
            assert [e.id for e, n in store.most_connected()] == ["org:haqqani", "loc:kabul"]
            assert [r.id for r in store.relations("org:haqqani", limit=1)] == ["r1"]  # 1 document (a comment aside)
            assert [r.id for r in store.relations("org:haqqani", limit=1, offset=1)] == ["r2"]
            assert [r.id for r in store.relations("org:haqqani", limit=5, latest=True)] == ["r1", "r2"]
            assert store.events("org:haqqani", limit=1) == k["events"]
            assert store.events("org:haqqani", limit=1, offset=1) == []
    assert _rows(path) == _rows(fresh)


def _rows(path) -> list:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return [conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("relations", "event_entities", "entity_counts")]
    finally:
        conn.close()


def test_replace_knowledge_rejects_dangling_and_unevidenced(store):
    doc = make_document()
    k = make_knowledge(doc)
    bad = Relation("r9", "org:ghost", "based_in", (ev(doc, 0, 6),), object="loc:kabul")
    with pytest.raises(ValueError, match="org:ghost"):
        store.replace_knowledge(**{**k, "relations": [bad]})
    with pytest.raises(ValueError, match="no evidence"):
        store.replace_knowledge(**{**k, "relations": [Relation("r9", "org:hq", "based_in", (), object="loc:kabul")],
                                   "conflicts": []})
    assert store.entities() == []  # the failed transaction left nothing


@pytest.mark.parametrize("name", ["haqqani network", "HAQQANI-NETWORK", "The Haqqani Network",
                                  "Haqqanis", "haqqanis’", "  the   haqqani  network "])
def test_find_entities_by_alias_key(store, name):
    doc = make_document()
    store.replace_knowledge(**make_knowledge(doc))
    assert [e.id for e in store.find_entities(name)][0] == "org:haqqani"


def test_find_entities_exact_then_prefix_and_accents(store):
    store.replace_knowledge(**make_knowledge(make_document()))
    assert [e.id for e in store.find_entities("Haqqani")] == ["org:haqqani", "org:hq"]
    assert [e.id for e in store.find_entities("kabul")] == ["loc:kabul"]
    assert [e.id for e in store.find_entities("KĀBUL")] == ["loc:kabul"]
    assert store.find_entities("") == [] and store.find_entities("Herat") == []


def test_alias_key():
    assert alias_key("The  Lashkar-e-Ṭayyiba") == "lashkar e tayyiba"
    assert alias_key("Mullah O’Mar") == "mullah omar"
    assert alias_key("Theodore") == "theodore"


def test_search_pages_through_many_equal_matches_newest_versions_only(store):
    # 150 copies of one story (equal ranks: ties broken by origin), and an older version of each of 40 of
    # them that must not show: more than the first batch the index is asked for
    docs = []
    for i in range(150):
        if i < 40:
            old = make_document(TEXT + f" Old {i}.", origin=f"corpus/{i:03d}.txt")
            store.add_document(old, make_analysis(old))
        doc = make_document(TEXT + f" Copy {i}.", origin=f"corpus/{i:03d}.txt")
        store.add_document(doc, make_analysis(doc))
        docs.append(doc)
    every = store.search("spokesman", limit=1000)
    assert [h.document for h in every] == [d.id for d in docs]  # one sentence each, in origin order
    assert store.search("spokesman", limit=7, offset=90) == every[90:97]
    assert store.search("spokesman", limit=5, offset=20) == every[20:25]  # ties past the first batch
    assert len(store.search("spokesman", limit=1000, latest_only=False)) == 190
    assert store.search("spokesman", limit=5, offset=148) == every[148:]
    assert all("a [spokesman] said" in h.snippet for h in every)


def test_search_lists_the_newest_first_when_too_many_sentences_match(store, monkeypatch):
    from tessera.store import sqlite

    docs = []
    for i in range(5):
        doc = make_document(TEXT + " Reported" + " again" * i + ".", origin=f"corpus/{i}.txt")
        store.add_document(doc, make_analysis(doc))
        docs.append(doc)
    ranked = store.search("spokesman")
    assert [h.document for h in ranked] == [d.id for d in docs]  # shortest sentence ranks first
    monkeypatch.setattr(sqlite, "RANKED_MATCHES", 4)
    newest = store.search("spokesman")
    assert [h.document for h in newest] == [d.id for d in reversed(docs)]
    assert store.search("spokesman", limit=2, offset=1) == newest[1:3]
    assert [h.document for h in store.search("killed spokesman")] == [h.document for h in newest]  # every word
    assert store.search("spokesman", limit=10, offset=5) == []


def test_snippet_marks_words_begun_by_the_query_and_cuts_long_sentences():
    from tessera.store.sqlite import snippet

    assert snippet("Gunmen attacked Tillabéri on Sunday.", ["tillaberi", "attack"]) == (
        "Gunmen [attacked] [Tillabéri] on Sunday.")
    long = " ".join(f"w{i}" for i in range(40)) + " spokesman " + " ".join(f"v{i}" for i in range(40)) + "."
    cut = snippet(long, ["spokesman"], tokens=16)
    assert cut.startswith("…") and cut.endswith("…") and "[spokesman]" in cut
    assert len(cut.strip("…").split()) == 16
    assert snippet("No match here.", ["army"]) == "No match here."


def test_search_finds_a_sentence(store):
    doc = make_document()
    store.add_document(doc, make_analysis(doc))
    hits = store.search("airport attack")
    assert hits and all(isinstance(h, SearchHit) for h in hits)
    hit = hits[0]
    assert hit.origin == doc.origin and hit.title == doc.title
    assert doc.text[hit.start:hit.end] == hit.sentence
    assert "[" in hit.snippet and "]" in hit.snippet
    assert [h.start for h in store.search("militant haqqani")] == [25]  # prefix match
    assert len(store.search("airport", limit=1)) == 1


@pytest.mark.parametrize("query", ['"airport" AND (', "near/3", "*", "NEAR(airport kabul)", "-", "^",
                                   "airport OR", 'a"b', "col:airport", "", "   "])
def test_search_with_fts_syntax_never_raises(store, query):
    doc = make_document()
    store.add_document(doc, make_analysis(doc))
    assert isinstance(store.search(query), list)


def test_an_analysis_stored_before_role_fillers_still_decodes():
    import json

    doc = make_document()
    data = json.loads(encode_analysis(make_analysis(doc)))
    data["events"][0]["victims"] = ["e0"]  # the old shape: a named victim's entity id, no evidence
    data["events"][0]["targets"] = []
    back = decode_analysis(json.dumps(data))
    assert back.events[0].victims == () and back.events[0].killed == make_analysis(doc).events[0].killed


def test_the_claims_of_a_stored_analysis_decode_alone_as_they_are_in_the_whole(example_kb):
    """A refresh reads only the claims of the documents it reconciles (``Store.claims_of``): the same
    claims, persons' names and extractors as the whole analysis gives, without its mentions."""
    from tessera.store.codec import decode_claims

    analyses = list(example_kb.store.analyses())
    assert sum(len(a.events) for a in analyses) >= 10
    for a in analyses:
        lean = decode_claims(encode_analysis(a))
        assert lean == a.claims_only()
        assert lean.events == a.events and lean.relations == a.relations
        assert all(e.type == "person" and not e.mentions for e in lean.entities)
    stored = example_kb.store.claims_of([a.document for a in analyses[:3]])
    assert stored == {a.document: a.claims_only() for a in analyses[:3]}
    # every field of a person is kept, the acronyms the document defines for one among them
    from dataclasses import replace

    from tessera.models import LocalEntity, Mention

    person = LocalEntity(id="e9", type="person", name="Abu Bakr al-Baghdadi", names=("Abu Bakr al-Baghdadi",),
                         mentions=(Mention(0, 20, "Abu Bakr al-Baghdadi"),), acronyms=("ABB",))
    with_acronym = replace(analyses[0], entities=analyses[0].entities + (person,))
    assert decode_claims(encode_analysis(with_acronym)) == with_acronym.claims_only()


def test_a_file_indexed_before_copies_followed_their_originals_is_refreshed_whole_once(tmp_path):
    """Migration 9: a file whose index keys copies' local entities by their names (before they followed
    their originals', tessera.refresh) asks for one whole refresh; an empty one does not."""
    path, empty = tmp_path / "kb.db", tmp_path / "empty.db"
    doc = make_document()
    for p, docs in ((path, [doc]), (empty, [])):
        with Store.open(p) as store:
            for d in docs:
                store.add_document(d, make_analysis(d))
                store.replace_knowledge(**make_knowledge(d))
            assert not store.needs_full_refresh()
        _back_to(p, 8)
    with Store.open(path) as old, Store.open(empty) as new:
        assert old.needs_full_refresh() and not new.needs_full_refresh()


def test_a_file_built_before_band_keys_finds_the_copies_of_a_new_document(tmp_path):
    """A file made before the LSH band keys were stored (schema 10) gets them at the next build, which then finds
    the stored original of a new copy."""
    import tessera
    from tests.conftest import EXAMPLES

    story = (EXAMPLES / "106_tera_bombing.txt").read_text(encoding="utf-8")
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    (first / "tera.txt").write_text(story, encoding="utf-8")
    (later / "tera_syndicated.txt").write_text(story + "\nDistributed by a syndication service.\n", encoding="utf-8")
    with tessera.open(tmp_path / "kb.db") as kb:
        kb.build([first])
    _back_to(tmp_path / "kb.db", 10)
    with tessera.open(tmp_path / "kb.db") as kb:
        kb.build([later])
        copies = {kb.store.document_origin(d): kb.store.document_origin(h) for d, h in kb.duplicate_of().items()}
    assert copies == {str(later / "tera_syndicated.txt"): str(first / "tera.txt")}  # the same day: by origin
