"""The chat page's logic (`qa/web/`) without a browser: headings, scope, keys, adding
and removing through an engine with the fake encoder, one answered turn, and which controls the page has."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pytest

import qa.api
from qa.engine import Engine
from qa.errors import Overloaded
from qa.index.articles import Article
from qa.results import Answer, Passage
from qa.server.auth import key_matches, login_check
from qa.web import handlers, page, render
from qa.web.chat import build_demo
from qa.web.ui_text import CHINESE

from .conftest import ARTICLE
from .data.make_articles import LIBRARY

ARTICLES = Path(__file__).parent / "data" / "articles"
XSS = "<img src=x onerror=alert(1)>"


def article(key: str, title: str, name: str = "a.html", **facts) -> Article:
    return Article(key, title, name, "html", key * 5, 100, 4, **facts)


SHIPPED = article("2926633ce86a", "创示范 争一流", ARTICLE.name)
OTHER = article("0123456789ab", "南湖区图书馆新馆正式开馆", date="2024-04-23")


def no_progress(*args, **kwargs) -> None:
    pass


@pytest.fixture
def engine(api_engine) -> Engine:
    return api_engine


def test_heading_is_the_title_of_a_single_article_else_neutral_with_the_count():
    assert page.heading([SHIPPED]) == "创示范 争一流"
    assert page.heading([SHIPPED, OTHER]) == "新闻问答 · 2 篇文章"


def test_scope_choices_and_kept_scope():
    assert page.scope_choices([SHIPPED, OTHER]) == [
        ("全部文章", page.ALL),
        ("《创示范 争一流》", SHIPPED.id),
        ("《南湖区图书馆新馆正式开馆》", OTHER.id),
    ]
    assert page.scope_article(page.ALL) is None and page.scope_article(OTHER.id) == OTHER.id
    assert page.kept_scope(OTHER.id, [SHIPPED, OTHER]) == OTHER.id
    assert page.kept_scope(OTHER.id, [SHIPPED]) == page.ALL  # the scoped article was removed
    assert page.remove_choices([OTHER]) == [("《南湖区图书馆新馆正式开馆》 0123456789ab", OTHER.id)]


def test_examples_only_while_the_shipped_article_is_indexed_and_in_scope():
    assert page.examples_shown([SHIPPED, OTHER], page.ALL)
    assert page.examples_shown([SHIPPED, OTHER], SHIPPED.id)
    assert not page.examples_shown([SHIPPED, OTHER], OTHER.id)
    assert not page.examples_shown([OTHER], page.ALL)
    assert page.EXAMPLES[0] in page.placeholder([SHIPPED], page.ALL)
    assert page.placeholder([OTHER], page.ALL) == "请输入问题"


def test_panel_shows_the_best_passages_article_else_the_scoped_else_the_first():
    found = Answer("q", True, "a", [Passage("t", 0.9, 40, "s", OTHER.title, article=OTHER.id)])
    assert page.shown_article([SHIPPED, OTHER], page.ALL, found) == OTHER
    assert page.shown_article([SHIPPED, OTHER], OTHER.id, Answer("q", False, "no")) == OTHER
    assert page.shown_article([SHIPPED, OTHER], page.ALL) == SHIPPED
    assert page.shown_article([SHIPPED], OTHER.id) == SHIPPED  # a scope that is gone


def test_key_is_checked_only_when_one_is_set():
    assert key_matches(None, None) and key_matches("anything", "")
    assert key_matches("s3cret", "s3cret") and key_matches(" s3cret ", "s3cret")
    assert not key_matches("wrong", "s3cret") and not key_matches(None, "s3cret")
    login = login_check("s3cret")
    assert login("anyone", "s3cret") and not login("anyone", "wrong") and not login("s3cret", "")


def test_library_errors_are_shown_as_their_message_and_crashes_as_a_generic_one():
    def refuse():
        raise qa.errors.SourceError(f"文件 {XSS} 是空的")

    def crash():
        raise RuntimeError("Traceback: secret details")

    message, _ = handlers.change_library(refuse)
    assert "是空的" in message and "<img" not in message
    message, _ = handlers.change_library(crash)
    assert CHINESE.change_failed in message and "secret" not in message


def test_upload_then_remove_through_the_engine(engine):
    path = ARTICLES / "news-utf8.html"
    message, added = handlers.change_library(lambda: handlers.add_file(engine, str(path), no_progress))
    assert added.title == LIBRARY["title"] and added.id in message and "个段落" in message and "秒" in message
    assert [a.id for a in engine.articles()][-1] == added.id

    message, _ = handlers.change_library(lambda: handlers.add_file(engine, str(path), no_progress))
    assert "已经添加过" in message and "qa-status-error" in message

    message, _ = handlers.change_library(lambda: handlers.remove(engine, added.id))
    assert "已删除" in message and LIBRARY["title"] in message
    assert [a.name for a in engine.articles()] == [ARTICLE.name]
    message, _ = handlers.change_library(lambda: handlers.remove(engine, engine.articles()[0].id))
    assert "唯一的文章" in message and len(engine.articles()) == 1  # the last article stays


def test_pasted_text_with_markup_is_added_and_escaped_and_bad_input_refused(engine, tmp_path):
    message, added = handlers.change_library(
        lambda: handlers.add_text(engine, "某市新建了三座公园,总面积120公顷。\n\n公园免费开放。", XSS, no_progress)
    )
    assert added.title == XSS and "<img" not in message and "&#60;img" in message
    assert handlers.add_text(engine, "  ", "", no_progress)[0] == page.status(CHINESE.no_text, ok=False)
    assert handlers.add_file(engine, None, no_progress)[0] == page.status(CHINESE.no_file, ok=False)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    message, added = handlers.change_library(lambda: handlers.add_file(engine, str(bad), no_progress))
    assert added is None and render.escape("bad.pdf") in message and "PDF" in message


def test_a_turn_asks_within_the_scope_and_names_the_article(engine):
    added = handlers.add_file(engine, str(ARTICLES / "news-utf8.html"), no_progress)[1]
    seen = {}

    def ask(question, k, history, article):
        seen.update(question=question, k=k, history=history, article=article)
        return engine.answer(question, k=k, history=history, article=article)

    _, chat, _, panel = handlers.respond("南湖区图书馆新馆总建筑面积是多少?", [], [], 3, ask, added.id)
    assert seen["article"] == added.id and seen["k"] == 3
    assert f"《{LIBRARY['title']}》" in panel and 'class="qa-article-head"' in panel
    reply = chat[-1]["content"]
    if "qa-answer" in reply:  # the fake encoder may not find it; when it does, the article is named
        assert "qa-source" in reply and LIBRARY["title"] in reply
    _, chat, _, _ = handlers.respond("问题", [], [], 3, ask, page.ALL)
    assert seen["article"] is None


def test_busy_and_failing_answers_get_a_message(engine):
    def busy(*args, **kwargs):
        raise Overloaded

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    assert handlers.respond("问题", [], [], 3, busy)[1][-1]["content"] == CHINESE.busy_reply
    _, chat, _, panel = handlers.respond(XSS, [], [], 3, broken)
    assert chat[-1]["content"] == CHINESE.error_reply and "<img" not in chat[0]["content"] and "qa-article" in panel


def components(demo: gr.Blocks) -> dict[str, gr.components.Component]:
    return {b.elem_id: b for b in demo.blocks.values() if getattr(b, "elem_id", None)}


def test_uploads_off_leaves_only_the_list_and_the_scope(engine):
    shown = components(build_demo(engine.answer, uploads=False))
    assert {"qa-articles", "qa-scope", "qa-chat"} <= shown.keys()
    assert not {"qa-upload", "qa-add-file", "qa-add-text", "qa-remove"} & shown.keys()


