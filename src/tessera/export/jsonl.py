"""JSON Lines export: one object per line, ``kind`` in document/entity/relation/event/conflict."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

from ..analyze.dates import earliest_report
from ..gazetteer_facade import locate
from ..models import FILLER_FIELDS, Evidence, Filler, ValueWithEvidence


def _ev(e: Evidence) -> dict:
    return e.to_dict()


def _vals(values: tuple[ValueWithEvidence, ...]) -> list[dict]:
    return [{"value": v.value, "evidence": [_ev(e) for e in v.evidence]} for v in values]


def _fillers(values: tuple[Filler, ...]) -> list[dict]:
    return [{"value": f.value, "entity": f.entity, "evidence": [_ev(e) for e in f.evidence]} for f in values]


def records(store) -> Iterator[dict]:
    """Every object of the knowledge base as a JSON-able dict (field names are a stable contract).

    A document's ``warnings`` say what reading it took (a detected encoding, replaced bytes or
    characters, a field left out); ``duplicate_of`` is the earliest copy of its story (or null); an evidence item
    carries its document's ``duplicate_of`` too. ``support`` counts independent sources (a story
    and its copies are one), ``documents`` every document, copies included. An event's ``first_reported``
    is the earliest publication date of the documents that tell it: it happened then or before, whatever
    its ``date`` (null when none of them is dated)."""
    published: dict[str, str] = {}
    for d in store.documents():
        if d.published:
            published[d.id] = d.published
        yield {"kind": "document", "id": d.id, "origin": d.origin, "title": d.title, "published": d.published,
               "source": d.source, "status": "ok", "media_type": d.media_type,
               "duplicate_of": d.duplicate_of, "warnings": list(d.warnings)}
    for origin, reason in store.failures():
        yield {"kind": "document", "id": None, "origin": origin, "title": None, "published": None,
               "source": None, "status": "failed", "error": reason, "duplicate_of": None, "warnings": []}
    entities = store.entities()
    places = store.places()
    if places is None:  # (knowledge written straight through the store, without them)
        places = locate(entities, store.mention_entities(), store.duplicate_of())
    for e in entities:
        record = {"kind": "entity", "id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases),
                  "documents": e.documents, "mentions": e.mentions}
        if e.type == "location":  # the gazetteer entry it resolves to, or None
            place = places.get(e.id)
            record["geo"] = place.to_dict() if place is not None else None
        yield record
    for r in store.relations():
        yield {"kind": "relation", "id": r.id, "subject": r.subject, "predicate": r.predicate, "object": r.object,
               "value": r.value, "date": r.date, "ended": r.ended, "support": r.support, "documents": r.documents,
               "evidence": [_ev(e) for e in r.evidence]}
    joined: dict[str, list[dict]] = {}
    for m in store.event_merges():
        joined.setdefault(m.event, []).append({"document": m.document, "reason": m.reason, "score": m.score})
    for ev in store.events():
        yield {"kind": "event", "id": ev.id, "type": ev.type, "subtype": ev.subtype, "date": ev.date,
               "first_reported": earliest_report(published.get(e.document) for e in ev.evidence if not e.comment),
               "dates": _vals(ev.dates), "locations": list(ev.locations), "perpetrators": list(ev.perpetrators),
               "claimed_by": list(ev.claimed_by), "subject": ev.subject,
               **{f: _fillers(getattr(ev, f)) for f in FILLER_FIELDS},
               "killed": _vals(ev.killed), "wounded": _vals(ev.wounded), "support": ev.support, "documents": ev.documents,
               "merged_accounts": joined.get(ev.id, []), "evidence": [_ev(e) for e in ev.evidence]}
    for c in store.conflicts():
        yield {"kind": "conflict", "id": c.id, "about": c.about, "field": c.field, "values": _vals(c.values)}


def write(store, out: TextIO) -> int:
    """Write the export to ``out``; return the number of lines."""
    n = 0
    for rec in records(store):
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n
