"""The worker processes behind the HTTP routes: same answers as the engine, bounded, self-healing."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time

import numpy as np
import pytest

from qa import Answer
from qa.encoders.use import UseEncoder
from qa.errors import AnswerFailed, Overloaded, Unavailable
from qa.server import AnswerPool, worker
from qa.server.answerers import ANSWER, JSON

pytestmark = pytest.mark.model

QUESTIONS = [
    "包河区综合实力在全国百强区排第几位?", "合肥港的生产情况怎么样?", "比特币现在多少钱?", "", "报社的广告电话是多少"
]


@pytest.fixture
def index_env(real_index, monkeypatch):
    """Workers inherit the environment: point them at the session's real index."""
    monkeypatch.setenv("QA_INDEX_DIR", str(real_index))


def without_scores(answer: dict) -> dict:
    return {**answer, "passages": [{**p, "score": None} for p in answer["passages"]]}


def test_workers_answer_as_the_engine_does(real_engine, index_env):
    async def ask_all():
        pool = AnswerPool(2, max_pending=16)
        await pool.start()
        try:
            assert pool.status == "ok" and len(pool.pids) >= 1
            answers = await asyncio.gather(*(pool.answer(q) for q in QUESTIONS))  # answered in batches
            as_json = await asyncio.gather(*(pool.answer_json(q) for q in QUESTIONS))
            assert [without_scores(json.loads(j)) for j in as_json] == [without_scores(a.to_dict()) for a in answers]
            follow_up = await pool.answer("有哪些企业入驻了?", history=["合杭梦想小镇是什么时候开园的?"])
            await pool.wait_ready()
            return answers, follow_up, pool.info()
        finally:
            await pool.close()

    answers, follow_up, info = asyncio.run(ask_all())
    for question, answer in zip(QUESTIONS, answers, strict=True):
        expected = real_engine.answer(question).to_dict()
        assert without_scores(answer.to_dict()) == without_scores(expected)
        scores = [p.score for p in answer.passages]
        assert scores == pytest.approx([p["score"] for p in expected["passages"]], abs=2e-3)
    assert follow_up.resolved_question.startswith("合杭梦想小镇")
    bundle = real_engine.retriever.bundle
    assert info == {"articles": 1, "passages": len(bundle.chunks), "model": bundle.model, "workers": 2, "pending": 0}


def test_more_than_max_pending_is_refused_at_once(index_env):
    async def flood():
        pool = AnswerPool(1, max_pending=2)
        await pool.start()
        await pool.wait_ready()
        try:
            started = time.perf_counter()
            results = await asyncio.gather(*(pool.answer(QUESTIONS[1]) for _ in range(6)), return_exceptions=True)
            return results, time.perf_counter() - started, await pool.answer(QUESTIONS[1])
        finally:
            await pool.close()

    results, seconds, after = asyncio.run(flood())
    assert [type(r).__name__ for r in results] == ["Answer"] * 2 + ["Overloaded"] * 4
    assert all(isinstance(r, Overloaded) for r in results[2:]) and seconds < 5
    assert after.found  # the pool still answers once the flood is over


def test_a_killed_worker_fails_only_its_questions_and_is_replaced(index_env):
    async def crash():
        pool = AnswerPool(1, max_pending=8)
        await pool.start()
        await pool.wait_ready()
        try:
            (pid,) = pool.pids
            os.kill(pid, signal.SIGSTOP)  # hold it so the question is certainly in flight when it dies
            asking = asyncio.ensure_future(pool.answer(QUESTIONS[0]))
            await asyncio.sleep(0.2)
            os.kill(pid, signal.SIGKILL)
            with pytest.raises(AnswerFailed):
                await asking
            with pytest.raises(Unavailable):  # nothing to answer with until the replacement is up
                await pool.answer(QUESTIONS[0])
            deadline = time.monotonic() + 120
            while pool.status != "ok":
                assert time.monotonic() < deadline, "no replacement worker"
                await asyncio.sleep(0.1)
            assert pool.pids != [pid]
            return await pool.answer(QUESTIONS[0])
        finally:
            await pool.close()

    assert "第41位" in asyncio.run(crash()).text


def test_close_stops_the_processes(index_env):
    async def start_and_close():
        pool = AnswerPool(2)
        await pool.start()
        await pool.wait_ready()
        pids = pool.pids
        await pool.close()
        return pids

    for pid in asyncio.run(start_and_close()):
        with pytest.raises(ProcessLookupError):  # ended and reaped
            os.kill(pid, 0)


def test_the_workers_encoder_keeps_to_one_thread_and_gives_the_same_vectors():
    one, default = UseEncoder(threads=1), UseEncoder()
    texts = ["合肥港的生产情况怎么样?", "包河区综合实力在全国百强区排第几位?"]
    np.testing.assert_allclose(one.encode(texts), default.encode(texts), atol=1e-5)
    assert one._use.threads == 1 and one.name == default.name and one.dimension == default.dimension


class _Breaks:
    """An engine whose batch fails at its second question; asked alone, only "坏" fails."""

    def answer_batch(self, asked):
        for n, (question, *_rest) in enumerate(asked):
            if n == 1:
                raise RuntimeError("boom")
            yield Answer(question, True, "答")

    def answer(self, question, k=3, history=None, article=None):
        if question == "坏":
            raise ValueError("bad")
        return Answer(question, True, "答")


def test_a_failure_in_a_batch_fails_one_reply_and_the_rest_are_answered():
    requests = [(q, 3, [], None, form) for q, form in [("一", ANSWER), ("二", JSON), ("坏", ANSWER), ("四", JSON)]]
    replies = list(worker.replies(_Breaks(), requests))
    assert [kind for kind, _ in replies] == ["ok", "error", "error", "ok"]
    assert replies[0][1].question == "一" and "boom" in replies[1][1]
    assert json.loads(replies[3][1])["question"] == "四"  # the JSON form is bytes made in the worker
