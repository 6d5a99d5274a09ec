"""Small dependency-tree helpers shared by the relation and event extractors."""
from __future__ import annotations

from .context import Antecedents, is_anaphor
from .entities import EntityIndex

PER = ("person",)

RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
_NEWCOMER_NOUNS = {"splinter", "faction", "breakaway", "offshoot", "cell", "spin-off"}


class Finder:
    """Finds the entities a token or phrase stands for, following anaphors when needed."""

    def __init__(self, index: EntityIndex, antecedents: Antecedents) -> None:
        self.index = index
        self.antecedents = antecedents

    def entity_at(self, tok, types: tuple[str, ...]) -> str | None:
        eid = self.index.at(tok.idx, tok.idx + len(tok.text))
        return eid if eid and self.index.type_of(eid) in types else None

    def person_pronoun(self, tok, exclude: set[str] = frozenset()) -> str | None:
        """'he' / 'his': the person named last before it in its own sentence (as subject, possessor or
        object: "X confirmed Y's death and said he ..."), else the last person in subject position
        in the two sentences before, else the last person named there at all."""
        doc = tok.doc
        start = tok.sent.start
        for _ in range(2):
            if start > 0:
                start = doc[start - 1].sent.start
        window = [t for t in doc[start: tok.i] if not t.is_space]

        def named(tokens, deps) -> str | None:
            found = [self.of_np(t, PER) if t.dep_ in ("nsubj", "nsubjpass") else self.entity_at(t, PER)
                     for t in tokens if t.dep_ in deps]
            found = [p for p in found if p and p not in exclude]
            return found[-1] if found else None

        here = [t for t in window if t.sent == tok.sent]
        before = [t for t in window if t.sent != tok.sent]
        return (named(here, ("nsubj", "nsubjpass", "poss", "dobj"))
                or named(before, ("nsubj", "nsubjpass"))
                or named(before, ("poss", "dobj", "appos", "pobj")))

    def anaphor(self, tok, types: tuple[str, ...], exclude: set[str] = frozenset()) -> str | None:
        """An organization for 'they' / 'its' / 'the group', a person for 'he' / 'his', at this token."""
        if "person" in types and tok.lower_ in ("he", "she", "him", "his", "her"):
            return self.person_pronoun(tok, exclude)
        if "organization" not in types:
            return None
        phrase = tok.doc[tok.left_edge.i: tok.i + 1].text if tok.pos_ == "NOUN" else tok.text
        words = phrase.lower().split()
        if is_anaphor(tok.text) or (tok.pos_ == "NOUN" and is_anaphor(" ".join(words[-3:]))) or (
            tok.pos_ == "NOUN" and len(words) >= 2 and is_anaphor(" ".join(words[-2:]))
        ) or (tok.pos_ == "NOUN" and is_anaphor("the " + tok.lower_) and any(c.lower_ in ("the", "this") for c in tok.children)):
            sent = tok.sent
            before = [self.entity_at(t, ("organization",)) for t in sent if t.i < tok.i]
            subj = [b for b in before if b and b not in exclude]
            if subj and sent[0].lower_ in ("known", "also", "formerly", "called", "dubbed", "founded", "formed", "created"):
                return subj[-1]  # "Known locally as Comando Sur, the group ..." names the group it opens with
            from .context import subject_org
            so = subject_org(sent, self.index)
            verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
            own_subject = verb is not None and any(
                c.dep_ in ("nsubj", "nsubjpass") and self.entity_at(c, ("organization",)) == so for c in verb.children)
            if own_subject and tok.dep_ not in ("nsubj", "nsubjpass", "poss"):
                exclude = set(exclude) | {so}  # "the Council added the group to its list": not the Council
            elif so and so not in exclude and any(b == so for b in before):
                return so
            subj = [b for b in subj if b not in exclude]
            if subj and tok.lower_ in ("they", "their", "it", "its", "them") and tok.dep_ not in ("nsubj", "nsubjpass", "poss"):
                return subj[-1]
            if tok.pos_ == "NOUN" and tok.lemma_.lower() in _NEWCOMER_NOUNS:
                # "the splinter", "the faction": the group the text has just introduced
                prev = [self.entity_at(t, ("organization",)) for t in tok.doc[max(0, sent.start - 80): tok.i]]
                prev = [p for p in prev if p and p not in exclude]
                if prev:
                    return prev[-1]
            # "they" / "its" reach back a few sentences; "the group" means the text's main group unless
            # a group was the subject just before
            reach = 3 if tok.pos_ == "PRON" else 2
            return self.antecedents.resolve(sent.start_char - 1 if sent.start_char else 0, set(exclude), reach)
        return None

    def of_np(self, tok, types: tuple[str, ...], exclude: set[str] = frozenset()) -> str | None:
        """The entity a noun phrase headed by ``tok`` names (itself, an apposition, a modifier)."""
        found = self.entity_at(tok, types)
        if found and found not in exclude:
            return found
        if tok.dep_ == "appos":
            found = self.entity_at(tok.head, types)
            if found and found not in exclude:
                return found
            # "the hallmarks of X (ACR), an armed group that ...": the apposition describes the name just before it
            for t in reversed(tok.doc[min(tok.head.i, tok.i): tok.i]):
                found = self.entity_at(t, types)
                if found and found not in exclude:
                    return found
        for c in tok.children:
            if c.dep_ == "appos":
                found = self.entity_at(c, types)
                if found and found not in exclude:
                    return found
        for c in tok.children:
            if c.dep_ in ("compound", "poss", "nmod", "amod") or (c.dep_ == "prep" and c.lower_ in ("of", "for")):
                for t in c.subtree:
                    found = self.entity_at(t, types)
                    if found and found not in exclude:
                        return found
                    if c.dep_ == "poss":
                        a = self.anaphor(t, types, exclude)
                        if a:
                            return a
        return self.anaphor(tok, types, exclude)

    def subject_token(self, tok):
        """The token heading the subject of the clause ``tok`` belongs to."""
        for _ in range(8):
            if tok.dep_ == "appos":
                return tok.head
            if tok.pos_ in ("VERB", "AUX"):
                subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
                if subj and subj[0].lower_ not in RELATIVE_PRONOUNS:
                    return subj[0]
                if tok.dep_ in ("relcl", "acl"):
                    return tok.head
                if not subj and tok.dep_ == "ccomp" and tok.head.dep_ == "relcl":
                    return tok.head.head  # "X, which police say is led by Y": X is led
            if tok.dep_ == "ROOT":
                return None
            tok = tok.head
        return None

    def subject(self, tok, types: tuple[str, ...], exclude: set[str] = frozenset()) -> str | None:
        st = self.subject_token(tok)
        if st is None:  # "The FSG - its name translates as ... - is led by X": the name that opens the sentence
            sent = tok.sent
            for t in sent[:2]:  # the sentence must open with the name (after an article at most)
                found = self.entity_at(t, types)
                if found and found not in exclude and t.i < tok.i:
                    return found
            return None
        return self.of_np(st, types, exclude)

    def in_subtree(self, tok, types: tuple[str, ...], skip_deps: tuple[str, ...] = ()) -> list[str]:
        """Entities of ``types`` inside the subtree of ``tok``, in text order, without repeats."""
        out: list[str] = []
        skipped: set[int] = set()
        for c in tok.children:
            if c.dep_ in skip_deps:
                skipped |= {t.i for t in c.subtree}
        for t in tok.subtree:
            if t.i in skipped:
                continue
            eid = self.entity_at(t, types)
            if eid and eid not in out:
                out.append(eid)
        return out
