"""Store.open: read-only mode, schema migrations and one-line errors for bad files."""
from __future__ import annotations

import hashlib
import os
import sqlite3

import pytest

from tessera.errors import StoreError
from tessera.models import Document, DocumentAnalysis
from tessera.store import Store, schema


def _doc(text: str = "A short text.") -> Document:
    return Document(hashlib.sha256(text.encode()).hexdigest(), "a.txt", text)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_one_line(err: pytest.ExceptionInfo, *words: str) -> None:
    message = str(err.value)
    assert "\n" not in message
    # no sqlite traceback is shown under ours
    assert err.value.__cause__ is None
    assert err.value.__context__ is None or err.value.__suppress_context__
    for word in words:
        assert word in message


def test_new_file_is_created_with_wal_and_latest_version(tmp_path):
    path = tmp_path / "kb.db"
    with Store.open(path):
        pass
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == schema.LATEST_VERSION
    conn.close()
    with Store.open(path) as store:  # reopening is a no-op
        assert store.stats()["documents"] == 0


def test_readonly_reads_and_never_writes(tmp_path):
    path = tmp_path / "kb.db"
    doc = _doc()
    with Store.open(path) as store:
        store.add_document(doc, DocumentAnalysis(doc.id, (), (), (), sentences=((0, 7),)))
    before = _digest(path)
    with Store.open(path, readonly=True) as store:
        assert store.has_document(doc.id)
        assert store.search("short")[0].sentence == "A short"
        assert store.documents() == [doc]
        with pytest.raises(StoreError, match="read-only") as err:
            store.add_failure("b.txt", "broken")
        _assert_one_line(err)
    assert _digest(path) == before


def test_readonly_fails_on_missing_file(tmp_path):
    path = tmp_path / "missing.db"
    with pytest.raises(StoreError, match="no such knowledge base") as err:
        Store.open(path, readonly=True)
    _assert_one_line(err, str(path))
    assert not path.exists()


def test_readonly_fails_on_empty_file(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    with pytest.raises(StoreError, match="not a Tessera knowledge base"):
        Store.open(path, readonly=True)


@pytest.mark.parametrize("size", [16, 4096])
def test_corrupt_file(tmp_path, size):
    path = tmp_path / "kb.db"
    path.write_bytes(os.urandom(size))
    with pytest.raises(StoreError) as err:
        Store.open(path)
    _assert_one_line(err, str(path), "not a database or is corrupt")


def test_other_sqlite_file_is_not_a_knowledge_base(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.commit()
    conn.close()
    for readonly in (False, True):
        with pytest.raises(StoreError, match="not a Tessera knowledge base") as err:
            Store.open(path, readonly=readonly)
        _assert_one_line(err)


def test_missing_directory_and_directory_path(tmp_path):
    with pytest.raises(StoreError, match="does not exist") as err:
        Store.open(tmp_path / "nowhere" / "kb.db")
    _assert_one_line(err)
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file permissions")
def test_permission_denied(tmp_path):
    path = tmp_path / "kb.db"
    Store.open(path).close()
    path.chmod(0o000)
    try:
        with pytest.raises(StoreError, match="permission denied"):
            Store.open(path)
    finally:
        path.chmod(0o600)


def test_locked_database(tmp_path):
    path = tmp_path / "kb.db"
    Store.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with Store.open(path, timeout=0.1) as store:
            with pytest.raises(StoreError) as err:
                store.add_failure("a.txt", "broken")
            _assert_one_line(err, str(path), "locked", "retry")
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Store.open(path) as store:  # the failed write left nothing behind
        assert store.failures() == []


def test_locked_while_migrating(tmp_path):
    path = tmp_path / "kb.db"
    sqlite3.connect(path).close()  # an empty file: opening must migrate it
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked"):
            Store.open(path, timeout=0.1)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_newer_schema_version_is_refused(tmp_path):
    path = tmp_path / "kb.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (?, 'later')", (schema.LATEST_VERSION + 1,))
    conn.commit()
    conn.close()
    for readonly in (False, True):
        with pytest.raises(StoreError, match="newer Tessera") as err:
            Store.open(path, readonly=readonly)
        _assert_one_line(err, "upgrade Tessera")


def test_older_file_is_migrated(tmp_path, monkeypatch):
    path = tmp_path / "kb.db"
    Store.open(path).close()
    later = schema.LATEST_VERSION + 1
    migration = (later, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n")
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, migration])
    monkeypatch.setattr(schema, "LATEST_VERSION", later)
    with pytest.raises(StoreError, match="older Tessera"):
        Store.open(path, readonly=True)
    with Store.open(path):
        pass
    conn = sqlite3.connect(path)
    versions = [v for (v,) in conn.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == [v for v, _ in schema.MIGRATIONS]
    assert versions[-1] == later
    assert conn.execute("SELECT count(*) FROM notes").fetchone() == (0,)
    conn.close()


def test_migration_statements_keep_trigger_bodies_whole():
    found = schema.statements(schema.MIGRATIONS[0][1])
    assert all(sqlite3.complete_statement(s) for s in found)
    assert any(s.startswith("CREATE TRIGGER") and s.endswith("END;") for s in found)


def test_closed_store_raises_store_error(tmp_path):
    store = Store.open(tmp_path / "kb.db")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.stats()
