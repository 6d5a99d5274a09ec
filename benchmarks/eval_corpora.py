"""Score Tessera against every development corpus that has a reference key.

Corpora: each folder under benchmarks/corpora/ holding a key.yaml (the key file is
not ingested: only .txt/.text/.md/.html/.htm/.jsonl files are), plus examples/corpus
with examples/corpus-key.yaml and ../shared/corpus/seeds with seeds-key.yaml when
present. Each corpus is built into a fresh knowledge base in a temporary folder and
evaluated against its key.

Usage: eval_corpora.py [--details] [--only NAME ...]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def find_corpora() -> list[tuple[str, Path, Path]]:
    """(name, folder, key) for every corpus with a key, benchmarks first."""
    found: list[tuple[str, Path, Path]] = []
    root = HERE / "corpora"
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            key = folder / "key.yaml"
            if key.is_file():
                found.append((folder.name, folder, key))
    for name, folder, key in [
        ("examples", REPO / "examples" / "corpus", REPO / "examples" / "corpus-key.yaml"),
        ("seeds", REPO.parent / "shared" / "corpus" / "seeds", REPO.parent / "shared" / "corpus" / "seeds-key.yaml"),
    ]:
        if folder.is_dir() and key.is_file():
            found.append((name, folder, key))
    return found


def pct(x: float | None) -> str:
    return "  n/a" if x is None else f"{100 * x:5.1f}"


def run_one(name: str, folder: Path, key: Path) -> dict:
    import tessera

    with tempfile.TemporaryDirectory(prefix=f"tessera-eval-{name}-") as tmp:
        with tessera.open(Path(tmp) / "kb.db") as kb:
            t0 = time.perf_counter()
            build = kb.build([folder])
            seconds = time.perf_counter() - t0
            report = kb.evaluate(key)
    return {"name": name, "report": report, "seconds": seconds,
            "added": len(build.added), "failed": list(build.failed)}


HEADER = (f"{'corpus':<10} {'docs':>4} {'ent R':>6} {'ent P':>6} {'rel R':>6} {'rel P':>6} "
          f"{'events':>7} {'confl':>6} {'notc FP':>7} {'noise':>5} {'build s':>8}")


def row(res: dict) -> str:
    r = res["report"]
    ev = f"{r.events.key_found}/{r.events.key_total}"
    cf = f"{r.conflicts.key_found}/{r.conflicts.key_total}"
    return (f"{res['name']:<10} {res['added']:>4} {pct(r.entities.recall):>6} {pct(r.entities.precision):>6} "
            f"{pct(r.relations.recall):>6} {pct(r.relations.precision):>6} {ev:>7} {cf:>6} "
            f"{len(r.false_conflicts):>7} {len(r.noise_violations):>5} {res['seconds']:>8.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--details", action="store_true", help="also print the full evaluation report per corpus")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="evaluate only these corpora")
    args = ap.parse_args(argv)

    corpora = find_corpora()
    if args.only:
        corpora = [c for c in corpora if c[0] in set(args.only)]
    if not corpora:
        print("no corpora with keys found", file=sys.stderr)
        return 1

    import tessera  # noqa: F401  (fail early if the package is missing)
    from tessera.evaluate import format_report

    # Load the NLP pipeline once up front so that the first corpus's build time is comparable.
    t0 = time.perf_counter()
    try:
        from tessera.analyze import load_pipeline

        load_pipeline()
    except Exception as exc:  # the build will load it itself
        print(f"(pipeline preload skipped: {exc})", file=sys.stderr)
    print(f"model load: {time.perf_counter() - t0:.2f} s")

    results, errors = [], 0
    for name, folder, key in corpora:
        try:
            results.append(run_one(name, folder, key))
        except Exception:
            errors += 1
            print(f"{name}: FAILED\n{traceback.format_exc()}", file=sys.stderr)

    print()
    print("R/P in %; events and conflicts: key items found/total; notc FP: not_conflicts reported as conflicts")
    print(HEADER)
    print("-" * len(HEADER))
    for res in results:
        print(row(res))
    for res in results:
        for origin, reason in res["failed"]:
            print(f"  {res['name']}: ingest failed for {origin}: {reason}")

    if args.details:
        for res in results:
            print()
            print(f"===== {res['name']} =====")
            print(format_report(res["report"]))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
