"""PDF → blocks, from the text layer (PDFium, through pypdfium2: BSD/Apache licensed).

A typeset PDF holds lines placed on pages, not paragraphs. They are put back together:

- a page's lines are read top to bottom (one column, as reports are set);
- running headers and footers are dropped: the first and last lines of a page that are a page
  number (3, — 3 —, 第3页, 3/20) or that come back, digits aside, on many pages;
- a line goes on into the next one when it reaches the right margin and the next one is not
  indented (a paragraph's first line is), not set apart by a wider gap and not a heading; across
  a page break too, so a sentence cut by the page is whole again;
- a short line set larger than the body text, or in bold, is a heading; a bold phrase opening a
  paragraph is its run-in heading.

Each block records where its pages start, so that a quote cites its page.
"""
from __future__ import annotations

import ctypes
import re
import statistics
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..cleaning import HEADING_MAX, TERMINAL, Block, glue, is_heading_line, join_blocks
from ..errors import UnreadableFileError
from . import Extracted

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－·•~\s]*\d{1,4}[-—–－·•~\s]*|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$")
_MARGIN_LINES = 3         # headers and footers are among a page's first and last three lines
_REPEATED = 0.4           # ... and come back on at least this share of the pages
_MIN_PAGE_TEXT = 10       # a page with fewer characters has no text layer (scanned)
_HEADING_SIZE = 1.1       # a line set this much larger than the body text is a heading
_FULL_LINE = 1.5          # a line ending within this many characters of the margin is full
_INDENT = 0.6             # a line starting this many characters right of the margin is indented
_GAP = 1.6                # a gap of this many line pitches sets paragraphs apart
_BOLD_FONT = re.compile(r"bold|black|heavy|hei|黑", re.IGNORECASE)
_IMAGE_OBJECT = 3         # FPDF_PAGEOBJ_IMAGE
_NOT_HEADING_END = "。；;，,"
_CLOSING = "，。、；：？！”’）》」』】,.;:?!)"
# PDFium is not thread-safe; the web page may check an upload while the index is being built.
_PDFIUM = threading.Lock()


@dataclass
class _Line:
    text: str
    page: int           # 1-based
    x0: float
    x1: float
    top: float          # PDF coordinates: y grows upwards
    bottom: float
    size: float         # font size of most of its characters
    bold: int           # how many of its first characters are bold (len(text): all of them)


def read_pdf(data: bytes) -> Extracted:
    import pypdfium2 as pdfium

    if not data[:1024].lstrip().startswith(b"%PDF-"):
        raise UnreadableFileError("不是有效的 PDF 文件（文件头不对）：请确认文件没有损坏，或重新导出 PDF")
    if b"%%EOF" not in data[-2048:]:
        raise UnreadableFileError("PDF 文件不完整（可能下载或复制时被截断）：请重新下载或重新导出后再添加")
    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if exc.err_code == 4:   # FPDF_ERR_PASSWORD
                raise UnreadableFileError(
                    "PDF 有打开密码（已加密）：请去掉密码后另存一份再添加") from None
            raise UnreadableFileError(
                f"PDF 文件已损坏，无法打开（{exc}）：请重新下载或重新导出后再添加") from None
        try:
            pages = [_page_lines(pdf, i) for i in range(len(pdf))]
        finally:
            pdf.close()
    chars = sum(len(line.text) for lines, _ in pages for line in lines)
    if chars < _MIN_PAGE_TEXT:
        raise UnreadableFileError(
            "PDF 没有文字层（可能是扫描件或图片）：请先用 OCR 软件转成可复制文字的 PDF，"
            "或改用 Word/文本版本")
    if _undecodable(pages) > 0.3:
        raise UnreadableFileError(
            "PDF 的文字无法解码（字体缺少编码表，复制出来是乱码）：请用 OCR 软件转换，或改用 Word/文本版本")
    lines = _drop_running_lines([lines for lines, _ in pages])
    empty = [i + 1 for i, (lines, images) in enumerate(pages)
             if images and sum(len(line.text) for line in lines) < _MIN_PAGE_TEXT]
    notes = [f"第 {_page_list(empty)} 页没有文字层（可能是扫描页），这些页的内容没有收入"] if empty else []
    return Extracted(_blocks(lines), len(pages), notes)


# ---------------------------------------------------------------- characters → lines


def _page_lines(pdf, index: int) -> tuple[list[_Line], bool]:
    """The page's lines top to bottom, and whether it holds an image."""
    import pypdfium2.raw as raw

    page = pdf[index]
    textpage = page.get_textpage()
    try:
        fragments = _fragments(raw, textpage, index + 1)
        images = any(raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page, i)) == _IMAGE_OBJECT
                     for i in range(raw.FPDFPage_CountObjects(page)))
    finally:
        textpage.close()
        page.close()
    return _merge_same_baseline(fragments), images


def _fragments(raw, textpage, page_no: int) -> list[_Line]:
    """PDFium's own lines (it inserts a line break where text moves down)."""
    box = raw.FS_RECTF()   # the loose box spans the advance: 。 ends where its em square does
    bold_fonts: dict[int, bool] = {}
    lines: list[_Line] = []
    chars: list[tuple[str, float, float, float, float, float, bool]] = []

    def flush():
        if chars:
            line = _make_line(chars, page_no)
            if line.text:
                lines.append(line)
            chars.clear()

    count = raw.FPDFText_CountChars(textpage)
    for i in range(count):
        code = raw.FPDFText_GetUnicode(textpage, i)
        if code in (10, 13):
            flush()
            continue
        if 0xD800 <= code <= 0xDBFF and i + 1 < count:   # a character beyond the BMP
            low = raw.FPDFText_GetUnicode(textpage, i + 1)
            if 0xDC00 <= low <= 0xDFFF:
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        hyphen = code == 2   # PDFium's mark for a hyphen ending a line: it adds no line break
        if hyphen:
            code = ord("-")  # kept: in Chinese text it is the report's own (烟台-大连)
        if code < 32 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFEFF):
            continue
        if code == 32 and raw.FPDFText_IsGenerated(textpage, i):
            code = 0   # a space PDFium inferred from a gap, not one the file holds
        raw.FPDFText_GetLooseCharBox(textpage, i, box)
        size = raw.FPDFText_GetFontSize(textpage, i)
        font = raw.FPDFTextObj_GetFont(raw.FPDFText_GetTextObject(textpage, i))
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        if key not in bold_fonts:
            bold_fonts[key] = _is_bold_font(raw, font)
        chars.append((chr(code) if code else "\0", box.left, box.right, box.bottom, box.top, size,
                      bold_fonts[key]))
        if hyphen:
            flush()
    flush()
    return lines


def _is_bold_font(raw, font) -> bool:
    if not font:
        return False
    if raw.FPDFFont_GetWeight(font) >= 600 or raw.FPDFFont_GetFlags(font) & (1 << 18):
        return True
    buffer = ctypes.create_string_buffer(256)
    size = raw.FPDFFont_GetBaseFontName(font, buffer, len(buffer))
    return bool(_BOLD_FONT.search(buffer.value.decode("latin-1"))) if size else False


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF" or ch in "“”‘’…—·"


def _make_line(chars, page_no: int) -> _Line:
    """One line from its characters. Spaces are kept as the file has them (one for a run), but
    a gap PDFium read as a space ("\0" here) is kept only between words, not beside CJK."""
    kept = []
    for i, c in enumerate(chars):
        if c[0].isspace() or c[0] == "\0":
            before = kept[-1][0] if kept else ""
            after = next((d[0] for d in chars[i + 1:] if not (d[0].isspace() or d[0] == "\0")), "")
            if not before or not after or before == " " or \
                    (c[0] == "\0" and (_wide(before) or _wide(after))):
                continue
            c = (" ",) + c[1:]
        kept.append(c)
    text = "".join(c[0] for c in kept)
    visible = [c for c in kept if c[0] != " "] or kept
    sizes = Counter(round(c[5], 1) for c in visible)
    bold = next((i for i, c in enumerate(kept) if not c[6]), len(kept))
    return _Line(text, page_no, min((c[1] for c in visible), default=0),
                 max((c[2] for c in visible), default=0), max((c[4] for c in visible), default=0),
                 min((c[3] for c in visible), default=0),
                 sizes.most_common(1)[0][0] if sizes else 0.0, bold)


def _merge_same_baseline(fragments: list[_Line]) -> list[_Line]:
    """Fragments that share a baseline are one line, read left to right; lines top to bottom."""
    lines: list[list[_Line]] = []
    for fragment in sorted(fragments, key=lambda f: -f.top):
        if lines:
            last = lines[-1][0]
            overlap = min(last.top, fragment.top) - max(last.bottom, fragment.bottom)
            height = min(last.top - last.bottom, fragment.top - fragment.bottom)
            if height > 0 and overlap >= 0.5 * height:
                lines[-1].append(fragment)
                continue
        lines.append([fragment])
    merged = []
    for parts in lines:
        parts.sort(key=lambda f: f.x0)
        first = parts[0]
        text, bold = first.text, first.bold
        for before, part in zip(parts, parts[1:]):
            near = part.x0 - before.x1 < before.size
            joined = glue(text, part.text) if near else text + " " + part.text
            if bold == len(text):
                bold = len(joined) - len(part.text) + part.bold
            text = joined
        merged.append(_Line(text, first.page, first.x0, max(p.x1 for p in parts),
                            max(p.top for p in parts), min(p.bottom for p in parts),
                            max(parts, key=lambda p: len(p.text)).size, min(bold, len(text))))
    return merged


def _undecodable(pages) -> float:
    """Share of characters a font left without a real code (private use, replacement char)."""
    text = "".join(line.text for lines, _ in pages for line in lines)
    bad = sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    return bad / len(text) if text else 0.0


# ---------------------------------------------------------------- headers and footers


def _shape(line: _Line) -> tuple:
    """What a running line keeps from page to page: its words (digits aside), place and size."""
    return re.sub(r"\d+", "#", "".join(line.text.split())), round(line.top / 4), round(line.size)


def _drop_running_lines(pages: list[list[_Line]]) -> list[_Line]:
    """Every page's lines less its running header, footer and page number, in reading order."""
    seen = Counter()
    for lines in pages:
        ends = lines[:_MARGIN_LINES] + lines[-_MARGIN_LINES:] if len(lines) > 1 else lines
        seen.update({_shape(line) for line in ends})
    needed = max(2, _REPEATED * len(pages))

    def running(line: _Line) -> bool:
        if _PAGE_NUMBER.match(line.text.strip()):
            return True
        # a header is a title, not a sentence: one ending like a sentence is body text
        return seen[_shape(line)] >= needed and line.text[-1] not in "。！？；!?;"

    body = []
    for lines in pages:
        first, last = 0, len(lines)
        while first < min(last, _MARGIN_LINES) and running(lines[first]):
            first += 1
        while last > max(first, len(lines) - _MARGIN_LINES) and running(lines[last - 1]):
            last -= 1
        body.extend(lines[first:last])
    return body


# ---------------------------------------------------------------- lines → paragraphs


@dataclass
class _Layout:
    size: float                       # body text size
    pitch: float                      # distance between the baselines of body lines
    left: dict[int, float]            # left margin, by page parity (mirrored margins)
    right: dict[int, float]
    bold_marks: bool                  # bold sets words apart (not when most text is bold)


def _layout(lines: list[_Line]) -> _Layout:
    weights = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    size = weights.most_common(1)[0][0] or 10.0
    body = [line for line in lines if abs(line.size - size) < 0.5] or lines
    pitches = [a.bottom - b.bottom for a, b in zip(body, body[1:])
               if a.page == b.page and 0.8 * size < a.bottom - b.bottom < 3 * size]
    left, right = {}, {}
    for parity in (0, 1):
        side = [line for line in body if line.page % 2 == parity] or body
        left[parity] = _common_left(side, size)
        right[parity] = sorted(line.x1 for line in side)[int(len(side) * 0.9)]
    bold = sum(line.bold for line in lines)
    return _Layout(size, statistics.median(pitches) if pitches else size * 1.5, left, right,
                   bold < 0.5 * sum(len(line.text) for line in lines))


def _common_left(lines: list[_Line], size: float) -> float:
    """The leftmost x at which many lines start (continuation lines; first lines are indented)."""
    starts = Counter(round(line.x0 / 2) * 2 for line in lines)
    common = [x for x, n in starts.items() if n >= max(2, 0.1 * len(lines))]
    return min(common) if common else min(line.x0 for line in lines)


def _all_bold(line: _Line, layout: _Layout) -> bool:
    return layout.bold_marks and line.bold == len(line.text)


def _larger(line: _Line, layout: _Layout) -> bool:
    return line.size >= layout.size * _HEADING_SIZE


def _is_heading(line: _Line, layout: _Layout) -> bool:
    """A line set larger than the body text or in bold, short, not ending a sentence."""
    return ((_larger(line, layout) or _all_bold(line, layout)) and len(line.text) <= HEADING_MAX
            and line.text[-1] not in _NOT_HEADING_END)


def _goes_on(line: _Line, after: _Line, layout: _Layout, heading: bool) -> bool:
    """Whether `after` continues the paragraph (or the heading) that `line` is in: `line` is
    full, `after` is not indented, set apart or of another size, nor a heading of its own."""
    parity = line.page % 2
    room = layout.right[parity] - line.x1
    full = room <= (_FULL_LINE + _first_word(after.text)) * line.size
    indented = after.x0 > layout.left[after.page % 2] + _INDENT * layout.size
    pitch = layout.pitch * line.size / layout.size
    near = after.page != line.page or line.bottom - after.bottom <= _GAP * pitch
    # A heading may be wrapped at a space before the margin: its next line then starts left
    # of its own (indented) start.
    wrapped = full or (heading and after.x0 < line.x0 - _INDENT * layout.size)
    if not (wrapped and not indented and near and abs(after.size - line.size) < 0.5):
        return False
    # A numbered line (一是…, 2. …) after a full line opens an item only where a sentence
    # ended and when it is short itself; a full one goes on (…600万千瓦。二是加大绿电替代，带…).
    numbered = (is_heading_line(after.text) and line.text[-1] in TERMINAL
                and layout.right[after.page % 2] - after.x1 > _FULL_LINE * layout.size)
    if heading or _larger(line, layout) or _all_bold(line, layout):
        # set apart by its type (a heading, or a paragraph set like one): goes on in that type
        return _all_bold(after, layout) == _all_bold(line, layout) and not numbered
    return not _is_heading(after, layout) and not numbered


def _first_word(text: str) -> float:
    """How wide (in characters) the start of a line is that could not have ended the line
    before: a number or word is wrapped whole, an opening mark goes with what follows it, and a
    closing mark never starts a line."""
    opening = 1.0 if text[:1] in "“‘（(《「『【" else 0.0
    word = re.match(r"[A-Za-z0-9.%,:/+\-—Ⅰ-ⅻ]*", text[int(opening):]).group()
    width = opening + 0.55 * len(word)
    if not width and text[:1] in _CLOSING:
        width = 1.0
    return width


def _blocks(lines: list[_Line]) -> list[Block]:
    if not lines:
        return []
    layout = _layout(lines)
    blocks: list[Block] = []
    current: Block | None = None
    for i, line in enumerate(lines):
        piece = Block(line.text, pages=[(0, line.page)])
        if current is None:
            current = piece
            current.heading = _is_heading(line, layout)
            bold = line.bold if layout.bold_marks and line.bold < len(line.text) else 0
            current.lead = _lead(line.text, bold)
            blocks.append(current)
        else:
            blocks[-1] = current = join_blocks(current, piece)
        after = lines[i + 1] if i + 1 < len(lines) else None
        if after is None or not _goes_on(line, after, layout, current.heading):
            # set large or bold, but a whole sentence or more: a paragraph, not a heading
            if current.heading and (len(current.text) > HEADING_MAX
                                    or current.text[-1] in _NOT_HEADING_END):
                current.heading = False
            current = None
    return blocks


def _lead(text: str, bold: int) -> int:
    """A bold phrase opening a paragraph and ending where a sentence does is its heading."""
    if not 2 <= bold <= HEADING_MAX:
        return 0
    phrase = text[:bold].rstrip()
    if phrase and phrase[-1] in "。．.：:":
        return len(phrase) - 1
    return len(phrase) if text[len(phrase):len(phrase) + 1] in ("。", "．", "：", ":") else 0


def _page_list(pages: list[int]) -> str:
    shown = "、".join(str(p) for p in pages[:10])
    return shown + (f" 等 {len(pages)} " if len(pages) > 10 else "")

