"""Places that are places: one-word names, pieces of longer names and possessives (real model, texts written here)."""
from __future__ import annotations

import pytest

from tessera.analyze import analyze_text
from tessera.names import name_key

# All-capitals wire copy in the FBIS style: re-cased before the model reads it, so its capitals are guesses
# ("DEMOBILIZED" opening a line comes out "Demobilized", which the model takes for a place).
WIRE = """SAN SALVADOR, 14 MAR 90 (RADIO VENCEREMOS) -- [TEXT] THE FMLN ATTACKED AN ARMY
POST IN SAN MIGUEL ON TUESDAY. SAN SALVADOR'S MAYOR SAID THE REBELS HELD THE
ZACAMIL NEIGHBORHOOD FOR TWO HOURS. THE GUERRILLAS ALSO CLASHED WITH SOLDIERS IN
ILOBASCO, CABANAS DEPARTMENT, AND NEAR YUCUAYQUIN, MORAZAN DEPARTMENT. THREE
SOLDIERS WERE KILLED AT THE LA AURORA AIRPORT. THE UN SECRETARY GENERAL CONDEMNED
THE ATTACKS AND SAID THE ARMY HAS BEEN
DEMOBILIZED. PEACE IN CEMETERIES IS NO PEACE, COMMANDER SALVADOR SANCHEZ CEREN SAID. THE DAM
BEING FINANCED BY THE WORLD BANK WAS NOT DAMAGED.
"""


@pytest.fixture(scope="module")
def wire():
    return {e.name: e for e in analyze_text(WIRE).entities}


def test_unknown_words_without_place_context_are_no_places(wire):
    places = {n for n, e in wire.items() if e.type == "location"}
    assert not places & {"Demobilized", "Cemeteries"}  # re-casing guesses the model typed as places


def test_unknown_places_with_context_stay(wire):
    assert wire["Ilobasco"].type == "location"  # "Ilobasco, Cabanas Department"
    assert wire["Yucuayquin"].type == "location"  # "near Yucuayquin, Morazan Department"


def test_a_department_the_gazetteer_knows_is_a_place(wire):
    assert wire["Morazan Department"].type == "location"  # the model says ORG


def test_pieces_of_longer_names_are_no_places(wire):
    assert "Aurora" not in wire  # of "La Aurora airport"
    assert "Salvador" not in wire and wire["Salvador Sanchez Ceren"].type == "person"


def test_an_acronym_is_not_a_town_so_spelt(wire):
    assert wire["UN"].type == "organization"  # GeoNames has an Indian town "Un"


def test_a_bank_is_a_group_unless_a_direction_makes_it_a_place(wire):
    assert wire["World Bank"].type == "organization"  # "bank" heads a place in "West Bank", not here


def test_a_possessive_is_a_mention_of_the_place(wire):
    salvador = wire["San Salvador"]
    assert len(salvador.mentions) == 2  # the dateline and "SAN SALVADOR'S MAYOR"
    assert not [n for n in wire if n.lower().endswith("'s")]
    assert name_key("SAN SALVADOR'S") == name_key("San Salvador") == name_key("San Salvador’s")


def test_in_text_as_written_the_writers_capitals_are_trusted():
    text = ("Gunmen stormed the prison in Ouallam before dawn on Monday, the Niger army said. The Guatemala Army "
            "denied the report. Lima Wednesday was calm, and commanders Salvador Sanchez Ceren and Joaquin Villalobos "
            "met in Harem.")
    found = {e.name: e.type for e in analyze_text(text).entities}
    assert found.get("Ouallam") == "location"  # unknown to the gazetteer, but "the prison in Ouallam"
    assert found.get("Harem") == "location"  # unknown and no context: the writer's capital and the model decide
    assert found.get("Guatemala") == "location"  # a country beside "Army" is no piece of a longer name
    assert found.get("Lima") == "location"  # beside a weekday
    assert "Salvador" not in found


def test_a_name_split_by_a_line_break_is_one_place():
    text = ("SAN MIGUEL, 3 DEC 89 (RADIO CADENA) -- [TEXT] AN UNKNOWN NUMBER OF FMLN TERRORISTS ATTACKED THE EL\n"
            "TRIUNFO CIVIL DEFENSE POST, SAN MIGUEL DEPARTMENT, LAST NIGHT. THE WOUNDED WERE TAKEN TO THE SANTA\n"
            "TERESA HOSPITAL IN ZACATECOLUCA.\n")
    found = {e.name: e.type for e in analyze_text(text).entities}
    assert found.get("El Triunfo") == "location" and "Triunfo" not in found
    assert found.get("Santa Teresa") == "location" and "Teresa" not in found
    assert found.get("San Miguel Department") == "location"


def test_a_common_word_that_is_also_a_small_town_needs_context_in_recased_copy():
    from tessera.analyze import analyze_text

    text = ("SAN SALVADOR, 3 FEB 89 (EFE) -- [TEXT] SOLDIERS MURDERED UNIVERSITY STUDENT JUAN PEREZ ON "
            "THE HIGHWAY TO THE PORT OF ACAJUTLA, THE UNION OF STUDENTS SAID TODAY.\n")
    places = {e.name for e in analyze_text(text, published="1989-02-03").entities if e.type == "location"}
    assert "University" not in places and "Union" not in places
    assert "Acajutla" in places


def test_a_name_before_a_word_for_a_small_place_is_a_place_whatever_the_model_typed():
    text = ("GUATEMALA CITY, 4 FEB 90 (EFE) -- [TEXT] GUERRILLAS BURNED THE \"LOS ALAMOS\" FARM NEAR\n"
            "TIQUISATE. THE PRESIDENTIAL RESIDENCE IN THE SAN BENITO NEIGHBORHOOD WAS ALSO\n"
            "ATTACKED, AND FIGHTING WAS REPORTED IN COLONIA MIRAMONTE AND IN PIEDRA LARGA CANTON.\n")
    places = {e.name for e in analyze_text(text).entities if e.type == "location"}
    assert {"Los Alamos", "San Benito", "Colonia Miramonte", "Piedra Larga"} <= places
    # a word for a kind of people before such a word names no place
    written = "Gunmen attacked the Sunni neighbourhood and a Christian village near Mosul on Friday."
    assert not {"Sunni", "Christian"} & {e.name for e in analyze_text(written).entities if e.type == "location"}


def test_a_farm_attacked_is_where_it_happened_and_what_was_attacked():
    text = ("GUATEMALA CITY, 4 FEB 90 (EFE) -- [TEXT] GUERRILLAS ATTACKED THE LOS ALAMOS FARM NEAR TIQUISATE "
            "YESTERDAY, WHERE THEY BURNED THE FACILITIES.")
    a = analyze_text(text)
    names = {e.id: e.name for e in a.entities}
    (attack,) = [e for e in a.events if e.type == "attack"]
    assert "Los Alamos" in [names[x] for x in attack.locations]
    assert "LOS ALAMOS FARM" in [f.value for f in attack.targets]


def test_a_persons_name_the_model_read_as_a_place_is_the_persons():
    """Spans as the model left them in a re-cased report: the surname pair typed a place once, the full name a
    person. Two words or more of a person the text names, no gazetteer place: the person's. A town the
    gazetteer knows, or a place sharing one word with a person, stays a place."""
    from tessera.analyze.nlp import load_pipeline
    from tessera.analyze.spans import Span, vote_types

    text = ("Troops raided estates of Alfredo Mejia Zuluaga near Pacho. Mejia Zuluaga fled to San Pedro. "
            "Pedro Ortiz stayed.")
    doc = load_pipeline()(text)

    def span(name, type_):
        start = text.index(name)
        return Span(start, start + len(name), name, type_)

    spans = [span("Alfredo Mejia Zuluaga", "person"), span("Pacho", "location"), span("Mejia Zuluaga", "location"),
             span("San Pedro", "location"), span("Pedro Ortiz", "person")]
    vote_types(doc, spans)
    assert [s.type for s in spans] == ["person", "location", "person", "location", "person"]


def test_a_place_naming_whose_correspondent_files_is_not_where_it_happened():
    """A wire header names the correspondent by the city he covers: that city is not the attack's place."""
    text = ("   MOSCOW (USSR), 9 JUL 89 (IZVESTIYA) -- [REPORT] [I. PETROV,\nCARACAS CORRESPONDENT] [TEXT] AS "
            "IZVESTIYA HAS ALREADY REPORTED,\nON 5 JULY AT 1000 HOURS LOCAL TIME, A BUS WITH SOVIET SEAMEN ON\n"
            "BOARD WAS BLOWN UP BY A BOMB.  AS A RESULT OF THE EXPLOSION 20 PEOPLE\nWERE INJURED.\n")
    a = analyze_text(text)
    names = {e.id: e.name for e in a.entities}
    (attack,) = [e for e in a.events if e.type == "attack"]
    assert attack.date == "1989-07-05" and "Caracas" not in [names[x] for x in attack.locations]


def test_every_name_in_a_list_of_towns_is_a_place_and_where_the_attacks_happened():
    text = ("LIMA, 6 OCT 89 (EFE) -- [TEXT] GUERRILLAS KILLED 12 PEASANTS ON 4 OCTOBER IN THE TOWNS OF SAN JUAN DE\n"
            "HUAYLLAY, CHACAPAMPA, HUAMBO, AND TOCLLACURI, THE POLICE SAID. FIRES WERE ALSO SET IN THE\n"
            "QUINUAPATA, ANDAMARCA, AND PUCARUMI NEIGHBORHOODS.\n")
    a = analyze_text(text)
    places = {e.name for e in a.entities if e.type == "location"}
    assert {"San Juan de Huayllay", "Chacapampa", "Huambo", "Tocllacuri"} <= places
    assert {"Quinuapata", "Andamarca", "Pucarumi"} <= places
    assert not any("," in p for p in places)  # two names the model read as one are two places
    among = ("TEGUCIGALPA, 31 MAR 89 (EFE) -- [TEXT] FIFTY MEN ENTERED HONDURAN VILLAGES, AMONG\n"
             "THEM JACALEAPA, GUINOPE, AND YUSCARAN, WHERE THEY BURNED HOUSES.\n")
    assert {"Guinope", "Yuscaran"} <= {e.name for e in analyze_text(among).entities if e.type == "location"}
    names = {e.id: e.name for e in a.entities}
    killing = next(e for e in a.events if e.type == "attack" and e.date == "1989-10-04")
    assert {"Chacapampa", "Tocllacuri"} <= {names[x] for x in killing.locations}


def test_a_known_place_is_a_place_wherever_the_text_names_it_alone():
    # the model may read one occurrence as a place and miss another; the gazetteer knows Rionegro
    text = ("MEDELLIN, 5 SEP 89 (EFE) -- [TEXT] TWO PEOPLE WERE KILLED TODAY IN AN ATTACK AT THE AIRPORT IN\n"
            "RIONEGRO. THE POLICE SAID THE ATTACKERS FLED TOWARD RIONEGRO IN A CAR.\n")
    a = analyze_text(text)
    rionegro = [e for e in a.entities if e.name == "Rionegro"]
    assert rionegro and rionegro[0].type == "location" and len(rionegro[0].mentions) == 2
    (attack,) = [e for e in a.events if e.type == "attack"]
    assert rionegro[0].id in attack.locations
    # not inside a longer name the model missed
    text2 = "Gunmen attacked the Cordoba Grill in Madrid on Monday. Cordoba is in Spain."
    cordoba = [e for e in analyze_text(text2).entities if e.name == "Cordoba"]
    assert all(m.start > text2.index("Grill") for e in cordoba for m in e.mentions)


def test_a_place_a_city_owns_is_two_places_the_city_and_the_one_in_it():
    """"San Salvador's Venezuela neighborhood" names San Salvador and a neighborhood in it, not a place called
    "San Salvador's Venezuela": the attack there is in San Salvador."""
    def attack_places(text):
        a = analyze_text(text, published="1989-08-08")
        names = {e.id: e.name for e in a.entities}
        return [[names[x] for x in e.locations] for e in a.events if e.type == "attack"]

    wire = ("SAN SALVADOR, 8 AUG 89 -- [TEXT] A U.S. CITIZEN WAS SHOT LAST NIGHT WHEN UNIDENTIFIED INDIVIDUALS TRIED "
            "TO ENTER HIS RESIDENCE AT SAN SALVADOR'S VENEZUELA NEIGHBORHOOD, NEAR LAS COROLAS AVENUE.")
    assert "San Salvador" in attack_places(wire)[0]
    assert attack_places("Gunmen killed two students in Tegucigalpa's Florencia del Este neighborhood on Monday.") \
        == [["Tegucigalpa", "Florencia del Este"]]


def test_raids_in_a_village_and_the_township_of_a_place_name_places():
    """In re-cased copy a village the gazetteer does not know is a place after "raids in" (as after "an attack
    in"), and a name after "the township of" is one whatever the model typed ("Los ..." reads as a group)."""
    text = ("SAN SALVADOR, 25 AUG 89 -- [TEXT] THERE HAVE ALSO BEEN RAIDS IN ARCATAO, WHERE TROOPS HAVE RANSACKED "
            "SCHOOLS. THE FPMR SUPERVISED AN ATTACK ON A POLICE DETACHMENT IN THE MOUNTAIN TOWNSHIP OF LOS QUENES.")
    places = {e.name for e in analyze_text(text).entities if e.type == "location"}
    assert {"Arcatao", "Los Quenes"} <= places


def test_a_name_before_a_municipality_or_department_word_after_in_is_a_place_but_a_direction_is_not():
    """"in Rionegro municipality" names Rionegro (the model tagged nothing there); "the northwestern
    municipality of Arboletes" names no place called Northwestern."""
    text = ("MEDELLIN, 25 AUG 89 -- [TEXT] THE GROUP SET FIRE TO THE LLANO GRANDE COUNTRY CLUB IN RIONEGRO "
            "MUNICIPALITY, 40 KM NORTH OF MEDELLIN. GUERRILLAS AMBUSHED A PATROL IN THE NORTHWESTERN MUNICIPALITY "
            "OF ARBOLETES.")
    places = {e.name for e in analyze_text(text).entities if e.type == "location"}
    assert "Rionegro" in places and "Northwestern" not in places


@pytest.mark.parametrize("case", [str, str.upper])
def test_where_someone_was_sent_or_fled_is_not_where_the_attack_happened(case):
    from tessera.analyze import analyze_text

    a = analyze_text(case("The banker, who had been sent to Miami, was shot dead in Cali on Monday by two "
                          "gunmen who fled to Ecuador.\n"), published="1990-03-07")
    names = {e.id: e.name for e in a.entities}
    assert [[names[x].lower() for x in e.locations] for e in a.events if e.type == "attack"] == [["cali"]]


@pytest.mark.parametrize("case", [str, str.upper])
def test_a_name_after_a_kin_word_is_a_person(case):
    from tessera.analyze import analyze_text

    a = analyze_text(case("Rosa Perez and her husband Victor Hugo Rodriguez were abducted by eight men in "
                          "Guatemala City on Sunday.\n"), published="1989-09-12")
    types = {e.name.lower(): e.type for e in a.entities}
    assert types.get("victor hugo rodriguez") == "person"


def test_another_name_of_a_big_city_after_in_is_the_city_whatever_the_model_typed():
    """The model reads "Cartagena de Indias" as a person's name; after "in" it is the city."""
    from tessera.analyze import analyze_text

    a = analyze_text("Finally, in Cartagena de Indias, a tourist center on the coast, a powerful bomb exploded "
                     "in a hotel, killing two people.\n", published="1989-09-26", tagger=False)
    names = {e.id: e.name for e in a.entities}
    assert [[names[x] for x in e.locations] for e in a.events if e.type == "attack"] == [["Cartagena de Indias"]]


def test_a_place_in_brackets_after_a_place_is_where_it_lies_not_another_name_for_it():
    from tessera.analyze import analyze_text

    a = analyze_text("Guerrillas attacked a police post in Neiva (Huila) on Monday. The United States (US) "
                     "condemned the attack. Fighting went on in Deir ez-Zor (Deir Ezzor).\n", published="1989-11-14")
    names = {e.name: set(e.names) for e in a.entities if e.type == "location"}
    assert names["Neiva"] == {"Neiva"} and "Huila" in names
    assert "US" in names["United States"] and "Deir Ezzor" in names["Deir ez-Zor"]
    a = analyze_text("MEXICO CITY (MEXICO), 12 NOV 89 (EFE) -- [TEXT] REBELS OF THE ARMED FORCES OF COLOMBIA (FARC) "
                     "BURNED A BUS IN NEIVA YESTERDAY.\n")
    assert all(not ({"Mexico", "FARC"} & set(e.names)) for e in a.entities if e.type == "location"
               and e.name in ("Mexico City", "Colombia"))


@pytest.mark.parametrize("case", [str, str.upper])
def test_an_initialism_keeps_its_last_period(case):
    from tessera.analyze import analyze_text

    a = analyze_text(case("Gunmen fired on a bus in Lima on Monday, officials of the U.S. and the U.N. said.\n"),
                     published="1990-03-07", tagger=False)
    names = {e.name.upper() for e in a.entities}
    assert {"U.S.", "U.N."} <= names
