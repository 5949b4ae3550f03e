"""The upload path in a real browser: the real app (real model) with an admin token, a PDF and
a scanned PDF uploaded through the document panel in headless Chromium, the index updated, the
list showing the PDF's pages, and a question answered from it citing its page."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from bench.typeset import typeset

from .conftest import CORPUS, ROOT
from .test_bad_files import scanned_pdf
from .test_formats_pdf import page_texts
from .test_webapp_live import CHROMIUM, CHROMIUM_ARGS, _free_port, _wait_until_answering

pytestmark = pytest.mark.integration

TOKEN = "live-s3cret"
FACT = "青禾湖湿地公园建成开放，面积达到86公顷，新栽乔木2.3万株。"
QUESTION = "青禾湖湿地公园面积达到多少公顷？"
FILLER = ("全区坚持稳中求进工作总基调，统筹推进经济社会各项工作，各项事业取得新进展。"
          "持续优化营商环境，深化重点领域改革，扎实推进民生实事项目。")


def upload_report(path) -> int:
    """A typeset report of several pages with FACT on a later page; the page FACT starts on
    (found in PDFium's text of each page)."""
    blocks = [("title", "青禾区2025年政府工作报告"), ("heading", "一、2024年工作回顾")]
    blocks += [("body", FILLER * 3)] * 6
    blocks += [("body", "生态环境持续改善。" + FACT + FILLER)]
    blocks += [("heading", "二、2025年工作安排")] + [("body", FILLER * 3)] * 3
    typeset(path, blocks, header="青禾区人民政府", font_size=13)
    return next(number for number, text in enumerate(page_texts(path), start=1)
                if FACT[:12] in text)


@pytest.fixture(scope="module")
def app(tmp_path_factory, real_cache_dir):
    tmp = tmp_path_factory.mktemp("live-docs")
    corpus = tmp / "corpus"
    shutil.copytree(CORPUS, corpus)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(QA_CACHE_DIR=str(real_cache_dir), GRADIO_ANALYTICS_ENABLED="False",
               QA_ADMIN_TOKEN=TOKEN)
    log_path = tmp / "app.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--port", str(port),
             "--index", str(tmp / "index"), "--corpus", str(corpus)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_answering(url, proc, log_path)
        yield url, corpus, tmp
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.browser
def test_upload_in_the_browser_then_ask_with_the_page(app):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from gradio_client import Client
    from playwright.sync_api import expect, sync_playwright

    url, corpus, tmp = app
    files = tmp / "to-upload"
    files.mkdir()
    page_of_fact = upload_report(files / "青禾区2025年政府工作报告.pdf")
    scanned_pdf(files / "扫描件.pdf")
    assert page_of_fact >= 2

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="zh-CN", viewport={"width": 1400, "height": 1200})
            page.goto(url)
            expect(page.locator("#qa-status")).to_contain_text("就绪", timeout=60_000)
            page.get_by_text("文档管理").click()
            page.locator("#qa-docs-token input").fill(TOKEN)
            page.locator("#qa-docs-enter").click()
            expect(page.locator("#qa-docs-list")).to_contain_text("郑州高新区2020年工作回顾.txt",
                                                                  timeout=30_000)
            expect(page.locator("#qa-docs-notice")).to_contain_text("一致")

            page.locator("#qa-docs-upload input[type=file]").set_input_files(
                [str(files / "青禾区2025年政府工作报告.pdf"), str(files / "扫描件.pdf")])
            for name in ("青禾区2025年政府工作报告", "扫描件"):   # uploaded: listed with a size
                expect(page.locator("#qa-docs-upload tr", has_text=name)).to_contain_text(
                    "KB", timeout=30_000)
            page.locator("#qa-docs-add").click()
            message = page.locator("#qa-docs-message")
            expect(message).to_contain_text("索引已建成", timeout=180_000)
            expect(message).to_contain_text("已添加 青禾区2025年政府工作报告.pdf")
            expect(message).to_contain_text("未添加 扫描件.pdf：PDF 没有文字层")
            row = page.locator("#qa-docs-list tr", has_text="青禾区2025年政府工作报告.pdf")
            expect(row).to_contain_text("PDF")
            expect(row).to_contain_text("已索引")
            page.screenshot(path=str(tmp / "documents.png"), full_page=True)

            page.locator("#qa-question textarea").fill(QUESTION)
            page.locator("#qa-send").click()
            reply = page.locator("#qa-chat .qa-reply").last
            expect(reply).to_contain_text(f"第{page_of_fact}页", timeout=60_000)
            expect(reply).to_contain_text("来源：青禾区2025年政府工作报告 · 一、")  # its title, said once
            page.screenshot(path=str(tmp / "answer.png"), full_page=True)
        finally:
            browser.close()

    assert (corpus / "青禾区2025年政府工作报告.pdf").exists()
    assert not (corpus / "扫描件.pdf").exists()
    result = Client(url, verbose=False).predict(QUESTION, api_name="/ask")
    quote = next(q for q in result["quotes"] if "青禾湖湿地公园" in q["sentence"])
    assert quote["doc_id"] == "青禾区2025年政府工作报告.pdf" and quote["page"] == page_of_fact
