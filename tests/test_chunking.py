"""Chunks: sentence-aware, sized, overlapping, with exact offsets."""
import pytest

from qa.chunking import chunk_document, sentence_spans
from qa.corpus import load_corpus, make_document

from .conftest import REPORT


@pytest.fixture(scope="module")
def report():
    return load_corpus(REPORT.parent, warn=lambda m: None)[0]


def test_offsets_hold_over_the_whole_report(report):
    chunks = chunk_document(report)
    assert len(chunks) >= 10
    for chunk in chunks:
        assert report.text[chunk.start:chunk.end] == chunk.text
        assert chunk.doc_id == report.id


def test_sizes_and_sections(report):
    chunks = chunk_document(report, 150, 300, 1)
    for chunk in chunks:
        assert len(chunk.text) <= 300
        section = report.section_at(chunk.start)
        assert chunk.section == section.title and chunk.end <= section.end
    # Only the last chunk of a section may fall short of the minimum.
    for a, b in zip(chunks, chunks[1:]):
        if a.section == b.section:
            assert len(a.text) >= 150 or len(a.text) + len(b.text) > 300


def test_consecutive_chunks_share_one_sentence_when_it_fits(report):
    chunks = chunk_document(report, 150, 300, 1)
    for a, b in zip(chunks, chunks[1:]):
        if a.section != b.section:
            continue
        last = [s for s in sentence_spans(report.text, a.start, a.end)][-1]
        if b.start < a.end:
            assert b.start == last.start, (a.id, b.id)  # exactly the last sentence repeats
        else:
            first = sentence_spans(report.text, b.start, b.end)[0]
            assert first.end - last.start > 300  # repeating it would overflow the maximum


def test_every_sentence_is_in_some_chunk_whole(report):
    chunks = chunk_document(report)
    for s in sentence_spans(report.text):
        if s.end - s.start <= 300:
            assert any(c.start <= s.start and s.end <= c.end for c in chunks), report.text[s.start:s.end]


def test_sentence_ends_include_closing_quotes():
    text = "他说：“好。”然后走了。"
    assert [text[s.start:s.end] for s in sentence_spans(text)] == ["他说：“好。”", "然后走了。"]


def test_only_an_overlong_sentence_is_split():
    long_sentence = "，".join(["这是一个很长的分句"] * 60) + "。"
    doc = make_document("x.txt", "短句一。" + long_sentence + "短句二。", "h")
    chunks = chunk_document(doc, 150, 300, 1)
    assert all(len(c.text) <= 300 for c in chunks)
    assert "".join(c.text for c in chunks).count("短句二。") >= 1
    for c in chunks:
        assert doc.text[c.start:c.end] == c.text
