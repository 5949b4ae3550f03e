"""Sentence-aware chunking with character offsets into the cleaned document.

Chunks never cross a section, hold 150–300 characters of whole sentences, and overlap by one
sentence so a fact on a boundary is whole in at least one chunk. A sentence is cut only when it
alone is longer than the maximum. Invariant: `doc.text[chunk.start:chunk.end] == chunk.text`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .corpus import Document
from .normalize import is_blank

# A sentence ends after 。！？!?；; or …… (plus any closing quotes/brackets), or at a line end.
_SENTENCE_END = re.compile(r"(?:[。！？!?；;]|…+)[”’」』）)]*|\n")
# Where an over-long sentence may be cut: after a clause mark.
_CLAUSE_END = re.compile(r"[，,、：:]")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """The unit of dense retrieval: a sentence (or a piece of an over-long one) of a document."""
    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Chunk:
    id: str
    doc_id: str
    section: str
    start: int
    end: int
    text: str


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of text[start:end], trimmed of surrounding whitespace, as absolute spans."""
    end = len(text) if end is None else end
    spans = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        spans.append(Span(cursor, match.end()))
        cursor = match.end()
    spans.append(Span(cursor, end))
    return [s for s in (_trim(text, s) for s in spans) if s.end > s.start]


def _trim(text: str, span: Span) -> Span:
    """Without the spaces and invisible marks around it (a U+200C after a paragraph's 。 in a
    Word file would be a sentence of its own that shows nothing)."""
    start, end = span.start, span.end
    while start < end and is_blank(text[start]):
        start += 1
    while end > start and is_blank(text[end - 1]):
        end -= 1
    return Span(start, end)


def _split_long(text: str, span: Span, max_chars: int) -> list[Span]:
    """Cut a sentence longer than max_chars at clause marks, hard-cutting only as a last resort."""
    pieces = []
    start = span.start
    while span.end - start > max_chars:
        window_end = start + max_chars
        cuts = [m.end() for m in _CLAUSE_END.finditer(text, start + max_chars // 2, window_end)]
        cut = cuts[-1] if cuts else window_end
        pieces.append(Span(start, cut))
        start = cut
    pieces.append(Span(start, span.end))
    return pieces


def _section_sentences(doc: Document, section, max_chars: int) -> list[Span]:
    return [piece for s in sentence_spans(doc.text, section.start, section.end)
            for piece in _split_long(doc.text, s, max_chars)]


def document_sentences(doc: Document, max_chars: int = 300) -> list[Sentence]:
    """The sentences the chunks are made of, in order; every one lies whole inside a chunk."""
    return [Sentence(doc.id, s.start, s.end, doc.text[s.start:s.end])
            for section in doc.sections for s in _section_sentences(doc, section, max_chars)]


def chunk_document(doc: Document, min_chars: int = 150, max_chars: int = 300,
                   overlap_sentences: int = 1) -> list[Chunk]:
    chunks: list[Chunk] = []
    for section in doc.sections:
        sentences = _section_sentences(doc, section, max_chars)
        for first, last in _windows(sentences, min_chars, max_chars, overlap_sentences):
            start, end = sentences[first].start, sentences[last].end
            chunks.append(Chunk(f"{doc.id}#{len(chunks)}", doc.id, section.title,
                                start, end, doc.text[start:end]))
    return chunks


def _windows(sentences: list[Span], min_chars: int, max_chars: int,
             overlap: int) -> Iterator[tuple[int, int]]:
    """Index ranges [first, last] of sentences, each window as long as fits in max_chars."""
    first = 0
    n = len(sentences)
    while first < n:
        last = first
        while (last + 1 < n
               and sentences[last + 1].end - sentences[first].start <= max_chars):
            last += 1
        yield first, last
        if last + 1 >= n:
            return
        # Next window starts `overlap` sentences back, unless that would leave no room to advance
        # or the window was too short to be worth repeating (then there is nothing to overlap).
        nxt = max(last + 1 - overlap, first + 1)
        if sentences[last + 1].end - sentences[nxt].start > max_chars:
            nxt = last + 1
        first = nxt
