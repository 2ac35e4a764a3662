"""Reading an upload in a separate, bounded process, so that a hostile file costs only itself.

The server never parses an uploaded file itself: `read_isolated` hands the bytes to a fresh
interpreter (`python -c … child()`) that imports the readers, lowers its own priority, caps its
further address space and its CPU time, reads the document with `read_document` and writes it
back as JSON. The parent waits at most PARSE_SECONDS and kills it then; when it exits, all its
memory is returned. One such process runs at a time (READERS): an upload arriving meanwhile is
refused at once, so that neither memory nor the server's threads pile up.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from ..errors import BusyError, SourceError
from .document import Document
from .limits import MAX_FILE_BYTES, clean_name, too_large

PARSE_SECONDS = 20.0  # wall time for one file, start-up (~1 s) included
PARSE_MEMORY_BYTES = 512 * 1024 * 1024  # address space for reading, beyond Python and the readers (~250 MB)
READERS = 1  # reading processes at once in this process: more uploads at the same moment are refused
_slots = threading.BoundedSemaphore(READERS)
_ROOT = str(Path(__file__).resolve().parents[2])
# The child finds `qa` as this process did: installed, on PYTHONPATH, or (appended last, so that it
# shadows nothing) the directory this package sits in.
_BOOTSTRAP = "import sys; sys.path.append(sys.argv[1]); from qa.ingest.isolated import child; child()"


def _too_slow(name: str, seconds: float) -> SourceError:
    return SourceError(
        f"读取文件 {name} 超过了 {seconds:g} 秒的上限,已停止。文件可能结构异常(例如大量空元素或段落);"
        "请只保留文章正文,或复制正文后粘贴。"
    )


def _too_big(name: str) -> SourceError:
    return SourceError(
        f"读取文件 {name} 需要的内存超过了上限,已停止。文件可能结构异常;请只保留文章正文,或复制正文后粘贴。"
    )


def read_isolated(
    data: bytes, name: str, seconds: float = PARSE_SECONDS, memory_bytes: int = PARSE_MEMORY_BYTES
) -> Document:
    """`read_document(data, name)` run in a child process limited to `seconds` (wall and CPU) and
    `memory_bytes` of address space beyond what Python and the readers take.

    SourceError with a message for the reader when the file cannot be read, is too large or too
    complex, or its reading runs out of time or memory; BusyError when READERS files are being read
    already (each reading process may take PARSE_MEMORY_BYTES and more: they are not let to add up).
    """
    name = clean_name(name, "未命名文件")  # it may be shown back
    if len(data) > MAX_FILE_BYTES:  # refused without starting a process
        raise too_large(name, len(data))
    if not _slots.acquire(blocking=False):
        raise BusyError(f"正在读取别的上传文件,暂时不能读取 {name}。请稍后重试。")
    try:
        return _read_in_child(data, name, seconds, memory_bytes)
    finally:
        _slots.release()


def _read_in_child(data: bytes, name: str, seconds: float, memory_bytes: int) -> Document:
    header = json.dumps({"name": name, "memory": memory_bytes, "seconds": seconds}).encode() + b"\n"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    try:
        done = subprocess.run(
            [sys.executable, "-c", _BOOTSTRAP, _ROOT],
            input=header + data,
            capture_output=True,
            timeout=seconds,
            env=env,
        )
    except subprocess.TimeoutExpired:  # run() has killed it
        raise _too_slow(name, seconds) from None
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise _too_slow(name, seconds)
    try:
        reply = json.loads(done.stdout)
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        if b"MemoryError" in done.stderr:
            raise _too_big(name)
        raise SourceError(f"读取文件 {name} 时出错了(读取进程退出码 {done.returncode})。请检查文件是否完整后重试。")
    if "error" in reply:
        raise SourceError(reply["error"])
    return Document(**reply["document"])


def read_path_isolated(path: Path | str, seconds: float = PARSE_SECONDS) -> Document:
    """A file's article, read in a bounded child process (its size checked before reading)."""
    from .reader import read_file_bytes

    path = Path(path)
    return read_isolated(read_file_bytes(path, shown=clean_name(path.name, "未命名文件")), path.name, seconds)


def _address_space() -> int:
    """This process's mapped address space now (VmSize), in bytes."""
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmSize:"))
    return int(line.split()[1]) * 1024


def _limit(seconds: float, memory_bytes: int) -> None:
    import resource

    os.nice(10)  # answering comes first
    ceiling = _address_space() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def _import_readers() -> None:
    """Load every reader and its library before the limits, so that they bound the reading alone."""
    import docx  # noqa: F401
    import pypdf  # noqa: F401
    import trafilatura  # noqa: F401

    from .reader import read_document  # noqa: F401


def child() -> None:
    """The reading process: a JSON header line and the file's bytes on stdin; the document (or the
    reason it cannot be read) as JSON on stdout."""
    header = json.loads(sys.stdin.buffer.readline())
    data = sys.stdin.buffer.read()
    name = header["name"]
    _import_readers()
    _limit(header["seconds"], header["memory"])
    try:
        from .reader import read_document

        reply = {"document": dataclasses.asdict(read_document(data, name))}
    except SourceError as exc:
        reply = {"error": str(exc)}
    except (MemoryError, RecursionError):
        reply = {"error": str(_too_big(name))}
    except Exception as exc:  # a reader's own failure on a malformed file: the reader is told, not the log
        reply = {"error": f"读取文件 {name} 时出错了({type(exc).__name__}),文件可能已损坏。请重新保存后重试。"}
    sys.stdout.buffer.write(json.dumps(reply).encode("ascii"))
