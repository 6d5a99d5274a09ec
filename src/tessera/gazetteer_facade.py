"""Place knowledge for later stages (reconciliation needs to know what is a country; exports, where a place lies)."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from .analyze.gazetteer import Place, compatible, contains, country_of, is_country, is_place, resolve, within
from .models import Entity

__all__ = ["is_country", "is_place", "country_of", "within", "Place", "resolve", "contains", "compatible",
           "locate"]


def locate(entities: Iterable[Entity], links: Iterable[tuple[str, str, str]],
           duplicate_of: dict[str, str] | None = None) -> dict[str, Place | None]:
    """The gazetteer entry of each location entity (its name, else its first alias that resolves).

    ``links`` are (document, local id, entity) rows: homonyms ("San Miguel") are read in the
    countries named in the entity's own documents first (the most shared first), then in the
    knowledge base's countries, most mentioned first. A story's copies (``duplicate_of``: copy ->
    its earliest) are one document there, as they are one source everywhere."""
    locations = [e for e in entities if e.type == "location"]
    duplicate_of = duplicate_of or {}
    documents: dict[str, set[str]] = defaultdict(set)
    for document, _local, entity in links:
        documents[entity].add(duplicate_of.get(document, document))
    countries: dict[str, str] = {}
    for e in sorted(locations, key=lambda e: (-e.mentions, e.name, e.id)):  # one order, whatever the caller's
        p = resolve(e.name)
        if p is not None and p.kind == "country":
            countries[e.id] = p.country_code
    in_document: dict[str, list[str]] = defaultdict(list)
    for eid in countries:
        for d in documents[eid]:
            in_document[d].append(eid)
    everywhere = list(dict.fromkeys(countries.values()))
    out: dict[str, Place | None] = {}
    for e in locations:
        shared = Counter(countries[c] for d in sorted(documents[e.id]) for c in in_document[d] if c != e.id)
        hints = tuple(dict.fromkeys([code for code, _ in shared.most_common()] + everywhere))
        out[e.id] = next((p for p in (resolve(n, hints) for n in (e.name, *e.aliases)) if p is not None), None)
    return out
