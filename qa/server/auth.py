"""Bearer-key access for /api and /v1 when `QA_API_KEY` is set."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable

from fastapi import Request

from .errors import APIError

UNAUTHORIZED = "缺少或错误的 API 密钥:请在请求头加上 Authorization: Bearer <密钥>。"
AUTH_RESPONSE = {401: {"description": "设置了 QA_API_KEY 而请求没有带对密钥"}}  # for the routes' OpenAPI docs


def key_matches(given: str | None, api_key: str | None) -> bool:
    """Whether `given` is the configured key (anything is, without one). SHA-256 digests are compared
    with `hmac.compare_digest`, so the time taken does not reveal the key."""
    if not api_key:
        return True
    expected = hashlib.sha256(api_key.encode("utf-8")).digest()
    return hmac.compare_digest(hashlib.sha256((given or "").strip().encode("utf-8")).digest(), expected)


def bearer_auth(api_key: str | None) -> Callable[[Request], Awaitable[None]]:
    """A dependency that lets a request through only with `Authorization: Bearer <api_key>`; open without a key.

    Digests are compared with `hmac.compare_digest`, so the time taken does not reveal the key.
    """
    expected = hashlib.sha256(api_key.encode("utf-8")).digest() if api_key else None

    async def check(request: Request) -> None:
        if expected is None:
            return
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        # Header values arrive decoded as latin-1; encoding back gives the bytes the client sent.
        given = hashlib.sha256(token.strip().encode("latin-1")).digest()
        if not (hmac.compare_digest(given, expected) and scheme.lower() == "bearer"):
            raise APIError(401, UNAUTHORIZED, code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"})

    return check
