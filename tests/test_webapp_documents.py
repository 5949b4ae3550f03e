"""The document panel's handlers with a real engine on the fake embedder (fast, no browser):
token checks, uploads good and bad, the list, deleting, the notice when corpus/ changed, and a
first report uploaded into an empty corpus."""
from __future__ import annotations

import shutil

import pytest

from bench.typeset import typeset
from qa import engine as engine_module, webapp
from qa.config import Config
from qa.engine import Engine

from .conftest import CORPUS, REPORT, FakeEmbedder
from .test_bad_files import GOOD, scanned_pdf

TOKEN = "s3cret"


@pytest.fixture
def panel(tmp_path, monkeypatch):
    # An engine the panel makes itself (after a failed start) gets the fake embedder too.
    embedder = FakeEmbedder()
    monkeypatch.setattr(engine_module, "make_embedder", lambda config, log=None: embedder)

    def make(corpus_files=True):
        corpus = tmp_path / "corpus"
        if corpus_files:
            shutil.copytree(CORPUS, corpus)
        else:
            corpus.mkdir()
        config = Config(corpus_dir=corpus, index_dir=tmp_path / "index", admin_token=TOKEN,
                        cache_dir=tmp_path / "cache")
        demo = webapp.create_app(
            config, examples=["问题一"],
            engine_factory=lambda: Engine.open(config, embedder=embedder, log=lambda m: None,
                                               build_if_needed=True))
        assert demo.engine_slot.ready.wait(30)
        fns = {f.api_name or f.name: f for f in demo.fns.values()}
        return demo, fns, config
    return make


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads" / "abc123"       # as Gradio keeps them: original names
    folder.mkdir(parents=True)
    typeset(folder / "某区2025年工作报告.pdf", GOOD, header="某区人民政府")
    scanned_pdf(folder / "扫描件.pdf")
    return folder


def test_the_panel_is_behind_the_token_and_queued_with_rebuilds(panel, uploads):
    demo, fns, config = panel()
    assert fns["docs_add"].concurrency_id == fns["rebuild"].concurrency_id == "rebuild"
    assert all(fns[name].api_visibility == "private"
               for name in ("docs_unlock", "docs_add", "docs_delete", "docs_update"))
    tools, message, *_ = fns["docs_unlock"].fn("wrong")
    assert "管理令牌不正确" in message and tools["visible"] is False
    message, *_ = fns["docs_add"].fn("wrong", [str(uploads / "某区2025年工作报告.pdf")])
    assert "管理令牌不正确" in message
    assert not (config.corpus_dir / "某区2025年工作报告.pdf").exists()
    tools, message, notice, listing, chosen = fns["docs_unlock"].fn(TOKEN)
    assert tools["visible"] is True and "一致" in notice
    assert REPORT.name in listing and chosen["choices"] == [REPORT.name]


def test_uploading_reads_each_file_updates_the_index_and_lists_it(panel, uploads):
    demo, fns, config = panel()
    message, notice, listing, chosen, upload = fns["docs_add"].fn(
        TOKEN, [str(uploads / "某区2025年工作报告.pdf"), str(uploads / "扫描件.pdf")])
    assert '<p class="qa-docs-done">已添加 某区2025年工作报告.pdf' in message and "1 页" in message
    assert '<p class="qa-error">未添加 扫描件.pdf：PDF 没有文字层' in message
    assert "索引已建成：2 个文档（新读取 1）" in message
    assert upload is None and "一致" in notice
    assert "某区2025年工作报告.pdf</td><td>PDF</td><td>1</td>" in listing
    assert "扫描件" not in listing and not (config.corpus_dir / "扫描件.pdf").exists()
    index = demo.engine_slot.get().index
    assert sorted(index.documents) == sorted([REPORT.name, "某区2025年工作报告.pdf"])
    assert "就绪" in demo.engine_slot.status()

    message, notice, listing, chosen = fns["docs_delete"].fn(TOKEN, "某区2025年工作报告.pdf")
    assert message.startswith('<p class="qa-docs-done">已删除 某区2025年工作报告.pdf')
    assert "某区2025年工作报告" not in listing
    assert list(demo.engine_slot.get().index.documents) == [REPORT.name]
    message, *_ = fns["docs_delete"].fn(TOKEN, REPORT.name)
    assert "唯一的报告" in message and (config.corpus_dir / REPORT.name).exists()


def test_files_changed_by_hand_are_noticed_and_listed_with_why(panel, uploads):
    demo, fns, config = panel()
    shutil.copy(uploads / "某区2025年工作报告.pdf", config.corpus_dir / "手放的.pdf")
    scanned_pdf(config.corpus_dir / "坏的.pdf")
    message, notice, listing, _ = fns["docs_refresh"].fn(TOKEN)
    assert "新增文件 手放的.pdf 尚未建入索引" in notice and "尚未建入索引" in listing
    message, notice, listing, _ = fns["docs_update"].fn(TOKEN)
    assert "跳过 坏的.pdf：PDF 没有文字层" in message
    assert "一致" in notice
    assert "坏的.pdf</td><td>PDF</td><td>—</td>" in listing and "无法读取：PDF 没有文字层" in listing


def test_a_first_report_uploaded_into_an_empty_corpus_starts_the_engine(panel, uploads):
    demo, fns, config = panel(corpus_files=False)
    assert "没有可用的报告文件" in demo.engine_slot.status()
    message, notice, listing, _, _ = fns["docs_add"].fn(
        TOKEN, [str(uploads / "某区2025年工作报告.pdf")])
    assert "已添加" in message and "索引已建成：1 个文档" in message
    assert list(demo.engine_slot.get().index.documents) == ["某区2025年工作报告.pdf"]
    assert "就绪" in demo.engine_slot.status()
