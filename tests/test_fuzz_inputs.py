"""Fuzzed variants of the example articles go in without a traceback, with a warning where anything was replaced.

Variants (issue #8, part 7): bytes flipped, truncated, re-encoded (UTF-16, Windows-1252, Latin-1),
line breaks removed, control characters inserted, and oversized (the article repeated). Every
article of ``examples/corpus`` (text, HTML, JSON Lines) gets each variant under a fixed seed;
reading them all is fast, so every one is read; one variant of each kind is built into a
knowledge base end to end.
"""
from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from tessera.errors import IngestError
from tessera.ingest import iter_inputs
from tessera.models import Document

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "corpus"
ARTICLES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html", ".jsonl"))
CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f"


def _flipped(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for i in rng.sample(range(len(out) // 4, len(out)), 3):
        out[i] ^= 0x80 | rng.randrange(1, 0x80)  # a high bit set: never valid where an ASCII byte stood
    return bytes(out)


def _truncated(data: bytes, rng: random.Random) -> bytes:
    return data[:rng.randrange(len(data) * 6 // 10, len(data) - 1)]  # possibly inside a UTF-8 sequence


def _reencoded(encoding: str) -> Callable[[bytes, random.Random], bytes]:
    def variant(data: bytes, rng: random.Random) -> bytes:
        return data.decode("utf-8").encode(encoding, errors="replace" if encoding != "utf-16" else "strict")
    return variant


def _newline_free(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8")
    if data.lstrip().startswith(b"{"):  # JSON Lines: the text fields lose their breaks, the records keep theirs
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
        return "\n".join(json.dumps({**r, "text": " ".join(r["text"].split())}) for r in records).encode()
    return " ".join(text.split()).encode("utf-8")


def _controls(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8")
    spaces = [i for i, c in enumerate(text) if c == " "]
    for i in sorted(rng.sample(spaces, 6), reverse=True):
        text = text[:i] + rng.choice(CONTROLS) + text[i + 1:]
    return text.encode("utf-8")


def _oversized(data: bytes, rng: random.Random) -> bytes:
    if data.lstrip().startswith(b"{"):
        records = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
        return "\n".join(json.dumps({**r, "text": "\n\n".join([r["text"]] * 6)}) for r in records).encode()
    if data.lstrip().startswith(b"<"):  # HTML: the body's paragraphs again and again
        head, sep, tail = data.partition(b"</article>")
        return head + head[head.find(b"<p"):] * 5 + sep + tail if sep else data * 6
    return b"\n\n".join([data] * 6)


VARIANTS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flipped": _flipped, "truncated": _truncated, "utf16": _reencoded("utf-16"), "cp1252": _reencoded("cp1252"),
    "latin1": _reencoded("latin-1"), "newline_free": _newline_free, "controls": _controls, "oversized": _oversized,
}


def _needs_replacing(data: bytes) -> bool:
    """Whether some byte or character of a UTF-8 variant cannot stand as it is (undecodable or a control)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return any(c in CONTROLS for c in text)


def _write(folder: Path, article: Path, kind: str, seed: int) -> Path:
    path = folder / f"{article.stem}.{kind}.{seed}{article.suffix}"
    path.write_bytes(VARIANTS[kind](article.read_bytes(), random.Random(f"{article.name}/{kind}/{seed}")))
    return path


def _read(path: Path) -> tuple[list[Document], list[IngestError]]:
    out = list(iter_inputs([path]))  # never raises
    return [d for d in out if isinstance(d, Document)], [e for e in out if isinstance(e, IngestError)]


def test_every_variant_of_every_article_is_read(tmp_path):
    originals = {a: _read(a)[0] for a in ARTICLES}
    counts = {"files": 0, "documents": 0, "warned": 0}
    for article in ARTICLES:
        for kind in VARIANTS:
            for seed in range(3):
                path = _write(tmp_path, article, kind, seed)
                docs, errors = _read(path)
                counts["files"] += 1
                counts["documents"] += len(docs)
                counts["warned"] += sum(bool(d.warnings) for d in docs)
                want = len(originals[article])
                if article.suffix == ".jsonl" and kind in ("flipped", "truncated"):
                    # a flipped quote or a cut line breaks that record's JSON: named, the others go in
                    assert len(docs) + len(errors) >= want and all(e.origin.startswith(str(path)) for e in errors)
                else:
                    assert len(docs) == want and not errors, (path.name, errors)
                replaced = _needs_replacing(path.read_bytes()) and article.suffix != ".jsonl"  # a line each there
                for doc in docs:
                    damaged = "\ufffd" in doc.text and not any("\ufffd" in d.text for d in originals[article])
                    if damaged or replaced:
                        assert doc.warnings, (path.name, "a character was replaced without a warning")
                    if kind in ("cp1252", "latin1") and not article.read_text(encoding="utf-8").isascii():
                        assert any("not UTF-8" in w for w in doc.warnings)
                    if kind in ("utf16", "newline_free", "oversized"):
                        assert not doc.warnings
    print(f"fuzz: {counts['files']} variant files, {counts['documents']} documents, {counts['warned']} with a warning")


@pytest.mark.slow
def test_one_variant_of_each_kind_builds_into_a_kb(tmp_path):
    import tessera

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = [a for a in ARTICLES if a.suffix == ".txt"]
    made = [(texts[k % len(texts)], kind, 0) for k, kind in enumerate(VARIANTS)]
    made += [(EXAMPLES / "104_us_designation.html", "flipped", 1), (EXAMPLES / "103_ayorou_toll.jsonl", "cp1252", 1)]
    files = {_write(corpus, article, kind, seed).name: (article, kind) for article, kind, seed in made}
    expected = {d.id: d for name in files for d in _read(corpus / name)[0]}
    with tessera.open(tmp_path / "kb.db") as kb:
        report = kb.build([corpus])  # never raises
        assert not report.failed, report.failed
        stored = {d.id: d for d in kb.store.documents()}
        out = tmp_path / "kb.jsonl"
        kb.export("jsonl", out)
    assert set(stored) == set(expected)  # every decodable article stored
    for doc_id, doc in stored.items():
        assert doc.warnings == expected[doc_id].warnings
    warned = {r["id"] for r in map(json.loads, out.read_text().splitlines()) if r["kind"] == "document" and r["warnings"]}
    should = {name for name, (article, kind) in files.items() if _needs_replacing((corpus / name).read_bytes())
              or (kind in ("cp1252", "latin1") and not article.read_text(encoding="utf-8").isascii())}
    assert warned == {d.id for name in should for d in _read(corpus / name)[0]}  # the export says so
    assert {"flipped", "controls"} <= {files[name][1] for name in should}
    print(f"fuzz build: {len(files)} files, {len(stored)} documents stored, {len(warned)} with warnings")
