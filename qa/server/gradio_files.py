"""Rules for the files the chat page's Gradio routes take, checked before Gradio sees a request.

- `FileGuard`: in a call of a page handler (`/gradio_api/queue/join`, `/call/…`, `/run/…`,
  `/api/…`, and `/stream/…`, which replaces a queued call's data), every file value must name a
  regular file inside Gradio's upload folder: no server path, no directory, no URL for the server
  to fetch (Gradio would download it); at most MAX_FILES of them and MAX_VALUES values in all,
  checked in a thread so that a large body does not hold up the event loop.
- `UploadQuota`: `/gradio_api/upload` refuses new files while the upload folder holds more than
  `max_bytes` on disk or more than `max_files` files and folders (files stay there until Gradio's
  hourly clean-up).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
from collections.abc import Iterator
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import TOO_DEEP, APIError, error_response

CALLS = ("/gradio_api/queue/join", "/gradio_api/call/", "/gradio_api/run/", "/gradio_api/api/", "/gradio_api/stream/")
UPLOAD = "/gradio_api/upload"
NOT_UPLOADED = "只能使用通过本页面上传的文件。"
TOO_COMPLEX = "请求数据过于庞杂(页面的一次调用只有几个值)。"
MAX_VALUES = 20_000  # JSON values in one call's body: the page sends a few dozen (a long chat: a few thousand)
MAX_FILES = 8  # file values in one call: the page's handlers take one file each
CACHE_FULL = "上传缓存已满,请稍后再试(已上传的文件一小时后清理)。"


def upload_folder() -> Path:
    """Where Gradio keeps uploaded files (GRADIO_TEMP_DIR, else the system's temp folder)."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()).resolve()


class TooComplex(ValueError):
    """A call's data holds more values, or more file values, than a page would ever send."""


def file_values(value: object, max_values: int = MAX_VALUES) -> Iterator[dict]:
    """Every dict with a `path` or `url` in a JSON value (Gradio's file format), depth first;
    TooComplex past `max_values` values."""
    stack = [value]
    seen = 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > max_values:
            raise TooComplex
        if isinstance(item, dict):
            if "path" in item or "url" in item:
                yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _counted() -> dict:
    """`json.loads` hooks that stop a parse past MAX_VALUES objects and numbers (TooComplex)."""
    seen = itertools.count(1)

    def counted(value):
        if next(seen) > MAX_VALUES:
            raise TooComplex
        return value

    return {"object_pairs_hook": lambda pairs: counted(dict(pairs)), "parse_int": lambda text: counted(int(text)),
            "parse_float": lambda text: counted(float(text))}


def check_call(body: bytes, folder: Path) -> APIError | None:
    """Why a page handler's call must be refused, or None: every file value must be an upload, and the
    data no larger than a page sends (checking thousands of paths would hold the server up)."""
    too_complex = APIError(413, TOO_COMPLEX, code="too_complex")
    if body.count(b"[") + body.count(b"{") > MAX_VALUES:  # refused before a parse that would hold the GIL
        return too_complex
    try:
        data = json.loads(body, **_counted()) if body.strip() else None
    except TooComplex:
        return too_complex
    except RecursionError:
        return APIError(400, TOO_DEEP, code="invalid_json")
    except ValueError:
        return None  # Gradio answers malformed bodies itself
    try:
        files = 0
        for item in file_values(data):
            files += 1
            if files > MAX_FILES:
                raise TooComplex
            if not uploaded_file(item, folder):
                return APIError(403, NOT_UPLOADED, code="file_not_uploaded")
    except TooComplex:
        return too_complex
    return None


def uploaded_file(item: dict, folder: Path) -> bool:
    """Whether a file value names a regular file that was uploaded to `folder`."""
    path = item.get("path")
    if not isinstance(path, str) or "://" in path or path.startswith("//"):
        return False
    try:
        resolved = Path(path).resolve()
    except (OSError, ValueError):
        return False
    return resolved.is_relative_to(folder) and resolved != folder and resolved.is_file()


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


class FileGuard:
    """Refuses a call of a page handler whose data holds a file value that is not an upload (403), or
    more values or file values than the page sends (413)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith(CALLS):
            await self.app(scope, receive, send)
            return
        body = await _body(receive)  # bounded by the BodyLimit in front of this
        refused = await asyncio.to_thread(check_call, body, upload_folder())  # parsed off the event loop
        if refused is not None:
            await error_response(refused)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def folder_usage(folder: Path) -> tuple[int, int]:
    """The disk space (allocated blocks) and the number of files and folders below `folder`."""
    used = entries = 0
    for root, dirs, names in os.walk(folder):
        entries += len(dirs) + len(names)
        for name in names:
            try:
                used += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                continue
    return used, entries


class UploadQuota:
    """Refuses (507) an upload while Gradio's upload folder already uses more than `max_bytes` of
    disk or holds more than `max_files` files and folders."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_files: int = 10_000) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_files = max_files

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].rstrip("/") == UPLOAD:
            used, entries = await asyncio.to_thread(folder_usage, upload_folder())
            if used > self.max_bytes or entries > self.max_files:
                refused = APIError(507, CACHE_FULL, type="server_error", code="upload_cache_full")
                await error_response(refused)(scope, receive, send)
                return
        await self.app(scope, receive, send)
