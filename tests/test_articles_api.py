"""`/api/articles` (list, upload, paste, delete) and `/api/answer` with `article`, on a real uvicorn
server over an engine with the fake encoder (no model needed)."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qa.engine import Engine
from qa.index.build import build_index
from qa.index.files import MANIFEST
from qa.ingest import MAX_FILE_BYTES
from qa.server.answerers import InProcessAnswerer

from .conftest import ARTICLE, HashEncoder
from .data.make_articles import QUESTIONS
from .test_http_api import serving as http_serving

ARTICLES = Path(__file__).parent / "data" / "articles"
KEY = "articles-key-" + "x" * 20
CJK = re.compile(r"[\u4e00-\u9fff]")
UPLOAD_CAP = MAX_FILE_BYTES + 64 * 1024


@pytest.fixture
def engine(tmp_path) -> Engine:
    index_dir = tmp_path / "idx" / "index"
    build_index([ARTICLE], index_dir, encoder=HashEncoder())
    return Engine(index_dir, model=HashEncoder().name, encoder=HashEncoder(), strict=True)


def serving(engine: Engine, **settings):
    """`create_app` over `engine` (answering in-process) on a real uvicorn server in a thread."""
    return http_serving(InProcessAnswerer(engine), engine, workers=0, **settings)


@pytest.fixture
def url(engine) -> Iterator[str]:
    with serving(engine) as base:
        yield base


def error_of(response: httpx.Response, status: int) -> dict:
    """The error object, after checking the status and the shape every error reply shares."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}
    assert CJK.search(body["error"]["message"]) and "Traceback" not in response.text
    return body["error"]


def upload(url: str, name: str, data: bytes | None = None, **kwargs) -> httpx.Response:
    data = (ARTICLES / name).read_bytes() if data is None else data
    return httpx.post(f"{url}/api/articles", files={"file": (name, data)}, timeout=30, **kwargs)


def test_list_upload_paste_and_delete(url, engine):
    listed = httpx.get(f"{url}/api/articles").json()
    assert [a["id"] for a in listed] == [a.id for a in engine.articles()]
    assert set(listed[0]) == {"id", "title", "date", "author", "site", "url", "passages", "name", "format", "added_at"}
    assert "sha256" not in listed[0] and "path" not in listed[0]

    response = upload(url, "news-gbk.html")
    assert response.status_code == 201, response.text
    added = response.json()
    assert (added["title"], added["date"], added["author"], added["site"], added["format"]) == (
        "袁河城区段生态修复工程完工 白鹭重回河畔", "2023-11-08", "刘晓燕", "宜春日报", "html",
    )

    pasted = httpx.post(f"{url}/api/articles", json={"text": "某区新增停车位三百个,缓解了老城区停车难。", "title": "停车位"})
    assert pasted.status_code == 201, pasted.text
    assert (pasted.json()["title"], pasted.json()["format"], pasted.json()["name"]) == ("停车位", "text", "粘贴的文本")
    untitled = httpx.post(f"{url}/api/articles", json={"text": "社区食堂开业\n\n社区食堂今天开业,每餐12元。"})
    assert untitled.status_code == 201 and untitled.json()["title"] == "社区食堂开业"

    ids = [a["id"] for a in httpx.get(f"{url}/api/articles").json()]
    assert ids[1:] == [added["id"], pasted.json()["id"], untitled.json()["id"]]

    gone = httpx.delete(f"{url}/api/articles/{added['id']}")
    assert gone.status_code == 200 and gone.json()["id"] == added["id"]
    error = error_of(httpx.delete(f"{url}/api/articles/{added['id']}"), 404)
    assert error["code"] == "article_not_found" and added["id"] in error["message"]
    assert added["id"] not in [a["id"] for a in httpx.get(f"{url}/api/articles").json()]
    assert httpx.delete(f"{url}/api/articles/{pasted.json()['id'][:6]}").status_code == 200  # a unique prefix


def test_duplicate_and_unreadable_uploads(url, engine):
    assert upload(url, "report.pdf").status_code == 201
    before = (engine.index_dir / MANIFEST).read_bytes()
    error = error_of(upload(url, "report.pdf"), 409)
    assert error["code"] == "duplicate_article" and "已经添加过了" in error["message"]
    error_of(upload(url, "renamed.pdf", (ARTICLES / "report.pdf").read_bytes()), 409)

    error = error_of(upload(url, "garbage.txt", bytes(range(256)) * 16), 422)
    assert error["code"] == "unreadable_article" and "garbage.txt" in error["message"]
    error_of(upload(url, "broken.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 50), 422)
    error = error_of(upload(url, "empty.txt", b""), 422)
    assert "空的" in error["message"]
    error = error_of(httpx.post(f"{url}/api/articles", files={"other": ("a.txt", b"x")}), 422)
    assert error["param"] == "file"
    error_of(httpx.post(f"{url}/api/articles", content=b"{not json", headers={"content-type": "application/json"}), 400)
    error_of(httpx.post(f"{url}/api/articles", json={"title": "没有正文"}), 422)
    error_of(httpx.post(f"{url}/api/articles", json={"text": "   "}), 422)
    assert (engine.index_dir / MANIFEST).read_bytes() == before


def test_a_wrong_method_names_every_method_the_path_takes(url):
    wrong = httpx.put(f"{url}/api/articles")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET, POST"


def test_the_last_article_cannot_be_deleted(url, engine):
    (only,) = engine.articles()
    error = error_of(httpx.delete(f"{url}/api/articles/{only.id}"), 409)
    assert error["code"] == "cannot_remove" and "唯一的文章" in error["message"]


def test_answer_within_an_article(url, engine):
    added = upload(url, "report.pdf").json()
    shipped = engine.articles()[0].id
    question, gold = QUESTIONS["report.pdf"]
    body = httpx.post(f"{url}/api/answer", json={"question": question, "article": added["id"], "k": 5}).json()
    assert body["passages"] and {p["article"] for p in body["passages"]} == {added["id"]}
    assert any(gold in p["text"] for p in body["passages"])
    body = httpx.post(f"{url}/api/answer", json={"question": question, "article": shipped}).json()
    assert {p["article"] for p in body["passages"]} <= {shipped} and gold not in body["text"]
    error = error_of(httpx.post(f"{url}/api/answer", json={"question": question, "article": "nope"}), 404)
    assert error["param"] == "article" and "nope" in error["message"]
    error = error_of(httpx.post(f"{url}/api/answer", json={"question": question, "article": 12}), 422)
    assert error["param"] == "article"


def test_uploads_off_refuses_changes_but_lists(engine):
    before = (engine.index_dir / MANIFEST).read_bytes()
    with serving(engine, uploads=False) as url:
        assert httpx.get(f"{url}/api/articles").status_code == 200
        for response in (
            upload(url, "report.pdf"),
            httpx.post(f"{url}/api/articles", json={"text": "正文。"}),
            httpx.delete(f"{url}/api/articles/{engine.articles()[0].id}"),
            httpx.delete(f"{url}/api/articles/nope"),
        ):
            error = error_of(response, 403)
            assert error["code"] == "uploads_disabled" and "QA_UPLOADS=off" in error["message"]
        recording = httpx.post(f"{url}/gradio_api/process_recording", files={"video": ("x.mp4", b"\x00" * 64)})
        assert error_of(recording, 404)["code"] == "not_found"  # Gradio's recording route stores nothing here
    assert (engine.index_dir / MANIFEST).read_bytes() == before


def test_an_api_key_guards_the_articles(engine):
    auth = {"Authorization": f"Bearer {KEY}"}
    with serving(engine, api_key=KEY) as url:
        error_of(httpx.get(f"{url}/api/articles"), 401)
        error_of(upload(url, "report.pdf"), 401)
        error_of(upload(url, "report.pdf", headers={"Authorization": "Bearer wrong"}), 401)
        error_of(httpx.delete(f"{url}/api/articles/nope"), 401)
        assert httpx.get(f"{url}/api/articles", headers=auth).status_code == 200
        added = upload(url, "report.pdf", headers=auth)
        assert added.status_code == 201
        assert httpx.delete(f"{url}/api/articles/{added.json()['id']}", headers=auth).status_code == 200


def raw_request(url: str, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """Send a hand-written request (a Content-Length the body does not match); the status and body."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode("latin-1") + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
            if b"\r\n\r\n" in data:
                headers, _, rest = data.partition(b"\r\n\r\n")
                length = re.search(rb"content-length: (\d+)", headers, re.IGNORECASE)
                if length and len(rest) >= int(length.group(1)):
                    break
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


def test_a_declared_upload_over_the_cap_is_refused_before_reading(url, engine):
    before = (engine.index_dir / MANIFEST).read_bytes()
    head = (
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {UPLOAD_CAP + 1}\r\nConnection: close\r\n\r\n"
    )
    status, body = raw_request(url, head, b"--b\r\n")
    assert status == 413
    response = httpx.Response(413, content=body)
    error = error_of(response, 413)
    assert error["code"] == "body_too_large" and str(UPLOAD_CAP) in error["message"]
    # A body within the cap is read (and here refused for its missing file, not for its size).
    status, _ = raw_request(url, head.replace(str(UPLOAD_CAP + 1), "5"), b"--b\r\n")
    assert status == 422
    # Other API routes keep the small cap.
    status, _ = raw_request(url, head.replace("/api/articles", "/api/answer").replace(str(UPLOAD_CAP + 1), str(300 * 1024)))
    assert status == 413
    assert (engine.index_dir / MANIFEST).read_bytes() == before


def test_a_streamed_upload_over_the_cap_is_refused(url, engine):
    before = (engine.index_dir / MANIFEST).read_bytes()
    block = b"a" * 65536

    def body() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
        for _ in range(UPLOAD_CAP // len(block) + 2):
            yield block
        yield b"\r\n--b--\r\n"

    response = httpx.post(
        f"{url}/api/articles", content=body(), headers={"content-type": "multipart/form-data; boundary=b"}, timeout=60
    )
    error = error_of(response, 413)
    assert error["code"] == "body_too_large"
    assert (engine.index_dir / MANIFEST).read_bytes() == before


def test_a_file_over_the_file_cap_is_refused_with_a_message(url, engine):
    data = ("某区新增停车位三百个。" * 400_000).encode("utf-8")[: MAX_FILE_BYTES + 1]
    assert len(data) + 1000 < UPLOAD_CAP
    error = error_of(upload(url, "big.txt", data), 422)  # within the body cap: the reader names the file
    assert "big.txt" in error["message"] and "太大" in error["message"]


def test_a_file_named_only_as_rfc_5987_filename_star_is_uploaded(url):
    text = "停车位\n\n某区新增停车位三百个,缓解了老城区停车难。".encode()
    head = b"Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%E5%81%9C%E8%BD%A6.txt\r\n\r\n"
    body = b"--b\r\n" + head + text + b"\r\n--b--\r\n"
    response = httpx.post(f"{url}/api/articles", content=body, headers={"content-type": "multipart/form-data; boundary=b"})
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "停车.txt"
    broken = httpx.post(f"{url}/api/articles", content=b"--b\r\nnonsense", headers={"content-type": "multipart/form-data; boundary=b"})
    assert 400 <= broken.status_code < 500 and error_of(broken, broken.status_code)["message"]


def test_an_article_id_with_invalid_unicode_is_not_found_not_a_crash(url):
    body = '{"question": "合肥港?", "article": "\\udc00"}'.encode()
    response = httpx.post(f"{url}/api/answer", content=body, headers={"content-type": "application/json"})
    assert error_of(response, 404)["code"] == "article_not_found"


def test_an_upload_while_another_is_read_gets_503_with_retry_after(url, engine):
    from qa.ingest import isolated

    before = (engine.index_dir / MANIFEST).read_bytes()
    assert isolated._slots.acquire(blocking=False)
    try:
        response = upload(url, "news-utf8.html")
    finally:
        isolated._slots.release()
    assert error_of(response, 503)["code"] == "busy" and response.headers["retry-after"] == "2"
    assert (engine.index_dir / MANIFEST).read_bytes() == before
