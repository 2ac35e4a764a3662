"""End to end: the chat in headless Chromium. Set QA_REQUIRE_BROWSER=1 to fail instead of skip."""

import os

import pytest

from .browser import ask, browser_page, chromium_missing, running_app

pytestmark = [pytest.mark.browser, pytest.mark.model]
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def app_url(real_index):
    reason = chromium_missing()
    if reason:
        if os.environ.get("QA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"浏览器测试是必需的,但{reason}")
        pytest.skip(reason)
    with running_app(real_index) as url:
        yield url


def bot_count(page) -> int:
    return page.locator('#qa-chat .bot, #qa-chat [data-testid="bot"]').count()


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
