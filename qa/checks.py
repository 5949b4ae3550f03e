"""Checks that rule a candidate answer out, each with a reason a person can read.

The reader finds spans; it does not know that 专利申请量达到16284件 is a 2020 figure when the
question asks about 2021, nor that a rate does not answer 多少亿元. Each check compares one thing
the question pins down (`analysis.Question`) with the candidate's text and where it stands, and
returns a `Finding` when they disagree. They know Chinese and reports in general, not one report.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import language as lang
from .analysis import Question
from .answer import Finding
from .candidate import Candidate
from .cleaning import numbering_rank
from .index import Index
from .metadata import place_names, region_of, written_year
from .normalize import fold

_UNITS = "|".join(map(re.escape, lang.UNITS))
_AMOUNT = re.compile(rf"[\d一二三四五六七八九十百千万亿两]+(?:\.\d+)?\s*(?:余|多)?\s*"
                     rf"((?:[万亿千百])?\s*(?:余|多)?\s*(?:个百分点|百分点|{_UNITS}|%|％|‰|倍|成))")
_HEADING_MAX = 40          # a line this short that names a year is a heading for what follows
_RANK_GIVEN = re.compile(r"第|前|首|名|位|强|冠|一流|领先")
_RANK_WITHOUT_NUMBER = re.compile(r"首|冠|前列|前茅|一流|领先")


def _is_rank(text: str) -> bool:
    """A rank is 第5, 前三, 居首位, 前列, or a bare 5 the reader cut from 第5位; 128万吨 is an
    amount, and 位列金牌榜 only says where the rank stands, without one."""
    if _RANK_WITHOUT_NUMBER.search(text):
        return True
    if not lang.NUMERAL.search(text):
        return False
    return bool(_RANK_GIVEN.search(text)) or not _AMOUNT.search(text)


class KindCheck:
    """A number, date or rank asked is not answered by words without one."""
    name = "kind"

    def __call__(self, question: Question, candidate: Candidate, index: Index) -> Finding | None:
        text = fold(candidate.text)
        if question.kind == lang.NUMBER and not lang.NUMERAL.search(text):
            return Finding(self.name, f"问题问的是数量，“{candidate.text}”里没有数字")
        if question.kind == lang.DATE and not (lang.DATE_GIVEN.search(text)
                                               or re.search(r"年|月|日|季度|期间|以来", text)):
            return Finding(self.name, f"问题问的是时间，“{candidate.text}”不是时间")
        if question.kind == lang.RANK and not _is_rank(text):
            return Finding(self.name, f"问题问的是名次，“{candidate.text}”不是名次")
        if question.kind in (lang.PLACE, lang.ORG, lang.PERSON) \
                and lang.POINTING_WORDS.fullmatch(text.strip("“”「」")):
            return Finding(self.name, f"“{candidate.text}”只是指代，没有说出名称")
        return None


class UnitCheck:
    """An amount asked in a unit the question names is not answered in another (多少件 / 万元;
    增速 / 亿元)."""
    name = "unit"

    def __call__(self, question: Question, candidate: Candidate, index: Index) -> Finding | None:
        asked = question.unit
        if question.kind != lang.NUMBER or asked == "个":
            return None
        given = [re.sub(r"\s|余|多", "", m.group(1)) for m in _AMOUNT.finditer(fold(candidate.text))]
        if not given:
            return None  # a bare figure: the reader's span may leave its unit outside
        if asked is None and not lang.CHANGE_OR_SHARE.search(fold(question.focus)) \
                and all(unit in _PERCENT_UNITS for unit in given):
            return Finding(self.name, f"问题问的是数量，原文给的是百分比“{candidate.text}”")
        if asked is None:
            return None  # 进度达到多少, 降低了多少: a rate or an amount may answer
        if any(same_measure(asked, unit) for unit in given):
            return None
        return Finding(self.name, f"问题问的单位是“{asked}”，原文给的是“{given[0]}”")


_PERCENT_UNITS = ("%", "％", "‰", "个百分点", "百分点")


def same_measure(asked: str, given: str) -> bool:
    if asked == "%":
        return given in _PERCENT_UNITS + ("倍", "成")
    if given in _PERCENT_UNITS:
        return False
    if given == asked or given.endswith(asked) or asked.endswith(given):
        return True
    return any(asked in family and given in family for family in lang.UNIT_FAMILIES)


class YearCheck:
    """A question about one year is not answered by a sentence about another."""
    name = "year"

    def __call__(self, question: Question, candidate: Candidate, index: Index) -> Finding | None:
        years = asked_years(question, index.info.get(candidate.doc_id))
        if not years:
            return None
        said = time_context(index, candidate.doc_id, candidate.sentence.start,
                            candidate.sentence.end)
        if not said or set(years) & set(said):
            return None
        asked = "、".join(f"{y}年" for y in years)
        if not question.years:
            asked += "（按这份文件的年份推算）"
        return Finding(self.name, f"问题问的是{asked}，原文说的是{'、'.join(f'{y}年' for y in said)}")


def asked_years(question: Question, info) -> tuple[int, ...]:
    """The years the question names, or the one its 去年/今年 means in the document's time,
    counted from the year it was written (none when its title has no year)."""
    if question.years or question.relative_year is None:
        return question.years
    written = written_year(info)
    return (written + question.relative_year,) if written else ()


def time_context(index: Index, doc_id: str, start: int, end: int) -> tuple[int, ...]:
    """The years a sentence is about: those it names; else those named earlier in its
    paragraph; else those its section's headings name, or mean (过去一年 in a 2025 report:
    2024); else those of the nearest short line above it in its part that names or means one
    (a heading the cleaning did not recognise); else the year its numbered part speaks of
    most; else the year its document is about, when it is about one year only (a report that
    reviews one year and plans the next says nothing by default)."""
    text = index.document_text(doc_id)
    info = index.info.get(doc_id)
    written = written_year(info)
    # 今年 in a 2025 report's sentence is 2025, whatever section it stands in.
    own = _years(text[start:end]) or _relative_years(text[start:end], written)
    if own:
        return own
    paragraph_start = text.rfind("\n", 0, start) + 1
    earlier = _years(text[paragraph_start:start])
    if earlier:
        return earlier
    # The innermost heading that names a year (一、2024年工作回顾 · （一）…); the document's own
    # title heading (2025年政府工作报告) dates the report, not what a section reviews.
    for heading in reversed(index.section_title(doc_id, start).split(" · ")):
        if heading and not (info and heading == info.title):
            if years := _heading_years(heading, written):
                return years
    cursor = paragraph_start - 1
    part = _part(index, doc_id, start)
    while cursor > part.start:
        line_start = text.rfind("\n", 0, cursor) + 1
        line = text[line_start:cursor]
        if len(line.strip()) <= _HEADING_MAX and not (info and line.strip() == info.title):
            if years := _heading_years(line, written):
                return years
        cursor = line_start - 1
    if part.end and (year := _year_mostly_said(text[part.start:part.end], written)):
        return (year,)
    return info.years if info and len(info.years) == 1 else ()


@dataclass(frozen=True)
class _Part:
    start: int
    end: int      # 0: the document has no numbered parts


def _part(index: Index, doc_id: str, offset: int) -> _Part:
    """The numbered part holding `offset` (一、… up to 二、…): a year-naming line of the part
    before (一年来的主要工作是： over the review) does not date the plans of the next."""
    def part(section) -> str:
        return next((h for h in section.title.split(" · ") if numbering_rank(h) == 1), "")
    own = part(index.section_at(doc_id, offset))
    sections = [s for s in index.documents[doc_id].sections if own and part(s) == own]
    if not sections:
        return _Part(0, 0)
    return _Part(min(s.start for s in sections), max(s.end for s in sections))


def _year_mostly_said(text: str, written: int | None) -> int | None:
    """The year a part of a report speaks of, when it names or means one far more often than
    any other (a review of 2024 under a title without a year; the plans for 2025)."""
    counts = Counter(year for sentence in re.split("[。；\n]", text)
                     for year in _years(sentence) or _relative_years(sentence, written))
    (year, n), (_, runner_up) = (counts.most_common(2) + [(None, 0), (None, 0)])[:2]
    return year if n >= 2 and n >= 2 * runner_up else None


def _heading_years(heading: str, written: int | None) -> tuple[int, ...]:
    """The years a heading names, else the one it means relative to the year the document
    was written (过去一年 → the year before), when that is known."""
    named = _years(heading)
    if named or not written:
        return named
    said = lang.RELATIVE_YEAR_SAID.search(fold(heading))
    return (written + lang.RELATIVE_YEAR[said.group()],) if said else ()


def _relative_years(text: str, written: int | None) -> tuple[int, ...]:
    """The years 今年, 去年, 过去一年… in the text mean, counted from its document's year."""
    if written is None:
        return ()
    return tuple(dict.fromkeys(written + lang.RELATIVE_YEAR[m]
                               for m in lang.RELATIVE_YEAR_SAID.findall(fold(text))))


def _years(text: str) -> tuple[int, ...]:
    folded = lang.BASELINE_YEAR.sub(" ", fold(text))
    return tuple(dict.fromkeys(int(y) for y in lang.YEAR.findall(folded)))


class PlaceCheck:
    """A question about one place is not answered by a document about another place, nor by
    a sentence that does not name the city it asks about."""
    name = "place"

    def __call__(self, question: Question, candidate: Candidate, index: Index) -> Finding | None:
        info = index.info.get(candidate.doc_id)
        regions = {lang.PROVINCES[p] for p in question.places if p in lang.PROVINCES}
        text, start, end = (index.document_text(candidate.doc_id), candidate.sentence.start,
                            candidate.sentence.end)
        window, sentence = fold(text[max(0, start - 200):end]), fold(text[start:end])
        if question.places and info and info.place and info.place not in question.places \
                and info.region not in regions and not _speaks_of(question.places, info, sentence):
            return Finding(self.name, f"问题问的是{'、'.join(question.places)}，"
                                      f"这段原文出自{info.place}的报告")
        own = (set(info.place_names) | {info.region}) - {""} if info else set()
        for name in named_cities(question):
            if name not in own and not any(name in o for o in own) and name not in window:
                return Finding(self.name, f"问题问的是{name}，原文这里没有说到{name}")
        return None


def _speaks_of(places: tuple[str, ...], info, sentence: str) -> bool:
    """A province's report answers for a place in that province (郑州高新区 in 河南) in a
    sentence that names the place itself (郑州机场), not only its kind (高新区)."""
    if info.place not in lang.PROVINCES:
        return False
    names = {name for place in places if region_of(place) == info.region
             for name in place_names(place) if not lang.PLACE_CATEGORY.fullmatch(name)}
    return any(name in sentence for name in names)


def named_cities(question: Question) -> list[str]:
    """The cities (深圳, 绵阳市) and provinces a question names, other than the places that
    chose its documents."""
    folded = fold(question.focus)
    names = [city for city in lang.CITIES if city in folded]
    names += [short for full, short in lang.PROVINCES.items() if short in folded]
    named = set(question.places)
    return list(dict.fromkeys(n for n in names if n not in named
                              and not any(n in p or p in n for p in named)))


class ChoiceCheck:
    """A choice (A还是B) is answered only with the one option its sentence names."""
    name = "choice"

    def __call__(self, question: Question, candidate: Candidate, index: Index) -> Finding | None:
        if not question.options:
            return None
        sentence = fold(index.document_text(candidate.doc_id)[candidate.sentence.start:
                                                               candidate.sentence.end])
        named = [o for o in question.options if o in sentence]
        if len(named) != 1:
            return Finding(self.name, "原文没有明确说是" + "还是".join(question.options))
        return None


class OppositeCheck:
    """A measure asked is not answered by a figure said of its opposite in the same clause:
    2024年一般公共预算收入 by 一般公共预算支出2164.9亿元, 第三产业 by 第一产业增加值增长6.2%."""
    name = "opposite"

    def __call__(self, question: Question, candidate: Candidate, index: Index) -> Finding | None:
        asked = fold(question.focus)
        text = index.document_text(candidate.doc_id)
        before = text[candidate.sentence.start:candidate.span.start]
        clause = fold(re.split(r"[，,；;：:]", before)[-1] + candidate.text)
        if "分别" in clause:   # 城乡居民收入分别达6.6万元和3.2万元: the pairing decides
            return None
        for words in lang.OPPOSITES:
            named, said = _words_in(words, asked), _words_in(words, clause)
            if len(named) == 1 and said and named[0] not in said:
                return Finding(self.name, f"问题问的是{named[0]}，原文这里说的是{said[0]}")
        return None


def _words_in(words: tuple[str, ...], text: str) -> list[str]:
    """The words of the set the text says, a longer one first and not again inside it."""
    said = []
    for word in sorted(words, key=len, reverse=True):
        if word in text:
            said.append(word)
            text = text.replace(word, " ")
    return said


class FromToCheck:
    """What a measure changed to is not what it changed from: 提高到每人每月多少元, where the text
    says 标准分别从每人每月202元、270元提高到209元、280元, is not answered 202元."""
    name = "from_to"

    def __call__(self, question: Question, candidate: Candidate, index: Index) -> Finding | None:
        asked = fold(question.focus)
        if not _TO_ASKED.search(asked) or _FROM_SAID.search(asked):
            return None
        text = index.document_text(candidate.doc_id)
        before = re.split(r"[，,；;：:]", text[candidate.sentence.start:candidate.span.start])[-1]
        after = text[candidate.span.end:candidate.sentence.end]
        if _FROM_SAID.search(before) and _TO_SAID.match(after):
            return Finding(self.name, f"“{candidate.text}”是变化前的数，问题问的是变化后的")
        return None


_TO_ASKED = re.compile(r"[到至为][^，,。？?]{0,8}?(?:多少|几)")
_FROM_SAID = re.compile(r"[从由]")
_TO_SAID = re.compile(r"[^，,；;。]{0,12}?[到至为][^，,；;。]{0,8}?\d")


CHECKS = (KindCheck(), UnitCheck(), YearCheck(), PlaceCheck(), ChoiceCheck(), OppositeCheck(),
          FromToCheck())


def findings(question: Question, candidate: Candidate, index: Index) -> list[Finding]:
    """What rules this candidate out (empty: nothing does)."""
    return [f for check in CHECKS if (f := check(question, candidate, index)) is not None]
