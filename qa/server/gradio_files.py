"""Rules for the files the chat page's Gradio routes take, checked before Gradio sees a request.

- `FileGuard`: in a call of a page handler (`/gradio_api/queue/join`, `/call/…`, `/run/…`,
  `/api/…`, and `/stream/…`, which replaces a queued call's data), every file value must name a
  regular file inside Gradio's upload folder: no server path, no directory, no URL for the server
  to fetch (Gradio would download it).
- `UploadQuota`: `/gradio_api/upload` refuses new files while the upload folder holds more than
  `max_bytes` on disk or more than `max_files` files and folders (files stay there until Gradio's
  hourly clean-up).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import TOO_DEEP, APIError, error_response

CALLS = ("/gradio_api/queue/join", "/gradio_api/call/", "/gradio_api/run/", "/gradio_api/api/", "/gradio_api/stream/")
UPLOAD = "/gradio_api/upload"
NOT_UPLOADED = "只能使用通过本页面上传的文件。"
CACHE_FULL = "上传缓存已满,请稍后再试(已上传的文件一小时后清理)。"


def upload_folder() -> Path:
    """Where Gradio keeps uploaded files (GRADIO_TEMP_DIR, else the system's temp folder)."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()).resolve()


def file_values(value: object) -> Iterator[dict]:
    """Every dict with a `path` or `url` in a JSON value (Gradio's file format), depth first."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "path" in item or "url" in item:
                yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


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
    """Refuses (403) a call of a page handler whose data holds a file value that is not an upload."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith(CALLS):
            await self.app(scope, receive, send)
            return
        body = await _body(receive)  # bounded by the BodyLimit in front of this
        try:
            data = json.loads(body) if body.strip() else None
        except RecursionError:
            await error_response(APIError(400, TOO_DEEP, code="invalid_json"))(scope, receive, send)
            return
        except ValueError:
            data = None  # Gradio answers malformed bodies itself
        folder = upload_folder()
        if any(not uploaded_file(item, folder) for item in file_values(data)):
            await error_response(APIError(403, NOT_UPLOADED, code="file_not_uploaded"))(scope, receive, send)
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
