"""End to end with the real default model: retrieval and answers on the project's corpus."""
import json

import pytest

from qa.normalize import fold

from .conftest import CORPUS, QUESTIONS, ROOT

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
    # English shares no words with the report: it is answered only at a high confidence, and
    # whether answered or not, the sentence it shows is the right one.
    answer = real_engine.ask("How much patent pledge financing was completed?")
    assert answer.abstained or "7800万元" in answer.text
    assert "7800万元" in answer.quotes[0].sentence
    # Nothing in the report: abstain rather than guess from a merely close sentence.
    for question in ("What was the GDP of Shanghai Zhangjiang in 2020?",
                     "What GDP growth target did the zone set for 2021?"):
        assert real_engine.ask(question).abstained, question


HENAN = ROOT.parent / "shared" / "data" / "reports" / "2025年河南省政府工作报告.docx"


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory, real_cache_dir):
    """This report and a real provincial work report (Word) in one corpus."""
    import shutil

    from qa.config import Config
    from qa.engine import Engine

    if not HENAN.exists():
        pytest.skip(f"{HENAN} is absent")
    root = tmp_path_factory.mktemp("two-reports")
    shutil.copytree(CORPUS, root / "corpus")
    shutil.copy(HENAN, root / "corpus" / HENAN.name)
    config = Config(corpus_dir=root / "corpus", index_dir=root / "index",
                    cache_dir=real_cache_dir)
    return Engine.open(config, log=lambda m: None, build_if_needed=True)


@pytest.mark.parametrize("question, expected, document", [
    ("2020年高新区专利申请量达到多少件？", "16284件", "郑州高新区2020年工作回顾.txt"),
    ("2024年河南进出口总额是多少？", "8202亿元", HENAN.name),
    ("河南2024年城镇新增就业多少人？", "120万人", HENAN.name),
])
def test_each_question_is_answered_from_its_own_report(two_reports, question, expected,
                                                        document):
    answer = two_reports.ask(question)
    assert not answer.abstained and expected in answer.text, (question, answer.text)
    assert answer.quotes[0].doc_id == document
    quote = answer.quotes[0]
    assert two_reports.index.document_text(document)[quote.highlight_start:
                                                      quote.highlight_end] == answer.text


def test_a_year_the_report_does_not_cover_is_not_answered(two_reports):
    answer = two_reports.ask("2022年河南全年生产总值是多少？")
    assert answer.abstained
