"""The chat page as Gradio Blocks: the question and chat, the scope, the article panel and the article
library (adding and removing when uploads are on), and the events that connect them to the
handlers in `qa.web.handlers`. `qa.web.launch` mounts it on the server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from ..api import answer, default_engine
from ..config import MAX_QUESTION_CHARS
from ..engine import Engine
from ..index.articles import Article
from ..ingest import SUFFIXES
from ..ingest.limits import MAX_ARTICLE_CHARS, MAX_TITLE_CHARS
from .handlers import Ask, add_file, add_text, answer_api, article_panel, change_library, remove, respond
from .page import (
    ALL,
    EXAMPLES,
    examples_shown,
    heading,
    kept_scope,
    placeholder,
    remove_choices,
    scope_choices,
    shown_article,
)
from .render import escape, render_article_list

INTRO = (
    "用中文(简体、繁体或口语)或英文就文章提问,我会给出答案(要点加粗)、答案句和原文依据段落,"
    "并标出与问题匹配的词;文章没有提到的内容会如实说明。"
)
INTRO_UPLOADS = "也可以在下方“文章库”里添加自己的文章(文件或粘贴的文字),再选择就哪篇文章提问。"
# After each answer: bring the top of the last reply (its answer sentence) into view in the chat
# and in the window, and the best passage into view inside the article panel.
SHOW_ANSWER = (Path(__file__).parent / "assets" / "show_answer.js").read_text(encoding="utf-8").strip()


@dataclass
class Library:
    """The components that follow the article list."""

    heading: gr.Markdown
    listing: gr.HTML
    scope: gr.Dropdown
    removable: gr.Dropdown | None
    examples: gr.Column
    question: gr.Textbox
    panel: gr.HTML

    @property
    def outputs(self) -> list:
        parts = [self.heading, self.listing, self.scope, self.removable, self.examples, self.question, self.panel]
        return [c for c in parts if c is not None]

    def updates(self, engine: Engine, scope: str | None, shown: Article | None = None) -> list:
        """New values for `outputs` from the current list; the panel shows `shown` or the scoped article."""
        articles = engine.articles()
        scope = kept_scope(scope, articles)
        return [
            f"# {escape(heading(articles))}",
            render_article_list(articles),
            gr.update(choices=scope_choices(articles), value=scope),
            *([gr.update(choices=remove_choices(articles), value=None)] if self.removable else []),
            gr.update(visible=examples_shown(articles, scope)),
            gr.update(placeholder=placeholder(articles, scope)),
            article_panel(engine, shown or shown_article(articles, scope)),
        ]


def build_demo(ask: Ask = answer, uploads: bool = True) -> gr.Blocks:
    """The chat page; `ask` answers (the server passes its worker pool's); `uploads` shows adding and
    removing articles."""
    engine = default_engine()
    articles = engine.articles()
    first = shown_article(articles, ALL)
    with gr.Blocks(title=heading(articles), delete_cache=(3600, 3600)) as demo:  # uploaded files
        title = gr.Markdown(f"# {escape(heading(articles))}", elem_id="qa-heading")
        gr.Markdown(INTRO + (INTRO_UPLOADS if uploads else ""))
        asked = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                scope = gr.Dropdown(
                    scope_choices(articles), value=ALL, label="问答范围", filterable=False, elem_id="qa-scope"
                )
                chat = gr.Chatbot(  # one copy button per message (page.js makes it copy text), no copy-all of HTML
                    label="问答", height="auto", min_height=120, max_height=520,  # no taller than its replies
                    sanitize_html=True, autoscroll=False, elem_id="qa-chat", buttons=["copy"],
                )
                question = gr.Textbox(
                    placeholder=placeholder(articles, ALL),
                    show_label=False,
                    max_length=MAX_QUESTION_CHARS,
                    elem_id="qa-question",
                )
                with gr.Row():
                    send = gr.Button("提问", variant="primary", elem_id="qa-send", min_width=100)
                    clear = gr.Button("清空对话", elem_id="qa-clear", min_width=100)
                with gr.Column(visible=examples_shown(articles, ALL), elem_id="qa-examples") as examples:
                    gr.Examples(EXAMPLES, inputs=question, label="示例问题")
                k = gr.Slider(1, 5, value=3, step=1, label="依据段落数")
            with gr.Column(scale=2), gr.Accordion("文章原文(命中的段落已标出)", open=True):
                panel = gr.HTML(article_panel(engine, first), elem_id="qa-article")
        with gr.Accordion("文章库", open=True, elem_id="qa-library"):
            listing = gr.HTML(render_article_list(articles), elem_id="qa-articles")
            removable = None
            if uploads:
                with gr.Row():
                    removable = gr.Dropdown(
                        remove_choices(articles),
                        value=None,
                        label="要删除的文章",
                        filterable=False,
                        scale=4,
                        elem_id="qa-remove",
                    )
                    remove_button = gr.Button("删除", variant="stop", scale=1, min_width=80, elem_id="qa-remove-button")
                gr.Markdown("**添加文章**")
                with gr.Tab("上传文件"):
                    upload = gr.File(
                        label="文章文件(.txt .md .html .htm .pdf .docx,不超过 10 MB)",
                        file_types=list(SUFFIXES),
                        type="filepath",
                        height=160,
                        elem_id="qa-upload",
                    )
                    add_file_button = gr.Button("添加文件", variant="primary", elem_id="qa-add-file")
                with gr.Tab("粘贴文字"):
                    pasted_title = gr.Textbox(
                        label="标题(可不填,默认用第一行)", max_length=MAX_TITLE_CHARS, elem_id="qa-paste-title"
                    )
                    pasted = gr.Textbox(label="文章正文", lines=6, max_length=MAX_ARTICLE_CHARS, elem_id="qa-paste-text")
                    add_text_button = gr.Button("添加文字", variant="primary", elem_id="qa-add-text")
                result = gr.HTML(elem_id="qa-status")

        library = Library(title, listing, scope, removable, examples, question, panel)

        def turn(question: str, chat: list[dict], asked: list[str], k: int, scope: str):
            return respond(question, chat, asked, k, ask, scope)

        def answer_question(question: str) -> dict:
            """Answer one question about the articles; returns `qa.answer(question).to_dict()`."""
            return answer_api(question, ask)

        def refresh(scope: str) -> list:
            """The page after the list may have changed (here or through /api/articles)."""
            return library.updates(engine, scope)

        def rescope(scope: str) -> list:
            articles = engine.articles()
            return [
                gr.update(visible=examples_shown(articles, scope)),
                gr.update(placeholder=placeholder(articles, scope)),
                article_panel(engine, shown_article(articles, scope)),
            ]

        inputs, outputs = [question, chat, asked, k, scope], [question, chat, asked, panel]
        for event in (question.submit, send.click):
            event(turn, inputs, outputs, api_visibility="private").then(
                None, None, None, js=SHOW_ANSWER, api_visibility="private"
            )
        clear.click(lambda scope: ("", [], [], rescope(scope)[-1]), [scope], outputs, api_visibility="private")
        scope.input(rescope, [scope], [examples, question, panel], api_visibility="private")
        demo.load(refresh, [scope], library.outputs, api_visibility="private")

        if uploads:

            def changed(change, scope: str) -> list:
                message, shown = change_library(change)
                return [message] + library.updates(engine, scope, shown)

            def on_file(path, scope, progress=gr.Progress()):  # noqa: B008 (Gradio injects it)
                message, shown = change_library(lambda: add_file(engine, path, progress))
                kept = gr.update() if shown is None else None  # an added file leaves the file box
                return [message] + library.updates(engine, scope, shown) + [kept]

            def on_text(text, title, scope, progress=gr.Progress()):  # noqa: B008
                return changed(lambda: add_text(engine, text, title, progress), scope)

            def on_remove(article_id, scope):
                return changed(lambda: remove(engine, article_id), scope)

            changes = [result] + library.outputs
            options = {"api_visibility": "private", "show_progress_on": [result], "concurrency_limit": 1}
            add_file_button.click(on_file, [upload, scope], changes + [upload], **options)
            add_text_button.click(on_text, [pasted, pasted_title, scope], changes, **options)
            remove_button.click(on_remove, [removable, scope], changes, **options)
        gr.api(answer_question, api_name="answer")
    return demo
