"""Names in one document -> local entities: aliases the text declares, and in-document clusters.

``spans`` finds and types the names; this module joins the names one document uses for one
thing (an acronym it defines, a surname alone, a nickname) and indexes them by offset.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import LocalEntity, Mention
from ..names import name_key
from . import gazetteer
from .spans import ACRONYM, DIRECTIONAL, Span, collect_spans, strip_titles, vote_types

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


@dataclass
class EntityIndex:
    """The result of entity analysis: local entities and a char-offset lookup."""

    entities: list[LocalEntity]
    spans: list[Span]
    by_id: dict[str, LocalEntity] = field(default_factory=dict)

    def at(self, start: int, end: int) -> str | None:
        """The entity id of the span overlapping [start, end), if any."""
        for s in self.spans:
            if s.start < end and start < s.end and s.cluster >= 0:
                return f"e{s.cluster}"
        return None

    def type_of(self, eid: str | None) -> str | None:
        return self.by_id[eid].type if eid and eid in self.by_id else None



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
            if part and (ACRONYM.match(part) or (part[0].isupper() and len(part.split()) <= 6 and not re.search(r"\d", part))):
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



def build_entities(doc, text: str, mined: list[tuple[int, int]], original: str | None = None) -> EntityIndex:
    """Local entities of one document. ``mined`` are the (start, end) regions analysed.

    ``text`` gives the names (it may be re-cased); ``original``, the stored text, gives the mentions."""
    spans = collect_spans(doc, text, recased=original is not None and original != text)
    vote_types(doc, spans)
    # acronyms and alternative names defined in the text become names of the same thing
    declared: list[tuple[Span, list[str]]] = []
    for sp in spans:
        if sp.type in ("organization", "location", "person"):
            names = _aliases_after(text, sp)
            if names:
                declared.append((sp, names))
    extra: list[Span] = []
    for owner, names in declared:
        for name in names:
            for m in re.finditer(rf"(?<![\w'’-]){re.escape(name)}(?![\w-])", text):
                if not any(a <= m.start() < b for a, b in mined):
                    continue
                same = [o for o in spans + extra if (o.start, o.end) == (m.start(), m.end())]
                for o in same:
                    o.type = owner.type  # the text says this name is another name of the owner
                if same or any(o.start < m.end() and m.start() < o.end for o in spans + extra):
                    continue
                extra.append(Span(m.start(), m.end(), name, owner.type, "ALIAS"))
    # a multi-word organization name seen once is found again whatever its case
    for sp in list(spans):
        acronym = bool(ACRONYM.match(sp.text)) and sp.text.upper() == sp.text
        if sp.type == "organization" and (len(sp.text.split()) >= 2 or acronym):
            flags = 0 if acronym else re.I
            for m in re.finditer(rf"(?<![\w-]){re.escape(sp.text)}(?![\w-])", text, flags):
                if not any(a <= m.start() < b for a, b in mined):
                    continue
                overlap = [o for o in spans + extra if o.start < m.end() and m.start() < o.end]
                if overlap and not all(m.start() <= o.start and o.end <= m.end() and o is not sp
                                       and (o.end - o.start) < (m.end() - m.start()) for o in overlap):
                    continue
                for o in overlap:  # a full name seen again beats the pieces the model tagged in it
                    (spans if o in spans else extra).remove(o)
                extra.append(Span(m.start(), m.end(), text[m.start():m.end()], sp.type, "RECASE"))
    # a person named in full is found again by surname alone ("Harouna sat on ...")
    for sp in list(spans):
        toks = strip_titles(sp.text).split()
        if sp.type == "person" and len(toks) >= 2 and len(toks[-1]) > 2 and toks[-1][0].isupper():
            for m in re.finditer(rf"(?<![\w'’-]){re.escape(toks[-1])}(?![\w-])", text):
                if any(a <= m.start() < b for a, b in mined) and not any(
                        o.start < m.end() and m.start() < o.end for o in spans + extra):
                    extra.append(Span(m.start(), m.end(), toks[-1], "person", "SURNAME"))
    spans = sorted(spans + extra, key=lambda s: s.start)

    # cluster: same key; declared aliases; a person's surname alone joins the full name
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first_by_key: dict[tuple[str, str], int] = {}
    for i, sp in enumerate(spans):
        name = strip_titles(sp.text) if sp.type == "person" else DIRECTIONAL.sub("", sp.text) if sp.type == "location" and gazetteer.is_place(DIRECTIONAL.sub("", sp.text)) else sp.text
        k = (sp.type, name_key(name))
        if k in first_by_key:
            union(first_by_key[k], i)
        else:
            first_by_key[k] = i
    position = {id(sp): i for i, sp in enumerate(spans)}
    for owner, names in declared:
        for name in names:
            k = (owner.type, name_key(name))
            holder = position.get(id(owner))
            if holder is None:  # the owner was replaced by a longer name covering it
                holder = next((i for i, sp in enumerate(spans) if sp.start <= owner.start and owner.end <= sp.end), None)
            if k in first_by_key and holder is not None:
                union(first_by_key[k], holder)
    persons = [i for i, sp in enumerate(spans) if sp.type == "person"]
    for i in persons:
        name = strip_titles(spans[i].text).split()
        if len(name) != 1:
            continue
        cands = [j for j in persons if len(strip_titles(spans[j].text).split()) > 1
                 and name_key(name[0]) in [name_key(w) for w in strip_titles(spans[j].text).split()[1:]]]
        roots = {find(j) for j in cands}
        if len(roots) == 1:
            union(roots.pop(), i)
        elif cands:  # ambiguous surname: the nearest full name before it
            before = [j for j in cands if spans[j].start < spans[i].start]
            if before:
                union(find(before[-1]), i)
    roots: dict[int, int] = {}
    for i, sp in enumerate(spans):
        r = find(i)
        roots.setdefault(r, len(roots))
        sp.cluster = roots[r]
    entities: list[LocalEntity] = []
    for r, cid in sorted(roots.items(), key=lambda kv: kv[1]):
        members = [sp for sp in spans if sp.cluster == cid]
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

