"""Near-duplicate detection: precision, recall and time per document, on copies made from real texts.

    python benchmarks/duplicates.py [--data ../shared/eval] [--docs 10000] [--seed 7]

Real article texts: MUC-4 train+dev (newswire), WikiEvents dev (news about attacks), Re-DocRED dev
(Wikipedia leads), Tessera's example and development corpora. From a sample of them, copies are made
the ways outlets copy a story: other page furniture leaking into the body (a newsletter plug, share
buttons, related links), another headline, a wire re-dateline ("BAMAKO, May 9 (AFP) -"), a few
edited words in 1-3 sentences, 1-2 sentences dropped, and all of these at once.

Pairs that are NOT copies: reports of one incident written separately. MUC-4 documents that share a
named victim or target in their GTT templates (the same incident reported by different agencies or
on different days), WikiEvents documents of one scenario (several outlets on one attack), and the
documents of each development corpus that tell one incident (a toll report and the first report).
Plus every other pair of the collection.

Printed: the Jaccard of copies and of same-incident pairs for 3-, 4- and 5-word shingles; precision
and recall of the pairwise decision at several thresholds; then the chosen setting run as the build
runs it (``tessera.duplicates.CopyFinder``: MinHash LSH, then the exact Jaccard of each candidate),
over a collection of --docs documents: precision/recall of the copy pairs found and time per
document; and the time per document an exact comparison with every stored document would take.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tessera import duplicates as dup  # noqa: E402

from benchmarks.redocred import rebuild_text  # noqa: E402  (the texts as the other harnesses read them)
from benchmarks.wikievents import document_text  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval"
FURNITURE = [
    "Sign up for our morning newsletter and get the top stories delivered to your inbox.",
    "Share this article: Facebook Twitter WhatsApp Email",
    "Related: Regional leaders meet to discuss security cooperation | Markets close higher",
    "Copyright 2024. All rights reserved. This material may not be published, broadcast or redistributed.",
    "Advertisement",
    "Most read: Five things to know this week; Weather warning issued for the capital",
]
HEADLINES = ["Deadly attack reported", "Officials confirm casualties after assault", "Security forces respond to attack",
             "Militants strike again, sources say", "Breaking: attack leaves several dead"]
DATELINES = ["BAMAKO, May 9 (AFP) - ", "NAIROBI (Reuters) - ", "BOGOTA, Oct 3 (EFE) -- ", "(AP) -- ",
             "LIMA, 12 Mar (XINHUA) - "]
SWAPS = {"killed": "slain", "attack": "assault", "said": "stated", "police": "security forces", "two": "2",
         "three": "3", "soldiers": "troops", "government": "authorities", "people": "persons", "the": "a"}


# ---------------------------------------------------------------- real texts


def muc4(data: Path) -> list[tuple[str, str, dict]]:
    out = []
    for split in ("train", "dev"):
        path = data / "muc4" / "gtt_processed" / f"{split}.jsonl"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                d = json.loads(line)
                out.append((f"muc4:{d['docid']}", d["doctext"], d))
    return out


def wikievents(data: Path) -> list[tuple[str, str, dict]]:
    path = data / "wikievents" / "dev.jsonl"
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        out.append((f"wikievents:{d['doc_id']}", document_text(d), d))
    return out


def redocred(data: Path) -> list[tuple[str, str, dict]]:
    path = data / "re-docred" / "dev_revised.json"
    if not path.exists():
        return []
    out = []
    for i, d in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        out.append((f"redocred:{i}", d["title"] + "\n" + rebuild_text(d["sents"])[0], d))
    return out


def tessera_corpora() -> list[tuple[str, str, dict]]:
    from tessera.ingest import iter_inputs

    out = []
    folders = [ROOT / "examples" / "corpus", *sorted((ROOT / "benchmarks" / "corpora").iterdir())]
    for folder in folders:
        for doc in iter_inputs([str(folder)]):
            if hasattr(doc, "text"):
                out.append((f"{folder.name}:{Path(doc.origin).name}", dup.main_text(doc), {"corpus": folder.name}))
    return out


def same_incident_pairs(texts: list[tuple[str, str, dict]]) -> set[tuple[str, str]]:
    """Pairs of separately written reports of one incident."""
    pairs: set[tuple[str, str]] = set()
    by_filler: dict[str, set[str]] = defaultdict(set)
    by_scenario: dict[str, set[str]] = defaultdict(set)
    by_corpus: dict[str, set[str]] = defaultdict(set)
    for name, _text, meta in texts:
        if name.startswith("muc4:"):
            for t in meta.get("templates", []):
                for role in ("Victim", "Target"):
                    for entity in t.get(role, []):
                        mention = entity[0][0]
                        if len(mention.split()) >= 2 and not mention.startswith(("a ", "the ", "two ", "three ")):
                            by_filler[mention].add(name)
        elif name.startswith("wikievents:"):
            by_scenario[re.sub(r"_\d+$", "", name)].add(name)
        elif "corpus" in meta:
            by_corpus[meta["corpus"]].add(name)
    for group in [*by_filler.values(), *by_scenario.values(), *by_corpus.values()]:
        if 2 <= len(group) <= 12:  # a filler named in dozens of documents is no one incident
            pairs |= {tuple(sorted(p)) for p in combinations(group, 2)}
    return pairs - KNOWN_COPIES


# ---------------------------------------------------------------- copies


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def edit_words(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    swaps = [i for i, w in enumerate(words) if w.lower() in SWAPS]
    for i in rng.sample(swaps, min(len(swaps), 2)):
        words[i] = SWAPS[words[i].lower()]
    if not swaps and len(words) > 4:
        words.insert(rng.randrange(1, len(words)), rng.choice(["reportedly", "also", "on Sunday"]))
    return " ".join(words)


def make_copy(text: str, how: str, rng: random.Random) -> str:
    """One copy of ``text`` as another outlet would run it."""
    sents = sentences(text)
    if how in ("edited", "all"):
        for i in rng.sample(range(len(sents)), min(len(sents), rng.randint(1, 3))):
            sents[i] = edit_words(sents[i], rng)
    if how in ("dropped", "all") and len(sents) > 4:
        for _ in range(rng.randint(1, 2)):
            sents.pop(rng.randrange(1, len(sents)))
    body = " ".join(sents)
    if how in ("dateline", "all"):
        body = rng.choice(DATELINES) + re.sub(r"^[A-Z][A-Z ,.]+\(\w+\)\s*-+\s*", "", body)
    if how in ("headline", "all"):
        body = rng.choice(HEADLINES) + "\n" + body
    if how in ("furniture", "all"):
        body = rng.choice(FURNITURE) + "\n" + body + "\n" + "\n".join(rng.sample(FURNITURE, 2))
    return body


# Pairs of MUC-4 documents that are one story transcribed twice (read and compared by hand: the same
# sentences with a few words changed, e.g. "fmln" / "farabundo marti national liberation front"):
# the detector finds them; they count as copies, not as separate reports.
KNOWN_COPIES = {
    ("muc4:DEV-MUC3-0089", "muc4:DEV-MUC3-0158"), ("muc4:DEV-MUC3-0096", "muc4:DEV-MUC3-0161"),
    ("muc4:DEV-MUC3-0097", "muc4:DEV-MUC3-0160"), ("muc4:DEV-MUC3-0584", "muc4:DEV-MUC3-0585"),
    ("muc4:DEV-MUC3-0752", "muc4:DEV-MUC3-0756"), ("muc4:DEV-MUC3-0789", "muc4:DEV-MUC3-0792"),
    ("muc4:DEV-MUC3-0843", "muc4:DEV-MUC3-0902"),
}
KINDS = ("furniture", "headline", "dateline", "edited", "dropped", "all")


# ---------------------------------------------------------------- measures


def pr(found: set, truth: set) -> tuple[float, float]:
    tp = len(found & truth)
    return (100 * tp / len(found) if found else 100.0), (100 * tp / len(truth) if truth else 100.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--docs", type=int, default=10_000, help="documents in the timed collection")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    texts = muc4(args.data) + wikievents(args.data) + redocred(args.data) + tessera_corpora()
    texts = [t for t in texts if len(t[1].split()) >= 40]
    incident = same_incident_pairs(texts)
    print(f"{len(texts)} real texts; {len(incident)} pairs of separate reports of one incident")

    # ---- pairwise Jaccard by shingle length ----
    sample = rng.sample(texts, 300)
    copy_pairs = [(how, t, make_copy(t, how, rng)) for _, t, _ in sample for how in KINDS]
    by_name = {n: t for n, t, _ in texts}
    neg = rng.sample(sorted(incident), min(3000, len(incident)))
    print("\nJaccard of the pair (median / min for copies; median / max for separate reports)")
    print(f"{'words':>5}  " + "  ".join(f"{k:>13}" for k in KINDS) + "   same incident")
    decisions = {}
    for k in (3, 4, 5):
        cj = defaultdict(list)
        for how, a, b in copy_pairs:
            cj[how].append(dup.jaccard(dup.shingles(a, k), dup.shingles(b, k)))
        nj = [dup.jaccard(dup.shingles(by_name[a], k), dup.shingles(by_name[b], k)) for a, b in neg]
        cells = [f"{sorted(v)[len(v) // 2]:.2f} / {min(v):.2f}" for v in (cj[h] for h in KINDS)]
        print(f"{k:>5}  " + "  ".join(f"{c:>13}" for c in cells) + f"   {sorted(nj)[len(nj) // 2]:.2f} / {max(nj):.2f}")
        decisions[k] = ([j for v in cj.values() for j in v], nj)
    print("\nPairwise decision (copies vs separate reports of one incident): precision / recall %")
    print(f"{'words':>5}  " + "  ".join(f"{t:>11}" for t in ("J>=0.3", "J>=0.4", "J>=0.5", "J>=0.6", "J>=0.7")))
    for k, (pos, nj) in decisions.items():
        cells = []
        for t in (0.3, 0.4, 0.5, 0.6, 0.7):
            tp, fp = sum(j >= t for j in pos), sum(j >= t for j in nj)
            cells.append(f"{100 * tp / max(1, tp + fp):.1f}/{100 * tp / len(pos):.1f}")
        print(f"{k:>5}  " + "  ".join(f"{c:>11}" for c in cells))
    over = sorted(((dup.jaccard(dup.shingles(by_name[a]), dup.shingles(by_name[b])), a, b) for a, b in incident),
                  reverse=True)[:5]
    print("separate reports most alike at the chosen length: "
          + "; ".join(f"{a} ~ {b} {j:.2f}" for j, a, b in over))

    # ---- the build's way, at scale ----
    originals = rng.sample(texts, min(len(texts), args.docs // 4))
    collection: list[tuple[str, str, str]] = [(n, t, n) for n, t, _ in originals]  # (id, text, story)
    per_story = max(1, (args.docs - len(collection)) // len(originals))
    i = 0
    while len(collection) < args.docs:
        name, text, _ = originals[i % len(originals)]
        collection.append((f"{name}#copy{i}", make_copy(text, KINDS[i % len(KINDS)], rng), name))
        i += 1
    rng.shuffle(collection)
    one_story = {b: a for a, b in KNOWN_COPIES}
    collection = [(doc_id, text, one_story.get(st, st)) for doc_id, text, st in collection]
    stored: dict[str, str] = {}
    finder = dup.CopyFinder(lambda d: stored[d])
    found, truth = set(), set()
    # (the known MUC-4 copies count as one story)
    story_members: dict[str, list[str]] = defaultdict(list)
    t0 = time.perf_counter()
    for doc_id, text, story in collection:
        sh = dup.shingles(text)
        sig = dup.encode_signature(dup.minhash(sh))
        for other, _j in finder.copies(sh, sig):
            found.add(tuple(sorted((doc_id, other))))
        stored[doc_id] = text
        finder.add(doc_id, sig)
        story_members[story].append(doc_id)
    elapsed = time.perf_counter() - t0
    # truth: copies of one story; separate reports of one incident are not copies
    for members in story_members.values():
        truth |= {tuple(sorted(p)) for p in combinations(members, 2)}
    # a pair found through a third copy counts: what the build records is the group
    groups = _groups(found)
    found_grouped = {tuple(sorted(p)) for g in groups for p in combinations(sorted(g), 2)}
    p, r = pr(found_grouped, truth)
    print(f"\nBuild path (shingles of {dup.SHINGLE_WORDS} words, Jaccard >= {dup.THRESHOLD}, MinHash {dup.NUM_PERM} "
          f"permutations, LSH at {dup.LSH_THRESHOLD}) over {len(collection)} documents "
          f"({len(originals)} real texts, the rest copies):")
    print(f"  copy pairs: precision {p:.1f}%  recall {r:.1f}%  ({len(found_grouped & truth)} of {len(truth)} found, "
          f"{len(found_grouped - truth)} wrong)")
    print(f"  time per document (shingles, signature, LSH query, exact check of candidates): "
          f"{1000 * elapsed / len(collection):.2f} ms")
    story = {doc_id: doc_id.split("#")[0] for doc_id, _t, _st in collection}
    wrong = sorted({tuple(sorted((story[a], story[b]))) for a, b in found_grouped - truth})
    if wrong:
        print(f"  wrong pairs come from {len(wrong)} pairs of real texts: "
              + "; ".join(f"{a} ~ {b} ({dup.jaccard(dup.shingles(by_name[a]), dup.shingles(by_name[b])):.2f})"
                          for a, b in wrong[:8]))
    # ---- exact comparison with every stored document, for comparison ----
    shingled = [dup.shingles(t) for _, t, _ in collection]
    probe = shingled[: 20]
    t0 = time.perf_counter()
    for s in probe:
        for other in shingled:
            dup.jaccard(s, other)
    per_doc = (time.perf_counter() - t0) / len(probe)
    print(f"  exact Jaccard against all {len(collection)} stored documents instead: {1000 * per_doc:.0f} ms per "
          f"document (shingle sets held in memory), {per_doc * len(collection) / 2:.0f} s to build all "
          f"{len(collection)} one by one")


def _groups(pairs: set[tuple[str, str]]) -> list[set[str]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    out: dict[str, set[str]] = defaultdict(set)
    for x in list(parent):
        out[find(x)].add(x)
    return list(out.values())


if __name__ == "__main__":
    main()
