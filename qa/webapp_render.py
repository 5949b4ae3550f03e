"""How an answer reads on the web page: the chat reply and the passages panel as HTML, and the
plain text a person copies. Pure functions over the records of qa.answer and qa.retriever.

Every piece of report text and user text is HTML-escaped before any markup is added, so
nothing typed or quoted can become a link, an image or a script.

A reply says its verdict first. An answer: the short answer, in words how sure it is, the
quoted sentences with the answer marked, each with its source (opening the passage it stands
in, the sentence marked there). A non-answer: 报告中没有找到…, then one closest sentence
labelled as not an answer; the others are folded, and no confidence figure is shown. Figures
and reasons sit behind 详细.
"""
from __future__ import annotations

import html
from typing import Callable, Sequence

from .answer import Answer, Quote

# An answer at or above this confidence reads 有把握; below it, 不确定 (answers are only given
# above the configured minimum, 0.6 by default, so this splits the sure from the borderline).
SURE = 0.85
NO_PASSAGES = '<p class="qa-muted">提问后，这里会列出检索到的段落。</p>'
SEARCHING = '<p class="qa-muted">正在查找与这个问题相关的段落…</p>'
NOTHING_RETRIEVED = '<p class="qa-muted">这个问题没有检索到段落。</p>'


def esc(text: object) -> str:
    """Report or user text as inert HTML: escaped, line breaks kept."""
    return html.escape(str(text), quote=True).replace("\n", "<br>")


def render_question(question: str, max_chars: int) -> str:
    # An over-long question is refused anyway; no need to echo megabytes back into the page.
    shown = question if len(question) <= max_chars else question[:max_chars] + "…"
    return esc(shown)


def sureness(answer: Answer) -> str:
    """How sure an answer is, in words (a non-answer has none)."""
    if answer.abstained:
        return ""
    return "有把握" if answer.confidence >= SURE else "不确定，请对照原文"


# ------------------------------------------------------------------ passages
def passage_of(quote: Quote, hits: Sequence) -> object | None:
    """The retrieved passage (a Chunk) the quoted sentence stands in, or None."""
    for hit in hits:
        c = hit.chunk
        if c.doc_id == quote.doc_id and c.start <= quote.start and quote.end <= c.end:
            return c
    return None


def marked_passage(chunk, quotes: Sequence[Quote]) -> str:
    """The passage's text with each quoted sentence in it marked, and the answer inside it."""
    inside = sorted((q for q in quotes if q.doc_id == chunk.doc_id
                     and chunk.start <= q.start and q.end <= chunk.end), key=lambda q: q.start)
    out, cursor = [], chunk.start
    for q in inside:
        if q.start < cursor:  # overlaps a sentence already marked
            continue
        before, said, after = q.parts()
        marked = esc(before) + (f'<mark class="qa-answer">{esc(said)}</mark>' if said else "") \
            + esc(after)
        out.append(esc(chunk.text[cursor - chunk.start:q.start - chunk.start]))
        out.append(f'<mark class="qa-quoted">{marked}</mark>')
        cursor = q.end
    out.append(esc(chunk.text[cursor - chunk.start:]))
    return "".join(out)


def render_source(quote: Quote, hits: Sequence = ()) -> str:
    """来源: where the sentence stands; it opens the passage around it (and says the page)."""
    label = f"来源：{esc(quote.source)}"
    chunk = passage_of(quote, hits)
    if chunk is None:
        return f'<p class="qa-source">{label}</p>'
    where = [f"原文第{quote.page}页"] if quote.page else []
    where.append(f"字符 {quote.start}–{quote.end}")
    return (f'<details class="qa-source"><summary>{label}</summary>'
            f'<div class="qa-passage-text">{marked_passage(chunk, [quote])}</div>'
            f'<p class="qa-muted">{" · ".join(where)}</p></details>')


def render_quote(quote: Quote, hits: Sequence = (), highlight: bool = True) -> str:
    """The supporting sentence with the answer span in <mark>, and its source."""
    before, marked, after = quote.parts()
    if highlight and marked:
        body = f"{esc(before)}<mark>{esc(marked)}</mark>{esc(after)}"
    else:
        body = esc(quote.sentence)
    return f'<blockquote class="qa-quote">{body}</blockquote>{render_source(quote, hits)}'


# ------------------------------------------------------------------ the chat reply
def render_answer(answer: Answer) -> str:
    """One chat reply, verdict first (see the module's docstring)."""
    if answer.abstained:
        return _reply("qa-abstained", _non_answer(answer), plain_text(answer))
    sure = sureness(answer)
    kind = "qa-sure" if answer.confidence >= SURE else "qa-unsure"
    parts = [f'<p class="qa-short"><strong>{esc(answer.text or answer.message)}</strong>'
             f'<span class="qa-sureness {kind}">{esc(sure)}</span></p>']
    parts.extend(render_quote(q, answer.hits) for q in answer.quotes)
    details = [f"置信度 {answer.confidence:.0%}"]
    if answer.understood_as and answer.understood_as != answer.question:
        details.append(f"问题理解为：{answer.understood_as}")
    parts.append(_details(details))
    return _reply("qa-answered", parts, plain_text(answer))


def _non_answer(answer: Answer) -> list[str]:
    parts = [f'<p class="qa-short qa-verdict"><strong>{esc(answer.message)}</strong></p>']
    closest = [render_quote(q, answer.hits, highlight=False) for q in answer.quotes]
    if not closest:  # no sentence came close: the best passages stand in for it
        closest = [f'<blockquote class="qa-quote">{esc(h.chunk.text)}</blockquote>'
                   for h in answer.hits[:3]]
    if closest:
        parts.append('<p class="qa-closest-label">最接近的一句（并非答案）：</p>')
        parts.append(closest[0])
    if len(closest) > 1:
        parts.append(f'<details class="qa-more"><summary>另外 {len(closest) - 1} 处相近的原文'
                     f'（也不是答案）</summary>{"".join(closest[1:])}</details>')
    reasons = [f.reason for f in answer.findings] or ["原文中没有一句足以回答这个问题。"]
    if answer.understood_as and answer.understood_as != answer.question:
        reasons.append(f"问题理解为：{answer.understood_as}")
    parts.append(_details(reasons))
    return parts


def _details(lines: Sequence[str]) -> str:
    items = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return f'<details class="qa-detail"><summary>详细</summary><ul>{items}</ul></details>'


def _reply(kind: str, parts: Sequence[str], plain: str) -> str:
    """A reply with its copy button; its plain text rides along hidden, for copying and for
    screen readers (the page's script reads it)."""
    return (f'<div class="qa-reply {kind}">{"".join(parts)}'
            '<div class="qa-actions"><button type="button" class="qa-copy">复制</button></div>'
            f'<span class="qa-plain" hidden>{esc(plain)}</span></div>')


def error_line(message: str) -> str:
    """A message in red, outside the chat (under the question box, in the admin area)."""
    return f'<p class="qa-error" role="alert">{esc(message)}</p>'


def render_error(message: str) -> str:
    """A reply that could not be given (the engine failed or is not ready)."""
    return _reply("qa-failed", [f'<p class="qa-error">{esc(message)}</p>'], message)


def plain_text(answer: Answer) -> str:
    """What 复制 gives: the answer —「quote」来源…, one quote a line (no markup)."""
    def cited(q: Quote) -> str:
        return f"「{q.sentence}」来源：{q.source}"
    if answer.abstained:
        head = answer.message
        if answer.quotes:
            head += f"最接近的一句（并非答案）：{cited(answer.quotes[0])}"
        return head
    lines = [f"{answer.text} ——{cited(answer.quotes[0])}" if answer.quotes else answer.text or ""]
    lines.extend(cited(q) for q in answer.quotes[1:])
    return "\n".join(lines)


# ------------------------------------------------------------------ the passages panel
def render_passages(hits: Sequence, quotes: Sequence[Quote] = (),
                    place: Callable[[object], str] | None = None, closest: bool = False) -> str:
    """The passages the retriever considered, the quoted sentences marked in them, each under
    where it stands; the retrieval scores behind 详细. `place(chunk)` says where a passage
    stands for people (document title · section · page); by default, its file and section.
    `closest`: the quotes are a non-answer's closest sentences, not an answer's."""
    if not hits:
        return NOTHING_RETRIEVED
    place = place or (lambda c: f"{c.doc_id} · {c.section}")
    first = next((i for i, h in enumerate(hits) for q in quotes[:1]
                  if passage_of(q, [h]) is not None), 0)
    items = []
    for i, hit in enumerate(hits):
        c = hit.chunk
        quoted = any(passage_of(q, [hit]) is not None for q in quotes)
        badge = f'<span class="qa-badge">{"含最接近的句子" if closest else "含引用"}</span>' \
            if quoted else ""
        scores = (f"检索得分 {hit.score:.4f} · {_rank('语义检索', hit.dense_rank)} · "
                  f"{_rank('关键词检索', hit.lexical_rank)} · 字符 {c.start}–{c.end}")
        items.append(
            f'<details class="qa-passage"{" open" if i == first else ""}><summary>'
            f"<b>{i + 1}</b> {esc(place(c))}{badge}</summary>"
            f'<div class="qa-passage-text">{marked_passage(c, quotes)}</div>'
            f'<details class="qa-scores"><summary>详细</summary>'
            f'<p class="qa-muted">{scores}</p></details></details>')
    return "".join(items)


def _rank(name: str, rank: int | None) -> str:
    return f"{name}第 {rank} 名" if rank is not None else f"{name}未命中"


def counting_progress(progress, desc: str, unit: str):
    """engine.rebuild's progress callback (given the total, returns a tick(n)), shown on a
    gr.Progress as done/total."""
    def start(total: int):
        done = 0

        def tick(n: int) -> None:
            nonlocal done
            done += n
            progress((done, total), desc=desc, unit=unit)
        return tick
    return start
