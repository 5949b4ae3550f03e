"""Reading-comprehension data for the reader: SQuAD-format files → examples, plus no-answer ones.

The public Chinese sets (CMRC 2018, DRCD, XQuAD; see ../shared/data/README.md) are SQuAD v1
JSON: data → paragraphs → context, qas → question, answers[text, answer_start]. None of them
has unanswerable questions, so the reader would learn to answer everything. Two kinds of
no-answer examples are made from the answerable ones:

- another passage: the question with a paragraph that does not hold its answer, another
  paragraph of the same article when there is one (the hard case: same topic), else the
  paragraph of another article that shares most words with the question;
- a changed year: the question's year replaced by one its own paragraph never names, so the
  same paragraph no longer answers it (reports are full of 2020年 / 2021年 questions).
"""
from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

from .normalize import fold


@dataclass(frozen=True)
class AnswerText:
    text: str
    start: int  # character offset in the example's context


@dataclass(frozen=True)
class MrcExample:
    id: str
    question: str
    context: str
    answers: tuple[AnswerText, ...]   # () = the context does not answer the question
    title: str = ""

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


def load_squad(path: Path, source: str | None = None) -> list[MrcExample]:
    """Every question of a SQuAD-format file whose answer can be found in its context.

    About 20 CMRC answers have an answer_start that misses the text (as released): the
    occurrence nearest to the given offset is used; answers not in the context are dropped."""
    source = source or Path(path).stem
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    examples = []
    for article_no, article in enumerate(data["data"]):
        title = article.get("title") or f"{source}-{article_no}"
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                answers = _located(context, qa.get("answers", []))
                if answers or qa.get("is_impossible"):
                    examples.append(MrcExample(f"{source}:{qa['id']}", qa["question"].strip(),
                                               context, answers, title))
    return examples


def _located(context: str, answers: Iterable[dict]) -> tuple[AnswerText, ...]:
    out = []
    for answer in answers:
        text = answer["text"].strip()
        if not text:
            continue
        start = int(answer.get("answer_start", -1))
        if context[start:start + len(text)] != text:
            found = [m.start() for m in re.finditer(re.escape(text), context)]
            if not found:
                continue
            start = min(found, key=lambda at: abs(at - start))
        if AnswerText(text, start) not in out:
            out.append(AnswerText(text, start))
    return tuple(out)


# ---------------------------------------------------------------- no-answer examples


def other_passage_negatives(examples: Sequence[MrcExample], share: float,
                            rng: random.Random) -> list[MrcExample]:
    """For `share` of the questions, the question with a paragraph that does not answer it."""
    title_of = {e.context: e.title for e in reversed(examples)}  # each context's first title
    by_title: dict[str, list[str]] = defaultdict(list)
    for context, title in title_of.items():
        by_title[title].append(context)
    finder = _SimilarParagraphs(list(title_of))
    out = []
    for example in examples:
        if not example.answerable or rng.random() >= share:
            continue
        siblings = [c for c in by_title[example.title] if c != example.context]
        candidates = siblings or finder.similar(example.question, exclude=example.context)
        candidates = [c for c in candidates if not any(a.text in c for a in example.answers)]
        if candidates:
            out.append(replace(example, id=example.id + ":other", context=rng.choice(candidates[:3]),
                               answers=()))
    return out


class _SimilarParagraphs:
    """Paragraphs ranked by the character bigrams they share with a question (rare ones count
    more): a cheap stand-in for retrieval when picking a hard negative paragraph."""

    def __init__(self, paragraphs: list[str]):
        self.paragraphs = paragraphs
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, paragraph in enumerate(paragraphs):
            for gram in set(_bigrams(paragraph)):
                self.postings[gram].append(i)

    def similar(self, question: str, exclude: str, k: int = 3) -> list[str]:
        scores: Counter = Counter()
        for gram in set(_bigrams(question)):
            posting = self.postings.get(gram, ())
            if 0 < len(posting) < len(self.paragraphs) // 20 + 2:
                for i in posting:
                    scores[i] += 1.0 / len(posting) ** 0.5
        ranked = [self.paragraphs[i] for i, _ in scores.most_common(k + 1)]
        return [p for p in ranked if p != exclude][:k]


def _bigrams(text: str) -> list[str]:
    text = fold(text)
    return [text[i:i + 2] for i in range(len(text) - 1)]


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=年)")


def changed_year_negatives(examples: Sequence[MrcExample], rng: random.Random) -> list[MrcExample]:
    """Questions naming a year that their paragraph names too, asked about a year the paragraph
    never names: the same paragraph no longer answers them."""
    out = []
    for example in examples:
        years = [m for m in _YEAR.finditer(example.question) if m.group(1) in example.context]
        if not example.answerable or not years:
            continue
        match = years[0]
        year = int(match.group(1))
        others = [y for y in range(year - 3, year + 4)
                  if y != year and str(y) not in example.context]
        if not others:
            continue
        new_year = str(rng.choice(others))
        question = example.question[:match.start()] + new_year + example.question[match.end():]
        out.append(replace(example, id=example.id + ":year", question=question, answers=()))
    return out


def with_negatives(examples: Sequence[MrcExample], other_share: float,
                   seed: int) -> list[MrcExample]:
    """The examples, no-answer ones added, shuffled with a fixed seed."""
    rng = random.Random(seed)
    out = list(examples) + other_passage_negatives(examples, other_share, rng) \
        + changed_year_negatives(examples, rng)
    rng.shuffle(out)
    return out
