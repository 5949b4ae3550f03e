"""分别 ("respectively"): items listed in order, then their figures in the same order.

粮食、油料、蔬菜产量分别达118.3万吨、33万吨、165万吨: asked about 粮食产量, the answer is the first
figure. The reader often takes the whole list of figures, or a neighbour; the question names one
item, and that item's place in its list is the place of its figure. A rule about how Chinese
pairs two lists, not about one report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .language import FIGURE
from .normalize import fold
from .reader import Span

RESPECTIVELY = "分别"
_CLAUSE_MARKS = "，,；;。！？!?：:\n"
_ITEM_SEPARATOR = re.compile("、|以及|和|与|及")
_FIGURE_SEPARATOR = re.compile(r"\s*(?:、|和|与|及)\s*")
_DIGIT = re.compile(r"\d")
_VERB_MAX = 6   # 增长, 提高到, 达到: what may stand between 分别 and the first figure


@dataclass(frozen=True)
class PairedLists:
    items: list[str]
    figures: list[tuple[int, int]]   # document offsets of each figure, in order


def paired_figure(span: Span, question: str, document: str) -> Span:
    """The figure the question's item is paired with, when the span starts among the figures of
    a 分别 clause and the question (folded) names one of its items more than any other; else
    the span as it was."""
    pairs = _pairs_around(document, span.start, span.end)
    if pairs is None:
        return span
    chosen = _named_item(pairs.items, question)
    if chosen is None:
        return span
    start, end = pairs.figures[chosen]
    if (start, end) == (span.start, span.end):
        return span
    return replace(span, start=start, end=end, text=document[start:end])


def _pairs_around(document: str, start: int, end: int) -> PairedLists | None:
    """The clause's two lists, paired by 分别, or, without it, by their order alone when the
    clause opens with its items and then says only its figures (原煤、原油、天然气产量达到6640.8万吨、
    1253.6万吨、9.1亿立方米: the last item then carries the measure and its verb)."""
    clause_start = max(document.rfind(mark, 0, start) for mark in _CLAUSE_MARKS) + 1
    said = document.rfind(RESPECTIVELY, clause_start, start + 1)
    if said >= 0:
        items_end, figures = said, _figures_after(document, said + len(RESPECTIVELY))
    else:
        first = _DIGIT.search(document, clause_start, start + 1)
        if first is None:
            return None
        items_end, figures = first.start(), _figures_after(document, first.start())
    if len(figures) < 2 or not (figures[0][0] <= start < figures[-1][1]):
        return None
    items = [i.strip() for i in _ITEM_SEPARATOR.split(document[clause_start:items_end])]
    if len(items) != len(figures) or not all(items):
        return None
    return PairedLists(items, figures)


def _figures_after(document: str, position: int) -> list[tuple[int, int]]:
    """The figures listed from `position`: after a short verb, figures joined by 、 or 和."""
    digit = _DIGIT.search(document, position, position + _VERB_MAX + 1)
    if digit is None or any(m in document[position:digit.start()] for m in _CLAUSE_MARKS):
        return []
    first = FIGURE.match(document, digit.start())
    figures = [first.span()]
    while True:
        joined = _FIGURE_SEPARATOR.match(document, figures[-1][1])
        following = joined and FIGURE.match(document, joined.end())
        if not following:
            return figures
        figures.append(following.span())


def _named_item(items: list[str], question: str) -> int | None:
    """The item the question names most (the share of its characters that stand in a
    two-character run the question has too), when one leads every other."""
    shares = [_share_named(fold(item), question) for item in items]
    best = max(range(len(items)), key=shares.__getitem__)
    if shares[best] == 0 or sorted(shares)[-2] == shares[best]:
        return None
    return best


def _share_named(item: str, question: str) -> float:
    named = [False] * len(item)
    for i in range(len(item) - 1):
        if item[i:i + 2] in question:
            named[i] = named[i + 1] = True
    return sum(named) / len(item)
