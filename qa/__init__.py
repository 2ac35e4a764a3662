"""Question answering over Chinese news articles: hybrid (dense + BM25) retrieval and answer sentences."""

__version__ = "0.1.0"

from .api import answer, default_engine  # noqa: E402
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
    "BuildReport",
    "Engine",
    "IndexDamagedError",
    "IndexMismatchError",
    "IndexMissingError",
    "ModelError",
    "Passage",
    "QAError",
    "SourceError",
    "answer",
    "build_index",
    "default_engine",
]
