"""The quality gate: the real engine on the project's question set must not fall below the
committed floors in eval/baseline.json (a real run's figures minus a small margin)."""
import json

import pytest

from qa.evaluation import evaluate, load_questions

from .conftest import QUESTIONS, ROOT

pytestmark = pytest.mark.integration

BASELINE = ROOT / "eval" / "baseline.json"
GATED = ("answer_accuracy", "quote_at_1", "abstain_recall")


@pytest.fixture(scope="module")
def hybrid_run(real_engine):
    return evaluate(real_engine, load_questions(QUESTIONS).questions, "hybrid")


@pytest.mark.parametrize("metric", GATED)
def test_metric_is_not_below_the_baseline(hybrid_run, metric):
    floor = json.loads(BASELINE.read_text(encoding="utf-8"))[metric]
    value = getattr(hybrid_run.metrics, metric)
    assert value is not None and value >= floor, (
        f"{metric} = {value} fell below the baseline {floor} (eval/baseline.json); "
        f"misses: {[r.id for r in hybrid_run.results if not r.correct][:20]}")
