"""The README's screenshots, taken with a real browser (Debian's Chromium) against a running app:

    python app.py &                                   # or: qa serve
    python docs/screenshots.py http://127.0.0.1:7860/

writes docs/screenshot.png (1280 px wide: a question the report does not answer, then one it
answers) and docs/screenshot-phone.png (390 px: the answer, its source opened).
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

DOCS = Path(__file__).resolve().parent
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def ask(page, question: str):
    replies = page.locator("#qa-chat [data-testid=bot]")
    before = replies.count()
    box = page.locator("#qa-question textarea")
    expect(box).to_be_editable(timeout=60_000)
    box.fill(question)
    page.locator("#qa-send").click()
    expect(replies).to_have_count(before + 1, timeout=60_000)
    return replies.last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:7860/")
    parser.add_argument("--answered", default="新建公厕多少座？")
    parser.add_argument("--unanswered", default="2021年高新区专利申请量是多少？")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
        for name, viewport in (("screenshot.png", DESKTOP), ("screenshot-phone.png", PHONE)):
            page = browser.new_page(locale="zh-CN", viewport=viewport)
            page.goto(args.url)
            expect(page.locator("#qa-status")).to_contain_text("就绪", timeout=120_000)
            if viewport is DESKTOP:
                ask(page, args.unanswered)
                ask(page, args.answered)
                page.wait_for_timeout(500)  # let the page's script scroll, then show it all
                page.locator("#qa-chat [role=log]").evaluate("(log) => { log.scrollTop = 0; }")
            else:
                reply = ask(page, args.answered)
                reply.locator("details.qa-source > summary").first.click()
            page.wait_for_timeout(300)
            page.screenshot(path=str(DOCS / name))
            print(f"{DOCS / name} ({viewport['width']}×{viewport['height']})")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
