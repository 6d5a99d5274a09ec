"""Hand-made cases for benchmarks/scoring.py; every expected figure was worked out by hand."""
from __future__ import annotations

import pytest

from benchmarks.scoring import ceaf_ree, gtt_template_metric, head_word, normalize, role_group_score

approx = pytest.approx


def counts(score):
    return score["matched_p"], score["pred"], score["matched_r"], score["gold"]


# ---- normalisation ------------------------------------------------------------------------------

def test_normalize():
    assert normalize("The  U.S. Army's unit, an APC") == "us armys unit apc"
    assert normalize('"Santo Tomas" farm') == "santo tomas farm"
    assert normalize("Theatre of a war") == "theatre of war"  # 'the' only as a word


def test_head_word():
    assert head_word("the rebels' positions") == "positions"
    assert head_word("The Taliban's") == "taliban"
    assert head_word("Badia al-Sukhnah.") == "alsukhnah"
    assert head_word("the") == ""


# ---- CEAF-REE -----------------------------------------------------------------------------------

GOLD = {"d1": {"PerpInd": [[["guerrillas", 3], ["guerrilla column", 20]], [["fmln", 40]]],
               "Victim": [[["jesuits", 60]]], "Target": [], "PerpOrg": [], "Weapon": []}}


def test_ceaf_perfect_with_grit_offsets_and_normalisation():
    pred = {"d1": {"PerpInd": [["Guerrilla column"], ["the FMLN"]], "Victim": [["jesuits"]]}}
    s = ceaf_ree(GOLD, pred)
    assert counts(s["micro"]) == (3, 3, 3, 3)
    assert s["micro"]["f1"] == 1.0
    assert counts(s["roles"]["Weapon"]) == (0, 0, 0, 0) and s["roles"]["Weapon"]["f1"] == 0.0


def test_ceaf_empty_prediction():
    s = ceaf_ree(GOLD, {})
    assert counts(s["micro"]) == (0, 0, 0, 3)
    assert (s["micro"]["p"], s["micro"]["r"], s["micro"]["f1"]) == (0.0, 0.0, 0.0)


def test_ceaf_empty_gold():
    s = ceaf_ree({}, {"d1": {"Target": [["farm"]], "Weapon": [["bomb"]]}})
    assert counts(s["micro"]) == (0, 2, 0, 0)
    assert s["micro"]["f1"] == 0.0


def test_ceaf_partial():
    pred = {"d1": {"PerpInd": [["guerrillas"], ["army"]], "Victim": [["jesuits"], ["maids"]]}}
    s = ceaf_ree(GOLD, pred)
    assert counts(s["roles"]["PerpInd"]) == (1, 2, 1, 2)
    assert s["roles"]["Victim"]["p"] == 0.5 and s["roles"]["Victim"]["r"] == 1.0
    assert s["roles"]["Victim"]["f1"] == approx(2 / 3)
    assert counts(s["micro"]) == (2, 4, 2, 3)
    assert s["micro"]["f1"] == approx(4 / 7)  # P 1/2, R 2/3


def test_ceaf_wrong_role():
    s = ceaf_ree({"d1": {"PerpOrg": [[["fmln", 0]]]}}, {"d1": {"PerpInd": [["fmln"]]}})
    assert counts(s["roles"]["PerpInd"]) == (0, 1, 0, 0)
    assert counts(s["roles"]["PerpOrg"]) == (0, 0, 0, 1)
    assert s["micro"]["f1"] == 0.0


def test_ceaf_duplicates_of_one_gold_entity_count_once():
    gold = {"d1": {"Victim": [[["jesuits", 0], ["priests", 9]]]}}
    s = ceaf_ree(gold, {"d1": {"Victim": [["jesuits"], ["priests"], ["jesuits"]]}})
    assert counts(s["micro"]) == (1, 3, 1, 1)
    assert s["micro"]["f1"] == approx(0.5)  # P 1/3, R 1


def test_ceaf_multi_mention_entities_strict():
    gold = {"d1": {"Victim": [[["jesuits", 0], ["priests", 9]]]}}
    assert ceaf_ree(gold, {"d1": {"Victim": [["jesuits", "priests"]]}})["micro"]["matched"] == 1
    # phi_strict: every predicted mention must be in the gold entity
    assert ceaf_ree(gold, {"d1": {"Victim": [["jesuits", "maids"]]}})["micro"]["matched"] == 0


def test_ceaf_assignment_is_optimal_not_greedy():
    gold = {"d1": {"Target": [[["bank", 0], ["building", 5]], [["bank", 0]]]}}
    # a greedy pass could give 'bank' the first entity and leave 'building' unmatched
    s = ceaf_ree(gold, {"d1": {"Target": [["bank"], ["building"]]}})
    assert counts(s["micro"]) == (2, 2, 2, 2)


def test_ceaf_sums_over_documents():
    gold = {"d1": {"Weapon": [[["bomb", 0]]]}, "d2": {"Weapon": [[["rifle", 0]]]}}
    s = ceaf_ree(gold, {"d1": {"Weapon": [["bomb"]]}, "d3": {"Weapon": [["bomb"]]}})
    assert counts(s["roles"]["Weapon"]) == (1, 2, 1, 2)


# ---- GTT template metric ------------------------------------------------------------------------

def tpl(kind, **roles):
    return {"incident_type": kind, **{r: roles.get(r, []) for r in ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")}}


def test_gtt_type_substring_rule():
    gold = {"d": [tpl("attack / bombing", PerpInd=[[["guerrillas", 0]]], Target=[[["bank", 5]]])]}
    s = gtt_template_metric(gold, {"d": [tpl("bombing", PerpInd=[["guerrillas"]], Target=[["the bank"]])]})
    assert counts(s["micro"]) == (3, 3, 3, 3)
    assert s["slots"]["incident_type"]["f1"] == 1.0
    # a type that is not a substring of the gold type voids the pair, entities included
    assert counts(gtt_template_metric(gold, {"d": [tpl("attack", PerpInd=[["guerrillas"]])]})["micro"]) == (2, 2, 2, 3)
    s = gtt_template_metric(gold, {"d": [tpl("kidnapping", PerpInd=[["guerrillas"]])]})
    assert counts(s["micro"]) == (0, 2, 0, 3)
    s = gtt_template_metric({"d": [tpl("bombing", Target=[[["bank", 5]]])]},
                            {"d": [tpl("attack / bombing", Target=[["bank"]])]})
    assert counts(s["micro"]) == (0, 2, 0, 2)


def test_gtt_entity_check_is_not_one_to_one():
    gold = {"d": [tpl("attack", PerpInd=[[["guerrillas", 0], ["guerrilla column", 9]]])]}
    s = gtt_template_metric(gold, {"d": [tpl("attack", PerpInd=[["guerrillas"], ["guerrilla column"]])]})
    assert counts(s["slots"]["PerpInd"]) == (2, 2, 1, 1)
    assert counts(s["micro"]) == (3, 3, 2, 2)


def test_gtt_best_mapping_and_unmatched_templates():
    gold = {"d": [tpl("attack", PerpInd=[[["a", 0]]]),
                  tpl("bombing", PerpInd=[[["b", 0]]], Target=[[["c", 0]]])]}
    pred = {"d": [tpl("bombing", PerpInd=[["b"]], Target=[["c"]]),
                  tpl("attack", PerpInd=[["x"]]),
                  tpl("kidnapping", Victim=[["mayor"]])]}  # no gold template: P denominators only
    s = gtt_template_metric(gold, pred)
    assert counts(s["slots"]["incident_type"]) == (2, 3, 2, 2)
    assert counts(s["slots"]["PerpInd"]) == (1, 2, 1, 2)
    assert counts(s["slots"]["Target"]) == (1, 1, 1, 1)
    assert counts(s["slots"]["Victim"]) == (0, 1, 0, 0)
    assert counts(s["micro"]) == (4, 7, 4, 5)
    assert s["micro"]["f1"] == approx(2 * (4 / 7) * 0.8 / (4 / 7 + 0.8))
    assert s["approximated_docs"] == []


def test_gtt_gold_templates_deduplicated_and_empty_sides():
    t = tpl("arson", Target=[[["bus", 0]]])
    s = gtt_template_metric({"d": [t, dict(t)]}, {"d": [tpl("arson", Target=[["bus"]])]})
    assert counts(s["micro"]) == (2, 2, 2, 2)
    assert counts(gtt_template_metric({"d": [t]}, {})["micro"]) == (0, 0, 0, 2)
    assert counts(gtt_template_metric({}, {"d": [t]})["micro"]) == (0, 2, 0, 0)


def test_gtt_falls_back_to_assignment_past_the_cap():
    gold = {"d": [tpl("attack", PerpInd=[[["a", 0]]]), tpl("attack", PerpInd=[[["b", 0]]])]}
    pred = {"d": [tpl("attack", PerpInd=[["b"]]), tpl("attack", PerpInd=[["a"]])]}
    exact = gtt_template_metric(gold, pred)
    capped = gtt_template_metric(gold, pred, max_mappings=1)
    assert capped["approximated_docs"] == ["d"] and exact["approximated_docs"] == []
    assert counts(exact["micro"]) == counts(capped["micro"]) == (4, 4, 4, 4)


# ---- WikiEvents role groups ---------------------------------------------------------------------

GROUPS = ("perpetrator", "target", "victim", "place", "instrument")


def test_groups_perfect_and_empty():
    gold = {"doc": {"perpetrator": [["The Taliban", "militants"]], "place": [["Kabul"]]}}
    s = role_group_score(gold, {"doc": {"perpetrator": [["Taliban"]], "place": [["kabul"]]}}, GROUPS)
    assert counts(s["micro"]) == (2, 2, 2, 2) and s["micro"]["f1"] == 1.0
    assert counts(role_group_score(gold, {}, GROUPS)["micro"]) == (0, 0, 0, 2)
    assert counts(role_group_score({}, gold, GROUPS)["micro"]) == (0, 2, 0, 0)


def test_groups_head_word_match():
    gold = {"doc": {"victim": [["two Afghan soldiers", "they"]], "perpetrator": [["Taliban"]]}}
    pred = {"doc": {"victim": [["the soldiers"], ["soldier"]], "perpetrator": [["the Taliban's"]]}}
    s = role_group_score(gold, pred, GROUPS)
    assert counts(s["groups"]["victim"]) == (1, 2, 1, 1)  # 'soldier' is not 'soldiers': no stemming
    assert counts(s["groups"]["perpetrator"]) == (1, 1, 1, 1)


def test_groups_any_string_of_a_prediction_and_any_mention_of_a_cluster():
    gold = {"doc": {"perpetrator": [["Islamic State", "the group", "IS"]]}}
    s = role_group_score(gold, {"doc": {"perpetrator": [["Daesh", "ISLAMIC STATE"]]}}, GROUPS)
    assert s["micro"]["matched"] == 1


def test_groups_one_to_one_duplicates_wrong_group_and_core():
    gold = {"doc": {"victim": [["soldiers"]], "target": [["convoy"]], "place": [["Helmand"]]}}
    pred = {"doc": {"victim": [["soldiers"], ["the soldiers"]], "instrument": [["convoy"]],
                    "place": [["Helmand province"]]}}  # head 'province' is not 'helmand'
    s = role_group_score(gold, pred, GROUPS)
    assert counts(s["groups"]["victim"]) == (1, 2, 1, 1)
    assert counts(s["groups"]["target"]) == (0, 0, 0, 1)
    assert counts(s["groups"]["instrument"]) == (0, 1, 0, 0)
    assert counts(s["micro"]) == (1, 4, 1, 3)
    assert s["micro"]["f1"] == approx(2 / 7)  # P 1/4, R 1/3
    assert counts(s["core"]) == (1, 3, 1, 2)  # victim + place
    assert s["core"]["f1"] == approx(0.4)  # P 1/3, R 1/2
