"""GraphML and GEXF (Gephi, yEd, Cytoscape, networkx): entities and events as nodes, relations and roles as edges.

Nodes carry ``kind`` ("entity" or "event") so a tool can keep the entity network alone:

- an entity node: ``label`` (name), ``type`` (organization, person, location), ``aliases``,
  ``documents`` and ``mentions`` (counts), ``founded`` (founded_on values), and, for a place with a
  ``geo`` field, ``latitude``/``longitude``/``country_code``/``geo_kind``;
- an event node: ``label``, ``type`` (attack, death), ``subtype``, ``date``, ``killed``/``wounded``
  (every figure the sources give, " / " between them), ``support`` (number of independent sources).

Edges are keyed by the Tessera id: a relation goes subject -> object with ``predicate``, ``date``,
``ended``, ``support`` and ``document_ids`` (the supporting documents); an event's role goes
event -> entity with ``predicate`` = the role (perpetrators, claimed_by, locations, subject,
attackers, targets, victims, weapons) and ``support`` = documents of the filler's own evidence,
or of the event's where the role has none of its own. ``weight`` is the support (Gephi reads it).
Attributes that are unknown are absent (GraphML and GEXF have no null).
"""
from __future__ import annotations

from typing import BinaryIO

from .snapshot import ROLE_FIELDS, Snapshot, documents_of, support


def graph(snap: Snapshot):
    """A networkx MultiDiGraph of the knowledge base."""
    import networkx as nx

    g = nx.MultiDiGraph(name="tessera")
    founded: dict[str, list[str]] = {}
    for r in snap.relations:
        if r.get("object") is None and r.get("value") is not None and r["predicate"] == "founded_on":
            founded.setdefault(r["subject"], []).append(str(r["value"]))
    for e in snap.entities:
        attrs = {"kind": "entity", "label": e["name"], "type": e["type"],
                 "aliases": "; ".join(a for a in e.get("aliases", ()) if a != e["name"]),
                 "documents": int(e.get("documents") or 0), "mentions": int(e.get("mentions") or 0),
                 "founded": " / ".join(founded.get(e["id"], ()))}
        geo = e.get("geo") or {}
        if isinstance(geo.get("latitude"), (int, float)) and isinstance(geo.get("longitude"), (int, float)):
            attrs["latitude"], attrs["longitude"] = float(geo["latitude"]), float(geo["longitude"])
        for key, name in (("country_code", "country_code"), ("kind", "geo_kind"), ("country", "country")):
            if geo.get(key):
                attrs[name] = str(geo[key])
        g.add_node(e["id"], **_present(attrs))
    for r in snap.relations:
        if r.get("object") is None or r["subject"] not in g or r["object"] not in g:
            continue
        n = r.get("support", support(r["evidence"]))
        g.add_edge(r["subject"], r["object"], key=r["id"], **_present({
            "kind": "relation", "predicate": r["predicate"], "date": r.get("date") or "",
            "ended": bool(r.get("ended")), "support": int(n), "weight": float(n),
            "document_ids": "; ".join(documents_of(r["evidence"]))}))
    for ev in snap.events:
        places = ", ".join(snap.name(x) for x in ev.get("locations", ()))
        label = f"{ev.get('subtype') or ev['type']}, {ev.get('date') or 'date unknown'}" + (f", {places}" if places else "")
        n = ev.get("support", support(ev.get("evidence", ())))
        g.add_node(ev["id"], **_present({
            "kind": "event", "label": label, "type": ev["type"], "subtype": ev.get("subtype") or "",
            "date": ev.get("date") or "", "killed": " / ".join(str(v["value"]) for v in ev.get("killed") or ()),
            "wounded": " / ".join(str(v["value"]) for v in ev.get("wounded") or ()), "support": int(n),
            "document_ids": "; ".join(documents_of(ev.get("evidence", ())))}))
        for role, eid, evidence in _roles(ev):
            if eid not in g:
                continue
            m = support(evidence) if evidence else n
            docs = documents_of(evidence) if evidence else documents_of(ev.get("evidence", ()))
            g.add_edge(ev["id"], eid, key=f"{ev['id']}:{role}:{eid}", kind="role", predicate=role,
                       support=int(m), weight=float(m), document_ids="; ".join(docs),
                       **({"date": ev["date"]} if ev.get("date") else {}))
    return g


def _roles(ev: dict):
    for role in ("perpetrators", "claimed_by", "locations"):
        for eid in dict.fromkeys(ev.get(role, ())):
            yield role, eid, []
    if ev.get("subject"):
        yield "subject", ev["subject"], []
    for role in ROLE_FIELDS:
        fillers: dict[str, list[dict]] = {}
        for f in ev.get(role, ()):
            if f.get("entity"):
                fillers.setdefault(f["entity"], []).extend(f["evidence"])
        for eid, evidence in fillers.items():
            yield role, eid, evidence


def _present(attrs: dict) -> dict:
    """Leave out empty text: an attribute is absent where the knowledge base does not know it."""
    return {k: v for k, v in attrs.items() if v is not None and v != ""}


def write_graphml(snap: Snapshot, out: BinaryIO) -> dict[str, int]:
    import networkx as nx

    g = graph(snap)
    nx.write_graphml(g, out, encoding="utf-8", prettyprint=True)
    return _counts(g)


def write_gexf(snap: Snapshot, out: BinaryIO) -> dict[str, int]:
    import networkx as nx

    g = graph(snap)
    for _u, _v, key, data in g.edges(keys=True, data=True):
        data["id"] = key  # GEXF edge ids are the Tessera ids (networkx would number them)
    nx.write_gexf(g, out, encoding="utf-8", prettyprint=True)
    return _counts(g)


def _counts(g) -> dict[str, int]:
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
