"""The evaluation: metric maths on hand-made cases, the question-set loader, and `qa eval`.

The engine runs on the fake embedder; `Engine.ask` is replaced by a scripted answerer so these
tests check the evaluation itself, not the quality of the answers.
"""
import json

import pytest

from qa import cli, engine as engine_module
from qa.answer import Answer, Quote
from qa.engine import Engine
from qa.evaluation import (
    QuestionResult, abstention_precision_recall, answer_correct, char_f1, compute_metrics,
    contains_evidence, evaluate, hit_at_k, hit_rank, matching_form, mean_reciprocal_rank,
    percentile, quote_correct)
from qa.question_set import QuestionSetError, load_questions
from qa.build import build_index

METRIC_KEYS = {"n", "answer_accuracy", "answerable_accuracy", "wrong_rate", "quote_at_1",
               "hit_at_1", "hit_at_3", "hit_at_5", "mrr", "char_f1", "em", "f1",
               "abstain_precision", "abstain_recall", "latency_ms_p50", "latency_ms_p95"}


# -- metric maths ------------------------------------------------------------------------------

def test_matching_form_folds_traditional_full_width_case_and_whitespace():
    assert matching_form("專利申請量　達到\n１６２８４件 ABC") == "专利申请量达到16284件abc"
    assert contains_evidence("专利申请量达\n\n到16284件,专利授权量", "專利申請量達到１６２８４件")


def test_hit_rank_hit_at_k_and_mrr():
    chunks = ["绿化覆盖率提高", "新建公厕15座。", "另一段也有新建公厕15座"]
    assert hit_rank(chunks, "新建公厕15座") == 2
    assert hit_rank(chunks, "优良天数226天") is None
    assert hit_rank(chunks, "") is None
    ranks = [1, 2, None, 4]
    assert hit_at_k(ranks, 1) == 0.25 and hit_at_k(ranks, 3) == 0.5 and hit_at_k(ranks, 5) == 0.75
    assert mean_reciprocal_rank(ranks) == pytest.approx((1 + 0.5 + 0 + 0.25) / 4)
    assert hit_at_k([], 1) is None and mean_reciprocal_rank([]) is None


def test_evidence_longer_than_a_chunk_needs_sixty_percent_of_it():
    evidence = "甲乙丙丁戊己庚辛壬癸"          # 10 characters
    assert contains_evidence("甲乙丙丁戊己", evidence)        # 6 in common: 60%
    assert not contains_evidence("甲乙丙丁戊", evidence)      # 5: 50%
    # A chunk at least as long as the evidence must contain all of it.
    assert not contains_evidence("甲乙丙丁戊己庚辛壬子丑", evidence)


def test_answer_accuracy_length_rule():
    assert answer_correct("16284件", False, ["16284件"])
    assert answer_correct("达到１６２８４件", False, ["16284件"])   # folded, a few extra characters
    # Short answers may grow by 6 characters: "15座" (3) allows up to 9.
    assert answer_correct("新建公厕共计15座", False, ["15座"])         # 9
    assert not answer_correct("新建了公厕共计15座", False, ["15座"])   # 10
    # Long answers may be up to 3x as long.
    assert answer_correct("甲" * 10 + "乙" * 20, False, ["甲" * 10])
    assert not answer_correct("甲" * 10 + "乙" * 21, False, ["甲" * 10])
    assert not answer_correct("16284件", True, ["16284件"])   # abstained
    assert not answer_correct(None, False, ["16284件"])
    assert answer_correct("张红军", False, ["高新区党工委副书记", "张红军"])  # any answer counts


def test_unanswerable_is_correct_only_when_abstained():
    assert answer_correct(None, True, [])
    assert not answer_correct("226天", False, [])


def test_quote_at_1_rule():
    evidence, answers = "专利申请量达到16284件,专利授权量达到10217件", ["16284件"]
    assert quote_correct("知识产权优势凸显。专利申请量达到16284件,专利授权量达到10217件;", evidence, answers)
    assert quote_correct("专利申请量达到16284件,", evidence, answers)      # a fragment with the answer
    assert not quote_correct("专利授权量达到10217件;", evidence, answers)   # a fragment without it
    assert not quote_correct("新建公厕15座。", evidence, answers)
    assert not quote_correct(None, evidence, answers)


def test_char_f1():
    assert char_f1("16284件", ["16284件"]) == 1.0
    assert char_f1("１６２８４件", ["16284件"]) == 1.0
    assert char_f1("16284", ["16284件"]) == pytest.approx(2 * 1 * (5 / 6) / (1 + 5 / 6))
    assert char_f1("管委会主任", ["高新区党工委副书记、管委会主任", "管委会主任"]) == 1.0
    assert char_f1(None, ["16284件"]) == 0.0
    assert char_f1("无关", ["16284件"]) == 0.0


def test_abstention_precision_and_recall():
    abstained = [True, True, False, False, True]
    unanswerable = [True, False, True, False, True]
    precision, recall = abstention_precision_recall(abstained, unanswerable)
    assert precision == pytest.approx(2 / 3) and recall == pytest.approx(2 / 3)
    assert abstention_precision_recall([False, False], [False, False]) == (None, None)


def test_percentile_interpolates_linearly():
    assert percentile([10, 20, 30, 40, 50], 50) == 30
    assert percentile([10, 20, 30, 40, 50], 95) == pytest.approx(48)
    assert percentile([7.0], 95) == 7.0 and percentile([], 50) is None


def _result(id, type, expected, answer, *, hit=None, quote_ok=None, f1=None, ms=10.0):
    abstained = answer is None
    return QuestionResult(
        id=id, question="?", type=type, expected=tuple(expected), evidence="", answer=answer,
        abstained=abstained, confidence=0.5, quotes=(), chunks=(), latency_ms=ms, hit_rank=hit,
        correct=answer_correct(answer, abstained, expected),
        quote_correct=quote_ok if expected else None, char_f1=f1 if expected else None,
        em=(1.0 if answer in expected else 0.0) if expected else None,
        f1=f1 if expected else None)


def test_compute_metrics_overall_and_by_type():
    results = [
        _result("a", "factoid", ["1件"], "1件", hit=1, quote_ok=True, f1=1.0, ms=10),
        _result("b", "factoid", ["2件"], None, hit=3, quote_ok=False, f1=0.0, ms=20),
        _result("c", "unanswerable", [], None, ms=30),
        _result("d", "unanswerable", [], "3件", ms=40),
    ]
    m = compute_metrics(results)
    assert m.n == 4 and m.answer_accuracy == 0.5
    assert m.quote_at_1 == 0.5 and m.hit_at_1 == 0.5 and m.hit_at_3 == 1.0
    assert m.mrr == pytest.approx((1 + 1 / 3) / 2) and m.char_f1 == 0.5
    assert m.abstain_precision == 0.5 and m.abstain_recall == 0.5
    assert m.latency_ms_p50 == 25
    # b abstained (not wrong), d answered an unanswerable question (wrong)
    assert m.answerable_accuracy == 0.5 and m.wrong_rate == 0.25 and m.em == 0.5
    assert set(m.by_type) == {"factoid", "unanswerable"}
    assert m.by_type["factoid"].answer_accuracy == 0.5
    assert m.by_type["unanswerable"].quote_at_1 is None and m.by_type["unanswerable"].hit_at_1 is None
    assert m.by_type["factoid"].abstain_recall is None
    assert set(m.to_json()) == METRIC_KEYS | {"by_type"}


# -- loading the question set --------------------------------------------------------------------

def test_malformed_lines_are_reported_with_line_numbers_and_the_rest_kept(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join([
        '{"id": "a", "question": "专利申请量是多少", "answers": ["16284件"], "type": "factoid"}',
        '{"id": "b", "question": "缺一个括号"',
        '',
        '{"id": "c", "answers": []}',
        '{"id": "d", "question": "公厕多少座", "answers": "15座"}',
        '["not", "an", "object"]',
        '{"id": "a", "question": "重复的编号", "answers": []}',
        '{"id": "e", "question": "火星上有高新区吗", "answers": []}',
    ]), encoding="utf-8")
    loaded = load_questions(path)
    assert [q.id for q in loaded.questions] == ["a", "e"]
    assert not loaded.questions[1].answerable and loaded.questions[1].type == "untyped"
    assert len(loaded.problems) == 5
    for lineno, problem in zip([2, 4, 5, 6, 7], loaded.problems):
        assert f"第 {lineno} 行" in problem
    assert "不是有效的 JSON" in loaded.problems[0] and "缺少 question" in loaded.problems[1]
    assert "answers" in loaded.problems[2] and "重复" in loaded.problems[4]


def test_a_followup_names_the_question_it_follows(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "f", "question": "那授权量呢？", "previous": "专利申请量是多少件？", '
                    '"answers": ["10217件"]}\n{"id": "g", "question": "那呢", "previous": 3, '
                    '"answers": []}\n', encoding="utf-8")
    loaded = load_questions(path)
    assert loaded.questions[0].previous == "专利申请量是多少件？"
    assert "previous" in loaded.problems[0]


@pytest.mark.parametrize("content", [None, "", "\n\n", "{oops}\n"])
def test_empty_missing_or_useless_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "q.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(QuestionSetError, match="问题集"):
        load_questions(path)


def test_the_project_question_set_loads_cleanly():
    from .conftest import QUESTIONS

    loaded = load_questions(QUESTIONS)
    assert len(loaded.questions) == 215 and loaded.problems == ()


# -- running, through the engine and the CLI --------------------------------------------------------

QUESTIONS = [
    {"id": "q1", "question": "2020年专利申请量达到多少件", "answers": ["16284件"],
     "evidence": "专利申请量达到16284件", "type": "factoid"},
    {"id": "q2", "question": "高新區新建公廁多少座", "answers": ["15座"],
     "evidence": "新建公厕15座", "type": "traditional"},
    {"id": "q3", "question": "2020年优良天数是多少天", "answers": ["226天"],
     "evidence": "2020年优良天数226天", "type": "factoid"},
    {"id": "q4", "question": "2019年优良天数是多少天", "answers": [], "evidence": "",
     "type": "unanswerable"},
]
# What the scripted answerer returns: (answer text or None to abstain, quote sentence).
SCRIPT = {
    "2020年专利申请量达到多少件": ("16284件", "专利申请量达到16284件,专利授权量达到10217件;"),
    "高新區新建公廁多少座": ("新建公厕15座", "垃圾分拣中心一期项目建设并投入试运行,新建公厕15座。"),
    "2020年优良天数是多少天": (None, None),
    "2019年优良天数是多少天": ("226天", "2020年优良天数226天,自1999年有监测记录以来首次突破200天,"),
}


def scripted_ask(self, question, previous=None, mode="hybrid"):
    text, sentence = SCRIPT[question]
    quotes = (Quote("doc", "section", 0, len(sentence), sentence, 0, 0),) if sentence else ()
    hits = tuple(self.search(question, k=5, mode=mode))
    return Answer(question, text, 0.9 if text else 0.1, text is None, quotes, hits)


@pytest.fixture
def question_file(tmp_path):
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def fake_index(fake_config, fake_embedder, monkeypatch):
    """A built fake index; the CLI's engine gets the fake embedder and the scripted answerer."""
    build_index(fake_config, fake_embedder, log=lambda m: None)
    monkeypatch.setattr(engine_module, "make_embedder", lambda config, log=None: fake_embedder)
    monkeypatch.setattr(Engine, "ask", scripted_ask)
    return fake_config


def _cli(fake_config, *args) -> list[str]:
    return ["eval", *map(str, args), "--index", str(fake_config.index_dir),
            "--corpus", str(fake_config.corpus_dir), "--model", "test/fake-char-hash"]


def test_evaluate_scores_each_question(fake_index, fake_embedder, question_file):
    engine = Engine.open(fake_index, embedder=fake_embedder, log=lambda m: None)
    run = evaluate(engine, load_questions(question_file).questions, "hybrid")
    by_id = {r.id: r for r in run.results}
    assert run.retrieval_source == "answer.hits"  # the scripted answerer passes search hits on
    assert by_id["q1"].correct and by_id["q1"].quote_correct and by_id["q1"].hit_rank == 1
    assert by_id["q2"].correct and by_id["q2"].quote_correct and by_id["q2"].hit_rank is not None
    assert not by_id["q3"].correct and by_id["q3"].quote_correct is False and by_id["q3"].char_f1 == 0
    assert not by_id["q4"].correct and by_id["q4"].quote_correct is None
    assert run.metrics.answer_accuracy == 0.5 and run.metrics.abstain_recall == 0.0
    assert run.metrics.abstain_precision == 0.0


def test_search_is_used_when_answer_hits_are_not_the_retrievers_top_five(
        fake_index, fake_embedder, question_file, monkeypatch):
    def ask_without_hits(self, question, previous=None, mode="hybrid"):
        return Answer(question, None, 0.0, True, ())

    monkeypatch.setattr(Engine, "ask", ask_without_hits)
    engine = Engine.open(fake_index, embedder=fake_embedder, log=lambda m: None)
    run = evaluate(engine, load_questions(question_file).questions, "lexical")
    assert run.retrieval_source == "search" and run.results[0].hit_rank == 1


def test_cli_json_has_the_documented_keys(fake_index, question_file, capsys):
    assert cli.main(_cli(fake_index, question_file, "--json")) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == METRIC_KEYS | {"by_type"}
    assert set(out["by_type"]) == {"factoid", "traditional", "unanswerable"}
    assert all(set(m) == METRIC_KEYS for m in out["by_type"].values())
    assert out["n"] == 4 and out["answer_accuracy"] == 0.5


def test_cli_json_for_all_retrievers(fake_index, question_file, capsys):
    assert cli.main(_cli(fake_index, question_file, "--json", "--retriever", "all")) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"hybrid", "dense", "lexical"}
    assert all(set(m) == METRIC_KEYS | {"by_type"} for m in out.values())


def test_cli_table_and_malformed_line_warning(fake_index, question_file, capsys):
    question_file.write_text(question_file.read_text(encoding="utf-8") + "{broken\n",
                             encoding="utf-8")
    assert cli.main(_cli(fake_index, question_file)) == 0
    captured = capsys.readouterr()
    assert "第 5 行已跳过" in captured.err
    assert "答案准确率" in captured.out and "总体" in captured.out and "traditional" in captured.out


def test_cli_empty_question_file_fails_with_one_line(fake_index, tmp_path, capsys):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert cli.main(_cli(fake_index, empty)) == 2
    assert capsys.readouterr().err.startswith("错误：问题集")


def test_cli_output_writes_one_line_per_question(fake_index, question_file, tmp_path, capsys):
    output = tmp_path / "out" / "results.jsonl"
    assert cli.main(_cli(fake_index, question_file, "--json", "--output", output)) == 0
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q2", "q3", "q4"]
    first = rows[0]
    assert {"id", "question", "type", "answer", "abstained", "confidence", "quotes", "chunks",
            "correct", "quote_correct", "hit_rank"} <= set(first)
    assert first["answer"] == "16284件" and first["correct"] and first["hit_rank"] == 1
    assert "16284" in first["chunks"][0] and len(first["chunks"]) == 5
    assert rows[2]["answer"] is None and rows[2]["abstained"] and not rows[2]["correct"]


def test_cli_report_writes_markdown_and_charts(fake_index, question_file, tmp_path, capsys):
    report = tmp_path / "report"
    assert cli.main(_cli(fake_index, question_file, "--retriever", "all", "--report", report)) == 0
    text = (report / "report.md").read_text(encoding="utf-8")
    assert "test/fake-char-hash" in text and "sha256" in text
    assert "| 指标 | hybrid | dense | lexical |" in text
    assert "q3" in text and "（拒答）" in text and "226天" in text   # a miss, expected vs returned
    for name in ("hit_at_k.png", "accuracy_by_type.png"):
        png = report / name
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and f"]({name})" in text
