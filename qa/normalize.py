"""Fold text for matching: traditional → simplified, full width → half width, lower case,
years in Chinese numerals → digits.

Folding keeps the length of the text, so an offset found in folded text is the same offset
in the original (the answerer highlights spans this way).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Full-width forms (U+FF01..U+FF5E) sit at a fixed distance from ASCII; U+3000 is the ideographic space.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC  # opencc-python-reimplemented: pure Python, dictionaries bundled

    return OpenCC("t2s")


@lru_cache(maxsize=4096)
def _to_simplified_char(ch: str) -> str:
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """Traditional → simplified, one character for one character."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase rule changed the length: fall back to per-character conversion to keep offsets.
    return "".join(_to_simplified_char(ch) for ch in text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The matching form of `text`, with `len(fold(text)) == len(text)`. Cached: the answerer
    folds the same report sentences for every question (measured: most of ask's time outside
    the model)."""
    folded = to_simplified(text.translate(_WIDTH)).lower()
    return _CHINESE_YEAR.sub(lambda m: m.group(1).translate(_CHINESE_DIGITS) + "年", folded)


# 二〇二〇年 / 二零二一年 → 2020年 / 2021年 (four characters for four: offsets stay).
_CHINESE_YEAR = re.compile(r"(?<![〇零一二三四五六七八九])([〇零一二三四五六七八九]{4})年")
_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def is_blank(ch: str) -> bool:
    """A character that shows nothing: a space, or a format mark (U+200C, U+FEFF, U+2060)."""
    return ch.isspace() or unicodedata.category(ch) == "Cf"


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
