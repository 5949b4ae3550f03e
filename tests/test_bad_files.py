"""Files that cannot be read: each is named in one line that says what to do, skipped and
recorded in the manifest, and the reports that can be read are indexed (the old index keeps
serving when nothing can be)."""
from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from bench.typeset import typeset
from qa.config import Config
from qa.corpus import read_document
from qa.errors import CorpusError, UnreadableFileError
from qa.formats import Limits
from qa.build import build_index
from qa.index import load_index

from .conftest import REPORT, FakeEmbedder

GOOD = [("title", "某区2025年工作报告"), ("body", "全区新建公园12个，新增绿地面积86公顷。" * 4)]


def good_pdf(path: Path, **kwargs) -> Path:
    typeset(path, GOOD, header="某区人民政府", **kwargs)
    return path


def scanned_pdf(path: Path) -> Path:
    """Two pages that are only pictures of text, as a scanner makes them."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for _ in range(2):
        image = Image.new("L", (600, 800), 255)
        draw = ImageDraw.Draw(image)
        for y in range(60, 760, 24):
            draw.rectangle([50, y, 550, y + 10], fill=0)   # lines of "text", as ink
        c.drawImage(ImageReader(image), 40, 40, width=515, height=760)
        c.showPage()
    c.save()
    return path


def zip_bomb_docx(path: Path) -> Path:
    """A .docx whose document.xml unpacks from a few kilobytes to 30 MB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * 30_000_000 + b"</w:document>")
    return path


def make_bad_files(folder: Path) -> dict[str, str]:
    """Every kind of bad file, and the words its message must hold."""
    folder.mkdir(parents=True, exist_ok=True)
    scanned_pdf(folder / "扫描件.pdf")
    good_pdf(folder / "加密.pdf", encrypt="secret")
    data = good_pdf(folder / "full.pdf").read_bytes()
    (folder / "full.pdf").unlink()
    (folder / "截断.pdf").write_bytes(data[: len(data) // 2])
    (folder / "改了名.txt").write_bytes(data)          # a PDF renamed: not read as text
    (folder / "损坏.pdf").write_bytes(b"%PDF-1.4\n" + b"\x13garbage\x07" * 500 + b"\n%%EOF\n")
    zip_bomb_docx(folder / "炸弹.docx")
    (folder / "截断.docx").write_bytes(_real_docx()[:3000])
    (folder / "旧版.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    (folder / "空白.txt").write_bytes(b"")
    return {"扫描件.pdf": "没有文字层", "加密.pdf": "密码", "截断.pdf": "不完整",
            "损坏.pdf": "损坏", "炸弹.docx": "压缩炸弹", "截断.docx": "损坏",
            "旧版.doc": "另存为 .docx", "空白.txt": "没有文字", "改了名.txt": "扩展名改为 .pdf"}


def _real_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("全区新建公园12个。" * 50)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("bad")
    return folder, make_bad_files(folder)


def test_each_bad_file_has_one_line_saying_what_to_do(bad_files):
    folder, expected = bad_files
    for name, words in expected.items():
        with pytest.raises(UnreadableFileError) as raised:
            read_document(name, (folder / name).read_bytes())
        message = str(raised.value)
        assert words in message and "\n" not in message, (name, message)
        assert "：" in message and len(message.split("：", 1)[1]) > 4, (name, message)  # the fix


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = good_pdf(tmp_path / "大.pdf")
    with pytest.raises(UnreadableFileError, match="超过上限.*QA_MAX_FILE_MB"):
        read_document(path.name, path.read_bytes(), limits=Limits(max_bytes=1000))


def test_an_encrypted_word_file_is_named_as_such():
    # Office writes a password-protected .docx as a compound file holding "EncryptedPackage".
    data = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
            + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512)
    with pytest.raises(UnreadableFileError, match="密码"):
        read_document("加密.docx", data)


def test_a_pdf_with_an_owner_password_only_is_read(tmp_path):
    # Permissions without an opening password: anyone may open it, and so may we.
    from reportlab.lib import pdfencrypt

    path = tmp_path / "受限.pdf"
    typeset(path, GOOD, encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner",
                                                                canCopy=0))
    doc, _ = read_document(path.name, path.read_bytes())
    assert "新建公园12个" in doc.text


def test_the_build_skips_bad_files_records_them_and_indexes_the_rest(tmp_path, bad_files):
    folder, expected = bad_files
    corpus = tmp_path / "corpus"
    shutil.copytree(folder, corpus)
    shutil.copy(REPORT, corpus / REPORT.name)
    good_pdf(corpus / "好.pdf")
    config = Config(corpus_dir=corpus, index_dir=tmp_path / "index", cache_dir=tmp_path / "c")
    log: list[str] = []
    summary = build_index(config, FakeEmbedder(), log=log.append)

    index = load_index(config.index_dir, corpus_dir=corpus)
    assert sorted(index.documents) == sorted([REPORT.name, "好.pdf"])
    skipped = index.manifest["skipped"]
    assert sorted(skipped) == sorted(expected)
    for name, words in expected.items():
        assert words in skipped[name]["reason"]
        assert [line for line in log if name in line and words in line], name
        assert len(skipped[name]["content_hash"]) == 64
    assert len(summary.skipped) == len(expected) and "无法读取" in summary.line()
    # skipped files are not "new" at every load
    assert index.warnings == []


def test_when_nothing_can_be_read_the_old_index_keeps_serving(tmp_path, bad_files):
    folder, _ = bad_files
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPORT, corpus / REPORT.name)
    config = Config(corpus_dir=corpus, index_dir=tmp_path / "index", cache_dir=tmp_path / "c")
    build_index(config, FakeEmbedder(), log=lambda m: None)
    before = (config.index_dir / "manifest.json").read_text(encoding="utf-8")

    (corpus / REPORT.name).unlink()
    shutil.copy(folder / "扫描件.pdf", corpus / "扫描件.pdf")
    with pytest.raises(CorpusError, match="没有可用的报告文件"):
        build_index(config, FakeEmbedder(), log=lambda m: None)
    assert (config.index_dir / "manifest.json").read_text(encoding="utf-8") == before
    index = load_index(config.index_dir)
    assert list(index.documents) == [REPORT.name]
    assert json.loads(before)["counts"]["documents"] == 1


def test_a_partly_scanned_pdf_is_read_and_its_pages_without_text_are_named(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "部分扫描.pdf"
    c = canvas.Canvas(str(path))
    for page in range(3):
        if page == 1:
            c.drawImage(ImageReader(Image.new("L", (300, 400), 128)), 40, 40, 515, 760)
        else:
            c.setFont("STSong-Light", 12)
            c.drawString(72, 720, f"第{page + 1}页的文字：全区新建公园12个。")
        c.showPage()
    c.save()
    doc, notes = read_document(path.name, path.read_bytes())
    assert notes == ["第 2 页没有文字层（可能是扫描页），这些页的内容没有收入"]
    assert doc.page_at(doc.text.index("第3页的文字")) == 3
