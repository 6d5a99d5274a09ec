"""Bring the knowledge (entities, relations, events, conflicts) up to date with the stored documents.

A whole rebuild resolves every local entity and reconciles every claim, in one order: the documents'
analyses, the undated first, then by publication date, then by origin (``rank``). A partial refresh redoes
only what the changed documents touch, and gives the same rows:

1. Resolution. Local entities may affect one another only through keys (``resolve.name_keys``); the
   local entities reachable by keys from those of the changed documents (before and after the change)
   are a part that resolves alone as within the whole. They are read from the index (``local_names``),
   not from the analyses, so a place named in half the corpus costs a row per mention, not an analysis.
   A copy's local entity named as one of its original's (type and name, and no other name the original's
   lacks) follows it: it takes that entity, adds its document and mentions to its counts, and sways
   nothing (copies of one story count once, in resolution as in sources). Its index row has one key,
   ``F:`` and the one it follows, which no name key finds: a part holds the originals' local entities
   alone, and their followers are looked up by that key. So a follower entering or leaving seeds no
   part: the entity it joins or leaves, when no other change reaches it, keeps its row and is counted
   again (``Part.recounted``). So does news's namesake: a local entity (not a person's) of a document published
   after every stored one, named and called exactly as a stored one in the entity bearing its name, joins that
   entity by name as resolving it again would (its merge logged where that logs it: ``Part.joined``).
2. Places. Where a place lies depends on the countries its documents name (``gazetteer_facade.locate``, a
   story's copies one document), in the order of the knowledge base's countries: worked out after the change
   (for news, only for the places it may move: ``_located``), against the places stored with the knowledge, to
   find those that moved (written with the part).
3. Relations: those with evidence in a changed document or a document whose local entities changed
   entity, those their claims now form, and the leaderships a succession among them may end.
4. Events. Accounts are weighed in the order of publication (``rank``), each against the events before it
   alone (``reconcile``), so news (documents published after every stored one, changing no stored document's
   entities nor any name or place a stored account reads) goes on from the stored events: its accounts are
   weighed against the events they share a join key with, read as they are needed, and only the events that
   change are written again. Otherwise (a document backfilled into the past, removed or changed), the accounts
   reachable by keys (``reconcile.account_keys``) from those of the changed documents and from those naming an
   entity whose name or place changed are reconciled again, in the same order.
   A copy's account told in its original's sentences follows the original's account (one ``F:`` key,
   ``reconcile.follower_leaders``) and is never weighed: it goes with the account it follows, and an event
   whose only change is such followers is told again from its stored accounts (``reconcile.retell``).

Documents wait in the store's ``stale`` list from the moment they change until the transaction that
writes their knowledge, so a refresh that is interrupted is redone by the next one.
"""
from __future__ import annotations

import gc
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from .gazetteer_facade import countries, locate, reordered, swayed
from .models import DocumentAnalysis, Merge, Relation
from .reconcile import reconcile
from .reconcile.reconciler import (FOLLOWS, StoredEvent, WholeEvent, account_keys, follow_key, followed,
                                   follower_leaders, geography, never_together, person_titles, relation_key, retell)
from .resolve import Named, Resolution, joins_by, name_keys, partner, resolve_locals

WHOLE_SHARE = 0.5  # a partial refresh that would redo more than this share of the local entities redoes all


@dataclass
class Part:
    """What a partial refresh replaces (old_*) and writes."""

    stale: list[str]
    old_entities: set = field(default_factory=set)
    old_refs: set = field(default_factory=set)
    old_relations: set = field(default_factory=set)
    old_events: set = field(default_factory=set)
    old_accounts: set = field(default_factory=set)
    entities: list = field(default_factory=list)
    merges: list = field(default_factory=list)
    joined: list = field(default_factory=list)  # merges by name into entities kept as they are (namesakes')
    links: list = field(default_factory=list)
    relations: list = field(default_factory=list)
    events: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    event_merges: list = field(default_factory=list)
    ranks: dict = field(default_factory=dict)
    locals: list = field(default_factory=list)
    accounts: list = field(default_factory=list)
    recounted: dict = field(default_factory=dict)  # entity id -> (documents, mentions): followers or namesakes changed alone
    places: dict = field(default_factory=dict)  # entity id -> its gazetteer place (None: none) where it changed
    share: float = 0.0  # of the local entities re-resolved


def rank(origin: str, published: str | None) -> str:
    """A document's place in the order of a whole rebuild: the undated first, then by publication date, then
    origin; so news comes after what was published before it (an undated document is no news: it is weighed
    before all that is dated, not after, which would make every later dated document come before one stored)."""
    dated = bool(published) and published[:1].isdigit()
    return ("1" + published if dated else "0") + "\x1e" + origin


def _ranks(latest: dict[str, str], published: dict[str, str]) -> dict[str, str]:
    """Document id -> its ``rank``, of the documents the knowledge covers (``latest``: id -> origin)."""
    return {d: rank(origin, published.get(d)) for d, origin in latest.items()}


def refresh(store, full: bool = False) -> Part | None:
    """Redo the knowledge the stale documents touch (all of it with ``full``, for a file built before the
    refresh index, or when the part would be most of it). Returns what a partial refresh wrote."""
    with _uncollected():
        return _refresh(store, full)


@contextmanager
def _uncollected():
    """No cyclic garbage collection meanwhile: a refresh builds large structures that live until it ends (freed by
    their counts, not cycles), and each full collection scanned them all again (adding 10 generated articles to
    10,000: 6 full collections, 0.9 s)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _refresh(store, full: bool) -> Part | None:
    stale = store.stale_documents()
    if full or store.needs_full_refresh():
        rebuild(store)
        return None
    if not stale:
        return None
    latest = store.latest_origins()
    if len(set(stale) & latest.keys()) > WHOLE_SHARE * len(latest):
        rebuild(store)
        return None
    part = _part(store, stale, latest)
    if part is None:
        rebuild(store)
        return None
    store.write_part(part)
    return part


def _named(row: tuple) -> Named:
    """What the resolver reads of an index row."""
    return Named(row[3], row[4], tuple(row[5]), row[6])


def _after_all(ranks: dict[str, str], documents: list[str]) -> bool:
    """Whether these documents come after every other in the order of a whole rebuild (``rank``)."""
    first, documents = min(ranks[d] for d in documents), set(documents)
    return all(r < first for d, r in ranks.items() if d not in documents)


def _index_rows(analysis: DocumentAnalysis) -> list[tuple]:
    rows = []
    for position, e in enumerate(analysis.entities):
        named = Named.of(e)
        rows.append((analysis.document, e.id, position, named.type, named.name, named.names, named.mentions,
                     name_keys(named)))
    return rows


def _follow(rows: list[tuple], originals: Iterable[tuple], duplicate_of: dict[str, str]) -> list[tuple]:
    """``rows`` with those of copies' local entities named as one of their original's (``originals``: the index
    rows of their originals), by the same type and name and no other name it lacks, keyed by the first such
    instead of by their names."""
    named: dict[tuple, list[tuple[str, set]]] = {}
    for r in sorted(originals, key=lambda r: r[2]):
        named.setdefault((r[0], r[3], r[4]), []).append((r[1], set(r[5])))
    out = []
    for r in rows:
        head = duplicate_of.get(r[0])
        local = next((l for l, names in named.get((head, r[3], r[4]), ()) if names >= set(r[5])), None)
        out.append(r if local is None else (*r[:7], {follow_key((head, local))}))
    return out


def _followers(rows: Iterable[tuple]) -> dict[tuple[str, str], tuple[tuple[str, str], int]]:
    """The followers among index rows: ref -> (the ref it follows, its mentions)."""
    return {(r[0], r[1]): (leader, r[6]) for r in rows if (leader := followed(r[7])) is not None}


def _add_followers(resolution: Resolution, followers: dict[tuple[str, str], tuple[tuple[str, str], int]]) -> None:
    """Give each follower (ref -> (the ref it follows, its mentions)) its leader's entity, and count its
    document and mentions in that entity's."""
    docs: dict[str, set[str]] = {}
    for (d, _l), e in resolution.of.items():
        docs.setdefault(e, set()).add(d)
    mentions: dict[str, int] = {}
    for ref, (leader, n) in sorted(followers.items()):
        e = resolution.of[ref] = resolution.of[leader]  # a part holds the leaders of its followers
        docs[e].add(ref[0])
        mentions[e] = mentions.get(e, 0) + n
    resolution.entities[:] = [replace(x, documents=len(docs.get(x.id, ())), mentions=x.mentions + mentions[x.id])
                              if x.id in mentions else x for x in resolution.entities]


def _recounted(entities: list, ids: set[str], links: list[tuple[str, str, str]], entering: dict,
               left_of: dict, left_rows: list[tuple]) -> list:
    """``entities`` with those of ``ids`` counted again: their documents from the ``links`` as they will
    stand, their mentions with the ``entering`` followers' (ref -> (entity, mentions)) and without the
    mentions of those that left (``left_of``: ref -> entity, ``left_rows``: their index rows)."""
    documents: dict[str, set[str]] = {}
    for d, _l, e in links:
        if e in ids:
            documents.setdefault(e, set()).add(d)
    mentions = dict.fromkeys(ids, 0)
    for e, n in entering.values():
        if e in ids:
            mentions[e] += n
    for r in left_rows:
        if (e := left_of.get((r[0], r[1]))) in ids:
            mentions[e] -= r[6]
    return [replace(e, documents=len(documents.get(e.id, ())), mentions=e.mentions + mentions[e.id])
            if e.id in ids else e for e in entities]


def rebuild(store, stale: list[str] | None = None) -> None:
    """Resolve and reconcile every stored analysis; replace all the knowledge and its index."""
    duplicate_of = store.duplicate_of()
    latest = store.latest_origins()
    published = store.published_dates()
    ranks = _ranks(latest, published)
    analyses, rows = [], []
    for a in store.analyses():  # each read whole once, for the index; its claims kept (no mentions)
        rows.extend(_index_rows(a))
        analyses.append(a.claims_only())
    analyses.sort(key=lambda a: ranks[a.document])
    rows.sort(key=lambda r: (ranks[r[0]], r[2]))
    heads = set(duplicate_of.values())
    rows = _follow(rows, [r for r in rows if r[0] in heads], duplicate_of)
    followers = _followers(rows)
    resolution = resolve_locals({(r[0], r[1]): Named(r[3], r[4], tuple(r[5]), r[6]) for r in rows
                                 if (r[0], r[1]) not in followers})
    _add_followers(resolution, followers)
    names = {e.id: e.name for e in resolution.entities}
    located = locate(resolution.entities, resolution.links(), duplicate_of)
    rec = reconcile(analyses, resolution, names, published, located, duplicate_of=duplicate_of,
                    ranks=ranks)
    store.replace_knowledge(resolution.entities, resolution.merges, resolution.links(), rec.relations, rec.events,
                            rec.conflicts, rec.event_merges, ranks=rec.ranks,
                            locals_=rows,
                            accounts=rec.accounts, stale=stale, places=located)


def _closure(seeds: dict, keys: set[str], lookup, follow=lambda k: True, partner=partner) -> dict:
    """Grow ``seeds`` (ref -> keys) with every ref ``lookup`` finds sharing a (partner) key, until closed."""
    found = dict(seeds)
    asked: set[str] = set()
    frontier = {partner(k) for k in keys if follow(k)}
    while frontier:
        asked |= frontier
        more = {ref: ks for ref, ks in lookup(frontier).items() if ref not in found}
        found.update(more)
        frontier = {partner(k) for ks in more.values() for k in ks if follow(k)} - asked
    return found


def _part(store, stale: list[str], latest: dict[str, str]) -> Part | None:
    part = Part(stale=stale)
    located_before = store.places()  # where each place lay, as the knowledge was written
    if located_before is None:
        return None  # (knowledge written without where its places lie: rebuilt whole, once)
    duplicate_of = store.duplicate_of()
    entering = entering_docs = sorted(d for d in stale if d in latest)
    analyses: dict[str, DocumentAnalysis] = {a.document: a for a in store.analyses_of(entering)}

    published = store.published_dates()
    ranks = _ranks(latest, published)
    ranked = ranks.__getitem__

    # 1. resolution: the local entities reachable by keys from the changed documents' (old and new), copies'
    # followers aside: they sway nothing, so they seed nothing; an entity they join or leave outside the part
    # keeps its row, recounted
    new_rows = [row for d in entering for row in _index_rows(analyses[d])]
    heads = {duplicate_of[d] for d in entering if d in duplicate_of}
    originals = [r for r in new_rows if r[0] in heads]
    originals += store.local_names(store.indexed_locals(sorted(heads - set(entering))))
    new_rows = part.locals = _follow(new_rows, originals, duplicate_of)
    following = _followers(new_rows)
    leaving = store.indexed_locals(stale)
    left = {ref for ref, ks in leaving.items() if followed(ks)}
    seeds = {ref: ks for ref, ks in leaving.items() if ref not in left}
    # news's namesakes: local entities (not persons) named and called exactly as a stored one in the entity bearing
    # their name join it as resolving it again would join them (by their first name key, after the entity's stored
    # local entities), and change nothing else: a person's mentions may sway which longer name a surname joins, and
    # documents earlier than some stored ones come before them. So they seed no part (those of an entity the part
    # resolves again are resolved in it)
    latest_all = bool(entering) and len(entering) == len(stale) and _after_all(ranks, entering)  # (_is_news too)
    news = latest_all and not leaving
    namesakes = {} if not news else store.namesakes(
        [r for r in new_rows if (r[0], r[1]) not in following and r[3] != "person" and joins_by(_named(r))])
    stored = _closure(seeds, {k for r in new_rows if (r[0], r[1]) not in following and (r[0], r[1]) not in namesakes
                              for k in r[7]} | {k for ks in seeds.values() for k in ks},
                      store.locals_with_keys, follow=lambda k: not k.startswith(FOLLOWS))
    part.share = (len(stored) + len(new_rows)) / max(1, store.indexed_local_count() + len(new_rows))
    if part.share > WHOLE_SHARE:
        return None
    stored_of = store.links_of_locals(stored)
    redone = set(stored_of.values())
    namesakes = {ref: e for ref, e in namesakes.items() if e not in redone}
    rows = [r for r in store.local_names([ref for ref in stored if ref[0] not in part.stale])]
    rows = sorted(rows + [r for r in new_rows if (r[0], r[1]) not in following and (r[0], r[1]) not in namesakes],
                  key=lambda r: (ranked(r[0]), r[2]))
    resolution = resolve_locals({(r[0], r[1]): _named(r) for r in rows})
    # the followers of the part's local entities: the entering ones, and those stored (relinked if it changes)
    kept = {ref: followed(ks) for ref, ks in store.locals_with_keys({follow_key(ref) for ref in resolution.of}).items()
            if ref[0] not in part.stale}
    following.update({(r[0], r[1]): (kept[(r[0], r[1])], r[6]) for r in store.local_names(kept)})
    outside = {ref: lead for ref, lead in following.items() if lead[0] not in resolution.of}
    _add_followers(resolution, {ref: lead for ref, lead in following.items() if ref not in outside})
    old_of = {**stored_of, **store.links_of_locals(kept)}
    left_of = store.links_of_locals(left)
    lead_of = {**store.links_of_locals({leader for leader, _n in outside.values()}), **namesakes}
    if any(leader not in lead_of for leader, _n in outside.values()):
        return None  # (a leader neither in the part nor stored: never seen; rebuilt whole)
    joined = {lead_of[leader] for leader, _n in outside.values()} | set(namesakes.values())
    if joined & set(old_of.values()):
        return None  # (an entity whose local entities the keys do not all reach: never seen; rebuilt whole)
    recount = (joined | set(left_of.values())) - set(old_of.values()) - {e.id for e in resolution.entities}
    for ref, (leader, _n) in outside.items():
        resolution.of[ref] = lead_of[leader]
    named = {(r[0], r[1]): _named(r) for r in new_rows if (r[0], r[1]) in namesakes}
    for r in sorted((r for r in new_rows if (r[0], r[1]) in namesakes), key=lambda r: (ranked(r[0]), r[2])):
        e, n = namesakes[(r[0], r[1])], named[(r[0], r[1])]
        resolution.of[(r[0], r[1])] = e
        reason = joins_by(n)  # into the first stored local entity with that key: the one its merges by it went into
        part.joined.append(Merge(e, n.name, store.merge_into(e, reason) or n.name, reason))
    # the links that stay as stored: of the local entities (followers or not) whose entity is the one they had
    still = {ref for ref in set(stored) | set(kept) if old_of.get(ref) == resolution.of.get(ref)}
    part.old_refs = (set(stored) | set(kept) | left) - still
    part.old_entities = set(old_of.values())
    part.entities, part.merges = resolution.entities, resolution.merges
    part.links = [link for link in resolution.links() if (link[0], link[1]) not in still]
    remapped = {ref[0] for ref in set(old_of) | set(resolution.of) if old_of.get(ref) != resolution.of.get(ref)}

    # 2. places: where each place lies, before and after (for news, those it may move alone: ``_located``)
    before = store.entities()
    after = [e for e in before if e.id not in part.old_entities] + resolution.entities
    touched = _touched(store, part, resolution, recount, {**old_of, **left_of}, duplicate_of) if news else None
    links_after = _links_after(store, part, None if touched is None else touched | set(countries(after)))
    if recount:
        entering_counts = {ref: (resolution.of[ref], n) for ref, (_l, n) in outside.items()}
        entering_counts.update({ref: (e, named[ref].mentions) for ref, e in namesakes.items()})
        after = _recounted(after, recount, links_after, entering_counts, left_of, store.local_names(left))
        part.recounted = {e.id: (e.documents, e.mentions) for e in after if e.id in recount}
    located = _located(store, part, before, after, links_after, touched, located_before, duplicate_of)
    names_before = {e.id: e.name for e in before}
    names = {e.id: e.name for e in after}
    moved = {i for i in names_before.keys() | names.keys()
             if names_before.get(i) != names.get(i) or located_before.get(i) != located.get(i)}
    part.places = {i: located.get(i) for i in moved if i in names}

    # 3. relations touched: with evidence in a changed document, or formed by its claims now
    changed = set(stale) | remapped
    present = changed & latest.keys()
    analyses.update(store.claims_of(present - analyses.keys()))  # relations and events: no mentions needed
    mapping: dict[str, dict[str, str]] = {}

    def map_documents(docs: set[str]) -> None:
        """Local id -> entity id in these documents: the part's new links, the others as stored."""
        for d, l, e in store.links_of_documents(docs):
            if (d, l) not in part.old_refs:
                mapping.setdefault(d, {})[l] = e

    map_documents(present)
    for (d, l), e in resolution.of.items():
        mapping.setdefault(d, {})[l] = e
    keys = set(store.relation_keys_of_documents(changed))
    for d in present:
        m = mapping.get(d, {})
        for c in analyses[d].relations:
            s, o = m.get(c.subject), m.get(c.object) if c.object else None
            if s is not None and not (c.object and o is None) and s != o:
                keys.add(relation_key(c, s, o))
    succeeded_objects = {o for s, p, o in keys if p == "succeeded"}
    leading = {s for s, p, o in keys if p == "led_by"}
    related = store.relations_by_key(subjects_of=leading, objects_of=succeeded_objects, keys=keys)
    keys |= {(s, p, o) for _i, s, p, o, _e in related if p == "led_by"}
    part.old_relations = {i for i, s, p, o, _e in related if (s, p, o) in keys}
    context_rows = store.relations_by_key(subjects_of={s for s, p, o in keys if p == "led_by"},
                                          objects_of={o for s, p, o in keys if p == "led_by"})
    context = [Relation(i, s, p, (), o) for i, s, p, o, _e in context_rows if (s, p, o) not in keys]
    wanted_docs = (set(store.evidence_documents(part.old_relations)) & latest.keys()) | present

    # 4. events: news (documents published after every stored one, changing no stored document's entities nor any
    # entity's name or place) is weighed from the stored events it may join; otherwise the accounts
    # reachable by keys from the changed documents' and from those naming a moved entity are reconciled again. A
    # copy's account that follows its original's is reachable by none (it sways nothing), only by the one it follows
    mapped = set(present)
    relinked: dict[str, dict[str, str]] = {}  # document -> the part's new links in it
    for (d, l), e in resolution.of.items():
        relinked.setdefault(d, {})[l] = e

    def map_more(docs: set[str]) -> None:
        """Map these documents too (the part's new links over the stored ones)."""
        docs = docs - mapped
        mapped.update(docs)
        map_documents(docs)
        for d in docs & relinked.keys():
            mapping[d].update(relinked[d])

    if _is_news(store, entering_docs, latest_all, remapped, moved) and _news_events(
            store, part, analyses, mapping, map_more, ranks, names, published, located, duplicate_of,
            keys, context, wanted_docs):
        return part
    new_accounts: dict = {}
    geo = geography(names, located)
    analyses.update(store.claims_of({duplicate_of[d] for d in present if d in duplicate_of} - analyses.keys()))
    leaders = follower_leaders(analyses, duplicate_of, present)
    for d in present:
        m = mapping.get(d, {})
        for i, c in enumerate(analyses[d].events):
            new_accounts[(d, i)] = {follow_key(leaders[(d, i)])} if (d, i) in leaders else account_keys(c, m, geo)
    old_changed = store.indexed_accounts(sorted(changed))
    seeds = {**old_changed, **store.accounts_with_keys({"E:" + i for i in moved})}
    found = _closure({**seeds, **new_accounts},
                     {k for ks in [*seeds.values(), *new_accounts.values()] for k in ks},
                     lambda ks: _replace_changed(store.accounts_with_keys(ks), changed, new_accounts),
                     follow=lambda k: "|" in k, partner=lambda k: k)
    weighed = {ref for ref, ks in found.items() if ref[0] in latest and _account_leader(ks) is None
               and (ref[0] not in changed or ref in new_accounts)}
    # the copies' accounts that follow those weighed (stored, and entering), and those that follow any other
    stored_followers = {ref: _account_leader(ks) for ref, ks in
                        store.accounts_with_keys({follow_key(ref) for ref in weighed}).items() if ref[0] not in changed}
    entering = {ref: leaders[ref] for ref in new_accounts if ref in leaders}
    accounts = weighed | set(stored_followers) | {ref for ref, lead in entering.items() if lead in weighed}
    part.old_accounts = {ref for ref in found if ref[0] not in changed} | set(old_changed) | set(stored_followers)
    old_event = store.events_of_accounts(part.old_accounts)
    part.old_events = set(old_event.values())
    # events whose weighed accounts are all outside the part, and whose followers changed: told again, not weighed
    retold = {old_event[ref] for ref, ks in old_changed.items() if _account_leader(ks) is not None}
    led_outside = {lead for ref, lead in entering.items() if lead not in weighed}
    retold |= set(store.events_of_accounts(led_outside).values())
    retold -= {e for ref, e in old_event.items() if ref in weighed or ref in stored_followers
               or (ref in old_changed and _account_leader(old_changed[ref]) is None)}  # weighed again in the part
    makings = store.event_makings(retold)
    for _rank, members, _merges in makings.values():
        part.old_accounts |= {(d, c) for d, c, _keys, _w in members}
    part.old_events |= retold
    wanted_docs |= {d for d, _i in accounts} | {d for d, _i in entering}
    wanted_docs |= {d for _r, members, _m in makings.values() for d, _c, _k, _w in members} & latest.keys()
    analyses.update(store.claims_of(wanted_docs - analyses.keys()))
    map_documents(wanted_docs - present)
    for (d, l), e in resolution.of.items():
        mapping.setdefault(d, {})[l] = e
    order = sorted(wanted_docs, key=ranked)
    rec = reconcile([analyses[d] for d in order],
                    Resolution([], [], {(d, l): e for d in order for l, e in mapping.get(d, {}).items()}),
                    names, published, located, duplicate_of=duplicate_of,
                    ranks=ranks, relations_about=keys, accounts_of=accounts,
                    context=context, followers={**stored_followers, **entering})
    part.relations, part.events, part.conflicts = rec.relations, rec.events, rec.conflicts
    part.event_merges, part.ranks = rec.event_merges, rec.ranks
    part.accounts = rec.accounts
    for eid, (event_rank, members, merges) in sorted(makings.items(), key=lambda x: x[1][0]):
        leads = {(d, c): _account_leader(ks) for d, c, ks, _w in members}
        weighed_here = [(d, c, ks, w) for d, c, ks, w in members if leads[(d, c)] is None]
        old_copies = {ref: lead for ref, lead in leads.items() if lead is not None}
        copies_now = {ref: lead for ref, lead in old_copies.items() if ref[0] not in changed}
        copies_now |= {ref: lead for ref, lead in entering.items() if lead in leads and leads[lead] is None}
        told = retell(eid, event_rank,
                      [(analyses[d].events[c], mapping.get(d, {}), (d, c), ks, w) for d, c, ks, w in weighed_here],
                      merges[:len(merges) - len(old_copies)],
                      [(analyses[d].events[c], mapping.get(d, {}), (d, c), lead)
                       for (d, c), lead in sorted(copies_now.items(), key=lambda x: (ranked(x[0][0]), x[0][1]))],
                      duplicate_of)
        part.events += told.events
        part.conflicts += told.conflicts
        part.event_merges += told.event_merges
        part.ranks.update(told.ranks)
        part.accounts += told.accounts
    return part


def _touched(store, part: Part, resolution: Resolution, recount: set[str], old_of: dict, duplicate_of: dict) -> set[str]:
    """The entities whose place news may move: those resolved or recounted, and those named in the documents whose
    links change or in other copies of their stories (``old_of``: the entity each stored local entity had)."""
    heads = {duplicate_of.get(d, d) for d, _l in part.old_refs} | {duplicate_of.get(d, d) for d, _l, _e in part.links}
    in_docs = [link for link in store.links_of_documents(heads | {d for d, h in duplicate_of.items() if h in heads})
               if (link[0], link[1]) not in part.old_refs]
    return ({e for _d, _l, e in in_docs + part.links} | {e.id for e in resolution.entities} | recount
            | {old_of[ref] for ref in part.old_refs if ref in old_of})


def _links_after(store, part: Part, entities: set[str] | None = None) -> list[tuple[str, str, str]]:
    """The mention links as the part leaves them, of these entities and of the part's (all when None), in no order."""
    stored = store.mention_entities(ordered=False) if entities is None else store.mention_entities_of(entities)
    return [link for link in stored if (link[0], link[1]) not in part.old_refs] + part.links


def _located(store, part: Part, before: list, after: list, links_after: list, touched: set[str] | None,
             located_before: dict, duplicate_of: dict) -> dict:
    """Where each place lies after the part. For news (``touched``: the entities it may move, ``links_after`` theirs
    and the countries'), a place lies where it lay unless it is touched or, where the news puts the knowledge
    base's countries in another order, its homonyms lie in two of the countries reordered; with other countries, or
    for other changes, every place is read again."""
    shifted = None if touched is None else reordered(countries(before), countries(after))
    if shifted is None:
        return locate(after, links_after if touched is None else _links_after(store, part), duplicate_of)
    swung = {e.id for e in after if e.type == "location" and e.id not in touched and swayed(e, shifted)}
    links = links_after + [link for link in store.mention_entities_of(swung) if (link[0], link[1]) not in part.old_refs]
    located = {e.id: located_before.get(e.id) for e in after if e.type == "location"}
    located.update(locate(after, links, duplicate_of, only=touched | swung))
    return located


def _is_news(store, entering: list[str], latest_all: bool, remapped: set[str], moved: set[str]) -> bool:
    """Whether the changed documents are news: all new, published after every stored document (``latest_all``: all
    the changed documents are entering, and ranked after every other, so none is the earliest copy of a stored one),
    and changing no stored document's entities nor what any entity is called or where it lies as a stored event
    account reads it."""
    if not latest_all or store.indexed_accounts(entering):
        return False
    return remapped <= set(entering) and not (moved and store.accounts_with_keys({"E:" + i for i in moved}))


def _news_events(store, part: Part, analyses: dict, mapping: dict, map_more, ranks: dict[str, str], names: dict,
                 published: dict, located: dict, duplicate_of: dict, keys: set, context: list, wanted_docs: set) -> bool:
    """Weigh the news's event accounts from the stored events they may join (``reconcile(stored=...)``), and reconcile
    the relations of the part; fills ``part``. False, with ``part`` untouched, when it cannot be done so: a stored
    event gone whose first sentence opened another too (their ids are numbered in the order they come)."""
    members: dict[str, list] = {}  # stored event read -> its accounts (document, claim index)
    titles: dict[str, dict] = {}  # document -> its person titles (person_titles), for the accounts read whole
    told: dict[tuple[str, int], object] = {}  # (document, claim index) -> the event claim, of the accounts read whole

    # each asked of the store once (the news's accounts share keys: a boilerplate sentence, "hotel"; and dates)
    keyed: dict[str, set[str]] = {}  # join key -> the stored events told in accounts having it
    dated: dict[str, set[str]] = {}  # stored event -> its accounts' dates
    apart: dict[tuple[str, str], bool] = {}  # (date, stored event) -> never together

    def stored(join_keys: set[str], date: str | None) -> tuple[list[StoredEvent], list[tuple[str, str]]]:
        if asked := join_keys - keyed.keys():
            keyed.update({k: set() for k in asked})
            for k, e in store.events_with_keys(asked):
                keyed[k].add(e)
        pairs = [(k, e) for k in join_keys for e in keyed[k]]
        events = {e for _k, e in pairs} - members.keys()
        if date and events:  # those never together with the date are passed over
            if unread := events - dated.keys():
                dated.update(dict.fromkeys(unread, ()))
                dated.update(store.event_dates(unread))
            for e in events:
                if (date, e) not in apart:
                    apart[(date, e)] = never_together(date, dated[e])
            events = {e for e in events if not apart[(date, e)]}
        out = []
        for eid, (event_rank, weighings) in sorted(store.event_weighings(events).items(), key=lambda x: x[1][0]):
            members[eid] = [ref for ref, _w in weighings]  # (its copies' too, once read whole)
            out.append(StoredEvent(id=eid, rank=event_rank, weighings=weighings, read=lambda eid=eid: whole(eid)))
        return out, [(k, e) for k, e in pairs if e in members]

    def whole(eid: str) -> WholeEvent:
        """A stored event read whole: its accounts' claims decoded (those alone) from their documents."""
        _rank, accounts, merges = store.event_makings([eid])[eid]
        refs = members[eid] = [(d, c) for d, c, _k, _w in accounts]
        for d, (persons, found) in store.event_claims_of([r for r in refs if r not in told]).items():
            told.update({(d, c): claim for c, claim in found.items()})
            titles.setdefault(d, person_titles(persons))
        map_more({d for d, _c in refs})
        leads = [(d, c, _account_leader(ks)) for d, c, ks, _w in accounts]
        followers = [(told[(d, c)], mapping.get(d, {}), (d, c), lead) for d, c, lead in leads if lead]
        return WholeEvent(weighed=[(told[(d, c)], mapping.get(d, {}), (d, c), titles[d])
                                   for d, c, lead in leads if lead is None],
                          reasons=merges[:len(merges) - len(followers)], followers=followers)

    analyses.update(store.claims_of(wanted_docs - analyses.keys()))
    map_more(wanted_docs)
    entering = {(d, i) for d in part.stale for i in range(len(analyses[d].events))}
    analyses.update(store.claims_of({duplicate_of[d] for d in part.stale if d in duplicate_of} - analyses.keys()))
    leaders = follower_leaders(analyses, duplicate_of, part.stale)  # a copy's accounts told again follow
    order = sorted(wanted_docs | set(part.stale), key=ranks.__getitem__)
    rec = reconcile([analyses[d] for d in order],
                    Resolution([], [], {(d, l): e for d in order for l, e in mapping.get(d, {}).items()}),
                    names, published, located, duplicate_of=duplicate_of, ranks=ranks,
                    relations_about=keys, accounts_of=entering, context=context, followers=leaders, stored=stored)
    out = {e.id for e in rec.events}
    for eid in rec.replaced - out:  # joined into another: were other events opened in its first sentence?
        claim = told[members[eid][0]]
        first = claim.evidence[0]
        spot = f"{claim.type}|i:{first.document}:{first.start}"
        if {e for _k, e in store.events_with_keys({spot})} - {eid}:
            return False
    part.relations, part.events, part.conflicts = rec.relations, rec.events, rec.conflicts
    part.event_merges, part.ranks, part.accounts = rec.event_merges, rec.ranks, rec.accounts
    part.old_events = set(rec.replaced)
    part.old_accounts = {ref for eid in rec.replaced for ref in members[eid]}
    return True


def _account_leader(keys) -> tuple[str, int] | None:
    """The account a copy's account follows (from its index keys), or None for one that is weighed."""
    ref = followed(keys)
    return None if ref is None else (ref[0], int(ref[1]))


def _replace_changed(found: dict, changed: set[str], new_accounts: dict) -> dict:
    """Accounts found in the index, those of changed documents with their new keys (old ones are seeds)."""
    return {ref: (new_accounts.get(ref, set()) if ref[0] in changed else ks) for ref, ks in found.items()
            if ref[0] not in changed or ref in new_accounts}
