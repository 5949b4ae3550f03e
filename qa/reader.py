"""The reader: a trained model that finds the answer's span in passages.

Contract (the shape of Haystack's ExtractiveReader):
- input: a question and passages (text with the document offset where it starts);
- output: a `Reading`: candidate `Span`s best first, each with exact character offsets in its
  document, a score, a probability, and the no-answer probability of the window it came from;
- settings (Config): `reader` ("default" or a local transformers question-answering model
  directory), `reader_runtime` ("onnx-int8", "onnx" or "torch", qa/reader_loading.py),
  `reader_max_length`, `reader_stride`, `reader_max_answer_tokens`;
- `warm_up()` loads the model; nothing is loaded before it is needed.

The default reader is multilingual-e5-small (the embedding model) with a span head trained on
public Chinese reading-comprehension data (qa/models/reader/MODEL_CARD.md). A passage longer
than one window is read in overlapping windows. A window's first token stands for "no answer"
(as in SQuAD 2.0): both ends pointing there is the model saying the window does not answer.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Callable, Sequence

from .config import Config
from .normalize import to_simplified
from .reader_loading import LoadedReader, TorchForward, load_reader

QUESTION_MAX_CHARS = 64  # a longer question is cut: the passage needs the window's room
CANDIDATES_PER_END = 20
# Windows run in groups of similar length: a group's padding is at most this share of its tokens.
GROUP_MAX_PADDING = 0.15
GROUP_MAX_BATCH = 16


@dataclass(frozen=True)
class Passage:
    doc_id: str
    start: int   # where `text` begins in the document
    text: str


@dataclass(frozen=True)
class Span:
    passage: int        # index of the passage it was read from
    doc_id: str
    start: int          # absolute offsets in the passage's document
    end: int
    text: str
    score: float        # start logit + end logit
    probability: float  # p(start) x p(end) within its window
    no_answer: float    # p(no answer) of the same window


@dataclass(frozen=True)
class Reading:
    spans: tuple[Span, ...]   # best first (by probability), one per distinct place
    no_answer: float          # the lowest no-answer probability of any window read

    @property
    def best(self) -> Span | None:
        return self.spans[0] if self.spans else None


class Reader:
    def __init__(self, config: Config, log: Callable[[str], None] = print):
        self.config = config
        self.log = log
        self._loaded: LoadedReader | None = None
        self._torch_model = None
        self._lock = threading.Lock()

    @classmethod
    def from_model(cls, config: Config, model, tokenizer) -> "Reader":
        """A reader over a torch model in hand (training validates its weights with it)."""
        reader = cls(config)
        reader._loaded = LoadedReader(tokenizer, TorchForward(model), None)
        return reader

    def warm_up(self) -> None:
        with self._lock:
            if self._loaded is None:
                self._loaded = load_reader(self.config, self.log)

    @property
    def runtime(self) -> str:
        """What the model runs on: "onnx-int8", "onnx" or "torch" (after a fallback, torch)."""
        self.warm_up()
        return self._loaded.forward.runtime

    @property
    def tokenizer(self):
        self.warm_up()
        return self._loaded.tokenizer

    def torch_model(self):
        """The reader's weights as a torch model (bench/reader.py's bare baseline): the one it
        runs, or, on ONNX Runtime, built once from the same weights."""
        self.warm_up()
        if isinstance(self._loaded.forward, TorchForward):
            return self._loaded.forward.model
        with self._lock:
            if self._torch_model is None:
                self._torch_model = self._loaded.source.build()
        return self._torch_model

    def read(self, question: str | Sequence[str], passages: Sequence[Passage],
             top_k: int = 5) -> Reading:
        """The best spans of all passages for the question, or for one question per passage
        (no passages: nothing found)."""
        if not passages:
            return Reading((), 1.0)
        self.warm_up()
        asked = [question] * len(passages) if isinstance(question, str) else list(question)
        questions = [_question_for(q, p.text) for q, p in zip(asked, passages)]
        encoded = encode_windows(self._loaded.tokenizer, questions, [p.text for p in passages],
                                 self.config.reader_max_length, self.config.reader_stride)
        logits = self._window_logits(encoded["input_ids"])
        spans: dict[tuple[str, int, int], Span] = {}
        no_answer = 1.0
        for w, p in enumerate(encoded["overflow_to_sample_mapping"]):
            passage = passages[p]
            found, null = window_spans(*logits[w], encoded["offset_mapping"][w],
                                       encoded.sequence_ids(w),
                                       self.config.reader_max_answer_tokens)
            no_answer = min(no_answer, null)
            for s in found:
                start, end = _trimmed(passage.text, s.start, s.end)
                if end <= start:
                    continue
                key = (passage.doc_id, passage.start + start, passage.start + end)
                if key not in spans or spans[key].probability < s.probability:
                    spans[key] = Span(p, passage.doc_id, key[1], key[2],
                                      passage.text[start:end], s.score, s.probability, null)
        ranked = sorted(spans.values(), key=lambda s: -s.probability)
        return Reading(tuple(ranked[:top_k]), no_answer)

    def _window_logits(self, windows: Sequence[Sequence[int]]) -> list[tuple[list, list]]:
        """(start, end) logits of each window's own tokens, run in groups of similar length so
        that little of each batch is padding."""
        import numpy as np

        pad = self._loaded.tokenizer.pad_token_id or 0
        out: list = [None] * len(windows)
        for group in length_groups([len(w) for w in windows]):
            width = len(windows[group[0]])  # the longest comes first
            ids = np.full((len(group), width), pad, dtype=np.int64)
            mask = np.zeros((len(group), width), dtype=np.int64)
            for row, w in enumerate(group):
                ids[row, :len(windows[w])] = windows[w]
                mask[row, :len(windows[w])] = 1
            start, end = self._loaded.forward(ids, mask)
            for row, w in enumerate(group):
                out[w] = (start[row, :len(windows[w])].tolist(), end[row, :len(windows[w])].tolist())
        return out


def _question_for(question: str, passage: str) -> str:
    """The question in the passage's script: a simplified passage is read with a simplified
    question (專利 → 专利); a traditional one with the question as asked."""
    question = question[:QUESTION_MAX_CHARS]
    return to_simplified(question) if to_simplified(passage) == passage else question


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "，,。、；;：:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "，,。、；;：:"):
        end -= 1
    return start, end


# ---------------------------------------------------------------- windows and spans


def encode_windows(tokenizer, questions: Sequence[str], contexts: Sequence[str],
                   max_length: int, stride: int):
    """Question + context windows of at most `max_length` tokens, overlapping by `stride`
    tokens, with character offsets (`offset_mapping`) and the example each window came from
    (`overflow_to_sample_mapping`). Training and reading use the same windows."""
    return tokenizer(list(questions), list(contexts), truncation="only_second",
                     max_length=max_length, stride=stride, return_overflowing_tokens=True,
                     return_offsets_mapping=True, padding=False)


def length_groups(lengths: Sequence[int], max_padding: float = GROUP_MAX_PADDING,
                  max_batch: int = GROUP_MAX_BATCH) -> list[list[int]]:
    """Indices of windows grouped by length, longest first: a group takes the next shorter
    window while padding stays at most `max_padding` of the group's tokens."""
    groups: list[list[int]] = []
    total = 0
    for i in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        if groups and len(groups[-1]) < max_batch:
            width, size = lengths[groups[-1][0]], len(groups[-1]) + 1
            if width * size - (total + lengths[i]) <= max_padding * width * size:
                groups[-1].append(i)
                total += lengths[i]
                continue
        groups.append([i])
        total = lengths[i]
    return groups


@dataclass(frozen=True)
class WindowSpan:
    start: int          # character offsets in the window's context
    end: int
    score: float
    probability: float


def window_spans(start_logits: Sequence[float], end_logits: Sequence[float], offsets,
                 sequence_ids, max_answer_tokens: int) -> tuple[list[WindowSpan], float]:
    """Candidate spans of one window, and the window's no-answer probability."""
    context = [i for i, s in enumerate(sequence_ids) if s == 1]
    if not context:
        return [], 1.0
    start_log = _log_softmax([start_logits[0]] + [start_logits[i] for i in context])
    end_log = _log_softmax([end_logits[0]] + [end_logits[i] for i in context])
    null = math.exp(start_log[0] + end_log[0])
    position = {token: k + 1 for k, token in enumerate(context)}
    best_starts = sorted(context, key=lambda i: -start_logits[i])[:CANDIDATES_PER_END]
    best_ends = sorted(context, key=lambda i: -end_logits[i])[:CANDIDATES_PER_END]
    spans = []
    for s in best_starts:
        for e in best_ends:
            if e < s or e - s + 1 > max_answer_tokens:
                continue
            log_p = start_log[position[s]] + end_log[position[e]]
            spans.append(WindowSpan(offsets[s][0], offsets[e][1], start_logits[s] + end_logits[e],
                                    math.exp(log_p)))
    return spans, null


def _log_softmax(values: list[float]) -> list[float]:
    top = max(values)
    total = math.log(sum(math.exp(v - top) for v in values)) + top
    return [v - total for v in values]
