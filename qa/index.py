"""The index directory: build it from the corpus, save it atomically, load it with checks.

index/
  manifest.json   format version, model id and dimension, chunking parameters, one content
                  hash per document, counts, dense index type, build time, package version
  chunks.jsonl    one chunk a line (id, doc_id, section, start, end, text): what BM25 ranks and
                  what is shown as a passage
  sentences.jsonl one sentence a line (doc_id, start, end, text): the unit of dense retrieval
  vectors.npy     float32 [sentences x dimension], L2-normalised (kept so unchanged documents
                  are not re-embedded on the next build)
  dense.faiss     FAISS inner-product index over the vectors (flat, or HNSW when large)

Sentences, not chunks, are embedded: a question usually matches one sentence, a sentence vector
is not diluted by its neighbours (on the question set, dense sentence@3 = 0.86 for paraphrases),
and the answerer reuses the same vectors to pick the supporting sentence. A chunk's dense score
is the best score of its sentences. Sentences hold about the same text as the chunks (less the
overlap), so embedding them costs no more.
  lexical/        bm25s files (numpy arrays + JSON, no pickle)
  documents.jsonl one document a line: its clean text, sections, pages and what it is about
                  (title, place, years; metadata.py), so quotes and checks can look around a
                  sentence
"""
from __future__ import annotations

import bisect
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .chunking import Chunk, Sentence
from .corpus import Document, Section, corpus_files, file_sha256
from .errors import IndexCorruptError, IndexMissingError, ModelMismatchError
from .lexical import LexicalIndex
from .language import PROVINCES
from .metadata import DocumentInfo, category_names
from .normalize import fold, is_cjk, to_simplified

FORMAT_VERSION = 3
MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
SENTENCES = "sentences.jsonl"
VECTORS = "vectors.npy"
DENSE = "dense.faiss"
LEXICAL = "lexical"
DOCUMENTS = "documents.jsonl"
HNSW_NEIGHBOURS = 32
HNSW_EF_SEARCH = 128
TRADITIONAL_SHARE = 0.1


@dataclass
class Index:
    directory: Path
    manifest: dict
    chunks: list[Chunk]
    sentences: list[Sentence]
    vectors: np.ndarray    # one row per sentence
    dense: object          # faiss.Index over the sentence vectors
    lexical: LexicalIndex
    warnings: list[str]    # e.g. the corpus changed since the build
    documents: dict[str, Document]
    info: dict[str, DocumentInfo]   # what each document is about (place, years)

    def __post_init__(self):
        # Which chunks hold each sentence (one or two: chunks overlap), and each sentence's row.
        self.sentence_chunks: list[list[int]] = [[] for _ in self.sentences]
        self.sentence_rows: dict[tuple[str, int, int], int] = {}
        by_doc: dict[str, list[int]] = {}
        for i, chunk in enumerate(self.chunks):
            by_doc.setdefault(chunk.doc_id, []).append(i)
        for row, sentence in enumerate(self.sentences):
            self.sentence_rows[(sentence.doc_id, sentence.start, sentence.end)] = row
            for i in by_doc.get(sentence.doc_id, ()):
                chunk = self.chunks[i]
                if chunk.start <= sentence.start and sentence.end <= chunk.end:
                    self.sentence_chunks[row].append(i)
        self._chunk_rows: dict[str, list[int]] = {}
        for row, chunk_ids in enumerate(self.sentence_chunks):
            for i in chunk_ids:
                self._chunk_rows.setdefault(self.chunks[i].id, []).append(row)

    def chunk_sentences(self, chunk: Chunk) -> list[int]:
        """Rows of the sentences a chunk holds, in order."""
        return self._chunk_rows.get(chunk.id, [])

    def sentence_row_at(self, doc_id: str, offset: int) -> int | None:
        """The row of the sentence of `doc_id` that holds `offset`, or None."""
        rows = self._document_sentence_rows.get(doc_id, [])
        starts = [self.sentences[r].start for r in rows]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and offset < self.sentences[rows[i]].end:
            return rows[i]
        return None

    @functools.cached_property
    def _document_sentence_rows(self) -> dict[str, list[int]]:
        rows: dict[str, list[int]] = {}
        for row, sentence in enumerate(self.sentences):
            rows.setdefault(sentence.doc_id, []).append(row)
        return rows

    def previous_sentence(self, row: int) -> Sentence | None:
        """The sentence before this one in the same section, or None."""
        if row == 0:
            return None
        sentence, before = self.sentences[row], self.sentences[row - 1]
        if before.doc_id != sentence.doc_id or \
                self.section_at(sentence.doc_id, before.start) != \
                self.section_at(sentence.doc_id, sentence.start):
            return None
        return before

    def document_text(self, doc_id: str) -> str:
        return self.documents[doc_id].text

    @functools.cached_property
    def _folded_texts(self) -> tuple[str, ...]:
        return tuple(fold(d.text) for d in self.documents.values())

    def says(self, phrase: str) -> bool:
        """Whether some document says this (folded) phrase word for word."""
        return any(phrase in text for text in self._folded_texts)

    @functools.cached_property
    def traditional(self) -> bool:
        """Whether the corpus is written in traditional characters: a tenth or more of the
        Chinese characters of a sample (the start of up to 20 documents) change when simplified
        (about 3 in 10 do in traditional prose, none in simplified)."""
        docs = list(self.documents.values())
        sample = "".join(d.text[:1000] for d in docs[::max(1, len(docs) // 20)])
        chinese = [i for i, ch in enumerate(sample) if is_cjk(ch)]
        simplified = to_simplified(sample)
        changed = sum(sample[i] != simplified[i] for i in chinese)
        return bool(chinese) and changed >= TRADITIONAL_SHARE * len(chinese)

    def section_at(self, doc_id: str, offset: int) -> Section:
        return self.documents[doc_id].section_at(offset)

    def section_title(self, doc_id: str, offset: int) -> str:
        return self.section_at(doc_id, offset).title

    def page_at(self, doc_id: str, offset: int) -> int | None:
        """The 1-based page an offset stands on, for paged files; None otherwise."""
        return self.documents[doc_id].page_at(offset)

    @functools.cached_property
    def place_names(self) -> dict[str, str]:
        """Every name of a place the corpus's documents are about → that place; a kind of
        place (高新区) names the one place of that kind."""
        names = category_names(info.place for info in self.info.values() if info.place)
        names.update({name: info.place for info in self.info.values()
                      for name in info.place_names})
        return names

    def chunk_mask(self, documents: set[str]) -> np.ndarray:
        """True for the chunks of these documents."""
        return np.array([c.doc_id in documents for c in self.chunks], dtype=bool)

    def document_rows(self, documents: set[str]) -> np.ndarray:
        """Rows of the sentences of these documents."""
        return np.array([row for doc_id in sorted(documents)
                         for row in self._document_sentence_rows.get(doc_id, [])], dtype=np.int64)

    def documents_about(self, places: tuple[str, ...], years: tuple[int, ...] = ()) -> set[str]:
        """Ids of the documents a question about these places and years should be answered
        from: those about the places (all, when none is named), narrowed to those mostly about
        one of the years when that leaves any; empty means no narrowing at all."""
        regions = {PROVINCES[p] for p in places if p in PROVINCES}  # 河南省: its cities' too
        chosen = {d for d, info in self.info.items()
                  if info.place in places or (info.region and info.region in regions)}
        # 郑州 names a city: its province's report speaks of it too.
        above = {self.info[d].region for d in chosen if self.info[d].place not in PROVINCES}
        chosen |= {d for d, info in self.info.items()
                   if info.place in PROVINCES and info.region in above - {""}}
        pool = chosen or set(self.info)
        dated = {d for d in pool if set(self.info[d].years) & set(years)}
        if dated and dated != pool:
            return dated
        return chosen

    @property
    def model_id(self) -> str:
        return self.manifest["model"]["id"]


def file_hash(path: Path) -> str:
    return file_sha256(path)


def _recover_interrupted_swap(index_dir: Path) -> None:
    """A kill between the two renames of a swap leaves only `<index>.old-*`: put it back."""
    if index_dir.exists():
        return
    leftovers = sorted(index_dir.parent.glob(f"{index_dir.name}.old-*"), key=os.path.getmtime)
    if leftovers and (leftovers[-1] / MANIFEST).exists():
        os.replace(leftovers[-1], index_dir)


# ---------------------------------------------------------------- loading


def load_index(index_dir: Path, expected_model_id: str | None = None,
               corpus_dir: Path | None = None) -> Index:
    """Load and check an index. Raises a QAError naming the problem and the fix; a corpus that
    changed since the build is only a warning (the index still answers from the old text)."""
    import faiss

    index_dir = Path(index_dir)
    _recover_interrupted_swap(index_dir)
    fix = "请运行 `qa build` 重建索引"
    if not (index_dir / MANIFEST).exists():
        if not index_dir.exists() or not any(index_dir.iterdir()):
            raise IndexMissingError(f"索引目录 {index_dir} 还没有索引：请先运行 `qa build`")
        raise IndexCorruptError(f"索引 {index_dir} 缺少 {MANIFEST}：{fix}")
    try:
        manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        version = manifest["format_version"]
        model = manifest["model"]
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexCorruptError(f"索引 {index_dir} 的 {MANIFEST} 已损坏（{exc}）：{fix}") from None
    if version != FORMAT_VERSION:
        raise IndexCorruptError(
            f"索引 {index_dir} 的格式版本为 {version}，本程序需要 {FORMAT_VERSION}：{fix}")
    if expected_model_id is not None and model["id"] != expected_model_id:
        raise ModelMismatchError(
            f"索引 {index_dir} 由模型 {model['id']} 构建，但当前配置的是 {expected_model_id}："
            f"{fix}（或用 --model 指定构建时的模型）")

    for name in (CHUNKS, SENTENCES, VECTORS, DENSE, LEXICAL, DOCUMENTS):
        if not (index_dir / name).exists():
            raise IndexCorruptError(f"索引 {index_dir} 缺少文件 {name}：{fix}")
    try:
        chunks = _read_jsonl(index_dir / CHUNKS, Chunk)
        sentences = _read_jsonl(index_dir / SENTENCES, Sentence)
        vectors = np.load(index_dir / VECTORS, allow_pickle=False)
        dense = faiss.read_index(str(index_dir / DENSE))
        lexical = LexicalIndex.load(index_dir / LEXICAL)
        with open(index_dir / DOCUMENTS, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        documents = {row["id"]: Document.from_json(row) for row in rows}
        info = {row["id"]: DocumentInfo.from_json({"id": row["id"], "title": row["title"],
                                                   **row.get("info", {})}) for row in rows}
    except Exception as exc:  # any unreadable file means the same thing to the user
        raise IndexCorruptError(
            f"索引 {index_dir} 的文件无法读取（{type(exc).__name__}: {exc}）：{fix}") from None
    counts = manifest.get("counts", {})
    n = len(sentences)
    if (len(chunks) != counts.get("chunks") or n != counts.get("sentences")
            or vectors.shape != (n, model["dimension"]) or dense.ntotal != n):
        raise IndexCorruptError(f"索引 {index_dir} 的文件彼此不一致（片段数不符）：{fix}")
    if manifest["dense_index"]["type"] == "hnsw":
        faiss.downcast_index(dense).hnsw.efSearch = HNSW_EF_SEARCH
    warnings = stale_reasons(manifest, corpus_dir) if corpus_dir is not None else []
    return Index(index_dir, manifest, chunks, sentences, vectors, dense, lexical, warnings,
                 documents, info)


def _read_jsonl(path: Path, record):
    with open(path, encoding="utf-8") as f:
        return [record(**json.loads(line)) for line in f if line.strip()]


def stale_reasons(manifest: dict, corpus_dir: Path) -> list[str]:
    """What changed in the corpus since the build, one line each (empty when up to date)."""
    built = {d["id"]: d["content_hash"] for d in manifest.get("documents", [])}
    corpus_dir = Path(corpus_dir)
    try:
        files = corpus_files(corpus_dir)
    except Exception:
        return [f"语料目录 {corpus_dir} 不存在，索引无法核对是否最新"]
    current = {p.relative_to(corpus_dir).as_posix(): p for p in files}
    reasons = []
    skipped = {doc_id: why["content_hash"] if isinstance(why, dict) else why
               for doc_id, why in manifest.get("skipped", {}).items()}
    for doc_id in sorted(current.keys() - built.keys()):
        if skipped.get(doc_id) != file_hash(current[doc_id]):
            reasons.append(f"新增文件 {doc_id} 尚未建入索引")
    for doc_id in sorted(built.keys() - current.keys()):
        reasons.append(f"文件 {doc_id} 已删除，但仍在索引中")
    for doc_id in sorted(current.keys() & built.keys()):
        if file_hash(current[doc_id]) != built[doc_id]:
            reasons.append(f"文件 {doc_id} 在建索引后被修改")
    if reasons:
        reasons.append("索引已过期，请运行 `qa build` 更新（暂时仍用旧索引回答）")
    return reasons

