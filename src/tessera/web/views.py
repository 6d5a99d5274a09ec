"""What each page shows, as plain JSON-able dicts built from ``KnowledgeBase`` reads.

One function per page; the HTML template and the ``.json`` twin render the same dict, so the two
never disagree. Entity ids are turned into ``{"id", "name", "type"}`` references here, so templates
need no lookups; every fact carries its evidence (quote, document, who is quoted, hedge).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict

from ..cli import _READINGS, PERSON_SECTIONS, PROFILE_SECTIONS
from ..kb import CONFLICTS_LIMIT, PROFILE_LIMIT, TIMELINE_LIMIT, KnowledgeBase
from ..models import ENTITY_TYPES, PREDICATES, FILLER_FIELDS, ROLE_FIELDS, Conflict, Event, Evidence, Relation
from .periods import bound, period

ENTITIES_PER_PAGE = 50
HITS_PER_PAGE = 20
CONFLICTS_PER_PAGE = CONFLICTS_LIMIT  # 25: the library's page is the workbench's
TIMELINE_CHOICES = 100  # entities of each type offered in the timeline's select
PROFILE_FACTS = PROFILE_LIMIT  # 50 relations (best supported) and events (latest) an entity page shows, a page at a time
QUOTES_SHOWN = 5  # quotes a fact's footnote lists on a page of many facts (a relation's own page has them all)
TIMELINE_ITEMS = TIMELINE_LIMIT  # 200 latest dated events and relations the timeline shows, a page at a time
HOME_DOCUMENTS = 100  # documents the home page lists (the first by origin)
NAMES_SEEN_DOCUMENTS = 10  # documents whose analyses the entity page reads to list how the entity is written
NETWORK_TYPES = ("organization", "person")
TYPE_PLURALS = {"organization": "organizations", "person": "people", "location": "places"}
NETWORK_NODES = 300  # the network draws the entities named in the most documents, this many by default
NETWORK_MAX_NODES = 2000  # and at most this many (?top=N)
NETWORK_TIES_PER_NODE = 5  # relations drawn, the best supported: at most this many per entity asked for


class Context:
    """Lookups shared by the builders of one request: entity names and types, document origins and titles.

    Looked up by id as the page needs them and kept for the request: a page names a few entities and
    documents of a knowledge base that may hold hundreds of thousands (reading them all took seconds)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._entities: dict[str, tuple[str, str] | None] = {}
        self._documents: dict[str, tuple[str, str | None] | None] = {}

    def prefetch(self, entities: Iterable[str | None] = (), documents: Iterable[str] = ()) -> None:
        """Look up these entities and documents in one read each (a page of 50 facts names hundreds)."""
        entities = [i for i in dict.fromkeys(entities) if i is not None and i not in self._entities]
        documents = [d for d in dict.fromkeys(documents) if d not in self._documents]
        if entities:
            found = self.kb.store.entity_refs(entities)
            self._entities.update((i, found.get(i)) for i in entities)
        if documents:
            found = self.kb.store.document_refs(documents)
            self._documents.update((d, found.get(d)) for d in documents)

    def prefetch_facts(self, relations: Iterable[Relation] = (), events: Iterable[Event] = ()) -> None:
        """``prefetch`` what these relations and events name and quote."""
        entities, documents = [], []
        for r in relations:
            entities += (r.subject, r.object)
            documents += (e.document for e in r.evidence)
        for ev in events:
            entities += (ev.subject, *ev.locations, *ev.perpetrators, *ev.claimed_by)
            documents += (e.document for e in ev.evidence)
            for field in ("killed", "wounded", "dates", *FILLER_FIELDS):
                for v in getattr(ev, field):
                    entities.append(getattr(v, "entity", None))
                    documents += (e.document for e in v.evidence)
        self.prefetch(entities, documents)

    def ref(self, entity_id: str | None) -> dict | None:
        if entity_id is None:
            return None
        if entity_id not in self._entities:
            self._entities[entity_id] = self.kb.store.entity_refs([entity_id]).get(entity_id)
        e = self._entities[entity_id]
        return {"id": entity_id, "name": e[0] if e else entity_id, "type": e[1] if e else None}

    def doc(self, doc_id: str) -> dict:
        if doc_id not in self._documents:
            self._documents[doc_id] = self.kb.store.document_refs([doc_id]).get(doc_id)
        d = self._documents[doc_id]
        return {"id": doc_id, "origin": d[0] if d else doc_id, "title": d[1] if d else None}

    def evidence(self, ev: Evidence) -> dict:
        return {
            "document": self.doc(ev.document), "start": ev.start, "end": ev.end, "quote": ev.quote,
            "attributed_to": ev.attributed_to, "hedge": ev.hedge, "comment": ev.comment,
            "extractor": ev.extractor,
        }

    def supported(self, value, evidence) -> dict:
        """A value with its evidence and the number of documents behind it (reader comments not counted)."""
        return {"value": value, "support": support(evidence), "evidence": [self.evidence(e) for e in evidence]}


def support(evidence) -> int:
    return len({e.document for e in evidence if not e.comment})


def relation_view(cx: Context, r: Relation, focus: str | None = None, documents: int | None = None) -> dict:
    """A relation as read from ``focus``'s side (its subject's when no focus); ``documents``: its support when
    its evidence was read in part (``quotes``)."""
    forward = focus is None or r.subject == focus or r.value is not None
    reading = _READINGS.get(r.predicate, (r.predicate, r.predicate + " (of)"))
    return {
        "id": r.id, "predicate": r.predicate, "label": reading[0 if forward else 1],
        "subject": cx.ref(r.subject), "object": cx.ref(r.object), "value": r.value,
        "other": None if r.value is not None else cx.ref(r.object if forward else r.subject),
        "date": r.date, "ended": r.ended, "support": support(r.evidence) if documents is None else documents,
        "evidence": [cx.evidence(e) for e in r.evidence],
    }


def event_view(cx: Context, ev: Event, merges: bool = True, documents: int | None = None) -> dict:
    out = {
        "id": ev.id, "type": ev.type, "subtype": ev.subtype, "date": ev.date,
        "dates": [cx.supported(v.value, v.evidence) for v in ev.dates],
        "subject": cx.ref(ev.subject),
        "locations": [cx.ref(x) for x in ev.locations],
        "perpetrators": [cx.ref(x) for x in ev.perpetrators],
        "claimed_by": [cx.ref(x) for x in ev.claimed_by],
        "killed": [cx.supported(v.value, v.evidence) for v in ev.killed],
        "wounded": [cx.supported(v.value, v.evidence) for v in ev.wounded],
        "support": support(ev.evidence) if documents is None else documents,
        "evidence": [cx.evidence(e) for e in ev.evidence],
        "title": event_title(cx, ev),
    }
    for field in FILLER_FIELDS:
        out[field] = [{"value": f.value, "entity": cx.ref(f.entity), "support": support(f.evidence),
                       "evidence": [cx.evidence(e) for e in f.evidence]} for f in getattr(ev, field)]
    if merges:
        first = ev.evidence[0].document if ev.evidence else None
        out["opened_by"] = cx.doc(first) if first else None
        out["merges"] = [{"document": cx.doc(m.document), "reason": m.reason, "score": m.score}
                         for m in cx.kb.event_merges(ev.id)]
    return out


def event_title(cx: Context, ev: Event) -> str:
    kind = ev.type + (f"/{ev.subtype}" if ev.subtype else "")
    parts = [kind]
    if ev.subject:
        parts.append(cx.ref(ev.subject)["name"])
    if ev.locations:
        parts.append("at " + ", ".join(cx.ref(x)["name"] for x in ev.locations))
    if ev.perpetrators:
        parts.append("by " + ", ".join(cx.ref(x)["name"] for x in ev.perpetrators))
    return " ".join(parts)


def conflict_view(cx: Context, c: Conflict, about: dict[str, object]) -> dict:
    item = about.get(c.about)
    if isinstance(item, Event):
        subject = {"kind": "event", "id": item.id, "label": f"{item.date or 'undated'} {event_title(cx, item)}",
                   "entities": [cx.ref(x) for x in (*item.perpetrators, *(() if item.subject is None else (item.subject,)))]}
    elif isinstance(item, Relation):
        rv = relation_view(cx, item)
        subject = {"kind": "relation", "id": item.id,
                   "label": f"{rv['subject']['name']} {rv['label']} {rv['value'] or (rv['other'] or {}).get('name', '?')}",
                   "entities": [x for x in (rv["subject"], rv["object"]) if x]}
    else:
        subject = {"kind": None, "id": c.about, "label": c.about, "entities": []}
    values = []
    for v in c.values:
        sv = cx.supported(v.value, v.evidence)
        sv["documents"] = sorted({e["document"]["origin"] for e in sv["evidence"]})
        values.append(sv)
    return {"id": c.id, "field": c.field, "about": subject, "values": values}


def page_info(page: int, per_page: int, total: int | None, shown: int, has_more: bool | None = None) -> dict:
    pages = None if total is None else max(1, -(-total // per_page))
    more = has_more if has_more is not None else (pages is not None and page < pages)
    return {"page": page, "per_page": per_page, "total": total, "pages": pages, "shown": shown,
            "previous": page - 1 if page > 1 else None, "next": page + 1 if more else None}


# ---- pages ----------------------------------------------------------------------------------


def home(kb: KnowledgeBase) -> dict:
    cx = Context(kb)
    # the latest dated events from the store (reading every event took seconds in a large kb), then ordered here
    events = sorted(kb.store.events(limit=50), key=lambda ev: _date_order(ev.date), reverse=True)
    return {
        "overview": kb.overview(),
        "most_connected": [{**cx.ref(e.id), "partners": n, "documents": e.documents}
                           for e, n in kb.most_connected("organization", 10)],
        "latest_events": [{"id": ev.id, "date": ev.date, "title": event_title(cx, ev), "support": support(ev.evidence),
                           "entities": [cx.ref(x) for x in ev.perpetrators]} for ev in events[:10]],
        "documents": [{"id": d.id, "origin": d.origin, "title": d.title, "published": d.published}
                      for d in kb.store.latest_documents(limit=HOME_DOCUMENTS)],
        "documents_shown": HOME_DOCUMENTS,
    }


def entities(kb: KnowledgeBase, type: str | None, page: int, per_page: int = ENTITIES_PER_PAGE) -> dict:
    found, total = kb.entities_page(type, offset=(page - 1) * per_page, limit=per_page)
    return {"type": type, "types": list(ENTITY_TYPES),
            "entities": [asdict(e) for e in found],
            "pagination": page_info(page, per_page, total, len(found))}


def entity(kb: KnowledgeBase, entity_id: str, page: int = 1, per_page: int | None = None) -> dict:
    """An entity's page: its names, then one page of its best-supported relations and of its latest events
    (``PROFILE_FACTS`` of each, ``?page=N`` for the next), each fact with its first ``QUOTES_SHOWN`` quotes."""
    per_page = per_page or PROFILE_FACTS
    offset = (page - 1) * per_page
    # one quote more than shown: then the page knows to say there are more
    p = kb.profile(entity_id, limit=per_page, offset=offset, quotes=QUOTES_SHOWN + 1)
    cx = Context(kb)
    e = p.entity
    cx.prefetch_facts(p.relations, p.events)

    def fact(r):
        return _first_quotes(relation_view(cx, r, e.id, p.fact_documents.get(r.id)))

    sections, used = [], set()
    for title, preds in (PERSON_SECTIONS if e.type == "person" else PROFILE_SECTIONS):
        rows = sorted((r for r in p.relations if r.predicate in preds), key=lambda r: (r.predicate, r.date or ""))
        if rows:
            used.update(r.id for r in rows)
            sections.append({"title": title, "facts": [fact(r) for r in rows]})
    rest = [r for r in p.relations if r.id not in used]
    if rest:
        sections.append({"title": "Other relations", "facts": [fact(r) for r in rest]})
    about = {r.id: r for r in p.relations} | {ev.id: ev for ev in p.events}
    reported = kb.first_reported(ev.id for ev in p.events if not ev.date)
    return {
        "entity": asdict(e),
        "names_seen": [{"name": name, "documents": [cx.doc(d) for d in docs]}
                       for name, docs in kb.names_seen(e.id, documents=NAMES_SEEN_DOCUMENTS).items()],
        "names_seen_documents": min(e.documents, NAMES_SEEN_DOCUMENTS),
        "merges": [{"name": m.name, "into": m.into, "reason": m.reason} for m in kb.store.merges(e.id)],
        "sections": sections,
        "events": [_first_quotes(event_view(cx, ev, documents=p.fact_documents.get(ev.id)))
                   | {"first_reported": reported.get(ev.id)}
                   for ev in sorted(p.events, key=lambda ev: _date_order(ev.date))],
        "conflicts": [conflict_view(cx, c, about) for c in p.conflicts],
        "relations_shown": len(p.relations), "relation_count": p.relation_count, "event_count": p.event_count,
        "first": offset + 1, "quotes_shown": QUOTES_SHOWN,
        "pagination": page_info(page, per_page, max(p.relation_count, p.event_count),
                                len(p.relations) + len(p.events)),
    }


def _first_quotes(fact: dict) -> dict:
    """A fact with its first ``QUOTES_SHOWN`` quotes; ``quotes_more`` when it has more (read one more to know)."""
    fact["quotes_more"] = len(fact["evidence"]) > QUOTES_SHOWN
    fact["evidence"] = fact["evidence"][:QUOTES_SHOWN]
    return fact


def relation(kb: KnowledgeBase, relation_id: str) -> dict:
    cx = Context(kb)
    r = kb.relation(relation_id)
    about = {r.id: r}
    return {"relation": relation_view(cx, r),
            "conflicts": [conflict_view(cx, c, about) for c in kb.store.conflicts(about=[r.id])]}


def conflicts(kb: KnowledgeBase, page: int, per_page: int = CONFLICTS_PER_PAGE) -> dict:
    cx = Context(kb)
    shown = kb.conflicts(limit=per_page, offset=(page - 1) * per_page)
    ids = [c.about for c in shown]
    # what each conflict is about, to name it: not its quotes (a relation may have hundreds)
    about = ({r.id: r for r in kb.store.relations(ids=ids, quotes=0)}
             | {ev.id: ev for ev in kb.store.events(ids=ids, quotes=0)})
    return {"conflicts": [conflict_view(cx, c, about) for c in shown],
            "pagination": page_info(page, per_page, shown.total, len(shown))}


def document(kb: KnowledgeBase, doc_id: str, highlight: tuple[int, int] | None = None) -> dict:
    d = kb.document(doc_id)
    cx = Context(kb)
    mentions = kb.document_mentions(doc_id)
    regions = sorted(d.regions, key=lambda r: r.start) or []
    spans = _cover([(r.start, r.end, r.kind) for r in regions], len(d.text))
    blocks = []
    for start, end, kind in spans:
        blocks.append({"kind": kind, "start": start, "end": end,
                       "segments": _segments(d.text, start, end, mentions, highlight, cx)})
    main = [b for b in blocks if b["kind"] in ("title", "body")]
    return {
        "document": {"id": d.id, "origin": d.origin, "title": d.title, "published": d.published,
                     "source": d.source, "media_type": d.media_type, "length": len(d.text),
                     "warnings": list(d.warnings)},
        "text": main,
        "furniture": [b for b in blocks if b["kind"] == "furniture"],
        "comments": [b for b in blocks if b["kind"] == "comment"],
        "entities": [{**cx.ref(i), "mentions": n} for i, n in
                     Counter(m.entity for m in mentions if m.entity).most_common()],
        "highlight": list(highlight) if highlight else None,
    }


def search(kb: KnowledgeBase, query: str, page: int, per_page: int = HITS_PER_PAGE) -> dict:
    query = (query or "").strip()
    if not query:
        return {"query": "", "hits": [], "pagination": page_info(1, per_page, 0, 0)}
    cx = Context(kb)
    found = kb.search(query, limit=per_page + 1, offset=(page - 1) * per_page)
    more, found = len(found) > per_page, found[:per_page]
    terms = [w for w in re.findall(r"\w+", query)]
    mentions: dict[str, list] = {}
    hits = []
    for h in found:
        if h.document not in mentions:
            mentions[h.document] = kb.document_mentions(h.document)
        inside = [m.entity for m in mentions[h.document] if m.entity and h.start <= m.start and m.end <= h.end]
        hits.append({"document": cx.doc(h.document), "start": h.start, "end": h.end, "sentence": h.sentence,
                     "segments": highlight_terms(h.sentence, terms),
                     "entities": [cx.ref(i) for i in dict.fromkeys(inside)]})
    return {"query": query, "hits": hits, "pagination": page_info(page, per_page, None, len(hits), more)}


def network(kb: KnowledgeBase, types: list[str] | None = None, predicates: list[str] | None = None,
            since: str | None = None, until: str | None = None, undated: bool = True,
            top: int = NETWORK_NODES) -> dict:
    """The ``top`` entities named in the most documents and the best-supported relations between them (at most
    ``NETWORK_TIES_PER_NODE`` per entity), filtered: a large kb has more than a browser can draw, and the page
    says which part it shows."""
    types = [t for t in (types or NETWORK_TYPES) if t in ENTITY_TYPES]
    predicates = [p for p in predicates if p in PREDICATES] if predicates else None
    top = min(NETWORK_MAX_NODES, max(1, top))
    lo, hi = bound(since), bound(until, upper=True)

    def keep(tie) -> bool:
        if not (lo or hi):
            return True
        p = period(tie.date)
        if p is None:
            return undated
        return not ((lo and p.end <= lo) or (hi and p.start >= hi))

    net = kb.top_network(types, predicates, top=top, ties=NETWORK_TIES_PER_NODE * top, keep=keep)
    degree = Counter(x for t in net.ties for x in (t.subject, t.object))
    names = {e.id: e.name for e in net.nodes}
    if net.considered < net.top and not net.more:
        note = f"{len(net.nodes):,} entities, {len(net.ties):,} relations."
    else:
        kinds = " and ".join(TYPE_PLURALS.get(t, t) for t in types)
        note = (f"The {net.considered:,} {kinds} named in the most documents, and "
                + (f"the {len(net.ties):,} best-supported relations between them" if net.more
                   else f"the {len(net.ties):,} relations between them")
                + f" that the filters keep, joining {len(net.nodes):,} of them.")
    return {
        "nodes": [{"id": e.id, "name": e.name, "type": e.type, "documents": e.documents, "mentions": e.mentions,
                   "degree": degree[e.id]} for e in net.nodes],
        "edges": [{"id": t.id, "source": t.subject, "target": t.object, "predicate": t.predicate,
                   "source_name": names.get(t.subject, t.subject), "target_name": names.get(t.object, t.object),
                   "label": _READINGS.get(t.predicate, (t.predicate,))[0], "date": t.date, "ended": t.ended,
                   "support": t.documents} for t in net.ties],
        "note": note, "limited": net.more or net.considered >= net.top, "more": net.more,
        "filters": {"types": types, "predicates": predicates or list(PREDICATES), "since": since or "",
                    "until": until or "", "undated": undated, "top": top},
        "all_types": list(ENTITY_TYPES), "all_predicates": [p for p in PREDICATES if p != "founded_on"],
        "max_top": NETWORK_MAX_NODES,
    }


def timeline(kb: KnowledgeBase, entity_id: str | None = None, page: int = 1, per_page: int | None = None) -> dict:
    """The latest ``TIMELINE_ITEMS`` dated events and relations (of an entity, or of the base) on an axis;
    ``?page=N`` for earlier ones. Their quotes are not read: the axis shows each item's number of documents."""
    per_page = per_page or TIMELINE_ITEMS
    offset = (page - 1) * per_page
    cx = Context(kb)
    focus = kb.entity(entity_id) if entity_id else None
    rows = kb.timeline(focus.id if focus else None, limit=per_page, offset=offset, quotes=0)
    documents = kb.fact_documents(item.id for _date, _kind, item in rows)
    cx.prefetch_facts([item for _d, kind, item in rows if kind == "relation"],
                      [item for _d, kind, item in rows if kind == "event"])
    items, apart = [], []
    for date, kind, item in rows:
        if kind == "event":
            label = event_title(cx, item)
            fillers = [f.entity for field in ROLE_FIELDS for f in getattr(item, field) if f.entity]
            entities_ = [cx.ref(x) for x in (*item.perpetrators, *item.claimed_by, *item.locations,
                                             *(() if item.subject is None else (item.subject,)), *fillers)]
            link = None
        else:
            rv = relation_view(cx, item)
            other = rv["value"] or (rv["other"] or {}).get("name", "?")
            label = f"{rv['subject']['name']} {rv['label']} {other}" + (" (former)" if item.ended else "")
            entities_ = [x for x in (rv["subject"], rv["object"]) if x]
            link = f"/relation/{item.id}"
        row = {"id": item.id, "kind": kind, "date": date, "label": label, "support": documents.get(item.id, 0),
               "entities": list({x["id"]: x for x in entities_}.values()),
               "link": link or (f"/entity/{entities_[0]['id']}#{item.id}" if entities_ else None)}
        p = period(date)
        if p is None:
            apart.append(row)
        else:
            items.append({**row, **p.to_dict()})
    # the most mentioned organizations and people (a select of every entity of a large kb would be megabytes)
    choices = [cx.ref(e.id) for t in ("organization", "person")
               for e in kb.store.entities(t, limit=TIMELINE_CHOICES)]
    if focus and focus.id not in {c["id"] for c in choices}:
        choices.insert(0, cx.ref(focus.id))
    relation_count, event_count = rows.relation_count, rows.event_count
    return {"entity": cx.ref(focus.id) if focus else None, "items": items, "apart": apart, "choices": choices,
            "limit": per_page, "limited": max(relation_count, event_count) > per_page,
            "relation_count": relation_count, "event_count": event_count, "first": offset + 1,
            "pagination": page_info(page, per_page, max(relation_count, event_count), len(rows))}


# ---- text helpers ---------------------------------------------------------------------------


def highlight_terms(text: str, terms: list[str]) -> list[dict]:
    """``text`` cut into segments, ``hit`` where a word begins with a query term (as the search matches)."""
    if not terms:
        return [{"text": text, "hit": False}]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")\w*",
                         re.IGNORECASE)
    out, at = [], 0
    for m in pattern.finditer(text):
        if m.start() > at:
            out.append({"text": text[at:m.start()], "hit": False})
        out.append({"text": m.group(0), "hit": True})
        at = m.end()
    if at < len(text):
        out.append({"text": text[at:], "hit": False})
    return out


def _cover(regions: list[tuple[int, int, str]], length: int) -> list[tuple[int, int, str]]:
    """The regions in order, with any stretch of text no region covers given as body."""
    out, at = [], 0
    for start, end, kind in regions:
        start = max(start, at)
        if start > at:
            out.append((at, start, "body"))
        if end > start:
            out.append((start, end, kind))
            at = end
    if at < length:
        out.append((at, length, "body"))
    return out


def _segments(text: str, start: int, end: int, mentions, highlight, cx: Context) -> list[dict]:
    """Text of [start, end) cut at mention and highlight edges; each piece says its entity and if highlighted."""
    kept, last = [], -1
    for m in mentions:  # sorted by start; overlapping names keep the first (longest)
        if m.start >= last and start <= m.start and m.end <= end:
            kept.append(m)
            last = m.end
    cuts = {start, end}
    for m in kept:
        cuts.update((m.start, m.end))
    if highlight:
        cuts.update(x for x in highlight if start < x < end)
    points = sorted(cuts)
    out = []
    mi = 0
    for a, b in zip(points, points[1:]):
        while mi < len(kept) and kept[mi].end <= a:
            mi += 1
        m = kept[mi] if mi < len(kept) and kept[mi].start <= a < kept[mi].end else None
        out.append({"text": text[a:b], "start": a, "entity": cx.ref(m.entity) if m and m.entity else None,
                    "mention": m is not None, "highlight": bool(highlight and highlight[0] <= a < highlight[1])})
    return out


def _date_order(date: str | None) -> str:
    """Sort key by the first day a date can mean; undated and yearless first, so never taken for the latest."""
    p = period(date)
    return p.start.isoformat() if p else "0000"
