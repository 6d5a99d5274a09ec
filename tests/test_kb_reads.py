"""The read-only methods the web workbench added to KnowledgeBase, on the example corpus."""
from __future__ import annotations

import pytest

from .conftest import CROWDED


def test_overview_counts_match_the_store(example_kb):
    o = example_kb.overview()
    assert o["documents"] == 8 and o["failed"] == 0
    assert o["entities_by_type"] == {t: len(example_kb.entities(t)) for t in ("location", "organization", "person")}
    assert (o["relations"], o["events"], o["conflicts"]) == (
        len(example_kb.relations()), len(example_kb.events()), len(example_kb.conflicts(limit=None)))


def test_entities_page_is_a_slice_of_entities(example_kb):
    every = example_kb.entities("person")
    page, total = example_kb.entities_page("person", offset=3, limit=4)
    assert total == len(every) and [e.id for e in page] == [e.id for e in every[3:7]]
    assert [e.aliases for e in page] == [e.aliases for e in every[3:7]]
    _, all_total = example_kb.entities_page(None, offset=0, limit=1)
    assert all_total == len(example_kb.entities())


def test_most_connected_counts_distinct_partners(example_kb):
    ranked = example_kb.most_connected("organization", limit=3)
    top, n = ranked[0]
    assert top.name == "Gourma Liberation Army"
    partners = {r.object if r.subject == top.id else r.subject
                for r in example_kb.relations(top.id) if r.object is not None}
    assert n == len(partners)
    assert [k for _, k in ranked] == sorted((k for _, k in ranked), reverse=True)


def test_document_mentions_are_slices_of_the_text_resolved_to_entities(example_kb):
    doc = next(d for d in example_kb.documents() if d.origin.endswith("101_ayorou_ambush.txt"))
    mentions = example_kb.document_mentions(doc.id)
    assert mentions and all(doc.text[m.start:m.end] == m.text for m in mentions)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    names = example_kb.names()
    assert "Gourma Liberation Army" in {names[m.entity] for m in mentions if m.entity}


def test_names_seen_lists_each_written_form_with_its_documents(example_kb):
    seen = example_kb.names_seen("Souleymane Harouna")
    assert {"Haruna", "Sulaiman Harouna"} <= set(seen)
    entity = example_kb.entity("Souleymane Harouna")
    assert len(set().union(*map(set, seen.values()))) == entity.documents
    first = example_kb.names_seen("Souleymane Harouna", documents=1)
    (read,) = set().union(*map(set, first.values()))
    assert read == min(d for docs in seen.values() for d in docs)
    assert all(seen[name] for name in first) and entity.documents > 1


def test_network_joins_entities_of_the_chosen_types(example_kb):
    net = example_kb.network(("organization",), ["pledged_allegiance_to", "allied_with"])
    assert net.edges and {r.predicate for r in net.edges} <= {"pledged_allegiance_to", "allied_with"}
    ids = {e.id for e in net.nodes}
    assert {e.type for e in net.nodes} == {"organization"}
    assert ids == {r.subject for r in net.edges} | {r.object for r in net.edges}


def test_search_pages_with_an_offset(example_kb):
    every = example_kb.search("soldiers", limit=50)
    assert len(every) > 2
    assert example_kb.search("soldiers", limit=2, offset=1) == every[1:3]


def test_relation_by_id(example_kb):
    r = example_kb.relations()[0]
    assert example_kb.relation(r.id) == r


def test_profile_names_every_entity_it_mentions_and_only_those(example_kb):
    p = example_kb.profile("Gourma Liberation Army")
    mentioned = {p.entity.id} | {x for r in p.relations for x in (r.subject, r.object) if x}
    for ev in p.events:
        mentioned |= {x for x in (ev.subject, *ev.locations, *ev.perpetrators, *ev.claimed_by) if x}
        mentioned |= {f.entity for f in (*ev.attackers, *ev.targets, *ev.victims, *ev.weapons) if f.entity}
    assert set(p.names) == mentioned
    assert all(p.names[i] == example_kb.entity(i).name for i in mentioned)
    about = {r.id for r in p.relations} | {ev.id for ev in p.events}
    assert p.conflicts == [c for c in example_kb.conflicts(limit=None) if c.about in about]


def test_conflicts_page_is_a_slice_of_conflicts(example_kb):
    every = example_kb.conflicts(limit=None)
    assert len(every) >= 2
    assert example_kb.conflicts(limit=1, offset=1) == every[1:2]
    assert example_kb.conflicts(limit=10, offset=len(every)) == []


def test_a_limited_profile_keeps_the_best_supported_relations_and_latest_events(example_kb):
    full = example_kb.profile("Gourma Liberation Army", limit=None)
    assert len(full.relations) > 2 and len(full.events) > 2
    assert (full.relation_count, full.event_count) == (len(full.relations), len(full.events))
    few = example_kb.profile("Gourma Liberation Army", limit=2)
    assert (few.relation_count, few.event_count) == (full.relation_count, full.event_count)
    assert len(few.relations) == 2 and len(few.events) == 2
    most = max(len(r.evidence) for r in full.relations)
    assert len(few.relations[0].evidence) == most or len(few.relations[1].evidence) == most
    assert all(r in full.relations for r in few.relations)
    dated = sorted((ev.date for ev in full.events if ev.date), reverse=True)
    assert sorted((ev.date for ev in few.events), reverse=True) == dated[:2]
    about = {r.id for r in few.relations} | {ev.id for ev in few.events}
    assert few.conflicts == [c for c in full.conflicts if c.about in about]


def test_a_limited_timeline_reads_the_latest_dated_items(example_kb):
    full = example_kb.timeline(limit=None)
    few = example_kb.timeline(limit=1)
    assert 1 <= len(few) <= 2 and all(row in full for row in few)
    latest_event = max((row for row in full if row[1] == "event"), key=lambda row: row[0])
    assert latest_event in few


# ---- one page by default (tests/conftest.py: crowded_db has more facts than a page) ----------------------


@pytest.fixture(scope="module")
def crowded(crowded_db):
    from tessera.kb import KnowledgeBase

    with KnowledgeBase.open(crowded_db, readonly=True) as kb:
        yield kb


def test_a_profile_is_one_page_by_default_with_the_totals(crowded):
    from tessera.kb import PROFILE_LIMIT

    p = crowded.profile("Crowded Front")
    assert (len(p.relations), len(p.events)) == (PROFILE_LIMIT, PROFILE_LIMIT)
    assert (p.relation_count, p.event_count) == (CROWDED["relations"], CROWDED["events"])
    assert p == crowded.profile("ent-big", limit=PROFILE_LIMIT)
    # the best supported relations (said in two documents) and the latest events
    supported = {r.id for r in p.relations if p.fact_documents[r.id] == 2}
    assert len(supported) == CROWDED["supported"]
    assert sorted(ev.date for ev in p.events)[0] == "2001-06-30"  # the 50 latest of 230 days from 2001-01-01
    # the conflicts about the page's facts only, and the names of the page's partners only
    assert len(p.conflicts) == CROWDED["conflicts"] and {c.about for c in p.conflicts} <= {ev.id for ev in p.events}
    assert set(p.names) == {"ent-big"} | {r.object for r in p.relations}


def test_limit_none_profiles_every_fact(crowded):
    every = crowded.profile("Crowded Front", limit=None)
    assert (len(every.relations), len(every.events)) == (CROWDED["relations"], CROWDED["events"])
    assert (every.relation_count, every.event_count) == (CROWDED["relations"], CROWDED["events"])
    page = crowded.profile("Crowded Front")
    assert all(r in every.relations for r in page.relations) and all(ev in every.events for ev in page.events)
    second = crowded.profile("Crowded Front", offset=50)
    assert len(second.relations) == CROWDED["relations"] - 50 and len(second.events) == 50
    assert not {r.id for r in second.relations} & {r.id for r in page.relations}


def test_a_timeline_is_one_page_by_default_with_the_totals(crowded):
    from tessera.kb import TIMELINE_LIMIT, Timeline

    rows = crowded.timeline("Crowded Front")
    assert isinstance(rows, Timeline) and rows.more and rows.limit == TIMELINE_LIMIT
    assert (rows.relation_count, rows.event_count) == (CROWDED["relations"], CROWDED["events"])
    events = [item for _date, kind, item in rows if kind == "event"]
    assert len(events) == TIMELINE_LIMIT and len(rows) == TIMELINE_LIMIT + CROWDED["relations"]
    every = crowded.timeline("Crowded Front", limit=None)
    assert len(every) == CROWDED["events"] + CROWDED["relations"] and not every.more
    assert [row for row in every if row[1] == "event"][-TIMELINE_LIMIT:] == [row for row in rows if row[1] == "event"]
    whole = crowded.timeline()  # of the base: the same facts, the base's counts
    assert whole == rows and (whole.relation_count, whole.event_count) == (CROWDED["relations"], CROWDED["events"])
    last = crowded.timeline("Crowded Front", offset=TIMELINE_LIMIT)
    assert len(last) == CROWDED["events"] - TIMELINE_LIMIT and not last.more


def test_conflicts_are_one_page_by_default_with_the_total(crowded):
    from tessera.kb import CONFLICTS_LIMIT, Page

    page = crowded.conflicts()
    assert isinstance(page, Page) and len(page) == CONFLICTS_LIMIT and page.total == CROWDED["conflicts"] and page.more
    every = crowded.conflicts(limit=None)
    assert len(every) == every.total == CROWDED["conflicts"] and not every.more
    assert page == every[:CONFLICTS_LIMIT]
    rest = crowded.conflicts(offset=CONFLICTS_LIMIT)
    assert rest == every[CONFLICTS_LIMIT:] and rest.total == CROWDED["conflicts"] and not rest.more
