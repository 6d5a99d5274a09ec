"""Event claims: attacks (with date, places, perpetrators, claimants, casualties) and deaths.

Sentence by sentence: a trigger (lexicons/events.jsonl) opens an event mention; a
definite back-reference ("the ambush", "Sunday's attack") or matching date/place joins it
to an event already seen in the document; a casualty sentence without a trigger joins
the event of the sentence before it.

A row of events.jsonl: ``trigger`` (words, matched whatever their case; a one-word trigger only
as a noun, verb or proper noun), ``type``, ``subtype``, optionally ``requires`` (a regular
expression the lowercased sentence must contain), ``unless`` (a regular expression that, found in
the words around the trigger, says it tells no attack: "a state of siege", "a hunger strike"),
``pattern`` (a spaCy Matcher token pattern matched instead of the trigger words, for a row that
needs tags or lemmas) or ``dep_pattern`` (a
DependencyMatcher pattern, for a row about the parse: "a bomb exploded"), whose ``trigger`` then
only names the row, and ``head`` (which matched token heads the phrase: 0 for "set fire to";
default the last, or a dependency pattern's anchor). In a pattern, ``{"IN": "@name"}`` stands for the
word list ``name`` of cues.json (rows that share a list name it). The rows are compiled into spaCy matchers
once per process (``_matchers``).
"""
from __future__ import annotations

import datetime
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..ingest.dates import parse_wire_dateline
from ..models import EventClaim, Evidence, Filler, Quantity, same_kind
from ..names import name_key
from ..resolve.normalize import NOT_OFFICES, fullness, merge_fillers
from . import dates as dates_mod
from . import gazetteer as places
from .lexicons import cues, records
from .spans import model_entity, strip_titles
from .syntax import Finder

EXTRACTOR = "rules.events.v1"
ORG = ("organization",)
PER = ("person",)
LOC = ("location",)
_DAY = datetime.timedelta(days=1)
_KILLED = re.compile(r"\b(kill|killed|killing|kills|dead|died|deaths|lives|death toll|slain|massacred|executed|murdered|assassinated)\b", re.I)
_WOUNDED = re.compile(r"\b(wounded|wounding|injured|injuring|injuries|hurt)\b", re.I)
_CLAIM = re.compile(r"\b(claimed|claims|claim|took credit|takes credit|claiming|accepted responsibility|admitted responsibility)\b", re.I)
_RESPONSIBLE = re.compile(r"\b(responsib\w*|credit|behind|carried out|involved in|were involved)\b", re.I)
_SPECIFIC = {"airstrike"}
LEAD_SENTENCES = 3  # the sentences a report opens with (its headline and lead), where news is the day's
NARRATIVE_SENTENCES = 6  # how far a told day carries to the undated attacks that follow it
UNLESS_BEFORE = 3  # words before a trigger that its row's ``unless`` reads (and one after it)
DATELINE_WITHIN = 400  # characters from the top of a report where its wire dateline may be (after a headline)
_ACTOR_HEADS = {"force", "forces", "troop", "soldier", "army", "military", "government", "official", "authority",
                "predator", "reaper", "drone", "aircraft", "jet", "warplane", "coalition", "embassy", "intelligence",
                "security", "president", "minister", "ministry", "navy", "air", "special", "commando", "guard", "police", "led", "backed"}
_TOLL = re.compile(r"\b(?:death toll|toll|number of (?:people |those |civilians |victims )?(?:killed|dead))\b[^.;]{0,120}?"
                   r"\b(?:rose|risen|rises|climbed|reached|stands at|stood at|increased|jumped)\s+(?:to\s+)?(?P<n>\w)", re.I)
_CLAIM_OR_REPORT = {"claim", "say", "tell", "announce", "report", "condemn", "confirm", "deny", "add", "state",
                    "issue", "publish", "release", "post", "sentence", "charge", "arrest", "try", "convict", "mourn",
                    "follow", "come", "cite", "recall"}
_HAPPENED = {"take", "happen", "occur", "hit", "strike", "target", "kill", "leave", "unfold", "begin", "start",
             "carry", "commit", "perpetrate", "stage"}  # "the kidnapping was carried out in the streets of X"
_REPORTING = {"say", "tell", "announce", "report", "state", "confirm", "add", "speak", "brief", "write"}
_TELLING = _REPORTING | {"deny", "claim", "condemn", "publish", "release", "issue"}  # verbs that tell of an event
_QUALIFIER_WORDS = {"at", "least", "more", "than", "about", "around", "nearly", "almost", "some", "over", "up", "to", "approximately", "roughly", "an", "estimated"}  # subtypes never merged with a ground attack


class _Compiled:
    """Phrase rows compiled into spaCy matchers; ``find`` gives (rank, start, end, head) in rank order.

    Plain phrases go to a PhraseMatcher on LOWER; the one-word phrases to one Matcher pattern that
    wants them tagged as one of ``head_pos`` (the word found tells the row); a row may instead
    carry its own spaCy token ``pattern`` or a DependencyMatcher ``dep_pattern``. ``head``: which
    matched token heads the phrase (default the last; for a dependency pattern, its anchor)."""

    def __init__(self, vocab, rows: list[dict], key: str, head_pos: list[str] | None = None) -> None:
        from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
        from spacy.tokens import Doc

        self.rows = rows
        self.requires = [re.compile(r["requires"]) if r.get("requires") else None for r in rows]
        self.unless = [re.compile(r["unless"]) if r.get("unless") else None for r in rows]
        self.phrases = PhraseMatcher(vocab, attr="LOWER")
        self.tokens = Matcher(vocab)
        self.parses = DependencyMatcher(vocab)
        self.rank: dict[int, int] = {}
        self.words: dict[str, list[int]] = {}  # a one-word trigger -> its rows
        for rank, r in enumerate(rows):
            name = f"tessera.{key}.{rank}"
            self.rank[vocab.strings.add(name)] = rank
            if r.get("dep_pattern"):
                self.parses.add(name, [r["dep_pattern"]])
            elif r.get("pattern"):
                self.tokens.add(name, [r["pattern"]], greedy="LONGEST")
            elif len(r["trigger"].split()) == 1 and head_pos:
                self.words.setdefault(r["trigger"], []).append(rank)
            else:
                self.phrases.add(name, [Doc(vocab, words=r["trigger"].split())])
        # one-word triggers: a PhraseMatcher lookup, then the tag checked on the few tokens found (a Matcher
        # predicate on every token cost more than the rest of the search)
        self.word_key = vocab.strings.add(f"tessera.{key}.word")
        self.head_pos = frozenset(head_pos or ())
        self.single = PhraseMatcher(vocab, attr="LOWER")
        if self.words:
            self.single.add(f"tessera.{key}.word", [Doc(vocab, words=[w]) for w in sorted(self.words)])
        # a token or dependency pattern runs only on a document holding every word it requires
        self.token_needs = [_needs(vocab, r["pattern"]) for r in rows if r.get("pattern") and not r.get("dep_pattern")]
        self.parse_needs = [_needs(vocab, [n["RIGHT_ATTRS"] for n in r["dep_pattern"]]) for r in rows if r.get("dep_pattern")]

    def find(self, doc) -> list[tuple[int, int, int, int]]:
        found = set()
        for k, a, b in (self.single(doc) if len(self.single) else ()):
            if doc[a].pos_ in self.head_pos:
                found |= {(rank, a, b, a) for rank in self.words[doc[a].lower_]}
        words = _words(doc) if self.token_needs or self.parse_needs else None
        for m, needs in ((self.phrases, None), (self.tokens, self.token_needs)):
            if not len(m) or (needs is not None and not any(_possible(n, words) for n in needs)):
                continue
            for k, a, b in m(doc):
                rank = self.rank[k]
                found.add((rank, a, b, a + range(b - a)[self.rows[rank].get("head", -1)]))
        if len(self.parses) and any(_possible(n, words) for n in self.parse_needs):
            for k, ids in self.parses(doc):
                found.add((self.rank[k], min(ids), max(ids) + 1, ids[0]))
        return sorted(found)


def _needs(vocab, specs: list[dict]) -> list[tuple[str, frozenset[int]]]:
    """What a token pattern requires of a document: for each token it must match (no optional operator),
    the LOWER or LEMMA values it allows, as hashes."""
    needs = []
    for spec in specs:
        if spec.get("OP", "+") != "+":
            continue
        for attr in ("LOWER", "LEMMA"):
            value = spec.get(attr)
            allowed = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) and set(value) == {"IN"} else None
            if allowed is not None:
                needs.append((attr, frozenset(vocab.strings.add(v) for v in allowed)))
    return needs


def _words(doc) -> dict[str, set[int]]:
    from spacy.attrs import LEMMA, LOWER

    values = doc.to_array([LOWER, LEMMA])
    return {"LOWER": set(values[:, 0].tolist()), "LEMMA": set(values[:, 1].tolist())}


def _possible(needs: list[tuple[str, frozenset[int]]], words: dict[str, set[int]]) -> bool:
    return all(not allowed.isdisjoint(words[attr]) for attr, allowed in needs)


def _length(row: dict) -> int:
    return len(row.get("dep_pattern") or row.get("pattern") or row["trigger"].split())


def _with_lists(value):
    """A row of events.jsonl with each ``{"IN": "@name"}`` of its patterns made the word list ``name`` of
    cues.json (one list for the rows that share it)."""
    if isinstance(value, dict):
        if isinstance(value.get("IN"), str) and value["IN"].startswith("@"):
            return {**value, "IN": list(cues()[value["IN"][1:]])}
        return {k: _with_lists(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_lists(v) for v in value]
    return value


@lru_cache(maxsize=4)
def _matchers(vocab) -> tuple[_Compiled, _Compiled]:
    """The event triggers (events.jsonl, longest first) and the perpetrator phrases (cues.json),
    compiled once per vocabulary."""
    rows = sorted((_with_lists(r) for r in records("events")), key=lambda r: -_length(r))
    # "offensive attacks": a one-word trigger names the event only as a noun or a verb
    triggers = _Compiled(vocab, rows, "event", head_pos=["NOUN", "VERB", "PROPN"])
    perps = _Compiled(vocab, [{"trigger": p} for p in cues()["perpetrator_phrases"]], "perpetrator")
    return triggers, perps


@dataclass
class Draft:
    type: str
    subtype: str | None
    sentences: list = field(default_factory=list)
    date: str | None = None
    locations: list[str] = field(default_factory=list)
    perpetrators: list[str] = field(default_factory=list)
    claimed_by: list[str] = field(default_factory=list)
    subject: str | None = None
    killed: list[Quantity] = field(default_factory=list)
    wounded: list[Quantity] = field(default_factory=list)
    last_sentence: int = -1
    first_sentence: int = -1
    victims: set = field(default_factory=set)  # named people whose death the same sentences report
    harmed: dict = field(default_factory=dict)  # named people the attack's verb acts on, alive as told: id -> Filler
    described: list = field(default_factory=list)  # victims as counted: "five prison guards" (Filler)
    attackers: list = field(default_factory=list)  # who did it, described: "two gunmen", "urban guerrillas" (Filler)
    summary: int = 0  # opened by a count of attacks ("three terrorist attacks ... left two dead"): how many
    members: int = 0  # attacks told after it, each on its own, that it counts
    recalled: bool = False  # named by its killers ("the assassins of X"): an earlier killing, not the story's
    apart: int = 0  # the sentence that told it apart from its attack (a relative clause, another item)
    just: str | None = None  # the report's day, for an attack its lead tells as just done (when no day is said)


def _absorb(target: Draft, draft: Draft, kind: bool = True) -> None:
    """What ``draft`` tells, added to ``target``: one event told in more words (its kind too, unless
    ``kind`` is False: the roadside bomb of an ambush does not make the ambush a bombing)."""
    for sent in draft.sentences:
        if sent not in target.sentences:
            target.sentences.append(sent)
    if not target.date or (draft.date and dates_mod.compatible(target.date, draft.date)
                           and dates_mod.precision_rank(draft.date) > dates_mod.precision_rank(target.date)):
        target.date = draft.date or target.date  # "the massacre" (November), "machinegunned on 15 November"
    if kind and draft.subtype and (target.subtype is None):
        target.subtype = draft.subtype
    for fld in ("locations", "perpetrators", "claimed_by"):
        cur = getattr(target, fld)
        for v in getattr(draft, fld):
            if v not in cur:
                cur.append(v)
    target.killed += draft.killed
    target.wounded += draft.wounded
    target.victims |= draft.victims
    target.just = target.just or draft.just
    for p, f in draft.harmed.items():
        target.harmed.setdefault(p, f)
    target.described += draft.described
    target.attackers += draft.attackers


NARRATIVE_BACK = 3  # sentences an undated attack in wire copy looks back for the report's time


_WHEN = ("DATE", "TIME")  # a time of day can say the day too: "early this morning", "last night"
_DAY_WORDS = frozenset(("today", "yesterday", "tonight") + dates_mod.WEEKDAYS)


_DASHES = ("--", "—", "–")


def _before_aside(antecedent, verb):
    """The antecedent of a relative clause that follows an aside between dashes is the noun before the aside
    ("a call from the Extraditables -- drug kingpins wanted by U.S. courts -- who said they were
    responsible": not "courts")."""
    if antecedent is None or antecedent.i >= verb.i:
        return antecedent
    doc = verb.doc
    if not any(t.text in _DASHES for t in doc[antecedent.i: verb.i]):
        return antecedent
    opening = next((t.i for t in reversed(doc[max(0, antecedent.i - 40): antecedent.i]) if t.text in _DASHES), None)
    return doc[opening - 1] if opening is not None and opening > 0 else antecedent


@lru_cache(maxsize=1)
def _person_nouns() -> frozenset[str]:
    """Nouns that name a person by kin or office (cues' ``kin_nouns`` and one-word ``person_titles``)."""
    c = cues()
    titles = {w for w in c["person_titles"] if " " not in w} - NOT_OFFICES
    return frozenset(c["kin_nouns"]) | titles


_DISTANCE_BEFORE = re.compile(r"\b(?:km|kms|kilometers|kilometres|miles)\b[^.;,]{0,30}\b(?:of|from)\s+(?:the\s+)?\Z", re.I)
_PERIOD_UNITS = {"week", "month", "year"}


def _over_period(last) -> bool:
    """Whether the verb telling an attack is said over a period of weeks or more ("have been killed in 2
    months", "over the last two weeks"): a tally of several events (not "the largest offensive in 10
    years", where the period is the noun's comparison)."""
    for verb in (last, last.head):
        if verb.pos_ != "VERB":
            continue
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "over", "during", "within"):
                continue
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.lemma_.lower() in _PERIOD_UNITS and any(
                        c.dep_ == "nummod" or c.lower_ in ("past", "last", "few", "several") for c in obj.children):
                    return True
    return False


# words for many attacks over a stretch of time (not "a series of bomb attacks shook Lima on Monday": one day's)
_SERIES = {"wave", "spate", "rash", "campaign", "escalation", "upsurge", "surge", "cycle", "number", "hundreds",
           "dozens", "scores", "thousands"}


def _in_a_series(noun) -> bool:
    """Whether an attack named by a plural noun is one of a series ("a wave of kidnappings, killings, and
    dynamite attacks", "hundreds of dynamite attacks"): many events, none of them told."""
    while noun.dep_ == "conj" and noun.head is not noun:
        noun = noun.head
    return (noun.tag_ in ("NNS", "NNPS") and noun.dep_ == "pobj" and noun.head.lower_ == "of"
            and noun.head.head.lemma_.lower() in _SERIES)


def _complements(told: Draft, more: Draft) -> bool:
    """Whether ``more`` adds to ``told`` what it lacks without saying otherwise: a date where it has none, or
    a place where it has none (or one it has)."""
    return (not told.date or not more.date) and (
        not told.locations or not more.locations or bool(set(told.locations) & set(more.locations)))


# verbs that tell an attack itself happen when it is their subject or object ("a bomb attack has left two people
# injured", "have set fire to", "there has been another attack"), not a reaction to it ("has blamed the murder
# on", "the murder has shocked the country": said today of an attack told before)
_DOING = _HAPPENED | {"be", "set", "launch", "mount", "make", "open", "conduct", "explode", "go", "rock", "shake",
                      "injure", "wound", "destroy", "damage", "claim", "cause"}


def _just_happened(trigger) -> bool:
    """Whether an attack is told in the present perfect: its verb's, or the verb of doing it that it is the
    subject, object or complement of ("has been another attack", "have set fire to", "a bomb has exploded")."""
    verb = trigger if trigger.pos_ == "VERB" else trigger.head if trigger.dep_ in (
        "nsubj", "nsubjpass", "dobj", "attr") and trigger.head.lemma_.lower() in _DOING else None
    return verb is not None and verb.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in ("has", "have", "'s", "'ve") for c in verb.children)


_IT = {"it", "this"}  # a pronoun standing for the event just told
_INCIDENT_NOUNS = {"incident", "tragedy", "event", "events", "incidents", "crime", "action"}


def _happening(sent):
    """The verb of a sentence (or of the words quoted in it) that tells when or where "it" happened: "it
    happened on 5 July", "this occurred on 18 May", "the incident took place in X"; None otherwise (not a
    relative clause: "the attacks that took place on 16 November")."""
    for verb in sent:
        if verb.dep_ not in ("ROOT", "ccomp") or verb.lemma_.lower() not in ("happen", "occur", "take"):
            continue
        if verb.lemma_.lower() == "take" and not any(c.dep_ == "dobj" and c.lower_ == "place" for c in verb.children):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and (subj.lower_ in _IT and subj.tag_ in ("PRP", "DT")
                                 or subj.lemma_.lower() in _INCIDENT_NOUNS and any(
                                     c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in subj.children)):
            return verb
    return None


def _after_that(verb, date) -> bool:
    """Whether a date comes after the "that" opening what ``verb`` reports ("sources have reported that early
    this morning the FMLN set fire to two cotton plants"): the reported deed's date, whatever word the parse
    hangs it on (not "reported today that")."""
    doc = verb.doc
    that = next((doc[k] for k in range(verb.i + 1, min(verb.i + 3, len(doc))) if doc[k].lower_ == "that"), None)
    return that is not None and that.i < date.i


def _dates_a_span_only(sent) -> bool:
    """Whether every date the sentence says bounds a stretch of time ("since last night", "until 1990"): it
    tells when a state began or ends, not when something happened."""
    dates = [t for t in sent if (t.ent_type_ in _WHEN and t.ent_iob_ == "B") or t.lower_ in _DAY_WORDS]
    def bound(tok) -> bool:
        while tok.dep_ in ("compound", "amod", "nummod", "det", "npadvmod", "pobj", "nmod") and tok.head is not tok:
            tok = tok.head
            if tok.pos_ in ("ADP", "SCONJ") or tok.dep_ == "prep":  # (spaCy tags "since" either way)
                return tok.lower_ in ("since", "until", "till")
        return False
    return bool(dates) and all(bound(t) for t in dates)


_ANOTHER_WORDS = frozenset(("another", "second", "third", "fourth", "fifth", "new", "first", "previous", "earlier",
                            "prior"))


def _another(*toks) -> bool:
    """"Another bomb exploded", "a second attack", "in 1984, the first attack on U.S. interests", "a previous
    attack": the words say this is not the event told before."""
    return any(c.dep_ in ("det", "amod") and c.lower_ in _ANOTHER_WORDS for t in toks for c in t.children)


def _same_clause(trigger, verb) -> bool:
    """True when the trigger hangs on the verb without crossing into another clause."""
    t = trigger
    for _ in range(12):
        if t == verb:
            return True
        if t.dep_ in ("advcl", "ccomp", "relcl", "acl", "parataxis", "conj") or t.head is t:
            return False
        t = t.head
    return False


def _ends_apposition(opener) -> bool:
    """Whether the phrase opening at ``opener`` (a date, or the preposition before it) ends, with no comma,
    an appositive before it, whatever the parse hangs it on: "the killing of X, president of a company and
    mayor of Medellin in 1984" (1984 is the mayoralty's); "the killing of X, a reporter, in March" is not."""
    if opener.i == 0 or opener.doc[opener.i - 1].is_punct:
        return False
    x = opener.doc[opener.i - 1]
    while x.head.i != x.i and x.i != opener.head.i:
        if x.dep_ == "appos":  # (a date the parse hangs within the appositive is its own: "two women held
            return not x.is_ancestor(opener)  # by them since 16 December", the kidnapping's)
        x = x.head
    return False


def _date_before_of(noun):
    """The date phrase between an attack noun (or the last noun coordinated with it) and the "of" phrase
    that names what it struck, whatever the parse hangs it on: "condemned the kidnapping and assassination
    on 15 September of X" (the date is inside the noun phrase, not the condemnation's); else None."""
    end = max([noun.i] + [c.i for c in noun.conjuncts if c.i > noun.i])
    if end + 1 >= len(noun.doc):
        return None
    prep = noun.doc[end + 1]
    if prep.pos_ != "ADP" or prep.lower_ not in ("on", "in"):
        return None
    when = next((c for c in prep.children if c.dep_ == "pobj" and c.ent_type_ in _WHEN), None)
    if when is None or not any(c.dep_ == "prep" and c.lower_ == "of" and c.i > when.i for c in when.children):
        return None
    return prep


def _inside_another_noun(noun, verb) -> bool:
    """Whether the attack noun hangs on ``verb`` through another noun, not one coordinated with it: "revealed
    last night the results of investigations on the murder of X" (the murder is what the results are about;
    the night is the revelation's), not "the kidnapping and murder of X took place on 3 May"."""
    x = noun
    while x.head.i != x.i and x.head.i != verb.i:
        if x.dep_ not in ("conj", "appos") and x.head.pos_ in ("NOUN", "PROPN") and not x.head.lower_.endswith("ing"):
            return True  # (a gerund the parse takes for a noun is a verb still: "after hearing of the murder")
        x = x.head
    return False


def _clause_apart(tok, trigger) -> bool:
    """Whether ``tok`` lies in a relative clause that ``trigger`` is not in ("X, which killed Y in May, ...")."""
    clause = next((a for a in [tok, *tok.ancestors] if a.dep_ == "relcl"), None)
    return clause is not None and not clause.left_edge.i <= trigger.i <= clause.right_edge.i


def _coordinated(a, b) -> bool:
    """True when trigger ``b`` is joined to trigger ``a`` as another item ("X, as well as Y").

    Only nouns: two verbs ("stormed the prison and freed the inmates") tell one event."""
    if a.pos_ not in ("NOUN", "PROPN") or b.pos_ not in ("NOUN", "PROPN"):
        return False
    for x, y in ((a, b), (b, a)):
        t = y
        for _ in range(4):
            if t.dep_ != "conj" or t.head is t:
                break
            t = t.head
            if t == x:
                return True
    return False


def _number(tok) -> int | None:
    words = cues()["number_words"]
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in words:
        return None  # the tail of "Thirty-nine", read with its head
    if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and tok.lower_ in words and doc[tok.i + 2].lower_ in words:
        return words[tok.lower_] + words[doc[tok.i + 2].lower_]
    text = tok.text.lower().replace(",", "")
    if text.isdigit():
        return int(text)
    if "-" in text:
        parts = text.split("-")
        if all(p in words for p in parts):
            return sum(words[p] for p in parts)
    return words.get(text)


# words by which someone kills a person on purpose, and the attack it makes (judicial "execute" and
# a bare "die" make a death only)
_KILL_LEMMAS = frozenset({"kill", "murder", "assassinate", "slay", "massacre"})
_WOUND_LEMMAS = frozenset({"wound", "injure", "maim"})
_REMAINS = frozenset({"body", "remains", "corpse"})
# nouns that name killings, counted by what follows "of" ("the murder of six Jesuits", "the killings of 12 peasants");
# not uncounted ("the murder of the judge": MUC-4 dev 46.67 -> 46.58, train 47.77 -> 47.63, WikiEvents unchanged)
_KILLING_NOUNS = frozenset({"killing", "killings", "murder", "murders", "assassination", "assassinations", "massacre",
                            "slaying", "slayings", "deaths"})


def _doer(verb):
    """Who does what a verb says: the object of its "by" agent ("were murdered by gunmen"), else its subject."""
    by = next((c for c in verb.children if c.dep_ == "agent"), None)
    if by is not None:
        return next((c for c in by.children if c.dep_ == "pobj"), None)
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


def _patient(verb):
    """Who a killing or wounding verb acts on: its object, its passive subject, the noun a participle
    describes ("the Jesuits murdered by uniformed men"), or the subject the parser gives a participle with
    an agent and no auxiliary (a reduced relative read as the main verb: "the bodies of the Jesuits
    murdered last Friday by uniformed individuals were buried")."""
    kids = list(verb.children)
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in kids):
        return next((c for c in kids if c.dep_ == "nsubjpass"), None)
    objects = [c for c in kids if c.dep_ == "dobj"]
    if verb.tag_ == "VBN" and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and not objects:
        return verb.head  # (not "unidentified men machinegunned X", a verb with its object the parser read so)
    if verb.tag_ == "VBN" and any(c.dep_ == "agent" for c in kids) and not any(c.dep_ == "aux" for c in kids):
        return next((c for c in kids if c.dep_ == "nsubj"), None)
    # "killing former armed forces chief general Gustavo Alvarez", parsed as two objects: the last is the name
    return objects[-1] if len(objects) > 1 and objects[-1].pos_ == "PROPN" else next(iter(objects), None)


_GROUP_WORDS = frozenset({"group", "band", "gang", "squad", "commando", "column", "unit", "team"})


@lru_cache(maxsize=1)
def _attacker_nouns() -> frozenset[str]:
    return frozenset(cues()["perpetrator_nouns"]) | frozenset(cues()["attacker_nouns"])


def _described(noun) -> bool:
    """A common noun, or a plural one re-cased as a name with no entity on it ("the Spanish Jesuits")."""
    return noun.pos_ == "NOUN" or (noun.tag_ == "NNPS" and not noun.ent_type_)


# "sent to X": where someone was sent away to, not where anything happened (not "traveling from X to Y",
# en route, nor "returned to X", home: measured, those lost three right places on the MUC-4 train parts)
_SENDING = {"send", "extradite", "deport", "expel", "flee", "escape", "emigrate", "exile", "transfer"}
_HARM_VERBS = {"blow", "explode", "kill", "murder", "assassinate", "kidnap", "bomb", "attack", "shoot", "die",
               "detonate", "burn", "slay", "ambush", "massacre"}  # a date of one of these dates the harm it tells
_DATES_THE_HARM = frozenset(_HARM_VERBS | _HAPPENED)  # ... as does one of a verb saying that it happened
_DEED_NOUNS = {"action", "operation", "incident", "act", "attempt", "event", "attack"}  # "sabotage actions"
_HARMED_PREPS = {"of", "on", "against"}  # "the kidnapping of X", "the attack on X", "an attempt against X"
_KILLERS = {"assassin", "murderer", "killer"}  # "the assassins of X" names X's killing, told before
_KILLING = {"kill": None, "killing": None, "murder": None, "slay": None, "murderer": None, "killer": None,
            "assassinate": "assassination", "assassination": "assassination", "assassin": "assassination"}


class EventExtractor:
    """Collects event drafts over the sentences of one document, in order."""

    def __init__(self, finder: Finder, evidence_for: Callable[..., Evidence], date_for: Callable) -> None:
        self.f = finder
        self.evidence_for = evidence_for
        self.date_for = date_for
        self._trigger_words = {r["trigger"].split()[r.get("head", -1)] for r in records("events")
                               if not (r.get("pattern") or r.get("dep_pattern"))} | {"strike", "strikes"}
        self._matches: tuple = (None, None, [], [])  # (doc, compiled triggers, their matches, perpetrator phrase matches)
        self.drafts: list[Draft] = []
        self.deaths: dict[str, Draft] = {}
        self._killings: list = []  # (person, token, attack subtype) of the sentence being read
        self.roles: dict[str, str] = {}  # person -> organization (spokesman, commander) from relations
        self._text: tuple = (None, "")  # (doc, doc.text), read once per document by _doc_text
        self._filed: tuple = (None, None)  # (doc, filed_from(doc)), found once per document
        self._n = 0
        # (sentence, whether it had a trigger) of the sentence read last, and of the one before it
        self._last: tuple = (None, False)  # (this sentence, told an event)
        self._told: deque = deque(maxlen=NARRATIVE_BACK)  # the same of the sentences before, the last one last
        self.wire = False  # re-cased wire copy (one short report, one news peg): its narrative time runs on

    def _doc_matches(self, doc) -> tuple:
        """Trigger and perpetrator-phrase matches of the whole document, found once."""
        if self._matches[0] is not doc:
            triggers, perps = _matchers(doc.vocab)
            self._matches = (doc, triggers, triggers.find(doc), perps.find(doc))
        return self._matches[1:]

    def _find_triggers(self, sent) -> list:
        low = None
        hits = []
        triggers, matches, _ = self._doc_matches(sent.doc)
        ends = []
        for rank, start, end, head in matches:  # in lexicon order (longest first), then left to right
            if start < sent.start or end > sent.end:
                continue
            r = triggers.rows[rank]
            if triggers.requires[rank] is not None:
                low = sent.text.lower() if low is None else low
                if not triggers.requires[rank].search(low) and not self._named_again(sent.doc[head]):
                    continue  # "escaped": a prison break only when the sentence speaks of a prison
            if triggers.unless[rank] is not None and triggers.unless[rank].search(
                    sent.doc[max(sent.start, start - UNLESS_BEFORE):min(sent.end, end + 1)].text.lower()):
                continue  # "a state of siege", "a hunger strike": the word, not an attack
            last = sent.doc[head]
            if last.pos_ == "VERB" and last.tag_ in ("VB", "VBG", "VBP") and last.dep_ in ("xcomp", "ccomp", "advcl", "relcl", "acl", "conj"):
                continue  # "help militias attack", "plans to attack": not an event that happened
            hits.append((sent.doc[start], r, last))
            ends.append(end - 1)
        if not hits:
            return []
        # a word for an attack that only qualifies another noun ("assault weapons", "murder charges", "attack
        # helicopters") tells none, unless that noun is a trigger too ("the car bomb attack") or a word for any
        # deed ("this weekend's sabotage actions")
        heads = {h[2].i for h in hits}
        keep = [k for k, h in enumerate(hits) if not (
            h[2].pos_ == "NOUN" and h[2].dep_ == "compound" and h[2].head.pos_ == "NOUN" and h[2].head.i not in heads
            and h[2].head.lemma_.lower() not in _DEED_NOUNS)]
        if not keep:
            return []
        hits, ends = [hits[k] for k in keep], [ends[k] for k in keep]
        # overlapping triggers: the longer one ("bombing raid" over "raid") stands
        hits = [h for k, h in enumerate(hits) if not any(o is not h and o[0].i <= h[0].i and ends[k] <= ends[j]
                                                         and (ends[j] - o[0].i) > (ends[k] - h[0].i) for j, o in enumerate(hits))]

        # prefer a trigger whose phrase holds a date or a place
        def info(hit):
            tok = hit[2]
            sub = list(tok.subtree)
            has = any(self.f.entity_at(t, LOC) for t in sub) or any(t.ent_type_ == "DATE" for t in sub)
            # "a string of attacks this year" is a campaign; a "weak" trigger (a killing that names no kind
            # of attack: "were killed when their truck hit a landmine") yields to one that names it
            return (bool(hit[1].get("weak")), tok.tag_ == "NNS", not has, tok.i)
        hits.sort(key=info)
        return hits

    def _quantities(self, sent, pattern: re.Pattern, scope: set[int] | None = None,
                    described: list[Filler] | None = None) -> list[Quantity]:
        """Counts tied to ``pattern`` (killed or wounded): the nearest casualty word decides. The noun
        phrases counted ("five prison guards") are added to ``described`` when given."""
        out = []
        if pattern is _KILLED:
            m = _TOLL.search(sent.text)
            if m:  # "the death toll has risen to 13", "the number of people killed ... has risen to 13"
                n = next((_number(t) for t in sent if t.idx - sent.start_char >= m.start("n") and _number(t) is not None), None)
                if n is not None:
                    return [Quantity(value=n, qualifier=None, evidence=self.evidence_for(sent))]
        perp_nouns = set(cues()["perpetrator_nouns"])
        qualifiers = cues()["quantity_qualifiers"]
        doc = sent.doc
        for tok in sent:
            n = _number(tok)
            if n is None or tok.ent_type_ in ("DATE", "TIME", "ORDINAL", "MONEY", "PERCENT"):
                continue
            if scope is not None and tok.i not in scope:
                continue
            word = None
            noun0 = tok.head if tok.dep_ in ("nummod", "amod", "quantmod") else tok
            governing = noun0.head if noun0.dep_ in ("dobj", "nsubj", "nsubjpass") else None
            if noun0.lower_ in perp_nouns:
                continue  # "ten gunmen were killed": the attackers are not the victims
            nxt = doc[tok.i + 1: tok.i + 3].text.lower()
            if nxt.startswith("of the") or nxt.startswith("of those") or nxt.startswith("of them"):
                continue  # "Four of the dead were officers": a part of a count already given
            if governing is not None and (_KILLED.fullmatch(governing.lower_) or _WOUNDED.fullmatch(governing.lower_)):
                word = governing  # "killing 11 people and wounding four": the verb that governs the count
            for t in ([] if word is not None else doc[tok.i + 1: min(sent.end, tok.i + 11)]):
                if t.text in (";", ":") or (t.is_punct and t.text == ","):
                    break
                if _KILLED.fullmatch(t.lower_) or _WOUNDED.fullmatch(t.lower_):
                    word = t
                    break
                if t.lower_ in perp_nouns:
                    word = "perpetrators"
                    break
                if _number(t) is not None:
                    break
            if word is None:
                j = tok.i - 1
                while j >= sent.start and doc[j].lower_ in _QUALIFIER_WORDS:
                    j -= 1
                if j >= sent.start and (_KILLED.fullmatch(doc[j].lower_) or _WOUNDED.fullmatch(doc[j].lower_)):
                    word = doc[j]
                    nxt = doc[tok.i + 1: min(sent.end, tok.i + 4)]
                    if any(t.lower_ in perp_nouns for t in nxt):
                        word = "perpetrators"
                k = j - (j > sent.start and doc[j].lower_ in ("the", "these", "those"))
                if word is None and pattern is _KILLED and k > sent.start and doc[k].lower_ == "of" \
                        and doc[k - 1].lower_ in _KILLING_NOUNS and doc[k - 1].pos_ == "NOUN":
                    word = doc[k - 1]  # "the assassination of six Jesuits": the killing the noun names
            if word is None or word == "perpetrators" or not (
                    pattern.fullmatch(word.lower_) or (pattern is _KILLED and word.lower_ in _KILLING_NOUNS)):
                continue
            noun = tok.head if tok.dep_ in ("nummod", "amod", "quantmod") else tok
            verb = noun.head if noun.dep_ in ("dobj", "nsubj", "nsubjpass") else None
            if verb is not None and verb.pos_ == "VERB" and word.head != noun and not (_KILLED.fullmatch(verb.lower_) or _WOUNDED.fullmatch(verb.lower_) or verb.lemma_.lower() in ("take", "claim", "leave")):
                continue  # "abducted four aid workers and killed their driver": four were not killed
            before = doc[max(sent.start, tok.i - 3): tok.i].text.lower()
            qualifier = next((q for q in qualifiers if before.endswith(q)), None)
            if tok.lower_ in ("dozens", "scores", "hundreds", "thousands"):
                qualifier = "at least"  # "dozens were killed": a lower bound, not a count to contradict
            out.append(Quantity(value=n, qualifier=qualifier, evidence=self.evidence_for(sent)))
            if described is not None and noun.i != tok.i and _described(noun) and 0 < noun.i - tok.i <= 5:
                # "killing five prison guards": the count's noun phrase says who the victims were
                described.append(Filler(value=doc[tok.i: noun.i + 1].text, evidence=(self.evidence_for(sent),)))
        if described is not None:
            described.extend(self._uncounted(sent, pattern, scope, perp_nouns))
        return out

    def _uncounted(self, sent, pattern: re.Pattern, scope: set[int] | None, perp_nouns: set[str]) -> list[Filler]:
        """Victims described without a count: "a major general was killed", "killing the driver" (the
        noun phrase that a killing or wounding verb takes as its object or passive subject)."""
        lemmas = _KILL_LEMMAS if pattern is _KILLED else _WOUND_LEMMAS
        out = []
        for verb in sent:
            if verb.pos_ != "VERB" or verb.lemma_.lower() not in lemmas:
                continue
            noun = _patient(verb)
            if noun is not None and noun.lemma_.lower() in _REMAINS:  # "the bodies of the Jesuits murdered ..."
                noun = next((c for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
                             for c in p.children if c.dep_ == "pobj"), None)
            if noun is None or not _described(noun) or noun.lower_ in perp_nouns or (scope is not None and noun.i not in scope):
                continue
            if any(_number(c) is not None for c in noun.children if c.dep_ in ("nummod", "quantmod")):
                continue  # counted: the loop over numbers took it
            if any(c.dep_ == "neg" or c.lower_ in ("no", "none") for c in list(verb.children) + list(noun.children)):
                continue  # "no one was hurt", "did not kill the driver"
            out.append(Filler(value=sent.doc[noun.left_edge.i: noun.i + 1].text, evidence=(self.evidence_for(sent),)))
        return out

    def _claimants(self, sent, trigger_tok) -> list[str]:
        if not (_CLAIM.search(sent.text) or _RESPONSIBLE.search(sent.text)):
            return []
        out = []
        for tok in sent:
            if tok.lemma_.lower() not in ("claim", "take", "accept", "admit", "say", "announce", "state"):
                continue
            if any(c.dep_ == "neg" for c in tok.children):
                continue  # "No group has claimed it", "he did not say who carried out the strike"
            if tok.lemma_.lower() in ("say", "announce", "state") and not (
                    trigger_tok is not None and trigger_tok in list(tok.subtree)
                    and re.search(r"\b(carried out|responsib\w*|behind|conducted|staged)\b", sent.doc[tok.i: sent.end].text)
                    or trigger_tok is None and re.search(r"\bresponsib\w*\b", " ".join(t.text for t in tok.subtree if t.i > tok.i))):
                continue  # "X said its fighters had carried out the raid" is a claim; "X said" alone is not; nor
                # "a call from X, who said they were responsible for the action", told after the attack
            if tok.lemma_.lower() == "take" and "credit" not in sent.text.lower():
                continue
            objs = [c for c in tok.subtree]
            direct = trigger_tok is not None and trigger_tok in objs
            if not (direct or _RESPONSIBLE.search(sent.doc[tok.i: sent.end].text)):
                continue
            st = _before_aside(self.f.subject_token(tok), tok)
            if st is None:
                continue
            who = self.f.of_np(st, ORG)
            if who is None:
                p = self.f.of_np(st, PER)
                who = self.roles.get(p) if p else None
            if who and who not in out:
                out.append(who)
        return out

    def _killed_by(self, sent):
        """The verb of a killing done by someone named or described as an attacker ("the Taliban killed 23
        soldiers", "two policemen were murdered by gunmen", "gunmen killed a judge") when it counts or
        describes its dead; else None."""
        perp_nouns = set(cues()["perpetrator_nouns"])
        for tok in sent:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in _KILLING:
                continue
            agent = _doer(tok)
            if agent is None:
                continue
            if self.f.of_np(agent, ORG) or self.f.entity_at(agent, PER) or agent.lemma_.lower() in perp_nouns:
                # the count is the sentence's: read once
                return tok if self._quantities(sent, _KILLED) or self._uncounted(sent, _KILLED, None, perp_nouns) \
                    else None
        return None

    def _attackers(self, sent, trigger) -> list[Filler]:
        """Who carried out the attack, as the sentence describes them without a name: the subject of the verb
        that tells it ("two gunmen shot ...", "urban guerrillas hurled ..."), its agent ("was attacked by
        unidentified individuals", "the attack by a group of heavily armed men"), when its head is a word for
        attackers (``attacker_nouns``: "gunmen", "guerrillas", "men", "individuals" ...) and it names no one."""
        if trigger.pos_ == "VERB":
            who = _doer(trigger)
            if who is None and trigger.dep_ == "conj" and trigger.head.pos_ == "VERB":
                who = _doer(trigger.head)  # "entered X and burned Y"
        else:
            by = next((c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "by"), None)
            who = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        if who is not None and who.lemma_.lower() in _GROUP_WORDS:  # "a group of heavily armed men"
            who = next((p for c in who.children if c.dep_ == "prep" and c.lower_ == "of"
                        for p in c.children if p.dep_ == "pobj"), who)
        if who is None or who.lower_ not in _attacker_nouns() or who.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
            return []
        if self.f.entity_at(who, ORG) or self.f.entity_at(who, PER):
            return []  # a named group or person is a perpetrator, not a description
        doc = sent.doc
        start = who.left_edge.i
        while start < who.i and doc[start].dep_ in ("det", "punct", "cc"):
            start += 1
        end = who.i + 1
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in who.children):  # "members of the Camilist Union"
            end = who.right_edge.i + 1
        return [Filler(value=doc[start:end].text, evidence=(self.evidence_for(sent),))]

    def _perpetrators(self, sent, trigger_tok) -> list[str]:
        out = []
        doc = sent.doc
        for _, start, end, _ in self._doc_matches(doc)[2]:  # cues.json "perpetrator_phrases", in their order
            if start < sent.start or end > sent.end:
                continue
            for t in doc[end: min(end + 10, sent.end)]:
                who = self.f.entity_at(t, ORG)
                if who:  # "blamed on a splinter faction of X", "bore the hallmarks of X"
                    if who not in out:
                        out.append(who)
                    break
        for tok in sent:
            if tok.pos_ != "VERB" or tok.lemma_.lower() in ("say", "tell", "claim", "report", "allege", "believe", "kill", "follow", "die") \
                    and tok != trigger_tok:  # a killing that is the attack itself names its killer
                continue
            if trigger_tok is None or not _same_clause(trigger_tok, tok):
                continue  # "X took over after the leader was killed in an airstrike": X did not strike
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None and tok.lemma_.lower() in ("blame", "accuse", "suspect", "hold"):
                subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)  # "X is blamed for the bombing"
            if subj is None:
                continue
            who = self.f.of_np(subj, ORG)
            if who is None:
                p = self.f.entity_at(subj, PER)
                who = self.roles.get(p) if p else None
            if who:
                if who not in out:
                    out.append(who)
                for c in tok.subtree:
                    if c.lower_ in ("with", "alongside") and c.dep_ == "prep":
                        for o in self.f.in_subtree(c, ORG):
                            if o not in out:
                                out.append(o)
        return out

    title_end: int = -1  # character offset where the document's title ends, set by the caller
    anchor = None  # the document's date (datetime.date) when known, set by the caller

    def _is_title(self, sent) -> bool:
        return sent.start_char < self.title_end

    @staticmethod
    def _told_again(tok, before: Draft) -> bool:
        """A verb whose patient is a definite common noun that the sentences of ``before`` spoke of: "a
        bus ... the bus was attacked near X", "the victim" of an attack with victims, told again with more
        detail ("attacked the Santa Rosa post" names a new one)."""
        nouns = {t.lemma_.lower() for s in before.sentences for t in s if t.pos_ == "NOUN"}
        if before.victims or before.described:
            nouns.add("victim")  # "X was killed on Monday. The victim ... was shot to death on the Pereira road"
        return tok.pos_ == "VERB" and any(
            c.dep_ in ("nsubjpass", "dobj") and c.pos_ == "NOUN" and c.lemma_.lower() in nouns
            and any(d.dep_ == "det" and d.lower_ in ("the", "this", "that") for d in c.children)
            and not any(d.pos_ == "PROPN" for d in c.children)
            for c in tok.children)

    def _named_again(self, tok) -> bool:
        """Whether a trigger noun is "the" one an event read before was told with ("their sabotage against the
        electrical system ... the sabotage occurred on the outskirts of X"): what its row requires of the
        sentence, the first mention had."""
        if tok.pos_ != "NOUN" or not self._definite(tok):
            return False
        lemma = tok.lemma_.lower()
        return any(t.lemma_.lower() == lemma for d in self.drafts for s in d.sentences for t in s)

    def _definite(self, tok) -> bool:
        return any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "these", "those") or c.dep_ == "poss" for c in tok.children)

    def feed(self, sent) -> None:
        """Read one sentence; open, extend or leave events."""
        self._n += 1
        hits = self._find_triggers(sent)
        self._told.append(self._last)
        self._last = (sent, bool(hits))
        victims = self._deaths(sent)
        last = self.drafts[-1] if self.drafts else None
        if not hits and self._killings:
            if last and last.last_sentence >= self._n - 1 and not self._dated_apart(sent, last) and not any(
                    t.pos_ == "NOUN" for _, t, _ in self._killings):
                # ("the assassins of X", "had masterminded the assassination of X": a killing named as a thing
                # is X's own, not the last event's)
                last.victims |= {p for p, _, _ in self._killings}  # "A bomb went off. Senator X was killed."
                # (a killing with a date of its own, another than the last event's, is an attack of its own)
            else:  # "the assassination of judge X", "gunmen murdered X": a killing is an attack of its own
                tok, subtype = self._killings[0][1:]
                hits = [(tok, {"type": "attack", "subtype": subtype}, tok)]
        if not hits and not (last and last.last_sentence >= self._n - 1 and not self._dated_apart(sent, last)):
            tok = self._killed_by(sent)  # "the Taliban killed more than 100 members of the security forces"
            if tok is not None:
                hits = [(tok, {"type": "attack", "subtype": None}, tok)]
        if not hits and last and last.last_sentence >= self._n - 2:
            self._happened_then(sent, last)
        if not hits:
            described: list[Filler] = []
            killed = self._quantities(sent, _KILLED, described=described)
            wounded = self._quantities(sent, _WOUNDED, described=described)
            claimants = self._claimants(sent, None) if _RESPONSIBLE.search(sent.text) else []
            # "Two policemen were killed ..." / "The group claimed responsibility the next day."
            if (killed or wounded or claimants) and last and last.last_sentence >= self._n - (2 if claimants else 1):
                last.killed += killed
                last.wounded += wounded
                last.described += described
                if not last.locations and (killed or wounded):  # "The two were killed as they were leaving a
                    last.locations = self._locations(sent)  # church in Narino Corregimiento": where they fell
                for c in claimants:
                    if c not in last.claimed_by:
                        last.claimed_by.append(c)
                    if c not in last.perpetrators:
                        last.perpetrators.append(c)
                last.sentences.append(sent)
                last.last_sentence = self._n
            return
        primary = hits[0]
        # "claimed the June bombing of a hotel in X, as well as January's attack on a bus near Y": two events
        mentions = [primary] + [h for h in hits[1:] if _coordinated(primary[2], h[2])]
        # "X, which on 25 January claimed responsibility for killing Y, claimed responsibility today for detonating
        # a bomb", "the killing of Y on 25 January and today's attack in Z": a killing told in a relative clause
        # that leaves the attack out, or as another item beside it, is an attack of its own
        apart = [(p, tok, st) for p, tok, st in self._killings if not any(tok.i == h[2].i for h in mentions)
                 and (_clause_apart(tok, primary[2]) or _coordinated(primary[2], tok))]
        mentions += [(tok, {"type": "attack", "subtype": st}, tok) for _, tok, st in apart]
        others = [v for v in victims if v not in {p for p, _, _ in apart}]  # the victims of the sentence's attack
        mentions.sort(key=lambda h: h[2].left_edge.i)
        for k, hit in enumerate(mentions):
            scope = None
            if len(mentions) > 1:  # each event owns the words from its phrase up to the next one
                start = hit[2].left_edge.i if k else sent.start
                end = mentions[k + 1][2].left_edge.i if k + 1 < len(mentions) else sent.end
                scope = set(range(start, end))
            own = [p for p, tok, _ in apart if tok.i == hit[2].i]
            told = self._mention(sent, hit, own or others, scope)
            if own and told is not None:
                told.apart = self._n

    def _happened_then(self, sent, last: Draft) -> None:
        """"It happened on 5 July at 1010 hours", "the incident took place in Puerto Bello": a sentence that
        says when or where "it" happened, right after an event was told, says it of that event (what it
        lacks only: a date it gives otherwise is another thing's)."""
        verb = _happening(sent)
        if verb is None:
            return
        date = self._verb_date(sent, verb)
        took = False
        if date and not last.date and dates_mod.month_or_day(date) and not self._after_report(date):
            last.date, took = date, True
        if not last.locations and (where := self._locations(sent, within=verb)):
            last.locations, took = where, True
        if took:  # the sentence is evidence of what it gave
            last.sentences.append(sent)
            last.last_sentence = self._n

    def _paragraph_date(self, sent) -> str | None:
        """The date of the sentence before, in the same paragraph, when it told no event of its own and its
        date is not a claim's or a report's ("... did not escape the violence on Friday night. Two police
        officers were shot to death ..."; not "a spokesman told reporters on Monday. The attackers set off
        a bomb"): to the day or the month."""
        prev, told = self._told[-1] if self._told else (None, False)
        if prev is None or told or prev.end != sent.start:
            return None
        if self.wire:  # across paragraphs too, back to the last sentence that told an event
            earlier = reversed(self._told)
        elif any("\n" in t.text_with_ws for t in prev[-2:] if t.is_space or t.i == prev.end - 1):
            return None  # a paragraph ends between them (spaCy reads hard-wrapped copy unwrapped)
        else:
            earlier = [(prev, told)]
        for prev, told in earlier:
            if prev is None or told:
                return None
            if any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll") for c in prev.root.children):
                continue  # "there will be two similar actions on 3 November": days ahead, not the narrative's
            if _dates_a_span_only(prev):
                continue  # "the police have been confined to barracks since last night": when a state began
            date = self._sentence_date(prev)
            if date is not None and len(date) == 10 and self.anchor is not None and date > self.anchor.isoformat():
                continue  # "Oqueli's funeral, which is scheduled for 15 January" (in a 13 January report)
            if dates_mod.month_or_day(date):
                return date
        return None

    def _dated_apart(self, sent, last: Draft) -> bool:
        """Whether the sentence carries a date of its own that is not the last event's ("On 31 January,
        troops murdered two peasants" after another killing): what it tells is another event."""
        own = self.date_for(sent, None, carry=False)
        return own is not None and dates_mod.precision_rank(own) >= 4 and not (
            last.date is not None and dates_mod.compatible(last.date, own))

    def _mention(self, sent, hit, victims: list[str], scope: set[int] | None) -> Draft | None:
        """Open an event for one trigger of the sentence, or add to the one it tells again; that event."""
        tok, rule, last = hit
        if self._backreference(tok):
            return  # "Within a week of the Téra attack, ...": that attack is told elsewhere
        if _over_period(last) or _in_a_series(last):
            return  # "five judges have been killed in 2 months", "a wave of kidnappings": a tally, not one event
        if self._definite(last) or scope is not None:  # "claimed the attack on Sunday": that date is the claim's
            date = self._own_date(sent, last)
        else:
            # the day a report was made does not date what it tells: another date of the sentence may
            date = (self._sentence_date(sent, tok) if self._dates_report(sent, tok)
                    else self._verb_date(sent, tok))
            date = date or self._paragraph_date(sent)
        if date and self._after_report(date) and self._clause_date(sent, last) != date:
            date = None  # "a series of attacks ... to disrupt the elections planned for 12 November" (in a report of
            # 7 November): a day after the report's, not said of the attack itself, is another thing's
        if scope is not None:
            locs = [l for l in self._locations(sent) if any(
                sent.start_char <= m.start < sent.end_char
                and sent.doc.char_span(m.start, m.end, alignment_mode="expand") is not None
                and sent.doc.char_span(m.start, m.end, alignment_mode="expand").root.i in scope
                for m in self.f.index.by_id[l].mentions)]
        elif self._definite(last):  # "the raid": places said of the raid itself, or of what it did ("took place in X")
            happened = last.dep_ in ("nsubj", "nsubjpass") and last.head.lemma_.lower() in _HAPPENED
            locs = self._locations(sent, within=last.head if happened else last)
        else:
            locs = self._locations(sent)
        draft = Draft(type=rule["type"], subtype=rule["subtype"], date=date, locations=locs, victims=set(victims))
        if date is None and self.anchor is not None and self._n <= LEAD_SENTENCES and _just_happened(last):
            draft.just = self.anchor.isoformat()  # "there has been another attack in Medellin", "four men ... have
            # set fire to two government vehicles": news the report opens with, told as just done, is of the
            # report's day, unless what follows says which day ("have been kidnapped ... last night attacked")
        draft.recalled = last.lemma_.lower() in _KILLERS
        draft.harmed = self._harmed(sent, last)  # (those also killed are named as the dead: see claims)
        draft.claimed_by = self._claimants(sent, tok)
        draft.perpetrators = self._perpetrators(sent, tok)
        draft.attackers = self._attackers(sent, last)
        for c in draft.claimed_by:
            if c not in draft.perpetrators:
                draft.perpetrators.append(c)
        draft.killed = self._quantities(sent, _KILLED, scope, draft.described)
        draft.wounded = self._quantities(sent, _WOUNDED, scope, draft.described)
        if last.tag_ == "NNS" and not (draft.killed or draft.wounded or draft.victims or draft.harmed) and not (
                date and dates_mod.precision_rank(date) in (0, 4, 5)):
            return  # "attacks", "airstrikes": a campaign, not one event (not "the assassins of Msgr Romero")
        if last.tag_ == "NNS":
            draft.summary = max((n for c in last.children if c.dep_ == "nummod" and (n := _number(c))), default=0)
        target = None if _another(tok, last) else self._join_target(draft, tok)
        if target is None:
            for d in self.drafts:
                if d.summary and d.type == draft.type and not draft.summary:
                    d.members += 1
            draft.sentences.append(sent)
            draft.last_sentence = draft.first_sentence = self._n
            self.drafts.append(draft)
            return draft
        draft.sentences.append(sent)
        _absorb(target, draft)
        target.last_sentence = self._n
        return target

    def _harmed(self, sent, trigger) -> dict[str, Filler]:
        """The named people an attack's verb acts on ("gunmen machinegunned former court president X", "X was
        kidnapped"), or its noun names ("the kidnapping of X", "the attack on X"): victims, killed or not."""
        if trigger.pos_ == "VERB":
            heads = [_patient(trigger)]  # "shot and wounded X": the object of the verb beside it
            heads += [_patient(c) for c in trigger.children if c.dep_ == "conj" and c.pos_ == "VERB" and heads[0] is None]
        elif trigger.pos_ == "NOUN":
            heads = [o for p in trigger.children if p.dep_ == "prep" and p.lower_ in _HARMED_PREPS
                     for o in p.children if o.dep_ == "pobj"]
        else:
            return {}
        if trigger.lemma_.lower() == "attack" and (doer := _doer(trigger)) is not None and self.f.entity_at(doer, PER):
            return {}  # "D'Aubuisson harshly attacked President Duarte": words, not harm
        out: dict[str, Filler] = {}
        for head in heads:
            if head is None:
                continue
            named = self.f.entity_at(head, PER)  # "X and Y"; a name split off its titles ("chief general X")
            for tok in [head] + [c for c in head.children if c.dep_ == "conj" or (c.dep_ == "appos" and not named)]:
                person = self.f.entity_at(tok, PER)
                if person is None or person in out or places.resolve(self.f.index.by_id[person].name) is not None:
                    continue  # (a place the name finder took for a person: "attacked La Laguna")
                named_so = self._named(person, sent)
                if fullness(named_so.value) >= 2:  # a first and a last name somewhere in the report (not the
                    out[person] = named_so  # "Redoubts" of "attacks on the terrorists' redoubts", re-cased)
        return out

    def _named(self, person: str, sent) -> Filler:
        """A person acted on in ``sent``, by the fullest name the report gives them ("OQUELI", named in full
        before as "HECTOR OQUELI COLINDRES"), with the sentences that say what happened and that name them so."""
        doc = sent.doc
        mentions = self.f.index.by_id[person].mentions
        full = max(mentions, key=lambda m: (fullness(strip_titles(m.text)), -m.start))
        where = doc.char_span(full.start, full.end, alignment_mode="expand")
        evidence = (self.evidence_for(sent),)
        if where is not None and where.sent != sent:
            evidence += (self.evidence_for(where.sent),)
        return Filler(value=strip_titles(full.text), entity=person, evidence=evidence)

    def _clause_date(self, sent, trigger) -> str | None:
        """The date said in the trigger's own clause (the verb's, for a noun it is the subject or object of),
        not in a clause within it ("by X, which is trying to disrupt the elections planned for 12 November")."""
        head = trigger.head if trigger.pos_ == "NOUN" and trigger.dep_ in ("nsubj", "nsubjpass", "dobj") else trigger

        def inner(tok) -> bool:
            for a in [tok, *tok.ancestors]:
                if a.i == head.i:
                    return False
                if a.dep_ in ("relcl", "acl", "advcl", "xcomp", "ccomp"):
                    return True
            return False
        return self.date_for(sent, trigger, within=head, carry=False, skip=inner)

    def _after_report(self, date: str) -> bool:
        """Whether ``date`` is a day after the day after the report's (a report may be dated the day before
        its news by the clock of another time zone)."""
        return len(date) == 10 and self.anchor is not None and date > (self.anchor + _DAY).isoformat()

    @staticmethod
    def _dates_report(sent, tok) -> bool:
        """Whether the date nearest the trigger dates the report that tells of it ("the army denied today
        that guerrillas attacked the farm": today is the denial's)."""
        verbs = {a.i for a in tok.ancestors if a.pos_ in ("VERB", "AUX") and a.lemma_.lower() in _TELLING}
        near = min((t for t in sent if t.ent_type_ in _WHEN or t.lower_ in _DAY_WORDS),
                   key=lambda t: abs(t.i - tok.i), default=None) if verbs else None
        verb = next((a for a in near.ancestors if a.pos_ in ("VERB", "AUX")), None) if near is not None else None
        return verb is not None and verb.i in verbs and not _after_that(verb, near)

    def _own_date(self, sent, trigger) -> str | None:
        """The date a trigger carries itself: "the Sept. 19 ambush", "Sunday's attack", "the June bombing",
        "the bombing of a convoy near X on 8 May 2021" (not the date of the verb that mentions it)."""
        inside = _date_before_of(trigger) if trigger.pos_ == "NOUN" else None
        if inside is not None and (found := self.date_for(sent, trigger, within=inside)):
            return found
        claimed = next((a for a in trigger.ancestors if a.pos_ in ("VERB", "AUX")), None)
        claimed = claimed is not None and claimed.lemma_.lower() in _CLAIM_OR_REPORT
        for c in trigger.children:
            if claimed and c.i > trigger.i:
                continue  # "claimed responsibility for the kidnapping on Sunday": Sunday dates the claim
            if c.i > trigger.i and c.dep_ in ("prep", "npadvmod") and any(t.ent_type_ in _WHEN for t in c.subtree):
                if _ends_apposition(c):
                    continue
                found = self.date_for(sent, trigger, within=c)
                if found:
                    return found
            if c.i < trigger.i and c.dep_ in ("poss", "compound", "nmod", "amod", "nummod", "npadvmod"):
                word = c.text.lower().rstrip(".")
                if word in dates_mod.MONTHS and not any(ch.isdigit() for t in c.subtree for ch in t.text):
                    year = trigger.doc[c.i + 1] if c.i + 1 < trigger.i else None
                    if year is not None and re.fullmatch(r"(1[89]|20)\d\d", year.text):
                        return f"{year.text}-{dates_mod.MONTHS[word]:02d}"  # "the March 1980 assassination"
                    return dates_mod.anchor_month(dates_mod.MONTHS[word], self.anchor)
                if any(t.ent_type_ in _WHEN for t in c.subtree):
                    found = self.date_for(sent, trigger, within=c)
                    if found:
                        return found
        return self._sentence_date(sent, trigger, nominal=trigger.pos_ == "NOUN")

    def _sentence_date(self, sent, tok=None, nominal: bool = False) -> str | None:
        """A date of the sentence, unless it dates the claim or the report ("claimed it on Sunday"); for an
        attack named by a noun (``nominal``), not a date of a verb it does not hang on ("after the assassination of
        X, the judges lifted the strike they had called on 17 August"), nor of the verb that the clause naming it
        serves ("they resigned last Friday to protest the assassination of X")."""
        own = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None) if nominal else None
        for t in sent:
            if (t.ent_type_ not in _WHEN or t.ent_iob_ != "B") and t.lower_ not in _DAY_WORDS:
                continue  # (the model does not always mark "TODAY" in wire copy)
            verb = next((a for a in t.ancestors if a.pos_ in ("VERB", "AUX")), None)
            if verb is not None and verb.lemma_.lower() in _CLAIM_OR_REPORT and not _after_that(verb, t):
                continue
            if own is not None and verb is not None and self._another_verbs_date(tok, own, verb):
                continue
            if own is None and tok is not None and self._describes_a_participant(tok, t):
                continue
            if _ends_apposition(t.head if t.head.pos_ == "ADP" and t.head.i < t.i else t):
                continue
            found = self.date_for(sent, tok, within=t.head if t.ent_type_ and t.head.ent_type_ == t.ent_type_ else t)
            if not found and t.ent_type_:  # "AT 0600 THIS MORNING": "0600" hangs on "at", "this morning" on the verb
                span = model_entity(t)  # (the sentence's entity beginning at the token)
                span = span if span is not None and span.start == t.i and span.end <= sent.end else None
                found = next((d for w in (span or ())[1:] if w.head.i < span.start or w.head.i >= span.end
                              if (d := self.date_for(sent, tok, within=w))), None)
            if found and not found.endswith("s"):
                return found
        return None

    @staticmethod
    def _another_verbs_date(noun, own, verb) -> bool:
        """Whether ``verb``, which a date of the sentence hangs on, dates something else than the attack named
        by ``noun`` (whose nearest verb is ``own``): a verb elsewhere in the sentence, or the one that the clause
        naming the attack serves ("resigned last Friday to protest the assassination of X"); not a verb of
        harm or of its happening ("... and a plane blew up on 27 November", "which left eleven soldiers dead
        on 14 March")."""
        if noun.is_ancestor(verb) or verb.lemma_.lower() in _DATES_THE_HARM:
            return False
        if verb.i == own.i:
            return _inside_another_noun(noun, own)
        return not verb.is_ancestor(noun) or own.dep_ in ("xcomp", "advcl", "ccomp", "relcl")

    def _verb_date(self, sent, trigger) -> str | None:
        """The date of ``sent`` nearest the verb ``trigger``, not one of a clause describing a participant."""
        return self.date_for(sent, trigger, carry=False, skip=lambda t: self._describes_a_participant(trigger, t))

    @staticmethod
    def _describes_a_participant(trigger, date) -> bool:
        """Whether the verb that the ``date`` token hangs on is a relative clause, closed before the trigger,
        that describes one of the attack's participants rather than the attack ("Pizarro, leader of the group
        that laid down its weapons on 9 March, was killed"). A verb of harm or of its happening still dates
        it ("the man who was kidnapped on 3 May was found dead"), and so does a clause after the trigger,
        whose closing date the parse attaches by guess ("was murdered by assassins who received orders
        from X on 11 October 1987")."""
        verb = next((a for a in date.ancestors if a.pos_ in ("VERB", "AUX")), None)
        return (verb is not None and verb.i != trigger.i and verb.dep_ == "relcl" and verb.right_edge.i < trigger.i
                and verb.lemma_.lower() not in _DATES_THE_HARM)

    def situate(self, sents: list) -> tuple[str | None, list[str]]:
        """When and where an attack told in ``sents`` happened, read from those sentences alone (for an
        attack only the role tagger saw): the first date that is not a claim's or a report's, the
        sentences' places."""
        date = next((d for s in sents if (d := self._sentence_date(s))), None)
        places = list(dict.fromkeys(p for s in sents for p in self._locations(s)))
        return date, places

    def _backreference(self, tok) -> bool:
        t = tok
        for _ in range(4):
            if t.dep_ == "pobj" and t.head.lower_ in ("after", "since", "before", "within", "following", "until", "despite"):
                return True
            if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lower_ in ("week", "weeks", "day", "days", "month", "months", "wake", "aftermath"):
                return True
            if t.head is t:
                break
            t = t.head
        return False

    def _doc_text(self, doc) -> str:
        if self._text[0] is not doc:  # Doc.text joins every token: read it once per document
            self._text = (doc, doc.text)
        return self._text[1]

    def _dateline_end(self, tok) -> int | None:
        """Where the wire dateline ends when ``tok`` is in its place, the place opening its line
        ("NIAMEY, Dec 2 (Reuters) -", "SAN SALVADOR, 12 NOV 89 (RADIO VENCEREMOS) --"); else None."""
        text = self._doc_text(tok.doc)
        newline = text.rfind("\n", max(0, tok.idx - 41), tok.idx)  # a dateline's place is 40 characters in at most
        if newline < 0 and tok.idx > 41:
            return None
        line_start = newline + 1
        before = text[line_start:tok.idx]
        if len(before) > 40 or not re.fullmatch(r"[^\W\d_][\w .'-]*|", before.strip()):
            return None  # the dateline's place opens the line
        line = text[line_start:line_start + 200]
        found = parse_wire_dateline(line)
        if found is not None:
            return line_start + found.end if tok.idx < line_start + found.end else None
        place = re.match(r"[A-Z][A-Z .'-]*[A-Z](?=\s*(?::|--?|[–—])\s)", line)  # "NIAMEY: ...", "KABUL - ..."
        return line_start + place.end() if place is not None and tok.idx < line_start + place.end() else None

    def _dateline_place(self, tok) -> bool:
        return self._dateline_end(tok) is not None

    def filed_from(self, doc) -> tuple[str, Filler] | None:
        """The place the report was filed from: the location opening its wire dateline (in its first
        lines), as (local entity id, filler whose evidence is the dateline); None without one."""
        if self._filed[0] is doc:
            return self._filed[1]
        found = None
        for tok in doc:
            if tok.idx > DATELINE_WITHIN:
                break
            eid = self.f.entity_at(tok, LOC)
            end = self._dateline_end(tok) if eid else None
            if end is None:
                continue
            last = tok
            while last.i + 1 < len(doc) and self.f.entity_at(doc[last.i + 1], LOC) == eid:
                last = doc[last.i + 1]
            sentence = self.evidence_for(tok.sent)  # quoted from the text as written (the doc may be re-cased)
            end = min(end, sentence.end)
            quote = sentence.quote[tok.idx - sentence.start:end - sentence.start]
            evidence = replace(sentence, start=tok.idx, end=tok.idx + len(quote.rstrip()), quote=quote.rstrip())
            value = sentence.quote[tok.idx - sentence.start:last.idx + len(last.text) - sentence.start]
            found = (eid, Filler(value=value, entity=eid, evidence=(evidence,)))
            break
        self._filed = (doc, found)
        return found

    def _locations(self, sent, within=None) -> list[str]:
        """Places in the sentence, minus places used as modifiers ("a US drone", "Afghan-led")."""
        out = []
        for tok in (within.subtree if within is not None else sent):
            eid = self.f.entity_at(tok, LOC)
            if not eid or eid in out:
                continue
            span_end = tok
            while span_end.dep_ == "compound" and self.f.entity_at(span_end.head, LOC) == eid:
                span_end = span_end.head
            head = span_end.head
            if span_end.dep_ == "pobj" and head.dep_ == "prep" and head.head.lemma_.lower() in _REPORTING:
                continue  # "the ministry said in Bogota": where it was said, not where it happened
            if self._dateline_place(tok):
                continue  # "NIAMEY, Dec 2 (Reuters) -": where the report was filed, not where it happened
            if span_end.dep_ == "pobj" and head.lower_ in ("to", "into") and head.head.lemma_.lower() in _SENDING:
                continue  # "since X was sent to Atlanta there have been attacks": where someone went
            if span_end.dep_ == "nsubj" and within is None:
                continue  # "France has been on high alert since ...", "Russia launched": who acts, not where
            if span_end.dep_ in ("compound", "amod", "nmod", "npadvmod") and not self.f.entity_at(head, LOC) and (
                    head.lemma_.lower() in _ACTOR_HEADS or head.lower_ in ("led", "backed", "based", "born", "linked")
                    or head.lower_ in self._trigger_words  # "a U.S. airstrike": who struck, not where
                    or places.is_country(self.f.index.by_id[eid].name)):  # "U.S. properties": whose, not where
                continue  # "a US Predator airstrike", "US-led coalition": who acted, not where
            if self._whose_person(span_end) or (span_end.dep_ == "pobj" and head.lower_ == "of"
                                                and self.f.entity_at(head.head, PER)):
                continue  # "the Risaralda province police commander's wife", "Roberto Roascio of Milan": whose, not where
            out.append(eid)
        if len(out) > 1:  # "on the Pereira road, some 300 km west of Bogota": a point of reference, not the place
            # (when the sentence names a place below a country: "kidnapped in Colombia some 30 km from Medellin")
            kept = [eid for eid in out if not self._reference_point(sent, eid)]
            if any(not places.is_country(self.f.index.by_id[eid].name) for eid in kept):
                out = kept
        filed = self.filed_from(sent.doc)
        if filed and filed[0] not in out and any(self._points_to_dateline(tok, filed[1].value)
                                                 for tok in (within.subtree if within is not None else sent)):
            out.append(filed[0])
        return out

    @staticmethod
    def _whose_person(tok) -> bool:
        """Whether the noun phrase a place modifies names a person by office or kin ("the Risaralda province 3D
        district police commander's wife", "the Medellin mayor"): the place is whose they are."""
        top, hops = tok, 0
        while top.dep_ in ("compound", "nmod", "poss", "amod") and top.head.pos_ in ("NOUN", "PROPN") and hops < 8:
            top, hops = top.head, hops + 1
        return hops > 0 and top.lemma_.lower() in _person_nouns()

    def _reference_point(self, sent, eid: str) -> bool:
        """Whether every mention of the place in the sentence follows a distance ("300 km to the west of X",
        "50 miles from X"): the place it is measured from."""
        text = self._doc_text(sent.doc)
        found = [m for m in self.f.index.by_id[eid].mentions if sent.start_char <= m.start < sent.end_char]
        return bool(found) and all(_DISTANCE_BEFORE.search(text, max(sent.start_char, m.start - 50), m.start) for m in found)

    @staticmethod
    def _points_to_dateline(tok, place: str) -> bool:
        """Whether ``tok`` names the place the report was filed from: "here", "this capital", "this city",
        and "the capital" when that place is its country's capital (not "said here": where it was said)."""
        word = tok.lower_
        if word == "here":
            return tok.dep_ == "advmod" and tok.head.lemma_.lower() not in _REPORTING
        if word not in ("capital", "city"):
            return False
        dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss")}
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children) or tok.dep_ == "compound":
            return False  # "the capital of Morazan", "city council"
        return "this" in dets or (word == "capital" and bool(dets & {"the", "country", "'s"})
                                  and places.is_capital(place))

    def _join_target(self, draft: Draft, tok) -> Draft | None:
        def fits(d: Draft, strict: bool = True) -> bool:
            if d.apart == self._n:
                return False  # "X, which killed Y in May, bombed a bank today": two attacks, whatever they share
            if d.summary > 1:
                return False  # "three attacks": the report tells each apart after counting them
            if d.type != draft.type or (strict and not same_kind(d.subtype, draft.subtype)):
                return False
            if (d.subtype in _SPECIFIC) != (draft.subtype in _SPECIFIC):
                return False
            return dates_mod.compatible(d.date, draft.date)
        candidates = [d for d in self.drafts if fits(d)]
        if not candidates and not self._definite(tok):
            return None
        for d in reversed(candidates):
            if d.victims & draft.victims:
                return d  # the strike that killed X, told twice
        informative = bool(draft.date or draft.locations)
        if informative:
            last = self.drafts[-1] if self.drafts else None
            if last in candidates and not last.date and not last.locations and (
                    last.last_sentence == self._n - 1 or last.last_sentence == 1):
                return last  # a headline or lead sentence, then the details of the same event
            if len(self.drafts) == 1 and last in candidates and last.sentences and last.last_sentence <= 2 \
                    and self._is_title(last.sentences[0]):
                return last  # the headline names the event the report opens with
            if len(self.drafts) == 1 and last in candidates and not last.date and self._n - last.last_sentence <= 3 \
                    and all(places.is_country(self.f.index.by_id[x].name) for x in last.locations):
                return last  # a first mention with only a country, then the details
            for d in reversed(candidates):
                same_date = draft.date and d.date and dates_mod.compatible(d.date, draft.date)
                shared_place = set(d.locations) & set(draft.locations)
                if (same_date and (shared_place or not draft.locations or not d.locations)) or (shared_place and (
                        not draft.date or (not d.date and (self._definite(tok) or tok.pos_ != "VERB")))):
                    return d  # (not "on the night of 3 September individuals placed two bombs in a Medellin hotel"
                    # after an undated attack in Medellin: a verb with a day of its own tells an attack of its own)
            if not draft.date and last in candidates and self._n - last.last_sentence <= 2 and self._told_again(tok, last):
                return last  # "terrorists machinegunned a bus ... The bus was attacked near X": where it happened
            if self._definite(tok) and tok.pos_ == "NOUN":  # "the attack against UCA, which took place early this
                # morning", paragraphs after "unidentified men set off bombs at the ... university, UCA": the attack
                # on what an attack told before named (a place there, a target here: one name) is that attack
                by_id = self.f.index.by_id
                named = {name_key(n) for p in tok.children if p.dep_ == "prep" and p.lower_ in ("against", "on", "at")
                         for o in p.children if o.dep_ == "pobj" for e in [self.f.index.at(o.idx, o.idx + len(o.text))] if e
                         for n in by_id[e].names}
                for d in reversed(candidates) if named else ():
                    said = self._said(d)
                    if (not d.date or not draft.date) and named & {name_key(n) for e in said for n in by_id[e].names} \
                            and set(draft.locations) <= said | set(d.locations):
                        return d
            if last in candidates and (draft.subtype is None or draft.subtype == last.subtype) and self._definite(tok) \
                    and self._n - last.last_sentence <= 1 and _complements(last, draft):
                # "terrorists hurled dynamite at the embassy in X. The attack took place on 15 January": the attack
                # told named again by a word of no kind or of its own kind ("blew up a section of the pipeline ...
                # the explosion took place in Pereira"), with what it lacked (not "the explosion" after "the news
                # team was attacked": maybe another)
                return last
            return None
        if self._definite(tok):  # "the ambush" after "a roadside bomb": writers vary the word for one event
            loose = [d for d in self.drafts if fits(d, strict=False)
                     and not (draft.victims and not d.victims & draft.victims)]  # (not "the assassins of X")
            return max(loose, key=lambda d: (len(d.sentences), d.last_sentence)) if loose else None
        return None

    def _said(self, draft: Draft) -> set[str]:
        """The entities the sentences of an event name."""
        return {f"e{m.cluster}" for x in draft.sentences for m in self.f.index.within(x.start_char, x.end_char)}

    def _deaths(self, sent) -> list[str]:
        """People whose death the sentence reports (death events); those killed by someone ("murdered X",
        "X was assassinated", "the killing of X") are also kept in ``_killings`` with the word that says it."""
        found: list[str] = []
        self._killings = []
        for tok in sent:
            lemma = tok.lemma_.lower()
            person = None
            if lemma in ("assassinate", "murder", "slay") and tok.tag_ == "VBN" and tok.i + 1 < len(tok.doc) and (
                    tok.dep_ == "amod" or tok.nbor(1).pos_ == "PROPN"):  # "the assassinated Carlos Pizarro"
                person = self.f.entity_at(tok.head, PER) or self.f.entity_at(tok.nbor(1), PER)
            elif lemma in ("kill", "assassinate", "execute", "slay", "eliminate", "murder") and tok.pos_ == "VERB" and not any(
                    c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
                for dobj in (c for c in tok.children if c.dep_ == "dobj"):  # "forces killed X" (the parser
                    # sometimes splits the object in two: "killing former armed forces chief general X")
                    person = self.f.entity_at(dobj, PER) or next(
                        (self.f.entity_at(c, PER) for c in dobj.children if c.dep_ == "appos" and self.f.entity_at(c, PER)), None)
                    if person:
                        break
            elif lemma in ("kill", "assassinate", "die", "execute", "slay", "murder") and tok.pos_ == "VERB":
                subj = next((c for c in tok.children if c.dep_ == ("nsubjpass" if lemma != "die" else "nsubj")), None)
                if subj is not None and subj.lower_ in ("he", "she"):
                    person = self.f.person_pronoun(subj)
                elif subj is not None:
                    person = self.f.entity_at(subj, PER) or next(
                        (self.f.entity_at(c, PER) for c in subj.children if c.dep_ == "appos" and self.f.entity_at(c, PER)), None)
            elif lemma in ("death", "killing", "assassination", "murder", *_KILLERS) and tok.pos_ == "NOUN" or (
                    tok.tag_ == "VBG" and tok.lower_ in ("killing", "murdering") and tok.dep_ not in ("ROOT", "conj")):
                of = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "including")]
                # "the 7 January assassination in Tegucigalpa of Manuel Rugama": the parser hangs the "of"
                # on the place (a place is no one's), the killing's all the same
                of += [c for p in tok.children if p.dep_ == "prep" and p.lower_ in ("in", "at", "near")
                       for o in p.children if o.dep_ == "pobj" and self.f.entity_at(o, LOC)
                       for c in o.children if c.dep_ == "prep" and c.lower_ == "of"]
                if of:  # "the assassination of judge X" (the name sometimes parsed as the noun's apposition),
                    # "the killing of six priests, including X", "the assassins of Msgr Romero"
                    person = next((p for c in of for p in self.f.in_subtree(c, PER)), None) or next(
                        (self.f.entity_at(c, PER) for c in tok.children if c.dep_ == "appos" and self.f.entity_at(c, PER)), None)
            if not person:
                continue
            found.append(person)
            if lemma in _KILLING:
                self._killings.append((person, tok, _KILLING[lemma]))
            d = self.deaths.get(person)
            if d is None:
                d = self.deaths[person] = Draft(type="death", subtype=None, subject=person)
            if sent not in d.sentences:
                d.sentences.append(sent)
            # (a death named by a noun, "the assassination of X", takes only a date said of it: see _own_date)
            d.date = d.date or (self._own_date(sent, tok) if tok.pos_ == "NOUN" else self._verb_date(sent, tok))
            for l in self._locations(sent, within=tok):
                if l not in d.locations:
                    d.locations.append(l)
        return found

    @staticmethod
    def _in_narrative(drafts: list[Draft]) -> list[Draft]:
        """Attacks told without a date of their own, read in the report's narrative, in order:

        - one with no place either, among or right after the sentences of an attack told before it ("...
          Sunday's ambush near X. The attackers used a roadside bomb to disable the first truck ... The
          ambush was the deadliest"), is a detail of that attack, not another one (unless each names whom
          it killed, none the same: "... the assassination of judge X. X had refused to exonerate those
          charged with the assassination of Y");
        - one within NARRATIVE_SENTENCES after an attack told with its day is dated like it ("Yesterday
          morning terrorists machinegunned a bus ... Later, in the same area, they burned nine vehicles"):
          the report's time runs on until a new date is said (not to the killing of someone named, which is
          told for itself: "Escobar denied that they had killed Jaramillo")."""
        out: list[Draft] = []
        dated = None
        for d in sorted(drafts, key=lambda d: d.first_sentence):
            if not d.date:
                told = next((x for x in reversed(out) if x.type == d.type
                             and x.first_sentence < d.first_sentence <= x.last_sentence + 1), None)
                if told is not None and not d.locations and not d.recalled and not (
                        d.victims and told.victims and not d.victims & told.victims):  # another's killing
                    _absorb(told, d, kind=False)
                    continue
                if dated is not None and not d.victims and d.first_sentence > dated.first_sentence and (
                        d.first_sentence - NARRATIVE_SENTENCES <= max(dated.first_sentence, dated.last_sentence)):
                    d.date = dated.date
            elif dates_mod.precision_rank(d.date) >= 5:
                dated = d
            out.append(d)
        return out

    def claims(self) -> list[EventClaim]:
        # a trigger word and nothing known about it is not an event worth keeping
        kept = [d for d in self.drafts if (d.date or d.locations or d.perpetrators or d.claimed_by or d.killed
                or d.wounded or d.victims or d.harmed) and not (d.summary > 1 and d.members >= 2)]
        # (a count of attacks whose members the report tells one by one is told by them)
        kept = self._in_narrative(kept)
        for d in kept:  # "... denied killing Jaramillo." and "the death of Bernardo Jaramillo on 22 March": the
            # date of a named victim's death dates the undated attack that killed them (its sentence joins the
            # attack's evidence)
            if d.type != "attack" or d.date:
                continue
            death = next((self.deaths[p] for p in sorted(d.victims) if p in self.deaths and self.deaths[p].date), None)
            if death is not None:
                d.date = death.date
                d.sentences += [x for x in death.sentences if x not in d.sentences]
        for d in kept:
            d.date = d.date or d.just
        drafts = kept + list(self.deaths.values())
        filed = self.filed_from(drafts[0].sentences[0].doc) if drafts else None
        out = []
        for d in drafts:
            located = tuple(d.locations)
            if located and all(self._street(x) for x in located):
                town = self._town_before(d.sentences[0].start_char) or (filed[0] if filed else None)
                if town is not None and town not in located:
                    located += (town,)  # "on Playa Avenue", told after "Medellin continues to live through a
                    # wave of terror": a street named without its town is in the town the report last named
                    # (or, naming none before it, the town it was filed from)
            out.append(EventClaim(
                type=d.type, subtype=d.subtype, date=d.date,
                evidence=tuple(self.evidence_for(s) for s in d.sentences),
                locations=located, perpetrators=tuple(d.perpetrators),
                claimed_by=tuple(d.claimed_by), subject=d.subject,
                killed=tuple(d.killed), wounded=tuple(d.wounded),
                victims=merge_fillers([self._named_victim(p) for p in sorted(d.victims)] + d.described
                                      + [f for p, f in d.harmed.items() if p not in d.victims]),
                attackers=merge_fillers(d.attackers),
                reported_from=(filed[1],) if filed else (),
            ))
        return out

    def _town_before(self, offset: int) -> str | None:
        """The last place named before ``offset`` that the gazetteer knows as a town or city."""
        index = self.f.index
        for span in index.before(offset):
            eid = f"e{span.cluster}"
            if index.type_of(eid) == "location" and (p := places.resolve(index.by_id[eid].name)) is not None \
                    and p.kind == "city":
                return eid
        return None

    def _street(self, eid: str) -> bool:
        """Whether a place is named as a street ("Playa Avenue", "59th Street")."""
        words = self.f.index.by_id[eid].name.lower().replace(".", "").split()
        units = cues()["street_units"]  # "Avenida Bolivar", "Calle 26" too
        return len(words) > 1 and (words[-1] in units or words[0] in units)

    def _named_victim(self, person: str) -> Filler:
        """A named person whose death the event's sentences report, as the death's sentence names them."""
        sents = self.deaths[person].sentences
        mentions = self.f.index.by_id[person].mentions
        value = next((m.text for s in sents for m in mentions if s.start_char <= m.start < s.end_char),
                     self.f.index.by_id[person].name)
        return Filler(value=value, entity=person, evidence=(self.evidence_for(sents[0]),))
