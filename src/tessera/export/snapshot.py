"""The export records of one knowledge base, indexed once for the writers of every format.

Every export format is built from ``KnowledgeBase.export_records()`` (the stable contract of the
JSON Lines export) plus, where a format wants it, which entities each document mentions.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ROLE_FIELDS = ("attackers", "targets", "victims", "weapons")  # fillers: {value, entity, evidence}
ENTITY_ROLES = ("perpetrators", "claimed_by", "locations")  # lists of entity ids

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_YEARLESS = re.compile(r"^--(\d{2})(?:-(\d{2}))?$")


@dataclass
class Snapshot:
    documents: list[dict] = field(default_factory=list)  # stored documents (status ok)
    failed: list[dict] = field(default_factory=list)  # inputs that could not be read
    entities: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    mentions: dict[str, list[str]] = field(default_factory=dict)  # document id -> entity ids it mentions

    @classmethod
    def of(cls, records: Iterable[dict], mentions: Iterable[tuple[str, str]] = ()) -> "Snapshot":
        """Index export records; ``mentions`` are (document id, entity id) pairs."""
        snap = cls()
        lists = {"entity": snap.entities, "relation": snap.relations, "event": snap.events,
                 "conflict": snap.conflicts}
        for rec in records:
            kind = rec.get("kind")
            if kind == "document":
                (snap.documents if rec.get("status", "ok") == "ok" and rec.get("id") else snap.failed).append(rec)
            elif kind in lists:
                lists[kind].append(rec)
        for doc, ent in mentions:
            ids = snap.mentions.setdefault(doc, [])
            if ent not in ids:
                ids.append(ent)
        return snap

    def __post_init__(self) -> None:
        self._entity: dict[str, dict] | None = None
        self._document: dict[str, dict] | None = None

    def entity(self, entity_id: str | None) -> dict | None:
        if self._entity is None:
            self._entity = {e["id"]: e for e in self.entities}
        return self._entity.get(entity_id) if entity_id else None

    def document(self, doc_id: str) -> dict | None:
        if self._document is None:
            self._document = {d["id"]: d for d in self.documents}
        return self._document.get(doc_id)

    def name(self, entity_id: str | None) -> str:
        e = self.entity(entity_id)
        return e["name"] if e else ""

    def origin(self, doc_id: str) -> str:
        d = self.document(doc_id)
        return d["origin"] if d else ""

    def about(self, claim_id: str) -> tuple[str, dict] | None:
        """The relation or event a conflict is about: ("relation" | "event", record)."""
        for kind, recs in (("event", self.events), ("relation", self.relations)):
            for r in recs:
                if r["id"] == claim_id:
                    return kind, r
        return None


def documents_of(evidence: Iterable[dict]) -> list[str]:
    """Document ids of these evidence items, in first-seen order."""
    out: list[str] = []
    for e in evidence:
        if e["document"] not in out:
            out.append(e["document"])
    return out


def support(evidence: Iterable[dict]) -> int:
    """Number of independent sources that say it (a story and its copies are one), reader comments not
    counted (as ``Relation.support``)."""
    return len({e.get("duplicate_of") or e["document"] for e in evidence if not e.get("comment")})


def event_evidence(event: dict) -> list[dict]:
    """Every evidence item of an event: its own, its dates', counts' and role fillers'."""
    items = list(event.get("evidence", ()))
    for f in ("dates", "killed", "wounded", *ROLE_FIELDS):
        for v in event.get(f) or ():
            items.extend(v.get("evidence", ()))
    return items


def date_parts(date: str | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a partial ISO date; None where the date does not say.

    "2021-05" -> (2021, 5, None); "--09-14" -> (None, 9, 14); "late 1990s" -> (None, None, None).
    """
    if not date:
        return None, None, None
    m = _DATE.match(date)
    if m:
        return int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None
    m = _YEARLESS.match(date)
    if m:
        return None, int(m[1]), int(m[2]) if m[2] else None
    return None, None, None


def joined(values: Iterable[object], sep: str = "; ") -> str:
    return sep.join(str(v) for v in values if v is not None and v != "")
