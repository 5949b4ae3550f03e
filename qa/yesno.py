"""Yes/no questions: answered 是 where a sentence says what is asked, else not at all.

A report's silence is not a "no", so the answer is never 否. The statement left when 是否/吗 are
removed must be said by one item of a sentence (the words between two of 、，；): nearly all of
its words, the rarer ones weighing more, and not as a plan or a hope (即将上市 does not say
上市了).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import language as lang
from .analysis import Question, content_keys
from .index import Index
from .normalize import fold
from .passages import SentenceEvidence, coverage, key_weights

CONFIRMED_SHARE = 0.8
_ITEM = re.compile(r"[^、，,；;。！？!?]+")


@dataclass(frozen=True)
class Confirmation:
    sentence: SentenceEvidence
    start: int        # the item that says it, absolute offsets in the document
    end: int
    said: float       # share of the statement's words (by rarity) the item says


def confirm(question: Question, sentences: list[SentenceEvidence],
            index: Index) -> Confirmation | None:
    """The first of the ranked sentences with an item that says the statement, or None."""
    statement = question.statement or ""
    pairs = [k for k in content_keys(statement) if len(k) > 1]
    known = {k for k in pairs if index.lexical.document_frequency(k) > 0}
    # Two neighbouring pairs the corpus never has are words it never uses (世界互联网大会): not
    # confirmed. One alone is a seam between two words (天迈科技|上市 → 技上) and is ignored.
    if any(a not in known and b not in known for a, b in zip(pairs, pairs[1:])):
        return None
    weights = key_weights(dict.fromkeys(known, 1.0), index)
    if not weights:
        return None
    best: Confirmation | None = None
    for sentence in sentences[:6]:
        text = index.document_text(sentence.doc_id)[sentence.start:sentence.end]
        for item in _items(text):
            item_text = text[item[0]:item[1]]
            if lang.NOT_YET.search(item_text):
                continue
            said = coverage(weights, item_text)
            if said >= CONFIRMED_SHARE and (best is None or said > best.said):
                best = Confirmation(sentence, sentence.start + item[0], sentence.start + item[1],
                                    said)
    return best


def _items(text: str) -> list[tuple[int, int]]:
    """The items of a sentence, and each pair of neighbours (a subject may stand in the item
    before its verb)."""
    items = [m.span() for m in _ITEM.finditer(fold(text))]
    return items + [(a[0], b[1]) for a, b in zip(items, items[1:])]
