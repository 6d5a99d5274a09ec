"""Place resolution on real names: GeoNames cities, ISO 3166 countries and subdivisions, and which holds which."""
from __future__ import annotations

import dataclasses

import pytest

from tessera.analyze.gazetteer import Place, compatible, contains, is_country, is_place, resolve


def test_a_capital_resolves_to_its_city_with_country_region_and_coordinates():
    p = resolve("San Salvador")
    assert (p.kind, p.country_code, p.country) == ("city", "SV", "El Salvador")
    assert p.admin1 == "San Salvador"  # the department, as ISO 3166-2 names it
    assert p.latitude == pytest.approx(13.69, abs=0.05) and p.longitude == pytest.approx(-89.19, abs=0.05)
    assert p.key.isdigit()  # a GeoNames id, stable across runs
    assert contains(resolve("El Salvador"), p)
    assert contains(resolve("San Salvador Department"), p)


@pytest.mark.parametrize("written", ["San Salvador's", "SAN SALVADOR'S", "San Salvador’s", "the San Salvador", "SAN SALVADOR"])
def test_possessives_case_and_articles_name_the_same_place(written):
    assert resolve(written) == resolve("San Salvador")


@pytest.mark.parametrize("name, country, admin1", [
    ("Kabul", "AF", "Kābul"),
    ("Mosul", "IQ", None),  # GeoNames' Iraqi units are not mapped to ISO: no region rather than a guessed one
    ("Lima", "PE", "Municipalidad Metropolitana de Lima"),
    ("Aleppo", "SY", "Ḩalab"),  # the region found through the city's alternate name Halab
    ("Kandahar", "AF", "Kandahār"),
])
def test_cities_resolve_in_their_country(name, country, admin1):
    p = resolve(name)
    assert (p.kind, p.country_code, p.admin1) == ("city", country, admin1)
    assert p.latitude is not None and p.population > 100_000


def test_a_region_named_like_its_city_is_the_city_unless_the_name_says_region():
    city, region = resolve("Ayacucho"), resolve("Ayacucho region")
    assert (city.kind, region.kind) == ("city", "admin1")
    assert region.key == "PE-AYA" and region.latitude is None  # ISO subdivisions carry no coordinates
    assert resolve("Ayacucho Department") == resolve("department of Ayacucho") == region
    assert contains(region, city) and not contains(city, region)
    assert compatible(city, region) and compatible(region, city)


def test_departments_with_their_unit_word_accents_folded():
    morazan = resolve("Morazan Department")
    assert (morazan.key, morazan.name, morazan.kind) == ("SV-MO", "Morazán", "admin1")
    assert resolve("MORAZAN DEPARTMENT") == resolve("Morazán") == morazan
    cuscatlan = resolve("Cuscatlan Department")
    assert cuscatlan.key == "SV-CU"
    assert contains(resolve("El Salvador"), morazan) and not contains(morazan, resolve("El Salvador"))


def test_homonyms_follow_the_documents_countries_else_the_most_populous():
    assert resolve("Santa Ana").country_code == "US"  # Santa Ana, California, the most populous
    assert resolve("Santa Ana", hints=("El Salvador",)).country_code == "SV"
    assert resolve("Santa Ana", hints=("SV",)) == resolve("Santa Ana", hints=("El Salvador",))
    assert resolve("San Miguel").country_code == "SV"
    peru = resolve("San Miguel", hints=("Peru",))
    assert peru.country_code == "PE" and peru.kind == "city"
    # the first hint that has one wins; a hint without such a place changes nothing
    assert resolve("San Miguel", hints=("Peru", "El Salvador")).country_code == "PE"
    assert resolve("San Miguel", hints=("Afghanistan",)) == resolve("San Miguel")
    # regions: the country's hint, else the region of the most populous country
    assert resolve("La Libertad Department").key == "PE-LAL"
    assert resolve("La Libertad Department", hints=("El Salvador",)).key == "SV-LI"


def test_a_countrys_name_is_the_country():
    assert resolve("Mexico").kind == "country"
    assert resolve("Lebanon", hints=("United States",)).key == "LB"  # not Lebanon, Pennsylvania
    assert resolve("US").key == "US" and resolve("U.S.").key == "US"
    assert resolve("Britain").key == "GB"


@pytest.mark.parametrize("name", ["Zorgblat", "World Bank", "MIR", "LA", "us", "Nowhere Province", "", "  "])
def test_unknown_names_resolve_to_nothing(name):
    assert resolve(name) is None


# containment across the two data sets: GeoNames cities carry their own admin1 codes (El Salvador's
# Morazán is "08"), ISO subdivisions theirs ("SV-MO"); these cases check the mapping between them


@pytest.mark.parametrize("region, city, hints", [
    ("Morazan Department", "San Francisco", ("El Salvador",)),  # San Francisco Gotera, Morazán's seat
    ("Cuscatlan Department", "Cojutepeque", ()),
    ("La Libertad Department", "Santa Tecla", ("El Salvador",)),  # Peru has one too (see below)
    ("San Miguel Department", "San Miguel", ("El Salvador",)),
    ("Quiché Department", "Chichicastenango", ()),
    ("Petén Department", "San Benito", ("Guatemala",)),
    ("Junín region", "Huancayo", ()),
    ("Texas", "Houston", ()),
    ("Kabul Province", "Kabul", ()),
])
def test_a_region_contains_its_cities(region, city, hints):
    outer, inner = resolve(region, hints=hints), resolve(city, hints=hints)
    assert outer.kind == "admin1" and inner.kind == "city"
    assert contains(outer, inner) and compatible(outer, inner)


@pytest.mark.parametrize("region, city", [
    ("Morazan Department", "San Miguel"),
    ("Cuscatlan Department", "San Salvador"),
    ("Arica y Parinacota", "Temuco"),  # Temuco is in La Araucanía; the order of names cannot tell, so no region
    ("Texas", "Kabul"),
])
def test_a_region_does_not_contain_cities_elsewhere(region, city):
    assert not contains(resolve(region), resolve(city))
    assert not compatible(resolve(region), resolve(city))


def test_countries_contain_their_places_only():
    salvador, kabul = resolve("El Salvador"), resolve("Kabul")
    assert contains(resolve("Afghanistan"), kabul) and not contains(salvador, kabul)
    assert not contains(salvador, salvador) and compatible(salvador, salvador)
    assert not compatible(kabul, resolve("Mosul"))
    assert not contains(resolve("San Salvador"), resolve("Soyapango"))  # a city's surroundings are not known


def test_nested_subdivisions_lie_in_their_top_level_one():
    basilan = resolve("Basilan Province")
    assert basilan.kind == "admin2" and basilan.country_code == "PH"
    assert contains(resolve("Philippines"), basilan)
    assert contains(Place(basilan.regions[0], "", "admin1", "PH", "Philippines", regions=basilan.regions[:1]), basilan)


def test_places_are_frozen_and_export_their_fields():
    p = resolve("Kabul")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.name = "x"  # type: ignore[misc]
    assert set(p.to_dict()) == {"key", "name", "kind", "country", "country_code", "admin1", "latitude", "longitude"}


def test_the_older_lookups_are_unchanged():
    assert is_country("El Salvador") and is_country("U.S.") and not is_country("San Salvador")
    assert is_place("Raqqa") and is_place("Ayacucho") and not is_place("Zorgblat")


def test_countries_of_old_reporting_and_their_usual_abbreviations():
    assert resolve("USSR").kind == "country" and resolve("Soviet Union") == resolve("USSR")
    assert resolve("Czechoslovakia").kind == "country"
    assert resolve("PRC").key == "CN" and resolve("prc") is None  # an abbreviation counts in capitals only
    assert resolve("Burma").key == "MM"  # today's country, not the historic entry of that name


def test_a_region_named_by_a_direction_is_one_only_with_its_unit_word():
    # Uganda's "Eastern", Cameroon's "South", Zambia's "Southern": bare, these are words, not places
    for word in ("Eastern", "Southern", "South", "Littoral", "Western"):
        assert resolve(word) is None, word
    assert resolve("Eastern Region").kind == "admin1"
    assert resolve("Southern Province").kind == "admin1"
