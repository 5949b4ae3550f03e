"""Tidy a reader span's edges, by what the question asks and how Chinese marks things off.

The reader often stops a token short or long: 24 for 24%, 51个 when asked 多少个工作日 (the
text goes on 工作日), 17名 for 第几名, 7.5 cut from 17.5, “西美高新 with its closing quote cut
off. These rules are about the question's own words, figures and paired punctuation, never about
one report.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .checks import same_measure
from .language import (FIGURE, FIGURE_BOUND_AFTER, FIGURE_BOUND_BEFORE, FIGURE_KINDS,
                       FIGURE_TAIL, OTHER)
from .normalize import fold
from .reader import Span

PAIRS = {"“": "”", "《": "》", "（": "）", "(": ")", "「": "」", "‘": "’", "【": "】"}
CLOSERS = {v: k for k, v in PAIRS.items()}
_REACH = 24                                   # how far a missing closing mark is looked for
# 多少个工作日 / 几家 / 多大面积: what follows the question word names the measure.
_ASKED_MEASURE = re.compile(r"(?:多少|几)([\u4e00-\u9fff]{1,6})")
_MEASURE_STOP = "的了呢吗啊？?，,。是在有"   # where the measure named in the question ends
# A span that is a figure: it starts with a number or a share said in words (四成), and ends
# with a digit, a unit or 成.
_UNIT_OF = re.compile(r"^\d+(?:\.\d+)?\s*")    # what of a figure is its unit (万亿元 of 6.36万亿元)
_FIGURE_STARTS = re.compile(r"\d|[一二三四五六七八九十两]+成")
_FIGURE_ENDS = re.compile(r"\d(?:[^，,、。；;]*?(?:" + FIGURE_TAIL.pattern + r"))?$|[一二三四五六七八九十两]成$")
_LIST_MARKER = re.compile(r"[一二三四五六七八九十]{1,3}是(?=[\u4e00-\u9fff])")
# A figure, then a list mark and another item named in words that has a figure too.
_LIST_GOES_ON = re.compile(r"^([^、，,；;]*?\d[^、，,；;]*)[、，,；;](?=[\u4e00-\u9fff])(?=.*\d)")


def tidy(span: Span, question_text: str, document: str, unit: str | None = None,
         kind: str = OTHER, kind_named: tuple[str, ...] = ()) -> Span:
    """`kind`: what the question asks for (language.NUMBER …); `kind_named`: the kind of thing
    asked, named in full (Question.kind_named)."""
    start, end = _whole_number(document, span.start, span.end)
    start = _after_list_marker(document, start, end)
    end = _figure_tail(document, start, end)
    start, end = _figure_asked(unit, document, start, end)
    if kind in FIGURE_KINDS:
        end = _first_item(document, start, end)
    else:
        end = _kind_completed(kind_named, document, start, end)
    start, end = _balance(document, start, end)
    end = _measure_named(question_text, document, start, end)
    start, end = _bounds(document, start, end)
    start = _ordinal(question_text, document, start)
    if (start, end) == (span.start, span.end):
        return span
    return replace(span, start=start, end=end, text=document[start:end])


def _whole_number(document: str, start: int, end: int) -> tuple[int, int]:
    """A number is never cut: 7.5平方公里 inside 17.5平方公里 takes in its 1."""
    while start > 0 and document[start - 1].isdigit() and (document[start].isdigit()
                                                           or document[start] == "."):
        start -= 1
    while end < len(document) and document[end].isdigit() and document[end - 1].isdigit():
        end += 1
    return start, end


def _after_list_marker(document: str, start: int, end: int) -> int:
    """十四是免费送戏下乡1万场: 一是, 二是 … number a report's list; they are not the answer."""
    marker = _LIST_MARKER.match(document, start, end)
    return marker.end() if marker and marker.end() < end else start


def _figure_tail(document: str, start: int, end: int) -> int:
    """A figure keeps its unit: 24 where the text says 24% becomes 24%; 3.6 becomes 3.6万吨,
    or 2.1万 where what follows is no unit of language.UNITS (2.1万农民工)."""
    if end <= start or not document[end - 1].isdigit():
        return end
    tail = FIGURE_TAIL.match(document, end)
    return tail.end() if tail else end


def _figure_asked(unit: str | None, document: str, start: int, end: int) -> tuple[int, int]:
    """A span of two figures or more, one of them in the measure asked, is that figure:
    增长多少 answered 6.36万亿元、增长5.1% becomes 5.1% (a report gives an amount and its growth
    side by side; the reader often takes both)."""
    if unit is None or unit == "个":
        return start, end
    figures = [m for m in FIGURE.finditer(document, start, end)
               if _UNIT_OF.sub("", m.group())]
    asked = [m for m in figures if same_measure(unit, _UNIT_OF.sub("", m.group()))]
    if len(figures) < 2 or len(asked) != 1:
        return start, end
    return asked[0].start(), asked[0].end()


def _first_item(document: str, start: int, end: int) -> int:
    """A figure asked, answered with a list of items (3家、品牌连锁酒店100家): the first item's
    figure, whose measure the reader began at. A list of bare figures (15.9%、25.7%) is left
    to the 分别 pairing."""
    item = _LIST_GOES_ON.match(document[start:end])
    return start + len(item.group(1)) if item and _FIGURE_ENDS.search(item.group(1)) else end


def _bounds(document: str, start: int, end: int) -> tuple[int, int]:
    """A figure keeps the words that bound or round it: 1300家 where the text says 1300家以上
    becomes 1300家以上, 四成 after 超过 becomes 超过四成 (a floor is not an exact count)."""
    text = document[start:end]
    if _FIGURE_ENDS.search(text):
        end += next((len(w) for w in FIGURE_BOUND_AFTER if document.startswith(w, end)), 0)
    if _FIGURE_STARTS.match(text):
        start -= next((len(w) for w in FIGURE_BOUND_BEFORE
                       if document.startswith(w, start - len(w))), 0)
    return start, end


def _balance(document: str, start: int, end: int) -> tuple[int, int]:
    """An opening mark without its closing (or the reverse) takes in the rest of the pair,
    when it is near and within the same clause; else the lone mark is dropped."""
    text = document[start:end]
    for opener, closer in PAIRS.items():
        if text.count(opener) > text.count(closer):
            found = document.find(closer, end, end + _REACH)
            if found != -1 and not re.search("[。；;\n]", document[end:found]):
                end = found + 1
            elif text.startswith(opener):
                start += 1
        elif text.count(closer) > text.count(opener):
            found = document.rfind(opener, max(0, start - _REACH), start)
            if found != -1 and not re.search("[。；;\n]", document[found:start]):
                start = found
            elif text.endswith(closer):
                end -= 1
    return start, end


def _measure_named(question_text: str, document: str, start: int, end: int) -> int:
    """多少个工作日 answered 51个 where the text says 51个工作日: the span takes in the rest of
    the measure the question names."""
    asked = _ASKED_MEASURE.search(question_text)
    if not asked or not any(c.isdigit() for c in document[start:end]):
        return end
    measure = asked.group(1)
    for i, c in enumerate(measure):
        if c in _MEASURE_STOP:
            measure = measure[:i]
            break
    span = document[start:end]
    for cut in range(len(measure), 0, -1):   # the span ends inside the measure: 51个 | 工作日
        head, rest = measure[:cut], measure[cut:]
        if span.endswith(head) and rest and document.startswith(rest, end):
            return end + len(rest)
    return end


def _kind_completed(kind_named: tuple[str, ...], document: str, start: int, end: int) -> int:
    """获批的重点开发开放试验区是哪个 answered 延吉－长白 where the text goes on 重点开发开放试验区:
    a name ends with its kind, so the span takes in the rest of the kind the question names (two
    characters at least; the span may already say its start)."""
    reach = max(map(len, kind_named), default=0)
    span, ahead = fold(document[start:end]), fold(document[end:end + reach])
    return end + max((len(kind) - cut for kind in kind_named for cut in range(len(kind) - 1)
                      if span.endswith(kind[:cut]) and ahead.startswith(kind[cut:])), default=0)


def _ordinal(question_text: str, document: str, start: int) -> int:
    """第几名 answered 17名 where the text says 第17名: the span takes in 第."""
    if "第几" in question_text and start > 0 and document[start - 1] == "第":
        return start - 1
    return start
