"""CSV tables for spreadsheets: one file per table, in a folder or a .zip.

Files are UTF-8 with a byte-order mark (so a spreadsheet opened by double-click reads the
accents right); cells holding several values separate them with "; ". Every claim's evidence is
in ``evidence.csv``, one row per evidence item, keyed by the claim's kind, id and field.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .snapshot import ENTITY_ROLES, ROLE_FIELDS, Snapshot, documents_of, joined, support

ENCODING = "utf-8-sig"
GEO_FIELDS = ("key", "name", "kind", "country", "country_code", "admin1", "latitude", "longitude")

TABLES: dict[str, tuple[str, ...]] = {
    "documents": ("id", "origin", "title", "published", "source", "media_type", "status", "error", "duplicate_of",
                  "warnings"),
    "entities": ("id", "name", "type", "aliases", "documents", "mentions", *(f"geo_{f}" for f in GEO_FIELDS)),
    "aliases": ("entity", "entity_name", "alias"),
    "mentions": ("document", "origin", "entity", "entity_name"),
    "relations": ("id", "subject", "subject_name", "predicate", "object", "object_name", "value", "date", "ended",
                  "support", "documents"),
    "events": ("id", "type", "subtype", "date", "dates", "locations", "location_names", "perpetrators",
               "perpetrator_names", "claimed_by", "claimed_by_names", "subject", "subject_name", "killed", "wounded",
               "support", "documents"),
    "event_roles": ("event", "role", "value", "entity", "entity_name", "support", "documents"),
    "evidence": ("claim_kind", "claim", "field", "value", "document", "origin", "start", "end", "quote",
                 "attributed_to", "hedge", "comment", "extractor", "confidence"),
    "conflicts": ("id", "about_kind", "about", "field", "value", "support", "documents"),
}


def rows(snap: Snapshot, table: str) -> Iterator[dict]:
    """The rows of one table as dicts keyed by ``TABLES[table]``."""
    return _ROWS[table](snap)


def _documents(snap: Snapshot):
    for d in snap.documents:
        yield {**d, "status": "ok", "warnings": joined(d.get("warnings") or ())}
    for d in snap.failed:
        yield {**d, "warnings": joined(d.get("warnings") or ())}


def _entities(snap: Snapshot):
    for e in snap.entities:
        geo = e.get("geo") or {}
        yield {"id": e["id"], "name": e["name"], "type": e["type"],
               "aliases": joined(a for a in e.get("aliases", ()) if a != e["name"]),
               "documents": e.get("documents"), "mentions": e.get("mentions"),
               **{f"geo_{f}": geo.get(f) for f in GEO_FIELDS}}


def _aliases(snap: Snapshot):
    for e in snap.entities:
        for a in e.get("aliases", ()):
            if a != e["name"]:
                yield {"entity": e["id"], "entity_name": e["name"], "alias": a}


def _mentions(snap: Snapshot):
    for doc, ids in snap.mentions.items():
        for eid in ids:
            yield {"document": doc, "origin": snap.origin(doc), "entity": eid, "entity_name": snap.name(eid)}


def _relations(snap: Snapshot):
    for r in snap.relations:
        yield {**{k: r.get(k) for k in ("id", "subject", "predicate", "object", "value", "date")},
               "subject_name": snap.name(r["subject"]), "object_name": snap.name(r.get("object")),
               "ended": bool(r.get("ended")), "support": r.get("support", support(r["evidence"])),
               "documents": joined(documents_of(r["evidence"]))}


def _events(snap: Snapshot):
    for ev in snap.events:
        row = {k: ev.get(k) for k in ("id", "type", "subtype", "date", "subject")}
        row.update({
            "dates": joined(v["value"] for v in ev.get("dates") or ()),
            "subject_name": snap.name(ev.get("subject")),
            "killed": joined(v["value"] for v in ev.get("killed") or ()),
            "wounded": joined(v["value"] for v in ev.get("wounded") or ()),
            "support": ev.get("support", support(ev.get("evidence", ()))),
            "documents": joined(documents_of(ev.get("evidence", ()))),
        })
        for field, names in (("locations", "location_names"), ("perpetrators", "perpetrator_names"),
                             ("claimed_by", "claimed_by_names")):
            row[field] = joined(ev.get(field, ()))
            row[names] = joined(snap.name(x) for x in ev.get(field, ()))
        yield row


def _event_roles(snap: Snapshot):
    for ev in snap.events:
        n = ev.get("support", support(ev.get("evidence", ())))
        docs = joined(documents_of(ev.get("evidence", ())))
        for role in ENTITY_ROLES:
            for eid in ev.get(role, ()):
                yield {"event": ev["id"], "role": role, "value": snap.name(eid), "entity": eid,
                       "entity_name": snap.name(eid), "support": n, "documents": docs}
        if ev.get("subject"):
            yield {"event": ev["id"], "role": "subject", "value": snap.name(ev["subject"]), "entity": ev["subject"],
                   "entity_name": snap.name(ev["subject"]), "support": n, "documents": docs}
        for role in ROLE_FIELDS:
            for f in ev.get(role, ()):
                yield {"event": ev["id"], "role": role, "value": f["value"], "entity": f.get("entity"),
                       "entity_name": snap.name(f.get("entity")), "support": support(f["evidence"]),
                       "documents": joined(documents_of(f["evidence"]))}


def _evidence(snap: Snapshot):
    def items(kind, claim, field, value, evidence):
        for e in evidence:
            yield {"claim_kind": kind, "claim": claim, "field": field, "value": value, "origin": snap.origin(e["document"]),
                   **{k: e.get(k) for k in ("document", "start", "end", "quote", "attributed_to", "hedge", "comment",
                                            "extractor", "confidence")}}

    for r in snap.relations:
        value = r.get("value") if r.get("object") is None else snap.name(r["object"])
        yield from items("relation", r["id"], r["predicate"], value, r["evidence"])
    for ev in snap.events:
        yield from items("event", ev["id"], "", ev.get("subtype") or ev["type"], ev.get("evidence", ()))
        for field in ("dates", "killed", "wounded", *ROLE_FIELDS):
            for v in ev.get(field) or ():
                yield from items("event", ev["id"], field, v["value"], v["evidence"])
    for c in snap.conflicts:
        for v in c["values"]:
            yield from items("conflict", c["id"], c["field"], v["value"], v["evidence"])


def _conflicts(snap: Snapshot):
    for c in snap.conflicts:
        found = snap.about(c["about"])
        for v in c["values"]:
            yield {"id": c["id"], "about_kind": found[0] if found else "", "about": c["about"], "field": c["field"],
                   "value": v["value"], "support": support(v["evidence"]), "documents": joined(documents_of(v["evidence"]))}


_ROWS = {"documents": _documents, "entities": _entities, "aliases": _aliases, "mentions": _mentions,
         "relations": _relations, "events": _events, "event_roles": _event_roles, "evidence": _evidence,
         "conflicts": _conflicts}


def write_table(out, columns, records) -> int:
    """Write dict rows under a header of ``columns`` with the csv module; return the number of rows."""
    w = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    w.writeheader()
    n = 0
    for row in records:
        w.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})
        n += 1
    return n


def write(snap: Snapshot, path: str | Path) -> dict[str, int]:
    """Write every table to the folder ``path`` (created if missing), or into a zip when it ends in .zip."""
    path = Path(path)
    counts = {}
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for table, columns in TABLES.items():
                buf = io.StringIO(newline="")
                counts[f"{table}.csv"] = write_table(buf, columns, rows(snap, table))
                z.writestr(f"{table}.csv", buf.getvalue().encode(ENCODING))
        return counts
    path.mkdir(parents=True, exist_ok=True)
    for table, columns in TABLES.items():
        with (path / f"{table}.csv").open("w", encoding=ENCODING, newline="") as out:
            counts[f"{table}.csv"] = write_table(out, columns, rows(snap, table))
    return counts
