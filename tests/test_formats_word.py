"""Word reports: the real 2025 government work reports in ../shared/data/reports/, and a .docx
made here with python-docx. Headings (styles, bold, numbering) become sections; the pages Word
laid out are kept when the file records them."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qa.chunking import document_sentences
from qa.corpus import read_document

from .conftest import ROOT

REPORTS = ROOT.parent / "shared" / "data" / "reports"
HENAN = REPORTS / "2025年河南省政府工作报告.docx"        # saved by Word: pages recorded
SHANGHAI = REPORTS / "2025年上海市政府工作报告.docx"     # saved by WPS: no page marks
needs_reports = pytest.mark.skipif(not HENAN.exists(), reason="../shared/data/reports is absent")


def read(path: Path):
    return read_document(path.name, path.read_bytes())[0]


def nonspace_pages(path: Path) -> list[int]:
    """The page of every non-space character of the body, counted straight from the XML:
    text in w:t elements, a page turning at each w:lastRenderedPageBreak."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    pages, page = [], 1
    for element in root.iter(f"{w}t", f"{w}lastRenderedPageBreak"):
        if element.tag == f"{w}lastRenderedPageBreak":
            page += 1
        else:
            pages.extend(page for ch in (element.text or "") if not ch.isspace())
    return pages


@needs_reports
def test_a_word_report_keeps_its_outline_and_run_in_headings():
    doc = read(HENAN)
    titles = [s.title for s in doc.sections]
    assert titles[0] == "2025年河南省政府工作报告"
    assert "一、2024 年工作回顾 · （一）经济运行持续向好" in titles
    assert "三、2025年重点工作 · （二）更大力度推动科技创新和产业创新深度融合" in titles
    # the bold run-in heading stays in the text and opens its section
    start = doc.text.index("（一）经济运行持续向好。全年生产总值6.36万亿元")
    assert doc.section_at(start).start == start
    assert doc.section_at(doc.text.index("粮食总产量1344亿斤")).title == \
        "一、2024 年工作回顾 · （四）乡村振兴有力有效"
    assert not any(line[:1].isspace() for line in doc.text.split("\n"))


@needs_reports
def test_a_word_report_cites_the_pages_word_laid_out():
    doc = read(HENAN)
    assert len(doc.pages) == 22 and list(doc.pages) == sorted(doc.pages)
    pages = nonspace_pages(HENAN)
    assert len(pages) == len("".join(doc.text.split()))
    for sentence in document_sentences(doc):
        before = len("".join(doc.text[:sentence.start].split()))
        assert doc.page_at(sentence.start) == pages[before], sentence.text


@needs_reports
def test_a_wps_report_has_no_pages_and_its_bold_phrases_are_sections():
    doc = read(SHANGHAI)
    assert doc.pages == () and doc.page_at(100) is None
    titles = [s.title for s in doc.sections]
    assert ("一、2024年工作回顾 · （一）奋力落实“五个中心”建设重要使命，城市核心功能进一步强化 · "
            "加快国际经济中心建设，产业体系现代化水平持续提升") in titles
    assert "\u2003" not in doc.text and "\u00a0" not in doc.text


@needs_reports
def test_every_report_in_the_shared_folder_is_read():
    for path in sorted(REPORTS.glob("*.docx")):
        doc = read(path)
        assert len(doc.text) > 8000 and len(doc.sections) >= 3, path.name
        assert doc.sections[0].start == 0 and doc.sections[-1].end == len(doc.text)
        # no sentence is only invisible marks (Guangdong's has a paragraph of one U+200C)
        assert all(s.text.strip("\u200b\u200c\u200d\ufeff\u2060 ")
                   for s in document_sentences(doc)), path.name


def test_a_docx_made_here(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("某县2025年政府工作报告", level=0)
    document.add_paragraph("各位代表：")
    document.add_heading("一、2024年工作回顾", level=1)
    paragraph = document.add_paragraph()
    paragraph.add_run("产业发展提速").bold = True
    paragraph.add_run("。全县规模以上工业增加值增长8.2%，新增高新技术企业31家。")
    lines = document.add_paragraph("新建农村公路120公里，")
    lines.add_run().add_break()           # a manual line break inside a sentence
    lines.add_run("改造危房860户。")
    bold_line = document.add_paragraph()
    bold_line.add_run("民生保障").bold = True          # a short paragraph all in bold
    document.add_paragraph("城镇新增就业1.2万人。")
    table = document.add_table(rows=2, cols=2)
    for row, (name, value) in zip(table.rows, [("指标", "数值"), ("粮食产量", "52万吨")]):
        row.cells[0].text, row.cells[1].text = name, value
    document.add_paragraph("\u200c")                  # a paragraph that shows nothing
    path = tmp_path / "某县.docx"
    document.save(path)

    doc = read(path)
    assert [s.title for s in doc.sections] == [
        "某县2025年政府工作报告", "一、2024年工作回顾", "一、2024年工作回顾 · 产业发展提速", "民生保障"]
    assert "新建农村公路120公里，改造危房860户。" in doc.text
    assert "粮食产量 52万吨" in doc.text
    assert "\u200c" not in doc.text
    assert doc.pages == ()
