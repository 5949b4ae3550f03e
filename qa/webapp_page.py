"""The web page's style sheet and script (given to Gradio's launch()).

The script does what the chat component cannot be told to do: label each message with its
plain text (Gradio labels it with its HTML), put Gradio's few English labels and toast titles
in Chinese, copy a reply as plain text, and bring a new reply's first line (its verdict) into
view. It reads the
page and sets attributes and text only; it never inserts markup.
"""
from __future__ import annotations

CSS = """
.qa-short { font-size: 1.1em; margin: 0 0 .3em 0; }
.qa-sureness { font-size: .8em; font-weight: normal; margin-left: .6em; padding: 0 .4em;
               border-radius: .3em; white-space: nowrap; }
.qa-sure { background: #e3f4e1; color: #1d6b24; }
.qa-unsure { background: #fff1d6; color: #8a5300; }
.qa-muted, .qa-source summary, p.qa-source { color: #666; font-size: .85em; }
.qa-quote { border-left: 3px solid #f0b400; padding: .2em .6em; margin: .5em 0 .2em 0; }
.qa-quote mark, mark.qa-answer { background: #ffe066; padding: 0 .1em; }
mark.qa-quoted { background: #fff6cc; color: inherit; }
.qa-closest-label { font-weight: 600; color: #a15c00; margin: .4em 0 0 0; }
.qa-error { color: #b00020; }
.qa-reply details > summary { cursor: pointer; }
.qa-reply details { margin: .3em 0; }
.qa-reply ul { margin: .2em 0 .2em 1.2em; padding: 0; }
.qa-plain { display: none !important; }
.qa-actions { margin-top: .4em; }
.qa-copy { font-size: .85em; padding: .1em .7em; border: 1px solid #bbb; border-radius: .3em;
           background: transparent; cursor: pointer; }
.qa-passage { margin-bottom: .6em; }
.qa-passage summary { cursor: pointer; }
.qa-passage-text { white-space: pre-wrap; margin: .3em 0 .3em 1em; }
.qa-badge { font-size: .75em; margin-left: .5em; padding: 0 .3em; border-radius: .3em;
            background: #fff1d6; color: #8a5300; }
.qa-scores { margin-left: 1em; }
#qa-hint { min-height: 1.4em; font-size: .85em; color: #666; }
#qa-hint .qa-over, #qa-hint .qa-error { color: #b00020; }
#qa-under { align-items: center; flex-wrap: nowrap; }
#qa-under > #qa-hint { flex: 1 1 auto; }
/* The chat fills what the screen leaves, so the question box stays in view on a phone. */
#qa-chat { height: clamp(280px, calc(100dvh - 300px), 600px) !important; }
/* Gradio's clear icon would sit over the first reply; 清空对话 is under the box instead. */
#qa-chat .icon-button-wrapper.top-panel { display: none; }
@media (max-width: 640px) {
  .main.fillable.app { padding-left: 8px; padding-right: 8px; }
  #qa-chat { height: clamp(240px, calc(100dvh - 340px), 600px) !important; }
  #qa-title h1 { font-size: 1.4em; margin: 0; }
  #qa-input { flex-wrap: nowrap; }
}
"""

# Keeps the length counter and the send button in step with the question box, in the browser.
# __MAX__ is the configured limit; code points are counted, as the server counts them.
COUNT_JS = """
(text) => {
  const n = [...(text || "").trim()].length;
  const max = __MAX__;
  const ok = n > 0 && n <= max;
  const hint = n > max
    ? `<span class="qa-over">${n} / ${max} 字：超出 ${n - max} 字，请删减后再发送</span>`
    : `<span class="qa-count">${n} / ${max} 字</span>`;
  return [{__type__: "update", interactive: ok}, hint];
}
"""

SCRIPT = """
() => {
  const LABELS = {
    "chatbot conversation": "对话", "Copy message": "复制", "Copied message": "已复制",
    "Liked": "已赞（再点一次撤销）", "Disliked": "已踩（再点一次撤销）", "Feedback": "反馈",
    "Loading response": "正在回答", "Loading content": "正在回答",
    "Gradio footer navigation": "页脚", "Close": "关闭",
  };
  const TOASTS = {"Info": "提示", "Warning": "注意", "Error": "错误", "Success": "完成"};
  const plain = (message) => {
    const hidden = message.querySelector(".qa-plain");
    return (hidden ? hidden.textContent : message.textContent).trim();
  };
  let questions = 0, answers = 0;   // seen so far, to tell new ones

  function tidy() {
    for (const el of document.querySelectorAll("[aria-label], [title]")) {
      for (const attr of ["aria-label", "title"]) {
        const chinese = LABELS[el.getAttribute(attr)];
        if (chinese) el.setAttribute(attr, chinese);
      }
    }
    for (const title of document.querySelectorAll(".toast-title")) {
      const text = title.firstChild;
      const chinese = text && TOASTS[text.nodeValue.trim()];
      if (chinese) text.nodeValue = chinese + " ";
    }
    const messages = document.querySelectorAll(
      "#qa-chat [data-testid=bot], #qa-chat [data-testid=user]");
    for (const message of messages) {
      const who = message.getAttribute("data-testid") === "user" ? "问题：" : "回答：";
      const label = who + plain(message);
      if (message.getAttribute("aria-label") !== label) message.setAttribute("aria-label", label);
    }
    // A new question: show it at the bottom. A new reply: show its beginning (the verdict),
    // not the end of a long reply.
    const log = document.querySelector("#qa-chat [role=log]");
    const asked = document.querySelectorAll("#qa-chat [data-testid=user]").length;
    const replies = document.querySelectorAll("#qa-chat [data-testid=bot]");
    if (log && asked > questions) log.scrollTop = log.scrollHeight;
    if (log && replies.length > answers) {
      const last = replies[replies.length - 1];
      const row = last.closest(".message-row") || last;
      log.scrollTop += row.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
    }
    questions = asked;
    answers = replies.length;
  }

  let queued = false;
  new MutationObserver(() => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(() => { queued = false; tidy(); });
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                             attributes: true, attributeFilter: ["aria-label", "title"]});

  document.addEventListener("click", async (event) => {
    const button = event.target.closest ? event.target.closest(".qa-copy") : null;
    if (!button) return;
    const text = plain(button.closest(".qa-reply"));
    try {
      await navigator.clipboard.writeText(text);
    } catch (err) {  // no clipboard API (a plain-http address other than this machine)
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    button.textContent = "已复制";
    setTimeout(() => { button.textContent = "复制"; }, 1500);
  });
  tidy();
}
"""


# Given as the page head's own <style>: Gradio rewrites a css= argument to apply only inside its
# content area, out of reach of the page's margins (too wide on a phone).
HEAD = f"<style>{CSS}</style>"


def count_js(max_chars: int) -> str:
    return COUNT_JS.replace("__MAX__", str(int(max_chars)))
