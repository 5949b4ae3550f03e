"""What a document is about, read from its text at build time: its place and its years.

A corpus may hold many reports: a question that names a place (河南, 郑州高新区) or a year is
answered from the documents about that place and year. The place is the issuer named in the
title or the first lines (2025年河南省政府工作报告 → 河南省, short form 河南); the years are the
ones the document talks about most (a 2025 work report reviews 2024 and plans 2025).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from . import language as lang
from .normalize import fold

_HEAD_CHARS = 300        # the title and the first lines name the issuer
_YEAR_SHARE = 0.15       # a year named at least this share as often as the most named one


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    title: str
    place: str              # the issuer's place as written (河南省, 郑州高新区), or ""
    place_names: tuple[str, ...]   # that place's names a question may use (河南省, 河南)
    years: tuple[int, ...]  # the years it is about, most named first
    region: str = ""        # the province the place is in, short form (郑州高新区 → 河南)

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "place": self.place,
                "place_names": list(self.place_names), "years": list(self.years),
                "region": self.region}

    @classmethod
    def from_json(cls, row: dict) -> "DocumentInfo":
        return cls(row["id"], row.get("title", row["id"]), row.get("place", ""),
                   tuple(row.get("place_names", ())), tuple(row.get("years", ())),
                   row.get("region", ""))


def describe(doc_id: str, title: str, text: str) -> DocumentInfo:
    place = issuer(fold(title)) or issuer(fold(text[:_HEAD_CHARS]))
    return DocumentInfo(doc_id, title, place, place_names(place), main_years(fold(text)),
                        region_of(place))


def written_year(info: DocumentInfo | None) -> int | None:
    """The year a document speaks from, for its 去年 and 今年: the year in its title, or the year
    after it when the title names the year it reviews (2020年工作回顾 speaks from 2021)."""
    if info is None:
        return None
    folded = fold(info.title)
    named = lang.YEAR.findall(lang.BASELINE_YEAR.sub(" ", folded))
    if not named:
        return None
    return int(named[0]) + (1 if lang.REVIEW_TITLE.search(folded) else 0)


def region_of(place: str) -> str:
    """The province a place is in (short form): itself for a province, its province for a
    place named after a city (郑州高新区 → 河南), else ""."""
    if place in lang.PROVINCES:
        return lang.PROVINCES[place]
    cities = [c for c in lang.CITIES if place.startswith(c)]
    return lang.CITY_PROVINCE[max(cities, key=len)] if cities else ""


# An issuer ends in a place suffix and is followed by what it issues (省政府, 高新区2020年…).
_ISSUER = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:特别行政区|自治区|自治州|省|市|县|旗|盟|高新区|经开区|"
                     r"开发区|新区|自贸区|示范区|区))(?=人民政府|政府|管委会|委员会|\d|工作|国民经济|[\s,，])")


def issuer(text: str) -> str:
    """The first place a title (or opening lines) names as its issuer, else the first province
    it names, else ""."""
    text = lang.YEAR.sub(" ", text)
    for match in _ISSUER.finditer(text):
        if not lang.NOT_PLACES.fullmatch(match.group(1)) and "代表" not in match.group(1):
            return match.group(1)
    named = [(text.find(short), full) for full, short in lang.PROVINCES.items() if short in text]
    return min(named)[1] if named else ""


def place_names(place: str) -> tuple[str, ...]:
    """The names a question may use for a place: 河南省 and 河南; 郑州高新区 and 郑州;
    宁夏回族自治区 and 宁夏."""
    if not place:
        return ()
    names = [place]
    short = lang.PROVINCES.get(place)
    if short is None:
        short = re.sub(r"(?:特别行政区|[\u4e00-\u9fff]{0,4}?自治区|自治州|自治县|省|市|县|旗|盟|高新区|经开区|"
                       r"开发区|新区|自贸区|示范区|区)$", "", place)
    if short and short != place and len(short) >= 2:
        names.append(short)
    return tuple(names)


def category_names(places: Iterable[str]) -> dict[str, str]:
    """A place's kind (高新区, 自治区) as a name of it, for a kind only one of these places is:
    a corpus holding one 高新区's reports among provinces' answers "高新区…" from that one."""
    by_category: dict[str, set[str]] = {}
    for place in places:
        category = lang.PLACE_CATEGORY.search(place)
        if category and category.group() != place:
            by_category.setdefault(category.group(), set()).add(place)
    return {category: next(iter(owners)) for category, owners in by_category.items()
            if len(owners) == 1}


def main_years(folded_text: str) -> tuple[int, ...]:
    counts = Counter(int(y) for y in lang.YEAR.findall(folded_text))
    if not counts:
        return ()
    top = counts.most_common(1)[0][1]
    return tuple(y for y, n in counts.most_common() if n >= _YEAR_SHARE * top)
