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
import shutil
import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from . import __version__
from .chunking import Chunk, Sentence, chunk_document, document_sentences
from .config import Config
from .cleaning import CLEANING_VERSION
from .corpus import Document, OnFile, Section, corpus_files, file_sha256, read_corpus
from .embedding import Embedder
from .errors import IndexCorruptError, IndexMissingError, ModelMismatchError
from .formats import Limits
from .lexical import LexicalIndex
from .language import PROVINCES
from .metadata import DocumentInfo, describe
from .normalize import fold

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

    def section_at(self, doc_id: str, offset: int) -> Section:
        return self.documents[doc_id].section_at(offset)

    def section_title(self, doc_id: str, offset: int) -> str:
        return self.section_at(doc_id, offset).title

    def page_at(self, doc_id: str, offset: int) -> int | None:
        """The 1-based page an offset stands on, for paged files; None otherwise."""
        return self.documents[doc_id].page_at(offset)

    @functools.cached_property
    def place_names(self) -> dict[str, str]:
        """Every name of a place the corpus's documents are about → that place."""
        return {name: info.place for info in self.info.values() for name in info.place_names}

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
        pool = chosen or set(self.info)
        dated = {d for d in pool if set(self.info[d].years) & set(years)}
        if dated and dated != pool:
            return dated
        return chosen

    @property
    def model_id(self) -> str:
        return self.manifest["model"]["id"]


@dataclass(frozen=True)
class BuildSummary:
    documents: int
    chunks: int
    reused: int
    embedded: int
    seconds: float
    dense_index: str
    read: int = 0                  # files read (new or changed); the others came from the index
    skipped: tuple[str, ...] = ()  # one line per file that could not be read: name and reason

    def line(self) -> str:
        line = (f"索引已建成：{self.documents} 个文档（新读取 {self.read}），{self.chunks} 个片段"
                f"（句向量复用 {self.reused}，新嵌入 {self.embedded}），"
                f"{self.dense_index} 向量索引，用时 {self.seconds:.1f} 秒")
        if self.skipped:
            line += f"；{len(self.skipped)} 个文件无法读取，已跳过"
        return line


def indexed_text(chunk: Chunk) -> str:
    """What gets embedded and keyed: the chunk with its section title as context."""
    if chunk.text.startswith(chunk.section.split(" · ")[0]):
        return chunk.text
    return f"{chunk.section}\n{chunk.text}"


def file_hash(path: Path) -> str:
    return file_sha256(path)


# ---------------------------------------------------------------- building


def build_index(config: Config, embedder: Embedder, log: Callable[[str], None] = print,
                progress: Callable[[int], Callable[[int], None]] | None = None,
                on_file: OnFile | None = None) -> BuildSummary:
    """(Re)build `config.index_dir` from `config.corpus_dir`. Files whose bytes are unchanged
    are not read again, and sentences whose text is unchanged keep their stored vectors.
    `on_file(done, total, name)` follows the reading; `progress(total)` returns a callback fed
    with embedded counts. Files that cannot be read are skipped, named in `log` and recorded
    in the manifest with the reason."""
    started = time.perf_counter()
    chunking = {"min_chars": config.chunk_min_chars, "max_chars": config.chunk_max_chars,
                "overlap_sentences": config.chunk_overlap_sentences}
    old = _previous_index(config.index_dir, embedder, log)
    read = read_corpus(config.corpus_dir, warn=log, limits=Limits.from_config(config),
                       reuse=_reusable_documents(old), on_file=on_file)
    documents = read.documents
    chunks: list[Chunk] = []
    sentences: list[Sentence] = []
    for doc in documents:
        chunks.extend(chunk_document(doc, **chunking))
        sentences.extend(document_sentences(doc, config.chunk_max_chars))

    previous = _reusable_vectors(old, chunking)
    # Each distinct new text is embedded once (reports repeat boilerplate sentences).
    todo = sorted({s.text for s in sentences if s.text not in previous})
    if todo:
        tick = progress(len(todo)) if progress else None
        fresh = embedder.embed_documents(todo, batch_size=config.embed_batch_size, progress=tick)
        previous.update(zip(todo, fresh))
    vectors = np.zeros((len(sentences), embedder.dimension), dtype=np.float32)
    for i, sentence in enumerate(sentences):
        vectors[i] = previous[sentence.text]

    dense_type = "flat" if len(sentences) <= config.flat_index_max else "hnsw"
    chunks_per_doc = Counter(c.doc_id for c in chunks)
    built_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    added = {d["id"]: d.get("added_at") for d in old.manifest["documents"]} if old else {}
    manifest = {
        "format_version": FORMAT_VERSION,
        "package_version": __version__,
        "built_at": built_at,
        "model": {"id": embedder.model_id, "dimension": embedder.dimension, "normalized": True},
        "chunking": chunking,
        "cleaning_version": CLEANING_VERSION,
        "dense_index": {"type": dense_type, "metric": "inner_product", "unit": "sentence",
                        **({"neighbours": HNSW_NEIGHBOURS} if dense_type == "hnsw" else {})},
        "lexical": {"library": "bm25s", "tokens": "char-unigram+bigram, folded"},
        "documents": [{"id": d.id, "title": d.title, "content_hash": d.content_hash,
                       "chunks": chunks_per_doc[d.id], "pages": len(d.pages),
                       "sections": len(d.sections), "chars": len(d.text),
                       "added_at": added.get(d.id) or built_at, **_about(d)} for d in documents],
        # Files that could not be read (named in a warning at build time), with the reason, so
        # that a later load does not report them as new every time and the page can show why.
        "skipped": read.skipped,
        "counts": {"documents": len(documents), "chunks": len(chunks),
                   "sentences": len(sentences)},
    }
    lexical = LexicalIndex.build([indexed_text(c) for c in chunks])
    dense = make_dense_index(vectors, dense_type)
    stored = [{**doc.to_json(), "info": describe(doc.id, doc.title, doc.text).to_json()}
              for doc in documents]
    manifest["build_seconds"] = round(time.perf_counter() - started, 3)
    _write_atomically(config.index_dir, manifest, chunks, sentences, vectors, dense, lexical,
                      stored)
    return BuildSummary(len(documents), len(chunks), len(sentences) - len(todo), len(todo),
                        time.perf_counter() - started, dense_type,
                        len(documents) - read.reused,
                        tuple(f"{name}：{why['reason']}" for name, why in read.skipped.items()))


def _about(doc: Document) -> dict:
    """What the manifest says a document is about (metadata.py): place, region, years."""
    info = describe(doc.id, doc.title, doc.text)
    return {"place": info.place, "region": info.region, "years": list(info.years)}


def make_dense_index(vectors: np.ndarray, kind: str = "flat"):
    import faiss

    dimension = vectors.shape[1]
    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(dimension, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        index = faiss.IndexFlatIP(dimension)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def _previous_index(index_dir: Path, embedder: Embedder, log) -> Index | None:
    """The index being replaced, when it was built with the same model."""
    try:
        return load_index(index_dir, expected_model_id=embedder.model_id)
    except (IndexMissingError, IndexCorruptError, ModelMismatchError) as exc:
        if not isinstance(exc, IndexMissingError):
            log(f"不复用旧索引：{exc}")
        return None


def _reusable_vectors(old: Index | None, chunking: dict) -> dict:
    """Vectors of the previous build keyed by sentence text, if compatible: a vector depends on
    the text alone, so a sentence keeps it when the text around it moves or repeats."""
    if old is None or old.manifest.get("chunking") != chunking:
        return {}
    return {s.text: old.vectors[i] for i, s in enumerate(old.sentences)}


def _reusable_documents(old: Index | None) -> dict[str, Document]:
    """Documents of the previous build by file hash, if read by the same cleaning code."""
    if old is None or old.manifest.get("cleaning_version") != CLEANING_VERSION:
        return {}
    return {doc.content_hash: doc for doc in old.documents.values()}


def _write_atomically(index_dir: Path, manifest, chunks, sentences, vectors, dense, lexical,
                      documents: list[dict]) -> None:
    """Write everything into a temporary sibling, then swap it in: a crash leaves the old index."""
    import faiss

    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = index_dir.with_name(f"{index_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for name, records in ((CHUNKS, chunks), (SENTENCES, sentences)):
            with open(tmp / name, "w", encoding="utf-8") as f:
                for record in records:
                    f.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
        with open(tmp / DOCUMENTS, "w", encoding="utf-8") as f:
            for row in documents:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        np.save(tmp / VECTORS, vectors, allow_pickle=False)
        faiss.write_index(dense, str(tmp / DENSE))
        lexical.save(tmp / LEXICAL)
        # The manifest goes last: a directory without one is never mistaken for an index.
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                    encoding="utf-8")
        _swap_in(tmp, index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap_in(new: Path, target: Path) -> None:
    old = target.with_name(f"{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


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

