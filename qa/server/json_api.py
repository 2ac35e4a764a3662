"""The JSON API: `POST /api/answer` (an `Answer` as JSON) and `GET /api/health`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, StrictInt, StrictStr

from ..answering.question import check_question
from ..errors import ArticleNotFoundError
from ..results import Answer
from .answerers import Answerer, index_info
from .auth import AUTH_RESPONSE
from .errors import APIError

router = APIRouter(prefix="/api", tags=["问答"])

ERRORS = {
    400: {"description": "请求体不是有效的 JSON"},
    **AUTH_RESPONSE,
    413: {"description": "请求体太大"},
    422: {"description": "字段缺失、类型不对、k 超出范围,或问题为空、过长、没有可检索的文字"},
    503: {"description": "服务繁忙(带 Retry-After)"},
}


class AnswerRequest(BaseModel):
    question: StrictStr = Field(
        description="中文问题(简体、繁体或口语),最多 500 字", examples=["合肥港的生产情况怎么样?"]
    )
    k: StrictInt = Field(3, ge=1, le=20, description="返回的依据段落数")
    history: list[StrictStr] = Field(
        default_factory=list, description="同一对话里之前的问题(由早到晚),用于理解追问", examples=[[]]
    )
    article: StrictStr | None = Field(None, description="只就这篇文章回答(GET /api/articles 给出的编号);省略时就全部文章")


class Health(BaseModel):
    status: str = Field(description="ok;starting(回答进程正在加载索引)或 unavailable(没有回答进程)时返回 503")
    articles: int = Field(description="索引中的文章数")
    passages: int = Field(description="索引中的段落数")
    model: str = Field(description="嵌入模型")
    workers: int = Field(description="正在运行的回答进程数(0:在服务进程内回答)")
    pending: int = Field(description="正在等待或处理的问题数")


def answerer_of(request: Request) -> Answerer:
    return request.app.state.answerer


@router.post("/answer", response_model=Answer, responses=ERRORS, summary="回答一个问题")
async def answer(body: AnswerRequest, request: Request) -> Response:
    """`qa.answer(question, k, history, article).to_dict()`: the answer sentence and its evidence passages."""
    _, problem = check_question(body.question)
    if problem:
        raise APIError(422, problem, param="question", code="invalid_question")
    engine = request.app.state.engine
    if body.article is not None and engine is not None:
        try:
            engine.article(body.article)
        except ArticleNotFoundError as exc:
            raise APIError(404, str(exc), param="article", code="article_not_found") from None
    payload = await answerer_of(request).answer_json(body.question, body.k, body.history, body.article)
    return Response(payload, media_type="application/json")


@router.get("/health", response_model=Health, responses={**AUTH_RESPONSE, 503: {"description": "还不能回答"}},
            summary="服务与索引状态")
async def health(request: Request) -> JSONResponse:
    """200 with the index's article and passage counts and model; 503 while no worker can answer yet."""
    answerer = answerer_of(request)
    status = answerer.status
    engine = request.app.state.engine
    info = {**answerer.info(), **(index_info(engine) if engine is not None else {})}  # the index as of now
    return JSONResponse({"status": status, **info}, status_code=200 if status == "ok" else 503)
