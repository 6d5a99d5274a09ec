"""Names in one document -> local entities: aliases the text declares, and in-document clusters.

``spans`` finds and types the names; this module joins the names one document uses for one
thing (an acronym it defines, a surname alone, a nickname) and indexes them by offset.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..models import LocalEntity, Mention
from ..names import name_key
from ..resolve.normalize import initials
from . import gazetteer
from .spans import ACRONYM, DIRECTIONAL, NOT_NAME_PARTS, Span, collect_spans, strip_titles, vote_types

_ALIAS_AFTER = re.compile(r"^[\s*]*(?:\[(?P<alt>[^\]\n]{2,80})\])?\s*\((?P<paren>[^)\n]{1,240})\)")
_ALIAS_LABEL = re.compile(r"^(?:also\s+)?(?:known as|spelled|spelt|transliterated(?: as)?|romanized|romanised|lit\.?|literally|"
                          r"meaning|english|arabic|french|spanish|in [a-z]+|abbreviated|short for)\s*:?\s*", re.I)
_REAL_NAME = re.compile(r"^[^.;\n]{0,140}?\b(?:whose\s+)?(?:real|birth|full|given)\s+name(?:\s+is|\s+was)?\s+")
_KNOWN_AS = re.compile(
    r"^\s*(?:\([^)\n]{1,80}\))?,?\s*(?:(?:also|generally|commonly|often|widely|better|popularly)\s+)?"
    r"(?:known|referred to|shortened to|abbreviated to|abbreviated as|called|nicknamed|dubbed)"
    r"(?:\s+by\s+(?:his|her|its|their|the)\s+(?:\w+\s+)?(?:kunya|nom de guerre|alias|nickname|name|acronym|initials|abbreviation))?\s+(?:as\s+)?"
    r"|^\s*,?\s*(?:alias|a\.k\.a\.?|aka)\s+"
    r"|^\s*[-–—,(]?\s*(?:its|whose)\s+name\s+(?:means|translates(?:\s+as)?|is\s+translated\s+as)\s+(?:the\s+)?",
    re.I,
)
_ALIAS_NAME = re.compile(r"(?:the\s+)?[\"'“‘]?(?P<name>(?:al-|el-|ad-|as-|ash-|an-|ar-|at-|az-|ul-)?[A-Z][\w'’.-]*(?:\s+(?:of\s+|de\s+|del\s+|al-|el\s+)?[A-Z][\w'’.-]*){0,6})[\"'”’]?")


_WORD_BEFORE = re.compile(r"([\w'’.-]+)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+([\w'’.-]+)")


def _inside_a_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] has a capitalized word beside it on its line that is not a function word
    ("Maria Cordoba Airport"; not "In Rionegro", "of Rionegro")."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    after = _WORD_AFTER.match(text, end)
    return any(m is not None and m.group(1)[:1].isupper() and m.group(1).lower() not in NOT_NAME_PARTS
               for m in (before, after))


@dataclass
class EntityIndex:
    """The result of entity analysis: local entities and a char-offset lookup."""

    entities: list[LocalEntity]
    spans: list[Span]  # by start
    by_id: dict[str, LocalEntity] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list, repr=False)
    _longest: int = field(default=0, repr=False)

    def _index(self) -> None:
        if len(self._starts) != len(self.spans):
            self._starts = [s.start for s in self.spans]
            self._longest = max((s.end - s.start for s in self.spans), default=0)

    def at(self, start: int, end: int) -> str | None:
        """The entity id of the first span overlapping [start, end), if any.

        A bisection over the starts, not a scan: the extractors ask once per token, so a scan made
        a long document's analysis quadratic."""
        self._index()
        lo = bisect.bisect_right(self._starts, start - self._longest)  # earlier spans end before ``start``
        for i in range(lo, bisect.bisect_left(self._starts, end)):
            s = self.spans[i]
            if start < s.end and s.cluster >= 0:
                return f"e{s.cluster}"
        return None

    def within(self, start: int, end: int) -> list[Span]:
        """The entity spans lying wholly inside [start, end), in order."""
        self._index()
        return [s for s in self.spans[bisect.bisect_left(self._starts, start):bisect.bisect_left(self._starts, end)]
                if s.end <= end and s.cluster >= 0]

    def before(self, offset: int):
        """The entity spans ending at or before ``offset``, the last first."""
        self._index()
        for i in range(bisect.bisect_left(self._starts, offset) - 1, -1, -1):
            s = self.spans[i]
            if s.end <= offset and s.cluster >= 0:
                yield s

    def name_start(self, pos: int) -> int:
        """Where the name that ``pos`` falls inside begins (``pos`` itself when it begins none or is outside
        every name): a span cut inside "AVIANCA AIRLINES" starts at "AVIANCA"."""
        if self.at(pos, pos + 1) is None:
            return pos
        lo = bisect.bisect_right(self._starts, pos - self._longest)
        return min((s.start for s in self.spans[lo:bisect.bisect_left(self._starts, pos)]
                    if s.start < pos < s.end and s.cluster >= 0), default=pos)

    def type_of(self, eid: str | None) -> str | None:
        return self.by_id[eid].type if eid and eid in self.by_id else None



def _another_name(span: Span, part: str) -> bool:
    """Whether "NAME (PART)" gives another name of what NAME names, not where it lies: "Gourma Liberation
    Army (GLA)", "United States (US)", "Deir ez-Zor (Deir Ezzor)"; not "Neiva (Huila)", "MEXICO CITY
    (MEXICO)", "Svetlana Masterkova (Russia)" (a name the model did not read as a person's), nor
    "Colombia (FARC)", whose group the model left out of the name."""
    if ACRONYM.match(part):
        return span.type != "location" or initials(span.text) == part.replace(".", "").upper()
    if gazetteer.is_place(part):
        here, there = gazetteer.resolve(span.text), gazetteer.resolve(part)
        return here is not None and there is not None and here.key == there.key
    return True


def _aliases_after(text: str, span: Span) -> list[str]:
    """Names a document gives right after a name: "[Alt Name] (ACR/ALT)", "also known as X"."""
    tail = text[span.end:span.end + 160]
    out: list[str] = []
    m = _ALIAS_AFTER.match(tail) if span.type != "person" else None
    if m:
        if m.group("alt") and any(ch.isupper() for ch in m.group("alt")):
            out.append(m.group("alt").strip())
        for part in re.split(r"[/;,]| or ", m.group("paren")):
            part = part.strip()
            for _ in range(2):
                part = _ALIAS_LABEL.sub("", part).strip(" *'\"‘’“”_")
            if part and not part.isascii() and not any("a" <= ch.lower() <= "z" for ch in part):
                continue  # another script: kept in the text, not as a name to match
            if part and (ACRONYM.match(part) or (part[0].isupper() and len(part.split()) <= 6 and not re.search(r"\d", part))) \
                    and _another_name(span, part):
                out.append(part)
    if span.type == "person":
        r = _REAL_NAME.match(tail)
        if r:  # "Abu Yahya al-Iraqi, ... whose real name is Sa'ad Hamid al-Rawi"
            n = _ALIAS_NAME.match(tail, r.end())
            if n:
                out.append(n.group("name").rstrip(".,"))
    k = _KNOWN_AS.match(tail)
    if k and re.search(r"\b(?:his|her)\b", k.group(0), re.I) and span.type != "person":
        k = None  # "known by his alias": a person's alias, not this group's
    if k:
        n = _ALIAS_NAME.match(tail, k.end())
        if n:
            out.append(n.group("name").rstrip(".,"))
    return out



class _Taken:
    """The name spans found so far, by position: which overlap a stretch, which sit exactly on it.

    A document names the same things again and again, so the searches below ask this once per
    occurrence; a list scanned each time made a long document's analysis quadratic."""

    def __init__(self, spans: list[Span]) -> None:
        self.keys: list[tuple[int, int, int]] = []  # (start, end, serial), sorted
        self.by_key: dict[tuple[int, int, int], Span] = {}
        self.serial = 0
        self.longest = 0
        for sp in spans:
            self.add(sp)

    def add(self, sp: Span) -> None:
        key = (sp.start, sp.end, self.serial)
        self.serial += 1
        bisect.insort(self.keys, key)
        self.by_key[key] = sp
        self.longest = max(self.longest, sp.end - sp.start)

    def remove(self, sp: Span) -> None:
        key = next(k for k in self.overlapping_keys(sp.start, sp.end) if self.by_key[k] is sp)
        self.keys.pop(bisect.bisect_left(self.keys, key))
        del self.by_key[key]

    def overlapping_keys(self, start: int, end: int) -> list[tuple[int, int, int]]:
        lo = bisect.bisect_right(self.keys, (start - self.longest, start + 1, -1))
        hi = bisect.bisect_left(self.keys, (end, -1, -1))
        return [k for k in self.keys[lo:hi] if start < k[1]]

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans overlapping [start, end), in the order they were added."""
        return [self.by_key[k] for k in sorted(self.overlapping_keys(start, end), key=lambda k: k[2])]

    def exactly(self, start: int, end: int) -> list[Span]:
        return [sp for sp in self.overlapping(start, end) if (sp.start, sp.end) == (start, end)]


def _first_covering(spans: list[Span], starts: list[int], longest: int, start: int, end: int) -> int | None:
    """The index of the first span (``spans`` by start) that covers [start, end)."""
    lo = bisect.bisect_left(starts, end - longest)
    found = [i for i in range(lo, bisect.bisect_right(starts, start)) if end <= spans[i].end]
    return min(found) if found else None


def _last_before(cands: list[int], starts: list[int], start: int) -> int | None:
    """The last of ``cands`` (span indices, ascending, so by start) whose span starts before ``start``."""
    lo, hi = 0, len(cands)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[cands[mid]] < start:
            lo = mid + 1
        else:
            hi = mid
    return cands[lo - 1] if lo else None


def build_entities(doc, text: str, mined: list[tuple[int, int]], original: str | None = None) -> EntityIndex:
    """Local entities of one document. ``mined`` are the (start, end) regions analysed.

    ``text`` gives the names (it may be re-cased); ``original``, the stored text, gives the mentions.
    Each distinct name is searched for once, however often it occurs: a second search of the same
    name adds nothing, as every place it finds is taken by the first one's spans."""
    spans = collect_spans(doc, text, recased=original is not None and original != text, original=original)
    vote_types(doc, spans)
    regions = sorted(mined)
    region_starts = [a for a, _ in regions]

    def in_mined(offset: int) -> bool:
        i = bisect.bisect_right(region_starts, offset) - 1
        return i >= 0 and offset < regions[i][1]

    # acronyms and alternative names defined in the text become names of the same thing
    declared: list[tuple[Span, list[str]]] = []
    for sp in spans:
        if sp.type in ("organization", "location", "person"):
            names = _aliases_after(text, sp)
            if names:
                declared.append((sp, names))
    taken = _Taken(spans)
    extra: list[Span] = []
    # the type a declared name takes is its last owner's (each later owner retyped it), searched in
    # the order the names are first declared
    last_type = {name: owner.type for owner, names in declared for name in names}
    for name in dict.fromkeys(name for _owner, names in declared for name in names):
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(name)}(?![\w-])", text):
            if not in_mined(m.start()):
                continue
            same = taken.exactly(m.start(), m.end())
            for o in same:
                o.type = last_type[name]  # the text says this name is another name of the owner
            if same or taken.overlapping(m.start(), m.end()):
                continue
            span = Span(m.start(), m.end(), name, last_type[name], "ALIAS")
            extra.append(span)
            taken.add(span)
    # a multi-word organization name seen once is found again whatever its case
    searched: set[tuple[str, int]] = set()
    removed: set[int] = set()
    for sp in list(spans):
        acronym = bool(ACRONYM.match(sp.text)) and sp.text.upper() == sp.text
        if sp.type == "organization" and (len(sp.text.split()) >= 2 or acronym):
            flags = 0 if acronym else re.I
            if (sp.text, flags) in searched:
                continue
            searched.add((sp.text, flags))
            for m in re.finditer(rf"(?<![\w-]){re.escape(sp.text)}(?![\w-])", text, flags):
                if not in_mined(m.start()):
                    continue
                overlap = taken.overlapping(m.start(), m.end())
                if overlap and not all(m.start() <= o.start and o.end <= m.end() and o is not sp
                                       and (o.end - o.start) < (m.end() - m.start()) for o in overlap):
                    continue
                for o in overlap:  # a full name seen again beats the pieces the model tagged in it
                    taken.remove(o)
                    removed.add(id(o))
                span = Span(m.start(), m.end(), text[m.start():m.end()], sp.type, "RECASE")
                extra.append(span)
                taken.add(span)
    # a place the gazetteer knows, named as a place once, is that place wherever else the text names it
    # alone ("an attack at the airport in Rionegro", where the model read a product): not inside a longer
    # name ("Jose Maria Cordoba Airport"), nor where something else was found
    placed: set[str] = set()
    for sp in [sp for sp in spans if id(sp) not in removed and sp.type == "location"]:
        if sp.text in placed or not gazetteer.is_place(sp.text):
            continue
        placed.add(sp.text)
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(sp.text)}(?![\w-])", text):
            if in_mined(m.start()) and not taken.overlapping(m.start(), m.end()) and not _inside_a_name(text, m.start(), m.end()):
                span = Span(m.start(), m.end(), sp.text, "location", "PLACE")
                extra.append(span)
                taken.add(span)
    # a person named in full is found again by surname alone ("Harouna sat on ...")
    surnames: set[str] = set()
    for sp in [sp for sp in spans if id(sp) not in removed]:
        toks = strip_titles(sp.text).split()
        if sp.type == "person" and len(toks) >= 2 and len(toks[-1]) > 2 and toks[-1][0].isupper():
            if toks[-1] in surnames:
                continue
            surnames.add(toks[-1])
            for m in re.finditer(rf"(?<![\w'’-]){re.escape(toks[-1])}(?![\w-])", text):
                if in_mined(m.start()) and not taken.overlapping(m.start(), m.end()):
                    span = Span(m.start(), m.end(), toks[-1], "person", "SURNAME")
                    extra.append(span)
                    taken.add(span)
    spans = sorted([sp for sp in spans + extra if id(sp) not in removed], key=lambda s: s.start)

    # cluster: same key; declared aliases; a person's surname alone joins the full name
    parent: dict[int, int] = {}

    merged = [0]  # unions that joined two clusters: cached roots stay true until the next one

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while x != root:  # path compression: the root stays the cluster's least index
            parent[x], x = root, parent[x]
        return root

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
            merged[0] += 1

    first_by_key: dict[tuple[str, str], int] = {}
    for i, sp in enumerate(spans):
        name = strip_titles(sp.text) if sp.type == "person" else DIRECTIONAL.sub("", sp.text) if sp.type == "location" and gazetteer.is_place(DIRECTIONAL.sub("", sp.text)) else sp.text
        k = (sp.type, name_key(name))
        if k in first_by_key:
            union(first_by_key[k], i)
        else:
            first_by_key[k] = i
    position = {id(sp): i for i, sp in enumerate(spans)}
    starts = [sp.start for sp in spans]
    longest = max((sp.end - sp.start for sp in spans), default=0)
    for owner, names in declared:
        for name in names:
            k = (owner.type, name_key(name))
            holder = position.get(id(owner))
            if holder is None:  # the owner was replaced by a longer name covering it
                holder = _first_covering(spans, starts, longest, owner.start, owner.end)
            if k in first_by_key and holder is not None:
                union(first_by_key[k], holder)
    persons = [i for i, sp in enumerate(spans) if sp.type == "person"]
    keys = {j: [name_key(w) for w in strip_titles(spans[j].text).split()] for j in persons}
    # full names (two words or more) by the key of each word after the first: who a surname alone may be
    full_names: dict[str, list[int]] = {}
    for j in persons:
        if len(keys[j]) > 1:
            for key in dict.fromkeys(keys[j][1:]):
                full_names.setdefault(key, []).append(j)

    def join(i: int, cands: list[int], roots: set[int]) -> None:
        """A part of a name joins the one full name holding it, else (ambiguous) the nearest before it."""
        if len(roots) == 1:
            union(next(iter(roots)), i)
        elif cands and (before := _last_before(cands, starts, starts[i])) is not None:
            union(find(before), i)

    # a full name's last words alone ("Delgado Parker" after "Hector Delgado Parker") are that name
    for i in persons:
        tail = keys[i]
        if len(tail) > 1:
            cands = [j for j in full_names.get(tail[-1], ()) if len(keys[j]) > len(tail) and keys[j][-len(tail):] == tail]
            join(i, cands, {find(j) for j in cands})
    known_roots: dict[str, tuple[int, set[int]]] = {}  # a surname alone
    for i in persons:
        if len(keys[i]) != 1:
            continue
        key = keys[i][0]
        cands = full_names.get(key, [])
        cached = known_roots.get(key)
        if cached is None or cached[0] != merged[0]:
            cached = known_roots[key] = (merged[0], {find(j) for j in cands})
        join(i, cands, cached[1])
    roots: dict[int, int] = {}
    for i, sp in enumerate(spans):
        r = find(i)
        roots.setdefault(r, len(roots))
        sp.cluster = roots[r]
    by_cluster: dict[int, list[Span]] = {}
    for sp in spans:
        by_cluster.setdefault(sp.cluster, []).append(sp)
    entities: list[LocalEntity] = []
    for r, cid in sorted(roots.items(), key=lambda kv: kv[1]):
        members = by_cluster[cid]
        typ = members[0].type
        names = []
        for sp in members:
            text_ = " ".join(sp.text.split())  # a name broken over two lines is one name
            for n in (text_, strip_titles(text_) if typ == "person" else text_):
                if n not in names:
                    names.append(n)
        acronyms = tuple(n for n in names if ACRONYM.match(n) and n.upper() == n.replace("’", "'").upper())
        full = [n for n in names if n not in acronyms]
        said = [" ".join(sp.text.split()) for sp in members]
        # the name the text uses most, then the fullest: not a translation given once in brackets
        best = max(full or names, key=lambda n: (said.count(n) > 1, len(n.split()), len(n)))
        if typ == "person":
            best = strip_titles(best)
        elif typ == "location" and gazetteer.is_place(DIRECTIONAL.sub("", best)):
            best = DIRECTIONAL.sub("", best)
        if typ == "location":
            names = [best] + [n for n in names if n != best and not DIRECTIONAL.match(n)]
        entities.append(LocalEntity(
            id=f"e{cid}", type=typ, name=best, names=tuple(dict.fromkeys(names)),
            mentions=tuple(Mention(sp.start, sp.end, sp.text if original is None else original[sp.start:sp.end]) for sp in members),
            acronyms=acronyms,
        ))
    index = EntityIndex(entities=entities, spans=spans)
    index.by_id = {e.id: e for e in entities}
    return index

