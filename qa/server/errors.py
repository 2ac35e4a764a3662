"""Error replies: one JSON shape for /api and /v1 (OpenAI's), Chinese messages, never a traceback.

    {"error": {"message": "字段 k 不能大于 20。", "type": "invalid_request_error", "param": "k",
               "code": "invalid_value"}}
"""

from __future__ import annotations

import asyncio
import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from ..errors import AnswerFailed, Overloaded, Unavailable

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 1
BUSY = "服务繁忙,请稍后重试。"
NOT_READY = "回答服务暂时不可用(正在重启),请稍后重试。"
TIMED_OUT = "回答超时,请稍后重试。"
FAILED = "回答这个问题时出错了,请稍后再试或换个问法。"
NOT_JSON = "请求体不是有效的 JSON。"
TOO_DEEP = "请求体的 JSON 嵌套太深。"
UNPARSABLE = "请求体无法解析:不是有效的 JSON,或嵌套太深。"


class APIError(HTTPException):
    """An HTTP error with a message for the caller; rendered by `error_response`."""

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        type: str = "invalid_request_error",  # noqa: A002 (OpenAI's field name)
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code, message, headers)
        self.message, self.type, self.code, self.param = message, type, code, param


def parse_json(data: bytes) -> object:
    """A request body's JSON; APIError 400 when it is not JSON, not UTF-8 or nested too deep."""
    try:
        return json.loads(data)
    except RecursionError:
        raise APIError(400, TOO_DEEP, code="invalid_json") from None
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        raise APIError(400, NOT_JSON, code="invalid_json") from None


def error_response(exc: APIError) -> JSONResponse:
    body = {"error": {"message": exc.message, "type": exc.type, "param": exc.param, "code": exc.code}}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


_UNION_TAGS = {"str", "int", "float", "bool", "none", "list", "dict"}


def _field(loc: tuple) -> tuple[str, bool]:
    """The dotted field name, and whether pydantic named a branch of a union in it (`content.str`)."""
    parts = [str(part) for part in loc if part != "body"]
    kept = [p for p in parts if p not in _UNION_TAGS and "[" not in p]
    return ".".join(kept), len(kept) < len(parts)


def describe_validation(errors: list[dict]) -> tuple[str, str | None, bool]:
    """A Chinese message for the first problem, the field it is about, and whether the body was not JSON."""
    if not errors:
        return "请求格式不正确。", None, False
    error = errors[0]
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    name, in_union = _field(error.get("loc", ()))
    if kind == "json_invalid":
        return "请求体不是有效的 JSON。", None, True
    if not name:
        return "请求体必须是一个 JSON 对象。", None, False
    if in_union:  # each branch of the union failed; the first one's complaint would mislead
        return f"字段 {name} 的类型不对。", name, False
    messages = {
        "missing": f"缺少字段 {name}。",
        "string_type": f"字段 {name} 必须是字符串。",
        "int_type": f"字段 {name} 必须是整数。",
        "bool_type": f"字段 {name} 必须是 true 或 false。",
        "list_type": f"字段 {name} 必须是数组。",
        "model_type": f"字段 {name} 必须是 JSON 对象。",
        "model_attributes_type": f"字段 {name} 必须是 JSON 对象。",
        "literal_error": f"字段 {name} 只能是 {ctx.get('expected', '规定的值')}。",
        "greater_than_equal": f"字段 {name} 不能小于 {ctx.get('ge')}。",
        "less_than_equal": f"字段 {name} 不能大于 {ctx.get('le')}。",
        "too_short": f"字段 {name} 不能为空。",
    }
    return messages.get(kind, f"字段 {name} 的值无效。"), name, False


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    message, param, not_json = describe_validation(list(exc.errors()))
    # OpenAI answers every bad request with 400; the JSON API keeps FastAPI's 422 for bad fields.
    status = 400 if not_json or request.url.path.startswith("/v1/") else 422
    return error_response(APIError(status, message, param=param, code="invalid_value"))


async def _api_error(request: Request, exc: APIError) -> JSONResponse:
    return error_response(exc)


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    """Other HTTP errors the framework raises (a body it could not parse: not JSON, or nested too deep)."""
    if exc.status_code == 400:
        return error_response(APIError(400, UNPARSABLE, code="invalid_json", headers=exc.headers))
    return error_response(APIError(exc.status_code, "请求无法处理。", headers=exc.headers))


def _retry_later(status: int, message: str, code: str, seconds: int) -> JSONResponse:
    headers = {"Retry-After": str(seconds)}
    return error_response(APIError(status, message, type="server_error", code=code, headers=headers))


def overloaded_response() -> JSONResponse:
    """The 503 for a question the server has no room for (one object can answer many requests)."""
    return _retry_later(503, BUSY, "overloaded", RETRY_AFTER_SECONDS)


async def _overloaded(request: Request, exc: Overloaded) -> JSONResponse:
    return overloaded_response()


async def _unavailable(request: Request, exc: Unavailable) -> JSONResponse:
    return _retry_later(503, NOT_READY, "unavailable", 5)


async def _timed_out(request: Request, exc: asyncio.TimeoutError) -> JSONResponse:
    return _retry_later(504, TIMED_OUT, "timeout", RETRY_AFTER_SECONDS)


async def _failed(request: Request, exc: AnswerFailed) -> JSONResponse:
    log.error("回答失败:%s", exc)
    return error_response(APIError(500, FAILED, type="server_error", code="answer_failed"))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, ClientDisconnect):  # the client left mid-request (a page reloaded during an upload)
        log.info("客户端已断开:%s %s", request.method, request.url.path)
    else:
        log.exception("未处理的错误:%s %s", request.method, request.url.path)
    return error_response(APIError(500, FAILED, type="server_error", code="internal_error"))


def install_errors(app: FastAPI) -> None:
    """Register the handlers that turn every failure of the app's routes into the error JSON."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(APIError, _api_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Overloaded, _overloaded)
    app.add_exception_handler(Unavailable, _unavailable)
    app.add_exception_handler(asyncio.TimeoutError, _timed_out)
    app.add_exception_handler(AnswerFailed, _failed)
    app.add_exception_handler(Exception, _unexpected)
