"""The articles API: `GET /api/articles`, `POST /api/articles` (a file or pasted text),
`DELETE /api/articles/{id}`. Changes run in the server process; answering workers pick them up
at their next question."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..engine import Engine
from ..errors import ArticleNotFoundError, BusyError, DuplicateArticleError, QAError, SourceError
from ..ingest.intake import Pasted, Upload
from ..ingest.limits import MAX_FILE_BYTES
from .auth import AUTH_RESPONSE
from .errors import APIError, parse_json
from .multipart import read_form

router = APIRouter(prefix="/api", tags=["文章"])

UPLOADS_OFF = "本服务关闭了添加和删除文章(QA_UPLOADS=off)。"
ERRORS = {
    **AUTH_RESPONSE,
    403: {"description": "添加和删除文章已关闭(QA_UPLOADS=off)"},
}


class ArticleOut(BaseModel):
    id: str = Field(description="文章编号(内容哈希的前 12 位)")
    title: str
    date: str | None = None
    author: str | None = None
    site: str | None = None
    passages: int = Field(description="段落数")
    name: str = Field(description="文件名,或“粘贴的文本”")
    format: str = Field(description="html、pdf、docx 或 text")
    added_at: str = ""


class PastedArticle(BaseModel):
    text: str = Field(description="文章正文(第一行作标题,除非另给 title)")
    title: str | None = None


UPLOAD_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
            },
            "application/json": {"schema": PastedArticle.model_json_schema()},
        }
    }
}


def engine_of(request: Request) -> Engine:
    return request.app.state.engine


def check_uploads(request: Request) -> None:
    if not request.app.state.uploads:
        raise APIError(403, UPLOADS_OFF, code="uploads_disabled")


async def _source(request: Request) -> Upload | Pasted:
    """What a POST carries: an uploaded file (multipart field `file`; read later in a bounded child
    process) or JSON pasted text; never parsed on the event loop."""
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        form = await read_form(request, max_files=1, max_fields=4, max_part_size=MAX_FILE_BYTES)
        try:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise APIError(422, "请在表单字段 file 中上传文件。", param="file", code="missing_file")
            data = await upload.read()
        finally:
            await form.close()
        return Upload(data, upload.filename or "未命名文件")
    try:
        body = PastedArticle.model_validate(parse_json(await request.body()))
    except (ValueError, TypeError):
        raise APIError(422, "请上传文件(multipart 字段 file),或发送 JSON {\"text\": 正文, \"title\": 标题}。",
                       code="invalid_body") from None
    return Pasted(body.text, body.title)


@router.get("/articles", response_model=list[ArticleOut], responses=AUTH_RESPONSE, summary="列出文章")
async def list_articles(request: Request) -> JSONResponse:
    """The indexed articles, in the order they were added."""
    articles = await run_in_threadpool(engine_of(request).articles)
    return JSONResponse([a.public() for a in articles])


@router.post(
    "/articles", status_code=201, response_model=ArticleOut, openapi_extra=UPLOAD_BODY, summary="添加文章",
    responses={**ERRORS, 409: {"description": "这篇文章已经添加过"}, 422: {"description": "文件无法读取或没有正文"},
               503: {"description": "正在读取别的上传文件(带 Retry-After)"}},
)
async def add_article(request: Request) -> JSONResponse:
    """Add a .txt/.md/.html/.pdf/.docx file (type read from its content) or pasted text; only its passages are encoded."""
    check_uploads(request)
    try:
        source = await _source(request)
        report = await run_in_threadpool(engine_of(request).add, [source], isolated=True)
    except BusyError as exc:
        raise APIError(503, str(exc), type="server_error", code="busy", headers={"Retry-After": "2"}) from None
    except DuplicateArticleError as exc:
        raise APIError(409, str(exc), code="duplicate_article") from None
    except SourceError as exc:
        raise APIError(422, str(exc), code="unreadable_article") from None
    return JSONResponse(report.added[0].public(), status_code=201)


@router.delete("/articles/{article_id}", response_model=ArticleOut, summary="删除文章",
               responses={**ERRORS, 404: {"description": "没有这篇文章"}, 409: {"description": "不能删除最后一篇文章"}})
async def remove_article(article_id: str, request: Request) -> JSONResponse:
    """Remove an article and its passages; returns what was removed."""
    check_uploads(request)
    try:
        gone = await run_in_threadpool(engine_of(request).remove, article_id)
    except ArticleNotFoundError as exc:
        raise APIError(404, str(exc), code="article_not_found") from None
    except QAError as exc:
        raise APIError(409, str(exc), code="cannot_remove") from None
    return JSONResponse(gone.public())
