"""The answering flow on a corpus of two reports, with a stand-in reader (every amount it sees
is a span, the first the likeliest) and the fake embedder: what is tested is the flow around the
reader (documents chosen by place, checks with reasons, quotes and offsets), not the model."""
import re

import pytest

from qa import language as lang
from qa.analysis import analyse
from qa.answerer import Scored, _answer_probabilities, _missing, _strongest_rival, choose
from qa.build import build_index
from qa.candidate import Candidate
from qa.config import Config
from qa.engine import Engine
from qa.passages import SentenceEvidence
from qa.reader import Reading, Span
from qa.yesno import _items, _said, _says, first_place_said_alike

HENAN = """2025年河南省政府工作报告

一、2024年工作回顾

全年生产总值6.36万亿元、增长5.1%，粮食产量1343.9亿斤。城镇新增就业120万人。

天迈科技成功上市，千味央厨即将上市。

二、2025年主要目标

生产总值增长5.5%左右，新增城镇就业110万人以上。
"""
JIANGSU = """2025年江苏省政府工作报告

一、2024年工作回顾

全年地区生产总值13.7万亿元、增长5.8%。
"""
GUANGXI = """2025年广西政府工作报告

一、过去一年工作回顾

全区地区生产总值增长4.2%左右，粮食产量280.76亿斤。

二、2025年工作安排

粮食产量282亿斤左右。
"""
AMOUNT = re.compile(r"\d+(?:\.\d+)?(?:万亿元|亿斤|万人|%)")


class AmountReader:
    """Reads every amount in the passages as a span; earlier ones are likelier."""

    def read(self, question, passages, top_k=5):
        spans = []
        for p, passage in enumerate(passages):
            for m in AMOUNT.finditer(passage.text):
                spans.append(Span(p, passage.doc_id, passage.start + m.start(),
                                  passage.start + m.end(), m.group(), 0.0, 0.0, 0.05))
        spans = [Span(s.passage, s.doc_id, s.start, s.end, s.text, 1.0, 0.9 * 0.8 ** i, 0.05)
                 for i, s in enumerate(spans)]
        return Reading(tuple(spans[:top_k]), 0.05)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from .conftest import FakeEmbedder

    root = tmp_path_factory.mktemp("two-reports")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "2025年河南省政府工作报告.txt").write_text(HENAN, encoding="utf-8")
    (corpus / "2025年江苏省政府工作报告.txt").write_text(JIANGSU, encoding="utf-8")
    (corpus / "2025年广西政府工作报告.txt").write_text(GUANGXI, encoding="utf-8")
    # The stand-in reader's probabilities are not a model's, so the calibrated confidence
    # means nothing here: any span no check rules out is answered.
    config = Config(corpus_dir=corpus, index_dir=root / "index", cache_dir=root / "cache",
                    answer_min_confidence=0.0)
    embedder = FakeEmbedder()
    build_index(config, embedder, log=lambda m: None)
    return Engine.open(config, embedder=embedder, log=lambda m: None, reader=AmountReader())


def test_a_place_named_chooses_its_report(engine):
    answer = engine.ask("江苏2024年生产总值增长多少？")
    assert not answer.abstained and answer.text == "5.8%"
    assert answer.quotes[0].doc_id == "2025年江苏省政府工作报告.txt"
    assert answer.quotes[0].doc_title == "2025年江苏省政府工作报告"


def test_quotes_point_into_the_document_text(engine):
    answer = engine.ask("河南2024年生产总值是多少万亿元？")
    quote = answer.quotes[0]
    text = engine.index.document_text(quote.doc_id)
    assert text[quote.start:quote.end] == quote.sentence
    assert text[quote.highlight_start:quote.highlight_end] == answer.text == "6.36万亿元"
    assert quote.page is None  # a text file has no pages


def test_another_year_is_ruled_out_with_a_reason(engine):
    answer = engine.ask("2022年河南生产总值是多少万亿元？")
    assert answer.abstained
    assert any(f.check == "year" and "2022年" in f.reason for f in answer.findings)


def test_a_heading_gives_the_year_of_the_sentences_below_it(engine):
    answer = engine.ask("2025年河南生产总值增长目标是多少？")
    assert not answer.abstained and answer.text == "5.5%左右"  # a target, said as one


def test_a_heading_that_says_the_past_year_means_the_year_before_the_report(engine):
    # 过去一年 in a 2025 report is 2024: its figures answer 2024, not 2025.
    answer = engine.ask("2024年广西粮食产量是多少亿斤？")
    assert not answer.abstained and answer.text == "280.76亿斤"
    assert engine.ask("2025年广西粮食产量是多少亿斤？").text == "282亿斤左右"


def test_an_amount_in_another_unit_is_not_the_answer(engine):
    # The reader's likeliest span in the sentence is 1343.9亿斤: a weight, not a share.
    assert engine.ask("河南2024年粮食产量是百分之多少？").text != "1343.9亿斤"


def test_yes_no_is_yes_only_where_the_report_says_so(engine):
    yes = engine.ask("河南的天迈科技上市了吗？")
    assert not yes.abstained and yes.text == "是"
    assert "天迈科技成功上市" in yes.quotes[0].parts()[1]
    assert engine.ask("河南的千味央厨上市了吗？").abstained  # 即将上市 is not 上市了
    # 已经…了 frame the statement; the sentence need not say them.
    assert engine.ask("河南的天迈科技是否已经上市了？").text == "是"
    assert engine.ask("河南的千味央厨已经上市了吗？").abstained
    assert engine.ask("河南的天迈科技已经退市了吗？").abstained   # a word the reports never use
    assert engine.ask("河南的天迈科技已经增长了吗？").abstained   # the subject alone is not it


def test_a_yes_no_statement_is_said_with_a_word_or_two_between_its_pairs():
    weights = {"任务": 1.0, "务完": 3.0, "完成": 1.0}
    assert _said(weights, "宅基地改革试点任务顺利完成") == 1.0
    assert _said(weights, "任务艰巨，但在年底前基本完成") == pytest.approx(0.4)   # too far apart


def test_a_figure_in_a_yes_no_statement_is_said_whole():
    assert not _says("1", "油茶产业产值突破600亿元、居全国第2")   # 第1 is not said by 第2 or 1000
    assert not _says("1", "居全国第12")
    assert _says("600", "油茶产业产值突破600亿元") and _says("6%", "增长6%左右")


def test_a_statement_may_run_over_three_items_of_a_sentence_but_not_four():
    text = "粮食总产量再上新台阶，突破1600亿斤大关，连续15年居全国首位，“中国饭碗”装上更多“龙江粮”。"
    said = {text[a:b] for a, b in _items(text)}
    assert "粮食总产量再上新台阶，突破1600亿斤大关，连续15年居全国首位" in said
    assert "粮食总产量再上新台阶，突破1600亿斤大关，连续15年居全国首位，“中国饭碗”装上更多“龙江粮”" \
        not in said


def test_first_place_is_one_thing_however_it_is_said():
    assert first_place_said_alike("居全国第1位") == "居全国首位 "
    assert first_place_said_alike("全国第一，第一次跃居") == "全国首位，首次 跃居"
    assert first_place_said_alike("保持全国第1位。") == "保持全国首位 。"
    # a list of places pairs with a list of items; 第12 is not first
    assert first_place_said_alike("居全国第1、第2位") == "居全国第1、第2位"
    assert first_place_said_alike("居全国第12位") == "居全国第12位"


def test_abstaining_shows_the_closest_sentences_without_a_highlight(engine):
    answer = engine.ask("2022年河南生产总值是多少万亿元？")
    assert answer.quotes and all(q.parts()[1] == "" for q in answer.quotes)
    assert answer.to_json()["answer"] is None and answer.to_json()["findings"]


def test_a_followup_borrows_what_it_leaves_out(engine):
    answer = engine.ask("那就业呢？", previous="河南2024年城镇新增就业多少万人？")
    assert not answer.abstained and answer.text == "120万人"


def _scored(document: str, piece: str, confidence: float, occurrence: int = 0) -> Scored:
    start = document.index(piece, occurrence)
    span = Span(0, "d", start, start + len(piece), piece, 1.0, 0.5, 0.0)
    return Scored(Candidate(span, None, 1), None, confidence, ())


def test_a_name_cut_short_gives_way_to_the_name_around_it():
    doc = "河北水发集团成功组建，新增1343个52.54万户。"
    cut, whole = _scored(doc, "水发集团", 0.85), _scored(doc, "河北水发集团", 0.8)
    assert choose([cut, whole], lang.ORG) is whole
    assert choose([cut, _scored(doc, "河北水发集团", 0.5)], lang.ORG) is cut  # far less trusted
    figure = _scored(doc, "1343个", 0.8)
    assert choose([figure, _scored(doc, "1343个52.54万户", 0.78)], lang.NUMBER) is figure


def test_a_name_completed_by_the_kind_of_thing_asked_keeps_the_trust_of_its_cut():
    doc = "邢台褡裢机场通航运营，“云游江西”数字文旅一体化平台上线。"
    cut, whole = _scored(doc, "邢台褡裢", 0.83), _scored(doc, "邢台褡裢机场", 0.56)
    chosen = choose([cut, whole], lang.PLACE, analyse("2024年河北哪个机场通航运营？").which)
    assert chosen.candidate is whole.candidate and chosen.confidence == 0.83
    # asked for its name, the kind is not part of it
    name = _scored(doc, "“云游江西”", 0.76)
    longer = _scored(doc, "“云游江西”数字文旅一体化平台", 0.6)
    assert choose([name, longer], lang.TERM,
                  analyse("江西推进建设的数字文旅一体化平台叫什么名字？").which) is name
    listed = _scored("天迈科技成功上市", "天迈科技成功上市", 0.8)
    assert choose([_scored("天迈科技成功上市", "天迈科技", 0.96), listed], lang.ORG,
                  analyse("哪家企业成功上市？").which).candidate.text == "天迈科技"


def test_an_answer_read_in_several_places_adds_up_and_only_other_answers_compete():
    def candidate(text, start, probability):
        return Candidate(Span(0, "d", start, start + len(text), text, 1.0, probability, 0.0),
                         None, 1)
    allowed, ruled_out = (), ("another year",)
    said = _answer_probabilities([
        (candidate("1683万元", 0, 0.5), allowed), (candidate("1683万元", 90, 0.2), allowed),
        (candidate("293万元", 40, 0.25), allowed), (candidate("6.4%", 60, 0.9), ruled_out)])
    assert said == pytest.approx({"1683万元": 0.7, "293万元": 0.25})  # 6.4% is no rival
    assert _answer_probabilities([(candidate("3家", 0, 0.8), allowed),
                                  (candidate("3家", 9, 0.7), allowed)]) == {"3家": 1.0}


def test_a_rival_is_read_elsewhere_and_counts_by_how_much_of_the_question_it_says():
    def candidate(text, doc, start, probability, coverage):
        sentence = SentenceEvidence(0, doc, start, start + 20, "", 0.9, coverage, 1, 1.0)
        return Candidate(Span(0, doc, start, start + len(text), text, 1.0, probability, 0.0),
                         sentence, 1)
    own = candidate("2个", "a", 10, 0.35, 0.8)
    longer = candidate("2个、游园35个", "a", 10, 0.37, 0.8)      # the same reading, cut longer
    elsewhere = candidate("5家", "b", 50, 0.55, 0.2)           # says a quarter as much
    candidates = [(c, ()) for c in (own, longer, elsewhere)]
    said = _answer_probabilities(candidates)
    assert _strongest_rival(own, candidates, said) == pytest.approx(0.55 * 0.25)
    assert _strongest_rival(elsewhere, candidates, said) == pytest.approx(0.37)


def test_last_year_means_the_year_before_the_documents_own(engine):
    answer = engine.ask("去年广西粮食产量是多少亿斤？")
    assert not answer.abstained and answer.text == "280.76亿斤"
    answer = engine.ask("今年广西粮食产量目标是多少亿斤？")
    assert not answer.abstained and answer.text == "282亿斤左右"


def test_a_word_is_missing_only_when_a_character_of_it_is_absent(engine):
    # 值增 (of 生产总值增长 in the targets) spans two words: a sentence that says 生产总值…增长
    # apart lacks the pair, yet nothing asked is missing. 粮食 asked of a sentence on jobs is.
    assert _missing({"总值": 1.0, "值增": 1.0}, engine.index, "全年生产总值6.36万亿元、增长5.1%") == 0.0
    assert _missing({"粮食": 1.0, "就业": 1.0}, engine.index, "城镇新增就业120万人。") == 1.0
