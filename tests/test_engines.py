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
def process_export(tmp_path_factory):
    return _export(tmp_path_factory.mktemp("process") / "kb.db", make_engine("process", workers=2))


def test_worker_processes_give_the_knowledge_base_of_one_process(process_export, tmp_path):
    assert _export(tmp_path / "kb.db", make_engine("local")) == process_export


def _reports(n: int):
    from tessera.ingest import make_document

    return [make_document(f"Gunmen attacked a police post in Gao on {1 + i % 28} May 2021, killing {i + 2} officers, "
                          f"the governor of the region said.\n", f"report{i}.txt", "text/plain") for i in range(n)]


def test_a_few_documents_stay_in_this_process():
    import multiprocessing

    from tessera.analyze import analyze_document

    documents = _reports(3)  # fewer than two per worker: starting workers would cost more than it saves
    for d, result in make_engine("process", workers=2).map(documents):
        assert multiprocessing.active_children() == []
        assert result == analyze_document(d)


def test_workers_stream_in_input_order():
    from tessera.analyze import analyze_document

    documents = _reports(60)
    pulled = []

    def source():
        for d in documents:
            pulled.append(d)
            yield d

    results = []
    for d, result in make_engine("process", workers=2).map(source()):
        if not results:
            first_seen = len(pulled)
        results.append((d, result))
    assert first_seen < len(documents)  # the first result was stored before the input was read to its end
    assert [d for d, _ in results] == documents
    assert all(result == analyze_document(d) for d, result in results)


def test_workers_forked_after_this_process_ran_torch_on_several_threads_still_analyse():
    """A fork copies none of the parent's OpenMP threads: a worker that waited on them would hang."""
    torch = pytest.importorskip("torch")
    from tessera.analyze import analyze_document, load_role_tagger

    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        documents = _reports(8)
        if load_role_tagger():
            load_role_tagger().tag(documents[0].text * 20)  # OpenMP's threads started here
        results = list(make_engine("process", workers=2).map(documents))
    finally:
        torch.set_num_threads(threads)
    assert [d for d, _ in results] == documents
    assert all(result == analyze_document(d) for d, result in results)


def test_the_writer_loads_no_model_for_its_workers():
    """Each worker loads the models it uses; the writer, which analyses nothing, never holds them (loaded
    only to be shared, they would stay counted in its memory through storing and the refresh)."""
    from tessera.analyze import load_pipeline, load_role_tagger

    nlp, tagger = load_pipeline.cache_info().currsize, load_role_tagger.cache_info().currsize
    load_pipeline.cache_clear()
    load_role_tagger.cache_clear()
    try:
        results = [result for _d, result in make_engine("process", workers=2).map(_reports(8))]
        assert load_pipeline.cache_info().currsize == 0 and load_role_tagger.cache_info().currsize == 0
        assert len(results) == 8 and not any(isinstance(r, str) for r in results)
    finally:  # as the other tests found them
        if nlp:
            load_pipeline()
        if tagger:
            load_role_tagger()


def test_the_writer_keeps_the_models_its_caller_had_loaded():
    from tessera.analyze import load_pipeline, load_role_tagger

    nlp, tagger = load_pipeline(), load_role_tagger()
    results = list(make_engine("process", workers=2).map(_reports(8)))
    assert len(results) == 8 and not any(isinstance(r, str) for _d, r in results)
    assert load_pipeline() is nlp and load_role_tagger() is tagger  # the same objects: nothing was loaded again


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="Ray is not installed (pip install 'tessera[ray]')")
def test_ray_actors_give_the_knowledge_base_of_the_process_pool(process_export, tmp_path):
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        assert _export(tmp_path / "kb.db", make_engine("ray", workers=2)) == process_export
    finally:
        ray.shutdown()


def test_unknown_engine_names_the_valid_ones():
    with pytest.raises(TesseraError, match="local, process, ray"):
        make_engine("spark")
