"""`python app.py` end to end: the `openai` SDK, the JSON API and Gradio's /answer on one server.

The app runs with an API key, its default worker processes and the real index.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from unittest import mock

import gradio_client
import openai
import pytest

from qa.server import MODEL_ID

from .browser import running_app

pytestmark = pytest.mark.model

KEY = "e2e-key-" + "x" * 24


@pytest.fixture(scope="module")
def app_url(real_index):
    with mock.patch.dict(os.environ, {"QA_API_KEY": KEY}), running_app(real_index) as url:
        yield url


@pytest.fixture(scope="module")
def client(app_url) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{app_url}v1", api_key=KEY, max_retries=0, timeout=30)


def post(url: str, body: dict, key: str | None = KEY) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {})}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_models(client):
    assert [m.id for m in client.models.list()] == [MODEL_ID]


def test_plain_completion(client):
    completion = client.chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": "包河区综合实力在全国百强区排第几位?"}]
    )
    assert completion.object == "chat.completion" and completion.model == MODEL_ID
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    answer, _, evidence = choice.message.content.partition("\n\n依据:")
    assert "第41位" in answer
    assert "[1] 思想破冰 坚持高标准融入长三角 · 第 7 段\n> " in evidence and "综合实力跻身全国百强区第41位" in evidence


def test_streamed_completion_matches_the_plain_one(client):
    messages = [{"role": "user", "content": "合肥港的生产情况怎么样?"}]
    stream = client.chat.completions.create(model=MODEL_ID, messages=messages, stream=True)
    chunks = list(stream)
    assert all(c.object == "chat.completion.chunk" for c in chunks) and len({c.id for c in chunks}) == 1
    assert chunks[-1].choices[0].finish_reason == "stop"
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks)
    plain = client.chat.completions.create(model=MODEL_ID, messages=messages).choices[0].message.content
    assert streamed == plain and "合肥港" in streamed


def test_usage_is_counted_plain_and_streamed(client):
    messages = [{"role": "user", "content": "包河区综合实力在全国百强区排第几位?"}]
    plain = client.chat.completions.create(model=MODEL_ID, messages=messages)
    assert plain.usage.prompt_tokens == 18 and plain.usage.completion_tokens > 50  # 17 characters and "?"
    assert plain.usage.total_tokens == plain.usage.prompt_tokens + plain.usage.completion_tokens
    chunks = list(client.chat.completions.create(model=MODEL_ID, messages=messages, stream=True,
                                                 stream_options={"include_usage": True}))
    assert chunks[-1].choices == [] and chunks[-1].usage == plain.usage
    assert all(c.usage is None for c in chunks[:-1])
    assert all(c.usage is None for c in client.chat.completions.create(model=MODEL_ID, messages=messages, stream=True))


def test_legacy_text_completions_answer_too(client):
    plain = client.completions.create(model=MODEL_ID, prompt="包河区综合实力在全国百强区排第几位?")
    assert plain.object == "text_completion" and plain.choices[0].finish_reason == "stop"
    assert plain.choices[0].text.startswith("**第41位**") and plain.usage.completion_tokens > 50
    streamed = list(client.completions.create(model=MODEL_ID, prompt=["包河区综合实力在全国百强区排第几位?"],
                                              stream=True, stream_options={"include_usage": True}))
    assert "".join(c.choices[0].text for c in streamed if c.choices) == plain.choices[0].text
    assert streamed[-1].usage == plain.usage
    with pytest.raises(openai.BadRequestError, match="prompt 只能是一个问题"):
        client.completions.create(model=MODEL_ID, prompt=["一?", "二?"])
    with pytest.raises(openai.BadRequestError, match="请输入"):
        client.completions.create(model=MODEL_ID, prompt="")


def test_follow_up_through_messages(client):
    first = "合杭梦想小镇是什么时候开园的?"
    reply = client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": first}])
    messages = [
        {"role": "system", "content": "请用中文回答。"},
        {"role": "user", "content": first},
        {"role": "assistant", "content": reply.choices[0].message.content},
        {"role": "user", "content": "有哪些企业入驻了?"},
    ]
    follow = client.chat.completions.create(model=MODEL_ID, messages=messages).choices[0].message.content
    alone = client.chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": "有哪些企业入驻了?"}]
    ).choices[0].message.content
    assert "合杭梦想小镇" in follow.partition("\n\n依据:")[2].split("\n> ")[1]  # the top passage is about it
    assert follow != alone


def test_questions_it_cannot_answer_get_the_engines_message(client):
    content = client.chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": "比特币现在多少钱?"}]
    ).choices[0].message.content
    assert "没有找到" in content and "依据" not in content


def test_a_question_that_cannot_be_asked_is_a_bad_request_as_on_the_json_api(app_url, client):
    for question, words in [("😀🎉", "换个说法"), ("", "请输入"), ("问" * 3000, "太长")]:
        with pytest.raises(openai.BadRequestError, match=words):
            client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": question}])
        status, body = post(f"{app_url}api/answer", {"question": question})
        assert status == 422 and words in body["error"]["message"]


def test_wrong_key_and_bad_shape_raise_the_sdks_errors(app_url, client):
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{app_url}v1", api_key="wrong", max_retries=0).models.list()
    with pytest.raises(openai.BadRequestError, match="最后一条消息必须来自用户"):
        client.chat.completions.create(model=MODEL_ID, messages=[{"role": "assistant", "content": "你好"}])


def test_json_api_and_health_on_the_same_port(app_url, real_engine):
    status, body = post(f"{app_url}api/answer", {"question": "报社的广告电话是多少", "k": 2})
    assert status == 200 and "0551-62815807" in body["text"] and len(body["passages"]) == 2
    assert body["text"] == real_engine.answer("报社的广告电话是多少", k=2).text
    assert post(f"{app_url}api/answer", {"question": "报社的广告电话是多少"}, key=None)[0] == 401
    request = urllib.request.Request(f"{app_url}api/health", headers={"Authorization": f"Bearer {KEY}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        health = json.loads(response.read())
    assert health["status"] == "ok" and health["articles"] == 1 and health["workers"] >= 1
    assert health["passages"] == len(real_engine.chunks) and health["model"] == real_engine.retriever.bundle.model


def test_gradio_answer_route_answers_after_login_only(app_url):
    body = json.dumps({"data": ["包河区综合实力在全国百强区排第几位?"]}).encode()
    request = urllib.request.Request(
        f"{app_url}gradio_api/call/answer", data=body, headers={"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 401
    client = gradio_client.Client(app_url, auth=("reader", KEY), verbose=False)
    assert "第41位" in client.predict("包河区综合实力在全国百强区排第几位?", api_name="/answer")["text"]
    with pytest.raises(ValueError):
        gradio_client.Client(app_url, auth=("reader", "wrong"), verbose=False)