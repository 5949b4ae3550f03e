"""The reader on ONNX Runtime and on torch: same spans, one export reused, torch when ONNX fails;
the int8 export quantizes only the layers that widen their input.

A tiny local question-answering model (made here, exported in a few seconds) covers the runtime
choice; the shipped reader itself is compared in the integration test at the end."""
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.config import Config
from qa.errors import ConfigError
from qa.reader import Passage, Reader, length_groups

pytest.importorskip("onnxruntime")

QUESTION = "专利申请量是多少"
PASSAGES = [Passage("r", 0, "2020年专利申请量增长了12"), Passage("r", 40, "高新区的专利申请量是3")]


def test_windows_are_grouped_by_length_with_little_padding():
    assert length_groups([100, 180, 95, 176, 40, 98]) == [[1, 3], [0, 5, 2], [4]]
    assert length_groups([50] * 5, max_batch=2) == [[0, 1], [2, 3], [4]]
    assert length_groups([]) == []


def test_an_unknown_runtime_names_the_choices(tmp_path):
    with pytest.raises(ConfigError, match="onnx-int8, onnx, torch"):
        Reader(Config(cache_dir=tmp_path, reader_runtime="tensorrt")).warm_up()


def test_the_runtime_comes_from_the_environment():
    assert Config.from_env({"QA_READER_RUNTIME": "torch"}).reader_runtime == "torch"
    assert Config.from_env({}).reader_runtime == "onnx-int8"


@pytest.fixture(scope="module")
def tiny_reader_dir(tmp_path_factory) -> Path:
    """A local transformers QA model directory (QA_READER): a 2-layer BERT and its tokenizer."""
    import torch
    from transformers import BertConfig, BertForQuestionAnswering, BertTokenizerFast

    path = tmp_path_factory.mktemp("tiny-reader")
    chars = sorted(set("".join(p.text for p in PASSAGES) + QUESTION))
    (path / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
                                              + chars) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(path / "vocab.txt"))
    tokenizer.save_pretrained(str(path))
    torch.manual_seed(0)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=16, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=32, max_position_embeddings=64)
    BertForQuestionAnswering(config).save_pretrained(str(path))
    return path


@pytest.fixture(scope="module")
def tiny_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("tiny-cache")  # one export for the module's tests


def _tiny(path, cache, runtime="onnx", logs=None) -> Reader:
    config = Config(reader=str(path), cache_dir=cache, reader_runtime=runtime,
                    reader_max_length=24, reader_stride=8)  # several windows per passage
    return Reader(config, log=(logs.append if logs is not None else lambda m: None))


def _same_readings(a, b):
    assert [(s.start, s.end, s.text) for s in a.spans] == [(s.start, s.end, s.text) for s in b.spans]
    assert np.allclose([s.probability for s in a.spans], [s.probability for s in b.spans],
                       rtol=1e-4, atol=1e-6)
    assert abs(a.no_answer - b.no_answer) < 1e-5


def test_a_local_reader_is_exported_once_and_reads_as_torch_does(tiny_reader_dir, tiny_cache,
                                                                  monkeypatch):
    logs = []
    onnx = _tiny(tiny_reader_dir, tiny_cache, logs=logs)
    assert onnx.runtime == "onnx"
    assert any("导出为 ONNX" in m for m in logs)
    exports = list((tiny_cache / "models" / "reader-onnx").glob("*.onnx"))
    assert len(exports) == 1 and exports[0].name.startswith("local-")
    torch_reader = _tiny(tiny_reader_dir, tiny_cache, runtime="torch")
    _same_readings(onnx.read(QUESTION, PASSAGES), torch_reader.read(QUESTION, PASSAGES))

    import qa.reader_onnx

    def no_export(*args):
        raise AssertionError("exported again")

    monkeypatch.setattr(qa.reader_onnx, "export", no_export)
    logs.clear()
    again = _tiny(tiny_reader_dir, tiny_cache, logs=logs)
    assert again.runtime == "onnx" and logs == []
    assert list((tiny_cache / "models" / "reader-onnx").glob("*.onnx")) == exports


def test_the_int8_export_keeps_narrowing_layers_in_fp32_and_sits_beside_the_fp32_one(
        tiny_reader_dir, tiny_cache):
    import onnx

    _tiny(tiny_reader_dir, tiny_cache).warm_up()  # the fp32 export, shared with the test above
    reader = _tiny(tiny_reader_dir, tiny_cache, runtime="onnx-int8")
    assert reader.runtime == "onnx-int8"
    assert reader.read(QUESTION, PASSAGES).no_answer <= 1.0
    exports = sorted(p.name for p in (tiny_cache / "models" / "reader-onnx").glob("*.onnx"))
    assert [name.split("-")[2] for name in exports] == ["fp32", "int8"]

    graph = onnx.load(str(reader._loaded.forward.path)).graph
    weights = {w.name: tuple(w.dims) for w in graph.initializer}
    quantized = [n for n in graph.node if n.op_type in ("MatMulInteger", "DynamicQuantizeMatMul")]
    fp32 = [weights[n.input[1]] for n in graph.node
            if n.op_type == "MatMul" and n.input[1] in weights]
    # 2 layers x (Q, K, V, attention output 16->16, feed-forward up 16->32) are int8; the
    # feed-forward down-projections (32->16) and the QA head (16->2) are not.
    assert len(quantized) == 10
    assert sorted(fp32) == [(16, 2), (32, 16), (32, 16)]


def test_the_torch_runtime_exports_nothing(tiny_reader_dir, tmp_path):
    reader = _tiny(tiny_reader_dir, tmp_path, runtime="torch")
    assert reader.runtime == "torch"
    assert reader.torch_model() is reader._loaded.forward.model
    assert not (tmp_path / "models" / "reader-onnx").exists()


def test_without_onnxruntime_the_reader_says_so_and_runs_on_torch(tiny_reader_dir, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime -> ImportError
    logs = []
    reader = _tiny(tiny_reader_dir, tmp_path, logs=logs)
    assert reader.runtime == "torch"
    assert len(logs) == 1 and "改用 torch" in logs[0]
    assert reader.read(QUESTION, PASSAGES).spans


def test_a_failed_export_leaves_no_file_and_falls_back_to_torch(tiny_reader_dir, tmp_path,
                                                                monkeypatch):
    import torch

    def broken(*args, **kwargs):
        raise RuntimeError("exporter broke")

    monkeypatch.setattr(torch.onnx, "export", broken)
    logs = []
    reader = _tiny(tiny_reader_dir, tmp_path, logs=logs)
    assert reader.runtime == "torch"
    assert "exporter broke" in logs[-1]
    assert list((tmp_path / "models" / "reader-onnx").iterdir()) == []


# -- the shipped reader (real weights; the converted base model is shared per session) --------

@pytest.mark.integration
def test_the_shipped_reader_reads_the_same_on_onnx_and_torch(real_cache_dir):
    from tests.conftest import REPORT

    text = REPORT.read_text(encoding="utf-8")
    passages = [Passage("report", s, text[s:s + 220]) for s in range(0, 1800, 300)]
    onnx = Reader(Config(cache_dir=real_cache_dir, reader_runtime="onnx"), log=lambda m: None)
    torch_reader = Reader(Config(cache_dir=real_cache_dir, reader_runtime="torch"))
    assert onnx.runtime == "onnx" and torch_reader.runtime == "torch"
    for question in ("2020年专利申请量是多少？", "地区生产总值增长了多少？", "报告是哪一年的？"):
        _same_readings(onnx.read(question, passages), torch_reader.read(question, passages))

    batch = onnx.tokenizer(["专利申请量是多少？"] * 3, [p.text for p in passages[:3]],
                           padding=True, return_tensors="np")
    ids, mask = batch["input_ids"].astype(np.int64), batch["attention_mask"].astype(np.int64)
    for ours, theirs in zip(onnx._loaded.forward(ids, mask), torch_reader._loaded.forward(ids, mask)):
        assert np.abs(ours - theirs).max() < 1e-3


@pytest.mark.integration
def test_the_shipped_reader_on_int8_finds_the_same_clear_answers(real_cache_dir):
    from tests.conftest import REPORT

    text = REPORT.read_text(encoding="utf-8")
    passages = [Passage("report", s, text[s:s + 220]) for s in range(0, 1800, 300)]
    int8 = Reader(Config(cache_dir=real_cache_dir), log=lambda m: None)
    torch_reader = Reader(Config(cache_dir=real_cache_dir, reader_runtime="torch"))
    assert int8.runtime == "onnx-int8"
    for question in ("2020年专利申请量是多少？", "报告是哪一年的？"):
        ours, theirs = int8.read(question, passages).best, torch_reader.read(question, passages).best
        assert (ours.start, ours.end) == (theirs.start, theirs.end)
        assert abs(ours.probability - theirs.probability) < 0.1
