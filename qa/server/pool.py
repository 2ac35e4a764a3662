"""Answering processes, one engine each, fed from a bounded queue on the server's event loop.

Each worker is a fresh interpreter running `qa.server.worker`, joined to the server by a socket
pair; the event loop reads and writes the sockets directly (no helper threads), hands each worker
at most `PIPELINE` questions at a time, and keeps the rest in one queue that `max_pending` bounds.
A worker that dies fails only the questions it held and is replaced.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import socket
import struct
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AnswerFailed, Unavailable
from .answerers import Answerer

log = logging.getLogger(__name__)

PIPELINE = 8  # questions a worker holds: it answers the next while the server reads the last reply, and
# encodes the ones waiting together (8 cost ~1.0 ms each instead of ~1.9 ms one by one)
START_TIMEOUT = 300.0  # seconds for a worker to load the index
RESTART_DELAY = 1.0  # seconds before replacing a dead worker (doubles while replacements fail)


def _frame(message: object) -> bytes:
    """A message as `multiprocessing.Connection.recv` reads it: a 4-byte big-endian length, then pickle."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return struct.pack("!i", len(data)) + data


async def _read(reader: asyncio.StreamReader) -> object:
    """One message written by `Connection.send` (over 2 GiB it uses a -1 marker and an 8-byte length)."""
    (size,) = struct.unpack("!i", await reader.readexactly(4))
    if size == -1:
        (size,) = struct.unpack("!Q", await reader.readexactly(8))
    return pickle.loads(await reader.readexactly(size))


# The worker finds `qa` as this process did: installed, on PYTHONPATH, or (appended last, so that
# it shadows nothing) the directory this package sits in.
_BOOTSTRAP = "import sys; sys.path.append(sys.argv[1]); from qa.server.worker import main; main(int(sys.argv[2]))"
_ROOT = str(Path(__file__).resolve().parents[2])


def _start_process() -> tuple[subprocess.Popen, socket.socket, float]:
    """A worker process, the server's end of its socket pair, and when it started."""
    ours, theirs = socket.socketpair()
    with theirs:
        process = subprocess.Popen(
            [sys.executable, "-c", _BOOTSTRAP, _ROOT, str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
    return process, ours, time.monotonic()


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    jobs: deque[asyncio.Future] = field(default_factory=deque)  # in the order the worker answers them


class AnswerPool(Answerer):
    """`workers` answering processes over the index `qa.answer()` would use (QA_INDEX_DIR, QA_MODEL, QA_SOURCE)."""

    def __init__(self, workers: int, max_pending: int = 64, timeout: float = 30.0) -> None:
        super().__init__(max_pending, timeout)
        if workers < 1:
            raise ValueError("an AnswerPool needs at least one worker")
        self.size = workers
        self._spawned: list[tuple[subprocess.Popen, socket.socket, float]] = []
        self._workers: list[_Worker] = []
        self._queue: deque[tuple[bytes, asyncio.Future]] = deque()
        self._tasks: set[asyncio.Task] = set()
        self._info: dict = {}
        self._starting = 0  # workers loading the index
        self._closing = False

    # ---------- starting and stopping ----------
    def spawn(self) -> None:
        """Start the processes now, so they load the index while the rest of the server starts."""
        while len(self._spawned) < self.size:
            self._spawned.append(_start_process())

    async def start(self) -> None:
        """Return once one worker is ready (the others join when they are); fails if none can start."""
        await super().start()
        self.spawn()
        spawned, self._spawned = self._spawned, []
        self._starting += len(spawned)
        for started in spawned:
            self._track(self._launch(started))
        while self._starting and not self._workers:
            await asyncio.sleep(0.05)
        if not self._workers:
            raise RuntimeError("回答进程都没能启动,原因见上面的日志。")

    async def wait_ready(self) -> None:
        """Wait until no worker is still loading."""
        while self._starting:
            await asyncio.sleep(0.05)

    async def _launch(self, started: tuple[subprocess.Popen, socket.socket, float] | None = None) -> bool:
        """Start a worker (or take a started one) and add it to the pool once it is ready.

        The caller counts it in `_starting` first, so that it is counted from the moment it exists.
        """
        try:
            if started is None:
                started = await asyncio.get_running_loop().run_in_executor(None, _start_process)
            return await self._connect(*started)
        finally:
            self._starting -= 1
            if not self._workers and not self._starting:  # nobody left to answer what is waiting
                self._fail_queue(Unavailable)

    async def _connect(self, process: subprocess.Popen, sock: socket.socket, started: float) -> bool:
        reader, writer = await asyncio.open_unix_connection(sock=sock)
        try:
            kind, payload = await asyncio.wait_for(_read(reader), START_TIMEOUT)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, OSError) as exc:
            kind, payload = "failed", f"没有就绪({type(exc).__name__})"
        except asyncio.CancelledError:  # the server is stopping while this worker still loads
            writer.close()
            process.kill()
            await _stop(process)
            raise
        if kind != "ready" or self._closing:
            writer.close()
            await _stop(process)
            if kind != "ready":
                log.error("回答进程启动失败:%s", payload)
            return False
        log.info("回答进程 %d 就绪(%.1f 秒)", process.pid, time.monotonic() - started)
        self._info = payload
        member = _Worker(process, reader, writer)
        self._workers.append(member)
        self._track(self._read_replies(member))
        self._dispatch()
        return True

    def _fail_queue(self, error: type[Exception]) -> None:
        while self._queue:
            _, future = self._queue.popleft()
            if not future.done():
                future.set_exception(error())

    async def close(self) -> None:
        self._closing = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        members, self._workers = self._workers, []
        for member in members:
            member.writer.write(_frame(None))
            member.writer.close()
            for future in member.jobs:
                if not future.done():
                    future.set_exception(Unavailable())
        self._fail_queue(Unavailable)
        await asyncio.gather(*(_stop(m.process) for m in members))

    # ---------- answering ----------
    def _submit(self, question: str, k: int, history: list[str], article: str | None, form: str) -> asyncio.Future:
        if not self._workers and not self._starting:
            raise Unavailable
        future = asyncio.get_running_loop().create_future()
        self._queue.append((_frame((question, k, history, article, form)), future))
        self._dispatch()
        return future

    def _dispatch(self) -> None:
        """Hand queued questions to the least busy workers that hold fewer than PIPELINE."""
        while self._queue:
            free = [m for m in self._workers if len(m.jobs) < PIPELINE]
            if not free:
                return
            frame, future = self._queue.popleft()
            if future.done():  # given up on (the client left or the wait timed out)
                continue
            member = min(free, key=lambda m: len(m.jobs))
            member.jobs.append(future)
            member.writer.write(frame)

    async def _read_replies(self, member: _Worker) -> None:
        try:
            while True:
                kind, payload = await _read(member.reader)
                future = member.jobs.popleft()
                if not future.done():
                    if kind == "ok":
                        future.set_result(payload)
                    else:
                        future.set_exception(AnswerFailed(payload))
                self._dispatch()
        except (asyncio.IncompleteReadError, OSError):
            pass  # the worker is gone
        if self._closing:
            return
        self._workers.remove(member)
        member.writer.close()
        for future in member.jobs:
            if not future.done():
                future.set_exception(AnswerFailed("回答进程意外退出"))
        if not self._workers and not self._starting:
            self._fail_queue(Unavailable)
        await _stop(member.process)
        log.error("回答进程 %s 意外退出(退出码 %s),正在启动新的", member.process.pid, member.process.returncode)
        self._track(self._replace())

    async def _replace(self) -> None:
        delay = RESTART_DELAY
        while not self._closing:
            await asyncio.sleep(delay)
            self._starting += 1
            if await self._launch():
                return
            delay = min(delay * 2, 60.0)

    def _track(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def status(self) -> str:
        return "ok" if self._workers else "starting" if self._starting else "unavailable"

    @property
    def pids(self) -> list[int]:
        """Process ids of the workers that are answering."""
        return [member.process.pid for member in self._workers]

    def info(self) -> dict:
        return {**self._info, "workers": len(self._workers), "pending": self.pending}


async def _stop(process: subprocess.Popen, grace: float = 5.0) -> None:
    """Wait for a process to end (it exits on the stop message or a closed socket); kill it after `grace`."""
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(None, process.wait, grace)
    except subprocess.TimeoutExpired:
        process.kill()
        await loop.run_in_executor(None, process.wait)
