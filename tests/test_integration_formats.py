"""End to end with the real model on a PDF and a Word report: the question's evidence is
retrieved, and every quote from a paged file cites the page its sentence starts on."""
from __future__ import annotations

import shutil

import pytest

from bench.typeset import report_blocks, typeset
from qa.config import Config
from qa.corpus import load_corpus

from .conftest import REPORT
from .test_formats_pdf import page_of_each_char
from .test_formats_word import HENAN, nonspace_pages

pytestmark = pytest.mark.integration
HEADER = "郑州高新区2020年工作回顾"


@pytest.fixture(scope="module")
def engine(tmp_path_factory, real_cache_dir):
    from qa.engine import Engine

    root = tmp_path_factory.mktemp("formats")
    corpus = root / "corpus"
    corpus.mkdir()
    report = load_corpus(REPORT.parent, warn=lambda m: None)[0]
    typeset(corpus / "高新区.pdf", report_blocks(report), header=HEADER, font_size=11)
    if HENAN.exists():
        shutil.copy(HENAN, corpus / HENAN.name)
    config = Config(corpus_dir=corpus, index_dir=root / "index", cache_dir=real_cache_dir)
    return Engine.open(config, log=lambda m: None, build_if_needed=True), corpus


def expected_page(pages: list[int], text: str, offset: int) -> int:
    return pages[len("".join(text[:offset].split()))]


def check_quotes(answer, doc_id, text, pages, evidence) -> None:
    quotes = [q for q in answer.quotes if q.doc_id == doc_id]
    assert any(evidence in q.sentence for q in quotes), [q.sentence for q in answer.quotes]
    for quote in quotes:
        assert text[quote.start:quote.end] == quote.sentence
        assert quote.page == expected_page(pages, text, quote.start), quote.sentence
        assert f"第{quote.page}页" in quote.source


def test_a_question_on_the_pdf_finds_its_sentence_and_page(engine):
    engine, corpus = engine
    question, evidence = "2020年高新区专利申请量达到多少件？", "专利申请量达到16284件"
    hits = engine.search(question, k=3)
    assert any(h.chunk.doc_id == "高新区.pdf" and evidence in h.chunk.text for h in hits)
    text = engine.index.document_text("高新区.pdf")
    pages = page_of_each_char(corpus / "高新区.pdf", drop={HEADER})
    check_quotes(engine.ask(question), "高新区.pdf", text, pages, evidence)


@pytest.mark.skipif(not HENAN.exists(), reason="../shared/data/reports is absent")
def test_a_question_on_the_word_report_finds_its_sentence_and_page(engine):
    engine, corpus = engine
    question, evidence = "2024年河南省粮食总产量是多少亿斤？", "粮食总产量1344亿斤"
    hits = [h for h in engine.search(question, k=3)
            if h.chunk.doc_id == HENAN.name and evidence in h.chunk.text]
    assert hits and hits[0].chunk.section == "一、2024 年工作回顾 · （四）乡村振兴有力有效"
    text = engine.index.document_text(HENAN.name)
    check_quotes(engine.ask(question), HENAN.name, text, nonspace_pages(HENAN), evidence)
