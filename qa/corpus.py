"""Report files in `corpus/` → `Document`s with clean text, sections and pages.

Each file is read by its format (qa/formats: .txt, .md, .pdf, .docx) into blocks, which
qa/cleaning.py turns into one Document. A file that cannot be read is named in a warning with
what to do, and skipped; the others are read. A file whose bytes did not change since the last
build is not read again: its Document comes from the index (`reuse`).
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from .cleaning import assemble
from .document import Document, Section
from .errors import CorpusError, UnreadableFileError
from .formats import SUFFIXES, UNSUPPORTED, Limits, check_size, read_file
from .formats.text import text_blocks

__all__ = ["Document", "Section", "SUFFIXES", "corpus_files", "load_corpus", "read_corpus",
           "read_document", "make_document", "CorpusRead", "file_sha256"]

OnFile = Callable[[int, int, str], None]   # (files done, files in all, the file being read)


@dataclass
class CorpusRead:
    documents: list[Document]
    skipped: dict[str, dict] = field(default_factory=dict)   # id -> {content_hash, reason}
    reused: int = 0              # documents taken from the previous index, not read again


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The report files under `corpus_dir` (hidden files aside), readable or not."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"语料目录 {corpus_dir} 不存在：请创建它并放入报告文件（.txt/.md/.pdf/.docx）")
    kinds = set(SUFFIXES) | set(UNSUPPORTED)
    return sorted(p for p in corpus_dir.rglob("*")
                  if p.is_file() and p.suffix.lower() in kinds and not p.name.startswith("."))


def read_document(name: str, data: bytes, doc_id: str | None = None, title: str | None = None,
                  limits: Limits = Limits()) -> tuple[Document, list[str]]:
    """One file's Document and notes about it; UnreadableFileError when it cannot be read."""
    extracted = read_file(name, data, limits)
    doc = assemble(doc_id or name, extracted.blocks, hashlib.sha256(data).hexdigest(),
                   title or Path(name).stem, extracted.page_count)
    if not doc.text.strip():
        raise UnreadableFileError("文件里没有文字：请检查文件内容")
    return doc, extracted.notes


def read_corpus(corpus_dir: Path, warn: Callable[[str], None] = print,
                limits: Limits = Limits(), reuse: Mapping[str, Document] | None = None,
                on_file: OnFile | None = None) -> CorpusRead:
    """Every readable report under `corpus_dir`. `reuse` maps a file's sha256 to the Document
    read from it before: an unchanged file is not read again."""
    files = corpus_files(corpus_dir)
    result = CorpusRead([])
    for done, path in enumerate(files):
        doc_id = path.relative_to(corpus_dir).as_posix()
        if on_file:
            on_file(done, len(files), doc_id)
        try:
            check_size(path.stat().st_size, limits)
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if reuse and digest in reuse:
                result.documents.append(dataclasses.replace(reuse[digest], id=doc_id,
                                                            title=path.stem))
                result.reused += 1
                continue
            doc, notes = read_document(path.name, data, doc_id, path.stem, limits)
        except UnreadableFileError as exc:
            warn(f"跳过 {path}：{exc}")
            result.skipped[doc_id] = {"content_hash": file_sha256(path), "reason": str(exc)}
            continue
        for note in notes:
            warn(f"注意 {path}：{note}")
        result.documents.append(doc)
    if on_file:
        on_file(len(files), len(files), "")
    if not result.documents:
        raise CorpusError(f"语料目录 {corpus_dir} 中没有可用的报告文件（.txt/.md/.pdf/.docx）："
                          f"请放入至少一份报告")
    return result


def load_corpus(corpus_dir: Path, warn: Callable[[str], None] = print,
                limits: Limits = Limits()) -> list[Document]:
    """Every readable report under `corpus_dir`; unreadable files are named in a warning."""
    return read_corpus(corpus_dir, warn, limits).documents


def make_document(doc_id: str, raw: str, content_hash: str, title: str | None = None) -> Document:
    """A Document from text as written in a .txt or .md file."""
    return assemble(doc_id, text_blocks(raw), content_hash, title)


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in pieces (a file over the size limit is hashed too)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for piece in iter(lambda: f.read(1 << 20), b""):
            digest.update(piece)
    return digest.hexdigest()
