"""Near-duplicate documents: one story in several copies (wire copy in many outlets, another headline,
other page furniture, a few edited or dropped sentences) is one source.

A document's main text (its title and body regions, not furniture or reader comments) is cut into
word shingles (SHINGLE_WORDS words each, lower-cased). Two documents are copies when the Jaccard
similarity of their shingle sets is at least THRESHOLD. Candidates are the documents that share an LSH
band with it: the bands of ``datasketch``'s MinHashLSH over MinHash signatures, whose keys the store
keeps beside each document (``band_keys``), so a new document is compared with a handful of stored
ones, found by one query, not all of them; each candidate is then checked exactly on its shingles,
re-read from the stored text. Figures behind SHINGLE_WORDS and THRESHOLD: ``benchmarks/duplicates.py``.
"""
from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from .models import Document

SHINGLE_WORDS = 5  # separate reports of one attack share 3-word phrases ("were killed in"; up to 0.12), 5-word ones hardly (0.05)
THRESHOLD = 0.3  # benchmarks/duplicates.py: copies (all edits at once) 0.18-1.0, median 0.68; separate reports of one incident at most 0.05
NUM_PERM = 128
SEED = 1  # datasketch's default, named: a stored signature is decoded with the seed it was made with
SCHEME = "affine32"  # datasketch 2.0's default, named: a stored signature is decoded with the scheme it was made with
LSH_THRESHOLD = 0.2  # looser than THRESHOLD: the LSH only proposes, the exact Jaccard decides
# A candidate whose signatures agree on fewer than this share of their values is not read again for the exact
# check. Articles written alike (one outlet's furniture, shared background) make hundreds of candidates: the 10
# generated articles added to 2,000 had 4,147, 692 of them estimated at 0.15 or more, 55 at 0.2 (none a copy:
# exact Jaccard at most 0.23). The estimate from NUM_PERM values of a copy at THRESHOLD falls under 0.2 about once
# in 150 (2.5 standard deviations), of one at 0.35 once in 5,000; copies are mostly 0.5 and more
# (benchmarks/duplicates.py: the same 19,634 of 19,705 copy pairs found with the floor as without)
ESTIMATE_FLOOR = 0.2
_WORD = re.compile(r"\w+")


def main_text(doc: Document) -> str:
    """The mined text of a document: its title and body regions, in order (all of it when it has none)."""
    parts = [doc.text[r.start:r.end] for r in doc.regions if r.kind in ("title", "body")]
    return "\n".join(parts) if parts else doc.text


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[int]:
    """The text's k-word shingles as 32-bit hashes (stable across processes, unlike ``hash``)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < k:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i:i + k]).encode()) for i in range(len(words) - k + 1)}


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _identity(x):  # the shingles are hashed already
    return x


def minhash(shingle_set: Iterable[int]) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_identity, scheme=SCHEME)
    values = np.fromiter(shingle_set, dtype=np.uint64)
    if len(values):
        m.update_batch(values)
    return m


def encode_signature(m: MinHash) -> bytes:
    return m.hashvalues.astype("<u4").tobytes()  # NUM_PERM little-endian 32-bit values (decode_signature)


def decode_signature(blob: bytes) -> LeanMinHash:
    """A stored signature, to compare and index, not to update: a ``LeanMinHash`` builds no permutations
    (a ``MinHash`` would, for every stored document each time the index is loaded)."""
    return LeanMinHash(seed=SEED, scheme=SCHEME, hashvalues=np.frombuffer(blob, dtype="<u4").astype(np.uint32))


def signature(doc: Document) -> bytes:
    """The stored form of a document's MinHash signature."""
    return encode_signature(minhash(shingles(main_text(doc))))


@lru_cache(maxsize=1)
def _bands() -> tuple[tuple[int, int], ...]:
    """The slices of a signature the LSH bands (the bands MinHashLSH chooses for LSH_THRESHOLD and NUM_PERM)."""
    return tuple(MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM).hashranges)


def band_keys(sig: bytes) -> list[int]:
    """The LSH band keys of a stored signature, as signed 64-bit integers: two documents are candidate copies
    when they share one (the same band of the same values)."""
    values = np.frombuffer(sig, dtype="<u4")
    return [int.from_bytes(hashlib.blake2b(bytes([n]) + values[start:end].tobytes(), digest_size=8).digest(),
                           "little", signed=True)
            for n, (start, end) in enumerate(_bands())]


def _alike(shingle_set: set[int], sig: bytes, candidates: Iterable[tuple[str, bytes]], text_of) -> list[tuple[str, float]]:
    """The candidates (id, signature) whose shingles (of their text, ``text_of``) are at least THRESHOLD alike, most
    alike first, with their Jaccard: the exact check of what the LSH proposes, for those whose signatures agree
    with ``sig`` on ESTIMATE_FLOOR of their values."""
    mine = np.frombuffer(sig, dtype="<u4")
    found = []
    for cand, cand_sig in candidates:
        if np.count_nonzero(mine == np.frombuffer(cand_sig, dtype="<u4")) < ESTIMATE_FLOOR * len(mine):
            continue
        score = jaccard(shingle_set, shingles(text_of(cand)))
        if score >= THRESHOLD:
            found.append((cand, score))
    return sorted(found, key=lambda x: (-x[1], x[0]))


class StoredCopyFinder:
    """Finds the copies of a new document among the newest stored versions by the band keys stored beside
    their signatures: one query per document, nothing loaded (``copy_finder``)."""

    def __init__(self, store, text_of) -> None:
        self._store = store
        self._text_of = text_of

    def copies(self, shingle_set: set[int], sig: bytes, exclude: str | None = None) -> list[tuple[str, float]]:
        """Stored documents (but ``exclude``, the document itself once stored) whose shingles are at least THRESHOLD
        alike, most alike first, with their Jaccard."""
        return _alike(shingle_set, sig, ((d, s) for d, s in self._store.band_signatures(band_keys(sig)) if d != exclude),
                      self._text_of)

    def add(self, doc_id: str, sig: bytes) -> None:
        """Nothing to do: a document's band keys are stored with it (``Store.add_document``)."""

    def remove(self, doc_id: str) -> None:
        """Nothing to do: only the newest version of an origin is ever a candidate."""


class CopyFinder:
    """An LSH index of signatures held in memory that finds the copies of a document (``regroup``).

    ``text_of`` returns a stored document's main text, read again for the exact check of each
    LSH candidate (a few per document), so no shingles are kept in memory or on disk.
    """

    def __init__(self, text_of) -> None:
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._text_of = text_of
        self._indexed: dict[str, bytes] = {}  # id -> signature

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._indexed

    def add(self, doc_id: str, sig: bytes) -> None:
        if doc_id not in self._indexed:
            self._lsh.insert(doc_id, decode_signature(sig))
            self._indexed[doc_id] = sig

    def remove(self, doc_id: str) -> None:
        if doc_id in self._indexed:
            self._lsh.remove(doc_id)
            del self._indexed[doc_id]

    def copies(self, shingle_set: set[int], sig: bytes, exclude: str | None = None) -> list[tuple[str, float]]:
        """Indexed documents (but ``exclude``) whose shingles are at least THRESHOLD alike, most alike first, with
        their Jaccard."""
        return _alike(shingle_set, sig, ((d, self._indexed[d]) for d in self._lsh.query(decode_signature(sig))
                                         if d != exclude), self._text_of)


def earliest(members: Iterable[tuple[str, str | None, str]]) -> str:
    """The id of the earliest copy among (id, published, origin): by publication date, then (undated, or
    published the same day) by origin, then id -- never by the order documents were added, so that
    building documents in any order, or in several builds, marks the same copy as the earliest."""
    def key(m):
        doc_id, published, origin = m
        dated = bool(published) and published[:1].isdigit()
        return (not dated, published if dated else "", origin, doc_id)

    return min(members, key=key)[0]


def copy_finder(store) -> StoredCopyFinder:
    """A finder of copies among the store's newest documents; those stored before their band keys were (schema
    < 11) get them now, and those stored before signatures (schema < 4) theirs, their copies recorded as a new
    document's would be."""
    finder = StoredCopyFinder(store, lambda doc_id: main_text(store.document(doc_id)))
    unbanded = store.signatures(without_bands=True)
    if unbanded:
        store.add_signatures([], [(doc_id, band_keys(sig)) for doc_id, sig in unbanded])
    unsigned = store.unsigned_documents()
    if unsigned:
        order = {row[0]: i for i, row in enumerate(store.copy_group([d.id for d in unsigned]))}  # in ingest order
        for doc in sorted(unsigned, key=lambda d: order.get(d.id, 0)):
            shingle_set = shingles(main_text(doc))
            sig = encode_signature(minhash(shingle_set))
            record_copies(store, finder, doc, shingle_set, sig)
            store.add_signatures([(doc.id, sig)], [(doc.id, band_keys(sig))])  # a candidate for the next ones
    return finder


def record_copies(store, finder: CopyFinder | StoredCopyFinder, doc: Document, shingle_set: set[int],
                  sig: bytes) -> str | None:
    """Find the stored copies of ``doc`` (stored already, not yet indexed), mark the whole group of copies
    as copies of its earliest, and index ``doc``. Returns the earliest copy's id, or None for an original."""
    found = [d for d, _score in finder.copies(shingle_set, sig, exclude=doc.id)]
    finder.add(doc.id, sig)
    if not found:
        return None
    group = store.copy_group([doc.id, *found])
    head = earliest(group)
    store.set_duplicate_of([m for m, _published, _origin in group], head)
    return None if head == doc.id else head


def regroup(store, members: list[str]) -> dict[str, str | None]:
    """How ``members`` (what is left of groups of copies once some are removed) group again into copies of
    one story, as a build of them alone would group them: linked by the same LSH index and exact check,
    each group's earliest copy its original, a document left alone an original. Returns member -> its
    earliest copy (None for an original)."""
    finder = CopyFinder(lambda doc_id: main_text(store.document(doc_id)))
    signatures = dict(store.signatures())
    parent = {m: m for m in members}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for m in members:
        if m not in signatures:
            continue
        for other, _score in finder.copies(shingles(main_text(store.document(m))), signatures[m]):
            parent[find(other)] = find(m)
        finder.add(m, signatures[m])
    groups: dict[str, list[str]] = {}
    for m in members:
        groups.setdefault(find(m), []).append(m)
    heads: dict[str, str | None] = {}
    for group in groups.values():
        head = earliest([row for row in store.copy_group(group) if row[0] in group]) if len(group) > 1 else None
        heads.update({m: None if m == head else head for m in group})
    return heads
