"""Reading a question once: what is asked, of which kind, about which years and places.

`analyse()` turns the user's text (and the question before it, for a follow-up) into one
`Question` record that every later stage reads: retrieval searches with `search_text` (in
meaning, with `content_text`), the reader reads `reader_text_for` each passage, the checks
compare `kind`, `unit`, `years`, `places`, `options` and `statement` with the answer's text.
No later stage parses the raw string again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from . import followup, language as lang
from .metadata import region_of
from .normalize import fold, is_cjk

_LATIN = re.compile(r"[a-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WHICH = re.compile(r"哪(?![里儿二三四五六七八九十几两])一?[个家条座所项只位]?([\u4e00-\u9fff]{1,8})"
                    r"|([\u4e00-\u9fff]{1,8})是哪")
# The kind named in full: what a question ending 是哪个 says before it (获批的重点开发开放试验区是哪个).
# After 哪个 the kind runs into what is asked of it (哪个机场通航运营): no end can be told there.
_KIND_NAMED = re.compile(r"([\u4e00-\u9fff]{2,12})是哪[个家条座所项只位些]?[？?。]?$")
_CHOICE = re.compile(r"([\u4e00-\u9fff]{2,8})还是([\u4e00-\u9fff]{2,8})")
_CHOICE_LEAD = re.compile(r"^.*?(?:是在|是|在|用|选|去|到|从|由|要|靠)")
_QUOTED = re.compile(r"“[^”]{1,30}”|「[^」]{1,30}」|《[^》]{1,40}》")
_NAME_OR_PLACE = re.compile(r"[\u4e00-\u9fff]{2,12}")


@dataclass(frozen=True)
class Question:
    text: str                  # as asked (checked by question.clean_question)
    focus: str                 # what is asked now: spoken words written, short forms spelt out
    context: str | None        # the question a follow-up borrows from (那授权量呢？), or None
    kind: str                  # language.NUMBER, DATE, PERSON … OTHER
    unit: str | None = None    # for a number: the unit asked for (件, 元, %), if the question says
    years: tuple[int, ...] = ()        # years asked about (not a baseline: 比2019年)
    relative_year: int | None = None   # 去年 -1, 今年 0, 明年 1: counted from each document's year
    places: tuple[str, ...] = ()       # places the question names that the corpus names too
    place_words: tuple[str, ...] = ()  # the words that named them (河北, 河北省), folded
    options: tuple[str, ...] = ()      # A还是B: the two options
    which: tuple[str, ...] = ()        # what may name the kind of thing asked (机场 of 哪个机场)
    kind_named: tuple[str, ...] = ()   # what may name the kind asked in full (重点开发开放试验区
                                       # of …试验区是哪个)
    statement: str | None = None       # yes/no: what must be confirmed (是否/吗 removed)
    english: bool = False
    keys: dict[str, float] = field(default_factory=dict, compare=False)  # content words

    @property
    def search_text(self) -> str:
        """What retrieval searches with: the focus, and what a follow-up borrows."""
        return self.focus if not self.context else f"{self.focus} {self.context}"

    @property
    def reader_text(self) -> str:
        """What the reader is asked: a follow-up is read with the question it continues."""
        if not self.context:
            return self.focus
        return f"{self.context.rstrip('?？。 ')}；{self.focus}"

    @property
    def content_text(self) -> str:
        """The search text without the years it asks and the places that chose its documents:
        what sentences are compared with in meaning. (A title line, or 2024年是…的一年, shares
        the year and the place with every question about its report and answers none.)"""
        return self._without_time_and_place(self.search_text, "")

    def reader_text_for(self, passage: str) -> str:
        """What the reader is asked of one passage: `reader_text` without the years a passage
        that names none leaves to its heading, nor the places it does not name. The checks hold
        the answer to those (the year against the passage's section, the place against its
        document); the reader, trained to call a passage that lacks the question's year or place
        unanswered, would doubt 全省生产总值增长5.4% under 一、2024年工作回顾 for 2024年河北."""
        return self._without_time_and_place(self.reader_text, passage)

    def _without_time_and_place(self, text: str, passage: str) -> str:
        """`text` without the place words and the asked years (去年 too; not a baseline
        比2020年) that `passage` does not say; unchanged when nothing else would be left."""
        folded, said = fold(text), fold(passage)
        cuts = [(m.start(), m.end()) for name in self.place_words if name not in said
                for m in re.finditer(re.escape(name), folded)]
        if not (years_asked(said) or lang.RELATIVE_YEAR_SAID.search(said)):
            asked = lang.BASELINE_YEAR.sub(lambda m: " " * len(m.group()), folded)
            cuts += [(m.start(), m.end()) for pattern in (lang.YEAR, lang.RELATIVE_YEAR_SAID)
                     for m in pattern.finditer(asked)]
        keep = [True] * len(text)
        for start, end in cuts:
            keep[start:end] = [False] * (end - start)
        left = "".join(ch for ch, k in zip(text, keep) if k)
        left = re.sub(r"[（(]\s*[)）]", "", left).lstrip("，, 的")
        return left if _CJK.search(left) else text


def analyse(text: str, previous: str | None = None,
            known_places: dict[str, str] | None = None,
            says: Callable[[str], bool] | None = None) -> Question:
    """The question record. `known_places` maps each place name the corpus's documents are
    about (and its short form) to that place, so 河南 and 河南省 are recognised alike; `says`
    tells whether the corpus says a phrase (to read a follow-up's new measure)."""
    focus, context = followup.resolve(_written(text), _written(previous) if previous else None,
                                      known_places or {}, _asks,
                                      says or (lambda phrase: False))
    english = is_english(focus)
    asked_kind, unit = expected_kind(fold(focus), english)
    if context and not _asks(focus):  # 那授权量呢: the kind of the question before
        asked_kind, unit = expected_kind(fold(context), english)[0], None
    whole = fold(focus + " " + (context or ""))
    if english:  # Henan → 河南: an English question chooses its documents like a Chinese one
        from .english import provinces_named
        whole = f"{whole} {provinces_named(whole)}"
    # A follow-up that names its own place or year asks about that one (那广东的进出口呢).
    asked_now = fold(focus)
    places = places_named(asked_now, known_places or {}) or places_named(whole, known_places or {})
    when = asked_now if lang.YEAR.search(asked_now) or lang.RELATIVE_YEAR_SAID.search(asked_now) \
        else whole
    # The place chooses the documents; it need not be said again in the answer's sentence.
    named = [n for n, p in (known_places or {}).items() if p in places and fold(n) in whole]
    said = _without(fold(focus), named)
    statement = None
    if asked_kind == lang.YESNO:
        said = lang.YESNO_FRAME.sub("", said)
        statement = lang.YESNO_MARKS.sub("", said + fold(context or "")).strip("?？。! 的")
    return Question(
        text=text, focus=focus, context=context, kind=asked_kind, unit=unit,
        years=years_asked(when), relative_year=relative_year_asked(when), places=places,
        place_words=tuple(sorted({fold(n) for n in named}, key=len, reverse=True)),
        options=choice_options(fold(focus)), which=which_words(fold(focus)),
        kind_named=kind_named(fold(focus)),
        statement=statement, english=english,
        keys=content_keys(lang.YESNO_MARKS.sub("", said) if statement else said))


def _without(text: str, names: list[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(fold(name), " ")
    return text


def _written(question: str) -> str:
    """Spoken question words written (叫啥 → 叫什么), short forms spelt out after themselves
    (固投 → 固投（固定资产投资）)."""
    for spoken, written in lang.COLLOQUIAL.items():
        question = question.replace(spoken, written)
    for short, full in lang.ABBREVIATIONS.items():
        if short in question and full not in question:
            question = question.replace(short, f"{short}（{full}）")
    return question


def _asks(question: str) -> bool:
    folded = fold(question)
    return any(ch in lang.INTERROGATIVE for ch in folded) or \
        expected_kind(folded, is_english(question))[0] != lang.OTHER


def is_english(question: str) -> bool:
    """Mostly Latin letters: 'How many patents…' (a Chinese name in it may be)."""
    folded = question.lower()
    return len(_LATIN.findall(folded)) > 2 * len(_CJK.findall(folded))


def expected_kind(question: str, english: bool = False) -> tuple[str, str | None]:
    """(kind, unit) of the answer a (folded) question asks for."""
    if english:
        from .english import english_kind

        return english_kind(question)
    question = _QUOTED.sub("“”", question)  # words inside quotes name something, they ask nothing
    # 是否…/…吗 without a question word is yes/no, whatever else it names (增速高于全国吗).
    if re.search(lang.YESNO_ASKED, question) and not re.search(r"多少|几|哪|谁|什么|怎|如何", question):
        return lang.YESNO, None
    for kind, pattern in lang.KIND_RULES:
        if pattern.search(question):
            return kind, (unit_asked(question) if kind == lang.NUMBER else None)
    return lang.OTHER, None


def unit_asked(question: str) -> str | None:
    """The unit a how-many question names: after 多少/几 (多少件; 多少个名额 names only 个), a share
    (增速, 占比), or money (多少钱, 金额). None when it names none: then any unit may answer."""
    units = "|".join(map(re.escape, lang.UNITS))
    named = re.search(rf"(?:多少|几)\s*({units})", question)
    if named and named.group(1) != "个":
        return named.group(1)
    if lang.MONEY_NAMED.search(question):
        return "元"
    if lang.PERCENT_ASKED.search(question):
        return "%"
    if lang.MONEY_ASKED.search(question):
        return "元"
    return named.group(1) if named else None


def relative_year_asked(folded: str) -> int | None:
    """去年 / 今年 / 明年 when the question names no year itself: which year that is depends on
    the document (去年 in a 2025 report is 2024)."""
    said = lang.RELATIVE_YEAR_SAID.search(folded)
    return lang.RELATIVE_YEAR[said.group()] if said and not years_asked(folded) else None


def years_asked(folded: str) -> tuple[int, ...]:
    without_baseline = lang.BASELINE_YEAR.sub(" ", folded)
    return tuple(dict.fromkeys(int(y) for y in lang.YEAR.findall(without_baseline)))


def places_named(folded: str, known_places: dict[str, str]) -> tuple[str, ...]:
    """The places (as `known_places` names them) that the question mentions, longest first.
    A place named only by its kind (高新区 for the corpus's one 高新区) is not meant when the
    question names a place outside its province: 上海张江高新区 is Shanghai's, not 郑州高新区."""
    found, by_kind = [], set()
    for name in sorted(known_places, key=len, reverse=True):
        if name and name in folded and known_places[name] not in found:
            found.append(known_places[name])
            if lang.PLACE_CATEGORY.fullmatch(name):
                by_kind.add(known_places[name])
    regions = {region_of(place) for place in found if place not in by_kind} - {""}
    return tuple(place for place in found
                 if place not in by_kind or not regions or region_of(place) in regions)


def which_words(folded: str) -> tuple[str, ...]:
    """What may name the kind of thing a question asks for: the starts of the words after 哪个
    (机场 of 哪个机场通航运营) and the ends of those before 是哪 (综合保税区 of 获批设立的综合保税区是哪个)."""
    words = set()
    for m in _WHICH.finditer(folded):
        after, before = m.group(1) or "", m.group(2) or ""
        words.update(after[:n] for n in range(1, len(after) + 1))
        words.update(before[-n:] for n in range(1, len(before) + 1))
    return tuple(sorted(words))


def kind_named(folded: str) -> tuple[str, ...]:
    """What may name the kind asked in full (see _KIND_NAMED): each tail of the words before
    是哪 (what comes first there may qualify the kind: 获批的…)."""
    m = _KIND_NAMED.search(folded)
    return tuple(m.group(1)[i:] for i in range(len(m.group(1)) - 1)) if m else ()


def choice_options(folded: str) -> tuple[str, ...]:
    """在深交所还是上交所上市 → (深交所, 上交所): the first option after its lead verb, the second
    no longer than the first."""
    match = _CHOICE.search(folded)
    if not match:
        return ()
    first = _CHOICE_LEAD.sub("", match.group(1)) or match.group(1)
    second = match.group(2)[:len(first)]
    return (first, second) if len(first) >= 2 and len(second) >= 2 else ()


def content_keys(text: str) -> dict[str, float]:
    """The question's content: CJK bigrams without question words or glue, whole numbers and
    Latin words, and single content characters at a quarter weight (厕, 税)."""
    # Years (2024年, 去年) are the year check's, not words to match.
    folded = lang.RELATIVE_YEAR_SAID.sub(" ", lang.YEAR.sub(" ", fold(text)))
    keys: dict[str, float] = {}
    for i in range(len(folded) - 1):
        gram = folded[i:i + 2]
        if all(is_cjk(ch) for ch in gram) and not set(gram) & lang.INTERROGATIVE \
                and not set(gram) <= lang.FUNCTION_CHARS:
            keys[gram] = 1.0
    for token in re.findall(r"[0-9a-z]+(?:\.[0-9]+)?%?", folded):
        keys[token] = 1.0
    for ch in folded:
        if is_cjk(ch) and ch not in lang.INTERROGATIVE and ch not in lang.FUNCTION_CHARS:
            keys.setdefault(ch, 0.25)
    return keys
