"""What kind of answer a question asks for, and where such answers stand in a clause.

多少/几 ask for an amount with its unit, 第几/排名 for a rank, 哪一年 for a date, 谁 for a
person, 哪家/哪个机构 for an organisation, 哪里 for a place, 叫什么/什么… for a name or a quoted
term, 哪些/哪几 for a list. Each finder returns candidate spans (start, end) in a clause.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that ask rather than say (多少, 哪, 谁 …), and ones that only glue words together.
INTERROGATIVE = set("多少几哪谁什么吗呢怎样何啥")
FUNCTION_CHARS = set("的了在是为和与及对把将被从于等并也都还")

NUMBER, RANK, DATE, PERSON, ORG, PLACE, TERM, LIST, REASON, YESNO, OTHER = (
    "number", "rank", "date", "person", "organisation", "place", "term", "list", "reason", "yesno",
    "other")

# Longest units first so 万平方米 wins over 米, 个工作日 over 个.
UNITS = sorted("""万元 亿元 元 万人次 人次 万人 人 万家 家 个工作日 个路段 个 件 名 套 所 张 座 处 项
平方公里 万平方米 平方米 万立方米 立方米 千米 公里 米 天 户 条 次 床位 类 级 倍 台 辆 亩 吨
岁 位 批 种 期 场 届 栋 间 口 例 篇 本 部 份 小时 分钟 年 月 日 段 强
微克/立方米 毫克/立方米 微克 毫克 分贝 版""".split(), key=len, reverse=True)
_UNIT = "|".join(map(re.escape, UNITS))
NUMBER_SPAN = re.compile(
    r"(?:约|近|超|逾|共|达|前)?(?:双)?\d+(?:[.,]\d+)*(?:余)?(?:[万亿千百])?(?:余)?"
    rf"(?:%|‰|(?:{_UNIT}))?")
RANK_SPAN = re.compile(r"第(?:\d+|[一二三四五六七八九十百]+)(?:名|位|届)?|前\d+(?:强|名|位)?")
DATE_SPAN = re.compile(r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日")
QUOTED_SPAN = re.compile(r"“[^”]{1,40}”|《[^》]{1,60}》|「[^」]{1,40}」|\"[^\"]{1,40}\"")
LIST_SPAN = re.compile(r"[^，,；;。：:、“”]{1,12}(?:、[^，,；;。：:、“”]{1,12}){1,}")

# Titles that stand before a person's name in Chinese reports (主任张红军, 记者 孙庆辉).
_TITLES = "主任|副主任|书记|副书记|局长|区长|市长|省长|主席|院长|校长|经理|董事长|总裁|记者|教授|部长|处长|科长|组长|委员"
TITLES = tuple(t for t in _TITLES.split("|") if not t.startswith("副"))
PERSON_SPAN = re.compile(rf"(?:[^，,；;。、\s]{{0,8}}(?:{_TITLES}))\s*[\u4e00-\u9fff]{{2,3}}(?=[在作表说指出：:，,。\s]|$)")
_ORG_SUFFIX = ("集团|公司|股份|中心|研究院|研究所|医院|大学|学院|机构|基地|平台|园区|银行|委员会|管委会|"
               "办事处|论坛|峰会|实验区|实验场|联盟|系统|项目|政策体系|体系|计划|工程")
ORG_SPAN = re.compile(rf"[\u4e00-\u9fff·（）()“”]{{2,24}}?(?:{_ORG_SUFFIX})")
_PLACE_SUFFIX = "省|市|区|县|镇|乡|村|园区|高新区|开发区|新区"
PLACE_SPAN = re.compile(rf"[\u4e00-\u9fff]{{1,8}}(?:{_PLACE_SUFFIX})(?<!上市)(?<!城市)(?<!超市)(?<!股市)"
                        r"|苏州|郑州|河南|全国|全省|全市")

_YESNO_WORDS = "是否|有没有|是不是|能否|能不能|可否"
_PLACE_ASKED = re.compile(r"第(?:几|多少)(?:届|批|期)")
_BAND_ASKED = re.compile(r"前(?:多少|几)(?:名|强|位)")
_RANK_ASKED = re.compile(r"第几|排第|名次|第多少|位列|名列|排在|排位|位次|排(?:多少|几)(?:名|位)")  # 排名 alone may be a topic
_QUESTION_RULES: list[tuple[str, re.Pattern]] = [
    (DATE, re.compile(r"哪一年|哪年|什么时候|何时|哪个月|几月|几号|哪一?天|日期|什么时间")),
    (RANK, re.compile(rf"{_RANK_ASKED.pattern}|排名(?!前进|上升|提升)")),
    (PERSON, re.compile(r"谁|哪位|什么人|姓名")),
    (ORG, re.compile(r"哪家|哪个(?:单位|机构|企业|公司|部门|组织|论坛|平台|项目|研究院|医院|基地)"
                     r"|哪些(?:企业|机构|单位|研究院)|什么(?:单位|机构|公司|企业|论坛|平台|项目)")),
    (LIST, re.compile(r"哪几|哪些|包括什么|包括哪|分别是")),
    (NUMBER, re.compile(r"多少|几|多大|多高|多长|多远|多久|多重|比例|比重|占比|百分之|增速|增幅|面积有多")),
    (PLACE, re.compile(r"哪里|在哪|哪(?:个|座|一个|一座)?(?:城市|省|市|地方|国家)|什么地方|何地")),
    (TERM, re.compile(r"叫什么|什么名字|名称|称号|口号|是什么|什么样|什么|哪个|哪一?[项种类]|何种|怎样的")),
    # Asked last: 是多少吗 asks a number, 是否 … 吗 with nothing else asks yes or no.
    (YESNO, re.compile(rf"{_YESNO_WORDS}|吗\s*[?？]?\s*$")),
]
# What only asks whether: removed, the statement to confirm is left (天迈科技上市了吗 → 天迈科技上市了).
YESNO_MARKS = re.compile(rf"{_YESNO_WORDS}|吗")

# Reports state what was done far more often than why: a reason must be stated as one.
# 概括为什么 / 称为什么 ask "as what", not "why".
_REASON_ASKED = re.compile(r"(?<![括称定作成叫视列评命改变认])为什么|为何|什么原因|原因是|何以|怎么会")
REASON_SPAN = re.compile(r"(?:因为|由于|得益于|源于|归功于|原因是)[^，,；;。]{2,40}")
_DATE_ASKED = re.compile(r"哪一年|哪年|什么时候|何时|哪个月|几月|几号|哪一天|日期")
# A unit asked for in the question (多少家, 几个, 多少钱) narrows which number answers it.
_MONEY = re.compile(r"钱|金额|资金|多少元|多少亿|几亿|费用|投资|融资|收入|补贴|补助|奖励|贴息|税费|资本|贷款|经费|预算|支出"
                    r"|总额|销售额|营业额|消费额|进出口额|成交额|交易额")
# 多少 or 几 asking a number; 这几类, 好几个 and 十几个 do not ask.
_HOW_MANY = r"(?:多少|(?<![这那好十])几)"
_PERCENT = re.compile(r"比例|比重|占比|几成|百分之|百分比|增速|增幅|[增成]长(?:了)?多少|下降(?:了)?多少|率(?!先)"
                      r"|占.{0,8}(?:多少|几)")


@dataclass(frozen=True)
class Expectation:
    kind: str
    unit: str | None = None   # for NUMBER: the unit asked for ("家", "%", "元" …), if any
    unit_explicit: bool = False   # the question names the unit itself (多少吨), not by a hint (金额)
    name_asked: bool = False      # 叫什么名字: a name, not any words the question does not say


def expected_answer(question: str) -> Expectation:
    from .english import english_expectation, is_english  # English questions read differently
    if is_english(question):
        return english_expectation(question)
    # Words inside quotes name something (“几天办几证”那个口号): they ask nothing.
    question = _QUOTED_WORDS.sub("“”", question)
    if re.search(rf"(?:{_TITLES})(?:叫什么|的名字|的姓名|姓什么)", question):
        return Expectation(PERSON)  # 记者叫什么名字 asks a person, not a name of a thing
    if _PLACE_ASKED.search(question):
        return Expectation(RANK, "第", True)  # 第几届 asks a place (第六届), not a count of 届
    if _BAND_ASKED.search(question):
        return Expectation(RANK, "前", True)  # 前多少名 asks a band (前100强), not a count of people
    if re.search(r"(?:多少|几)个(?:百分)?点", question):
        return Expectation(NUMBER, "%", True)  # 多了几个点: percentage points
    # 排名…一共涉及多少家 asks for a count, not a rank: a named unit decides first.
    counted = _counted_unit(question, after_which=False)
    if counted and counted not in ("名", "位") and not _DATE_ASKED.search(question):
        return Expectation(NUMBER, counted, counted != "个")
    if _REASON_ASKED.search(question):
        return Expectation(REASON)
    # 是否获得了“…”称号: whether, even where a name is mentioned; 是不是多少 still asks a number.
    if re.search(_YESNO_WORDS, question) and not _OPEN_ASKED.search(question):
        return Expectation(YESNO)
    for kind, pattern in _QUESTION_RULES:
        if pattern.search(question):
            if kind == RANK and re.search(r"第[一二三四五六七八九十\d]+.{0,4}(?:哪|谁)|(?:哪|谁).{0,8}第[一二三四五六七八九十\d]+", question):
                return Expectation(ORG)  # 排名第一的是哪个高新区 asks for a name
            # 排名的消息是从什么会议上传出的: only 排名 matched, as the topic; 什么会议 is asked.
            if kind == RANK and not _RANK_ASKED.search(question) and re.search(r"什么|哪", question):
                continue
            if kind == NUMBER:
                unit = _asked_unit(question)
                explicit = bool(unit) and unit != "个" and (
                    _counted_unit(question) == unit)
                # Money, shares, concentrations, areas and lengths never answer each other or a
                # count, named or not (收入总额 vs 增长6.4%; PM2.5浓度 vs 优良天数226天; 面积多大
                # vs 169个).
                return Expectation(NUMBER, unit, explicit or unit in _STRICT_UNITS)
            if kind == RANK and re.search(r"(?:前进|上升|提升|进步|往前挪|前移|提前)了?(?:几|多少)",
                                          question):
                return Expectation(NUMBER, "名", True)
            if kind == RANK and re.search(r"第几|第多少|排第|排(?:多少|几)(?:名|位)", question):
                return Expectation(RANK, "第", True)  # a place (第17名), not a band (前20强)
            if kind == DATE and re.search(r"哪一天|哪天|几月几日|几号|日期", question):
                return Expectation(DATE, "日", True)  # a day is asked: a year alone will not do
            if kind in (TERM, ORG) and _NAME_ASKED.search(question):
                return Expectation(kind, name_asked=True)
            if kind == ORG and _COMPANY_ASKED.search(question):
                return Expectation(ORG, COMPANY)
            return Expectation(kind)
    # 一般公共预算收入增长率? / 医务人员人数?: a measure named last asks its figure.
    measure = _MEASURE_LAST.search(question)
    if measure:
        unit = _asked_unit(question) or _MEASURE_UNITS.get(measure.group(1))
        return Expectation(NUMBER, unit, unit in _STRICT_UNITS)
    return Expectation(OTHER)


_STRICT_UNITS = ("元", "%", "微克", "平方米", "米", "人")
_OPEN_ASKED = re.compile(r"多少|几|哪|谁|什么|怎|如何|何时")
_MEASURE_LAST = re.compile(r"(增长率|增速|增幅|比例|比重|占比|率|人数|数量|个数|数|面积|金额|总额|规模|天数|量)"
                           r"\s*[?？]?\s*$")
_MEASURE_UNITS = {"增长率": "%", "增速": "%", "增幅": "%", "比例": "%", "比重": "%", "占比": "%",
                  "率": "%", "人数": "人", "面积": "平方米", "金额": "元", "总额": "元", "天数": "天"}


_CHOICE = re.compile(r"([\u4e00-\u9fff]{1,6})还是([\u4e00-\u9fff]{1,8})")
_CHOICE_LEAD = re.compile(r"^.*(?:是在|是|在|用|选|去|到|从|由|要|有|靠)")


def choice_options(question: str) -> tuple[str, str] | None:
    """The two options of a question that offers a choice (在深交所还是上交所上市 → 深交所,
    上交所): the first after its lead verb, the second at most as long as the first."""
    match = _CHOICE.search(question)
    if not match:
        return None
    first = _CHOICE_LEAD.sub("", match.group(1)) or match.group(1)
    second = match.group(2)[:len(first)]
    return (first, second) if len(first) >= 2 and len(second) >= 2 else None


_QUOTED_WORDS = re.compile(r"“[^”]{1,20}”|「[^」]{1,20}」")
_NAME_ASKED = re.compile(r"叫什么|名字|名称|称作什么|称为什么")
# 哪家企业 asks for a company: 天迈科技, not a platform or a summit (…实验场, …峰会).
COMPANY = "企业"
_COMPANY_ASKED = re.compile(r"(?:哪|什么)[^，,。？?]{0,3}(?:企业|公司)")
COMPANY_SPAN = re.compile(r"(?:集团|公司|股份|银行|科技|企业)$")


# What a question counts, when it names no unit: 多少员工 counts people, 面积有多大 area.
# PEOPLE also tells a count of people in the report (37万居民).
PEOPLE = re.compile(r"人员|员工|职工|居民|群众|村民|党员|干部|医务|学生|人才|就业|人数|多少人|工人")
_AREA = re.compile(r"面积|多大地方|占地|多大(?:一)?[片块]")
_LENGTH = re.compile(r"多长的?(?:路|道路)|里程|长度|多远")
_DURATION = re.compile(r"多久|多长时间|几天|时限|审批.*(?:多少|几)")
_CONCENTRATION = re.compile(r"浓度|含量")
# Units that answer the same question (多少人 is answered by 8.3万余人 and by 1450名).
_UNIT_FAMILIES = {"人": ("人", "名", "人次"), "天": ("天", "日"), "平方米": ("平方米", "平方公里"),
                  "座": ("座", "个"), "米": ("米", "公里"), "公里": ("公里", "千米"),
                  "千米": ("千米", "公里"), "元": ("元",), "个": ("个",), "微克": ("微克", "毫克")}


def _counted_unit(question: str, after_which: bool = True) -> str | None:
    """The unit right after 多少/几 (多少件 → 件). After 个 a one-character unit starts the noun
    instead: 多少个名额 counts in 个, not in 名 (个工作日 and 个路段 stay units)."""
    pattern = rf"{_HOW_MANY}(?:个)?({_UNIT})" if after_which else rf"(?<!哪){_HOW_MANY}(?:个)?({_UNIT})"
    match = re.search(pattern, question)
    if not match:
        return None
    unit = match.group(1)
    if len(unit) == 1 and unit != "个" and match.group(0)[-2:-1] == "个":
        return "个"
    return unit


def _asked_unit(question: str) -> str | None:
    unit = _counted_unit(question)
    if _PERCENT.search(question) and unit in (None, "个"):
        return "%"
    if unit:
        return unit
    # The noun right after 多少 says most (稳岗补贴稳定了多少职工 counts people, not money).
    counted = re.search(rf"{_HOW_MANY}(?:个|名|位)?(.{{1,3}})", question)
    if counted and PEOPLE.search(counted.group(1)):
        return "人"
    for pattern, unit in ((_CONCENTRATION, "微克"), (_MONEY, "元"), (PEOPLE, "人"),
                          (_AREA, "平方米"), (_LENGTH, "米"), (_DURATION, "天")):
        if pattern.search(question):
            return unit
    return None


def unit_matches(asked: str, unit: str) -> bool:
    """Whether a number with `unit` answers a question asking for `asked`."""
    if unit.lstrip("万亿").startswith("平方") != asked.lstrip("万亿").startswith("平方"):
        return False  # 17.5平方公里 is an area, not a length in 公里
    if unit == asked or unit.endswith(asked):
        return True
    family = _UNIT_FAMILIES.get(asked, ())
    return any(unit.endswith(u) or unit.startswith(u) for u in family)


def number_unit(span_text: str) -> str:
    """The unit a number span ends with ('' when bare)."""
    match = re.search(rf"(%|‰|{_UNIT})$", span_text)
    return match.group(1) if match else ""


def find_spans(kind: str, clause: str) -> list[tuple[int, int]]:
    """Candidate answer spans of the given kind in a clause, in reading order."""
    if kind == NUMBER:
        spans = [(m.start(), m.end()) for m in NUMBER_SPAN.finditer(clause)]
        # A year is a date, not an amount; a bare digit run inside a name (1125聚才计划) is not either.
        return [(a, b) for a, b in spans
                if not DATE_SPAN.fullmatch(clause[a:b].lstrip("约近超逾共达"))
                and not (a > 0 and clause[a - 1] == "第")]
    pattern = {RANK: RANK_SPAN, DATE: DATE_SPAN, REASON: REASON_SPAN, PERSON: PERSON_SPAN, ORG: ORG_SPAN,
               PLACE: PLACE_SPAN, TERM: QUOTED_SPAN, LIST: LIST_SPAN}.get(kind)
    if pattern is None:
        return []
    return [(m.start(), m.end()) for m in pattern.finditer(clause)]
