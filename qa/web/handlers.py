"""What the chat page's events do: answer a turn (or Gradio's /answer call), add a file or pasted
text, remove an article, and render the side panel (also for a citation of another article). Each
turns the engine's result (or its error) into what the page shows, in the page's words for the
reader's language (`UiText`, Chinese by default); `qa.web.chat` wires them to the page's components."""

from __future__ import annotations

import logging
import re
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
from .page import ALL, added_message, scope_article, shown_article, status
from .render import render_answer, render_article_panel, render_question, topics_of
from .ui_text import CHINESE, UiText

log = logging.getLogger("qa.app")

Ask = Callable[..., Answer]  # answer(question, k=, history=, article=) -> Answer
MAX_CITED = 20  # passage ids a citation click may send
_NUMBER_RE = re.compile(r"\d{1,9}")


def article_panel(
    engine: Engine, article: Article, marked: Iterable[int] = (), text: UiText = CHINESE, current: int | None = None
) -> str:
    """The side panel: one article with its title and facts, `marked` passages highlighted, the `current`
    one marked as the citation followed."""
    return render_article_panel(article, engine.article_chunks(article.id), marked, current, text)


def cited_ids(value: str | None) -> list[int]:
    """The passage ids a citation click sends ("12 11 12 15": the one clicked, then the reply's, in order)."""
    return [int(n) for n in _NUMBER_RE.findall((value or "")[: MAX_CITED * 11])[:MAX_CITED]]


def cited_panel(engine: Engine, value: str | None, text: UiText = CHINESE) -> str | None:
    """The panel switched to the article of a cited passage: the reply's passages in it marked, the cited
    one current; None when no article holds it (the index changed since the reply)."""
    ids = cited_ids(value)
    article = engine.article_of(ids[0]) if ids else None
    if article is None:
        return None
    chunks = engine.article_chunks(article.id)
    inside = {chunk.chunk_id for chunk in chunks}
    return render_article_panel(article, chunks, [i for i in ids[1:] if i in inside], ids[0], text)


def respond(
    question: str,
    chat: list[dict],
    asked: list[str],
    k: int,
    ask: Ask = answer,
    scope: str | None = ALL,
    text: UiText = CHINESE,
):
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
        reply = text.busy_reply
    except Exception:  # a reader sees a message, the log keeps the details
        log.exception("answer failed")
        reply = text.error_reply
    chat = chat + [{"role": "user", "content": shown}, {"role": "assistant", "content": reply}]
    article = shown_article(articles, scope, result)
    marked = [p.chunk_id for p in result.passages if p.article in ("", article.id)] if result else []
    return "", chat, asked, article_panel(engine, article, marked, text)


def answer_api(question: str, ask: Ask = answer) -> dict:
    """Answer one question about the articles; returns `qa.answer(question).to_dict()`."""
    try:
        return ask(question).to_dict()
    except Overloaded:
        raise gr.Error(CHINESE.busy_reply) from None


def change_library(change: Callable[[], tuple[str, Article | None]], text: UiText = CHINESE):
    """Run an add or remove: the status message, and the article to show (or None)."""
    try:
        message, article = change()
    except QAError as exc:  # the library's own message (unreadable file, duplicate, last article …)
        return status(text.library_problem(exc), ok=False), None
    except Exception:
        log.exception("article change failed")
        return status(text.change_failed, ok=False), None
    return message, article


def shown_progress(progress: gr.Progress, text: UiText = CHINESE) -> Progress:
    """The add's stages and counts (`qa.progress`) as the page's progress line."""

    def report(stage: str, done: int, total: int) -> None:
        name = text.stage(stage)
        progress(done / total if total else 0.0, desc=f"{name} {done}/{total}" if total > 1 else f"{name}…")

    return report


def add_file(
    engine: Engine, path: str | None, progress: gr.Progress, text: UiText = CHINESE
) -> tuple[str, Article | None]:
    """Add an uploaded file (its type read from its content, in a bounded child process)."""
    if not path:
        return status(text.no_file, ok=False), None
    try:
        return added(engine.add([Path(path)], isolated=True, progress=shown_progress(progress, text)), text)
    finally:  # an upload is read once: it need not wait in Gradio's folder for the hourly clean-up
        if Path(path).resolve().is_relative_to(upload_folder()):
            Path(path).unlink(missing_ok=True)


def add_text(
    engine: Engine, pasted: str, title: str, progress: gr.Progress, text: UiText = CHINESE
) -> tuple[str, Article | None]:
    """Add pasted text (its first line is the headline unless a title is given)."""
    if not (pasted or "").strip():
        return status(text.no_text, ok=False), None
    source = Pasted(pasted, (title or "").strip() or None)
    return added(engine.add([source], progress=shown_progress(progress, text)), text)


def added(report: AddReport, text: UiText = CHINESE) -> tuple[str, Article]:
    """The message for the reader and the new article."""
    return added_message(report, text), report.added[0]


def remove(engine: Engine, article_id: str | None, text: UiText = CHINESE) -> tuple[str, None]:
    """Remove one article (the panel then shows the scoped or first one)."""
    if not article_id:
        return status(text.no_choice, ok=False), None
    gone = engine.remove(article_id)
    return status(text.removed.format(title=gone.title, id=gone.id), ok=True), None
