"""Questions asked in English about a Chinese report: what kind of answer they ask for.

The multilingual embedding often finds the right Chinese sentence for an English question (hit@3
0.68 on eval/english.jsonl); what the Chinese rules cannot tell is what is asked (How many … → an
amount, Who … → a person).
The answer is still a span of the report, in its own words (16284件, 张红军).
The provinces an English question names (Henan, Inner Mongolia) are given their Chinese forms, so
that it chooses its documents like a Chinese question. (Its years are not: "the 2020 highlights"
names an article, and the year check then ruled out its byline.)
"""
from __future__ import annotations

import re

from .language import DATE, NUMBER, ORG, OTHER, PERSON, PLACE, RANK, TERM

# Units in the order they are tried: the measure named in the question decides.
_UNITS = [
    ("%", r"percent|percentage|proportion|share of|what share|rate\b|growth|grow|grew|"
          r"increase[sd]? by|rise|rose"),
    ("元", r"yuan|rmb|money|funds?\b|funding|capital|invest|revenue|income|subsid|loans?\b|budget|"
          r"spend|spent|expenditure|financing|worth"),
    ("人", r"people|persons|staff|workers|employees|residents|doctors|nurses|medical workers|"
          r"party members|talents?\b|jobs"),
    ("平方米", r"square (?:met|kilomet)|area\b|floor space"),
    ("米", r"kilomet|\bkm\b|how long (?:is|are|were) the road|length"),
    ("天", r"\bdays\b|how long did|how long does|how long will|working days"),
    ("家", r"companies|enterprises|firms|institutions|incubators|hospitals"),
    ("张", r"\bbeds\b"),
    ("件", r"patents|applications|cases"),
    ("座", r"toilets|parks|bridges"),
    ("个", r"projects|sites|points|platforms|stations|places\b"),
]
_RULES = [
    (DATE, r"\bwhich year\b|\bwhat year\b|\bin what year\b|\bwhen\b|\bwhat date\b"),
    (RANK, r"\b(?:what|which) (?:rank|place|position)\b|\branked?\b|\branking\b"),
    (NUMBER, r"\bhow (?:many|much|long|large|big)\b|\bwhat (?:percentage|percent|share|proportion|"
             r"rate|number|amount|total)\b|\bby how much\b|\b(?:share|percentage|proportion) of\b"),
    (PERSON, r"\bwho\b|\bwhose\b|\bwhich (?:official|person|reporter|journalist)\b"),
    (ORG, r"\bwhich (?:company|companies|enterprise|firm|organi[sz]ation|institution|group|"
          r"hospital|university|institute|bank)\b"),
    (PLACE, r"\bwhere\b|\bwhich (?:city|province|place|country)\b"),
    (TERM, r"\bwhat (?:is|was|are|were) (?:it|they|the \w+ )?called\b|\bname of\b|\bwhat "
           r"(?:programme|program|plan|campaign|slogan|system|policy|initiative|event|summit|"
           r"forum|model|mechanism|scheme|platform|activity|activities|path|goal|target)\b|"
           r"\bwhat\b"),
]


def english_kind(question: str) -> tuple[str, str | None]:
    """(kind, unit) asked by an English question (lower case)."""
    folded = question.lower()
    for kind, pattern in _RULES:
        if re.search(pattern, folded):
            if kind == NUMBER:
                return NUMBER, next((u for u, p in _UNITS if re.search(p, folded)), None)
            return kind, None
    return OTHER, None


# China's provinces, municipalities and autonomous regions as English writes them.
PROVINCES_IN_ENGLISH = {
    "beijing": "北京", "tianjin": "天津", "shanghai": "上海", "chongqing": "重庆",
    "hebei": "河北", "shanxi": "山西", "liaoning": "辽宁", "jilin": "吉林",
    "heilongjiang": "黑龙江", "jiangsu": "江苏", "zhejiang": "浙江", "anhui": "安徽",
    "fujian": "福建", "jiangxi": "江西", "shandong": "山东", "henan": "河南", "hubei": "湖北",
    "hunan": "湖南", "guangdong": "广东", "hainan": "海南", "sichuan": "四川", "guizhou": "贵州",
    "yunnan": "云南", "shaanxi": "陕西", "gansu": "甘肃", "qinghai": "青海", "taiwan": "台湾",
    "inner mongolia": "内蒙古", "guangxi": "广西", "tibet": "西藏", "xizang": "西藏",
    "ningxia": "宁夏", "xinjiang": "新疆", "hong kong": "香港", "macau": "澳门", "macao": "澳门",
}


def provinces_named(question: str) -> str:
    """The provinces an English question names, as Chinese writes them (Henan → 河南)."""
    folded = question.lower()
    return " ".join(dict.fromkeys(chinese for english, chinese in PROVINCES_IN_ENGLISH.items()
                                  if re.search(rf"\b{english}\b", folded)))
