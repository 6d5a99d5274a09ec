"""Throughput of ``tessera build`` beside bare spaCy ``nlp.pipe``, in one run.

    python benchmarks/build_speed.py [--limit 300] [--engines local,process,ray] [--skip-tagger]
    python benchmarks/build_speed.py --corpus FOLDER      # the old figure: one build of a folder, model load included

On the first ``--limit`` MUC-4 train texts (``../shared/eval/muc4``, wire copy in capitals, read as
``benchmarks/muc4.py`` reads them) it prints, each in documents/s and words/s:

* ``tessera build`` through the library (``kb.build`` into an empty knowledge base, ingest, analysis,
  writing and the final resolve/reconcile included) with one worker (in this process, torch on one
  thread like a worker) and with the process pool and Ray on ``--workers`` CPUs; a pool's time includes
  its workers starting, shown apart as the time to the first stored document (forked workers share the
  models this process loaded before the clock, as the one-worker build does; Ray's actors load their own);
* bare spaCy ``nlp.pipe`` over the same texts, re-cased as the build reads them (``prepare_document``),
  with the same pipeline, in 1 and ``--workers`` processes (``n_process``);
* the role tagger alone over the same texts (one thread), to show where the rest of the time goes;

then the ratios: build / ``nlp.pipe`` with the same number of processes, 2 workers / 1 worker,
Ray / process pool.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def corpus_build(corpus: Path) -> None:
    """One build of a folder, model load included (the figure the README gave before the engines)."""
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
    print(f"entities {stats.get('entities')}, relations {stats.get('relations')}, events {stats.get('events')}, "
          f"conflicts {stats.get('conflicts')}")


def _row(name: str, seconds: float, docs: int, words: int, note: str = "") -> None:
    print(f"{name:<34} {seconds:7.1f} s {docs / seconds:7.2f} docs/s {words / seconds:8.0f} words/s  {note}")


def timed_build(folder: Path, engine, tmp: Path, name: str) -> tuple[float, float, int]:
    """(seconds, seconds to the first stored document, documents added) of one build into an empty kb."""
    import tessera

    first: list[float] = []
    t0 = time.perf_counter()
    with tessera.open(tmp / f"{name}.db") as kb:
        report = kb.build([folder], engine=engine, progress=lambda _o: first or first.append(time.perf_counter()))
    seconds = time.perf_counter() - t0
    if report.failed:
        print(f"  {name}: {len(report.failed)} failed: {report.failed[:3]}", file=sys.stderr)
    return seconds, (first[0] - t0) if first else seconds, len(report.added)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="only time one build of this folder (model load included)")
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engines", default="local,process,ray", help="which builds to time (comma-separated)")
    ap.add_argument("--skip-tagger", action="store_true", help="do not time the role tagger alone")
    a = ap.parse_args(argv)
    if a.corpus:
        corpus_build(a.corpus)
        return 0

    from benchmarks.muc4 import DEFAULT_DATA, read_split
    from tessera.analyze import load_pipeline, load_role_tagger, prepare_document
    from tessera.engines import RayEngine, init_worker, make_engine
    from tessera.ingest import make_document

    init_worker()  # torch on one thread here too: one worker is one core
    docs = read_split(DEFAULT_DATA, "train")[: a.limit]
    engines = a.engines.split(",")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = tmp / "texts"
        folder.mkdir()
        for d in docs:
            (folder / f"{d['docid']}.txt").write_text(d["doctext"] + "\n", encoding="utf-8")
        documents = [make_document(d["doctext"] + "\n", f"{d['docid']}.txt", "text/plain") for d in docs]
        texts = [prepare_document(d).masked for d in documents]
        n, words = len(texts), sum(len(t.split()) for t in texts)
        print(f"{n} MUC-4 train texts, {words} words, {a.workers} workers where parallel")
        nlp = load_pipeline()
        tagger = load_role_tagger()
        list(nlp.pipe(texts[:4]))  # warm: first-call costs out of the clock
        runs: dict[str, float] = {}

        t = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
        runs["pipe1"] = time.perf_counter() - t
        _row("spaCy nlp.pipe, 1 process", runs["pipe1"], n, words)
        t = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16, n_process=a.workers):
            pass
        runs["pipeN"] = time.perf_counter() - t
        _row(f"spaCy nlp.pipe, n_process={a.workers}", runs["pipeN"], n, words, "(its worker start included)")
        if tagger and not a.skip_tagger:
            t = time.perf_counter()
            for text in texts:
                tagger.tag(text)
            runs["tagger"] = time.perf_counter() - t
            _row("role tagger alone, 1 thread", runs["tagger"], n, words)

        for name in engines:
            if name == "local":
                engine, label = make_engine("local"), "tessera build, 1 worker"
            elif name == "process":
                engine, label = make_engine("process", workers=a.workers), f"tessera build, {a.workers} processes"
            elif name == "ray":
                import logging

                import ray

                ray.init(num_cpus=a.workers, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
                engine, label = RayEngine(workers=a.workers), f"tessera build, Ray {a.workers} actors"
            else:
                raise SystemExit(f"unknown engine {name!r}")
            try:
                seconds, first, added = timed_build(folder, engine, tmp, name)
            finally:
                if name == "ray":
                    ray.shutdown()
            runs[name] = seconds
            note = f"({added} added; first document stored after {first:.1f} s"
            if added > 1 and name != "local":
                note += f", then {(added - 1) / (seconds - first):.2f} docs/s"
            _row(label, seconds, n, words, note + ")")

        print()
        if "local" in runs:
            print(f"build 1 worker / nlp.pipe 1 process: {runs['pipe1'] / runs['local']:.2f}")
            if "tagger" in runs:
                print(f"build 1 worker / (nlp.pipe + tagger) 1 process: {(runs['pipe1'] + runs['tagger']) / runs['local']:.2f}")
        if "process" in runs:
            print(f"build {a.workers} processes / nlp.pipe n_process={a.workers}: {runs['pipeN'] / runs['process']:.2f}")
        if "local" in runs and "process" in runs:
            print(f"build {a.workers} processes vs 1 worker: {runs['local'] / runs['process']:.2f}x")
        if "process" in runs and "ray" in runs:
            print(f"build Ray vs process pool ({a.workers} CPUs): {runs['process'] / runs['ray']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
