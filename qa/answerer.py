"""Extractive answers: the clause of the report that answers the question, and the span in it.

(Skeleton: records are final; the scoring is being written.)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .retriever import Hit

NOT_FOUND = "报告中没有找到这个问题的答案。"


@dataclass(frozen=True)
class Quote:
    doc_id: str
    section: str
    start: int             # the supporting sentence, as offsets into the cleaned document text
    end: int
    sentence: str          # == document text[start:end]
    highlight_start: int   # the answer span, also absolute offsets (start <= h_start <= h_end <= end)
    highlight_end: int

    def parts(self) -> tuple[str, str, str]:
        """(before, highlighted, after) pieces of the sentence, for display."""
        a, b = self.highlight_start - self.start, self.highlight_end - self.start
        return self.sentence[:a], self.sentence[a:b], self.sentence[b:]

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "section": self.section, "start": self.start,
                "end": self.end, "sentence": self.sentence,
                "highlight_start": self.highlight_start, "highlight_end": self.highlight_end,
                "highlight": self.sentence[self.highlight_start - self.start:
                                           self.highlight_end - self.start]}


@dataclass(frozen=True)
class Answer:
    question: str
    text: str | None                 # the short answer; None when abstained
    confidence: float                # 0..1
    abstained: bool
    quotes: tuple[Quote, ...]        # supporting sentences, best first; when abstained: the
                                     # closest passages (not an answer), without highlight
    hits: tuple[Hit, ...] = field(default=())   # the passages considered, best first
    expected_type: str = ""          # what kind of answer the question asks for
    features: "Features | None" = None   # what the confidence was computed from

    @property
    def message(self) -> str:
        return NOT_FOUND if self.abstained else (self.text or "")

    def to_json(self) -> dict:
        return {
            "question": self.question, "answer": None if self.abstained else self.text,
            "abstained": self.abstained, "message": self.message,
            "confidence": round(self.confidence, 4), "expected_type": self.expected_type,
            "quotes": [q.to_json() for q in self.quotes],
            "passages": [{"chunk_id": h.chunk.id, "doc_id": h.chunk.doc_id,
                          "section": h.chunk.section, "start": h.chunk.start, "end": h.chunk.end,
                          "text": h.chunk.text, "score": round(h.score, 6),
                          "dense_rank": h.dense_rank, "lexical_rank": h.lexical_rank,
                          "dense_score": round(h.dense_score, 4),
                          "lexical_score": round(h.lexical_score, 4)} for h in self.hits],
        }


# ---------------------------------------------------------------- answering

import math
import re
from collections import Counter

from .answer_types import (QUOTED_SPAN, DATE, LIST, NUMBER, ORG, OTHER, PERSON, PLACE, RANK, TERM, Expectation,
                           expected_answer, find_spans, number_unit)
from .chunking import sentence_spans
from .config import Config
from .normalize import fold, is_cjk
from .retriever import Mode, Retriever

DENSE_WEIGHT = 0.4
DENSE_MARGIN = 0.06   # e5 cosines crowd together: 0.06 below the best is already far
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_INTERROGATIVE = set("多少几哪谁什么吗呢怎样何啥")
_FUNCTION_CHARS = set("的了在是为和与及对把将被从于等并也都还")
_FOLLOWUP_LEAD = re.compile(r"^(?:那么|那|还有|另外|而|又|再问一下)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年)")
# Places a question may name that a report about one zone would not cover.
_PLACE_NAMES = ("北京 上海 天津 重庆 广州 深圳 杭州 南京 武汉 成都 西安 长沙 合肥 济南 青岛 沈阳 "
                "大连 厦门 福州 昆明 贵阳 南宁 哈尔滨 长春 石家庄 太原 兰州 西宁 银川 乌鲁木齐 "
                "拉萨 海口 南昌 洛阳 新乡 开封 许昌 张江 中关村 东湖 苏州 无锡 宁波 珠海 佛山 东莞").split()
# The two characters before such a suffix name the zone (西安高新区, 东湖高新区).
_ENTITY_SUFFIX = re.compile(r"([\u4e00-\u9fff]{2})(?=(?:国家)?(?:高新区|开发区|经开区|自贸区|新区|园区))")


@dataclass(frozen=True)
class _Candidate:
    hit_rank: int
    hit: Hit
    sentence: tuple[int, int]      # absolute offsets in the document
    window: tuple[int, int]        # the clause and the one before it
    clause: tuple[int, int]
    score: float
    lexical: float
    span: tuple[int, int] | None   # absolute offsets of the answer span
    typed: float                   # 1 when a span of the expected kind (and unit) was found
    dense: float                   # cosine of the question and the sentence


def answer_question(question: str, retriever: Retriever, config: Config,
                    previous: str | None = None, mode: Mode = "hybrid") -> Answer:
    focus, context = _resolve_followup(question, previous)
    expectation = expected_answer(fold(focus if _asks(focus) or not context else context))
    query = focus if not context else f"{focus} {context}"
    query_vector = retriever.embed_query(query) if mode != "lexical" else None
    hits = retriever.search(query, k=max(config.top_k, 5), mode=mode, query_vector=query_vector)
    if not hits:
        return Answer(question, None, 0.0, True, (), (), expectation.kind)

    keys = _keys(focus, 1.0)
    for key, weight in _keys(context, 0.5).items():
        keys.setdefault(key, weight)
    similarity = None
    if query_vector is not None:
        def similarity(doc_id, start, end):
            return retriever.sentence_similarity(query_vector, doc_id, start, end)
    candidates = _candidates(hits, keys, expectation, _head_noun(fold(focus)), similarity)
    if expectation.unit_explicit:
        # 多少吨 asks for tonnes: a sentence with only 座 and 个 cannot answer it.
        candidates = [c for c in candidates if c.typed >= 1.0]
    best = max(candidates, key=lambda c: c.score) if candidates else None
    features = _features(keys, best, candidates, retriever) if best else None
    confidence = _confidence(features)
    problem = _contradiction(focus + (context or ""), best, retriever) if best else "no candidate"
    if best is None or best.span is None or problem or confidence < config.answer_min_confidence:
        return Answer(question, None, min(confidence, 0.3) if problem else confidence, True,
                      tuple(_closest_passages(hits)), tuple(hits), expectation.kind, features)

    text = best.hit.chunk.text
    offset = best.hit.chunk.start
    a, b = best.span
    quote = Quote(best.hit.chunk.doc_id, best.hit.chunk.section, best.sentence[0], best.sentence[1],
                  text[best.sentence[0] - offset:best.sentence[1] - offset], a, b)
    return Answer(question, text[a - offset:b - offset], confidence, False,
                  (quote,) + tuple(_more_quotes(candidates, best)), tuple(hits), expectation.kind,
                  features)


# -- the question


def _asks(question: str) -> bool:
    return any(ch in _INTERROGATIVE for ch in question) or expected_answer(question).kind != OTHER


def _resolve_followup(question: str, previous: str | None) -> tuple[str, str | None]:
    """(what is asked now, earlier question for context). 那授权量呢？ after 专利申请量是多少？
    keeps 授权量 as the focus and borrows 专利 and 多少 from the question before."""
    if not previous:
        return question, None
    bare = _FOLLOWUP_LEAD.sub("", question).rstrip("?？。!！ ")
    elliptical = (bare != question.rstrip("?？。!！ ") or bare.endswith("呢")
                  or (len(bare) <= 8 and not _asks(bare)))
    if not elliptical:
        return question, None
    return bare.removesuffix("呢"), previous


def _keys(text: str | None, weight: float) -> dict[str, float]:
    """Content keys of a question: CJK bigrams without interrogatives, and whole numbers/words."""
    if not text:
        return {}
    folded = fold(text)
    keys: dict[str, float] = {}
    for i in range(len(folded) - 1):
        gram = folded[i:i + 2]
        if all(is_cjk(ch) for ch in gram) and not (set(gram) & _INTERROGATIVE):
            if not set(gram) <= _FUNCTION_CHARS:
                keys[gram] = weight
    for token in re.findall(r"[0-9a-z]+(?:\.[0-9]+)?%?", folded):
        keys[token] = weight
    # A single content character matters when it is the whole term (厕, 税).
    for ch in folded:
        if is_cjk(ch) and ch not in _INTERROGATIVE and ch not in _FUNCTION_CHARS:
            keys.setdefault(ch, weight * 0.25)
    return keys


# -- candidates


def _candidates(hits: list[Hit], keys: dict[str, float], expectation: Expectation,
                head: str | None, similarity=None) -> list[_Candidate]:
    sentences = []
    seen = set()
    for rank, hit in enumerate(hits, start=1):
        chunk = hit.chunk
        for span in sentence_spans(chunk.text):
            absolute = (chunk.doc_id, chunk.start + span.start, chunk.start + span.end)
            if absolute not in seen:
                seen.add(absolute)
                sentences.append((rank, hit, span.start, span.end))
    # Keys found in many candidate sentences say little: weight by inverse frequency.
    folded = {id(s): fold(s[1].chunk.text[s[2]:s[3]]) for s in sentences}
    df = Counter(k for s in sentences for k in keys if k in folded[id(s)])
    n = len(sentences)
    weights = {k: w * math.log(1 + (n + 1) / (df[k] + 0.5)) for k, w in keys.items()}
    total = sum(weights.values()) or 1.0

    def coverage(text: str) -> float:
        return sum(w for k, w in weights.items() if k in text) / total

    # How close each sentence is in meaning, relative to the closest: this finds the sentence a
    # paraphrase means when it shares few words with it (新厕所 / 公厕).
    dense = {}
    for rank, hit, s0, s1 in sentences:
        sim = similarity(hit.chunk.doc_id, hit.chunk.start + s0, hit.chunk.start + s1) \
            if similarity else None
        dense[id(hit), s0] = hit.dense_score if sim is None else sim
    top_dense = max(dense.values(), default=0.0)

    out = []
    top_score = hits[0].score or 1.0
    for rank, hit, s0, s1 in sentences:
        text = hit.chunk.text
        sentence_text = fold(text[s0:s1])
        sentence_cov = coverage(sentence_text)
        closeness = max(0.0, 1.0 - (top_dense - dense[id(hit), s0]) / DENSE_MARGIN)
        clauses = _clauses(text, s0, s1)
        for i, (c0, c1) in enumerate(clauses):
            w0 = clauses[i - 1][0] if i else c0
            clause_cov = coverage(fold(text[c0:c1]))
            window_cov = coverage(fold(text[w0:c1]))
            # The question's words may sit in the clause before the answer (在…排名中,位列…第45位).
            lexical = 0.45 * window_cov + 0.25 * clause_cov + 0.30 * sentence_cov
            span, typed = _answer_span(text, (c0, c1), (w0, c1), expectation, weights, head)
            prior = hit.score / top_score
            score = lexical + 0.35 * typed + 0.10 * prior + DENSE_WEIGHT * closeness
            offset = hit.chunk.start
            out.append(_Candidate(rank, hit, (offset + s0, offset + s1), (offset + w0, offset + c1),
                                  (offset + c0, offset + c1), score, lexical,
                                  None if span is None else (offset + span[0], offset + span[1]),
                                  typed, dense[id(hit), s0]))
    return out


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    clauses, cursor = [], start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        clauses.append((cursor, match.start()))
        cursor = match.end()
    clauses.append((cursor, end))
    return [(a, b) for a, b in clauses if b > a] or [(start, end)]


# -- the answer span


def _answer_span(text: str, clause, window, expectation: Expectation,
                 weights: dict[str, float], head: str | None) -> tuple[tuple[int, int] | None, float]:
    """The best span of the expected kind in the clause (else its window, else the sentence),
    and how well it fits (1 = right kind and unit, 0.5 = right kind, wrong unit, 0 = none)."""
    kind = expectation.kind
    if head and kind in (TERM, ORG, PLACE, LIST, OTHER):
        found = _modifier_of_head(text, clause, head, weights)
        if found is not None and _tidy(text, found[0]) is not None:
            # The more of the head noun the clause has, the surer (便民服务模式 over 新模式).
            return _tidy(text, found[0]), 0.5 + 0.5 * found[1] / len(head)
    if kind != OTHER:
        for area in (clause, window):
            found = [(area[0] + a, area[0] + b) for a, b in find_spans(kind, text[area[0]:area[1]])]
            found = [s for s in found if _novel(text, s, weights)]
            if found:
                span, fit = _best_typed(text, found, expectation, weights, area)
                # A quoted term anywhere is weak evidence when the question names what it is.
                return _tidy(text, span), fit if not (head and kind == TERM) else 0.5
    span = _novel_segment(text, clause, weights)
    span = _tidy(text, span) if span is not None else None
    # Names, terms and lists are often unmarked: the words the question does not repeat.
    loose = kind in (OTHER, TERM, LIST, ORG, PLACE)
    return span, 0.5 if loose and span is not None else 0.0


_HEAD_AFTER = re.compile(r"(?:什么样的?|什么|哪(?:[一二两三四五六七八九十几]|\d)*(?:个|家|种|类|位|项|所|座)?|何种)"
                         r"([\u4e00-\u9fff]{1,6})")
_HEAD_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,6})(?:叫什么|是什么|的名字|的名称|指的是)")
_STOP_BACK = set("，,；;。：:！？!?\n")


def _head_noun(question: str) -> str | None:
    """The noun the asked-for thing is (什么峰会 → 峰会, 服务模式叫什么 → 服务模式)."""
    match = _HEAD_AFTER.search(question) or _HEAD_BEFORE.search(question)
    if not match:
        return None
    head = match.group(1)
    return head if not (set(head[:1]) & _FUNCTION_CHARS) else head[1:] or None


def _modifier_of_head(text: str, clause, head: str, weights) -> tuple[int, int] | None:
    """In 举办2020年数智治理领航者峰会, the words before the head noun 峰会 up to what the
    question already says: the name asked for. Lists joined by 、 stay whole."""
    a, b = clause
    piece = fold(text[a:b])
    # The longest part of the head that the clause has (成绩通过验收 → 成绩).
    for size in range(len(head), 1, -1):
        parts = {head[:size], head[-size:]}
        ends = sorted({m.start() for part in parts for m in re.finditer(re.escape(part), piece)},
                      reverse=True)
        for at in ends:
            span = _name_before(piece, at, at + size, weights)
            # 除了冷链…专班，还成立了什么专班: the occurrence the question names is not the answer.
            if span is not None and _novel(text, (a + span[0], a + span[1]), weights):
                return (a + span[0], a + span[1]), size
        if ends:
            return None
    return None


def _name_before(piece: str, head_start: int, head_end: int, weights) -> tuple[int, int] | None:
    start = head_start
    # Step back over question words glued to the head (便民|服务模式), then over the name.
    while start > 0 and piece[start - 1:start + 1] in weights:
        start -= 1
    name_end = start
    while start > 0 and piece[start - 1] not in _STOP_BACK:
        if start >= 2 and piece[start - 2:start] in weights and start < name_end:
            break
        start -= 1
    while start < name_end and (piece[start] in _FUNCTION_CHARS or piece[start] in "以对向"):
        start += 1
    if start >= name_end:
        return None
    end = head_end
    # A quoted name is whole even where it repeats the question's words (“防疫隔离报警系统”).
    for quoted in QUOTED_SPAN.finditer(piece):
        if quoted.start() < end and start < quoted.end():
            start, end = min(start, quoted.start()), max(end, quoted.end())
    return start, end


def _novel(text: str, span, weights) -> bool:
    """A span that only repeats the question is not its answer."""
    piece = fold(text[span[0]:span[1]])
    grams = [piece[i:i + 2] for i in range(len(piece) - 1)] or [piece]
    return sum(1 for g in grams if g in weights) < max(1, 0.8 * len(grams))


def _best_typed(text, spans, expectation: Expectation, weights, area):
    def unit_fit(span) -> float:
        if expectation.kind != NUMBER or not expectation.unit:
            return 1.0
        unit = number_unit(text[span[0]:span[1]])
        asked = expectation.unit
        if unit == asked or unit.endswith(asked) or (asked == "个" and unit.startswith("个")):
            return 1.0
        if asked == "人" and unit.startswith("人"):
            return 1.0
        if asked == "天" and unit.endswith("日"):  # 多少天 … 30个工作日
            return 1.0
        return 0.5 if unit else 0.3

    separators = "、，,；;"

    def nearness(span) -> float:
        # A number is named by the words right before it, back to the previous item of a
        # list (新增国家级企业技术中心1家、省级3家 → 省级 names 3家); words right after it can
        # name it too (1405家企业享受…). A label that says other things is a weaker match.
        label_start = area[0]
        for other in spans:
            if other[1] <= span[0]:
                label_start = max(label_start, other[1])
        for i in range(span[0] - 1, label_start - 1, -1):
            if text[i] in separators:
                label_start = i + 1
                break
        label = fold(text[label_start:span[0]])
        after_end = span[1]
        while after_end < area[1] and text[after_end] not in separators and after_end - span[1] < 10:
            after_end += 1
        after = fold(text[span[1]:after_end])
        grams = [label[i:i + 2] for i in range(len(label) - 1)]
        matched = sum(weights.get(g, 0.0) for g in grams)
        precision = sum(1 for g in grams if g in weights) / len(grams) if grams else 0.0
        return (matched * (0.5 + 0.5 * precision)
                + 0.4 * sum(w for k, w in weights.items() if len(k) > 1 and k in after))

    scored = [(unit_fit(s), nearness(s), -i, s) for i, s in enumerate(spans)]
    fit, _, _, span = max(scored)
    return span, fit


_EDGE_PUNCTUATION = set("、，,；;。：:！？!?()（）“”《》「」\" \n")


def _tidy(text, span):
    """Drop punctuation at the edges of a span and the quotes around a quoted name; quotes that
    open and close inside the span stay (“一网”服务)."""
    a, b = span
    if b - a > 2 and text[a] in "“《「\"" and text[b - 1] in "”》」\"" and \
            not any(ch in "“”《》「」" for ch in text[a + 1:b - 1]):
        return a + 1, b - 1
    while a < b and text[a] in _EDGE_PUNCTUATION and not _balanced(text[a:b], text[a]):
        a += 1
    while b > a and text[b - 1] in _EDGE_PUNCTUATION and not _balanced(text[a:b], text[b - 1]):
        b -= 1
    return (a, b) if b > a else None


_PAIRS = {"“": "”", "《": "》", "「": "」", "(": ")", "（": "）"}


def _balanced(piece: str, mark: str) -> bool:
    """Whether an edge mark has its partner inside the piece (and so belongs to it)."""
    if mark in _PAIRS:
        return piece.startswith(mark) and _PAIRS[mark] in piece[1:]
    opening = {v: k for k, v in _PAIRS.items()}.get(mark)
    return opening is not None and piece.endswith(mark) and opening in piece[:-1]


def _novel_segment(text: str, clause, weights) -> tuple[int, int] | None:
    """The longest run of the clause that the question does not already say."""
    a, b = clause
    piece = fold(text[a:b])
    covered = [False] * len(piece)
    for i in range(len(piece) - 1):
        if piece[i:i + 2] in weights:
            covered[i] = covered[i + 1] = True
    best, run_start = None, None
    for i in range(len(piece) + 1):
        if i < len(piece) and not covered[i]:
            run_start = i if run_start is None else run_start
            continue
        if run_start is not None:
            s, e = run_start, i
            while s < e and (piece[s] in _FUNCTION_CHARS or not piece[s].strip()
                             or piece[s] in "“”《》()（）、"):
                s += 1
            while e > s and (piece[e - 1] in _FUNCTION_CHARS or not piece[e - 1].strip()
                             or piece[e - 1] in "“”《》()（）、"):
                e -= 1
            if e > s and (best is None or e - s > best[1] - best[0]):
                best = (s, e)
            run_start = None
    if best is None:
        return None
    return a + best[0], a + best[1]


# -- confidence and abstention


@dataclass(frozen=True)
class Features:
    """What the confidence is computed from, each in 0..1 (cosine aside)."""
    lexical: float     # share of the question's words (weighted among candidates) in the answer's clause
    coverage: float    # share of the question's words, weighted by rarity in the corpus, in the sentence
    unknown: float     # share of the question's words that occur nowhere in the corpus
    dense: float       # cosine of question and supporting sentence
    typed: float       # an answer of the asked kind (and unit) was found
    margin: float      # how far the best candidate leads the best other sentence

    def vector(self) -> list[float]:
        return [self.lexical, self.coverage, self.unknown, self.dense, self.typed, self.margin]


# Logistic weights over Features.vector(), fitted on eval/questions.jsonl by eval/calibrate.py
# (answered correctly vs. wrong or unanswerable); refit when the features change.
CONFIDENCE_WEIGHTS = [1.2, 1.109, 0.412, -0.079, 1.053, 1.523]
CONFIDENCE_BIAS = -1.802


def _features(keys: dict[str, float], best: _Candidate, candidates: list[_Candidate],
              retriever: Retriever) -> Features:
    lexical_index = retriever.index.lexical
    n = max(lexical_index.size, 1)
    grams = [k for k in keys if len(k) > 1]
    rarity = {g: math.log(1 + n / (lexical_index.document_frequency(g) + 0.5)) for g in grams}
    total = sum(rarity.values()) or 1.0
    offset = best.hit.chunk.start
    sentence = fold(best.hit.chunk.text[best.sentence[0] - offset:best.sentence[1] - offset])
    coverage = sum(w for g, w in rarity.items() if g in sentence) / total
    unknown = sum(w for g, w in rarity.items() if lexical_index.document_frequency(g) == 0) / total
    others = [c.score for c in candidates if c.sentence != best.sentence]
    margin = min(1.0, max(0.0, best.score - max(others))) if others else 1.0
    return Features(best.lexical, coverage, unknown, best.dense, best.typed, margin)


def _confidence(features: Features | None) -> float:
    if features is None:
        return 0.0
    z = CONFIDENCE_BIAS + sum(w * x for w, x in zip(CONFIDENCE_WEIGHTS, features.vector()))
    return 1.0 / (1.0 + math.exp(-z))


def _contradiction(question: str, best: _Candidate, retriever: Retriever) -> str | None:
    """A fact the question pins down (a year, a place) that the report does not support."""
    chunk_text = best.hit.chunk.text + best.hit.chunk.section
    main_year = _main_year(retriever)
    for year in _YEAR.findall(fold(question)):
        if year not in chunk_text and year != main_year:
            return f"year {year}"
    lexical = retriever.index.lexical
    for place in _PLACE_NAMES:
        if place in question and not lexical.knows(place):
            return f"place {place}"
    for match in _ENTITY_SUFFIX.finditer(fold(question)):
        name = match.group(1)
        if not (set(name) & (_INTERROGATIVE | _FUNCTION_CHARS)) and not lexical.knows(name):
            return f"entity {name}"
    return None


_MAIN_YEARS: dict[int, str | None] = {}


def _main_year(retriever: Retriever) -> str | None:
    """The year the corpus mostly speaks of (2020 for the report)."""
    key = id(retriever.index)
    if key not in _MAIN_YEARS:
        years = Counter(y for c in retriever.index.chunks for y in _YEAR.findall(c.text))
        _MAIN_YEARS[key] = years.most_common(1)[0][0] if years else None
    return _MAIN_YEARS[key]


def _closest_passages(hits: list[Hit]) -> list[Quote]:
    """When abstaining: the top passages, labelled by the caller as not an answer."""
    return [Quote(h.chunk.doc_id, h.chunk.section, h.chunk.start, h.chunk.end, h.chunk.text,
                  h.chunk.start, h.chunk.start) for h in hits[:3]]


def _more_quotes(candidates: list[_Candidate], best: _Candidate) -> list[Quote]:
    """Other sentences that support the same answer text (e.g. a fact stated twice)."""
    answer = best.hit.chunk.text[best.span[0] - best.hit.chunk.start:best.span[1] - best.hit.chunk.start]
    quotes, seen = [], {best.sentence}
    for c in sorted(candidates, key=lambda c: -c.score):
        if c.span is None or c.sentence in seen:
            continue
        offset = c.hit.chunk.start
        sentence = c.hit.chunk.text[c.sentence[0] - offset:c.sentence[1] - offset]
        at = sentence.find(answer)
        if at >= 0 and c.score >= 0.8 * best.score:
            seen.add(c.sentence)
            quotes.append(Quote(c.hit.chunk.doc_id, c.hit.chunk.section, c.sentence[0],
                                c.sentence[1], sentence, c.sentence[0] + at,
                                c.sentence[0] + at + len(answer)))
        if len(quotes) >= 2:
            break
    return quotes
