"""The web page's admin area (管理), shown only when an admin token is configured.

It is a token box and, behind the right token, a list of sections; each section is one function
of an `Admin` that builds its own components and events:

    def documents_section(admin: Admin) -> None:
        upload = gr.File(label="上传文档")
        upload.upload(handler, inputs=[admin.token, upload], ...)   # handler checks admin.token_ok

    create_app(config, admin_sections=ADMIN_SECTIONS + (documents_section,))
"""
from __future__ import annotations

import hmac
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from .errors import QAError
from .webapp_render import counting_progress, error_line, esc

if TYPE_CHECKING:
    from .webapp import EngineSlot

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Admin:
    """What an admin section builds on: the engine, the token the admin entered (pass it as an
    input of every admin action and check it with `token_ok` inside), and the status line."""
    slot: EngineSlot
    token: object          # gr.Textbox
    token_ok: Callable[[str | None], bool]
    status: object         # gr.HTML


def rebuild_section(admin: Admin) -> None:
    """重建索引: rebuild from the corpus while questions go on against the current index."""
    import gradio as gr

    button = gr.Button("重建索引", variant="stop")
    gr.Markdown("重建期间，提问仍由当前索引回答；完成后自动切换到新索引。")
    out = gr.HTML(js_on_load=None)

    def rebuild(given, progress=gr.Progress()):
        if not admin.token_ok(given):
            return error_line("管理令牌不正确。"), admin.slot.status()
        try:
            engine = admin.slot.get()
        except QAError as exc:
            return error_line(str(exc)), admin.slot.status()

        progress(0, desc="读取语料、切分段落…")
        admin.slot.rebuilding = True
        try:
            summary = engine.rebuild(progress=counting_progress(progress, "嵌入片段", "段"))
        except QAError as exc:
            return error_line(f"重建失败，仍使用原索引：{exc}"), admin.slot.status()
        except Exception:
            logger.exception("rebuild failed")
            return error_line("重建失败，仍使用原索引；详情见服务器日志。"), admin.slot.status()
        finally:
            admin.slot.rebuilding = False
        return f"<p>{esc(summary.line())}</p>", admin.slot.status()

    # Its own concurrency group: a rebuild never takes a slot from the questions.
    button.click(rebuild, inputs=admin.token, outputs=[out, admin.status],
                 concurrency_id="rebuild", concurrency_limit=1, api_visibility="private")


ADMIN_SECTIONS = (rebuild_section,)


def build_admin_panel(slot: EngineSlot, token: str, status,
                      sections: Sequence[Callable[[Admin], None]] = ADMIN_SECTIONS) -> None:
    """管理: a token box; the right token shows the sections (each one function of an `Admin`),
    and every admin action checks the token again on the server."""
    import gradio as gr

    def token_ok(given: str | None) -> bool:
        ok = bool(token) and hmac.compare_digest((given or "").encode(), token.encode())
        if not ok:
            time.sleep(0.5)  # makes guessing slow without holding up anyone else's questions
        return ok

    def unlock(given):
        if token_ok(given):
            return gr.update(visible=True), "<p>令牌正确。</p>"
        return gr.update(visible=False), error_line("管理令牌不正确。")

    with gr.Accordion("管理", open=False):
        given = gr.Textbox(label="管理令牌", type="password")
        check = gr.Button("验证")
        message = gr.HTML(js_on_load=None)
        with gr.Column(visible=False) as tools:
            admin = Admin(slot, given, token_ok, status)
            for section in sections:
                section(admin)
    check.click(unlock, inputs=given, outputs=[tools, message], api_visibility="private")
