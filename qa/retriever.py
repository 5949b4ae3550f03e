"""Hybrid retrieval: dense (FAISS inner product) and BM25 ranks fused by reciprocal rank.

Each hit keeps its fused score and its rank (and raw score) in each retriever, so callers can
show which retriever found a passage and the evaluation can compare them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .chunking import Chunk
from .config import Config
from .embedding import Embedder
from .index import Index

Mode = Literal["hybrid", "dense", "lexical"]
MODES = ("hybrid", "dense", "lexical")


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float                  # fused reciprocal-rank score (or the single retriever's)
    dense_rank: int | None        # 1-based rank among dense results, None if not retrieved
    lexical_rank: int | None
    dense_score: float            # cosine similarity of question and chunk
    lexical_score: float          # BM25 score


class Retriever:
    def __init__(self, index: Index, embedder: Embedder, config: Config):
        self.index = index
        self.embedder = embedder
        self.config = config

    def search(self, question: str, k: int | None = None, mode: Mode = "hybrid",
               query_vector: np.ndarray | None = None) -> list[Hit]:
        k = k or self.config.top_k
        n = len(self.index.chunks)
        if n == 0:
            return []
        depth = min(n, max(50, 4 * k))  # fuse over a deeper list than we return

        dense_scores = np.zeros(n, dtype=np.float32)
        dense_ranks: dict[int, int] = {}
        if mode in ("hybrid", "dense"):
            if query_vector is None:
                query_vector = self.embedder.embed_queries([question])[0]
            scores, ids = self.index.dense.search(query_vector[None, :].astype(np.float32), depth)
            for rank, (i, s) in enumerate(zip(ids[0], scores[0]), start=1):
                if i >= 0:
                    dense_ranks[int(i)] = rank
                    dense_scores[i] = s

        lexical_scores = np.zeros(n, dtype=np.float32)
        lexical_ranks: dict[int, int] = {}
        if mode in ("hybrid", "lexical"):
            lexical_scores = self.index.lexical.scores(question)
            top = np.argsort(-lexical_scores, kind="stable")[:depth]
            lexical_ranks = {int(i): r for r, i in enumerate(top, start=1) if lexical_scores[i] > 0}

        c = self.config.rrf_k
        fused: dict[int, float] = {}
        weights = {"dense": self.config.dense_weight if mode != "lexical" else 0.0,
                   "lexical": self.config.lexical_weight if mode != "dense" else 0.0}
        for ranks, weight in ((dense_ranks, weights["dense"]), (lexical_ranks, weights["lexical"])):
            for i, rank in ranks.items():
                fused[i] = fused.get(i, 0.0) + weight / (c + rank)
        order = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        return [Hit(self.index.chunks[i], fused[i], dense_ranks.get(i), lexical_ranks.get(i),
                    float(dense_scores[i]), float(lexical_scores[i])) for i in order]
