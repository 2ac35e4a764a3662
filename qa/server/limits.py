"""A cap on request body size for the API routes, enforced before a body is read whole."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import APIError, error_response


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
