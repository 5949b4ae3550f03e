"""Corpus loading and cleaning: files in `corpus/` → `Document`s with clean text and sections.

Cleaning undoes the report's page breaks (a blank line that cuts a word: `建\\n\\n设序列`),
turns markdown headings into section titles and keeps the short kicker lines above headings
(高光时刻, 双战双胜 …) as section context instead of gluing them into sentences.
All later offsets (chunks, quotes, highlights) point into `Document.text`.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import CorpusError
from .normalize import is_cjk

SUFFIXES = (".txt", ".md")
# A paragraph that ends in one of these is complete; anything else before a blank line is a page break.
_TERMINAL = set("。！？!?；;：:…”’」』）)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*#*$")
_KICKER_MAX = 12        # kicker lines are a few characters ("高光时刻"); longer lines are prose
_CUT_MIN = 20           # only prose paragraphs get cut by page breaks; short lines are titles


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


# ---------------------------------------------------------------- reading files


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or GB18030/GBK; raise ValueError for binary data."""
    if b"\x00" in data[:8192]:
        raise ValueError("looks binary (contains NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
        if controls > max(8, len(text[:8192]) // 100):
            raise ValueError("looks binary (control characters)")
        return text
    raise ValueError("neither UTF-8 nor GB18030 text")


def corpus_files(corpus_dir: Path) -> list[Path]:
    if not corpus_dir.is_dir():
        raise CorpusError(f"语料目录 {corpus_dir} 不存在：请创建它并放入 .txt/.md 报告文件")
    return sorted(p for p in corpus_dir.rglob("*")
                  if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("."))


def load_corpus(corpus_dir: Path, warn: Callable[[str], None] = print) -> list[Document]:
    """Every readable .txt/.md under `corpus_dir` as a Document; unreadable files are named in a warning."""
    documents = []
    for path in corpus_files(corpus_dir):
        data = path.read_bytes()
        try:
            raw = decode_text(data)
        except ValueError as exc:
            warn(f"跳过 {path}：不是可读的文本文件（{exc}）")
            continue
        doc = make_document(path.relative_to(corpus_dir).as_posix(), raw,
                            hashlib.sha256(data).hexdigest(), title=path.stem)
        if not doc.text.strip():
            warn(f"跳过 {path}：文件为空")
            continue
        documents.append(doc)
    if not documents:
        raise CorpusError(f"语料目录 {corpus_dir} 中没有可用的 .txt/.md 文件：请放入至少一份报告")
    return documents


# ---------------------------------------------------------------- cleaning


@dataclass
class _Block:
    text: str
    heading: bool


def _glue(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space between CJK text, a space between words."""
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if is_cjk(a) or is_cjk(b) or not (a.isalnum() and b.isalnum()):
        return left + right
    return left + " " + right


def _blocks(raw: str) -> list[_Block]:
    """Headings, and paragraphs of consecutive non-blank lines; `gap` marks a blank line before."""
    blocks: list[_Block] = []
    paragraph: list[str] = []

    def flush():
        if paragraph:
            text = paragraph[0]
            for line in paragraph[1:]:
                text = _glue(text, line)
            blocks.append(_Block(text, heading=False))
            paragraph.clear()

    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip()
        match = _HEADING.match(line)
        if match:
            flush()
            blocks.append(_Block(match.group(2).strip(), heading=True))
        elif line:
            paragraph.append(line)
        else:
            flush()
    flush()
    return blocks


def _is_kicker(blocks: list[_Block], i: int) -> bool:
    block = blocks[i]
    return (not block.heading and len(block.text) <= _KICKER_MAX
            and block.text[-1] not in _TERMINAL
            and i + 1 < len(blocks) and blocks[i + 1].heading)


def _rejoin_page_breaks(blocks: list[_Block]) -> list[_Block]:
    """Merge a prose paragraph that stops mid-sentence with the paragraph after the blank line."""
    merged: list[_Block] = []
    for i, block in enumerate(blocks):
        prev = merged[-1] if merged else None
        if (prev is not None and not prev.heading and not block.heading
                and len(prev.text) >= _CUT_MIN and prev.text[-1] not in _TERMINAL
                and not _is_kicker(blocks, i)):
            prev.text = _glue(prev.text, block.text)
        else:
            merged.append(_Block(block.text, block.heading))
    return merged


def make_document(doc_id: str, raw: str, content_hash: str, title: str | None = None) -> Document:
    blocks = _rejoin_page_breaks(_blocks(raw))
    title = title or doc_id
    lines: list[str] = []
    starts: list[int] = []
    offset = 0
    for block in blocks:
        starts.append(offset)
        lines.append(block.text)
        offset += len(block.text) + 1
    text = "\n".join(lines)

    # A section opens at a run of kicker and heading lines and lasts until the next such run.
    sections: list[Section] = []
    open_title, open_start, context = title, 0, []
    context_start = None
    for i, block in enumerate(blocks):
        if block.heading or _is_kicker(blocks, i):
            if context_start is None:
                context_start = starts[i]
            context.append(block.text)
            continue
        if context:
            if context_start > open_start or sections:
                sections.append(Section(open_title, open_start, context_start))
            open_title, open_start = " · ".join(context), context_start
            context, context_start = [], None
    if context:  # trailing headings with no body
        if context_start > open_start:
            sections.append(Section(open_title, open_start, context_start))
        open_title, open_start = " · ".join(context), context_start
    sections.append(Section(open_title, open_start, len(text)))
    sections = [s for s in sections if s.end > s.start] or [Section(title, 0, len(text))]
    return Document(doc_id, title, text, tuple(sections), content_hash)
