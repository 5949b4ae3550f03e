"""The real app in a subprocess (real model, index built on start), asked through gradio_client
and through a real headless Chromium, at desktop and at phone width.

The app runs with the answering threshold at 0 for Chinese questions and above 1 for English
ones, so whether a question gets an answer or a non-answer does not hang on how good the reader
is: these tests check what the page does with each, not the answers' quality.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from .conftest import CORPUS, ROOT

pytestmark = pytest.mark.integration

QUESTION = "2020年高新区专利申请量达到多少件？"   # answered (threshold 0)
SECOND = "新建公厕多少座？"                      # answered
UNANSWERED = "How many people live on Mars?"     # a non-answer (English needs more than 1)
INJECTIONS = ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>",
              "[x](javascript:alert(1))")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 640}   # a reply can be taller than the chat here
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium")
                                        else None)
# Offline and quiet: no sync, no component updates, no first-run pings.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
START_TIMEOUT = 300  # first start converts the model (~15-40 s) and builds the index
REPLY_TIMEOUT = 60_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_answering(url: str, proc: subprocess.Popen, log_path) -> None:
    from gradio_client import Client

    deadline = time.monotonic() + START_TIMEOUT
    client, last = None, "server not up"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"app exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            client = client or Client(url, verbose=False)
            result = client.predict(QUESTION, api_name="/ask")
            if "error" not in result:
                return
            last = result["error"]
        except Exception as exc:  # not listening yet
            last = repr(exc)
        time.sleep(1)
    pytest.fail(f"app did not answer within {START_TIMEOUT} s ({last}):\n"
                f"{log_path.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def live(tmp_path_factory, real_cache_dir):
    """`python app.py` on a free port with a fresh index, the session's model cache and its
    own feedback file."""
    tmp = tmp_path_factory.mktemp("live-app")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(QA_CACHE_DIR=str(real_cache_dir), GRADIO_ANALYTICS_ENABLED="False",
               QA_FEEDBACK_PATH=str(tmp / "feedback.jsonl"), QA_ANSWER_MIN_CONFIDENCE="0",
               QA_ANSWER_MIN_CONFIDENCE_ENGLISH="1.01")
    log_path = tmp / "app.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--port", str(port),
             "--index", str(tmp / "index"), "--corpus", str(CORPUS)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_answering(url, proc, log_path)
        yield SimpleNamespace(url=url, feedback=tmp / "feedback.jsonl")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_ask_endpoint_answers_with_quote_and_follow_up(live):
    from gradio_client import Client

    client = Client(live.url, verbose=False)
    result = client.predict(QUESTION, api_name="/ask")
    assert result["answer"] and not result["abstained"]
    top = result["quotes"][0]
    assert top["highlight"] == result["answer"] or top["highlight"] in top["sentence"]
    assert top["doc_id"].startswith("郑州高新区") and top["end"] > top["start"]
    assert result["passages"] and 0 <= result["confidence"] <= 1

    follow_up = client.predict("那授权量呢？", QUESTION, api_name="/ask")
    assert "授权量" in follow_up["understood_as"] and "专利" in follow_up["understood_as"]
    unanswered = client.predict(UNANSWERED, api_name="/ask")
    assert unanswered["abstained"] and unanswered["answer"] is None and unanswered["quotes"]

    assert "问题为空" in client.predict("   ", api_name="/ask")["error"]
    assert "问题太长" in client.predict("问" * 501, api_name="/ask")["error"]


# ------------------------------------------------------------------ in the browser
@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live):
    """A fresh page of the app at a given size, ready for questions; no dialog may open and
    nothing may be fetched from outside the app (there is no internet here)."""
    from playwright.sync_api import expect

    contexts, dialogs, outside = [], [], []

    def open_at(viewport=DESKTOP):
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        context.grant_permissions(["clipboard-read", "clipboard-write"],
                                  origin=live.url.rstrip("/"))
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: outside.append(r.url)
                if r.url.startswith("http") and not r.url.startswith(live.url) else None)
        page.goto(live.url)
        expect(page.locator("#qa-status")).to_contain_text("就绪", timeout=60_000)
        return page

    yield open_at
    for context in contexts:
        context.close()
    assert dialogs == []
    assert outside == [], "the page reached outside the app (no internet here)"


def ask(page, question: str):
    """Type a question, send it, and return its reply once it is there."""
    from playwright.sync_api import expect

    replies = page.locator("#qa-chat [data-testid=bot]")
    before = replies.count()
    box = page.locator("#qa-question textarea")
    expect(box).to_be_editable(timeout=REPLY_TIMEOUT)
    box.fill(question)
    page.locator("#qa-send").click()
    expect(replies).to_have_count(before + 1, timeout=REPLY_TIMEOUT)
    expect(box).to_be_editable(timeout=REPLY_TIMEOUT)
    return replies.last


def uncovered(page, locator) -> bool:
    """Whether the element is what the page shows at its centre (nothing lies over it)."""
    return locator.evaluate("""(el) => {
        const r = el.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return top !== null && (el === top || el.contains(top));
    }""")


def in_view(page, locator, within=None) -> bool:
    """Whether the element lies wholly inside the window (or inside `within`'s visible box)."""
    box = locator.bounding_box()
    if within is None:
        frame = {"x": 0, "y": 0, **page.viewport_size}
    else:
        frame = within.bounding_box()
    return (box is not None and box["x"] >= frame["x"] - 1 and box["y"] >= frame["y"] - 1
            and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
            and box["y"] + box["height"] <= frame["y"] + frame["height"] + 1)


@pytest.mark.browser
def test_an_answer_gives_its_verdict_then_a_source_that_opens_its_passage(open_page):
    from playwright.sync_api import expect

    page = open_page()
    reply = ask(page, QUESTION)
    expect(reply.locator(".qa-answered .qa-short strong")).to_be_visible()
    sureness = reply.locator(".qa-sureness").inner_text()
    assert sureness in ("有把握", "不确定，请对照原文")
    assert "置信度" not in reply.inner_text() and "%" not in reply.locator(".qa-short").inner_text()
    expect(reply.locator("blockquote.qa-quote mark").first).to_be_visible()

    # 来源 opens the passage the sentence stands in, the sentence marked there.
    source = reply.locator("details.qa-source").first
    passage = source.locator(".qa-passage-text")
    expect(passage).to_be_hidden()
    source.locator("summary").click()
    expect(passage).to_be_visible()
    quoted = reply.locator("blockquote.qa-quote").first.inner_text()
    expect(passage.locator("mark.qa-quoted")).to_have_text(quoted)
    expect(source.locator(".qa-muted")).to_contain_text("字符")

    # The passages panel: the quoted sentence marked; the scores behind 详细.
    panel = page.locator("#qa-passages")
    expect(panel.locator("details.qa-passage[open] mark.qa-quoted").first).to_be_visible()
    scores = panel.locator("details.qa-passage[open] details.qa-scores").first
    expect(scores.get_by_text("检索得分")).to_be_hidden()
    scores.locator("summary").click()
    expect(scores.get_by_text("检索得分")).to_be_visible()
    # Details of the answer (its confidence figure) open on demand too.
    detail = reply.locator("details.qa-detail")
    detail.locator("summary").click()
    expect(detail).to_contain_text("置信度")


@pytest.mark.browser
def test_a_non_answer_is_short_and_its_verdict_is_in_view(open_page):
    from playwright.sync_api import expect

    page = open_page()
    ask(page, QUESTION)
    ask(page, "火星上有多少人？")                       # a long reply before it
    reply = ask(page, UNANSWERED)
    verdict = reply.locator(".qa-abstained > .qa-verdict")
    expect(verdict).to_have_text("报告中没有找到这个问题的答案。")
    assert reply.locator(".qa-abstained > *").first.get_attribute("class") == "qa-short qa-verdict"
    chat = page.locator("#qa-chat [role=log]")
    assert in_view(page, verdict, within=chat) and uncovered(page, verdict)

    expect(reply.locator(".qa-closest-label")).to_have_text("最接近的一句（并非答案）：")
    expect(reply.locator("blockquote:visible")).to_have_count(1)
    more = reply.locator("details.qa-more")
    expect(more.locator(":scope > summary")).to_contain_text("也不是答案")
    expect(more.locator("blockquote").first).to_be_hidden()
    text = reply.text_content()
    assert "置信度" not in text and "有把握" not in text and "不确定" not in text
    assert reply.bounding_box()["height"] < chat.bounding_box()["height"] / 2

    detail = reply.locator("details.qa-detail")
    expect(detail.locator("li").first).to_be_hidden()
    detail.locator("summary").click()
    expect(detail.locator("li").first).to_be_visible()


@pytest.mark.browser
def test_copy_gives_plain_text_and_every_label_is_plain_chinese(open_page):
    from playwright.sync_api import expect

    page = open_page()
    reply = ask(page, QUESTION)
    answer = reply.locator(".qa-short strong").inner_text()
    copy = reply.get_by_role("button", name="复制")
    copy.click()
    expect(copy).to_have_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"{answer} ——「") and "」来源：郑州高新区" in copied
    assert "<" not in copied and "class=" not in copied

    expect(page.get_by_role("textbox", name="问题")).to_have_count(1)
    expect(page.get_by_role("log", name="对话")).to_have_count(1)
    expect(page.locator("#qa-chat [data-testid=user]")).to_have_attribute(
        "aria-label", f"问题：{QUESTION}")
    expect(reply).to_have_attribute("aria-label", f"回答：{copied}")

    reply.locator("xpath=ancestor::*[contains(@class,'message-row')][1]/following-sibling::*"
                  ).get_by_role("button", name="赞").first.click()
    expect(page.get_by_role("button", name="已赞（再点一次撤销）")).to_have_count(1)
    toast = page.get_by_test_id("toast-body")
    expect(toast).to_contain_text("谢谢，已记下这条反馈。")
    expect(toast).not_to_contain_text("Info")

    labels = page.evaluate("""[...document.querySelectorAll('[aria-label], [title]')]
        .filter((el) => !el.closest('#qa-chat [data-testid]'))
        .flatMap((el) => [el.getAttribute('aria-label'), el.getAttribute('title')])
        .filter((label) => label)""")
    assert labels and all("<" not in label for label in labels)
    english = [label for label in labels if re.search(r"[A-Za-z]{2,}", label)]
    assert english == [], f"labels not in Chinese: {english}"


@pytest.mark.browser
def test_the_question_is_checked_before_it_is_sent(open_page):
    from playwright.sync_api import expect

    page = open_page()
    box, send, hint = (page.locator("#qa-question textarea"), page.locator("#qa-send"),
                       page.locator("#qa-hint"))
    expect(send).to_be_disabled()
    expect(hint).to_have_text("0 / 500 字")
    box.fill("   ")
    expect(send).to_be_disabled()
    box.fill(SECOND)
    expect(send).to_be_enabled()
    expect(hint).to_have_text(f"{len(SECOND)} / 500 字")
    box.fill("问" * 501)
    expect(send).to_be_disabled()
    expect(hint).to_contain_text("超出 1 字")

    for text, reason in (("问" * 501, "问题太长（501 字）"), ("？？？", "问题里没有文字")):
        box.fill(text)
        box.press("Enter")                           # Enter sends even when the button is off
        expect(hint).to_contain_text(reason)
        expect(box).to_have_value(text)              # rejected, still there to be corrected
    expect(page.locator("#qa-chat [data-testid=user]")).to_have_count(0)

    page.locator("#qa-passages").evaluate("""(panel) => {
        window.panelStates = [];
        new MutationObserver(() => window.panelStates.push(panel.innerText))
            .observe(panel, {subtree: true, childList: true, characterData: true});
    }""")
    ask(page, QUESTION)
    page.evaluate("window.panelStates = []")
    ask(page, SECOND)
    states = page.evaluate("window.panelStates")
    searching = [i for i, s in enumerate(states) if "正在查找" in s]
    assert searching and searching[0] < len(states) - 1, "the old passages stayed up"
    expect(page.locator("#qa-passages mark.qa-quoted").first).to_be_visible()

    page.locator("#qa-clear").click()
    expect(page.locator("#qa-chat [data-testid=bot]")).to_have_count(0)
    expect(page.locator("#qa-passages")).to_have_text("提问后，这里会列出检索到的段落。")
    page.get_by_role("button", name="谁在大会上作了工作报告？").click()   # an example
    expect(send).to_be_enabled()
    expect(hint).to_have_text("12 / 500 字")


@pytest.mark.browser
def test_votes_are_saved_for_the_next_question_set(open_page, live, tmp_path):
    from playwright.sync_api import expect

    from qa.question_set import load_questions

    page = open_page()
    reply = ask(page, SECOND)
    buttons = reply.locator("xpath=ancestor::*[contains(@class,'message-row')][1]"
                            "/following-sibling::*")
    buttons.get_by_role("button", name="赞").first.click()
    expect(page.get_by_test_id("toast-body").first).to_contain_text("已记下")
    buttons.get_by_role("button", name="踩").first.click()

    def votes() -> list[dict]:
        if not live.feedback.exists():
            return []
        return [row for row in map(json.loads, live.feedback.read_text("utf-8").splitlines())
                if row["question"] == SECOND]
    deadline = time.monotonic() + 10
    while len(votes()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    liked, disliked = votes()
    assert (liked["feedback"], disliked["feedback"]) == ("like", "dislike")
    assert liked["id"] == disliked["id"] and liked["time"] <= disliked["time"]
    assert liked["answer"] == reply.locator(".qa-short strong").inner_text()
    assert liked["quotes"][0]["sentence"] in reply.locator("blockquote").first.inner_text()

    reviewed = tmp_path / "users.jsonl"
    reviewed.write_text(json.dumps({**liked, "answers": ["15座"]}, ensure_ascii=False) + "\n",
                        "utf-8")
    assert load_questions(reviewed).questions[0].question == SECOND


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE, SMALL_PHONE],
                         ids=["desktop", "phone", "small-phone"])
def test_the_question_box_stays_in_view_and_nothing_overlaps(open_page, viewport, tmp_path):
    from playwright.sync_api import expect

    page = open_page(viewport)
    for question in (QUESTION, "火星上有多少人？", UNANSWERED):
        reply = ask(page, question)
        page.wait_for_timeout(300)                   # the script settles the scroll
        for part in ("#qa-question textarea", "#qa-send", "#qa-hint"):
            assert in_view(page, page.locator(part)), f"{part} left the screen after {question}"
        assert uncovered(page, page.locator("#qa-question textarea"))
        first_line = reply.locator(".qa-short")
        assert in_view(page, first_line, within=page.locator("#qa-chat [role=log]"))
        assert uncovered(page, first_line), "something lies over the reply's first line"
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    expect(page.locator("#qa-chat [data-testid=block-label]")).to_have_count(0)
    boxes = {name: page.locator(name).bounding_box() for name in
             ("#qa-title", "#qa-status", "#qa-chat", "#qa-input", "#qa-under")}
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            ra, rb = boxes[a], boxes[b]
            apart = (ra["x"] + ra["width"] <= rb["x"] + 1 or rb["x"] + rb["width"] <= ra["x"] + 1
                     or ra["y"] + ra["height"] <= rb["y"] + 1
                     or rb["y"] + rb["height"] <= ra["y"] + 1)
            assert apart, f"{a} and {b} overlap"
    page.screenshot(path=str(tmp_path / "page.png"))


@pytest.mark.browser
def test_chinese_is_drawn_with_a_chinese_font_not_as_boxes(open_page):
    page = open_page()
    title = page.locator("#qa-title h1")
    # The same font stack as the page, drawn on a canvas: a missing glyph is the same box for
    # every character (and for a code point no font has), a real one is not.
    drawn = title.evaluate("""(el) => {
        const font = getComputedStyle(el).font;
        const glyph = (ch) => {
            const canvas = document.createElement('canvas');
            canvas.width = canvas.height = 64;
            const g = canvas.getContext('2d');
            g.font = font.replace(/\\d+(\\.\\d+)?px/, '48px');
            g.fillText(ch, 4, 52);
            return Array.from(g.getImageData(0, 0, 64, 64).data).join(',');
        };
        return {report: glyph('报'), notice: glyph('告'), box: glyph('\\u0378'),
                blank: glyph(' ')};
    }""")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#qa-title h1"})["nodeId"]
    fonts = [f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode",
                                               {"nodeId": node})["fonts"]]
    hint = f"fonts used for 报告问答: {fonts}; install a Chinese font (apt-get install fonts-noto-cjk)"
    assert drawn["report"] != drawn["blank"], hint
    assert drawn["report"] != drawn["notice"], hint        # boxes would all look alike
    assert drawn["report"] != drawn["box"], hint


@pytest.mark.browser
def test_injections_are_shown_as_text(open_page, tmp_path):
    from playwright.sync_api import expect

    page = open_page()
    for evil in INJECTIONS:
        ask(page, evil)
        expect(page.locator("#qa-chat")).to_contain_text(evil)
    page.wait_for_timeout(500)  # give any injected handler a chance to fire
    assert page.locator("#qa-chat img[src='x'], #qa-chat script").count() == 0
    assert page.locator("#qa-chat a[href^='javascript']").count() == 0
    page.screenshot(path=str(tmp_path / "injections.png"), full_page=True)
