"""A candidate answer: a span the reader found, in the sentence that holds it.

The checks rule candidates out, the calibration turns their evidence into a confidence, and the
best one that is left becomes the answer.
"""
from __future__ import annotations

from dataclasses import dataclass

from .index import Index
from .passages import SentenceEvidence
from .reader import Span


@dataclass(frozen=True)
class Candidate:
    span: Span                   # the reader's span (absolute offsets in its document)
    sentence: SentenceEvidence   # the sentence that holds the span
    rank: int                    # 1 = the reader's most probable span

    @property
    def doc_id(self) -> str:
        return self.span.doc_id

    @property
    def text(self) -> str:
        return self.span.text


def sentence_of(span_start: int, doc_id: str, evidence: list[SentenceEvidence],
                index: Index) -> SentenceEvidence | None:
    """The ranked sentence of `doc_id` that holds `span_start` (a window's first sentence
    may not be among the ranked ones: then it is found in the index and ranked last)."""
    for sentence in evidence:
        if sentence.doc_id == doc_id and sentence.start <= span_start < sentence.end:
            return sentence
    row = index.sentence_row_at(doc_id, span_start)
    if row is None:
        return None
    s = index.sentences[row]
    return SentenceEvidence(row, doc_id, s.start, s.end, index.section_title(doc_id, s.start),
                            0.0, 0.0, 99, 0.0)
