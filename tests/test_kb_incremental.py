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
    """Every exported record, as canonical JSON, sorted: the order of records is not compared, every field is;
    with what the store keeps for the workbench's reads beside them (per-entity counts, the first page of each
    entity's best-supported relations and latest events, the most connected entities) and each entity's merges in
    the order they were logged."""
    records = [json.dumps(r, sort_keys=True, ensure_ascii=False) for r in kb.export_records()]
    for e in kb.entities():
        p = kb.profile(e.id, limit=2)
        records.append(json.dumps({"entity_reads": e.id, "counts": [p.relation_count, p.event_count, p.sources],
                                   "relations": [r.id for r in p.relations], "events": [ev.id for ev in p.events],
                                   "timeline": [item.id for _d, _k, item in kb.timeline(e.id, limit=2)],
                                   "merges": [[m.name, m.into, m.reason] for m in kb.store.merges(e.id)]}))
    records.append(json.dumps({"most_connected": [(e.id, n) for e, n in kb.most_connected(None, 10**6)]}))
    return sorted(records)


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


@pytest.mark.slow
def test_removing_documents_gives_the_knowledge_base_built_without_them(parts, tmp_path):
    a, b, c = parts
    with build(tmp_path / "ab.db", a + b) as kb:
        without = export(kb)
    with build(tmp_path / "abc.db", a + b + c) as kb:
        origins = [str(p) for p in sorted(c[0].iterdir())]
        report = kb.remove([origins[0], kb.store.find_documents(origins[1])[0][:12], "no/such/file.txt"])
        assert report.unknown == ["no/such/file.txt"] and sorted(report.removed) == origins
        assert export(kb) == without
        assert not kb.store.stale_documents()
    # the original of the copies removed: a copy becomes the original, the other points at it
    with build(tmp_path / "copies.db", a + b + c) as kb:
        kb.remove([str(EXAMPLES / "101_ayorou_ambush.txt")])
        copies = {kb.store.document_origin(d): kb.store.document_origin(h) for d, h in kb.duplicate_of().items()}
        assert copies == {str(c[0] / "ayorou_undated.txt"): str(c[0] / "ayorou_wire.txt")}  # the dated one is earliest
        with build(tmp_path / "built.db", [p for p in [*a, *b] if p != EXAMPLES],
                   [p for p in sorted(EXAMPLES.iterdir()) if p.name != "101_ayorou_ambush.txt"], c) as fresh:
            assert export(kb) == export(fresh)


@pytest.mark.slow
@pytest.mark.parametrize("steps", [3])
def test_building_in_increments_gives_the_knowledge_base_built_at_once(parts, at_once, tmp_path, steps,
                                                                       monkeypatch):
    """The example corpus, the development corpora and the copies, in increments small enough that each is
    refreshed in part (not rebuilt whole)."""
    from tessera import refresh

    files = sorted((p for folder in [*parts[0], *parts[1], *parts[2]] for p in folder.iterdir() if p.name != "key.yaml"),
                   key=lambda p: p.name)
    first = len(files) - 2 * (len(files) // 5)
    batches = [files[:first], files[first:first + len(files) // 5], files[first + len(files) // 5:]]
    assert len(batches) == steps
    partial = []
    real = refresh._part

    def spy(store, stale, latest):
        part = real(store, stale, latest)
        partial.append(part is not None)
        return part

    monkeypatch.setattr(refresh, "_part", spy)
    with build(tmp_path / "steps.db", *batches) as kb:
        assert export(kb) == at_once
    assert partial == [True, True]


@pytest.mark.slow
def test_a_verbatim_copy_added_or_removed_alone_tells_its_originals_events_again(parts, tmp_path, monkeypatch):
    """A copy of a story with another outlet's furniture, added on its own: its accounts follow its original's
    into their events without any account being weighed again (the events are told again), and the knowledge base
    is the one a build of all the documents at once gives; removed again, the one built without it."""
    from tessera import refresh

    a, b, _c = parts
    folder = tmp_path / "syndicated"
    folder.mkdir()
    story = (EXAMPLES / "106_tera_bombing.txt").read_text(encoding="utf-8")
    (folder / "tera_syndicated.txt").write_text(  # the next day: the original stays the earliest copy
        story.replace("Published: 21 February 2022", "Published: 22 February 2022")
        + "\nDistributed by a syndication service.\n", encoding="utf-8")
    told = []
    real = refresh.retell

    def spy(event_id, *args, **kwargs):
        told.append(event_id)
        return real(event_id, *args, **kwargs)

    monkeypatch.setattr(refresh, "retell", spy)
    resolved = []  # the local entities each partial refresh resolves again
    real_resolve = refresh.resolve_locals
    monkeypatch.setattr(refresh, "resolve_locals", lambda locals_: resolved.append(set(locals_)) or real_resolve(locals_))
    with build(tmp_path / "once.db", a + b + [folder]) as kb:
        at_once = export(kb)
        assert kb.duplicate_of(), "the copy was not taken for a copy: the test would prove less"
    with build(tmp_path / "without.db", a + b) as kb:
        without = export(kb)
    with build(tmp_path / "steps.db", a + b) as kb:
        resolved.clear()
        kb.build([folder], engine=MemoEngine())
        assert told, "no event was told again: the copy's accounts were weighed"
        # its local entities follow its original's and sway nothing: none is resolved again, their entities
        # are counted again (as the exports compared say)
        assert resolved == [set()], resolved
        assert export(kb) == at_once
        told.clear()
        resolved.clear()
        kb.remove([str(folder / "tera_syndicated.txt")])
        assert told
        assert resolved == [set()], resolved
        assert export(kb) == without


@pytest.mark.slow
def test_news_added_day_by_day_is_weighed_from_the_stored_events(parts, tmp_path, monkeypatch):
    """The examples and the development corpora, the last third added one document at a time in the order of
    publication (the last a copy of an older story): where a document changes no stored document's entities, its
    event accounts are weighed against the stored events they may join (a copy's follow its original's), nothing
    else is reconciled again, and the knowledge base is the one built at once."""
    from tessera import refresh

    a, b, _c = parts
    late = tmp_path / "republished.txt"  # the newest of all: an example story re-published years later
    late.write_text((EXAMPLES / "106_tera_bombing.txt").read_text(encoding="utf-8").replace(
        "Published: 21 February 2022", "Published: 2 January 2031") + "\nDistributed by a syndication service.\n",
        encoding="utf-8")
    files = sorted(p for folder in a + b for p in folder.iterdir() if p.name != "key.yaml") + [late]
    with build(tmp_path / "once.db", files) as kb:
        at_once = export(kb)
        published = {kb.store.document_origin(d): p for d, p in kb.store.published_dates().items()}
        assert kb.store.document_origin(next(iter(kb.duplicate_of()))) == str(late)
    dated = sorted((f for f in files if str(f) in published), key=lambda f: (published[str(f)], str(f)))
    assert dated[-1] == late
    undated = [f for f in files if str(f) not in published]
    news = dated[-len(dated) // 3:]
    went_on = []  # per refresh: (whether it went on from the stored events, stored events replaced, events then)
    real = refresh._news_events
    decoded_beyond = []  # stored documents whose claims were decoded though they tell no event replaced

    def spy(store, part, *args):
        decoded = set()
        claims_of, event_claims_of = store.claims_of, store.event_claims_of
        monkeypatch.setattr(store, "claims_of", lambda docs: decoded.update(docs) or claims_of(docs))
        monkeypatch.setattr(store, "event_claims_of",
                            lambda refs: decoded.update(d for d, _c in refs) or event_claims_of(refs))
        done = real(store, part, *args)
        monkeypatch.setattr(store, "claims_of", claims_of)
        monkeypatch.setattr(store, "event_claims_of", event_claims_of)
        went_on.append((done, len(part.old_events), store.stats()["events"]))
        wanted, duplicate_of = args[-1], args[-4]  # the documents of the relations redone; copies' originals
        if done:
            decoded_beyond.extend(decoded - set(part.stale) - wanted - {d for d, _c in part.old_accounts}
                                  - {duplicate_of[d] for d in part.stale if d in duplicate_of})
        return done

    monkeypatch.setattr(refresh, "_news_events", spy)
    with build(tmp_path / "days.db", [f for f in files if f not in news], *[[f] for f in news]) as kb:
        assert export(kb) == at_once
    assert len(undated) > 3 and len(news) > 3  # (what is news, and what comes first, is not one kind of file)
    taken = [(replaced, events) for done, replaced, events in went_on if done]
    assert len(taken) >= 3 and went_on[-1][0], went_on  # the copy too
    assert all(replaced < events / 4 for replaced, events in taken), taken
    # the stored events read for the news but left as they were are compared from their accounts' weighings:
    # their documents' claims are not decoded
    assert not decoded_beyond, decoded_beyond


def write_stories(folder, stories: dict) -> list:
    """Each story (file name -> (headline, publication date, text)) written as an article file; their paths."""
    paths = []
    for name, (title, date, text) in stories.items():
        paths.append(folder / name)
        paths[-1].write_text(f"{title}\n\nPublished: {date}\n\n{text}\n", encoding="utf-8")
    return paths


NAMESAKE_STORIES = {  # a group named in full, then by its initials alone, then in full again by news
    "a_attack.txt": ("Gunmen attack village in northern Mali", "3 March 2021", "BAMAKO — Gunmen from the Sahel "
                     "Patriotic Front attacked the village of Tessit on Tuesday, killing four herders, local officials said."),
    "b_claim.txt": ("Militants claim raid on army post", "5 March 2021", "BAMAKO — The SPF claimed responsibility on "
                    "Thursday for a raid on an army post near Menaka in which two soldiers were killed, according to a statement."),
    "c_news.txt": ("Convoy ambushed near Gao", "9 March 2021", "GAO — Fighters of the Sahel Patriotic Front ambushed a "
                   "supply convoy near Gao on Monday, wounding three drivers, the regional governor said."),
}


def test_news_naming_a_stored_entity_as_it_was_named_joins_it_as_a_whole_rebuild_would(tmp_path, monkeypatch):
    """News naming a group exactly as a stored article named it joins the group's entity without the group's local
    entities being resolved again, and the entity's merges are logged as a whole rebuild logs them: the merge by
    the shared name before the merge of its initials."""
    from tessera import refresh

    files = write_stories(tmp_path, NAMESAKE_STORIES)
    with build(tmp_path / "once.db", files) as kb:
        at_once = export(kb)
        (group,) = [e for e in kb.entities() if e.name == "Sahel Patriotic Front"]
        assert [m.reason for m in kb.store.merges(group.id)] == [
            "same name 'sahel patriotic front'", "'SPF' spells the initials of the name"]
    resolved, parts = [], []
    real, real_part = refresh.resolve_locals, refresh._part
    monkeypatch.setattr(refresh, "resolve_locals", lambda locals_: resolved.append(locals_) or real(locals_))
    monkeypatch.setattr(refresh, "_part", lambda *args: parts.append(real_part(*args)) or parts[-1])
    with build(tmp_path / "news.db", files[:2], files[2:]) as kb:
        assert export(kb) == at_once
    assert parts[-1] is not None and parts[-1].joined  # the news refreshed in part, joining the group by name
    assert not {n.name for n in resolved[-1].values()} & {"Sahel Patriotic Front", "SPF"}


RAID = ("Gunmen killed two farmers near San Miguel late on Sunday, police said.", "The attackers arrived on motorcycles "
        "and set fire to a grain store before fleeing. Residents said the raid lasted about an hour and that no arrests "
        "had been made. A local official called for more patrols in the area.")
PLACES_STORIES = {  # San Miguel is a city of El Salvador and of Peru (among others): read in the countries named
    "raid.txt": ("Farmers killed in night raid", "1 May 2021", " ".join(RAID)),
    "bus.txt": ("Bus attacked on highway", "2 May 2021", "Armed men stopped a bus on a highway in El Salvador on "
                "Saturday and robbed the passengers, the national police said. Nobody was hurt."),
    "station.txt": ("Police station bombed", "3 May 2021", "A bomb damaged a police station in a mountain town in Peru "
                    "early on Monday, officials said. Two officers were wounded."),
    "market.txt": ("Grenade hits market", "4 May 2021", "A grenade exploded in a crowded market in El Salvador on "
                   "Wednesday, injuring five vendors, police said."),
    # news: a story naming Peru (the knowledge base's countries, by mentions, in another order), and a copy of the
    # raid that leaves San Miguel out and names Peru (the raid's story names it now)
    "pipeline.txt": ("Pipeline sabotaged", "10 May 2021", "Saboteurs blew up a section of an oil pipeline in northern "
                     "Peru on Friday, the energy ministry said, halting the flow of crude for several days."),
    "raid_copy.txt": ("Farmers killed in night raid", "10 May 2021",
                      RAID[1] + " The killings drew condemnation from the government of Peru."),
}


@pytest.mark.parametrize("stored, news", [(["raid.txt", "bus.txt", "station.txt"], ["pipeline.txt"]),
                                          (["raid.txt", "bus.txt", "market.txt", "station.txt"], ["raid_copy.txt"])])
def test_news_moves_a_place_it_does_not_name_as_a_whole_rebuild_would(tmp_path, monkeypatch, stored, news):
    """Where a place lies is read again where news changes what it depends on, though the news does not name it: the
    order of the knowledge base's countries (San Miguel read in the first of two countries named once each, then in
    the other, named once more by the news), or the countries named in its story (a copy naming Peru, El Salvador
    still first among the countries)."""
    from tessera import refresh

    write_stories(tmp_path, PLACES_STORIES)
    first = [tmp_path / n for n in stored]

    def country_of(kb, name):
        (e,) = [e for e in kb.entities() if e.name == name]
        return kb.store.places()[e.id].country_code

    with build(tmp_path / "once.db", first + [tmp_path / n for n in news]) as kb:
        at_once = export(kb)
        assert country_of(kb, "San Miguel") == "PE"
    located = []
    real = refresh.locate
    monkeypatch.setattr(refresh, "locate", lambda *a, **k: located.append(k.get("only")) or real(*a, **k))
    with build(tmp_path / "news.db", first) as kb:
        assert country_of(kb, "San Miguel") == "SV"
        kb.build([tmp_path / n for n in news], engine=MemoEngine())
        assert country_of(kb, "San Miguel") == "PE"
        assert export(kb) == at_once
    assert located[-1] is not None  # (the news's places read alone: not every place again)


def test_a_late_copys_own_dates_do_not_keep_news_from_its_story(tmp_path):
    """A story re-published three weeks later dates its "on Saturday" three weeks later too; its accounts follow
    the original's and weigh nothing, so the dates by which news passes stored events over are the original's."""
    folder = tmp_path / "late"
    folder.mkdir()
    story = (EXAMPLES / "106_tera_bombing.txt").read_text(encoding="utf-8")
    (folder / "tera_republished.txt").write_text(
        story.replace("Published: 21 February 2022", "Published: 14 March 2022")
        + "\nDistributed by a syndication service.\n", encoding="utf-8")
    with build(tmp_path / "kb.db", [EXAMPLES, folder]) as kb:
        assert kb.duplicate_of(), "the copy was not taken for a copy: the test would prove less"
        (copy,) = kb.duplicate_of()
        (event,) = [e for e in kb.events() if any(ev.document == copy for d in e.dates for ev in d.evidence)]
        told = {d.value: {ev.document for ev in d.evidence} for d in event.dates}
        late = {value for value, docs in told.items() if docs == {copy}}
        assert late and "2022-02-19" in told  # the copy's Saturday is another day, which the event shows
        assert kb.store.event_dates([event.id])[event.id] == set(told) - late


def test_a_file_built_before_the_refresh_index_is_refreshed_whole_once(tmp_path, monkeypatch):
    from tessera.store import Store, schema
    from tests.test_store import make_analysis, make_document

    import sqlite3

    from tessera.store.codec import encode_analysis

    path = tmp_path / "kb.db"
    with monkeypatch.context() as m:  # a file as Tessera wrote it before schema version 6
        m.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:5])
        m.setattr(schema, "LATEST_VERSION", 5)
        Store.open(path).close()
    doc = make_document()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO documents (id, seq, origin, media_type, text, status, added_at)"
                     " VALUES (?, 1, ?, 'text/plain', ?, 'ok', 'then')", (doc.id, doc.origin, doc.text))
        conn.execute("INSERT INTO analyses (document, json, extractors) VALUES (?, ?, '[]')",
                     (doc.id, encode_analysis(make_analysis(doc))))
    with tessera.open(path) as kb:
        assert kb.store.needs_full_refresh()
        kb.refresh()
        assert not kb.store.needs_full_refresh() and kb.entities()
        assert kb.store.indexed_local_count() == len(make_analysis(doc).entities)
