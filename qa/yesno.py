"""Yes/no questions: answered 是 where a sentence says what is asked, else not at all.

A report's silence is not a "no", so the answer is never 否. The statement left when 是否/吗 are
removed, and the words that only frame it (已经, 仍然, 要, 计划; a tag such as ，对吗), must be said by
one item of a sentence (the words between two of 、，；) or a run of up to three neighbouring ones
(the subject may stand two items before what is said of it): nearly all of its words, the rarer
ones weighing more, a word or two allowed between a pair's characters (任务顺利完成 says
任务完成), its last word without fail (what it asserts), and not as a plan or a hope (即将上市
does not say 上市了).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import language as lang
from .analysis import Question, content_keys
from .index import Index
from .normalize import fold
from .passages import SentenceEvidence, key_weights

CONFIRMED_SHARE = 0.8
GAP = ".{0,3}?"        # what may stand between a pair's two characters in the sentence
_ITEM = re.compile(r"[^、，,；;。！？!?]+")
_RUN_BREAK = re.compile("[\\s" + "".join(sorted(lang.FUNCTION_CHARS)) + "、，,；;。！？!?]+")


@dataclass(frozen=True)
class Confirmation:
    sentence: SentenceEvidence
    start: int        # the item that says it, absolute offsets in the document
    end: int
    said: float       # share of the statement's words (by rarity) the item says


def confirm(question: Question, sentences: list[SentenceEvidence],
            index: Index) -> Confirmation | None:
    """The first of the ranked sentences with an item that says the statement, or None."""
    # The statement's runs of content characters: 已经, 了 and function characters (高速在, 和残)
    # stand between words, and a pair across them is not one a sentence must say.
    statement = first_place_said_alike(fold(question.statement or ""))
    runs = [[k for k in content_keys(run) if len(k) > 1]
            for run in _RUN_BREAK.split(lang.ASPECT_WORDS.sub(" ", statement))]
    known = {k for pairs in runs for k in pairs if index.lexical.document_frequency(k) > 0}
    # Two neighbouring pairs the corpus never has, or a two-character run it never has (撤销), are
    # words it never uses (世界互联网大会): not confirmed. One pair alone in a longer run is a seam
    # between two words (天迈科技|上市 → 技上) and is ignored.
    if any(len(pairs) == 1 and pairs[0] not in known
           or any(a not in known and b not in known for a, b in zip(pairs, pairs[1:]))
           for pairs in runs if pairs):
        return None
    weights = key_weights(dict.fromkeys(known, 1.0), index)
    if not weights:
        return None
    # What the statement ends with is what it asserts (…保税区撤销 is not …保税区获批设立, however
    # long the subject both say): its last pair must be said too.
    last = [k for k in next(p for p in reversed(runs) if p)[-1:] if k in known]
    # A figure it states must be said as it is (居全国第1 is not confirmed by 居全国第2).
    figures = re.findall(r"\d+(?:\.\d+)?", lang.YEAR.sub(" ", statement))
    best: Confirmation | None = None
    for sentence in sentences[:6]:
        text = first_place_said_alike(
            fold(index.document_text(sentence.doc_id)[sentence.start:sentence.end]))
        for item in _items(text):
            item_text = text[item[0]:item[1]]
            if lang.NOT_YET.search(item_text):
                continue
            said = _said(weights, item_text)
            says_end = all(_says(k, item_text) for k in last + figures)
            if said >= CONFIRMED_SHARE and says_end and (best is None or said > best.said):
                best = Confirmation(sentence, sentence.start + item[0], sentence.start + item[1],
                                    said)
    return best


def first_place_said_alike(folded: str) -> str:
    """全国第一, 全国第1位 and 全国之首 as 全国首位, 第一次 as 首次: one way of saying each, the
    text's length kept (padded with spaces) so that offsets into it stay those of the document."""
    text = lang.FIRST_PLACE.sub(lambda m: "首位".ljust(len(m.group())), folded)
    return text.replace("第一次", "首次 ")


def _said(weights: dict[str, float], text: str) -> float:
    """The share of the statement's pairs (by weight) the text says."""
    total = sum(weights.values())
    folded = fold(text)
    return sum(w for k, w in weights.items() if _says(k, folded)) / total if total else 0.0


def _says(key: str, folded: str) -> bool:
    """The text says a key, a pair of characters also with a word or two between them (任务完成
    in 任务顺利完成, 获批 in 获国家批准); a number or a Latin word only as it is, a number whole
    (第1 is not said by 第12 or 1000亿元)."""
    if key[0].isdigit():
        return re.search(r"(?<![\d.])" + re.escape(key) + (r"(?![\d.])" if key[-1].isdigit()
                                                           else ""), folded) is not None
    return key in folded or (len(key) == 2 and re.search(
        re.escape(key[0]) + GAP + re.escape(key[1]), folded) is not None)


def _items(text: str) -> list[tuple[int, int]]:
    """The items of a sentence, and each run of two or three neighbours (a subject may stand
    items before its verb: 粮食总产量再上新台阶，突破1600亿斤大关，连续15年居全国首位)."""
    items = [m.span() for m in _ITEM.finditer(fold(text))]
    return items + [(a[0], b[1]) for a, b in zip(items, items[1:])] \
        + [(a[0], c[1]) for a, c in zip(items, items[2:])]
