"""Replace a directory atomically: build beside it, then swap, so a killed build loses nothing."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def staging_dir(target: Path) -> Path:
    """A fresh directory beside `target`, named with this process id, to build into."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-{os.getpid()}-", dir=target.parent))
    staged.chmod(0o755)
    return staged


def recover(target: Path) -> None:
    """Put back a previous version that a kill between two renames left aside."""
    if target.exists():
        return
    old = sorted(target.parent.glob(f".{target.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if old:
        os.rename(old[-1], target)


def clean_leftovers(target: Path) -> list[Path]:
    """Remove staging and old directories of builds whose process is gone; return what was removed."""
    recover(target)
    removed = []
    for kind in ("tmp", "old"):
        for path in target.parent.glob(f".{target.name}.{kind}-*"):
            pid = path.name.split("-")[1]
            if pid.isdigit() and int(pid) != os.getpid() and _pid_alive(int(pid)):
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _fsync_tree(root: Path) -> None:
    for path in sorted(root.rglob("*")) + [root]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def publish(staged: Path, target: Path) -> None:
    """Make `staged` the new `target`; the old one stays whole until the swap is done."""
    _fsync_tree(staged)
    if not target.exists():
        os.rename(staged, target)
        return
    if _exchange(staged, target):
        shutil.rmtree(staged, ignore_errors=True)
        return
    aside = target.parent / f".{target.name}.old-{os.getpid()}"
    os.rename(target, aside)
    os.rename(staged, target)
    shutil.rmtree(aside, ignore_errors=True)


_THREAD_LOCKS: dict[str, threading.RLock] = {}  # lock file -> the lock this process's threads queue on
_DEPTH: dict[str, int] = {}  # lock file -> how deep its holder (one thread at a time) holds it
_GUARD = threading.Lock()


@contextmanager
def index_lock(target: Path) -> Iterator[None]:
    """Serialize changes to `target` across threads and processes (an advisory lock file beside it).

    Re-entrant within a thread, so a rebuild can hold it from reading what the index holds to
    publishing the result. Readers never take it: they keep answering from the published version
    while a change is staged.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    path = target.parent / f".{target.name}.lock"
    key = str(path.resolve())
    with _GUARD:
        thread_lock = _THREAD_LOCKS.setdefault(key, threading.RLock())
    with thread_lock:
        if _DEPTH.get(key):  # this thread holds the file lock already
            _DEPTH[key] += 1
            try:
                yield
            finally:
                _DEPTH[key] -= 1
            return
        with path.open("a") as handle:
            try:
                import fcntl
            except ImportError:  # Windows: changes are serialized across threads only
                fcntl = None
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            _DEPTH[key] = 1
            try:
                yield
            finally:
                _DEPTH[key] = 0
                if fcntl is not None:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
