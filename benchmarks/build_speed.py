"""Print how long building a corpus takes, model load included. Usage: build_speed.py [CORPUS]."""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "corpus" / "seeds"
    if not corpus.exists():
        corpus = REPO / "examples" / "corpus"
    t0 = time.perf_counter()
    import tessera
    from tessera.analyze import load_pipeline

    load_pipeline()
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        with tessera.open(Path(tmp) / "bench.db") as kb:
            report = kb.build([corpus])
            stats = kb.store.stats()
    t2 = time.perf_counter()
    print(f"corpus: {corpus}")
    print(f"documents added: {len(report.added)}, failed: {len(report.failed)}")
    print(f"model load: {t1 - t0:.2f} s; build: {t2 - t1:.2f} s; total: {t2 - t0:.2f} s")
    print(f"entities {stats.get('entities')}, relations {stats.get('relations')}, events {stats.get('events')}, conflicts {stats.get('conflicts')}")


if __name__ == "__main__":
    main()
