"""Location entities in the JSON Lines export carry the gazetteer entry they resolve to (``geo``)."""
from __future__ import annotations

import pytest

SALVADOR = """Guerrillas attack army post in Santa Ana

Guerrillas of the Farabundo Marti National Liberation Front attacked an army post in Santa Ana, El Salvador, on
14 March 1990, killing three soldiers, the armed forces of El Salvador said. Fighting went on near Perquin, where
the rebels hold the hills. El Salvador's government condemned the attack.
"""
PERU = """Policemen killed in San Miguel

Two policemen were killed in San Miguel, Peru, on 3 April 1990 when gunmen opened fire on their patrol, police in
Lima said.
"""


@pytest.fixture(scope="module")
def entities(tmp_path_factory):
    import tessera

    folder = tmp_path_factory.mktemp("geo")
    (folder / "salvador.txt").write_text(SALVADOR, encoding="utf-8")
    (folder / "peru.txt").write_text(PERU, encoding="utf-8")
    kb = tessera.open(folder / "kb.db")
    kb.build([folder / "salvador.txt", folder / "peru.txt"])
    records = [r for r in kb.export_records() if r["kind"] == "entity"]
    kb.close()
    return {r["name"]: r for r in records}


def test_a_city_carries_its_country_region_and_coordinates(entities):
    geo = entities["Lima"]["geo"]
    assert set(geo) == {"key", "name", "kind", "country", "country_code", "admin1", "latitude", "longitude"}
    assert (geo["kind"], geo["country"], geo["country_code"]) == ("city", "Peru", "PE")
    assert geo["latitude"] == pytest.approx(-12.04, abs=0.05) and geo["longitude"] == pytest.approx(-77.03, abs=0.05)


def test_a_country_is_a_country_without_coordinates(entities):
    geo = entities["El Salvador"]["geo"]
    assert (geo["key"], geo["kind"], geo["latitude"]) == ("SV", "country", None)


def test_homonyms_are_read_in_the_countries_of_their_own_documents(entities):
    # Santa Ana alone is Santa Ana, California (the most populous); this text is about El Salvador
    assert entities["Santa Ana"]["geo"]["country_code"] == "SV"
    assert entities["Santa Ana"]["geo"]["admin1"] == "Santa Ana"
    # the knowledge base names El Salvador more than Peru, and San Miguel alone is El Salvador's:
    # the document that names San Miguel names Peru
    assert entities["San Miguel"]["geo"]["country_code"] == "PE"


def test_an_unknown_place_has_null_geo_and_other_entities_none(entities):
    assert entities["Perquin"]["type"] == "location" and entities["Perquin"]["geo"] is None  # a village GeoNames lists below 15,000
    others = [r for r in entities.values() if r["type"] != "location"]
    assert others and all("geo" not in r for r in others)
