"""Plain text and Markdown: decode, split into paragraphs and headings, rejoin page breaks.

Text copied from a paged or typeset report breaks where the page or the line ended: a blank
line that cuts a word (`建\\n\\n设序列`), or lines wrapped at a fixed width. A paragraph that
stops mid-sentence is joined with the next one; a line of its own that is a heading
(`# 标题`, `一、2024年工作回顾`) is never glued to the text around it.
"""
from __future__ import annotations

import re
import unicodedata

from ..cleaning import TERMINAL, Block, is_heading_line, is_kicker, join_blocks

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*#*$")
_CUT_MIN = 20          # only prose paragraphs get cut by page breaks; short lines are titles
_WRAPPED = 0.8         # a line this share as wide as the file's wide lines was wrapped by width


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


def text_blocks(raw: str) -> list[Block]:
    return _rejoin_page_breaks(*_paragraphs(raw))


def width(line: str) -> int:
    """Display width: a CJK character counts two columns, like in a fixed-width editor."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _paragraphs(raw: str) -> tuple[list[Block], set[int]]:
    """Headings, and paragraphs of consecutive lines. A line goes on into the next one only when
    it stops mid-sentence and is about as wide as the file's wide lines (wrapped by width).
    Also returns which blocks come after a blank line."""
    lines = [line.strip() for line in
             raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")]
    widths = sorted(width(line) for line in lines if line)
    wide = widths[int(len(widths) * 0.9)] * _WRAPPED if widths else 0
    blocks: list[Block] = []
    after_blank: set[int] = set()
    paragraph: Block | None = None   # the paragraph the next line may go on
    blank = False
    for line in lines:
        if not line:
            paragraph, blank = None, True
            continue
        match = _MARKDOWN_HEADING.match(line)
        if paragraph is not None and not match and not is_heading_line(line):
            blocks[-1] = paragraph = join_blocks(paragraph, Block(line))
        else:
            if blank:
                after_blank.add(len(blocks))
            heading = bool(match) or is_heading_line(line)
            paragraph = None if heading else Block(line)
            blocks.append(Block(match.group(2).strip(), heading=True) if match else
                          Block(line, heading=True) if heading else paragraph)
        blank = False
        if paragraph is not None and (line[-1] in TERMINAL or width(line) < wide):
            paragraph = None
    return blocks, after_blank


def _rejoin_page_breaks(blocks: list[Block], after_blank: set[int]) -> list[Block]:
    """Merge a prose paragraph that stops mid-sentence with the paragraph after the blank line."""
    merged: list[Block] = []
    for i, block in enumerate(blocks):
        prev = merged[-1] if merged else None
        if (prev is not None and i in after_blank and not prev.heading and not block.heading
                and len(prev.text) >= _CUT_MIN and prev.text[-1] not in TERMINAL
                and not is_kicker(blocks, i)):
            merged[-1] = join_blocks(prev, block)
        else:
            merged.append(block)
    return merged
