"""Who may call the server: with `QA_API_KEY` set, a Bearer key for /api and /v1 (checked before a
body is read) and the same key as the password of Gradio's login for the chat page and its API;
with or without it, no other web site may make a visitor's browser change the article library."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import APIError, error_response

UNAUTHORIZED = "缺少或错误的 API 密钥:请在请求头加上 Authorization: Bearer <密钥>。"
AUTH_RESPONSE = {401: {"description": "设置了 QA_API_KEY 而请求没有带对密钥"}}  # for the routes' OpenAPI docs
CROSS_SITE = "拒绝来自其他网站页面的请求:添加和删除文章只能在本服务的页面上或由 API 客户端进行。"
TOO_MANY_LOGINS = "登录失败次数太多,请稍后再试。"
LOGIN_MESSAGE = "本服务设置了访问密钥:用户名随意,密码填 QA_API_KEY 的值。"


def _digest(value: bytes) -> bytes:
    return hashlib.sha256(value).digest()


def key_matches(given: str | None, api_key: str | None) -> bool:
    """Whether `given` is the configured key (anything is, without one). SHA-256 digests are compared
    with `hmac.compare_digest`, so the time taken does not reveal the key."""
    if not api_key:
        return True
    return hmac.compare_digest(_digest((given or "").strip().encode("utf-8")), _digest(api_key.encode("utf-8")))


def login_check(api_key: str) -> Callable[[str, str], bool]:
    """Gradio's `auth`: any user name, the key as the password."""

    def check(username: str, password: str) -> bool:
        return key_matches(password, api_key)

    return check


class KeyGuard:
    """Answers 401 (in the API's error JSON) to requests under `prefixes` without
    `Authorization: Bearer <api_key>`, before anything else looks at them (their body included)."""

    def __init__(self, app: ASGIApp, api_key: str, prefixes: tuple[str, ...] = ("/api/", "/v1/")) -> None:
        self.app = app
        self.prefixes = prefixes
        self.expected = _digest(api_key.encode("utf-8"))

    def allowed(self, scope: Scope) -> bool:
        value = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
        scheme, _, token = value.partition(b" ")
        return hmac.compare_digest(_digest(token.strip()), self.expected) and scheme.lower() == b"bearer"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefixes) and not self.allowed(scope):
            denied = APIError(401, UNAUTHORIZED, code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"})
            await error_response(denied)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class SameOrigin:
    """Answers 403 to a request under `prefixes` that changes something (not GET, HEAD or OPTIONS)
    when a browser sent it from a page of another site: its `Origin` names another host than the
    request's `Host` (a page may set `X-Forwarded-Host` itself, so it is not trusted: a proxy in front
    must pass the original `Host`). Clients that are not browsers send no `Origin` and pass; so do
    the page's own requests."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...] = ("/api/articles", "/gradio_api/")) -> None:
        self.app = app
        self.prefixes = prefixes

    @staticmethod
    def foreign(scope: Scope) -> bool:
        headers = dict(scope["headers"])
        origin = headers.get(b"origin")
        if origin is None:
            return False
        host = (headers.get(b"host") or b"").decode("latin-1").strip().lower()
        return urlsplit(origin.decode("latin-1")).netloc.lower() != host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] not in self.SAFE
            and scope["path"].startswith(self.prefixes)
            and self.foreign(scope)
        ):
            await error_response(APIError(403, CROSS_SITE, code="cross_site_request"))(scope, receive, send)
            return
        await self.app(scope, receive, send)


class LoginThrottle:
    """Answers 429 (with `Retry-After`) to Gradio's login from a client address that failed it
    `max_failures` times within `window` seconds: a key cannot be guessed at hundreds of tries a
    second. Remembers at most `max_clients` addresses (the oldest forgotten first)."""

    def __init__(self, app: ASGIApp, max_failures: int = 10, window: float = 60.0, max_clients: int = 10_000) -> None:
        self.app = app
        self.max_failures = max_failures
        self.window = window
        self.max_clients = max_clients
        self.failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self.failures.get(client, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != "/login":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        now = time.monotonic()
        times = self._recent(client, now)
        if len(times) >= self.max_failures:
            wait = str(max(1, int(self.window - (now - times[0])) + 1))
            refused = APIError(429, TOO_MANY_LOGINS, code="too_many_logins", headers={"Retry-After": wait})
            await error_response(refused)(scope, receive, send)
            return

        # Counted as a failure from the start, so that attempts sent at once cannot all slip through.
        attempt = time.monotonic()
        times.append(attempt)
        self.failures[client] = times
        self.failures.move_to_end(client)
        while len(self.failures) > self.max_clients:
            self.failures.popitem(last=False)

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400 and attempt in times:
                times.remove(attempt)
            await send(message)

        await self.app(scope, receive, watch)
