"""The command line with a PDF in the corpus: `qa build` names the files it skips, and the page
of every quote is in `qa ask` (text and --json), `qa search --json` and `qa eval --output`."""
from __future__ import annotations

import json

import pytest

from bench.typeset import report_blocks, typeset
from qa import cli, engine as engine_module
from qa.answer import Answer, Quote
from qa.corpus import load_corpus
from qa.engine import Engine

from .conftest import REPORT

SENTENCE = "专利申请量达到16284件"


@pytest.fixture
def pdf_corpus(tmp_path, fake_embedder, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    report = load_corpus(REPORT.parent, warn=lambda m: None)[0]
    typeset(corpus / "报告.pdf", report_blocks(report), header="郑州高新区2020年工作回顾",
            font_size=11)
    (corpus / "坏.pdf").write_bytes(b"%PDF-1.4\n" + b"\x13" * 300)
    monkeypatch.setattr(engine_module, "make_embedder", lambda config, log=None: fake_embedder)
    return corpus


def run(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def paths(corpus):
    return ["--corpus", str(corpus), "--index", str(corpus.parent / "index"),
            "--model", "test/fake-char-hash"]


def quote_from_index(self, question, previous=None, mode="hybrid"):
    """The answerer's part, scripted: the sentence holding SENTENCE, cited as the answerer does."""
    index = self.index
    doc = index.documents["报告.pdf"]
    start = doc.text.index(SENTENCE)
    end = doc.text.index("。", start) + 1
    quote = Quote("报告.pdf", index.section_title("报告.pdf", start), start, end,
                  doc.text[start:end], start + 7, start + 13, index.page_at("报告.pdf", start),
                  "报告")
    return Answer(question, "16284件", 0.9, False, (quote,), tuple(self.search(question)))


def test_build_names_the_file_it_skips(pdf_corpus, capsys):
    code, out, err = run(capsys, "build", *paths(pdf_corpus))
    assert code == 0
    assert "索引已建成：1 个文档" in out and "1 个文件无法读取" in out
    assert "跳过 坏.pdf：PDF 文件不完整" in out
    assert "坏.pdf" in err   # the build's log, as it happened


def test_ask_and_search_show_the_page(pdf_corpus, capsys, monkeypatch):
    assert run(capsys, "build", *paths(pdf_corpus))[0] == 0
    monkeypatch.setattr(Engine, "ask", quote_from_index)
    engine = Engine.open(cli._config(cli.build_parser().parse_args(["ask", "x", *paths(pdf_corpus)])),
                         log=lambda m: None)
    doc = engine.index.documents["报告.pdf"]
    page = doc.page_at(doc.text.index(SENTENCE))
    assert len(doc.pages) >= 3 and page >= 2

    code, out, _ = run(capsys, "ask", "2020年专利申请量是多少？", *paths(pdf_corpus))
    assert code == 0 and f"· 第{page}页 · 字符" in out

    code, out, _ = run(capsys, "ask", "2020年专利申请量是多少？", "--json", *paths(pdf_corpus))
    assert json.loads(out)["quotes"][0]["page"] == page

    code, out, _ = run(capsys, "search", "专利申请量", "--json", "-k", "3", *paths(pdf_corpus))
    hits = json.loads(out)
    assert all(hit["page"] == doc.page_at(hit["start"]) for hit in hits)
    code, out, _ = run(capsys, "search", "专利申请量", "-k", "1", *paths(pdf_corpus))
    assert f"第{hits[0]['page']}页 · 字符" in out


def test_ask_passes_the_question_before_for_a_followup(pdf_corpus, capsys, monkeypatch):
    assert run(capsys, "build", *paths(pdf_corpus))[0] == 0
    asked = {}

    def followup(self, question, previous=None, mode="hybrid"):
        asked["previous"] = previous
        answer = quote_from_index(self, question, previous, mode)
        return Answer(answer.question, answer.text, answer.confidence, False, answer.quotes,
                      answer.hits, understood_as="2020年专利授权量是多少？")
    monkeypatch.setattr(Engine, "ask", followup)
    code, out, _ = run(capsys, "ask", "那授权量呢？", "--previous", "2020年专利申请量是多少？",
                       *paths(pdf_corpus))
    assert code == 0 and asked["previous"] == "2020年专利申请量是多少？"
    assert "问题理解为：2020年专利授权量是多少？" in out
    code, _, err = run(capsys, "ask", "那授权量呢？", "--previous", "   ", *paths(pdf_corpus))
    assert code != 0 and "问题为空" in err


def test_eval_output_has_each_quotes_page(pdf_corpus, capsys, monkeypatch, tmp_path):
    assert run(capsys, "build", *paths(pdf_corpus))[0] == 0
    monkeypatch.setattr(Engine, "ask", quote_from_index)
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "p1", "question": "2020年专利申请量是多少？",
                                     "answers": ["16284件"], "evidence": SENTENCE,
                                     "type": "factoid"}, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    output = tmp_path / "out.jsonl"
    code, _, _ = run(capsys, "eval", str(questions), "--output", str(output), *paths(pdf_corpus))
    row = json.loads(output.read_text(encoding="utf-8"))
    assert code == 0 and row["correct"]
    source = row["quote_sources"][0]
    assert source["doc_id"] == "报告.pdf" and source["page"] >= 2
    assert row["quotes"][0].startswith(SENTENCE)
