"""STIX 2.1 bundle (OpenCTI, MISP): the knowledge base as STIX objects, each traceable to its documents.

Mapping (README "Export formats"):

- an organization is an ``intrusion-set`` where the knowledge base shows it acting as an armed
  group (it carries out or claims attacks, has founders, leaders, members, spokespeople, allies,
  a base, aims ...), else an ``identity`` of class organization (a ministry, a court, a state);
- a person is a ``threat-actor`` where the knowledge base ties them to such a group (leader,
  founder, member, spokesperson) or to an attack they carried out, else an ``identity`` (individual);
- a place is a ``location`` where its ``geo`` field gives coordinates or a country, or its name
  is a country's; STIX requires one of region, country or coordinates, so a place known by name
  only is left out (counted in the result) with the relations that point at it;
- a relation is a ``relationship`` of the type STIX suggests for that pair where one fits
  (led/founded by -> ``attributed-to``, based in -> ``originates-from``/``located-at``, aims to
  overthrow -> ``targets``), else ``related-to``; the Tessera predicate is kept in
  ``x_tessera_predicate``, its date in ``start_time`` (``stop_time`` is never known);
- an event (attack or death) is an ``incident`` with its roles, counts and dates as properties,
  linked to its perpetrators (``attributed-to``), places (``located-at``), named targets and
  victims (``targets``) and claimants (``related-to``);
- a conflict between sources is a ``note`` on the incident or relationship it is about;
- a document is a ``report`` whose ``object_refs`` are what it supports and mentions, with an
  ``external_reference`` to its origin.

Tessera's own properties (``x_tessera_*``: evidence with document, character span and quote;
support counts; role fillers as written) are declared by an ``extension-definition`` of type
``toplevel-property-extension``, as STIX 2.1 asks of custom properties. Ids are uuid5 of the
Tessera id under a fixed namespace, so one knowledge base always gives the same ids; ``created``
and ``modified`` are the time of the export (a later export of a grown knowledge base is a newer
version of the same objects).
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import TextIO

from .snapshot import ROLE_FIELDS, Snapshot, date_parts, documents_of, event_evidence, support

# Never change: every id Tessera has exported derives from it.
NAMESPACE = uuid.UUID("1c7a4d52-5b0e-4f8e-9f3a-2d6e8b7c4a10")
EXTENSION_VERSION = "1.0.0"

# An organization that is the subject / object of these is an armed group (intrusion-set).
_GROUP_AS_SUBJECT = frozenset({"founded_by", "founded_on", "led_by", "allied_with", "pledged_allegiance_to",
                               "based_in", "aims_to_overthrow", "designated_terrorist_by"})
_GROUP_AS_OBJECT = frozenset({"allied_with", "pledged_allegiance_to", "spokesperson_of", "member_of"})
# A person who is the object of these (subject a group) / subject of these (object a group) is a threat actor.
_ACTOR_AS_OBJECT = frozenset({"led_by", "founded_by"})
_ACTOR_AS_SUBJECT = frozenset({"spokesperson_of", "member_of"})

# (source type, predicate, target type) -> the relationship type STIX 2.1 suggests for it; else related-to.
_RELATIONSHIP_TYPES = {
    ("intrusion-set", "led_by", "threat-actor"): "attributed-to",
    ("intrusion-set", "founded_by", "threat-actor"): "attributed-to",
    ("intrusion-set", "based_in", "location"): "originates-from",
    ("threat-actor", "based_in", "location"): "located-at",
    ("identity", "based_in", "location"): "located-at",
    ("intrusion-set", "aims_to_overthrow", "identity"): "targets",
    ("intrusion-set", "aims_to_overthrow", "location"): "targets",
    ("threat-actor", "aims_to_overthrow", "identity"): "targets",
    ("threat-actor", "aims_to_overthrow", "location"): "targets",
}
# An event's role -> the relationship from its incident (STIX suggests none for incident; these are OpenCTI's).
_ROLE_TYPES = {
    "perpetrators": "attributed-to",
    "attackers": "attributed-to",
    "locations": "located-at",
    "targets": "targets",
    "victims": "targets",
    "claimed_by": "related-to",
    "subject": "related-to",
    "weapons": "related-to",
}

PROPERTIES = (  # the Tessera properties the extension declares
    "x_tessera_id", "x_tessera_type", "x_tessera_aliases", "x_tessera_documents", "x_tessera_mentions",
    "x_tessera_geo", "x_tessera_facts", "x_tessera_predicate", "x_tessera_role", "x_tessera_date",
    "x_tessera_ended", "x_tessera_support", "x_tessera_evidence", "x_tessera_event_type", "x_tessera_subtype",
    "x_tessera_dates", "x_tessera_killed", "x_tessera_wounded", "x_tessera_attackers", "x_tessera_targets",
    "x_tessera_victims", "x_tessera_weapons", "x_tessera_field", "x_tessera_values", "x_tessera_published",
    "x_tessera_source", "x_tessera_media_type",
)

_SCHEMA = (
    "Tessera (evidence-backed knowledge bases from conflict reporting) adds these top-level properties. "
    "x_tessera_id: the Tessera id the STIX id derives from (uuid5). x_tessera_evidence: list of "
    "{document (sha256 of the normalized text), report_ref, origin, start, end (character offsets into the "
    "document text), quote (exactly that text), attributed_to, hedge, comment, extractor, confidence}. "
    "x_tessera_support: number of independent sources that say it (copies of one story count once). "
    "x_tessera_predicate: Tessera's relation "
    "predicate; x_tessera_date: its date as written (partial ISO: 2021, 2021-05, --09-14, late 1990s); "
    "x_tessera_ended: the relation held before (a former leader). On incidents: x_tessera_event_type "
    "(attack, death), x_tessera_subtype, x_tessera_dates / x_tessera_killed / x_tessera_wounded: lists of "
    "{value, support, evidence} (several when sources disagree), x_tessera_attackers / targets / victims / "
    "weapons: lists of {value as written, entity (Tessera id), entity_ref, evidence}. On incident links: "
    "x_tessera_role. On entities: x_tessera_type (organization, person, location), x_tessera_aliases, "
    "x_tessera_documents and x_tessera_mentions (counts), x_tessera_geo (gazetteer entry), x_tessera_facts "
    "(literal relations such as founded_on: {predicate, value, date, support, evidence}). On notes: "
    "x_tessera_field and x_tessera_values (each side of a disagreement with its evidence). On reports: "
    "x_tessera_published (as printed, null when not), x_tessera_source (the agency of a wire dateline), "
    "x_tessera_media_type."
)


def stix_id(stix_type: str, key: str) -> str:
    """A deterministic STIX id: uuid5 of ``key`` (a Tessera id) under Tessera's namespace."""
    return f"{stix_type}--{uuid.uuid5(NAMESPACE, key)}"


def timestamp(date: str | None) -> str | None:
    """A STIX timestamp for the first instant of a partial date with a year; None otherwise."""
    year, month, day = date_parts(date)
    if year is None:
        return None
    return f"{year:04d}-{month or 1:02d}-{day or 1:02d}T00:00:00Z"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _clean(value):
    """Drop None values and empty lists from dicts (STIX: a property without a value is absent)."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


class _Builder:
    def __init__(self, snap: Snapshot, now: str) -> None:
        self.snap = snap
        self.now = now
        self.producer = stix_id("identity", "tessera:producer")
        self.extension = stix_id("extension-definition", "tessera:extension:" + EXTENSION_VERSION)
        self.objects: list[dict] = []
        self.refs_by_doc: dict[str, set[str]] = {}
        self.report_of = {d["id"]: stix_id("report", d["id"]) for d in snap.documents}
        self.left_out_places = 0
        self.left_out_relations = 0

    # ---- helpers -------------------------------------------------------------------------------
    def _base(self, stix_type: str, key: str, tessera: bool = True) -> dict:
        obj = {"type": stix_type, "spec_version": "2.1", "id": stix_id(stix_type, key),
               "created_by_ref": self.producer, "created": self.now, "modified": self.now}
        if tessera:
            obj["extensions"] = {self.extension: {"extension_type": "toplevel-property-extension"}}
        return obj

    def _evidence(self, items, owner: str | None = None) -> list[dict]:
        out = []
        for e in items:
            if owner:
                self.refs_by_doc.setdefault(e["document"], set()).add(owner)
            out.append({"document": e["document"], "report_ref": self.report_of.get(e["document"]),
                        "origin": self.snap.origin(e["document"]) or None, "start": e["start"], "end": e["end"],
                        "quote": e["quote"], "attributed_to": e.get("attributed_to"), "hedge": e.get("hedge"),
                        "comment": e.get("comment", False), "extractor": e.get("extractor"),
                        "confidence": e.get("confidence")})
        return out

    def _values(self, values, owner: str) -> list[dict]:
        return [{"value": v["value"], "support": support(v["evidence"]),
                 "evidence": self._evidence(v["evidence"], owner)} for v in values or ()]

    def _add(self, obj: dict) -> dict:
        self.objects.append(_clean(obj))
        return obj

    # ---- entities ------------------------------------------------------------------------------
    def entity_types(self) -> dict[str, str]:
        snap = self.snap
        groups: set[str] = set()
        for r in snap.relations:
            if r["predicate"] in _GROUP_AS_SUBJECT:
                groups.add(r["subject"])
            if r["predicate"] in _GROUP_AS_OBJECT and r.get("object"):
                groups.add(r["object"])
        actors: set[str] = set()
        for ev in snap.events:
            for eid in list(ev.get("perpetrators", ())) + list(ev.get("claimed_by", ())):
                groups.add(eid)
                actors.add(eid)
            for f in ev.get("attackers", ()):
                if f.get("entity"):
                    groups.add(f["entity"])
                    actors.add(f["entity"])
        kinds = {e["id"]: e["type"] for e in snap.entities}
        armed = {g for g in groups if kinds.get(g) == "organization"}
        for r in snap.relations:
            if r["predicate"] in _ACTOR_AS_OBJECT and r["subject"] in armed and r.get("object"):
                actors.add(r["object"])
            if r["predicate"] in _ACTOR_AS_SUBJECT and r.get("object") in armed:
                actors.add(r["subject"])
        types = {}
        for e in snap.entities:
            if e["type"] == "organization":
                types[e["id"]] = "intrusion-set" if e["id"] in armed else "identity"
            elif e["type"] == "person":
                types[e["id"]] = "threat-actor" if e["id"] in actors else "identity"
            elif e["type"] == "location":
                if _location_fields(e):
                    types[e["id"]] = "location"
                else:
                    self.left_out_places += 1
        return types

    def add_entities(self, types: dict[str, str]) -> dict[str, str]:
        """Add one object per entity; return Tessera id -> STIX id."""
        facts: dict[str, list[dict]] = {}
        for r in self.snap.relations:
            if r.get("object") is None and r.get("value") is not None:
                facts.setdefault(r["subject"], []).append(r)
        refs = {}
        for e in self.snap.entities:
            stix_type = types.get(e["id"])
            if not stix_type:
                continue
            obj = self._base(stix_type, e["id"])
            obj.update({"name": e["name"], "x_tessera_id": e["id"], "x_tessera_type": e["type"],
                        "x_tessera_documents": e.get("documents"), "x_tessera_mentions": e.get("mentions")})
            aliases = [a for a in e.get("aliases", ()) if a != e["name"]]
            if stix_type in ("intrusion-set", "threat-actor"):
                if aliases:
                    obj["aliases"] = aliases
            elif aliases:
                obj["x_tessera_aliases"] = aliases
            if stix_type == "identity":
                obj["identity_class"] = "organization" if e["type"] == "organization" else "individual"
            if stix_type == "location":
                obj.update(_location_fields(e))
                if e.get("geo"):
                    obj["x_tessera_geo"] = e["geo"]
            own = facts.get(e["id"], [])
            if own:
                obj["x_tessera_facts"] = [
                    {"predicate": r["predicate"], "value": r["value"], "date": r.get("date"),
                     "ended": r.get("ended") or None, "support": r.get("support", support(r["evidence"])),
                     "evidence": self._evidence(r["evidence"], obj["id"])} for r in own]
                founded = [r for r in own if r["predicate"] == "founded_on" and timestamp(r["value"])]
                if founded and stix_type in ("intrusion-set", "threat-actor"):
                    best = max(founded, key=lambda r: (r.get("support", 0), -int(timestamp(r["value"])[:4])))
                    obj["first_seen"] = timestamp(best["value"])
            refs[e["id"]] = obj["id"]
            self._add(obj)
        return refs

    # ---- relations, events, conflicts ----------------------------------------------------------
    def add_relations(self, refs: dict[str, str], types: dict[str, str]) -> dict[str, str]:
        out = {}
        for r in self.snap.relations:
            if r.get("object") is None:
                continue  # literal: a fact of its subject (x_tessera_facts)
            source, target = refs.get(r["subject"]), refs.get(r["object"])
            if not source or not target:
                self.left_out_relations += 1
                continue
            kind = _RELATIONSHIP_TYPES.get((types[r["subject"]], r["predicate"], types[r["object"]]), "related-to")
            obj = self._base("relationship", r["id"])
            words = r["predicate"].replace("_", " ")
            desc = f"{self.snap.name(r['subject'])} {words} {self.snap.name(r['object'])}"
            if r.get("date"):
                desc += f" ({r['date']})"
            if r.get("ended"):
                desc += " (former)"
            obj.update({"relationship_type": kind, "source_ref": source, "target_ref": target, "description": desc,
                        "start_time": timestamp(r.get("date")), "x_tessera_id": r["id"],
                        "x_tessera_predicate": r["predicate"], "x_tessera_date": r.get("date"),
                        "x_tessera_ended": bool(r.get("ended")),
                        "x_tessera_support": r.get("support", support(r["evidence"])),
                        "x_tessera_evidence": self._evidence(r["evidence"], obj["id"])})
            for doc in documents_of(r["evidence"]):
                self.refs_by_doc.setdefault(doc, set()).update((source, target))
            out[r["id"]] = obj["id"]
            self._add(obj)
        return out

    def add_events(self, refs: dict[str, str]) -> dict[str, str]:
        out = {}
        snap = self.snap
        for ev in snap.events:
            obj = self._base("incident", ev["id"])
            places = [snap.name(x) for x in ev.get("locations", ())]
            if ev["type"] == "death" and ev.get("subject"):
                name = f"death of {snap.name(ev['subject'])}"
            else:
                name = ev.get("subtype") or ev["type"]
            name += f", {ev.get('date') or 'date unknown'}"
            if places:
                name += ", " + ", ".join(places)
            evidence = ev.get("evidence", ())
            obj.update({
                "name": name, "description": evidence[0]["quote"] if evidence else None,
                "x_tessera_id": ev["id"], "x_tessera_event_type": ev["type"], "x_tessera_subtype": ev.get("subtype"),
                "x_tessera_date": ev.get("date"), "x_tessera_dates": self._values(ev.get("dates"), obj["id"]),
                "x_tessera_killed": self._values(ev.get("killed"), obj["id"]),
                "x_tessera_wounded": self._values(ev.get("wounded"), obj["id"]),
                "x_tessera_support": ev.get("support", support(evidence)),
                "x_tessera_evidence": self._evidence(evidence, obj["id"]),
            })
            for f in ROLE_FIELDS:
                obj[f"x_tessera_{f}"] = [
                    {"value": x["value"], "entity": x.get("entity"), "entity_ref": refs.get(x.get("entity")),
                     "evidence": self._evidence(x["evidence"], obj["id"])} for x in ev.get(f, ())]
            out[ev["id"]] = obj["id"]
            self._add(obj)
            docs = documents_of(event_evidence(ev))
            for role, targets in self._roles(ev):
                for eid, evidence in targets:
                    if eid not in refs:
                        continue
                    link = self._base("relationship", f"{ev['id']}:{role}:{eid}")
                    link.update({"relationship_type": _ROLE_TYPES[role], "source_ref": obj["id"],
                                 "target_ref": refs[eid], "description": f"{role.replace('_', ' ')}: {snap.name(eid)}",
                                 "x_tessera_role": role, "x_tessera_support": obj["x_tessera_support"]})
                    if evidence:  # a filler's own sentences; other roles rest on the incident's evidence
                        link["x_tessera_evidence"] = self._evidence(evidence, link["id"])
                        link["x_tessera_support"] = support(evidence)
                    for doc in docs:
                        self.refs_by_doc.setdefault(doc, set()).update((link["id"], refs[eid]))
                    self._add(link)
        return out

    @staticmethod
    def _roles(ev: dict):
        for role in ("perpetrators", "claimed_by", "locations"):
            yield role, [(eid, None) for eid in dict.fromkeys(ev.get(role, ()))]
        if ev.get("subject"):
            yield "subject", [(ev["subject"], None)]
        for role in ROLE_FIELDS:
            fillers = {}
            for f in ev.get(role, ()):
                if f.get("entity"):
                    fillers.setdefault(f["entity"], []).extend(f["evidence"])
            yield role, list(fillers.items())

    def add_conflicts(self, claims: dict[str, str]) -> None:
        snap = self.snap
        for c in snap.conflicts:
            obj = self._base("note", c["id"])
            values = self._values(c["values"], obj["id"])
            sides = []
            for v in c["values"]:
                origins = sorted({snap.origin(d) or d for d in documents_of(v["evidence"])})
                sides.append(f"{v['value']} ({len(origins)} document{'s' if len(origins) != 1 else ''}: "
                             f"{', '.join(origins)})")
            about = claims.get(c["about"])
            found = snap.about(c["about"])
            label = ""
            if found and found[0] == "event":
                label = f" of the {found[1].get('subtype') or found[1]['type']} of {found[1].get('date') or 'unknown date'}"
            elif found:
                label = f" of {snap.name(found[1]['subject'])} {found[1]['predicate'].replace('_', ' ')}"
            refs = [about] if about else sorted({self.report_of[d] for v in c["values"]
                                                 for d in documents_of(v["evidence"]) if d in self.report_of})
            obj.update({"abstract": f"Sources disagree on the {c['field']}{label}",
                        "content": f"{c['field']}: " + " vs ".join(sides), "object_refs": refs,
                        "x_tessera_id": c["id"], "x_tessera_field": c["field"], "x_tessera_values": values})
            if refs:
                self._add(obj)

    # ---- documents -----------------------------------------------------------------------------
    def add_reports(self, refs: dict[str, str]) -> None:
        for d in self.snap.documents:
            mentioned = {refs[e] for e in self.snap.mentions.get(d["id"], ()) if e in refs}
            object_refs = sorted(self.refs_by_doc.get(d["id"], set()) | mentioned)
            if not object_refs:
                continue  # STIX reports need at least one object; this document supports none
            obj = self._base("report", d["id"])
            origin = d["origin"]
            ref = {"source_name": "tessera", "external_id": d["id"], "description": f"origin: {origin}"}
            if origin.startswith(("http://", "https://")):
                ref["url"] = origin
            obj.update({"name": d.get("title") or origin, "published": timestamp(d.get("published")) or self.now,
                        "object_refs": object_refs, "external_references": [ref], "x_tessera_id": d["id"],
                        "x_tessera_published": d.get("published"), "x_tessera_source": d.get("source"),
                        "x_tessera_media_type": d.get("media_type")})
            self._add(obj)

    def header(self) -> list[dict]:
        producer = {"type": "identity", "spec_version": "2.1", "id": self.producer, "created_by_ref": self.producer,
                    "created": self.now,
                    "modified": self.now, "name": "Tessera", "identity_class": "system",
                    "description": "Evidence-backed knowledge bases from news about armed conflict"}
        extension = {"type": "extension-definition", "spec_version": "2.1", "id": self.extension,
                     "created_by_ref": self.producer, "created": self.now, "modified": self.now,
                     "name": "Tessera evidence and event roles",
                     "description": "Evidence (document, character span, quote), support counts and attack roles "
                                    "of objects exported by Tessera.",
                     "schema": _SCHEMA, "version": EXTENSION_VERSION,
                     "extension_types": ["toplevel-property-extension"], "extension_properties": list(PROPERTIES)}
        return [producer, extension]


def _location_fields(entity: dict) -> dict:
    """STIX location properties from an entity's ``geo`` (or, without one, a name that is a country's)."""
    geo = entity.get("geo") or {}
    out: dict = {}
    lat, lon = geo.get("latitude"), geo.get("longitude")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and -90 <= lat <= 90 and -180 <= lon <= 180:
        out["latitude"], out["longitude"] = float(lat), float(lon)
    code = geo.get("country_code") or (None if geo else _country_code(entity["name"]))
    if code:
        out["country"] = code.upper()
    if geo.get("admin1") and geo.get("kind") != "country":
        out["administrative_area"] = geo["admin1"]
    if geo.get("kind") == "city":
        out["city"] = geo.get("name") or entity["name"]
    if not ("country" in out or "latitude" in out):
        return {}
    return out


def _country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a country named exactly so ("Niger" -> "NE"), else None."""
    try:
        import pycountry
    except ImportError:
        return None
    try:
        found = pycountry.countries.lookup(name)
    except LookupError:
        return None
    names = {getattr(found, a, None) for a in ("name", "common_name", "official_name")}
    return found.alpha_2 if name.casefold() in {n.casefold() for n in names if n} else None


def bundle(snap: Snapshot, now: str | None = None) -> tuple[dict, dict[str, int]]:
    """The STIX 2.1 bundle of a knowledge base, and counts of what it holds and left out."""
    b = _Builder(snap, now or _now())
    types = b.entity_types()
    refs = b.add_entities(types)
    relations = b.add_relations(refs, types)
    events = b.add_events(refs)
    b.add_conflicts({**relations, **events})
    b.add_reports(refs)
    objects = b.header() + b.objects
    key = "tessera:bundle:" + ",".join(sorted(d["id"] for d in snap.documents))
    counts = {"objects": len(objects), "places left out (no country or coordinates)": b.left_out_places,
              "relations left out (to such a place)": b.left_out_relations}
    return {"type": "bundle", "id": stix_id("bundle", key), "objects": objects}, counts


def write(snap: Snapshot, out: TextIO, now: str | None = None) -> dict[str, int]:
    """Write the bundle as JSON to ``out``; return counts."""
    data, counts = bundle(snap, now)
    json.dump(data, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return counts
