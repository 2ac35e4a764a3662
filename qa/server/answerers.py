"""What the routes ask for answers: a bounded front for the engine, in this process or in workers."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from concurrent.futures import ThreadPoolExecutor

from ..engine import Engine
from ..errors import Overloaded, Unavailable
from ..results import Answer

ANSWER, JSON = "answer", "json"  # what an answerer hands back: the `Answer`, or its JSON bytes


def reply(answer: Answer, form: str) -> Answer | bytes:
    """The answer in the form asked for."""
    return answer.to_json() if form == JSON else answer





def index_info(engine: Engine) -> dict:
    """The index an engine answers from, as /api/health reports it (loads it if needed)."""
    bundle = engine.retriever.bundle
    return {"articles": len(bundle.articles), "passages": len(bundle.chunks), "model": bundle.model}


class Answerer(ABC):
    """Answers questions with at most `max_pending` of them waiting or running; more get `Overloaded`."""

    def __init__(self, max_pending: int = 64, timeout: float = 30.0) -> None:
        self.max_pending = max_pending
        self.timeout = timeout
        self.pending = 0
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        """Get ready to answer; called on the server's event loop before it accepts requests."""
        self._loop = asyncio.get_running_loop()

    async def close(self) -> None:
        """Stop answering and release what `start` took."""

    async def answer(
        self, question: str, k: int = 3, history: list[str] | None = None, article: str | None = None
    ) -> Answer:
        """The engine's answer; `Overloaded` at once when too many are waiting, `TimeoutError` after `timeout`."""
        return await self._bounded(question, k, history, article, ANSWER)

    async def answer_json(
        self, question: str, k: int = 3, history: list[str] | None = None, article: str | None = None
    ) -> bytes:
        """`answer(...).to_json()`, serialized where the answer was made (for a worker: not on the event loop)."""
        return await self._bounded(question, k, history, article, JSON)

    @property
    def full(self) -> bool:
        """Whether a question asked now would get `Overloaded`."""
        return self.pending >= self.max_pending

    async def _bounded(self, question: str, k: int, history: list[str] | None, article: str | None, form: str):
        if self.full:
            raise Overloaded
        self.pending += 1
        try:
            future = self._submit(question, k, list(history or []), article, form)
            return await asyncio.wait_for(future, self.timeout)
        finally:
            self.pending -= 1

    def answer_blocking(
        self, question: str, k: int = 3, history: list[str] | None = None, article: str | None = None
    ) -> Answer:
        """`answer` from another thread (the chat's handlers run in Gradio's thread pool)."""
        if self._loop is None:
            raise Unavailable
        return asyncio.run_coroutine_threadsafe(self.answer(question, k, history, article), self._loop).result()

    @property
    def status(self) -> str:
        """"ok" when a question asked now would be answered; else "starting" or "unavailable"."""
        return "ok" if self._loop is not None else "unavailable"

    @abstractmethod
    def _submit(self, question: str, k: int, history: list[str], article: str | None, form: str) -> asyncio.Future:
        """Start answering; the future resolves to the `Answer` (`form` ANSWER) or its JSON bytes (JSON)."""

    @abstractmethod
    def info(self) -> dict:
        """Index facts (articles, passages, model) and how many workers are up."""


class InProcessAnswerer(Answerer):
    """Answers on one thread of the server process (`QA_WORKERS=0`): one core, no extra memory.

    One thread because the engine's work mostly holds the GIL: two threads measured slower.
    """

    def __init__(self, engine: Engine, max_pending: int = 64, timeout: float = 30.0) -> None:
        super().__init__(max_pending, timeout)
        self.engine = engine
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="qa-answer")

    def _submit(self, question: str, k: int, history: list[str], article: str | None, form: str) -> asyncio.Future:
        def call() -> Answer | bytes:
            return reply(self.engine.answer(question, k=k, history=history, article=article), form)

        return asyncio.get_running_loop().run_in_executor(self._executor, call)

    async def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def info(self) -> dict:
        return {**index_info(self.engine), "workers": 0, "pending": self.pending}
