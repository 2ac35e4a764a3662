"""What the chat page's events do: answer a turn (or Gradio's /answer call), add a file or pasted
text, remove an article, and render the side panel. Each turns the engine's result (or its error)
into what the page shows; `qa.web.chat` wires them to the page's components."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

import gradio as gr

from ..api import answer, default_engine
from ..engine import Engine
from ..errors import Overloaded, QAError
from ..index.articles import Article
from ..index.changes import AddReport
from ..ingest.intake import Pasted
from ..progress import Progress
from ..results import Answer
from ..server.gradio_files import upload_folder
from .page import ALL, NO_CHOICE, NO_FILE, NO_TEXT, added_message, scope_article, shown_article, status
from .render import render_answer, render_article_panel, render_question, topics_of

log = logging.getLogger("qa.app")

ERROR_REPLY = "抱歉,处理这个问题时出错了,请稍后再试或换个问法。"
BUSY_REPLY = "现在提问的人太多,请稍后再试。"
CHANGE_FAILED = "处理时出错了,文章库没有改动。请稍后再试。"

Ask = Callable[..., Answer]  # answer(question, k=, history=, article=) -> Answer


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


def shown_progress(progress: gr.Progress) -> Progress:
    """The add's stages and counts (`qa.progress`) as the page's progress line."""

    def report(stage: str, done: int, total: int) -> None:
        progress(done / total if total else 0.0, desc=f"{stage} {done}/{total}" if total > 1 else f"{stage}…")

    return report


def add_file(engine: Engine, path: str | None, progress: gr.Progress) -> tuple[str, Article | None]:
    """Add an uploaded file (its type read from its content, in a bounded child process)."""
    if not path:
        return status(NO_FILE, ok=False), None
    try:
        return added(engine.add([Path(path)], isolated=True, progress=shown_progress(progress)))
    finally:  # an upload is read once: it need not wait in Gradio's folder for the hourly clean-up
        if Path(path).resolve().is_relative_to(upload_folder()):
            Path(path).unlink(missing_ok=True)


def add_text(engine: Engine, text: str, title: str, progress: gr.Progress) -> tuple[str, Article | None]:
    """Add pasted text (its first line is the headline unless a title is given)."""
    if not (text or "").strip():
        return status(NO_TEXT, ok=False), None
    return added(engine.add([Pasted(text, (title or "").strip() or None)], progress=shown_progress(progress)))


def added(report: AddReport) -> tuple[str, Article]:
    """The message for the reader and the new article."""
    return added_message(report), report.added[0]


def remove(engine: Engine, article_id: str | None) -> tuple[str, None]:
    """Remove one article (the panel then shows the scoped or first one)."""
    if not article_id:
        return status(NO_CHOICE, ok=False), None
    gone = engine.remove(article_id)
    return status(f"已删除《{gone.title}》(编号 {gone.id})。", ok=True), None
