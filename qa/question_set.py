"""A question set: the questions, reference answers and evidence an evaluation is run against.

JSON Lines, one question a line:
    {"id": "q001", "question": "…", "answers": ["…"], "evidence": "…", "type": "factoid"}
`answers` empty means the report does not answer the question. `evidence` is the passage of
the report that does. `previous` (optional) is the question a follow-up (那广东呢？) is asked
after. A malformed line is skipped and named, not fatal.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import QAError, QuestionError
from .question import clean_question


class QuestionSetError(QAError, ValueError):
    """The question file is missing, unreadable or holds no usable question."""


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answers: tuple[str, ...]
    evidence: str
    type: str
    line: int
    previous: str | None = None   # a follow-up (那广东呢？) is asked after this question

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class QuestionSet:
    path: Path
    questions: tuple[EvalQuestion, ...]
    problems: tuple[str, ...]   # one Chinese line per skipped line, naming its line number


def load_questions(path: Path) -> QuestionSet:
    """Every well-formed question of a JSON Lines file; malformed lines are listed, not fatal."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise QuestionSetError(f"问题集文件不存在：{path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionSetError(f"无法读取问题集 {path}（{exc}）：请提供 UTF-8 编码的 JSON Lines 文件") from None
    questions, problems, seen = [], [], set()
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            question = _parse_line(line, lineno)
        except ValueError as exc:
            problems.append(f"{path.name} 第 {lineno} 行已跳过：{exc}")
            continue
        if question.id in seen:
            problems.append(f"{path.name} 第 {lineno} 行已跳过：编号 {question.id!r} 重复")
            continue
        seen.add(question.id)
        questions.append(question)
    if not questions:
        what = "是空的" if not problems else "没有一行是有效的问题"
        raise QuestionSetError(f"问题集 {path} {what}：每行应是一个 JSON 对象，"
                               '如 {"id": "q1", "question": "…", "answers": ["…"]}')
    return QuestionSet(path, tuple(questions), tuple(problems))


def _parse_line(line: str, lineno: int) -> EvalQuestion:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"不是有效的 JSON（{exc.msg}，第 {exc.colno} 列）") from None
    if not isinstance(row, dict):
        raise ValueError("应是一个 JSON 对象")
    if "question" not in row:
        raise ValueError("缺少 question 字段")
    try:
        question = clean_question(row["question"])
    except QuestionError as exc:
        raise ValueError(f"question 无效（{exc}）") from None
    answers = row.get("answers")
    if not isinstance(answers, list) or not all(isinstance(a, str) and a.strip() for a in answers):
        raise ValueError("answers 应是由非空字符串组成的列表（无法回答的问题用 []）")
    for key in ("id", "evidence", "type", "previous"):
        if key in row and not isinstance(row[key], str):
            raise ValueError(f"{key} 应是字符串")
    return EvalQuestion(id=row.get("id") or f"line-{lineno}", question=question,
                        answers=tuple(answers), evidence=row.get("evidence", ""),
                        type=row.get("type") or "untyped", line=lineno,
                        previous=row.get("previous") or None)
