"""Name spans in one document: the model's entities, re-typed and completed by general rules.

The statistical model proposes spans; rules on the heads of names, title prefixes, name
particles, a place gazetteer, appositions and acronyms defined in the text fix their types,
give back the words the model cut off and add the names it missed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..ingest.dates import parse_wire_dateline
from ..names import name_key
from . import gazetteer
from .casing import lowercase_share
from .lexicons import cues

_LABELS = {"ORG": "organization", "PERSON": "person", "GPE": "location", "LOC": "location", "FAC": "location", "NORP": None}
_OWNER_PLACE = re.compile(r"([^'’]+?)['’]s\s+(?=[A-Z])")  # "Tegucigalpa's Florencia del Este": a place, then one in it
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$", re.I)  # "SAN SALVADOR'S", re-cased "San Salvador'S", is San Salvador
DIRECTIONAL = re.compile(r"^(?:northern|southern|eastern|western|north-eastern|north-western|south-eastern|south-western|northeastern|northwestern|southeastern|southwestern)\s+", re.I)
_LINKED = re.compile(r"^(.+?)[-–](?:linked|affiliated|affiliate|allied|aligned|backed|inspired|connected)\s+(?:the\s+)?((.+))$", re.I)
_PLACE_BEFORE = re.compile(r"\b(?:town|township|city|village|hamlet|district|province|region|county|municipality|outskirts|"
                           r"suburb|port|capital)\s+of\s+$", re.I)
# "in the towns of Santo Tomas de Pata, Pulluhuaman, Anta, and Rosaspata", "Honduran towns, among them Alauca,
# Samayares, Oropoli, and Santa Maria": each name of the list is a place
_PLACES_BEFORE = re.compile(r"\b(?i:towns|cities|villages|hamlets|districts|provinces|departments|municipalities|regions|"
                            r"localities|communities|townships|cantons)(?:\s+of|,?\s+(?i:among\s+them|such\s+as|including|namely|like))\s+"
                            r"(?:[A-Z][^,;:.()]{0,40}?(?:,\s+|,?\s+(?i:and|or)\s+)){0,8}(?:(?i:and|or)\s+)?$")
# "in the Magdalena, Capillapata, and Conchopata neighborhoods"
_PLACES_AFTER = re.compile(r"(?:(?:,\s+|,?\s+(?i:and|or)\s+)[A-Z][^,;:.()]{0,40}?){0,8}\s+(?i:neighborhoods|neighbourhoods|"
                           r"villages|towns|hamlets|districts|provinces|departments|municipalities|cantons|townships)\b")


def _in_place_list(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a name in a list of towns or neighbourhoods (``_PLACES_BEFORE``, ``_PLACES_AFTER``)."""
    return bool(_PLACES_BEFORE.search(text[max(0, start - 400):start]) or _PLACES_AFTER.match(text, end))


_NEAR = re.compile(r"\b(?:outside|near|nearby|between|towards?)\s+$", re.I)
_FEATURE_TAIL = re.compile(r" (valley|river|road|highway|street|forest|mountains|hills|desert|lake|camp|camps|gorge|pass|plateau|swamps?)\b")
_PLACE_PREP = re.compile(r"\b(?:in|near|at|outside|into|across|around|from|between|towards?|left)\s+$", re.I)
_PAREN_ACRONYM = re.compile(r"\(([A-Z][A-Za-z-]{0,3}[A-Z][A-Za-z-]{0,7})\)")
_FUNCTION_WORDS = {"of", "the", "and", "for", "in", "al", "el", "de", "del", "la", "los", "las", "des", "du", "le", "y", "e",
                   "to", "on", "at", "pour", "et", "les", "da", "do", "dos", "por", "para", "a"}
_NAMED_FEATURE = re.compile(r"\b([A-Z][\w]+)\s+(?:de\s+la\s+|del\s+|de\s+|of\s+(?:the\s+)?)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?")
_NAMED_AREA = re.compile(r"\b(?:the|in|near|at)\s+((?:[A-Z][\w'’-]+\s){1,3})(?:province|region|district|valley|governorate|county|department|municipality|prefecture|oblast)\b")
@lru_cache(maxsize=1)
def _named_locality() -> tuple[re.Pattern, frozenset[str]]:
    """A name before a word for a place smaller than a town (cues' ``locality_units``), after "the" or a
    preposition of place ("the Escalon neighborhood", "in Horcones de Berlin canton", "near the "La
    Eminencia" farm"), the name alone; or a name after such a word that comes first, with it (``locality_before``:
    "Colonia Escandia"). Capitals as written or re-cased, particles inside. With it, the words that before
    such a word say what kind of people live there, not a name ("the Sunni neighbourhood")."""
    units = "|".join(sorted(map(re.escape, cues()["locality_units"]), key=len, reverse=True))
    word = r"[A-Z][\w'’-]+"
    before = "|".join(sorted(map(re.escape, cues()["locality_before"]), key=len, reverse=True))
    name = rf"((?:{word}\s(?:(?:de|del|de la|la|las|los|el)\s)?){{0,2}}{word})"
    pattern = re.compile(rf"(?:\b(?i:the|in|at|near|of)|,)\s+[\"“]?{name}[\"”]?\s+(?i:{units})\b"
                         rf"|(?P<after>\b(?i:{before})\s+{name[1:]}")
    c = cues()
    return pattern, frozenset(c["demonyms"]) | frozenset(c["not_names"]) | frozenset(c["not_locality_names"])


_PERSON_AFTER = re.compile(r"^,?\s+(?:alias|a\.k\.a\.?|aka|known as)\s+[\"'“‘]", re.I)
ACRONYM = re.compile(r"^[A-Z][A-Za-z'’.]{0,3}[A-Z][A-Za-z'’.]{0,8}$")


@dataclass
class Span:
    start: int  # character offsets into the document text
    end: int
    text: str
    type: str
    label: str = ""
    cluster: int = -1



def _clean(text: str, start: int) -> tuple[str, int, int]:
    """Trim brackets, leading 'the', possessives and punctuation; return (text, start, end)."""
    opened = re.match(r"(?i)(?:the\s+)?[\"“‘']+(?=\w)", text)  # 'the "Islamic State': the name is in the quotes
    if opened:
        text, start = text[opened.end():], start + opened.end()
    cut = min([i for i in (text.find("("), text.find("["), text.find("\n\n"), text.find(" - "), text.find(" – "),
                           text.find(" — "), text.find('"'), text.find("“"), text.find(" a "), text.find(" an "))
               if i > 0] or [len(text)])
    t = text[:cut]
    lead = len(t) - len(t.lstrip(" \"'“‘-–"))
    t = t.strip(" \"'“”‘’-–,.;:")
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", t) and text.startswith(t + ".", lead):
        t += "."  # "U.S.", "U.N.": the last period is the initialism's, not the sentence's
    # keep the offset of the kept text in step with what was stripped on the left
    s = start + lead
    m = re.match(r"(?i)the\s+", t)
    if m:
        t = t[m.end():]
        s += m.end()
    t = _POSSESSIVE.sub("", t).rstrip(" -")
    return t, s, s + len(t)


def _retype(text: str, label: str, person_surnames: set[str]) -> str | None:
    c = cues()
    tokens = text.split()
    if not tokens:
        return None
    head = tokens[-1].lower()
    first = tokens[0].lower()
    base = DIRECTIONAL.sub("", text)
    if label in ("ORG", "NORP", "GPE", "LOC", "FAC", "PERSON") and gazetteer.is_place(base) and len(tokens) <= 4 \
            and (label in ("GPE", "LOC") or not base.isupper() or _known_place(base)):  # "UN", "OAS" stay groups
        if label != "PERSON" or gazetteer.is_country(base):
            return "location"
    if len(tokens) >= 2 and head in c["admin_unit_words"] and label in ("ORG", "NORP", "FAC", "PERSON"):
        region = gazetteer.resolve(base)
        if region is not None and region.kind in ("admin1", "admin2"):
            return "location"  # "Morazan Department", "Cundinamarca Department": a region the gazetteer knows
    if len(tokens) >= 2 and head in c["locality_units"] and head not in ("sector", "estate") and label in ("ORG", "NORP", "PERSON", "FAC"):
        return "location"  # "Narino Corregimiento", "Horcones canton": a place smaller than a town
    if len(tokens) >= 2 and first in c["person_name_prefixes"] and label in ("NORP", "ORG", "GPE", "PERSON", "FAC"):
        return "person"
    if len(tokens) >= 2 and first in c["org_first_words_strong"]:
        return "organization"  # Harakat ..., Kataib ..., Frente de ..., Jabhat ...
    if len(tokens) >= 3 and any(t.lower() in _NAME_PARTICLES for t in tokens[1:-1]):
        return "person"  # Amadou Ag Sidimou, Hamid Ould Cheikhna, Osama bin Laden
    if len(tokens) >= 2 and first in c["location_first_words"]:
        return "location"
    if len(tokens) >= 2 and first in ("los", "las") and not gazetteer.is_place(text):
        return "organization"  # Los Manglares, Los Zetas
    if label in ("FAC", "NORP", "PERSON") and head in c["org_heads"] and head != "state" and len(tokens) >= 2:
        return "organization"
    if label in ("ORG", "NORP", "PERSON") and head in c["location_heads"] and head not in c["org_heads"] and len(tokens) >= 2 \
            and (head not in c["org_or_place_heads"] or DIRECTIONAL.match(text + " ") or tokens[0].lower() in (
                "west", "east", "north", "south", "left", "right")):
        return "location"  # "Juba Valley", "West Bank"; not "World Bank"
    if label == "NORP":
        if len(tokens) == 1 and text in person_surnames:
            return "person"
        return None
    return _LABELS.get(label)


def strip_titles(name: str) -> str:
    titles = cues()["person_titles"]
    tokens = name.split()
    while len(tokens) > 1:
        two = " ".join(tokens[:2]).lower().rstrip(".")
        if two in titles:
            tokens = tokens[2:]
            continue
        if tokens[0].lower().rstrip(".") in titles and tokens[0].lower() not in cues()["person_name_prefixes"]:
            tokens = tokens[1:]
            continue
        break
    return " ".join(tokens)


def _opens_dateline(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is the place word of a wire dateline opening its line ("BOGOTA, 23 AUG 88
    (EFE) --", "CLANDESTINE, NO DATE (RADIO VENCEREMOS) --")."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return False
    line = text[line_start:line_start + 200]
    comma = line.find(",")
    return 0 <= comma and end <= line_start + comma + 1 and parse_wire_dateline(line.lstrip()) is not None


def collect_spans(doc, text: str, recased: bool = False, original: str | None = None) -> list[Span]:
    """Model spans, joined ("Malian" + "army", "Front" + "pour le Salut du Gourma"), cleaned and re-typed by rule.

    ``recased``: ``text`` is all-capitals or all-lowercase copy re-cased (``casing.prepare``), whose
    capitals are guesses, not the writer's."""
    ents = _extend_orgs(doc, _extend_persons(doc, list(doc.ents)))
    raw: list[tuple[int, int, str, str]] = []
    i = 0
    while i < len(ents):
        e = ents[i]
        if e.label_ == "NORP" and i + 1 < len(ents) and ents[i + 1].label_ == "ORG" and ents[i + 1].start == e.end:
            n = ents[i + 1]
            raw.append((e.start_char, n.end_char, text[e.start_char:n.end_char], "ORG"))
            i += 2
            continue
        label = e.label_
        if label == "ORG" and _PERSON_AFTER.match(text[e.end_char:e.end_char + 40]) and not any(
                t.lower_ in cues()["org_heads"] for t in e):
            label = "PERSON"  # 'Wilmer Arbeláez Cuero, alias "Pescado"': an alias is a person's
        before = doc[e.start - 2] if e.start > 1 and doc[e.start - 1].text == "," else doc[e.start - 1] if e.start else None
        if label == "ORG" and before is not None and before.lemma_.lower() in _ROLE_BEFORE and len(e) <= 4 \
                and not any(t.lower_ in cues()["org_heads"] for t in e) and not e.text.isupper():
            label = "PERSON"  # "GLA spokesman Hassane Wangara": a role word names the person after it
        if label in ("ORG", "FAC", "GPE", "LOC", "NORP") and e.start and len(e) <= 4 \
                and doc[e.start - 1].lower_ in cues()["kin_nouns"]:
            label = "PERSON"  # "her husband Victor Hugo Rodriguez": a kin word names the person after it
        raw.append((e.start_char, e.end_char, e.text, label))
        i += 1
    for e in doc.ents:  # "the Malian army", "Colombian forces": a state's forces act as a group
        if e.label_ == "NORP" and e.end < len(doc) and (doc[e.end].lower_ in _FORCES or (
                doc[e.end].lower_ in _FORCE_MODIFIERS and e.end + 1 < len(doc) and doc[e.end + 1].lower_ in _FORCES)):
            end = e.end + (2 if doc[e.end].lower_ in _FORCE_MODIFIERS else 1)
            raw = [r for r in raw if not (r[0] == e.start_char and r[3] == "NORP")]
            raw.append((e.start_char, doc[end - 1].idx + len(doc[end - 1].text), doc[e.start:end].text, "ORG"))
    raw.sort()
    persons = {t.split()[-1] for (_, _, t, lab) in raw if lab == "PERSON" and len(t.split()) > 1}
    split: list[tuple[int, int, str, str]] = []
    for s, e, t, label in raw:
        g = _STATE_BODY.match(t)
        if g and label == "ORG" and (gazetteer.is_country(g.group(1)) or g.group(1).lower() in cues()["place_aliases"]):
            split.append((s + g.start(1), s + g.end(1), g.group(1), "GPE"))  # "US State Department": the state acts
            split.append((s + g.start(2), e, g.group(2), "ORG"))
            continue
        m = _LINKED.match(t)
        if m and label in ("ORG", "NORP", "PERSON", "GPE"):
            split.append((s, s + len(m.group(1)), m.group(1), "ORG"))
            split.append((s + m.start(3), e, m.group(3), "ORG"))
        else:
            split.append((s, e, t, label))
    raw = split
    c = cues()
    stop = set(c["not_names"]) | set(c["demonyms"]) | set(c["perpetrator_nouns"]) | _event_words()
    spans: list[Span] = []
    for s, e, t, label in raw:
        if label not in _LABELS:
            continue
        if gazetteer.fold(_POSSESSIVE.sub("", t.strip())) in stop or gazetteer.fold(t.strip()).removeprefix("the ") in stop:
            continue
        ct, cs, ce = _clean(t, s)
        if len(ct) < 2 or not any(ch.isupper() for ch in ct):
            continue
        if gazetteer.fold(ct).removeprefix("the ") in stop:
            continue
        if " " not in ct and ct in persons and not gazetteer.is_country(ct):
            label = "PERSON"  # the surname of someone named in full here, whatever the model said
        # a name in a list of towns or neighbourhoods is a place, whatever the model said ("the towns of ...,
        # Pulluhuaman, Anta, and Rosaspata", "the Magdalena, Capillapata, and Conchopata neighborhoods")
        listed = _in_place_list(text, cs, ce)
        typ = "location" if listed else _retype(ct, label, persons)
        if typ is None:
            continue
        if typ != "location" and _opens_dateline(original or text, cs, ce):  # as written: re-casing blurs it
            if not gazetteer.is_place(ct):
                continue  # "CLANDESTINE, NO DATE (RADIO VENCEREMOS) --": the dateline's place word names no one
            typ = "location"
        if typ != "location" and _PLACE_BEFORE.search(text[max(0, cs - 30):cs]):
            typ = "location"  # "the town of Ayorou"
        if listed and ", " in ct:  # "the towns of ..., Pulluhuaman, Anta, ...": the model read two names as one
            for part in re.finditer(r"[^,]+", ct):
                name = part.group().strip()
                if name[:1].isupper():
                    at = cs + part.start() + part.group().index(name)
                    spans.append(Span(at, at + len(name), text[at:at + len(name)], "location", label))
            continue
        if typ == "location" and " on " in ct:  # "Ramla Hotel on Maka al-Mukarama road": two places
            first, _, second = ct.partition(" on ")
            spans.append(Span(cs, cs + len(first), first, "location", label))
            cs, ct = ce - len(second), second
        if typ == "location":
            m = _FEATURE_TAIL.match(text, ce)
            if m:  # "the Juba valley", "Maka al-Mukarama road": the feature word is part of the name
                ct, ce = text[cs:m.end()], m.end()
        if typ in ("person", "organization") and ct not in persons and _NEAR.search(text[max(0, cs - 12):cs]) \
                and ct.split()[0].lower() not in c["org_first_words_strong"]:
            typ = "location"  # "outside Dolo Ado", "near Ayorou"
        if typ == "organization" and " " not in ct and not ACRONYM.match(ct) and _PLACE_PREP.search(text[max(0, cs - 12):cs]) \
                and ct.lower() not in c["org_first_words_strong"] and ct.lower() not in c["news_organizations"]:
            typ = "location"  # "the camp at Ansongo": a one-word "organization" after a place preposition
        after_prep = _PLACE_PREP.search(text[max(0, cs - 12):cs]) is not None
        if typ == "person" and (
                gazetteer.is_main_name(ct) and (after_prep or (len(ct.split()) == 1 and ct not in persons))
                or after_prep and ct not in persons and _big_place(ct)):
            typ = "location"  # "a market in Gao"; "Kismayo" alone, when no one in the text is named so;
            # "in Cartagena de Indias" (another name of a city of 100,000 or more)
        if typ == "location" and _acts(doc, cs, ce) and not gazetteer.is_place(DIRECTIONAL.sub("", ct)) \
                and ct.split()[-1].lower() not in c["location_heads"]:
            typ = "organization"  # an unknown "place" that claims, fights or is based somewhere is a group
        spans.append(Span(cs, ce, text[cs:ce], typ, label))
    for extra in _rule_spans(doc, text):
        overlap = [sp for sp in spans if sp.start < extra.end and extra.start < sp.end]
        if all(extra.start <= sp.start and sp.end <= extra.end and ((sp.end - sp.start) < (extra.end - extra.start)
               or extra.label == "AREA") for sp in overlap):  # "the Escalon neighborhood": a place, whatever the model said
            for sp in overlap:  # "Frente ... Libertadora–Comando Sur (FRL-CS)" beats "Frente ... Libertadora"
                spans.remove(sp)
            spans.append(extra)
    return _places_that_are_places(doc, text, sorted(spans, key=lambda sp: sp.start), recased)


_DIRECTIONS = {w.lower() for w in DIRECTIONAL.pattern.strip("^()?:\\s+").split("|")} | {
    "north", "south", "east", "west", "central"}
_DETERMINERS = {"the", "our", "this", "that", "a", "an", "its", "their", "his", "her", "your", "my"}
# words that do not make a neighbouring capitalised word part of a name ("Attack In Kabul" in a headline)
NOT_NAME_PARTS = {"of", "the", "and", "for", "in", "at", "on", "to", "from", "by", "with", "near", "a", "an", "or",
                  "into", "outside", "over", "after", "before", "against", "as", "i"}


@lru_cache(maxsize=1)
def _single_place_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words that make a one-word name next to them a place ("Zacamil neighborhood"), and capitalised
    words a place name stands beside without being a piece of a longer name ("Lake", "Northern",
    "Army" in "the Guatemala Army", "Mayor" in "Medellin Mayor")."""
    c = cues()
    heads = frozenset(c["place_nouns"]) | frozenset(c["location_heads"]) | frozenset(c["admin_unit_words"])
    beside = heads | set(c["location_first_words"]) | _DIRECTIONS | set(c["org_heads"]) | set(c["person_titles"]) \
        | _ROLE_BEFORE | _FORCES | NOT_NAME_PARTS
    return heads, frozenset(beside)


def model_entity(tok):
    """The spaCy span of the model's entity (one of ``doc.ents``) that holds this token, or None: found from the tokens'
    IOB marks around it, not by reading every entity of the document (``doc.ents`` builds them all at each read,
    which a long text cannot afford for each token asked about)."""
    if tok.ent_iob_ not in ("B", "I"):
        return None
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def _word_beside(doc, i: int, step: int):
    """The token at ``i`` or, past spaces and a single line break (hard-wrapped copy), the next one in
    direction ``step``; None at a paragraph break or the end of the text."""
    while 0 <= i < len(doc) and doc[i].is_space:
        if "\n\n" in doc[i].text:
            return None
        i += step
    return doc[i] if 0 <= i < len(doc) else None


def _rest_of_the_name(doc, sp: Span):
    """The word beside a one-word name that shows it to be a piece of a longer capitalised name, or None:
    "El" of "El Salvador", "Sanchez" of "Salvador Sanchez Ceren", "La" of "La Aurora airport"."""
    span = doc.char_span(sp.start, sp.end, alignment_mode="expand")
    if span is None:
        return None
    _, beside = _single_place_words()

    def name_part(tok) -> bool:
        if not (tok.is_alpha and tok.text[:1].isupper() and not tok.text.isupper() and tok.sent == span.sent):
            return False
        if tok.lower_ in beside:
            return False
        if sp.label == "GAZETTEER":
            return True  # a word the model left out of every name, beside a name: "San" of "San Jose agreement"
        if tok.ent_type_ and tok.ent_type_ not in ("PERSON", "GPE", "LOC", "NORP"):
            return False  # "Lima Wednesday", "Madrid EFE": two names side by side
        if tok.ent_type_ in ("GPE", "LOC", "NORP"):  # the model's other half of one place ("San" + "Jose")?
            other = model_entity(tok)
            if other is None:
                return False
            joined = doc[min(span.start, other.start):max(span.end, other.end)].text
            return gazetteer.is_place(joined)  # "Bogota" + "El Dorado" (an airport) are two
        return tok.ent_type_ == "PERSON" or tok.pos_ == "PROPN"  # not "Europe Nevertheless" re-cased

    def spaced(tok, step: int) -> bool:  # not glued to the span ("Salvador's", "Cano Limon-Covenas")
        return tok is not None and bool((doc[tok.i - 1] if step > 0 else tok).whitespace_ or
                                        (doc[tok.i - 1].is_space if step > 0 else doc[tok.i + 1].is_space))

    before, after = _word_beside(doc, span.start - 1, -1), _word_beside(doc, span.end, 1)
    before, after = (before if spaced(before, -1) else None), (after if spaced(after, 1) else None)
    if before is not None and not before.is_sent_start and name_part(before):
        return before
    if after is not None and name_part(after) and not gazetteer.is_country(sp.text):
        return after  # but a country before a word is its attribute ("Peru Government")
    return None


def _common_noun(doc, sp: Span) -> bool:
    """A word that names a town only in the gazetteer, used as a noun after a determiner: "the
    Republic", "our Republic", "the University and" (small American towns so named)."""
    span = doc.char_span(sp.start, sp.end, alignment_mode="expand")
    before = _word_beside(doc, span.start - 1, -1) if span is not None else None
    if before is None or before.lower_ not in _DETERMINERS:
        return False
    after = _word_beside(doc, span.end, 1)
    if after is not None and after.pos_ in ("NOUN", "PROPN"):
        return False  # "the Kabul government", "the Mosul offensive": a place naming what follows
    place = gazetteer.resolve(DIRECTIONAL.sub("", sp.text))
    return place is not None and place.kind == "city" and (place.population or 0) < 100_000 \
        and DIRECTIONAL.sub("", sp.text).lower() not in cues()["world_regions"]


_UNIT_AFTER = re.compile(r"^\s*,\s*(?:[A-Za-z][\w'’-]*\s+){1,3}([a-z]+)\b", re.I)  # "Ilobasco, cabanas Department"
_APPOSED = re.compile(r"^\s*,\s*(?:a|an|the)\s+(?:[a-z-]+\s+){0,3}([a-z]+)\b")  # "Oroya, a key mining town"


def _word_or_singular_in(word: str, words: frozenset[str]) -> bool:
    """Whether a lowercase word, or the word less a final "s" ("camps", "raids"), is among ``words``."""
    return word in words or word[:-1] in words


def _place_context(text: str, sp: Span, places: list[Span]) -> bool:
    """Words around a one-word name that make it a place: a place noun after it ("Zacamil
    neighborhood", "Palmerola base") or in an apposition ("Oroya, a key mining town"), "the town of"
    or "near" before it, "located" after it, a place it lies in ("Benadia in Arauca"), or a place beside
    it in a list or an apposition ("Ilobasco, Cabañas Department"; "Jamastran, El Paraiso")."""
    heads, _ = _single_place_words()
    after = text[sp.end:sp.end + 60]
    before = text[max(0, sp.start - 30):sp.start]
    m = re.match(r"[\s-]+([A-Za-z]+)", after)
    if m and m.group(1).lower() in heads:
        return True
    if _in_place_list(text, sp.start, sp.end):
        return True  # in a list of towns or neighbourhoods
    if _PLACE_BEFORE.search(before) or re.search(r"\b(?:outside|near|nearby|towards?)\s+$", before[-12:], re.I):
        return True  # not "between": "relations between North and South"
    m = re.search(r"\b([a-z]+)\s+(?:in|at|near|outside|into)\s+$", before)
    if m and (_word_or_singular_in(m.group(1), heads) or _word_or_singular_in(m.group(1), _event_words())):
        return True  # "the prison in Ouallam", "an ambush near Ayorou", "raids in Arcatao"
    m = re.match(r"\s+and\s+other\s+([a-z]+)", after)
    if m and _word_or_singular_in(m.group(1), heads):
        return True  # "Zacamil and other neighborhoods"
    m = re.match(r"\s*,?\s*([a-z]+)", after)
    if m and m.group(1) in cues()["place_after_words"]:
        return True
    for pat in (_UNIT_AFTER, _APPOSED):
        m = pat.match(after)
        if m and m.group(1).lower() in heads:
            return True
    for other in places:
        if other is sp:
            continue
        if other.start >= sp.end:
            gap = text[sp.end:other.start]
            if len(gap) <= 6 and re.fullmatch(r"\s*(?:,|,?\s*and|,?\s*or|,?\s*in)\s*", gap):
                return True
        elif sp.start - other.end <= 6 and re.fullmatch(r"\s*(?:,|,?\s*and|,?\s*or)\s*", text[other.end:sp.start]):
            return True
    return False


COMMON_WORD_SHARE = 0.25  # a word this often written in lowercase is a common word before it is a small town


def _big_place(name: str) -> bool:
    """The gazetteer knows the name as a country, a region or a city of 100,000 people or more."""
    place = gazetteer.resolve(name)
    return place is not None and (place.kind != "city" or (place.population or 0) >= 100_000)


def _known_place(name: str) -> bool:
    """The gazetteer knows the name; a word in capitals only as a country, a region or a big city
    ("CALI"), not as a small town so spelt in lower case ("UN" is no Indian town here, "OAS" none in
    the Philippines)."""
    name = DIRECTIONAL.sub("", name)
    if name.lower() in cues()["world_regions"]:
        return True
    if name.isupper() and len(name) > 1 and not gazetteer.is_country(name):
        return _big_place(name)
    place = gazetteer.resolve(name)
    if place is not None and place.kind == "city" and (place.population or 0) < 100_000 \
            and lowercase_share(name) >= COMMON_WORD_SHARE:
        return False  # a common word that is also a town ("University", "Union", "Bank"): context decides
    return place is not None  # not "Southern" alone (a Zambian province's name)


def _places_that_are_places(doc, text: str, spans: list[Span], recased: bool = False) -> list[Span]:
    """A one-word name typed as a place stays one only where the gazetteer or the context makes it one.

    A piece of a longer name is never a place by itself (joined to the rest of the name when that is a
    place: a hard-wrapped "San\nSalvador", "El" + "Triunfo"). In re-cased text, whose capitals are guesses,
    a word the gazetteer does not know (``_known_place``) needs context (``_place_context``) at this
    mention or another mention of it in the document; in text as written the writer's capital and the
    model's type are trusted. What is left is dropped, or given back to the model's organization."""
    def single(sp: Span) -> bool:
        return sp.type == "location" and len(sp.text.split()) == 1 and sp.label not in ("ALIAS", "AREA", "FEATURE")

    directions = _DIRECTIONS  # "the Southern coast", "Eastern departments", "North and South": no names
    pieces: set[int] = set()
    for k, sp in enumerate(spans):
        if not single(sp) or id(sp) in pieces:
            continue
        rest = _rest_of_the_name(doc, sp)
        if rest is not None:
            start, end = min(sp.start, rest.idx), max(sp.end, rest.idx + len(rest.text))
            inside = [o for o in spans if o is not sp and o.start < end and start < o.end]
            if gazetteer.is_place(" ".join(text[start:end].split())) and all(
                    single(o) and start <= o.start and o.end <= end for o in inside):
                spans[k] = Span(start, end, text[start:end], "location", sp.label)  # "El" + "Triunfo": one place
                pieces.update(id(o) for o in inside)  # "San" and "Salvador" found apart: one place
            else:
                pieces.add(id(sp))
        elif _common_noun(doc, sp) or (recased and name_key(sp.text) in directions):
            pieces.add(id(sp))  # "the Republic"; "Eastern" alone in re-cased copy
    places = [sp for sp in spans if sp.type == "location" and id(sp) not in pieces
              and (not single(sp) or not recased or _known_place(sp.text))]
    confirmed = {name_key(sp.text) for sp in places}
    changed = True
    while changed:  # a place in a list makes its neighbours places, and they theirs
        changed = False
        for sp in spans:
            if single(sp) and id(sp) not in pieces and name_key(sp.text) not in confirmed \
                    and _place_context(text, sp, places):
                confirmed.add(name_key(sp.text))
                places.append(sp)
                changed = True
    out = []
    for sp in spans:
        if single(sp) and (id(sp) in pieces or name_key(sp.text) not in confirmed):
            if sp.label == "ORG" and id(sp) not in pieces:
                sp.type = "organization"
            else:
                continue
        out.append(sp)
    return out


@lru_cache(maxsize=1)
def _event_words() -> frozenset[str]:
    """Event words are never names ("Killed in Airstrike" in a headline is not a place)."""
    from .lexicons import records

    return frozenset({r["trigger"] for r in records("events")} | {"attack", "attacks", "strike", "airstrike", "bomb"})


def _name_word(tok) -> bool:
    c = cues()
    return (tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.text[1:2].islower()
            and not gazetteer.is_country(tok.text) and tok.lower_ not in c["demonyms"]
            and tok.lower_ not in c["org_heads"] and tok.lower_ not in c["not_names"])


def _extend_persons(doc, ents: list) -> list:
    """Give a person back the first or last names the model cut off ("Héctor" + "Julián Ospina" + "Vélez")."""
    from spacy.tokens import Span as SpacySpan

    out = []
    owner = {t.i: k for k, e in enumerate(ents) for t in e}
    absorbed: set[int] = set()
    for k, e in enumerate(ents):
        if k in absorbed:
            continue
        if e.label_ != "PERSON":
            out.append(e)
            continue
        start, end = e.start, e.end
        while start > e.sent.start + 1 and doc[start - 1].whitespace_ == " " and _name_word(doc[start - 1]) \
                and doc[start - 2].text not in ('"', "“", "‘", "'") and not doc[start - 1].lower_.endswith("ing"):
            j = owner.get(start - 1)
            if j is not None:
                other = ents[j]
                if other.label_ == "PERSON" and other.end == start and other.start >= e.sent.start:
                    absorbed.add(j)  # "Jorge Adolfo" + "Vargas Gonzalez": one name the model cut in two
                    start = other.start
                    continue
                if len(other) != 1 or other.label_ not in ("ORG", "NORP"):
                    break
                absorbed.add(j)
            start -= 1
        while end < e.sent.end and doc[end - 1].whitespace_ == " " and _name_word(doc[end]) and owner.get(end) is None:
            end += 1
        while start >= e.sent.start + 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_ \
                and not doc[start - 2].whitespace_ and doc[start - 2].text[:1].isupper() and doc[start - 2].is_alpha:
            start -= 2  # "Abdoul-Karim Ag Hamatou": a hyphenated first name
        out.append(SpacySpan(doc, start, end, label="PERSON") if (start, end) != (e.start, e.end) else e)
    inside = _strictly_inside({(e.start, e.end) for e in out})
    keep = [e for e in out if (e.start, e.end) not in inside]
    return sorted(keep, key=lambda e: e.start)


def _strictly_inside(bounds: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (start, end) pairs lying within another pair of the set: one sweep, not every pair against every other."""
    inside: set[tuple[int, int]] = set()
    ordered = sorted(bounds)
    furthest = -1  # the furthest end of the pairs that start earlier
    i = 0
    while i < len(ordered):
        j = i
        while j < len(ordered) and ordered[j][0] == ordered[i][0]:
            j += 1
        longest = ordered[j - 1][1]  # same start: the longest of them holds the others
        inside.update(pair for pair in ordered[i:j] if furthest >= pair[1] or longest > pair[1])
        furthest = max(furthest, longest)
        i = j
    return inside


_STATE_BODY = re.compile(r"^(?:[Tt]he\s+)?([A-Z][\w.]*?(?:\s+[A-Z][\w.]*)??)\s+((?:State\s+Department|Department|Ministry|Government|"
                         r"Treasury|Home Office|Foreign Office|Army|Armed Forces|Military|Navy|Air Force|Police)\b.*)$")
_FORCES = {"army", "military", "forces", "police", "navy", "government", "troops", "gendarmerie", "militia",
           "militias", "authorities"}
_FORCE_MODIFIERS = {"security", "armed", "air", "special", "border", "federal", "national"}
_PARTICLE_NAME = re.compile(r"\b[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)? (?:Ag|Ould|ould|Ben|bin|ibn|Ibn) [A-Z][a-zà-ÿ]+(?: [A-Z][a-zà-ÿ]+)?")
_ROLE_BEFORE = {"spokesman", "spokeswoman", "spokesperson", "leader", "commander", "chief", "emir", "founder",
                "deputy", "president", "minister", "general", "colonel", "officer", "official", "analyst"}
_NAME_PARTICLES = {"ag", "ould", "bin", "ibn", "ben", "bint", "wuld", "walad", "abu", "oul"}
_GROUP_NOUNS = {"group", "organization", "organisation", "movement", "faction", "militia", "network", "outfit",
                "cell", "coalition", "alliance", "front", "brigade", "insurgency", "splinter", "offshoot", "gang"}
_PERSON_NOUNS = {"leader", "commander", "spokesman", "spokeswoman", "founder", "fighter", "preacher", "cleric",
                 "emir", "chief", "deputy", "militant", "member", "engineer", "officer", "official", "minister",
                 "president", "analyst", "journalist", "colonel", "general", "son", "brother", "man", "woman"}
_GROUP_VERBS = {"base", "found", "form", "lead", "pledge", "claim", "merge", "split", "designate", "list", "ban"}
_MEMBER_NOUNS = {"fighter", "fighters", "militant", "militants", "gunmen", "gunman", "members", "member",
                 "commander", "commanders", "spokesman", "spokesperson", "leader", "leaders", "emir", "cell", "faction"}


def _group_signal(doc, sp: "Span") -> bool:
    """Grammar that only a group fits: "X, which is based in", "X claimed responsibility", "fighters from X"."""
    span = doc.char_span(sp.start, sp.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    heads = []
    if root.dep_ in ("nsubj", "nsubjpass"):
        heads.append(root.head)
    heads += [c for c in root.children if c.dep_ == "relcl"]
    for h in heads:
        lemma = h.lemma_.lower()
        if lemma in _GROUP_VERBS and (lemma != "claim" or "responsib" in h.sent.text.lower() or "credit" in h.sent.text.lower()):
            return True
    if root.dep_ == "pobj" and root.head.lower_ in ("from", "of") and root.head.head.lower_ in _MEMBER_NOUNS:
        return True
    if root.dep_ in ("compound", "poss") and root.head.lower_ in _MEMBER_NOUNS:
        return True
    return False


def _described_as(doc, sp: "Span") -> str | None:
    """The type an apposition or a copula gives a name: "X, a jihadist group" / "X, a Tuareg fighter"."""
    span = doc.char_span(sp.start, sp.end, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    nouns = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "nsubj":
        nouns += [c for c in root.head.children if c.dep_ == "attr"]
    for n in nouns:
        lemma = n.lemma_.lower()
        if lemma in _GROUP_NOUNS:
            return "organization"
        if lemma in _PERSON_NOUNS:
            return "person"
    return None


def _after_role(doc, sp: "Span") -> bool:
    span = doc.char_span(sp.start, sp.end, alignment_mode="expand")
    return span is not None and span.start > 0 and doc[span.start - 1].lemma_.lower() in _ROLE_BEFORE


def vote_types(doc, spans: list["Span"]) -> None:
    """A name that acts as a group anywhere in the text is a group everywhere in it."""
    described: dict[str, str] = {}
    for sp in spans:
        if sp.type in ("organization", "person") and not gazetteer.is_place(sp.text):
            kind = _described_as(doc, sp)
            if kind:
                described.setdefault(name_key(sp.text), kind)
    for sp in spans:
        kind = described.get(name_key(sp.text))
        if kind and sp.type in ("organization", "person"):
            sp.type = kind
    heads = set(cues()["location_heads"])
    named_persons = {name_key(sp.text) for sp in spans if sp.type == "person" and _after_role(doc, sp)}
    keys = {name_key(sp.text) for sp in spans if sp.type != "organization" and not gazetteer.is_place(sp.text)
            and len(sp.text.split()) >= 2 and sp.text.split()[-1].lower() not in heads and _group_signal(doc, sp)}
    keys -= named_persons  # "spokesman X claimed responsibility": X is a person speaking for a group
    for sp in spans:
        if name_key(sp.text) in keys:
            sp.type = "organization"
    # a place no gazetteer knows, named with two words or more of a person the text names ("RODRIGUEZ GACHA"
    # beside "GONZALO RODRIGUEZ GACHA"): the model read that person's name as a place
    people = [set(name_key(sp.text).split()) for sp in spans if sp.type == "person" and len(sp.text.split()) >= 2]
    for sp in spans:
        if sp.type == "location" and len(sp.text.split()) >= 2 and not gazetteer.is_place(sp.text):
            words = set(name_key(sp.text).split())
            if any(words <= p or p <= words for p in people):
                sp.type = "person"
    # one word of a person's name the text gives in full, used alone where no preposition of place makes it
    # one ("Hector Delgado Parker ... Delgado's driver"): the person, though a town is so named
    surnames = {w for sp in spans if sp.type == "person" for w in name_key(strip_titles(sp.text)).split()[1:]
                if len(sp.text.split()) >= 2}
    for sp in spans:
        if sp.type == "location" and " " not in sp.text.strip() and name_key(sp.text) in surnames \
                and not _PLACE_PREP.search(doc.text[max(0, sp.start - 12):sp.start]):
            sp.type = "person"


_CONNECTORS = {"pour", "le", "la", "les", "de", "du", "des", "del", "y", "et", "por", "para", "da", "do", "dos"}


def _extend_orgs(doc, ents: list) -> list:
    """A group's name goes on through French and Spanish connectors: "Front" + "pour le Salut du Gourma"."""
    from spacy.tokens import Span as SpacySpan

    out = []
    skip_until = -1
    strong = cues()["org_first_words_strong"]
    for e in ents:
        if e.start < skip_until:
            continue
        j = e.start - 1
        while j > e.sent.start and doc[j].lower_ in _CONNECTORS:
            j -= 1
        if j < e.start - 1 and j >= e.sent.start and doc[j].lower_ in strong:
            e = SpacySpan(doc, j, e.end, label="ORG")  # "the Frente de" + "Resistencia Libertadora"
            out = [o for o in out if o.end <= j]
        if e.label_ != "ORG" and e[0].lower_ not in strong:
            out.append(e)
            continue
        end = e.end
        while True:
            j = end
            while j < e.sent.end and (doc[j].lower_ in _CONNECTORS or (doc[j].is_space and "\n\n" not in doc[j].text)):
                j += 1  # a line break inside a hard-wrapped name is a space
            if j == end or j >= e.sent.end or not doc[j].text[:1].isupper() or doc[j].is_punct \
                    or not any(doc[k].lower_ in _CONNECTORS for k in range(end, j)):
                break
            while j < e.sent.end and doc[j].text[:1].isupper() and not doc[j].is_punct:
                j += 1
            end = j
        if end > e.end:
            out.append(SpacySpan(doc, e.start, end, label="ORG"))
            skip_until = end
        else:
            out.append(e)
    return [e for e in out]


def _acts(doc, start: int, end: int) -> bool:
    """True when the name is the grammatical subject of a verb ("The Sahara Vanguard claimed ...")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.pos_ in ("VERB", "AUX")


_PLACE_PARTICLES = frozenset({"de", "del", "la", "las", "los", "el", "do", "da", "dos", "das", "di", "y"})


def _rule_spans(doc, text: str) -> list[Span]:
    """Names the model missed: "Long Name (ACR)" whose initials spell ACR; "the X Y province"."""
    out: list[Span] = []
    for m in _PAREN_ACRONYM.finditer(text):
        acr = m.group(1)
        letters = [ch for ch in acr if ch.isupper()]
        words = list(re.finditer(r"[A-Za-z][\w'’.-]*", text[max(0, m.start() - 160):m.start()]))
        base = max(0, m.start() - 160)
        picked: list[re.Match] = []
        for w in reversed(words):
            if text[base + w.end():m.start()].count("\n\n"):
                break
            picked.insert(0, w)
            caps = [x for x in picked if x.group().lower() not in _FUNCTION_WORDS]  # "Front pour le salut du Gourma"
            if len(caps) > len(letters) + 1:
                break
            if picked[0].group()[0].isupper() and picked[0].group().lower() not in _FUNCTION_WORDS and \
                    "".join(x.group()[0] for x in caps).upper() == "".join(letters):
                start, end = base + picked[0].start(), base + picked[-1].end()
                out.append(Span(start, end, text[start:end], "organization", "ACRONYM"))
                break
    # known places the model left untagged ("the port of Tumaco"): runs of proper nouns in the gazetteer
    tagged = {t.i for e in doc.ents for t in e}
    person_words = {t.text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
    i = 0
    while i < len(doc):
        hit = None
        for n in (3, 2, 1):
            toks = doc[i:i + n]
            if len(toks) < n or any(t.i in tagged or not (t.pos_ == "PROPN" and t.text[:1].isupper() or (
                    0 < k < n - 1 and t.lower_ in _PLACE_PARTICLES)) for k, t in enumerate(toks)):
                continue  # (a particle inside: "Vina del Mar")
            if n == 1 and toks.text in person_words:
                continue  # "Ospina" is a town too, but here it is the surname of someone named
            if toks[0].is_sent_start and n == 1 and not (toks.text.isupper() and i + 1 < len(doc)
                                                          and doc[i + 1].text in ("-", "—", "–", ",", ":")):
                continue  # a capitalised first word is too often a common word (a dateline's city is not)
            after_prep = i > 0 and doc[i - 1].lower_ in ("in", "near", "at", "outside", "from", "to", "towards", "between", "of")
            if gazetteer.is_main_name(toks.text) or (after_prep and gazetteer.is_place(toks.text)):
                hit = toks  # alternate spellings ("Raqqa") only where a place is expected: they can be first names
                break
        if hit is not None:
            out.append(Span(hit.start_char, hit.end_char, hit.text, "location", "GAZETTEER"))
            i += len(hit)
        else:
            i += 1
    for m in _PARTICLE_NAME.finditer(text):  # "Abdoul-Karim Ag Hamatou", "Hamid Ould Cheikhna"
        out.append(Span(m.start(), m.end(), m.group(0), "person", "PARTICLE"))
    for m in _NAMED_FEATURE.finditer(text):
        if m.group(1).lower() in cues()["location_first_words"]:
            out.append(Span(m.start(), m.end(), m.group(0), "location", "FEATURE"))
    for m in _NAMED_AREA.finditer(text):
        name = m.group(1).rstrip()
        if name.lower() not in _DIRECTIONS:  # not "the Northwestern municipality of Arboletes"
            out.extend(_owned_area(m.start(1), name))
    locality, adjectives = _named_locality()
    for m in locality.finditer(text):  # "the Escalon neighborhood", "in Horcones de Berlin canton"
        g = 1 if m.group(1) else "after"
        if m.group(g).lower() not in adjectives:  # not "the Sunni neighbourhood", "the Jewish settlement"
            out.extend(_owned_area(m.start(g), m.group(g)))
    return out


def _owned_area(start: int, name: str) -> list[Span]:
    """The place a rule found, as one span; or two where a place the gazetteer knows owns it ("San Salvador's
    Venezuela neighborhood": San Salvador, and Venezuela in it)."""
    owner = _OWNER_PLACE.match(name)
    if owner is None or not gazetteer.is_place(owner.group(1)):
        return [Span(start, start + len(name), name, "location", "AREA")]
    rest = name[owner.end():]
    return [Span(start, start + owner.end(1), owner.group(1), "location", "GPE"),
            Span(start + owner.end(), start + len(name), rest, "location", "AREA")]
