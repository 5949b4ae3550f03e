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
from .normalize import to_simplified

Mode = Literal["hybrid", "dense", "lexical"]
MODES = ("hybrid", "dense", "lexical")


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float                  # fused reciprocal-rank score (or the single retriever's)
    dense_rank: int | None        # 1-based rank among dense results, None if not retrieved
    lexical_rank: int | None
    dense_score: float            # cosine similarity of question and the chunk's best sentence
    lexical_score: float          # BM25 score

    def to_json(self) -> dict:
        c = self.chunk
        return {"chunk_id": c.id, "doc_id": c.doc_id, "section": c.section, "start": c.start,
                "end": c.end, "text": c.text, "score": round(self.score, 6),
                "dense_rank": self.dense_rank, "lexical_rank": self.lexical_rank,
                "dense_score": round(self.dense_score, 4),
                "lexical_score": round(self.lexical_score, 4)}


class Retriever:
    def __init__(self, index: Index, embedder: Embedder, config: Config):
        self.index = index
        self.embedder = embedder
        self.config = config

    def embed_query(self, question: str) -> np.ndarray:
        """The question's vector, in the corpus's script: the model places 臨時黨支部 far from
        临时党支部, so a traditional question over simplified reports is embedded simplified
        (a corpus in traditional characters, DRCD's, is asked as written)."""
        if not self.index.traditional:
            question = to_simplified(question)
        return self.embedder.embed_queries([question])[0]

    def sentence_similarity(self, query_vector: np.ndarray, doc_id: str, start: int,
                            end: int) -> float | None:
        """Cosine of the question and an indexed sentence (None if it is not one)."""
        row = self.index.sentence_rows.get((doc_id, start, end))
        return None if row is None else float(self.index.vectors[row] @ query_vector)

    def search(self, question: str, k: int | None = None, mode: Mode = "hybrid",
               query_vector: np.ndarray | None = None,
               documents: set[str] | None = None) -> list[Hit]:
        """The k best chunks; with `documents`, only chunks of those documents."""
        k = k or self.config.top_k
        n = len(self.index.chunks)
        if n == 0:
            return []
        allowed = None if not documents else self.index.chunk_mask(documents)
        depth = min(n, max(50, 4 * k))  # fuse over a deeper list than we return

        dense_scores = np.zeros(n, dtype=np.float32)
        dense_ranks: dict[int, int] = {}
        if mode in ("hybrid", "dense"):
            if query_vector is None:
                query_vector = self.embed_query(question)
            for row, score in self._dense_sentences(query_vector, depth, documents):
                for i in self.index.sentence_chunks[row]:
                    if i not in dense_ranks:
                        dense_ranks[i] = len(dense_ranks) + 1
                        dense_scores[i] = score
                if len(dense_ranks) >= depth:
                    break

        lexical_scores = np.zeros(n, dtype=np.float32)
        lexical_ranks: dict[int, int] = {}
        if mode in ("hybrid", "lexical"):
            lexical_scores = self.index.lexical.scores(question)
            if allowed is not None:
                lexical_scores = np.where(allowed, lexical_scores, 0.0).astype(np.float32)
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

    def _dense_sentences(self, query_vector: np.ndarray, depth: int,
                         documents: set[str] | None):
        """(row, cosine) of the sentences closest to the query, best first: from the vector
        index, or, within some documents, exactly over their sentences."""
        if documents:
            rows = self.index.document_rows(documents)
            scores = self.index.vectors[rows] @ query_vector
            best = np.argsort(-scores, kind="stable")[:4 * depth]
            return [(int(rows[i]), float(scores[i])) for i in best]
        sentence_depth = min(len(self.index.sentences), 4 * depth)
        scores, rows = self.index.dense.search(query_vector[None, :].astype(np.float32),
                                               sentence_depth)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0]) if r >= 0]
