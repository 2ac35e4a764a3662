"""The one-call Python API over a shared default engine: answer questions, add, list and remove articles."""

from __future__ import annotations

import threading
from pathlib import Path

from .engine import Engine
from .errors import SourceError
from .index.articles import Article
from .ingest.intake import Pasted, Upload
from .results import Answer

_engine: Engine | None = None
_lock = threading.Lock()


def default_engine() -> Engine:
    """The process-wide engine over the default index (`QA_INDEX_DIR`, `QA_MODEL`, `QA_SOURCE` apply)."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = Engine()
    return _engine


def answer(question: str, k: int = 3, history: list[str] | None = None, article: str | None = None) -> Answer:
    """Answer a question about the indexed articles (only the one with id `article`, when given).

    The first call loads the default index (building or rebuilding it if needed); later calls
    reuse it. Safe to call from several threads.
    """
    return default_engine().answer(question, k=k, history=history, article=article)


def add_article(source: str | Path | bytes, name: str | None = None) -> Article:
    """Add one article: a file path (.txt/.md/.html/.pdf/.docx, the type read from its content) or
    its raw bytes with a file `name`. SourceError says why when it cannot be added."""
    if isinstance(source, bytes):
        return default_engine().add([Upload(source, name or "未命名文件")]).added[0]
    if Path(source).is_dir():
        raise SourceError(f"{source} 是目录,不是一篇文章。请给出一个文件(添加整个目录:qa add 目录)。")
    return default_engine().add([Path(source)]).added[0]


def add_text(text: str, title: str | None = None) -> Article:
    """Add pasted text as an article (its first line is the headline unless `title` is given)."""
    return default_engine().add([Pasted(text, title)]).added[0]


def list_articles() -> list[Article]:
    """The indexed articles, in the order they were added."""
    return default_engine().articles()


def remove_article(article_id: str) -> Article:
    """Remove an article (by id, or a unique start of it) and its passages; returns what was removed."""
    return default_engine().remove(article_id)
