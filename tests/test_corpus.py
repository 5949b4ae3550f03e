"""Loading and cleaning: encodings, bad files, page breaks, sections."""
import pytest

from qa.corpus import load_corpus, make_document
from qa.errors import CorpusError

from .conftest import REPORT


@pytest.fixture(scope="module")
def report():
    return load_corpus(REPORT.parent, warn=lambda m: None)[0]


@pytest.mark.parametrize("joined", [
    "建设序列", "规模以上工业增加值", "下沉一线", "16.38千米", "打造各类示范点",
    "退伍军人服务管理能力实现新提升", "郑州市中心医院高新医院建设加快推进", "落实首席税务服务官制度,快速解决",
])
def test_page_breaks_in_the_report_are_rejoined(report, joined):
    assert joined in report.text


def test_kickers_are_section_context_not_sentence_text(report):
    titles = [s.title for s in report.sections]
    assert "高光时刻 · 郑州高新区全国评价排名第17名" in titles
    assert "双战双胜 · 科学有效防控疫情" in titles
    assert "改善民生 · 人民获得感幸福感稳步提升" in titles
    assert "高光时刻郑州" not in report.text and "双战双胜科学" not in report.text
    # the news piece ends with its byline; the next kicker is not glued to it
    assert "文/图\n提质增效\n" in report.text


def test_sections_tile_the_document(report):
    assert report.sections[0].start == 0 and report.sections[-1].end == len(report.text)
    for a, b in zip(report.sections, report.sections[1:]):
        assert a.end == b.start
    assert report.section_at(report.text.index("16284")).title.endswith("经济高质量发展行稳致远")


def test_whitespace_free_text_is_preserved(report):
    raw = REPORT.read_text(encoding="utf-8").replace("#", "")
    assert "".join(raw.split()) == "".join(report.text.split())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_are_read(tmp_path, encoding):
    (tmp_path / "r.txt").write_bytes("专利申请量达到16284件。".encode(encoding))
    [doc] = load_corpus(tmp_path)
    assert doc.text == "专利申请量达到16284件。"


def test_binary_and_empty_files_are_named_and_skipped(tmp_path):
    (tmp_path / "good.md").write_text("# 标题\n\n正文一句。", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    warnings = []
    docs = load_corpus(tmp_path, warn=warnings.append)
    assert [d.id for d in docs] == ["good.md"]
    assert any("image.txt" in w for w in warnings) and any("empty.txt" in w for w in warnings)


def test_empty_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="没有可用的"):
        load_corpus(tmp_path)
    with pytest.raises(CorpusError, match="不存在"):
        load_corpus(tmp_path / "missing")


def test_markdown_headings_become_sections():
    doc = make_document("a.md", "# 第一章\n\n第一句。\n\n## 第二节\n\n第二句。", "h")
    assert [s.title for s in doc.sections] == ["第一章", "第二节"]
    assert doc.text == "第一章\n第一句。\n第二节\n第二句。"
