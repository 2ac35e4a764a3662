"""Question answering over Chinese news articles: hybrid (dense + BM25) retrieval and answer sentences."""

__version__ = "0.1.0"

from .api import add_article, add_text, answer, default_engine, list_articles, remove_article  # noqa: E402
from .articles import Article  # noqa: E402
from .building import BuildReport, build_index  # noqa: E402
from .engine import Engine  # noqa: E402
from .errors import (  # noqa: E402
    IndexDamagedError,
    IndexMismatchError,
    IndexMissingError,
    ModelError,
    QAError,
    SourceError,
)
from .results import Answer, Passage  # noqa: E402

__all__ = [
    "Answer",
    "Article",
    "BuildReport",
    "Engine",
    "IndexDamagedError",
    "IndexMismatchError",
    "IndexMissingError",
    "ModelError",
    "Passage",
    "QAError",
    "SourceError",
    "add_article",
    "add_text",
    "answer",
    "build_index",
    "default_engine",
    "list_articles",
    "remove_article",
]
