"""Where the per-document analysis runs: in this process, in a process pool, or on Ray.

Every engine has the same interface, ``map(documents) -> iterator of (document, result)``
where result is a ``DocumentAnalysis`` or an error message; results come back in input
order. The analysis is a pure function of one document, so the engines differ only in
where it runs. Ray is optional (``pip install 'tessera[ray]'``); its absence is reported
as a clear error, never a traceback.
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from .errors import TesseraError
from .models import Document, DocumentAnalysis

Result = DocumentAnalysis | str

ENGINES = ("local", "process", "ray")


def _analyze_one(document: Document) -> Result:
    from .analyze import analyze_document

    try:
        return analyze_document(document)
    except TesseraError:
        raise
    except Exception as exc:  # recorded as that document's failure; the batch goes on
        return f"analysis failed: {type(exc).__name__}: {exc}"


def init_worker() -> None:
    """A pool worker: one thread for torch (the pool is the parallelism), models loaded on first use."""
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # pragma: no cover - torch is a dependency; without it the tagger is off
        pass


class LocalEngine:
    """Analyse in this process (the default; the model loads once)."""

    name = "local"

    def map(self, documents: Iterable[Document]) -> Iterator[tuple[Document, Result]]:
        for d in documents:
            yield d, _analyze_one(d)


class ProcessEngine:
    """Analyse in a pool of worker processes on this machine."""

    name = "process"

    def __init__(self, workers: int = 2, chunk: int = 64) -> None:
        self.workers = max(1, workers)
        self.chunk = chunk

    def map(self, documents: Iterable[Document]) -> Iterator[tuple[Document, Result]]:
        batch: list[Document] = []
        # spawned, not forked: a fork of a process whose torch threads are running can hang
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=init_worker) as pool:
            for d in documents:
                batch.append(d)
                if len(batch) >= self.chunk:
                    yield from zip(batch, pool.map(_analyze_one, batch))
                    batch = []
            if batch:
                yield from zip(batch, pool.map(_analyze_one, batch))


class RayEngine:
    """Analyse on a Ray cluster (or a local Ray instance when no address is given)."""

    name = "ray"

    def __init__(self, address: str | None = None, chunk: int = 256) -> None:
        try:
            import ray
        except ImportError as exc:
            raise TesseraError("the ray engine needs Ray: pip install 'tessera[ray]' (or use --engine process)") from exc
        self.ray = ray
        self.address = address
        self.chunk = chunk

    def map(self, documents: Iterable[Document]) -> Iterator[tuple[Document, Result]]:
        ray = self.ray
        if not ray.is_initialized():
            import logging

            ray.init(address=self.address, include_dashboard=False, log_to_driver=False,
                     ignore_reinit_error=True, logging_level=logging.ERROR)
        remote = ray.remote(_analyze_one)
        batch: list[Document] = []
        for d in documents:
            batch.append(d)
            if len(batch) >= self.chunk:
                yield from zip(batch, ray.get([remote.remote(x) for x in batch]))
                batch = []
        if batch:
            yield from zip(batch, ray.get([remote.remote(x) for x in batch]))


def make_engine(name: str = "local", workers: int = 2, address: str | None = None):
    """An engine by name; the error lists the valid names."""
    if name == "local":
        return LocalEngine()
    if name == "process":
        return ProcessEngine(workers=workers)
    if name == "ray":
        return RayEngine(address=address)
    raise TesseraError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
