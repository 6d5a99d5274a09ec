"""The MUC-4 harness's mapping of export records onto MUC-4's roles (benchmarks/muc4.py), on hand-made records."""
from __future__ import annotations

from benchmarks.muc4 import extracts_of, templates_from_records


def _filler(value, entity=None):
    return {"value": value, "entity": entity, "evidence": []}


RECORDS = [
    {"kind": "entity", "id": "e1", "type": "person", "name": "Gonzalo Rodriguez Gacha", "aliases": ["Rodriguez Gacha"]},
    {"kind": "entity", "id": "e2", "type": "organization", "name": "FMLN", "aliases": []},
    {"kind": "entity", "id": "e3", "type": "person", "name": "Pablo Escobar", "aliases": []},
    {"kind": "entity", "id": "e4", "type": "person", "name": "Hector Oqueli", "aliases": []},
    {"kind": "event", "type": "attack", "subtype": "bombing", "perpetrators": ["e2", "e3"], "claimed_by": ["e2"],
     "attackers": [_filler("urban guerrillas")],
     "targets": [_filler("the electric power substation")],
     "victims": [_filler("rodriguez gacha", "e1"), _filler("Senator Gonzalo Rodriguez Gacha", "e1"),
                 _filler("five prison guards"), _filler("a policeman"), _filler("the driver"), _filler("julio torres")],
     "weapons": [_filler("a car bomb")]},
    {"kind": "event", "type": "death", "subject": "e4"},
]


def test_roles_from_an_attack_record():
    (t,) = templates_from_records(RECORDS)
    assert t["incident_type"] == "bombing"
    assert t["PerpOrg"] == [["FMLN"]]  # claimed and held responsible: one organization, once
    assert t["PerpInd"] == [["urban guerrillas"], ["Pablo Escobar"]]  # a person held responsible is an individual
    assert t["Target"] == [["the electric power substation"]] and t["Weapon"] == [["a car bomb"]]
    # one entity once, by its fullest wording less titles; described victims have no MUC-4 role (it keys names);
    # a named death with no attack of its own is a victim of the document's attack
    assert t["Victim"] == [["Gonzalo Rodriguez Gacha"], ["julio torres"], ["Hector Oqueli"]]


def test_document_extracts_merge_templates_by_wording():
    recs = RECORDS + [{"kind": "event", "type": "attack", "subtype": "kidnapping", "perpetrators": ["e2"],
                       "victims": [_filler("Julio Torres")]}]
    ex = extracts_of(templates_from_records(recs))
    assert ex["PerpOrg"] == [["FMLN"]] and [v[0].lower() for v in ex["Victim"]] == [
        "gonzalo rodriguez gacha", "julio torres", "hector oqueli"]
