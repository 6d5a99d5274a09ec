"""Role fillers placed in the attacks of a document (analyze.fillers), through the whole analysis.

A stand-in tagger returns fixed spans so that placement is tested apart from what the trained
model happens to find; tests/test_roles_model.py tests the model itself."""
from __future__ import annotations

from tessera.analyze import analyze_text
from tessera.analyze.roles import RoleSpan

TEXT = ("Two gunmen attacked a police station in Huanta on Monday, killing three guards.\n\n"
        "The attackers used automatic rifles and a car bomb, police said.\n\n"
        "The weather was mild. The harvest was good. Prices rose. Markets opened late. Schools reopened.\n\n"
        "Rebels blew up an electricity pylon with dynamite in a remote valley.")


class FixedTagger:
    """Tags the given phrases wherever they occur, with a fixed role."""

    def __init__(self, phrases: dict[str, str]) -> None:
        self.phrases = phrases

    def tag(self, text: str) -> list[RoleSpan]:
        out = []
        for phrase, role in self.phrases.items():
            i = text.lower().find(phrase.lower())  # the analysis hands it the re-cased text
            if i >= 0:
                out.append(RoleSpan(i, i + len(phrase), role, 0.9))
        return sorted(out, key=lambda s: s.start)


def _roles(event) -> dict[str, list[str]]:
    return {f: [x.value for x in getattr(event, f)] for f in ("attackers", "targets", "victims", "weapons")}


def test_fillers_join_the_attack_of_their_sentence_and_the_next_ones():
    tagger = FixedTagger({"Two gunmen": "PerpInd", "a police station": "Target", "three guards": "Victim",
                          "automatic rifles": "Weapon", "a car bomb": "Weapon"})
    a = analyze_text(TEXT, published="2021-03-10", tagger=tagger)
    attack = next(e for e in a.events if e.type == "attack" and any("Huanta" in ev.quote for ev in e.evidence))
    roles = _roles(attack)
    assert roles["attackers"] == ["Two gunmen"] and roles["targets"] == ["a police station"]
    assert roles["victims"] == ["three guards"]
    assert roles["weapons"] == ["automatic rifles", "a car bomb"]  # the sentence after the attack
    for f in attack.weapons:
        (ev,) = f.evidence
        assert f.value in ev.quote and TEXT[ev.start:ev.end] == ev.quote and ev.extractor == "model.roles.v1"
    assert "model.roles.v1" in a.extractors


def test_fillers_far_from_every_attack_open_one_with_their_own_evidence():
    # wire copy in capitals, the kind of text the tagger learned from
    tagger = FixedTagger({"Two gunmen": "PerpInd", "an electricity pylon": "Target", "dynamite": "Weapon"})
    a = analyze_text(TEXT.upper(), published="2021-03-10", tagger=tagger)
    pylon = [e for e in a.events if any(f.value == "AN ELECTRICITY PYLON" for f in e.targets)]
    assert len(pylon) == 1
    (event,) = pylon
    assert [f.value for f in event.weapons] == ["DYNAMITE"] and not event.attackers
    assert all("PYLON" in ev.quote for ev in event.evidence)


def test_in_text_as_written_targets_join_only_the_attack_of_their_sentence_and_victims_come_from_the_rules():
    tagger = FixedTagger({"an electricity pylon": "Target", "dynamite": "Weapon", "a police station": "Target",
                          "Huanta": "Victim", "three guards": "Victim"})
    a = analyze_text(TEXT, published="2021-03-10", tagger=tagger)
    assert not [e for e in a.events if any(f.value == "an electricity pylon" for f in e.targets)]
    (attack,) = [e for e in a.events if e.type == "attack" and any("Huanta" in ev.quote for ev in e.evidence)]
    assert [f.value for f in attack.targets] == ["a police station"]
    assert [f.value for f in attack.victims] == ["three guards"]  # the rules' count, not the tagger's "Huanta"
    assert all(f.evidence[0].extractor != "model.roles.v1" for f in attack.victims)


def test_a_named_perpetrator_organization_becomes_a_perpetrator_in_wire_copy():
    text = "GUERRILLAS OF THE SENDERO LUMINOSO ATTACKED A BUS NEAR AYACUCHO ON SUNDAY, POLICE SAID."
    a = analyze_text(text, published="1989-11-14", tagger=FixedTagger({"Sendero Luminoso": "PerpOrg"}))
    (attack,) = [e for e in a.events if e.type == "attack"]
    names = {e.id: e.name for e in a.entities}
    assert [names[p].lower() for p in attack.perpetrators] == ["sendero luminoso"]
    # who did it is the rules' description of the verb's subject, not the tagger's organization again
    assert [f.value for f in attack.attackers] == ["Guerrillas of the Sendero Luminoso"]
    assert all(f.evidence[0].extractor == "rules.events.v1" for f in attack.attackers)
    # in text as written the rules say who is responsible; the tagger's organizations are not taken
    a = analyze_text("A bomb exploded at the Rolando Cafe in Madrid on Friday, police said.", published="1974-09-14",
                     tagger=FixedTagger({"Rolando Cafe": "PerpOrg"}))
    (attack,) = [e for e in a.events if e.type == "attack"]
    assert attack.perpetrators == ()


def test_a_perpetrator_organization_the_name_finder_missed_is_named_by_the_span():
    text = "the people's revolutionary army attacked a bus near ayacucho on sunday, police said."
    a = analyze_text(text, published="1989-11-14", tagger=FixedTagger({"people's revolutionary army": "PerpOrg"}))
    (attack,) = [e for e in a.events if e.type == "attack"]
    ents = {e.id: e for e in a.entities}
    (perp,) = [p for p in attack.perpetrators if ents[p].name != "Army"]  # the name finder's clipped "Army" stays
    assert ents[perp].type == "organization" and ents[perp].name.lower() == "people's revolutionary army"
    (m,) = ents[perp].mentions
    assert text[m.start:m.end] == m.text == "people's revolutionary army"


def test_a_perpetrator_span_over_a_place_names_no_perpetrator():
    text = "Two guerrillas attacked a bus near Ayacucho on Sunday, police said."
    a = analyze_text(text, published="1989-11-14", tagger=FixedTagger({"Ayacucho": "PerpOrg", "Two guerrillas": "PerpInd"}))
    (attack,) = [e for e in a.events if e.type == "attack"]
    names = {e.id: e.name for e in a.entities}
    assert attack.perpetrators == () and [names[x] for x in attack.locations] == ["Ayacucho"]
    assert [f.value for f in attack.attackers] == ["Two guerrillas"]
    # nor is a place the target: it is where the attack happened
    a = analyze_text(text, published="1989-11-14", tagger=FixedTagger({"Ayacucho": "Target", "a bus": "Target"}))
    (attack,) = [e for e in a.events if e.type == "attack"]
    assert [f.value for f in attack.targets] == ["a bus"]


def test_in_text_as_written_a_perpetrator_span_naming_no_organization_names_none():
    text = "A bomb exploded outside a bakery in Lyon on Friday evening, police said."
    a = analyze_text(text, published="2019-05-25", tagger=FixedTagger({"Friday evening": "PerpOrg"}))
    (attack,) = [e for e in a.events if e.type == "attack"]
    assert attack.perpetrators == () and [e.type for e in a.entities] == ["location"]
    # the same words in all-lowercase text, where the name finder is not trusted, name a new group
    low = analyze_text(text.lower(), published="2019-05-25", tagger=FixedTagger({"friday evening": "PerpOrg"}))
    (attack,) = [e for e in low.events if e.type == "attack"]
    assert [e.name.lower() for e in low.entities if e.id in attack.perpetrators] == ["friday evening"]


def test_without_a_tagger_the_rules_alone_run():
    a = analyze_text(TEXT, published="2021-03-10", tagger=False)
    assert "model.roles.v1" not in a.extractors
    assert all(not e.weapons for e in a.events)  # weapons are the tagger's alone
    # who attacked, the rules' description of the subject of the verb that tells each attack
    assert [[f.value for f in e.attackers] for e in a.events if e.type == "attack"] == [["Two gunmen"]]
    assert all(f.evidence[0].extractor == "rules.events.v1" for e in a.events for f in e.attackers)


def test_counted_casualties_describe_the_victims_even_without_the_tagger():
    text = "Two gunmen attacked a police station in Huanta on Monday, killing five prison guards and wounding 11 people."
    a = analyze_text(text, published="2021-03-10", tagger=False)
    (attack,) = [e for e in a.events if e.type == "attack"]
    assert [f.value for f in attack.victims] == ["five prison guards", "11 people"]
    assert all(f.evidence[0].quote == text for f in attack.victims)


def test_a_target_cut_inside_a_name_takes_the_whole_name():
    text = "TERRORISTS BOMBED AN AVIANCA AIRLINES PLANE NEAR BOGOTA ON 27 NOVEMBER, KILLING 107 PASSENGERS."
    a = analyze_text(text, published="1989-11-28", tagger=FixedTagger({"AIRLINES PLANE": "Target"}))
    (attack,) = [e for e in a.events if e.type == "attack"]
    (target,) = attack.targets
    assert target.value.upper() == "AVIANCA AIRLINES PLANE"
    names = {e.id: e.name for e in a.entities}
    assert "avianca" in names.get(target.entity, "").lower()


def test_a_target_owned_by_an_organization_names_it():
    """"the offices of the X", "the X warehouse": X's property was attacked, and X is named as the target."""
    text = ("Gunmen bombed the offices of the Intelligence Directorate and the Red Cross warehouse in Jalalabad "
            "on Monday.")
    tagger = FixedTagger({"the offices of the Intelligence Directorate": "Target", "the Red Cross warehouse": "Target"})
    a = analyze_text(text, published="2021-03-10", tagger=tagger)
    names = {e.id: e.name for e in a.entities}
    owners = {t.value: names.get(t.entity) for e in a.events for t in e.targets}
    assert owners == {"the offices of the Intelligence Directorate": "Intelligence Directorate",
                      "the Red Cross warehouse": "Red Cross"}


def test_a_perpetrator_span_over_a_nationality_names_no_group():
    text = ("THE GUATEMALAN GUERRILLAS EXPRESSED THEIR SORROW OVER THE KILLING OF SIX PRIESTS, CARRIED OUT BY "
            "UNIFORMED MEN IN SAN SALVADOR ON 16 NOVEMBER.")
    a = analyze_text(text, published="1989-11-28", tagger=FixedTagger({"GUATEMALAN": "PerpOrg"}))
    (attack,) = [e for e in a.events if e.type == "attack"]
    assert attack.perpetrators == ()
    assert not any(e.name.lower() == "guatemalan" for e in a.entities)


def test_a_victim_span_naming_whose_troops_they_were_is_no_victim():
    """The tagger reads "X'S" in "the shooting by X's troops" as who suffered: X owned the troops. A
    possessive before any other word ("X'S BODY") is left as the tagger read it."""
    text = ("THREE REPORTERS WERE KILLED IN THE SHOOTING BY MANUEL OSPINA VARGAS'S TROOPS IN TIERRA BLANCA. "
            "ANDRES SOLIS VARGAS'S BODY WAS FOUND NEAR THE ROAD.")
    tagger = FixedTagger({"MANUEL OSPINA VARGAS'S": "Victim", "ANDRES SOLIS VARGAS'S": "Victim"})
    a = analyze_text(text, published="1989-03-18", tagger=tagger)
    victims = {v.value for e in a.events if e.type == "attack" for v in e.victims}
    assert "ANDRES SOLIS VARGAS'S" in victims and not any("OSPINA" in v for v in victims)


def test_a_victim_span_naming_who_ordered_the_killing_is_an_attacker():
    """The tagger reads the man on whose instructions a candidate was killed as one who suffered: he is one
    of those who did it (MUC-4 codes him a perpetrator)."""
    text = ("THE CARTEL CARRIED OUT THE ASSASSINATION OF CANDIDATE RAUL OSPINA IN BOGOTA YESTERDAY UPON "
            "INSTRUCTIONS FROM JAVIER MEJIA GAVIRIA, THE MINISTER SAID.")
    tagger = FixedTagger({"RAUL OSPINA": "Victim", "JAVIER MEJIA GAVIRIA": "Victim"})
    a = analyze_text(text, published="1990-03-23", tagger=tagger)
    victims = {v.value for e in a.events if e.type == "attack" for v in e.victims}
    assert any("OSPINA" in v for v in victims) and not any("MEJIA" in v for v in victims)
    attackers = {x.value for e in a.events if e.type == "attack" for x in e.attackers}
    assert any("MEJIA" in x for x in attackers)
