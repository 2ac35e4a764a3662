"""The chat in headless Chromium with two articles, one of them a web page that declares its address:
the interface in the browser's language (English for en-US, Chinese for zh-CN), the page's title as a
link, and a citation of the article not shown switching the panel to it. QA_REQUIRE_BROWSER=1 fails
instead of skipping when Chromium is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa.engine import Engine

from .browser import ask, bot_count, browser_page, running_app
from .data.make_articles import LIBRARY
from .test_browser import MARKED_IN_VIEW, SHIPPED_TITLE, need_browser

pytestmark = [pytest.mark.browser, pytest.mark.model]
PAGE = Path(__file__).parent / "data" / "articles" / "news-utf8.html"
URL = "https://news.example.com/2024/04/23/library.html"
# Asked of both articles: the best passage is the web page's, the others the shipped article's.
MIXED_QUESTION = "总投资多少亿元?"
INTERFACE = {
    "en-US": {
        "heading": "News QA · 2 articles",
        "labels": ["Ask about", "Passages shown", "Article library", "Article to remove", "Example questions"],
        "buttons": {"#qa-send": "Ask", "#qa-clear": "Clear the chat", "#qa-add-file": "Add the file"},
        "tabs": ["Upload a file", "Paste text"],
        "placeholder": "Type a question, for example: ",
        "count": "2 articles",
        "no_file": "Choose a file to upload first.",
        "absent": ["提问", "问答范围", "文章库"],
    },
    "zh-CN": {
        "heading": "新闻问答 · 2 篇文章",
        "labels": ["问答范围", "依据段落数", "文章库", "要删除的文章", "示例问题"],
        "buttons": {"#qa-send": "提问", "#qa-clear": "清空对话", "#qa-add-file": "添加文件"},
        "tabs": ["上传文件", "粘贴文字"],
        "placeholder": "请输入问题,例如:",
        "count": "共 2 篇文章",
        "no_file": "请先选择要上传的文件。",
        "absent": ["Ask", "Ask about", "Article library"],
    },
}


@pytest.fixture(scope="module")
def two_articles_url(real_index, tmp_path_factory):
    """The app over the shipped article and the news page, whose <head> names its canonical address."""
    need_browser()
    index_dir = tmp_path_factory.mktemp("languages") / "index"
    shutil.copytree(real_index, index_dir)
    page = index_dir.parent / "library.html"
    html = PAGE.read_text(encoding="utf-8").replace("</head>", f'<link rel="canonical" href="{URL}">\n</head>', 1)
    page.write_text(html, encoding="utf-8")
    assert Engine(index_dir, strict=True).add([page]).added[0].url == URL
    with running_app(index_dir) as url:
        yield url


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_interface_follows_the_browsers_language(two_articles_url, locale):
    expected = INTERFACE[locale]
    with browser_page(1400, 1000, locale=locale) as page:
        page.goto(two_articles_url)
        page.wait_for_selector("#qa-question textarea")
        page.wait_for_function(  # the load event writes the hint with its example for this browser
            "(start) => document.querySelector('#qa-question textarea').placeholder.startsWith(start)",
            arg=expected["placeholder"],
        )
        assert expected["heading"] in page.locator("#qa-heading").inner_text()
        page.wait_for_function("(heading) => document.title === heading", arg=expected["heading"])  # the tab's title
        for text in expected["labels"]:
            page.get_by_text(text, exact=True).first.wait_for(state="visible", timeout=5_000)
        for selector, text in expected["buttons"].items():
            assert page.locator(selector).inner_text().strip() == text, selector
        for text in expected["tabs"]:
            assert page.get_by_role("tab", name=text).count() == 1, text
        assert expected["count"] in page.locator("#qa-articles").inner_text()
        for text in expected["absent"]:
            assert page.get_by_text(text, exact=True).count() == 0, text

        page.locator("#qa-add-file").click()  # no file chosen: the server's message, in the same language
        page.locator("#qa-status", has_text=expected["no_file"]).wait_for(timeout=15_000)


def test_a_citation_of_the_article_not_shown_switches_the_panel_to_it(two_articles_url):
    with browser_page(1400, 900) as page:
        page.goto(two_articles_url)
        page.wait_for_selector("#qa-question textarea")
        ask(page, MIXED_QUESTION, bot_count(page))
        reply = page.locator("#qa-chat .bot").last
        reply.locator(".qa-answer").wait_for()
        head = page.locator("#qa-article .qa-article-head")
        assert LIBRARY["title"] in head.inner_text()  # the best passage's article

        link = reply.locator(f'a.qa-source[href="{URL}"]').first  # the web page's title links to it
        assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener noreferrer"
        assert head.locator(f'a[href="{URL}"][target="_blank"][rel="noopener noreferrer"]').count() == 1

        cites = reply.locator("a.qa-cite")
        targets = [cites.nth(n).get_attribute("href").lstrip("#") for n in range(cites.count())]
        elsewhere = [n for n, t in enumerate(targets) if page.locator(f"#qa-article #{t}").count() == 0]
        assert elsewhere, targets  # the reply cites a passage of the shipped article, which is not shown
        for n, title in ((elsewhere[-1], SHIPPED_TITLE), (0, LIBRARY["title"])):  # there, and back
            cites.nth(n).click()
            head.filter(has_text=title).wait_for(timeout=15_000)
            page.wait_for_function(
                "(id) => document.getElementById(id)?.getAttribute('aria-current') === 'true'", arg=targets[n]
            )
            page.wait_for_timeout(300)  # the scroll runs after the panel is drawn
            marked = page.evaluate(MARKED_IN_VIEW)
            assert marked == {"count": 1, "id": targets[n], "inView": True}, marked
