"""Adding documents to a large knowledge base vs building them into an empty one.

    python benchmarks/incremental.py [--docs N] [--add 10] [--workers 2] [--data DIR] [--generated]

Builds N documents into one knowledge base (worker processes), then times adding ``--add`` more to it
against building those same documents into an empty knowledge base, both in this process with the
models loaded beforehand (so neither pays the model load), and prints the ratio (issue #8: under 3 at
N = 10,000). The documents are MUC-4's texts (``../shared/eval/muc4``: the 1,300 of its training
corpus, then the 200 of tst1 and tst2), one document each; beyond those, the texts again, each made a
distinct document by a line naming its copy (as ``benchmarks/scale.py`` does with the example corpus:
they are near-duplicates, copies of one story). The documents added are the last ``--add`` of the
N + add taken. Also printed: the refresh alone (what the partial refresh redid, as a share of the local
entities) and a whole rebuild of the large knowledge base, for comparison. Each of the two timings is the
best of ``--repeat`` runs (default 3; each add into a fresh copy of the large knowledge base, each build into
a new empty one): on a machine doing anything else, a single run measures it as much as the code.

``--generated`` takes the N + add articles ``benchmarks/generate_corpus.py`` writes instead (all distinct
articles, about one in five retelling an earlier incident and one in twelve a re-published copy, their
places real and shared: the last ``--add`` are news, not copies of stored stories).
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
MUC = REPO.parent / "shared" / "eval" / "muc4"
_DOC_ID = re.compile(r"^((?:TST\d|DEV)-MUC\d-\d{4})\b.*$", re.M)


def muc_texts(data: Path) -> list[tuple[str, str]]:
    """(id, text) of MUC-4's training documents, then of its tst1 and tst2 documents."""
    corpora = data / "raw_muc34" / "TASK" / "CORPORA"
    out = []
    for folder in ("dev", "tst1", "tst2"):
        for path in sorted((corpora / folder).glob(f"{folder}-muc*")):
            text = path.read_text(encoding="latin-1")
            marks = list(_DOC_ID.finditer(text))
            for m, nxt in zip(marks, [*marks[1:], None]):
                out.append((m.group(1), text[m.end(): nxt.start() if nxt else len(text)].strip("\n") + "\n"))
    if not out:
        raise SystemExit(f"no MUC-4 texts under {corpora} (give --data DIR)")
    return out


def write_corpus(texts: list[tuple[str, str]], n: int, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        doc_id, text = texts[i % len(texts)]
        copy = i // len(texts)
        path = folder / (f"{doc_id}.txt" if not copy else f"{doc_id}-copy{copy}.txt")
        path.write_text(text if not copy else text + f"\nCopy {copy}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=500, help="documents in the large knowledge base (default 500)")
    ap.add_argument("--add", type=int, default=10, help="documents added to it (default 10)")
    ap.add_argument("--workers", type=int, default=2, help="worker processes for the large build (default 2)")
    ap.add_argument("--data", type=Path, default=MUC, help="MUC-4 folder (default ../shared/eval/muc4)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the large knowledge base in this file")
    ap.add_argument("--generated", action="store_true", help="generated articles (generate_corpus.py), not MUC-4")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each timing, the best printed (default 3)")
    ap.add_argument("--base", type=Path, default=None,
                    help="start from a copy of a knowledge base kept (--keep) by an earlier run with the same --docs "
                         "instead of building it (its knowledge rebuilt whole once, not timed)")
    args = ap.parse_args(argv)

    import tessera
    from tessera import refresh as refresher
    from tessera.analyze import load_pipeline, load_role_tagger
    from tessera.engines import LocalEngine, make_engine

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        if args.base:  # the texts where the kept kb's documents were: a copy's place among its story's copies
            # (the earliest is the first by date, then by origin) must not depend on this run's folder name
            with tessera.open(args.base) as kb:
                corpus = Path(next(iter(kb.store.latest_origins().values()))).parent
        if args.generated:
            sys.path.insert(0, str(REPO / "benchmarks"))
            import generate_corpus

            paths = generate_corpus.write_corpus(corpus, args.docs + args.add)
        else:
            paths = write_corpus(muc_texts(args.data), args.docs + args.add, corpus)
        base, added = paths[:args.docs], paths[args.docs:]
        big = tmp / "big.db"
        t0 = time.perf_counter()
        if args.base:
            shutil.copy(args.base, big)
            with tessera.open(big) as kb:
                kb.refresh(full=True)
            build_big = None
        else:
            with tessera.open(big) as kb:
                kb.build(base, engine=make_engine("process", workers=args.workers))
            build_big = time.perf_counter() - t0
            if args.keep:  # as built, before the documents are added, for a later --base
                shutil.copy(big, args.keep)
        load_pipeline(), load_role_tagger()  # both timings below without the model load
        with tessera.open(tmp / "warm.db") as kb:  # nor the tables loaded on first use (truecaser, gazetteer)
            kb.build(base[:2], engine=LocalEngine())
        parts = []
        real = refresher._part

        def timed_part(store, stale, latest):
            t = time.perf_counter()
            part = real(store, stale, latest)
            parts.append((time.perf_counter() - t, part))
            return part

        refresher._part = timed_part
        shutil.copy(big, tmp / "before.db")
        adds, empties = [], []
        for run in range(args.repeat):
            if run:
                shutil.copy(tmp / "before.db", big)
            with tessera.open(big) as kb:
                t0 = time.perf_counter()
                kb.build(added, engine=LocalEngine())
                adds.append(time.perf_counter() - t0)
                stats = kb.store.stats()
        refresher._part = real
        for run in range(args.repeat):
            with tessera.open(tmp / f"small{run}.db") as kb:
                t0 = time.perf_counter()
                kb.build(added, engine=LocalEngine())
                empties.append(time.perf_counter() - t0)
        add_big, add_empty = min(adds), min(empties)
        with tessera.open(big) as kb:
            t0 = time.perf_counter()
            kb.refresh(full=True)
            rebuild = time.perf_counter() - t0
    print(f"documents: {args.docs} in the knowledge base, {args.add} added "
          f"({stats['entities']} entities, {stats['relations']} relations, {stats['events']} events after)")
    if build_big is not None:
        print(f"build {args.docs} documents ({args.workers} workers): {build_big:.1f} s")
    if parts and parts[0][1] is not None:
        spent, part = min(parts, key=lambda p: p[0])
        print(f"  partial refresh: {spent:.2f} s (worked out; the write follows), {part.share:.0%} of the local "
              f"entities re-resolved, {len(part.relations)} relations and {len(part.events)} events redone")
    else:
        print("  partial refresh: not taken (the part was most of the knowledge base: rebuilt whole)")
    print(f"whole rebuild of the {args.docs + args.add} documents' knowledge, for comparison: {rebuild:.2f} s")
    print(f"add {args.add} documents to the {args.docs}-document knowledge base: {add_big:.2f} s"
          f" (best of {', '.join(f'{t:.2f}' for t in adds)})")
    print(f"build the {args.add} documents into an empty knowledge base: {add_empty:.2f} s"
          f" (best of {', '.join(f'{t:.2f}' for t in empties)})")
    print(f"ratio {add_big / add_empty:.2f} (issue #8: under 3 at 10,000 documents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
