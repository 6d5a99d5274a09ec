"""The ``truecase`` package's casing statistics, kept compact: the counts as two memory-mapped arrays.

The package ships its statistics as one pickle of nltk ``FreqDist`` objects (unigram, backward and
forward bigram and trigram counts of each casing of a word, 2.8 million strings): unpickled, they
hold about 280 MB in every process that re-cases a document, each analysis worker among them. Here
each counted string becomes a 64-bit hash (blake2b) in one sorted array beside its count, written
once to a cache folder (``cache_dir``: ``$TESSERA_CACHE``, else ``$XDG_CACHE_HOME/tessera``, else
``~/.cache/tessera``) and memory-mapped afterwards, so the processes share the pages the operating
system caches and each holds only the casings of words (``forms``). Where no cache can be written the
arrays are built in memory (34 MB). Two different strings share a 64-bit hash with a probability of
about 1 in 5 million over the whole table.

``CasingStats.best`` scores a word's casings as ``truecase.TrueCaser.get_score`` does (the log of
each casing's share of the unigram, backward bigram, forward bigram and trigram counts, five added to
every count), so the choices are the package's.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np

VERSION = 1  # of the cache's layout: a new one is built beside an older one
PSEUDO_COUNT = 5.0
BEST_CACHE = 1 << 16  # choices remembered (a word between the same neighbours: "THE ARMED FORCES")
_TABLES = (("u", "uni_dist"), ("b", "backward_bi_dist"), ("f", "forward_bi_dist"), ("t", "trigram_dist"))


def _hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def cache_dir() -> Path:
    """Where derived data is kept between runs (see the module docstring)."""
    if os.environ.get("TESSERA_CACHE"):
        return Path(os.environ["TESSERA_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tessera"


class CasingStats:
    """Counts of casings in context, looked up by hash (``count``), and each lowercase word's casings."""

    def __init__(self, forms: dict[str, tuple[str, ...]], keys: np.ndarray, counts: np.ndarray) -> None:
        self.forms = forms
        self.keys = keys
        self.counts = counts

    def count(self, grams: list[str]) -> np.ndarray:
        """How often each of ``grams`` ("u" + word, "b" + prev_word, "f" + word_next, "t" + prev_word_next)
        was counted (0 for one never seen)."""
        wanted = np.fromiter((_hash(g) for g in grams), dtype=np.uint64, count=len(grams))
        at = np.searchsorted(self.keys, wanted)
        at[at >= len(self.keys)] = 0
        return np.where(self.keys[at] == wanted, self.counts[at], 0).astype(np.float64)

    def best(self, prev: str | None, forms: tuple[str, ...], nxt: str | None) -> str:
        """The casing among ``forms`` (sorted) that its neighbours make likeliest; the first on a tie."""
        return self._best(prev, forms, nxt.lower() if nxt is not None else None)

    @lru_cache(maxsize=BEST_CACHE)  # on the method: one instance a process, kept as long as the process
    def _best(self, prev: str | None, forms: tuple[str, ...], low: str | None) -> str:
        grams = ["u" + f for f in forms]
        if prev is not None:
            grams += ["b" + prev + "_" + f for f in forms]
        if low is not None:
            grams += ["f" + f + "_" + low for f in forms]
            if prev is not None:
                grams += ["t" + prev + "_" + f + "_" + low for f in forms]
        n = len(forms)
        counts = self.count(grams).tolist()
        shares = []  # each table row (unigram, backward, forward, trigram) as shares of its sum, plus-five
        for i in range(0, len(counts), n):  # counts (plain floats: numpy's arrays cost more than they save here)
            row = [c + PSEUDO_COUNT for c in counts[i:i + n]]
            total = sum(row)
            shares.append([c / total for c in row])
        scores = [sum(math.log(row[k]) for row in shares) for k in range(n)]
        return forms[scores.index(max(scores))]


def _build(source: Path) -> tuple[dict[str, tuple[str, ...]], np.ndarray, np.ndarray]:
    """Read the package's pickle (about 6 s and 400 MB, once) into the compact form."""
    import pickle

    with open(source, "rb") as f:
        dists = pickle.load(f)
    size = sum(len(dists[name]) for _, name in _TABLES)
    keys = np.empty(size, dtype=np.uint64)
    counts = np.empty(size, dtype=np.uint32)
    n = 0
    for tag, name in _TABLES:
        for gram, c in dists[name].items():
            keys[n], counts[n] = _hash(tag + gram), min(c, 2**32 - 1)
            n += 1
    order = np.argsort(keys, kind="stable")
    forms = {low: tuple(sorted(f)) for low, f in dists["word_casing_lookup"].items()}
    return forms, keys[order], counts[order]


@contextmanager
def _locked(path: Path):
    """Hold an exclusive lock on ``path`` (where the platform has ``fcntl``; elsewhere none)."""
    with open(path, "a") as f:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on POSIX: at worst two processes build it
            yield
            return
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _write(folder: Path, forms: dict, keys: np.ndarray, counts: np.ndarray) -> None:
    """The cache folder, whole or not at all (written beside it, then renamed)."""
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".casing-"))
    np.save(tmp / "keys.npy", keys)
    np.save(tmp / "counts.npy", counts)
    (tmp / "forms.json").write_text(json.dumps(forms, ensure_ascii=False), encoding="utf-8")
    tmp.chmod(0o755)
    os.replace(tmp, folder)


def _source() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("truecase")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the truecase package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "english.dist"


def load(where: Path | None = None) -> CasingStats:
    """The statistics: memory-mapped from the cache, built there first when missing."""
    source = _source()
    folder = (where or cache_dir()) / f"casing-v{VERSION}-{source.stat().st_size}"
    if not (folder / "forms.json").exists():
        built = None
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            with _locked(folder.parent / ".casing.lock"):  # workers starting together build it once
                if not (folder / "forms.json").exists():
                    built = _build(source)
                    _write(folder, *built)
        except OSError:  # no cache to write: the compact arrays in memory (built once, even if writing failed)
            return CasingStats(*(built or _build(source)))
    forms = {low: tuple(f) for low, f in json.loads((folder / "forms.json").read_text(encoding="utf-8")).items()}
    return CasingStats(forms, np.load(folder / "keys.npy", mmap_mode="r"), np.load(folder / "counts.npy", mmap_mode="r"))
