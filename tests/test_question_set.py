"""Sanity checks for the evaluation question sets (eval/questions.jsonl, the project's own, and
eval/heldout.jsonl, written independently to estimate generalisation).

Fast and offline: checks the file's structure, the type quotas, and that every
evidence passage / answer string really occurs in the report (whitespace-insensitive,
because the report has page-break artifacts such as "建\\n\\n设序列").
"""
import json
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
QUESTIONS = ROOT / "eval" / "questions.jsonl"
HELDOUT = ROOT / "eval" / "heldout.jsonl"
CORPUS = ROOT / "corpus"

REQUIRED_KEYS = {"id", "question", "answers", "evidence", "type"}
TYPES = {"factoid", "paraphrase", "entity", "name", "traditional", "unanswerable"}
MIN_TOTAL = 130
MIN_COUNTS = {"paraphrase": 30, "unanswerable": 20, "traditional": 12}
MIN_ENTITY_OR_NAME = 10


def squash(text: str) -> str:
    """Remove all whitespace (page breaks can split a word in two)."""
    return re.sub(r"\s+", "", text)


def _load(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:  # pragma: no cover - failure path
                pytest.fail(f"line {lineno} is not valid JSON: {exc}")
    return rows


@pytest.fixture(scope="module", params=[QUESTIONS, HELDOUT], ids=["questions", "heldout"])
def questions(request):
    return _load(request.param)


@pytest.fixture(scope="module")
def report():
    txts = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
    assert len(txts) == 1, f"expected exactly one .txt report in {CORPUS}, found {txts}"
    return squash(txts[0].read_text(encoding="utf-8"))


def test_required_keys_and_types(questions):
    for q in questions:
        assert isinstance(q, dict)
        missing = {"id", "question", "answers", "type"} - q.keys()
        assert not missing, f"{q.get('id')}: missing {missing}"
        assert set(q.keys()) <= REQUIRED_KEYS, f"{q['id']}: unexpected keys {set(q) - REQUIRED_KEYS}"
        assert isinstance(q["question"], str) and q["question"].strip(), q["id"]
        assert isinstance(q["answers"], list), q["id"]
        assert all(isinstance(a, str) and a.strip() for a in q["answers"]), q["id"]
        assert isinstance(q.get("evidence", ""), str), q["id"]
        assert q["type"] in TYPES, f"{q['id']}: unknown type {q['type']!r}"
        if q["answers"]:
            assert "evidence" in q, f"{q['id']}: answerable question without evidence"


def test_ids_unique(questions):
    ids = [q["id"] for q in questions]
    dupes = [i for i, c in Counter(ids).items() if c > 1]
    assert not dupes, f"duplicate ids: {dupes}"


def test_questions_unique(questions):
    texts = [q["question"].strip() for q in questions]
    dupes = [t for t, c in Counter(texts).items() if c > 1]
    assert not dupes, f"duplicate questions: {dupes}"


def test_quotas():
    questions = _load(QUESTIONS)
    assert len(questions) >= MIN_TOTAL
    counts = Counter(q["type"] for q in questions)
    for ty, minimum in MIN_COUNTS.items():
        assert counts[ty] >= minimum, f"{ty}: {counts[ty]} < {minimum}"
    assert counts["entity"] + counts["name"] >= MIN_ENTITY_OR_NAME


def test_unanswerable_iff_no_answers(questions):
    for q in questions:
        if q["type"] == "unanswerable":
            assert q["answers"] == [], f"{q['id']}: unanswerable but has answers"
            assert not q.get("evidence"), f"{q['id']}: unanswerable but has evidence"
        else:
            assert q["answers"], f"{q['id']}: answerable but answers is empty"


def test_evidence_in_report(questions, report):
    missing = [
        q["id"] for q in questions
        if q.get("evidence") and squash(q["evidence"]) not in report
    ]
    assert not missing, f"evidence not found in report for: {missing}"


def test_answers_in_evidence(questions):
    bad = [
        (q["id"], a) for q in questions for a in q["answers"]
        if squash(a) not in squash(q.get("evidence", ""))
    ]
    assert not bad, f"answers not inside their evidence: {bad}"
