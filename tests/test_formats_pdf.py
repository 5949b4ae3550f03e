"""PDF reports: typeset here with reportlab (justified lines broken by width, pages by height,
running headers, page numbers), read back through the text layer. The text must come back as
the .txt gives it, sentences whole across line and page breaks, and every offset on its page."""
from __future__ import annotations

import pytest

from bench.typeset import report_blocks, typeset
from qa.chunking import document_sentences
from qa.corpus import load_corpus, make_document, read_document

from .conftest import REPORT, ROOT

pytest.importorskip("reportlab")
HEADER = "郑州高新区2020年工作回顾"


@pytest.fixture(scope="module")
def txt_report():
    return load_corpus(REPORT.parent, warn=lambda m: None)[0]


def typeset_report(tmp_path_factory, document, name, **kwargs):
    path = tmp_path_factory.mktemp("pdf") / name
    blocks = report_blocks(document)
    drawn = typeset(path, blocks, **kwargs)
    return path, blocks, drawn


@pytest.fixture(scope="module")
def pdf_report(tmp_path_factory, txt_report):
    path, blocks, drawn = typeset_report(tmp_path_factory, txt_report, "report.pdf",
                                         header=HEADER, font_size=11)
    doc, notes = read_document(path.name, path.read_bytes())
    return path, blocks, drawn, doc, notes


def page_texts(path, drop=()) -> list[str]:
    """Each page's characters as PDFium gives them, without whitespace and the given lines."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    pages = []
    for page in pdf:
        lines = page.get_textpage().get_text_range().splitlines()
        pages.append("".join("".join(line.split()) for line in lines
                             if line.strip() not in drop and not line.strip().startswith("—")))
    return pages


def page_of_each_char(path, drop=()) -> list[int]:
    """The page of every non-space character of the body, in reading order."""
    return [page for page, text in enumerate(page_texts(path, drop), start=1) for _ in text]


def test_the_typeset_report_reads_back_as_the_text_file_gives_it(pdf_report, txt_report):
    path, blocks, drawn, doc, notes = pdf_report
    assert max(max(p) for p in drawn) >= 4, "the report should span several pages"
    assert any(len(p) == 2 for p in drawn), "some paragraph should be cut by a page break"
    assert doc.text == txt_report.text
    assert [s.title for s in doc.sections] == [s.title for s in txt_report.sections]
    assert notes == []


def test_running_header_and_page_numbers_are_dropped(pdf_report, txt_report):
    doc = pdf_report[3]
    assert "— 2 —" not in doc.text and "—2—" not in doc.text
    assert doc.text.count(HEADER) == txt_report.text.count(HEADER)


def test_every_sentence_is_cited_on_the_page_it_starts_on(pdf_report):
    path, _, drawn, doc, _ = pdf_report
    pages = page_of_each_char(path, drop={HEADER})
    assert len(doc.pages) == max(max(p) for p in drawn) == pages[-1]
    assert len(pages) == len("".join(doc.text.split()))
    for sentence in document_sentences(doc):
        nonspace_before = len("".join(doc.text[:sentence.start].split()))
        assert doc.page_at(sentence.start) == pages[nonspace_before], sentence.text
        # the page of its last character too: a sentence may run onto the next page
        last = len("".join(doc.text[:sentence.end].split())) - 1
        assert doc.page_at(sentence.end - 1) == pages[last], sentence.text


def test_a_paragraph_cut_by_a_page_break_is_one_line_with_the_page_starting_inside(pdf_report):
    _, blocks, drawn, doc, _ = pdf_report
    lines = doc.text.split("\n")
    for (kind, text), on in zip(blocks, drawn):
        if len(on) == 2:
            assert text in lines, text[:30]
            start = doc.text.index(text)
            turn = doc.pages[on[1] - 1]
            assert start < turn < start + len(text)
            assert doc.page_at(turn - 1) == on[0] and doc.page_at(turn) == on[1]


@pytest.mark.parametrize("font_size", [9.5, 14])
def test_other_sizes_wrap_differently_and_read_back_the_same(tmp_path_factory, txt_report,
                                                             font_size):
    path, _, drawn, = typeset_report(tmp_path_factory, txt_report, "r.pdf", header=HEADER,
                                     font_size=font_size, footer="第 {page} 页")
    doc, _ = read_document(path.name, path.read_bytes())
    # Paragraph for paragraph; only a space that stood where a line was wrapped may be gone.
    assert [nospace(line) for line in doc.text.split("\n")] == \
        [nospace(line) for line in txt_report.text.split("\n")]
    assert len(doc.pages) == max(max(p) for p in drawn)


def nospace(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------- headings

CLAUSES = ["全年新增市场主体{n}万户、增长{p}%", "规模以上工业增加值增长{p}%",
           "建成{n}个重点项目", "城镇新增就业{n}万人", "研发投入强度达到{p}%",
           "新建改建城市道路{n}公里", "粮食产量稳定在{n}亿斤以上"]


def prose(seed: int, sentences: int) -> str:
    out = []
    for i in range(sentences):
        parts = [CLAUSES[(seed + i + j) % len(CLAUSES)].format(n=seed * 7 + i * 3 + j + 10,
                                                               p=f"{(seed + i + j) % 9 + 1}.{j}")
                 for j in range(3)]
        out.append("，".join(parts) + "。")
    return "".join(out)


OUTLINE = [
    ("title", "2025年某市政府工作报告"),
    ("body", "——2025年1月10日在某市第十六届人民代表大会第三次会议上"),
    ("body", "各位代表："),
    ("body", "现在，我代表市人民政府，向大会报告工作，请予审议。"),
    ("heading", "一、2024年工作回顾"),
    ("body", prose(1, 6)),
    ("body", "（一）经济运行稳中有进。" + prose(2, 5)),
    ("body", "（二）创新动能持续增强。" + prose(3, 7)),
    ("heading", "二、2025年工作安排"),
    ("heading", "（一）扩大有效需求"),
    ("body", prose(4, 6)),
    ("body", prose(5, 4)),
    ("heading", "（二）发展新质生产力"),
    ("body", prose(6, 8)),
]
TITLES = ["2025年某市政府工作报告", "一、2024年工作回顾",
          "一、2024年工作回顾 · （一）经济运行稳中有进", "一、2024年工作回顾 · （二）创新动能持续增强",
          "二、2025年工作安排 · （一）扩大有效需求", "二、2025年工作安排 · （二）发展新质生产力"]


def test_numbered_headings_nest_in_a_pdf(tmp_path):
    path = tmp_path / "2025年某市政府工作报告.pdf"
    drawn = typeset(path, OUTLINE, header=("某市人民政府", "政府工作报告"),
                    footer="第 {page} 页", font_size=18)
    assert max(max(p) for p in drawn) >= 4   # odd and even headers, each on two pages
    doc, _ = read_document(path.name, path.read_bytes())
    assert [s.title for s in doc.sections] == TITLES
    assert doc.text == "\n".join(text for _, text in OUTLINE)
    start = doc.text.index("（二）创新动能持续增强。")
    assert doc.section_at(start).start == start


def test_numbered_headings_in_a_text_file_are_not_glued_to_the_paragraph():
    # As people paste reports: no blank lines, every paragraph on one line.
    raw = "\n".join(text for _, text in OUTLINE)
    doc = make_document("2025年某市政府工作报告.txt", raw, "h", title="2025年某市政府工作报告")
    assert doc.text == raw
    assert [s.title for s in doc.sections] == TITLES
    heading = doc.text.index("一、2024年工作回顾")
    # the heading line is a sentence of its own, not the start of the next one
    sentences = [s.text for s in document_sentences(doc)]
    assert "一、2024年工作回顾" in sentences
    assert not any(s.startswith("一、2024年工作回顾") and len(s) > 12 for s in sentences)
    assert doc.section_at(heading + 20).title == "一、2024年工作回顾"


# ---------------------------------------------------------------- real reports, typeset

REPORTS = ROOT.parent / "shared" / "data" / "reports"


@pytest.mark.skipif(not REPORTS.is_dir(), reason="../shared/data/reports is absent")
@pytest.mark.parametrize("name, font_size", [
    ("河南省", 10),        # 烟台-大连 style hyphens at a line end, which PDFium marks as hyphens
    ("山东省", 10),
    ("浙江省", 12),        # a line wrapped before I—Ⅲ类
    ("云南省", 15),        # a two-line heading; lines wrapped before “3815”
    ("内蒙古自治区", 12),  # …600万千瓦。二是… at a line start: the paragraph goes on
])
def test_real_word_reports_typeset_read_back_paragraph_for_paragraph(tmp_path, name, font_size):
    source = REPORTS / f"2025年{name}政府工作报告.docx"
    word, _ = read_document(source.name, source.read_bytes())
    path = tmp_path / f"{name}.pdf"
    drawn = typeset(path, report_blocks(word), header=word.title, font_size=font_size)
    doc, _ = read_document(path.name, path.read_bytes())
    assert len(doc.pages) == max(max(p) for p in drawn) >= 8
    # reportlab adds a space of its own here and there when it wraps Chinese: spaces aside
    assert [nospace(line) for line in doc.text.split("\n")] == \
        [nospace(line) for line in word.text.split("\n")]
