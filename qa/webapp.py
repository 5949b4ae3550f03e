"""The web page: a Gradio chat over the report, with quotes and sources a person can follow,
the passages that were considered, 👍/👎 feedback, a `/ask` JSON endpoint and an admin area.

    from qa.webapp import serve
    serve(Config.from_env(), host="127.0.0.1", port=7860)

How a reply reads is in webapp_render.py (every piece of report and user text HTML-escaped,
the chat renders plain HTML: no Markdown, no LaTeX); the page's style and script in
webapp_page.py; the admin area in webapp_admin.py; where feedback goes in feedback.py.

A question goes in two steps: `accept` checks it (a rejected one stays in the box, with the
reason under it) and moves it into the chat, clearing the previous question's passages; then
`reply` answers it.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .answer import Answer, source_label
from .config import Config
from .errors import QAError, QuestionError
from .feedback import FeedbackError, answer_record, error_record, save_vote
from .question import clean_question
from .webapp_page import HEAD, SCRIPT, count_js
from .webapp_admin import ADMIN_SECTIONS, Admin, build_admin_panel
from .webapp_render import (NO_PASSAGES, NOTHING_RETRIEVED, SEARCHING, error_line, esc,
                            render_answer, render_error, render_passages, render_question)

logger = logging.getLogger(__name__)

EngineFactory = Callable[[], "Engine"]  # noqa: F821 - qa.engine is imported lazily

# Shown when eval/questions.jsonl is not there (e.g. `qa serve` run outside the repository).
FALLBACK_EXAMPLES = ("2020年高新区专利申请量达到多少件？", "谁在大会上作了工作报告？",
                     "2020年高新區一般公共預算收入增長多少？")
EXAMPLE_TYPES = ("factoid", "paraphrase", "name", "entity", "traditional", "unanswerable")
INTERNAL_ERROR = "内部错误：这个问题没能处理完，详情已记录在服务器日志中。请换个问法再试。"


def load_examples(path: Path, n: int = 6) -> list[str]:
    """About n questions from the evaluation set, one of each kind first, so the examples show
    what the engine can do (numbers, names, paraphrase, traditional script, unanswerable)."""
    try:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    except (OSError, ValueError) as exc:
        logger.warning("示例问题无法读取（%s），改用内置示例", exc)
        return list(FALLBACK_EXAMPLES)
    picked: list[str] = []
    for kind in EXAMPLE_TYPES:
        first = next((r["question"] for r in rows if r.get("type") == kind), None)
        if first and first not in picked:
            picked.append(first)
    for row in rows:  # top up if the file has fewer kinds than expected
        if len(picked) >= n:
            break
        if row["question"] not in picked:
            picked.append(row["question"])
    return picked[:n]


def counter(n: int, max_chars: int) -> str:
    """The line under the question box before anything is typed (the browser keeps it)."""
    return f'<span class="qa-count">{n} / {max_chars} 字</span>'


def place_in(index) -> Callable[[object], str]:
    """Where a retrieved passage stands, for people: document title · section · page."""
    def place(chunk) -> str:
        info = index.info.get(chunk.doc_id)
        try:
            page = index.page_at(chunk.doc_id, chunk.start)
        except KeyError:  # a document the index swapped in since has no longer
            page = None
        return source_label(info.title if info else chunk.doc_id, chunk.section, page)
    return place


# ------------------------------------------------------------------ the engine, opened once
class EngineSlot:
    """Opens the engine in a background thread, so the page is up (and says so) while a missing
    index is built or the model converted on first start."""

    def __init__(self, factory: EngineFactory):
        self._factory = factory
        self._engine = None
        self._error: str | None = None
        self._started = time.perf_counter()
        self.rebuilding = False
        self.ready = threading.Event()

    def start(self) -> "EngineSlot":
        threading.Thread(target=self._open, name="qa-engine-open", daemon=True).start()
        return self

    def _open(self) -> None:
        try:
            engine = self._factory()
            engine.search("预热", k=1)  # load the model now rather than on the first question
        except QAError as exc:
            self._error = str(exc)
            print(f"错误：{exc}", file=sys.stderr, flush=True)
        except Exception:
            logger.exception("engine failed to open")
            self._error = "启动失败：模型或索引无法加载，详情见服务器日志。"
        else:
            self._engine = engine
            print(f"可以提问了（准备用时 {time.perf_counter() - self._started:.1f} 秒）",
                  file=sys.stderr, flush=True)
        finally:
            self.ready.set()

    def get(self):
        if self._engine is None:
            raise QAError(self._error or "正在加载模型和索引（首次启动可能需要半分钟），请稍后再问。")
        return self._engine

    def status(self) -> str:
        if self._error:
            return f'<span class="qa-error">状态：{esc(self._error)}</span>'
        if self._engine is None:
            seconds = time.perf_counter() - self._started
            return f"状态：正在加载模型和索引（已用 {seconds:.0f} 秒；首次启动需要构建索引）…"
        chunks = len(self._engine.index.chunks)
        if self.rebuilding:
            return f"状态：正在重建索引；提问仍由当前索引（{chunks} 个片段）回答。"
        return f"状态：就绪，索引共 {chunks} 个片段，可以提问了。"


def default_engine_factory(config: Config) -> EngineFactory:
    def open_engine():
        from .engine import Engine, tqdm_progress

        return Engine.open(config, build_if_needed=True, progress=tqdm_progress())
    return open_engine


# ------------------------------------------------------------------ the page
class ChatHandlers:
    """What the chat's events do, on the engine in `slot`: accept a question (step 1), answer it
    (step 2), save a vote, answer the /ask API, and start again."""

    def __init__(self, slot: "EngineSlot", config: Config):
        self.slot = slot
        self.config = config
        self.max_chars = config.max_question_chars

    def ask(self, question: str, previous: str | None) -> Answer:
        return self.slot.get().ask(question, previous=previous or None)

    def accept(self, text, history):
        """Step 1: a rejected question stays in the box with the reason under it; an accepted
        one moves into the chat and the previous question's passages go."""
        import gradio as gr

        try:
            question = clean_question(text if isinstance(text, str) else "", self.max_chars)
        except QuestionError as exc:
            return gr.skip(), gr.skip(), gr.skip(), error_line(str(exc)), ""
        history = [*(history or []), {"role": "user",
                                      "content": render_question(question, self.max_chars)}]
        return (gr.update(value="", interactive=False), history, SEARCHING,
                counter(0, self.max_chars), question)

    def reply(self, question, history, previous, records):
        """Step 2: the answer (or why there is none) to the accepted question."""
        import gradio as gr

        if not question:
            return gr.update(interactive=True), gr.skip(), gr.skip(), gr.skip(), gr.skip(), ""
        history, records = list(history or []), dict(records or {})

        def failed(message: str):
            history.append({"role": "assistant", "content": render_error(message)})
            records[len(history) - 1] = error_record(question, message, previous)
            return gr.update(interactive=True), history, NOTHING_RETRIEVED, previous, records, ""
        try:
            answer = self.ask(question, previous)
        except QAError as exc:
            return failed(str(exc))
        except Exception:
            logger.exception("question failed: %r", question)
            return failed(INTERNAL_ERROR)
        history.append({"role": "assistant", "content": render_answer(answer)})
        records[len(history) - 1] = answer_record(answer, previous)
        passages = render_passages(answer.hits, answer.quotes, place_in(self.slot.get().index),
                                   closest=answer.abstained)
        # The next follow-up builds on this question as understood (那授权量呢 → 授权量 + 专利申请量…).
        return (gr.update(interactive=True), history, passages,
                answer.understood_as or answer.question, records, "")

    def vote(self, records, data):
        """👍/👎 on a reply: saved with its question, answer and quotes (qa/feedback.py)."""
        import gradio as gr

        index = data.index if isinstance(data.index, int) else data.index[0]
        record = (records or {}).get(index)
        if record is None:
            gr.Warning("这条消息没有可记录的回答。", title="提示")
            return
        try:
            save_vote(self.config.feedback_path, record, data.liked)
        except FeedbackError as exc:
            logger.error("%s", exc)
            gr.Warning("反馈没能保存，详情已记录在服务器日志中。", title="提示")
            return
        gr.Info("已撤销这条反馈。" if data.liked == "" else "谢谢，已记下这条反馈。", title="反馈")

    def ask_api(self, question: str, previous: str = "") -> dict:
        """回答关于报告的问题；previous 是上一个问题（用于追问，可省略）。
        返回答案的 JSON（answer、quotes、passages …），出错时返回 {"error": "…"}。"""
        try:
            return self.ask(question, previous).to_json()
        except QAError as exc:
            return {"error": str(exc)}
        except Exception:
            logger.exception("API question failed")
            return {"error": INTERNAL_ERROR}

    @staticmethod
    def reset():
        return [], NO_PASSAGES, "", {}


def create_app(config: Config, engine_factory: EngineFactory | None = None,
               admin_token: str | None = None, examples: Iterable[str] | None = None,
               ask_concurrency: int = 2, queue_size: int = 64,
               admin_sections: Sequence[Callable[[Admin], None]] = ADMIN_SECTIONS):
    """The Gradio Blocks app. The engine is opened in the background right away.

    admin_token (default: config.admin_token) shows the admin area, with admin_sections in it;
    without a token there is none.
    """
    # Start opening the engine first: importing torch there overlaps with importing gradio here.
    slot = EngineSlot(engine_factory or default_engine_factory(config)).start()
    import gradio as gr

    token = config.admin_token if admin_token is None else admin_token
    examples = list(examples) if examples is not None else list(FALLBACK_EXAMPLES)
    chat = ChatHandlers(slot, config)
    # Gradio hands the vote to the parameter annotated gr.LikeData; gradio is imported only
    # here, so the annotation is set here.
    ChatHandlers.vote.__annotations__["data"] = gr.LikeData

    with gr.Blocks(title="报告问答", analytics_enabled=False) as demo:
        gr.Markdown("# 报告问答\n用中文提问，答案直接摘自报告原文，并标出出处（文档 · 章节 · 页码）。",
                    elem_id="qa-title")
        status = gr.HTML(elem_id="qa-status", js_on_load=None)
        for event in (demo.load, gr.Timer(2.0).tick):
            event(slot.status, outputs=status, queue=False, show_progress="hidden",
                  api_visibility="private")
        _chat_area(gr, chat, examples, ask_concurrency)

        if token:
            build_admin_panel(slot, token, status, admin_sections)
            from .webapp_documents import documents_panel  # upload, list, delete (issue 13)
            documents_panel(config, slot, token)

    demo.queue(default_concurrency_limit=ask_concurrency, max_size=queue_size)
    demo.engine_slot = slot  # for tests and for serve() to report readiness
    return demo


def _chat_area(gr, chat: ChatHandlers, examples: list[str], ask_concurrency: int) -> None:
    """The chat, its input box with a length counter, the examples, the passages panel, and
    their events (inside the Blocks being built)."""
    max_chars = chat.max_chars
    previous = gr.State("")
    pending = gr.State("")
    records = gr.State({})  # chat message index → what a vote on that reply saves
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                label="对话", show_label=False, elem_id="qa-chat", height=None,
                autoscroll=False, render_markdown=False, sanitize_html=True,
                latex_delimiters=[], allow_tags=False, buttons=[],
                feedback_options=("Like", "Dislike"),
                placeholder="在下方输入关于报告的问题，或点击示例问题。")
            with gr.Row(elem_id="qa-input", equal_height=True):
                box = gr.Textbox(label="问题", show_label=False, scale=4, lines=1,
                                 elem_id="qa-question", placeholder="输入关于报告的问题，可接着追问")
                send = gr.Button("发送", variant="primary", scale=0, min_width=72,
                                 elem_id="qa-send", interactive=False)
            with gr.Row(elem_id="qa-under", equal_height=True):
                hint = gr.HTML(counter(0, max_chars), elem_id="qa-hint", js_on_load=None)
                clear = gr.Button("清空对话", size="sm", scale=0, min_width=90, elem_id="qa-clear")
            gr.Examples([[q] for q in examples], inputs=[box], label="示例问题")
        with gr.Column(scale=2):
            with gr.Accordion("检索到的段落", open=True, elem_id="qa-passages-panel"):
                passages = gr.HTML(NO_PASSAGES, elem_id="qa-passages", js_on_load=None)

    private = dict(api_visibility="private")
    # In the browser: the counter and the send button follow the box as it is typed in.
    box.change(None, inputs=box, outputs=[send, hint], js=count_js(max_chars),
               queue=False, show_progress="hidden", **private)
    for trigger in (box.submit, send.click):
        trigger(chat.accept, inputs=[box, chatbot], outputs=[box, chatbot, passages, hint, pending],
                queue=False, show_progress="hidden", **private).then(
            chat.reply, inputs=[pending, chatbot, previous, records],
            outputs=[box, chatbot, passages, previous, records, pending],
            concurrency_id="ask", concurrency_limit=ask_concurrency,
            show_progress="minimal", **private)
    chatbot.like(chat.vote, inputs=records, outputs=None, **private)
    clear.click(chat.reset, outputs=[chatbot, passages, previous, records], queue=False, **private)
    # The chat's own clear icon is hidden by the style sheet; should it show, it resets too.
    chatbot.clear(lambda: chat.reset()[1:], outputs=[passages, previous, records], queue=False,
                  **private)
    gr.api(chat.ask_api, api_name="ask", concurrency_id="ask", concurrency_limit=ask_concurrency)


def serve(config: Config, host: str = "127.0.0.1", port: int = 7860,
          admin_token: str | None = None, examples_path: Path | None = None) -> None:
    """Launch the app (blocking). Local only unless `host` says otherwise; never a share link."""
    # No internet here: keep Gradio from phoning home before it is even imported.
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    examples = load_examples(examples_path or Path("eval") / "questions.jsonl")
    demo = create_app(config, admin_token=admin_token, examples=examples)
    print(f"报告问答：http://{host}:{port}/ （页面已可打开；模型和索引在后台准备）",
          file=sys.stderr, flush=True)
    demo.launch(server_name=host, server_port=port, share=False, inbrowser=False,
                ssr_mode=False, enable_monitoring=False, run_history=False,
                footer_links=["api"], show_error=False, head=HEAD, js=SCRIPT, quiet=True)
