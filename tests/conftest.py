"""Shared fixtures. Tests never touch the user's real index or model cache."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from qa.config import Config
from qa.normalize import fold

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
REPORT = next(CORPUS.glob("*.txt"))
QUESTIONS = ROOT / "eval" / "questions.jsonl"


class FakeEmbedder:
    """Deterministic stand-in for the real model: hashed character + bigram counts, normalised.
    Similar strings get similar vectors, which is all the unit tests need."""

    model_id = "test/fake-char-hash"
    dimension = 256

    def __init__(self):
        self.embedded: list[str] = []  # every document text embedded, to test reuse

    def _vector(self, text: str) -> np.ndarray:
        text = fold(text)
        v = np.zeros(self.dimension, dtype=np.float32)
        for gram in list(text) + [text[i:i + 2] for i in range(len(text) - 1)]:
            v[hash_gram(gram) % self.dimension] += 1.0
        norm = np.linalg.norm(v)
        return v / norm if norm else v

    def embed_documents(self, texts, batch_size=32, progress=None):
        self.embedded.extend(texts)
        out = np.stack([self._vector(t) for t in texts]) if len(texts) else np.zeros((0, 256), np.float32)
        if progress:
            progress(len(texts))
        return out

    def embed_queries(self, texts):
        return np.stack([self._vector(t) for t in texts])


def hash_gram(gram: str) -> int:
    # Python's hash() is salted per process; this is stable.
    h = 2166136261
    for byte in gram.encode("utf-8"):
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path, monkeypatch):
    """Point every QA_* path at a temporary directory."""
    for name in ("QA_CORPUS_DIR", "QA_INDEX_DIR", "QA_MODEL", "QA_CACHE_DIR", "QA_FEEDBACK_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("QA_FEEDBACK_PATH", str(tmp_path / "feedback.jsonl"))


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    """A copy of the project's corpus that a test may change."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def fake_config(tmp_path, corpus_dir) -> Config:
    return Config(corpus_dir=corpus_dir, index_dir=tmp_path / "index", cache_dir=tmp_path / "cache")


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


# -- Real model, shared per session (integration tests) -------------------------------------------
# Converting the default model takes ~15-30 s and building the index a few more, so both happen
# once per session in a temporary directory (never the user's cache or index).

@pytest.fixture(scope="session")
def real_cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("real-model-cache")


@pytest.fixture(scope="session")
def real_config(tmp_path_factory, real_cache_dir) -> Config:
    root = tmp_path_factory.mktemp("real-index")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    return Config(corpus_dir=corpus, index_dir=root / "index", cache_dir=real_cache_dir)


@pytest.fixture(scope="session")
def real_engine(real_config):
    """An engine with the real default model and an index built from the project's corpus."""
    from qa.engine import Engine

    return Engine.open(real_config, log=lambda message: None, build_if_needed=True)
