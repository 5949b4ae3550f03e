"""Whether to answer at all: a confidence from the evidence, and contradictions that rule an
answer out (a year or a place the report does not cover).

Retrieval scores alone cannot separate answerable from unanswerable questions (the closest passage
of an unanswerable question is often as close as a right one), so both look at the supporting
sentence the answerer chose.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from .answer_types import FUNCTION_CHARS, INTERROGATIVE, TITLES
from .index import Index
from .normalize import fold, is_cjk

_BASELINE_YEAR = re.compile(r"(?:跟|和|与|较|比|同)(?:19|20)\d{2}年(?:相比|比|比较|同期)?")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年)")
# Places a question may name that a report about one zone would not cover.
_PLACE_NAMES = ("北京 上海 天津 重庆 广州 深圳 杭州 南京 武汉 成都 西安 长沙 合肥 济南 青岛 沈阳 "
                "大连 厦门 福州 昆明 贵阳 南宁 哈尔滨 长春 石家庄 太原 兰州 西宁 银川 乌鲁木齐 "
                "拉萨 海口 南昌 洛阳 新乡 开封 许昌 张江 中关村 东湖 苏州 无锡 宁波 珠海 佛山 东莞").split()
# The two characters before such a suffix name the zone (西安高新区, 东湖高新区).
_ENTITY_SUFFIX = re.compile(r"([\u4e00-\u9fff]{2})(?:国家)?(高新区|开发区|经开区|自贸区|新区|园区)")
_ZONES = ("高新区", "开发区", "经开区", "自贸区")
_OTHER_ZONE = re.compile(r"[\u4e00-\u9fff]{2}(?:港区|经开区|开发区|自贸区|保税区|综保区|示范区|(?<!高)新区)")
_CITIES = set(_PLACE_NAMES) | {"郑州", "河南", "中原"}


@dataclass(frozen=True)
class Features:
    """What the confidence is computed from, each in 0..1 (cosine aside)."""
    lexical: float     # share of the question's words (weighted among candidates) in the answer's clause
    coverage: float    # share of the question's words, weighted by rarity in the corpus, in the
                       # sentence or its section heading
    unknown: float     # share of the question's words that occur nowhere in the corpus
    dense_lead: float  # how far the supporting sentence is the closest in meaning (-1..1)
    typed: float       # an answer of the asked kind (and unit) was found
    margin: float      # how far the best candidate leads the best other sentence
    missing: float     # the rarest question word the corpus has but the sentence lacks (发明 in
                       # 发明专利申请量, answered by 专利申请量), by rarity relative to the rarest word
    item: float        # share of the question's words, by rarity, in the answer's own item (the
                       # words around it up to the next 、，；): 1亿元风险补偿池 does not answer 进出口总额

    def vector(self) -> list[float]:
        return [self.lexical, self.coverage, self.unknown, self.dense_lead, self.typed, self.margin,
                self.missing, self.item]


# Logistic weights over Features.vector(), fitted by eval/calibrate.py on the dev question sets
# (answered correctly vs. wrong or unanswerable); refit when the features change. `unknown` is
# held at zero (see calibrate.py).
CONFIDENCE_WEIGHTS = [2.266, 1.932, 0.0, 2.143, 1.595, 0.624, -1.449, 3.129]
CONFIDENCE_BIAS = -0.649


def features(keys: dict[str, float], sentence: str, lexical: float, typed: float,
             dense_lead: float, margin: float, index: Index, item: str = "") -> Features:
    """Features of the chosen supporting sentence (with its section heading before it); `keys`
    are the question's weighted keys."""
    lexical_index = index.lexical
    # A word of the question's setting (复工那会儿) or of a follow-up's context counts less.
    rarity = {g: r * keys[g] for g, r in _rarity(keys, index).items()}
    total = sum(rarity.values()) or 1.0
    sentence = fold(sentence)
    coverage = sum(w for g, w in rarity.items() if g in sentence) / total
    unknown = sum(w for g, w in rarity.items() if lexical_index.document_frequency(g) == 0) / total
    # A word the corpus has elsewhere but not here says the question is about something else;
    # a word the corpus never has may just be a paraphrase (敬老院 for 养老机构).
    missing = max((w for g, w in rarity.items()
                   if g not in sentence and lexical_index.document_frequency(g) > 0), default=0.0)
    missing /= max(rarity.values(), default=1.0) or 1.0
    item = fold(item)
    said_in_item = sum(w for g, w in rarity.items() if g in item) / total
    return Features(lexical, coverage, unknown, min(1.0, max(-1.0, dense_lead)), typed,
                    min(1.0, max(0.0, margin)), missing, said_in_item)


def confirms(statement: str, clause: str, index: Index) -> tuple[int, int] | None:
    """Where in the answer's clause (an item of it, as offsets; `clause` may be the clause with
    the one before) a yes/no question is confirmed,
    or None. The item must say what is asked (its statement, 是否/吗 removed): nearly all the
    statement's words the corpus has, weighted by rarity (words in a third of the passages, like
    高新区, are the corpus's own subject and need not be repeated); not as a plan (千味央厨即将过会
    does not confirm 千味央厨过会了吗); and the statement has no run of words the corpus never has
    (世界互联网大会; a lone unknown pair of characters is a seam between two words, 区|举办)."""
    folded = fold(statement)
    grams = [folded[i:i + 2] for i in range(len(folded) - 1)]
    grams = [g for g in grams if all(is_cjk(ch) for ch in g) and not set(g) & FUNCTION_CHARS]
    known = {g for g in grams if index.lexical.document_frequency(g) > 0}
    if any(a not in known and b not in known for a, b in zip(grams, grams[1:])
           if folded.find(a) + 1 == folded.find(b)):
        return None
    common = index.lexical.size / 3
    rarity = _rarity(dict.fromkeys(g for g in known if index.lexical.document_frequency(g) <= common),
                     index)
    text = fold(clause)
    items = [m.span() for m in re.finditer(r"[^、，,；;]+", text)]
    # An item that opens with a preposition goes on with the one before (2020年优良天数226天,
    # 自1999年…首次突破200天); one that opens with its own subject does not (…上市,百川畅银…).
    items += [(p[0], q[1]) for p, q in zip(items, items[1:]) if _GOES_ON.match(text, q[0])]
    for a, b in items:
        item = text[a:b]
        said = sum(w for g, w in rarity.items() if g in item) / (sum(rarity.values()) or 1.0)
        if said >= CONFIRM_SAID and not _NOT_YET.search(item):
            return a, b
    return None


_GOES_ON = re.compile(r"自|从|于|较|比|同比|并|且|均|为|以来")


CONFIRM_SAID = 0.8
_NOT_YET = re.compile(r"即将|拟|预计|计划|力争|有望|争取")  # 千味央厨即将过会: not yet


def _rarity(keys: dict[str, float], index: Index) -> dict[str, float]:
    n = max(index.lexical.size, 1)
    return {g: math.log(1 + n / (index.lexical.document_frequency(g) + 0.5))
            for g in keys if len(g) > 1}


def confidence(features: Features | None) -> float:
    if features is None:
        return 0.0
    z = CONFIDENCE_BIAS + sum(w * x for w, x in zip(CONFIDENCE_WEIGHTS, features.vector()))
    return 1.0 / (1.0 + math.exp(-z))


def contradiction(question: str, context: str, sentence: str, clause: str,
                  index: Index, lead: str = "", asked_now: str | None = None) -> str | None:
    """Something the question pins down that the answer's text does not support, or None:
    - a year other than the one the corpus covers, absent from the passage (`context`), or
      another year closest before the answer in its sentence (`lead`: 2018年…前20强,2019年…
      第17名 asked for 2018);
    - a place or zone the corpus never names (上海张江, 郑州经开区);
    - a part of what the sentence counts (专利授权量中发明专利有多少件);
    - a chief asked where the sentence names only a deputy (书记 / 副书记);
    - another place in a ranking (排名第一的 asked, 第17名 given);
    - another level (国家级 asked, 省级以上 given) or a total asked where only an increment is
      given (目前共有 … asked, 新增 … given);
    - a measure the corpus words verbatim that the sentence does not say (一般公共预算收入总额
      asked, 设立1亿元风险补偿池 given), judged on what is asked now (`asked_now`, for a
      follow-up);
    - a rate per person or month asked where the sentence gives a total;
    - a growth asked where the answer's label gives a share (占比…48.67%), or the reverse."""
    folded = fold(question)
    main_year = _main_year(index)
    # 跟2019年比…涨了多少: a year to compare with is not the one asked about when a growth rate is
    # asked (the report gives those); 比2019年多了几天 needs 2019's figure.
    asked_years = _YEAR.findall(_BASELINE_YEAR.sub("", folded) if _GROWTH_ASKED.search(folded)
                                else folded)
    for year in asked_years:
        if year not in context and year != main_year:
            return f"year {year}"
    years_before = _YEAR.findall(fold(lead))
    if asked_years and years_before and years_before[-1] not in asked_years:
        return f"answer of {years_before[-1]}"
    for place in _PLACE_NAMES:
        if place in question and not index.lexical.knows(place):
            return f"place {place}"
    for match in _ENTITY_SUFFIX.finditer(folded):
        name, suffix = match.group(1), match.group(2)
        if set(name) & (INTERROGATIVE | FUNCTION_CHARS):
            continue
        # 西安高新区: a name the corpus never has; 郑州经开区: a known city, another kind of zone.
        # Only known place names count: 期间高新区 is not a zone's name.
        if name in _CITIES and not index.lexical.knows(name + suffix):
            return f"entity {name}{suffix}"
    # 郑州航空港区, 郑东新区: a zone of another kind, named as the corpus never names one.
    for match in _OTHER_ZONE.finditer(folded):
        if not index.says(match.group()):
            return f"zone {match.group()}"
    # 专利授权量中发明专利有多少件, 停车位里有多少个充电桩: a part of what the sentence counts.
    for match in _PART_OF.finditer(folded):
        part = _MODAL.sub("", match.group("part") or match.group("part2") or "")
        whole = match.group(1) or match.group(3)
        if part and not set(part) & (INTERROGATIVE | _NOT_A_PART) and \
                part not in _without_whole(fold(sentence), whole, part):
            return f"part {part}"
    if _PER_UNIT.search(folded) and not _PER_UNIT.search(fold(clause)):
        return "a rate per unit asked, a total given"  # 每人每月多少钱 … 补贴2655.5万元
    # 比上一年增长了多少, answered by 占比公共预算支出48.67%: a share is not a growth, nor the reverse.
    label = re.split(r"[，,；;、。]", fold(lead))[-1]
    growth_given, share_given = _GROWTH_GIVEN.search(label), _SHARE_GIVEN.search(label)
    if _GROWTH_ASKED.search(folded) and share_given and not growth_given:
        return "a growth asked, a share given"
    if _SHARE_ASKED.search(folded) and growth_given and not share_given:
        return "a share asked, a growth given"
    share = _SHARE_OF.search(folded)
    part = _ZONE_LEAD.sub("", share.group(1)) if share else ""
    # Not one character in common (a paraphrase, 九大类开销 for 民生九项支出, shares some).
    if len(part) >= 2 and not set(part) - FUNCTION_CHARS & set(fold(clause)):
        return f"a share of {part}, not said"  # 研发经费投入占地区生产总值的比重 … GDP增长2.1%
    # A follow-up (那专利质押融资呢) replaces the measure of the question it borrows from.
    measured = _measure_said(fold(asked_now) if asked_now is not None else folded, index)
    if measured and measured not in fold(sentence):
        return f"measure {measured} not in the sentence"  # 一般公共预算收入总额 … 设立1亿元…
    narrower = _narrower_measure(folded, fold(sentence), index)
    if narrower:
        return f"narrower measure {narrower}"
    # 党工委书记是谁, where the sentence has only 党工委副书记: a deputy is not the chief.
    for title in TITLES:
        asked = re.search(rf"(?<!副){title}", folded)
        if asked and re.search(rf"副{title}", fold(sentence)) and \
                not re.search(rf"(?<!副){title}", fold(sentence)):
            return f"deputy {title}"
    # 排名第一的是哪个, answered from a sentence about 第17名: another place in a ranking.
    if other_place(question, sentence) or other_place(question, clause):
        return "rank: another place"
    if other_level(question, clause):
        return "another level"
    clause = fold(clause)
    if (_TOTAL.search(folded) and not _INCREMENT_ASKED.search(folded)
            and _INCREMENT.search(clause) and not _TOTAL_GIVEN.search(clause)):
        return "total asked, increment given"
    return None


_LEVEL = re.compile(r"国家级|省级|市级|区级|县级")
_LEVEL_SAID = re.compile(r"(国家|省|市|区|县)(?:层面|一级|层级)")
_MEASURE = re.compile(r"([\u4e00-\u9fff]{3,12}?)(?:是|有|达到|达|为|共|一共|总共)?(?:多少|几)")
# A terse question that ends with what it measures (新增发明专利授权量?, 一般公共预算收入总额).
_MEASURE_ENDING = re.compile(r"([\u4e00-\u9fff]{3,12}?(?:量|总额|总量|总值|收入|支出|金额))\s*[?？]?\s*$")


def _measures(question: str):
    """What a how-much question measures, as matches whose group 1 is the measure's words."""
    found = list(_MEASURE.finditer(question))
    return found or list(_MEASURE_ENDING.finditer(question))


# A占B的比重: the share of A (研发经费投入), which the answer's clause must name.
_SHARE_OF = re.compile(r"([\u4e00-\u9fff]{2,12}?)占[\u4e00-\u9fff]{1,12}?的?(?:比重|比例|份额|百分比)")
_GROWTH_ASKED = re.compile(r"增长(?:了)?(?:多少|几)|增幅|增速|涨了(?:多少|几)|提高了(?:多少|几)"
                           r"|下降了(?:多少|几)")
_GROWTH_GIVEN = re.compile(r"增长|增加|增幅|增速|提高|提升|下降|同比|上涨")
_SHARE_ASKED = re.compile(r"占比|比重|比例|占[\u4e00-\u9fff]{0,8}(?:多少|几)")
_SHARE_GIVEN = re.compile(r"占")
_ZONE_LEAD = re.compile(r"^.*(?:高新区|全区|区内|区里)的?")
_TOTAL_WORDS = re.compile(r"(?:的)?(?:总额|总量|总数|总值|规模|数量|金额)$")


def _measure_said(question: str, index: Index) -> str | None:
    """What a how-much question measures, as the corpus words it: the longest ending (four
    characters or more) of the words right before 多少 (or of a terse question's last words) that
    the corpus says verbatim (一般公共预算收入总额是多少 → 一般公共预算收入). None for words of the question's own
    (新盖了多少座厕所), which a paraphrase uses. A measure named elsewhere in the question counts
    too (一般公共预算收入2020年实际收了多少)."""
    phrases = [_TOTAL_WORDS.sub("", m.group(1)) for m in _measures(question)]
    if phrases:  # a how-much question: a measure named anywhere in it counts too
        phrases += [m.group() for m in _MEASURE_NOUN.finditer(question)]
    for phrase in phrases:
        for size in range(len(phrase), MEASURE_MIN - 1, -1):
            if index.says(phrase[-size:]):
                return phrase[-size:]
    return None


# Measures of economic reporting (一般公共预算收入2020年实际收了多少: named before the verb).
_MEASURE_NOUN = re.compile(r"[\u4e00-\u9fff]{0,10}?(?:收入|支出|总值|总额|增加值|投资|申请量|授权量|"
                           r"销售额|营业额|零售额|进出口额)")


MEASURE_MIN = 4


def _narrower_measure(question: str, sentence: str, index: Index) -> str | None:
    """发明专利申请量是多少, answered by 专利申请量达到16284件: the sentence measures the whole,
    the question a kind of it. The modifier is a word the corpus never has, and not the first
    half of a word that runs into the said part (新增省级… is 新增 + 省级, no modifier)."""
    knows = index.lexical.knows
    for match in _measures(question):
        phrase, at = match.group(1), match.start(1)
        for size in range(len(phrase), 2, -1):
            if phrase[-size:] not in sentence:
                continue
            start = at + len(phrase) - size - 2  # the two characters before the said part
            modifier = question[max(start, 0):start + 2]
            if len(modifier) == 2 and start >= 0 and all(is_cjk(ch) for ch in modifier) \
                    and not set(modifier) & FUNCTION_CHARS \
                    and not knows(modifier) and modifier not in sentence \
                    and not knows(question[start + 1:start + 3]):
                return modifier
            break
    return None
_PLACE = re.compile(r"第(\d+|[一二三四五六七八九十百零]+)(?:名|位)")
_PLACE_ASKED = re.compile(r"第(\d+|[一二三四五六七八九十百零]+)(?=名|位|的|[，,？?]|$)")
_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")}


def other_level(question: str, text: str) -> bool:
    """The question names a level (国家级, 国家层面) and `text` gives only others (省级以上)."""
    asked = set(_LEVEL.findall(_LEVEL_SAID.sub(r"\1级", fold(question))))
    given = set(_LEVEL.findall(fold(text)))
    return bool(asked and given and not asked & given)


def other_place(question: str, text: str) -> bool:
    """The question names a place in a ranking (第45位, 排名第一) and `text` gives only others
    (第17名): the text is about another ranking or another entry."""
    asked = {_numeral(n) for n in _PLACE_ASKED.findall(fold(question))}
    given = {_numeral(n) for n in _PLACE.findall(fold(text))}
    return bool(asked and given and not asked & given)


def _numeral(text: str) -> int:
    """17, 十七, 四十五, 一百零五 → an int."""
    if text.isdigit():
        return int(text)
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        rest = rest.lstrip("零")
        return (_DIGITS.get(hundreds, -1) if hundreds else 1) * 100 + (_numeral(rest) if rest else 0)
    tens, _, ones = text.partition("十")
    if "十" not in text:
        return _DIGITS.get(text, -1)
    return (_DIGITS.get(tens, -1) if tens else 1) * 10 + (_DIGITS.get(ones, -1) if ones else 0)


_WITHIN = r"([\u4e00-\u9fff\d]{2,})(?:当中|之中|其中|里面|里头|中(?![小心])|里)[，,]?"
_NOT_A_PART = set("共总全都")  # 评价中全国共有多少个: a total, not a part
_PART_OF = re.compile(rf"{_WITHIN}(?:的)?(?P<part>[\u4e00-\u9fff]{{2,6}}?)(?:有|是|为)(?:多少|几)"
                      rf"|{_WITHIN}(?:有|包括|包含)(?:多少|几)(?:个|名|家|件|项|所|座|辆|台)?"
                      r"(?:是|为|属于)?(?P<part2>[\u4e00-\u9fff]{2,8}?)(?=呢|吗|啊|[？?，,。]|$)")


def _without_whole(sentence: str, whole: str, part: str) -> str:
    """The sentence without the whole the question names when the part's words are inside it
    (4所中小学里有几所是小学: 中小学 says nothing of 小学 alone)."""
    for size in range(len(part) + 1, len(whole) + 1):
        if part in whole[-size:]:
            return sentence.replace(whole[-size:], "")
    return sentence


_MODAL = re.compile(r"^(?:可以|能够|能|会)")  # 有多少项可以一次办成: the part is 一次办成
_PER_UNIT = re.compile(r"每(?:人|位|户|家|月|年|天|日|平方米|亩|个|张|份|件|台|次)|人均|户均|平均|面额|/")
_TOTAL = re.compile(r"目前|现有|现在有|共有|一共有|总共有|总数|总量|累计|全部")
_INCREMENT_ASKED = re.compile(r"新增|多出|增加|新开|新建|添了|新修|新盖")
_INCREMENT = re.compile(r"新增|新建|新开|新投用|增加")
_TOTAL_GIVEN = re.compile(r"累计|共计|总计|总共|全部|共有")


_MAIN_YEARS: dict[int, str | None] = {}


def _main_year(index: Index) -> str | None:
    """The year the corpus mostly speaks of (2020 for the report)."""
    key = id(index)
    if key not in _MAIN_YEARS:
        years = Counter(y for c in index.chunks for y in _YEAR.findall(c.text))
        _MAIN_YEARS[key] = years.most_common(1)[0][0] if years else None
    return _MAIN_YEARS[key]
