"""The web page's HTML and wiring, with hand-made records and a fake engine (fast, no model)."""
from __future__ import annotations

import pytest

from qa.answer import Answer, Quote
from qa.chunking import Chunk
from qa.config import Config
from qa.errors import CorpusError
from qa.question import clean_question
from qa.retriever import Hit
from qa import webapp

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


def answer(text="16284件", quotes=None, abstained=False, hits=(), confidence=0.76) -> Answer:
    return Answer("2020年专利申请量是多少？", None if abstained else text, confidence, abstained,
                  tuple(quotes if quotes is not None else [quote()]), tuple(hits), "number")


# ------------------------------------------------------------------ rendering
def test_answer_is_bold_then_quote_with_the_span_marked_and_its_source():
    out = webapp.render_answer(answer())
    assert "<strong>16284件</strong>" in out
    assert "专利申请量达到<mark>16284件</mark>,专利授权量达到10217件;" in out
    assert f"来源：{DOC} · {SECTION} · 字符 1673–1701" in out
    assert "置信度 76%" in out
    assert out.index("<strong>") < out.index("<mark>") < out.index("来源")


def test_mark_follows_the_quote_offsets_not_the_first_occurrence():
    # The answer text occurs twice; the highlight offsets pick the second one.
    sentence = "申请量10件,授权量10件"
    q = Quote(DOC, SECTION, 500, 500 + len(sentence), sentence, 500 + 10, 500 + 13)
    out = webapp.render_quote(q)
    assert "申请量10件,授权量<mark>10件</mark>" in out


def test_every_quote_is_rendered_in_order():
    second = quote("新获河南省专利奖5家;", start=1702, answer="5家")
    out = webapp.render_answer(answer(quotes=[quote(), second]))
    assert out.count("<mark>") == 2
    assert out.index("16284件</mark>") < out.index("5家</mark>")
    assert "字符 1702–1713" in out


@pytest.mark.parametrize("evil", INJECTIONS)
def test_report_text_and_answers_are_escaped(evil):
    sentence = f"前文{evil}后文"
    q = Quote(evil, evil, 0, len(sentence), sentence, 2, 2 + len(evil))
    out = webapp.render_answer(answer(text=evil, quotes=[q], hits=[hit(evil)]))
    out += webapp.render_passages([hit(evil, doc=evil)])
    assert "<img" not in out and "<script" not in out and "<a" not in out
    assert "href" not in out
    escaped = evil.replace("<", "&lt;").replace(">", "&gt;")
    assert f"<strong>{escaped}</strong>" in out
    assert f"<mark>{escaped}</mark>" in out


@pytest.mark.parametrize("evil", INJECTIONS + ("问题\n第二行 & <b>粗</b>",))
def test_user_questions_and_errors_are_escaped(evil):
    for out in (webapp.render_question(evil, 500), webapp.render_error(evil)):
        assert "<img" not in out and "<script" not in out and "<b>" not in out
    assert webapp.render_question("问题\n第二行", 500) == "问题<br>第二行"


def test_overlong_question_is_cut_for_display():
    shown = webapp.render_question("问" * 10_000, 500)
    assert shown == "问" * 500 + "…"


def test_abstention_says_so_and_labels_closest_passages_as_not_answers():
    closest = quote("2020年高新区地区生产总值同比增长2.1%,", start=296, answer="")
    out = webapp.render_answer(answer(abstained=True, quotes=[closest], confidence=0.2))
    assert "<strong>报告中没有找到这个问题的答案。</strong>" in out
    assert "最接近的段落（并非答案）" in out
    assert "2020年高新区地区生产总值同比增长2.1%," in out
    assert "<mark>" not in out
    assert "置信度 20%" in out


def test_abstention_without_quotes_falls_back_to_the_hits():
    out = webapp.render_answer(answer(abstained=True, quotes=[], hits=[hit()]))
    assert "最接近的段落（并非答案）" in out and "知识产权优势凸显" in out


def test_passages_show_fused_score_ranks_and_source():
    out = webapp.render_passages([hit(), hit(dense_rank=None, lexical_rank=4)])
    assert out.count("<details") == 2
    assert "融合得分 0.0325" in out
    assert "向量 #2 / 词法 #1" in out
    assert "向量 未命中 / 词法 #4" in out
    assert f"{DOC} · {SECTION} · 字符 1664–" in out
    assert "没有检索到段落" in webapp.render_passages([])


def test_examples_are_a_mix_of_question_kinds(tmp_path):
    examples = webapp.load_examples(QUESTIONS)
    assert len(examples) == 6 and len(set(examples)) == 6
    assert any(ch in "".join(examples) for ch in "區預長")      # a traditional-script one
    assert webapp.load_examples(tmp_path / "missing.jsonl") == list(webapp.FALLBACK_EXAMPLES)


# ------------------------------------------------------------------ wiring, with a fake engine
class FakeIndex:
    chunks = [object()] * 3


class FakeEngine:
    """Answers from canned records, with the real question checks."""

    def __init__(self):
        self.index = FakeIndex()
        self.asked: list[tuple[str, str | None]] = []
        self.rebuilt = 0

    def search(self, question, k=None):
        return []

    def ask(self, question, previous=None):
        question = clean_question(question, 500)
        self.asked.append((question, previous))
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
    def make(admin_token=""):
        engine = FakeEngine()
        config = Config(corpus_dir=CORPUS, index_dir=tmp_path / "index", admin_token=admin_token)
        demo = webapp.create_app(config, engine_factory=lambda: engine, examples=["问题一"])
        assert demo.engine_slot.ready.wait(10)
        fns = {f.name: f for f in demo.fns.values()}
        return demo, engine, fns
    return make


def test_chat_passes_the_previous_question_for_follow_ups(app_with):
    demo, engine, fns = app_with()
    respond = fns["respond"].fn
    box, history, passages, previous = respond("专利申请量是多少？", [], "")
    assert box == "" and previous == "专利申请量是多少？"
    assert "<mark>16284件</mark>" in history[-1]["content"] and "<details" in passages
    respond("那授权量呢？", history, previous)
    assert engine.asked[-1] == ("那授权量呢？", "专利申请量是多少？")


def test_chat_shows_question_errors_in_chinese_and_keeps_the_previous_question(app_with):
    demo, engine, fns = app_with()
    respond = fns["respond"].fn
    _, history, _, previous = respond("问" * 501, [], "上一个问题")
    assert "问题太长" in history[-1]["content"] and previous == "上一个问题"
    _, history, _, _ = respond("   ", [], "")
    assert len(history) == 1 and "问题为空" in history[0]["content"]


def test_ask_endpoint_returns_answer_json_or_an_error_object(app_with):
    demo, engine, fns = app_with()
    ask = fns["ask_api"]
    assert ask.api_name == "ask"
    assert ask.fn("2020年专利申请量是多少？")["answer"] == "16284件"
    assert ask.fn("？？？") == {"error": "问题里没有文字：请用中文描述您想了解的内容"}


def test_rebuild_has_its_own_queue_and_chat_shares_one_with_the_api(app_with):
    demo, engine, fns = app_with(admin_token="s3cret")
    assert fns["respond"].concurrency_id == fns["ask_api"].concurrency_id == "ask"
    assert fns["rebuild"].concurrency_id == "rebuild" and fns["rebuild"].concurrency_limit == 1
    assert fns["rebuild"].api_visibility == "private"


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
