"""The reader's decoding and its shipped-weights format (a tiny model: no download, no training)."""
import json

import pytest

from qa.errors import ModelUnavailableError
from qa.reader import window_spans


def test_window_spans_decode_the_best_span_and_the_no_answer_probability():
    # tokens: 0 = first (no answer), 1-2 question, 3 separator, 4-7 context
    sequence_ids = [None, 0, 0, None, 1, 1, 1, 1]
    offsets = [(0, 0), (0, 1), (1, 2), (0, 0), (0, 2), (2, 4), (4, 6), (6, 8)]
    start = [0, -9, -9, -9, 1, 6, 1, 0]
    end = [0, -9, -9, -9, 0, 1, 7, 1]
    spans, null = window_spans(start, end, offsets, sequence_ids, max_answer_tokens=3)
    best = max(spans, key=lambda s: s.probability)
    assert (best.start, best.end) == (2, 6)
    assert 0 < null < best.probability < 1
    assert all(s.end > s.start for s in spans)


def test_a_window_without_context_answers_nothing():
    assert window_spans([0, 1], [0, 1], [(0, 0), (0, 1)], [None, 0], 3) == ([], 1.0)


@pytest.fixture
def tiny_model():
    torch = pytest.importorskip("torch")
    from transformers import BertConfig, BertForQuestionAnswering

    torch.manual_seed(0)
    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=32)
    return BertForQuestionAnswering(config), config


def test_shipped_weights_round_trip_within_int8_precision(tmp_path, tiny_model):
    import torch
    from transformers import BertForQuestionAnswering

    from qa.reader_weights import apply_trained, export_trained

    model, config = tiny_model
    base = {k: v.clone() for k, v in model.state_dict().items()}
    with torch.no_grad():  # "training": change layer 1 and the head
        for name, p in model.named_parameters():
            if "layer.1." in name or name.startswith("qa_outputs"):
                p.add_(0.01 * torch.randn_like(p))
    trained = lambda n: "layer.1." in n or n.startswith("qa_outputs")  # noqa: E731
    path = export_trained(model, base, trained, tmp_path / "r.safetensors",
                          {"base": "tiny", "settings": json.dumps({"max_length": 32})})
    fresh = BertForQuestionAnswering(config)
    meta = apply_trained(fresh, base, path, expected_base="tiny")
    assert json.loads(meta["settings"]) == {"max_length": 32}
    for name, value in model.state_dict().items():
        got = fresh.state_dict()[name]
        if value.dim() == 2 and trained(name) and name in base:
            row_max = (value - base[name]).abs().amax(dim=1, keepdim=True)
            assert ((got - value).abs() <= row_max / 254 + 1e-7).all(), name
        else:
            assert torch.allclose(got, value), name
    with pytest.raises(ModelUnavailableError, match="基础模型不符"):
        apply_trained(fresh, base, path, expected_base="another")


def test_a_missing_weights_file_names_the_fix(tmp_path, tiny_model):
    from qa.reader_weights import apply_trained

    model, _ = tiny_model
    with pytest.raises(ModelUnavailableError, match="QA_READER"):
        apply_trained(model, model.state_dict(), tmp_path / "none.safetensors", "tiny")


def test_a_reader_directory_that_does_not_exist_is_a_clear_error(tmp_path):
    from qa.config import Config
    from qa.reader import load_reader

    with pytest.raises(ModelUnavailableError, match="不存在"):
        load_reader(Config(reader=str(tmp_path / "nowhere")))
