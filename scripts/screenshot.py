"""Take docs/screenshot.png (laptop, light), docs/screenshot-dark.png and docs/screenshot-phone.png of an
answered question, and print seconds from `python app.py` to page ready.

Run from the repository root: `python scripts/screenshot.py` (needs Debian's chromium).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import ask, browser_page, running_app  # noqa: E402

QUESTION = "包河区综合实力在全国百强区排第几位?"


SHOTS = [("screenshot.png", (1400, 1000), "light"), ("screenshot-dark.png", (1400, 1000), "dark"),
         ("screenshot-phone.png", (390, 844), "light")]


def main() -> None:
    index_dir = ROOT / "index"  # only read: the app and `qa ask` never write to a valid index
    started = time.perf_counter()
    with running_app(index_dir) as url:
        print(f"python app.py → 页面就绪:{time.perf_counter() - started:.1f} 秒")
        for name, size, theme in SHOTS:
            with browser_page(*size) as page:
                page.goto(f"{url}?__theme={theme}")
                page.wait_for_selector("#qa-question textarea")
                ask(page, QUESTION, 0)
                page.locator("#qa-chat .qa-passage mark").first.wait_for()
                page.wait_for_timeout(800)
                # Show the reply from its start (the chat scrolls to the bottom by itself).
                page.evaluate(
                    """() => document.querySelectorAll('#qa-chat *').forEach(el => {
                        if (el.scrollHeight > el.clientHeight + 4) el.scrollTop = 0; })"""
                )
                page.wait_for_timeout(300)
                out = ROOT / "docs" / name
                out.parent.mkdir(exist_ok=True)
                page.screenshot(path=str(out), full_page=False)
                print(f"截图已保存:{out}")


if __name__ == "__main__":
    main()
