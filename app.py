"""The Gradio chat over `qa.answer()`: `python app.py` serves it on 127.0.0.1:7860.

The same server answers the JSON API (/api) and the OpenAI-compatible chat (/v1) from
`qa.server`, with docs at /docs; answers come from worker processes shared by all routes.
Readers can add articles (a file or pasted text), remove them and ask about one article or all;
QA_UPLOADS=off hides adding and removing; with QA_API_KEY set, the page and all its routes ask
for that key (Gradio's login: any non-empty user name, the key as password).
GRADIO_SERVER_NAME / GRADIO_SERVER_PORT override the address; QA_CONCURRENCY (4) and
QA_QUEUE_SIZE (64) bound the chat's queue; QA_WORKERS, QA_MAX_PENDING, QA_API_KEY and
QA_MAX_BODY_BYTES are described in the README. All retrieval lives in `qa`;
this file lays out the page and turns answers and article changes into what the page shows.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from qa import Answer, answer, default_engine
from qa.articles import Article
from qa.config import MAX_QUESTION_CHARS
from qa.engine import Engine
from qa.errors import QAError
from qa.ingest import MAX_FILE_BYTES, SUFFIXES, Document, read_pasted, read_path_isolated
from qa.ingest.limits import MAX_ARTICLE_CHARS, MAX_TITLE_CHARS
from qa.page import (
    ALL,
    EXAMPLES,
    NO_CHOICE,
    NO_FILE,
    NO_TEXT,
    added_message,
    examples_shown,
    heading,
    kept_scope,
    placeholder,
    remove_choices,
    scope_article,
    scope_choices,
    shown_article,
    status,
)
from qa.render import (
    escape,
    render_answer,
    render_article_list,
    render_article_panel,
    render_question,
    topics_of,
)
from qa.server import Overloaded, ServerSettings, create_app, make_answerer, serve
from qa.server.auth import LOGIN_MESSAGE, login_check
from qa.server.gradio_files import upload_folder

log = logging.getLogger("qa.app")

INTRO = (
    "用中文(简体、繁体或口语)或英文就文章提问,我会给出答案(要点加粗)、答案句和原文依据段落,"
    "并标出与问题匹配的词;文章没有提到的内容会如实说明。"
)
INTRO_UPLOADS = "也可以在下方“文章库”里添加自己的文章(文件或粘贴的文字),再选择就哪篇文章提问。"
# After each answer: bring the top of the last reply (its answer sentence) into view in the chat
# and in the window, and the best passage into view inside the article panel.
SHOW_ANSWER = """async () => {
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  await frame(); await frame();
  const replies = document.querySelectorAll('#qa-chat .bot, #qa-chat [data-testid="bot"]');
  const last = replies[replies.length - 1];
  if (last) {
    const target = last.querySelector('.qa-answer') || last;
    let box = target.parentElement;
    while (box && box.id !== 'qa-chat' &&
           !(box.scrollHeight > box.clientHeight && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) {
      box = box.parentElement;
    }
    if (box && box.id !== 'qa-chat') {
      box.scrollTop += target.getBoundingClientRect().top - box.getBoundingClientRect().top - 40;
    }
    const top = target.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight - 120) window.scrollBy(0, top - 12);
  }
  const hit = document.querySelector('#qa-article .qa-top');
  const panel = document.querySelector('#qa-article .qa-article');
  if (hit && panel) panel.scrollTop = hit.offsetTop - panel.offsetTop - 40;
}"""
ERROR_REPLY = "抱歉,处理这个问题时出错了,请稍后再试或换个问法。"
BUSY_REPLY = "现在提问的人太多,请稍后再试。"
CHANGE_FAILED = "处理时出错了,文章库没有改动。请稍后再试。"
CSS = """
.qa-answer {font-size: 1.05em; line-height: 1.7; margin-bottom: .6em}
.qa-phrase {font-size: 1.15em; margin-right: .3em}
.qa-sentence {margin-top: .2em}
.qa-from {font-size: .85em; color: #555; margin-top: .2em}
.qa-label {background: #2563eb; color: #fff; border-radius: 4px; padding: 0 .4em; margin-right: .5em; font-size: .85em}
.qa-evidence-title {font-weight: 600; margin: .4em 0; color: #555}
.qa-passage {border-left: 3px solid #93c5fd; padding: .3em .7em; margin: .5em 0; background: rgba(147,197,253,.08)}
.qa-meta {font-size: .85em; color: #666; display: flex; align-items: center; gap: .5em; flex-wrap: wrap}
.qa-source {color: #1e40af}
.qa-bar {display: inline-block; width: 80px; height: 6px; background: #e5e7eb; border-radius: 3px; overflow: hidden}
.qa-bar > span {display: block; height: 100%; background: #2563eb}
.qa-text {line-height: 1.7; margin-top: .2em}
mark {background: #fde68a; color: inherit; padding: 0 1px; border-radius: 2px}
.qa-notfound, .qa-notice {color: #92400e}
.qa-article-head {margin-bottom: .5em}
.qa-article-title {font-weight: 600}
.qa-facts {font-size: .85em; color: #666; display: block}
.qa-article {max-height: 70vh; overflow-y: auto; font-size: .92em; line-height: 1.7}
.qa-para {padding: .3em .5em; margin: .3em 0; border-radius: 4px}
.qa-para-no {font-size: .75em; color: #888; margin-right: .5em}
.qa-hit {background: #fef3c7; border-left: 3px solid #f59e0b}
.qa-top {background: #fde68a}
.qa-section {margin: .8em 0 .3em}
.qa-articles ol {margin: .3em 0 0 1.2em; padding: 0}
.qa-article-item {margin: .3em 0}
.qa-status-ok {color: #166534}
.qa-status-error {color: #b91c1c}
"""


Ask = Callable[..., Answer]  # answer(question, k=, history=, article=) -> Answer


# ---------- handlers ----------
def article_panel(engine: Engine, article: Article, marked: Iterable[int] = ()) -> str:
    """The side panel: one article with its title and facts, `marked` passages highlighted."""
    return render_article_panel(article, engine.article_chunks(article.id), marked)


def respond(question: str, chat: list[dict], asked: list[str], k: int, ask: Ask = answer, scope: str | None = ALL):
    """One turn: answer the question (within `scope`) with the earlier questions as context."""
    engine = default_engine()
    articles = engine.articles()
    shown = render_question(question or "")
    result = None
    try:
        result = ask(question, k=k, history=asked, article=scope_article(scope))
        scoped = [a for a in articles if a.id == scope_article(scope)] or articles
        topics = topics_of(engine.article_chunks(scoped[0].id)) if len(scoped) == 1 else None
        titles = [a.title for a in scoped] if len(scoped) > 1 else None
        reply = render_answer(result, topics, name_sources=len(articles) > 1, titles=titles)
        if result.found:
            asked = asked + [result.question]
    except Overloaded:
        reply = BUSY_REPLY
    except Exception:  # a reader sees a message, the log keeps the details
        log.exception("answer failed")
        reply = ERROR_REPLY
    chat = chat + [{"role": "user", "content": shown}, {"role": "assistant", "content": reply}]
    article = shown_article(articles, scope, result)
    marked = [p.chunk_id for p in result.passages if p.article in ("", article.id)] if result else []
    return "", chat, asked, article_panel(engine, article, marked)


def answer_api(question: str, ask: Ask = answer) -> dict:
    """Answer one question about the articles; returns `qa.answer(question).to_dict()`."""
    try:
        return ask(question).to_dict()
    except Overloaded:
        raise gr.Error(BUSY_REPLY) from None


def change_library(change: Callable[[], tuple[str, Article | None]]):
    """Run an add or remove: the status message, and the article to show (or None)."""
    try:
        message, article = change()
    except QAError as exc:  # the library's own message (unreadable file, duplicate, last article …)
        return status(str(exc), ok=False), None
    except Exception:
        log.exception("article change failed")
        return status(CHANGE_FAILED, ok=False), None
    return message, article


def add_file(engine: Engine, path: str | None, progress: gr.Progress) -> tuple[str, Article | None]:
    """Add an uploaded file (its type read from its content, in a bounded child process)."""
    if not path:
        return status(NO_FILE, ok=False), None
    progress(0.1, desc="正在读取文件…")
    try:
        document = read_path_isolated(Path(path))
    finally:  # an upload is read once: it need not wait in Gradio's folder for the hourly clean-up
        if Path(path).resolve().is_relative_to(upload_folder()):
            Path(path).unlink(missing_ok=True)
    return index_document(engine, document, progress)


def add_text(engine: Engine, text: str, title: str, progress: gr.Progress) -> tuple[str, Article | None]:
    """Add pasted text (its first line is the headline unless a title is given)."""
    if not (text or "").strip():
        return status(NO_TEXT, ok=False), None
    progress(0.1, desc="正在读取文字…")
    return index_document(engine, read_pasted(text, (title or "").strip() or None), progress)


def index_document(engine: Engine, document: Document, progress: gr.Progress) -> tuple[str, Article]:
    """Add a read document to the index; the message for the reader and the new article."""
    progress(0.4, desc="正在分段并编入索引…")
    report = engine.add([document])
    return added_message(report), report.added[0]


def remove(engine: Engine, article_id: str | None) -> tuple[str, None]:
    """Remove one article (the panel then shows the scoped or first one)."""
    if not article_id:
        return status(NO_CHOICE, ok=False), None
    gone = engine.remove(article_id)
    return status(f"已删除《{gone.title}》(编号 {gone.id})。", ok=True), None


# ---------- layout ----------
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
                chat = gr.Chatbot(label="问答", height=520, sanitize_html=True, autoscroll=False, elem_id="qa-chat")
                question = gr.Textbox(
                    placeholder=placeholder(articles, ALL),
                    show_label=False,
                    max_length=MAX_QUESTION_CHARS,
                    elem_id="qa-question",
                )
                with gr.Row():
                    send = gr.Button("提问", variant="primary", elem_id="qa-send")
                    clear = gr.Button("清空对话", elem_id="qa-clear")
                    k = gr.Slider(1, 5, value=3, step=1, label="依据段落数")
                with gr.Column(visible=examples_shown(articles, ALL)) as examples:
                    gr.Examples(EXAMPLES, inputs=question, label="示例问题")
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
                return changed(lambda: add_file(engine, path, progress), scope)

            def on_text(text, title, scope, progress=gr.Progress()):  # noqa: B008
                return changed(lambda: add_text(engine, text, title, progress), scope)

            def on_remove(article_id, scope):
                return changed(lambda: remove(engine, article_id), scope)

            changes = [result] + library.outputs
            options = {"api_visibility": "private", "show_progress_on": [result], "concurrency_limit": 1}
            add_file_button.click(on_file, [upload, scope], changes, **options)
            add_text_button.click(on_text, [pasted, pasted_title, scope], changes, **options)
            remove_button.click(on_remove, [removable, scope], changes, **options)
        gr.api(answer_question, api_name="answer")
    return demo


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = ServerSettings.from_env()
    started = time.perf_counter()
    engine = default_engine()
    log.info("加载索引 %s", engine.index_dir)
    engine.chunks  # load (or build) the index before the workers and the page use it
    log.info("索引就绪:%d 段,%.1f 秒", len(engine.chunks), time.perf_counter() - started)
    answerer = make_answerer(settings, engine)  # workers load the index while the page is built
    demo = build_demo(answerer.answer_blocking, uploads=settings.uploads)
    # A bounded queue: a flood gets "queue full" (HTTP 503) replies instead of unbounded memory.
    demo.queue(
        default_concurrency_limit=int(os.environ.get("QA_CONCURRENCY", "4")),
        max_size=int(os.environ.get("QA_QUEUE_SIZE", "64")),
        api_open=False,
    )
    app = gr.mount_gradio_app(
        create_app(answerer, settings, engine),
        demo,
        path="/",
        server_name=settings.host,
        server_port=settings.port,
        ssr_mode=False,
        enable_monitoring=False,
        show_error=False,
        max_file_size=MAX_FILE_BYTES,
        css=CSS,
        auth=login_check(settings.api_key) if settings.api_key else None,
        auth_message=LOGIN_MESSAGE,
    )
    # launch() would switch on Gradio's rule that a handler takes only files uploaded through the
    # page (not any server path a client names); mounting skips launch, so it is switched on here.
    demo.has_launched = True
    serve(app, settings)


if __name__ == "__main__":
    main()
