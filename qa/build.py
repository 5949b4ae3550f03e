"""Building the index: read the corpus, cut it into chunks and sentences, embed what is new,
and write the index directory atomically (a crash leaves the old index whole).

Sentences whose text is unchanged keep their stored vectors, and files whose content is
unchanged are not read again: a rebuild after adding one report embeds only that report.
The directory's files are described in index.py, which loads them.
"""
from __future__ import annotations

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
from .cleaning import CLEANING_VERSION
from .config import Config
from .corpus import Document, OnFile, read_corpus
from .embedding import Embedder
from .errors import IndexCorruptError, IndexMissingError, ModelMismatchError
from .formats import Limits
from .index import (CHUNKS, DENSE, DOCUMENTS, FORMAT_VERSION, HNSW_EF_SEARCH, HNSW_NEIGHBOURS,
                    LEXICAL, MANIFEST, SENTENCES, VECTORS, Index, load_index)
from .lexical import LexicalIndex
from .metadata import describe


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

    vectors, embedded = _sentence_vectors(sentences, _reusable_vectors(old, chunking), embedder,
                                          config.embed_batch_size, progress)
    dense_type = "flat" if len(sentences) <= config.flat_index_max else "hnsw"
    manifest = _manifest(embedder, chunking, dense_type, read, chunks, sentences, old)
    lexical = LexicalIndex.build([indexed_text(c) for c in chunks])
    dense = make_dense_index(vectors, dense_type)
    stored = [{**doc.to_json(), "info": describe(doc.id, doc.title, doc.text).to_json()}
              for doc in documents]
    manifest["build_seconds"] = round(time.perf_counter() - started, 3)
    _write_atomically(config.index_dir, manifest, chunks, sentences, vectors, dense, lexical,
                      stored)
    return BuildSummary(len(documents), len(chunks), len(sentences) - embedded, embedded,
                        time.perf_counter() - started, dense_type,
                        len(documents) - read.reused,
                        tuple(f"{name}：{why['reason']}" for name, why in read.skipped.items()))


def _sentence_vectors(sentences: list[Sentence], previous: dict, embedder: Embedder,
                      batch_size: int, progress) -> tuple[np.ndarray, int]:
    """A vector per sentence: the stored one when its text was embedded before, else a new one
    (each distinct new text once: reports repeat boilerplate sentences). Returns the vectors
    and how many texts were embedded."""
    todo = sorted({s.text for s in sentences if s.text not in previous})
    if todo:
        tick = progress(len(todo)) if progress else None
        fresh = embedder.embed_documents(todo, batch_size=batch_size, progress=tick)
        previous.update(zip(todo, fresh))
    vectors = np.zeros((len(sentences), embedder.dimension), dtype=np.float32)
    for i, sentence in enumerate(sentences):
        vectors[i] = previous[sentence.text]
    return vectors, len(todo)


def _manifest(embedder: Embedder, chunking: dict, dense_type: str, read, chunks: list[Chunk],
              sentences: list[Sentence], old: Index | None) -> dict:
    """manifest.json: format, model, chunking, dense index kind, and per document its hash,
    counts, when it was added and what it is about; the files that could not be read."""
    documents = read.documents
    chunks_per_doc = Counter(c.doc_id for c in chunks)
    built_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    added = {d["id"]: d.get("added_at") for d in old.manifest["documents"]} if old else {}
    return {
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
