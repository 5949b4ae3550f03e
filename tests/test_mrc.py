"""Reading-comprehension data and its scores (CMRC 2018 definitions)."""
import json
import random

from qa.mrc_data import (AnswerText, MrcExample, changed_year_negatives, load_squad,
                         other_passage_negatives, with_negatives)
from qa.mrc_metrics import exact_match, f1, segments


def test_exact_match_ignores_case_space_and_punctuation():
    assert exact_match("“四链一城”", ["四链一城"]) == 1.0
    assert exact_match(" 16284件", ["16284件"]) == 1.0  # stripped, as the official script does
    assert exact_match("16284", ["16284件"]) == 0.0
    assert exact_match(None, ["x"]) == 0.0


def test_f1_counts_the_longest_common_run_of_characters():
    assert f1("16284件", ["16284件"]) == 1.0
    # prediction 达到16284件 (4 segments: 达 到 16284 件), answer 16284件 (2): common run 2
    assert abs(f1("达到16284件", ["16284件"]) - 2 * (2 / 4) * 1 / (2 / 4 + 1)) < 1e-9
    assert f1("", ["a"]) == 0.0
    assert segments("GDP增长5.1%") == ["gdp", "增", "长", "5.1", "%"]


def _squad(tmp_path, context, question, text, start):
    path = tmp_path / "set.json"
    path.write_text(json.dumps({"data": [{"title": "t", "paragraphs": [
        {"context": context, "qas": [{"id": "1", "question": question,
                                      "answers": [{"text": text, "answer_start": start}]}]}]}]},
        ensure_ascii=False), encoding="utf-8")
    return path


def test_a_misplaced_answer_start_is_repaired_and_a_missing_answer_dropped(tmp_path):
    examples = load_squad(_squad(tmp_path, "甲乙丙丁2020年", "何时", "2020年", 1))
    assert examples[0].answers == (AnswerText("2020年", 4),)
    assert load_squad(_squad(tmp_path, "甲乙丙丁", "何时", "2020年", 1)) == []


def _example(i, title, context, question, answer):
    return MrcExample(str(i), question, context, (AnswerText(answer, context.index(answer)),), title)


def test_no_answer_examples_never_hold_the_answer():
    examples = [
        _example(1, "A", "2019年甲市人口为100万。", "2019年甲市人口是多少", "100万"),
        _example(2, "A", "甲市面积为300平方公里。", "甲市面积是多少", "300平方公里"),
        _example(3, "B", "乙市2019年人口为200万。", "2019年乙市人口是多少", "200万"),
    ]
    others = other_passage_negatives(examples, 1.0, random.Random(0))
    assert others and all(not e.answerable for e in others)
    assert all(not any(a.text in o.context for a in next(x for x in examples
                                                          if o.id.startswith(x.id)).answers)
               for o in others)
    years = changed_year_negatives(examples, random.Random(0))
    assert years and all("2019" not in e.question and not e.answerable for e in years)
    mixed = with_negatives(examples, 1.0, seed=1)
    assert len(mixed) == len(examples) + len(others) + len(years)
