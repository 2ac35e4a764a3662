"""What the chat page shows, decided from the article list: heading, scope choices, which article the
side panel shows, whether the example questions fit, and the messages of adding and removing.
Pure functions, so the page's behaviour is tested without a browser; `qa/web/chat.py` lays the page out.
Each takes the page's words in the reader's language (`qa.web.ui_text`; Chinese by default)."""

from __future__ import annotations

from ..config import DEFAULT_SOURCE
from ..index.articles import Article
from ..index.changes import AddReport
from ..results import Answer
from .render import escape
from .ui_text import CHINESE, UiText

EXAMPLES = [  # about the shipped article; shown only while it is indexed and in scope
    "包河区综合实力在全国百强区排第几位?",
    "合杭梦想小镇是什么时候开园的?",
    "滨湖金融小镇与清华大学哪个研究院签约?",
    "包河區的營商服務體系叫什麼名字?",
    "报社的广告电话是多少",
]
ALL = "all"  # the scope value meaning every article (article ids are 12 hex digits)


def heading(articles: list[Article], text: UiText = CHINESE) -> str:
    """The page heading: the article's title when there is one, else a neutral one with the count."""
    if len(articles) == 1:
        return articles[0].title
    return text.heading_many.format(len(articles))


def shipped_id(articles: list[Article]) -> str | None:
    """The id of the article the example questions are about, if it is indexed."""
    return next((a.id for a in articles if a.name == DEFAULT_SOURCE.name), None)


def scope_article(scope: str | None) -> str | None:
    """The article id a scope value asks about; None for all articles."""
    return None if not scope or scope == ALL else scope


def scope_choices(articles: list[Article], text: UiText = CHINESE) -> list[tuple[str, str]]:
    """The scope dropdown: all articles, then each one by title."""
    return [(text.all_articles, ALL)] + [(f"《{a.title}》", a.id) for a in articles]


def kept_scope(scope: str | None, articles: list[Article]) -> str:
    """The scope after the list changed: the same article while it is indexed, else all."""
    return scope if any(a.id == scope for a in articles) else ALL


def remove_choices(articles: list[Article]) -> list[tuple[str, str]]:
    """The remove dropdown: each article by title and id."""
    return [(f"《{a.title}》 {a.id}", a.id) for a in articles]


def examples_shown(articles: list[Article], scope: str | None) -> bool:
    """Whether the example questions fit: the shipped article is indexed and in scope."""
    shipped = shipped_id(articles)
    return shipped is not None and scope_article(scope) in (None, shipped)


def placeholder(articles: list[Article], scope: str | None, text: UiText = CHINESE) -> str:
    """The question box's hint: the first example question while the examples fit."""
    return text.placeholder_example.format(EXAMPLES[0]) if examples_shown(articles, scope) else text.placeholder


def shown_article(articles: list[Article], scope: str | None, answer: Answer | None = None) -> Article:
    """The article for the side panel: the best passage's, else the scoped one, else the first."""
    by_id = {a.id: a for a in articles}
    for key in ([answer.passages[0].article] if answer and answer.passages else []) + [scope_article(scope)]:
        if key in by_id:
            return by_id[key]
    return articles[0]


def status(message: str, ok: bool) -> str:
    """A result message for the article controls (escaped)."""
    return f'<div class="qa-status-{"ok" if ok else "error"}">{escape(message)}</div>'


def added_message(report: AddReport, text: UiText = CHINESE) -> str:
    """What an add did, for the reader."""
    lines = [
        text.added.format(title=a.title, id=a.id, passages=a.passages, seconds=report.seconds) for a in report.added
    ]
    lines += [text.skipped.format(message) for _, message in report.skipped]
    return status("\n".join(lines + [text.ask_now]), ok=True)
