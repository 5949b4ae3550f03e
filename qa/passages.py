"""From retrieved chunks to what the reader reads: the sentences most likely to answer, each in
a short window with the sentence before it.

Reading every retrieved chunk whole would cost the reader several times more for little gain:
the answer's sentence is nearly always among the few that share the question's rarer words or
come closest to it in meaning. Sentences are ranked by both (the sentence vectors are in the
index already), and by the rank of the chunk they came from.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .analysis import Question
from .index import Index
from .normalize import fold
from .reader import Passage
from .retriever import Hit

WINDOW_MAX_CHARS = 220     # a window: the sentence, and the one before it if it fits
DENSE_MARGIN = 0.08        # e5 cosines crowd together: this far below the best is already far


@dataclass(frozen=True)
class SentenceEvidence:
    row: int            # the sentence's row in the index
    doc_id: str
    start: int
    end: int
    section: str
    dense: float        # cosine of the question and the sentence
    coverage: float     # share of the question's words (rarer ones weigh more) the sentence or
                        # its section title says
    chunk_rank: int     # rank of the best retrieved chunk that holds it
    score: float        # what they are ranked by


def key_weights(keys: dict[str, float], index: Index) -> dict[str, float]:
    """A question's words, each weighted by how rare it is among the indexed chunks."""
    n = max(index.lexical.size, 1)
    return {k: w * math.log(1 + n / (index.lexical.document_frequency(k) + 0.5))
            for k, w in keys.items()}


def coverage(weights: dict[str, float], text: str) -> float:
    total = sum(weights.values())
    if not total:
        return 0.0
    folded = fold(text)
    return sum(w for k, w in weights.items() if k in folded) / total


def rank_sentences(question: Question, hits: list[Hit], index: Index,
                   query_vector: np.ndarray | None) -> list[SentenceEvidence]:
    """The sentences of the retrieved chunks, best first."""
    weights = key_weights(question.keys, index)
    rows: dict[int, int] = {}
    for rank, hit in enumerate(hits, start=1):
        for row in index.chunk_sentences(hit.chunk):
            rows.setdefault(row, rank)
    if not rows:
        return []
    order = list(rows)
    if query_vector is not None:
        cosines = index.vectors[order] @ query_vector
    else:
        cosines = np.zeros(len(order), dtype=np.float32)
    top = float(cosines.max()) if len(order) else 0.0
    out = []
    for row, cosine in zip(order, cosines):
        sentence = index.sentences[row]
        section = index.section_title(sentence.doc_id, sentence.start)
        said = coverage(weights, section + " " + sentence.text)
        closeness = max(0.0, 1.0 - (top - float(cosine)) / DENSE_MARGIN) \
            if query_vector is not None else 0.0
        score = 0.5 * said + 0.5 * closeness + 0.1 / rows[row]
        out.append(SentenceEvidence(row, sentence.doc_id, sentence.start, sentence.end, section,
                                    float(cosine), said, rows[row], score))
    return sorted(out, key=lambda s: -s.score)


def windows(sentences: list[SentenceEvidence], index: Index) -> list[Passage]:
    """One passage per sentence: the sentence with the one before it when both fit in
    WINDOW_MAX_CHARS; a window already covered by another is not read twice."""
    out: list[Passage] = []
    covered: set[tuple[str, int]] = set()
    for evidence in sentences:
        if (evidence.doc_id, evidence.start) in covered:
            continue
        text = index.document_text(evidence.doc_id)
        start = evidence.start
        before = index.previous_sentence(evidence.row)
        if before is not None and evidence.end - before.start <= WINDOW_MAX_CHARS:
            start = before.start
            covered.add((evidence.doc_id, before.start))
        out.append(Passage(evidence.doc_id, start, text[start:evidence.end]))
        covered.add((evidence.doc_id, evidence.start))
    return out
