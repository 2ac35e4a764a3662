"""Rules for the files the chat page's Gradio routes take, checked before Gradio sees a request.

- `FileGuard`: in a call of a page handler (`/gradio_api/queue/join`, `/call/…`, `/run/…`,
  `/api/…`), every file value must name a regular file inside Gradio's upload folder: no server
  path, no directory, no URL for the server to fetch (Gradio would download it).
- `UploadQuota`: `/gradio_api/upload` refuses new files while the upload folder holds more than
  `max_bytes` (files stay there until Gradio's hourly clean-up).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import APIError, error_response

CALLS = ("/gradio_api/queue/join", "/gradio_api/call/", "/gradio_api/run/", "/gradio_api/api/")
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
            await error_response(APIError(400, "请求体的 JSON 嵌套太深。", code="invalid_json"))(scope, receive, send)
            return
        except ValueError:
            data = None  # Gradio answers malformed bodies itself
        folder = upload_folder()
        if any(not uploaded_file(item, folder) for item in file_values(data)):
            await error_response(APIError(403, NOT_UPLOADED, code="file_not_uploaded"))(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def folder_bytes(folder: Path) -> int:
    """The size of the files below `folder`."""
    total = 0
    for root, _, names in os.walk(folder):
        for name in names:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


class UploadQuota:
    """Refuses (507) an upload while Gradio's upload folder already holds more than `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"].rstrip("/") == UPLOAD
            and await asyncio.to_thread(folder_bytes, upload_folder()) > self.max_bytes
        ):
            await error_response(APIError(507, CACHE_FULL, type="server_error", code="upload_cache_full"))(
                scope, receive, send
            )
            return
        await self.app(scope, receive, send)
