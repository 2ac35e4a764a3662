"""Question answering over Chinese news articles: hybrid (dense + BM25) retrieval and answer sentences."""

from ._version import __version__  # noqa: F401 (`qa.__version__`)
from .api import add_article, add_text, answer, default_engine, list_articles, remove_article
from .engine import Engine
from .errors import IndexDamagedError, IndexMismatchError, IndexMissingError, ModelError, QAError, SourceError
from .index.articles import Article
from .index.build import BuildReport, build_index
from .results import Answer, Passage

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
