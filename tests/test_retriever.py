"""Hybrid retrieval over the report with the fake embedder, and normalisation of queries."""
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
