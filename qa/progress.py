"""How a long operation (adding articles) says how far it is: a stage, the items done and their total.

Every surface shows the same stages: the CLI as a progress bar, the chat as its progress line."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]  # (stage, done, total)

READING = "正在读取文件"
CHUNKING = "正在分段"
ENCODING = "正在编码段落"
WRITING = "正在写入索引"
ENCODE_BATCH = 64  # passages encoded between two reports


def silent(stage: str, done: int, total: int) -> None:
    """Progress nobody watches."""
