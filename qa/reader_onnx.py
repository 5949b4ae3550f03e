"""The reader on ONNX Runtime: its torch model exported once into the cache, then run by ORT.

ONNX Runtime reads the same windows with the same logits (to within ~2e-5). On a quiet 2-core
box it is ~10% slower than torch; on a busy one, where torch's threads fight other processes,
it is several times faster (bench/README.md). The export (~20 s, ~470 MB for the
default reader) is written once per set of weights to `<cache>/models/reader-onnx/<name>-<key>.onnx`,
where the key hashes the weight files and EXPORT_FORMAT: new weights, or a change to the export
code (bump EXPORT_FORMAT), make a new export, and the older one of the same reader is removed.
It is written to a temporary file and renamed into place, so a crash leaves no half-written model.
"""
from __future__ import annotations

import hashlib
import logging
import os
import warnings
from pathlib import Path
from typing import Iterable

EXPORT_FORMAT = 1  # bump when export() changes: exports made by older code are then redone
EXPORT_DIR = Path("models") / "reader-onnx"
INPUTS = ("input_ids", "attention_mask")
OUTPUTS = ("start_logits", "end_logits")


def export_path(cache_dir: Path, name: str, weight_files: Iterable[Path]) -> Path:
    """Where the export of these weights lives (whether or not it exists yet)."""
    digest = hashlib.sha256(f"reader-onnx/{EXPORT_FORMAT}\n".encode())
    for path in weight_files:
        digest.update(Path(path).name.encode() + b"\n")
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return Path(cache_dir) / EXPORT_DIR / f"{name}-{digest.hexdigest()[:16]}.onnx"


def export(model, path: Path) -> Path:
    """Export a transformers question-answering model (input_ids, attention_mask -> start and
    end logits) with dynamic batch and sequence axes; returns `path`."""
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # Two rows, the second padded: the traced graph must not assume an all-ones mask.
    ids = torch.full((2, 16), 5, dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    mask[1, 10:] = 0
    batch, sequence = torch.export.Dim("batch", min=1), torch.export.Dim("sequence", min=2)
    quiet = logging.getLogger("torch.onnx")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "torchvision is not installed" and the like, not ours
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model.eval(), (), str(tmp), kwargs={"input_ids": ids, "attention_mask": mask},
                              input_names=list(INPUTS), output_names=list(OUTPUTS),
                              dynamic_shapes={name: {0: batch, 1: sequence} for name in INPUTS},
                              dynamo=True, external_data=False, optimize=True, verbose=False)
        os.replace(tmp, path)
    finally:
        quiet.setLevel(level)
        tmp.unlink(missing_ok=True)
    for old in path.parent.glob(f"{path.name.rsplit('-', 1)[0]}-*.onnx"):
        if old != path:  # an export of this reader's earlier weights: ~470 MB nobody reads
            old.unlink(missing_ok=True)
    return path


class OnnxForward:
    """Start and end logits of padded windows (int64 arrays [batch, tokens]) from an export."""

    runtime = "onnx"

    def __init__(self, path: Path, threads: int = 0):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # 0: ORT's default, one per core
        options.inter_op_num_threads = 1        # the graph is one chain; more only contend
        # Idle threads sleep instead of spinning: on a busy 2-core box spinning threads took
        # the CPU from the ones working (6 windows: 316 ms without spinning, 524 ms with).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.path = Path(path)
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def __call__(self, input_ids, attention_mask):
        start, end = self.session.run(list(OUTPUTS), {"input_ids": input_ids,
                                                      "attention_mask": attention_mask})
        return start, end


def load_onnx(source, cache_dir: Path, threads: int, log) -> OnnxForward:
    """The reader `source` (qa.reader.ReaderSource) on ONNX Runtime, exported on first use.
    Raises ImportError without onnxruntime/onnxscript, or whatever the export raises."""
    import onnxruntime  # noqa: F401  (missing: the caller falls back to torch before exporting)

    path = export_path(cache_dir, source.name, source.weight_files)
    if not path.is_file():
        log("首次使用：正在把阅读模型导出为 ONNX（约 20 秒，只做一次）… / "
            f"first use: exporting the reader to ONNX (~20 s, once) -> {path.parent}")
        export(source.build(), path)
    return OnnxForward(path, threads)
