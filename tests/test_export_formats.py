"""The analysts' exports (STIX 2.1, GraphML, GEXF, CSV tables, GTD rows), each read back by a real reader.

The example corpus (built once per session, tests/conftest.py) gives the content; a two-article
JSON Lines feed written here, whose documents have web addresses, is built once for this module
and drives the command line. Places' ``geo`` field (the gazetteer entry a location record may carry)
is added to the records here where a test needs it, and left out where a test needs its absence.
"""
from __future__ import annotations

import csv
import io
import json
import re
import uuid
import zipfile
from pathlib import Path

import pytest

from tessera.cli import main
from tessera.export import Snapshot
from tessera.export import graph as graph_export
from tessera.export import gtd, stix, tabular

from .conftest import REPO

# ---- inputs ------------------------------------------------------------------------------------

NEWS = [
    {"url": "https://news.example.org/2022/03/ouallam-army-post",
     "title": "Gunmen attack army post near Ouallam", "published": "2022-03-03",
     "text": "Gunmen attack army post near Ouallam\n\nNIAMEY, 3 March 2022 - Gunmen from the Gourma Liberation "
             "Army (GLA) attacked an army post near Ouallam on Tuesday, killing five soldiers, the defence "
             "ministry said. The GLA, led by Souleymane Harouna, claimed the attack in a statement.\n"},
    {"url": "https://news.example.org/2022/03/tera-market",
     "title": "Market attacked in Tera", "published": "2022-03-08",
     "text": "Market attacked in Tera\n\nGunmen attacked a market in Tera on Monday, killing five people, "
             "officials said.\n"},
]

AYOROU_GEO = {"key": "2448245", "name": "Ayorou", "kind": "city", "country": "Niger", "country_code": "NE",
              "admin1": "Tillabéri", "latitude": 14.7308, "longitude": 0.9174}
NIGER_GEO = {"key": "NE", "name": "Niger", "kind": "country", "country": "Niger", "country_code": "NE",
             "admin1": None, "latitude": None, "longitude": None}
TILLABERI_GEO = {"key": "NE-6", "name": "Tillabéri", "kind": "admin1", "country": "Niger", "country_code": "NE",
                 "admin1": "Tillabéri", "latitude": None, "longitude": None}


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return code, out, err


@pytest.fixture(scope="module")
def news_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("news")
    feed = folder / "feed.jsonl"
    feed.write_text("".join(json.dumps(a) + "\n" for a in NEWS), encoding="utf-8")
    path = folder / "news.db"
    assert main(["build", str(path), str(feed)]) == 0
    return path


@pytest.fixture(scope="module")
def records(example_kb) -> list[dict]:
    return list(example_kb.export_records())


@pytest.fixture(scope="module")
def texts(example_kb) -> dict[str, str]:
    return {d.id: d.text for d in example_kb.store.documents()}


@pytest.fixture(scope="module")
def snap(example_kb, records) -> Snapshot:
    return Snapshot.of(records, example_kb.document_entities())


def with_geo(records: list[dict], geo: dict[str, dict]) -> list[dict]:
    """The records with a ``geo`` field on the places named in ``geo`` and none on the others,
    whatever the knowledge base resolved them to (``with_geo(records, {})``: no place has one)."""
    out = [{**r, "geo": geo.get(r["name"])} if r["kind"] == "entity" and r["type"] == "location" else r
           for r in records]
    assert sum(bool(r.get("geo")) for r in out) == len(geo), "a place to give a geo field to is not in the kb"
    return out


def entity_id(records, name: str) -> str:
    found = [r["id"] for r in records if r["kind"] == "entity" and r["name"] == name]
    assert found, name
    return found[0]


def ambush(records) -> dict:
    """The 2021 Ayorou ambush: 14 dead in two documents, 17 in a third (examples/corpus-key.yaml)."""
    found = [r for r in records if r["kind"] == "event" and r["type"] == "attack" and r["date"] == "2021-05-09"]
    assert len(found) == 1
    return found[0]


# ---- STIX 2.1 ----------------------------------------------------------------------------------

def validate(bundle: dict):
    import stix2validator

    options = stix2validator.ValidationOptions(version="2.1", enforce_refs=True)
    return stix2validator.validate_string(json.dumps(bundle), options)


def warning_codes(result) -> list[tuple[str, str]]:
    """(code, object id) of each validator warning, read from its message ("" where it has none)."""
    out = []
    for w in result.warnings:
        m = re.search(r"(\S+--[0-9a-f-]{36}): \{(\d+)\}", str(w))
        out.append((m[2], m[1]) if m else ("", str(w)))
    return out


@pytest.fixture(scope="module")
def bundle(snap) -> dict:
    data, _counts = stix.bundle(snap)
    return data


def objects(bundle, stix_type: str) -> list[dict]:
    return [o for o in bundle["objects"] if o["type"] == stix_type]


def test_stix_bundle_passes_the_validator(bundle):
    result = validate(bundle)
    assert result.is_valid and not result.errors, [str(e) for e in result.errors]
    types = {o["id"]: o["type"] for o in bundle["objects"]}
    sources = {o["id"]: o.get("source_ref", "") for o in bundle["objects"]}
    codes = warning_codes(result)
    for code, obj in codes:
        # 103: ids are uuid5 (deterministic) where STIX suggests uuid4;
        # 202: STIX suggests no relationship type for an incident (we use attributed-to, located-at, targets)
        assert code == "103" or (code == "202" and types[obj] == "relationship"
                                 and sources[obj].startswith("incident--")), (code, obj)
    assert {obj for code, obj in codes if code == "103"} == set(types) | {bundle["id"]}


def test_stix_validator_catches_what_the_test_above_would_miss(bundle):
    """The check above can fail: a missing required property is an error, a dangling reference a warning."""
    broken = json.loads(json.dumps(bundle))
    del next(o for o in broken["objects"] if o["type"] == "intrusion-set")["name"]
    result = validate(broken)
    assert not result.is_valid and any("'name' is a required property" in str(e) for e in result.errors)
    dangling = json.loads(json.dumps(bundle))
    next(o for o in dangling["objects"] if o["type"] == "relationship")["target_ref"] = "intrusion-set--" + str(
        uuid.uuid4())
    assert any(code == "" and "not found in current bundle" in obj for code, obj in warning_codes(validate(dangling)))


def test_stix_bundle_loads_with_the_stix2_library(bundle, records):
    import stix2

    parsed = stix2.parse(json.dumps(bundle))
    assert isinstance(parsed, stix2.v21.Bundle) and len(parsed.objects) == len(bundle["objects"])
    store = stix2.MemoryStore(parsed)
    gla = store.query([stix2.Filter("type", "=", "intrusion-set"), stix2.Filter("name", "=", "Gourma Liberation Army")])
    assert len(gla) == 1 and "GLA" in gla[0].aliases
    assert gla[0].first_seen.year == 2011  # founded_on 2011
    links = store.relationships(gla[0].id)
    assert {r.relationship_type for r in links} >= {"attributed-to", "related-to"}
    for rel in store.query([stix2.Filter("type", "=", "relationship")]):
        assert store.get(rel.source_ref) is not None and store.get(rel.target_ref) is not None
    leader = store.get(next(r.target_ref for r in links if r.x_tessera_predicate == "led_by"
                            and not r.x_tessera_ended))
    assert leader.type == "threat-actor" and leader.name == "Souleymane Harouna"


def test_stix_ids_are_uuid5_of_the_tessera_id_and_stable(example_kb, snap, records):
    first, _ = stix.bundle(snap, now="2024-01-01T00:00:00.000Z")
    again = Snapshot.of(list(example_kb.export_records()), example_kb.document_entities())
    second, _ = stix.bundle(again, now="2025-06-01T12:00:00.000Z")
    tessera_ids = [o for o in first["objects"] if "x_tessera_id" in o]
    assert len(tessera_ids) > 50
    for o in tessera_ids:
        assert o["id"] == f"{o['type']}--{uuid.uuid5(stix.NAMESPACE, o['x_tessera_id'])}"

    def timeless(b):
        return json.dumps(b, sort_keys=True).replace("2024-01-01T00:00:00.000Z", "T").replace(
            "2025-06-01T12:00:00.000Z", "T")

    assert timeless(first) == timeless(second)  # the same knowledge base: the same bundle but for the export time
    assert {o["modified"] for o in second["objects"]} == {"2025-06-01T12:00:00.000Z"}


def test_stix_holds_every_record(bundle, records):
    by_tessera = {o["x_tessera_id"]: o for o in bundle["objects"] if "x_tessera_id" in o}
    places = set()
    for r in records:
        if r["kind"] == "entity":
            if r["type"] == "location" and r["id"] not in by_tessera:
                places.add(r["id"])  # no geo, not a country's name: STIX cannot place it
                assert r["name"] not in ("Niger", "Mali", "Burkina Faso", "United States", "United Kingdom")
                continue
            o = by_tessera[r["id"]]
            assert o["name"] == r["name"] and o["x_tessera_type"] == r["type"]
            assert o["type"] in {"organization": ("intrusion-set", "identity"), "person": ("threat-actor", "identity"),
                                 "location": ("location",)}[r["type"]]
        elif r["kind"] == "relation" and r["object"]:
            if r["object"] in places or r["subject"] in places:
                assert r["id"] not in by_tessera
                continue
            o = by_tessera[r["id"]]
            assert o["x_tessera_predicate"] == r["predicate"] and o["x_tessera_support"] == r["support"]
            assert len(o["x_tessera_evidence"]) == len(r["evidence"])
            if r["date"]:
                assert o["start_time"].startswith(r["date"][:4])
        elif r["kind"] == "event":
            o = by_tessera[r["id"]]
            assert o["type"] == "incident" and o["x_tessera_event_type"] == r["type"]
            for field in ("attackers", "targets", "victims", "weapons"):
                assert [f["value"] for f in o.get(f"x_tessera_{field}", [])] == [f["value"] for f in r[field]]
        elif r["kind"] == "conflict":
            o = by_tessera[r["id"]]
            assert o["type"] == "note" and o["object_refs"] == [by_tessera[r["about"]]["id"]]
            assert sorted(str(v["value"]) for v in o["x_tessera_values"]) == sorted(str(v["value"]) for v in r["values"])
        elif r["kind"] == "document":
            o = by_tessera[r["id"]]
            assert o["type"] == "report" and o["external_references"][0]["external_id"] == r["id"]
            assert r["origin"] in o["external_references"][0]["description"]


def test_stix_maps_armed_groups_and_their_people(bundle):
    by_name = {o.get("name"): o for o in bundle["objects"]}
    assert by_name["Gourma Liberation Army"]["type"] == "intrusion-set"
    assert by_name["Union of Sahel Mujahideen"]["type"] == "intrusion-set"  # the GLA pledged allegiance to it
    assert by_name["Idrissa Zakari"]["type"] == "threat-actor"  # member of the GLA
    assert by_name["Oumarou Kanta"]["type"] == "identity"  # the president the GLA aims to overthrow
    assert by_name["Oumarou Kanta"]["identity_class"] == "individual"
    assert by_name["Niger"]["type"] == "location" and by_name["Niger"]["country"] == "NE"
    rels = {(o["x_tessera_predicate"], o["relationship_type"]) for o in objects(bundle, "relationship")
            if "x_tessera_predicate" in o}
    assert ("led_by", "attributed-to") in rels and ("aims_to_overthrow", "targets") in rels
    assert ("allied_with", "related-to") in rels and ("pledged_allegiance_to", "related-to") in rels
    pledge = next(o for o in objects(bundle, "relationship") if o.get("x_tessera_predicate") == "pledged_allegiance_to")
    assert pledge["start_time"] == "2021-03-03T00:00:00Z"


def test_stix_evidence_is_the_document_text_and_reports_list_what_they_support(bundle, texts):
    reports = {o["id"]: o for o in objects(bundle, "report")}
    n = 0
    for o in bundle["objects"]:
        for key in ("x_tessera_evidence",):
            for e in o.get(key, []):
                assert texts[e["document"]][e["start"]:e["end"]] == e["quote"]
                assert o["id"] in reports[e["report_ref"]]["object_refs"]
                n += 1
    assert n > 50
    ambush_note = next(o for o in objects(bundle, "note") if o["x_tessera_field"] == "killed")
    assert "14" in ambush_note["content"] and "17" in ambush_note["content"]
    for v in ambush_note["x_tessera_values"]:
        for e in v["evidence"]:
            assert texts[e["document"]][e["start"]:e["end"]] == e["quote"]


def test_stix_locations_from_the_geo_field(records):
    with_places = Snapshot.of(with_geo(records, {"Ayorou": AYOROU_GEO, "Tillabéri": TILLABERI_GEO}))
    data, counts = stix.bundle(with_places)
    assert validate(data).is_valid
    ayorou = next(o for o in objects(data, "location") if o["name"] == "Ayorou")
    assert (ayorou["latitude"], ayorou["longitude"], ayorou["country"], ayorou["city"]) == (14.7308, 0.9174, "NE", "Ayorou")
    assert ayorou["administrative_area"] == "Tillabéri" and ayorou["x_tessera_geo"]["key"] == "2448245"
    based = next(o for o in objects(data, "relationship") if o.get("x_tessera_predicate") == "based_in"
                 and o["description"].startswith("Gourma"))
    assert based["relationship_type"] == "originates-from"  # an intrusion-set's suggested link to a location
    plain, without = stix.bundle(Snapshot.of(with_geo(records, {})))
    assert validate(plain).is_valid
    assert without["places left out (no country or coordinates)"] == counts[
        "places left out (no country or coordinates)"] + 2
    assert not any(o.get("name") == "Ayorou" for o in plain["objects"])
    niger = next(o for o in objects(plain, "location") if o["name"] == "Niger")  # a country's own name places it
    assert niger["country"] == "NE" and "latitude" not in niger


# ---- GraphML and GEXF --------------------------------------------------------------------------

def read_graph(fmt: str, snap: Snapshot):
    import networkx as nx

    buf = io.BytesIO()
    counts = getattr(graph_export, f"write_{fmt}")(snap, buf)
    data = buf.getvalue()
    g = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(io.BytesIO(data))
    assert (g.number_of_nodes(), g.number_of_edges()) == (counts["nodes"], counts["edges"])
    return g, data


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_reads_back_with_networkx(fmt, snap, records):
    g, _ = read_graph(fmt, snap)
    assert g.is_directed() and g.is_multigraph()
    entities = [r for r in records if r["kind"] == "entity"]
    events = [r for r in records if r["kind"] == "event"]
    assert set(g.nodes) == {r["id"] for r in entities + events}
    for r in entities:
        node = g.nodes[r["id"]]
        assert node["label"] == r["name"] and node["type"] == r["type"] and node["kind"] == "entity"
        assert node["documents"] == r["documents"] and node["mentions"] == r["mentions"]
    gla = g.nodes[entity_id(records, "Gourma Liberation Army")]
    assert gla["aliases"] == "GLA" and gla["founded"] == "2011"
    relations = [r for r in records if r["kind"] == "relation" and r["object"]]
    for r in relations:
        edge = g.get_edge_data(r["subject"], r["object"], key=r["id"])
        assert edge, r["id"]
        assert edge["predicate"] == r["predicate"] and edge["support"] == r["support"]
        assert edge.get("date") == (r["date"] or None) and edge["ended"] == r["ended"]
        assert edge["weight"] == r["support"]
        assert set(edge["document_ids"].split("; ")) == {e["document"] for e in r["evidence"]}
    a = ambush(records)
    assert g.nodes[a["id"]]["killed"] in ("14 / 17", "17 / 14") and g.nodes[a["id"]]["date"] == "2021-05-09"
    gla_id = entity_id(records, "Gourma Liberation Army")
    assert g.get_edge_data(a["id"], gla_id, key=f"{a['id']}:perpetrators:{gla_id}")["predicate"] == "perpetrators"
    role_edges = [d for _u, _v, d in g.edges(data=True) if d["kind"] == "role"]
    assert len(role_edges) + len(relations) == g.number_of_edges()


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_places_carry_coordinates_from_geo(fmt, records):
    g, _ = read_graph(fmt, Snapshot.of(with_geo(records, {"Ayorou": AYOROU_GEO, "Niger": NIGER_GEO})))
    ayorou = g.nodes[entity_id(records, "Ayorou")]
    assert (ayorou["latitude"], ayorou["longitude"], ayorou["country_code"], ayorou["geo_kind"]) == (
        14.7308, 0.9174, "NE", "city")
    niger = g.nodes[entity_id(records, "Niger")]
    assert "latitude" not in niger and niger["geo_kind"] == "country"
    g2, _ = read_graph(fmt, Snapshot.of(with_geo(records, {})))
    assert "latitude" not in g2.nodes[entity_id(records, "Ayorou")]


def test_graphml_and_gexf_declare_every_attribute_they_use(snap):
    """What the schemas check beyond networkx's reader: each value refers to a declared key of its kind."""
    from lxml import etree

    _, graphml = read_graph("graphml", snap)
    root = etree.fromstring(graphml)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert root.tag == "{http://graphml.graphdrawing.org/xmlns}graphml"
    keys = {k.get("id"): k for k in root.findall("g:key", ns)}
    assert all(k.get("attr.type") in ("string", "int", "long", "float", "double", "boolean") for k in keys.values())
    for kind in ("node", "edge"):
        elements = root.findall(f"g:graph/g:{kind}", ns)
        assert elements
        for el in elements:
            for d in el.findall("g:data", ns):
                assert keys[d.get("key")].get("for") == kind
    _, gexf = read_graph("gexf", snap)
    root = etree.fromstring(gexf)
    gns = root.nsmap[None]
    assert gns.startswith("http://www.gexf.net/") and root.get("version") in ("1.2", "1.3")
    declared = {cls: {a.get("id"): a.get("type") for a in root.iter(f"{{{gns}}}attributes") if a.get("class") == cls
                      for a in a.iter(f"{{{gns}}}attribute")} for cls in ("node", "edge")}
    for cls in ("node", "edge"):
        for el in root.iter(f"{{{gns}}}{cls}"):
            assert el.get("id")
            for v in el.iter(f"{{{gns}}}attvalue"):
                assert v.get("for") in declared[cls], (cls, v.get("for"))
    edge_ids = {el.get("id") for el in root.iter(f"{{{gns}}}edge")}
    assert {r["id"] for r in snap.relations if r["object"]} <= edge_ids  # GEXF edge ids are Tessera ids


# ---- CSV tables --------------------------------------------------------------------------------

def read_tables(folder_or_zip: Path) -> dict[str, list[dict]]:
    tables = {}
    for name in tabular.TABLES:
        if folder_or_zip.suffix == ".zip":
            with zipfile.ZipFile(folder_or_zip) as z:
                text = z.read(f"{name}.csv").decode("utf-8-sig")
        else:
            text = (folder_or_zip / f"{name}.csv").read_text(encoding="utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        assert tuple(reader.fieldnames) == tabular.TABLES[name], name
        tables[name] = list(reader)
    return tables


@pytest.mark.parametrize("target", ["tables", "tables.zip"])
def test_csv_tables_read_back(target, snap, records, texts, tmp_path):
    counts = tabular.write(snap, tmp_path / target)
    t = read_tables(tmp_path / target)
    assert {f"{k}.csv": len(v) for k, v in t.items()} == counts
    kinds = {k: [r for r in records if r["kind"] == k] for k in ("document", "entity", "relation", "event", "conflict")}
    assert [r["id"] for r in t["documents"]] == [r["id"] for r in kinds["document"]]
    assert [r["id"] for r in t["entities"]] == [r["id"] for r in kinds["entity"]]
    assert len(t["aliases"]) == sum(len([a for a in r["aliases"] if a != r["name"]]) for r in kinds["entity"])
    assert {(r["entity"], r["alias"]) for r in t["aliases"]} >= {(entity_id(records, "Gourma Liberation Army"), "GLA")}
    for row, r in zip(t["relations"], kinds["relation"]):
        assert (row["id"], row["predicate"], row["subject"], row["object"] or None) == (
            r["id"], r["predicate"], r["subject"], r["object"])
        assert int(row["support"]) == r["support"]
    assert [r["id"] for r in t["events"]] == [r["id"] for r in kinds["event"]]
    a = ambush(records)
    row = next(r for r in t["events"] if r["id"] == a["id"])
    assert sorted(row["killed"].split("; ")) == ["14", "17"] and "Ayorou" in row["location_names"].split("; ")
    roles = [r for r in t["event_roles"] if r["event"] == a["id"]]
    gla = entity_id(records, "Gourma Liberation Army")
    assert {"role": "perpetrators", "entity": gla} in [{"role": r["role"], "entity": r["entity"]} for r in roles]
    fillers = sum(len(e[f]) for e in kinds["event"] for f in ("attackers", "targets", "victims", "weapons"))
    assert sum(r["role"] in ("attackers", "targets", "victims", "weapons") for r in t["event_roles"]) == fillers
    # one row per evidence item, each with the claim it supports, each quote the document's own text
    expected = sum(len(r["evidence"]) for r in kinds["relation"]) + sum(
        len(e["evidence"]) + sum(len(v["evidence"]) for f in ("dates", "killed", "wounded", "attackers", "targets",
                                                                "victims", "weapons") for v in e[f])
        for e in kinds["event"]) + sum(len(v["evidence"]) for c in kinds["conflict"] for v in c["values"])
    assert len(t["evidence"]) == expected
    for e in t["evidence"]:
        assert texts[e["document"]][int(e["start"]):int(e["end"])] == e["quote"]
        assert e["claim_kind"] in ("relation", "event", "conflict") and e["claim"]
    killed = {e["value"] for e in t["evidence"] if e["claim"] == a["id"] and e["field"] == "killed"}
    assert killed == {"14", "17"}
    conflict_rows = [r for r in t["conflicts"] if r["about"] == a["id"] and r["field"] == "killed"]
    assert sorted((r["value"], r["support"]) for r in conflict_rows) == [("14", "2"), ("17", "1")]
    assert len(t["conflicts"]) == sum(len(c["values"]) for c in kinds["conflict"])
    assert {r["document"] for r in t["mentions"]} == {r["id"] for r in kinds["document"]}


def test_csv_geo_columns(records, tmp_path):
    tabular.write(Snapshot.of(with_geo(records, {"Ayorou": AYOROU_GEO})), tmp_path / "t")
    rows = {r["name"]: r for r in read_tables(tmp_path / "t")["entities"]}
    assert rows["Ayorou"]["geo_latitude"] == "14.7308" and rows["Ayorou"]["geo_country_code"] == "NE"
    assert rows["Téra"]["geo_latitude"] == "" and rows["Téra"]["geo_key"] == ""


# ---- GTD rows ----------------------------------------------------------------------------------

def gtd_rows(snap: Snapshot) -> list[dict]:
    buf = io.StringIO(newline="")
    counts = gtd.write(snap, buf)
    reader = csv.DictReader(io.StringIO(buf.getvalue(), newline=""))
    assert tuple(reader.fieldnames) == gtd.COLUMNS
    found = list(reader)
    assert counts == {"attacks": len(found)}
    return found


def test_gtd_one_row_per_attack_with_its_evidence(snap, records):
    found = gtd_rows(snap)
    attacks = [r for r in records if r["kind"] == "event" and r["type"] == "attack"]
    assert sorted(r["tessera_event"] for r in found) == sorted(r["id"] for r in attacks)
    assert len({r["eventid"] for r in found}) == len(found) and all(re.fullmatch(r"\d{12}", r["eventid"]) for r in found)
    origins = {r["id"]: r["origin"] for r in records if r["kind"] == "document"}
    for row in found:
        docs = row["document_ids"].split("; ")
        assert docs and all(d in origins for d in docs)
        assert row["origins"].split("; ") == [origins[d] for d in docs]
        assert row["scite1"].endswith(origins[docs[0]])
        assert row["dbsource"] == "Tessera" and row["attacktype1_txt"] in gtd.codes()["attack_types"].values()
    a = next(r for r in found if r["tessera_event"] == ambush(records)["id"])
    assert (a["eventid"], a["iyear"], a["imonth"], a["iday"], a["approxdate"]) == ("202105090001", "2021", "5", "9", "")
    assert (a["attacktype1"], a["attacktype1_txt"]) == ("2", "Armed Assault")  # an ambush
    assert (a["targtype1_txt"], a["gname"], a["claimed"]) == ("Military", "Gourma Liberation Army", "1")
    assert a["nkill"] == "14" and a["nkill_reported"] == "14 (2 docs); 17 (1 doc)"  # two documents against one
    assert a["summary"].startswith("05/09/2021: ")
    # a month without a day: iday 0, as GTD codes it; a date without a year: iyear empty, imonth/iday kept
    month_only = [r for r in found if re.fullmatch(r"\d{4}-\d{2}", r["tessera_date"])]
    assert month_only and all(r["iday"] == "0" and r["eventid"].endswith("000001") for r in month_only)
    yearless = [r for r in found if r["tessera_date"].startswith("--")]
    assert yearless and all(r["iyear"] == "" and r["eventid"].startswith("0000") for r in yearless)
    bombing = next(r for r in found if r["tessera_subtype"] == "suicide bombing")
    assert (bombing["attacktype1_txt"], bombing["weaptype1_txt"], bombing["suicide"]) == (
        "Bombing/Explosion", "Explosives", "1")
    kidnapping = next(r for r in found if r["tessera_subtype"] == "kidnapping")
    assert (kidnapping["attacktype1_txt"], kidnapping["ishostkid"]) == ("Hostage Taking (Kidnapping)", "1")


def test_an_event_is_first_reported_by_its_earliest_dated_document_and_gtd_bounds_an_undated_attack(snap, records):
    published = {r["id"]: r["published"] for r in records if r["kind"] == "document"}
    events = [r for r in records if r["kind"] == "event"]
    for ev in events:
        dates = sorted(published[e["document"]] for e in ev["evidence"] if published.get(e["document"]))
        assert ev["first_reported"] == (dates[0] if dates else None)
    assert any(ev["first_reported"] and ev["date"] and ev["first_reported"] > ev["date"] for ev in events)
    assert any(ev["first_reported"] is None for ev in events)  # told only by undated documents
    undated = {ev["id"]: ev["first_reported"] for ev in events if ev["type"] == "attack" and not ev["date"]}
    rows = [r for r in gtd_rows(snap) if r["tessera_event"] in undated]
    assert rows and all((r["iyear"], r["approxdate"]) == ("", f"on or before {undated[r['tessera_event']]} (first report)")
                        for r in rows if undated[r["tessera_event"]])


def test_gtd_place_columns_come_from_geo_only(records):
    plain = next(r for r in gtd_rows(Snapshot.of(with_geo(records, {})))
                 if r["tessera_event"] == ambush(records)["id"])
    for col in ("country_txt", "provstate", "city", "latitude", "longitude", "specificity"):
        assert plain[col] == "", col
    assert set(plain["location"].split("; ")) >= {"Ayorou", "Niger"}
    placed = Snapshot.of(with_geo(records, {"Ayorou": AYOROU_GEO, "Niger": NIGER_GEO, "Tillabéri": TILLABERI_GEO}))
    row = next(r for r in gtd_rows(placed) if r["tessera_event"] == ambush(records)["id"])
    assert (row["country_txt"], row["provstate"], row["city"]) == ("Niger", "Tillabéri", "Ayorou")
    assert (float(row["latitude"]), float(row["longitude"]), row["specificity"]) == (14.7308, 0.9174, "1")
    only_country = Snapshot.of(with_geo(records, {"Niger": NIGER_GEO}))
    row = next(r for r in gtd_rows(only_country) if r["tessera_event"] == ambush(records)["id"])
    assert (row["country_txt"], row["city"], row["latitude"]) == ("Niger", "", "")


def test_gtd_mapping_covers_every_attack_subtype_tessera_writes():
    lexicon = REPO / "src" / "tessera" / "analyze" / "lexicons" / "events.jsonl"
    subtypes = {json.loads(line).get("subtype") for line in lexicon.read_text(encoding="utf-8").splitlines()
                if line.strip()} - {None}
    codes = gtd.codes()
    assert subtypes and subtypes <= set(codes["attack_subtypes"])
    assert set(codes["subtype_weapons"]) <= set(codes["attack_subtypes"])
    assert all(str(c) in codes["attack_types"] for c in codes["attack_subtypes"].values())


@pytest.mark.parametrize("text, table, label", [
    ("a car bomb", "weapon_types", "Explosives"),
    ("AK-47 rifles", "weapon_types", "Firearms"),
    ("machetes", "weapon_types", "Melee"),
    ("petrol", "weapon_types", "Incendiary"),
    ("a truck", "weapon_types", "Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)"),
    ("a police headquarters", "target_types", "Police"),
    ("four aid workers", "target_types", "NGO"),
    ("the weekly cattle market", "target_types", "Private Citizens & Property"),
    ("Fourteen soldiers", "target_types", "Military"),
])
def test_gtd_words_map_fillers_to_codes(text, table, label):
    assert gtd._categories(table, [text])[0]["label"] == label


def test_gtd_no_word_means_unknown():
    assert gtd._categories("weapon_types", ["something odd"]) == []
    assert gtd._categories("target_types", ["Six guards"]) == []  # prison or private guards: GTD differs


# ---- the command line --------------------------------------------------------------------------

def test_cli_writes_every_format_to_a_file(news_db, tmp_path, capsys):
    import networkx as nx
    import stix2

    outs = {"jsonl": "kb.jsonl", "stix": "kb.stix.json", "graphml": "kb.graphml", "gexf": "kb.gexf",
            "csv": "tables.zip", "gtd": "attacks.csv"}
    for fmt, name in outs.items():
        code, out, err = run(capsys, "export", news_db, "--format", fmt, "--out", tmp_path / name)
        assert code == 0 and not err.strip(), err
        assert out.startswith(f"{tmp_path / name}: ") and (tmp_path / name).stat().st_size > 0
    bundle = json.loads((tmp_path / "kb.stix.json").read_text(encoding="utf-8"))
    assert validate(bundle).is_valid
    reports = [o for o in stix2.parse(bundle).objects if o.type == "report"]
    assert {r.external_references[0].url for r in reports} == {a["url"] for a in NEWS}
    assert nx.read_graphml(tmp_path / "kb.graphml").number_of_nodes() == nx.read_gexf(
        tmp_path / "kb.gexf").number_of_nodes() > 0
    tables = read_tables(tmp_path / "tables.zip")
    assert {r["origin"] for r in tables["documents"]} == {a["url"] for a in NEWS}
    raw = (tmp_path / "attacks.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark: spreadsheets read the file as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows and all(r["origins"].startswith("https://news.example.org/") for r in rows)
    assert len((tmp_path / "kb.jsonl").read_text(encoding="utf-8").splitlines()) > 2


@pytest.mark.parametrize("fmt", ["stix", "graphml", "gtd"])
def test_cli_writes_to_standard_output(fmt, news_db, capsysbinary):
    capsysbinary.readouterr()
    assert main(["export", str(news_db), "--format", fmt]) == 0
    out, err = capsysbinary.readouterr()
    assert not err.strip()
    if fmt == "stix":
        assert json.loads(out)["type"] == "bundle"
    elif fmt == "graphml":
        import networkx as nx

        assert nx.read_graphml(io.BytesIO(out)).number_of_nodes() > 0
    else:
        assert out.startswith(b"eventid,iyear,imonth,iday,") and len(out.splitlines()) >= 2


def test_cli_csv_needs_a_place_to_write(news_db, tmp_path, capsys):
    code, out, err = run(capsys, "export", news_db, "--format", "csv")
    assert code == 2 and not out.strip()
    line, = [x for x in err.splitlines() if x.strip()]
    assert line.startswith("tessera: ") and "--out" in line
    a_file = tmp_path / "taken.txt"
    a_file.write_text("x")
    code, _, err = run(capsys, "export", news_db, "--format", "csv", "--out", a_file)
    assert code == 2 and str(a_file) in err and a_file.read_text() == "x"
    code, _, err = run(capsys, "export", news_db, "--format", "stix", "--out", tmp_path / "no" / "such" / "x.json")
    assert code == 2 and "cannot write" in err


def test_library_lists_the_formats_and_refuses_others(example_kb):
    from tessera.errors import ExportError
    from tessera.export import FORMATS

    assert list(FORMATS) == ["jsonl", "stix", "graphml", "gexf", "csv", "gtd"]
    with pytest.raises(ExportError, match="available: jsonl, stix, graphml, gexf, csv, gtd"):
        example_kb.export("xlsx", io.StringIO())


def test_gtd_an_attack_without_a_place_of_its_own_gets_the_country_it_was_reported_from(tmp_path):
    import tessera

    report = tmp_path / "wire.txt"
    report.write_text("LIMA, 3 APR 90 (EFE) -- [TEXT] TERRORISTS DYNAMITED A BANK BRANCH LAST NIGHT, "
                      "DESTROYING THE BUILDING.\n", encoding="utf-8")
    with tessera.open(tmp_path / "kb.db") as kb:
        kb.build([report])
        records = list(kb.export_records())
    (event,) = [r for r in records if r.get("kind") == "event"]
    assert event["locations"] == [] and [f["value"] for f in event["reported_from"]] == ["LIMA"]
    (row,) = gtd_rows(Snapshot.of(records))
    assert row["country_txt"] == "Peru" and row["city"] == "" and row["latitude"] == ""
    assert row["location"] == "place not given; reported from Lima (dateline)"
