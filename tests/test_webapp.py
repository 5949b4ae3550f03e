"""The web page's HTML and wiring, with hand-made records and a fake engine (fast, no model)."""
from __future__ import annotations

import json

import pytest

from qa.answer import Answer, Finding, Quote
from qa.chunking import Chunk
from qa.config import Config
from qa.errors import CorpusError, QAError
from qa.question import clean_question
from qa.retriever import Hit
from qa import webapp, webapp_render as render

from .conftest import CORPUS, QUESTIONS

DOC = "郑州高新区2020年工作回顾.txt"
SECTION = "聚焦创新 · 经济高质量发展行稳致远"
SENTENCE = "专利申请量达到16284件,专利授权量达到10217件;"
INJECTIONS = ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>",
              "[x](javascript:alert(1))")


def quote(sentence=SENTENCE, start=1673, answer="16284件", doc=DOC, section=SECTION) -> Quote:
    h = sentence.index(answer) if answer else 0
    return Quote(doc, section, start, start + len(sentence), sentence,
                 start + h, start + h + len(answer))


def hit(text="知识产权优势凸显。" + SENTENCE, dense_rank=2, lexical_rank=1, doc=DOC) -> Hit:
    chunk = Chunk(f"{doc}#7", doc, SECTION, 1664, 1664 + len(text), text)
    return Hit(chunk, 0.032522, dense_rank, lexical_rank, 0.4751, 16.67)


def answer(text="16284件", quotes=None, abstained=False, hits=(), confidence=0.76,
           findings=()) -> Answer:
    return Answer("2020年专利申请量是多少？", None if abstained else text, confidence, abstained,
                  tuple(quotes if quotes is not None else [quote()]), tuple(hits), "number",
                  findings=tuple(findings))


# ------------------------------------------------------------------ rendering
def visible(reply: str) -> str:
    """The reply's markup as it shows before anything is opened: what is inside a closed
    <details> (but its <summary>) and hidden elements left out."""
    from html.parser import HTMLParser

    class Shown(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=False)
            self.out, self.stack = [], [(True, False)]  # per element: (shown, closed details)

        def handle_starttag(self, tag, attrs):
            shown, closed = self.stack[-1]
            attrs = dict(attrs)
            mine = shown and (not closed or tag == "summary") and "hidden" not in attrs
            if mine:
                self.out.append(self.get_starttag_text())
            if tag != "br":  # the one element without an end tag here
                self.stack.append((mine, tag == "details" and "open" not in attrs))

        def handle_endtag(self, tag):
            if self.stack.pop()[0]:
                self.out.append(f"</{tag}>")

        def handle_data(self, data):
            shown, closed = self.stack[-1]
            if shown and not closed:
                self.out.append(data)

        def handle_entityref(self, name):
            self.handle_data(f"&{name};")

    parser = Shown()
    parser.feed(reply)
    return "".join(parser.out)


def test_answer_is_bold_then_sureness_in_words_then_quote_then_source():
    out = render.render_answer(answer(confidence=0.9, hits=[hit()]))
    shown = visible(out)
    assert "<strong>16284件</strong>" in shown and "有把握" in shown
    assert "专利申请量达到<mark>16284件</mark>,专利授权量达到10217件;" in shown
    assert f"来源：{DOC} · {SECTION}" in shown
    assert shown.index("<strong>") < shown.index("<mark>") < shown.index("来源")
    assert "置信度" not in shown and "%" not in shown           # the figure is behind 详细
    assert "<summary>详细</summary><ul><li>置信度 90%</li>" in out
    assert "不确定" in render.render_answer(answer(confidence=0.7))


def test_source_opens_the_passage_with_the_quoted_sentence_marked():
    out = render.render_answer(answer(hits=[hit()]))
    passage = out[out.index('<details class="qa-source">'):]
    assert passage.index("<summary>来源：") < passage.index("知识产权优势凸显。")
    assert ('知识产权优势凸显。<mark class="qa-quoted">专利申请量达到<mark class="qa-answer">'
            '16284件</mark>,专利授权量达到10217件;</mark>') in passage
    assert "字符 1673–1701" in passage and "页" not in passage


def test_source_names_the_page_of_a_paged_document():
    q = Quote(DOC, SECTION, 1673, 1673 + len(SENTENCE), SENTENCE, 1680, 1686, page=3,
              doc_title="郑州高新区2020年工作回顾")
    out = render.render_answer(answer(quotes=[q], hits=[hit()]))
    assert "<summary>来源：郑州高新区2020年工作回顾 · " + SECTION + " · 第3页</summary>" in out
    assert "原文第3页 · 字符 1673–1701" in out


def test_a_quote_outside_the_retrieved_passages_still_names_its_source():
    out = render.render_answer(answer(hits=[]))
    assert f'<p class="qa-source">来源：{DOC} · {SECTION}</p>' in out
    assert "qa-quoted" not in out


def test_mark_follows_the_quote_offsets_not_the_first_occurrence():
    # The answer text occurs twice; the highlight offsets pick the second one.
    sentence = "申请量10件,授权量10件"
    q = Quote(DOC, SECTION, 500, 500 + len(sentence), sentence, 500 + 10, 500 + 13)
    out = render.render_quote(q)
    assert "申请量10件,授权量<mark>10件</mark>" in out


def test_every_quote_is_rendered_in_order():
    second = quote("新获河南省专利奖5家;", start=1702, answer="5家")
    out = render.render_answer(answer(quotes=[quote(), second]))
    assert out.count("<mark>") == 2
    assert out.index("16284件</mark>") < out.index("5家</mark>")


@pytest.mark.parametrize("evil", INJECTIONS)
def test_report_text_and_answers_are_escaped(evil):
    sentence = f"前文{evil}后文"
    q = Quote(evil, evil, 0, len(sentence), sentence, 2, 2 + len(evil), doc_title=evil)
    chunk_hit = Hit(Chunk("e#1", evil, evil, 0, len(sentence), sentence), 0.1, 1, 1, 0.5, 1.0)
    out = render.render_answer(answer(text=evil, quotes=[q], hits=[chunk_hit]))
    out += render.render_answer(answer(abstained=True, quotes=[q], hits=[chunk_hit]))
    out += render.render_passages([hit(evil, doc=evil), chunk_hit], [q])
    assert "<img" not in out and "<script" not in out and "<a" not in out
    assert "href" not in out
    escaped = evil.replace("<", "&lt;").replace(">", "&gt;")
    assert f"<strong>{escaped}</strong>" in out
    assert f"<mark>{escaped}</mark>" in out
    assert f'<mark class="qa-answer">{escaped}</mark>' in out
    assert f'<span class="qa-plain" hidden>{escaped} ——「前文{escaped}后文」' in out


@pytest.mark.parametrize("evil", INJECTIONS + ("问题\n第二行 & <b>粗</b>",))
def test_user_questions_and_errors_are_escaped(evil):
    for out in (render.render_question(evil, 500), render.render_error(evil)):
        assert "<img" not in out and "<script" not in out and "<b>" not in out
    assert render.render_question("问题\n第二行", 500) == "问题<br>第二行"


def test_overlong_question_is_cut_for_display():
    shown = render.render_question("问" * 10_000, 500)
    assert shown == "问" * 500 + "…"


def closest_sentences() -> list[Quote]:
    return [quote("2020年高新区地区生产总值同比增长2.1%,", start=296, answer=""),
            quote(SENTENCE, answer=""), quote("新获河南省专利奖5家;", start=1702, answer="")]


def test_a_non_answer_is_the_verdict_then_one_closest_sentence_labelled_not_an_answer():
    why = Finding("year", "问题问的是2021年，原文说的是2020年")
    out = render.render_answer(answer(abstained=True, quotes=closest_sentences(),
                                      confidence=0.2, hits=[hit()], findings=[why]))
    shown = visible(out)
    assert shown.startswith('<div class="qa-reply qa-abstained"><p class="qa-short qa-verdict">'
                            "<strong>报告中没有找到这个问题的答案。</strong></p>")
    assert "最接近的一句（并非答案）" in shown
    assert shown.count("<blockquote") == 1 and "地区生产总值同比增长2.1%" in shown
    assert "另外 2 处相近的原文（也不是答案）" in shown and "新获河南省专利奖" not in shown
    assert "新获河南省专利奖" in out                               # folded, not gone
    assert "置信度" not in out and "20%" not in out and "有把握" not in out
    assert "<mark>" not in out
    assert "<summary>详细</summary><ul><li>问题问的是2021年，原文说的是2020年</li>" in out


def test_a_non_answer_without_quotes_falls_back_to_the_hits():
    out = render.render_answer(answer(abstained=True, quotes=[], hits=[hit()]))
    assert "最接近的一句（并非答案）" in out and "知识产权优势凸显" in out


def test_copy_gives_the_answer_quote_and_source_as_plain_text():
    second = quote("新获河南省专利奖5家;", start=1702, answer="5家")
    text = render.plain_text(answer(quotes=[quote(), second]))
    assert text == (f"16284件 ——「{SENTENCE}」来源：{DOC} · {SECTION}\n"
                    f"「新获河南省专利奖5家;」来源：{DOC} · {SECTION}")
    text = render.plain_text(answer(abstained=True, quotes=closest_sentences()))
    assert text == ("报告中没有找到这个问题的答案。最接近的一句（并非答案）："
                    f"「2020年高新区地区生产总值同比增长2.1%,」来源：{DOC} · {SECTION}")
    reply = render.render_answer(answer())
    assert '<button type="button" class="qa-copy">复制</button>' in reply
    assert f'<span class="qa-plain" hidden>16284件 ——「{SENTENCE}」' in reply


def test_passages_mark_the_quoted_sentence_and_keep_scores_behind_details():
    other = Hit(Chunk("d#2", DOC, "另一节", 3000, 3007, "推动产业发展。"), 0.01, None, 4, 0.2, 3.0)
    out = render.render_passages([other, hit()], [quote()], place=lambda c: f"《{c.section}》")
    assert out.count('<details class="qa-passage"') == 2
    first, second = out.split('<details class="qa-passage"')[1:]
    assert "open" not in first.split(">")[0] and second.startswith(" open")  # the quoted one
    assert "<b>2</b> 《" + SECTION + "》" in second and "含引用" in second
    assert '<mark class="qa-quoted">专利申请量达到<mark class="qa-answer">16284件</mark>' in second
    assert ('<details class="qa-scores"><summary>详细</summary><p class="qa-muted">检索得分 0.0325'
            " · 语义检索第 2 名 · 关键词检索第 1 名") in second
    assert "语义检索未命中 · 关键词检索第 4 名" in first
    assert "这个问题没有检索到段落" in render.render_passages([])
    closest = render.render_passages([hit()], [quote(answer="")], closest=True)
    assert "含最接近的句子" in closest and "含引用" not in closest


def test_examples_are_a_mix_of_question_kinds(tmp_path):
    examples = webapp.load_examples(QUESTIONS)
    assert len(examples) == 6 and len(set(examples)) == 6
    assert any(ch in "".join(examples) for ch in "區預長")      # a traditional-script one
    assert webapp.load_examples(tmp_path / "missing.jsonl") == list(webapp.FALLBACK_EXAMPLES)


# ------------------------------------------------------------------ wiring, with a fake engine
class FakeIndex:
    chunks = [object()] * 3
    info: dict = {}

    def page_at(self, doc_id, offset):
        return 2


class FakeEngine:
    """Answers from canned records, with the real question checks."""

    def __init__(self):
        self.index = FakeIndex()
        self.asked: list[tuple[str, str | None]] = []
        self.rebuilt = 0
        self.fail: Exception | None = None

    def search(self, question, k=None):
        return []

    def ask(self, question, previous=None):
        question = clean_question(question, 500)
        self.asked.append((question, previous))
        if self.fail:
            raise self.fail
        return Answer(question, "16284件", 0.8, False, (quote(),), (hit(),), "number")

    def rebuild(self, progress=None):
        self.rebuilt += 1
        tick = progress(2)
        tick(1), tick(1)

        class Summary:
            def line(self):
                return "索引已建成：1 个文档"
        return Summary()


@pytest.fixture
def app_with(tmp_path):
    def make(admin_token="", **kwargs):
        engine = FakeEngine()
        config = Config(corpus_dir=CORPUS, index_dir=tmp_path / "index", admin_token=admin_token,
                        feedback_path=tmp_path / "feedback.jsonl")
        demo = webapp.create_app(config, engine_factory=lambda: engine, examples=["问题一"],
                                 **kwargs)
        assert demo.engine_slot.ready.wait(10)
        fns = {f.name: f for f in demo.fns.values()}
        return demo, engine, fns
    return make


def ask_in_chat(fns, text, history=(), previous="", records=None):
    """The page's two steps, as the browser runs them: accept, then reply."""
    box, history, passages, hint, pending = fns["accept"].fn(text, list(history))
    if not pending:
        return box, history, passages, hint, previous, records
    box, history, passages, previous, records, _ = fns["reply"].fn(pending, history, previous,
                                                                   records or {})
    return box, history, passages, hint, previous, records


def test_an_accepted_question_leaves_the_box_and_clears_the_old_passages(app_with):
    import gradio as gr

    demo, engine, fns = app_with()
    box, history, passages, hint, pending = fns["accept"].fn(" 专利申请量是多少？ ", [])
    assert box["value"] == "" and box["interactive"] is False   # no second question meanwhile
    assert history == [{"role": "user", "content": "专利申请量是多少？"}]
    assert passages == render.SEARCHING and pending == "专利申请量是多少？"
    assert "0 / 500 字" in hint
    box, history, passages, previous, records, pending = fns["reply"].fn(pending, history, "", {})
    assert box["interactive"] is True and pending == ""
    assert "<mark>16284件</mark>" in history[-1]["content"]
    assert '<mark class="qa-quoted">' in passages and f"{DOC} · {SECTION} · 第2页" in passages
    assert previous == "专利申请量是多少？" and records[1]["answer"] == "16284件"
    assert isinstance(fns["reply"].fn("", history, previous, records)[1], gr.skip().__class__)


def test_chat_passes_the_previous_question_for_follow_ups(app_with):
    demo, engine, fns = app_with()
    _, history, _, _, previous, records = ask_in_chat(fns, "专利申请量是多少？")
    ask_in_chat(fns, "那授权量呢？", history, previous, records)
    assert engine.asked[-1] == ("那授权量呢？", "专利申请量是多少？")


@pytest.mark.parametrize("text, reason", [("问" * 501, "问题太长（501 字）"), ("   ", "问题为空"),
                                          ("？？？", "问题里没有文字")])
def test_a_rejected_question_stays_in_the_box_with_the_reason_under_it(app_with, text, reason):
    import gradio as gr

    demo, engine, fns = app_with()
    box, history, passages, hint, pending = fns["accept"].fn(text, [{"role": "user",
                                                                    "content": "上一个"}])
    skip = type(gr.skip())
    assert isinstance(box, skip) and isinstance(history, skip) and isinstance(passages, skip)
    assert reason in hint and 'class="qa-error"' in hint and pending == ""
    assert engine.asked == []


def test_an_engine_error_is_a_reply_and_clears_the_passages(app_with):
    demo, engine, fns = app_with()
    engine.fail = QAError("正在加载模型和索引，请稍后再问。")
    _, history, passages, _, previous, records = ask_in_chat(fns, "专利申请量是多少？",
                                                             previous="上一个问题")
    assert "正在加载模型和索引" in history[-1]["content"] and "qa-failed" in history[-1]["content"]
    assert passages == render.NOTHING_RETRIEVED and previous == "上一个问题"
    assert records[1]["error"].startswith("正在加载")
    engine.fail = RuntimeError("boom")
    _, history, _, _, _, _ = ask_in_chat(fns, "专利申请量是多少？")
    assert "内部错误" in history[-1]["content"] and "boom" not in history[-1]["content"]


def test_a_vote_saves_question_answer_quotes_and_time_for_qa_eval(app_with, tmp_path):
    import gradio as gr

    demo, engine, fns = app_with()
    _, history, _, _, previous, records = ask_in_chat(fns, "专利申请量是多少？")
    for liked in (True, False, ""):
        fns["vote"].fn(records, gr.LikeData(None, {"index": 1, "value": [], "liked": liked}))
    with pytest.warns(UserWarning, match="没有可记录的回答"):   # a vote on the question itself
        fns["vote"].fn(records, gr.LikeData(None, {"index": 0, "value": [], "liked": True}))
    lines = [json.loads(line) for line in (tmp_path / "feedback.jsonl").read_text().splitlines()]
    assert [line["feedback"] for line in lines] == ["like", "dislike", "withdrawn"]
    first = lines[0]
    assert first["question"] == "专利申请量是多少？" and first["answer"] == "16284件"
    top = first["quotes"][0]
    assert top["sentence"] == SENTENCE and top["highlight"] == "16284件"
    assert first["time"][:4].isdigit() and "T" in first["time"]
    assert len({line["id"] for line in lines}) == 1                   # one answer, three votes
    assert "answers" not in first                                     # a person adds those


def test_an_unwritable_feedback_file_is_a_warning_not_a_crash(app_with, tmp_path):
    import gradio as gr

    demo, engine, fns = app_with()
    _, _, _, _, _, records = ask_in_chat(fns, "专利申请量是多少？")
    (tmp_path / "feedback.jsonl").mkdir()                             # a directory: unwritable
    with pytest.warns(UserWarning, match="反馈没能保存"):
        fns["vote"].fn(records, gr.LikeData(None, {"index": 1, "value": [], "liked": True}))


def test_ask_endpoint_returns_answer_json_or_an_error_object(app_with):
    demo, engine, fns = app_with()
    ask = fns["ask_api"]
    assert ask.api_name == "ask"
    assert ask.fn("2020年专利申请量是多少？")["answer"] == "16284件"
    assert ask.fn("？？？") == {"error": "问题里没有文字：请用中文描述您想了解的内容"}


def test_rebuild_has_its_own_queue_and_chat_shares_one_with_the_api(app_with):
    demo, engine, fns = app_with(admin_token="s3cret")
    assert fns["reply"].concurrency_id == fns["ask_api"].concurrency_id == "ask"
    assert fns["rebuild"].concurrency_id == "rebuild" and fns["rebuild"].concurrency_limit == 1
    assert fns["rebuild"].api_visibility == "private"


def test_the_admin_area_takes_more_sections(app_with):
    import gradio as gr

    seen = []

    def documents_section(admin):
        seen.append(admin)
        gr.HTML("文档管理", elem_id="qa-documents")

    demo, engine, fns = app_with(admin_token="s3cret",
                                 admin_sections=webapp.ADMIN_SECTIONS + (documents_section,))
    assert "rebuild" in fns and len(seen) == 1
    assert seen[0].token_ok("s3cret") and seen[0].slot is demo.engine_slot
    assert any(getattr(b, "elem_id", None) == "qa-documents" for b in demo.blocks.values())


def test_rebuild_needs_the_admin_token(app_with):
    demo, engine, fns = app_with(admin_token="s3cret")
    out, _ = fns["rebuild"].fn("wrong")
    assert "管理令牌不正确" in out and engine.rebuilt == 0
    out, status = fns["rebuild"].fn("s3cret")
    assert "索引已建成" in out and engine.rebuilt == 1 and "就绪" in status


def test_no_admin_panel_without_a_token(app_with):
    demo, engine, fns = app_with()
    assert "rebuild" not in fns and "unlock" not in fns


def test_chat_renders_plain_html_without_markdown_or_latex(app_with):
    import gradio as gr

    demo, _, _ = app_with()
    chat = next(b for b in demo.blocks.values() if isinstance(b, gr.Chatbot))
    assert chat.render_markdown is False and chat.sanitize_html is True
    assert chat.latex_delimiters == [] and demo.analytics_enabled is False


def test_questions_wait_politely_while_the_engine_opens(tmp_path):
    import threading

    gate = threading.Event()
    engine = FakeEngine()

    def slow_factory():
        gate.wait(10)
        return engine

    slot = webapp.EngineSlot(slow_factory).start()
    with pytest.raises(Exception, match="正在加载模型和索引"):
        slot.get()
    assert "正在加载" in slot.status()
    gate.set()
    assert slot.ready.wait(10) and slot.get() is engine and "就绪" in slot.status()


def test_a_failed_start_is_shown_not_raised(tmp_path):
    def broken():
        raise CorpusError("语料目录 corpus 不存在")

    slot = webapp.EngineSlot(broken).start()
    assert slot.ready.wait(10)
    assert "语料目录 corpus 不存在" in slot.status()
    with pytest.raises(Exception, match="语料目录 corpus 不存在"):
        slot.get()
