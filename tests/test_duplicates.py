"""Copies counted once: near-duplicate documents (the same story in other outlets) are one source.

The articles are written for this test (news-like reports of attacks); the copies are made from them
at test time the way outlets copy a story: another headline, other page furniture, a wire dateline,
a few edited words, a dropped sentence.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

import tessera
from tessera import duplicates
from tessera.cli import main as cli_main
from tessera.evaluate import evaluate

ARTICLES = {
    "a_kasso": """\
Gunmen Kill Nine Police Officers in Attack on Kasso Station

Published: 4 March 2023

KASSO - Nine police officers were killed and five others wounded on Saturday when gunmen stormed a police station in the town of Kasso in the Sikasso region, officials said.

The attackers arrived on motorcycles shortly before dawn and set fire to two patrol vehicles before withdrawing into the forest, a regional police commander said.

The Sahel Freedom Front claimed responsibility for the attack in a statement posted online on Sunday. The group, led by Ibrahim Dolo, has attacked several police posts in southern Mali since 2021.

The government announced three days of national mourning.

Share this article
Related: Fuel prices rise again in Bamako
""",
    "b_dori": """\
Bomb Kills Six Soldiers Near Dori

Published: 19 August 2022

DORI - Six soldiers were killed on Friday when a roadside bomb struck their vehicle on the road between Dori and Seytenga in northern Burkina Faso, the army said in a statement.

Four other soldiers were wounded in the blast and taken to hospital in Dori, the statement said.

No group has claimed responsibility for the bombing. Roadside bombs have become the deadliest weapon against the army in the region this year, according to a security analyst.

Newsletter: sign up for our daily briefing
""",
    "c_menaka": """\
Two Aid Workers Kidnapped in Menaka

Published: 12 October 2023

MENAKA - Armed men kidnapped two aid workers from a humanitarian organisation on Wednesday on the outskirts of Menaka in eastern Mali, a local official said.

The two workers, both Malian nationals, were driving back from a water project when their car was stopped by men on motorcycles, the official said.

The Azawad Salvation Movement said in a statement on Thursday that it was holding the two men. The organisation suspended its activities in the area.

Comments (2)
""",
    "d_kasso_other": """\
Mali Mourns Police Killed in Southern Raid

Published: 6 March 2023

BAMAKO - Mali began three days of mourning on Monday for the nine policemen who died in Saturday's raid on the police post at Kasso, a town in the south of the country.

Witnesses said dozens of fighters on motorbikes surrounded the post before sunrise and burned vehicles during a gun battle that lasted about an hour. Five officers were hurt.

The Sahel Freedom Front, an armed group headed by Ibrahim Dolo, said its fighters carried out the raid.
""",
}
ORIGINALS = ("a_kasso", "b_dori", "c_menaka")  # each copied twelve times; d_kasso_other is written separately
HEADLINES = ("UPDATE 1-{}", "{} - officials", "WRAPUP {}", "{}, Officials Say")
FOOTERS = ("Follow us on social media for more news", "Read more: Regional leaders meet in Accra",
           "Copyright 2023 Wire Service. All rights reserved.")
COPIES = 12


def copy_of(text: str, i: int) -> str:
    """Copy number ``i`` of an article as another outlet runs it."""
    lines = text.split("\n")
    lines[0] = HEADLINES[i % len(HEADLINES)].format(lines[0])
    paragraphs = [p for p in "\n".join(lines).split("\n\n")]
    head, body, foot = paragraphs[:2], paragraphs[2:-1], paragraphs[-1:]
    if i % 3 == 1:  # a wire dateline
        body[0] = re.sub(r"^([A-Z]+) - ", r"\1 (Reuters) - ", body[0])
    if i % 3 == 2:  # a few edited words
        body = [p.replace(" said", " told reporters").replace("were killed", "died") for p in body]
    if i % 4 == 3 and len(body) > 3:  # the last paragraph dropped
        body = body[:-1]
    foot = [FOOTERS[i % len(FOOTERS)]]
    return "\n\n".join(head + body + foot) + "\n"


def write(folder: Path, names, copies: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.txt").write_text(ARTICLES[name], encoding="utf-8")
        for i in range(copies if name in ORIGINALS else 0):
            (folder / f"{name}_copy{i:02d}.txt").write_text(copy_of(ARTICLES[name], i), encoding="utf-8")


def facts(kb) -> tuple[list, list, int]:
    """Events and relations by content (ids depend on which document opened them), and the conflicts."""
    names = kb.names()
    events = sorted((e.type, e.subtype or "", e.date or "", tuple(sorted(names[x] for x in e.locations)),
                     tuple(sorted(str(v.value) for v in e.killed)), e.support) for e in kb.events())
    relations = sorted((names[r.subject], r.predicate, names.get(r.object, ""), r.value or "", r.date or "", r.support)
                       for r in kb.relations())
    return events, relations, len(kb.conflicts(limit=None))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("copies")
    write(root / "originals", ARTICLES, 0)
    write(root / "copies", ARTICLES, COPIES)
    (root / "copies" / "scan.pdf").write_bytes(b"%PDF-1.4 not readable here")
    alone = tessera.open(root / "alone.db")
    alone.build([root / "originals"])
    kb = tessera.open(root / "kb.db")
    report = kb.build([root / "copies", root / "copies" / "scan.pdf"])
    yield root, alone, kb, report
    alone.close()
    kb.close()


def test_copies_are_recognised_and_the_separate_report_is_not(built):
    root, _alone, kb, _report = built
    docs = {Path(d.origin).stem: d for d in kb.store.documents()}
    assert len(docs) == len(ARTICLES) + COPIES * len(ORIGINALS)
    for name in ORIGINALS:
        assert docs[name].duplicate_of is None
        assert {docs[f"{name}_copy{i:02d}"].duplicate_of for i in range(COPIES)} == {docs[name].id}
    # two reports of the Kasso attack written separately share facts, not wording
    assert docs["d_kasso_other"].duplicate_of is None
    a, d = (duplicates.shingles(duplicates.main_text(docs[n])) for n in ("a_kasso", "d_kasso_other"))
    assert duplicates.jaccard(a, d) < 0.05


def test_copies_give_the_events_and_relations_of_the_originals_alone(built):
    _root, alone, kb, _report = built
    assert facts(kb) == facts(alone)
    # the separate report is an independent source, the copies are not
    kasso = [e for e in kb.events() if e.date == "2023-03-04"]
    assert [(e.support, e.documents) for e in kasso] == [(2, 2 + COPIES)]
    dori = [e for e in kb.events() if e.date == "2022-08-19"]
    assert [(e.support, e.documents) for e in dori] == [(1, 1 + COPIES)]
    # every copy's evidence is kept
    assert {Path(kb.store.document_origin(x.document)).stem for x in dori[0].evidence} == \
        {"b_dori", *(f"b_dori_copy{i:02d}" for i in range(COPIES))}


def test_no_conflict_between_copies_even_when_a_copy_is_edited(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "b_dori.txt").write_text(ARTICLES["b_dori"], encoding="utf-8")
    edited = ARTICLES["b_dori"].replace("Six soldiers were killed", "Seven soldiers were killed")
    (folder / "b_dori_edited.txt").write_text(copy_of(edited, 0), encoding="utf-8")
    with tessera.open(tmp_path / "kb.db") as kb:
        kb.build([folder])
        assert len(kb.duplicate_of()) == 1
        (event,) = [e for e in kb.events() if e.subtype == "mine/IED"]
        assert sorted(str(v.value) for v in event.killed) == ["6", "7"]  # both figures, with evidence
        assert kb.conflicts(limit=None) == []  # but one source cannot disagree with itself
        # without the copy marks the same two accounts are a disagreement: the marks are what keep it away
        from tessera.reconcile import reconcile
        from tessera.resolve import resolve_entities

        analyses = list(kb.store.analyses())
        resolution = resolve_entities(analyses)
        names = {e.id: e.name for e in resolution.entities}
        published = kb.store.published_dates()
        assert [c.field for c in reconcile(analyses, resolution, names, published).conflicts] == ["killed"]
        assert reconcile(analyses, resolution, names, published, duplicate_of=kb.duplicate_of()).conflicts == []


def test_export_records_duplicate_of_and_both_counts(built):
    root, _alone, kb, _report = built
    records = list(kb.export_records())
    docs = {Path(r["origin"]).stem: r for r in records if r["kind"] == "document" and r["status"] == "ok"}
    assert docs["a_kasso_copy03"]["duplicate_of"] == docs["a_kasso"]["id"]
    assert docs["a_kasso"]["duplicate_of"] is None and docs["d_kasso_other"]["duplicate_of"] is None
    (failed,) = [r for r in records if r["kind"] == "document" and r["status"] == "failed"]
    assert failed["origin"].endswith("scan.pdf") and failed["duplicate_of"] is None
    events = [r for r in records if r["kind"] == "event"]
    assert all(r["documents"] >= r["support"] for r in events)
    assert any(r["support"] == 1 and r["documents"] == 1 + COPIES for r in events)
    kb.export("csv", root / "csv")
    with (root / "csv" / "documents.csv").open(encoding="utf-8-sig") as f:
        rows = {Path(r["origin"]).stem: r for r in csv.DictReader(f)}
    assert rows["c_menaka_copy11"]["duplicate_of"] == docs["c_menaka"]["id"]
    assert rows["c_menaka"]["duplicate_of"] == ""


def test_cli_says_documents_and_independent_sources(built, capsys):
    root, _alone, _kb, _report = built
    assert cli_main(["timeline", str(root / "kb.db")]) == 0
    out = capsys.readouterr().out
    assert "[14 documents, 2 independent sources]" in out  # Kasso: twelve copies, the original, the other report
    assert "[13 documents, 1 independent source]" in out
    assert cli_main(["profile", str(root / "kb.db"), "Sahel Freedom Front"]) == 0
    assert "independent source" in capsys.readouterr().out


def test_eval_counts_a_conflict_between_copies_as_none(built):
    _root, _alone, kb, _report = built
    records = list(kb.export_records())
    docs = {Path(r["origin"]).stem: r["id"] for r in records if r["kind"] == "document" and r["id"]}
    (dori,) = [r for r in records if r["kind"] == "event" and r["date"] == "2022-08-19"]
    (six,) = dori["killed"]
    by_doc = {e["document"]: e for e in six["evidence"]}
    # the same figure from two copies, offered as a disagreement: one source, so no conflict
    sides = [{"value": v, "evidence": [by_doc[docs[n]]]} for v, n in ((6, "b_dori"), (7, "b_dori_copy01"))]
    fake = {"kind": "conflict", "id": "con-copies", "about": dori["id"], "field": "killed", "values": sides}
    key = {"documents": {}, "entities": [], "relations": [],
           "events": [{"id": "dori", "type": "attack", "date": "2022-08-19", "location": "Dori", "killed": 6}],
           "conflicts": [{"about": "dori", "field": "killed", "values": [6, 7]}]}
    report = evaluate(records + [fake], key)
    assert report.conflicts.key_found == 0
    assert any("copies of one story" in item for item in report.false_conflicts)
    # the same two sides from independent documents would be a conflict found
    sides[1]["evidence"] = [{**by_doc[docs["b_dori"]], "document": docs["a_kasso"], "duplicate_of": None}]
    assert evaluate(records + [fake], key).conflicts.key_found == 1


def test_rebuilding_is_a_no_op_and_a_failure_stays_reported(built):
    root, _alone, kb, _report = built
    before = kb.duplicate_of()
    again = kb.build([root / "copies", root / "copies" / "scan.pdf"])
    assert again.added == [] and len(again.unchanged) == len(ARTICLES) + COPIES * len(ORIGINALS)
    assert [Path(o).name for o, _ in again.failed] == ["scan.pdf"]
    assert kb.duplicate_of() == before
    assert [Path(o).name for o, _ in kb.store.failures()] == ["scan.pdf"]


def test_earliest_copy_is_the_one_published_first(tmp_path):
    late = ARTICLES["c_menaka"].replace("12 October 2023", "13 October 2023")
    (tmp_path / "late.txt").write_text(late, encoding="utf-8")
    (tmp_path / "early.txt").write_text(copy_of(ARTICLES["c_menaka"], 1), encoding="utf-8")
    with tessera.open(tmp_path / "kb.db") as kb:
        kb.build([tmp_path / "late.txt"])  # ingested first, published later
        kb.build([tmp_path / "early.txt"])
        ids = {Path(d.origin).stem: d.id for d in kb.store.documents()}
        assert kb.duplicate_of() == {ids["late"]: ids["early"]}


def test_another_copy_resolves_nothing_again_and_counts_in_its_originals_entities(tmp_path, monkeypatch):
    """A copy's local entities named as its original's (same type and name, no other name) follow them and
    sway nothing: adding one more copy of a story whose local entities all follow resolves no local entity
    again (not the original's, not the other copies'), and its document still counts in each entity's."""
    from tessera import refresh

    folder = tmp_path / "in"
    write(folder, ["b_dori"], COPIES)
    late = folder / "b_dori_copy11.txt"
    (tmp_path / "late.txt").write_text(late.read_text(encoding="utf-8"), encoding="utf-8")
    late.unlink()
    resolved: list = []
    real = refresh.resolve_locals
    monkeypatch.setattr(refresh, "resolve_locals", lambda locals_: resolved.append(dict(locals_)) or real(locals_))
    with tessera.open(tmp_path / "kb.db") as kb:
        kb.build([folder])
        (dori,) = [e for e in kb.entities("location") if e.name == "Dori"]
        assert dori.documents == COPIES
        resolved.clear()
        kb.build([tmp_path / "late.txt"])
        assert len(kb.duplicate_of()) == COPIES and len(set(kb.duplicate_of().values())) == 1
        assert resolved == [{}], resolved  # a partial refresh, resolving nothing
        (dori,) = [e for e in kb.entities("location") if e.name == "Dori"]
        assert dori.documents == 1 + COPIES


SAN_ISIDRO_CR = """\
Police Post Attacked in San Isidro

Published: 2 May 2023

SAN JOSE - Armed men fired on a police post in San Isidro, Costa Rica, on Monday night, wounding two officers, the Public Security Ministry said. The attackers fled towards the mountains south of the town.

Investigators recovered dozens of cartridge cases at the scene, and roadblocks were set up on the roads leading out of San Isidro.
"""
SAN_ISIDRO_PE = [
    """\
Explosion Damages Bank in San Isidro

Published: 9 June 2023

LIMA - A small bomb exploded outside a bank branch in San Isidro, the financial district of Lima, Peru, early on Friday, shattering windows but injuring no one, police said.
""",
    """\
Grenade Thrown at Embassy Residence in San Isidro

Published: 21 June 2023

LIMA - An unidentified man threw a grenade over the wall of a diplomatic residence in San Isidro, Lima, Peru, on Wednesday. The device did not explode and was defused by the Peruvian police bomb squad.
""",
]


def test_a_storys_copies_count_once_where_a_homonym_place_lies(tmp_path):
    """A place named alike in several countries ("San Isidro") is read in the countries its documents name, the most
    shared first: three copies of one Costa Rican story are one document there, so the two Peruvian reports decide."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i, furniture in enumerate(["", "\nShare this article\n", "\nDistributed by a syndication service.\n"]):
        (folder / f"cr_{i}.txt").write_text(SAN_ISIDRO_CR + furniture, encoding="utf-8")
    for i, text in enumerate(SAN_ISIDRO_PE):
        (folder / f"pe_{i}.txt").write_text(text, encoding="utf-8")
    with tessera.open(tmp_path / "kb.db") as kb:
        kb.build([folder])
        assert len(kb.duplicate_of()) == 2  # the Costa Rican story's two copies
        (place,) = [r for r in kb.export_records() if r["kind"] == "entity" and r["name"] == "San Isidro"]
        assert place["documents"] == 5
        assert place["geo"]["country_code"] == "PE"


def test_only_candidates_whose_signatures_agree_are_read_again():
    """The LSH proposes any document that shares one band of its signature (articles of one outlet, sharing
    furniture and background, make hundreds of such candidates); one whose signature agrees on few values is not
    read again for the exact check. A copy still is, and found."""
    read = []
    finder = duplicates.CopyFinder(lambda d: read.append(d) or ARTICLES[d])
    new = copy_of(ARTICLES["a_kasso"], 2)
    sh = duplicates.shingles(new)
    sig = np.frombuffer(duplicates.encode_signature(duplicates.minhash(sh)), dtype="<u4")
    start, end = duplicates._bands()[0]
    for name in ARTICLES:
        theirs = duplicates.minhash(duplicates.shingles(ARTICLES[name])).hashvalues.astype("<u4")
        theirs[start:end] = sig[start:end]  # one band in common: proposed by the LSH whatever else they share
        finder.add(name, theirs.tobytes())
    found = finder.copies(sh, sig.tobytes())
    assert [d for d, _j in found] == ["a_kasso"]
    assert read == ["a_kasso"]
