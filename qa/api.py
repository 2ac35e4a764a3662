"""`answer()`: the one-call Python API over a shared default engine."""

from __future__ import annotations

import threading

from .engine import Engine
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


def answer(question: str, k: int = 3, history: list[str] | None = None) -> Answer:
    """Answer a question about the indexed article(s).

    The first call loads the default index (building or rebuilding it if needed); later calls
    reuse it. Safe to call from several threads.
    """
    return default_engine().answer(question, k=k, history=history)
