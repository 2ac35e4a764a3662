"""The page's words in the reader's language (`qa/web/ui_text.py`): the table, the language a request
asks for, Gradio's i18n keys on every fixed label, and the handlers' messages in English."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from types import SimpleNamespace

import gradio as gr
import pytest
from gradio.i18n import I18nData

from qa.engine import Engine
from qa.errors import BusyError, DuplicateArticleError, Overloaded, SourceError
from qa.progress import ENCODING, READING
from qa.web import handlers, page, render
from qa.web.chat import build_demo
from qa.web.ui_text import CHINESE, ENGLISH, GRADIO_LOCALES, label, prefers_english, text_for, translations

CJK = re.compile(r"[\u3400-\u9fff]")  # Chinese characters (not the 《》 brackets)
FIELDS = re.compile(r"\{([a-z_]*)(?::[^}]*)?\}")


@pytest.fixture
def engine(api_engine) -> Engine:
    return api_engine


def no_progress(*args, **kwargs) -> None:
    pass


def request(accept_language: str | None) -> SimpleNamespace:
    return SimpleNamespace(headers={} if accept_language is None else {"accept-language": accept_language})


@pytest.mark.parametrize(
    ("header", "english"),
    [
        ("en-US,en;q=0.9", True),
        ("en", True),
        ("en-GB;q=0.8, fr;q=0.5", True),
        ("zh-CN,zh;q=0.9,en;q=0.8", False),
        ("fr-FR,en;q=0.9", False),  # Chinese unless English comes first
        ("de;q=0.3, en-US;q=0.7", True),  # the weights decide, not the order
        ("english", False),
        ("*", False),
        ("en;q=oops, zh", False),
        ("", False),
        (None, False),
    ],
)
def test_the_browsers_first_language_decides(header, english):
    assert prefers_english(header) is english
    assert text_for(request(header)) is (ENGLISH if english else CHINESE)


def test_no_request_is_chinese():
    assert text_for(None) is CHINESE


def test_every_string_has_its_translation_with_the_same_blanks():
    for key, chinese in asdict(CHINESE).items():
        english = getattr(ENGLISH, key)
        assert chinese and english, key
        assert not CJK.search(english), (key, english)
        # The same blanks, except that an English frame may leave out the library's (Chinese) message.
        assert set(FIELDS.findall(english)) <= set(FIELDS.findall(chinese)), key
        assert FIELDS.findall(english) == FIELDS.findall(chinese) or FIELDS.findall(chinese) == [""], key


def test_gradio_gets_english_for_english_and_chinese_for_every_other_language():
    table = translations()
    assert table["en"]["send"] == ENGLISH.send and table["en"]["intro"] == ENGLISH.intro
    for locale in [loc for loc in GRADIO_LOCALES if loc != "en"] + ["zh"]:
        assert table[locale]["send"] == CHINESE.send, locale
    assert table["zh-CN"]["chatbot.copy_message"] == "复制消息"
    assert not any("{" in text for strings in table.values() for text in strings.values())  # labels only
    with pytest.raises(KeyError):
        label("no_such_label")


def fixed_texts(block) -> list:
    """What a component shows that is fixed when the page is built: label, placeholder, button text."""
    shown = [getattr(block, "label", None), getattr(block, "placeholder", None)]
    if isinstance(block, (gr.Button, gr.Markdown)):
        shown.append(block.value)
    return [text for text in shown if text]


def i18n_key(text) -> str | None:
    """The i18n key a label carries (as Gradio keeps it: the object, or its `__i18n__{…}` string), or None."""
    if isinstance(text, I18nData):
        return text.key
    marker = str(text)
    return json.loads(marker[len("__i18n__"):])["key"] if marker.startswith("__i18n__") else None


def test_every_fixed_label_of_the_page_is_translated_by_the_browser(engine):
    demo = build_demo(engine.answer)
    seen = []
    for block in demo.blocks.values():
        if getattr(block, "elem_id", None) == "qa-heading":  # an article's title, redrawn at load
            continue
        for text in fixed_texts(block):
            key = i18n_key(text)
            assert key is not None or not CJK.search(str(text)), (type(block).__name__, text)
            seen.append(key)
    assert {"send", "clear", "scope", "library", "upload_tab", "paste_tab", "examples", "placeholder"} <= set(seen)


def test_what_the_handlers_write_follows_the_language(engine):
    articles = engine.articles()
    assert page.placeholder(articles, page.ALL, ENGLISH) == ENGLISH.placeholder_example.format(page.EXAMPLES[0])
    assert page.scope_choices(articles, ENGLISH)[0] == ("All articles", page.ALL)
    assert page.heading(articles * 2, ENGLISH) == "News QA · 2 articles"
    listing = render.render_article_list(articles, ENGLISH)
    assert "1 articles" in listing and f"id {articles[0].id}" in listing and "passages" in listing
    panel = handlers.article_panel(engine, articles[0], text=ENGLISH)
    assert "paragraph 1" in panel and "headline" in panel and "by " in panel and "第 1 段" not in panel

    assert handlers.add_file(engine, None, no_progress, ENGLISH)[0] == page.status(ENGLISH.no_file, ok=False)
    assert handlers.add_text(engine, " ", "", no_progress, ENGLISH)[0] == page.status(ENGLISH.no_text, ok=False)
    assert handlers.remove(engine, None, ENGLISH)[0] == page.status(ENGLISH.no_choice, ok=False)
    message, added = handlers.change_library(
        lambda: handlers.add_text(engine, "某市新建了三座公园,总面积120公顷。\n\n公园免费开放。", "公园", no_progress, ENGLISH),
        ENGLISH,
    )
    assert message.startswith('<div class="qa-status-ok">Added 《公园》') and render.escape(ENGLISH.ask_now) in message
    message, _ = handlers.change_library(lambda: handlers.remove(engine, added.id, ENGLISH), ENGLISH)
    assert "Removed 《公园》" in message


def test_library_errors_get_an_english_lead(engine):
    def raising(error):
        def change():
            raise error

        return change

    message = handlers.change_library(raising(SourceError("文件 a.pdf 是空的")), ENGLISH)[0]
    assert render.escape("The library was not changed: 文件 a.pdf 是空的") in message
    assert "already in the library" in handlers.change_library(raising(DuplicateArticleError("重复")), ENGLISH)[0]
    assert "try again" in handlers.change_library(raising(BusyError("忙")), ENGLISH)[0]
    assert handlers.change_library(raising(RuntimeError("secret")), ENGLISH)[0] == page.status(
        ENGLISH.change_failed, ok=False
    )
    assert "是空的" in handlers.change_library(raising(SourceError("文件 a.pdf 是空的")))[0]  # Chinese: as is


def test_progress_stages_and_busy_replies_in_english(engine):
    seen = []
    report = handlers.shown_progress(lambda fraction, desc: seen.append(desc), ENGLISH)
    report(READING, 0, 1)
    report(ENCODING, 64, 128)
    assert seen == ["Reading the file…", "Encoding the passages 64/128"]

    def busy(*args, **kwargs):
        raise Overloaded

    assert handlers.respond("问题", [], [], 3, busy, page.ALL, ENGLISH)[1][-1]["content"] == ENGLISH.busy_reply
