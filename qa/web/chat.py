"""The chat page as Gradio Blocks: the question and chat, the scope, the article panel and the article
library (adding and removing when uploads are on), and the events that connect them to the
handlers in `qa.web.handlers`. `qa.web.launch` mounts it on the server.

The fixed labels are Gradio i18n keys (`qa.web.ui_text`); every event writes in the language its
request prefers (`text_for`), and the page's load event redraws what depends on it."""

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
from .handlers import (
    MAX_CITED,
    Ask,
    add_file,
    add_text,
    answer_api,
    article_panel,
    change_library,
    cited_panel,
    remove,
    respond,
)
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
from .ui_text import CHINESE, UiText, label, text_for

ASSETS = Path(__file__).parent / "assets"
# After each answer: bring the top of the last reply (its answer sentence) into view in the chat
# and in the window, and the best passage into view inside the article panel.
SHOW_ANSWER = (ASSETS / "show_answer.js").read_text(encoding="utf-8").strip()
# A citation of a passage of another article than the panel's: page.js leaves the passage ids in
# window.__qaCited and clicks a hidden button; the panel then shows that article, and this scrolls to it.
CITED_IDS = "() => window.__qaCited || ''"
SHOW_CITED = (ASSETS / "show_cited.js").read_text(encoding="utf-8").strip()


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

    def updates(self, engine: Engine, scope: str | None, shown: Article | None = None, text: UiText = CHINESE) -> list:
        """New values for `outputs` from the current list; the panel shows `shown` or the scoped article."""
        articles = engine.articles()
        scope = kept_scope(scope, articles)
        return [
            f"# {escape(heading(articles, text))}",
            render_article_list(articles, text),
            gr.update(choices=scope_choices(articles, text), value=scope),
            *([gr.update(choices=remove_choices(articles), value=None)] if self.removable else []),
            gr.update(visible=examples_shown(articles, scope)),
            gr.update(placeholder=placeholder(articles, scope, text)),
            article_panel(engine, shown or shown_article(articles, scope), text=text),
        ]


def build_demo(ask: Ask = answer, uploads: bool = True) -> gr.Blocks:
    """The chat page; `ask` answers (the server passes its worker pool's); `uploads` shows adding and
    removing articles."""
    engine = default_engine()
    articles = engine.articles()
    first = shown_article(articles, ALL)
    with gr.Blocks(title=heading(articles), delete_cache=(3600, 3600)) as demo:  # uploaded files
        title = gr.Markdown(f"# {escape(heading(articles))}", elem_id="qa-heading")
        gr.Markdown(label("intro_uploads" if uploads else "intro"))
        asked = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                scope = gr.Dropdown(
                    scope_choices(articles), value=ALL, label=label("scope"), filterable=False, elem_id="qa-scope"
                )
                chat = gr.Chatbot(  # one copy button per message (page.js makes it copy text), no copy-all of HTML
                    label=label("chat"), height="auto", min_height=120, max_height=520,  # no taller than its replies
                    sanitize_html=True, autoscroll=False, elem_id="qa-chat", buttons=["copy"],
                )
                question = gr.Textbox(
                    placeholder=label("placeholder"),  # the load event adds the example that fits
                    label=label("question"),
                    show_label=False,
                    max_length=MAX_QUESTION_CHARS,
                    elem_id="qa-question",
                )
                with gr.Row():
                    send = gr.Button(label("send"), variant="primary", elem_id="qa-send", min_width=100)
                    clear = gr.Button(label("clear"), elem_id="qa-clear", min_width=100)
                with gr.Column(visible=examples_shown(articles, ALL), elem_id="qa-examples") as examples:
                    gr.Examples(EXAMPLES, inputs=question, label=label("examples"))
                k = gr.Slider(1, 5, value=3, step=1, label=label("passages"))
            with gr.Column(scale=2), gr.Accordion(label("article_panel"), open=True):
                panel = gr.HTML(article_panel(engine, first), elem_id="qa-article")
                cited = gr.Textbox(visible="hidden", max_length=MAX_CITED * 11, elem_id="qa-cited")
                show_cited = gr.Button(visible="hidden", elem_id="qa-cited-go")
        with gr.Accordion(label("library"), open=True, elem_id="qa-library"):
            listing = gr.HTML(render_article_list(articles), elem_id="qa-articles")
            removable = None
            if uploads:
                with gr.Row():
                    removable = gr.Dropdown(
                        remove_choices(articles),
                        value=None,
                        label=label("remove_choice"),
                        filterable=False,
                        scale=4,
                        elem_id="qa-remove",
                    )
                    remove_button = gr.Button(
                        label("remove"), variant="stop", scale=1, min_width=80, elem_id="qa-remove-button"
                    )
                gr.Markdown(label("add_heading"))
                with gr.Tab(label("upload_tab")):
                    upload = gr.File(
                        label=label("upload_label"),
                        file_types=list(SUFFIXES),
                        type="filepath",
                        height=160,
                        elem_id="qa-upload",
                    )
                    add_file_button = gr.Button(label("add_file"), variant="primary", elem_id="qa-add-file")
                with gr.Tab(label("paste_tab")):
                    pasted_title = gr.Textbox(
                        label=label("paste_title"), max_length=MAX_TITLE_CHARS, elem_id="qa-paste-title"
                    )
                    pasted = gr.Textbox(
                        label=label("paste_text"), lines=6, max_length=MAX_ARTICLE_CHARS, elem_id="qa-paste-text"
                    )
                    add_text_button = gr.Button(label("add_text"), variant="primary", elem_id="qa-add-text")
                result = gr.HTML(elem_id="qa-status")

        library = Library(title, listing, scope, removable, examples, question, panel)

        def turn(question: str, chat: list[dict], asked: list[str], k: int, scope: str, request: gr.Request):
            return respond(question, chat, asked, k, ask, scope, text_for(request))

        def answer_question(question: str) -> dict:
            """Answer one question about the articles; returns `qa.answer(question).to_dict()`."""
            return answer_api(question, ask)

        def refresh(scope: str, request: gr.Request) -> list:
            """The page after the list may have changed (here or through /api/articles), in the reader's language."""
            return library.updates(engine, scope, text=text_for(request))

        def rescope(scope: str, request: gr.Request) -> list:
            articles, text = engine.articles(), text_for(request)
            return [
                gr.update(visible=examples_shown(articles, scope)),
                gr.update(placeholder=placeholder(articles, scope, text)),
                article_panel(engine, shown_article(articles, scope), text=text),
            ]

        def clear_chat(scope: str, request: gr.Request):
            return "", [], [], rescope(scope, request)[-1]

        def follow(value: str, request: gr.Request):
            """The panel showing a cited passage of another article (unchanged when the index no longer has it)."""
            shown = cited_panel(engine, value, text_for(request))
            return gr.update() if shown is None else shown

        inputs, outputs = [question, chat, asked, k, scope], [question, chat, asked, panel]
        for event in (question.submit, send.click):
            event(turn, inputs, outputs, api_visibility="private").then(
                None, None, None, js=SHOW_ANSWER, api_visibility="private"
            )
        clear.click(clear_chat, [scope], outputs, api_visibility="private")
        scope.input(rescope, [scope], [examples, question, panel], api_visibility="private")
        show_cited.click(
            follow, [cited], [panel], js=CITED_IDS, show_progress="hidden", api_visibility="private"
        ).then(None, None, None, js=SHOW_CITED, api_visibility="private")
        demo.load(refresh, [scope], library.outputs, api_visibility="private")

        if uploads:

            def changed(change, scope: str, text: UiText) -> list:
                message, shown = change_library(change, text)
                return [message] + library.updates(engine, scope, shown, text)

            def on_file(path, scope, request: gr.Request, progress=gr.Progress()):  # noqa: B008 (Gradio injects it)
                text = text_for(request)
                message, shown = change_library(lambda: add_file(engine, path, progress, text), text)
                kept = gr.update() if shown is None else None  # an added file leaves the file box
                return [message] + library.updates(engine, scope, shown, text) + [kept]

            def on_text(pasted, title, scope, request: gr.Request, progress=gr.Progress()):  # noqa: B008
                text = text_for(request)
                return changed(lambda: add_text(engine, pasted, title, progress, text), scope, text)

            def on_remove(article_id, scope, request: gr.Request):
                text = text_for(request)
                return changed(lambda: remove(engine, article_id, text), scope, text)

            changes = [result] + library.outputs
            options = {"api_visibility": "private", "show_progress_on": [result], "concurrency_limit": 1}
            add_file_button.click(on_file, [upload, scope], changes + [upload], **options)
            add_text_button.click(on_text, [pasted, pasted_title, scope], changes, **options)
            remove_button.click(on_remove, [removable, scope], changes, **options)
        gr.api(answer_question, api_name="answer")
    return demo
