"""Managing corpus/ from the page: uploads are read before they are saved, under safe names;
deleting, listing and comparing with the index; rebuilds read only what changed."""
from __future__ import annotations

import shutil

import pytest

from bench.typeset import typeset
from qa import corpus as corpus_module
from qa.corpus_admin import CorpusAdmin, safe_name
from qa.errors import QAError, UnreadableFileError
from qa.build import build_index
from qa.index import load_index

from .conftest import REPORT, FakeEmbedder
from .test_bad_files import GOOD, scanned_pdf


@pytest.mark.parametrize("given, safe", [
    ("河南.pdf", "河南.pdf"),
    ("../../etc/报告.PDF", "报告.pdf"),
    ("C:\\Users\\me\\桌面\\报告 2025.docx", "报告 2025.docx"),
    ("a<b>c:d|e?.txt", "a_b_c_d_e_.txt"),
    (".hidden.md", "hidden.md"),
    ("  .pdf", "报告.pdf"),
    ("CON.txt", "_CON.txt"),
    ("报\u200b告\x00.pdf", "报告.pdf"),
    ("长" * 300 + ".pdf", "长" * 100 + ".pdf"),
])
def test_uploaded_names_become_safe_file_names(given, safe):
    assert safe_name(given) == safe


@pytest.mark.parametrize("name, words", [("报告.doc", "另存为 .docx"), ("报告.exe", "不支持"),
                                         ("报告", "不支持")])
def test_other_kinds_of_files_are_refused_by_name(name, words):
    with pytest.raises(UnreadableFileError, match=words):
        safe_name(name)


@pytest.fixture
def admin(tmp_path, fake_config):
    return CorpusAdmin(fake_config)


def test_a_readable_upload_is_saved_and_a_bad_one_never_enters_the_corpus(admin, tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    typeset(uploads / "x1.pdf", GOOD, header="某区人民政府")
    scanned_pdf(uploads / "x2.pdf")
    results = admin.add([(uploads / "x1.pdf", "某区/2025年工作报告.pdf"),
                         (uploads / "x2.pdf", "扫描.pdf")])
    assert results[0].ok and results[0].doc_id == "2025年工作报告.pdf"
    assert results[0].message.startswith("已添加 2025年工作报告.pdf（") and "1 页" in results[0].message
    assert not results[1].ok and results[1].message.startswith("未添加 扫描.pdf：PDF 没有文字层")
    names = sorted(p.name for p in admin.corpus_dir.iterdir())
    assert names == sorted([REPORT.name, "2025年工作报告.pdf"])   # no temporary files either


def test_a_bad_file_does_not_replace_a_good_one(admin, tmp_path):
    scanned = scanned_pdf(tmp_path / "scan.pdf")
    before = (admin.corpus_dir / REPORT.name).read_bytes()
    shutil.copy(scanned, tmp_path / "same-name.txt")
    [result] = admin.add([(tmp_path / "same-name.txt", REPORT.name)])
    assert not result.ok and "未添加" in result.message
    assert (admin.corpus_dir / REPORT.name).read_bytes() == before


def test_uploading_a_new_version_replaces_the_file(admin, tmp_path):
    new = tmp_path / "new.txt"
    new.write_text("# 附录\n\n本附录说明统计口径。", encoding="utf-8")
    [result] = admin.add([(new, REPORT.name)])
    assert result.ok and result.message.startswith(f"已替换 {REPORT.name}")
    [again] = admin.add([(new, REPORT.name)])
    assert "内容相同" in again.message


def test_delete_list_and_differences(admin, fake_config, tmp_path):
    typeset(admin.corpus_dir / "区报告.pdf", GOOD, header="某区人民政府")
    scanned_pdf(admin.corpus_dir / "扫描.pdf")
    build_index(fake_config, FakeEmbedder(), log=lambda m: None)
    index = load_index(fake_config.index_dir)
    assert admin.differences(index) == []
    rows = {row.doc_id: row for row in admin.documents(index)}
    assert rows["区报告.pdf"].kind == "PDF" and rows["区报告.pdf"].pages == 1
    assert rows["区报告.pdf"].chunks >= 1 and rows["区报告.pdf"].status == "已索引"
    assert rows[REPORT.name].pages is None and rows[REPORT.name].sections == 7
    assert rows["扫描.pdf"].status.startswith("无法读取：PDF 没有文字层")
    assert len(rows["区报告.pdf"].added_at) == 16

    admin.delete("区报告.pdf")
    (admin.corpus_dir / "新.md").write_text("# 新\n\n新的一句。", encoding="utf-8")
    assert admin.differences(index) == [
        "新增文件 新.md 尚未建入索引", "文件 区报告.pdf 已删除，但仍在索引中",
        "索引已过期，请运行 `qa build` 更新（暂时仍用旧索引回答）"]
    assert {r.doc_id: r.status for r in admin.documents(index)}["新.md"] == "尚未建入索引"
    with pytest.raises(QAError, match="没有文件"):
        admin.delete("../index/manifest.json")


def test_the_last_report_cannot_be_deleted(admin):
    with pytest.raises(QAError, match="唯一的报告"):
        admin.delete(REPORT.name)
    assert (admin.corpus_dir / REPORT.name).exists()


def test_a_rebuild_reads_only_the_files_that_changed(fake_config, monkeypatch):
    typeset(fake_config.corpus_dir / "区报告.pdf", GOOD, header="某区人民政府")
    first = build_index(fake_config, FakeEmbedder(), log=lambda m: None)
    assert first.read == 2
    added = load_index(fake_config.index_dir).manifest["documents"]

    read = []
    original = corpus_module.read_document
    monkeypatch.setattr(corpus_module, "read_document",
                        lambda name, *a, **k: read.append(name) or original(name, *a, **k))
    embedder = FakeEmbedder()
    second = build_index(fake_config, embedder, log=lambda m: None)
    assert read == [] and embedder.embedded == [] and second.read == 0

    (fake_config.corpus_dir / "附录.md").write_text("# 附录\n\n本附录说明统计口径。",
                                                   encoding="utf-8")
    third = build_index(fake_config, embedder, log=lambda m: None)
    assert read == ["附录.md"] and third.read == 1
    assert sorted(embedder.embedded) == sorted(["附录", "本附录说明统计口径。"])
    manifest = load_index(fake_config.index_dir).manifest
    # a document keeps the time it was first added
    assert [d["added_at"] for d in manifest["documents"] if d["id"] != "附录.md"] == \
        [d["added_at"] for d in added]
