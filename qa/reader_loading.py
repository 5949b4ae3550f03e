"""Loading the reader: where its weights are, and what runs them (ONNX Runtime or torch).

- `reader_source`: the default reader (the converted base model + the shipped trained weights,
  qa/models/reader/) or a local transformers question-answering model directory (QA_READER);
- `load_reader`: its tokenizer and a forward function (padded windows -> start and end logits)
  on `config.reader_runtime`: "onnx-int8" (the default) or "onnx" (qa/reader_onnx.py exports
  either kind of reader once into the cache), or "torch". Without onnxruntime, or when the
  export fails, the reader says so in one line and runs on torch.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .config import DEFAULT_MODEL, Config
from .errors import ConfigError, ModelUnavailableError

RUNTIMES = ("onnx-int8", "onnx", "torch")

@dataclass(frozen=True)
class ReaderSource:
    """Where a reader's weights are: what its export is keyed by, and how to build its torch
    model (for torch, or to export)."""
    name: str                        # names its export file: "default", "local-<path hash>"
    tokenizer_dir: Path
    weight_files: tuple[Path, ...]   # every file the weights are read from
    build: Callable[[], object]      # -> the torch model, in eval mode


@dataclass(frozen=True)
class LoadedReader:
    tokenizer: object
    forward: Callable   # (input_ids, attention_mask) int64 arrays -> (start, end) logit arrays
    source: ReaderSource | None


class TorchForward:
    """Start and end logits from the torch model: numpy in, numpy out, like OnnxForward."""

    runtime = "torch"

    def __init__(self, model):
        self.model = model

    def __call__(self, input_ids, attention_mask):
        import torch

        with torch.inference_mode():
            out = self.model(input_ids=torch.from_numpy(input_ids),
                             attention_mask=torch.from_numpy(attention_mask))
        return out.start_logits.numpy(), out.end_logits.numpy()


def load_reader(config: Config, log: Callable[[str], None] = print) -> LoadedReader:
    """`config.reader` (the shipped reader, or a local directory holding any transformers
    question-answering model) on `config.reader_runtime`. Both are exported to ONNX; if
    onnxruntime is missing or the export fails, the reader says so in one line and runs on torch."""
    if config.reader_runtime not in RUNTIMES:
        raise ConfigError(f"未知的阅读模型运行时 {config.reader_runtime!r}：可选 "
                          f"{', '.join(RUNTIMES)}（QA_READER_RUNTIME）")
    try:
        import torch
        from transformers import AutoTokenizer
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelUnavailableError(f"阅读模型需要 torch 和 transformers（{exc}）："
                                    "请运行 pip install -e .") from exc
    if config.embedding_threads:
        torch.set_num_threads(config.embedding_threads)
    source = reader_source(config, log)
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(source.tokenizer_dir), local_files_only=True)
    except Exception as exc:  # no tokenizer files …
        raise ModelUnavailableError(f"无法加载阅读模型 {source.tokenizer_dir} 的分词器："
                                    f"{type(exc).__name__}: {exc}") from exc
    if config.reader_runtime.startswith("onnx"):
        from .reader_onnx import load_onnx

        try:
            forward = load_onnx(source, config.cache_dir, config.embedding_threads, log,
                                int8=config.reader_runtime == "onnx-int8")
            return LoadedReader(tokenizer, forward, source)
        except ModelUnavailableError:
            raise  # the weights themselves are wrong: torch cannot read them either
        except Exception as exc:  # no onnxruntime, an export that fails: torch still reads
            log(f"阅读模型改用 torch 运行（ONNX 不可用：{type(exc).__name__}: {exc}）/ "
                "reader falls back to torch")
    return LoadedReader(tokenizer, TorchForward(source.build()), source)


def reader_source(config: Config, log: Callable[[str], None] = print) -> ReaderSource:
    """The default reader (the converted base model + the shipped weights) or a local one."""
    if config.reader == DEFAULT_MODEL:
        from .e5_convert import ensure_default_model
        from .reader_weights import SHIPPED_DIR, WEIGHTS_FILE

        try:
            base_dir = ensure_default_model(Path(config.cache_dir), log=log)
        except RuntimeError as exc:
            raise ModelUnavailableError(str(exc)) from exc
        weights = SHIPPED_DIR / WEIGHTS_FILE
        files = (base_dir / "config.json", base_dir / "model.safetensors", weights)
        return ReaderSource(DEFAULT_MODEL, base_dir, tuple(f for f in files if f.is_file()),
                            lambda: default_model(base_dir, weights))
    path = Path(config.reader).expanduser()
    if not path.is_dir():
        raise ModelUnavailableError(f"阅读模型目录 {path} 不存在：QA_READER/--reader 应是本地的"
                                    "问答模型目录（含 config.json），或 default")
    files = sorted(f for f in path.iterdir()
                   if f.suffix in (".safetensors", ".bin") or f.name == "config.json")
    name = "local-" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]
    return ReaderSource(name, path, tuple(files), lambda: local_model(path))


def local_model(path: Path):
    from transformers import AutoModelForQuestionAnswering

    try:
        return AutoModelForQuestionAnswering.from_pretrained(str(path), local_files_only=True).eval()
    except Exception as exc:  # wrong files, not a QA model …
        raise ModelUnavailableError(f"无法加载阅读模型 {path}：{type(exc).__name__}: {exc}") \
            from exc


def default_model(base_dir: Path, weights: Path):
    """The converted default embedding model with trained weights applied, as a QA model."""
    from transformers import BertConfig, BertForQuestionAnswering

    from .e5_convert import DEFAULT_MODEL_ID
    from .reader_weights import apply_trained, base_state

    model = BertForQuestionAnswering(BertConfig.from_pretrained(str(base_dir)))
    apply_trained(model, base_state(base_dir), weights, DEFAULT_MODEL_ID)
    return model.eval()


def default_reader(cache_dir: Path, log: Callable[[str], None] = print,
                   weights: Path | None = None):
    """(torch model, tokenizer): the default reader with the shipped (or the given) weights."""
    from transformers import AutoTokenizer

    from .e5_convert import ensure_default_model
    from .reader_weights import SHIPPED_DIR, WEIGHTS_FILE

    try:
        base_dir = ensure_default_model(Path(cache_dir), log=log)
    except RuntimeError as exc:
        raise ModelUnavailableError(str(exc)) from exc
    tokenizer = AutoTokenizer.from_pretrained(str(base_dir))
    return default_model(base_dir, weights or SHIPPED_DIR / WEIGHTS_FILE), tokenizer
