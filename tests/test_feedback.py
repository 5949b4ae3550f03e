"""Votes from the web page, kept as JSON Lines that `qa eval` reads once a person adds answers."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from qa.answer import Answer, Quote
from qa.config import Config
from qa.question_set import QuestionSetError, load_questions
from qa.feedback import FeedbackError, answer_record, error_record, save_vote

from .conftest import ROOT

SENTENCE = "垃圾分拣中心一期项目建设并投入试运行,新建公厕15座。"


def answered(question="新建公厕多少座？", abstained=False) -> Answer:
    h = SENTENCE.index("15座")
    q = Quote("报告.txt", "提质增效", 2990, 2990 + len(SENTENCE), SENTENCE, 2990 + h, 2990 + h + 3,
              doc_title="报告")
    return Answer(question, None if abstained else "15座", 0.69, abstained, (q,),
                  understood_as=question)


def test_each_vote_is_a_line_with_question_answer_quotes_and_time(tmp_path):
    path = tmp_path / "deep" / "feedback.jsonl"
    record = answer_record(answered(), previous="上一个问题")
    save_vote(path, record, True)
    save_vote(path, record, False)
    save_vote(path, error_record("专利呢？", "正在加载模型和索引"), "")
    first, second, third = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert first["question"] == "新建公厕多少座？" and first["previous"] == "上一个问题"
    assert first["answer"] == "15座" and first["abstained"] is False
    assert first["quotes"][0]["sentence"] == SENTENCE and first["quotes"][0]["highlight"] == "15座"
    assert first["feedback"] == "like" and second["feedback"] == "dislike"
    assert first["id"] == second["id"] != third["id"]
    assert third["feedback"] == "withdrawn" and third["error"] == "正在加载模型和索引"
    assert datetime.fromisoformat(first["time"]).tzinfo is not None
    assert "新建公厕" in path.read_text("utf-8")                  # UTF-8, not \\u escapes


def test_qa_eval_reads_a_vote_once_a_person_adds_the_answer(tmp_path):
    path = tmp_path / "feedback.jsonl"
    liked = answer_record(answered())
    unanswered = answer_record(answered("火星上有多少人？", abstained=True))
    for record, vote in ((liked, True), (liked, False), (unanswered, False)):
        save_vote(path, record, vote)
    with pytest.raises(QuestionSetError, match="没有一行是有效的问题"):
        load_questions(path)                                      # nobody has reviewed them yet

    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    lines[1]["answers"] = ["15座"]
    lines[1]["evidence"] = lines[1]["quotes"][0]["sentence"]
    lines[2]["answers"] = []                                      # the report does not say
    reviewed = tmp_path / "users.jsonl"
    reviewed.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                        "utf-8")
    question_set = load_questions(reviewed)
    got = {q.question: q for q in question_set.questions}
    assert got["新建公厕多少座？"].answers == ("15座",) and got["新建公厕多少座？"].evidence == SENTENCE
    assert got["火星上有多少人？"].answerable is False
    assert len(question_set.problems) == 1 and "第 1 行" in question_set.problems[0]


def test_an_unwritable_feedback_file_says_which_setting_to_check(tmp_path):
    (tmp_path / "feedback.jsonl").mkdir()
    with pytest.raises(FeedbackError, match="QA_FEEDBACK_PATH"):
        save_vote(tmp_path / "feedback.jsonl", answer_record(answered()), True)


def test_the_feedback_path_is_a_setting_kept_out_of_the_index_and_the_repository(tmp_path):
    config = Config.from_env({"QA_FEEDBACK_PATH": str(tmp_path / "votes.jsonl")})
    assert config.feedback_path == tmp_path / "votes.jsonl"
    default = Config.from_env({}).feedback_path
    assert default.name == "feedback.jsonl"
    assert not default.resolve().is_relative_to(ROOT)             # a rebuild swaps index/ whole
