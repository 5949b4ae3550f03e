"""Hybrid retrieval over the report with the fake embedder, and normalisation of queries."""
import numpy as np
import pytest

from qa.engine import Engine
from qa.build import build_index
from qa.lexical import tokenize
from qa.normalize import fold


@pytest.fixture
def engine(fake_config, fake_embedder):
    build_index(fake_config, fake_embedder, log=lambda m: None)
    return Engine.open(fake_config, embedder=fake_embedder, log=lambda m: None)


def test_hits_carry_fused_score_and_ranks(engine):
    hits = engine.search("2020年专利申请量是多少", k=3)
    assert "16284" in hits[0].chunk.text
    assert hits[0].lexical_rank == 1 and hits[0].dense_rank is not None
    assert hits[0].score >= hits[1].score >= hits[2].score


def test_traditional_question_finds_simplified_text(engine):
    assert fold("專利申請量") == "专利申请量"
    assert "专利申请量" in engine.search("專利申請量達到多少件", k=1)[0].chunk.text


def test_full_width_digits_are_folded(engine):
    assert tokenize("１６２８４件") == tokenize("16284件")
    assert "16284" in engine.search("１６２８４件是什么数量", k=1)[0].chunk.text


def test_years_in_chinese_numerals_are_folded_to_digits():
    assert fold("二〇二〇年专利") == "2020年专利"
    assert fold("二零二一年") == "2021年"
    assert fold("一二三四五年") == "一二三四五年"   # five numerals: not a year
    assert len(fold("二〇二〇年")) == len("二〇二〇年")


@pytest.mark.parametrize("mode", ["dense", "lexical"])
def test_single_retriever_modes(engine, mode):
    hits = engine.search("优良天数", k=2, mode=mode)
    assert hits
    if mode == "dense":
        assert all(h.lexical_rank is None for h in hits)
    else:
        assert all(h.dense_rank is None for h in hits)


def test_weights_are_configurable(fake_config, fake_embedder):
    build_index(fake_config, fake_embedder, log=lambda m: None)
    lexical_only = Engine.open(fake_config.replace(dense_weight=0.0), embedder=fake_embedder,
                               log=lambda m: None)
    hits = lexical_only.search("新建公厕多少座", k=3)
    assert [h.lexical_rank for h in hits] == sorted(h.lexical_rank for h in hits)


class _RecordingEmbedder:
    """Remembers what it was asked to embed."""

    def __init__(self):
        self.asked: list[str] = []

    def embed_queries(self, texts):
        self.asked.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32)


def test_a_question_is_embedded_in_the_script_of_the_corpus(engine, fake_config):
    from qa.retriever import Retriever

    # The report is in simplified characters: a traditional question is embedded simplified
    # (the model places the two scripts apart).
    assert not engine.index.traditional
    embedder = _RecordingEmbedder()
    Retriever(engine.index, embedder, fake_config).embed_query("臨時黨支部有多少名黨員")
    assert embedder.asked == ["临时党支部有多少名党员"]


def test_a_corpus_in_traditional_characters_is_asked_as_written(tmp_path, fake_embedder):
    from qa.config import Config
    from qa.retriever import Retriever

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "臺灣.md").write_text("# 臺灣\n\n臺灣位於東亞，島嶼面積約三萬六千平方公里。\n",
                                   encoding="utf-8")
    config = Config(corpus_dir=corpus, index_dir=tmp_path / "index", cache_dir=tmp_path / "c")
    build_index(config, fake_embedder, log=lambda m: None)
    index = Engine.open(config, embedder=fake_embedder, log=lambda m: None).index
    assert index.traditional
    embedder = _RecordingEmbedder()
    Retriever(index, embedder, config).embed_query("臺灣面積多大")
    assert embedder.asked == ["臺灣面積多大"]
