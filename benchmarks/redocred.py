"""Score Tessera's relation claims against Re-DocRED (Tan et al., 2022) on the relations they share.

Usage: python -m benchmarks.redocred --split dev [--data DIR] [--limit N] [--out FILE]

Each document's text is rebuilt from its tokenised sentences (one paragraph, light
detokenisation, a character offset kept for every token), analysed with
``tessera.analyze.analyze_text`` (the per-document path of ``tessera build``), and every
relation claim whose predicate has a Re-DocRED counterpart (MAPPING below) is matched
against the gold (head entity, relation, tail entity) triples.

Matching. A Tessera entity matches a gold entity (a vertexSet cluster) when
  * one of its names, acronyms or mention texts has the same ``tessera.names.name_key``
    (casefolded, no accents, no leading "the", no possessive, no dots) as the text of one
    of the gold mentions (read from the rebuilt text at the gold span), or
  * one of its mention spans overlaps a gold mention span by at least half of each span.
A ``founded_on`` claim carries a date, not an entity: its value matches a gold TIME entity
when ``find_dates`` reads one of that entity's mentions as the same partial ISO date, or as
a refinement of it ("1999" and "1999-03" match; a decade matches only itself).

Scoring. Per mapped relation (one Tessera predicate, whose gold side may pool several
Wikidata properties) and micro over all of them:
  * gold = distinct (head, tail) cluster pairs labelled with any of its properties;
  * predictions = distinct (subject entity, relation, object entity or date value);
  * P = predictions matching at least one gold triple / predictions,
    R = gold triples matched by at least one prediction / gold.
Gold triples of properties no Tessera predicate maps to are not scored at all. Re-DocRED only
relates the entities it annotated, so the report also gives precision over the predictions whose
two sides are both annotated entities; the last three lines (micro P, R, F1 in percent) count
every prediction. --out writes each wrong prediction and each missed gold triple as a JSON line.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "re-docred"

# Tessera predicate -> (Re-DocRED properties, direction). Direction "same" means the claim's
# subject is the gold head and its object the gold tail; "inverse" would swap them (none needs it).
MAPPING: dict[str, tuple[tuple[str, ...], str]] = {
    # founded_by(org, founder) = P112 "founded by" (head: the organisation, tail: its founder).
    "founded_by": (("P112",), "same"),
    # founded_on(org, date) = P571 "inception" (head: the organisation, tail: a TIME entity).
    # Re-DocRED also gives P571 to places and works (MISC/LOC heads); those are scored too.
    "founded_on": (("P571",), "same"),
    # led_by(org, person) = P488 "chairperson" (head: organisation, tail: person). P35 "head of
    # state" and P6 "head of government" have a country or city as head (LOC in every dev triple
    # but one); Tessera's led_by only takes an organisation as subject, so they are left out.
    "led_by": (("P488",), "same"),
    # member_of(member, org) = P463 "member of" plus its two specialisations P102 "member of
    # political party" and P54 "member of sports team": all three are membership in an
    # organisation (head: member, tail: organisation), and Tessera's member_of phrases ("joined",
    # "member of", "belongs to") say both. P108 "employer" is employment, not membership: left out.
    "member_of": (("P463", "P102", "P54"), "same"),
    # based_in(org, place) = P159 "headquarters location" (head: organisation, tail: place).
    # P740 "location of formation" and P131/P276 (where a thing is) say something else.
    "based_in": (("P159",), "same"),
    # Not scored, no Re-DocRED counterpart among its 96 properties:
    #  succeeded(new, old): Tessera reads it between people only; P1365 "replaces" / P155
    #    "follows" link states, companies and works in Re-DocRED (no person pair in dev), so every
    #    prediction would count as an error that the gold cannot contain.
    #  spokesperson_of (no property), allied_with (no property; P190 "sister city" is for towns),
    #  pledged_allegiance_to (no property; not P749 "parent organization", which is ownership),
    #  aims_to_overthrow, designated_terrorist_by (no property).
}
LITERAL = {"founded_on"}

_NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'S", "’s", "n't", "'re", "'ve",
                    "'ll", "'d", "'m", "'"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#"}
_TIGHT = {"-", "–", "/"}  # "free - to - air" -> "free-to-air", "Cambodia – Vietnam" -> "Cambodia–Vietnam", "1997 / 98" -> "1997/98"


# ---- reading ---------------------------------------------------------------------------

@dataclass
class GoldDoc:
    title: str
    text: str
    offsets: list[list[tuple[int, int]]]  # [sentence][token] -> (start, end) in text
    entities: list[list[tuple[int, int]]]  # [cluster] -> mention spans in text
    types: list[str]  # [cluster] -> type of its first mention
    triples: list[tuple[int, str, int]]  # (head cluster, property, tail cluster)

    def mention_texts(self, cluster: int) -> list[str]:
        return [self.text[a:b] for a, b in self.entities[cluster]]


def rebuild_text(sents: list[list[str]]) -> tuple[str, list[list[tuple[int, int]]]]:
    """One paragraph from tokenised sentences, and the (start, end) of every token in it.

    Tokens are NFC-normalised (as Tessera's ingest does) so offsets stay valid after ingest;
    whitespace inside a token becomes a plain space and a whitespace-only token an empty span.
    Spacing is undone around punctuation, hyphens, en dashes, slashes and straight double quotes
    (alternately opening and closing)."""
    parts: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    prev = None
    quote_open = False
    for sent in sents:
        spans = []
        for raw in sent:
            tok = " ".join(unicodedata.normalize("NFC", raw).split())
            if not tok:  # a whitespace-only token (a no-break space): an empty span where it stood
                spans.append((pos, pos))
                continue
            space = prev is not None
            if tok in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER:
                space = False
            if (tok in _TIGHT or prev in _TIGHT) and prev is not None and prev not in _NO_SPACE_BEFORE:
                space = False
            if tok == '"':
                if quote_open:
                    space = False
                quote_open = not quote_open
            elif prev == '"' and quote_open:
                space = False
            if space:
                parts.append(" ")
                pos += 1
            spans.append((pos, pos + len(tok)))
            parts.append(tok)
            pos += len(tok)
            prev = tok
        offsets.append(spans)
    return "".join(parts), offsets


def read_doc(record: dict) -> GoldDoc:
    text, offsets = rebuild_text(record["sents"])
    entities, types = [], []
    for cluster in record["vertexSet"]:
        spans = []
        for m in cluster:
            toks = offsets[m["sent_id"]]
            a, b = m["pos"]
            spans.append((toks[a][0], toks[b - 1][1]))
        entities.append(spans)
        types.append(cluster[0].get("type", ""))
    triples = [(lab["h"], lab["r"], lab["t"]) for lab in record.get("labels", [])]
    return GoldDoc(record.get("title", ""), text, offsets, entities, types, triples)


def load_split(data: Path, split: str) -> list[dict]:
    for name in (f"{split}_revised.json", f"{split}.json"):
        if (data / name).is_file():
            return json.loads((data / name).read_text(encoding="utf-8"))
    raise SystemExit(f"no {split}_revised.json in {data}")


# ---- matching --------------------------------------------------------------------------

def _key(text: str) -> str:
    from tessera.names import name_key

    return name_key(text)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and 2 * inter >= (a[1] - a[0]) and 2 * inter >= (b[1] - b[0])


def _date_matches(value: str, gold: str) -> bool:
    return value == gold or gold.startswith(value + "-") or value.startswith(gold + "-")


@dataclass
class Pred:
    """One distinct prediction: a Tessera entity (its names and spans) or a date on each side."""

    relation: str  # Tessera predicate
    subject: str  # local entity id
    obj: str  # local entity id, or the date value for a literal predicate
    subject_names: tuple[str, ...] = ()
    subject_spans: tuple[tuple[int, int], ...] = ()
    object_names: tuple[str, ...] = ()
    object_spans: tuple[tuple[int, int], ...] = ()
    evidence: str = ""


def entity_matches(names, spans, gold: GoldDoc, cluster: int) -> bool:
    keys = {_key(n) for n in names} - {""}
    if keys & {_key(t) for t in gold.mention_texts(cluster)}:
        return True
    return any(_overlaps(s, g) for s in spans for g in gold.entities[cluster])


def date_entity_matches(value: str, gold: GoldDoc, cluster: int) -> bool:
    from tessera.analyze.dates import find_dates

    return any(_date_matches(value, found[2]) for t in gold.mention_texts(cluster) for found in find_dates(t))


def pred_matches(pred: Pred, gold: GoldDoc, head: int, tail: int) -> bool:
    _props, direction = MAPPING[pred.relation]
    if direction == "inverse":
        head, tail = tail, head
    if not entity_matches(pred.subject_names, pred.subject_spans, gold, head):
        return False
    if pred.relation in LITERAL:
        return date_entity_matches(pred.obj, gold, tail)
    return entity_matches(pred.object_names, pred.object_spans, gold, tail)


def gold_by_relation(gold: GoldDoc) -> dict[str, set[tuple[int, int]]]:
    """Mapped relation -> distinct (head, tail) cluster pairs labelled with one of its properties."""
    out: dict[str, set[tuple[int, int]]] = {rel: set() for rel in MAPPING}
    for h, r, t in gold.triples:
        for rel, (props, _direction) in MAPPING.items():
            if r in props:
                out[rel].add((h, t))
    return out


# ---- predictions -----------------------------------------------------------------------

def predictions(analysis) -> list[Pred]:
    """Distinct (subject, mapped relation, object or value) predictions of one analysis."""
    ents = {e.id: e for e in analysis.entities}

    def names(eid):
        e = ents.get(eid)
        if e is None:
            return (), ()
        return (e.name, *e.names, *e.acronyms, *(m.text for m in e.mentions)), tuple((m.start, m.end) for m in e.mentions)

    seen: dict[tuple[str, str, str], Pred] = {}
    for c in analysis.relations:
        if c.predicate not in MAPPING:
            continue
        obj = c.value if c.predicate in LITERAL else c.object
        if obj is None:
            continue
        k = (c.subject, c.predicate, obj)
        if k in seen:
            continue
        sn, ss = names(c.subject)
        on, os_ = ((), ()) if c.predicate in LITERAL else names(c.object)
        seen[k] = Pred(c.predicate, c.subject, obj, sn, ss, on, os_, c.evidence.quote)
    return list(seen.values())


# ---- scoring ---------------------------------------------------------------------------

@dataclass
class Tally:
    pred: int = 0
    pred_ok: int = 0
    pred_known: int = 0  # predictions whose two sides are both Re-DocRED entities (any type, any relation)
    gold: int = 0
    gold_ok: int = 0
    gold_by_prop: Counter = field(default_factory=Counter)
    gold_ok_by_prop: Counter = field(default_factory=Counter)

    def prf(self) -> tuple[float, float, float]:
        p = 100.0 * self.pred_ok / self.pred if self.pred else 0.0
        r = 100.0 * self.gold_ok / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def score_doc(gold: GoldDoc, preds: list[Pred], tallies: dict[str, Tally], log: list | None = None) -> None:
    """Add one document's counts to ``tallies`` (one Tally per mapped relation)."""
    wanted = gold_by_relation(gold)
    props_of: dict[tuple[int, int], set[str]] = defaultdict(set)
    for h, r, t in gold.triples:
        props_of[(h, t)].add(r)
    matched: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for p in preds:
        hits = [(h, t) for h, t in wanted[p.relation] if pred_matches(p, gold, h, t)]
        tally = tallies.setdefault(p.relation, Tally())
        tally.pred += 1
        tally.pred_known += _both_known(p, gold)
        if hits:
            tally.pred_ok += 1
            matched[p.relation].update(hits)
        elif log is not None:
            log.append(("fp", p.relation, gold.title, p.subject_names[:1], p.object_names[:1] or (p.obj,),
                        _other_gold(p, gold, props_of), p.evidence))
    for rel, pairs in wanted.items():
        tally = tallies.setdefault(rel, Tally())
        props = MAPPING[rel][0]
        tally.gold += len(pairs)
        tally.gold_ok += len(matched[rel] & pairs)
        for pair in pairs:
            for r in props_of[pair] & set(props):
                tally.gold_by_prop[r] += 1
                if pair in matched[rel]:
                    tally.gold_ok_by_prop[r] += 1
            if log is not None and pair not in matched[rel]:
                h, t = pair
                log.append(("fn", rel, gold.title, gold.mention_texts(h)[:1], gold.mention_texts(t)[:1],
                            sorted(props_of[pair] & set(props)), ""))


def _both_known(p: Pred, gold: GoldDoc) -> bool:
    clusters = range(len(gold.entities))
    if not any(entity_matches(p.subject_names, p.subject_spans, gold, c) for c in clusters):
        return False
    if p.relation in LITERAL:
        return any(gold.types[c] == "TIME" and date_entity_matches(p.obj, gold, c) for c in clusters)
    return any(entity_matches(p.object_names, p.object_spans, gold, c) for c in clusters)


def _other_gold(p: Pred, gold: GoldDoc, props_of) -> list[str]:
    """Gold properties (any, mapped or not) that hold between the clusters a wrong prediction names."""
    found = set()
    for (h, t), props in props_of.items():
        if entity_matches(p.subject_names, p.subject_spans, gold, h) and (
                date_entity_matches(p.obj, gold, t) if p.relation in LITERAL
                else entity_matches(p.object_names, p.object_spans, gold, t)):
            found |= props
        if p.relation not in LITERAL and entity_matches(p.object_names, p.object_spans, gold, h) and \
                entity_matches(p.subject_names, p.subject_spans, gold, t):
            found |= {"~" + r for r in props}  # "~P": the gold holds it the other way round
    return sorted(found)


def micro(tallies: dict[str, Tally]) -> Tally:
    total = Tally()
    for t in tallies.values():
        total.pred += t.pred
        total.pred_ok += t.pred_ok
        total.pred_known += t.pred_known
        total.gold += t.gold
        total.gold_ok += t.gold_ok
    return total


def report(tallies: dict[str, Tally]) -> list[str]:
    lines = [f"{'relation':<34} {'gold':>5} {'pred':>5} {'tp_g':>5} {'tp_p':>5} {'P':>6} {'R':>6} {'F1':>6}"]
    for rel, (props, _d) in MAPPING.items():
        t = tallies.get(rel, Tally())
        p, r, f = t.prf()
        lines.append(f"{rel + ' -> ' + '|'.join(props):<34} {t.gold:>5} {t.pred:>5} {t.gold_ok:>5} {t.pred_ok:>5} "
                     f"{p:>6.2f} {r:>6.2f} {f:>6.2f}")
        if len(props) > 1:
            for prop in props:
                n, ok = t.gold_by_prop[prop], t.gold_ok_by_prop[prop]
                lines.append(f"    recall on {prop}: {ok}/{n}" + (f" = {100.0 * ok / n:.2f}" if n else ""))
    m = micro(tallies)
    p, r, f = m.prf()
    lines.append(f"{'micro':<34} {m.gold:>5} {m.pred:>5} {m.gold_ok:>5} {m.pred_ok:>5} {p:>6.2f} {r:>6.2f} {f:>6.2f}")
    if m.pred_known:
        lines.append(f"predictions whose subject and object are both Re-DocRED entities: {m.pred_known}/{m.pred}; "
                     f"P over those: {100.0 * m.pred_ok / m.pred_known:.2f} (the gold only relates its own entities)")
    return lines


# ---- main ------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--out", type=Path, default=None, help="write every miss (fp/fn) as JSON lines here")
    args = ap.parse_args(argv)

    from tessera.analyze import analyze_text, load_pipeline
    from tessera.ingest.documents import make_document, normalize_text

    records = load_split(args.data, args.split)[: args.limit]
    t_load = time.perf_counter()
    nlp = load_pipeline()
    t0 = time.perf_counter()
    tallies: dict[str, Tally] = {rel: Tally() for rel in MAPPING}
    log: list = []
    shifted = unmined = 0
    for i, record in enumerate(records):
        gold = read_doc(record)
        if normalize_text(gold.text) != gold.text:
            shifted += 1  # ingest would move offsets: span matching is off for this one (names still match)
        analysis = analyze_text(gold.text, origin=f"redocred:{args.split}:{i}", nlp=nlp)
        regions = make_document(gold.text, "check").regions
        if any(r.kind not in ("title", "body") for r in regions):
            unmined += 1  # ingest took part of the text for page furniture: Tessera never reads it
        score_doc(gold, predictions(analysis), tallies, log)
    elapsed = time.perf_counter() - t0
    for line in report(tallies):
        print(line)
    other = Counter(r for kind, *_rest, props, _q in log if kind == "fp" for r in props)
    if other:
        print("wrong predictions whose entities hold another gold property (~: other way round): "
              + ", ".join(f"{r} x{n}" for r, n in other.most_common(12)))
    if shifted or unmined:
        print(f"documents whose text ingest normalised differently: {shifted}; with unmined regions: {unmined}")
    if args.out:
        with args.out.open("w", encoding="utf-8") as fh:
            for kind, rel, title, a, b, props, quote in log:
                fh.write(json.dumps({"kind": kind, "relation": rel, "doc": title, "subject": list(a),
                                     "object": list(b), "gold_props": props, "evidence": quote},
                                    ensure_ascii=False) + "\n")
    n = len(records)
    print(f"documents: {n}; model load {t0 - t_load:.1f} s; analysis+scoring {elapsed:.1f} s; "
          f"{n / elapsed if elapsed else 0.0:.2f} documents/s")
    p, r, f = micro(tallies).prf()
    print(f"P {p:.2f}")
    print(f"R {r:.2f}")
    print(f"F1 {f:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
