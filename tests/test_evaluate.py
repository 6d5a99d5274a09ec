"""Tests for tessera.evaluate: scoring a KB export against a reference key."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tessera.errors import KeyFormatError, TesseraError
from tessera.evaluate import (
    EvalReport,
    date_agrees,
    evaluate,
    fold,
    format_report,
    load_key,
    short_name,
    value_agrees,
)

SEEDS_KEY = Path(__file__).parents[1].parent / "shared/corpus/seeds-key.yaml"

# ---------------------------------------------------------------- record builders


def doc(id_, filename):
    return {"kind": "document", "id": id_, "origin": f"../shared/corpus/test/{filename}",
            "title": None, "published": None, "status": "ok"}


def ent(id_, name, type_, aliases=()):
    return {"kind": "entity", "id": id_, "name": name, "type": type_, "aliases": list(aliases)}


def evid(document, quote="some body text", comment=False):
    return {"document": document, "start": 0, "end": len(quote), "quote": quote,
            "attributed_to": None, "hedge": None, "comment": comment}


def rel(id_, subject, predicate, obj=None, value=None, date=None, evidence=("d0",), **extra):
    ev = [e if isinstance(e, dict) else evid(e) for e in evidence]
    return {"kind": "relation", "id": id_, "subject": subject, "predicate": predicate, "object": obj,
            "value": value, "date": date, "evidence": ev, **extra}


def event(id_, type_, date, locations=(), evidence=("d0",), **fields):
    rec = {"kind": "event", "id": id_, "type": type_, "subtype": None, "date": date,
           "locations": list(locations), "perpetrators": [], "claimed_by": [], "subject": None,
           "killed": [], "wounded": [], "evidence": [e if isinstance(e, dict) else evid(e) for e in evidence]}
    rec.update(fields)
    return rec


def vals(*pairs):
    """(value, doc) pairs -> [{value, evidence}]."""
    return [{"value": v, "evidence": [evid(d)] if d else []} for v, d in pairs]


def conflict(id_, about, field, values):
    return {"kind": "conflict", "id": id_, "about": about, "field": field, "values": values}


DOCS = [doc("d0", "100_aaaa.txt"), doc("d1", "101_bbbb.txt"), doc("d2", "notes.txt")]

ENTITIES = [
    {"name": "Crimson Lantern Front", "type": "organization", "aliases": ["CLF"]},
    {"name": "Azure Hand", "type": "organization"},
    {"name": "José O'Hara-Núñez", "type": "person", "aliases": ["O'Hara"]},
    {"name": "Port Ventis", "type": "location"},
    {"name": "Valdoria", "type": "location"},
]

KB_ENTS = [
    ent("clf", "Crimson Lantern Front", "organization", ["CLF"]),
    ent("azh", "Azure Hand", "organization"),
    ent("jose", "Jose O'Hara Nunez", "person"),
    ent("port", "Port Ventis", "gpe"),
    ent("vald", "Valdoria", "location"),
]


def make_key(**sections):
    return {"corpus": "test", "entities": ENTITIES, **sections}


# ---------------------------------------------------------------- helpers


def test_fold_removes_accents_apostrophes_and_hyphens():
    assert fold("José O’Hara‐Núñez") == fold("jose ohara nunez") == "jose ohara nunez"
    assert fold("  Ansar  al–Sharq ") == "ansar al sharq"
    assert fold("D`Arcy´s") == "darcys"


def test_short_name_uses_prefix_before_underscore_or_stem():
    assert short_name("../shared/corpus/seeds/003_77772964148598d5.txt") == "003"
    assert short_name("/data/notes.txt") == "notes"


@pytest.mark.parametrize("key, kb, agrees", [
    ("2014-09", "2014-09-26", True),
    ("2014-09-26", "2014-09", False),
    ("2014", "2014-12-31", True),
    ("09-19", "2010-09-19", True),
    ("09-19", "--09-19", True),
    ("--09-19", "2011-09-19", True),
    ("09-19", "2010-09-20", False),
    ("--09", "2010-09-03", True),
    ("1998", "1990s", False),
    ("1998", "1998-05", True),
    ("1990s", "late 1990s", True),
    ("late 1990s", "1998", True),
    ("late 1990s", "1992", False),
    ("late 1990s", "1990s", False),
    (dt.date(2014, 10, 6), "2014-10-06", True),
])
def test_date_agrees_at_key_precision(key, kb, agrees):
    assert date_agrees(key, kb) is agrees


def test_numeric_values_accept_strings():
    assert value_agrees(39, "39", "killed")
    assert not value_agrees(39, "37", "killed")


# ---------------------------------------------------------------- entities


def test_entity_names_fold_and_types_must_agree():
    records = DOCS + [
        ent("a", "JOSE O HARA NUNEZ", "person"),  # does not fold to the key name ("o hara" != "ohara")
        ent("b", "ohara", "person"),  # alias O'Hara folds to "ohara"
        ent("c", "Port Ventis", "organization"),  # right name, wrong type
        ent("d", "Valdoria", "place"),  # place counts as location
        ent("e", "Azure Hand", "organization"),
    ]
    report = evaluate(records, make_key())
    e = report.entities
    assert (e.key_found, e.key_total) == (3, 5)
    assert (e.kb_correct, e.kb_total) == (3, 5)
    assert sorted(e.missed) == ["Crimson Lantern Front (organization)", "Port Ventis (location)"]
    assert sorted(e.spurious) == ["JOSE O HARA NUNEZ (person)", "Port Ventis (organization)"]


def test_split_and_merged_entities_are_reported():
    records = DOCS + [
        ent("x1", "Crimson Lantern Front", "organization"),
        ent("x2", "CLF", "organization"),
        ent("x3", "Azure Hand", "organization", aliases=["Crimson Lantern Front"]),
        ent("x4", "Someone Else", "person"),
        ent("x5", "Tuesday", "date"),  # not a scored type: ignored for precision
    ]
    e = evaluate(records, make_key()).entities
    assert e.key_found == 2  # the split CLF counts once
    assert e.extra["split"] == ["Crimson Lantern Front: Azure Hand | CLF | Crimson Lantern Front"]
    assert e.extra["merged"] == ["Azure Hand: Azure Hand | Crimson Lantern Front"]
    assert (e.kb_correct, e.kb_total) == (3, 4)
    assert e.precision == pytest.approx(0.75)


# ---------------------------------------------------------------- relations


def test_allied_with_is_symmetric_other_predicates_are_not():
    key = make_key(relations=[
        {"subject": "CLF", "predicate": "allied_with", "object": "Azure Hand", "sources": ["100"]},
        {"subject": "Crimson Lantern Front", "predicate": "led_by", "object": "O'Hara", "sources": ["100"]},
    ])
    records = DOCS + KB_ENTS + [
        rel("r1", "azh", "allied_with", "clf"),
        rel("r2", "jose", "led_by", "clf"),  # reversed: wrong
    ]
    r = evaluate(records, key).relations
    assert (r.key_found, r.key_total, r.kb_correct, r.kb_total) == (1, 2, 1, 2)
    assert r.missed == ["Crimson Lantern Front led_by O'Hara (sources 100)"]
    assert r.spurious == ["Jose O'Hara Nunez led_by Crimson Lantern Front"]


def test_relation_dates_and_values_agree_at_key_precision():
    key = make_key(relations=[
        {"subject": "CLF", "predicate": "pledged_allegiance_to", "object": "Azure Hand", "date": "2014-09",
         "sources": ["100"]},
        {"subject": "CLF", "predicate": "pledged_allegiance_to", "object": "Azure Hand",
         "date": dt.date(2016, 3, 2), "sources": ["100"]},
        {"subject": "CLF", "predicate": "founded_on", "value": 1998, "sources": ["100", "101"],
         "also": {"101": "late 1990s"}},
    ])
    records = DOCS + KB_ENTS + [
        rel("p1", "clf", "pledged_allegiance_to", "azh", date="2014-09-26"),
        rel("p2", "clf", "pledged_allegiance_to", "azh", date="2015", dates=["2015", "2016-03-02"]),
        rel("f1", "clf", "founded_on", value="late 1990s", evidence=["d1"]),
        rel("f2", "clf", "founded_on", value="1990s"),  # less precise than the key: no
    ]
    r = evaluate(records, key).relations
    assert r.key_found == 3 and r.kb_correct == 3
    assert r.spurious == ["Crimson Lantern Front founded_on '1990s'"]


def test_relation_must_cite_a_key_source():
    key = make_key(relations=[
        {"subject": "CLF", "predicate": "based_in", "object": "Valdoria", "sources": ["101"]},
        {"subject": "CLF", "predicate": "based_in", "object": "Port Ventis", "sources": ["notes"]},
        {"subject": "Azure Hand", "predicate": "based_in", "object": "Valdoria", "sources": ["101"]},
    ])
    records = DOCS + KB_ENTS + [
        rel("b1", "clf", "based_in", "vald", evidence=["d0"]),  # cites 100 only
        rel("b2", "clf", "based_in", "port", evidence=["d2"]),  # notes.txt -> "notes"
        rel("b3", "azh", "based_in", "vald", evidence=[evid("d1", comment=True)]),  # a reader comment
    ]
    r = evaluate(records, key).relations
    assert r.key_found == 1
    assert len(r.missed) == 2 and all("based_in Valdoria" in m for m in r.missed)


# ---------------------------------------------------------------- events


EVENT_KEY = make_key(events=[
    {"id": "port-raid", "type": "attack", "date": "2019-06", "location": ["Port Ventis", "Valdoria"],
     "perpetrators": ["CLF", "Azure Hand"], "claimed_by": ["CLF"], "killed": [12, 10], "wounded": [30],
     "sources": ["100", "101"]},
    {"id": "ridge-ambush", "type": "attack", "date": "09-19", "location": ["Valdoria"], "sources": ["101"]},
    {"id": "ohara-death", "type": "death", "subject": "O'Hara", "date": ["2009-08", "2009-09"],
     "location": ["Valdoria"], "sources": ["100"]},
])


def test_event_matching_and_per_field_scores():
    records = DOCS + KB_ENTS + [ent("mira", "Mira Tal", "person")] + [
        # a weaker duplicate of the raid: matches, but the better one is chosen for field scores
        event("e0", "attack", "2019-06-08", ["port"]),
        event("e1", "attack", "2019-06-08", ["port"], perpetrators=["clf", "jose"], claimed_by=["clf"],
              killed=vals(("12", "d0"), (10, "d1")), wounded=vals((31, "d1"))),
        event("e2", "attack", "--09-19", ["vald"], evidence=["d1"]),
        event("e3", "death", "2009-09-14", ["vald"], subject="mira"),  # wrong person died
        event("e4", "attack", "2019-07-01", ["port"]),  # wrong month
    ]
    report = evaluate(records, EVENT_KEY)
    ev = report.events
    assert (ev.key_found, ev.key_total) == (2, 3)
    assert ev.missed == ["ohara-death (death 2009-08, 2009-09)"]
    assert (ev.kb_correct, ev.kb_total) == (3, 5)
    assert len(ev.spurious) == 2
    f = report.event_fields
    assert (f["perpetrators"].precision, f["perpetrators"].recall) == (0.5, 0.5)
    assert (f["claimed_by"].precision, f["claimed_by"].recall) == (1.0, 1.0)
    assert (f["killed"].precision, f["killed"].recall) == (1.0, 1.0)
    assert (f["wounded"].precision, f["wounded"].recall) == (0.0, 0.0)


def test_death_event_needs_matching_subject_and_uses_dates_list():
    records = DOCS + KB_ENTS + [
        event("d", "death", "2008", ["vald"], subject="jose",
              dates=[{"value": "2008", "evidence": []}, {"value": "2009-08-30", "evidence": []}]),
    ]
    ev = evaluate(records, EVENT_KEY).events
    assert ev.key_found == 1 and ev.kb_correct == 1


# ---------------------------------------------------------------- conflicts


def conflict_records(*conflicts):
    return DOCS + KB_ENTS + [
        event("e1", "attack", "2019-06-08", ["port"], killed=vals((12, "d0"), (10, "d1"))),
        rel("f1", "clf", "founded_on", value="1998"),
    ] + list(conflicts)


CONFLICT_KEY = {**EVENT_KEY, "conflicts": [
    {"about": "port-raid", "field": "killed", "values": [12, 10], "sources": ["100", "101"]},
    {"about": "Crimson Lantern Front founded_on", "field": "value", "values": ["1998", "2003"]},
]}


def test_conflicts_found_and_missed():
    records = conflict_records(
        conflict("c1", "e1", "killed", vals((12, "d0"), ("10", "d1"))),
        conflict("c2", "f1", "value", vals(("1998-04", "d0"), ("2001", "d1"))),  # 2003 absent
    )
    c = evaluate(records, CONFLICT_KEY).conflicts
    assert (c.key_found, c.key_total, c.kb_correct, c.kb_total) == (1, 2, 1, 2)
    assert c.missed == ["Crimson Lantern Front founded_on . value: 1998, 2003"]
    assert c.spurious == ["Crimson Lantern Front founded_on '1998' . value: '1998-04', '2001'"]


def test_conflict_needs_evidence_from_every_key_source():
    records = conflict_records(conflict("c1", "e1", "killed", vals((12, "d0"), (10, "d0"))))
    assert evaluate(records, CONFLICT_KEY).conflicts.key_found == 0
    records = conflict_records(conflict("c1", "e1", "killed", vals((12, "d0"), (10, None))))
    assert evaluate(records, CONFLICT_KEY).conflicts.key_found == 0
    records = conflict_records(conflict("c1", "e1", "wounded", vals((12, "d0"), (10, "d1"))))
    assert evaluate(records, CONFLICT_KEY).conflicts.key_found == 0


def test_not_conflicts_precision_only_difference_is_false_positive():
    key = make_key(not_conflicts=[{"about": "CLF founded_on", "values": ["1998", "late 1990s", "1990s"]}])
    precision_only = conflict("c1", "f1", "value", vals(("1998", "d0"), ("late 1990s", "d1")))
    real = conflict("c2", "f1", "value", vals(("1997", "d0"), ("1998", "d1")))
    report = evaluate(conflict_records(precision_only, real), key)
    assert report.false_conflicts == ["Crimson Lantern Front founded_on '1998' . value: '1998', 'late 1990s'"]
    assert report.to_dict()["not_conflicts"]["false_positives"] == 1


# ---------------------------------------------------------------- noise


def test_noise_only_claims_are_violations_unless_comment_marked():
    key = make_key(noise=[{"doc": "100", "text": "Subscribe to our newsletter for updates"}])
    noise_ev = evid("d0", "Subscribe to  our\nnewsletter")
    records = DOCS + KB_ENTS + [
        rel("n1", "clf", "allied_with", "azh", evidence=[noise_ev]),
        rel("n2", "clf", "based_in", "vald", evidence=[evid("d0", "Subscribe to our newsletter", comment=True)]),
        rel("n3", "clf", "based_in", "port", evidence=[noise_ev, evid("d0", "CLF is based in Port Ventis")]),
        rel("n4", "azh", "based_in", "port", evidence=[evid("d1", "Subscribe to our newsletter")]),  # other doc
        event("v1", "attack", "2019", ["port"], evidence=[noise_ev]),
    ]
    report = evaluate(records, key)
    assert report.noise_violations == [
        "relation Crimson Lantern Front allied_with Azure Hand",
        "event attack 2019 at Port Ventis (v1)",
    ]


# ---------------------------------------------------------------- key loading and the report


def test_load_key_rejects_malformed_keys(tmp_path):
    bad = tmp_path / "bad-key.yaml"
    bad.write_text("entities:\n  name: Solo\n", encoding="utf-8")
    with pytest.raises(KeyFormatError, match=r"bad-key\.yaml.*'entities' must be a list"):
        load_key(bad)
    bad.write_text("relations:\n  - {subject: A, predicate: based_in, object: B, sources: [003]}\n")
    with pytest.raises(KeyFormatError, match="quoted string"):
        load_key(bad)
    bad.write_text("entities: [unclosed\n")
    with pytest.raises(KeyFormatError, match="not valid YAML"):
        load_key(bad)
    with pytest.raises(TesseraError, match="cannot read"):
        load_key(tmp_path / "missing.yaml")
    with pytest.raises(KeyFormatError, match="needs exactly one of 'object' or 'value'"):
        evaluate([], {"relations": [{"subject": "A", "predicate": "based_in"}]})


def test_load_key_accepts_a_valid_file(tmp_path):
    path = tmp_path / "key.yaml"
    path.write_text("entities:\n  - {name: Azure Hand, type: organization}\nevents:\n"
                    "  - {id: x, type: attack, date: 2014-10-06}\n", encoding="utf-8")
    key = load_key(path)
    records = DOCS + [ent("a", "Azure Hand", "organization"), event("e", "attack", "2014-10-06")]
    report = evaluate(records, key)
    assert report.entities.recall == 1.0 and report.events.recall == 1.0


def test_report_is_json_and_readable():
    records = DOCS + KB_ENTS[:2]
    report = evaluate(records, make_key(relations=[
        {"subject": "CLF", "predicate": "allied_with", "object": "Azure Hand", "sources": ["100"]}]))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["entities"]["recall"] == pytest.approx(0.4)
    assert data["relations"]["recall"] == 0.0 and data["relations"]["precision"] is None
    text = format_report(report)
    assert "entities: P=1.000 R=0.400" in text
    assert "missed (1):" in text and "CLF allied_with Azure Hand (sources 100)" in text


@pytest.mark.seeds
@pytest.mark.skipif(not SEEDS_KEY.exists(), reason=f"seeds key not found at {SEEDS_KEY}")
def test_seeds_key_loads_and_scores_an_empty_kb():
    key = load_key(SEEDS_KEY)
    report = evaluate([], key)
    assert isinstance(report, EvalReport)
    for section in (report.entities, report.relations, report.events, report.conflicts):
        assert section.recall == 0.0 and section.precision is None
    assert report.relations.key_total == len(key["relations"])
    assert format_report(report)
