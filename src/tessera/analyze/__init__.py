"""Analysis of one document: a pure function from text to mentions, relation and event claims.

``analyze_document`` needs no store and touches no global state beyond the cached
model, so it runs the same in a process pool, on Ray, or from a benchmark on raw text.

All-capitals and all-lowercase documents are re-cased before spaCy reads them (``casing.prepare``:
same length, only the case of letters changes, so every offset holds). Entity names come from the
re-cased text, so users read "Farabundo Marti National Liberation Front", not "FARABUNDO MARTI ...";
mentions and evidence quotes are slices of the stored text, exactly as written. A document of mixed
case is analysed as it is.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice

from ..errors import TesseraError
from ..models import Document, DocumentAnalysis, Evidence
from . import dates as dates_mod
from . import fillers
from .casing import prepare
from .context import Antecedents, SentenceInfo, attribution_of, hedge_of, subject_org
from .entities import build_entities
from .events import EXTRACTOR as EVENTS, EventExtractor
from .nlp import load_pipeline
from .relations import EXTRACTOR as RELATIONS, RelationExtractor
from .roles import EXTRACTOR as ROLES, load_role_tagger
from .syntax import Finder

__all__ = ["analyze_document", "analyze_documents", "analyze_parsed", "prepare_document", "analyze_text", "load_pipeline",
           "load_role_tagger", "EXTRACTORS"]

EXTRACTORS = ("spacy.ner.v1", RELATIONS, EVENTS)
_MINED = ("title", "body")
BATCH = 16  # documents per nlp.pipe batch in analyze_documents
# What follows the date of a wire dateline: "Jan 13 (Reuters) - ", "12 NOV 89 (RADIO VENCEREMOS) -- "
_DATELINE_TAIL = re.compile(r"(?:,?\s+\d\d(?!\d))?\s*(?:\([^)]{1,40}\))?\s*(?:--?|[–—])\s")


def _mask(text: str, keep: list[tuple[int, int]]) -> str:
    """Blank out what is not mined, keeping every offset and line break in place."""
    chars = [c if c == "\n" else " " for c in text]
    for a, b in keep:
        chars[a:b] = text[a:b]
    return "".join(chars)


def analyze_text(text: str, published: str | None = None, origin: str = "<text>", nlp=None,
                 tagger=None) -> DocumentAnalysis:
    """Analyse raw text (no ingest, no store): the entry point for benchmarks."""
    from ..ingest import make_document

    return analyze_document(make_document(text, origin, "text/plain", published=published), nlp=nlp, tagger=tagger)


@dataclass(frozen=True)
class Prepared:
    """A document readied for spaCy: the text it reads (``masked``) and what the rules need beside it."""

    document: Document
    mined: list[tuple[int, int]]  # the regions mined for claims (title and body)
    cased: str  # the text re-cased for the model (``casing.prepare``), same length as the stored text
    masked: str  # ``cased`` with everything not mined blanked out: what spaCy reads


def prepare_document(document: Document) -> Prepared:
    """The spaCy input of one document; ``nlp(p.masked)`` or ``nlp.pipe`` over many gives its Doc."""
    text = document.text
    mined = [(r.start, r.end) for r in document.regions if r.kind in _MINED] or [(0, len(text))]
    cased = prepare(text)  # all-capitals or all-lowercase text re-cased for the model; offsets unchanged
    return Prepared(document, mined, cased, _mask(cased, mined))


def analyze_document(document: Document, nlp=None, tagger=None) -> DocumentAnalysis:
    """Entities, relation claims and event claims of one document, every claim with evidence.

    ``tagger`` is the role-filler model (``load_role_tagger()`` by default; ``False`` for the
    rules alone)."""
    nlp = nlp or load_pipeline()
    prepared = prepare_document(document)
    return analyze_parsed(prepared, nlp(prepared.masked), tagger=tagger)


def analyze_documents(documents: Iterable[Document], nlp=None, tagger=None,
                      batch_size: int = BATCH) -> Iterator[tuple[Document, DocumentAnalysis | str]]:
    """``analyze_document`` over many documents, spaCy reading them in batches (``nlp.pipe``).

    Yields (document, analysis) in input order, or (document, error message) for a document whose
    analysis failed; the documents are read lazily, ``batch_size`` at a time."""
    nlp = nlp or load_pipeline()
    if tagger is None:
        tagger = load_role_tagger()
    it = iter(documents)
    while True:
        batch: list[Prepared | tuple[Document, str]] = []
        for d in islice(it, batch_size):
            try:
                batch.append(prepare_document(d))
            except Exception as exc:  # recorded as that document's failure; the batch goes on
                batch.append((d, _failure(exc)))
        if not batch:
            return
        try:
            docs = iter(list(nlp.pipe([p.masked for p in batch if isinstance(p, Prepared)], batch_size=batch_size)))
        except Exception:  # one bad text spoils the batch: each is read on its own below
            docs = None
        for p in batch:
            if not isinstance(p, Prepared):
                yield p
                continue
            try:
                yield p.document, analyze_parsed(p, next(docs) if docs is not None else nlp(p.masked), tagger=tagger)
            except TesseraError:
                raise
            except Exception as exc:
                yield p.document, _failure(exc)


def _failure(exc: Exception) -> str:
    return f"analysis failed: {type(exc).__name__}: {exc}"


def analyze_parsed(prepared: Prepared, doc, tagger=None) -> DocumentAnalysis:
    """The rules (and the role tagger) over a document spaCy has read: everything after ``nlp``."""
    if tagger is None:
        tagger = load_role_tagger()
    document, mined, cased, masked = prepared.document, prepared.mined, prepared.cased, prepared.masked
    text = document.text
    index = build_entities(doc, cased, mined, original=text)
    anchor = dates_mod.parse_iso(document.published)

    sents = []
    for s in doc.sents:
        raw = text[s.start_char:s.end_char]
        if not raw.strip() or not any(a <= s.start_char < b or a < s.end_char <= b for a, b in mined):
            continue
        sents.append(s)
    infos: dict[int, SentenceInfo] = {}
    for s in sents:
        raw = text[s.start_char:s.end_char]
        lead = len(raw) - len(raw.lstrip())
        start = s.start_char + lead
        region_end = next((b for a, b in mined if a <= start < b), len(text))
        end = min(s.start_char + len(raw.rstrip()), region_end)
        end = start + len(text[start:end].rstrip())
        infos[s.start] = SentenceInfo(start, end, attribution_of(s), hedge_of(raw), subject_org(s, index))
    finder = Finder(index, Antecedents(list(infos.values()), index))

    def evidence_for(sent, extractor: str = RELATIONS) -> Evidence:
        info = infos[sent.start]
        return Evidence(document=document.id, start=info.start, end=info.end, quote=text[info.start:info.end],
                        attributed_to=info.attributed_to, hedge=info.hedge, comment=False, extractor=extractor)

    order = {s.start: i for i, s in enumerate(sents)}

    def date_for(sent, tok=None, within=None, carry: bool = True, skip_conj: bool = False, skip=None) -> str | None:
        """The date of ``sent`` nearest ``tok`` (in ``within``'s subtree when given); ``skip(token)`` drops
        a date whose first token it rejects."""
        allowed = None
        if within is not None:
            toks = list(within.subtree)
            a, b = toks[0].idx, toks[-1].idx + len(toks[-1].text)
            if skip_conj:  # "took up arms in 2012 and founded X the following year": not the founding's date
                cut = {t.i for c in within.children if (c.dep_ == "conj" and (tok is None or tok not in c.subtree))
                       or c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}  # nor the subject's own dates
                allowed = [(t.idx, t.idx + len(t.text)) for t in toks if t.i not in cut]
                if within.dep_ == "conj":  # "In 2017 the deputy left and formed X": an opening date covers both
                    head = within.head
                    opening = [t for c in head.children if c.i < head.i and c.dep_ in ("prep", "npadvmod")
                               for t in c.subtree]
                    allowed += [(t.idx, t.idx + len(t.text)) for t in opening]
                    a = min([a] + [t.idx for t in opening])
        else:
            a, b = sent.start_char, sent.end_char
        # read in the whole sentence, kept where they overlap [a, b): the words around a date say whether
        # it is one ("AT 1230 (1830 GMT)": a time, which the subtree "1830" alone cannot tell) and what it
        # holds ("on Monday" for the phrase "Monday")
        lo, hi = min(a, sent.start_char), max(b, sent.end_char)
        found = [(max(x - a + lo, 0), y - a + lo, v) for x, y, v in dates_mod.find_dates(masked[lo:hi], anchor)
                 if lo + x < b and lo + y > a]
        found = [f for f in found
                 if not _DATELINE_TAIL.match(masked, a + f[1])  # "NAIROBI, Jan 13 (Reuters) -" dates the report
                 and (allowed is None or any(x <= a + f[0] < y for x, y in allowed))]
        if within is None:
            found = [f for f in found if dates_mod.precision_rank(f[2]) != 1 and " " not in f[2]]
        if skip is not None:
            found = [f for f in found if not ((t := sent.doc.char_span(a + f[0], a + f[0] + 1, alignment_mode="expand"))
                                              and skip(t[0]))]
        if found:
            if tok is None:
                return found[0][2]
            pos = tok.idx - a
            return min(found, key=lambda f: abs(f[0] - pos))[2]
        if within is not None or tok is None or not carry:
            return None
        # "On August 6th a video was released ... In the video, the leader pledges": carry the date
        i = order.get(sent.start, 0)
        if i == 0:
            return None
        prev = sents[i - 1]
        prev_found = [f for f in dates_mod.find_dates(masked[prev.start_char:prev.end_char], anchor)
                      if dates_mod.month_or_day(f[2]) and not _DATELINE_TAIL.match(masked, prev.start_char + f[1])]
        if len(prev_found) != 1:
            return None
        nouns = {t.lemma_.lower() for t in sent if t.pos_ == "NOUN"}
        prev_nouns = {t.lemma_.lower() for t in prev if t.pos_ == "NOUN"}
        if nouns & prev_nouns:
            return prev_found[0][2]
        return None

    relations = RelationExtractor(finder, evidence_for, date_for)
    for s in sents:
        relations.run(s)
    events = EventExtractor(finder, lambda s: evidence_for(s, EVENTS), date_for)
    events.title_end = max((r.end for r in document.regions if r.kind == "title"), default=-1)
    events.anchor = anchor
    events.wire = cased != text
    for c in relations.claims:
        if c.predicate in ("spokesperson_of", "member_of") and c.object:
            events.roles.setdefault(c.subject, c.object)
        if c.predicate == "led_by":
            events.roles.setdefault(c.object, c.subject)
    for s in sents:
        events.feed(s)
    sentence_spans = tuple((infos[s.start].start, infos[s.start].end) for s in sents)
    claims = events.claims()
    entities = list(index.entities)
    extractors = EXTRACTORS
    if tagger:
        by_span = {(i.start, i.end): i for i in infos.values()}

        def evidence_at(a: int, b: int) -> Evidence:
            info = by_span[(a, b)]
            return Evidence(document=document.id, start=a, end=b, quote=text[a:b], attributed_to=info.attributed_to,
                            hedge=info.hedge, extractor=ROLES)

        found = len(claims)
        claims, named = fillers.attach(claims, tagger.tag(masked), text, list(sentence_spans), index, evidence_at,
                                       shown=cased)
        # attacks only the tagger saw, in wire copy (where its every role is trusted, see ``fillers``): their
        # date and place from their own words (WikiEvents dev, text as written: 41.4 -> 41.1 with them too)
        if cased != text and len(claims) > found:
            by_start = {infos[s.start].start: s for s in sents}
            filed = events.filed_from(doc)
            for k in range(found, len(claims)):
                date, places = events.situate([by_start[e.start] for e in claims[k].evidence if e.start in by_start])
                claims[k] = replace(claims[k], date=date, locations=tuple(places),
                                    reported_from=(filed[1],) if filed else ())
        entities += named
        extractors = EXTRACTORS + (ROLES,)
    return DocumentAnalysis(
        document=document.id,
        entities=tuple(entities),
        relations=tuple(relations.claims),
        events=tuple(claims),
        sentences=sentence_spans,
        extractors=extractors,
    )
