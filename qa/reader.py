"""The reader: a trained model that finds the answer's span in passages.

Contract (the shape of Haystack's ExtractiveReader):
- input: a question and passages (text with the document offset where it starts);
- output: a `Reading`: candidate `Span`s best first, each with exact character offsets in its
  document, a score, a probability, and the no-answer probability of the window it came from;
- settings (Config): `reader` ("default" or a local transformers question-answering model
  directory), `reader_max_length`, `reader_stride`, `reader_max_answer_tokens`;
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
from pathlib import Path
from typing import Callable, Sequence

from .config import DEFAULT_MODEL, Config
from .errors import ModelUnavailableError
from .normalize import to_simplified

QUESTION_MAX_CHARS = 64  # a longer question is cut: the passage needs the window's room
CANDIDATES_PER_END = 20


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
        self._model = None
        self._tokenizer = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        with self._lock:
            if self._model is None:
                self._model, self._tokenizer = load_reader(self.config, self.log)

    def read(self, question: str, passages: Sequence[Passage], top_k: int = 5) -> Reading:
        """The best spans of all passages for the question (no passages: nothing found)."""
        if not passages:
            return Reading((), 1.0)
        self.warm_up()
        import torch

        questions = [_question_for(question, p.text) for p in passages]
        encoded = encode_windows(self._tokenizer, questions, [p.text for p in passages],
                                 self.config.reader_max_length, self.config.reader_stride)
        batch = self._tokenizer.pad({"input_ids": encoded["input_ids"],
                                     "attention_mask": encoded["attention_mask"]},
                                    return_tensors="pt")
        with torch.inference_mode():
            out = self._model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
        spans: dict[tuple[str, int, int], Span] = {}
        no_answer = 1.0
        for w, p in enumerate(encoded["overflow_to_sample_mapping"]):
            passage = passages[p]
            found, null = window_spans(out.start_logits[w].tolist(), out.end_logits[w].tolist(),
                                       encoded["offset_mapping"][w], encoded.sequence_ids(w),
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


# ---------------------------------------------------------------- loading


def load_reader(config: Config, log: Callable[[str], None] = print):
    """(model, tokenizer) for `config.reader`: the default shipped reader, or a local directory
    holding any transformers question-answering model."""
    try:
        import torch
        from transformers import AutoModelForQuestionAnswering, AutoTokenizer
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelUnavailableError(f"阅读模型需要 torch 和 transformers（{exc}）："
                                    "请运行 pip install -e .") from exc
    if config.embedding_threads:
        torch.set_num_threads(config.embedding_threads)
    if config.reader == DEFAULT_MODEL:
        model, tokenizer = default_reader(config.cache_dir, log)
    else:
        path = Path(config.reader).expanduser()
        if not path.is_dir():
            raise ModelUnavailableError(f"阅读模型目录 {path} 不存在：QA_READER/--reader 应是本地的"
                                        "问答模型目录（含 config.json），或 default")
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            model = AutoModelForQuestionAnswering.from_pretrained(str(path), local_files_only=True)
        except Exception as exc:  # wrong files, not a QA model …
            raise ModelUnavailableError(f"无法加载阅读模型 {path}：{type(exc).__name__}: {exc}") \
                from exc
    model.eval()
    return model, tokenizer


def default_reader(cache_dir: Path, log: Callable[[str], None] = print,
                   weights: Path | None = None):
    """The default embedding model with the shipped (or the given) trained weights applied."""
    from transformers import AutoTokenizer, BertConfig, BertForQuestionAnswering

    from .e5_convert import DEFAULT_MODEL_ID, ensure_default_model
    from .reader_weights import SHIPPED_DIR, WEIGHTS_FILE, apply_trained, base_state

    try:
        base_dir = ensure_default_model(Path(cache_dir), log=log)
    except RuntimeError as exc:
        raise ModelUnavailableError(str(exc)) from exc
    tokenizer = AutoTokenizer.from_pretrained(str(base_dir))
    model = BertForQuestionAnswering(BertConfig.from_pretrained(str(base_dir)))
    apply_trained(model, base_state(base_dir), weights or SHIPPED_DIR / WEIGHTS_FILE,
                  DEFAULT_MODEL_ID)
    return model, tokenizer
