"""OpenAI-compatible chat: `GET /v1/models` and `POST /v1/chat/completions` (plain or streamed).

The last message must come from the user and is the question; the earlier user messages are the
history a follow-up is read against. The reply is the answer sentence followed by its evidence
passages with their section and paragraph. Fields this bot has no use for (temperature, tools,
max_tokens, ...) are accepted and ignored; any `model` name is answered by this one.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field, StrictBool, StrictStr

from ..answering.question import check_question
from ..results import Answer
from .auth import AUTH_RESPONSE
from .errors import APIError
from .json_api import answerer_of

MODEL_ID = "qa-news-zh"  # the one model /v1/models lists
router = APIRouter(prefix="/v1", tags=["OpenAI 兼容"])

ERRORS = {
    400: {"description": "请求格式不对,或问题为空、过长、没有可检索的文字(OpenAI 式错误 JSON)"},
    **AUTH_RESPONSE,
    413: {"description": "请求体太大"},
    503: {"description": "服务繁忙(带 Retry-After)"},
}
LAST_MESSAGE_NOT_USER = "最后一条消息必须来自用户(role 为 user),它就是要回答的问题。"
EVIDENCE = "依据:"


class ContentPart(BaseModel):
    type: StrictStr
    text: StrictStr | None = None


class Message(BaseModel):
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: StrictStr | list[ContentPart] | None = None

    def text(self) -> str:
        """The message's text; of a list of parts, the text parts joined (images and the like are skipped)."""
        if isinstance(self.content, list):
            return "\n".join(part.text for part in self.content if part.type == "text" and part.text)
        return self.content or ""


class ChatRequest(BaseModel):
    model: StrictStr = Field(MODEL_ID, description=f"任意名称都由本机器人({MODEL_ID})回答")
    messages: list[Message] = Field(
        min_length=1, description="对话;最后一条是用户的问题,之前用户的话作为追问的上下文"
    )
    stream: StrictBool = Field(
        False, description="true:以 server-sent events 逐块返回(chat.completion.chunk),以 [DONE] 结束"
    )


def conversation(messages: list[Message]) -> tuple[str, list[str]]:
    """The question (the last message, which must be the user's) and the earlier user messages."""
    if messages[-1].role != "user":
        raise APIError(400, LAST_MESSAGE_NOT_USER, param="messages", code="invalid_value")
    history = [m.text() for m in messages[:-1] if m.role == "user"]
    return messages[-1].text(), [h for h in history if h.strip()]


def reply_parts(answer: Answer, name_sources: bool = False) -> list[str]:
    """The reply as it is streamed: the answer (its phrase in bold first), then one piece per evidence passage.

    Markdown that reads as plain text too: each passage is a numbered label (section · paragraph,
    after the article's 《title》 when `name_sources`: the corpus has several articles) followed by the
    passage as a quote.
    """
    parts = [f"**{answer.phrase}**\n\n{answer.text}" if answer.phrase else answer.text]
    if answer.passages:
        parts.append(f"\n\n{EVIDENCE}")
    for number, passage in enumerate(answer.passages, 1):
        where = " · ".join(filter(None, [passage.section, f"第 {passage.paragraph} 段" if passage.paragraph else ""]))
        if name_sources and passage.source:
            where = f"《{passage.source}》{where}"
        parts.append(f"\n\n[{number}] {where}".rstrip() + f"\n> {' '.join(passage.text.split())}")
    return parts


def _model_card() -> dict:
    return {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": MODEL_ID}


@router.get("/models", summary="可用模型(只有本机器人)")
async def models() -> dict:
    return {"object": "list", "data": [_model_card()]}


@router.get("/models/{model_id}", summary="一个模型的信息", responses={404: {"description": "没有这个模型"}})
async def model(model_id: str) -> dict:
    if model_id != MODEL_ID:
        raise APIError(404, f"没有模型 {model_id},可用的是 {MODEL_ID}。", param="model", code="model_not_found")
    return _model_card()


@router.post("/chat/completions", responses=ERRORS, summary="OpenAI 格式的对话补全")
async def chat_completions(body: ChatRequest, request: Request):
    """A `chat.completion`, or with `stream: true` an event stream of `chat.completion.chunk`s ending with `[DONE]`."""
    question, history = conversation(body.messages)
    _, problem = check_question(question)
    if problem:  # what /api/answer refuses with 422, refused here with OpenAI's 400
        raise APIError(400, problem, param="messages", code="invalid_question")
    answer = await answerer_of(request).answer(question, 3, history)
    engine = request.app.state.engine
    parts = reply_parts(answer, name_sources=engine is not None and len(engine.articles()) > 1)
    reply_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    if not body.stream:
        message = {"role": "assistant", "content": "".join(parts)}
        choice = {"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}
        completion = {"id": reply_id, "object": "chat.completion", "created": created, "model": MODEL_ID}
        return JSONResponse({**completion, "choices": [choice]})
    return StreamingResponse(
        _events(reply_id, created, parts),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(reply_id: str, created: int, parts: list[str]) -> AsyncIterator[str]:
    def chunk(delta: dict, finish_reason: str | None = None) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}
        event = {"id": reply_id, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID}
        return f"data: {json.dumps({**event, 'choices': [choice]}, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for part in parts:
        yield chunk({"content": part})
    yield chunk({}, "stop")
    yield "data: [DONE]\n\n"
