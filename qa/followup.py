"""Follow-ups: a question that leans on the one before it in a conversation.

A follow-up that says only what changes is the question before with that part replaced:
    那广东呢？      after 河南去年GDP增长多少？        → 广东去年GDP增长多少？     (a place)
    那2023年呢？    after 2024年河南GDP增长多少？      → 2023年河南GDP增长多少？   (a year)
    服务业增加值呢？ after 四川2024年规上工业增加值增长多少？ → 四川2024年服务业增加值增长多少？ (a measure)
    增长了多少？    after 湖北2024年GDP是多少？         → 湖北2024年GDP增长了多少？   (what is asked)
    四川改了多少个？ after 内蒙古2024年改造了多少个老旧小区？ → 四川2024年改造了多少个老旧小区？
A new measure replaces the words the corpus says it with (农村的呢 after 城镇居民人均可支配收入:
农村居民人均可支配收入). Read as "the question before；服务业增加值", the reader answered the
question before. A follow-up that asks something of its own (那2025年计划建多少所学校呢？) keeps
the question before as context to borrow from; a complete question (谁作了报告？) stands alone,
about the place being talked of when it names none. Rules about how Chinese questions are put
together (place, year, measure, then what is asked), not about one report.
"""
from __future__ import annotations

import re
from typing import Callable

from . import language as lang
from .normalize import fold

_FILLER = re.compile(r"[的呢吧啊呀？?。!！，, ]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# What a question asks, after its measure: a verb or two, then the question word (增长多少,
# 是多少, 达到几, 提高到了多少, 排名第几, 排全国第几); the measure is what stands before it.
_ASKED = re.compile(r"(?:同比|比上年|较上年)?(?:计划|预期)?(?:在(?:" + lang.RANK_SCOPE + "))?"
                    r"(?:增长|增加|新增|提高|提升|下降|减少|降低|达到|达|突破|超过|"
                    r"占|排名|排|位列|居)?(?:" + lang.RANK_SCOPE + r")?(?:到|至)?的?(?:预期)?(?:目标|计划)?"
                    r"(?:是|为|有)?了?第?(?:多少|几|什么|哪|怎样|如何)")
# Words that only frame what is asked (四川定的是多少啊): no measure of their own.
_HOW_ONE_ASKS = re.compile(r"定|订|设|打算|准备|力争|预计|吗|嘛|啦")
# The unit after the question word (多少人次) is the old measure's: a new measure (旅游总收入 after
# 接待游客多少人次) is asked without it.
_UNIT_AFTER = re.compile("^(?:多少|几)(" + "|".join(map(re.escape, lang.UNITS)) + ")")


def resolve(question: str, previous: str | None, known_places: dict[str, str],
            asks: Callable[[str], bool],
            says: Callable[[str], bool] = lambda phrase: False) -> tuple[str, str | None]:
    """(what is asked now, the question before as context, or None). `asks` tells whether a
    text asks something itself (has a question word or asks a kind); `says`, whether the
    corpus says a phrase (农村居民人均可支配收入), to place a new measure in the old one."""
    if not previous:
        return question, None
    bare = lang.FOLLOWUP_LEAD.sub("", question).rstrip("?？。!！ ")
    rewritten = _asked_anew(bare, previous) or _said_again_of(bare, previous, known_places, says)
    if rewritten:
        return rewritten, None
    elliptical = (bare != question.rstrip("?？。!！ ") or bare.endswith("呢")
                  or (len(bare) <= 8 and not asks(bare)))
    if not elliptical:
        return _with_place_talked_of(question, previous, known_places), None
    focus = bare.removesuffix("呢")
    if asks(focus):
        return focus, previous
    rewritten = _with_part_replaced(focus, previous, known_places, says)
    return (rewritten, None) if rewritten else (focus, previous)


def _asked_anew(bare: str, previous: str) -> str | None:
    """增长了多少？ 排第几？ 今年计划增长多少？ 总量呢？: the question before, asking this instead
    (of the year said, if one is); None when the follow-up says more than a year and what it
    asks."""
    said = fold(_FILLER.sub("", bare)).removesuffix("呢")
    years = _years_said(said)
    asked = said
    for year in years:
        asked = asked.replace(year, "")
    asked = lang.ASKED_BY_NAME.get(asked, asked)
    asked_before = _ASKED.search(fold(previous))
    if not asked or not _ASKED.fullmatch(asked) or not asked_before:
        return None
    question = previous[:asked_before.start()] + asked + "？"
    return _replace_first(question, _years_said(fold(question)), years[0]) if years else question


def _said_again_of(bare: str, previous: str, known_places: dict[str, str],
                   says: Callable[[str], bool]) -> str | None:
    """四川定的是多少啊 / 四川改了多少个？ after 内蒙古2024年改造了多少个城镇老旧小区？: a place or a year,
    and nothing else the question before did not say but how one asks; it asks the question
    before of that place or year."""
    folded = fold(_FILLER.sub("", bare))
    places = [fold(n) for n in sorted(known_places, key=len, reverse=True)
              if n and fold(n) in folded]
    years = _years_said(folded)
    if not places and not years:
        return None
    rest = folded
    for said in places + years:
        rest = rest.replace(said, "")
    rest = _HOW_ONE_ASKS.sub("", lang.FOLLOWUP_FRAME.sub("", rest))
    if any(ch not in fold(previous) for ch in _CJK.findall(rest)):
        return None
    return _with_part_replaced("".join(places[:1] + years[:1]), previous, known_places, says)


def _years_said(folded: str) -> list[str]:
    """The years a text says, as it says them: 2024年, 今年."""
    return [f"{y}年" for y in lang.YEAR.findall(folded)] + lang.RELATIVE_YEAR_SAID.findall(folded)


def _with_place_talked_of(question: str, previous: str, known_places: dict[str, str]) -> str:
    """A question of its own in a conversation (获得国家科技奖多少项？ after 浙江2024年新增…) is
    about the place being talked of, put first (浙江获得国家科技奖多少项？), unless it names one."""
    if _first_place(question, known_places):
        return question
    place = _first_place(previous, known_places)
    return place + question if place else question


def _first_place(text: str, known_places: dict[str, str]) -> str:
    """The place name `text` says first (as the corpus names it, 浙江 or 浙江省), or ""."""
    folded = fold(text)
    said = [(folded.find(fold(n)), -len(n), n) for n in known_places if n and fold(n) in folded]
    return min(said)[2] if said else ""


def _with_part_replaced(focus: str, before: str, known_places: dict[str, str],
                        says: Callable[[str], bool]) -> str | None:
    """The question before with the place, year and measure the follow-up says in place of its
    own; None when the follow-up says nothing of these or its measure cannot be placed."""
    folded = fold(focus)
    places = [n for n in sorted(known_places, key=len, reverse=True) if n and n in folded]
    years = _years_said(folded)
    measure = folded
    for said in [fold(p) for p in places] + years:
        measure = measure.replace(said, "")
    measure = _FILLER.sub("", lang.FOLLOWUP_FRAME.sub("", measure))
    question = before
    if places:
        question = _replace_first(question, [fold(n) for n in known_places], places[0])
    if years:
        question = _replace_first(question, _years_said(fold(question)), years[0])
    if len(_CJK.findall(measure)) >= 2:
        return _measure_replaced(question, measure, known_places, says)
    return question if places or years else None


def _replace_first(question: str, named: list[str], new: str) -> str:
    """`question` with the first of `named` (folded forms) it says replaced by `new` and the rest
    dropped, or with `new` put first when it says none of them. Found in the folded question
    (廣東 is 广东), spliced into the question as asked (folding keeps every offset)."""
    folded = fold(question)
    spans = sorted(((m.start(), m.end()) for n in named if n
                    for m in re.finditer(re.escape(n), folded)), key=lambda s: (s[0], -s[1]))
    if not spans:
        return new + question
    kept, last = [], -1
    for start, end in spans:          # a longer name and a shorter one inside it: one mention
        if start >= last:
            kept.append((start, end))
            last = end
    out, cursor = [], 0
    for i, (start, end) in enumerate(kept):
        out.append(question[cursor:start] + (new if i == 0 else ""))
        cursor = end
    return "".join(out) + question[cursor:]


def _measure_replaced(question: str, measure: str, known_places: dict[str, str],
                      says: Callable[[str], bool]) -> str | None:
    """`question` asking about `measure` instead: its measure is what stands between its place
    and year and what it asks (四川2024年 | 规模以上工业增加值 | 增长多少). The follow-up replaces
    that measure up to the last word they share (农村居民 for 城镇居民 in 城镇居民人均可支配收入);
    sharing none, the head of it where the corpus says what that makes (农村 for 城镇:
    农村居民人均可支配收入; 家电 for 新能源汽车 in 新能源汽车消费), else the whole of it
    (优良天数比率 for PM2.5浓度)."""
    folded = fold(question)
    asked = _ASKED.search(folded)
    if asked is None:
        return None
    leading = [m.end() for pattern in (lang.YEAR, lang.RELATIVE_YEAR_SAID)
               for m in pattern.finditer(folded, 0, asked.start())]
    leading += [folded.find(fold(n)) + len(fold(n)) for n in known_places
                if n and 0 <= folded.find(fold(n)) < asked.start()]
    start = max(leading, default=0)
    start += len(folded[start:]) - len(folded[start:].lstrip("的，, "))
    if asked.start() <= start:
        return None
    run = folded[start:asked.start()]
    cut, end = start, asked.start()
    for size in range(len(measure), 1, -1):        # the longest end of the new measure it says
        at = run.rfind(measure[-size:])
        if at != -1:
            end = start + at + size
            break
    else:
        head = next((k for k in range(1, len(run) - 1) if says(measure + run[k:])), None)
        if head:
            end = start + head
        elif run.endswith(measure[-1]) and len(run) > len(measure):   # 授权量 for 申请量 of 专利申请量
            cut = asked.start() - len(measure)
    tail = question[asked.start():]
    if (cut, end) == (start, asked.start()):   # a new measure whole: the old one's unit goes too
        tail = _UNIT_AFTER.sub(lambda m: m.group()[:-len(m.group(1))], tail)
    return question[:cut] + measure + question[end:asked.start()] + tail
