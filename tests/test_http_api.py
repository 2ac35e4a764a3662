"""The HTTP layer over a real uvicorn server: bad bodies, auth, body size, overload, OpenAI format.

Answers come from a scripted `Answerer`, so these tests need no model; the real engine behind
the same routes is exercised in `test_openai_api.py` and `test_answer_pool.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn

from qa import Answer, Passage
from qa.answering.question import EMPTY_QUESTION, NO_WORDS, TOO_LONG
from qa.config import ServerSettings
from qa.server import MODEL_ID, Answerer, create_app
from qa.server.answerers import reply
from qa.server.application import warn_if_exposed
from qa.server.limits import Admission
from qa.server.openai_api import reply_parts

from .browser import free_port

KEY = "test-key-" + "k" * 20
CJK = re.compile(r"[\u4e00-\u9fff]")


class ScriptedAnswerer(Answerer):
    """Answers "答:<question>" with `k` passages; holds every answer while `hold` is set."""

    def __init__(self, max_pending: int = 64) -> None:
        super().__init__(max_pending, timeout=10.0)
        self.calls: list[tuple[str, int, list[str]]] = []
        self.hold = threading.Event()

    def _submit(self, question: str, k: int, history: list[str], article: str | None, form: str) -> asyncio.Future:
        self.calls.append((question, k, history))
        return asyncio.ensure_future(self._reply(question, k, form))

    async def _reply(self, question: str, k: int, form: str) -> Answer | bytes:
        while self.hold.is_set():
            await asyncio.sleep(0.01)
        passages = [
            Passage(f"第{i}段的原文。", 0.5, i, "导语" if i == 1 else "", "报道", paragraph=i) for i in range(1, k + 1)
        ]
        return reply(Answer(question, True, f"答:{question}", passages, question, 1), form)

    def info(self) -> dict:
        return {"articles": 1, "passages": 36, "model": "scripted", "workers": 1, "pending": self.pending}


@contextlib.contextmanager
def serving(answerer: Answerer, engine=None, **settings) -> Iterator[str]:
    """`create_app(answerer, engine=engine)` on a real uvicorn server in a thread; yields its base URL."""
    port = free_port()
    app = create_app(answerer, ServerSettings(port=port, **settings), engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def scripted() -> ScriptedAnswerer:
    return ScriptedAnswerer()


@pytest.fixture(scope="module")
def url(scripted) -> Iterator[str]:
    with serving(scripted, max_body_bytes=4096) as base:
        yield base


def error_of(response: httpx.Response) -> dict:
    """The error object, after checking the shape every error reply shares."""
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}
    assert CJK.search(body["error"]["message"]) and "Traceback" not in response.text
    return body["error"]


# ---------- the JSON API ----------
def test_answer_returns_the_answer_dict(url, scripted):
    response = httpx.post(f"{url}/api/answer", json={"question": "合肥港怎么样?", "k": 2, "history": ["之前的问题"]})
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == "答:合肥港怎么样?" and len(body["passages"]) == 2
    assert set(body) >= {"question", "found", "text", "passages", "resolved_question", "sentence_chunk_id"}
    assert scripted.calls[-1] == ("合肥港怎么样?", 2, ["之前的问题"])


def test_defaults_for_k_and_history(url, scripted):
    assert httpx.post(f"{url}/api/answer", json={"question": "合肥港", "extra": 1}).status_code == 200
    assert scripted.calls[-1] == ("合肥港", 3, [])


@pytest.mark.parametrize(
    ("body", "status", "param", "words"),
    [
        ("{not json", 400, None, "JSON"),
        ('["a list"]', 422, None, "JSON 对象"),
        ("{}", 422, "question", "缺少"),
        ('{"question": 42}', 422, "question", "字符串"),
        ('{"question": null}', 422, "question", "字符串"),
        ('{"question": "合肥港", "k": 0}', 422, "k", "不能小于 1"),
        ('{"question": "合肥港", "k": 21}', 422, "k", "不能大于 20"),
        ('{"question": "合肥港", "k": "3"}', 422, "k", "整数"),
        ('{"question": "合肥港", "k": 2.5}', 422, "k", "整数"),
        ('{"question": "合肥港", "history": "上一个问题"}', 422, "history", "数组"),
        ('{"question": "合肥港", "history": [1]}', 422, "history.0", "字符串"),
    ],
)
def test_bad_bodies_get_a_clear_message(url, body, status, param, words):
    response = httpx.post(f"{url}/api/answer", content=body.encode(), headers={"Content-Type": "application/json"})
    assert response.status_code == status
    error = error_of(response)
    assert error["param"] == param and words in error["message"]


@pytest.mark.parametrize(
    ("question", "message"),
    [("", EMPTY_QUESTION), ("  \n", EMPTY_QUESTION), ("😀🎉", NO_WORDS), ("包" * 501, TOO_LONG)],
)
def test_questions_answer_would_refuse_get_422_with_its_message(url, scripted, question, message):
    before = len(scripted.calls)
    response = httpx.post(f"{url}/api/answer", json={"question": question})
    assert response.status_code == 422
    assert error_of(response)["message"] == message and len(scripted.calls) == before


def test_wrong_paths_and_methods_under_the_api_get_json(url):
    missing = httpx.get(f"{url}/api/nothing")
    assert missing.status_code == 404 and error_of(missing)["code"] == "not_found"
    wrong = httpx.get(f"{url}/api/answer")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST" and error_of(wrong)
    assert httpx.get(f"{url}/v1/nothing").status_code == 404


def test_health_reports_the_index(url):
    response = httpx.get(f"{url}/api/health")
    assert response.status_code == 200
    expected = {"status": "ok", "articles": 1, "passages": 36, "model": "scripted", "workers": 1, "pending": 0}
    assert response.json() == expected


def test_openapi_docs(url):
    assert httpx.get(f"{url}/docs").status_code == 200
    schema = httpx.get(f"{url}/openapi.json").json()
    assert {"/api/answer", "/api/health", "/v1/chat/completions", "/v1/models"} <= set(schema["paths"])
    answer_schema = schema["components"]["schemas"]["Answer"]["properties"]
    assert {"question", "found", "text", "passages"} <= set(answer_schema)


# ---------- body size ----------
def test_a_body_over_the_cap_gets_413(url, scripted):
    before = len(scripted.calls)
    big = json.dumps({"question": "合肥港", "history": ["很长的上下文" * 200]}).encode()
    assert len(big) > 4096
    for path in ("/api/answer", "/v1/chat/completions"):
        response = httpx.post(f"{url}{path}", content=big, headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        assert error_of(response)["code"] == "body_too_large" and "4096" in error_of(response)["message"]
    assert len(scripted.calls) == before


def test_a_chunked_body_over_the_cap_gets_413(url):
    def chunks():  # no Content-Length: the server has to count
        yield b'{"question": "'
        for _ in range(100):
            yield "合肥港".encode() * 20
        yield b'"}'

    response = httpx.post(f"{url}/api/answer", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and error_of(response)["code"] == "body_too_large"


# ---------- access ----------
def test_without_a_key_no_header_is_needed(url):
    assert httpx.get(f"{url}/api/health").status_code == 200
    assert httpx.get(f"{url}/v1/models").status_code == 200


def test_with_a_key_every_api_call_needs_it():
    with serving(ScriptedAnswerer(), api_key=KEY) as base:
        calls = [
            ("GET", "/api/health", None),
            ("POST", "/api/answer", {"question": "合肥港"}),
            ("GET", "/v1/models", None),
            ("POST", "/v1/chat/completions", {"model": MODEL_ID, "messages": [{"role": "user", "content": "合肥港"}]}),
        ]
        for method, path, body in calls:
            wrong = ["", "Bearer wrong", KEY, f"Basic {KEY}", f"Bearer {KEY}x"]
            for headers in ({"Authorization": value} if value else {} for value in wrong):
                response = httpx.request(method, base + path, json=body, headers=headers)
                assert response.status_code == 401, (path, headers)
                assert response.headers["www-authenticate"] == "Bearer"
                assert error_of(response)["code"] == "invalid_api_key"
            good = httpx.request(method, base + path, json=body, headers={"Authorization": f"Bearer {KEY}"})
            assert good.status_code == 200, path
        assert httpx.get(f"{base}/docs").status_code == 200  # the docs page itself is public


def test_the_key_is_checked_before_the_body_is_read():
    with serving(ScriptedAnswerer(), api_key=KEY) as base:
        for path in ("/api/answer", "/v1/chat/completions", "/api/nope"):
            response = httpx.post(base + path, content=b"{not json", headers={"content-type": "application/json"})
            assert response.status_code == 401 and error_of(response)["code"] == "invalid_api_key"


def test_exposed_without_a_key_logs_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="qa.server"):
        warn_if_exposed(ServerSettings(host="127.0.0.1"))
        warn_if_exposed(ServerSettings(host="0.0.0.0", api_key=KEY))
        assert not caplog.records
        warn_if_exposed(ServerSettings(host="0.0.0.0"))
    assert len(caplog.records) == 1 and "QA_API_KEY" in caplog.records[0].getMessage()


@pytest.mark.parametrize(("host", "exposed"), [("127.0.0.1", False), ("::1", False), ("localhost", False),
                                               ("0.0.0.0", True), ("::", True), ("192.168.1.5", True)])
def test_which_addresses_count_as_exposed(host, exposed):
    assert ServerSettings(host=host).exposed is exposed


def test_settings_from_the_environment(monkeypatch):
    for name, value in {"QA_API_KEY": KEY, "QA_WORKERS": "0", "QA_MAX_PENDING": "5", "QA_MAX_BODY_BYTES": "2048",
                        "GRADIO_SERVER_PORT": "8001"}.items():
        monkeypatch.setenv(name, value)
    settings = ServerSettings.from_env()
    assert (settings.api_key, settings.workers, settings.max_pending, settings.max_body_bytes, settings.port) == (
        KEY, 0, 5, 2048, 8001)
    monkeypatch.setenv("QA_MAX_PENDING", "many")
    with pytest.raises(SystemExit, match="QA_MAX_PENDING"):
        ServerSettings.from_env()
    monkeypatch.setenv("QA_MAX_PENDING", "0")
    with pytest.raises(SystemExit, match="不能小于 1"):
        ServerSettings.from_env()


# ---------- overload ----------
def test_overload_gets_503_with_retry_after_and_recovers():
    answerer = ScriptedAnswerer(max_pending=2)
    answerer.hold.set()
    with serving(answerer) as base, ThreadPoolExecutor(2) as pool:
        body = {"question": "合肥港"}
        held = [pool.submit(httpx.post, f"{base}/api/answer", json=body, timeout=10) for _ in range(2)]
        deadline = time.monotonic() + 5
        while answerer.pending < 2:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        started = time.monotonic()
        refused = httpx.post(f"{base}/api/answer", json=body)
        held_back = time.monotonic() - started
        chat = {"messages": [{"role": "user", "content": "合肥港"}]}
        refused_chat = httpx.post(f"{base}/v1/chat/completions", json=chat)
        unread = httpx.post(f"{base}/api/answer", content=b"{not json")  # refused before its body is parsed
        answerer.hold.clear()
        assert [f.result().status_code for f in held] == [200, 200]
        for response in (refused, refused_chat, unread):
            assert response.status_code == 503 and response.headers["retry-after"] == "1"
            assert error_of(response)["code"] == "overloaded"
        assert Admission.HOLD_SECONDS <= held_back < Admission.HOLD_SECONDS + 2  # a client retrying at once cannot spin
        assert httpx.post(f"{base}/api/answer", json=body).status_code == 200


@pytest.mark.parametrize("status", ["starting", "unavailable"])
def test_health_is_503_until_something_can_answer(status):
    class NotReady(ScriptedAnswerer):
        pass

    NotReady.status = status
    with serving(NotReady()) as base:
        response = httpx.get(f"{base}/api/health")
        assert response.status_code == 503 and response.json()["status"] == status


# ---------- the OpenAI format ----------
def chat(url: str, messages: list[dict], **extra) -> httpx.Response:
    return httpx.post(f"{url}/v1/chat/completions", json={"model": MODEL_ID, "messages": messages, **extra})


def test_models_lists_this_bot(url):
    assert [m["id"] for m in httpx.get(f"{url}/v1/models").json()["data"]] == [MODEL_ID]
    assert httpx.get(f"{url}/v1/models/{MODEL_ID}").json()["id"] == MODEL_ID
    assert error_of(httpx.get(f"{url}/v1/models/gpt-4o"))["code"] == "model_not_found"


def test_completion_shape_and_content(url, scripted):
    response = chat(url, [{"role": "system", "content": "你是助手"}, {"role": "user", "content": "合肥港怎么样?"}],
                    temperature=0.2, max_tokens=50, tools=[], user="someone")  # ignored fields
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "chat.completion" and body["model"] == MODEL_ID and body["id"].startswith("chatcmpl-")
    (choice,) = body["choices"]
    assert choice["finish_reason"] == "stop" and choice["message"]["role"] == "assistant"
    content = choice["message"]["content"]
    assert content.startswith("答:合肥港怎么样?\n\n依据:")
    assert "[1] 导语 · 第 1 段\n> 第1段的原文。" in content and "[3] 第 3 段\n> 第3段的原文。" in content
    assert scripted.calls[-1] == ("合肥港怎么样?", 3, [])


def test_earlier_user_messages_are_the_history(url, scripted):
    messages = [
        {"role": "user", "content": "合杭梦想小镇是什么时候开园的?"},
        {"role": "assistant", "content": "8月29日。"},
        {"role": "user", "content": [{"type": "text", "text": "有哪些企业"}, {"type": "image_url", "image_url": {}},
                                     {"type": "text", "text": "入驻了?"}]},
    ]
    assert chat(url, messages).status_code == 200
    assert scripted.calls[-1] == ("有哪些企业\n入驻了?", 3, ["合杭梦想小镇是什么时候开园的?"])


def test_streamed_completion_is_chunks_then_done(url):
    with httpx.stream("POST", f"{url}/v1/chat/completions",
                      json={"messages": [{"role": "user", "content": "合肥港"}], "stream": True}) as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        events = [line[6:] for line in response.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"} and len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and chunks[-1]["choices"][0]["delta"] == {}
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    plain = chat(url, [{"role": "user", "content": "合肥港"}]).json()["choices"][0]["message"]["content"]
    assert text == plain


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({}, "messages"),
        ({"messages": []}, "messages"),
        ({"messages": "合肥港"}, "messages"),
        ({"messages": [{"content": "合肥港"}]}, "messages.0.role"),
        ({"messages": [{"role": "robot", "content": "合肥港"}]}, "messages.0.role"),
        ({"messages": [{"role": "user", "content": 42}]}, "messages.0.content"),
        ({"messages": [{"role": "user", "content": "合肥港"}], "stream": "yes"}, "stream"),
        ({"messages": [{"role": "user", "content": "合肥港"}, {"role": "assistant", "content": "答"}]}, "messages"),
    ],
)
def test_wrong_shapes_get_openai_style_400(url, body, param):
    response = httpx.post(f"{url}/v1/chat/completions", json=body)
    assert response.status_code == 400
    error = error_of(response)
    assert error["type"] == "invalid_request_error" and error["param"] == param


@pytest.mark.parametrize(("content", "words"), [("", "请输入"), ("😀🎉", "换个说法"), ("问" * 600, "太长")])
def test_a_question_that_cannot_be_asked_is_a_400_as_the_json_api_gives_422(url, scripted, content, words):
    before = len(scripted.calls)
    response = httpx.post(f"{url}/v1/chat/completions", json={"messages": [{"role": "user", "content": content}]})
    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["param"]) == ("invalid_question", "messages") and words in error["message"]
    assert httpx.post(f"{url}/api/answer", json={"question": content}).status_code == 422
    assert len(scripted.calls) == before  # neither reached the answerer


def test_reply_parts_without_passages_is_the_text_alone():
    not_found = "文章中没有找到与该问题相关的内容。"
    assert reply_parts(Answer("比特币?", False, not_found)) == [not_found]


def test_openai_reply_names_the_article_of_each_passage_when_there_are_several():
    passages = [Passage("南湖区图书馆新馆正式开馆。", 0.9, 1, "导语", "南湖区图书馆新馆", paragraph=1)]
    answer = Answer("问?", True, "答。", passages, "问?", 1)
    assert "[1] 《南湖区图书馆新馆》 · 导语 · 第 1 段\n>" in "".join(reply_parts(answer, name_sources=True))
    assert "《" not in "".join(reply_parts(answer))


def test_usage_counts_chinese_characters_latin_runs_and_marks():
    from qa.server.openai_api import count_tokens, usage

    assert count_tokens("包河区GDP达1,200亿元。") == len("包河区") + 1 + 1 + 1 + 1 + 1 + len("亿元。")
    assert count_tokens("", "  \n") == 0
    assert usage(["问?", "包河区"], "答。") == {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}


# ---------- browsers of other sites ----------
def test_another_sites_page_cannot_change_the_library_through_a_visitors_browser(tmp_path):
    from qa.server.auth import SameOrigin

    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    guarded = SameOrigin(app)

    def status(method: str, path: str, **headers: str) -> int:
        raw = [(k.lower().replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
        scope = {"type": "http", "method": method, "path": path, "headers": raw}
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        asyncio.run(guarded(scope, receive, send))
        return sent[0]["status"]

    host = {"host": "127.0.0.1:7860"}
    assert status("POST", "/api/articles", origin="http://evil.example", **host) == 403
    assert status("DELETE", "/api/articles/abc", origin="https://evil.example", **host) == 403
    assert status("POST", "/gradio_api/upload", origin="null", **host) == 403
    assert status("POST", "/gradio_api/queue/join", origin="http://127.0.0.1:7860", **host) == 200  # the page
    assert status("POST", "/api/articles", **host) == 200  # curl, SDKs: no Origin
    assert status("POST", "/api/articles", origin="https://qa.example.org", host="qa.example.org") == 200  # a proxy passing Host
    assert status("POST", "/api/articles", origin="http://localhost:3000", x_forwarded_host="localhost:3000",
                  **host) == 403  # a page may set X-Forwarded-Host itself
    assert status("GET", "/api/articles", origin="http://evil.example", **host) == 200  # reading changes nothing
    assert status("POST", "/api/answer", origin="http://evil.example", **host) == 200  # neither does asking
    assert calls == ["/gradio_api/queue/join", "/api/articles", "/api/articles", "/api/articles", "/api/answer"]


def test_uploads_stop_while_the_upload_folder_is_over_its_quota(tmp_path, monkeypatch):
    from qa.server import gradio_files

    monkeypatch.setattr(gradio_files, "upload_folder", lambda: tmp_path)
    reached = []

    async def app(scope, receive, send):
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    quota = gradio_files.UploadQuota(app, max_bytes=1000, max_files=4)

    def status() -> int:
        sent = []

        async def send(message):
            sent.append(message)

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        scope = {"type": "http", "method": "POST", "path": "/gradio_api/upload", "headers": []}
        asyncio.run(quota(scope, receive, send))
        return sent[0]["status"]

    (tmp_path / "a").mkdir()
    assert status() == 200
    (tmp_path / "a" / "g.txt").write_bytes(b"x" * 5000)  # at least one 4 KB block more than the quota
    assert status() == 507
    (tmp_path / "a" / "g.txt").unlink()
    for n in range(5):  # many tiny files: counted by number, not by their few bytes
        (tmp_path / "a" / f"{n}.txt").write_bytes(b"x")
    assert status() == 507 and reached == ["/gradio_api/upload"]


def test_a_page_call_larger_than_a_page_sends_is_refused_without_holding_up_the_server(tmp_path, monkeypatch):
    from qa.server import gradio_files

    monkeypatch.setattr(gradio_files, "upload_folder", lambda: tmp_path)
    upload = tmp_path / "abc" / "a.txt"
    upload.parent.mkdir()
    upload.write_text("x")
    reached = []

    async def app(scope, receive, send):
        reached.append((await receive())["body"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    guard = gradio_files.FileGuard(app)

    def call(data) -> tuple[int, float]:
        """The guard's status for a call carrying `data`, and the longest the event loop went unserved."""
        sent, body = [], json.dumps({"data": data, "fn_index": 8}).encode()

        async def send(message):
            sent.append(message)

        async def receive():
            return {"type": "http.request", "body": body, "more_body": False}

        async def run() -> float:
            longest, done = 0.0, asyncio.Event()

            async def ticker():
                nonlocal longest
                last = time.perf_counter()
                while not done.is_set():
                    await asyncio.sleep(0.005)
                    now = time.perf_counter()
                    longest, last = max(longest, now - last), now

            tick = asyncio.create_task(ticker())
            scope = {"type": "http", "method": "POST", "path": "/gradio_api/queue/join", "headers": []}
            await guard(scope, receive, send)
            done.set()
            await tick
            return longest

        stall = asyncio.run(run())
        return sent[0]["status"], stall

    one = {"path": str(upload), "meta": {"_type": "gradio.FileData"}}
    assert call([one, "all"])[0] == 200
    assert call([[one] * (gradio_files.MAX_FILES + 1), "all"])[0] == 413  # far more files than a handler takes
    for flood in ([{"a": [0]}] * 300_000, [0] * 1_500_000, [[0, 1]] * 20_000):  # ~4 MB of values, no file
        status, stall = call([flood, "all"])
        assert status == 413 and stall < 0.1, (status, stall)
    assert call(["长文" * 100_000 + "[1]{2}" * 1000, "all"])[0] == 200  # long pasted text is not many values
    assert call([{"path": "/etc/passwd", "meta": {"_type": "gradio.FileData"}}])[0] == 403
    assert len(reached) == 2  # the one-file call and the pasted text


def test_repeated_wrong_logins_from_one_address_are_throttled(monkeypatch):
    from qa.server import auth

    clock = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: clock[0])

    async def login(scope, receive, send):  # Gradio's /login: 400 for a wrong password
        ok = scope["query_string"] == b"good"
        await send({"type": "http.response.start", "status": 200 if ok else 400, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    throttle = auth.LoginThrottle(login, max_failures=3, window=60)

    def attempt(password: str, client: str = "10.0.0.1") -> int:
        sent = []

        async def send(message):
            sent.append(message)

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        scope = {"type": "http", "method": "POST", "path": "/login", "headers": [],
                 "query_string": password.encode(), "client": (client, 5000)}
        asyncio.run(throttle(scope, receive, send))
        return sent[0]["status"]

    assert attempt("good") == 200 and attempt("good") == 200  # right passwords are not counted
    assert [attempt("bad") for _ in range(3)] == [400, 400, 400]
    assert attempt("good") == 429 and attempt("bad") == 429  # even the right key waits
    assert attempt("good", client="10.0.0.2") == 200  # another address is not held up
    clock[0] += 61
    assert attempt("good") == 200
