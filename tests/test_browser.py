"""End to end: the chat in headless Chromium. Set QA_REQUIRE_BROWSER=1 to fail instead of skip."""

import os
import re
import shutil
from pathlib import Path

import pytest

from .browser import (
    ask,
    bot_count,
    browser_page,
    choose,
    chromium_missing,
    running_app,
    upload,
)
from .data.make_articles import LIBRARY, QUESTIONS

pytestmark = [pytest.mark.browser, pytest.mark.model]
XSS = "<img src=x onerror=alert(1)>"
ARTICLES = Path(__file__).parent / "data" / "articles"
SHIPPED_TITLE = "创示范 争一流"
# Where the top of the last answer sentence is: in the window, and in the chat's scroll box.
ANSWER_IN_VIEW = """() => {
  const a = [...document.querySelectorAll('#qa-chat .qa-answer')].pop();
  let box = a.parentElement;
  while (box && getComputedStyle(box).overflowY !== 'auto' && getComputedStyle(box).overflowY !== 'scroll') {
    box = box.parentElement;
  }
  const top = a.getBoundingClientRect().top, b = box.getBoundingClientRect();
  return {top, window: window.innerHeight, boxTop: b.top, boxBottom: b.bottom};
}"""


def need_browser() -> None:
    reason = chromium_missing()
    if reason:
        if os.environ.get("QA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"浏览器测试是必需的,但{reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def app_url(real_index):
    need_browser()
    with running_app(real_index) as url:
        yield url


def test_question_gets_answer_and_highlighted_passage(app_url):
    with browser_page() as page:
        page.goto(app_url)
        page.wait_for_selector("#qa-question textarea")
        assert page.title().startswith("创示范 争一流")
        ask(page, "包河区综合实力在全国百强区排第几位?", bot_count(page))
        chat = page.locator("#qa-chat")
        chat.locator(".qa-answer").last.wait_for()
        assert "第41位" in chat.locator(".qa-answer").last.inner_text()
        marks = chat.locator(".qa-passage mark")
        assert marks.count() > 0 and any("综合实力" in m.inner_text() for m in marks.all())
        assert page.locator("#qa-article .qa-hit").count() >= 1
        top = page.locator("#qa-article .qa-top")
        assert "第41位" in top.inner_text()
        page.wait_for_function(
            """() => { const t = document.querySelector('#qa-article .qa-top'),
                             b = document.querySelector('#qa-article .qa-article');
                       const tr = t.getBoundingClientRect(), br = b.getBoundingClientRect();
                       return tr.top >= br.top && tr.top < br.bottom; }""",
            timeout=5000,
        )  # the best passage was scrolled into view in the article panel


def test_script_in_question_is_shown_as_text(app_url):
    dialogs = []
    with browser_page() as page:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(app_url)
        page.wait_for_selector("#qa-question textarea")
        ask(page, XSS, bot_count(page))
        page.wait_for_timeout(1000)
        chat = page.locator("#qa-chat")
        assert XSS in chat.inner_text()
        assert chat.locator("img[src='x']").count() == 0
        assert dialogs == []


def test_answer_stays_in_view_on_a_phone(app_url):
    with browser_page(390, 844) as page:
        page.goto(app_url)
        page.wait_for_selector("#qa-question textarea")
        ask(page, "包河区综合实力在全国百强区排第几位?", bot_count(page))
        page.locator("#qa-chat .bot").last.locator(".qa-passage").nth(2).wait_for()  # three evidence passages
        page.wait_for_timeout(800)  # the scroll runs after the reply is drawn
        where = page.evaluate(ANSWER_IN_VIEW)
        assert 0 <= where["top"] < where["window"] - 40, where
        assert where["boxTop"] <= where["top"] < where["boxBottom"] - 40, where


def test_added_article_is_answered_scoped_and_removed(real_index, tmp_path):
    need_browser()
    index = tmp_path / "index"
    shutil.copytree(real_index, index)
    question, gold = QUESTIONS["news-utf8.html"]
    title = LIBRARY["title"]
    with running_app(index) as url, browser_page(1280, 900) as page:
        page.goto(url)
        page.wait_for_selector("#qa-question textarea")
        upload(page, "qa-upload", ARTICLES / "news-utf8.html")
        page.locator("#qa-add-file").click()
        status = page.locator("#qa-status")
        status.filter(has_text="已添加").wait_for(timeout=60_000)
        assert title in status.inner_text() and "个段落" in status.inner_text()
        assert title in page.locator("#qa-articles").inner_text()
        assert "2 篇文章" in page.locator("#qa-heading").inner_text()

        ask(page, question, bot_count(page))
        reply = page.locator("#qa-chat .bot").last
        assert gold in reply.locator(".qa-answer").inner_text()
        assert title in reply.inner_text()  # the answer and its passages name their article
        assert title in page.locator("#qa-article .qa-article-head").inner_text()
        assert gold in page.locator("#qa-article .qa-top").inner_text()

        choose(page, "qa-scope", SHIPPED_TITLE)
        page.locator("#qa-article .qa-article-head", has_text=SHIPPED_TITLE).wait_for()
        ask(page, question, bot_count(page))
        page.wait_for_timeout(500)
        scoped = page.locator("#qa-chat .bot").last.inner_text()
        assert gold not in scoped and title not in scoped  # refused, or answered from the shipped article

        choose(page, "qa-remove", title)
        page.locator("#qa-remove-button").click()
        status.filter(has_text="已删除").wait_for(timeout=30_000)
        assert title not in page.locator("#qa-articles").inner_text()
        assert "共 1 篇文章" in page.locator("#qa-articles").inner_text()
        assert page.locator("#qa-heading").inner_text().startswith(SHIPPED_TITLE)


# Every text the add's status line shows, sampled every 50 ms (Gradio draws its progress there).
WATCH_STATUS = """() => {
  window.__seen = [];
  window.__watch = setInterval(() => {
    const text = (document.getElementById('qa-status')?.innerText || '').replace(/\\s+/g, ' ').trim();
    if (text && window.__seen[window.__seen.length - 1] !== text) window.__seen.push(text);
  }, 50);
}"""


def test_a_long_add_shows_real_progress_and_clears_the_file_box(real_index, tmp_path):
    need_browser()
    index = tmp_path / "index"
    shutil.copytree(real_index, index)
    long = tmp_path / "long.txt"
    paragraphs = [f"第{n}段:包河区今年新建了{n}所学校和{n * 3}个社区食堂,方便了居民生活。" * 4 for n in range(1, 2700)]
    long.write_text("一篇很长的报道\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    assert long.stat().st_size > 1_000_000
    with running_app(index) as url, browser_page(1280, 900) as page:
        page.goto(url)
        page.wait_for_selector("#qa-question textarea")
        upload(page, "qa-upload", long)
        page.evaluate(WATCH_STATUS)
        page.locator("#qa-add-file").click()
        page.locator("#qa-status").filter(has_text="已添加").wait_for(timeout=120_000)
        seen = page.evaluate("() => { clearInterval(window.__watch); return window.__seen; }")
        counts = {int(done) for text in seen for done, _ in re.findall(r"正在编码段落 (\d+)/(\d+)", text)}
        assert len(counts) > 3, seen  # distinct counts, not the same one at another time
        assert any("正在读取文件" in text for text in seen) and any("正在写入索引" in text for text in seen), seen
        assert "long.txt" not in page.locator("#qa-upload").inner_text()  # the file box is empty again


# The lowest WCAG contrast of any text under the given selectors: each element with text of its own,
# its colour against its background (transparent layers composited up to the first opaque one).
LOWEST_CONTRAST = """(selectors) => {
  const rgba = (c) => {
    const m = c.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const over = (top, below) => top.slice(0, 3).map((v, i) => v * top[3] + below[i] * (1 - top[3])).concat([1]);
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let color = [255, 255, 255, 1];
    for (const layer of layers.reverse()) color = over(layer, color);
    return color;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  let lowest = {ratio: 99};
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector + ' *, ' + selector)) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !el.getClientRects().length) continue;
      const bg = background(el), fg = over(rgba(getComputedStyle(el).color), bg);
      const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      if (ratio < lowest.ratio) lowest = {ratio, text: el.textContent.trim().slice(0, 30), fg, bg, cls: el.className};
    }
  }
  return lowest;
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", [(1400, 900), (390, 844)])
def test_every_text_of_a_reply_and_the_article_reads_in_both_themes(app_url, theme, size):
    with browser_page(*size) as page:
        page.goto(f"{app_url}?__theme={theme}")
        page.wait_for_selector("#qa-question textarea")
        ask(page, "包河区综合实力在全国百强区排第几位?", bot_count(page))
        page.locator("#qa-chat .bot mark").first.wait_for()
        page.locator("#qa-article .qa-top").wait_for()
        assert page.evaluate("() => document.querySelector('.dark') !== null") == (theme == "dark")
        lowest = page.evaluate(LOWEST_CONTRAST, ["#qa-chat .bot", "#qa-article"])
        assert lowest["ratio"] >= 4.5, lowest


# Where the passage a click marked is: its id, and whether it is inside the article panel's view.
MARKED_IN_VIEW = """() => {
  const marked = document.querySelectorAll('#qa-article [aria-current="true"]');
  if (marked.length !== 1) return {count: marked.length};
  const panel = document.querySelector('#qa-article .qa-article').getBoundingClientRect();
  const box = marked[0].getBoundingClientRect();
  return {count: 1, id: marked[0].id, inView: box.top >= panel.top - 1 && box.top < panel.bottom - 10};
}"""


@pytest.mark.parametrize("size", [(1400, 900), (390, 844)])
def test_a_citation_marks_its_passage_in_the_article_panel(app_url, size):
    with browser_page(*size) as page:
        page.goto(app_url)
        page.wait_for_selector("#qa-question textarea")
        ask(page, "合肥港的生产情况怎么样?", bot_count(page))
        cites = page.locator("#qa-chat .bot").last.locator("a.qa-cite")
        assert cites.count() >= 2
        for n in (cites.count() - 1, 0):  # the last passage, then back to the first
            target = cites.nth(n).get_attribute("href").lstrip("#")
            cites.nth(n).click()
            page.wait_for_function("(id) => document.getElementById(id)?.getAttribute('aria-current') === 'true'",
                                   arg=target)
            marked = page.evaluate(MARKED_IN_VIEW)
            assert marked == {"count": 1, "id": target, "inView": True}, marked


def test_copy_puts_the_answer_on_the_clipboard_as_text(app_url):
    with browser_page(1400, 900, permissions=["clipboard-read", "clipboard-write"]) as page:
        page.goto(app_url)
        page.wait_for_selector("#qa-question textarea")
        ask(page, "包河区综合实力在全国百强区排第几位?", bot_count(page))
        copy = page.locator("#qa-chat .message-buttons-left button").last
        assert copy.get_attribute("aria-label") == "复制消息"  # Gradio's label, in Chinese
        copy.click()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert "<" not in copied and "class=" not in copied, copied[:200]
        lines = copied.split("\n")
        assert lines[0] == "**第41位**" and "全国百强区第41位" in lines[2], lines[:3]
        assert "依据段落:" in lines and "[1] 思想破冰 坚持高标准融入长三角 · 第 7 段" in lines, lines
        assert any(line.startswith("> ") and "第41位" in line for line in lines)


BOX = "(s) => { const b = document.querySelector(s).getBoundingClientRect(); return [b.top, b.bottom, b.width]; }"


@pytest.mark.parametrize("size", [(1400, 900), (390, 844)])
def test_the_first_screen_shows_the_examples_and_a_reply_uses_the_width(app_url, size):
    with browser_page(*size) as page:
        page.goto(app_url)
        page.wait_for_selector("#qa-examples button")
        page.wait_for_timeout(300)
        top, bottom, _ = page.evaluate(BOX, "#qa-examples")
        assert bottom <= size[1], (top, bottom)  # in view without scrolling
        chat_top, chat_bottom, chat_width = page.evaluate(BOX, "#qa-chat")
        assert chat_bottom - chat_top <= 200  # an empty chat is no taller than it needs
        ask(page, "包河区综合实力在全国百强区排第几位?", bot_count(page))
        reply_width = page.evaluate("() => [...document.querySelectorAll('#qa-chat .bot')].pop().clientWidth")
        if size[0] < 640:
            assert reply_width >= 0.95 * chat_width, (reply_width, chat_width)  # a phone: the chat's whole width


def test_uploads_off_hides_adding_and_removing(real_index):
    need_browser()
    with running_app(real_index, env={"QA_UPLOADS": "off"}) as url, browser_page() as page:
        page.goto(url)
        page.wait_for_selector("#qa-articles .qa-article-item")
        assert page.locator("#qa-scope").count() == 1
        for control in ("#qa-upload", "#qa-add-file", "#qa-add-text", "#qa-remove", "#qa-remove-button"):
            assert page.locator(control).count() == 0, control
        assert page.locator("input[type=file]").count() == 0
