"""Evaluating the engine against a question set: load it, run it, score it.

The question set and its file format: question_set.py.

All matching is done on the *matching form* of a text: `fold()` (traditional → simplified, full →
half width, lower case) and then every whitespace character removed, because the report has
page-break artifacts inside words ("建\\n\\n设序列"). Punctuation is kept.

Metric definitions (A = answerable questions, U = unanswerable ones):
- hit@k, MRR (A only): from the top 5 of `engine.search(question, k=5, mode)`; the answer's own
  `hits` stand in for that search (saving a query embedding) when, on the warm-up question, they
  are exactly the search's top 5 in order (EvalRun.retrieval_source says which). A chunk *contains the evidence*
  when the evidence is a substring of the chunk; if the evidence is longer than the chunk (it
  cannot fit), when their longest common substring holds >= 60% of the evidence. hit_rank is the
  1-based rank of the first such chunk (None beyond 5); hit@k = share with hit_rank <= k;
  MRR = mean of 1/hit_rank (0 when None).
- answer accuracy (all): an answerable question is correct when the engine did not abstain and
  its short answer contains one of `answers` while being no longer than
  max(3 x len(answer), len(answer) + 6) (so "the whole sentence" does not count as an answer);
  an unanswerable question is correct when the engine abstained.
- quote@1 (A only): the top quote's sentence contains the evidence, or the evidence contains the
  sentence and the sentence contains one of `answers` (a correct fragment of a long evidence).
  An abstention counts as a miss: the passages shown then are not offered as an answer.
- char F1 (A only): character-level F1 (multiset overlap) of the short answer against the
  best-matching answer; 0 when abstained.
- EM, F1 (A only): as the CMRC 2018 evaluation script defines them (qa/mrc_metrics.py), the
  figures reading-comprehension benchmarks report; 0 when abstained.
- answerable accuracy: answer accuracy over the answerable questions only.
- wrong rate (all): share of questions answered wrongly, or answered at all when unanswerable:
  the answers a user would be misled by.
- abstention precision / recall: positive class = unanswerable, predicted positive = abstained.
  precision = abstained and unanswerable / abstained; recall = … / unanswerable; None if 0/0.
- latency p50/p95: milliseconds of `engine.ask` per question, after one warm-up question,
  percentiles by linear interpolation between closest ranks (numpy's default).
"""
from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field, fields
from difflib import SequenceMatcher
from typing import Callable, Sequence

from . import mrc_metrics
from .errors import QAError
from .normalize import fold
from .question_set import EvalQuestion
from .retriever import MODES

RETRIEVAL_DEPTH = 5
LONG_EVIDENCE_SHARE = 0.6
_WHITESPACE = re.compile(r"\s+")


# -- metric maths (pure) -----------------------------------------------------------------------

def matching_form(text: str | None) -> str:
    """Folded, with all whitespace removed: the form every comparison here uses."""
    return _WHITESPACE.sub("", fold(text or ""))


def longest_common_substring(a: str, b: str) -> int:
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def contains_evidence(chunk_text: str, evidence: str) -> bool:
    chunk, ev = matching_form(chunk_text), matching_form(evidence)
    if not ev:
        return False
    if ev in chunk:
        return True
    # Evidence longer than a whole chunk can never be inside one: accept most of it.
    return len(ev) > len(chunk) and longest_common_substring(chunk, ev) >= LONG_EVIDENCE_SHARE * len(ev)


def hit_rank(chunk_texts: Sequence[str], evidence: str) -> int | None:
    """1-based rank of the first chunk containing the evidence, None if none does."""
    return next((r for r, text in enumerate(chunk_texts, start=1)
                 if contains_evidence(text, evidence)), None)


def hit_at_k(ranks: Sequence[int | None], k: int) -> float | None:
    return _mean([1.0 if r is not None and r <= k else 0.0 for r in ranks])


def mean_reciprocal_rank(ranks: Sequence[int | None]) -> float | None:
    return _mean([1.0 / r if r else 0.0 for r in ranks])


def short_enough(answer_len: int, expected_len: int) -> bool:
    return answer_len <= max(3 * expected_len, expected_len + 6)


def answer_correct(text: str | None, abstained: bool, answers: Sequence[str]) -> bool:
    if not answers:
        return abstained
    if abstained or not text:
        return False
    got = matching_form(text)
    return any((exp := matching_form(a)) in got and short_enough(len(got), len(exp))
               for a in answers)


def quote_correct(sentence: str | None, evidence: str, answers: Sequence[str]) -> bool:
    quote, ev = matching_form(sentence), matching_form(evidence)
    if not quote or not ev:
        return False
    return ev in quote or (quote in ev and any(matching_form(a) in quote for a in answers))


def char_f1(prediction: str | None, answers: Sequence[str]) -> float:
    """Best character-level F1 of the prediction against any of the answers."""
    got = Counter(matching_form(prediction))
    best = 0.0
    for answer in answers:
        expected = Counter(matching_form(answer))
        common = sum((got & expected).values())
        if common:
            precision, recall = common / sum(got.values()), common / sum(expected.values())
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def abstention_precision_recall(abstained: Sequence[bool],
                                unanswerable: Sequence[bool]) -> tuple[float | None, float | None]:
    both = sum(a and u for a, u in zip(abstained, unanswerable))
    n_abstained, n_unanswerable = sum(abstained), sum(unanswerable)
    return (both / n_abstained if n_abstained else None,
            both / n_unanswerable if n_unanswerable else None)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100), linear between closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


# -- results and metrics -----------------------------------------------------------------------

@dataclass(frozen=True)
class QuestionResult:
    id: str
    question: str
    type: str
    expected: tuple[str, ...]        # the reference answers; () = unanswerable
    evidence: str
    answer: str | None               # None when abstained
    abstained: bool
    confidence: float
    quotes: tuple[str, ...]          # supporting sentences, best first
    chunks: tuple[str, ...]          # retrieved chunk texts, best first (top 5)
    latency_ms: float
    hit_rank: int | None             # None also for unanswerable questions
    correct: bool
    quote_correct: bool | None       # None for unanswerable questions
    char_f1: float | None            # None for unanswerable questions
    quote_sources: tuple[dict, ...] = ()   # where each quote stands: doc_id, section, page, offsets
    em: float | None = None          # CMRC exact match (answerable questions)
    f1: float | None = None          # CMRC F1 (answerable questions)

    @property
    def wrong(self) -> bool:
        """Answered, and not rightly (a wrong span, or any answer to an unanswerable question)."""
        return not self.abstained and not self.correct

    @property
    def answerable(self) -> bool:
        return bool(self.expected)

    def to_json(self, mode: str | None = None) -> dict:
        row = {"id": self.id, "question": self.question, "type": self.type}
        if mode:
            row["retriever"] = mode
        row.update({
            "answer": self.answer, "abstained": self.abstained,
            "confidence": round(self.confidence, 4), "quotes": list(self.quotes),
            "quote_sources": list(self.quote_sources),
            "chunks": list(self.chunks), "expected": list(self.expected),
            "evidence": self.evidence, "correct": self.correct,
            "quote_correct": self.quote_correct, "hit_rank": self.hit_rank,
            "hit_at_1": _hit_flag(self, 1), "hit_at_3": _hit_flag(self, 3),
            "hit_at_5": _hit_flag(self, 5), "char_f1": _round(self.char_f1),
            "em": _round(self.em), "f1": _round(self.f1),
            "latency_ms": round(self.latency_ms, 2)})
        return row


def _hit_flag(result: QuestionResult, k: int) -> bool | None:
    if not result.answerable:
        return None
    return result.hit_rank is not None and result.hit_rank <= k


def score_question(question: EvalQuestion, answer, chunk_texts: Sequence[str],
                   latency_ms: float) -> QuestionResult:
    """Score one `Answer` (from qa.answerer) and the retrieved chunk texts for one question."""
    text = None if answer.abstained else answer.text
    quotes = tuple(q.sentence for q in answer.quotes)
    answerable = question.answerable
    top_quote = quotes[0] if quotes and not answer.abstained else None
    return QuestionResult(
        id=question.id, question=question.question, type=question.type,
        expected=question.answers, evidence=question.evidence, answer=text,
        abstained=answer.abstained, confidence=float(answer.confidence), quotes=quotes,
        chunks=tuple(chunk_texts), latency_ms=latency_ms,
        hit_rank=hit_rank(chunk_texts, question.evidence) if answerable else None,
        correct=answer_correct(text, answer.abstained, question.answers),
        quote_correct=quote_correct(top_quote, question.evidence, question.answers)
        if answerable else None,
        char_f1=char_f1(text, question.answers) if answerable else None,
        em=mrc_metrics.exact_match(text, question.answers) if answerable else None,
        f1=mrc_metrics.f1(text, question.answers) if answerable else None,
        quote_sources=tuple({"doc_id": q.doc_id, "section": q.section, "page": q.page,
                             "start": q.start, "end": q.end} for q in answer.quotes))


@dataclass(frozen=True)
class Metrics:
    n: int
    answer_accuracy: float | None
    answerable_accuracy: float | None
    wrong_rate: float | None
    quote_at_1: float | None
    hit_at_1: float | None
    hit_at_3: float | None
    hit_at_5: float | None
    mrr: float | None
    char_f1: float | None
    em: float | None
    f1: float | None
    abstain_precision: float | None
    abstain_recall: float | None
    latency_ms_p50: float | None
    latency_ms_p95: float | None
    by_type: dict[str, "Metrics"] = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {f.name: _round(getattr(self, f.name)) for f in fields(self) if f.name != "by_type"}
        if self.by_type:
            out["by_type"] = {t: m.to_json() for t, m in self.by_type.items()}
        return out


def compute_metrics(results: Sequence[QuestionResult], by_type: bool = True) -> Metrics:
    answerable = [r for r in results if r.answerable]
    ranks = [r.hit_rank for r in answerable]
    precision, recall = abstention_precision_recall([r.abstained for r in results],
                                                    [not r.answerable for r in results])
    latencies = [r.latency_ms for r in results]
    types = sorted({r.type for r in results}) if by_type else []
    return Metrics(
        n=len(results),
        answer_accuracy=_mean([float(r.correct) for r in results]),
        answerable_accuracy=_mean([float(r.correct) for r in answerable]),
        wrong_rate=_mean([float(r.wrong) for r in results]),
        quote_at_1=_mean([float(r.quote_correct) for r in answerable]),
        hit_at_1=hit_at_k(ranks, 1), hit_at_3=hit_at_k(ranks, 3), hit_at_5=hit_at_k(ranks, 5),
        mrr=mean_reciprocal_rank(ranks),
        char_f1=_mean([r.char_f1 for r in answerable]),
        em=_mean([r.em for r in answerable if r.em is not None]),
        f1=_mean([r.f1 for r in answerable if r.f1 is not None]),
        abstain_precision=precision, abstain_recall=recall,
        latency_ms_p50=percentile(latencies, 50), latency_ms_p95=percentile(latencies, 95),
        by_type={t: compute_metrics([r for r in results if r.type == t], by_type=False)
                 for t in types})


def _round(value):
    return round(value, 4) if isinstance(value, float) else value


# -- running -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class EvalRun:
    mode: str
    metrics: Metrics
    results: tuple[QuestionResult, ...]
    seconds: float                   # wall time of the run, warm-up included
    retrieval_source: str            # "answer.hits" or "search": where hit@k came from


def evaluate(engine, questions: Sequence[EvalQuestion], mode: str = "hybrid",
             progress: Callable[[int], None] | None = None) -> EvalRun:
    """Ask every question through `engine` (a qa.engine.Engine) with one retriever mode."""
    if mode not in MODES:
        raise QAError(f"未知的检索方式 {mode!r}：可选 {', '.join(MODES)}")
    started = time.perf_counter()
    # Warm-up (model load, caches), not timed; it also decides whether answer.hits can stand in
    # for a separate search: only if they are the retriever's own top 5 in order.
    warm = questions[0].question
    warm_answer = engine.ask(warm, mode=mode)
    reuse = _same_chunks(warm_answer.hits[:RETRIEVAL_DEPTH],
                         engine.search(warm, k=RETRIEVAL_DEPTH, mode=mode))
    # Questions asked by an earlier run (another retriever) must not be answered from the cache.
    getattr(engine.embedder, "clear_cache", lambda: None)()
    results = []
    for question in questions:
        t0 = time.perf_counter()
        answer = engine.ask(question.question, previous=question.previous, mode=mode)
        latency_ms = (time.perf_counter() - t0) * 1000
        hits = (answer.hits[:RETRIEVAL_DEPTH] if reuse
                else engine.search(question.question, k=RETRIEVAL_DEPTH, mode=mode))
        results.append(score_question(question, answer, [h.chunk.text for h in hits], latency_ms))
        if progress:
            progress(1)
    return EvalRun(mode, compute_metrics(results), tuple(results),
                   time.perf_counter() - started, "answer.hits" if reuse else "search")


def _same_chunks(a, b) -> bool:
    return len(a) == len(b) == RETRIEVAL_DEPTH and [h.chunk.id for h in a] == [h.chunk.id for h in b]
