"""The library facade: everything the CLI and the web UI do goes through ``KnowledgeBase``."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .errors import ExportError, IngestError, NotFoundError
from .models import ROLE_FIELDS, BuildReport, Conflict, Document, Entity, Event, EventMerge, Merge, Relation
from .store import SearchHit, Store

__all__ = ["KnowledgeBase", "open_kb", "Profile", "Page", "Timeline", "DocumentMention", "Network", "Tie", "TopNetwork",
           "RemoveReport", "PROFILE_LIMIT", "TIMELINE_LIMIT", "CONFLICTS_LIMIT"]

# What the read calls return unless asked for more: one page, as the workbench shows it (an entity named across a
# large kb has tens of thousands of facts; reading them all with their evidence takes seconds). ``limit=None``
# reads everything; the exports read the store whole by their own path (``tessera.export``).
PROFILE_LIMIT = 50  # relations (the best supported) and events (the latest) of ``KnowledgeBase.profile``
TIMELINE_LIMIT = 200  # latest dated relations and events of ``KnowledgeBase.timeline``
CONFLICTS_LIMIT = 25  # conflicts of ``KnowledgeBase.conflicts``


@dataclass(frozen=True)
class Profile:
    entity: Entity
    relations: list[Relation]  # where the entity is subject or object
    events: list[Event]
    conflicts: list[Conflict]
    names: dict[str, str]  # entity id -> name, for every id the profile mentions
    sources: int = 0  # independent sources that mention the entity (a story and its copies are one)
    relation_count: int = 0  # relations of the entity in all (more than ``relations`` holds when limited)
    event_count: int = 0  # events naming the entity in all
    # relation or event id -> documents that say it, all its evidence counted (``quotes`` may keep fewer)
    fact_documents: dict[str, int] = field(default_factory=dict)


class Page(list):
    """One page of a longer list: a list of its items, with ``total`` (how many there are in all, from the
    counts the store keeps) and the ``offset`` and ``limit`` it was read with (``limit`` None: all of them)."""

    def __init__(self, items: Iterable = (), total: int = 0, offset: int = 0, limit: int | None = None) -> None:
        super().__init__(items)
        self.total = total
        self.offset = offset
        self.limit = limit

    @property
    def more(self) -> bool:
        """Whether items follow this page."""
        return self.limit is not None and self.offset + self.limit < self.total


class Timeline(Page):
    """A page of ``KnowledgeBase.timeline``: (date, kind, item) rows, oldest first, of the ``limit`` latest dated
    relations and the ``limit`` latest dated events after the ``offset`` latest; ``relation_count`` and
    ``event_count`` are the relations and events (dated or not) of the entity, or of the base, in all, and
    ``total`` the larger of the two (the pages each side takes)."""

    def __init__(self, items: Iterable = (), relation_count: int = 0, event_count: int = 0, offset: int = 0,
                 limit: int | None = None) -> None:
        super().__init__(items, max(relation_count, event_count), offset, limit)
        self.relation_count = relation_count
        self.event_count = event_count


@dataclass
class RemoveReport:
    """What ``KnowledgeBase.remove`` did: the origins of the documents removed, and the names it did not know."""

    removed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentMention:
    """A name in a document's stored text and the entity it was resolved to (None when unresolved)."""

    start: int
    end: int
    text: str
    entity: str | None


@dataclass(frozen=True)
class Network:
    """Entities and the relations between them (relations with an entity object only)."""

    nodes: list[Entity]
    edges: list[Relation]


@dataclass(frozen=True)
class Tie:
    """A relation between two entities as a network draws it: its number of documents, not its evidence
    (``KnowledgeBase.relation(id)`` reads that)."""

    id: str
    subject: str
    predicate: str
    object: str
    date: str | None
    ended: bool
    documents: int


@dataclass(frozen=True)
class TopNetwork:
    """A bounded part of the network: of the ``top`` entities named in the most documents, those that ``ties``
    (the best-supported relations between them, at most the number asked for) join."""

    nodes: list[Entity]
    ties: list[Tie]
    top: int  # entities asked for
    considered: int  # entities the ties were looked for between (fewer than ``top`` when that is all of them)
    more: bool  # more relations between them matched than were kept


class KnowledgeBase:
    """A knowledge base in one SQLite file."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, path: str | Path, readonly: bool = False) -> "KnowledgeBase":
        return cls(Store.open(path, readonly=readonly))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- write side ---------------------------------------------------------------
    def build(self, inputs: Iterable[str | Path], progress: Callable[[str], None] | None = None,
              max_bytes: int = 20_000_000, engine=None) -> BuildReport:
        """Ingest and analyse new documents, then refresh the knowledge they touch (``refresh``).

        ``engine`` runs the per-document analysis (``tessera.engines``): in this process by
        default, or in worker processes (``make_engine("process", workers=N)``, what ``tessera build``
        uses) or on Ray actors for large corpora. The engine streams: this process stores each
        document's analysis (one transaction each) while the workers analyse the next ones.
        """
        from . import duplicates
        from .engines import LocalEngine
        from .ingest import iter_inputs

        report = BuildReport()
        engine = engine or LocalEngine()
        seen: set[str] = set()
        latest = {origin: doc_id for doc_id, origin in self.store.latest_origins().items()}  # ids, not texts

        def new_documents():
            for item in iter_inputs(list(inputs), max_bytes=max_bytes):
                if isinstance(item, IngestError):
                    self.store.add_failure(item.origin, item.reason)
                    report.failed.append((item.origin, item.reason))
                elif item.id in seen or (self.store.has_document(item.id) and latest.get(item.origin, item.id) == item.id) \
                        or (self.store.has_document(item.id) and item.origin not in latest):
                    # same text already stored (here or, for an identical copy, under another origin)
                    report.unchanged.append(item.origin)
                else:
                    seen.add(item.id)
                    yield item

        finder = None
        for document, result in engine.map(new_documents()):
            if isinstance(result, str):
                self.store.add_failure(document.origin, result)
                report.failed.append((document.origin, result))
                continue
            # near-duplicates: the same story in another outlet counts as one source (tessera.duplicates)
            shingle_set = duplicates.shingles(duplicates.main_text(document))
            signature = duplicates.encode_signature(duplicates.minhash(shingle_set))
            if finder is None:
                finder = duplicates.copy_finder(self.store)
            if latest.get(document.origin) not in (None, document.id):
                finder.remove(latest[document.origin])  # a new version replaces its origin's old one
            self.store.add_document(document, result, signature=signature, bands=duplicates.band_keys(signature))
            duplicates.record_copies(self.store, finder, document, shingle_set, signature)
            report.added.append(document.origin)
            if progress:
                progress(document.origin)
        self.refresh()
        return report

    def refresh(self, full: bool = False) -> None:
        """Bring the knowledge up to date with the stored documents: re-resolve and re-reconcile only what
        the documents added, removed or changed since the last refresh touch (``tessera.refresh``), or,
        with ``full``, everything. The result is the same either way."""
        from .refresh import refresh

        refresh(self.store, full=full)

    def remove(self, ids_or_origins: Iterable[str]) -> RemoveReport:
        """Remove documents, each given by id (or an id's first 8+ characters) or by origin (every version),
        with their analyses, evidence and search rows; claims left without evidence go, and the knowledge
        they touched is refreshed. Copies of a removed document point at the next-earliest copy of their
        story, or become originals. Names that match no document are reported, not raised: the others
        are removed all the same."""
        from . import duplicates

        report = RemoveReport()
        ids: list[str] = []
        for item in ids_or_origins:
            found = self.store.find_documents(item)
            if found:
                ids.extend(d for d in found if d not in ids)
            else:
                report.unknown.append(item)
        if ids:
            # the copies of their stories, grouped again without them (written with the removal, one transaction)
            heads = {h for h in (self.store.duplicate_of().get(d) for d in ids) if h}
            left = sorted((set(self.store.copies_of(sorted(set(ids) | heads))) | heads) - set(ids))
            report.removed = self.store.remove_documents(ids, duplicates.regroup(self.store, left))
        self.refresh()
        return report

    # ---- read side ----------------------------------------------------------------
    def entities(self, type: str | None = None) -> list[Entity]:
        return self.store.entities(type)

    def entity(self, name_or_id: str) -> Entity:
        """An entity by id or by any of its names (the most mentioned when several match)."""
        if name_or_id.startswith("ent-"):
            return self.store.entity(name_or_id)
        found = self.store.find_entities(name_or_id, limit=1)
        if not found:
            raise NotFoundError(f"no entity named {name_or_id!r}; `tessera entities KB` lists them")
        return found[0]

    def names(self) -> dict[str, str]:
        return {e.id: e.name for e in self.store.entities()}

    def duplicate_of(self) -> dict[str, str]:
        """Document id -> the earliest copy of its story, for every near-duplicate (``tessera.duplicates``)."""
        return self.store.duplicate_of()

    def origins(self) -> dict[str, str]:
        """Document id -> where it came from (path or URL)."""
        return {d.id: d.origin for d in self.store.documents()}

    def event_merges(self, event_id: str | None = None) -> list[EventMerge]:
        """Accounts joined into events and why (the reconciler's log, for review)."""
        return self.store.event_merges(event_id)

    def profile(self, name_or_id: str, limit: int | None = PROFILE_LIMIT, offset: int = 0,
                quotes: int | None = None) -> Profile:
        """An entity with its relations, events and the conflicts about them.

        One page by default: the ``limit`` best-supported relations and the ``limit`` latest events after the
        ``offset`` first (an entity named across a large kb has tens of thousands); ``relation_count`` and
        ``event_count`` say how many there are in all. ``limit=None`` reads every one. ``quotes`` keeps the first
        that many evidence items of each relation and event (a well-known alliance is said in hundreds of
        documents); ``fact_documents`` counts them all."""
        e = self.entity(name_or_id)
        rels = self.store.relations(e.id, limit=limit, offset=offset, quotes=quotes)
        events = self.store.events(e.id, limit=limit, offset=offset, quotes=quotes)
        relation_count, event_count = ((len(rels), len(events)) if limit is None
                                       else self.store.fact_counts(e.id))
        conflicts = self.store.conflicts(about=[r.id for r in rels] + [ev.id for ev in events])
        sources = self.store.sources_of_entity(e.id)
        named = {e.id, *(x for r in rels for x in (r.subject, r.object) if x)}
        for ev in events:
            named.update(x for x in (ev.subject, *ev.locations, *ev.perpetrators, *ev.claimed_by) if x)
            named.update(f.entity for field in ROLE_FIELDS for f in getattr(ev, field) if f.entity)
        names = {i: name for i, (name, _type) in self.store.entity_refs(named).items()}
        documents = self.store.fact_documents([r.id for r in rels], [ev.id for ev in events])
        return Profile(entity=e, relations=rels, events=events, conflicts=conflicts, names=names, sources=sources,
                       relation_count=relation_count, event_count=event_count, fact_documents=documents)

    def timeline(self, name_or_id: str | None = None, limit: int | None = TIMELINE_LIMIT, offset: int = 0,
                 quotes: int | None = None) -> Timeline:
        """Dated relations and events, oldest first: (date, kind, item).

        One page by default: the ``limit`` latest dated relations and events (of the entity, or of the base)
        after the ``offset`` latest, so the page holds at most twice as many rows; a founding date
        (``founded_on``) may fall outside them. The result is a list with ``relation_count`` and
        ``event_count`` (``Timeline``); ``limit=None`` reads every dated one. ``quotes`` keeps the first that
        many evidence items of each (``fact_documents`` counts them all)."""
        entity_id = self.entity(name_or_id).id if name_or_id else None
        rels = self.store.relations(entity_id, limit=limit, latest=True, offset=offset, quotes=quotes)
        events = self.store.events(entity_id, limit=limit, offset=offset, quotes=quotes)
        rows: list[tuple[str, str, object]] = []
        for r in rels:
            when = r.value if r.predicate == "founded_on" else r.date
            if when:
                rows.append((when, "relation", r))
        for ev in events:
            if ev.date:
                rows.append((ev.date, "event", ev))
        relation_count, event_count = self.store.fact_counts(entity_id)
        return Timeline(sorted(rows, key=lambda row: _sort_key(row[0])), relation_count, event_count,
                        max(0, offset), limit)

    def first_reported(self, event_ids: Iterable[str]) -> dict[str, str]:
        """Event id -> the earliest publication date of the documents that tell it: it happened then or before
        (events told only by undated documents are left out)."""
        from .analyze.dates import earliest_report

        return {e: found for e, dates in self.store.event_publications(event_ids).items()
                if (found := earliest_report(dates))}

    def fact_documents(self, ids: Iterable[str]) -> dict[str, int]:
        """Relation or event id -> the documents that say it (reader comments aside), all its evidence counted."""
        ids = list(ids)
        return self.store.fact_documents(ids, ids)

    def conflicts(self, limit: int | None = CONFLICTS_LIMIT, offset: int = 0) -> Page:
        """Conflicts between sources, in reconciler order: one page (``limit`` after ``offset``) by default, a list
        with ``total``, the conflicts in all (``Page``); ``limit=None`` reads every one."""
        offset = max(0, offset)
        return Page(self.store.conflicts(limit=limit, offset=offset), self.store.count("conflicts"), offset, limit)

    def overview(self) -> dict:
        """The corpus at a glance: documents, entities by type, relations, events, conflicts."""
        count = self.store.count  # the four tables only: counting every sentence took 0.3 s at 100,000 documents
        status = self.store.document_status()
        return {
            "documents": status["latest"], "document_versions": status["ok"], "failed": status["failed"],
            "entities": count("entities"), "entities_by_type": self.store.entity_counts(),
            "relations": count("relations"), "events": count("events"), "conflicts": count("conflicts"),
        }

    def entities_page(self, type: str | None = None, offset: int = 0, limit: int = 50) -> tuple[list[Entity], int]:
        """One page of ``entities(type)`` and the number of entities in all."""
        return self.store.entities_page(type, offset=max(0, offset), limit=max(1, limit))

    def most_connected(self, type: str | None = "organization", limit: int = 10) -> list[tuple[Entity, int]]:
        """Entities with the most distinct relation partners, with that number."""
        return self.store.most_connected(type, limit)

    def merges(self, name_or_id: str | None = None) -> list[Merge]:
        """Names merged into entities and why, optionally those of one entity."""
        return self.store.merges(self.entity(name_or_id).id if name_or_id else None)

    def relation(self, relation_id: str) -> Relation:
        return self.store.relation(relation_id)

    def document(self, doc_id: str) -> Document:
        """A stored document (text, title, regions) by id."""
        return self.store.document(doc_id)

    def documents(self) -> list[Document]:
        """The newest version of each document, by origin."""
        return self.store.latest_documents()

    def document_mentions(self, doc_id: str) -> list[DocumentMention]:
        """Every name the analysis found in a document, in text order, with its resolved entity."""
        self.store.document(doc_id)  # NotFoundError for an unknown id
        try:
            analysis = self.store.analysis(doc_id)
        except NotFoundError:
            return []  # a failed document keeps its text but has no analysis
        resolved = {local: entity for _doc, local, entity in self.store.mention_entities(document=doc_id)}
        found = [DocumentMention(m.start, m.end, m.text, resolved.get(le.id))
                 for le in analysis.entities for m in le.mentions]
        return sorted(found, key=lambda m: (m.start, -m.end))

    def names_seen(self, name_or_id: str, documents: int | None = None) -> dict[str, list[str]]:
        """How an entity is written, as written -> ids of the documents that write it so (most used first).

        ``documents`` reads at most that many documents (the first by id): each is one stored analysis to
        decode, and an entity named across a large kb is named by tens of thousands."""
        e = self.entity(name_or_id)
        seen: dict[str, list[str]] = {}
        by_document: dict[str, set[str]] = {}
        for doc, local, _ in self.store.mention_entities(e.id, documents=documents):
            by_document.setdefault(doc, set()).add(local)
        for doc, locals_ in by_document.items():
            try:
                analysis = self.store.analysis(doc)
            except NotFoundError:
                continue
            for le in analysis.entities:
                if le.id in locals_:
                    for m in le.mentions:
                        docs = seen.setdefault(m.text, [])
                        if doc not in docs:
                            docs.append(doc)
        return dict(sorted(seen.items(), key=lambda kv: (-len(kv[1]), kv[0])))

    def network(self, types: Iterable[str] = ("organization", "person"),
                predicates: Iterable[str] | None = None) -> Network:
        """Relations between entities of ``types`` (optionally of some predicates) and the entities they join."""
        types = set(types)
        wanted = set(predicates) if predicates is not None else None
        entities = {e.id: e for e in self.store.entities() if e.type in types}
        edges = [r for r in self.store.relations()
                 if r.object is not None and r.subject in entities and r.object in entities
                 and (wanted is None or r.predicate in wanted)]
        used = {r.subject for r in edges} | {r.object for r in edges}
        return Network(nodes=[e for e in entities.values() if e.id in used], edges=edges)

    def top_network(self, types: Iterable[str] = ("organization", "person"), predicates: Iterable[str] | None = None,
                    top: int = 300, ties: int = 1500, keep: Callable[[Tie], bool] | None = None) -> TopNetwork:
        """The ``top`` entities of ``types`` named in the most documents, and the ``ties`` best-supported relations
        between them (optionally of some predicates, and only those ``keep`` accepts) with the entities they
        join: the part of ``network`` a large kb can draw, read without reading every entity and relation."""
        entities = self.store.top_entities(types, max(1, top))
        found: list[Tie] = []
        more = False
        for row in self.store.ties([e.id for e in entities], predicates):
            tie = Tie(*row)
            if keep is not None and not keep(tie):
                continue
            if len(found) >= ties:
                more = True
                break
            found.append(tie)
        used = {t.subject for t in found} | {t.object for t in found}
        return TopNetwork([e for e in entities if e.id in used], found, max(1, top), len(entities), more)

    def relations(self, entity_id: str | None = None) -> list[Relation]:
        return self.store.relations(entity_id)

    def events(self, entity_id: str | None = None) -> list[Event]:
        return self.store.events(entity_id)

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        return self.store.search(query, limit=limit, offset=max(0, offset))

    def export_records(self) -> Iterable[dict]:
        from .export.jsonl import records

        return records(self.store)

    def document_entities(self) -> list[tuple[str, str]]:
        """(document id, entity id) for every entity each document mentions."""
        return list(dict.fromkeys((doc, ent) for doc, _local, ent in self.store.mention_entities()))

    def export(self, format: str, out: str | Path | IO) -> dict[str, int]:
        """Write the knowledge base in ``format`` (one of ``tessera.export.FORMATS``); return counts written.

        ``out`` is a path or an open stream (text; binary for graphml and gexf). csv writes one file
        per table and needs a path: a folder (created if missing), or a file ending in .zip.
        """
        from .export import FORMATS, Snapshot, write

        fmt = FORMATS.get(format)
        if fmt is None:
            raise ExportError(f"unknown export format {format!r}; available: {', '.join(FORMATS)}")
        if not isinstance(out, (str, os.PathLike)):
            if fmt.folder:
                raise ExportError(f"{format} writes one file per table: give a folder, or a file ending in .zip")
            return self._export_to(fmt, out)
        path = Path(out)
        try:
            if fmt.folder:
                if path.suffix.lower() != ".zip" and path.exists() and not path.is_dir():
                    raise ExportError(f"{path}: is a file; {format} writes one file per table into a folder, "
                                      "or into a file ending in .zip")
                return write(format, Snapshot.of(self.export_records(), self.document_entities()), path)
            if path.is_dir():
                raise ExportError(f"{path}: is a folder; give a file name to write the {format} export to")
            if fmt.binary:
                with path.open("wb") as stream:
                    return self._export_to(fmt, stream)
            with path.open("w", encoding=fmt.encoding, newline="") as stream:
                return self._export_to(fmt, stream)
        except OSError as exc:
            raise ExportError(f"{path}: cannot write the {format} export ({exc.strerror or exc})") from None

    def _export_to(self, fmt, stream) -> dict[str, int]:
        from .export import Snapshot, write

        if fmt.name == "jsonl":
            from .export.jsonl import write as write_jsonl

            return {"lines": write_jsonl(self.store, stream)}
        return write(fmt.name, Snapshot.of(self.export_records(), self.document_entities()), stream)

    def evaluate(self, key_path: str | Path):
        from .evaluate import evaluate, load_key

        return evaluate(list(self.export_records()), load_key(key_path))


def _sort_key(date: str) -> str:
    if date.startswith("--"):
        return "9999" + date[1:]
    digits = "".join(ch for ch in date if ch.isdigit())
    return digits.ljust(8, "0") if not date[0].isalpha() else digits


def open_kb(path: str | Path, readonly: bool = False) -> KnowledgeBase:
    """Open (or create) a knowledge base file."""
    return KnowledgeBase.open(path, readonly=readonly)
