"""Relation claims from general triggers and dependency patterns (lexicons/relations.jsonl)."""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache

from ..models import RelationClaim
from ..names import name_key
from . import gazetteer
from .lexicons import cues, records
from .syntax import Finder

EXTRACTOR = "rules.relations.v1"
ORG = ("organization",)
PER = ("person",)
LOC = ("location",)
ORG_OR_PER = ("organization", "person")
GOV = ("person", "organization", "location")

TYPES = {"organization": ORG, "person": PER, "location": LOC, "person_or_org": ORG_OR_PER}


def _participle_of(tok, lemmas: list[str]) -> bool:
    """A past participle of one of ``lemmas`` ("founded", "formed"); "set" only as "set up"."""
    lemma = tok.lemma_.lower()
    if lemma not in lemmas or tok.tag_ != "VBN":
        return False
    return lemma != "set" or any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children)


def _by_phrases(verb) -> list:
    """ "by" phrases of this verb's own clause ("listed as a terrorist group by X"), not of a clause inside it."""
    out = []
    for t in verb.subtree:
        if t.lower_ != "by" or t.i <= verb.i or t.dep_ not in ("prep", "agent"):
            continue
        a = t.head
        while a != verb and a.dep_ not in ("relcl", "acl", "advcl", "ccomp") and a.head is not a:
            a = a.head
        if a == verb:
            out.append(t)
    return out


class _Phrases:
    """The phrases of every "phrase" rule of relations.jsonl, compiled into spaCy matchers.

    A phrase's first word matches the word or its lemma ("fled to" by "fled to", "flee to" by "flees
    to"), the other words the word: ``words`` finds whole phrases (PhraseMatcher on LOWER);
    ``firsts`` the tokens whose lemma is a first word and ``tails`` the rest of each phrase, which
    must follow such a token. (One Matcher pattern per phrase and per form would be as exact, and
    slower than the word loop it replaces.)"""

    def __init__(self, vocab) -> None:
        from spacy.matcher import Matcher, PhraseMatcher
        from spacy.tokens import Doc

        self.words = PhraseMatcher(vocab, attr="LOWER")
        self.tails = PhraseMatcher(vocab, attr="LOWER")
        self.firsts = Matcher(vocab)
        self.key: dict[int, tuple[int, int, int]] = {}  # match key -> (rule number, rank of the phrase, length)
        self.starting: dict[str, list[int]] = {}  # first word -> match keys of the phrases it starts
        for k, rule in enumerate(records("relations")):
            if rule["mode"] != "phrase":
                continue
            for rank, phrase in enumerate(sorted(rule["phrases"], key=lambda p: -len(p.split()))):  # longest first
                words = phrase.split()
                name = f"tessera.relation.{k}.{rank}"
                key = vocab.strings.add(name)
                self.key[key] = (k, rank, len(words))
                self.starting.setdefault(words[0], []).append(key)
                self.words.add(name, [Doc(vocab, words=words)])
                if len(words) > 1:
                    self.tails.add(name, [Doc(vocab, words=words[1:])])
        self.firsts.add("tessera.relation.first", [[{"LEMMA": {"IN": sorted(self.starting)}}]])

    def find(self, doc) -> dict[int, list[tuple[int, int, int]]]:
        """Rule number -> (rank, first, last) of its phrases in the document, in rank order, then left to right."""
        found = {(key, a) for key, a, _ in self.words(doc)}
        tails = {(key, a) for key, a, _ in self.tails(doc)}
        for _, i, _ in self.firsts(doc):
            found |= {(key, i) for key in self.starting[doc[i].lemma_]
                      if self.key[key][2] == 1 or (key, i + 1) in tails}
        out: dict[int, list] = {}
        for key, a in found:
            k, rank, n = self.key[key]
            out.setdefault(k, []).append((rank, a, a + n - 1))
        return {k: sorted(v) for k, v in out.items()}


@lru_cache(maxsize=4)
def _phrase_matcher(vocab) -> _Phrases:
    """The relation phrases, compiled once per vocabulary."""
    return _Phrases(vocab)


class RelationExtractor:
    """Runs every pattern of relations.jsonl over one sentence at a time."""

    def __init__(self, finder: Finder, evidence_for: Callable, date_for: Callable) -> None:
        self.f = finder
        self.evidence_for = evidence_for  # sentence -> Evidence
        self.date_for = date_for  # (sentence, token or None) -> date str or None
        self.claims: list[RelationClaim] = []
        # the claims again, as a set and by what successions and groups look up: a long document
        # makes thousands of claims, and scanning the list for each new one made it quadratic
        self._known: set[RelationClaim] = set()
        self._led_by: dict[str, list[RelationClaim]] = {}  # led_by claims by their object (the leader)
        self._belongs: dict[str, RelationClaim] = {}  # the first member_of / spokesperson_of claim of each person
        self.rules = records("relations")
        self._rule_no = {id(r): k for k, r in enumerate(self.rules)}
        # (doc, rule number -> [(first, rank, last)] by first token): phrase hits, found once per doc
        self._hits: tuple = (None, {})

    # -- helpers ---------------------------------------------------------------------
    def add(self, sent, subject: str | None, predicate: str, obj: str | None = None, value: str | None = None,
            date: str | None = None, ended: bool = False) -> None:
        if not subject or (obj is None and value is None) or subject == obj:
            return
        claim = RelationClaim(subject=subject, predicate=predicate, object=obj, value=value, date=date,
                              ended=ended, evidence=self.evidence_for(sent))
        if claim not in self._known:
            self._known.add(claim)
            self.claims.append(claim)
            if predicate == "led_by":
                self._led_by.setdefault(obj, []).append(claim)
            elif predicate in ("member_of", "spokesperson_of"):
                self._belongs.setdefault(subject, claim)

    def _listed(self, prep, types: tuple[str, ...]) -> list[str]:
        """The names a preposition governs and those coordinated with them ("by X and Y"), not what
        their appositions or relative clauses mention ("by X, a former deputy of Z")."""
        heads = [c for c in prep.children if c.dep_ == "pobj"]
        out: list[str] = []
        while heads:
            h = heads.pop(0)
            found = self.f.entity_at(h, types)
            if found and found not in out:
                out.append(found)
            heads += [c for c in h.children if c.dep_ == "conj"]
        return out or self.f.in_subtree(prep, types, skip_deps=("relcl", "acl"))

    def _phrase_hits(self, sent, rule) -> list[tuple[int, int]]:
        """(first, last) token of each phrase of ``rule`` in the sentence: longest phrases first, then left to right."""
        doc = sent.doc
        if self._hits[0] is not doc:
            found = _phrase_matcher(doc.vocab).find(doc)
            self._hits = (doc, {k: sorted((a, rank, b) for rank, a, b in hits) for k, hits in found.items()})
        hits = self._hits[1].get(self._rule_no[id(rule)], [])
        inside = hits[bisect.bisect_left(hits, (sent.start,)):bisect.bisect_left(hits, (sent.end,))]
        return [(a, b) for _, a, b in sorted((rank, a, b) for a, rank, b in inside) if b < sent.end]

    def _objects_after(self, doc, last_i: int, types: tuple[str, ...]) -> list[str]:
        last = doc[last_i]
        objs = self.f.in_subtree(last, types, skip_deps=("relcl", "acl")) if list(last.children) else []
        objs = [o for o in objs if any(m.start >= last.idx for m in self.f.index.by_id[o].mentions)]
        if not objs:  # the parse failed us: take the names listed right after the trigger
            i = last_i + 1
            skipped = 0
            while i < len(doc) and i < last_i + 40:
                t = doc[i]
                eid = self.f.entity_at(t, types)
                if eid:
                    if eid not in objs:
                        objs.append(eid)
                    i += 1
                    continue
                if t.is_punct and t.text in (",",) or t.lower_ in ("and", "or", "the", "its", "their") or t.is_space:
                    i += 1
                    continue
                if not objs and skipped < 3 and t.pos_ in ("DET", "ADJ", "PROPN", "NOUN", "ADV") and not any(
                        self.f.entity_at(x, ("person", "organization", "location")) for x in [t]):
                    skipped += 1
                    i += 1
                    continue
                if self.f.entity_at(t, ("person", "organization", "location")) and objs:
                    i += 1
                    continue
                break
        return objs

    # -- modes -------------------------------------------------------------------------
    def run(self, sent) -> None:
        for rule in self.rules:
            getattr(self, "mode_" + rule["mode"])(sent, rule)

    def mode_phrase(self, sent, rule) -> None:
        doc = sent.doc
        stypes = TYPES[rule.get("subject_type", "organization")]
        otypes = TYPES[rule.get("object_type", "organization")]
        taken: set[int] = set()
        for a, b in self._phrase_hits(sent, rule):
            if a in taken:
                continue
            taken |= set(range(a, b + 1))
            first = doc[a]
            objs = self._objects_after(doc, b, otypes)
            if not objs and otypes == ORG:  # "had joined the group in 2019"
                nxt = next((t for t in doc[b + 1: min(sent.end, b + 5)] if t.pos_ in ("NOUN", "PROPN")), None)
                found = self.f.anaphor(nxt, ORG) if nxt is not None and nxt.pos_ == "NOUN" else None
                objs = [found] if found else []
            if rule["predicate"] == "based_in":
                non_country = [o for o in objs if not gazetteer.is_country(self.f.index.by_id[o].name)]
                objs = non_country or objs
            if rule["predicate"] == "aims_to_overthrow":
                persons = [o for o in objs if self.f.index.type_of(o) == "person"]
                objs = persons or objs
            if not objs:
                continue
            subj = self.f.subject(first, stypes, exclude=set(objs))
            if subj is None and first.dep_ in ("pobj", "dobj", "attr", "appos") or subj is None:
                head = first.head if first.dep_ != "appos" else first.head
                subj = self.f.of_np(head, stypes, exclude=set(objs)) if head is not first else None
            if subj is None and stypes == ORG and rule["predicate"] in ("pledged_allegiance_to", "allied_with"):
                person = self.f.subject(first, PER)  # "Abu Hafs offered bay'a to al-Qaeda": his group did
                subj = self._group_of(person) if person else None
            if subj is None:
                continue
            date = None
            if rule["predicate"] == "pledged_allegiance_to":
                verb = first if first.pos_ in ("VERB", "AUX") else first.head
                own = self.date_for(sent, first, within=first) if verb is not first else None
                while verb.dep_ in ("ccomp", "parataxis", "xcomp", "advcl", "conj") and verb.head is not verb:
                    verb = verb.head  # '"... we are in the same ranks with X," he wrote on September 26' 
                date = own or self.date_for(sent, first, within=verb, skip_conj=True)
                if date is None and not any(t.ent_type_ == "DATE" for t in sent):
                    date = self.date_for(sent, first)  # the date told in the sentence before, if it shares a noun
            for o in objs:
                self.add(sent, subj, rule["predicate"], o, date=date)

    def mode_passive_by(self, sent, rule) -> None:
        for tok in sent:
            if not _participle_of(tok, rule["lemmas"]):
                continue
            agents = [c for c in tok.children if c.dep_ == "agent"] or _by_phrases(tok)
            if not agents:
                continue
            objs = self._listed(agents[0], ORG_OR_PER if rule["predicate"] == "founded_by" else PER)
            subj = self.f.subject(tok, ORG, exclude=set(objs))
            for o in objs:
                self.add(sent, subj, rule["predicate"], o)

    def mode_active_founder(self, sent, rule) -> None:
        for tok in sent:
            if tok.lemma_.lower() not in rule["lemmas"] or tok.pos_ != "VERB" or tok.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in tok.children):
                continue
            dobj = [c for c in tok.children if c.dep_ == "dobj"]
            if not dobj:
                continue
            org = self.f.entity_at(dobj[0], ORG)
            if not org:
                continue
            founder = self.f.subject(tok, PER, exclude={org})
            if founder:
                self.add(sent, org, "founded_by", founder)
            scope = tok
            while scope.dep_ in ("xcomp", "advcl") and scope.head is not scope:
                scope = scope.head  # "In 2017, commanders broke away to form X"
            date = self.date_for(sent, tok, within=scope, skip_conj=True)
            if date and tok.lemma_.lower() in ("found", "form", "create", "establish", "launch"):
                self.add(sent, org, "founded_on", value=date)  # "In 2017, commanders broke away to form X"

    def mode_active_leader(self, sent, rule) -> None:
        for tok in sent:
            if tok.lemma_.lower() not in rule["lemmas"] or tok.pos_ != "VERB" or any(c.dep_ == "auxpass" for c in tok.children):
                continue
            dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if dobj is None:
                continue
            org = self.f.entity_at(dobj, ORG) or self.f.anaphor(dobj, ORG)
            leader = self.f.subject(tok, PER, exclude={org} if org else set()) if org else None
            if leader:  # "Cañón commanded the group for two decades"
                self.add(sent, org, "led_by", leader)

    def mode_founding_date(self, sent, rule) -> None:
        for tok in sent:
            if not _participle_of(tok, rule["lemmas"]):
                continue
            date = None
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "during"):
                    date = self.date_for(sent, c, within=c)
                    if date:
                        break
            if not date:
                continue
            subj = self.f.subject(tok, ORG)
            self.add(sent, subj, "founded_on", value=date)

    def mode_role(self, sent, rule) -> None:
        doc = sent.doc
        for tok in sent:
            if tok.lemma_.lower() not in rule["nouns"] or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if self.f.entity_at(tok, ("person", "organization", "location")):
                continue
            org = None
            for c in tok.children:
                if c.dep_ in ("compound", "poss", "nmod"):
                    org = self.f.entity_at(c, ORG) or (self.f.anaphor(c, ORG) if c.dep_ == "poss" else None)
                elif c.dep_ == "prep" and c.lower_ in ("of", "for", "in"):
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    # "leader of the FRL", not "head of the FRL's Pacific bloc"
                    org = self.f.entity_at(pobj, ORG) or self.f.anaphor(pobj, ORG) if pobj is not None else None
                if org:
                    break
            if org is None:
                continue
            person = None
            for c in tok.children:
                if c.dep_ == "appos":
                    person = self.f.entity_at(c, PER) or next(iter(self.f.in_subtree(c, PER)), None)
                if c.dep_ == "acl" and c.lower_ in ("named", "called", "identified"):
                    person = next(iter(self.f.in_subtree(c, PER)), None)
                if person:
                    break
            if person is None and tok.dep_ == "appos":
                person = self.f.entity_at(tok.head, PER)
            if person is None and tok.dep_ == "compound":
                person = self.f.entity_at(tok.head, PER)
            if person is None and tok.dep_ in ("attr", "oprd"):  # "X is the leader", "X was named leader"
                dobj = next((c for c in tok.head.children if c.dep_ == "dobj"), None)
                person = (self.f.entity_at(dobj, PER) if dobj is not None else None) or self.f.subject(tok.head, PER)
            if person is None and tok.dep_ == "pobj" and tok.head.lower_ == "as" and tok.head.head.pos_ == "VERB":
                verb = tok.head.head  # "X served as its emir", "they named X as leader"
                dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
                person = (self.f.entity_at(dobj, PER) if dobj is not None else None) or self.f.subject(verb, PER)
            if person is None and tok.i + 1 < len(doc):
                person = self.f.entity_at(doc[tok.i + 1], PER) if doc[tok.i + 1].sent == sent else None
            if person is None:
                continue
            ended = any(c.lower_ in ("former", "late", "ex", "then") for c in tok.children)
            predicate = rule["predicate"]
            if predicate == "led_by" and any(c.lower_ in ("deputy", "vice", "assistant", "acting", "regional", "local")
                                             for c in tok.children):
                self.add(sent, person, "member_of", org, ended=ended)  # a deputy emir is one of its leaders, not the leader
                continue
            if predicate == "member_of" and tok.lemma_.lower() == "commander" and any(
                    (c.dep_ == "det" and c.lower_ == "the") or c.dep_ == "poss" or c.lower_ in ("top", "supreme", "overall")
                    for c in tok.children):
                # "the commander of X" leads X; "an X commander" is one of its commanders
                self.add(sent, org, "led_by", person, ended=ended)
                continue
            if rule.get("inverse"):
                self.add(sent, person, rule["predicate"], org, ended=ended)
            else:
                self.add(sent, org, rule["predicate"], person, ended=ended)

    def mode_replaced(self, sent, rule) -> None:
        for tok in sent:
            lemma = tok.lemma_.lower()
            if lemma not in ("replace", "succeed") or tok.pos_ != "VERB":
                continue
            agents = [c for c in tok.children if c.dep_ == "agent"] or _by_phrases(tok)
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
            subj_tok = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj_tok is None:
                continue
            subj = self.f.entity_at(subj_tok, PER) or self._pronoun(subj_tok)
            if passive and agents:
                doc = sent.doc
                new = next(iter(self.f.in_subtree(agents[0], PER)), None) or next(
                    (self.f.entity_at(t, PER) for t in doc[agents[0].i + 1: min(sent.end, agents[0].i + 10)]
                     if self.f.entity_at(t, PER)), None)  # "by his deputy, Héctor ..." parsed loosely
                old = subj
            else:
                dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
                new, old = subj, (self.f.entity_at(dobj, PER) if dobj is not None else None)
            if new and old:
                self.add(sent, new, "succeeded", old)
                for c in list(self._led_by.get(old, ())):  # the successor takes the role the predecessor held
                    self.add(sent, c.subject, "led_by", new)

    def mode_took_over(self, sent, rule) -> None:
        """ "X took over from Y", "named X as his successor", "X, Y's successor"."""
        doc = sent.doc
        for tok in sent:
            if tok.lemma_.lower() == "take" and doc[tok.i + 1: tok.i + 3].text.lower() == "over from":
                new = self.f.subject(tok, PER)
                old = next(iter(self.f.in_subtree(doc[tok.i + 2], PER)), None)
                old = old or next((self.f.entity_at(t, PER) for t in doc[tok.i + 3: min(sent.end, tok.i + 8)]
                                   if self.f.entity_at(t, PER)), None)
                self._succession(sent, new, old)
                for t in doc[tok.i + 3: min(sent.end, tok.i + 10)]:  # "from the group's founder X": X's group
                    if t.lemma_.lower() in ("founder", "leader", "emir", "chief", "head", "commander") and new:
                        poss = next((c for c in t.children if c.dep_ == "poss"), None)
                        org = (self.f.entity_at(poss, ORG) or self.f.anaphor(poss, ORG)) if poss is not None else None
                        if org:
                            self.add(sent, org, "led_by", new)
                        break
            if tok.lemma_.lower() == "successor" and tok.pos_ == "NOUN":
                poss = next((c for c in tok.children if c.dep_ == "poss"), None)
                old = (self.f.entity_at(poss, PER) or self._pronoun(poss)) if poss is not None else None
                new = None
                if tok.dep_ == "pobj" and tok.head.lower_ == "as" and tok.head.head.pos_ == "VERB":
                    verb = tok.head.head  # "named X as his successor"
                    dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
                    new = self.f.entity_at(dobj, PER) if dobj is not None else None
                elif tok.dep_ == "appos":
                    new = self.f.entity_at(tok.head, PER)
                if new is None:  # "His successor, Abu Khattab al-Halabi, ..."
                    new = next((self.f.entity_at(c, PER) for c in tok.children if c.dep_ == "appos"
                                and self.f.entity_at(c, PER)), None)
                self._succession(sent, new, old)

    def _succession(self, sent, new: str | None, old: str | None) -> None:
        if new and old and new != old:
            self.add(sent, new, "succeeded", old)
            for c in list(self._led_by.get(old, ())):  # the successor takes the role the predecessor held
                self.add(sent, c.subject, "led_by", new)

    def _group_of(self, person: str) -> str | None:
        """The group this document says the person leads or belongs to."""
        if person in self._led_by:
            return self._led_by[person][0].subject
        if person in self._belongs:
            return self._belongs[person].object
        return None

    def _pronoun(self, tok) -> str | None:
        """The person a "he" / "she" stands for (``Finder.person_pronoun``)."""
        return self.f.person_pronoun(tok) if tok.lower_ in ("he", "she") else None

    def _prefixed(self, sent, suffixes: list[str], types: tuple[str, ...]):
        """ "USM-linked", "Somalia-based": the suffix word and the name hyphenated before it."""
        doc = sent.doc
        for tok in sent:
            if tok.lower_ in suffixes and tok.i >= 2 and doc[tok.i - 1].text in ("-", "–"):
                found = self.f.entity_at(doc[tok.i - 2], types)
                if found:
                    yield tok, found

    def mode_linked_prefix(self, sent, rule) -> None:
        doc = sent.doc
        for tok, ally in self._prefixed(sent, rule["suffixes"], ORG):
            head = tok.head
            while head.dep_ in ("amod", "compound") and head.head is not head and head.i < head.head.i:
                if self.f.entity_at(head, ORG) and self.f.entity_at(head, ORG) != ally:
                    break
                head = head.head
            subj = self.f.entity_at(head, ORG)
            if subj is None:
                for t in doc[tok.i + 1: min(tok.i + 6, sent.end)]:
                    e = self.f.entity_at(t, ORG)
                    if e and e != ally:
                        subj = e
                        break
            self.add(sent, subj, "allied_with", ally)

    def _state_of(self, eid: str) -> str:
        """'the U.S. State Department' lists for the United States: use the country when the text names it."""
        ent = self.f.index.by_id[eid]
        if ent.type != "organization":
            return eid
        for m in ent.mentions:  # "the US State Department": the country named right before the body
            for sp in self.f.index.spans:
                if sp.type == "location" and 0 <= m.start - sp.end <= 2 and gazetteer.is_country(sp.text):
                    return f"e{sp.cluster}"
        words = name_key(ent.name).split()
        aliases = cues()["place_aliases"]
        for e in self.f.index.entities:
            if e.type == "location" and gazetteer.is_country(e.name):
                keys = {name_key(n) for n in e.names}
                keys |= {k for k, v in aliases.items() if v in keys}  # "US State Department" -> United States
                for n in range(1, min(4, len(words))):
                    if " ".join(words[:n]) in keys:
                        return e.id
        return eid

    def mode_located_prefix(self, sent, rule) -> None:
        """ "a Somalia-based group": the group the adjective describes is based there."""
        for tok, place in self._prefixed(sent, rule["suffixes"], LOC):
            head = tok.head if tok.head is not tok else tok
            group = self.f.entity_at(head, ORG) or self.f.anaphor(head, ORG) or self.f.subject(head, ORG)
            self.add(sent, group, "based_in", place)

    def mode_between(self, sent, rule) -> None:
        for tok in sent:
            if tok.lemma_.lower() not in rule["nouns"]:
                continue
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "between":
                    orgs = self.f.in_subtree(c, ORG)
                    for i in range(len(orgs)):
                        for j in range(i + 1, len(orgs)):
                            self.add(sent, orgs[i], rule["predicate"], orgs[j])

    def mode_designation(self, sent, rule) -> None:
        if not re.search(r"terror|sanctions? list|blacklist|proscribed", sent.text.lower()):
            return
        for tok in sent:
            if tok.lemma_.lower() not in rule["lemmas"] or tok.pos_ != "VERB":
                continue
            agents = [c for c in tok.children if c.dep_ == "agent"] or _by_phrases(tok)
            if agents:
                listers = self.f.in_subtree(agents[0], GOV)
                org = self.f.subject(tok, ORG, exclude=set(listers))
            else:
                dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
                org = self.f.of_np(dobj, ORG) if dobj is not None else None
                lister = self.f.subject(tok, GOV, exclude={org} if org else set())
                if lister is None:  # the parse lost the subject: the state named before the verb
                    lister = next((self.f.entity_at(t, LOC) for t in sent if t.i < tok.i and self.f.entity_at(t, LOC)
                                   and gazetteer.is_country(self.f.index.by_id[self.f.entity_at(t, LOC)].name)), None)
                listers = [lister] if lister else []
            for l in listers:
                self.add(sent, org, "designated_terrorist_by", self._state_of(l))
