"""BM25 over character unigrams + bigrams of folded text (bm25s), saved as plain files.

Chinese has no spaces, so characters and their pairs stand in for words: 专利申请量 gives
专 利 申 请 量 专利 利申 申请 请量. Runs of ASCII letters and digits stay whole (2020, 16284, 2.1%).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

import numpy as np

from .normalize import fold, is_cjk

_ALNUM = re.compile(r"[0-9a-z]+(?:[.][0-9]+)*%?")
# Interrogatives carry no content: matching them would favour passages that happen to use them.
_QUESTION_WORDS = set("多少 什么 哪些 哪个 哪里 哪家 哪一 几个 是否 怎么 怎样 如何 为何 为什么 吗 呢 么".split())


def tokenize(text: str) -> list[str]:
    text = fold(text)
    tokens: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if is_cjk(ch):
            j = i
            while j < n and is_cjk(text[j]):
                j += 1
            run = text[i:j]
            tokens.extend(run)
            tokens.extend(run[k:k + 2] for k in range(len(run) - 1))
            i = j
            continue
        match = _ALNUM.match(text, i)
        if match:
            tokens.append(match.group())
            i = match.end()
        else:
            i += 1
    return tokens


def query_tokens(question: str) -> list[str]:
    return [t for t in tokenize(question) if t not in _QUESTION_WORDS]


class LexicalIndex:
    def __init__(self, bm25):
        self._bm25 = bm25

    @classmethod
    def build(cls, texts: Sequence[str]) -> "LexicalIndex":
        import bm25s

        bm25 = bm25s.BM25()
        # An empty token keeps bm25s happy for a text with no tokens (e.g. punctuation only).
        bm25.index([tokenize(t) or [""] for t in texts], show_progress=False)
        return cls(bm25)

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every indexed text for the question (zeros when nothing matches)."""
        vocab = self._bm25.vocab_dict
        known = [t for t in query_tokens(question) if t in vocab]
        if not known:
            return np.zeros(self._bm25.scores["num_docs"], dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def knows(self, text: str) -> bool:
        """Whether every token of `text` occurs somewhere in the indexed texts."""
        vocab = self._bm25.vocab_dict
        tokens = tokenize(text)
        return bool(tokens) and all(t in vocab for t in tokens)

    @property
    def size(self) -> int:
        return int(self._bm25.scores["num_docs"])

    def document_frequency(self, token: str) -> int:
        """In how many indexed texts the token occurs (0 when never)."""
        column = self._bm25.vocab_dict.get(token)
        if column is None:
            return 0
        indptr = self._bm25.scores["indptr"]
        return int(indptr[column + 1] - indptr[column])

    def save(self, directory: Path) -> None:
        self._bm25.save(str(directory), allow_pickle=False)

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex":
        import bm25s

        return cls(bm25s.BM25.load(str(directory), allow_pickle=False))
