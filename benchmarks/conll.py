"""Names in CoNLL-2003 English, as written, in capitals and in lowercase: spaCy alone against Tessera.

Usage: python -m benchmarks.conll --split dev [--data DIR] [--limit N]

Each CoNLL document (``-DOCSTART-``) becomes one text: tokens joined by a space, sentences by a
line break. Three copies are scored: the original ("cased"), upper-cased and lower-cased (letter
by letter, so offsets hold). For each copy two systems:

* off-the-shelf: Tessera's spaCy pipeline (``load_pipeline``) on the copy, no casing step, the
  model's entities;
* Tessera: the casing step (``casing.prepare``), the same pipeline, and the name spans Tessera
  keeps (``build_entities``: model spans cleaned, re-typed and completed by rule, aliases,
  surnames), the whole document analysed.

Labels: PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC, NORP/EVENT/PRODUCT/WORK_OF_ART/LAW/LANGUAGE->MISC
(the mapping of ../shared/eval/conll2003/SOURCE.md, so the figures compare); numbers and dates
are dropped. Tessera's types: person->PER, organization->ORG, location->LOC; Tessera keeps no
MISC names, so its all-4 recall misses every MISC entity: the PER/ORG/LOC columns compare like
with like. Scoring is conlleval's: micro P/R/F1 over entities whose type and exact span match
(here compared as character spans over the joined tokens).

The last three lines are P, R and F1 (all four types) of Tessera on the cased copy.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "conll2003"
SPLITS = {"dev": "eng.testa"}
SPACY_TO_CONLL = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC",
                  "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC"}
TESSERA_TO_CONLL = {"person": "PER", "organization": "ORG", "location": "LOC"}
THREE = {"PER", "ORG", "LOC"}


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (token, IOB1 tag)."""
    docs: list[list[list[tuple[str, str]]]] = [[]]
    sent: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            if sent:
                docs[-1].append(sent)
                sent = []
            continue
        parts = line.split()
        if parts[0] == "-DOCSTART-":
            if docs[-1]:
                docs.append([])
            continue
        sent.append((parts[0], parts[-1]))
    if sent:
        docs[-1].append(sent)
    return [d for d in docs if d]


def chunks(tags: list[str]) -> list[tuple[int, int, str]]:
    """IOB1 (and IOB2) tags -> (first token, end token, type), as conlleval reads them."""
    out: list[tuple[int, int, str]] = []
    start, typ = None, None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, t = tag.partition("-")
        if start is not None and (tag == "O" or prefix == "B" or t != typ):
            out.append((start, i, typ))
            start, typ = None, None
        if tag != "O" and start is None:
            start, typ = i, t
    return out


def build_text(doc: list[list[tuple[str, str]]]) -> tuple[str, set[tuple[int, int, str]]]:
    """The document's text and its gold entities as (start char, end char, type)."""
    pieces: list[str] = []
    gold: set[tuple[int, int, str]] = set()
    pos = 0
    for sent in doc:
        offsets = []
        for j, (tok, _) in enumerate(sent):
            if j:
                pieces.append(" ")
                pos += 1
            offsets.append(pos)
            pieces.append(tok)
            pos += len(tok)
        for a, b, t in chunks([tag for _, tag in sent]):
            gold.add((offsets[a], offsets[b - 1] + len(sent[b - 1][0]), t))
        pieces.append("\n")
        pos += 1
    return "".join(pieces), gold


def recase(text: str, how: str) -> str:
    """Upper- or lower-case letter by letter; a letter whose case changes its length is kept."""
    if how == "cased":
        return text
    f = str.upper if how == "upper" else str.lower
    return "".join(f(c) if len(f(c)) == 1 else c for c in text)


def score(gold: list[set], pred: list[set], types: set[str] | None = None) -> tuple[float, float, float]:
    tp = n_gold = n_pred = 0
    for g, p in zip(gold, pred):
        if types is not None:
            g = {x for x in g if x[2] in types}
            p = {x for x in p if x[2] in types}
        tp += len(g & p)
        n_gold += len(g)
        n_pred += len(p)
    prec = 100.0 * tp / n_pred if n_pred else 0.0
    rec = 100.0 * tp / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def off_the_shelf(doc) -> set[tuple[int, int, str]]:
    return {(e.start_char, e.end_char, SPACY_TO_CONLL[e.label_]) for e in doc.ents if e.label_ in SPACY_TO_CONLL}


def tessera(doc, shown: str, original: str) -> set[tuple[int, int, str]]:
    from tessera.analyze.entities import build_entities

    index = build_entities(doc, shown, [(0, len(original))], original=None if shown is original else original)
    return {(s.start, s.end, TESSERA_TO_CONLL[s.type]) for s in index.spans if s.type in TESSERA_TO_CONLL}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=sorted(SPLITS), default="dev")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    args = ap.parse_args(argv)

    from tessera.analyze.casing import casing_of, prepare
    from tessera.analyze.nlp import load_pipeline

    t0 = time.perf_counter()
    nlp = load_pipeline()
    docs = read_conll(args.data / SPLITS[args.split])[: args.limit]
    built = [build_text(d) for d in docs]
    gold = [g for _, g in built]
    rows = []
    cased_tessera = (0.0, 0.0, 0.0)
    for how in ("cased", "upper", "lower"):
        t = time.perf_counter()
        texts = [recase(text, how) for text, _ in built]
        plain_docs = list(nlp.pipe(texts, batch_size=16))
        shelf = [off_the_shelf(d) for d in plain_docs]
        prepared = [prepare(x) for x in texts]
        detected = sum(casing_of(x) != "mixed" for x in texts)
        ours = []
        redo = [i for i, (p, x) in enumerate(zip(prepared, texts)) if p is not x]
        redone = dict(zip(redo, nlp.pipe([prepared[i] for i in redo], batch_size=16)))
        for i, x in enumerate(texts):
            ours.append(tessera(redone.get(i, plain_docs[i]), prepared[i], x))
        for system, pred in (("off-the-shelf", shelf), ("Tessera", ours)):
            p4 = score(gold, pred)
            p3 = score(gold, pred, THREE)
            rows.append((how, system, p4, p3))
            if how == "cased" and system == "Tessera":
                cased_tessera = p4
        print(f"[{how}: {detected}/{len(texts)} documents re-cased, {time.perf_counter() - t:.0f}s]", file=sys.stderr)

    print(f"CoNLL-2003 {args.split} ({SPLITS[args.split]}): {len(docs)} documents, "
          f"{sum(len(g) for g in gold)} entities; exact-span entity P/R/F1 (%)")
    print(f"{'copy':<7} {'system':<14} {'P':>6} {'R':>6} {'F1':>6}   {'P3':>6} {'R3':>6} {'F1-PER/ORG/LOC':>14}")
    for how, system, (p, r, f), (p3, r3, f3) in rows:
        print(f"{how:<7} {system:<14} {p:6.2f} {r:6.2f} {f:6.2f}   {p3:6.2f} {r3:6.2f} {f3:14.2f}")
    base = {s: f for how, s, (_, _, f), _ in rows if how == "cased"}
    base3 = {s: f3 for how, s, _, (_, _, f3) in rows if how == "cased"}
    for how, system, (_, _, f), (_, _, f3) in rows:
        if how != "cased":
            print(f"{how} - cased, {system}: all-4 {f - base[system]:+.2f}, PER/ORG/LOC {f3 - base3[system]:+.2f}")
    print(f"time {time.perf_counter() - t0:.0f}s")
    for how, system, (_, _, f), _ in rows:  # figures the quality gate pins (benchmarks/floors.json)
        if system == "Tessera" and how != "cased":
            print(f"gate F1_{how} {f:.2f}")
    p, r, f = cased_tessera
    print(f"P {p:.2f}")
    print(f"R {r:.2f}")
    print(f"F1 {f:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
