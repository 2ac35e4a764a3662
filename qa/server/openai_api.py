"""OpenAI-compatible API: `GET /v1/models`, `POST /v1/chat/completions` and the legacy text
`POST /v1/completions` (each plain or streamed), with `usage` counted.

In a chat the last message must come from the user and is the question; the earlier user messages
are the history a follow-up is read against. A text completion's `prompt` is the question. The reply
is the answer sentence followed by its evidence passages with their section and paragraph. Fields
this bot has no use for (temperature, tools, max_tokens, ...) are accepted and ignored; any `model`
name is answered by this one. Tokens are counted as `count_tokens` says (no model tokenizer applies).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import AsyncIterator
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field, StrictBool, StrictStr

from ..answering.language import words_for
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
ONE_PROMPT = "prompt 只能是一个问题(字符串,或只含一个字符串的列表)。"


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


class StreamOptions(BaseModel):
    include_usage: StrictBool = Field(False, description="true:流的最后多发一块,带整个回答的 usage")


class ChatRequest(BaseModel):
    model: StrictStr = Field(MODEL_ID, description=f"任意名称都由本机器人({MODEL_ID})回答")
    messages: list[Message] = Field(
        min_length=1, description="对话;最后一条是用户的问题,之前用户的话作为追问的上下文"
    )
    stream: StrictBool = Field(
        False, description="true:以 server-sent events 逐块返回(chat.completion.chunk),以 [DONE] 结束"
    )
    stream_options: StreamOptions | None = None


class CompletionRequest(BaseModel):
    model: StrictStr = Field(MODEL_ID, description=f"任意名称都由本机器人({MODEL_ID})回答")
    prompt: StrictStr | list[StrictStr] = Field(description="问题(或只含一个问题的列表)")
    stream: StrictBool = Field(False, description="true:以 server-sent events 逐块返回(text_completion),以 [DONE] 结束")
    stream_options: StreamOptions | None = None

    def question(self) -> str:
        if isinstance(self.prompt, str):
            return self.prompt
        if len(self.prompt) != 1:
            raise APIError(400, ONE_PROMPT, param="prompt", code="invalid_value")
        return self.prompt[0]


# One token per Chinese character, Latin or digit run, or other mark: what Chinese-aware tokenizers
# count within a few percent for news text; the answer has no model tokenizer of its own.
_TOKEN_RE = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]")


def count_tokens(*texts: str) -> int:
    """The tokens of texts, as `usage` counts them."""
    return sum(len(_TOKEN_RE.findall(text)) for text in texts)


def usage(prompt: list[str], completion: str) -> dict[str, int]:
    prompt_tokens, completion_tokens = count_tokens(*prompt), count_tokens(completion)
    return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens}


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
        parts.append(f"\n\n{words_for(answer.question).sources_line}")
    for number, passage in enumerate(answer.passages, 1):
        title = f"《{passage.source}》" if name_sources and passage.source else ""
        paragraph = f"第 {passage.paragraph} 段" if passage.paragraph else ""
        where = " · ".join(filter(None, [title, passage.section, paragraph]))
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


async def _answer(request: Request, question: str, history: list[str] | None, field: str) -> list[str]:
    """The reply's parts (`reply_parts`) to a question that can be asked; 400 naming `field` otherwise."""
    _, problem = check_question(question)
    if problem:  # what /api/answer refuses with 422, refused here with OpenAI's 400
        raise APIError(400, problem, param=field, code="invalid_question")
    answer = await answerer_of(request).answer(question, 3, history)
    engine = request.app.state.engine
    return reply_parts(answer, name_sources=engine is not None and len(engine.articles()) > 1)


def _stream(events: AsyncIterator[str]) -> StreamingResponse:
    return StreamingResponse(events, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _event(data: dict) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post("/chat/completions", responses=ERRORS, summary="OpenAI 格式的对话补全")
async def chat_completions(body: ChatRequest, request: Request):
    """A `chat.completion`, or with `stream: true` an event stream of `chat.completion.chunk`s ending with `[DONE]`."""
    question, history = conversation(body.messages)
    parts = await _answer(request, question, history, "messages")
    counted = usage([m.text() for m in body.messages], "".join(parts))
    head = {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": int(time.time()),
            "model": MODEL_ID}
    if not body.stream:
        message = {"role": "assistant", "content": "".join(parts)}
        choice = {"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}
        return JSONResponse({**head, "choices": [choice], "usage": counted})
    with_usage = bool(body.stream_options and body.stream_options.include_usage)
    return _stream(_chat_events({**head, "object": "chat.completion.chunk"}, parts, counted if with_usage else None))


async def _chat_events(head: dict, parts: list[str], counted: dict | None) -> AsyncIterator[str]:
    extra = {"usage": None} if counted else {}  # with include_usage every chunk carries it, null until the last

    def chunk(delta: dict, finish_reason: str | None = None) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}
        return _event({**head, "choices": [choice], **extra})

    yield chunk({"role": "assistant", "content": ""})
    for part in parts:
        yield chunk({"content": part})
    yield chunk({}, "stop")
    if counted:
        yield _event({**head, "choices": [], "usage": counted})
    yield "data: [DONE]\n\n"


@router.post("/completions", responses=ERRORS, summary="OpenAI 格式的文本补全(旧接口)")
async def completions(body: CompletionRequest, request: Request):
    """A `text_completion` (the prompt is the question), or with `stream: true` an event stream of them ending
    with `[DONE]`; for clients that call the legacy route by default."""
    question = body.question()
    parts = await _answer(request, question, None, "prompt")
    counted = usage([question], "".join(parts))
    head = {"id": f"cmpl-{uuid.uuid4().hex}", "object": "text_completion", "created": int(time.time()),
            "model": MODEL_ID}
    if not body.stream:
        choice = {"index": 0, "text": "".join(parts), "finish_reason": "stop", "logprobs": None}
        return JSONResponse({**head, "choices": [choice], "usage": counted})
    with_usage = bool(body.stream_options and body.stream_options.include_usage)
    return _stream(_text_events(head, parts, counted if with_usage else None))


async def _text_events(head: dict, parts: list[str], counted: dict | None) -> AsyncIterator[str]:
    extra = {"usage": None} if counted else {}

    def chunk(text: str, finish_reason: str | None = None) -> str:
        choice = {"index": 0, "text": text, "finish_reason": finish_reason, "logprobs": None}
        return _event({**head, "choices": [choice], **extra})

    for part in parts:
        yield chunk(part)
    yield chunk("", "stop")
    if counted:
        yield _event({**head, "choices": [], "usage": counted})
    yield "data: [DONE]\n\n"
