"""Per-sentence context shared by the extractors: who is quoted, how hedged, what 'they' means."""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from .entities import EntityIndex
from .lexicons import cues

_QUOTES = "\"“”"
_STATE_BODY_WORDS = {"department", "ministry", "government", "police", "agency", "commission", "court", "office",
                     "nations", "parliament", "assembly", "senate", "embassy", "gendarmerie", "authorities", "press",
                     "news", "times", "post", "journal"}  # not "army" or "council": armed groups bear those too


@dataclass(frozen=True)
class SentenceInfo:
    start: int
    end: int
    attributed_to: str | None
    hedge: str | None
    subject_org: str | None  # the organization the sentence is about (in its subject)


def hedge_of(sentence: str) -> str | None:
    """The first hedge phrase in a sentence ('believed', 'according to one estimate'), if any."""
    m = _hedges().search(sentence.lower())
    return sentence[m.start():m.end()] if m else None


@lru_cache(maxsize=1)
def _hedges() -> re.Pattern:
    """Every hedge phrase in one expression, longest first: the leftmost found, the longest there."""
    phrases = sorted(set(cues()["hedges"]), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b")


def attribution_of(sent) -> str | None:
    """Who a sentence reports: the subject of a reporting verb, or 'according to X'."""
    low = sent.text.lower()
    m = re.search(r"according to ((?:the |a |an )?[A-Za-z][\w'’. -]{1,60}?)(?:,|\.|$| in | the )", sent.text)
    if m and "estimate" not in m.group(1).lower():
        return m.group(1).strip()
    verbs = cues()["reporting_verbs"]
    for tok in sent:
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in verbs and tok.lemma_.lower() not in ("believe", "speculate", "estimate"):
            if tok.lemma_.lower() == "claim" and any(c.lower_ in ("responsibility", "credit") for c in tok.subtree):
                continue  # claiming an attack is an act reported by the text, not a source quoted
            has_content = any(c.dep_ in ("ccomp", "xcomp", "dobj", "parataxis") for c in tok.children) or any(q in sent.text for q in _QUOTES)
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subj or not has_content:
                continue
            sub = subj[0]
            if sub.lower_ in ("it", "this", "that", "which"):
                continue
            span = sent.doc[sub.left_edge.i: sub.right_edge.i + 1].text.strip(" ,")
            span = " ".join(span.split(",")[0].split())[:80]
            if sub.lower_ in ("he", "she", "they", "we", "i"):
                continue
            told = [c for c in tok.children if c.dep_ in ("dobj", "dative") and c.ent_type_ == "ORG"]
            if tok.lemma_.lower() == "tell" and told:
                return f"{span} (told {told[0].text})"
            if low.startswith(span.lower()) or tok.dep_ in ("ROOT", "parataxis", "ccomp"):
                return span
    return None


def subject_org(sent, index: EntityIndex) -> str | None:
    """The first organization inside a subject of the sentence ('A top leader for the GLA ...')."""
    for tok in sent:
        if tok.dep_ in ("nsubj", "nsubjpass"):
            for t in tok.subtree:
                eid = index.at(t.idx, t.idx + len(t.text))
                if eid and index.type_of(eid) == "organization":
                    return eid
    return None


def is_anaphor(text: str, kind: str = "org") -> bool:
    key = " ".join(text.lower().split())
    return key in cues()["anaphors_org" if kind == "org" else "anaphors_person"]


# The text's main group is one it names at least this often: a name seen once ("(1530 UTC)") is no
# antecedent for a "they" several sentences away (WikiEvents dev 38.7 -> 38.9, MUC-4 dev 45.96 -> 46.10).
MAIN_GROUP_MENTIONS = 2


class Antecedents:
    """Resolves 'they', 'the group', 'we' to the organization recently in subject position."""

    def __init__(self, infos: list[SentenceInfo], index: EntityIndex) -> None:
        self.infos = infos
        counts: dict[str, int] = {}
        # "the group", "they": an armed group or movement, not a ministry, court or news agency
        self.bodies = {e.id for e in index.entities if e.type == "organization" and (
            {w.lower() for w in e.name.split()} & _STATE_BODY_WORDS or e.name.lower() in cues()["news_organizations"])}
        for e in index.entities:
            if e.type == "organization" and e.id not in self.bodies:
                counts[e.id] = len(e.mentions)
        # the text's main groups, most named first; a group named once is none (MAIN_GROUP_MENTIONS)
        self.ranked = [k for k in sorted(counts, key=lambda k: -counts[k]) if counts[k] >= MAIN_GROUP_MENTIONS]

    def resolve(self, position: int, exclude: set[str] = frozenset(), reach: int = 3) -> str | None:
        """The organization a pronoun at ``position`` most likely means, or None.

        ``reach`` is how many sentences back a subject counts; past it, the text's main group."""
        before = [i for i in self.infos if i.start <= position]
        exclude = set(exclude) | self.bodies
        for info in reversed(before[-reach:]):
            if info.subject_org and info.subject_org not in exclude and not (info.start <= position < info.end and info.subject_org is None):
                if info.start <= position < info.end and info.start == position:
                    continue
                return info.subject_org
        for eid in self.ranked:
            if eid not in exclude:
                return eid
        return None
