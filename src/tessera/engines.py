"""Where the per-document analysis runs: in this process, in worker processes, or on Ray.

Every engine has the same interface, ``map(documents) -> iterator of (document, result)``
where result is a ``DocumentAnalysis`` or an error message; results come back in input
order, so every engine gives the same knowledge base. The engines stream: documents are
read from the iterator a few batches ahead of the writer (``BATCH`` documents a task, at
most ``AHEAD`` tasks queued per worker beyond the one it works on), so the corpus is never
held in memory whole and the workers analyse while the writer stores. Each worker loads the models
once (forked on Linux, spawned elsewhere, or a Ray actor); the writer, which analyses nothing, never
loads them (a caller that holds them already lends them to forked workers). A worker gives spaCy a task's texts through
``nlp.pipe`` (``analyze.analyze_documents``). Ray is optional (``pip install 'tessera[ray]'``); its
absence is reported as a clear error, never a traceback.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import queue
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain, count, islice

from .errors import TesseraError
from .models import Document, DocumentAnalysis

Result = DocumentAnalysis | str

ENGINES = ("local", "process", "ray")
BATCH = 4  # documents per task (one nlp.pipe call in a worker): small, so a few documents keep every worker busy
AHEAD = 2  # tasks queued per worker beyond the one it is working on
_POLL = 1.0  # seconds between checks that the workers (or, in a worker, the writer) are still alive


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def init_worker() -> None:
    """A worker process: one thread for torch (the workers are the parallelism)."""
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # pragma: no cover - torch is a dependency; without it the tagger is off
        pass


@lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's ``malloc_trim``, or None where the C library is another (macOS, musl)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def release_memory() -> None:
    """Give the heap's free pages back to the system after a task. spaCy's and torch's buffers for a batch,
    once freed, otherwise stay in the worker's resident memory (measured on 600 MUC-4 reports in one
    worker with the tagger: 921 MB resident without, 792 MB with, in the same time)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _worker_context():
    """Forked workers on Linux (quick to start; they inherit the models when the caller holds them), spawned
    ones elsewhere.

    A fork copies no running thread: a worker sets torch to one thread before its first tensor
    operation (``init_worker``), so it never waits on the OpenMP threads the parent may have started."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(documents)
    while batch := list(islice(it, size)):
        yield batch


class LocalEngine:
    """Analyse in this process (one worker; the models load once)."""

    name = "local"

    def __init__(self, batch: int = BATCH) -> None:
        self.batch = batch

    def map(self, documents: Iterable[Document]) -> Iterator[tuple[Document, Result]]:
        from .analyze import analyze_documents

        yield from analyze_documents(documents, batch_size=self.batch)


def _serve(tasks, results, batch: int) -> None:
    """A worker process: load the models, then analyse tasks until told to stop or the writer is gone."""
    init_worker()
    from .analyze import analyze_documents, load_pipeline, load_role_tagger

    try:
        nlp, tagger = load_pipeline(), load_role_tagger()
    except TesseraError as exc:
        results.put(("error", -1, str(exc)))
        return
    parent = multiprocessing.parent_process()
    while True:
        try:
            item = tasks.get(timeout=_POLL)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                results.cancel_join_thread()  # the writer was killed: nothing will read what we found, so
                return  # exit without waiting to flush it (a full pipe would keep this process forever)
            continue
        if item is None:
            return
        seq, documents = item
        results.put(("start", seq, os.getpid()))
        try:
            found = [r for _d, r in analyze_documents(documents, nlp=nlp, tagger=tagger, batch_size=batch)]
        except TesseraError as exc:
            results.put(("error", seq, str(exc)))
            continue
        finally:
            release_memory()
        results.put(("done", seq, found))


class ProcessEngine:
    """Analyse in worker processes on this machine, streaming (default: one per core).

    One worker, or fewer documents than two per worker, analyse in this process (``LocalEngine``)."""

    name = "process"

    def __init__(self, workers: int | None = None, batch: int = BATCH, ahead: int = AHEAD) -> None:
        self.workers = max(1, workers or default_workers())
        self.batch = batch
        self.ahead = ahead

    def map(self, documents: Iterable[Document]) -> Iterator[tuple[Document, Result]]:
        it = iter(documents)
        head = list(islice(it, 2 * self.workers))
        documents = chain(head, it)
        if self.workers == 1 or len(head) < 2 * self.workers:
            # fewer documents than two per worker: starting workers (each loading the models) costs more than it saves
            yield from LocalEngine(self.batch).map(documents)
            return
        # the workers load the models, not the writer: loaded here only to be shared, they would stay
        # counted in its memory (spaCy's, torch's and transformers' code alone is 417 MB) while it stores
        ctx = _worker_context()
        tasks, results = ctx.Queue(), ctx.Queue()
        procs: dict[int, multiprocessing.Process] = {}

        def start() -> None:
            p = ctx.Process(target=_serve, args=(tasks, results, self.batch), daemon=True, name="tessera-worker")
            p.start()
            procs[p.pid] = p

        batches = _batches(documents, self.batch)
        pending: deque[tuple[int, list[Document]]] = deque()  # tasks sent, in input order
        done: dict[int, list[Result]] = {}
        owner: dict[int, int] = {}  # task -> pid of the worker analysing it
        limit = self.workers * (1 + self.ahead)

        numbers = count()

        def feed() -> None:
            while len(pending) < limit and (batch := next(batches, None)) is not None:
                seq = next(numbers)
                tasks.put((seq, batch))
                pending.append((seq, batch))

        def receive() -> None:
            try:
                kind, seq, payload = results.get(timeout=_POLL)
            except queue.Empty:
                for pid in [pid for pid, p in procs.items() if not p.is_alive()]:
                    code = procs.pop(pid).exitcode
                    sizes = {s: len(b) for s, b in pending}
                    for s in [s for s, w in owner.items() if w == pid and s not in done]:
                        done[s] = [f"analysis failed: the worker process died (exit code {code})"] * sizes[s]
                        del owner[s]
                    start()  # a replacement, so the remaining tasks still find a worker
                return
            if kind == "start":
                owner[seq] = payload
            elif kind == "done":
                done[seq] = payload
                owner.pop(seq, None)
            else:
                raise TesseraError(payload)

        try:
            for _ in range(self.workers):
                start()
            feed()
            while pending:
                seq, batch = pending[0]
                while seq not in done:
                    receive()
                pending.popleft()
                found = done.pop(seq)
                feed()  # the workers get the next task before the writer stores this one
                yield from zip(batch, found)
        finally:
            for _ in procs:
                tasks.put(None)
            for p in procs.values():
                p.join(timeout=10)
                if p.is_alive():
                    p.terminate()
            tasks.close()
            results.close()


class _Analyzer:
    """A Ray actor holding the loaded models; ``analyze`` takes one task's documents."""

    def __init__(self, batch: int = BATCH) -> None:
        from .analyze import load_pipeline, load_role_tagger

        init_worker()
        self.batch = batch
        self.nlp, self.tagger = load_pipeline(), load_role_tagger()

    def analyze(self, documents: list[Document]) -> list[Result]:
        from .analyze import analyze_documents

        try:
            return [r for _d, r in analyze_documents(documents, nlp=self.nlp, tagger=self.tagger, batch_size=self.batch)]
        finally:
            release_memory()


class RayEngine:
    """Analyse on Ray actors that hold the models: on a cluster (``address``) or a local Ray instance.

    ``workers``: actors, one CPU each (default: every CPU Ray offers). Results stream back to the one
    writer in input order, with at most ``AHEAD`` tasks queued per actor beyond the one it works on."""

    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None, batch: int = BATCH,
                 ahead: int = AHEAD) -> None:
        try:
            import ray
        except ImportError as exc:
            raise TesseraError("the ray engine needs Ray: pip install 'tessera[ray]' (or use --engine process)") from exc
        self.ray = ray
        self.address = address
        self.workers = workers
        self.batch = batch
        self.ahead = ahead

    def map(self, documents: Iterable[Document]) -> Iterator[tuple[Document, Result]]:
        import logging

        ray = self.ray
        started = not ray.is_initialized()
        if started:
            local = {} if self.address else {"num_cpus": self.workers or default_workers()}
            ray.init(address=self.address, include_dashboard=False, log_to_driver=False,
                     logging_level=logging.ERROR, **local)
        n = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        actor = ray.remote(num_cpus=1)(_Analyzer)
        actors = [actor.remote(self.batch) for _ in range(n)]
        load = [0] * n  # tasks sent to each actor and not yet read back
        pending: deque = deque()  # (ref, actor index, documents) in input order
        batches = _batches(documents, self.batch)
        try:
            while True:
                while len(pending) < n * (1 + self.ahead) and (batch := next(batches, None)) is not None:
                    k = min(range(n), key=load.__getitem__)
                    load[k] += 1
                    pending.append((actors[k].analyze.remote(batch), k, batch))
                if not pending:
                    return
                ref, k, batch = pending.popleft()
                try:
                    found = ray.get(ref)
                except ray.exceptions.RayError as exc:  # an actor lost: its documents fail, the build goes on
                    found = [f"analysis failed: {type(exc).__name__}"] * len(batch)
                load[k] -= 1
                yield from zip(batch, found)
        finally:
            for a in actors:
                ray.kill(a)
            if started:
                ray.shutdown()


def make_engine(name: str = "process", workers: int | None = None, address: str | None = None):
    """An engine by name (``workers``: processes or Ray actors, default all cores); the error lists the valid names."""
    if name == "local":
        return LocalEngine()
    if name == "process":
        return ProcessEngine(workers=workers)
    if name == "ray":
        return RayEngine(address=address, workers=workers)
    raise TesseraError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
