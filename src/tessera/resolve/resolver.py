"""Mentions -> entities across documents: shared names, acronyms, transliterations, surnames."""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .. import gazetteer_facade as places
from ..analyze.lexicons import cues
from ..models import DocumentAnalysis, Entity, LocalEntity, Merge
from .normalize import display_name, initials, is_acronym, name_key, person_tokens, skeleton

LocalRef = tuple[str, str]  # (document id, local entity id)


@dataclass(frozen=True)
class Named:
    """What the resolver reads of a local entity: its type, names and how often it is mentioned."""

    type: str
    name: str
    names: tuple[str, ...]
    mentions: int

    @classmethod
    def of(cls, e: LocalEntity) -> "Named":
        return cls(e.type, e.name, tuple(e.names), len(e.mentions))
_ADMIN_TAIL = re.compile(r"\s+(?:province|region|district|county|governorate|department|prefecture|oblast|state)$")


@dataclass
class Resolution:
    entities: list[Entity]
    merges: list[Merge]
    of: dict[LocalRef, str] = field(default_factory=dict)  # local ref -> entity id

    def links(self) -> list[tuple[str, str, str]]:
        return [(d, l, g) for (d, l), g in self.of.items()]


class _Union:
    def __init__(self) -> None:
        self.parent: dict[LocalRef, LocalRef] = {}
        self.log: list[tuple[LocalRef, LocalRef, str]] = []
        self._members: dict[LocalRef, list[LocalRef]] = {}

    def members(self, root: LocalRef) -> list[LocalRef]:
        """Every local ref whose root is ``root``."""
        return self._members.get(root, [root])

    def find(self, x: LocalRef) -> LocalRef:
        parent = self.parent
        while (up := parent.get(x, x)) != x:
            parent[x] = parent.get(up, up)  # (halving the path: the roots stay what they are)
            x = up
        return x

    def union(self, a: LocalRef, b: LocalRef, reason: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self._members.setdefault(ra, [ra]).extend(self._members.pop(rb, [rb]))
            self.log.append((b, a, reason))


def _retype_places(locals_: dict[LocalRef, Named]) -> dict[LocalRef, Named]:
    """A known place that one document's model took for a person or group, where others name it as a place;
    not a person its document also names in full or with a title ("Bush", "President Bush", "George Bush")."""
    place_keys = {name_key(n) for e in locals_.values() if e.type == "location" for n in e.names}
    out = {}
    for ref, e in locals_.items():
        if e.type != "location" and name_key(e.name) in place_keys and all(len(n.split()) == 1 for n in e.names) \
                and places.is_place(e.name):
            e = replace(e, type="location")
        out[ref] = e
    return out


def _keys(e: Named) -> frozenset[str]:
    """The name keys by which a local entity joins others of its type (``resolve_locals``)."""
    return _keys_of(e.type, e.names)


@lru_cache(maxsize=1 << 16)  # (one thing's local entities are named alike in every document)
def _keys_of(type_: str, names: tuple[str, ...]) -> frozenset[str]:
    keys = {name_key(n) for n in names if name_key(n)}
    if type_ == "person":  # a surname said alone ("Guerrero" for "Angela Piedad de Guerrero") is many people's:
        # it joins a longer name only as the one that holds it (see resolve_locals), never by itself
        words = {w for n in names if len(n.split()) > 1 for w in name_key(n).split()[1:]}
        keys -= {k for k in keys if " " not in k and k in words}
    if type_ == "location":  # US / U.S. / United States are one country; "Oudalan province" is Oudalan
        keys |= {_ADMIN_TAIL.sub("", n).strip() and name_key(_ADMIN_TAIL.sub("", n)) for n in names if _ADMIN_TAIL.search(n)}
        aliases = cues()["place_aliases"]
        keys |= {aliases[k] for k in keys if k in aliases} | {aliases[n.lower()] for n in names if n.lower() in aliases}
    if type_ == "organization":  # "Avianca Airlines" is Avianca: a company's name without its business word
        suffixes = set(cues()["business_suffixes"])
        for k in list(keys):
            words = k.split()
            while len(words) > 1 and words[-1] in suffixes:
                words.pop()
            if len(words) < len(k.split()):
                keys.add(" ".join(words))
    return frozenset(keys)


def joins_by(e: Named) -> str | None:
    """The reason ``resolve_locals`` logs when a local entity joins one named exactly as it is before it (by its first
    name key); None when it has no name key (it then joins nothing by name)."""
    keys = _keys(e)
    return Merge.by_name(min(keys)) if keys else None


def _dominant(roots: set[LocalRef], locals_: dict, uf: "_Union") -> LocalRef | None:
    """The only candidate, or one mentioned at least three times as often as any other."""
    if len(roots) == 1:
        return next(iter(roots))
    if not roots:
        return None
    weight = defaultdict(int)
    for r in roots:
        weight[r] = sum(locals_[ref].mentions for ref in uf.members(r))
    ranked = sorted(roots, key=lambda r: -weight[r])
    return ranked[0] if weight[ranked[0]] >= 3 * weight[ranked[1]] else None


def _inside(short: list[str], other: list[str]) -> bool:
    """True when a shorter name is part of a longer one: a surname, or a run of its words."""
    if len(other) <= len(short):
        return False
    if len(short) == 1:  # a surname: any word but the first ("Cañón" in "Aurelio Cañón Restrepo")
        return short[0] in other[1:]
    return any(other[i:i + len(short)] == short for i in range(len(other) - len(short) + 1))


def _initial(word: str) -> str:
    """First letter of a name word; any vowel counts as one (Obeidi / Ubaydi)."""
    first = name_key(word)[:1]
    return "V" if first in "aeiouy" else first


def resolve_entities(analyses: list[DocumentAnalysis]) -> Resolution:
    """One entity per thing named across documents; types never mix."""
    return resolve_locals({(a.document, e.id): Named.of(e) for a in analyses for e in a.entities})


def resolve_locals(locals_: dict[LocalRef, Named]) -> Resolution:
    """``resolve_entities`` over local entities given in the order of their documents' analyses.

    The result for a set of local entities that shares no key (``name_keys``) with any other local entity
    is the same whether the others are resolved with it or not: that is what lets a refresh re-resolve
    only the part of the knowledge new documents touch."""
    locals_ = _retype_places(locals_)
    uf = _Union()
    by_key: dict[tuple[str, str], LocalRef] = {}
    for ref, e in locals_.items():
        for k in sorted(_keys(e)):
            tk = (e.type, k)
            if tk in by_key:
                uf.union(by_key[tk], ref, Merge.by_name(k))
            else:
                by_key[tk] = ref
    # persons: names whose every word differs only by transliteration (Yusuf/Youssef, Harouna/Haruna)
    persons = {ref: person_tokens(e.name) for ref, e in locals_.items() if e.type == "person"}
    by_shape: dict[tuple, list[LocalRef]] = defaultdict(list)
    for ref, toks in persons.items():
        if len(toks) >= 2:
            by_shape[("person",) + tuple((_initial(t), skeleton(t)) for t in toks)].append(ref)
    for ref, e in locals_.items():  # Deir ez-Zor / Deir Ezzor: one place, spelt two ways
        whole = skeleton(name_key(e.name).replace(" ", ""))
        if e.type == "location" and len(whole) >= 4 and not is_acronym(e.name):
            by_shape[("location", (_initial(e.name), whole))].append(ref)
    for ref, e in locals_.items():  # Jaysh al-Tamkin / Jaish al-Tamkeen
        toks = name_key(e.name).split()
        if e.type == "organization" and len(toks) >= 2 and not is_acronym(e.name):
            by_shape[("organization",) + tuple((_initial(t), skeleton(t)) for t in toks)].append(ref)
    for shape, refs in by_shape.items():
        for r in refs[1:]:
            uf.union(refs[0], r, "spelling variants of one name (" + " ".join(sk for _, sk in shape[1:]) + ")")
    # a shorter name ("Harouna", "Ould Bakaye", "Abu Hafs") joins the one longer name that contains it
    all_names = {ref: [[name_key(t) for t in person_tokens(n)] for n in locals_[ref].names]
                 for ref in persons}
    runs: dict[tuple, set[LocalRef]] = defaultdict(set)  # a run of words -> the names holding it (see _inside)
    for r, names in all_names.items():
        for other in names:
            for size in range(1, min(3, len(other) - 1) + 1):
                for i in range(1 if size == 1 else 0, len(other) - size + 1):
                    runs[tuple(other[i:i + size])].add(r)
    holders: dict[tuple, list[LocalRef]] = {}  # a short name -> the names it lies inside (one name, many mentions)
    for ref, toks in ((r, [name_key(t) for t in persons[r]]) for r in persons):
        if not toks or len(toks) > 3:
            continue
        run = tuple(toks)
        if run not in holders:
            holders[run] = [r for r in runs.get(run, ()) if any(_inside(toks, other) for other in all_names[r])]
        longer = {uf.find(r) for r in holders[run] if r != ref}
        root = _dominant(longer, locals_, uf)
        if root is not None:
            uf.union(root, ref, f"'{locals_[ref].name}' is part of the one longer name that contains it")
    # an organization's bare acronym joins the one organization whose initials it spells
    org_initials: dict[str, set[LocalRef]] = defaultdict(set)
    for ref, e in locals_.items():
        if e.type == "organization" and not is_acronym(e.name) and len(e.name.split()) >= 2:
            org_initials[initials(e.name)].add(ref)
    for ref, e in locals_.items():
        if e.type == "organization" and is_acronym(e.name):
            roots = {uf.find(r) for r in org_initials.get(e.name.upper().replace(".", ""), set())}
            if len(roots) == 1:
                uf.union(roots.pop(), ref, f"'{e.name}' spells the initials of the name")

    # "Ahl al-Thabat" is "Harakat Ahl al-Thabat" without its generic first word
    generic = set(cues()["org_first_words_strong"]) | {"the"}
    org_keys = {ref: name_key(e.name).split() for ref, e in locals_.items() if e.type == "organization"}
    tails: dict[tuple, list[LocalRef]] = defaultdict(list)  # a name's words after generic first words -> names
    for r, other in org_keys.items():
        for i in range(1, len(other)):
            if all(w in generic for w in other[:i]):
                tails[tuple(other[i:])].append(r)
    for ref, toks in org_keys.items():
        if len(toks) < 2:
            continue
        longer = {uf.find(r) for r in tails.get(tuple(toks), ())
                  if len(org_keys[r]) > len(toks) and org_keys[r][-len(toks):] == toks
                  and all(w in generic for w in org_keys[r][:-len(toks)])}
        if len(longer) == 1:
            uf.union(longer.pop(), ref, f"'{locals_[ref].name}' is the name without its generic first word")
    groups: dict[LocalRef, list[LocalRef]] = defaultdict(list)
    for ref in locals_:
        groups[uf.find(ref)].append(ref)
    entities: list[Entity] = []
    of: dict[LocalRef, str] = {}
    taken: Counter[str] = Counter()
    for refs in groups.values():
        entity = _entity([locals_[r] for r in refs], len({r[0] for r in refs}))
        taken[entity.id] += 1
        if taken[entity.id] > 1:  # two things with one canonical name, kept apart on purpose
            entity = replace(entity, id=f"{entity.id}-{taken[entity.id]}")
        entities.append(entity)
        for r in refs:
            of[r] = entity.id
    merges = [Merge(entity=of[b], name=locals_[b].name, into=locals_[a].name, reason=reason) for b, a, reason in uf.log]
    return Resolution(entities=entities, merges=merges, of=of)


def _entity(members: list[Named], documents: int) -> Entity:
    """One entity from the local entities resolved together: its best name and every other name."""
    typ = members[0].type
    counts: Counter[str] = Counter()
    for m in members:
        counts[m.name] += m.mentions
        for n in m.names:
            counts[n] += 0
    full = [n for n in counts if not is_acronym(n)] or list(counts)
    if typ == "person":
        name = display_name(max(full, key=lambda n: (len(person_tokens(n)) >= 2, len(display_name(n).split()) >= 2,
                                                      counts[n], len(n))))
    else:
        name = max(full, key=lambda n: (counts[n], len(n.split()), len(n)))
    aliases = sorted({n.strip() for m in members for n in m.names if n.strip() and n.strip() != name},
                     key=lambda n: (n.lower(), n))  # "ISIS" before "Isis" whatever the set order
    eid = "ent-" + hashlib.sha1(f"{typ}:{name_key(name)}".encode()).hexdigest()[:10]
    return Entity(id=eid, name=name, type=typ, aliases=tuple(aliases), documents=documents,
                  mentions=sum(m.mentions for m in members))


# ---- keys: which local entities the resolution of one may depend on ----------------------------------
# Every rule above ties a local entity to others through something both have: a name key, a spelling
# shape, a run of name words (offered by a longer name, wanted by a shorter one), initials (offered by a
# name, wanted by an acronym), a name without its generic first words. ``name_keys`` lists them as
# strings; two local entities may affect each other's entity only when one has a key that ``partner``
# maps to a key of the other. Keys are generous (a rule that may apply is keyed as if it did; types are
# ignored where a place may be retyped), never short: a part of the local entities closed under keys
# resolves alone as it does within the whole (``resolve_locals``).

_PAIRS = {"ro:": "rw:", "rw:": "ro:", "ao:": "aw:", "aw:": "ao:", "go:": "gw:", "gw:": "go:"}


def partner(key: str) -> str:
    """The key of another local entity that ties it to one with ``key`` (itself for a shared key)."""
    head = key[:3]
    return _PAIRS[head] + key[3:] if head in _PAIRS else key


def name_keys(e: Named) -> set[str]:
    """The keys of a local entity (see above)."""
    keys = {"k:" + k for k in _keys(e) | _keys(replace(e, type="location"))}
    keys |= {"k:" + name_key(n) for n in e.names} | {"k:" + name_key(display_name(n)) for n in e.names}
    keys.add("k:" + name_key(e.name))
    toks = person_tokens(e.name)
    if e.type == "person" and len(toks) >= 2:
        keys.add("s:" + repr(("person",) + tuple((_initial(t), skeleton(t)) for t in toks)))
    whole = skeleton(name_key(e.name).replace(" ", ""))
    if (e.type == "location" or len(toks) == 1) and len(whole) >= 4 and not is_acronym(e.name):
        keys.add("s:" + repr(("location", (_initial(e.name), whole))))
    words = name_key(e.name).split()
    if e.type == "organization" and len(words) >= 2 and not is_acronym(e.name):
        keys.add("s:" + repr(("organization",) + tuple((_initial(t), skeleton(t)) for t in words)))
    if e.type == "person":
        short = [name_key(t) for t in toks]
        if 1 <= len(short) <= 3:
            keys.add("rw:" + "\x1f".join(short))
        for n in e.names:
            other = [name_key(t) for t in person_tokens(n)]
            for size in range(1, min(3, len(other) - 1) + 1):
                for i in range(1 if size == 1 else 0, len(other) - size + 1):
                    keys.add("ro:" + "\x1f".join(other[i:i + size]))
    if e.type == "organization":
        if is_acronym(e.name):
            keys.add("aw:" + e.name.upper().replace(".", ""))
        elif len(e.name.split()) >= 2:
            keys.add("ao:" + initials(e.name))
        if len(words) >= 2:
            keys.add("gw:" + " ".join(words))
        generic = set(cues()["org_first_words_strong"]) | {"the"}
        for i in range(1, len(words) - 1):
            if all(w in generic for w in words[:i]):
                keys.add("go:" + " ".join(words[i:]))
    return keys
