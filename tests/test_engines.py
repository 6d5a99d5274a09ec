"""The per-document stage gives the same knowledge base wherever it runs."""
from __future__ import annotations

import importlib.util

import pytest

import tessera
from tessera.engines import make_engine
from tessera.errors import TesseraError
from tests.conftest import EXAMPLES


def _export(path, engine):
    with tessera.open(path) as kb:
        report = kb.build([EXAMPLES], engine=engine)
        assert report.added and not report.failed
        return list(kb.export_records())


@pytest.fixture(scope="module")
def local_export(tmp_path_factory):
    return _export(tmp_path_factory.mktemp("local") / "kb.db", make_engine("local"))


def test_process_pool_gives_the_same_knowledge_base(local_export, tmp_path):
    assert _export(tmp_path / "kb.db", make_engine("process", workers=2)) == local_export


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="Ray is not installed (pip install 'tessera[ray]')")
def test_ray_gives_the_same_knowledge_base(local_export, tmp_path):
    import ray

    try:
        assert _export(tmp_path / "kb.db", make_engine("ray")) == local_export
    finally:
        ray.shutdown()


def test_unknown_engine_names_the_valid_ones():
    with pytest.raises(TesseraError, match="local, process, ray"):
        make_engine("spark")
