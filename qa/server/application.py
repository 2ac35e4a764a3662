"""Assembling the HTTP app (`create_app`), choosing who answers (`make_answerer`) and serving it (`serve`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI, Request
from fastapi.routing import APIRoute

from .._version import __version__
from ..config import ServerSettings
from ..engine import Engine
from ..ingest import MAX_FILE_BYTES
from ..storage import MILVUS, backend_of
from .answerers import Answerer, InProcessAnswerer
from .articles_api import UPLOADS_OFF
from .articles_api import router as articles_router
from .auth import KeyGuard, LoginThrottle, SameOrigin
from .errors import APIError, install_errors
from .gradio_files import FileGuard, UploadQuota
from .json_api import router as json_router
from .limits import Admission, BodyLimit
from .openai_api import router as openai_router
from .pool import AnswerPool

log = logging.getLogger(__name__)

DESCRIPTION = """就一篇(或几篇)中文新闻报道回答问题。

- `POST /api/answer`:答案句和依据段落(`qa.answer()` 的 JSON)。
- `POST /v1/chat/completions`:OpenAI 格式的对话接口,`openai` SDK 和 Open WebUI 等聊天界面可以直接用。
- `GET/POST /api/articles`、`DELETE /api/articles/{id}`:列出、添加(上传文件或粘贴文本)、删除文章。

设置了 `QA_API_KEY` 时,`/api` 和 `/v1` 的每个请求都要带 `Authorization: Bearer <密钥>`。
"""
GRADIO_BODY_BYTES = 4 * 1024 * 1024  # a pasted article of MAX_ARTICLE_CHARS, JSON-escaped, with room to spare
UPLOAD_CACHE_BYTES = 512 * 1024 * 1024  # what uploads may hold on disk before Gradio's hourly clean-up
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def create_app(answerer: Answerer, settings: ServerSettings, engine: Engine | None = None) -> FastAPI:
    """The JSON and OpenAI-format routes over `answerer`, the articles routes over `engine` (this
    process's; answering workers follow its changes; none without it), with auth, body size caps
    and JSON errors.

    The answerer is started with the app and closed with it. Mount Gradio at "/" after this
    (`gr.mount_gradio_app`): routes registered here are matched first.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await answerer.start()
        try:
            yield
        finally:
            await answerer.close()

    app = FastAPI(
        title="新闻问答 API",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.answerer = answerer
    app.state.engine = engine
    app.state.uploads = settings.uploads
    routers = (json_router, openai_router) + ((articles_router,) if engine is not None else ())
    for router in routers:
        app.include_router(router)
    known = [route for router in routers for route in router.routes if isinstance(route, APIRoute)]

    async def unknown(request: Request) -> None:
        methods = {method for route in known if route.path_regex.match(request.url.path) for method in route.methods}
        if methods:  # every route at this path counts (GET and POST /api/articles are two routes)
            allow = ", ".join(sorted(methods))
            message = f"这个接口不支持 {request.method} 请求(支持 {allow})。"
            raise APIError(405, message, code="method_not_allowed", headers={"Allow": allow})
        raise APIError(404, "没有这个接口。", code="not_found")

    # Without these, a wrong path or method under /api or /v1 would fall through to Gradio's pages.
    for prefix in ("/api", "/v1"):
        app.add_api_route(
            prefix + "/{path:path}", unknown, methods=ALL_METHODS, include_in_schema=False
        )
    if not settings.uploads:  # no file box on the page: Gradio's upload route (matched after this one) stays shut

        async def no_uploads(request: Request) -> None:
            raise APIError(403, UPLOADS_OFF, code="uploads_disabled")

        app.add_api_route("/gradio_api/upload", no_uploads, methods=["POST"], include_in_schema=False)

    async def no_recordings(request: Request) -> None:
        raise APIError(404, "没有这个接口。", code="not_found")

    # Gradio's route for audio and video recordings stores what it is sent; the page records nothing.
    app.add_api_route("/gradio_api/process_recording", no_recordings, methods=ALL_METHODS, include_in_schema=False)
    install_errors(app)
    # An upload may be as large as the file cap, plus the multipart framing.
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, larger={"/api/articles": MAX_FILE_BYTES + 64 * 1024})
    # Gradio's own routes: a page handler takes only uploaded files; the upload folder has a quota;
    # bodies (the page's calls, pasted text included) are capped. The last added runs first.
    app.add_middleware(FileGuard)
    app.add_middleware(UploadQuota, max_bytes=UPLOAD_CACHE_BYTES)
    app.add_middleware(
        BodyLimit, max_bytes=GRADIO_BODY_BYTES, prefixes=("/gradio_api/",),
        larger={"/gradio_api/upload": MAX_FILE_BYTES + 64 * 1024},
    )
    app.add_middleware(Admission, answerer=answerer)
    app.add_middleware(SameOrigin)
    if settings.api_key:
        app.add_middleware(LoginThrottle)
        app.add_middleware(KeyGuard, api_key=settings.api_key)
    return app


def single_process_store(engine: Engine) -> str | None:
    """The milvus-lite file the engine's index lives in, which only one process may open; else None."""
    backend = backend_of(engine.retriever.bundle.manifest)
    return backend.uri if backend is not None and backend.kind == MILVUS and not backend.remote else None


def make_answerer(settings: ServerSettings, engine: Engine) -> Answerer:
    """Worker processes (`settings.workers`), or the server's own thread over `engine` when it is 0
    (always for an index on milvus-lite, which one process holds).

    The processes start now, so they load the index while the caller builds the rest of the app.
    """
    lite = single_process_store(engine)
    if settings.workers and lite:
        log.warning("索引存放在 milvus-lite(%s),只允许一个进程打开:在服务进程内回答(相当于 QA_WORKERS=0)。", lite)
    if settings.workers == 0 or lite:
        return InProcessAnswerer(engine, settings.max_pending, settings.answer_timeout)
    pool = AnswerPool(settings.workers, settings.max_pending, settings.answer_timeout)
    pool.spawn()
    return pool


def warn_if_exposed(settings: ServerSettings) -> None:
    """Log a warning when other machines can reach the API and no key guards it."""
    if settings.exposed and not settings.api_key:
        log.warning(
            "警告:服务监听 %s,其他机器也能访问,但没有设置 QA_API_KEY:任何人都能调用 /api 和 /v1。"
            "请设置 QA_API_KEY,或只监听 127.0.0.1。",
            settings.host,
        )


def serve(app: FastAPI, settings: ServerSettings) -> None:
    """Run `app` with uvicorn until interrupted."""
    warn_if_exposed(settings)
    log.info("服务地址 http://%s:%d/ (接口文档 /docs)", settings.host, settings.port)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", timeout_graceful_shutdown=5)
