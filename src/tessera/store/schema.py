"""The knowledge-base schema as an ordered list of migrations, and the code that applies them.

Each migration is ``(version, sql)``; a file records every version applied in ``schema_version``.
Never edit a released migration: append a new one. ``end`` and ``into`` are SQL keywords and are
quoted wherever they are used as column names.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from tessera.errors import StoreError

# an entity's row of ``entity_counts`` (relations it is in, events naming it, distinct relation partners,
# independent sources mentioning it), for the entities ``{where}`` selects from ``entities e``: written by
# migration 8 for all, and by ``store.knowledge.recount`` for those a refresh touches
ENTITY_COUNTS = """
INSERT INTO entity_counts (entity, relations, events, partners, sources)
SELECT e.id,
    (SELECT count(*) FROM relations r WHERE r.subject = e.id OR r.object = e.id),
    (SELECT count(*) FROM event_entities x WHERE x.entity = e.id),
    (SELECT count(DISTINCT CASE WHEN r.subject = e.id THEN r.object ELSE r.subject END) FROM relations r
        WHERE (r.subject = e.id AND r.object IS NOT NULL) OR r.object = e.id),
    (SELECT count(DISTINCT coalesce(d.duplicate_of, m.document)) FROM mention_entities m
        LEFT JOIN documents d INDEXED BY documents_copies ON d.id = m.document WHERE m.entity = e.id)
FROM entities e {where}
"""

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
);

-- ---- per-document rows, written one transaction per document ----

CREATE TABLE documents (
    id TEXT PRIMARY KEY,                 -- sha256 of the normalized text
    seq INTEGER NOT NULL UNIQUE,         -- insertion order: the newest version of an origin wins
    origin TEXT NOT NULL,
    title TEXT,
    published TEXT,
    media_type TEXT NOT NULL,
    text TEXT NOT NULL,
    regions TEXT NOT NULL DEFAULT '[]',  -- JSON list of Region
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    error TEXT,
    added_at TEXT NOT NULL
);
CREATE INDEX documents_origin ON documents (origin, seq);

CREATE TABLE analyses (
    document TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    json TEXT NOT NULL,                  -- DocumentAnalysis, see store.codec
    extractors TEXT NOT NULL             -- JSON list of versioned extractor names
);

CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    document TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX sentences_document ON sentences (document);

CREATE VIRTUAL TABLE sentences_fts USING fts5 (
    text, content = 'sentences', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER sentences_fts_insert AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER sentences_fts_delete AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts (sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TABLE failures (
    origin TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);

-- ---- derived knowledge, rebuilt whole in one transaction after each build ----

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    key TEXT NOT NULL,                   -- lookup key of the name
    documents INTEGER NOT NULL,
    mentions INTEGER NOT NULL
);
CREATE INDEX entities_key ON entities (key);
CREATE INDEX entities_rank ON entities (mentions DESC, name);

CREATE TABLE aliases (
    entity TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    alias TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (entity, position)
);
CREATE INDEX aliases_key ON aliases (key);

CREATE TABLE merges (
    position INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    name TEXT NOT NULL,
    "into" TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX merges_entity ON merges (entity);

CREATE TABLE mention_entities (
    document TEXT NOT NULL,
    local TEXT NOT NULL,
    entity TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    PRIMARY KEY (document, local)
);
CREATE INDEX mention_entities_entity ON mention_entities (entity);

CREATE TABLE relations (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    subject TEXT NOT NULL,
    predicate TEXT NOT NULL,
    object TEXT,
    value TEXT,
    date TEXT,
    ended INTEGER NOT NULL
);
CREATE INDEX relations_subject ON relations (subject);
CREATE INDEX relations_object ON relations (object);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    type TEXT NOT NULL,
    subtype TEXT,
    date TEXT,
    subject TEXT,
    locations TEXT NOT NULL,             -- JSON lists of entity ids (targets: free text)
    perpetrators TEXT NOT NULL,
    claimed_by TEXT NOT NULL,
    targets TEXT NOT NULL
);

CREATE TABLE conflicts (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    about TEXT NOT NULL,
    field TEXT NOT NULL
);

-- Every fact's evidence as rows. ``item`` orders the values of a multi-valued field
-- (killed, wounded, dates, values) whose ``value`` is JSON; ``position`` orders evidence.
CREATE TABLE evidence (
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('relation', 'event', 'conflict')),
    owner TEXT NOT NULL,
    field TEXT NOT NULL,
    item INTEGER NOT NULL,
    position INTEGER NOT NULL,
    value TEXT,
    document TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL CHECK ("end" > start),
    quote TEXT NOT NULL CHECK (quote <> ''),
    attributed_to TEXT,
    hedge TEXT,
    comment INTEGER NOT NULL,
    extractor TEXT NOT NULL,
    confidence REAL NOT NULL,
    PRIMARY KEY (owner_kind, owner, field, item, position)
);
CREATE INDEX evidence_document ON evidence (document);
""",
    ),
    (
        2,
        """
-- the agency a wire dateline names ("Reuters", "RADIO VENCEREMOS"); NULL in files built before
ALTER TABLE documents ADD COLUMN source TEXT;
""",
    ),
    (
        3,
        """
-- why the account of a document was taken for an event another document opened (for review)
CREATE TABLE event_merges (
    event TEXT NOT NULL,
    position INTEGER NOT NULL,
    document TEXT NOT NULL,
    reason TEXT NOT NULL,
    score REAL NOT NULL
);
CREATE INDEX event_merges_event ON event_merges (event);
""",
    ),
    (
        4,
        """
-- near-duplicates (tessera.duplicates): the earliest copy of the same story, NULL for an original
ALTER TABLE documents ADD COLUMN duplicate_of TEXT;
CREATE INDEX documents_duplicate_of ON documents (duplicate_of);
-- each document's MinHash signature of its title and body shingles, so a later build finds its
-- copies without re-reading every text (documents stored before version 4 get theirs at the next build)
CREATE TABLE signatures (
    document TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    minhash BLOB NOT NULL
);
""",
    ),
    (
        5,
        """
-- what ingest had to do to read each document (JSON list of strings): an encoding it detected,
-- damaged bytes or control characters it replaced, a field it could not read; '[]' for none
ALTER TABLE documents ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
""",
    ),
    (
        6,
        """
-- incremental refresh (KnowledgeBase.refresh): the knowledge is brought up to date for what changed only.
-- documents whose knowledge is not refreshed yet: added, removed, superseded by a new version, or whose
-- earliest copy changed; written with the change, cleared with the knowledge it asks for (one transaction)
CREATE TABLE stale (document TEXT PRIMARY KEY);
-- 'full' = 1: refresh everything next time (files built before version 6 have no index below yet)
CREATE TABLE knowledge_state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO knowledge_state (name, value) SELECT 'full', '1' WHERE EXISTS (SELECT 1 FROM documents);
-- what the resolver reads of each local entity in the knowledge, and the keys that may tie it to others
-- (tessera.resolve.name_keys), so a refresh finds the entities new documents touch without their analyses
CREATE TABLE local_names (
    document TEXT NOT NULL,
    local TEXT NOT NULL,
    position INTEGER NOT NULL,           -- its order in its document's analysis
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    names TEXT NOT NULL,                 -- JSON list
    mentions INTEGER NOT NULL,
    PRIMARY KEY (document, local)
);
CREATE TABLE local_keys (document TEXT NOT NULL, local TEXT NOT NULL, key TEXT NOT NULL);
CREATE INDEX local_keys_key ON local_keys (key);
CREATE INDEX local_keys_local ON local_keys (document, local);
-- each event account (an event claim of a document, by its index) in the knowledge: the event it is
-- told in, and the keys that may tie it to other accounts (tessera.reconcile.account_keys)
CREATE TABLE accounts (
    document TEXT NOT NULL,
    claim INTEGER NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (document, claim)
);
CREATE INDEX accounts_event ON accounts (event);
CREATE TABLE account_keys (document TEXT NOT NULL, claim INTEGER NOT NULL, key TEXT NOT NULL);
CREATE INDEX account_keys_key ON account_keys (key);
CREATE INDEX account_keys_account ON account_keys (document, claim);
-- the order a whole rebuild gives (by the document and the claim that opened each item), kept as text so
-- that rows written by a partial refresh fall in the same place
ALTER TABLE relations ADD COLUMN rank TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN rank TEXT NOT NULL DEFAULT '';
ALTER TABLE conflicts ADD COLUMN rank TEXT NOT NULL DEFAULT '';
ALTER TABLE event_merges ADD COLUMN rank TEXT NOT NULL DEFAULT '';
CREATE INDEX relations_rank ON relations (rank);
CREATE INDEX events_rank ON events (rank);
CREATE INDEX relations_key ON relations (predicate, subject, object);
""",
    ),
    (
        7,
        """
-- which entities each event names (subject, locations, perpetrators, claimants, role fillers), so
-- the events of one entity are an index lookup, not a scan of every event's JSON lists
CREATE TABLE event_entities (
    entity TEXT NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (entity, event)
) WITHOUT ROWID;
CREATE INDEX event_entities_event ON event_entities (event);  -- a partial refresh deletes by event
INSERT OR IGNORE INTO event_entities (entity, event)
    SELECT subject, id FROM events WHERE subject IS NOT NULL
    UNION SELECT j.value, e.id FROM events e, json_each(e.locations) j
    UNION SELECT j.value, e.id FROM events e, json_each(e.perpetrators) j
    UNION SELECT j.value, e.id FROM events e, json_each(e.claimed_by) j
    UNION SELECT json_extract(value, '$.entity'), owner FROM evidence
          WHERE owner_kind = 'event' AND field IN ('attackers', 'targets', 'victims', 'weapons')
          AND json_extract(value, '$.entity') IS NOT NULL;
-- the conflicts about one relation or event (an entity's profile)
CREATE INDEX conflicts_about ON conflicts (about);
-- the latest dated relations and events first (a timeline of a large kb reads only those; the
-- expressions are the ORDER BY of store.knowledge's limited reads)
CREATE INDEX relations_latest ON relations (date IS NULL, date DESC, rank, position);
CREATE INDEX events_latest ON events (date IS NULL, date DESC, rank, position);
-- a document's copy link without reading its row: duplicate_of comes after the text, so reading it
-- from the table walks the text's overflow pages (every evidence row read asks for it)
CREATE INDEX documents_copies ON documents (id, duplicate_of);
-- the newest version of each origin (store.sqlite._LATEST) from the index alone, for the same reason
CREATE INDEX documents_latest ON documents (origin, status, seq);
""",
    ),
    (
        8,
        """
-- reads of one entity that stop after a page, however many facts it has (an entity named in a third of a
-- large kb has tens of thousands): each order a page is read in is an index, and the counts a page
-- shows ("50 of 20,317") are kept, not counted.
-- the documents that say a relation (reader comments aside): how well supported it is
ALTER TABLE relations ADD COLUMN documents INTEGER NOT NULL DEFAULT 0;
UPDATE relations SET documents = (SELECT count(DISTINCT x.document) FROM evidence x
    WHERE x.owner_kind = 'relation' AND x.owner = relations.id AND x.comment = 0);
-- an entity's best-supported relations, and its latest, from either side; each index holds what a page's
-- ids are read with (store.knowledge.relation_page merges the two sides), so the rows are not read
CREATE INDEX relations_subject_support ON relations (subject, documents DESC, rank, position, id);
CREATE INDEX relations_object_support ON relations (object, documents DESC, rank, position, subject, id);
CREATE INDEX relations_subject_latest ON relations (subject, date IS NULL, date DESC, rank, position, id);
CREATE INDEX relations_object_latest ON relations (object, date IS NULL, date DESC, rank, position, subject, id);
-- (they begin with what these held)
DROP INDEX relations_subject;
DROP INDEX relations_object;
-- the same for the latest of the whole base (the timeline's later pages)
DROP INDEX relations_latest;
CREATE INDEX relations_latest ON relations (date IS NULL, date DESC, rank, position, id);
DROP INDEX events_latest;
CREATE INDEX events_latest ON events (date IS NULL, date DESC, rank, position, id);
-- the relations between a set of entities (the network page), from the index alone
CREATE INDEX relations_pair ON relations (subject, object, predicate, documents, date, ended, id);
-- an entity's latest events: the event's order kept beside each entity it names
ALTER TABLE event_entities ADD COLUMN date TEXT;
ALTER TABLE event_entities ADD COLUMN rank TEXT NOT NULL DEFAULT '';
ALTER TABLE event_entities ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE event_entities SET (date, rank, position) =
    (SELECT e.date, e.rank, e.position FROM events e WHERE e.id = event_entities.event);
CREATE INDEX event_entities_latest ON event_entities (entity, date IS NULL, date DESC, rank, position);
-- the first documents naming an entity (how the entity page says it is written), in document order
CREATE INDEX mention_entities_entity_document ON mention_entities (entity, document, local);
DROP INDEX mention_entities_entity;
-- entities of one type, most mentioned first (the entity list, the timeline's choices, counts by type)
CREATE INDEX entities_type ON entities (type, mentions DESC, name, id);
-- the most documented entities first (the network page's nodes)
CREATE INDEX entities_documents ON entities (documents DESC, name, id);
-- per entity: relations it is in, events naming it, distinct relation partners, independent sources that
-- mention it; rewritten for the entities a refresh touches (store.knowledge.recount)
CREATE TABLE entity_counts (
    entity TEXT PRIMARY KEY,
    relations INTEGER NOT NULL,
    events INTEGER NOT NULL,
    partners INTEGER NOT NULL,
    sources INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX entity_counts_partners ON entity_counts (partners DESC);
""" + ENTITY_COUNTS.format(where="") + ";\n",
    ),
    (
        9,
        """
-- a copy's local entities named as its original's follow them (tessera.refresh: one key, 'F:' and the one
-- followed): the index of a file built before is rebuilt, with all the knowledge, at the next refresh
INSERT OR REPLACE INTO knowledge_state (name, value) SELECT 'full', '1' WHERE EXISTS (SELECT 1 FROM documents);
""",
    ),
    (
        10,
        """
-- a copy's event accounts told again follow their original's (tessera.reconcile.follower_leaders: one key,
-- 'F:' and the account followed), and each account keeps its place among its event's, so that an event only
-- its copies changed is told again without weighing its accounts: rebuilt, with all the knowledge, at the
-- next refresh
ALTER TABLE accounts ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
INSERT OR REPLACE INTO knowledge_state (name, value) SELECT 'full', '1' WHERE EXISTS (SELECT 1 FROM documents);
""",
    ),
    (
        11,
        """
-- the LSH band keys of each signature (tessera.duplicates.band_keys): a new document's candidate copies are
-- found by a query, not by loading every signature into an index (documents stored before get theirs at the
-- next build)
CREATE TABLE signature_bands (key INTEGER NOT NULL, document TEXT NOT NULL);
CREATE INDEX signature_bands_key ON signature_bands (key);
CREATE INDEX signature_bands_document ON signature_bands (document);
""",
    ),
    (
        12,
        """
-- where each place lies (tessera.gazetteer_facade.locate: its gazetteer entry, JSON), kept with the knowledge so
-- that a partial refresh reads the places as they stood and an export does not locate every place again
-- ('places' in knowledge_state: written with the knowledge); a file built before gets them, with all the
-- knowledge, at the next refresh
CREATE TABLE entity_places (entity TEXT PRIMARY KEY, place TEXT NOT NULL);
INSERT OR REPLACE INTO knowledge_state (name, value) SELECT 'full', '1' WHERE EXISTS (SELECT 1 FROM documents);
""",
    ),
    (
        13,
        """
-- the knowledge is worked out in the order of publication (tessera.refresh.rank), each event account weighed
-- against the events before it alone, so that news is reconciled from the stored events: a file built before
-- is rebuilt, with all the knowledge, at the next refresh
INSERT OR REPLACE INTO knowledge_state (name, value) SELECT 'full', '1' WHERE EXISTS (SELECT 1 FROM documents);
""",
    ),
    (
        14,
        """
-- what weighing reads of each weighed event account (tessera.reconcile.weighing, JSON; NULL for a copy's account
-- that follows another), so that news is compared with the stored events it may join without decoding their
-- documents' claims: a file built before gets them, with all the knowledge, at the next refresh
ALTER TABLE accounts ADD COLUMN weighing TEXT;
INSERT OR REPLACE INTO knowledge_state (name, value) SELECT 'full', '1' WHERE EXISTS (SELECT 1 FROM documents);
""",
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]


def statements(sql: str) -> list[str]:
    """Split a migration script into complete statements (trigger bodies stay whole)."""
    found: list[str] = []
    pending = ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    if pending.strip():
        found.append(pending.strip())
    return [s for s in found if s.rstrip(";").strip()]


def current_version(conn: sqlite3.Connection) -> int:
    """The highest schema version recorded in the file (0 for a new, empty file)."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_version" not in tables:
        return 0 if not tables else -1
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def check_version(path: str, version: int, *, readonly: bool) -> None:
    """Raise StoreError when the file cannot be used by this code as it stands."""
    if version < 0:
        raise StoreError(
            f"{path}: not a Tessera knowledge base (it is an SQLite file with other tables; "
            "choose another path)"
        )
    if version > LATEST_VERSION:
        raise StoreError(
            f"{path}: made by a newer Tessera (schema version {version}, this one knows up to "
            f"{LATEST_VERSION}); upgrade Tessera to open it"
        )
    if readonly and version == 0:
        raise StoreError(f"{path}: not a Tessera knowledge base (the file is empty; build it first)")
    if readonly and version < LATEST_VERSION:
        raise StoreError(
            f"{path}: made by an older Tessera (schema version {version}, now {LATEST_VERSION}); "
            "open it once read-write to upgrade it"
        )


def migrate(conn: sqlite3.Connection, path: str) -> None:
    """Apply every migration the file lacks, each in its own transaction."""
    for version, sql in MIGRATIONS:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # re-read inside the write lock: another process may have migrated meanwhile
            now = current_version(conn)
            check_version(path, now, readonly=False)
            if now < version:
                for statement in statements(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (version, datetime.now(timezone.utc).isoformat(timespec="seconds")),
                )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
