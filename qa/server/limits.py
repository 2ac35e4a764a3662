"""What one request may cost: body size caps, enforced before a body is read whole, and admission
of questions under overload."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import APIError, error_response, overloaded_response

if TYPE_CHECKING:
    from .answerers import Answerer


def too_large(max_bytes: int) -> APIError:
    return APIError(413, f"请求体太大(上限 {max_bytes} 字节)。", code="body_too_large")


class BodyLimit:
    """Answers 413 (in the API's error JSON) to bodies over `max_bytes` on paths under `prefixes`.

    A declared Content-Length over the cap is refused before reading; a chunked body is counted
    as it arrives and refused once it passes the cap. (FastAPI's own `max_body_size` answers in
    plain text, which OpenAI clients cannot read.)
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        prefixes: tuple[str, ...] = ("/api/", "/v1/"),
        larger: dict[str, int] | None = None,
    ) -> None:
        """`larger`: exact paths allowed a bigger body (uploads)."""
        self.app = app
        self.max_bytes = max_bytes
        self.prefixes = prefixes
        self.larger = larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        cap = self.larger.get(scope["path"].rstrip("/"), self.max_bytes)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            await error_response(too_large(cap))(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    raise too_large(cap)  # FastAPI passes HTTP errors from reading the body on
            return message

        await self.app(scope, counted, send)


class Admission:
    """Refuses a question on `paths` with 503 and `Retry-After` when `answerer` already holds as many
    as it accepts, as soon as the request's headers arrive: no body read, no validation, one prebuilt
    reply. The refusal is held back HOLD_SECONDS first (for at most MAX_HELD requests at a time), so
    that a client retrying at once cannot spin: a flood of refusals then costs the server a sleep
    each, and the answers already accepted keep the cores."""

    HOLD_SECONDS = 1.0  # as long as the Retry-After it sends
    MAX_HELD = 4096

    def __init__(
        self, app: ASGIApp, answerer: Answerer, paths: tuple[str, ...] = ("/api/answer", "/v1/chat/completions")
    ) -> None:
        self.app = app
        self.answerer = answerer
        self.paths = frozenset(paths)
        self.busy = overloaded_response()
        self.held = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and self.answerer.full
            and scope["method"] == "POST"
            and scope["path"].rstrip("/") in self.paths
        ):
            if self.held < self.MAX_HELD:
                self.held += 1
                try:
                    await asyncio.sleep(self.HOLD_SECONDS)
                finally:
                    self.held -= 1
            await self.busy(scope, receive, send)
            return
        await self.app(scope, receive, send)
