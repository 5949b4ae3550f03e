"""Answering a question, in the order the evidence flows:

    analyse (analysis.py) → retrieve (retriever.py) → rank sentences (passages.py)
    → read spans (reader.py) → check (checks.py) → calibrate (calibration.py) → Answer

The answer is the reader's span that no check rules out and that the calibration trusts most;
below the configured confidence the engine abstains and shows the closest sentences, labelled
as not an answer. A yes/no question is answered 是 only where a sentence says so (yesno.py).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from . import checks, language as lang
from .analysis import Question, analyse
from .answer import Answer, Finding, Quote, YES
from .calibration import Evidence, load as load_calibration
from .candidate import Candidate, sentence_of
from .config import Config
from .index import Index
from .normalize import fold
from .passages import SentenceEvidence, key_weights, rank_sentences, windows
from .reader import Reader, Reading, Span
from .respectively import paired_figure
from .retriever import Mode, Retriever
from .span_edges import tidy
from .yesno import confirm

SPANS_READ = 8        # candidates taken from the reader
CLOSEST_SHOWN = 3     # sentences shown when abstaining
NEARLY_AS_TRUSTED = 0.9   # a longer name around the best span wins at this share of its trust
HALF_AS_TRUSTED = 0.5     # … at this share when what it adds is the kind of thing asked


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    evidence: Evidence
    confidence: float
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Considered:
    """Everything the answer is chosen from: the parsed question, the retrieved passages,
    the ranked sentences and the scored candidates (eval/calibrate.py fits on these)."""
    question: Question
    hits: tuple
    sentences: list[SentenceEvidence]
    scored: list[Scored]


def consider(text: str, retriever: Retriever, reader: Reader, config: Config,
             previous: str | None = None, mode: Mode = "hybrid") -> Considered:
    """Analyse, retrieve, rank sentences, read and score: every step but the choice."""
    index = retriever.index
    question = analyse(text, previous, index.place_names, index.says)
    if question.english and mode == "hybrid":
        mode = "dense"  # English words never match the report's: BM25 would only add noise
    query_vector = retriever.embed_query(question.content_text) if mode != "lexical" else None
    documents = index.documents_about(question.places, question.years) or None
    hits = retriever.search(question.search_text, k=config.top_k, mode=mode,
                            query_vector=query_vector, documents=documents)
    sentences = rank_sentences(question, hits, index, query_vector)
    scored: list[Scored] = []
    if sentences and question.keys and question.kind != lang.YESNO:
        passages = windows(sentences[:config.read_sentences], index)
        reading = reader.read([question.reader_text_for(p.text) for p in passages], passages,
                              top_k=SPANS_READ)
        scored = _score(question, reading, sentences, index)
    return Considered(question, tuple(hits), sentences, scored)


def answer_question(text: str, retriever: Retriever, reader: Reader, config: Config,
                    previous: str | None = None, mode: Mode = "hybrid") -> Answer:
    index = retriever.index
    seen = consider(text, retriever, reader, config, previous, mode)
    question, sentences = seen.question, seen.sentences

    def abstain(confidence: float, findings: tuple[Finding, ...] = (), evidence=None) -> Answer:
        return Answer(text, None, confidence, True, _closest(sentences, index), seen.hits,
                      question.kind, question.search_text, findings,
                      evidence.to_json() if evidence else {})

    if not sentences or not question.keys:
        return abstain(0.0)
    if question.kind == lang.YESNO:
        return _yes_or_no(question, sentences, index, seen.hits, abstain)
    threshold = config.answer_min_confidence_english if question.english \
        else config.answer_min_confidence
    best = choose(seen.scored, question.kind, question.which)
    if best is None or best.confidence < threshold:
        top = max(seen.scored, key=lambda s: s.confidence, default=None)
        # Say why the most likely span was ruled out, when it was.
        blocked = top.findings if top is not None and top.findings else ()
        confidence = best.confidence if best else (top.confidence if top else 0.0)
        return abstain(min(confidence, threshold * 0.99) if blocked else confidence, blocked,
                       best.evidence if best else None)
    return Answer(text, _short_answer(question, best.candidate, index), best.confidence, False,
                  _quotes(best, seen.scored, index), seen.hits, question.kind,
                  question.search_text, (), best.evidence.to_json())


def choose(scored: list[Scored], kind: str = lang.OTHER,
           which: tuple[str, ...] = ()) -> Scored | None:
    """The candidate no check rules out that the calibration trusts most. A name the reader
    cut short (水发集团 in 河北水发集团) gives way to the candidate around it when that one is
    trusted nearly as much; a figure does not (1343个 is the answer, not 1343个52.54万户).
    Where what the longer one adds is the kind of thing asked (哪个机场: 邢台褡裢 → 邢台褡裢机场),
    it is the same reading, completed, and keeps its trust."""
    allowed = [s for s in scored if not s.findings]
    best = max(allowed, key=lambda s: s.confidence, default=None)
    if best is None or kind in lang.FIGURE_KINDS:
        return best
    around = [s for s in allowed if _contains(s.candidate, best.candidate)]
    completed = [s for s in around if _completes(s.candidate, best.candidate, which)
                 and s.confidence >= HALF_AS_TRUSTED * best.confidence]
    if completed:
        return replace(max(completed, key=lambda s: s.confidence), confidence=best.confidence)
    around = [s for s in around if s.confidence >= NEARLY_AS_TRUSTED * best.confidence]
    return max(around, key=lambda s: s.confidence, default=best)


def _completes(outer: Candidate, inner: Candidate, which: tuple[str, ...]) -> bool:
    """Whether `outer` is `inner` followed by the kind of thing the question asks for (two
    characters at least: 村 of 哪个村落 is half a word)."""
    added = outer.text[len(inner.text):] if outer.text.startswith(inner.text) else ""
    return len(added) >= 2 and added in which


def _contains(outer: Candidate, inner: Candidate) -> bool:
    return outer.doc_id == inner.doc_id and outer.span.start <= inner.span.start \
        and inner.span.end <= outer.span.end and outer.text != inner.text


def _score(question: Question, reading: Reading, sentences: list[SentenceEvidence],
           index: Index) -> list[Scored]:
    calibration = load_calibration()
    weights = key_weights(question.keys, index)
    top_dense = max((s.dense for s in sentences), default=0.0)
    out = []
    asked = fold(question.focus)
    # Spans as answers: edges tidied, a 分别 list resolved.
    spans = [_as_answer(s, asked, question, index.document_text(s.doc_id))
             for s in reading.spans]
    candidates = []
    for rank, span in enumerate(spans, start=1):
        sentence = sentence_of(span.start, span.doc_id, sentences, index)
        if sentence is not None:
            candidate = Candidate(span, sentence, rank)
            candidates.append((candidate, tuple(checks.findings(question, candidate, index))))
    said = _answer_probabilities(candidates)
    for candidate, found in candidates:
        span, sentence = candidate.span, candidate.sentence
        probability = span.probability if found else said[span.text]
        evidence = Evidence(
            reader=probability, no_answer=span.no_answer,
            lead=probability - _strongest_rival(candidate, candidates, said),
            coverage=sentence.coverage,
            missing=_missing(weights, index,
                             index.document_text(span.doc_id)[sentence.start:sentence.end]
                             + sentence.section),
            closeness=max(0.0, 1.0 - (top_dense - sentence.dense) / 0.08),
            kind=_kind_said(question, span.text), length=min(1.0, len(span.text) / 40))
        out.append(Scored(candidate, evidence, calibration.confidence(evidence), found))
    return out


def _answer_probabilities(candidates: list[tuple[Candidate, tuple]]) -> dict[str, float]:
    """How probable the reader finds each answer that no check rules out: the sum over the
    spans that give it (the same figure read in two windows, or twice in one window), at most 1.
    Only a different answer competes (lead), and a figure of another year is no rival."""
    said: dict[str, float] = {}
    for candidate, found in candidates:
        if not found:
            said[candidate.text] = min(1.0, said.get(candidate.text, 0.0)
                                       + candidate.span.probability)
    return said


def _strongest_rival(candidate: Candidate, candidates: list[tuple[Candidate, tuple]],
                     said: dict[str, float]) -> float:
    """The most probable other answer no check rules out, read elsewhere (a longer cut of the
    same characters, 2个 against 2个、游园35个, is the same reading, not a rival). The reader's
    probabilities are per window, so a rival counts in proportion to how much of the question
    its sentence says next to this one's: a figure in a sentence about something else, in
    another report, is a weak rival."""
    own = max(candidate.sentence.coverage, 1e-6)
    return max((said[other.text] * min(1.0, other.sentence.coverage / own)
                for other, found in candidates
                if not found and other.text != candidate.text
                and not _overlaps(other.span, candidate.span)), default=0.0)


def _overlaps(a: Span, b: Span) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def _as_answer(span: Span, asked: str, question: Question, document: str) -> Span:
    return paired_figure(tidy(span, asked, document, question.unit, question.kind,
                              question.kind_named), asked, document)


def _missing(weights: dict[str, float], index: Index, text: str) -> float:
    """The rarest question word (two characters or more) that the corpus has and the sentence
    lacks, by its weight relative to the rarest word of the question. A word counts as lacking
    only when one of its characters is absent too: a pair that spans two words (值预 of
    总值预期) is not in the sentence as a pair, yet nothing asked is missing; 支出 asked of a
    sentence about 收入 is. (A word the corpus never has may be a paraphrase: the reader and
    the closeness judge those. A pair with a particle, 增了, is two words' edges, not a word.)"""
    longer = {k: w for k, w in weights.items()
              if len(k) > 1 and not set(k) & lang.GLUE_CHARS
              and index.lexical.document_frequency(k) > 0}
    if not longer:
        return 0.0
    folded = fold(text)
    lacking = [w for k, w in longer.items()
               if k not in folded and not all(ch in folded for ch in k)]
    return max(lacking, default=0.0) / max(longer.values())


def _kind_said(question: Question, span: str) -> float:
    """1 when the span has the form the question asks (a figure for 多少, a year for 哪一年),
    0.5 when the question asks no particular form."""
    if question.kind in (lang.NUMBER, lang.RANK):
        return 1.0 if lang.NUMERAL.search(span) else 0.0
    if question.kind == lang.DATE:
        return 1.0 if lang.DATE_GIVEN.search(span) else 0.0
    return 0.5


def _short_answer(question: Question, candidate: Candidate, index: Index) -> str:
    if question.options:  # 深交所还是上交所: the option the sentence names
        sentence = index.document_text(candidate.doc_id)[candidate.sentence.start:
                                                        candidate.sentence.end]
        named = [o for o in question.options if o in sentence]
        if len(named) == 1:
            return named[0]
    return candidate.text


def _quote(index: Index, doc_id: str, start: int, end: int, highlight: tuple[int, int]) -> Quote:
    text = index.document_text(doc_id)
    info = index.info.get(doc_id)
    return Quote(doc_id, index.section_title(doc_id, start), start, end, text[start:end],
                 highlight[0], highlight[1], index.page_at(doc_id, start),
                 info.title if info else doc_id)


def _quotes(best: Scored, scored: list[Scored], index: Index) -> tuple[Quote, ...]:
    """The best span's sentence, then up to two other sentences giving the same answer."""
    c = best.candidate
    quotes = [_quote(index, c.doc_id, c.sentence.start, c.sentence.end,
                     (c.span.start, c.span.end))]
    seen = {(c.doc_id, c.sentence.start)}
    for other in sorted(scored, key=lambda s: -s.confidence):
        o = other.candidate
        if o.text == c.text and not other.findings and (o.doc_id, o.sentence.start) not in seen \
                and other.confidence >= 0.8 * best.confidence and len(quotes) < 3:
            seen.add((o.doc_id, o.sentence.start))
            quotes.append(_quote(index, o.doc_id, o.sentence.start, o.sentence.end,
                                 (o.span.start, o.span.end)))
    return tuple(quotes)


def _closest(sentences: list[SentenceEvidence], index: Index) -> tuple[Quote, ...]:
    """When abstaining: the closest sentences, without a highlight (not an answer)."""
    return tuple(_quote(index, s.doc_id, s.start, s.end, (s.start, s.start))
                 for s in sentences[:CLOSEST_SHOWN])


def _yes_or_no(question: Question, sentences, index: Index, hits, abstain) -> Answer:
    confirmation = confirm(question, sentences, index)
    if confirmation is None:
        return abstain(0.3, (Finding("yesno", "原文没有直接说到所问的事（没有说到不等于否定）"),))
    s = confirmation.sentence
    confidence = min(1.0, 0.5 + 0.5 * confirmation.said * max(s.coverage, 0.5))
    quote = _quote(index, s.doc_id, s.start, s.end, (confirmation.start, confirmation.end))
    return Answer(question.text, YES, confidence, False, (quote,), tuple(hits), question.kind,
                  question.search_text, (), {"said": round(confirmation.said, 4)})

