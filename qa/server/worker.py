"""An answering process: one engine, one request at a time, over a socket to the server.

`AnswerPool` starts it in a fresh interpreter (`main(fd)`): nothing of the server process is
imported or inherited but the environment and the socket. Messages are pickled tuples, framed as
`multiprocessing.Connection` frames them. The server sends `(question, k, history, article, form)`
(or None to stop); the worker first sends `("ready", info)` (or `("failed", reason)`), then
`("ok", Answer or its JSON bytes)` or `("error", reason)` for each request, in order. The requests
waiting when the worker turns to them (at most BATCH) are answered as one batch.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Iterator
from multiprocessing.connection import Connection

from ..encoders.use import UseEncoder
from ..engine import Engine
from .answerers import index_info, reply

log = logging.getLogger(__name__)

BATCH = 8  # the most requests answered together (the pool sends each worker at most PIPELINE)


def single_core_engine() -> Engine:
    """The engine `qa.answer()` would use (QA_INDEX_DIR, QA_MODEL, QA_SOURCE), kept to one core.

    One BLAS thread: with two per process, two processes on two cores make OpenBLAS's spinning
    threads fight (measured 30 answers/s per process instead of 440).
    """
    return Engine(encoder=UseEncoder(threads=1))


def _one_thread_for_torch() -> None:
    """Other models run through torch, whose intra-op pool would also take every core."""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


def run(conn: Connection) -> None:
    """The worker's main loop; returns when the server says stop or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the server stops us
    try:
        engine = single_core_engine()
        greeting = ("ready", index_info(engine))  # loads the index now, not on the first question
        _one_thread_for_torch()
    except Exception as exc:  # the server logs the reason and carries on without this worker
        engine, greeting = None, ("failed", f"{type(exc).__name__}: {exc}")
    try:
        conn.send(greeting)
    except OSError:  # the server stopped while this worker was loading
        return
    while engine is not None:
        try:
            batch = [conn.recv()]
            while batch[-1] is not None and len(batch) < BATCH and conn.poll(0):
                batch.append(conn.recv())
        except (EOFError, OSError):
            return
        requests = [request for request in batch if request is not None]
        try:
            for message in replies(engine, requests):
                conn.send(message)
        except OSError:
            return
        if len(requests) < len(batch):  # the server said stop
            return


def replies(engine: Engine, requests: list[tuple]) -> Iterator[tuple[str, object]]:
    """One reply per request, in order: the batch answered together; after a failure, the rest one by one."""
    done = 0
    try:
        asked = [request[:4] for request in requests]
        for request, answer in zip(requests, engine.answer_batch(asked)):
            yield "ok", reply(answer, request[4])
            done += 1
    except Exception as exc:  # answer() handles bad input itself; this is a bug or a broken index
        log.exception("answer failed")
        yield "error", f"{type(exc).__name__}: {exc}"
        done += 1
        for question, k, history, article, form in requests[done:]:
            try:
                yield "ok", reply(engine.answer(question, k=k, history=history, article=article), form)
            except Exception as exc:
                log.exception("answer failed")
                yield "error", f"{type(exc).__name__}: {exc}"


def main(fd: int) -> None:
    """Serve the server at the other end of the socket `fd`."""
    run(Connection(fd))
