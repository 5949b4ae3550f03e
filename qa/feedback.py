"""What people think of the answers: each 👍/👎 given on the web page, one JSON line per vote,
in a file that becomes the next question set.

    {"id": "web-20261201-101500-3f2a", "question": "新建公厕多少座？", "previous": "",
     "understood_as": "新建公厕多少座？", "answer": "15座", "abstained": false,
     "confidence": 0.69, "quotes": [{"sentence": "…", "highlight": "15座", …}],
     "feedback": "like", "time": "2026-12-01T10:15:03+08:00"}

A line has no `answers` until a person adds the right one (`"answers": ["15座"]`, or `[]` where
the report does not say) and, for the retrieval metrics, `"evidence"`: the report's sentence.
`qa eval` reads the lines that have it and lists the others as skipped. A changed vote is a new
line with the same id; `qa eval` takes the first line of an id that has `answers`.
"""
from __future__ import annotations

import json
import secrets
import threading
from datetime import datetime
from pathlib import Path

from .answer import Answer
from .errors import QAError

VOTES = {True: "like", False: "dislike", "": "withdrawn"}  # Gradio's like event → the line's word
_lock = threading.Lock()  # one writer at a time, so lines never interleave


class FeedbackError(QAError, OSError):
    """The feedback file cannot be written."""


def new_id(now: datetime | None = None) -> str:
    """An id for one answer, shared by every vote on it."""
    now = now or datetime.now()
    return f"web-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def answer_record(answer: Answer, previous: str = "") -> dict:
    """What a vote on this answer saves, besides the vote itself."""
    return {"id": new_id(), "question": answer.question, "previous": previous or "",
            "understood_as": answer.understood_as or answer.question,
            "answer": None if answer.abstained else answer.text,
            "abstained": answer.abstained, "confidence": round(answer.confidence, 4),
            "quotes": [q.to_json() for q in answer.quotes]}


def error_record(question: str, message: str, previous: str = "") -> dict:
    """A reply that was an error: a vote on it still says the question went unanswered."""
    return {"id": new_id(), "question": question, "previous": previous or "", "answer": None,
            "error": message}


def save_vote(path: Path, record: dict, vote: bool | str) -> dict:
    """Append one vote on an answer to the JSON Lines file at `path` (made if missing)."""
    line = {**record, "feedback": VOTES.get(vote, str(vote)),
            "time": datetime.now().astimezone().isoformat(timespec="seconds")}
    path = Path(path)
    try:
        with _lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise FeedbackError(f"反馈无法写入 {path}（{exc.strerror or exc}）："
                            "请检查 QA_FEEDBACK_PATH 指向的位置是否可写") from None
    return line
