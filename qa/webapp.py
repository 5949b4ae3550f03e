"""The web page: a Gradio chat over the report, with highlighted quotes, sources and the passages
that were considered, plus a `/ask` JSON endpoint and an admin-only index rebuild.

    from qa.webapp import serve
    serve(Config.from_env(), host="127.0.0.1", port=7860)

Every piece of report text and user text is HTML-escaped before any markup is added, and the
chat renders plain HTML (no Markdown, no LaTeX), so nothing typed or quoted can become a link,
an image or a script.
"""
from __future__ import annotations

import hmac
import html
import json
import logging
import os
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .answer import Answer, Quote
from .config import Config
from .errors import QAError

logger = logging.getLogger(__name__)

EngineFactory = Callable[[], "Engine"]  # noqa: F821 - qa.engine is imported lazily

# Shown when eval/questions.jsonl is not there (e.g. `qa serve` run outside the repository).
FALLBACK_EXAMPLES = ("2020年高新区专利申请量达到多少件？", "谁在大会上作了工作报告？",
                     "2020年高新區一般公共預算收入增長多少？")
EXAMPLE_TYPES = ("factoid", "paraphrase", "name", "entity", "traditional", "unanswerable")
INTERNAL_ERROR = "内部错误：这个问题没能处理完，详情已记录在服务器日志中。请换个问法再试。"
NO_PASSAGES = '<p class="qa-muted">提问后，这里会列出检索到的段落。</p>'

CSS = """
.qa-short { font-size: 1.1em; margin: 0 0 .3em 0; }
.qa-conf, .qa-source, .qa-muted { color: #666; font-size: .85em; }
.qa-quote { border-left: 3px solid #f0b400; padding: .2em .6em; margin: .5em 0; }
.qa-quote mark { background: #ffe066; padding: 0 .1em; }
.qa-closest-label { font-weight: 600; color: #a15c00; margin-top: .6em; }
.qa-error { color: #b00020; }
.qa-passage summary { cursor: pointer; }
.qa-passage-text { white-space: pre-wrap; margin: .3em 0 .8em 1em; }
"""


# ------------------------------------------------------------------ rendering (pure functions)
def esc(text: object) -> str:
    """Report or user text as inert HTML: escaped, line breaks kept."""
    return html.escape(str(text), quote=True).replace("\n", "<br>")


def render_question(question: str, max_chars: int) -> str:
    # An over-long question is refused anyway; no need to echo megabytes back into the page.
    shown = question if len(question) <= max_chars else question[:max_chars] + "…"
    return esc(shown)


def render_source(quote: Quote) -> str:
    page = f" · 第{quote.page}页" if quote.page else ""
    return (f'<div class="qa-source">来源：{esc(quote.doc_id)} · {esc(quote.section)}{page} · '
            f"字符 {quote.start}–{quote.end}</div>")


def render_quote(quote: Quote, highlight: bool = True) -> str:
    """The supporting sentence with the answer span in <mark>, and where it stands."""
    before, marked, after = quote.parts()
    if highlight and marked:
        body = f"{esc(before)}<mark>{esc(marked)}</mark>{esc(after)}"
    else:
        body = esc(quote.sentence)
    return f'<blockquote class="qa-quote">{body}{render_source(quote)}</blockquote>'


def _closest_from_hits(answer: Answer) -> list[str]:
    # Abstentions normally carry their closest passages as quotes; fall back to the hits.
    out = []
    for hit in answer.hits[:3]:
        c = hit.chunk
        out.append(f'<blockquote class="qa-quote">{esc(c.text)}<div class="qa-source">'
                   f"来源：{esc(c.doc_id)} · {esc(c.section)} · 字符 {c.start}–{c.end}"
                   f"</div></blockquote>")
    return out


def render_answer(answer: Answer) -> str:
    """One chat reply: the short answer in bold and its confidence, then the quotes; when the
    engine abstained, its message and the closest passages, labelled as not being an answer."""
    conf = f'<div class="qa-conf">置信度 {answer.confidence:.0%}</div>'
    if answer.abstained:
        parts = [f'<p class="qa-short"><strong>{esc(answer.message)}</strong></p>', conf]
        closest = [render_quote(q, highlight=False) for q in answer.quotes] \
            or _closest_from_hits(answer)
        if closest:
            parts.append('<p class="qa-closest-label">最接近的段落（并非答案）：</p>')
            parts.extend(closest)
        return '<div class="qa-reply qa-abstained">' + "".join(parts) + "</div>"
    parts = [f'<p class="qa-short"><strong>{esc(answer.text or answer.message)}</strong></p>', conf]
    parts.extend(render_quote(q) for q in answer.quotes)
    return '<div class="qa-reply">' + "".join(parts) + "</div>"


def render_error(message: str) -> str:
    return f'<p class="qa-error">{esc(message)}</p>'


def _rank(name: str, rank: int | None) -> str:
    return f"{name} #{rank}" if rank is not None else f"{name} 未命中"


def render_passages(hits: Sequence) -> str:
    """The passages the retriever considered, each expandable, with fused score and ranks."""
    if not hits:
        return '<p class="qa-muted">没有检索到段落。</p>'
    items = []
    for i, hit in enumerate(hits, start=1):
        c = hit.chunk
        items.append(
            f'<details class="qa-passage"{" open" if i == 1 else ""}><summary>'
            f"<b>#{i}</b> 融合得分 {hit.score:.4f} · {_rank('向量', hit.dense_rank)} / "
            f"{_rank('词法', hit.lexical_rank)}<br>"
            f'<span class="qa-source">{esc(c.doc_id)} · {esc(c.section)} · '
            f"字符 {c.start}–{c.end}</span></summary>"
            f'<div class="qa-passage-text">{html.escape(c.text)}</div></details>')
    return "".join(items)


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
def create_app(config: Config, engine_factory: EngineFactory | None = None,
               admin_token: str | None = None, examples: Iterable[str] | None = None,
               ask_concurrency: int = 2, queue_size: int = 64):
    """The Gradio Blocks app. The engine is opened in the background right away.

    admin_token (default: config.admin_token) shows the rebuild panel; without one there is none.
    """
    # Start opening the engine first: importing torch there overlaps with importing gradio here.
    slot = EngineSlot(engine_factory or default_engine_factory(config)).start()
    import gradio as gr

    token = config.admin_token if admin_token is None else admin_token
    examples = list(examples) if examples is not None else list(FALLBACK_EXAMPLES)
    max_chars = config.max_question_chars

    def ask(question: str, previous: str | None) -> Answer:
        return slot.get().ask(question, previous=previous or None)

    def respond(message, history, previous):
        history = list(history or [])
        text = message if isinstance(message, str) else ""
        if text.strip():
            history.append({"role": "user", "content": render_question(text, max_chars)})
        try:
            answer = ask(text, previous)
        except QAError as exc:
            history.append({"role": "assistant", "content": render_error(str(exc))})
            return "", history, gr.skip(), previous
        except Exception:
            logger.exception("question failed: %r", text[:max_chars])
            history.append({"role": "assistant", "content": render_error(INTERNAL_ERROR)})
            return "", history, gr.skip(), previous
        history.append({"role": "assistant", "content": render_answer(answer)})
        # The next follow-up builds on this question as understood (那授权量呢 → 授权量 + 专利申请量…).
        return "", history, render_passages(answer.hits), answer.understood_as or answer.question

    def ask_api(question: str, previous: str = "") -> dict:
        """回答关于报告的问题；previous 是上一个问题（用于追问，可省略）。
        返回答案的 JSON（answer、quotes、passages …），出错时返回 {"error": "…"}。"""
        try:
            return ask(question, previous).to_json()
        except QAError as exc:
            return {"error": str(exc)}
        except Exception:
            logger.exception("API question failed")
            return {"error": INTERNAL_ERROR}

    def token_ok(given: str | None) -> bool:
        ok = bool(token) and hmac.compare_digest((given or "").encode(), token.encode())
        if not ok:
            time.sleep(0.5)  # makes guessing slow without holding up anyone else's questions
        return ok

    def unlock(given):
        if token_ok(given):
            return gr.update(visible=True), "<p>令牌正确，可以重建索引。</p>"
        return gr.update(visible=False), render_error("管理令牌不正确。")

    def rebuild(given, progress=gr.Progress()):
        if not token_ok(given):
            return render_error("管理令牌不正确。"), slot.status()
        try:
            engine = slot.get()
        except QAError as exc:
            return render_error(str(exc)), slot.status()

        def start(total: int):
            done = 0

            def tick(n: int) -> None:
                nonlocal done
                done += n
                progress((done, total), desc="嵌入片段", unit="段")
            return tick

        progress(0, desc="读取语料、切分段落…")
        slot.rebuilding = True
        try:
            summary = engine.rebuild(progress=start)
        except QAError as exc:
            return render_error(f"重建失败，仍使用原索引：{exc}"), slot.status()
        except Exception:
            logger.exception("rebuild failed")
            return render_error("重建失败，仍使用原索引；详情见服务器日志。"), slot.status()
        finally:
            slot.rebuilding = False
        return f"<p>{esc(summary.line())}</p>", slot.status()

    def reset():
        return [], NO_PASSAGES, ""

    with gr.Blocks(title="报告问答", analytics_enabled=False) as demo:
        gr.Markdown("# 报告问答\n用中文提问，答案直接摘自报告原文，并标出出处（文档 · 章节 · 字符位置）。")
        status = gr.HTML(elem_id="qa-status", js_on_load=None)
        for event in (demo.load, gr.Timer(2.0).tick):
            event(slot.status, outputs=status, queue=False, show_progress="hidden",
                  api_visibility="private")
        previous = gr.State("")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="对话", elem_id="qa-chat", height=560, render_markdown=False,
                    sanitize_html=True, latex_delimiters=[], allow_tags=False,
                    feedback_options=None, buttons=["copy"],
                    placeholder="在下方输入关于报告的问题，或点击示例问题。")
                with gr.Row():
                    box = gr.Textbox(show_label=False, scale=4, elem_id="qa-question",
                                     placeholder="输入问题，例如：2020年专利申请量是多少？可接着追问")
                    send = gr.Button("发送", variant="primary", scale=1, min_width=80,
                                     elem_id="qa-send")
                    clear = gr.Button("清空对话", scale=1, min_width=80, elem_id="qa-clear")
                gr.Examples([[q] for q in examples], inputs=[box], label="示例问题")
            with gr.Column(scale=2):
                with gr.Accordion("检索到的段落", open=True):
                    passages = gr.HTML(NO_PASSAGES, elem_id="qa-passages", js_on_load=None)

        chat = dict(fn=respond, inputs=[box, chatbot, previous],
                    outputs=[box, chatbot, passages, previous], concurrency_id="ask",
                    concurrency_limit=ask_concurrency, show_progress="minimal",
                    api_visibility="private")
        box.submit(**chat)
        send.click(**chat)
        clear.click(reset, outputs=[chatbot, passages, previous], queue=False,
                    api_visibility="private")
        chatbot.clear(lambda: (NO_PASSAGES, ""), outputs=[passages, previous], queue=False,
                      api_visibility="private")
        gr.api(ask_api, api_name="ask", concurrency_id="ask", concurrency_limit=ask_concurrency)

        if token:
            with gr.Accordion("管理", open=False):
                given = gr.Textbox(label="管理令牌", type="password")
                check = gr.Button("验证")
                with gr.Column(visible=False) as tools:
                    rebuild_btn = gr.Button("重建索引", variant="stop")
                    gr.Markdown("重建期间，提问仍由当前索引回答；完成后自动切换到新索引。")
                admin_out = gr.HTML(js_on_load=None)
            check.click(unlock, inputs=given, outputs=[tools, admin_out],
                        api_visibility="private")
            # Its own concurrency group: a rebuild never takes a slot from the questions.
            rebuild_btn.click(rebuild, inputs=given, outputs=[admin_out, status],
                              concurrency_id="rebuild", concurrency_limit=1,
                              api_visibility="private")
            from .webapp_documents import documents_panel  # upload, list, delete (issue 13)
            documents_panel(config, slot, token)

    demo.queue(default_concurrency_limit=ask_concurrency, max_size=queue_size)
    demo.engine_slot = slot  # for tests and for serve() to report readiness
    return demo


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
                footer_links=["api"], show_error=False, css=CSS, quiet=True)
