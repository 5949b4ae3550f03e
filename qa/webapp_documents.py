"""The web page's document panel, behind the admin token: upload one or several reports, follow
the index being updated, see the documents (name, kind, pages, sections, chunks, when added) and
the files that could not be read with why, delete one, and a notice when `corpus/` differs from
the index.

    with gr.Blocks() as demo:
        ...
        documents_panel(config, slot, token)     # slot: webapp.EngineSlot

It uses qa/corpus_admin.py for the files and `Engine.rebuild` for the index (only what changed
is read and embedded); questions go on being answered from the current index meanwhile. Every
handler checks the token again: hiding the panel is not what protects it.
"""
from __future__ import annotations

import hmac
import html
import logging
import time
from pathlib import Path

from .config import Config
from .corpus_admin import CorpusAdmin, DocumentRow
from .errors import QAError
from .webapp_render import counting_progress

logger = logging.getLogger(__name__)

ACCEPTED = [".pdf", ".docx", ".txt", ".md"]
BAD_TOKEN = "管理令牌不正确。"
COLUMNS = ("文件", "类型", "页数", "章节", "片段", "加入时间", "状态")


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_documents(rows: list[DocumentRow]) -> str:
    """The documents as an HTML table (every value escaped)."""
    if not rows:
        return '<p class="qa-muted">语料目录中还没有报告。</p>'
    head = "".join(f"<th>{c}</th>" for c in COLUMNS)
    body = []
    for row in rows:
        cells = (row.doc_id, row.kind, row.pages or "—", row.sections or "—", row.chunks or "—",
                 row.added_at or "—", row.status)
        problem = ' class="qa-doc-problem"' if row.status != "已索引" else ""
        body.append(f"<tr{problem}>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    return (f'<table class="qa-docs-table" style="border-collapse:collapse;width:100%">'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def render_notice(differences: list[str]) -> str:
    if not differences:
        return '<p class="qa-muted">语料目录与索引一致。</p>'
    items = "".join(f"<li>{esc(line)}</li>" for line in differences)
    return f'<div class="qa-docs-stale"><b>语料目录与索引不一致：</b><ul>{items}</ul></div>'


def render_messages(lines: list[str], error: bool = False) -> str:
    """One paragraph a line; a line saying what went wrong (未添加/跳过/没有更新) in red, or all
    of them with `error`."""
    def kind(line: str) -> str:
        bad = error or line.startswith(("未添加", "跳过", "索引没有更新"))
        return "qa-error" if bad else "qa-docs-done"
    return "".join(f'<p class="{kind(line)}">{esc(line)}</p>' for line in lines)


class DocumentHandlers:
    """What the panel's buttons do. Every handler checks the token again."""

    def __init__(self, config: Config, slot, token: str):
        self.config = config
        self.slot = slot
        self.token = token
        self.admin = CorpusAdmin(config)

    def token_ok(self, given: str | None) -> bool:
        ok = hmac.compare_digest((given or "").encode(), self.token.encode())
        if not ok:
            time.sleep(0.5)  # makes guessing slow
        return ok

    def view(self):
        """(notice, document table, choices to delete)."""
        import gradio as gr

        try:
            index = self.slot.get().index
        except QAError:
            index = None
        rows = self.admin.documents(index)
        return (render_notice(self.admin.differences(index)), render_documents(rows),
                gr.update(choices=[row.doc_id for row in rows], value=None))

    def rebuild(self, progress) -> list[str]:
        """Update the index; the lines to show. Raises QAError when it cannot be done now."""
        engine = _engine_for_rebuild(self.slot, self.config)

        def on_file(done: int, total: int, name: str) -> None:
            progress((done, max(total, 1)), desc=f"读取文件 {name}" if name else "读取完毕",
                     unit="个")

        self.slot.rebuilding = True
        try:
            summary = engine.rebuild(progress=counting_progress(progress, "嵌入新句子", "句"),
                                     on_file=on_file)
        finally:
            self.slot.rebuilding = False
        _adopt(self.slot, engine)
        return [summary.line()] + [f"跳过 {line}" for line in summary.skipped]

    def rebuild_lines(self, progress) -> list[str]:
        try:
            return self.rebuild(progress)
        except QAError as exc:
            return [f"索引没有更新，仍使用原索引：{exc}"]
        except Exception:
            logger.exception("rebuild from the document panel failed")
            return ["索引没有更新，仍使用原索引；详情见服务器日志。"]

    def unlock(self, given):
        import gradio as gr

        if not self.token_ok(given):
            return (gr.update(visible=False), render_messages([BAD_TOKEN], error=True),
                    gr.skip(), gr.skip(), gr.skip())
        return (gr.update(visible=True), "", *self.view())

    def add(self, given, files, progress=None):
        import gradio as gr

        if not self.token_ok(given):
            return render_messages([BAD_TOKEN], error=True), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        files = [f for f in (files or []) if f]
        if not files:
            return (render_messages(["请先选择要上传的文件。"], error=True), *self.view(), gr.skip())
        progress(0, desc="检查上传的文件…")
        results = self.admin.add([(Path(f), Path(f).name) for f in files])
        lines = [r.message for r in results]
        if any(r.ok for r in results):
            lines += self.rebuild_lines(progress)
        return render_messages(lines), *self.view(), None

    def delete(self, given, doc_id, progress=None):
        import gradio as gr

        if not self.token_ok(given):
            return render_messages([BAD_TOKEN], error=True), gr.skip(), gr.skip(), gr.skip()
        if not doc_id:
            return (render_messages(["请先在列表中选择要删除的文件。"], error=True), *self.view())
        try:
            self.admin.delete(doc_id)
        except QAError as exc:
            return (render_messages([str(exc)], error=True), *self.view())
        return (render_messages([f"已删除 {doc_id}"] + self.rebuild_lines(progress)), *self.view())

    def update(self, given, progress=None):
        import gradio as gr

        if not self.token_ok(given):
            return render_messages([BAD_TOKEN], error=True), gr.skip(), gr.skip(), gr.skip()
        return (render_messages(self.rebuild_lines(progress)), *self.view())

    def refresh(self, given):
        import gradio as gr

        if not self.token_ok(given):
            return render_messages([BAD_TOKEN], error=True), gr.skip(), gr.skip(), gr.skip()
        return ("", *self.view())


def documents_panel(config: Config, slot, token: str) -> None:
    """Add the document panel to the gr.Blocks being built; nothing without a token."""
    import gradio as gr

    if not token:
        return
    docs = DocumentHandlers(config, slot, token)

    # Gradio shows a progress bar for a handler with a gr.Progress default argument.
    def docs_add(given, files, progress=gr.Progress()):
        return docs.add(given, files, progress)

    def docs_delete(given, doc_id, progress=gr.Progress()):
        return docs.delete(given, doc_id, progress)

    def docs_update(given, progress=gr.Progress()):
        return docs.update(given, progress)

    with gr.Accordion("文档管理", open=False, elem_id="qa-docs"):
        given = gr.Textbox(label="管理令牌", type="password", elem_id="qa-docs-token")
        enter = gr.Button("进入文档管理", elem_id="qa-docs-enter")
        message = gr.HTML(elem_id="qa-docs-message", js_on_load=None)
        with gr.Column(visible=False, elem_id="qa-docs-tools") as tools:
            notice = gr.HTML(elem_id="qa-docs-notice", js_on_load=None)
            upload = gr.File(label="上传报告（可多选：PDF、Word .docx、文本 .txt/.md）",
                             file_count="multiple", file_types=ACCEPTED, type="filepath",
                             elem_id="qa-docs-upload")
            add_button = gr.Button("添加并更新索引", variant="primary", elem_id="qa-docs-add")
            listing = gr.HTML(elem_id="qa-docs-list", js_on_load=None)
            with gr.Row():
                chosen = gr.Dropdown(label="选择文件", choices=[], elem_id="qa-docs-chosen",
                                     scale=3)
                delete_button = gr.Button("删除并更新索引", variant="stop", scale=1,
                                          elem_id="qa-docs-delete")
            with gr.Row():
                update_button = gr.Button("按语料目录更新索引", elem_id="qa-docs-update")
                refresh_button = gr.Button("刷新列表", elem_id="qa-docs-refresh")
            gr.Markdown("更新索引时只读取和嵌入有变化的文件；期间提问仍由当前索引回答。")

    shown = [notice, listing, chosen]
    private = dict(api_visibility="private")
    # One at a time, and in the same group as the admin panel's rebuild: two builds never race.
    building = dict(concurrency_id="rebuild", concurrency_limit=1, **private)
    enter.click(docs.unlock, inputs=given, outputs=[tools, message, *shown], api_name="docs_unlock",
                **private)
    add_button.click(docs_add, inputs=[given, upload], outputs=[message, *shown, upload], **building)
    delete_button.click(docs_delete, inputs=[given, chosen], outputs=[message, *shown], **building)
    update_button.click(docs_update, inputs=given, outputs=[message, *shown], **building)
    refresh_button.click(docs.refresh, inputs=given, outputs=[message, *shown],
                         api_name="docs_refresh", **private)


def _engine_for_rebuild(slot, config: Config):
    """The running engine; or, when opening it failed (an empty corpus, say), a new one that
    the first successful build puts in the slot."""
    try:
        return slot.get()
    except QAError:
        if not slot.ready.is_set():
            raise QAError("模型和索引仍在加载：文件已保存，加载完成后请点「按语料目录更新索引」") from None
        from .engine import Engine

        return Engine(config)


def _adopt(slot, engine) -> None:
    """A slot whose engine failed to open serves this one from now on (webapp.EngineSlot keeps
    the engine and the error it shows in these two attributes)."""
    if getattr(slot, "_engine", None) is None:
        slot._engine, slot._error = engine, None
