"""EM and F1 as the CMRC 2018 evaluation script defines them (also used for DRCD).

- EM: the prediction equals one of the answers once lower-cased, stripped and with the
  script's punctuation removed.
- F1: both are split into segments (each CJK character or punctuation mark is one segment; a
  run of other characters is split into words), punctuation dropped; precision and recall come
  from the longest common *contiguous* run of segments; the best over the answers counts.
- An empty prediction (an abstention) scores 0 on both.

The official script splits non-CJK runs with nltk.word_tokenize; here a run is split at spaces
and at the boundaries between letters, digits and other marks, which agrees on numbers and
plain words (the Chinese sets' answers are nearly all CJK, digits and units).
"""
from __future__ import annotations

import re
from typing import Sequence

# The official script's punctuation list.
PUNCTUATION = set("-:_*^/\\~`+=，。：？！“”；’《》·、「」（）－～『』") | {"……"}
_CJK = re.compile(r"[\u4e00-\u9fa5]")
_WORD = re.compile(r"[A-Za-z]+|[0-9]+(?:[.,][0-9]+)*|[^\sA-Za-z0-9]")


def segments(text: str, drop_punctuation: bool = True) -> list[str]:
    text = str(text).lower().strip()
    out: list[str] = []
    run = ""
    for ch in text:
        if drop_punctuation and ch in PUNCTUATION:
            continue
        if _CJK.match(ch) or ch in PUNCTUATION:
            if run:
                out.extend(_WORD.findall(run))
                run = ""
            out.append(ch)
        else:
            run += ch
    if run:
        out.extend(_WORD.findall(run))
    return out


def _without_punctuation(text: str) -> str:
    return "".join(ch for ch in str(text).lower().strip() if ch not in PUNCTUATION)


def exact_match(prediction: str | None, answers: Sequence[str]) -> float:
    if not prediction:
        return 0.0
    got = _without_punctuation(prediction)
    return float(any(got == _without_punctuation(a) for a in answers))


def f1(prediction: str | None, answers: Sequence[str]) -> float:
    if not prediction:
        return 0.0
    got = segments(prediction)
    best = 0.0
    for answer in answers:
        expected = segments(answer)
        common = _longest_common_run(expected, got)
        if common:
            precision, recall = common / len(got), common / len(expected)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def _longest_common_run(a: list[str], b: list[str]) -> int:
    best = 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best
