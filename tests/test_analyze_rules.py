"""Extraction rules on short texts written for these tests (real model, no store)."""
from __future__ import annotations

import pytest

from tessera.analyze import analyze_text


def _names(a):
    return {e.id: e.name for e in a.entities}


def _relations(a):
    n = _names(a)
    return {(n[r.subject], r.predicate, n[r.object] if r.object else r.value) for r in a.relations}


def _attacks(text):
    """The attacks the rules (no tagger) find in ``text``."""
    return [e for e in analyze_text(text, tagger=False).events if e.type == "attack"]


def _entity(a, name):
    for e in a.entities:
        if name in e.names:
            return e
    raise AssertionError(f"{name!r} not among {[e.names for e in a.entities]}")


@pytest.fixture(scope="module")
def profile_text():
    text = (
        "Guerrillas Strike Again\n\n"
        "The Northern Shield Front (NSF) was founded in 2003 by Haroun Belkacem and Omar Zitouni in the mountains of Kabylie. "
        "The NSF is based in the Tizi Ouzou province. "
        "An NSF spokesman named Karim Haddad said the group would fight on. "
        "The NSF's former leader, Haroun Belkacem, was killed in 2012. "
        "He was replaced by Nadir Mansouri. "
        "The group is listed as a terrorist organization by the United States.\n"
    )
    return text, analyze_text(text)


def test_acronym_defined_in_text_is_the_same_entity(profile_text):
    _, a = profile_text
    nsf = _entity(a, "Northern Shield Front")
    assert "NSF" in nsf.names
    assert len(nsf.mentions) >= 4


def test_relations_from_general_patterns(profile_text):
    _, a = profile_text
    rels = _relations(a)
    assert ("Northern Shield Front", "founded_by", "Haroun Belkacem") in rels
    assert ("Northern Shield Front", "founded_by", "Omar Zitouni") in rels
    assert ("Northern Shield Front", "founded_on", "2003") in rels
    assert ("Karim Haddad", "spokesperson_of", "Northern Shield Front") in rels
    assert ("Northern Shield Front", "led_by", "Haroun Belkacem") in rels
    assert ("Nadir Mansouri", "succeeded", "Haroun Belkacem") in rels
    assert ("Northern Shield Front", "led_by", "Nadir Mansouri") in rels
    assert ("Northern Shield Front", "designated_terrorist_by", "United States") in rels


def test_former_leader_is_marked_ended(profile_text):
    _, a = profile_text
    n = _names(a)
    former = [r for r in a.relations if r.predicate == "led_by" and n[r.object] == "Haroun Belkacem"]
    assert former and former[0].ended


def test_every_quote_is_the_text_at_its_span(profile_text):
    text, a = profile_text
    quotes = [r.evidence for r in a.relations] + [e for ev in a.events for e in ev.evidence]
    assert quotes
    for e in quotes:
        assert text[e.start:e.end] == e.quote


def test_event_with_relative_date_casualties_and_claim():
    text = (
        "Published: 21 February 2022\n\n"
        "Twelve people were killed and 31 wounded on Saturday when a suicide bomber struck a market in Gao, officials said. "
        "The Sahara Vanguard claimed responsibility for the bombing.\n"
    )
    a = analyze_text(text)
    n = _names(a)
    attacks = [e for e in a.events if e.type == "attack"]
    assert len(attacks) == 1
    ev = attacks[0]
    assert ev.date == "2022-02-19"
    assert ev.subtype == "suicide bombing"
    assert [q.value for q in ev.killed] == [12]
    assert [q.value for q in ev.wounded] == [31]
    assert "Gao" in {n[x] for x in ev.locations}
    assert "Sahara Vanguard" in {n[x] for x in ev.claimed_by}
    assert ev.evidence[0].attributed_to and "officials" in ev.evidence[0].attributed_to.lower()


def test_yearless_date_stays_yearless_without_a_document_date():
    a = analyze_text("On Sept. 14, gunmen ambushed a patrol near Ouallam, killing six soldiers.\n")
    ev = [e for e in a.events if e.type == "attack"][0]
    assert ev.date == "--09-14"
    assert [q.value for q in ev.killed] == [6]


def test_relative_date_does_not_resolve_without_a_document_date():
    a = analyze_text("On Sunday, gunmen attacked a checkpoint in Gao, killing four soldiers.\n")
    ev = [e for e in a.events if e.type == "attack"][0]
    assert ev.date is None


def test_hedge_and_attribution_are_kept():
    text = ("The Sahara Vanguard is believed to be based in Kidal, according to the army. "
            "A police commander told AFP that the Sahara Vanguard fought alongside the Desert Lions.\n")
    a = analyze_text(text)
    by_pred = {r.predicate: r.evidence for r in a.relations}
    assert by_pred["based_in"].hedge and "believed" in by_pred["based_in"].hedge
    assert by_pred["based_in"].attributed_to == "the army"
    assert by_pred["allied_with"].attributed_to.startswith("A police commander")


def test_page_furniture_and_comments_are_not_mined():
    text = ("Militants Attack Convoy\n\nGunmen attacked a convoy near Gao on Monday, killing three soldiers.\n\n"
            "Leave a Reply\n\nCOMMENTS\n\nAli says:\nThe Desert Lions are allied with the Sahara Vanguard.\n")
    a = analyze_text(text, published="2021-03-03")
    assert not [r for r in a.relations if r.predicate == "allied_with"]
    cut = text.index("Leave a Reply")
    for ev in a.events:
        assert all(e.end <= cut for e in ev.evidence)


def test_numbers_in_words_and_perpetrators_not_counted_as_victims():
    a = analyze_text("Thirty-nine people were killed in the raid on the airport in Mopti. "
                     "Ten gunmen were killed in the assault.\n")
    ev = [e for e in a.events if e.type == "attack"][0]
    assert [q.value for q in ev.killed] == [39]


def test_names_given_by_the_text_are_aliases():
    a = analyze_text("He was succeeded by his deputy, Ibrahim Warsame Haji, better known by his kunya Abu Khalid, "
                     "who ran the finances. Harakat al-Sabr, generally shortened to al-Sabr, denied it. "
                     "The group is led by Wilmer Arbeláez Cuero, alias \"Pescado\", a former commander.\n")
    assert {"Ibrahim Warsame Haji", "Abu Khalid"} <= set(_entity(a, "Abu Khalid").names)
    assert _entity(a, "al-Sabr").type == "organization"
    assert "Harakat al-Sabr" in _entity(a, "al-Sabr").names
    assert _entity(a, "Pescado").type == "person"


def test_a_person_named_in_full_keeps_first_and_last_names():
    a = analyze_text("The FRL was founded in 1986 by Aurelio Cañón Restrepo. In 2008 Cañón was succeeded "
                     "by his deputy, Héctor Julián Ospina Vélez, who moved the group north.\n")
    assert "Cañón" in _entity(a, "Aurelio Cañón Restrepo").names
    assert "Héctor Julián Ospina Vélez" in {e.name for e in a.entities}
    assert ("Héctor Julián Ospina Vélez", "succeeded", "Aurelio Cañón Restrepo") in _relations(a)


def test_hard_wrapped_text_keeps_its_sentences_and_an_unknown_name_acting_as_a_group_is_one():
    text = ("Gunmen attack army post\n\n"
            "NIAMEY, 3 March 2022 - Gunmen from the Sahel Vanguard attacked an\n"
            "army post near Ouallam on Tuesday, killing five soldiers and\n"
            "wounding three others, the defence ministry said in a statement. The\n"
            "Sahel Vanguard, which is based in the Tillaberi region, claimed\n"
            "responsibility for the attack on Wednesday. The group was founded in\n"
            "2015 by Amadou Kone and Ibrahim Diallo and is led by Moussa Traore.\n")
    a = analyze_text(text)
    assert _entity(a, "Sahel Vanguard").type == "organization"
    rels = _relations(a)
    assert ("Sahel Vanguard", "founded_by", "Ibrahim Diallo") in rels
    assert ("Sahel Vanguard", "led_by", "Moussa Traore") in rels
    ev = [e for e in a.events if e.type == "attack"][0]
    assert ev.date == "2022-03-01"  # "Tuesday" before the dateline's 3 March 2022
    assert [q.value for q in ev.killed] == [5] and [q.value for q in ev.wounded] == [3]


def test_french_group_names_particles_and_state_bodies():
    text = ("The Front pour le Salut du Gourma, known by its French initials FSG, was founded in 2017 by "
            "Amadou Ag Sidimou, a Tuareg fighter. The US State Department listed the FSG as a terrorist "
            "organization in 2019. Hamid Ould Cheikhna has taken over from Amadou Ag Sidimou. "
            "Humat al-Sahel, a smaller jihadist group based in Burkina Faso, is allied with the FSG.\n")
    a = analyze_text(text)
    fsg = _entity(a, "FSG")
    assert fsg.type == "organization" and "Front pour le Salut du Gourma" in fsg.names
    assert _entity(a, "Amadou Ag Sidimou").type == "person"
    assert _entity(a, "Humat al-Sahel").type == "organization"
    rels = _relations(a)
    assert ("Front pour le Salut du Gourma", "founded_by", "Amadou Ag Sidimou") in rels
    assert ("Hamid Ould Cheikhna", "succeeded", "Amadou Ag Sidimou") in rels
    assert any(p == "designated_terrorist_by" and o in ("US", "United States") for _, p, o in rels)


def test_two_events_in_one_sentence_stay_apart():
    a = analyze_text("Published: 9 September 2021\n\nThe group claimed the June bombing of a Mogadishu hotel that "
                     "killed nine people, as well as January's attack on a bus near Garissa.\n")
    n = _names(a)
    attacks = [e for e in a.events if e.type == "attack"]
    assert len(attacks) == 2
    by_date = {e.date: e for e in attacks}
    assert {n[x] for x in by_date["2021-06"].locations} == {"Mogadishu"}
    assert [q.value for q in by_date["2021-06"].killed] == [9]
    assert {n[x] for x in by_date["2021-01"].locations} == {"Garissa"}
    assert not by_date["2021-01"].killed


def test_state_forces_are_groups_and_dateline_cities_places():
    a = analyze_text("BAMAKO - The Malian army said Nigerian security forces attacked a camp near Ansongo.\n")
    types = {e.name: e.type for e in a.entities}
    assert types.get("Malian army") == "organization"
    assert types.get("Nigerian security forces") == "organization"
    assert types.get("BAMAKO") == "location"


def test_a_name_in_quotes_is_the_name_and_its_group_the_attackers():
    text = ('France has been on high alert since the "Islamic State" militant group launched a series of '
            'attacks across Paris, killing 130 people.')
    a = analyze_text(text, published="2019-05-25", tagger=False)
    names = _names(a)
    (group,) = [e for e in a.entities if e.type == "organization"]
    assert group.name == "Islamic State" and [text[m.start:m.end] for m in group.mentions] == ["Islamic State"]
    (attack,) = [e for e in a.events if e.type == "attack"]
    assert [names[p] for p in attack.perpetrators] == ["Islamic State"]


@pytest.mark.parametrize("text", [
    "NIAMEY, Dec 2 (Reuters) - A French airstrike killed six militants in Menaka, Mali, last month, officials said.",
    "SAN SALVADOR, 12 NOV 89 (RADIO VENCEREMOS) -- GUERRILLAS ATTACKED A POLICE POST IN USULUTAN TODAY.",
    "NIAMEY: Amadou Tinibe was killed in an airstrike last month near Menaka in eastern Mali, the army said.",
])
def test_a_dateline_city_is_where_the_report_was_filed_not_where_the_attack_happened(text):
    a = analyze_text(text, tagger=False)
    names = _names(a)
    (attack,) = [e for e in a.events if e.type == "attack"]
    places = {names[x].lower() for x in attack.locations}
    assert places and not places & {"niamey", "san salvador"}
    assert any(e.type == "location" and e.name.lower() in ("niamey", "san salvador") for e in a.entities)

    (filed,) = attack.reported_from  # where the report was filed is kept, as such, with the dateline as evidence
    assert filed.value.lower() in ("niamey", "san salvador") and names[filed.entity].lower() == filed.value.lower()
    (ev,) = filed.evidence
    assert text[ev.start:ev.end] == ev.quote and ev.quote.lower().startswith(filed.value.lower())


@pytest.mark.parametrize("text, place", [
    ("LIMA, 3 APR 90 (EFE) -- [TEXT] TERRORISTS DYNAMITED A BANK IN THIS CAPITAL LAST NIGHT.", "LIMA"),
    ("BOGOTA, 23 AUG 89 (EFE) -- UNIDENTIFIED GUNMEN KILLED A JUDGE HERE THIS MORNING.", "BOGOTA"),
    ("SAN SALVADOR, 12 NOV 89 (DPA) -- URBAN COMMANDOS ATTACKED A POLICE POST IN THE CAPITAL YESTERDAY.",
     "SAN SALVADOR"),
])
def test_here_and_this_capital_are_the_place_the_report_was_filed_from(text, place):
    a = analyze_text(text, tagger=False)
    names = _names(a)
    (attack,) = [e for e in a.events if e.type == "attack"]
    assert [names[x].upper() for x in attack.locations] == [place]


@pytest.mark.parametrize("text", [
    "MEDELLIN, 3 APR 90 (EFE) -- TERRORISTS DYNAMITED A BANK IN THE CAPITAL LAST NIGHT.",  # not Colombia's capital
    "LIMA, 3 APR 90 (EFE) -- THE MINISTER SAID HERE THAT TERRORISTS DYNAMITED A BANK IN HUANCAYO LAST NIGHT.",
    "Gunmen attacked a police post here on Sunday, officials said.",  # no dateline: "here" is nowhere known
])
def test_here_and_the_capital_say_nothing_without_a_dateline_that_they_name(text):
    a = analyze_text(text, published="1990-04-03", tagger=False)
    names = _names(a)
    (attack,) = [e for e in a.events if e.type == "attack"]
    assert not {names[x].upper() for x in attack.locations} & {"MEDELLIN", "LIMA"}


WIRE = (
    "   QUITO, 14 MAR 91 (EFE) -- [TEXT] HEAVY FIGHTING RAGED LAST NIGHT IN\n"
    "SOUTHERN GUAYAQUIL WHEN MEMBERS OF THE RED DAWN COMMAND [CAR] ATTACKED A\n"
    "POLICE STATION.  TWO POLICEMEN WERE WOUNDED.\n"
    "\n"
    "   EARLIER, AT 1800, UNIDENTIFIED MEN MACHINEGUNNED A TRUCK ON THE ROAD TO\n"
    "DAULE.  ACCORDING TO THE OFFICIAL REPORT, THE DRIVER WAS UNHURT.  THE TRUCK\n"
    "WAS ATTACKED ON THE COASTAL HIGHWAY NEAR MACHALA.\n"
    "\n"
    "   LIKEWISE, A GROUP OF REBELS ATTACKED THE SANTA ROSA CIVIL DEFENSE POST IN\n"
    "EL ORO PROVINCE.\n"
)


def test_wire_copy_sentences_are_not_cut_at_a_bracketed_insertion():
    """In hard-wrapped capitals a sentence does not start after a word that ends none ("[CAR]
    ATTACKED"): the attack keeps the night and the place of its sentence."""
    a = analyze_text(WIRE, tagger=False)
    names = _names(a)
    first = next(e for e in a.events if e.type == "attack" and "POLICE STATION" in e.evidence[0].quote)
    assert first.date == "1991-03-13"  # last night, before the dateline's 14 MAR 91
    assert "Guayaquil" in {names[x] for x in first.locations}
    assert first.evidence[0].quote.startswith("[TEXT] HEAVY FIGHTING")  # not the dateline


def test_an_attack_told_again_joins_and_the_reports_day_runs_on():
    """"The truck was attacked near X" tells the machinegunning of the sentences before again; an attack
    told after them with no date of its own ("Likewise, rebels attacked ...") is dated like them."""
    a = analyze_text(WIRE, tagger=False)
    names = _names(a)
    attacks = [e for e in a.events if e.type == "attack"]
    truck = [e for e in attacks if any("TRUCK" in ev.quote for ev in e.evidence)]
    assert len(truck) == 1 and "Machala" in {names[x] for x in truck[0].locations}
    post = next(e for e in attacks if "SANTA ROSA" in e.evidence[0].quote)
    assert post.date == "1991-03-13"


def test_a_country_naming_whose_target_it_was_is_not_where_it_happened():
    a = analyze_text("SANTIAGO, 29 DEC 89 (EFE) -- TERRORISTS STAGED A BOMB ATTACK AGAINST U.S. PROPERTIES "
                     "IN VALPARAISO TODAY.", tagger=False)
    names = _names(a)
    (attack,) = [e for e in a.events if e.type == "attack"]
    assert {names[x] for x in attack.locations} == {"Valparaiso"}


def test_a_detail_without_date_or_place_is_part_of_the_attack_it_follows():
    """"The attackers used a roadside bomb to disable the first truck" tells how the ambush went, not a
    second attack; "they were attacked" with a place of its own is dated by the report's narrative."""
    text = ("Twelve soldiers were killed on Sunday in an ambush near Tessit in eastern Mali, the army said. "
            "The soldiers were escorting a convoy through the Gao region when they were attacked by gunmen. "
            "Fighters of the Sahel Vanguard used a roadside bomb to disable the first truck. "
            "The army sent reinforcements.")
    a = analyze_text(text, published="2022-08-10", tagger=False)
    attacks = [e for e in a.events if e.type == "attack"]
    assert all(e.date == "2022-08-07" for e in attacks)
    assert not any(e.subtype == "mine/IED" for e in attacks)
    assert any("roadside bomb" in ev.quote for e in attacks for ev in e.evidence)


def test_the_assassinated_x_is_a_killing_of_x():
    a = analyze_text("Antonio Navarro, the candidate who replaced the assassinated Carlos Pizarro, spoke in Cali.",
                     published="1990-05-19", tagger=False)
    names = _names(a)
    attacks = [e for e in a.events if e.type == "attack"]
    assert [[names[v.entity] for v in e.victims] for e in attacks] == [["Carlos Pizarro"]]
    assert attacks[0].date is None  # the report says nothing of when


def test_a_dateline_place_word_that_names_no_place_is_no_entity():
    text = ("CLANDESTINE, NO DATE (RADIO VENCEREMOS) -- [INTERVIEW WITH FMLN\n"
            "COMMANDER SANCHO BY UNIDENTIFIED REPORTER] [TEXT] THE FMLN ATTACKED THE GARRISON IN SAN MIGUEL.\n")
    a = analyze_text(text, tagger=False)
    assert not [e for e in a.entities if e.name.lower() == "clandestine"]
    assert any(e.type == "organization" and e.name == "FMLN" for e in a.entities)


@pytest.mark.parametrize("text, victim", [
    ("LIMA, 9 MAY 90 (AFP) -- [TEXT] UNIDENTIFIED MEN MACHINEGUNNED FORMER SENATOR RAMIRO ESTRADA THIS MORNING IN "
     "LIMA, A WELL-KNOWN LEADER OF THE CONSERVATIVE PARTY.\n", "Ramiro Estrada"),
    ("Gunmen shot and wounded Senator Maria Quintanilla in Cali on 3 May 2021.", "Maria Quintanilla"),
    ("The kidnapping of Julio Ortega Salas took place in Cuzco on 3 May 2021.", "Julio Ortega Salas"),
])
def test_whom_an_attack_acts_on_is_its_victim_killed_or_not(text, victim):
    a = analyze_text(text, tagger=False)
    names = _names(a)
    attacks = [e for e in a.events if e.type == "attack"]
    assert [[names[v.entity] for v in e.victims if v.entity] for e in attacks] == [[victim]]
    assert all(v.evidence for e in attacks for v in e.victims)


@pytest.mark.parametrize("text", [
    "Police searched for Hector Ramos Delgado, a former adviser to the president. The kidnapping of Ramos Delgado "
    "was carried out by the MRTA. Ramos was taken to an unknown place.",
    "POLICE SEARCHED FOR HECTOR RAMOS DELGADO, A FORMER ADVISER TO THE PRESIDENT. THE KIDNAPPING OF RAMOS DELGADO\n"
    "WAS CARRIED OUT BY THE MRTA. RAMOS WAS TAKEN TO AN UNKNOWN PLACE.\n",
])
def test_the_last_words_of_a_full_name_are_that_person(text):
    a = analyze_text(text, tagger=False)
    people = [e for e in a.entities if e.type == "person"]
    assert [e.name for e in people] == ["Hector Ramos Delgado"]
    assert {"Ramos Delgado", "Ramos"} <= set(people[0].names)
    attacks = [e for e in a.events if e.type == "attack"]
    assert [[v.entity for v in e.victims] for e in attacks] == [[people[0].id]]  # the kidnapping's victim


def test_a_name_the_model_cuts_in_two_is_one_person():
    from spacy.tokens import Span

    from tessera.analyze.nlp import load_pipeline
    from tessera.analyze.spans import _extend_persons

    doc = load_pipeline()("The murder of Jorge Adolfo Vargas Gonzalez was condemned by the government.")
    first = [t.i for t in doc if t.text == "Jorge"][0]
    cut = [Span(doc, first, first + 2, label="PERSON"), Span(doc, first + 2, first + 4, label="PERSON")]
    assert [(e.text, e.label_) for e in _extend_persons(doc, cut)] == [("Jorge Adolfo Vargas Gonzalez", "PERSON")]


def test_the_attack_against_a_place_an_attack_was_told_at_is_that_attack():
    text = ("   SAN SALVADOR, 22 JUL 89 (RADIO CADENA YSKL) -- [TEXT] THE NATIONAL POLICE REPORTED THIS MORNING\n"
            "THAT UNIDENTIFIED MEN SET OFF BOMBS AT THE NATIONAL TEACHERS COLLEGE, ENAM, LOCATED IN SOUTHERN\n"
            "SAN SALVADOR.\n\n"
            "   ONE OFFICE AND ONE BUS WERE DAMAGED BY THE EXPLOSIONS.\n\n"
            "   THE ARMED FORCES HAVE ALWAYS CONDEMNED THIS KIND OF ACTION.  THE ARMED FORCES SUPPORT THE\n"
            "DIALOGUE AND RESPECT PRIVATE PROPERTY.\n\n"
            "   THEREFORE THE ARMED FORCES REJECT ANY ACCUSATION IMPLICATING THEM IN THE ATTACK AGAINST ENAM,\n"
            "WHICH TOOK PLACE EARLY THIS MORNING.\n")
    a = analyze_text(text, tagger=False)
    attacks = [e for e in a.events if e.type == "attack"]
    assert len(attacks) == 1, [(e.date, e.locations) for e in attacks]
    assert attacks[0].date == "1989-07-22"


@pytest.mark.parametrize("lead, date", [
    ("THERE HAS BEEN ANOTHER ATTACK IN CARTAGENA, THE SECOND IN TWO DAYS.", "1989-08-31"),
    ("FOUR MEN TRAVELLING IN A STOLEN CAR HAVE SET FIRE TO TWO BUSES IN CARTAGENA.", "1989-08-31"),
    ("FOUR MEN TRAVELLING IN A STOLEN CAR HAD SET FIRE TO TWO BUSES IN CARTAGENA.", None),
    # said today of an attack told before: a reaction in the present perfect dates nothing
    ("THE INTERIOR MINISTER HAS BLAMED THE MURDER OF TWO MISSIONARIES IN CARTAGENA ON DRUG TRAFFICKERS.", None),
])
def test_news_a_report_opens_with_told_as_just_done_is_the_reports_day(lead, date):
    text = f"   BOGOTA, 31 AUG 89 (EFE) -- [TEXT] {lead}  THE POLICE ARE INVESTIGATING.\n"
    attacks = _attacks(text)
    assert [e.date for e in attacks] == [date]


@pytest.mark.parametrize("text, kinds", [
    ("Police in Lima seized assault rifles on 3 May 2021.", []),
    ("The army sent attack helicopters to Choluteca on 3 May 2021.", []),
    ("A car bomb attack killed five people in Kabul on 3 May 2021.", ["bombing"]),
])
def test_a_word_for_an_attack_that_only_qualifies_another_noun_tells_none(text, kinds):
    assert [e.subtype for e in _attacks(text)] == kinds


@pytest.mark.parametrize("said, date", [
    ('"IT HAPPENED ON 5 JULY AT 1010 HOURS LOCAL TIME," A MINISTRY OFFICIAL SAID.', "1989-07-05"),
    ("THE INCIDENT TOOK PLACE ON 5 JULY NEAR THE HARBOR.", "1989-07-05"),
    # a relative clause tells of other events; a day after the report's is none of this one
    ("THE EVENTS THAT TOOK PLACE ON 5 JULY IN LIMA WERE CONDEMNED.", None),
    ("IT WILL HAPPEN AGAIN ON 12 JULY, THE GROUP WARNED.", None),
])
def test_a_sentence_saying_when_it_happened_dates_the_event_just_told(said, date):
    text = ("   MOSCOW, 7 JUL 89 (TASS) -- [TEXT] A BOMB EXPLODED UNDER A BUS CARRYING SOVIET SEAMEN IN THE "
            "PERUVIAN CAPITAL, INJURING SIXTEEN OF THEM.  OUR CORRESPONDENT TELEPHONED THE MINISTRY.  " + said + "\n")
    attacks = _attacks(text)
    assert [e.date for e in attacks] == [date]
    if date:  # the sentence that dates it is evidence of it
        assert any("5 JULY" in ev.quote for ev in attacks[0].evidence)


@pytest.mark.parametrize("lead, date", [
    # a date after the "that" opening what is reported is the deed's, wherever the parse hangs it
    ("MILITARY AND CIVILIAN SOURCES HAVE REPORTED THAT EARLY THIS MORNING THE FARABUNDO MARTI NATIONAL "
     "LIBERATION FRONT, FMLN, SET ON FIRE TWO COTTON PROCESSING PLANTS IN SAN MIGUEL, SOME 142 KM EAST OF SAN "
     "SALVADOR, CAUSING GREAT PROPERTY DAMAGE, ACCORDING TO MILITARY AND CIVILIAN SOURCES.", "1990-02-16"),
    # before it, the report's
    ("MILITARY SOURCES REPORTED TODAY THAT GUERRILLAS ATTACKED TWO COTTON PLANTS IN SAN MIGUEL.", None),
])
def test_a_date_in_what_a_source_reported_dates_the_deed(lead, date):
    text = f"   SAN SALVADOR, 16 FEB 90 (DPA) -- [TEXT] {lead}\n"
    attacks = _attacks(text)
    assert [e.date for e in attacks] == [date]


def test_the_model_entity_of_a_token_is_the_one_doc_ents_gives():
    """``spans.model_entity`` finds a token's entity from the IOB marks around it (``doc.ents`` builds every entity
    of the document at each read: a long text asked about each of its dates was quadratic), the same span."""
    from tessera.analyze.nlp import load_pipeline
    from tessera.analyze.spans import model_entity
    from tests.conftest import EXAMPLES

    doc = load_pipeline()((EXAMPLES / "101_ayorou_ambush.txt").read_text(encoding="utf-8"))
    holding = {t.i: (e.start, e.end) for e in doc.ents for t in e}
    assert len(doc.ents) > 5
    for tok in doc:
        found = model_entity(tok)
        assert (None if found is None else (found.start, found.end)) == holding.get(tok.i)
