"""Place knowledge for later stages (reconciliation needs to know what is a country; exports, where a place lies)."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from .analyze.gazetteer import Place, compatible, contains, country_of, hint_codes, is_country, is_place, resolve, within
from .models import Entity

__all__ = ["is_country", "is_place", "country_of", "within", "Place", "resolve", "contains", "compatible",
           "countries", "locate", "reordered", "swayed"]


def countries(entities: Iterable[Entity]) -> dict[str, str]:
    """Location entity id -> country code, of the entities named as countries, the most mentioned first (one
    order, whatever the caller's): the countries of a knowledge base as ``locate`` reads them."""
    out: dict[str, str] = {}
    for e in sorted((e for e in entities if e.type == "location"), key=lambda e: (-e.mentions, e.name, e.id)):
        p = resolve(e.name)
        if p is not None and p.kind == "country":
            out[e.id] = p.country_code
    return out


def reordered(before: dict[str, str], after: dict[str, str]) -> set[str] | None:
    """The country codes whose order among a knowledge base's countries (``countries``) differs between two readings
    of them; None when they are not the same countries."""
    if before != after:
        return None
    b, a = list(before), list(after)
    differ = [i for i, (x, y) in enumerate(zip(b, a)) if x != y]
    return {before[x] for x in b[differ[0]:differ[-1] + 1]} if differ else set()


def swayed(entity: Entity, codes: set[str]) -> bool:
    """Whether where a location entity lies (``locate``) may change with the order of these countries: the first of
    its names the gazetteer knows has homonyms in two of them."""
    for name in (entity.name, *entity.aliases):
        found = hint_codes(name)
        if found is not None:
            return len(found & codes) > 1
    return False


def locate(entities: Iterable[Entity], links: Iterable[tuple[str, str, str]],
           duplicate_of: dict[str, str] | None = None, only: set[str] | None = None) -> dict[str, Place | None]:
    """The gazetteer entry of each location entity (its name, else its first alias that resolves).

    ``links`` are (document, local id, entity) rows: homonyms ("San Miguel") are read in the
    countries named in the entity's own documents first (the most shared first), then in the
    knowledge base's countries, most mentioned first. A story's copies (``duplicate_of``: copy ->
    its earliest) are one document there, as they are one source everywhere. With ``only``, the
    entries of those entities alone, for which the links of those entities and of the countries do."""
    entities = list(entities)
    locations = [e for e in entities if e.type == "location" and (only is None or e.id in only)]
    duplicate_of = duplicate_of or {}
    documents: dict[str, set[str]] = defaultdict(set)
    for document, _local, entity in links:
        documents[entity].add(duplicate_of.get(document, document))
    codes = countries(entities)
    in_document: dict[str, list[str]] = defaultdict(list)
    for eid in codes:
        for d in documents[eid]:
            in_document[d].append(eid)
    everywhere = list(dict.fromkeys(codes.values()))
    out: dict[str, Place | None] = {}
    for e in locations:
        shared = Counter(codes[c] for d in sorted(documents[e.id]) for c in in_document[d] if c != e.id)
        hints = tuple(dict.fromkeys([code for code, _ in shared.most_common()] + everywhere))
        out[e.id] = next((p for p in (resolve(n, hints) for n in (e.name, *e.aliases)) if p is not None), None)
    return out
