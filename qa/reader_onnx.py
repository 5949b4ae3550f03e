"""The reader on ONNX Runtime: its torch model exported once into the cache, then run by ORT.

fp32 ("onnx") reads the same windows with the same logits as torch (to within ~2e-5): on a quiet
2-core box ~10% slower than torch, on a busy one several times faster (bench/README.md).
"onnx-int8" (the default) also quantizes the layers that widen their input (attention
projections, the feed-forward up-projection) to int8 weights and activations, dynamically: ~1.4x
faster than fp32, EM within a point (bench/README.md). Layers that narrow their input (the
feed-forward down-projection, the QA head) stay fp32: they read the GELU's long-tailed output,
which int8 activations clip (all layers int8 lost 2.2 EM on report questions).

The export (~20-35 s, ~430-470 MB for the default reader) is written once per set of weights
to `<cache>/models/reader-onnx/<name>-<kind>-<key>.onnx`, where the key hashes the weight files,
the kind and EXPORT_FORMAT: new weights, or a change to the export code (bump EXPORT_FORMAT),
make a new export, and the older one of the same reader and kind is removed. It is written to a
temporary file and renamed into place, so a crash leaves no half-written model.
"""
from __future__ import annotations

import hashlib
import logging
import os
import warnings
from pathlib import Path
from typing import Iterable

EXPORT_FORMAT = 2  # bump when export() changes: exports made by older code are then redone
EXPORT_DIR = Path("models") / "reader-onnx"
INPUTS = ("input_ids", "attention_mask")
OUTPUTS = ("start_logits", "end_logits")


def export_path(cache_dir: Path, name: str, weight_files: Iterable[Path], int8: bool) -> Path:
    """Where the export of these weights lives (whether or not it exists yet)."""
    kind = "int8" if int8 else "fp32"
    digest = hashlib.sha256(f"reader-onnx/{EXPORT_FORMAT}/{kind}\n".encode())
    for path in weight_files:
        digest.update(Path(path).name.encode() + b"\n")
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return Path(cache_dir) / EXPORT_DIR / f"{name}-{kind}-{digest.hexdigest()[:16]}.onnx"


def export(model, path: Path, int8: bool = False) -> Path:
    """Export a transformers question-answering model (input_ids, attention_mask -> start and
    end logits) with dynamic batch and sequence axes, its widening layers int8 if asked;
    returns `path`."""
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fp32 = tmp.with_suffix(".fp32.tmp") if int8 else tmp
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
            torch.onnx.export(model.eval(), (), str(fp32), kwargs={"input_ids": ids, "attention_mask": mask},
                              input_names=list(INPUTS), output_names=list(OUTPUTS),
                              dynamic_shapes={name: {0: batch, 1: sequence} for name in INPUTS},
                              dynamo=True, external_data=False, optimize=True, verbose=False)
        if int8:
            quantize_widening_layers(fp32, tmp)
        os.replace(tmp, path)
    finally:
        quiet.setLevel(level)
        tmp.unlink(missing_ok=True)
        fp32.unlink(missing_ok=True)
    _remove_older_exports(path)
    return path


def _remove_older_exports(path: Path) -> None:
    """Exports of this reader's earlier weights, or by older code (~400 MB nobody reads); the
    current export of the other kind stays (the two runtimes may take turns)."""
    parts = path.name.rsplit("-", 2)
    if len(parts) != 3:
        return
    reader_name, kind = parts[0], parts[1]
    other_kind = f"{reader_name}-{'fp32' if kind == 'int8' else 'int8'}-"
    for old in path.parent.glob(f"{reader_name}-*.onnx"):
        if old != path and not old.name.startswith(other_kind):
            old.unlink(missing_ok=True)


def quantize_widening_layers(source: Path, target: Path) -> None:
    """Dynamic int8 (per-channel weights) for every matrix product whose weight does not narrow
    its input (in <= out features); the rest stay fp32 (see the module's docstring)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(source), load_external_data=False).graph
    weights = {w.name: tuple(w.dims) for w in graph.initializer}
    narrowing = [node.name for node in graph.node if node.op_type in ("MatMul", "Gemm")
                 and len(weights.get(node.input[1], ())) == 2
                 and weights[node.input[1]][0] > weights[node.input[1]][1]]
    logger = logging.getLogger()  # the quantizer advises "pre-processing" on the root logger
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul", "Gemm"], nodes_to_exclude=narrowing)
    finally:
        logger.setLevel(level)


class OnnxForward:
    """Start and end logits of padded windows (int64 arrays [batch, tokens]) from an export."""

    def __init__(self, path: Path, threads: int = 0, runtime: str = "onnx"):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # 0: ORT's default, one per core
        options.inter_op_num_threads = 1        # the graph is one chain; more only contend
        # Idle threads sleep instead of spinning: on a busy 2-core box spinning threads took
        # the CPU from the ones working (6 windows: 316 ms without spinning, 524 ms with).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.path = Path(path)
        self.runtime = runtime  # "onnx" or "onnx-int8", as configured
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def __call__(self, input_ids, attention_mask):
        start, end = self.session.run(list(OUTPUTS), {"input_ids": input_ids,
                                                      "attention_mask": attention_mask})
        return start, end


def load_onnx(source, cache_dir: Path, threads: int, log, int8: bool = False) -> OnnxForward:
    """The reader `source` (qa.reader.ReaderSource) on ONNX Runtime, exported on first use.
    Raises ImportError without onnxruntime/onnxscript, or whatever the export raises."""
    import onnxruntime  # noqa: F401  (missing: the caller falls back to torch before exporting)

    path = export_path(cache_dir, source.name, source.weight_files, int8)
    if not path.is_file():
        log("首次使用：正在把阅读模型导出为 ONNX（约 30 秒，只做一次）… / "
            f"first use: exporting the reader to ONNX (~30 s, once) -> {path.parent}")
        export(source.build(), path, int8)
    return OnnxForward(path, threads, "onnx-int8" if int8 else "onnx")
