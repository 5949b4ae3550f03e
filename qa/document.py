"""A report as the rest of the system sees it: clean text, its sections and its pages.

Every offset in the system (chunks, sentences, quotes, highlights) points into `Document.text`.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    title: str
    start: int  # offset of the section's first line (kicker or heading) in Document.text
    end: int


@dataclass(frozen=True)
class Document:
    id: str            # path relative to the corpus directory, with forward slashes
    title: str
    text: str          # cleaned text; every offset in the system points here
    sections: tuple[Section, ...]
    content_hash: str  # sha256 of the file's bytes: an unchanged file keeps its vectors
    pages: tuple[int, ...] = ()  # where each page starts in `text`, for paged files (PDF)

    def section_at(self, offset: int) -> Section:
        for section in self.sections:
            if section.start <= offset < section.end:
                return section
        return self.sections[-1]

    def page_at(self, offset: int) -> int | None:
        """The 1-based page an offset stands on; None for a file without pages."""
        return bisect.bisect_right(self.pages, offset) or None if self.pages else None

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "text": self.text,
                "sections": [[s.title, s.start, s.end] for s in self.sections],
                "content_hash": self.content_hash, "pages": list(self.pages)}

    @classmethod
    def from_json(cls, row: dict) -> "Document":
        return cls(row["id"], row["title"], row["text"],
                   tuple(Section(*s) for s in row["sections"]), row["content_hash"],
                   tuple(row.get("pages", ())))
