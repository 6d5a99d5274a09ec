"""Peak memory of ``tessera build`` as a user runs it, on a generated corpus.

    python benchmarks/memory.py [--docs 1000] [--seed 1] [--interval 0.2] [--keep DIR] [--trace-refresh]
    python benchmarks/memory.py --refresh-scaling KB [--copies 1,2,5,10]

Writes ``--docs`` articles with ``benchmarks/generate_corpus.py`` into a temporary folder, then runs
``python -m tessera.cli build KB CORPUS`` in a subprocess (default engine and workers: the process
pool, one worker per core) and samples, every ``--interval`` seconds, the resident memory (RSS) of
that process and of every process under it (the pool's workers, multiprocessing's helpers), with
psutil (or /proc when psutil is missing). Prints the peak of the summed RSS and the process count at
that moment, the peak of each process, the peak summed PSS (shared pages counted once, psutil only),
documents per second, and the peak RSS of the main process in each phase: while workers run (the
analysis, the writer storing each document) and after they have gone (the resolution and
reconciliation over every stored analysis, ``KnowledgeBase.refresh``).

``--trace-refresh`` then opens the built knowledge base in this process and runs ``refresh()`` once
more under tracemalloc, printing its peak of Python allocations and the lines that hold the most at
that peak: where the refresh's memory goes. ``--keep DIR`` keeps the corpus and the kb there.
``--refresh-scaling KB`` stores the analyses of a built kb 1, 2, 5, 10 times over (under new document
ids) and prints the peak RSS and time of ``refresh()`` over each, in a fresh process: how the refresh
grows with the number of documents without building 10,000 of them.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
MB = 1024 * 1024

try:
    import psutil
except ImportError:  # pragma: no cover - psutil is in the dev environment
    psutil = None


def _proc_tree(pid: int) -> list[int]:
    """pid and every descendant, from /proc (the fallback without psutil)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def _proc_rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


@dataclass
class Samples:
    peak_total: int = 0
    peak_total_count: int = 0
    peak_total_at: float = 0.0
    peak_pss: int = 0
    peak_by_process: dict[int, tuple[str, int]] = field(default_factory=dict)
    max_count: int = 0
    main_while_workers: int = 0
    main_after_workers: int = 0
    workers_seen: bool = False
    workers_gone_at: float | None = None
    samples: int = 0


def sample_tree(root: int, s: Samples, t: float, pss: bool) -> None:
    """Add one sample of the tree under ``root`` to ``s``."""
    rows: list[tuple[int, str, int, int]] = []  # pid, name, rss, pss
    if psutil is not None:
        try:
            top = psutil.Process(root)
            procs = [top, *top.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        for p in procs:
            try:
                if pss:
                    info = p.memory_full_info()
                    rows.append((p.pid, p.name(), info.rss, info.pss))
                else:
                    rows.append((p.pid, p.name(), p.memory_info().rss, 0))
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
    else:
        rows = [(pid, "", _proc_rss(pid), 0) for pid in _proc_tree(root)]
    if not rows:
        return
    s.samples += 1
    total = sum(r[2] for r in rows)
    if total > s.peak_total:
        s.peak_total, s.peak_total_count, s.peak_total_at = total, len(rows), t
    s.peak_pss = max(s.peak_pss, sum(r[3] for r in rows))
    s.max_count = max(s.max_count, len(rows))
    for pid, name, rss, _ in rows:
        if rss > s.peak_by_process.get(pid, ("", 0))[1]:
            s.peak_by_process[pid] = (name, rss)
    main = next((r[2] for r in rows if r[0] == root), 0)
    workers = len(rows) > 2  # the main process, multiprocessing's resource tracker, and the pool's workers
    if workers:
        s.workers_seen = True
        s.main_while_workers = max(s.main_while_workers, main)
    elif s.workers_seen:
        if s.workers_gone_at is None:
            s.workers_gone_at = t
        s.main_after_workers = max(s.main_after_workers, main)
    else:
        s.main_while_workers = max(s.main_while_workers, main)


def run_build(corpus: Path, db: Path, interval: float, pss: bool) -> tuple[Samples, float, str]:
    """Run ``tessera build`` in a subprocess, sampling its process tree; (samples, seconds, its stdout)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO),
                                                        os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    cmd = [sys.executable, "-m", "tessera.cli", "build", str(db), str(corpus)]
    s = Samples()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while proc.poll() is None:
        sample_tree(proc.pid, s, time.perf_counter() - t0, pss)
        time.sleep(interval)
    seconds = time.perf_counter() - t0
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"tessera build failed ({proc.returncode}): {err.strip()[-2000:]}")
    return s, seconds, out.strip()


def trace_refresh_phases(db: Path, top: int = 12) -> None:
    """The refresh's steps one by one under tracemalloc: memory held after each, and who holds it."""
    import tracemalloc

    from tessera.gazetteer_facade import locate
    from tessera.kb import KnowledgeBase
    from tessera.reconcile import reconcile
    from tessera.resolve import resolve_entities

    with KnowledgeBase.open(db) as kb:
        store = kb.store
        tracemalloc.start(1)
        t0 = time.perf_counter()
        duplicate_of = store.duplicate_of()
        analyses = list(store.analyses())
        held = tracemalloc.get_traced_memory()[0]
        snap = tracemalloc.take_snapshot()
        print(f"every stored analysis decoded ({len(analyses)}): {held / MB:.0f} MB held "
              f"({held / max(1, len(analyses)) / 1024:.1f} KB per document), {time.perf_counter() - t0:.1f} s")
        analyses.sort(key=lambda a: a.document in duplicate_of)
        resolution = resolve_entities(analyses)
        names = {e.id: e.name for e in resolution.entities}
        located = locate(resolution.entities, resolution.links())
        print(f"+ resolution: {tracemalloc.get_traced_memory()[0] / MB:.0f} MB held, {time.perf_counter() - t0:.1f} s")
        rec = reconcile(analyses, resolution, names, store.published_dates(), located, duplicate_of=duplicate_of)
        print(f"+ reconciliation: {tracemalloc.get_traced_memory()[0] / MB:.0f} MB held, "
              f"peak so far {tracemalloc.get_traced_memory()[1] / MB:.0f} MB, {time.perf_counter() - t0:.1f} s")
        del rec
        tracemalloc.stop()
    print("what the decoded analyses hold, by line:")
    for stat in snap.statistics("lineno")[:top]:
        frame = stat.traceback[0]
        print(f"  {stat.size / MB:8.1f} MB  {stat.count:>9} blocks  {Path(frame.filename).name}:{frame.lineno}")


_REFRESH = """
import resource, sys, time
from tessera.kb import KnowledgeBase
with KnowledgeBase.open(sys.argv[1]) as kb:
    import tessera.gazetteer_facade, tessera.reconcile, tessera.resolve  # loaded before the baseline
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    kb.refresh()
    print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.perf_counter() - t)
"""


def refresh_scaling(db: Path, copies: list[int], work: Path) -> None:
    """Peak RSS of ``refresh()`` over the analyses of ``db`` stored 1, 2, ... times over (under new ids),
    each in a fresh process: how the refresh's memory grows with the number of stored documents."""
    import dataclasses
    import hashlib

    from tessera.store import Store
    from tessera.store.codec import decode_analysis, encode_analysis

    with Store.open(db, readonly=True) as src:
        documents = src.latest_documents()
        analyses = {d.id: encode_analysis(src.analysis(d.id)) for d in documents}
    print(f"refresh over {len(documents)} built documents stored k times over (new ids, same analyses):")
    for k in copies:
        path = work / f"refresh-x{k}.db"
        path.unlink(missing_ok=True)
        with Store.open(path) as dst:
            for c in range(k):
                batch = []
                for d in documents:
                    new = hashlib.sha256(f"{c}:{d.id}".encode()).hexdigest() if c else d.id
                    batch.append((dataclasses.replace(d, id=new, origin=f"{c}/{d.origin}", duplicate_of=None),
                                  decode_analysis(analyses[d.id].replace(d.id, new))))
                dst.add_documents(batch)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
        out = subprocess.run([sys.executable, "-c", _REFRESH, str(path)], env=env, capture_output=True, text=True)
        if out.returncode:
            raise SystemExit(f"refresh failed: {out.stderr.strip()[-2000:]}")
        base, peak, seconds = out.stdout.split()
        print(f"  {k * len(documents):>6} documents: refresh {float(seconds):6.1f} s, peak RSS {int(peak) / 1024:6.0f} MB "
              f"(process with the kb open and the modules loaded: {int(base) / 1024:.0f} MB)", flush=True)
        path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--interval", type=float, default=0.2, help="seconds between samples")
    ap.add_argument("--no-pss", action="store_true", help="RSS only (PSS reads /proc/PID/smaps: slower)")
    ap.add_argument("--keep", type=Path, help="write the corpus and the kb here and keep them")
    ap.add_argument("--trace-refresh", action="store_true",
                    help="then run the refresh's steps under tracemalloc and say what holds the memory")
    ap.add_argument("--refresh-scaling", metavar="KB", type=Path,
                    help="only measure refresh() over KB's analyses stored --copies times over, and stop")
    ap.add_argument("--copies", default="1,2,5,10", help="with --refresh-scaling: how many times over")
    a = ap.parse_args(argv)
    if a.refresh_scaling:
        with tempfile.TemporaryDirectory(prefix="tessera-refresh-") as tmp_name:
            refresh_scaling(a.refresh_scaling, [int(c) for c in a.copies.split(",")], Path(tmp_name))
        return 0
    from benchmarks.generate_corpus import write_corpus

    tmp = None
    if a.keep:
        work = a.keep
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.mkdtemp(prefix="tessera-memory-")
        work = Path(tmp)
    try:
        corpus, db = work / "corpus", work / "kb.db"
        if db.exists():
            db.unlink()
        if not corpus.is_dir() or len(list(corpus.iterdir())) != a.docs:
            shutil.rmtree(corpus, ignore_errors=True)
            write_corpus(corpus, a.docs, a.seed)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in corpus.iterdir())
        print(f"corpus: {a.docs} generated articles (seed {a.seed}), {words} words; "
              f"sampling every {a.interval} s with {'psutil' if psutil else '/proc'}")
        s, seconds, out = run_build(corpus, db, a.interval, pss=psutil is not None and not a.no_pss)
        print(f"tessera build: {out.splitlines()[0] if out else ''}")
        print(f"time {seconds:.1f} s, {a.docs / seconds:.2f} docs/s overall, {s.samples} samples")
        if s.workers_gone_at is not None:
            print(f"workers ran for {s.workers_gone_at:.1f} s; the main process alone (refresh) for "
                  f"{seconds - s.workers_gone_at:.1f} s")
        print(f"peak RSS, all processes summed: {s.peak_total / MB:.0f} MB with {s.peak_total_count} processes "
              f"(at {s.peak_total_at:.1f} s; at most {s.max_count} processes at once)")
        if s.peak_pss:
            print(f"peak PSS, all processes summed (shared pages counted once): {s.peak_pss / MB:.0f} MB")
        for pid, (name, rss) in sorted(s.peak_by_process.items(), key=lambda kv: -kv[1][1]):
            print(f"  peak RSS {rss / MB:7.0f} MB  pid {pid} {name}")
        print(f"main process peak RSS while workers run: {s.main_while_workers / MB:.0f} MB; "
              f"after they have gone (refresh): {s.main_after_workers / MB:.0f} MB")
        print(f"peak_rss_mb {s.peak_total / MB:.0f}")
        if a.trace_refresh:
            trace_refresh_phases(db)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
