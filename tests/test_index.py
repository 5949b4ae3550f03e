"""Building, reusing, swapping and checking the index directory (fake embedder)."""
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from qa import index as index_module
from qa.engine import Engine
from qa.errors import IndexCorruptError, IndexMissingError, ModelMismatchError
from qa.build import build_index
from qa.index import load_index

from .conftest import ROOT, FakeEmbedder


def test_build_writes_a_complete_index(fake_config, fake_embedder):
    summary = build_index(fake_config, fake_embedder, log=lambda m: None)
    assert summary.documents == 1 and summary.chunks >= 10 and summary.reused == 0
    index = load_index(fake_config.index_dir, expected_model_id=fake_embedder.model_id,
                       corpus_dir=fake_config.corpus_dir)
    manifest = index.manifest
    assert manifest["format_version"] == 3 and manifest["model"]["dimension"] == 256
    assert manifest["chunking"] == {"min_chars": 150, "max_chars": 300, "overlap_sentences": 1}
    assert len(manifest["documents"][0]["content_hash"]) == 64
    assert manifest["counts"]["chunks"] == len(index.chunks)
    assert manifest["counts"]["sentences"] == len(index.sentences) == index.dense.ntotal
    # every sentence lies whole in at least one chunk
    assert all(index.sentence_chunks[row] for row in range(len(index.sentences)))
    assert manifest["dense_index"]["type"] == "flat" and "built_at" in manifest
    assert index.warnings == []
    assert sorted(p.name for p in fake_config.index_dir.iterdir()) == [
        "chunks.jsonl", "dense.faiss", "documents.jsonl", "lexical", "manifest.json",
            "sentences.jsonl", "vectors.npy"]


def test_rebuild_embeds_only_the_changed_document(fake_config, fake_embedder):
    (fake_config.corpus_dir / "附录.md").write_text("# 附录\n\n本附录说明统计口径。数据截至2020年底。",
                                                   encoding="utf-8")
    build_index(fake_config, fake_embedder, log=lambda m: None)
    first = load_index(fake_config.index_dir)
    appendix_sentences = [s for s in first.sentences if s.doc_id == "附录.md"]

    fake_embedder.embedded.clear()
    (fake_config.corpus_dir / "附录.md").write_text("# 附录\n\n本附录说明统计口径。数据截至2020年12月31日。",
                                                   encoding="utf-8")
    summary = build_index(fake_config, fake_embedder, log=lambda m: None)
    # Only what changed is embedded again: here the one edited sentence of the appendix.
    assert fake_embedder.embedded == ["数据截至2020年12月31日。"]
    assert summary.embedded == 1 and summary.reused == len(first.sentences) - 1
    assert len(appendix_sentences) == 3
    second = load_index(fake_config.index_dir)
    report_rows = [i for i, s in enumerate(second.sentences) if s.doc_id != "附录.md"]
    assert np.array_equal(second.vectors[report_rows], first.vectors[report_rows])


def test_failed_build_leaves_the_old_index_whole(fake_config, fake_embedder, monkeypatch):
    build_index(fake_config, fake_embedder, log=lambda m: None)
    before = (fake_config.index_dir / "manifest.json").read_text(encoding="utf-8")
    (fake_config.corpus_dir / "new.txt").write_text("新文件的一句话。", encoding="utf-8")

    def explode(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(index_module.LexicalIndex, "save", explode)
    with pytest.raises(OSError):
        build_index(fake_config, FakeEmbedder(), log=lambda m: None)
    assert (fake_config.index_dir / "manifest.json").read_text(encoding="utf-8") == before
    assert load_index(fake_config.index_dir).manifest["counts"]["documents"] == 1
    assert not list(fake_config.index_dir.parent.glob("index.tmp-*"))


def test_killed_build_leaves_the_old_index_loadable(fake_config, fake_embedder, tmp_path):
    """A real SIGKILL in the middle of writing the new index."""
    build_index(fake_config, fake_embedder, log=lambda m: None)
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from tests.conftest import FakeEmbedder
        from qa import build as ix
        from qa.config import Config
        real_save = ix.np.save
        def save_then_die(*a, **k):
            real_save(*a, **k)
            os.kill(os.getpid(), signal.SIGKILL)
        ix.np.save = save_then_die
        ix.build_index(Config(corpus_dir={str(fake_config.corpus_dir)!r},
                              index_dir={str(fake_config.index_dir)!r}), FakeEmbedder(), log=print)
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path)
    assert result.returncode == -signal.SIGKILL
    assert load_index(fake_config.index_dir).manifest["counts"]["documents"] == 1


def test_interrupted_swap_is_recovered(fake_config, fake_embedder):
    build_index(fake_config, fake_embedder, log=lambda m: None)
    old = fake_config.index_dir.with_name("index.old-12345")
    os.replace(fake_config.index_dir, old)  # as if killed between the two renames
    assert load_index(fake_config.index_dir).chunks


def test_loading_problems_name_the_fix(fake_config, fake_embedder):
    with pytest.raises(IndexMissingError, match="qa build"):
        load_index(fake_config.index_dir)
    build_index(fake_config, fake_embedder, log=lambda m: None)
    with pytest.raises(ModelMismatchError, match="test/fake-char-hash.*other-model.*qa build"):
        load_index(fake_config.index_dir, expected_model_id="other-model")

    (fake_config.index_dir / "vectors.npy").write_bytes(b"garbage")
    with pytest.raises(IndexCorruptError, match="qa build"):
        load_index(fake_config.index_dir)
    (fake_config.index_dir / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="manifest.json 已损坏"):
        load_index(fake_config.index_dir)
    (fake_config.index_dir / "manifest.json").unlink()
    with pytest.raises(IndexCorruptError, match="缺少 manifest.json"):
        load_index(fake_config.index_dir)


def test_missing_file_is_named(fake_config, fake_embedder):
    build_index(fake_config, fake_embedder, log=lambda m: None)
    shutil.rmtree(fake_config.index_dir / "lexical")
    with pytest.raises(IndexCorruptError, match="缺少文件 lexical"):
        load_index(fake_config.index_dir)


def test_stale_corpus_is_a_warning_and_the_old_index_still_answers(fake_config, fake_embedder):
    build_index(fake_config, fake_embedder, log=lambda m: None)
    report = next(fake_config.corpus_dir.glob("*.txt"))
    report.write_text(report.read_text(encoding="utf-8") + "\n新增一句。", encoding="utf-8")
    (fake_config.corpus_dir / "extra.md").write_text("另一份报告。", encoding="utf-8")
    logged = []
    engine = Engine.open(fake_config, embedder=fake_embedder, log=logged.append)
    assert any("被修改" in m for m in logged) and any("extra.md" in m for m in logged)
    assert engine.search("专利申请量", k=3)


def test_large_corpora_get_an_approximate_index(fake_config, fake_embedder):
    summary = build_index(fake_config.replace(flat_index_max=5), fake_embedder, log=lambda m: None)
    assert summary.dense_index == "hnsw"
    index = load_index(fake_config.index_dir)
    assert index.manifest["dense_index"]["type"] == "hnsw"
    assert index.dense.ntotal == len(index.sentences)


def test_index_files_are_plain_json_and_numpy(fake_config, fake_embedder):
    build_index(fake_config, fake_embedder, log=lambda m: None)
    lines = (fake_config.index_dir / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert set(first) == {"id", "doc_id", "section", "start", "end", "text"}
    assert "高光时刻" in lines[0]  # UTF-8, not \\u escapes
    np.load(fake_config.index_dir / "vectors.npy", allow_pickle=False)


def test_a_skipped_binary_file_does_not_make_the_index_stale(fake_config, fake_embedder):
    (fake_config.corpus_dir / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 20)
    warnings = []
    build_index(fake_config, fake_embedder, log=warnings.append)
    assert any("scan.txt" in w for w in warnings)
    assert load_index(fake_config.index_dir, corpus_dir=fake_config.corpus_dir).warnings == []
