"""The knowledge base on disk: one SQLite file, opened through ``Store.open``.

Writes are explicit ``BEGIN IMMEDIATE`` transactions (one per document, one per knowledge
rebuild); every ``sqlite3.Error`` leaves as a one-line ``StoreError`` naming the file and the fix.
"""
from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from tessera.errors import NotFoundError, StoreError
from tessera.models import (
    ENTITY_TYPES, Conflict, Document, DocumentAnalysis, Entity, Event, EventMerge, Merge, Relation,
)
from tessera.store import knowledge, schema
from tessera.store.codec import decode_analysis, decode_claims, decode_events, decode_regions, encode_analysis, encode_regions

P = ParamSpec("P")
R = TypeVar("R")

_DOCUMENT_COLUMNS = ("d.id, d.origin, d.text, d.title, d.published, d.regions, d.media_type, d.source, d.duplicate_of,"
                     " d.warnings")
# the newest ok version of each origin
_LATEST = (
    "d.status = 'ok' AND d.seq = "
    "(SELECT max(seq) FROM documents v WHERE v.origin = d.origin AND v.status = 'ok')"
)
RANKED_MATCHES = 20_000  # a query matching more sentences lists them newest first (Store.search)
_TABLES = (
    "documents", "analyses", "sentences", "failures", "entities", "aliases", "merges",
    "mention_entities", "relations", "events", "conflicts", "evidence", "signatures", "signature_bands",
)


@dataclass(frozen=True)
class SearchHit:
    """One sentence matching a full-text query; ``snippet`` marks the matches with [ ]."""

    document: str
    origin: str
    title: str | None
    start: int
    end: int
    sentence: str
    snippet: str


def explain(path: str, exc: sqlite3.Error) -> StoreError:
    """A sqlite error as one line naming the file, the reason and the fix."""
    message = str(exc).lower()
    if "locked" in message or "busy" in message:
        reason = "database is locked by another process (close it and retry)"
    elif "not a database" in message or "malformed" in message or "corrupt" in message:
        reason = "file is not a database or is corrupt (check the path, or rebuild it)"
    elif "readonly" in message or "read-only" in message:
        reason = "cannot write: the file or its directory is read-only (check permissions)"
    elif "unable to open" in message:
        reason = "cannot open the file (check that it exists and that you may read it)"
    elif "disk is full" in message or "disk i/o" in message:
        reason = f"cannot write to disk: {exc} (free some space and retry)"
    elif "closed" in message:
        reason = "the knowledge base was already closed (open it again)"
    else:
        reason = f"database error: {exc}"
    return StoreError(f"{path}: {reason}")


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Turn sqlite errors raised by a Store method into StoreError."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as exc:
            raise explain(args[0].path, exc) from None  # type: ignore[attr-defined]

    return wrapper


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _fold(word: str) -> str:
    """A word as the full-text index compares it: case folded, diacritics removed (unicode61 remove_diacritics)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def snippet(text: str, words: list[str], tokens: int = 16) -> str:
    """``text`` with each word that begins with one of ``words`` (folded) marked [ ], cut to ``tokens`` words
    around the first stretch that holds the most of them, with … where it is cut."""
    found = list(re.finditer(r"\w+", text))
    hit = [any(_fold(m.group()).startswith(w) for w in words) for m in found]
    first, last = 0, len(found)
    if len(found) > tokens:
        best = max(range(len(found) - tokens + 1), key=lambda i: (len({_fold(found[j].group()) for j in
                                                                           range(i, i + tokens) if hit[j]}), -i))
        first, last = best, best + tokens
    out, at = [], found[first].start() if first else 0
    for m, is_hit in zip(found[first:last], hit[first:last]):
        if is_hit:
            out.append(text[at:m.start()] + "[" + m.group() + "]")
            at = m.end()
    end = found[last - 1].end() if last < len(found) else len(text)
    out.append(text[at:end])
    return ("…" if first else "") + "".join(out) + ("…" if last < len(found) else "")


def fts_query(text: str) -> str:
    """Free text as a safe FTS5 query: every word quoted, prefix-matched, ANDed."""
    words = re.findall(r"\w+", text)
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


class Store:
    """A Tessera knowledge base: the only code that runs SQL. Open it with ``Store.open``."""

    def __init__(self, conn: sqlite3.Connection, path: str, readonly: bool) -> None:
        self._conn = conn
        self.path = path
        self.readonly = readonly

    # ---- lifecycle ----

    @classmethod
    def open(cls, path: str | os.PathLike[str], readonly: bool = False, timeout: float = 5.0) -> Store:
        """Open (and create or migrate, unless ``readonly``) the knowledge base at ``path``."""
        file = Path(path)
        name = str(path)
        _check_path(file, name, readonly)
        try:
            if readonly:
                conn = sqlite3.connect(
                    file.absolute().as_uri() + "?mode=ro", uri=True, timeout=timeout,
                    isolation_level=None,
                )
            else:
                conn = sqlite3.connect(file, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise explain(name, exc) from None
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            version = schema.current_version(conn)
            schema.check_version(name, version, readonly=readonly)
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                if version < schema.LATEST_VERSION:
                    schema.migrate(conn, name)
        except sqlite3.Error as exc:
            conn.close()
            raise explain(name, exc) from None
        except BaseException:
            conn.close()
            raise
        return cls(conn, name, readonly)

    def close(self) -> None:
        """Close the connection; safe to call twice."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r}, readonly={self.readonly})"

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with the write lock up front."""
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only (open it without readonly to change it)")
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    # ---- documents ----

    @_guarded
    def has_document(self, doc_id: str) -> bool:
        """True when the document was analysed and stored successfully."""
        row = self._conn.execute(
            "SELECT 1 FROM documents WHERE id = ? AND status = 'ok'", (doc_id,)
        ).fetchone()
        return row is not None

    @_guarded
    def add_document(self, doc: Document, analysis: DocumentAnalysis, signature: bytes | None = None,
                     bands: Iterable[int] = ()) -> None:
        """Store a document, its analysis, its sentences and its near-duplicate ``signature``
        (``tessera.duplicates``) in one transaction (replacing any copy)."""
        _check_analysis(doc, analysis)
        with self._write() as conn:
            self._put_analysed(conn, doc, analysis, signature, bands)

    @_guarded
    def add_documents(self, items: list[tuple[Document, DocumentAnalysis]]) -> None:
        """Store many documents and their analyses as ``add_document`` does, in one transaction
        (a bulk load, e.g. benchmarks writing a large kb; ``build`` stores one document a transaction)."""
        for doc, analysis in items:
            _check_analysis(doc, analysis)
        with self._write() as conn:
            for doc, analysis in items:
                self._put_analysed(conn, doc, analysis, None)

    def _put_analysed(self, conn: sqlite3.Connection, doc: Document, analysis: DocumentAnalysis,
                      signature: bytes | None, bands: Iterable[int] = ()) -> None:
        # its knowledge, and that of the version of its origin it replaces, waits for the next refresh
        conn.execute(f"INSERT OR IGNORE INTO stale (document) SELECT d.id FROM documents d"
                     f" WHERE d.origin = ? AND {_LATEST}", (doc.origin,))
        conn.execute("INSERT OR IGNORE INTO stale (document) VALUES (?)", (doc.id,))
        self._put_document(conn, doc, "ok", None)
        conn.execute(
            "INSERT INTO analyses (document, json, extractors) VALUES (?, ?, ?)",
            (doc.id, encode_analysis(analysis), json.dumps(list(analysis.extractors))),
        )
        conn.executemany(
            'INSERT INTO sentences (document, start, "end", text) VALUES (?, ?, ?, ?)',
            [(doc.id, s, e, doc.text[s:e]) for s, e in analysis.sentences],
        )
        if signature is not None:
            conn.execute("INSERT INTO signatures (document, minhash) VALUES (?, ?)", (doc.id, signature))
        conn.executemany("INSERT INTO signature_bands (key, document) VALUES (?, ?)", [(k, doc.id) for k in bands])
        conn.execute("DELETE FROM failures WHERE origin = ?", (doc.origin,))

    # ---- near-duplicates ----

    @_guarded
    def signatures(self, without_bands: bool = False) -> list[tuple[str, bytes]]:
        """(document id, MinHash signature) of the newest version of each origin that has one; with
        ``without_bands``, of those whose LSH band keys are not stored (files built before version 11)."""
        unbanded = " AND NOT EXISTS (SELECT 1 FROM signature_bands b WHERE b.document = d.id)" if without_bands else ""
        return list(self._conn.execute(
            f"SELECT d.id, s.minhash FROM signatures s JOIN documents d ON d.id = s.document WHERE {_LATEST}{unbanded}"
            " ORDER BY d.seq"))

    @_guarded
    def unsigned_documents(self) -> list[Document]:
        """Newest versions stored without a signature (built before schema version 4)."""
        return self._documents(f"{_LATEST} AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.document = d.id)")

    @_guarded
    def add_signatures(self, rows: list[tuple[str, bytes]], bands: Iterable[tuple[str, Iterable[int]]] = ()) -> None:
        """Store signatures of documents already stored, and the LSH band keys of these or others
        (``duplicates.band_keys``), in one transaction."""
        with self._write() as conn:
            conn.executemany("INSERT OR REPLACE INTO signatures (document, minhash) VALUES (?, ?)", rows)
            conn.executemany("INSERT INTO signature_bands (key, document) VALUES (?, ?)",
                             [(k, d) for d, keys in bands for k in keys])

    @_guarded
    def band_signatures(self, keys: Iterable[int]) -> list[tuple[str, bytes]]:
        """(id, MinHash signature) of the newest versions with any of these band keys, in ingest order."""
        return list(self._conn.execute(
            "SELECT d.id, s.minhash FROM documents d JOIN signatures s ON s.document = d.id WHERE d.id IN"
            f" (SELECT document FROM signature_bands WHERE key IN (SELECT value FROM json_each(?))) AND {_LATEST}"
            " ORDER BY d.seq", (json.dumps(sorted(set(keys))),)))

    @_guarded
    def duplicate_of(self) -> dict[str, str]:
        """Document id -> the earliest copy of its story, for every stored near-duplicate."""
        return dict(self._conn.execute(
            "SELECT id, duplicate_of FROM documents WHERE status = 'ok' AND duplicate_of IS NOT NULL"))

    @_guarded
    def copy_group(self, doc_ids: list[str]) -> list[tuple[str, str | None, str]]:
        """(id, published, origin), in ingest order, of these documents, the earliest copies they point at, and every
        other copy of those: the whole group of copies the documents belong to."""
        marks = ", ".join("?" * len(doc_ids))
        heads = f"SELECT coalesce(duplicate_of, id) FROM documents WHERE id IN ({marks})"
        return list(self._conn.execute(
            f"SELECT id, published, origin FROM documents WHERE status = 'ok' AND (id IN ({marks})"
            f" OR id IN ({heads}) OR duplicate_of IN ({heads})) ORDER BY seq",
            (*doc_ids, *doc_ids, *doc_ids)))

    @_guarded
    def set_duplicate_of(self, members: list[str], earliest: str | None) -> None:
        """Mark ``members`` as copies of ``earliest`` (which itself becomes the original; None: all originals).
        Those whose earliest copy changes wait for the next refresh."""
        with self._write() as conn:
            for m in members:
                head = None if m == earliest else earliest
                if conn.execute("UPDATE documents SET duplicate_of = ? WHERE id = ? AND duplicate_of IS NOT ?",
                                (head, m, head)).rowcount:
                    conn.execute("INSERT OR IGNORE INTO stale (document) VALUES (?)", (m,))

    @_guarded
    def sources_of_entity(self, entity_id: str) -> int:
        """Independent sources that mention an entity; copies of one story are one (a count kept up to date by
        every refresh, not counted at each read)."""
        return knowledge.count_sources(self._conn, entity_id)

    @_guarded
    def add_failure(self, origin: str, reason: str, document: Document | None = None) -> None:
        """Record that ``origin`` failed; with ``document``, keep its text as a 'failed' row too."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO failures (origin, reason, at) VALUES (?, ?, ?) ON CONFLICT (origin)"
                " DO UPDATE SET reason = excluded.reason, at = excluded.at",
                (origin, reason, _now()),
            )
            if document is not None and not self.has_document(document.id):
                self._put_document(conn, document, "failed", reason)

    def _put_document(self, conn: sqlite3.Connection, doc: Document, status: str, error: str | None) -> None:
        # explicit deletes keep the FTS index in step (its triggers fire on sentence rows)
        conn.execute("DELETE FROM sentences WHERE document = ?", (doc.id,))
        conn.execute("DELETE FROM analyses WHERE document = ?", (doc.id,))
        conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
        conn.execute(
            "INSERT INTO documents (id, seq, origin, title, published, source, media_type, text, regions,"
            " status, error, added_at, warnings) VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM documents),"
            " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc.id, doc.origin, doc.title, doc.published, doc.source, doc.media_type, doc.text,
                encode_regions(doc.regions), status, error, _now(), json.dumps(list(doc.warnings)),
            ),
        )

    @_guarded
    def failures(self) -> list[tuple[str, str]]:
        """(origin, reason) of every input whose last attempt failed, by origin."""
        return list(self._conn.execute("SELECT origin, reason FROM failures ORDER BY origin"))

    @_guarded
    def documents(self) -> list[Document]:
        """Every stored version of every document, by origin then age."""
        return self._documents("d.status = 'ok'")

    @_guarded
    def published_dates(self) -> dict[str, str]:
        """Document id -> its publication date, for the documents that print one."""
        return dict(self._conn.execute(
            "SELECT id, published FROM documents WHERE status = 'ok' AND published IS NOT NULL"))

    @_guarded
    def latest_documents(self, limit: int | None = None) -> list[Document]:
        """The newest version of each origin, by origin (the first ``limit`` of them)."""
        return self._documents(_LATEST, limit)

    def _documents(self, where: str, limit: int | None = None) -> list[Document]:
        rows = self._conn.execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents d WHERE {where} ORDER BY d.origin, d.seq"
            + ("" if limit is None else " LIMIT ?"), () if limit is None else (limit,)
        )
        return [_document(row) for row in rows]

    @_guarded
    def document(self, doc_id: str) -> Document:
        """The document with this id, whatever its status; NotFoundError if there is none."""
        row = self._conn.execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents d WHERE d.id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r} in {self.path}")
        return _document(row)

    @_guarded
    def document_origin(self, doc_id: str) -> str:
        """Where the document came from; NotFoundError if there is no such document."""
        row = self._conn.execute("SELECT origin FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r} in {self.path}")
        return row[0]

    @_guarded
    def document_status(self) -> dict[str, int]:
        """Counts: 'ok' documents (all versions), 'latest' of them, 'failed' inputs."""
        # each origin with an ok version has one newest: counted from the index, not by a look-up per document
        ok, latest = self._conn.execute(
            "SELECT count(*), count(DISTINCT d.origin) FROM documents d INDEXED BY documents_latest"
            " WHERE d.status = 'ok'"
        ).fetchone()
        failed = self._conn.execute("SELECT count(*) FROM failures").fetchone()[0]
        return {"ok": ok, "latest": latest, "failed": failed}

    def analyses(self, latest_only: bool = True) -> Iterator[DocumentAnalysis]:
        """Stored analyses by document origin (then age), streamed; only newest versions by default."""
        where = _LATEST if latest_only else "d.status = 'ok'"
        try:
            cursor = self._conn.execute(
                "SELECT a.json FROM analyses a JOIN documents d ON d.id = a.document"
                f" WHERE {where} ORDER BY d.origin, d.seq"
            )
            for (text,) in cursor:
                yield decode_analysis(text)
        except sqlite3.Error as exc:
            raise explain(self.path, exc) from None

    # ---- removing documents ----

    @_guarded
    def find_documents(self, id_or_origin: str) -> list[str]:
        """Ids of the stored documents with this id, or from this origin (every version), or whose id
        starts with it (eight characters at least, one document)."""
        rows = [d for (d,) in self._conn.execute(
            "SELECT id FROM documents WHERE id = ? OR origin = ? ORDER BY seq", (id_or_origin, id_or_origin))]
        if not rows and len(id_or_origin) >= 8:
            rows = [d for (d,) in self._conn.execute(
                "SELECT id FROM documents WHERE substr(id, 1, ?) = ? LIMIT 2", (len(id_or_origin), id_or_origin))]
            rows = rows if len(rows) == 1 else []
        return rows

    @_guarded
    def remove_documents(self, doc_ids: list[str], duplicate_of: dict[str, str | None] | None = None) -> list[str]:
        """Delete documents with their analyses, sentences and signatures, and set the earliest copy of
        other documents (``duplicate_of``: id -> earliest copy or None), in one transaction; the knowledge of
        all of them, and of the versions of their origins that become the newest, waits for the next
        refresh. Returns their origins."""
        ids = json.dumps(sorted(set(doc_ids)))
        with self._write() as conn:
            for m, head in (duplicate_of or {}).items():
                if conn.execute("UPDATE documents SET duplicate_of = ? WHERE id = ? AND duplicate_of IS NOT ?",
                                (head, m, head)).rowcount:
                    conn.execute("INSERT OR IGNORE INTO stale (document) VALUES (?)", (m,))
            origins = [o for (o,) in conn.execute(
                "SELECT DISTINCT origin FROM documents WHERE id IN (SELECT value FROM json_each(?)) ORDER BY origin",
                (ids,))]
            conn.execute("INSERT OR IGNORE INTO stale (document) SELECT value FROM json_each(?)", (ids,))
            for table, column in (("sentences", "document"), ("analyses", "document"), ("signatures", "document"),
                                  ("signature_bands", "document"), ("documents", "id")):
                conn.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT value FROM json_each(?))", (ids,))
            conn.execute(f"INSERT OR IGNORE INTO stale (document) SELECT d.id FROM documents d WHERE {_LATEST}"
                         " AND d.origin IN (SELECT value FROM json_each(?))", (json.dumps(origins),))
        return origins

    @_guarded
    def copies_of(self, doc_ids: list[str]) -> list[str]:
        """Documents marked as copies of these."""
        return [d for (d,) in self._conn.execute(
            "SELECT id FROM documents WHERE duplicate_of IN (SELECT value FROM json_each(?)) ORDER BY seq",
            (json.dumps(sorted(set(doc_ids))),))]

    # ---- what a refresh reads ----

    @_guarded
    def stale_documents(self) -> list[str]:
        """Documents whose knowledge waits for a refresh (some may be gone: their knowledge is to go)."""
        return [d for (d,) in self._conn.execute("SELECT document FROM stale ORDER BY document")]

    @_guarded
    def places(self) -> dict | None:
        """Entity id -> the gazetteer place it lies at, for every located entity, as the knowledge was last
        written; None when it was written without them (straight through ``replace_knowledge``)."""
        if self._conn.execute("SELECT 1 FROM knowledge_state WHERE name = 'places'").fetchone() is None:
            return None
        return knowledge.read_places(self._conn)

    @_guarded
    def needs_full_refresh(self) -> bool:
        """True when the next refresh must redo all the knowledge (a file built before the refresh index)."""
        row = self._conn.execute("SELECT value FROM knowledge_state WHERE name = 'full'").fetchone()
        return row is not None and row[0] == "1"

    @_guarded
    def latest_origins(self) -> dict[str, str]:
        """Document id -> origin, of the newest version of each origin: the documents the knowledge covers."""
        return dict(self._conn.execute(f"SELECT d.id, d.origin FROM documents d WHERE {_LATEST}"))

    @_guarded
    def indexed_local_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM local_names").fetchone()[0]

    @_guarded
    def indexed_locals(self, documents: list[str]) -> dict[tuple[str, str], set[str]]:
        return knowledge.locals_of(self._conn, documents)

    @_guarded
    def locals_with_keys(self, keys) -> dict[tuple[str, str], set[str]]:
        return knowledge.locals_with_keys(self._conn, keys)

    @_guarded
    def local_names(self, refs) -> list[tuple]:
        return knowledge.read_local_names(self._conn, refs)

    @_guarded
    def namesakes(self, rows) -> dict[tuple[str, str], str]:
        """(document, local) -> entity, of index rows named and called exactly as a stored local entity of the
        entity bearing their name (``knowledge.namesakes``)."""
        return knowledge.namesakes(self._conn, rows)

    @_guarded
    def merge_into(self, entity: str, reason: str) -> str | None:
        return knowledge.merge_into(self._conn, entity, reason)

    @_guarded
    def indexed_accounts(self, documents: list[str]) -> dict[tuple[str, int], set[str]]:
        return knowledge.accounts_of(self._conn, documents)

    @_guarded
    def accounts_with_keys(self, keys) -> dict[tuple[str, int], set[str]]:
        return knowledge.accounts_with_keys(self._conn, keys)

    @_guarded
    def events_with_keys(self, keys) -> set[tuple[str, str]]:
        return knowledge.events_with_keys(self._conn, keys)

    @_guarded
    def event_weighings(self, event_ids) -> dict[str, tuple[str, list]]:
        return knowledge.event_weighings(self._conn, event_ids)

    @_guarded
    def events_of_accounts(self, refs) -> dict[tuple[str, int], str]:
        return knowledge.events_of_accounts(self._conn, refs)

    @_guarded
    def event_makings(self, event_ids) -> dict[str, tuple[str, list, list]]:
        return knowledge.event_makings(self._conn, event_ids)

    @_guarded
    def relation_keys_of_documents(self, documents) -> set[tuple]:
        return knowledge.relation_keys_of_documents(self._conn, documents)

    @_guarded
    def relations_by_key(self, subjects_of=(), objects_of=(), keys=()) -> list[tuple]:
        return knowledge.relations_by_key(self._conn, subjects_of, objects_of, keys)

    @_guarded
    def evidence_documents(self, owners) -> set[str]:
        return knowledge.evidence_documents(self._conn, owners)

    @_guarded
    def links_of_documents(self, documents) -> list[tuple[str, str, str]]:
        """(document, local, entity) links of these documents."""
        return list(self._conn.execute(
            "SELECT document, local, entity FROM mention_entities WHERE document IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(documents))),)))

    @_guarded
    def links_of_locals(self, refs) -> dict[tuple[str, str], str]:
        return {(d, l): e for d, l, e in self._conn.execute(
            "SELECT document, local, entity FROM mention_entities WHERE (document, local) IN"
            " (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))",
            (json.dumps(sorted(set(refs))),))}

    @_guarded
    def event_dates(self, event_ids) -> dict[str, set[str]]:
        """Event id -> the dates its weighed accounts give (``knowledge.event_dates``; events without any left out)."""
        return knowledge.event_dates(self._conn, event_ids)

    @_guarded
    def claims_of(self, doc_ids) -> dict[str, DocumentAnalysis]:
        """Document id -> the claims of its stored analysis (``codec.decode_claims``: no mentions)."""
        return {a.document: a for a in (decode_claims(text) for (text,) in self._conn.execute(
            "SELECT json FROM analyses WHERE document IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(doc_ids))),)))}

    @_guarded
    def event_claims_of(self, refs) -> dict[str, tuple[tuple, dict]]:
        """Document id -> (its persons, claim index -> event claim) for these (document, claim index): only those
        claims decoded (``codec.decode_events``)."""
        wanted: dict[str, set[int]] = {}
        for d, c in refs:
            wanted.setdefault(d, set()).add(c)
        return {d: decode_events(text, wanted[d]) for d, text in self._conn.execute(
            "SELECT document, json FROM analyses WHERE document IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(wanted)),))}

    @_guarded
    def analyses_of(self, doc_ids) -> list[DocumentAnalysis]:
        return [decode_analysis(text) for (text,) in self._conn.execute(
            "SELECT json FROM analyses WHERE document IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(doc_ids))),))]

    @_guarded
    def write_part(self, part) -> None:
        """Replace the part of the knowledge a refresh redid (``tessera.refresh.Part``), in one transaction."""
        with self._write() as conn:
            # the entities whose counts may change: those redone, and those the old and new facts name
            written = {e.id for e in part.entities}
            gone = set(part.old_entities) - written
            touched = knowledge.entities_of_facts(conn, part.old_relations, part.old_events)
            touched |= set(part.old_entities) | written | set(part.recounted)
            knowledge.delete_facts(conn, part.old_relations, part.old_events)
            # mention links go with the entities that go; links not redone (followers', unchanged) stay
            knowledge.delete_entities(conn, part.old_entities, part.old_refs, gone=gone)
            knowledge.delete_locals(conn, part.stale)
            knowledge.delete_accounts(conn, part.old_accounts)
            knowledge.insert_entities(conn, part.entities, part.merges, part.links)
            knowledge.insert_joined(conn, part.joined)
            knowledge.update_counts(conn, part.recounted)
            knowledge.write_places(conn, part.places, gone=gone)
            knowledge.insert_facts(conn, part.relations, part.events, part.conflicts, part.event_merges, part.ranks)
            knowledge.insert_locals(conn, part.locals)
            knowledge.insert_accounts(conn, part.accounts)
            touched |= knowledge.entities_of_facts(conn, [r.id for r in part.relations], [e.id for e in part.events])
            knowledge.recount(conn, touched)
            conn.execute("DELETE FROM stale WHERE document IN (SELECT value FROM json_each(?))",
                         (json.dumps(sorted(part.stale)),))

    # ---- derived knowledge ----

    @_guarded
    def replace_knowledge(
        self,
        entities: list[Entity],
        merges: list[Merge],
        mention_entity: list[tuple[str, str, str]],
        relations: list[Relation],
        events: list[Event],
        conflicts: list[Conflict],
        event_merges: list[EventMerge] = (),
        ranks: dict | None = None,
        locals_: list[tuple] = (),
        accounts: list[tuple] = (),
        stale: list[str] | None = None,
        places: dict | None = None,
    ) -> None:
        """Replace all entities, merges, relations, events, conflicts and event merges in one transaction,
        with the index a partial refresh reads (``locals_``, ``accounts``: see ``knowledge.insert_locals``
        and ``insert_accounts``) and where each place lies (``places``: entity id -> gazetteer place, as
        ``gazetteer_facade.locate`` gives them; None when not worked out, so that ``places()`` is None);
        the documents ``stale`` (all when None) no longer wait for a refresh."""
        with self._write() as conn:
            knowledge.write_knowledge(conn, entities, merges, mention_entity, relations, events, conflicts,
                                      event_merges, ranks)
            knowledge.insert_locals(conn, locals_)
            knowledge.insert_accounts(conn, accounts)
            if places is None:
                conn.execute("DELETE FROM knowledge_state WHERE name = 'places'")
            else:
                knowledge.write_places(conn, places)
                conn.execute("INSERT OR REPLACE INTO knowledge_state (name, value) VALUES ('places', '1')")
            if stale is None:
                conn.execute("DELETE FROM stale")
            else:
                conn.execute("DELETE FROM stale WHERE document IN (SELECT value FROM json_each(?))",
                             (json.dumps(sorted(stale)),))
            conn.execute("DELETE FROM knowledge_state WHERE name = 'full'")

    @_guarded
    def entities(self, type: str | None = None, limit: int | None = None) -> list[Entity]:
        """Entities, optionally of one type, most mentioned first then by name (the first ``limit``)."""
        if type is None:
            return knowledge.read_entities(self._conn, limit=limit)
        if type not in ENTITY_TYPES:
            raise NotFoundError(f"unknown entity type {type!r}; known: {', '.join(ENTITY_TYPES)}")
        return knowledge.read_entities(self._conn, "WHERE e.type = ?", (type,), limit=limit)

    @_guarded
    def entities_page(self, type: str | None = None, offset: int = 0, limit: int = 50) -> tuple[list[Entity], int]:
        """One page of entities (optionally of one type), most mentioned first, and how many there are in all."""
        if type is not None and type not in ENTITY_TYPES:
            raise NotFoundError(f"unknown entity type {type!r}; known: {', '.join(ENTITY_TYPES)}")
        where, params = ("WHERE e.type = ?", (type,)) if type else ("", ())
        total = self._conn.execute(f"SELECT count(*) FROM entities e {where}", params).fetchone()[0]
        return knowledge.read_entities(self._conn, where, params, limit=limit, offset=offset), total

    @_guarded
    def entity_counts(self) -> dict[str, int]:
        """Entity type -> number of entities of that type."""
        return knowledge.count_entities(self._conn)

    @_guarded
    def most_connected(self, type: str | None = None, limit: int = 10) -> list[tuple[Entity, int]]:
        """Entities with the most distinct relation partners, with that number, most connected first."""
        counts = knowledge.read_neighbour_counts(self._conn, type, limit)
        found = {e.id: e for e in knowledge.read_entities(
            self._conn, f"WHERE e.id IN ({', '.join('?' * len(counts))})", tuple(i for i, _ in counts))} if counts else {}
        return [(found[i], n) for i, n in counts]

    @_guarded
    def top_entities(self, types: Iterable[str], limit: int) -> list[Entity]:
        """The ``limit`` entities of these types named in the most documents, most first."""
        return knowledge.read_top_entities(self._conn, types, limit)

    def ties(self, entity_ids: Iterable[str], predicates: Iterable[str] | None = None) -> Iterator[tuple]:
        """(id, subject, predicate, object, date, ended, documents) of the relations between these entities,
        optionally of these predicates, the best supported (most documents) first, streamed: a caller that
        wants the first few reads no more (no evidence is read)."""
        try:
            yield from knowledge.iter_ties(self._conn, entity_ids, predicates)
        except sqlite3.Error as exc:
            raise explain(self.path, exc) from None

    @_guarded
    def relation(self, relation_id: str) -> Relation:
        """The relation with this id, with its evidence; NotFoundError if there is none."""
        found = knowledge.read_relations(self._conn, None, relation_id)
        if not found:
            raise NotFoundError(f"no relation with id {relation_id!r} in {self.path}")
        return found[0]

    @_guarded
    def analysis(self, doc_id: str) -> DocumentAnalysis:
        """The stored analysis of one document; NotFoundError if it has none."""
        row = self._conn.execute("SELECT json FROM analyses WHERE document = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no analysis of document {doc_id!r} in {self.path}")
        return decode_analysis(row[0])

    @_guarded
    def entity(self, entity_id: str) -> Entity:
        """The entity with this id; NotFoundError if there is none."""
        found = knowledge.read_entities(self._conn, "WHERE e.id = ?", (entity_id,))
        if not found:
            raise NotFoundError(f"no entity with id {entity_id!r} in {self.path}")
        return found[0]

    @_guarded
    def find_entities(self, name: str, limit: int | None = None) -> list[Entity]:
        """Entities known by ``name`` (any case, accents, hyphens, "the "), then by names it begins."""
        return knowledge.find_entities(self._conn, name, limit)

    @_guarded
    def mention_entities(self, entity_id: str | None = None, document: str | None = None,
                         documents: int | None = None, ordered: bool = True) -> list[tuple[str, str, str]]:
        """(document id, local entity id, entity id) links by document, optionally of one entity or of one
        document; ``documents`` keeps those of the first that many documents (by id) of the entity; unordered
        (read in the table's order, a third of the time for all of them) when not ``ordered``."""
        where, params = ("WHERE entity = ?", (entity_id,)) if entity_id else ("", ())
        if document is not None:
            where, params = (where + (" AND" if where else "WHERE") + " document = ?", params + (document,))
        if entity_id and documents is not None:
            where += (" AND document IN (SELECT DISTINCT document FROM mention_entities"
                      " INDEXED BY mention_entities_entity_document WHERE entity = ? ORDER BY document LIMIT ?)")
            params += (entity_id, documents)
        return list(
            self._conn.execute(
                f"SELECT document, local, entity FROM mention_entities {where}"
                + (" ORDER BY document, local" if ordered else ""),
                params,
            )
        )

    @_guarded
    def mention_entities_of(self, entity_ids: Iterable[str]) -> list[tuple[str, str, str]]:
        """(document id, local entity id, entity id) links of these entities, in no order."""
        return list(self._conn.execute(
            "SELECT document, local, entity FROM mention_entities WHERE entity IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(entity_ids) - {None})),)))

    @_guarded
    def merges(self, entity_id: str | None = None) -> list[Merge]:
        """Logged merges, optionally those of one entity."""
        return knowledge.read_merges(self._conn, entity_id)

    @_guarded
    def event_merges(self, event_id: str | None = None) -> list[EventMerge]:
        """Accounts joined to events and why, optionally those of one event."""
        return knowledge.read_event_merges(self._conn, event_id)

    @_guarded
    def relations(self, entity_id: str | None = None, ids: Iterable[str] | None = None, limit: int | None = None,
                  latest: bool = False, offset: int = 0, quotes: int | None = None) -> list[Relation]:
        """Relations, optionally those with the entity as subject or object, or those with these ids; ``limit``
        keeps one page (after ``offset``) of the best supported (most documents), or with ``latest`` the latest
        dated, in resolver order. A page is read from an index: it costs the same for an entity with 20,000.
        ``quotes`` keeps the first that many evidence items of each (``fact_documents`` counts them all)."""
        return knowledge.read_relations(self._conn, entity_id, ids=ids, limit=limit, latest=latest,
                                        offset=max(0, offset), quotes=quotes)

    @_guarded
    def events(self, entity_id: str | None = None, ids: Iterable[str] | None = None,
               limit: int | None = None, offset: int = 0, quotes: int | None = None) -> list[Event]:
        """Events, optionally those naming the entity in any role (subject, location, perpetrator, claimant,
        role filler), or those with these ids; ``limit`` keeps one page (after ``offset``) of the latest dated,
        in reconciler order. ``quotes`` keeps the first that many of each event's own evidence items (its
        values and role fillers keep all theirs; ``fact_documents`` counts them all)."""
        return knowledge.read_events(self._conn, entity_id, ids=ids, limit=limit, offset=max(0, offset),
                                     quotes=quotes)

    @_guarded
    def event_publications(self, event_ids: Iterable[str]) -> dict[str, list[str]]:
        """Event id -> the publication dates of the documents that tell it (reader comments and undated
        documents aside)."""
        return knowledge.event_publications(self._conn, event_ids)

    @_guarded
    def fact_documents(self, relation_ids: Iterable[str] = (), event_ids: Iterable[str] = ()) -> dict[str, int]:
        """Relation or event id -> the documents that say it (reader comments aside), all its evidence counted."""
        return knowledge.count_documents(self._conn, relation_ids, event_ids)

    @_guarded
    def fact_counts(self, entity_id: str | None = None) -> tuple[int, int]:
        """(relations, events) naming the entity, or in the whole base."""
        return knowledge.count_facts(self._conn, entity_id)

    @_guarded
    def conflicts(self, about: Iterable[str] | None = None, limit: int | None = None, offset: int = 0) -> list[Conflict]:
        """Conflicts between sources, each side with its evidence; optionally those about these relations or
        events, and one page of them."""
        return knowledge.read_conflicts(self._conn, about, limit, offset)

    @_guarded
    def entity_refs(self, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """Entity id -> (name, type), for those of ``ids`` that exist."""
        return knowledge.read_entity_refs(self._conn, ids)

    @_guarded
    def document_refs(self, ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
        """Document id -> (origin, title), for those of ``ids`` that exist (no text read)."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, tuple[str, str | None]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out.update((d, (o, t)) for d, o, t in self._conn.execute(
                f"SELECT id, origin, title FROM documents WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
        return out

    # ---- search and counts ----

    @_guarded
    def search(self, query: str, limit: int = 20, latest_only: bool = True, offset: int = 0) -> list[SearchHit]:
        """Sentences containing every word of ``query`` (as prefixes), best matches first (equal ones in the
        order they were stored); ``offset`` pages on. A query matching more than ``RANKED_MATCHES`` sentences
        lists the newest first instead: ranking every match of a common word took a second in a large kb."""
        match = fts_query(query)
        if not match:
            return []
        where = _LATEST if latest_only else "d.status = 'ok'"
        want = offset + limit
        matches = self._conn.execute(
            "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH ?", (match,)).fetchone()[0]
        ranked = matches <= RANKED_MATCHES
        order = "rank, rowid" if ranked else "rowid DESC"
        # The first matches in that order from the full-text index alone, then only those joined to their
        # documents (joining every match, each with the newest-version check, cost more than the ranking);
        # more are fetched while older versions left the page short.
        fetch = max(64, 2 * want)
        while True:
            top = self._conn.execute(
                f"SELECT rowid, {'rank' if ranked else '0'} FROM sentences_fts WHERE sentences_fts MATCH ?"
                f" ORDER BY {order} LIMIT ?", (match, fetch)).fetchall()
            position = {rowid: i for i, (rowid, _rank) in enumerate(top)}
            rows = self._conn.execute(
                'SELECT s.id, s.document, d.origin, d.title, s.start, s."end", s.text FROM sentences s'
                f" JOIN documents d ON d.id = s.document WHERE s.id IN (SELECT value FROM json_each(?)) AND {where}",
                (json.dumps(list(position)),)).fetchall()
            rows.sort(key=lambda r: position[r[0]])
            if len(top) < fetch or len(rows) >= want:
                break
            fetch *= 4
        # snippets made here: FTS5's snippet() re-reads the whole index entry of a prefix ("attack*": 100 ms)
        words = [_fold(w) for w in re.findall(r"\w+", query)]
        return [SearchHit(*row[1:], snippet(row[6], words)) for row in rows[offset:want]]

    @_guarded
    def count(self, table: str) -> int:
        """Rows in one of the tables ``stats`` counts (cheaper than ``stats`` on a large kb)."""
        if table not in _TABLES:
            raise ValueError(f"unknown table {table!r}; known: {', '.join(_TABLES)}")
        return self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    @_guarded
    def stats(self) -> dict[str, int]:
        """Row counts per table."""
        return {
            table: self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in _TABLES
        }


def _check_analysis(doc: Document, analysis: DocumentAnalysis) -> None:
    if analysis.document != doc.id:
        raise ValueError(f"analysis of {analysis.document!r} given for document {doc.id!r}")
    for start, end in analysis.sentences:
        if not 0 <= start < end <= len(doc.text):
            raise ValueError(f"sentence span ({start}, {end}) is outside {doc.origin}")


def _document(row: tuple[Any, ...]) -> Document:
    doc_id, origin, text, title, published, regions, media_type, source, duplicate_of, warnings = row
    return Document(doc_id, origin, text, title, published, decode_regions(regions), media_type, source,
                    duplicate_of, tuple(json.loads(warnings)))


def _check_path(file: Path, name: str, readonly: bool) -> None:
    """Fail early, with the fix, on paths sqlite would only call "unable to open"."""
    if file.is_dir():
        raise StoreError(f"{name}: is a directory (give a file path such as {file / 'kb.db'})")
    if not file.exists():
        if readonly:
            raise StoreError(f"{name}: no such knowledge base (check the path, or build it first)")
        parent = file.absolute().parent
        if not parent.is_dir():
            raise StoreError(f"{name}: directory {parent} does not exist (create it first)")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise StoreError(f"{name}: permission denied creating a file in {parent} (check permissions)")
        return
    if not os.access(file, os.R_OK):
        raise StoreError(f"{name}: permission denied reading the file (check its permissions)")
    if not readonly and not os.access(file, os.W_OK):
        raise StoreError(
            f"{name}: permission denied writing the file (check its permissions, or open it read-only)"
        )
