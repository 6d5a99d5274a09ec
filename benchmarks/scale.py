"""Build throughput on a larger corpus: N copies of the example corpus, each copy made distinct.

Usage: scale.py [COPIES] [ENGINE] [WORKERS]. Prints documents per second for the per-document
stage and the time of the whole-base resolution and reconciliation that follows it.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    engine_name = sys.argv[2] if len(sys.argv) > 2 else "local"
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    import tessera
    from tessera.analyze import load_pipeline
    from tessera.engines import make_engine

    load_pipeline()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        sources = sorted(p for p in (REPO / "examples" / "corpus").iterdir() if p.suffix == ".txt")
        for i in range(copies):
            for src in sources:
                text = src.read_text(encoding="utf-8")
                (corpus / f"{i:04d}_{src.name}").write_text(text + f"\nReference {i}.\n", encoding="utf-8")
        n = copies * len(sources)
        with tessera.open(Path(tmp) / "kb.db") as kb:
            t0 = time.perf_counter()
            report = kb.build([corpus], engine=make_engine(engine_name, workers=workers))
            t1 = time.perf_counter()
            kb.refresh(full=True)
            t2 = time.perf_counter()
            stats = kb.store.stats()
    print(f"documents: {n} ({len(report.added)} added), engine: {engine_name}" + (f" x{workers}" if engine_name == "process" else ""))
    print(f"build (analysis + store + one refresh): {t1 - t0:.1f} s, {n / (t1 - t0):.1f} docs/s")
    print(f"refresh alone (resolve + reconcile + write): {t2 - t1:.2f} s")
    print(f"entities {stats.get('entities')}, relations {stats.get('relations')}, events {stats.get('events')}")


if __name__ == "__main__":
    main()
