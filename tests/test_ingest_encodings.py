"""Text in any encoding is decoded, not refused; what it took is a warning on the document (issue #8, part 7)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tessera.errors import IngestError
from tessera.ingest import iter_inputs
from tessera.ingest.decode import decode_bytes
from tessera.ingest.documents import normalize_text
from tessera.models import Document
from tessera.store import schema

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "corpus"
ARTICLES = sorted(EXAMPLES.glob("*.txt"))


def read(path: Path) -> tuple[list[Document], list[IngestError]]:
    out = list(iter_inputs([path]))
    return [d for d in out if isinstance(d, Document)], [e for e in out if isinstance(e, IngestError)]


def original(article: Path) -> Document:
    (doc,), _ = read(article)
    return doc


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "cp1252", "latin-1"])
def test_another_encoding_gives_the_same_document(tmp_path, article, encoding):
    text = article.read_text(encoding="utf-8")
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        pytest.skip(f"{article.name} has characters {encoding} cannot hold")
    path = tmp_path / article.name
    path.write_bytes(data)
    (doc,), errors = read(path)
    want = original(article)
    assert not errors and (doc.id, doc.text, doc.title, doc.published) == (want.id, want.text, want.title, want.published)
    if encoding.startswith("utf-"):
        assert doc.warnings == ()  # a byte-order mark says what the file is
    elif not text.isascii():
        assert doc.warnings == ("not UTF-8: decoded as cp1252 (Windows-1252, detected)",)


def test_at_least_one_article_holds_accents():  # so the test above tests detection, not ASCII
    assert any(not p.read_text(encoding="utf-8").isascii() for p in ARTICLES)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_utf8_with_damaged_bytes_keeps_its_text_with_a_warning(tmp_path, article):
    data = bytearray(article.read_bytes())
    # damage three bytes inside words of the body: each becomes one U+FFFD
    spots = [i for i in range(len(data) // 3, len(data)) if chr(data[i]).isalpha()][:300:100]
    for i in spots:
        data[i] = 0xFF
    path = tmp_path / article.name
    path.write_bytes(bytes(data))
    (doc,), errors = read(path)
    assert not errors
    assert doc.text.count("\ufffd") == 3 and len(doc.text) == len(original(article).text)
    assert doc.warnings == (f"3 undecodable byte sequences in UTF-8 replaced with U+FFFD (the first at byte offset {spots[0]})",)
    assert doc.text == normalize_text(bytes(data).decode("utf-8", errors="replace"))  # nothing else lost


def test_control_characters_are_replaced_with_a_warning(tmp_path):
    article = ARTICLES[0]
    text = article.read_text(encoding="utf-8")
    cut = text.index(" ", len(text) // 2)
    path = tmp_path / article.name
    path.write_text(text[:cut] + "\x07\x1b" + text[cut:], encoding="utf-8")
    (doc,), errors = read(path)
    assert not errors and "\ufffd\ufffd" in doc.text and "\x07" not in doc.text
    assert doc.warnings == ("2 control or invalid characters (U+0007, U+001B) replaced with U+FFFD",)


def test_a_stray_nul_is_a_damaged_byte_but_many_make_a_binary_file(tmp_path):
    text = ARTICLES[0].read_text(encoding="utf-8")
    (tmp_path / "one.txt").write_bytes(text.encode("utf-8").replace(b" ", b"\x00", 1))
    (doc,), errors = read(tmp_path / "one.txt")
    assert not errors and "U+0000" in doc.warnings[0]
    (tmp_path / "many.txt").write_bytes(text.encode("utf-8").replace(b" ", b"\x00"))
    docs, (error,) = read(tmp_path / "many.txt")
    assert not docs and "binary" in error.reason


def test_cyrillic_code_pages_are_not_read_as_windows_1252():
    text = "Вооружённые люди напали на военный конвой недалеко от города, погибли четырнадцать солдат. " * 3
    for encoding in ("cp1251", "koi8-r"):
        decoded = decode_bytes(text.encode(encoding))
        assert decoded.text == text and decoded.encoding == encoding and decoded.warnings


def test_jsonl_published_that_is_no_date_gives_an_unknown_date_and_a_warning(tmp_path):
    record = json.loads((EXAMPLES / "103_ayorou_toll.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert record.get("published")  # the example is dated: the test replaces a real date
    record["published"] = "last Sunday-ish"
    lines = [json.dumps(record), json.dumps({**record, "text": record["text"] + " More.", "published": 20210510})]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, errors = read(path)
    assert not errors and len(docs) == 2
    assert docs[0].published is None and docs[0].warnings == (
        "'published' 'last Sunday-ish' is not a date: the publication date is unknown",)
    assert docs[1].published is None and docs[1].warnings == ("'published' must be a string, got int: ignored",)


def test_a_utf16_jsonl_file_is_read_line_by_line(tmp_path):
    source = EXAMPLES / "103_ayorou_toll.jsonl"
    path = tmp_path / "wide.jsonl"
    path.write_bytes(source.read_text(encoding="utf-8").encode("utf-16"))
    docs, errors = read(path)
    want, _ = read(source)
    assert not errors and [d.id for d in docs] == [d.id for d in want] and len(docs) >= 1


def test_warnings_are_stored_and_exported(tmp_path):
    import tessera

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    accented = next(p for p in ARTICLES if not p.read_text(encoding="utf-8").isascii())
    (corpus / accented.name).write_bytes(accented.read_text(encoding="utf-8").encode("cp1252"))
    clean = next(p for p in ARTICLES if p != accented)
    (corpus / clean.name).write_bytes(clean.read_bytes())
    with tessera.open(tmp_path / "kb.db") as kb:
        report = kb.build([corpus])
        assert len(report.added) == 2 and not report.failed
        out = tmp_path / "kb.jsonl"
        kb.export("jsonl", out)
    documents = {Path(r["origin"]).name: r for r in map(json.loads, out.read_text().splitlines())
                 if r["kind"] == "document"}
    assert documents[accented.name]["warnings"] == ["not UTF-8: decoded as cp1252 (Windows-1252, detected)"]
    assert documents[clean.name]["warnings"] == []


def test_a_knowledge_base_from_before_warnings_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    for version, sql in schema.MIGRATIONS:
        if version < 5:
            for statement in schema.statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version VALUES (?, 'then')", (version,))
    conn.execute("INSERT INTO documents (id, seq, origin, media_type, text, status, added_at)"
                 " VALUES ('d1', 1, 'old.txt', 'text/plain', 'Old text.', 'ok', 'then')")
    conn.close()
    from tessera.store import Store

    with Store.open(path) as store:
        (doc,) = store.documents()
    assert doc.text == "Old text." and doc.warnings == ()
