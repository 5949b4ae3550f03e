"""Standard short forms of Chinese economic and government reporting, written out.

People ask 固投增长多少 of a report that writes 固定资产投资增长10.7%. These are the usual short
forms of the field (statistical bulletins and work reports use them), not words of one report;
a question gets the full form added, so both the words and the meaning can be matched.
"""
from __future__ import annotations

ABBREVIATIONS = {
    "固投": "固定资产投资",
    "规上": "规模以上",
    "社零": "社会消费品零售总额",
    "高企": "高新技术企业",
    "科小": "科技型中小企业",
    "GDP": "地区生产总值",
    "gdp": "地区生产总值",
    "经济总量": "地区生产总值",
    "财政收入": "一般公共预算收入",
    "一般预算": "一般公共预算",
    "双创": "创新创业",
    "外贸": "进出口",
}


def written_out(question: str) -> str:
    """The question with the full form of each short form it uses added after it."""
    for short, full in ABBREVIATIONS.items():
        if short in question and full not in question:
            question = question.replace(short, f"{short}（{full}）")
    return question
