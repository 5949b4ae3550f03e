"""Blocks of a report file → one `Document`: clean text, sections and pages, offsets exact.

Every format (qa/formats) reads its file into `Block`s: paragraphs and headings in reading order,
each with the pages that start inside it. This module finds what the file did not mark, the same
way for every format:

- numbered headings on a line of their own (一、…, （一）…, 1. …, （1）…, 第一章 …); they nest by
  their numbering, so a section is titled 一、2024年工作回顾 · （一）经济运行持续向好;
- run-in headings: a paragraph opening with 一、 or （一） and a short first sentence (（一）经济运行
  持续向好。全年生产总值…), or with a bold phrase in Word or PDF: the paragraph keeps its text
  and opens a section titled by that phrase;
- kickers, the short lines above a heading (高光时刻 over 郑州高新区全国评价排名第17名), which
  become section context instead of being glued into a sentence.

The blocks are joined with one newline each, so `Document.text` holds every paragraph whole and
each page's start is an exact offset into it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import Document, Section
from .normalize import is_blank

# Bump when the text, sections or pages made from the same file change: an index built by an
# older version reads every file again instead of reusing its documents.
CLEANING_VERSION = 2
# A paragraph that ends in one of these is complete; anything else may go on (page break, wrap).
TERMINAL = set("。！？!?；;：:…”’」』）)")
KICKER_MAX = 12        # kicker lines are a few characters ("高光时刻"); longer lines are prose
HEADING_MAX = 40       # a heading is a phrase, not a paragraph
# Outline numbering, by rank: 一、 > （一） > 1. > （1）. A heading nests under open headings of
# a higher rank; other headings (第一章, markdown, Word styles, bold lines) start afresh.
_CN_NUMBER = "[一二三四五六七八九十百零〇]+"
NUMBERING = (
    (1, re.compile(rf"^{_CN_NUMBER}[、.．]")),
    (2, re.compile(rf"^[（(]{_CN_NUMBER}[）)]|^{_CN_NUMBER}是(?=\S{{4}})")),
    (3, re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
)
CHAPTER = re.compile(rf"^第[{_CN_NUMBER[1:-2]}\d]+[章节篇部]")
_ENUMERATION = re.compile(rf"^{_CN_NUMBER}是")   # 一是…: a heading only on a line of its own
_RUN_IN_RANKS = (1, 2)   # 一、 and （一） may open a paragraph as its heading; 1. items may not
_LEAD_RANK = 9           # an unnumbered bold run-in heading nests under every numbered one
_SENTENCE_END = "。．.！？!?"


@dataclass
class Block:
    text: str
    heading: bool = False    # the file says so: markdown #, a Word heading style, a larger font
    lead: int = 0            # length of a run-in heading opening the paragraph (bold in the file)
    pages: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page) starts


def numbering_rank(text: str) -> int | None:
    for rank, pattern in NUMBERING:
        if pattern.match(text):
            return rank
    return None


def is_heading_line(text: str) -> bool:
    """A numbered phrase on a line of its own: 一、2024年工作回顾, （一）更大力度推动…, 第一章 总则."""
    return (0 < len(text) <= HEADING_MAX and text[-1] not in TERMINAL and text[-1] not in "，,、"
            and (numbering_rank(text) is not None or bool(CHAPTER.match(text))))


def run_in_heading(text: str) -> int:
    """Length of a numbered run-in heading opening a paragraph (（一）经济运行持续向好。全年…),
    without its full stop; 0 if there is none."""
    rank = numbering_rank(text)
    if rank not in _RUN_IN_RANKS or _ENUMERATION.match(text):
        return 0
    for i, ch in enumerate(text[:HEADING_MAX + 1]):
        if ch in _SENTENCE_END and not (ch == "." and i + 1 < len(text) and text[i + 1].isdigit()):
            return i if i + 1 < len(text) and numbering_rank(text[:i]) else 0
        if ch in "；;：:\n":
            return 0
    return 0


def is_kicker(blocks: list[Block], i: int) -> bool:
    block = blocks[i]
    return (not block.heading and len(block.text) <= KICKER_MAX
            and block.text[-1] not in TERMINAL
            and i + 1 < len(blocks) and blocks[i + 1].heading)


def mark_headings(blocks: list[Block]) -> list[Block]:
    """Numbered heading lines become headings; numbered run-in headings get their `lead`."""
    for block in blocks:
        if block.heading:
            continue
        if is_heading_line(block.text):
            block.heading = True
        elif not block.lead:
            block.lead = run_in_heading(block.text)
    return blocks


def glue(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space between CJK text, nor inside a number that
    a line break cut (5 | 0.6万人), a space between words."""
    from .normalize import is_cjk

    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if is_cjk(a) or is_cjk(b) or not (a.isalnum() and b.isalnum()) or \
            (a.isdigit() and b.isdigit()):
        return left + right
    return left + " " + right


def join_blocks(first: Block, second: Block) -> Block:
    """One paragraph from two pieces (a page or line break in between); page starts kept."""
    text = glue(first.text, second.text)
    shift = len(text) - len(second.text)
    return Block(text, first.heading, first.lead,
                 first.pages + [(offset + shift, page) for offset, page in second.pages])


def assemble(doc_id: str, blocks: list[Block], content_hash: str, title: str | None = None,
             page_count: int = 0) -> Document:
    """The document: blocks joined by newlines, sections from headings, page starts as offsets."""
    title = title or doc_id
    blocks = [b for b in mark_headings(blocks) if _visible(b.text)]
    starts, offset = [], 0
    for block in blocks:
        starts.append(offset)
        offset += len(block.text) + 1
    text = "\n".join(b.text for b in blocks)
    return Document(doc_id, title, text, _sections(blocks, starts, title, len(text)),
                    content_hash, _page_starts(blocks, starts, page_count, len(text)))


def _visible(text: str) -> bool:
    """Whether a block shows anything: a Word paragraph holding only a zero-width joiner
    (U+200C) or a byte-order mark is no paragraph, and would be indexed as an empty sentence
    that a question with no match comes closest to."""
    return not all(is_blank(ch) for ch in text)


def _sections(blocks: list[Block], starts: list[int], title: str, length: int) -> tuple:
    """A section opens at a run of kicker and heading lines, or at a paragraph with a run-in
    heading, and lasts until the next one. Numbered headings nest by rank; a run of other
    headings and kickers is joined (高光时刻 · 郑州高新区全国评价排名第17名)."""
    sections: list[Section] = []
    open_title, open_start = title, 0
    run: list[str] = []                   # kicker and unnumbered heading lines of this run
    run_start = None
    outline: list[tuple[int, str]] = []   # open numbered headings: (rank, title)

    def open_section(at: int, titles: list[str]) -> None:
        nonlocal open_title, open_start
        if at > open_start or sections:
            sections.append(Section(open_title, open_start, at))
        open_title, open_start = " · ".join(titles + [t for _, t in outline]), at

    def nest(rank: int | None, heading: str, run: list[str]) -> None:
        if rank is None:      # an unnumbered heading starts afresh
            outline.clear()
            run.append(heading)
            return
        while outline and outline[-1][0] >= rank:
            outline.pop()
        outline.append((rank, heading))

    for i, block in enumerate(blocks):
        if block.heading:
            run_start = starts[i] if run_start is None else run_start
            nest(None if CHAPTER.match(block.text) else numbering_rank(block.text),
                 block.text, run)
            continue
        if is_kicker(blocks, i):
            run_start = starts[i] if run_start is None else run_start
            run.append(block.text)
            continue
        if run_start is not None:
            open_section(run_start, run)
            run, run_start = [], None
        if block.lead:
            heading = block.text[:block.lead].strip()
            nest(numbering_rank(heading) or _LEAD_RANK, heading, [])
            open_section(starts[i], [])
    if run_start is not None:  # trailing headings with no body
        open_section(run_start, run)
    sections.append(Section(open_title, open_start, length))
    sections = [s for s in sections if s.end > s.start]
    return tuple(sections) or (Section(title, 0, length),)


def _page_starts(blocks: list[Block], starts: list[int], page_count: int,
                 length: int) -> tuple[int, ...]:
    """Offset where each page starts; a page without text starts where the next one does."""
    if not page_count:
        return ()
    first: dict[int, int] = {}
    for block, start in zip(blocks, starts):
        for offset, page in block.pages:
            first.setdefault(page, start + offset)
    pages, following = [0] * page_count, length
    for page in range(page_count, 0, -1):
        following = min(first.get(page, following), following)
        pages[page - 1] = following
    pages[0] = 0  # text before the first marked page (none, normally) belongs to page 1
    return tuple(pages)
