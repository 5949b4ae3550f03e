"""End to end with the real default model: retrieval and answers on the project's corpus."""
import json

import pytest

from qa.normalize import fold

from .conftest import QUESTIONS

pytestmark = pytest.mark.integration


def _flat(text: str) -> str:
    return "".join(fold(text).split())


def _questions(kinds, limit):
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]
    picked = [r for r in rows if r["type"] in kinds and r["answers"]]
    step = max(1, len(picked) // limit)
    return picked[::step][:limit]


@pytest.mark.parametrize("row", _questions({"factoid"}, 20), ids=lambda r: r["id"])
def test_the_chunk_with_the_answer_is_in_the_top_3(real_engine, row):
    hits = real_engine.search(row["question"], k=3)
    assert any(_flat(row["evidence"]) in _flat(h.chunk.text) for h in hits), row["question"]


def test_default_model_is_recorded_in_the_manifest(real_engine):
    assert real_engine.index.manifest["model"]["id"].startswith("intfloat/multilingual-e5-small")
    assert real_engine.index.manifest["model"]["dimension"] == 384


def test_answers_end_to_end(real_engine):
    rows = _questions({"factoid", "traditional", "entity", "name"}, 30)
    correct = 0
    for row in rows:
        answer = real_engine.ask(row["question"])
        if not answer.abstained and any(_flat(a) in _flat(answer.text) for a in row["answers"]):
            correct += 1
    assert len(rows) >= 20 and correct / len(rows) >= 0.7


def test_traditional_question_finds_simplified_text(real_engine):
    answer = real_engine.ask("2020年高新區專利申請量達到多少件？")
    assert answer.text == "16284件"
    assert "专利申请量" in answer.quotes[0].sentence  # quotes stay in the report's characters


def test_english_questions_are_answered_only_on_strong_evidence(real_engine):
    # The multilingual embedding finds the sentence; the answer is the report's own span.
    answer = real_engine.ask("How much patent pledge financing was completed?")
    assert not answer.abstained and "7800万元" in answer.text
    # Nothing in the report: abstain rather than guess from a merely close sentence.
    for question in ("What was the GDP of Shanghai Zhangjiang in 2020?",
                     "What GDP growth target did the zone set for 2021?"):
        assert real_engine.ask(question).abstained, question
