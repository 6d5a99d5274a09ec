"""SQL for the derived knowledge: entities, merges, relations, events, conflicts and their evidence.

``Store`` owns the connection and the transaction; these functions only read and write rows.
"""
from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from tessera.models import (FILLER_FIELDS, ROLE_FIELDS, Conflict, Entity, Event, EventMerge, Evidence, Filler, Merge, Relation,
                            ValueWithEvidence)
from tessera.names import name_key
from tessera.store import schema

_EVENT_ROLES = ("locations", "perpetrators", "claimed_by")
_EVIDENCE_COLUMNS = (
    'field, item, position, value, document, start, "end", quote, '
    "attributed_to, hedge, comment, extractor, confidence"
)
DERIVED_TABLES = (
    "entity_counts", "event_entities", "event_merges", "evidence", "conflicts", "events", "relations", "mention_entities", "merges",
    "aliases", "entities", "local_names", "local_keys", "accounts", "account_keys", "entity_places",
)


def alias_key(name: str) -> str:
    """The lookup key of a name (``tessera.names.name_key``)."""
    return name_key(name)


# ---- writing ----


def write_knowledge(
    conn: sqlite3.Connection,
    entities: list[Entity],
    merges: list[Merge],
    mention_entity: list[tuple[str, str, str]],
    relations: list[Relation],
    events: list[Event],
    conflicts: list[Conflict],
    event_merges: list[EventMerge] = (),
    ranks: dict | None = None,
) -> None:
    """Replace every derived row; the caller holds the transaction."""
    _check_references(entities, mention_entity, relations, events, conflicts)
    for table in DERIVED_TABLES:
        conn.execute(f"DELETE FROM {table}")
    insert_entities(conn, entities, merges, mention_entity)
    insert_facts(conn, relations, events, conflicts, event_merges, ranks or {})
    recount(conn, None)


def recount(conn: sqlite3.Connection, entity_ids: Iterable[str] | None) -> None:
    """Write the ``entity_counts`` rows of these entities (all with None) from the rows as they stand; the
    caller holds the transaction, after writing the facts and mention links the counts come from."""
    if entity_ids is None:
        conn.execute("DELETE FROM entity_counts")
        conn.execute(schema.ENTITY_COUNTS.format(where=""))
        return
    ids = json.dumps(sorted(set(entity_ids) - {None}))
    conn.execute("DELETE FROM entity_counts WHERE entity IN (SELECT value FROM json_each(?))", (ids,))
    conn.execute(schema.ENTITY_COUNTS.format(where="WHERE e.id IN (SELECT value FROM json_each(?))"), (ids,))


def entities_of_facts(conn: sqlite3.Connection, relation_ids: Iterable[str], event_ids: Iterable[str]) -> set[str]:
    """Entities these relations join and these events name (whose counts change with them)."""
    rels, evs = json.dumps(sorted(set(relation_ids))), json.dumps(sorted(set(event_ids)))
    found = set()
    for s, o in conn.execute("SELECT subject, object FROM relations WHERE id IN (SELECT value FROM json_each(?))",
                             (rels,)):
        found.update((s, o))
    found.update(e for (e,) in conn.execute(
        "SELECT entity FROM event_entities INDEXED BY event_entities_event WHERE event IN"
        " (SELECT value FROM json_each(?))", (evs,)))
    found.discard(None)
    return found


def insert_entities(conn: sqlite3.Connection, entities: list[Entity], merges: list[Merge],
                    mention_entity: list[tuple[str, str, str]]) -> None:
    """Add entities (or write a kept one again), their aliases, merges (logged after those already stored) and
    mention links."""
    conn.executemany(
        "INSERT INTO entities (id, name, type, key, documents, mentions) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type, key = excluded.key,"
        " documents = excluded.documents, mentions = excluded.mentions",
        [(e.id, e.name, e.type, alias_key(e.name), e.documents, e.mentions) for e in entities],
    )
    conn.executemany(
        "INSERT INTO aliases (entity, position, alias, key) VALUES (?, ?, ?, ?)",
        [(e.id, i, a, alias_key(a)) for e in entities for i, a in enumerate(e.aliases)],
    )
    start = conn.execute("SELECT coalesce(max(position) + 1, 0) FROM merges").fetchone()[0]
    conn.executemany(
        'INSERT INTO merges (position, entity, name, "into", reason) VALUES (?, ?, ?, ?, ?)',
        [(start + i, m.entity, m.name, m.into, m.reason) for i, m in enumerate(merges)],
    )
    conn.executemany(
        "INSERT INTO mention_entities (document, local, entity) VALUES (?, ?, ?)", mention_entity
    )


def insert_joined(conn: sqlite3.Connection, merges: list[Merge]) -> None:
    """Log merges by name (``Merge.by_name``) into entities kept as they are, in their order: after each entity's
    merges by name and before its others (logged again after them), as resolving the entity again logs them."""
    for entity in dict.fromkeys(m.entity for m in merges):
        later = conn.execute('SELECT position, name, "into", reason FROM merges WHERE entity = ? AND substr(reason, 1, ?) <> ?'
                             " ORDER BY position", (entity, len(Merge.BY_NAME), Merge.BY_NAME)).fetchall()
        conn.execute("DELETE FROM merges WHERE position IN (SELECT value FROM json_each(?))",
                     (json.dumps([p for p, *_ in later]),))
        start = conn.execute("SELECT coalesce(max(position) + 1, 0) FROM merges").fetchone()[0]
        rows = [(m.name, m.into, m.reason) for m in merges if m.entity == entity] + [tuple(r[1:]) for r in later]
        conn.executemany('INSERT INTO merges (position, entity, name, "into", reason) VALUES (?, ?, ?, ?, ?)',
                         [(start + i, entity, *row) for i, row in enumerate(rows)])


def namesakes(conn: sqlite3.Connection, rows: Iterable[tuple]) -> dict[tuple[str, str], str]:
    """(document, local) -> entity, of the index rows (``insert_locals``) of local entities named and called exactly as
    a stored one in the one entity of their type bearing their name."""
    out = {}
    for d, l, _p, t, n, names, _m, _keys in rows:
        found = [e for (e,) in conn.execute("SELECT id FROM entities WHERE key = ? AND type = ? AND name = ?",
                                            (alias_key(n), t, n))
                 if conn.execute("SELECT 1 FROM mention_entities m JOIN local_names l ON l.document = m.document"
                                 " AND l.local = m.local WHERE m.entity = ? AND l.type = ? AND l.name = ? AND l.names = ?"
                                 " LIMIT 1", (e, t, n, json.dumps(list(names)))).fetchone()]
        if len(found) == 1:
            out[(d, l)] = found[0]
    return out


def merge_into(conn: sqlite3.Connection, entity: str, reason: str) -> str | None:
    """The name a merge of this entity for this reason went into, if one is logged."""
    row = conn.execute('SELECT "into" FROM merges WHERE entity = ? AND reason = ? LIMIT 1', (entity, reason)).fetchone()
    return row[0] if row else None


def write_places(conn: sqlite3.Connection, places: dict, gone: Iterable[str] = ()) -> None:
    """Write where these entities lie (entity id -> gazetteer ``Place``, or None for none) and forget the places
    of the entities ``gone``."""
    drop = sorted(set(gone) | {e for e, p in places.items() if p is None})
    conn.execute("DELETE FROM entity_places WHERE entity IN (SELECT value FROM json_each(?))", (json.dumps(drop),))
    conn.executemany("INSERT OR REPLACE INTO entity_places (entity, place) VALUES (?, ?)",
                     [(e, json.dumps(dataclasses.asdict(p), ensure_ascii=False)) for e, p in sorted(places.items())
                      if p is not None])


def read_places(conn: sqlite3.Connection) -> dict:
    """Entity id -> its gazetteer ``Place``, for every located entity."""
    from tessera.gazetteer_facade import Place

    out = {}
    for entity, text in conn.execute("SELECT entity, place FROM entity_places"):
        d = json.loads(text)
        out[entity] = Place(**{**d, "regions": tuple(d.get("regions") or ())})
    return out


def update_counts(conn: sqlite3.Connection, counts: dict[str, tuple[int, int]]) -> None:
    """Write the documents and mentions of entities kept as they are but for those counts (entity id ->
    (documents, mentions))."""
    conn.executemany("UPDATE entities SET documents = ?, mentions = ? WHERE id = ?",
                     [(d, m, e) for e, (d, m) in sorted(counts.items())])


def insert_facts(conn: sqlite3.Connection, relations: list[Relation], events: list[Event],
                 conflicts: list[Conflict], event_merges: list[EventMerge], ranks: dict) -> None:
    """Add relations, events, conflicts and event merges with their evidence; ``ranks`` (id, or (event id,
    index) for an event merge -> text) place them in the order a whole rebuild gives."""
    conn.executemany(
        "INSERT INTO relations (id, position, subject, predicate, object, value, date, ended, rank, documents)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (r.id, i, r.subject, r.predicate, r.object, r.value, r.date, int(r.ended), ranks.get(r.id, ""),
             r.documents)
            for i, r in enumerate(relations)
        ],
    )
    conn.executemany(
        "INSERT INTO events (id, position, type, subtype, date, subject, locations, perpetrators,"
        " claimed_by, targets, rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                e.id, i, e.type, e.subtype, e.date, e.subject, json.dumps(list(e.locations)),
                json.dumps(list(e.perpetrators)), json.dumps(list(e.claimed_by)),
                json.dumps([f.value for f in e.targets]),  # kept readable; the fillers live in evidence
                ranks.get(e.id, ""),
            )
            for i, e in enumerate(events)
        ],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO event_entities (entity, event, date, rank, position) VALUES (?, ?, ?, ?, ?)",
        [(entity, e.id, e.date, ranks.get(e.id, ""), i) for i, e in enumerate(events) for entity in _named_by(e)],
    )
    known_events = {e.id for e in events}
    for m in event_merges:
        if m.event not in known_events:
            raise ValueError(f"event merge names event {m.event!r}, which is not among the events")
    numbered: dict[str, int] = defaultdict(int)
    rows = []
    for i, m in enumerate(event_merges):
        rows.append((m.event, i, m.document, m.reason, m.score, ranks.get((m.event, numbered[m.event]), "")))
        numbered[m.event] += 1
    conn.executemany(
        "INSERT INTO event_merges (event, position, document, reason, score, rank) VALUES (?, ?, ?, ?, ?, ?)", rows
    )
    conn.executemany(
        "INSERT INTO conflicts (id, position, about, field, rank) VALUES (?, ?, ?, ?, ?)",
        [(c.id, i, c.about, c.field, ranks.get(c.id, "")) for i, c in enumerate(conflicts)],
    )
    conn.executemany(
        f"INSERT INTO evidence (owner_kind, owner, {_EVIDENCE_COLUMNS})"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _evidence_rows(relations, events, conflicts),
    )


def delete_entities(conn: sqlite3.Connection, entity_ids: Iterable[str], refs: Iterable[tuple[str, str]],
                    gone: Iterable[str]) -> None:
    """Remove the aliases and merges of entities and the mention links of ``refs`` (document, local); and the
    entities ``gone`` with every mention link to them. An entity kept is written again over its row
    (``insert_entities``), so the links not redone (a copy's) stay."""
    ids = json.dumps(sorted(set(entity_ids)))
    gone_ids = json.dumps(sorted(set(gone)))
    conn.execute("DELETE FROM mention_entities WHERE (document, local) IN"
                 " (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))", (json.dumps(sorted(set(refs))),))
    for table, column, which in (("aliases", "entity", ids), ("merges", "entity", ids),
                                 ("mention_entities", "entity", gone_ids), ("entities", "id", gone_ids)):
        conn.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT value FROM json_each(?))", (which,))


def delete_facts(conn: sqlite3.Connection, relation_ids: Iterable[str], event_ids: Iterable[str]) -> None:
    """Remove relations and events with their evidence, event merges and the conflicts about them."""
    owners = json.dumps(sorted(set(relation_ids) | set(event_ids)))
    conflicts = [c for (c,) in conn.execute(
        "SELECT id FROM conflicts WHERE about IN (SELECT value FROM json_each(?))", (owners,))]
    conn.execute("DELETE FROM evidence WHERE owner_kind = 'conflict' AND owner IN (SELECT value FROM json_each(?))",
                 (json.dumps(conflicts),))
    conn.execute("DELETE FROM conflicts WHERE about IN (SELECT value FROM json_each(?))", (owners,))
    conn.execute("DELETE FROM evidence WHERE owner_kind IN ('relation', 'event')"
                 " AND owner IN (SELECT value FROM json_each(?))", (owners,))
    conn.execute("DELETE FROM event_merges WHERE event IN (SELECT value FROM json_each(?))", (owners,))
    conn.execute("DELETE FROM relations WHERE id IN (SELECT value FROM json_each(?))", (owners,))
    conn.execute("DELETE FROM events WHERE id IN (SELECT value FROM json_each(?))", (owners,))
    conn.execute("DELETE FROM event_entities WHERE event IN (SELECT value FROM json_each(?))", (owners,))


def _named_by(e: Event) -> set[str]:
    """Every entity an event names, in any role (the rows of ``event_entities``)."""
    named = {e.subject, *e.locations, *e.perpetrators, *e.claimed_by}
    named.update(f.entity for field in ROLE_FIELDS for f in getattr(e, field))
    named.discard(None)
    return named


def _check_references(
    entities: list[Entity],
    mention_entity: list[tuple[str, str, str]],
    relations: list[Relation],
    events: list[Event],
    conflicts: list[Conflict],
) -> None:
    known = {e.id for e in entities}

    def need(ids: Iterable[str | None], what: str) -> None:
        for entity_id in ids:
            if entity_id is not None and entity_id not in known:
                raise ValueError(f"{what} names entity {entity_id!r}, which is not among the entities")

    for document, local, entity_id in mention_entity:
        need([entity_id], f"mention {local!r} of document {document[:12]}")
    for r in relations:
        need([r.subject, r.object], f"relation {r.id!r}")
        if not r.evidence:
            raise ValueError(f"relation {r.id!r} has no evidence; every fact needs some")
    for e in events:
        need([e.subject, *e.locations, *e.perpetrators, *e.claimed_by], f"event {e.id!r}")
        for name, values in (("killed", e.killed), ("wounded", e.wounded), ("dates", e.dates)):
            if any(not v.evidence for v in values):
                raise ValueError(f"event {e.id!r} has a {name} value without evidence")
    facts = {r.id for r in relations} | {e.id for e in events}
    for c in conflicts:
        if c.about not in facts:
            raise ValueError(f"conflict {c.id!r} is about {c.about!r}, which is no relation or event")
        if any(not v.evidence for v in c.values):
            raise ValueError(f"conflict {c.id!r} has a value without evidence")


def _evidence_rows(
    relations: list[Relation], events: list[Event], conflicts: list[Conflict]
) -> Iterable[tuple[Any, ...]]:
    def rows(kind: str, owner: str, field: str, item: int, value: Any, evidence: Iterable[Evidence]):
        encoded = None if value is None else json.dumps(value)
        for position, ev in enumerate(evidence):
            yield (
                kind, owner, field, item, position, encoded, ev.document, ev.start, ev.end, ev.quote,
                ev.attributed_to, ev.hedge, int(ev.comment), ev.extractor, ev.confidence,
            )

    for r in relations:
        yield from rows("relation", r.id, "evidence", 0, None, r.evidence)
    for e in events:
        yield from rows("event", e.id, "evidence", 0, None, e.evidence)
        for field in ("killed", "wounded", "dates"):
            for item, v in enumerate(getattr(e, field)):
                yield from rows("event", e.id, field, item, v.value, v.evidence)
        for field in FILLER_FIELDS:  # role fillers (and datelines' places): value, entity named, each mention
            for item, f in enumerate(getattr(e, field)):
                yield from rows("event", e.id, field, item, {"value": f.value, "entity": f.entity}, f.evidence)
    for c in conflicts:
        for item, v in enumerate(c.values):
            yield from rows("conflict", c.id, "values", item, v.value, v.evidence)


# ---- reading ----

_Grouped = dict[str, dict[str, list[ValueWithEvidence]]]


def _evidence_for(conn: sqlite3.Connection, kind: str, owners_sql: str, params: tuple,
                  quotes: int | None = None) -> _Grouped:
    """Evidence of the owners ``owners_sql`` selects, as owner -> field -> values in order; ``quotes`` keeps
    the first that many of each owner's own evidence (field 'evidence'; values and fillers keep all theirs)."""
    first, extra = "", ()
    if quotes is not None:
        first, extra = " AND (field <> 'evidence' OR position < ?)", (max(0, quotes),)
    cursor = conn.execute(
        f"SELECT owner, {_EVIDENCE_COLUMNS},"
        " (SELECT d.duplicate_of FROM documents d INDEXED BY documents_copies WHERE d.id = evidence.document)"
        " FROM evidence"
        f" WHERE owner_kind = ? AND owner IN ({owners_sql}){first}"
        " ORDER BY owner, field, item, position",
        (kind, *params, *extra),
    )
    grouped: dict[str, dict[str, dict[int, tuple[Any, list[Evidence]]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for row in cursor:
        owner, field, item, _position, value = row[:5]
        slot = grouped[owner][field].setdefault(
            item, (None if value is None else json.loads(value), [])
        )
        slot[1].append(_evidence(row[5:]))
    return {
        owner: {
            field: [ValueWithEvidence(v, tuple(evs)) for _, (v, evs) in sorted(items.items())]
            for field, items in fields.items()
        }
        for owner, fields in grouped.items()
    }


def _evidence(row: tuple) -> Evidence:
    document, start, end, quote, attributed_to, hedge, comment, extractor, confidence, duplicate_of = row
    return Evidence(document, start, end, quote, attributed_to, hedge, bool(comment), extractor, confidence,
                    duplicate_of)


def _plain(grouped: _Grouped, owner: str) -> tuple[Evidence, ...]:
    values = grouped.get(owner, {}).get("evidence", [])
    return values[0].evidence if values else ()


def read_entities(conn: sqlite3.Connection, where: str = "", params: tuple = (),
                  limit: int | None = None, offset: int = 0) -> list[Entity]:
    """Entities matching ``where`` (SQL on alias ``e``), most mentioned first; ``limit`` for one page."""
    page, page_params = ("", ()) if limit is None else (" LIMIT ? OFFSET ?", (limit, offset))
    selected = f"SELECT e.id FROM entities e {where} ORDER BY e.mentions DESC, e.name, e.id{page}"
    rows = conn.execute(
        f"SELECT e.id, e.name, e.type, e.documents, e.mentions FROM entities e {where}"
        f" ORDER BY e.mentions DESC, e.name, e.id{page}",
        params + page_params,
    ).fetchall()
    aliases: dict[str, list[str]] = defaultdict(list)
    for entity, alias in conn.execute(
        f"SELECT entity, alias FROM aliases WHERE entity IN ({selected})"
        " ORDER BY entity, position",
        params + page_params,
    ):
        aliases[entity].append(alias)
    return [Entity(i, n, t, tuple(aliases[i]), d, m) for i, n, t, d, m in rows]


def find_entities(conn: sqlite3.Connection, name: str, limit: int | None = None) -> list[Entity]:
    """Entities whose name or an alias has the key of ``name``, then those whose key starts so (the first
    ``limit``: "Org 2" begins the names of thousands in a large kb)."""
    key = alias_key(name)
    if not key:
        return []
    matching = (
        "SELECT id, key FROM entities UNION ALL SELECT entity, key FROM aliases"
    )
    exact = read_entities(conn, f"WHERE e.id IN (SELECT id FROM ({matching}) WHERE key = ?)", (key,), limit=limit)
    if limit is not None and len(exact) >= limit:
        return exact
    # keys that begin with it: a range of the key indexes (every key after it and before it + the last character)
    seen = {e.id for e in exact}
    prefix = read_entities(
        conn,
        f"WHERE e.id IN (SELECT id FROM ({matching}) WHERE key > ? AND key < ?)",
        (key, key + "\U0010ffff"), limit=None if limit is None else limit + len(seen),
    )
    found = exact + [e for e in prefix if e.id not in seen]
    return found if limit is None else found[:limit]


def read_merges(conn: sqlite3.Connection, entity_id: str | None) -> list[Merge]:
    """Merges in the order the resolver logged them, optionally of one entity."""
    where, params = ("WHERE entity = ?", (entity_id,)) if entity_id else ("", ())
    return [
        Merge(*row)
        for row in conn.execute(
            f'SELECT entity, name, "into", reason FROM merges {where} ORDER BY position', params
        )
    ]


def read_event_merges(conn: sqlite3.Connection, event_id: str | None) -> list[EventMerge]:
    """Accounts joined to events, in the order the reconciler joined them, optionally of one event."""
    where, params = ("WHERE event = ?", (event_id,)) if event_id else ("", ())
    return [
        EventMerge(*row)
        for row in conn.execute(
            f"SELECT event, document, reason, score FROM event_merges {where} ORDER BY rank, position", params
        )
    ]


# the orders a limited read keeps relations and events in: the latest dated first (undated last), or for
# relations the best supported (most documents) first; ties in resolver order. Each is an index
# (schema migrations 7 and 8), so a page reads its own rows only.
_LATEST_FIRST = "date IS NULL, date DESC, rank, position"
_SUPPORTED_FIRST = "documents DESC, rank, position"


def _ids(rows: Iterable[tuple]) -> str:
    return json.dumps([r[0] for r in rows])


def relation_page(conn: sqlite3.Connection, entity_id: str | None, limit: int, offset: int = 0,
                  latest: bool = False) -> list[str]:
    """Ids of one page of relations (of the entity, as subject or object, or of the base), the best supported
    or with ``latest`` the latest dated first."""
    order = _LATEST_FIRST if latest else _SUPPORTED_FIRST
    if entity_id is None:
        return [i for (i,) in conn.execute(f"SELECT id FROM relations ORDER BY {order} LIMIT ? OFFSET ?",
                                           (limit, offset))]
    # the two sides merged, each read in order from its index (a relation of the entity with itself once)
    kind, columns, order = (("latest", "id, date IS NULL AS undated, date", "undated, date DESC, rank, position")
                            if latest else ("support", "id, documents", "documents DESC, rank, position"))
    return [i for (i, *_rest) in conn.execute(
        f"SELECT {columns}, rank, position FROM relations INDEXED BY relations_subject_{kind} WHERE subject = ?"
        f" UNION ALL SELECT {columns}, rank, position FROM relations INDEXED BY relations_object_{kind}"
        f" WHERE object = ? AND subject <> ? ORDER BY {order} LIMIT ? OFFSET ?",
        (entity_id, entity_id, entity_id, limit, offset))]


def event_page(conn: sqlite3.Connection, entity_id: str | None, limit: int, offset: int = 0) -> list[str]:
    """Ids of one page of events (naming the entity, or of the base), the latest dated first."""
    if entity_id is None:
        return [i for (i,) in conn.execute(
            f"SELECT id FROM events INDEXED BY events_latest ORDER BY {_LATEST_FIRST} LIMIT ? OFFSET ?",
            (limit, offset))]
    return [i for (i,) in conn.execute(
        "SELECT event FROM event_entities INDEXED BY event_entities_latest WHERE entity = ?"
        f" ORDER BY {_LATEST_FIRST} LIMIT ? OFFSET ?", (entity_id, limit, offset))]


def read_relations(conn: sqlite3.Connection, entity_id: str | None, relation_id: str | None = None,
                   ids: Iterable[str] | None = None, limit: int | None = None, latest: bool = False,
                   offset: int = 0, quotes: int | None = None) -> list[Relation]:
    """Relations in resolver order, optionally those with the entity as subject or object, or the one with an id,
    or those with these ids; ``limit`` keeps that many (after ``offset``), the best supported (or with ``latest``
    the latest dated)."""
    if limit is not None and relation_id is None and ids is None:
        ids = relation_page(conn, entity_id, limit, offset, latest)
    if relation_id is not None:
        ids = (relation_id,)
    if ids is not None:
        where, params = "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),)
    elif entity_id:
        where, params = "WHERE subject = ? OR object = ?", (entity_id, entity_id)
    else:
        where, params = "", ()
    rows = conn.execute(
        f"SELECT id, subject, predicate, object, value, date, ended FROM relations {where}"
        " ORDER BY rank, position",
        params,
    ).fetchall()
    grouped = _evidence_for(conn, "relation", "SELECT value FROM json_each(?)", (_ids(rows),), quotes)
    return [
        Relation(i, s, p, _plain(grouped, i), o, v, d, bool(ended)) for i, s, p, o, v, d, ended in rows
    ]


def read_events(conn: sqlite3.Connection, entity_id: str | None, ids: Iterable[str] | None = None,
                limit: int | None = None, offset: int = 0, quotes: int | None = None) -> list[Event]:
    """Events in reconciler order, optionally those naming the entity in any role, or those with these ids;
    ``limit`` keeps that many (after ``offset``), the latest dated (undated last)."""
    if limit is not None and ids is None:
        ids = event_page(conn, entity_id, limit, offset)
    if ids is not None:
        where, params = "WHERE events.id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),)
    elif entity_id:
        where, params = "WHERE events.id IN (SELECT event FROM event_entities WHERE entity = ?)", (entity_id,)
    else:
        where, params = "", ()
    rows = conn.execute(
        "SELECT id, type, subtype, date, subject, locations, perpetrators, claimed_by"
        f" FROM events {where} ORDER BY rank, position",
        params,
    ).fetchall()
    grouped = _evidence_for(conn, "event", "SELECT value FROM json_each(?)", (_ids(rows),), quotes)
    events = []
    for i, type_, subtype, date, subject, locations, perpetrators, claimed_by in rows:
        fields = grouped.get(i, {})
        events.append(
            Event(
                i, type_, _plain(grouped, i), subtype, date,
                tuple(json.loads(locations)), tuple(json.loads(perpetrators)),
                tuple(json.loads(claimed_by)), subject,
                tuple(fields.get("killed", ())), tuple(fields.get("wounded", ())),
                tuple(fields.get("dates", ())),
                **{f: tuple(Filler(v.value["value"], v.evidence, v.value.get("entity")) for v in fields.get(f, ()))
                   for f in FILLER_FIELDS},
            )
        )
    return events


def read_conflicts(conn: sqlite3.Connection, about: Iterable[str] | None = None, limit: int | None = None,
                   offset: int = 0) -> list[Conflict]:
    """Conflicts in reconciler order, each value with its evidence; optionally those about some relations or
    events, and one page of them (``limit``, ``offset``)."""
    where, params = "", ()
    if about is not None:
        # one JSON parameter, not one per id: everything about an entity is tens of thousands of ids, past
        # SQLite's default limit of 32,766 parameters
        where, params = "WHERE about IN (SELECT value FROM json_each(?))", (json.dumps(list(about)),)
    if limit is not None:
        where, params = where + " ORDER BY rank, position LIMIT ? OFFSET ?", params + (limit, offset)
    selected = f"SELECT id FROM conflicts {where}"
    rows = conn.execute(
        f"SELECT id, about, field FROM conflicts WHERE id IN ({selected}) ORDER BY rank, position", params).fetchall()
    grouped = _evidence_for(conn, "conflict", selected, params)
    return [
        Conflict(i, about, field, tuple(grouped.get(i, {}).get("values", ())))
        for i, about, field in rows
    ]


def count_facts(conn: sqlite3.Connection, entity_id: str | None) -> tuple[int, int]:
    """(relations, events) of an entity (kept in ``entity_counts``), or of the whole base."""
    if entity_id is None:
        return (conn.execute("SELECT count(*) FROM relations").fetchone()[0],
                conn.execute("SELECT count(*) FROM events").fetchone()[0])
    row = conn.execute("SELECT relations, events FROM entity_counts WHERE entity = ?", (entity_id,)).fetchone()
    return tuple(row) if row else (0, 0)


def count_documents(conn: sqlite3.Connection, relation_ids: Iterable[str], event_ids: Iterable[str]) -> dict[str, int]:
    """Fact id -> documents that say it (reader comments aside): kept with each relation, counted for events."""
    found = dict(conn.execute("SELECT id, documents FROM relations WHERE id IN (SELECT value FROM json_each(?))",
                              (json.dumps(sorted(set(relation_ids))),)))
    found.update(conn.execute(
        "SELECT owner, count(DISTINCT document) FROM evidence WHERE owner_kind = 'event' AND owner IN"
        " (SELECT value FROM json_each(?)) AND field = 'evidence' AND comment = 0 GROUP BY owner",
        (json.dumps(sorted(set(event_ids))),)))
    return found


def event_publications(conn: sqlite3.Connection, event_ids: Iterable[str]) -> dict[str, list[str]]:
    """Event id -> the publication dates of the documents that tell it (reader comments aside; undated ones left out)."""
    out: dict[str, list[str]] = defaultdict(list)
    for owner, published in conn.execute(
            "SELECT DISTINCT e.owner, d.published FROM evidence e JOIN documents d ON d.id = e.document"
            " WHERE e.owner_kind = 'event' AND e.owner IN (SELECT value FROM json_each(?)) AND e.field = 'evidence'"
            " AND e.comment = 0 AND d.published IS NOT NULL", (json.dumps(sorted(set(event_ids))),)):
        out[owner].append(published)
    return dict(out)


def count_sources(conn: sqlite3.Connection, entity_id: str) -> int:
    """Independent sources that mention an entity (kept in ``entity_counts``): copies of one story are one."""
    row = conn.execute("SELECT sources FROM entity_counts WHERE entity = ?", (entity_id,)).fetchone()
    return row[0] if row else 0


def read_entity_refs(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Entity id -> (name, type) for those of ``ids`` that exist."""
    ids = list(dict.fromkeys(ids))
    out: dict[str, tuple[str, str]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update((i_, (n, t)) for i_, n, t in conn.execute(
            f"SELECT id, name, type FROM entities WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
    return out


def count_entities(conn: sqlite3.Connection) -> dict[str, int]:
    """Entity type -> number of entities."""
    return dict(conn.execute("SELECT type, count(*) FROM entities GROUP BY type ORDER BY type"))


def read_neighbour_counts(conn: sqlite3.Connection, type: str | None, limit: int) -> list[tuple[str, int]]:
    """(entity id, number of distinct entities it has a relation with), most connected first."""
    where, params = ("AND e.type = ?", (type,)) if type else ("", ())
    return list(conn.execute(
        "SELECT e.id, c.partners FROM entity_counts c INDEXED BY entity_counts_partners"
        f" JOIN entities e ON e.id = c.entity WHERE c.partners > 0 {where}"
        " ORDER BY c.partners DESC, e.mentions DESC, e.name LIMIT ?",
        (*params, limit),
    ))


def read_top_entities(conn: sqlite3.Connection, types: Iterable[str], limit: int) -> list[Entity]:
    """The ``limit`` entities of these types named in the most documents (then by name)."""
    ids = [i for (i,) in conn.execute(
        "SELECT id FROM entities INDEXED BY entities_documents WHERE type IN (SELECT value FROM json_each(?))"
        " ORDER BY documents DESC, name, id LIMIT ?", (json.dumps(sorted(set(types))), limit))]
    found = {e.id: e for e in read_entities(conn, "WHERE e.id IN (SELECT value FROM json_each(?))", (json.dumps(ids),))}
    return [found[i] for i in ids]


def iter_ties(conn: sqlite3.Connection, entity_ids: Iterable[str], predicates: Iterable[str] | None):
    """(id, subject, predicate, object, date, ended, documents) of the relations between these entities (of these
    predicates), the best supported first: read from an index, not from the rows, and streamed."""
    ids = json.dumps(sorted(set(entity_ids)))
    where, params = "", (ids, ids)
    if predicates is not None:
        where, params = " AND r.predicate IN (SELECT value FROM json_each(?))", (ids, ids, json.dumps(sorted(set(predicates))))
    for i, s, p, o, d, ended, n in conn.execute(
        "SELECT r.id, r.subject, r.predicate, r.object, r.date, r.ended, r.documents FROM relations r"
        " INDEXED BY relations_pair WHERE r.subject IN (SELECT value FROM json_each(?))"
        f" AND r.object IN (SELECT value FROM json_each(?)){where} ORDER BY r.documents DESC, r.id", params):
        yield i, s, p, o, d, bool(ended), n


# ---- the index a partial refresh reads (local names and event accounts, with their keys) ----


def insert_locals(conn: sqlite3.Connection, rows: Iterable[tuple]) -> None:
    """Index local entities: (document, local, position, type, name, names, mentions, keys) each."""
    rows = list(rows)
    conn.executemany(
        "INSERT INTO local_names (document, local, position, type, name, names, mentions) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(d, l, p, t, n, json.dumps(list(names)), m) for d, l, p, t, n, names, m, _keys in rows])
    conn.executemany("INSERT INTO local_keys (document, local, key) VALUES (?, ?, ?)",
                     [(d, l, k) for d, l, _p, _t, _n, _names, _m, keys in rows for k in sorted(keys)])


def delete_locals(conn: sqlite3.Connection, documents: Iterable[str]) -> None:
    docs = json.dumps(sorted(set(documents)))
    for table in ("local_names", "local_keys"):
        conn.execute(f"DELETE FROM {table} WHERE document IN (SELECT value FROM json_each(?))", (docs,))


def insert_accounts(conn: sqlite3.Connection, rows: Iterable[tuple[str, int, str, Iterable[str], str | None, int]]) -> None:
    """Index event accounts: (document, claim index, event id, keys, weighing, place among the event's accounts)
    each."""
    rows = list(rows)
    conn.executemany("INSERT INTO accounts (document, claim, event, weighing, position) VALUES (?, ?, ?, ?, ?)",
                     [(d, c, e, w, n) for d, c, e, _keys, w, n in rows])
    conn.executemany("INSERT INTO account_keys (document, claim, key) VALUES (?, ?, ?)",
                     [(d, c, k) for d, c, _e, keys, _w, _n in rows for k in sorted(keys)])


def event_makings(conn: sqlite3.Connection, event_ids: Iterable[str]) -> dict[str, tuple[str, list, list]]:
    """Event id -> what it was made of: (its rank, its accounts in their order as (document, claim index, keys,
    weighing), its merges in their order as (document, reason, score))."""
    ids = json.dumps(sorted(set(event_ids)))
    ranks = dict(conn.execute("SELECT id, rank FROM events WHERE id IN (SELECT value FROM json_each(?))", (ids,)))
    merges: dict[str, list] = defaultdict(list)
    for e, d, r, sc in conn.execute("SELECT event, document, reason, score FROM event_merges WHERE event IN"
                                    " (SELECT value FROM json_each(?)) ORDER BY rank, position", (ids,)):
        merges[e].append((d, r, sc))
    accounts = _accounts_of_events(conn, ids)
    return {e: (rank, accounts.get(e, []), merges.get(e, [])) for e, rank in ranks.items()}


def _accounts_of_events(conn: sqlite3.Connection, ids: str) -> dict[str, list[tuple[str, int, set[str], str | None]]]:
    """Event id -> its accounts in their order: (document, claim index, keys, weighing) each (``ids``: a JSON
    list)."""
    out: dict[str, list] = defaultdict(list)
    keys: dict[tuple[str, int], set[str]] = defaultdict(set)
    for d, c, k in conn.execute(
            "SELECT k.document, k.claim, k.key FROM accounts a JOIN account_keys k ON k.document = a.document"
            " AND k.claim = a.claim WHERE a.event IN (SELECT value FROM json_each(?))", (ids,)):
        keys[(d, c)].add(k)
    for e, d, c, w in conn.execute("SELECT event, document, claim, weighing FROM accounts WHERE event IN"
                                   " (SELECT value FROM json_each(?)) ORDER BY event, position", (ids,)):
        out[e].append((d, c, keys[(d, c)], w))
    return dict(out)


def delete_accounts(conn: sqlite3.Connection, refs: Iterable[tuple[str, int]]) -> None:
    refs = json.dumps(sorted(set(refs)))
    for table in ("accounts", "account_keys"):
        conn.execute(f"DELETE FROM {table} WHERE (document, claim) IN"
                     " (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))", (refs,))


def _keyed(conn: sqlite3.Connection, table: str, item: str, values: Iterable[str], *, by_key: bool) -> dict:
    """Rows of a key index (``local_keys``: (document, local); ``account_keys``: (document, claim)), each with
    all its keys: those having any of the keys ``values`` (``by_key``), or those of the documents ``values``."""
    where = (f"(document, {item}) IN (SELECT document, {item} FROM {table} WHERE key IN (SELECT value FROM json_each(?)))"
             if by_key else "document IN (SELECT value FROM json_each(?))")
    found: dict[tuple, set[str]] = defaultdict(set)
    for d, x, k in conn.execute(f"SELECT document, {item}, key FROM {table} WHERE {where}",
                                (json.dumps(sorted(set(values))),)):
        found[(d, x)].add(k)
    return found


def locals_with_keys(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[tuple[str, str], set[str]]:
    """Indexed local entities that have any of ``keys``, with all their keys."""
    return _keyed(conn, "local_keys", "local", keys, by_key=True)


def locals_of(conn: sqlite3.Connection, documents: Iterable[str]) -> dict[tuple[str, str], set[str]]:
    """Indexed local entities of these documents, with their keys."""
    return _keyed(conn, "local_keys", "local", documents, by_key=False)


def read_local_names(conn: sqlite3.Connection, refs: Iterable[tuple[str, str]]) -> list[tuple]:
    """(document, local, position, type, name, names, mentions) of indexed local entities."""
    return [(d, l, p, t, n, tuple(json.loads(names)), m) for d, l, p, t, n, names, m in conn.execute(
        "SELECT document, local, position, type, name, names, mentions FROM local_names WHERE (document, local) IN"
        " (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))",
        (json.dumps(sorted(set(refs))),))]


def accounts_with_keys(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[tuple[str, int], set[str]]:
    """Indexed event accounts that have any of ``keys``, with all their keys."""
    return _keyed(conn, "account_keys", "claim", keys, by_key=True)


def accounts_of(conn: sqlite3.Connection, documents: Iterable[str]) -> dict[tuple[str, int], set[str]]:
    """Indexed event accounts of these documents, with their keys."""
    return _keyed(conn, "account_keys", "claim", documents, by_key=False)


def events_with_keys(conn: sqlite3.Connection, keys: Iterable[str]) -> set[tuple[str, str]]:
    """(key, event) of the events told in the indexed accounts that have any of ``keys``, with the key."""
    return set(conn.execute(
        "SELECT DISTINCT k.key, a.event FROM account_keys k JOIN accounts a ON a.document = k.document AND a.claim = k.claim"
        " WHERE k.key IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(keys))),)))


def event_weighings(conn: sqlite3.Connection, event_ids: Iterable[str]) -> dict[str, tuple[str, list]]:
    """Event id -> (its rank, its weighed accounts in their order as ((document, claim index), weighing)): what
    weighing news against it reads (a copy's account that follows another has no weighing)."""
    ids = json.dumps(sorted(set(event_ids)))
    out = {e: (rank, []) for e, rank in conn.execute(
        "SELECT id, rank FROM events WHERE id IN (SELECT value FROM json_each(?))", (ids,))}
    for e, d, c, w in conn.execute(
            "SELECT event, document, claim, weighing FROM accounts WHERE event IN (SELECT value FROM json_each(?))"
            " AND weighing IS NOT NULL ORDER BY event, position", (ids,)):
        out[e][1].append(((d, c), w))
    return out


def events_of_accounts(conn: sqlite3.Connection, refs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """(document, claim index) -> the event it is told in, of these accounts."""
    return {(d, c): e for d, c, e in conn.execute(
        "SELECT document, claim, event FROM accounts WHERE (document, claim) IN"
        " (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))",
        (json.dumps(sorted(set(refs))),))}


def event_dates(conn: sqlite3.Connection, event_ids: Iterable[str]) -> dict[str, set[str]]:
    """Event id -> the dates its weighed accounts give (their ``weighing``s' third item: what the reconciler weighs
    a date against), of these events (those with any): a copy's account that follows another weighs nothing."""
    out: dict[str, set[str]] = defaultdict(set)
    for e, date in conn.execute(
            "SELECT event, json_extract(weighing, '$[2]') FROM accounts WHERE event IN (SELECT value FROM json_each(?))"
            " AND json_extract(weighing, '$[2]') IS NOT NULL", (json.dumps(sorted(set(event_ids))),)):
        out[e].add(date)
    return dict(out)


def relation_keys_of_documents(conn: sqlite3.Connection, documents: Iterable[str]) -> set[tuple]:
    """(subject, predicate, object) of the relations with evidence in these documents."""
    return set(conn.execute(
        "SELECT DISTINCT r.subject, r.predicate, r.object FROM relations r WHERE r.id IN"
        " (SELECT owner FROM evidence WHERE owner_kind = 'relation' AND document IN (SELECT value FROM json_each(?)))",
        (json.dumps(sorted(set(documents))),)))


def relations_by_key(conn: sqlite3.Connection, subjects_of: Iterable[str] = (), objects_of: Iterable[str] = (),
                     keys: Iterable[tuple] = ()) -> list[tuple]:
    """(id, subject, predicate, object, ended) of led_by relations of these subjects, succeeded and led_by
    relations of these objects, and relations of these (subject, predicate, object) keys."""
    rows = conn.execute(
        "SELECT id, subject, predicate, object, ended FROM relations WHERE"
        " (predicate = 'led_by' AND subject IN (SELECT value FROM json_each(?)))"
        " OR (predicate IN ('led_by', 'succeeded') AND object IN (SELECT value FROM json_each(?)))"
        " OR (subject, predicate, coalesce(object, '')) IN"
        " (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), coalesce(json_extract(value, '$[2]'), '')"
        "  FROM json_each(?))",
        (json.dumps(sorted(set(subjects_of))), json.dumps(sorted(set(objects_of))),
         json.dumps([list(k) for k in keys])))
    return list(rows)


def evidence_documents(conn: sqlite3.Connection, owners: Iterable[str]) -> set[str]:
    """Documents that give evidence for these relations or events."""
    return {d for (d,) in conn.execute(
        "SELECT DISTINCT document FROM evidence WHERE owner_kind IN ('relation', 'event')"
        " AND owner IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(owners))),))}
