"""A build killed with kill -9 mid-way and started again ends with the knowledge base of an uninterrupted build."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

import tessera
from tests.conftest import EXAMPLES, REPO

# the examples and the development corpora (37 documents): enough that a kill after the first stored
# documents lands mid-way whatever the machine's speed (8 documents in tasks of 4 could all be stored)
INPUTS = [EXAMPLES, *sorted(p for p in (REPO / "benchmarks" / "corpora").iterdir() if p.is_dir())]


def _stored(path) -> int:
    """Documents committed so far (read beside the writer: the store is in WAL mode)."""
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


def _build(path, wait: bool = True) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.Popen([sys.executable, "-m", "tessera.cli", "build", str(path), *map(str, INPUTS), "--workers", "2"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if wait:
        assert proc.wait(timeout=600) == 0, proc.stderr.read()
    return proc


@pytest.mark.slow
def test_kill_9_mid_build_then_build_again_gives_the_uninterrupted_knowledge_base(tmp_path):
    total = sum(1 for d in INPUTS for p in d.iterdir() if p.name != "key.yaml")
    killed = tmp_path / "killed.db"
    proc = _build(killed, wait=False)
    deadline = time.monotonic() + 600
    while _stored(killed) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)  # the writer, between two documents' transactions or inside one
    proc.wait()
    stored = _stored(killed)
    assert 2 <= stored < total, f"the build was not killed mid-way ({stored} of {total} stored)"
    _build(killed)  # started again: adds what is missing

    with tessera.open(tmp_path / "whole.db") as kb:
        kb.build(INPUTS)
        whole = list(kb.export_records())
    with tessera.open(killed) as kb:
        assert list(kb.export_records()) == whole
        assert kb.store.document_status()["failed"] == 0
