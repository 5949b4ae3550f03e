"""Typeset a report as a PDF the way reports are published: justified lines broken by width,
pages broken by height (mid-sentence), a running header, page numbers in the footer, headings
on lines of their own. Used by the tests and by bench/pdf_quality.py to make PDFs from text.

    from bench.typeset import typeset
    pages = typeset(path, [("title", "2025年政府工作报告"), ("heading", "一、工作回顾"),
                           ("body", "过去一年……")], header="2025年政府工作报告")

reportlab's built-in CID font STSong-Light writes extractable Chinese text without a font file.
Returns, for each block, the pages it is drawn on (1-based), so a test can check a quote's page.
"""
from __future__ import annotations

from pathlib import Path

FONT = "STSong-Light"


def typeset(path: Path, blocks: list[tuple[str, str]], header: str | tuple[str, str] = "",
            font_size: float = 12, footer: str = "— {page} —",
            encrypt: str | None = None) -> list[list[int]]:
    """`header`: one running header, or (odd pages, even pages); `footer` formats {page};
    `encrypt`: a password needed to open the file."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from xml.sax.saxutils import escape

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    styles = {
        "title": ParagraphStyle("title", fontName=FONT, fontSize=font_size * 1.6,
                                leading=font_size * 2.4, alignment=TA_CENTER,
                                spaceAfter=font_size),
        "heading": ParagraphStyle("heading", fontName=FONT, fontSize=font_size * 1.25,
                                  leading=font_size * 1.9, spaceBefore=font_size * 0.5,
                                  firstLineIndent=font_size * 2),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=font_size,
                               leading=font_size * 1.6, alignment=TA_JUSTIFY,
                               firstLineIndent=font_size * 2, wordWrap="CJK"),
    }
    width, height = A4

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, font_size * 0.75)
        text = header if isinstance(header, str) else header[(doc.page + 1) % 2]
        if text:
            canvas.drawCentredString(width / 2, height - 15 * mm, text)
            canvas.line(25 * mm, height - 17 * mm, width - 25 * mm, height - 17 * mm)
        if footer:
            canvas.drawCentredString(width / 2, 12 * mm, footer.format(page=doc.page))
        canvas.restoreState()

    drawn: list[list[int]] = [[] for _ in blocks]

    class Template(SimpleDocTemplate):
        def afterFlowable(self, flowable):
            block = getattr(flowable, "block", None)
            if block is not None and self.page not in drawn[block]:
                drawn[block].append(self.page)

    story = []
    for i, (kind, text) in enumerate(blocks):
        paragraph = Paragraph(escape(text), styles[kind])
        paragraph.block = i
        story.append(paragraph)
    # Paragraph.split makes new flowables for the parts that go on later pages: mark them too.
    original_split = Paragraph.split

    def split(self, available_width, available_height):
        parts = original_split(self, available_width, available_height)
        for part in parts:
            part.block = getattr(self, "block", None)
        return parts

    Paragraph.split = split
    try:
        doc = Template(str(path), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                       topMargin=25 * mm, bottomMargin=22 * mm, title="report",
                       encrypt=encrypt)
        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    finally:
        Paragraph.split = original_split
    return drawn


def report_blocks(document) -> list[tuple[str, str]]:
    """A cleaned `qa.corpus.Document` as typeset blocks: section-opening lines as headings."""
    heads = {s.start: len(s.title.split(" · ")) for s in document.sections}
    blocks, offset, heading_lines = [], 0, 0
    for line in document.text.split("\n"):
        heading_lines = heads.get(offset, heading_lines)
        blocks.append(("heading" if heading_lines > 0 and len(line) < 40 else "body", line))
        heading_lines -= 1
        offset += len(line) + 1
    blocks[0] = ("title", blocks[0][1]) if len(blocks[0][1]) < 40 else blocks[0]
    return blocks
