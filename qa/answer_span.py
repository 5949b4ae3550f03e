"""Where the answer stands inside a clause: a span of the asked-for kind near the question's
words, the name in front of the noun the question asks about (什么峰会 → 数智治理领航者峰会), or
else the words of the clause that the question does not already say.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .answer_types import (COMPANY, COMPANY_SPAN, DATE, DATE_SPAN, FUNCTION_CHARS, LIST, NUMBER,
                           NUMBER_SPAN, ORG, OTHER, PEOPLE, PERSON, PLACE, QUOTED_SPAN, RANK, TERM,
                           TITLES, YESNO, Expectation, find_spans, number_unit, unit_matches)
from .normalize import fold, is_cjk

Span = tuple[int, int]


def answer_span(text: str, clause, window, expectation: Expectation,
                 weights: dict[str, float], head: Head | None) -> tuple[tuple[int, int] | None, float]:
    """The best span of the expected kind in the clause (else its window, else the sentence),
    and how well it fits (1 = right kind and unit, 0.5 = right kind, wrong unit, 0 = none)."""
    kind = expectation.kind
    if kind == YESNO:
        return tidy(text, clause), 1.0  # the clause that says so is the evidence
    if head and kind in (TERM, ORG, PLACE, LIST, OTHER):
        # A head whose end is sure: its end in the clause or the one before beats its start.
        passes = ((False, True) if head.sure_end else (None,))
        for by_start, in_window in [(b, w) for b in passes for w in (False, True)]:
            area = window if in_window else clause
            if in_window and (expectation.name_asked or kind == TERM):
                # 2.0版政策叫什么 … 推出“网安十条”2.0版: a name quoted in the clause itself
                # beats the head noun in the clause before.
                quoted = [m.span() for m in QUOTED_SPAN.finditer(text, clause[0], clause[1])
                          if _novel(text, m.span(), weights)]
                if len(quoted) == 1:
                    return tidy(text, quoted[0]), 0.75
            found = _modifier_of_head(text, area, head.text, weights, by_start)
            if found is not None and tidy(text, found[0]) is not None:
                span = tidy(text, found[0])
                if expectation.name_asked or kind == TERM:
                    # 是什么 keeps a short quoted modifier with its noun (“一网”服务).
                    quoted = _quoted_name(text, span)
                    if expectation.name_asked or quoted[1] - quoted[0] >= 3:
                        span = quoted
                    # “梧桐”1+6+N政策体系: a name with a code is named with its noun.
                    if _CODED_NAME.search(text, span[0], span[1]) and \
                            fold(text[span[1]:span[1] + len(head.text)]) == head.text:
                        span = (span[0], span[1] + len(head.text))
                # The more of the head noun the clause has, the surer (便民服务模式 over 新模式).
                return span, 0.5 + 0.5 * (found[1] / len(head.text)) ** 2
    if kind != OTHER:
        for area in (clause, window):
            found = [(area[0] + a, area[0] + b) for a, b in find_spans(kind, text[area[0]:area[1]])]
            found = [s for s in found if _novel(text, s, weights)]
            if found:
                span, fit = _best_typed(text, found, expectation, weights, area)
                if kind == ORG and fit < 1.0 and area == clause:
                    subject = _subject(text, clause, weights)  # 天迈科技成功上市, not …实验场
                    if subject is not None:
                        return subject
                if kind in (ORG, LIST):
                    span = _without_said_tail(text, span, weights)
                # A quoted term anywhere is weak evidence when the question names what it is.
                return tidy(text, span), fit if not (head and kind == TERM) else 0.5
            subject = _subject(text, clause, weights) if kind == ORG and area == clause else None
            if subject is not None:
                return subject
    if expectation.name_asked:
        return None, 0.0  # 4所中小学分别叫什么名字 is not answered by 主体完成
    span = None
    for area in (clause, window):  # 成为河南首批大科学装置 says only 成: the clause before names it
        span = _novel_segment(text, area, weights)
        span = tidy(text, _whole_quotes(text, span, area)) if span is not None else None
        if span is not None and span[1] - span[0] >= 2:
            break
        span = None
    # Names, terms and lists are often unmarked: the words the question does not repeat.
    # A bare amount is not a name (新投用的4所中小学叫什么 is not answered by 4所).
    if span is not None and kind in (TERM, ORG, LIST) and NUMBER_SPAN.fullmatch(text[span[0]:span[1]]):
        span = None
    if kind not in (OTHER, TERM, LIST, ORG):
        return None, 0.0  # an amount, a date, a person or a place has a form of its own
    if span is None:
        return None, 0.0
    if kind == ORG:
        subject = _subject(text, clause, weights)
        if subject is not None:
            return subject
        if expectation.unit == COMPANY:
            return None, 0.0  # words that name no company (智慧产业发展提速) do not answer 哪家企业
    return span, 0.5


def _without_said_tail(text: str, span, weights) -> tuple[int, int]:
    """紫光股份智慧计算终端全球总部基地 asked 哪家公司的智慧计算终端全球总部基地项目…: the
    name without the long tail the question already says."""
    a, b = span
    end = b
    while end - 2 >= a and fold(text[end - 2:end]) in weights:
        end -= 1
    if end < b and fold(text[end - 1:end + 1]) in weights:
        end -= 1  # the tail's first character (份|智慧: 智 starts the said words)
    if b - end >= 4 and end - a >= 2:
        return a, end
    return span


_NAME_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z+.\-]*")
_CODED_NAME = re.compile(r"[”」》][0-9A-Za-z][0-9A-Za-z+.\-]*$")


def _quoted_name(text: str, span) -> tuple[int, int]:
    """叫什么: in 郑州(国家)高新区“一台多峰”智慧城市实验场 the name is the one quoted term;
    the rest says what it is."""
    quoted = list(QUOTED_SPAN.finditer(text, span[0], span[1]))
    if len(quoted) != 1:
        return span
    # “梧桐”1+6+N政策体系: a code written right after the quote is part of the name (and the
    # caller adds the noun after it).
    code = _NAME_CODE.match(text, quoted[0].end(), span[1])
    if code and code.end() > code.start():
        return quoted[0].start(), code.end()
    return tidy(text, (quoted[0].start(), quoted[0].end())) or span


def _subject(text: str, clause, weights) -> tuple[tuple[int, int], float] | None:
    """哪家企业成功上市 … 天迈科技成功上市: a short name opening the clause (or an item of it:
    百川畅银顺利过会、千味央厨即将过会), followed by the question's own words, is its subject:
    the organisation asked for. Of several, the one whose words say most of the question; it
    fits as well as its words say the question (上市 alone does not answer 哪家企业顺利过会)."""
    best, best_said = None, 0.0
    for m in _ITEM.finditer(text, clause[0], clause[1]):
        item = (m.start(), m.end())
        span = _novel_segment(text, item, weights)
        if span is None or span[0] != item[0] or not 2 <= span[1] - span[0] <= 10 \
                or span[1] >= item[1]:
            continue
        rest = fold(text[span[1]:item[1]])
        said = sum(w for k, w in weights.items() if len(k) > 1 and k in rest)
        if said > best_said:
            best, best_said = span, said
    if best is None:
        return None
    asked = sum(w for k, w in weights.items() if len(k) > 1) or 1.0
    return best, 0.6 + 0.4 * min(1.0, 2 * best_said / asked)


_HEAD_AFTER = re.compile(r"(?:什么样的?|什么|哪(?:[一二两三四五六七八九十几]|\d)*(?:个|家|种|类|位|项|所|座)?|何种)"
                         r"([\u4e00-\u9fff]{1,6})")
_HEAD_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,6})(?:叫什么|是什么|的名字|的名称|指的是)")
_CLASS_NOUNS = ("企业", "公司", "单位", "机构", "部门", "城市", "项目", "学校", "医院", "园区", "平台")
_VERB_START = FUNCTION_CHARS | set("获被成通得落开上吗呢奠将要可能会作")
_STOP_BACK = set("，,；;。：:！？!?\n")


@dataclass(frozen=True)
class Head:
    """The noun the asked-for thing is. After 什么 its start is sure and its end may run into
    the verb (什么样的底线思维防控…); before 叫什么 its end is sure (…建设的院区叫什么)."""
    text: str
    sure_end: bool


def head_noun(question: str) -> Head | None:
    """The noun the asked-for thing is (什么峰会 → 峰会, 服务模式叫什么 → 服务模式)."""
    for pattern in (_HEAD_AFTER, _HEAD_BEFORE):
        match = pattern.search(question)
        if not match:
            continue
        head = match.group(1)
        if set(head[:1]) & FUNCTION_CHARS:
            head = head[1:]
        if pattern is _HEAD_AFTER:
            # The noun ends where the verb starts (哪两家研究院获批… → 研究院).
            cut = next((i for i, ch in enumerate(head) if i >= 2 and ch in _VERB_START), len(head))
            head = head[:cut]
            # 哪家企业顺利过会: a class noun first is the whole head; what follows is the verb.
            head = next((noun for noun in _CLASS_NOUNS if head.startswith(noun)), head)
        else:
            head = head.rsplit("的", 1)[-1]  # 在高新区建设的院区叫什么 → 院区
            head = re.sub(r"^(?:[那这][个套项种家]?)", "", head)  # 那个政策体系叫什么 → 政策体系
        # 叫什么名 names no noun after 什么: the noun is before 叫什么.
        if len(head) >= 2 and head not in ("名字", "名称"):
            return Head(head, pattern is _HEAD_BEFORE)
    return None


def _modifier_of_head(text: str, clause, head: str, weights,
                      by_start: bool | None) -> tuple[tuple[int, int], float] | None:
    """In 举办2020年数智治理领航者峰会, the words before the head noun 峰会 up to what the
    question already says: the name asked for. Lists joined by 、 stay whole."""
    a, b = clause
    piece = fold(text[a:b])
    # The longest part of the head that the clause has: its end (帮扶企业活动 → 活动), or with
    # by_start its start, a weaker sign; by_start None: either, the longer first.
    ends = [(head[-size:], size) for size in range(len(head), 1, -1)]
    starts = [(head[:size], size) for size in range(len(head) - 1, 1, -1)]
    if by_start is None:
        parts = sorted(ends + starts, key=lambda p: -p[1])
    else:
        parts = [(part, size / 2) for part, size in starts] if by_start else ends
    for part, strength in parts:
        ends = sorted((m.start() for m in re.finditer(re.escape(part), piece)), reverse=True)
        for at in ends:
            span = _name_before(piece, at, at + len(part), weights, head)
            # 除了冷链…专班，还成立了什么专班: the occurrence the question names is not the answer.
            if span is not None and (_novel(text, (a + span[0], a + span[1]), weights)
                                     or _composed(piece[span[0]:span[1]], weights)):
                return (a + span[0], a + span[1]), strength
        if ends:
            return None
    return None


def _name_before(piece: str, head_start: int, head_end: int, weights,
                 head: str = "") -> tuple[int, int] | None:
    if head_start > 1 and piece[head_start - 1] == "等":
        return _list_before(piece, head_start - 1, weights)
    start = head_start
    # Step back over question words glued to the head (便民|服务模式), then over the name.
    while start > 0 and piece[start - 1:start + 1] in weights:
        start -= 1
    name_end = start
    while start > 0 and piece[start - 1] not in _STOP_BACK:
        # The question's words end the name, except the head's own (什么上市行动计划 …
        # 百企上市三年行动计划: 上市 is inside the name).
        gram = piece[start - 2:start]
        inside_head = gram in head and gram not in piece[head_start:head_end]
        if start >= 2 and gram in weights and not inside_head and start < name_end:
            break
        start -= 1
    # 这是从2月9日郑州高新区党工委…会议, 成功举办2020年数智治理…峰会: a name starts after a
    # preposition and after a date.
    lead = _NAME_LEAD.match(piece, start, name_end)
    if lead and name_end - lead.end() >= 2:
        start = lead.end()
    dates = [m.end() for m in DATE_SPAN.finditer(piece, start, name_end)]
    if dates and name_end - dates[-1] >= 2:
        start = dates[-1]
    while start < name_end and (piece[start] in FUNCTION_CHARS or piece[start] in "以对向、"):
        start += 1
    # A name made of the question's words in a new order (郑州市中心医院在高新区建的医院 →
    # 郑州市中心医院高新医院; _composed tells it from the question's words as they stand) runs
    # back over them to the start of its phrase.
    phrase_start = head_start
    while phrase_start > 0 and piece[phrase_start - 1] not in _STOP_BACK \
            and piece[phrase_start - 1] != "、":
        phrase_start -= 1
    composed = head_end - phrase_start >= head_end - head_start + 4 and \
        _composed(piece[phrase_start:head_end], weights)
    if composed and phrase_start < start:
        return phrase_start, head_end
    if name_end - start < 2:
        # The question's words come right before the head: the name is a listed item they do
        # not name (除了…还…), or else made of the question's words.
        listed = _list_before(piece, head_start, weights, min_items=2)
        if listed is not None:
            return listed
        return (phrase_start, head_end) if composed else None
    # 信大研究院、郑大研究院: names listed with 、 before this one belong to the answer too.
    while start > 1 and piece[start - 1] == "、":
        previous = start - 1
        while previous > 0 and piece[previous - 1] not in _STOP_BACK and piece[previous - 1] != "、":
            previous -= 1
        if piece[previous:start - 1].endswith(piece[name_end:head_end][-2:]):
            start = previous  # the same kind of thing (…研究院、…研究院), not an unrelated phrase
        else:
            break
    end = head_end
    # A quoted name is whole even where it repeats the question's words (“防疫隔离报警系统”).
    for quoted in QUOTED_SPAN.finditer(piece):
        if quoted.start() < end and start < quoted.end():
            start, end = min(start, quoted.start()), max(end, quoted.end())
    return start, end


def _list_before(piece: str, list_end: int, weights,
                 min_items: int = 1) -> tuple[int, int] | None:
    """The items listed before list_end (joined by 、 or 暨) that the question does not already
    name: 探索建立“店小二”“首席服务官”、楼宇服务官等… asked 除了“店小二”“首席服务官”，还…什么
    → 楼宇服务官; 推出“交房即发证”暨“不动产便民服务站进社区”新模式 → “交房即发证”."""
    start = list_end
    while start > 0 and piece[start - 1] not in _STOP_BACK:
        start -= 1
    items = [(start + m.start(), start + m.end()) for m in _ITEM.finditer(piece[start:list_end])]
    novel = [item for item in items if _novel(piece, item, weights)]
    if not novel or len(items) < min_items:
        return None
    start, end = novel[0][0], novel[-1][1]
    while start + 1 < end and piece[start:start + 2] in weights:
        start += 1  # the verb the question repeats (探索建立“店小二”… → “店小二”…)
    if start < end and piece[start - 1:start + 1] in weights:
        start += 1
    return (start, end) if end - start >= 2 else None


_ITEM = re.compile(r"[^、暨]+")
_NAME_LEAD = re.compile(r"(?:[^，,；;。从于由自]{0,6}[从于由自])?(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?")


def _composed(piece: str, weights) -> bool:
    """Question words in a new order: at least two joints that are not in the question."""
    joints = [piece[i:i + 2] for i in range(len(piece) - 1)]
    return sum(1 for g in joints if g not in weights) >= 2 and \
        all(piece[i:i + 2] in weights or piece[i + 1:i + 3] in weights for i in range(len(piece) - 2))


def _novel(text: str, span, weights) -> bool:
    """A span that only repeats the question is not its answer."""
    # Quotes and brackets are not words: “店小二” repeats the question as much as 店小二 does.
    piece = "".join(ch for ch in fold(text[span[0]:span[1]]) if ch not in _EDGE_PUNCTUATION)
    # 1000万元电子消费券带动了多少消费额: the amount the question states is not its answer.
    if any(n in weights for n in re.findall(r"\d+(?:\.\d+)?", piece)):
        return False
    grams = [piece[i:i + 2] for i in range(len(piece) - 1)] or [piece]
    return sum(1 for g in grams if g in weights) < max(1, 0.8 * len(grams))


def _best_typed(text, spans, expectation: Expectation, weights, area):
    # 记者是谁: of the people in the clause, the one with the title asked for.
    titles = [t for t in TITLES if t in weights] if expectation.kind == PERSON else []

    def unit_fit(span) -> float:
        if titles:
            return 1.0 if any(t in text[span[0]:span[1]] for t in titles) else 0.6
        if expectation.kind == RANK and expectation.unit:
            return 1.0 if text[span[0]:span[1]].startswith(expectation.unit) else 0.3
        if expectation.kind == ORG and expectation.unit == COMPANY:
            return 1.0 if COMPANY_SPAN.search(text[span[0]:span[1]]) else 0.5
        if expectation.kind == DATE and expectation.unit == "日":
            return 1.0 if re.search(r"[日号]$", text[span[0]:span[1]]) else 0.3
        if expectation.kind != NUMBER or not expectation.unit:
            return 1.0
        unit = number_unit(text[span[0]:span[1]])
        # 排名前进6名 moves a ranking; it counts no one (多少名博士).
        if unit in ("名", "位") and _RANK_MOVE.search(text[max(0, span[0] - 4):span[0]]) and \
                not any(_RANK_MOVE.search(k) for k in weights):
            return 0.3
        if unit_matches(expectation.unit, unit):
            return 1.0
        if unit == "%" or (expectation.unit == "个" and unit and unit_matches("元", unit)):
            return 0.0  # a share answers only a share; 打造了几个 is not answered by 1000万元
        if expectation.unit == "人" and PEOPLE.match(fold(text[span[1]:span[1] + 4])):
            return 1.0  # 37万居民: people counted by the noun after the number
        return 0.5 if unit else 0.3

    labels = _labels(text, spans, area)

    def nearness(i, span) -> float:
        # A number is named by the words right before it (its label); words right after it can
        # name it too (1405家企业享受…). A label that says other things is a weaker match.
        label, respective = labels[i]
        after_end = span[1]
        while after_end < area[1] and text[after_end] not in _SEPARATORS and after_end - span[1] < 10:
            after_end += 1
        after = fold(text[span[1]:after_end])
        grams = {label[i:i + 2] for i in range(len(label) - 1)}  # a word said twice counts once
        matched = sum(weights.get(g, 0.0) for g in grams)
        precision = sum(1 for g in grams if g in weights) / len(grams) if grams else 0.0
        # The question names this one of the things 分别 lists, and not the others.
        others = {name for _, name in labels if name and name != respective}
        named = (respective is not None and any(respective in k for k in weights)
                 and not any(other in k for other in others for k in weights))
        return (matched * (0.5 + 0.5 * precision) + (max(weights.values()) if named else 0.0)
                + 0.4 * sum(w for k, w in weights.items() if len(k) > 1 and k in after))

    scored = [(unit_fit(s), nearness(i, s), -i, s) for i, s in enumerate(spans)]
    fit, _, _, span = max(scored)
    return span, fit


_SEPARATORS = "、，,；;"
_LEADS_TO_NUMBER = re.compile(r"(?:达到|达|共计|累计|超过|约|为)$")
_RANK_MOVE = re.compile(r"前进|上升|提升|进步|下降|后退|排名|位列|名列|名次|前挪|前移")
_RESPECTIVELY = re.compile(r"分别(?:占|为|是|达到?|增长|比|获评|获批)?([\u4e00-\u9fff、和]+?)的?$")


def _respective_names(words: str, count: int) -> list[str]:
    """The things 分别 lists: 省市 (one character each), 省、市小型…基地 (the head after the
    last name is shared; names as long as the middle ones, else one character)."""
    parts = re.split(r"[、和]", words)
    if len(parts) == 1:
        return list(words) if len(words) == count else []
    if len(parts) != count:
        return []
    size = len(parts[1]) if count > 2 else 1
    return [parts[0][-size:]] + parts[1:-1] + [parts[-1][:size]]


def _labels(text, spans, area) -> list[tuple[str, str | None]]:
    """Each number's label (folded): the words before it back to the previous item of a list,
    and, in 分别占省市的14%、58.3%, the one of the things listed that it belongs to (省, 市).
    In a list that shares its head (新增国家级企业技术中心1家、省级3家), a short label borrows
    the rest of the head from the item before: 省级 → 省级企业技术中心."""
    labels = []
    for span in spans:
        label_start = area[0]
        for other in spans:
            if other[1] <= span[0]:
                label_start = max(label_start, other[1])
        for i in range(span[0] - 1, label_start - 1, -1):
            if text[i] in _SEPARATORS:
                label_start = i + 1
                break
        label = fold(text[label_start:span[0]])
        after_list = label_start > 0 and text[label_start - 1] == "、"
        if after_list and labels and len(label) <= 4 and len(labels[-1][0]) > len(label) + 1:
            before = labels[-1][0]
            at = before.rfind(label[-1]) if label else -1
            label += before[at + 1:] if at >= 0 else before
        labels.append([label, None])
    # 分别 … X、Y (or XY, one character each) … v1、v2: each value gets its thing.
    i = 0
    while i < len(spans):
        run = [i]
        while run[-1] + 1 < len(spans) and text[spans[run[-1]][1]:spans[run[-1] + 1][0]] == "、":
            run.append(run[-1] + 1)
        lead_start = spans[i - 1][1] if i else area[0]
        match = _RESPECTIVELY.search(fold(text[lead_start:spans[i][0]]))
        if len(run) >= 2 and match:
            for j, name in zip(run, _respective_names(match.group(1), len(run))):
                labels[j][1] = name
        i = run[-1] + 1
    return [tuple(x) for x in labels]


_EDGE_PUNCTUATION = set("、，,；;。：:！？!?()（）“”《》「」\" \n")


def tidy(text, span) -> tuple[int, int] | None:
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


def _whole_quotes(text: str, span, area) -> tuple[int, int]:
    """A span that opens a quote closes it (构建了“以小区保社区、以社区保城区”), within its area."""
    a, b = span
    for opening, closing in (("“", "”"), ("《", "》")):
        piece = text[a:b]
        if piece.count(opening) > piece.count(closing):
            end = text.find(closing, b, area[1])
            b = end + 1 if end >= 0 else b
        elif piece.count(closing) > piece.count(opening):
            start = text.rfind(opening, area[0], a)
            a = start if start >= 0 else a
    return a, b


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
    # Numbers and words the question says whole (16284件指的是什么: 16284 is said).
    for key in weights:
        if len(key) > 2 or not is_cjk(key[0]):  # keys are CJK pairs and chars, or ASCII words
            at = piece.find(key)
            while at >= 0:
                covered[at:at + len(key)] = [True] * len(key)
                at = piece.find(key, at + 1)
    best, run_start = None, None
    for i in range(len(piece) + 1):
        if i < len(piece) and not covered[i] and piece[i] not in _STOP_BACK:
            run_start = i if run_start is None else run_start
            continue
        if run_start is not None:
            s, e = run_start, i
            while s < e and (piece[s] in FUNCTION_CHARS or not piece[s].strip()
                             or piece[s] in "“”《》()（）、"):
                s += 1
            while e > s and (piece[e - 1] in FUNCTION_CHARS or not piece[e - 1].strip()
                             or piece[e - 1] in "“”《》()（）、"):
                e -= 1
            # 专利申请量达到|16284件: the verb that led to the number is not part of the name.
            lead_verb = _LEADS_TO_NUMBER.search(piece, s, e)
            if lead_verb and lead_verb.start() - s >= 2 and piece[e:e + 1].isdigit():
                e = lead_verb.start()
            if e > s and (best is None or e - s > best[1] - best[0]):
                best = (s, e)
            run_start = None
    if best is None:
        return None
    return a + best[0], a + best[1]
