"""Extractive answers: the sentence of the report that answers the question, and the span in it.

Candidates are the sentences (and their clauses) of the retrieved chunks, scored by the question's
words they hold (weighted by how rare they are among the candidates), by closeness in meaning
(sentence vectors from the index), and by whether they hold an answer of the kind asked for.
The span inside the best clause is found by answer_span.py; abstention.py decides whether the
evidence is good enough to answer at all. Everyday words bring the report's words for them
(everyday.py). A yes/no question is answered 是 only where a clause confirms it, a choice
(A还是B) only with the option its sentence names; an English question is matched by meaning alone
and needs a higher confidence.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass, field

from . import abstention
from .abbreviations import written_out
from .answer_span import Head, answer_span, head_noun, tidy
from .answer_types import (DATE, FUNCTION_CHARS, INTERROGATIVE, NUMBER, OTHER, PERSON,
                           PLACE, QUOTED_SPAN, RANK, REASON, TITLES, YESNO, YESNO_MARKS,
                           Expectation, choice_options, expected_answer, find_spans,
                           number_unit, unit_matches)
from .chunking import sentence_spans
from .config import Config
from .english import is_english
from .everyday import in_report_words, report_words
from .normalize import fold, is_cjk
from .retriever import Hit, Mode, Retriever

NOT_FOUND = "报告中没有找到这个问题的答案。"
YES = "是"   # a yes/no question the report confirms; it never says "no" (absence is not denial)


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
    features: "abstention.Features | None" = None   # what the confidence was computed from
    understood_as: str = ""          # the question as answered: a follow-up joined to the one before

    @property
    def message(self) -> str:
        return NOT_FOUND if self.abstained else (self.text or "")

    def to_json(self) -> dict:
        return {
            "question": self.question, "understood_as": self.understood_as or self.question,
            "answer": None if self.abstained else self.text,
            "abstained": self.abstained, "message": self.message,
            "confidence": round(self.confidence, 4), "expected_type": self.expected_type,
            "quotes": [q.to_json() for q in self.quotes],
            "passages": [h.to_json() for h in self.hits],
        }


# ---------------------------------------------------------------- answering

# Kinds whose answer has a form of its own: without one in the sentence, there is no answer.
STRICT_KINDS = (NUMBER, RANK, DATE, PERSON, PLACE, REASON)
DENSE_WEIGHT = 0.4
TYPED_WEIGHT = 0.35   # an answer of the asked kind (and unit) in the clause
DENSE_MARGIN = 0.06   # e5 cosines crowd together: 0.06 below the best is already far
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_TOPIC_LEAD = re.compile(r"(?:方面|领域|工作中|过程中)$")
_FILLERS = re.compile(r"已经|真的|确实|的确")
_FOLLOWUP_LEAD = re.compile(r"^(?:那么|那|还有|另外|而|又|再问一下)")


@dataclass(frozen=True)
class _Candidate:
    hit_rank: int
    hit: Hit
    sentence: tuple[int, int]      # absolute offsets in the document
    window: tuple[int, int]        # the clause and the one before it
    clause: tuple[int, int]
    score: float
    lexical: float
    span: tuple[int, int]          # absolute offsets of the answer span
    typed: float                   # 1 when a span of the expected kind (and unit) was found
    dense: float                   # cosine of the question and the sentence


def answer_question(question: str, retriever: Retriever, config: Config,
                    previous: str | None = None, mode: Mode = "hybrid") -> Answer:
    focus, context = _resolve_followup(_plain(question), _plain(previous) if previous else None)
    if mode == "hybrid" and is_english(focus):
        mode = "dense"  # English words never match the report's: BM25 would only add noise
    if _asks(focus) or not context:
        expectation = expected_answer(fold(focus))
    else:
        # 那质押融资呢 after 专利申请量是多少件: an amount again, but not necessarily in 件.
        expectation = Expectation(expected_answer(fold(context)).kind)
    query = focus if not context else f"{focus} {context}"
    # 养老院 asked, 养老机构 written: the report's words for everyday ones, where the corpus has them.
    wording = [w for w in report_words(fold(query)) if retriever.index.lexical.knows(w)]
    if wording:
        query += "（" + "、".join(wording) + "）"
    query_vector = retriever.embed_query(query) if mode != "lexical" else None
    hits = retriever.search(query, k=max(config.top_k, 5), mode=mode, query_vector=query_vector)
    if not hits:
        return Answer(question, None, 0.0, True, (), (), expectation.kind, understood_as=query)

    # 是否/吗 only ask whether: the statement left is what must be found.
    asked = YESNO_MARKS.sub("", focus) if expectation.kind == YESNO else focus
    setting, asked = _setting(asked)
    keys = _keys(asked, 1.0)
    # The report's words for everyday ones count as the question's own.
    for key, weight in (list(_keys("，".join(wording), 1.0).items())
                        + list(_keys(setting, 0.5).items()) + list(_keys(context, 0.3).items())):
        keys.setdefault(key, weight)
    similarity = None
    if query_vector is not None:
        # In a follow-up, the sentence must be close to what is asked now (授权量), not to the
        # earlier question it borrows from; the passages were found with both.
        sentence_vector = retriever.embed_query(focus) if context else query_vector
        similarity = functools.partial(retriever.sentence_similarity, sentence_vector)
    candidates, cosines = _candidates(hits, keys, expectation, head_noun(fold(focus)), similarity,
                                      focus)
    best = max(candidates, key=lambda c: c.score) if candidates else None
    features = _features(keys, best, candidates, cosines, retriever) if best else None
    confidence = abstention.confidence(features)
    problem = _contradiction(focus + (context or ""), best, retriever, focus) if best \
        else "no candidate"
    if best is not None and not problem and expectation.kind in STRICT_KINDS and best.typed == 0:
        problem = f"no {expectation.kind} in the best sentence"  # 为什么 … and no reason is given
    options = choice_options(fold(focus))
    if best is not None and not problem and options:
        # 在深交所还是上交所上市: the answer is the one option the sentence names, if it names one.
        sentence = fold(_text(best, *best.sentence))
        named = [o for o in options if o in sentence]
        if len(named) != 1:
            problem = "the sentence names neither option (or both)"
        else:
            at = best.sentence[0] + sentence.index(named[0])
            best = dataclasses.replace(best, span=(at, at + len(named[0])))
    if best is not None and not problem and is_english(focus) and best.typed < 1.0:
        # An English question shares no words with the report: only an answer of exactly the
        # asked form (an amount in the asked unit, a person, a quoted name) is evidence enough.
        problem = "English question, no answer of the asked form"
    if best is not None and not problem and not keys:
        problem = "the question names nothing to look for"  # ，，，啥
    if best is not None and not problem and expectation.kind == OTHER and not _asks(focus):
        # Words without a question (高新区 专利 申请量): the clause that holds them is the answer.
        offset = best.hit.chunk.start
        clause = (best.clause[0] - offset, best.clause[1] - offset)
        a, b = tidy(best.hit.chunk.text, clause) or clause
        best = dataclasses.replace(best, span=(a + offset, b + offset))
    if best is not None and not problem and expectation.kind == YESNO:
        # A follow-up (百川畅银呢 after 天迈科技上市了吗) must be confirmed with what it borrows.
        # 已经/真的 add nothing to what must be said; everyday words are said in the report's.
        statement = in_report_words(_FILLERS.sub("", YESNO_MARKS.sub("", focus + (context or ""))),
                                    retriever.index.lexical.knows)
        item = abstention.confirms(statement, _text(best, *best.window), retriever.index)
        if item is None:
            problem = "yes/no: the clause does not say what is asked"  # and absence is not "no"
        else:  # highlight the item that says so (百川畅银顺利过会, not the whole clause)
            best = dataclasses.replace(best, span=(best.window[0] + item[0],
                                                   best.window[0] + item[1]))
    threshold = (config.answer_min_confidence_english if is_english(focus)
                 else config.answer_min_confidence)
    if best is not None and not problem and _sole_holder_of_title(focus, best, retriever):
        confidence = max(confidence, threshold)  # 报道的记者是谁: the report's one 记者
    if best is None or problem or confidence < threshold:
        return Answer(question, None, min(confidence, 0.3) if problem else confidence, True,
                      tuple(_closest_passages(hits)), tuple(hits), expectation.kind, features,
                      query)

    text = best.hit.chunk.text
    offset = best.hit.chunk.start
    a, b = best.span
    quote = Quote(best.hit.chunk.doc_id, best.hit.chunk.section, best.sentence[0], best.sentence[1],
                  text[best.sentence[0] - offset:best.sentence[1] - offset], a, b)
    short = YES if expectation.kind == YESNO else text[a - offset:b - offset]
    return Answer(question, short, confidence, False,
                  (quote,) + tuple(_more_quotes(candidates, best)), tuple(hits), expectation.kind,
                  features, query)


# -- the question


_COLLOQUIAL = {"啥": "什么", "咋": "怎么", "多会儿": "什么时候"}


def _plain(question: str) -> str:
    """Everyday question words in their written form (叫啥名 → 叫什么名), which the rules know,
    and the field's short forms written out (固投 → 固投（固定资产投资）)."""
    for spoken, written in _COLLOQUIAL.items():
        question = question.replace(spoken, written)
    return written_out(question)


_SETTING = re.compile(r"^(.{2,}?(?:后|以后|之后|时|期间|以来|当中|方面|里|中|那会儿|那阵子|那时候|的时候))"
                      r"[，,](.+)$")


def _setting(question: str) -> tuple[str | None, str]:
    """(a leading clause of time or circumstance, the rest): in 百企上市三年行动计划启动后，
    哪家企业已顺利过会 the setting says when; what is asked is 哪家企业已顺利过会."""
    match = _SETTING.match(question)
    if match and _asks(match.group(2)):
        return match.group(1), match.group(2)
    return None, question


def _asks(question: str) -> bool:
    question = fold(question)  # 幾 asks like 几
    return any(ch in INTERROGATIVE for ch in question) or expected_answer(question).kind != OTHER


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
        if all(is_cjk(ch) for ch in gram) and not (set(gram) & INTERROGATIVE):
            if not set(gram) <= FUNCTION_CHARS:
                keys[gram] = weight
    for token in re.findall(r"[0-9a-z]+(?:\.[0-9]+)?%?", folded):
        keys[token] = weight
    # A single content character matters when it is the whole term (厕, 税).
    for ch in folded:
        if is_cjk(ch) and ch not in INTERROGATIVE and ch not in FUNCTION_CHARS:
            keys.setdefault(ch, weight * 0.25)
    return keys


# -- candidates


def _candidates(hits: list[Hit], keys: dict[str, float], expectation: Expectation,
                head: Head | None, similarity=None,
                question: str = "") -> tuple[list[_Candidate], dict]:
    """Candidate clauses that hold an answer, and each candidate sentence's cosine with the
    question (keyed by document and absolute start)."""
    sentences = []
    seen = set()
    for rank, hit in enumerate(hits, start=1):
        chunk = hit.chunk
        for start, end in _sentences_of(chunk.text):
            absolute = (chunk.doc_id, chunk.start + start, chunk.start + end)
            if absolute not in seen:
                seen.add(absolute)
                sentences.append((rank, hit, start, end))
    # Keys found in many candidate sentences say little: weight by inverse frequency. fold() keeps
    # lengths, so a chunk folded once (and cached) gives every sentence and clause by slicing.
    folded = {id(s): fold(s[1].chunk.text)[s[2]:s[3]] for s in sentences}
    texts = list(folded.values())
    df = {k: sum(1 for t in texts if k in t) for k in keys}
    n = len(sentences)
    weights = {k: w * math.log(1 + (n + 1) / (df[k] + 0.5)) for k, w in keys.items()}
    total = sum(weights.values()) or 1.0

    def coverage(text: str, keys_here: list[tuple[str, float]]) -> float:
        return sum(w for k, w in keys_here if k in text) / total

    # How close each sentence is in meaning, relative to the closest: this finds the sentence a
    # paraphrase means when it shares few words with it (新厕所 / 公厕).
    dense = {}
    for rank, hit, s0, s1 in sentences:
        sim = similarity(hit.chunk.doc_id, hit.chunk.start + s0, hit.chunk.start + s1) \
            if similarity else None
        dense[id(hit), s0] = hit.dense_score if sim is None else sim
    top_dense = max(dense.values(), default=0.0)

    # Everything but the answer span first; spans are the costly part, and a clause whose
    # score without one cannot reach the best eligible candidate's is never looked into.
    top_score = hits[0].score or 1.0
    pending = []
    for sentence in sentences:
        rank, hit, s0, s1 = sentence
        text = hit.chunk.text
        folded_text = fold(text)
        sentence_text = folded[id(sentence)]
        # A clause can only hold the keys its sentence holds.
        present = [(k, w) for k, w in weights.items() if k in sentence_text]
        sentence_cov = sum(w for _, w in present) / total
        closeness = max(0.0, 1.0 - (top_dense - dense[id(hit), s0]) / DENSE_MARGIN)
        clauses = _clauses(text, s0, s1)
        # 工程项目审批改革方面,…51个工作日,…61个工作日: a leading topic is every clause's, not
        # only the next one's.
        topic = folded_text[clauses[0][0]:clauses[0][1]] if len(clauses) > 2 and \
            _TOPIC_LEAD.search(text[clauses[0][0]:clauses[0][1]]) else ""
        for i, (c0, c1) in enumerate(clauses):
            w0 = clauses[i - 1][0] if i else c0
            # A clause before with an answer of its own keeps its words (新增绿地面积135.72万平方米,
            # 完成…绿化面积6000余平方米: 绿地 names the first figure, not the second).
            if i and expectation.kind == NUMBER and expectation.unit and \
                    _holds_unit(text[clauses[i - 1][0]:clauses[i - 1][1]], expectation.unit):
                w0 = c0
            # The question's words may sit in the clause before the answer (在…排名中,位列…第45位).
            lead = topic if i > 1 else ""
            lexical = (0.45 * coverage(lead + folded_text[w0:c1], present)
                       + 0.25 * coverage(folded_text[c0:c1], present) + 0.30 * sentence_cov)
            partial = lexical + 0.10 * hit.score / top_score + DENSE_WEIGHT * closeness
            pending.append((partial, lexical, rank, hit, s0, s1, w0, c0, c1))

    out: list[_Candidate] = []
    by_sentence: dict[tuple, float] = {}  # best score per sentence seen so far
    for partial, lexical, rank, hit, s0, s1, w0, c0, c1 in sorted(pending, key=lambda p: -p[0]):
        # Stop once no clause left can change the two best sentences (the answer and the
        # margin it leads by): their scores cannot rise by more than TYPED_WEIGHT.
        top_two = sorted(by_sentence.values(), reverse=True)[:2]
        if len(top_two) == 2 and partial + TYPED_WEIGHT < top_two[1]:
            break
        text = hit.chunk.text
        if abstention.other_place(question, text[w0:c1]):
            continue  # 哪个排名中位列第45位: not the clause about 第17名
        span, typed = answer_span(text, (c0, c1), (w0, c1), expectation, weights, head)
        # A clause with no answer in it cannot be the answer; 多少吨 needs tonnes, not 座.
        if span is None or (expectation.unit_explicit and typed < 1.0):
            continue
        score = partial + TYPED_WEIGHT * typed
        offset = hit.chunk.start
        key = (hit.chunk.doc_id, offset + s0)
        by_sentence[key] = max(by_sentence.get(key, score), score)
        out.append(_Candidate(rank, hit, (offset + s0, offset + s1), (offset + w0, offset + c1),
                              (offset + c0, offset + c1), score, lexical,
                              (offset + span[0], offset + span[1]), typed, dense[id(hit), s0]))
    cosines = {(hit.chunk.doc_id, hit.chunk.start + s0): dense[id(hit), s0]
               for _, hit, s0, _ in sentences}
    return out, cosines


@functools.lru_cache(maxsize=8192)
def _holds_unit(clause: str, unit: str) -> bool:
    """Whether a clause holds an amount in the asked unit."""
    return any(unit_matches(unit, number_unit(clause[a:b])) for a, b in find_spans(NUMBER, clause))


@functools.lru_cache(maxsize=4096)
def _sentences_of(chunk_text: str) -> tuple[tuple[int, int], ...]:
    """A chunk's sentences; the same chunks come back question after question."""
    return tuple((s.start, s.end) for s in sentence_spans(chunk_text))


@functools.lru_cache(maxsize=8192)
def _clauses(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    clauses, cursor = [], start
    quoted = [(m.start(), m.end()) for m in QUOTED_SPAN.finditer(text, start, end)]
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        # A comma inside a quoted title does not end a clause (《…“一网通办,一次办成”…方案》).
        if any(a < match.start() < b for a, b in quoted):
            continue
        clauses.append((cursor, match.start()))
        cursor = match.end()
    clauses.append((cursor, end))
    return tuple((a, b) for a, b in clauses if b > a) or ((start, end),)  # cached: immutable


def _sole_holder_of_title(question: str, best: _Candidate, retriever: Retriever) -> bool:
    """A person asked by a title (记者是谁) whom the answer names with it, the title being in
    one sentence of the whole corpus: the answer is certain however little else matches."""
    if best.typed < 1.0:
        return False
    span = fold(_text(best, *best.span))
    asked = [t for t in TITLES if t in fold(question) and t in span]
    return bool(asked) and all(retriever.index.sentences_saying(t) == 1 for t in asked)


def _text(best: _Candidate, start: int, end: int) -> str:
    """The candidate's chunk text between two absolute offsets (its sentence, window, span…)."""
    chunk = best.hit.chunk
    return chunk.text[start - chunk.start:end - chunk.start]


_ITEM_END = "、，,；;。：:"


def _item_text(best: _Candidate) -> str:
    """The words around the answer up to the next break on either side, the answer left out."""
    chunk = best.hit.chunk
    text, offset = chunk.text, chunk.start
    a, b = best.span[0] - offset, best.span[1] - offset
    start, end = a, b
    while start > best.sentence[0] - offset and text[start - 1] not in _ITEM_END:
        start -= 1
    while end < best.sentence[1] - offset and text[end] not in _ITEM_END:
        end += 1
    return text[start:a] + " " + text[b:end]


def _contradiction(question: str, best: _Candidate, retriever: Retriever,
                   asked_now: str) -> str | None:
    chunk = best.hit.chunk
    return abstention.contradiction(question, chunk.text + chunk.section,
                                    _text(best, *best.sentence), _text(best, *best.window),
                                    retriever.index, _text(best, best.sentence[0], best.span[0]),
                                    asked_now)


def _features(keys, best: _Candidate, candidates: list[_Candidate], cosines: dict,
              retriever: Retriever):
    sentence = _text(best, *best.sentence)
    others = [c.score for c in candidates if c.sentence != best.sentence]
    margin = best.score - max(others) if others else 1.0
    # Does meaning agree with the choice? How far the chosen sentence is the closest one.
    other_cosines = [v for (doc, start), v in cosines.items()
                     if (doc, start) != (best.hit.chunk.doc_id, best.sentence[0])]
    dense_lead = (best.dense - max(other_cosines)) / DENSE_MARGIN if other_cosines else 1.0
    # A section heading says what its sentences are about (高光时刻 … 记者 孙庆辉).
    in_context = f"{best.hit.chunk.section} {sentence}"
    return abstention.features(keys, in_context, best.lexical, best.typed, dense_lead, margin,
                               retriever.index, _item_text(best))


def _closest_passages(hits: list[Hit]) -> list[Quote]:
    """When abstaining: the top passages, labelled by the caller as not an answer."""
    return [Quote(h.chunk.doc_id, h.chunk.section, h.chunk.start, h.chunk.end, h.chunk.text,
                  h.chunk.start, h.chunk.start) for h in hits[:3]]


def _more_quotes(candidates: list[_Candidate], best: _Candidate) -> list[Quote]:
    """Other sentences that support the same answer text (e.g. a fact stated twice)."""
    answer = _text(best, *best.span)
    quotes, seen = [], {best.sentence}
    for c in sorted(candidates, key=lambda c: -c.score):
        if c.sentence in seen:
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
