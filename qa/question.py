"""Checking a user's question before any work is done on it."""
from __future__ import annotations

import unicodedata

from .errors import QuestionError

DEFAULT_MAX_CHARS = 500


def clean_question(question: object, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The question with surrounding whitespace and control characters removed, or a
    QuestionError whose message (in Chinese) tells the user what to change."""
    if not isinstance(question, str):
        raise QuestionError("问题必须是文本")
    text = "".join(ch for ch in question
                   if unicodedata.category(ch) != "Cc" or ch in "\n\t").strip()
    if not text:
        raise QuestionError("问题为空：请输入一个关于报告的问题，例如“2020年专利申请量是多少？”")
    if len(text) > max_chars:
        raise QuestionError(f"问题太长（{len(text)} 字）：请限制在 {max_chars} 字以内")
    if not any(ch.isalnum() for ch in text):
        raise QuestionError("问题里没有文字：请用中文描述您想了解的内容")
    return text
