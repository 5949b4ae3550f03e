"""The real app in a subprocess (real model, index built on start), asked through gradio_client
and through a real headless Chromium."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from .conftest import CORPUS, ROOT

pytestmark = pytest.mark.integration

QUESTION = "2020年高新区专利申请量达到多少件？"
INJECTIONS = ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>",
              "[x](javascript:alert(1))")
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium")
                                        else None)
# Offline and quiet: no sync, no component updates, no first-run pings.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
START_TIMEOUT = 300  # first start converts the model (~15-40 s) and builds the index


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
def live_url(tmp_path_factory, real_cache_dir):
    """`python app.py` on a free port with a fresh index and the session's model cache."""
    tmp = tmp_path_factory.mktemp("live-app")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(QA_CACHE_DIR=str(real_cache_dir), GRADIO_ANALYTICS_ENABLED="False")
    log_path = tmp / "app.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--port", str(port),
             "--index", str(tmp / "index"), "--corpus", str(CORPUS)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_answering(url, proc, log_path)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_ask_endpoint_answers_with_quote_and_follow_up(live_url):
    from gradio_client import Client

    client = Client(live_url, verbose=False)
    result = client.predict(QUESTION, api_name="/ask")
    assert "16284" in result["answer"] and not result["abstained"]
    top = result["quotes"][0]
    assert "16284" in top["highlight"] and "专利申请量达到16284件" in top["sentence"]
    assert top["doc_id"].startswith("郑州高新区") and top["end"] > top["start"]
    assert result["passages"] and result["confidence"] > 0

    follow_up = client.predict("那授权量呢？", QUESTION, api_name="/ask")
    assert "10217" in (follow_up["answer"] or "")

    assert "问题为空" in client.predict("   ", api_name="/ask")["error"]
    assert "问题太长" in client.predict("问" * 501, api_name="/ask")["error"]


@pytest.mark.browser
def test_browser_shows_highlighted_quote_and_escapes_injections(live_url, tmp_path):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="zh-CN", viewport={"width": 1400, "height": 1000})
            dialogs, outside = [], []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: outside.append(r.url)
                    if r.url.startswith("http") and not r.url.startswith(live_url) else None)
            page.goto(live_url)
            expect(page.locator("#qa-status")).to_contain_text("就绪", timeout=60_000)

            def ask(question: str) -> None:
                replies = page.locator("#qa-chat .qa-reply, #qa-chat .qa-error")
                before = replies.count()
                page.locator("#qa-question textarea").fill(question)
                page.locator("#qa-send").click()
                expect(replies).to_have_count(before + 1, timeout=60_000)

            ask(QUESTION)
            mark = page.locator("#qa-chat blockquote.qa-quote mark").first
            expect(mark).to_be_visible()
            expect(mark).to_contain_text("16284")
            expect(page.locator("#qa-chat .qa-source").first).to_contain_text("字符")
            expect(page.locator("#qa-passages details").first).to_contain_text("融合得分")
            page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)

            for evil in INJECTIONS:
                ask(evil)
                expect(page.locator("#qa-chat")).to_contain_text(evil)
            page.wait_for_timeout(500)  # give any injected handler a chance to fire
            assert dialogs == []
            assert page.locator("#qa-chat img[src='x'], #qa-chat script").count() == 0
            assert page.locator("#qa-chat a[href^='javascript']").count() == 0
            assert outside == [], "the page reached outside the app (no internet here)"
            page.screenshot(path=str(tmp_path / "injections.png"), full_page=True)
        finally:
            browser.close()
