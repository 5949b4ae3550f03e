"""Managing `corpus/` without a shell (the web page's document panel uses it): add uploaded
files, delete one, list what the index holds, and say how `corpus/` differs from the index.

    admin = CorpusAdmin(config)
    admin.add([("/tmp/upload/河南.pdf", "河南.pdf")])   # read first, then saved under a safe name
    admin.delete("河南.pdf")
    admin.documents(index)      # name, kind, pages, sections, chunks, when added; skipped files too
    admin.differences(index)    # what changed in corpus/ since the index was built

A file is read (parsed) before it is saved, so one that cannot be read never enters `corpus/`
and never replaces a good one; saving writes a hidden temporary file and renames it into place.
The index itself is rebuilt by the caller (`Engine.rebuild`), which reads only what changed.
"""
from __future__ import annotations

import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .config import Config
from .corpus import corpus_files, file_sha256, read_document
from .errors import QAError, UnreadableFileError
from .formats import SUFFIXES, UNSUPPORTED, Limits, check_size

_UNSAFE = re.compile(r'[<>:"/\\|?*]')
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)
_MAX_STEM = 100
KINDS = {".pdf": "PDF", ".docx": "Word", ".txt": "文本", ".md": "Markdown"}


@dataclass(frozen=True)
class Added:
    name: str               # as uploaded
    doc_id: str | None      # the file's name in corpus/, None when it was refused
    message: str            # one line for people: 已添加 … / 已替换 … / 未添加 …：why and what to do

    @property
    def ok(self) -> bool:
        return self.doc_id is not None


@dataclass(frozen=True)
class DocumentRow:
    doc_id: str
    kind: str               # PDF, Word, 文本, Markdown
    pages: int | None       # None for a file without pages
    sections: int | None
    chunks: int | None
    added_at: str           # local time, or "" for a file that is not indexed
    status: str             # 已索引, or why it is not


def safe_name(name: str) -> str:
    """A file name that is safe to create in corpus/: no folders, no characters a file system
    refuses, not hidden, a report suffix. Raises UnreadableFileError for another suffix."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(_UNSAFE.sub("_", name).split())
    stem, dot, suffix = name.rpartition(".")
    suffix = f".{suffix.lower().strip()}" if dot else ""
    if suffix in UNSUPPORTED:
        raise UnreadableFileError(UNSUPPORTED[suffix])
    if suffix not in SUFFIXES:
        raise UnreadableFileError(f"不支持 {suffix or '无扩展名的'} 文件：请上传 .pdf、.docx、.txt 或 .md")
    stem = stem.strip(" .")[:_MAX_STEM].strip(" .") or "报告"
    if _RESERVED.match(stem):
        stem = f"_{stem}"
    return stem + suffix


class CorpusAdmin:
    def __init__(self, config: Config):
        self.config = config
        self.corpus_dir = Path(config.corpus_dir)
        self.limits = Limits.from_config(config)

    def add(self, files: list[tuple[Path | str, str]]) -> list[Added]:
        """Read each (path, name as uploaded) and save the readable ones into corpus/."""
        self.corpus_dir.mkdir(parents=True, exist_ok=True)
        return [self._add_one(Path(path), name) for path, name in files]

    def _add_one(self, path: Path, name: str) -> Added:
        try:
            doc_id = safe_name(name)
            check_size(path.stat().st_size, self.limits)
            data = path.read_bytes()
            doc, notes = read_document(doc_id, data, doc_id, limits=self.limits)
        except UnreadableFileError as exc:
            return Added(name, None, f"未添加 {name}：{exc}")
        except OSError as exc:
            return Added(name, None, f"未添加 {name}：上传的文件无法读取（{exc.strerror}），请重新上传")
        target = self.corpus_dir / doc_id
        existed = target.exists()
        if existed and file_sha256(target) == doc.content_hash:
            return Added(name, doc_id, f"{doc_id} 已在语料中，内容相同，未改动")
        tmp = self.corpus_dir / f".upload-{uuid.uuid4().hex}.tmp"
        try:
            tmp.write_bytes(data)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        pages = f"，{len(doc.pages)} 页" if doc.pages else ""
        what = "已替换" if existed else "已添加"
        message = f"{what} {doc_id}（{len(doc.text):,} 字{pages}，{len(doc.sections)} 个章节）"
        if doc_id != name:
            message += f"，文件名改为 {doc_id}"
        for note in notes:
            message += f"；注意：{note}"
        return Added(name, doc_id, message)

    def delete(self, doc_id: str) -> Path:
        """Remove one report file from corpus/ (not the last readable one)."""
        path = self._path_of(doc_id)
        readable = [p for p in corpus_files(self.corpus_dir)
                    if p != path and p.suffix.lower() in SUFFIXES]
        if path.suffix.lower() in SUFFIXES and not readable:
            raise QAError(f"{doc_id} 是语料中唯一的报告，不能删除：请先上传别的报告")
        path.unlink()
        return path

    def _path_of(self, doc_id: str) -> Path:
        root = self.corpus_dir.resolve()
        path = (self.corpus_dir / doc_id).resolve()
        if root not in path.parents or path not in [p.resolve() for p in
                                                    corpus_files(self.corpus_dir)]:
            raise QAError(f"语料中没有文件 {doc_id}：请刷新列表后再试")
        return self.corpus_dir / path.relative_to(root)

    def documents(self, index) -> list[DocumentRow]:
        """What the index holds, then the files it could not read, then files not built yet."""
        manifest = index.manifest if index is not None else {"documents": [], "skipped": {}}
        rows = []
        for entry in manifest["documents"]:
            doc = index.documents.get(entry["id"])
            rows.append(DocumentRow(
                entry["id"], _kind(entry["id"]), len(doc.pages) or None if doc else None,
                len(doc.sections) if doc else entry.get("sections"), entry.get("chunks"),
                _local_time(entry.get("added_at") or manifest.get("built_at", "")), "已索引"))
        for doc_id, why in sorted(manifest.get("skipped", {}).items()):
            reason = why["reason"] if isinstance(why, dict) else "无法读取"
            rows.append(DocumentRow(doc_id, _kind(doc_id), None, None, None, "",
                                    f"无法读取：{reason}"))
        known = {row.doc_id for row in rows}
        for path in corpus_files(self.corpus_dir) if self.corpus_dir.is_dir() else []:
            doc_id = path.relative_to(self.corpus_dir).as_posix()
            if doc_id not in known:
                rows.append(DocumentRow(doc_id, _kind(doc_id), None, None, None, "",
                                        "尚未建入索引"))
        return rows

    def differences(self, index) -> list[str]:
        """How corpus/ differs from the index, one line each; [] when they agree."""
        from .index import stale_reasons

        if index is None:
            return ["还没有索引：请添加报告"]
        return stale_reasons(index.manifest, self.corpus_dir)


def _kind(doc_id: str) -> str:
    suffix = Path(doc_id).suffix.lower()
    return KINDS.get(suffix, suffix.lstrip(".") or "?")


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return ""
