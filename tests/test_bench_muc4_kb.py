"""benchmarks/muc4_kb.py on hand-written key snippets and hand-made export records (no model, no data).

Every name, place and date below is invented; the key text imitates the MUC-4 answer-key layout."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
from dataclasses import replace

import pytest

from benchmarks.muc4_kb import (FIGURES, Template, _right_day, compatible, disagreements, events_from_records,
                                group_incidents, link_strength, main, matches, names_match, parse_date,
                                parse_key, parse_location, report, score, split_corpus)
from tests.test_benchmarks_gate import figures

D = dt.date

# ---- reading the key ------------------------------------------------------------------------------------

KEY = r""";;; an invented key: one relevant document with two templates, one irrelevant document
0.  MESSAGE: ID                     TST9-MUC9-0001
1.  MESSAGE: TEMPLATE               1
2.  INCIDENT: DATE                  (08 MAR 90) / (07 MAR 90 - 08 MAR 90)
3.  INCIDENT: LOCATION              (ARCADIA: PORTO VERDE (CITY): SAN LUCAS (NEIGHBORHOOD)) / (ARCADIA)
4.  INCIDENT: TYPE                  BOMBING / ATTACK
5.  INCIDENT: STAGE OF EXECUTION    ACCOMPLISHED
9.  PERP: INDIVIDUAL ID             "GUERRILLAS"
10. PERP: ORGANIZATION ID           "FREE RIVER FRONT" / "FRF"
12. PHYS TGT: ID                    "\"LA ROSA\" FARM" / "FARM"
18. HUM TGT: NAME                   "JUAN OSSORIO"
                                    ? "MARTA VELEZ"
19. HUM TGT: DESCRIPTION            "MAYOR": "JUAN OSSORIO"
                                    "PEASANTS"
21. HUM TGT: NUMBER                 1: "JUAN OSSORIO"
                                    3: "PEASANTS"
                                    1: "MARTA VELEZ"
23. HUM TGT: EFFECT OF INCIDENT     DEATH: "JUAN OSSORIO"  DEATH: "PEASANTS"
                                    INJURY: "MARTA VELEZ"

0.  MESSAGE: ID                     TST9-MUC9-0001
1.  MESSAGE: TEMPLATE               2 (OPTIONAL)
2.  INCIDENT: DATE                  - 09 MAR 90
3.  INCIDENT: LOCATION              ARCADIA
4.  INCIDENT: TYPE                  KIDNAPPING
10. PERP: ORGANIZATION ID           -
18. HUM TGT: NAME                   -
21. HUM TGT: NUMBER                 PLURAL: "ENGINEERS"
23. HUM TGT: EFFECT OF INCIDENT     DEATH: "ENGINEERS"

0.  MESSAGE: ID                     TST9-MUC9-0002
1.  MESSAGE: TEMPLATE               *
2.  INCIDENT: DATE                  *
3.  INCIDENT: LOCATION              *
4.  INCIDENT: TYPE                  *
"""


def test_parse_date_forms():
    assert parse_date("16 NOV 89") == ((D(1989, 11, 16), D(1989, 11, 16)),)
    assert parse_date("- 20 NOV 89") == ((None, D(1989, 11, 20)),)
    assert parse_date("15 JAN 89 - 21 JAN 89") == ((D(1989, 1, 15), D(1989, 1, 21)),)
    assert parse_date("(25 SEP 89) / (- 25 SEP 89)") == ((D(1989, 9, 25),) * 2, (None, D(1989, 9, 25)))
    assert parse_date("-") == parse_date("*") == parse_date("") == ()
    assert parse_date("31 SEP 89") == () and parse_date("(31 SEP 89) / (20 SEP 89)") == ((D(1989, 9, 20),) * 2,)


def test_training_corpus_ids_carry_the_site_that_keyed_them():
    text = "DEV-MUC3-0001 (NOSC)\n\n   SAN SALVADOR, 3 JAN 90 -- [TEXT] ONE.\nDEV-MUC3-0002 (INTEL TEXT PROC)\n\n   TWO.\n"
    assert {k: v.split()[-1] for k, v in split_corpus(text).items()} == {"DEV-MUC3-0001": "ONE.", "DEV-MUC3-0002": "TWO."}


def test_parse_location_forms():
    assert parse_location("COLOMBIA: MEDELLIN (CITY)") == (("COLOMBIA", "MEDELLIN"),)
    assert parse_location("PERU: LIMA (CITY / MUNICIPALITY)") == (("PERU", "LIMA"),)  # one place, two types
    assert parse_location("CHILE: COPIAPO (CITY) - TALCA (CITY)") == (("CHILE", "COPIAPO", "TALCA"),)
    assert parse_location("HONDURAS / EL SALVADOR") == (("HONDURAS",), ("EL SALVADOR",))
    assert parse_location("(EL SALVADOR: SAN SALVADOR (CITY)) / (EL SALVADOR: SAN SALVADOR (DEPARTMENT)) / "
                          "(EL SALVADOR)") == (("EL SALVADOR", "SAN SALVADOR"), ("EL SALVADOR",))
    assert parse_location("*") == ()


def test_parse_key_reads_slots_and_skips_irrelevant_documents():
    first, second = parse_key(KEY)
    assert (first.doc, first.number, first.optional) == ("TST9-MUC9-0001", "1", False)
    assert first.types == {"BOMBING", "ATTACK"}
    assert first.dates == ((D(1990, 3, 8), D(1990, 3, 8)), (D(1990, 3, 7), D(1990, 3, 8)))
    assert first.locations == (("ARCADIA", "PORTO VERDE", "SAN LUCAS"), ("ARCADIA",))
    assert first.names == {"JUAN OSSORIO", "MARTA VELEZ"}  # a continued slot, "?" dropped
    assert first.orgs == {"FREE RIVER FRONT", "FRF"}
    assert first.targets == {"MAYOR", "PEASANTS", '"LA ROSA" FARM', "FARM"}  # escaped quotes undone
    assert first.deaths == 4  # the mayor and three peasants; the injured one does not count
    assert (second.number, second.optional, second.types) == ("2", True, {"KIDNAPPING"})
    assert second.dates == ((None, D(1990, 3, 9)),)
    assert second.names == second.orgs == frozenset()
    assert second.deaths is None  # "PLURAL" is no count


def test_split_corpus():
    corpus = "TST9-MUC9-0001\n\n   PORTO VERDE, 9 MAR 90 -- [TEXT] A BOMB.\n\n\nTST9-MUC9-0002\n\n   NOTHING.\n"
    assert split_corpus(corpus) == {"TST9-MUC9-0001": "   PORTO VERDE, 9 MAR 90 -- [TEXT] A BOMB.\n",
                                    "TST9-MUC9-0002": "   NOTHING.\n"}


def test_names_match():
    assert names_match("CARLOS GALINDO", "Luis Carlos Galindo Reyes")  # two words, all in the longer
    assert names_match("OSSORIO", "Juan Ossorio")  # one word: the longer's last
    assert not names_match("JUAN", "Juan Ossorio")
    assert not names_match("OSSORIO", "Rafael Ossorio Diaz")
    assert names_match("the Free River Front", "FREE RIVER FRONT") and names_match("Bogotá", "BOGOTA")


# ---- grouping into incidents ------------------------------------------------------------------------

def t(doc, number="1", types=("ATTACK",), dates=(), places=(("ARCADIA",),), names=(), targets=(), orgs=(),
      deaths=None):
    return Template(doc=doc, number=number, types=frozenset(types), dates=tuple(dates), locations=tuple(places),
                    names=frozenset(names), targets=frozenset(targets), orgs=frozenset(orgs), deaths=deaths)


DAY = ((D(1990, 3, 8), D(1990, 3, 8)),)
BEFORE = ((None, D(1990, 3, 20)),)


def test_links_name_then_organization_with_target_then_specific_target():
    a = t("A", dates=DAY, names=["JUAN OSSORIO"], targets=["MAYOR"])
    assert link_strength(a, t("B", dates=BEFORE, names=["OSSORIO"])) == 3
    assert link_strength(t("A", orgs=["FRF"], targets=["PEASANTS"]), t("B", orgs=["FRF"], targets=["PEASANTS"])) == 2
    assert link_strength(t("A", targets=["ENGINEERS"]), t("B", targets=["ENGINEERS"])) == 1
    assert link_strength(t("A", targets=["PEASANTS"]), t("B", targets=["PEASANTS"])) == 0  # generic
    assert link_strength(t("A", orgs=["FRF"]), t("B", orgs=["FRF"])) == 0  # an organization alone


def test_compatible_checks_type_date_place_and_names():
    a = t("A", dates=DAY, places=(("ARCADIA", "PORTO VERDE"),), names=["JUAN OSSORIO"])
    assert compatible(a, t("B", dates=BEFORE, places=(("ARCADIA",),)))
    assert compatible(a, t("B", dates=((D(1990, 3, 10), D(1990, 3, 10)),)))  # two days off: within the slack
    assert not compatible(a, t("B", dates=((D(1990, 3, 12), D(1990, 3, 12)),)))
    assert not compatible(a, t("B", types=["KIDNAPPING"]))
    assert not compatible(a, t("B", places=(("ARCADIA", "SANTA ANA"),)))
    assert not compatible(a, t("B", places=(("BORDURIA",),)))
    assert not compatible(a, t("B", names=["MARTA VELEZ"]))
    assert not compatible(a, t("A", number="2"))  # one document's templates are different incidents


def test_group_incidents():
    murder = [t("D1", dates=DAY, names=["JUAN OSSORIO"], targets=["MAYOR"], orgs=["FRF"], deaths=1),
              t("D2", dates=BEFORE, names=["OSSORIO"], deaths=2),  # by the name
              t("D3", dates=((D(1990, 3, 9), D(1990, 3, 9)),), targets=["MAYOR"], orgs=["FRF"])]  # org and target
    other = [t("D2", number="2", dates=BEFORE, orgs=["FRF"]),  # FRF again, but nothing else in common
             t("D4", dates=((D(1985, 1, 1), D(1985, 1, 1)),), names=["OSSORIO"]),  # a namesake, years before
             t("D5", types=["KIDNAPPING"], dates=DAY, names=["JUAN OSSORIO"])]
    groups = group_incidents(murder + other)
    assert [[x.doc for x in g] for g in groups] == [["D1", "D2", "D3"], ["D2"], ["D4"], ["D5"]]
    assert disagreements(groups[0]) == {"date", "killed"}  # 8 vs 9 March (no slack here); 1 vs 2 dead
    assert disagreements(groups[1]) == set()


def test_a_group_never_takes_a_template_that_contradicts_one_of_its_members():
    early = t("D1", dates=((D(1980, 3, 1), D(1980, 3, 31)),), names=["OSCAR LUIS ROMAN"])
    open_ = t("D2", dates=((None, D(1989, 11, 12)),), names=["ROMAN"])
    namesake = t("D3", dates=((D(1989, 1, 31), D(1989, 1, 31)),), names=["RAFAEL ROMAN"])
    groups = group_incidents([early, open_, namesake])
    assert [[x.doc for x in g] for g in groups] == [["D1", "D2"], ["D3"]]  # D3 and D1 cannot be one incident


# ---- Tessera's export against the key -------------------------------------------------------------------

def ev(doc, start=0):
    return {"document": doc, "start": start, "end": start + 5, "quote": "quote"}


def event(eid, docs, date=None, locations=(), perpetrators=(), victims=(), type_="attack", subject=None):
    return {"kind": "event", "id": eid, "type": type_, "subtype": None, "date": date, "locations": list(locations),
            "perpetrators": list(perpetrators), "claimed_by": [], "subject": subject, "attackers": [],
            "targets": [], "victims": [{"value": v, "entity": None, "evidence": [ev(docs[0])]} for v in victims],
            "weapons": [], "killed": [], "wounded": [], "dates": [], "evidence": [ev(d) for d in docs]}


def documents(*names, dated=()):
    return [{"kind": "document", "id": f"sha-{n}", "origin": f"/tmp/x/docs/{n}.txt", "published": "1990-03-09"
             if n in dated else None, "status": "ok"} for n in names]


ENTITIES = [{"kind": "entity", "id": "ent-pv", "name": "Porto Verde", "aliases": ["PORTO VERDE"], "type": "location"},
            {"kind": "entity", "id": "ent-ar", "name": "Arcadia", "aliases": [], "type": "location"},
            {"kind": "entity", "id": "ent-sa", "name": "Santa Ana", "aliases": [], "type": "location"},
            {"kind": "entity", "id": "ent-frf", "name": "Free River Front", "aliases": ["FRF"], "type": "organization"}]

TEMPLATES = [
    t("D1", dates=DAY, places=(("ARCADIA", "PORTO VERDE"),), names=["JUAN OSSORIO"], orgs=["FRF"], deaths=1),
    t("D2", dates=((D(1990, 3, 9), D(1990, 3, 9)),), names=["JUAN OSSORIO"], deaths=2),
    t("D3", types=["BOMBING"], dates=DAY, places=(("ARCADIA", "SANTA ANA"),), targets=["BRIDGE"]),
]


def test_matching_an_event_to_a_template_of_one_document():
    d1 = TEMPLATES[0]
    (e,) = events_from_records(documents("D1") + ENTITIES + [event("evt-1", ["sha-D1"], victims=["Juan Ossorio"])])
    assert e.docs == {"D1"} and matches(e, d1)  # by the victim's name
    (e,) = events_from_records(documents("D1") + ENTITIES + [event("evt-1", ["sha-D1"], locations=["ent-pv"])])
    assert matches(e, d1)  # by the city
    (e,) = events_from_records(documents("D1") + ENTITIES + [event("evt-1", ["sha-D1"], locations=["ent-ar"])])
    assert not matches(e, d1)  # the country alone, when the key names a city
    for date, fits in (("1990-03-08", True), ("1990-03", True), ("--03-08", True), ("1990-03-07", False),
                       ("--03-07", False)):
        (e,) = events_from_records(documents("D1") + [event("evt-1", ["sha-D1"], date=date)])
        assert matches(e, d1) is fits, date
    (e,) = events_from_records(documents("D2") + [event("evt-1", ["sha-D2"], victims=["Juan Ossorio"])])
    assert not matches(e, d1)  # no evidence in the template's document


def test_score_merges_false_merges_conflicts_and_single_documents():
    records = documents("D1", "D2", "D3", "D4", dated=["D1"]) + ENTITIES + [
        # one event for the murder, told by D1 and D2, with the right date, place and perpetrator
        event("evt-m", ["sha-D1", "sha-D2"], date="1990-03-08", locations=["ent-pv"], perpetrators=["ent-frf"],
              victims=["Juan Ossorio"]),
        # an event that joins the bombing of D3 with the murder told in D2: a false merge
        event("evt-f", ["sha-D3", "sha-D2"], date="1990-03-08", locations=["ent-sa"], victims=["Juan Ossorio"]),
        # D4 has no template: an event there is neutral
        event("evt-n", ["sha-D4"], date="1990-03-08"),
        {"kind": "conflict", "id": "con-1", "about": "evt-m", "field": "killed",
         "values": [{"value": 1, "evidence": [ev("sha-D1")]}, {"value": 2, "evidence": [ev("sha-D2", 9)]}]},
    ]
    s = score(TEMPLATES, records, ["D1", "D2", "D3", "D4"])
    assert s.figures() == {"documents_dated": (1, 4), "multi_doc_merged": (1, 1), "multi_doc_merged_right": (1, 1),
                           "false_merges": (1, 2), "conflicts": (1, 1), "single_doc_right": (1, 1)}
    assert [e.id for e, _ in s.false_merges] == ["evt-f"]
    # without its perpetrator the merge is no longer right; a year-less date is never right
    records[len(records) - 4] = event("evt-m", ["sha-D1", "sha-D2"], date="--03-08", locations=["ent-pv"],
                                      victims=["Juan Ossorio"])
    s = score(TEMPLATES, records, ["D1", "D2", "D3", "D4"])
    assert s.figures()["multi_doc_merged"] == (1, 1) and s.figures()["multi_doc_merged_right"] == (0, 1)


def test_a_merge_that_reaches_into_another_incidents_document_does_not_count():
    records = documents("D1", "D2", "D3") + ENTITIES + [
        event("evt-m", ["sha-D1", "sha-D2", "sha-D3"], date="1990-03-08", victims=["Juan Ossorio"])]
    s = score(TEMPLATES, records, ["D1", "D2", "D3"])
    assert s.figures()["multi_doc_merged"] == (0, 1)


def test_output_ends_with_the_figures_and_gives_the_gate_its_lines():
    records = documents("D1", "D2", "D3") + ENTITIES + [
        event("evt-f", ["sha-D3", "sha-D2"], date="1990-03-08", locations=["ent-sa"], victims=["Juan Ossorio"])]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        report(score(TEMPLATES, records, ["D1", "D2", "D3"]), verbose=True)
    lines = buf.getvalue().splitlines()
    assert [line.split()[0] for line in lines[-6:]] == list(FIGURES)
    assert lines[-3] == "false_merges 1/1"
    got = figures(buf.getvalue())
    assert got["minus_false_merges"] == -1 and got["documents_dated"] == 0 and got["single_doc_right"] == 1
    assert "evt-f" in buf.getvalue()  # the false merge, listed


def test_main_scores_an_export_without_building(tmp_path):
    corpora = tmp_path / "raw_muc34" / "TASK" / "CORPORA"
    for folder, n in (("tst1", 1), ("tst2", 2)):
        (corpora / folder).mkdir(parents=True)
        doc = f"TST{n}-MUC{n + 2}-0001"
        (corpora / folder / f"{folder}-muc{n + 2}").write_text(f"{doc}\n\n   PORTO VERDE, 8 MAR 90 -- [TEXT] X.\n")
        (corpora / folder / f"key-{folder}.v1").write_text(
            KEY.replace("TST9-MUC9-0001", doc).replace("TST9-MUC9-0002", f"TST{n}-MUC{n + 2}-0099"))
    import json

    export = tmp_path / "export.jsonl"
    export.write_text("".join(json.dumps(r) + "\n" for r in documents("TST1-MUC3-0001", "TST2-MUC4-0001")))
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["--split", "dev", "--data", str(tmp_path), "--records", str(export)]) == 0
    out = buf.getvalue().splitlines()
    # both documents' first templates name Juan Ossorio on 8 March: one incident told twice
    assert out[-6:] == ["documents_dated 0/2", "multi_doc_merged 0/1", "multi_doc_merged_right 0/1",
                        "false_merges 0/0", "conflicts 0/0", "single_doc_right 0/2"]
    # the second of two parts: the second document alone, the incident both told now told once, beside its other
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["--split", "dev", "--data", str(tmp_path), "--records", str(export), "--part", "2/2"]) == 0
    out = buf.getvalue().splitlines()
    assert out[0].startswith("MUC-4 dev as one knowledge base: 1 documents")
    assert out[-6:] == ["documents_dated 0/1", "multi_doc_merged 0/0", "multi_doc_merged_right 0/0",
                        "false_merges 0/0", "conflicts 0/0", "single_doc_right 0/2"]
    with pytest.raises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
        main(["--split", "dev", "--data", str(tmp_path), "--records", str(export), "--part", "3/2"])


def test_an_incident_told_as_background_in_another_incidents_document_still_merges():
    # D3 is about the bridge bombing and recalls the murder: its evidence matches no template of D3
    records = documents("D1", "D2", "D3") + ENTITIES + [
        event("evt-m", ["sha-D1", "sha-D2", "sha-D3"], victims=["Juan Ossorio"])]
    s = score(TEMPLATES, records, ["D1", "D2", "D3"])
    assert s.figures()["multi_doc_merged"] == (1, 1) and s.figures()["false_merges"] == (0, 1)


def test_a_country_only_key_place_fits_a_town_the_gazetteer_puts_in_that_country():
    from benchmarks.muc4_kb import EventView, place_fits

    def view(*places):
        return EventView(id="evt", type="attack", subtype=None, date=None, docs=frozenset({"D"}), places=places,
                         people=(), perpetrators=(), conflicts={})

    country = Template(doc="D", number="1", types=frozenset({"ATTACK"}), dates=(), locations=(("EL SALVADOR",),))
    assert place_fits(view("Usulutan"), country) and place_fits(view("San Miguel"), country)
    assert not place_fits(view("Medellin"), country) and not place_fits(view("Atlantis"), country)
    # a key naming a town wants that town, not any place of the country
    town = Template(doc="D", number="1", types=frozenset({"ATTACK"}), dates=(),
                    locations=(("EL SALVADOR", "SAN SALVADOR"),))
    assert not place_fits(view("Usulutan"), town) and place_fits(view("San Salvador"), town)


def test_the_dateline_place_counts_only_for_the_country_and_only_when_the_event_names_no_place():
    from benchmarks.muc4_kb import EventView, place_fits

    def view(places=(), filed=()):
        return EventView(id="evt", type="attack", subtype=None, date=None, docs=frozenset({"D"}), places=places,
                         people=(), perpetrators=(), conflicts={}, filed=filed)

    country = Template(doc="D", number="1", types=frozenset({"ATTACK"}), dates=(), locations=(("EL SALVADOR",),))
    town = Template(doc="D", number="1", types=frozenset({"ATTACK"}), dates=(),
                    locations=(("EL SALVADOR", "SAN SALVADOR"),))
    assert place_fits(view(filed=("San Salvador",)), country, filed=True)
    assert not place_fits(view(filed=("San Salvador",)), country)  # only where the caller asks for it
    assert not place_fits(view(filed=("Bogota",)), country, filed=True)
    assert not place_fits(view(filed=("San Salvador",)), town, filed=True)  # a town is never read off a dateline
    assert not place_fits(view(places=("Medellin",), filed=("San Salvador",)), country, filed=True)


def test_the_right_day_is_any_of_the_keys_alternatives_at_its_own_precision():
    def right(template, date):
        (e,) = events_from_records(documents("D1") + [event("evt-1", ["sha-D1"], date=date)])
        return _right_day(e, template)

    day_or_two = replace(TEMPLATES[0], dates=((D(1990, 3, 8), D(1990, 3, 8)), (D(1990, 3, 7), D(1990, 3, 8))))
    # (08 MAR 90) / (07 MAR 90 - 08 MAR 90)
    assert right(day_or_two, "1990-03-08") and right(day_or_two, "1990-03-07")  # either alternative
    assert not right(day_or_two, "1990-03-06") and not right(day_or_two, "1990-03")
    january = replace(day_or_two, dates=((D(1990, 1, 1), D(1990, 1, 31)),))  # a month the key gives as its days
    assert right(january, "1990-01") and right(january, "1990-01-12")
    assert not right(january, "1990") and not right(january, "1990-02-01")
    before = replace(TEMPLATES[0], dates=((None, D(1990, 3, 9)),))  # - 09 MAR 90: on or before
    assert right(before, "1990-03-05") and not right(before, "1990-03") and not right(before, "1990-03-10")
    (undated,) = events_from_records(documents("D1") + [event("evt-1", ["sha-D1"])])
    assert not _right_day(undated, before)
    # no date, first reported on 9 March: on or before then, which is all the key's bound says; not its day
    (undated,) = events_from_records(documents("D1") + [{**event("evt-1", ["sha-D1"]), "first_reported": "1990-03-09"}])
    assert _right_day(undated, before) and not _right_day(undated, replace(before, dates=((None, D(1990, 3, 8)),)))
    assert not _right_day(undated, replace(before, dates=((D(1990, 3, 9), D(1990, 3, 9)),)))
