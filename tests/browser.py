"""Start the app on a free loopback port and drive it in Debian's headless Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("QA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_missing() -> str | None:
    """Why the browser test cannot run here, or None."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        return "未找到 chromium:sudo apt-get install chromium fonts-noto-cjk"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "未安装 playwright:pip install -e '.[dev]'"
    return None


SERVERS: dict[str, subprocess.Popen] = {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_app(index_dir: Path, timeout: float = 120.0, env: dict[str, str] | None = None) -> Iterator[str]:
    """`python app.py` on a free port (with `env` added to the environment); yields its URL once the page
    answers (`SERVERS[url]` is its process meanwhile)."""
    port = free_port()
    env = dict(
        os.environ,
        GRADIO_SERVER_PORT=str(port),
        QA_INDEX_DIR=str(index_dir),
        GRADIO_ANALYTICS_ENABLED="False",
        **(env or {}),
    )
    log = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"app exited early:\n{log.read().decode(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"app not ready after {timeout} s")
            time.sleep(0.5)
        SERVERS[url] = process
        yield url
    finally:
        SERVERS.pop(url, None)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (from /proc)."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, frontier = 0, [pid]
    while frontier:
        current = frontier.pop()
        try:
            total += rss_bytes(current)
        except (OSError, IndexError, ValueError):
            continue
        frontier += children.get(current, [])
    return total


@contextlib.contextmanager
def browser_page(width: int = 1400, height: int = 1000, permissions: list[str] | None = None, locale: str = "zh-CN"):
    """A page of a fresh headless Chromium whose language (navigator.language, Accept-Language) is `locale`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            viewport = {"width": width, "height": height}
            yield browser.new_page(viewport=viewport, locale=locale, permissions=permissions or [])
        finally:
            browser.close()


def ask(page, question: str, replies_before: int) -> None:
    """Type a question, send it, and wait for one more bot reply."""
    page.locator("#qa-question textarea").fill(question)
    page.locator("#qa-send").click()
    page.wait_for_function(
        "n => document.querySelectorAll('#qa-chat .bot, #qa-chat [data-testid=\"bot\"]').length > n",
        arg=replies_before,
        timeout=30_000,
    )


def bot_count(page) -> int:
    return page.locator('#qa-chat .bot, #qa-chat [data-testid="bot"]').count()


def choose(page, elem_id: str, label: str) -> None:
    """Pick the option whose text contains `label` in the Gradio dropdown `#elem_id`."""
    page.locator(f"#{elem_id} input").click()
    page.locator("[role=listbox] [role=option]", has_text=label).first.click()


def upload(page, elem_id: str, path: Path) -> None:
    """Put a file into the Gradio file input `#elem_id` and wait until the component lists it."""
    page.locator(f"#{elem_id} input[type=file]").set_input_files(path)
    # The name is drawn in parts ("news-utf8", ".html"), so look at the text without white space.
    page.wait_for_function(
        "([id, name]) => (document.getElementById(id)?.textContent || '').replace(/\\s/g, '').includes(name)",
        arg=[elem_id, path.name],
        timeout=30_000,
    )
