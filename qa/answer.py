"""What a user gets back: an `Answer` with its `Quote`s, or an honest "not found" and why.

Every quote is a sentence of a document given by character offsets into the document's clean
text (so a citation cannot drift), with the answer's span inside it, the section it stands in
and, for paged files (PDF), its page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

NOT_FOUND = "报告中没有找到这个问题的答案。"
YES = "是"   # a yes/no question the report confirms; it never says "no" (silence is not denial)


def source_label(document: str, section: str, page: int | None) -> str:
    """文档 · 章节 · 第3页; a section path that opens with the document's own title says it once."""
    section = " · ".join(part for part in section.split(" · ") if part != document)
    return " · ".join(w for w in (document, section, f"第{page}页" if page else "") if w)


@dataclass(frozen=True)
class Quote:
    doc_id: str
    section: str
    start: int             # the sentence, as offsets into the document's clean text
    end: int
    sentence: str          # == document text[start:end]
    highlight_start: int   # the answer span, absolute offsets (start <= h_start <= h_end <= end)
    highlight_end: int
    page: int | None = None    # 1-based page of a paged file (PDF), else None
    doc_title: str = ""

    def parts(self) -> tuple[str, str, str]:
        """(before, highlighted, after) pieces of the sentence, for display."""
        a, b = self.highlight_start - self.start, self.highlight_end - self.start
        return self.sentence[:a], self.sentence[a:b], self.sentence[b:]

    @property
    def source(self) -> str:
        """Where it stands, for people: 文档 · 章节 · 第3页."""
        return source_label(self.doc_title or self.doc_id, self.section, self.page)

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "doc_title": self.doc_title, "section": self.section,
                "page": self.page, "start": self.start, "end": self.end,
                "sentence": self.sentence, "highlight_start": self.highlight_start,
                "highlight_end": self.highlight_end, "highlight": self.parts()[1]}


@dataclass(frozen=True)
class Finding:
    """Why an answer was ruled out, in words a person can check (问题问的是2021年…)."""
    check: str      # the check's name: year, place, unit, kind, choice, yesno
    reason: str

    def to_json(self) -> dict:
        return {"check": self.check, "reason": self.reason}


@dataclass(frozen=True)
class Answer:
    question: str
    text: str | None                 # the short answer; None when abstained
    confidence: float                # 0..1, calibrated across documents
    abstained: bool
    quotes: tuple[Quote, ...]        # supporting sentences, best first; when abstained: the
                                     # closest passages (not an answer), without highlight
    hits: tuple = ()                 # the passages retrieved (retriever.Hit), best first
    kind: str = ""                   # what kind of answer the question asks for
    understood_as: str = ""          # the question as answered (a follow-up joined to the one before)
    findings: tuple[Finding, ...] = ()   # why candidates were ruled out
    evidence: dict = field(default_factory=dict, compare=False)  # what the confidence came from

    @property
    def message(self) -> str:
        return NOT_FOUND if self.abstained else (self.text or "")

    @property
    def expected_type(self) -> str:  # the name the evaluation and older callers use
        return self.kind

    def to_json(self) -> dict:
        return {
            "question": self.question, "understood_as": self.understood_as or self.question,
            "answer": None if self.abstained else self.text,
            "abstained": self.abstained, "message": self.message,
            "confidence": round(self.confidence, 4), "expected_type": self.kind,
            "quotes": [q.to_json() for q in self.quotes],
            "findings": [f.to_json() for f in self.findings],
            "evidence": {k: round(v, 4) if isinstance(v, float) else v
                         for k, v in self.evidence.items()},
            "passages": [h.to_json() for h in self.hits],
        }
