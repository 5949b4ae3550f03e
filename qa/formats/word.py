"""Word (.docx) → blocks, with python-docx.

Paragraphs and table rows in document order. A paragraph in a heading style (Heading 1…,
标题 1…, or with an outline level) is a heading, and so is a short paragraph set all in bold;
a bold phrase opening a paragraph (（一）经济运行持续向好。全年…) is its run-in heading.
Indentation (全角空格, no-break spaces) is dropped.

Pages: Word writes where it last broke pages (`w:lastRenderedPageBreak`). When those marks agree
with the page count the file declares, every block records where its pages start, as a PDF
does; otherwise (WPS, files never laid out) the document has no pages.

A .docx is a zip: before anything is unpacked, the sizes it declares are checked, so a zip
bomb is refused instead of filling the memory.
"""
from __future__ import annotations

import io
import re
import zipfile

from ..cleaning import HEADING_MAX, TERMINAL, Block, join_blocks
from ..errors import UnreadableFileError
from . import MB, Extracted, Limits

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"      # compound file: old .doc, or encrypted OOXML
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*\d|^title$|^标题$", re.IGNORECASE)
_PAGES = re.compile(rb"<Pages>(\d+)</Pages>")
_CUT_MIN = 20    # a manual line break inside a sentence of at least this length is not a new line
_LEAD_END = "。．.：:"


def read_docx(data: bytes, limits: Limits) -> Extracted:
    if data[:8] == _OLE:
        if _ENCRYPTED in data:
            raise UnreadableFileError(
                "Word 文件有打开密码（已加密）：请在 Word 中去掉密码后另存一份再添加")
        raise UnreadableFileError(
            "这是旧版 Word（.doc）文件，只是扩展名为 .docx：请在 Word 或 WPS 中另存为 .docx 后再添加")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_unpacked_size(archive, limits)
        declared_pages = _declared_pages(archive)
    except zipfile.BadZipFile:
        raise UnreadableFileError(
            "Word 文件已损坏或不完整（不是有效的 .docx）：请重新下载，或在 Word 中另存一份再添加") from None
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        blocks, breaks = _body_blocks(document)
    except UnreadableFileError:
        raise
    except Exception as exc:   # python-docx, lxml and zipfile each have their own errors
        raise UnreadableFileError(
            f"Word 文件已损坏，无法读取（{type(exc).__name__}）：请在 Word 中打开并另存一份再添加") from None
    # No break at all says nothing: a file never laid out (python-docx, converters) declares 1.
    if breaks and breaks + 1 == declared_pages:
        return Extracted(blocks, declared_pages)
    for block in blocks:
        block.pages = []
    return Extracted(blocks)


def _check_unpacked_size(archive: zipfile.ZipFile, limits: Limits) -> None:
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    worst = max(infos, key=lambda i: i.file_size / max(i.compress_size, 1), default=None)
    ratio = worst.file_size / max(worst.compress_size, 1) if worst else 0
    if total > limits.max_unpacked_bytes or (ratio > limits.max_ratio and worst.file_size > MB):
        raise UnreadableFileError(
            f"Word 文件解压后达 {total / MB:,.0f} MB（压缩比 {ratio:,.0f}:1），可能是压缩炸弹："
            f"请确认文件来源，或在 Word 中另存一份再添加")


def _declared_pages(archive: zipfile.ZipFile) -> int:
    try:
        match = _PAGES.search(archive.read("docProps/app.xml")[:65536])
    except KeyError:
        return 0
    return int(match.group(1)) if match else 0


def _body_blocks(document) -> tuple[list[Block], int]:
    """Blocks in document order (a table row is one block, its cells joined by spaces), and
    how many rendered page breaks were seen."""
    from docx.table import Table

    blocks: list[Block] = []
    page = 1
    for item in document.iter_inner_content():
        if not isinstance(item, Table):
            pieces, page = _paragraph_pieces(item, page)
            blocks.extend(pieces)
            continue
        for row in item.rows:
            cells = []
            for cell in _unique(row.cells):
                for paragraph in cell.paragraphs:
                    pieces, page = _paragraph_pieces(paragraph, page)
                    cells.extend(pieces)
            if cells:
                line = cells[0]
                for cell in cells[1:]:
                    line = join_blocks(Block(line.text + " ", pages=line.pages), cell)
                blocks.append(Block(line.text, pages=line.pages))
    return blocks, page - 1


def _unique(cells):
    """Merged cells repeat in python-docx's rows: each once."""
    seen = []
    for cell in cells:
        if not any(cell._tc is other._tc for other in seen):
            seen.append(cell)
    return seen


def _paragraph_pieces(paragraph, page: int) -> tuple[list[Block], int]:
    """The paragraph as blocks (one per manual line break that ends a line), and the page after."""
    from docx.text.hyperlink import Hyperlink
    from docx.text.pagebreak import RenderedPageBreak

    style_bold = _style_bold(paragraph.style)
    text, bold_until, marks = "", None, [(0, page)]
    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        for run in runs:
            bold = run.bold if run.bold is not None else (
                _style_bold(run.style) if run.style is not None and run.style.font.bold is not None
                else style_bold)
            for content in run.iter_inner_content():
                if isinstance(content, RenderedPageBreak):
                    page += 1
                    marks.append((len(text), page))
                elif isinstance(content, str):
                    if not bold and bold_until is None and content.strip():
                        bold_until = len(text)
                    text += content
    if bold_until is None:
        bold_until = len(text)
    heading = _is_heading_style(paragraph)
    return _pieces(text, marks, bold_until, heading), page


def _pieces(text: str, marks, bold_until: int, heading: bool) -> list[Block]:
    """Split at manual line breaks that end a line; strip indentation; keep page marks exact."""
    blocks: list[Block] = []
    start = 0
    for line in text.split("\n") + [None]:
        if line is None:
            break
        end = start + len(line)
        body = line.strip().replace("\u00a0", " ").replace("\u3000", " ").replace("\t", " ")
        if body:
            lead = len(line) - len(line.lstrip())
            shift = start + lead
            pages = [(max(0, min(o - shift, len(body))), p) for o, p in marks
                     if start <= o <= end or (o < start and not blocks)]
            bold = min(max(bold_until - shift, 0), len(body))
            block = Block(body, heading, _lead(body, bold), pages or [])
            if blocks and _goes_on(blocks[-1]):
                blocks[-1] = join_blocks(blocks[-1], block)
            else:
                blocks.append(block)
        start = end + 1
    for block in blocks:
        bolded = block.lead == 0 and bold_until >= len(text.rstrip()) and text.strip()
        if bolded and len(block.text) <= HEADING_MAX and block.text[-1] not in TERMINAL:
            block.heading = True
    return blocks


def _goes_on(block: Block) -> bool:
    """A manual line break after an unfinished clause or a long unfinished line is not the
    end of a line of its own."""
    last = block.text[-1]
    return not block.heading and (last in "，,、" or
                                  (len(block.text) >= _CUT_MIN and last not in TERMINAL))


def _lead(text: str, bold: int) -> int:
    """A bold phrase opening a paragraph, ending where its first sentence does."""
    if not 2 <= bold <= HEADING_MAX or bold >= len(text):
        return 0
    phrase = text[:bold].rstrip()
    if phrase[-1] in _LEAD_END:
        return len(phrase) - 1
    return len(phrase) if text[len(phrase):len(phrase) + 1] in tuple(_LEAD_END) else 0


def _is_heading_style(paragraph) -> bool:
    style = paragraph.style
    while style is not None:
        if _HEADING_STYLE.match(style.name or "") or _outline_level(style.element) is not None:
            return True
        style = style.base_style
    return _outline_level(paragraph._p) is not None


def _outline_level(element) -> int | None:
    """w:outlineLvl 0-8 marks a heading (9 is body text)."""
    from docx.oxml.ns import qn

    found = element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    if found is None:
        return None
    level = int(found.get(qn("w:val"), "9"))
    return level if level < 9 else None


def _style_bold(style) -> bool:
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False
