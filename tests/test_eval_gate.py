"""The quality gate: the real engine, on one corpus holding this report and two provincial work
reports (Word files from ../shared/data/reports), must not fall below the committed floors in
eval/baseline.json for each document's question set (a real run's figures minus a margin)."""
import json
import shutil

import pytest

from qa.evaluation import evaluate
from qa.question_set import load_questions

from .conftest import CORPUS, ROOT

pytestmark = pytest.mark.integration

BASELINE = json.loads((ROOT / "eval" / "baseline.json").read_text(encoding="utf-8"))
REPORTS = ROOT.parent / "shared" / "data" / "reports"


@pytest.fixture(scope="module")
def gate_engine(tmp_path_factory, real_cache_dir):
    from qa.config import Config
    from qa.engine import Engine

    root = tmp_path_factory.mktemp("gate")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    for name in BASELINE["reports"].values():
        if (REPORTS / name).exists():
            shutil.copy(REPORTS / name, corpus / name)
    config = Config(corpus_dir=corpus, index_dir=root / "index", cache_dir=real_cache_dir)
    return Engine.open(config, log=lambda message: None, build_if_needed=True)


@pytest.mark.parametrize("name", sorted(BASELINE["sets"]))
def test_each_documents_set_stays_above_its_floor(gate_engine, name):
    floors = BASELINE["sets"][name]
    report = BASELINE["reports"].get(name)
    if report and not (REPORTS / report).exists():
        pytest.skip(f"{REPORTS / report} is absent")
    run = evaluate(gate_engine, load_questions(ROOT / floors["questions"]).questions, "hybrid")
    for metric, floor in floors.items():
        if metric == "questions":
            continue
        value = getattr(run.metrics, metric)
        if metric == "wrong_rate":  # a ceiling, not a floor
            assert value <= floor, f"{name}: {metric} = {value} rose above {floor}"
            continue
        assert value is not None and value >= floor, (
            f"{name}: {metric} = {value} fell below the floor {floor} (eval/baseline.json); "
            f"misses: {[r.id for r in run.results if not r.correct][:20]}")


def test_a_followup_asks_the_question_before_of_another_report_or_measure(gate_engine):
    guangdong = BASELINE["reports"]["guangdong"]
    if not (REPORTS / guangdong).exists():
        pytest.skip(f"{REPORTS / guangdong} is absent")
    # 那广东呢 after a question about Henan: the same question, asked of Guangdong's report
    answer = gate_engine.ask("那广东呢？", previous="河南去年粮食产量是多少？")
    assert answer.understood_as.startswith("广东去年粮食产量")
    assert answer.quotes and all(q.doc_id == guangdong for q in answer.quotes)
    # another measure of the same place and year
    answer = gate_engine.ask("进出口总额呢？", previous="广东去年地区生产总值是多少？")
    assert answer.understood_as == "广东去年进出口总额是多少？"
    assert not answer.abstained and answer.quotes[0].doc_id == guangdong
    assert "9万亿元" in answer.text
