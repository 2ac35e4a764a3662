"""The running app (`python app.py`, real index, worker processes) tried as an attacker would.

- A server file named by path to a file-taking handler of the page, through Gradio's own API, is
  refused (with and without a key), and with a key every Gradio route asks for the login.
- Files built to freeze or exhaust the server are refused or indexed within UPLOAD_SECONDS, the
  whole server (its process tree) stays under PEAK_RSS_BYTES, and /api/health answers within
  HEALTH_SECONDS all the while.
- Bodies that used to raise (deep nesting, lone surrogates, NUL and over-long titles) get a 4xx
  and leave the index as it was.
"""

from __future__ import annotations

import io
import json
import shutil
import threading
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from .browser import ROOT, SERVERS, rss_bytes, running_app, tree_rss_bytes

pytestmark = pytest.mark.model

KEY = "hostile-key-" + "h" * 20
UPLOAD_SECONDS = 30.0
HEALTH_SECONDS = 1.0
PEAK_RSS_BYTES = 2 * 1024**3
KEPT_BYTES = 200 * 1024**2  # what the server process may keep of a refused 10 MB upload
VICTIM = ROOT / "README.md"  # a server file no client uploaded


@pytest.fixture(scope="module")
def index_copy(real_index, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("hostile") / "index"
    shutil.copytree(real_index, target)
    return target


@pytest.fixture(scope="module")
def open_url(index_copy):
    with running_app(index_copy) as url:
        yield url.rstrip("/")


@pytest.fixture(scope="module")
def keyed_url(real_index, tmp_path_factory):
    target = tmp_path_factory.mktemp("keyed") / "index"
    shutil.copytree(real_index, target)
    with running_app(target, env={"QA_API_KEY": KEY}) as url:
        yield url.rstrip("/")


def titles(url: str, **kwargs) -> list[str]:
    return [a["title"] for a in httpx.get(f"{url}/api/articles", **kwargs).json()]


def file_handlers(config: dict) -> list[tuple[int, int, list[int]]]:
    """(fn index, trigger id, input ids) of each event of the page that takes a file."""
    files = {c["id"] for c in config["components"] if c.get("type") in ("file", "uploadbutton", "image", "files")}
    return [
        (dep["id"], dep["targets"][0][0], dep["inputs"])
        for dep in config["dependencies"]
        if files & set(dep["inputs"]) and dep["targets"]
    ]


def call_queue(client: httpx.Client, url: str, fn: int, trigger: int, data: list) -> dict:
    """One call through Gradio's queue (as the page makes it); the completion message (a refusal
    before the queue counts as a failed completion)."""
    session = f"attack-{fn}-{time.monotonic_ns()}"
    joined = client.post(
        f"{url}/gradio_api/queue/join",
        json={"data": data, "fn_index": fn, "session_hash": session, "event_data": None, "trigger_id": trigger},
    )
    if joined.status_code == 403:
        assert joined.json()["error"]["code"] == "file_not_uploaded"
        return {"success": False, "refused": True}
    assert joined.status_code == 200, joined.text
    with client.stream("GET", f"{url}/gradio_api/queue/data", params={"session_hash": session}, timeout=60) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return message
    raise AssertionError("the queue closed without completing the call")


def server_path_attack(client: httpx.Client, url: str) -> None:
    config = client.get(f"{url}/config").json()
    handlers = file_handlers(config)
    assert handlers, "the page has a file-taking handler to attack"
    kinds = {c["id"]: c.get("type") for c in config["components"]}
    folder = client.post(f"{url}/gradio_api/upload", files={"files": ("a.txt", b"x" * 20)}).json()[0].rsplit("/", 2)[0]
    targets = [
        str(VICTIM),  # a server file
        f"{folder}/../../{VICTIM}",  # the same, through the upload folder
        folder,  # a folder of the upload cache itself (Gradio would later fail to delete it)
        "http://127.0.0.1:9/x.html",  # a URL Gradio would fetch from the server
    ]
    for fn, trigger, inputs in handlers:
        for target in targets:
            payload = {"path": target, "orig_name": "README.md", "meta": {"_type": "gradio.FileData"}}
            data = [payload if kinds[i] == "file" else None for i in inputs]
            done = call_queue(client, url, fn, trigger, data)
            assert done["success"] is False, (target, done)
    assert "README.md" not in " ".join(titles(url, headers={"Authorization": f"Bearer {KEY}"}))


def test_a_server_path_sent_to_a_file_handler_is_refused(open_url):
    before = titles(open_url)
    with httpx.Client(timeout=60) as client:
        server_path_attack(client, open_url)
    assert titles(open_url) == before


def test_with_a_key_every_gradio_route_asks_for_the_login(keyed_url):
    bearer = {"Authorization": f"Bearer {KEY}"}
    before = titles(keyed_url, headers=bearer)
    with httpx.Client(timeout=60) as client:
        for method, path, body in [
            ("GET", "/config", None),
            ("GET", "/gradio_api/info", None),
            ("POST", "/gradio_api/call/answer", {"data": ["谁写的?"]}),
            ("POST", "/gradio_api/queue/join", {"data": ["x"], "fn_index": 0, "session_hash": "s"}),
        ]:
            assert client.request(method, f"{keyed_url}{path}", json=body).status_code == 401, path
        files = {"files": ("a.txt", "某区新增停车位三百个,缓解了老城区停车难。".encode(), "text/plain")}
        assert client.post(f"{keyed_url}/gradio_api/upload", files=files).status_code == 401
        assert client.post(f"{keyed_url}/login", data={"username": "x", "password": "wrong"}).status_code == 400
        assert client.post(f"{keyed_url}/login", data={"username": "x", "password": KEY}).status_code == 200
        assert client.post(f"{keyed_url}/gradio_api/upload", files=files).status_code == 200  # logged in
        server_path_attack(client, keyed_url)  # a login is no licence to name server files
        tries = [client.post(f"{keyed_url}/login", data={"username": "x", "password": f"guess{n}"}) for n in range(10)]
        assert {t.status_code for t in tries[:9]} == {400} and tries[-1].status_code == 429  # 1 + 9 wrong, then held
    assert titles(keyed_url, headers=bearer) == before


def endless_sentence() -> tuple[str, bytes]:
    return "endless.txt", ("问" * (10 * 1024 * 1024 // 3 - 1)).encode()


def empty_divs() -> tuple[str, bytes]:
    div = b"<div></div>"
    return "divs.html", b"<html><body>" + div * ((10 * 1024 * 1024 - 40) // len(div)) + b"</body></html>"


def many_paragraphs(count: int = 233_000) -> tuple[str, bytes]:
    """A valid .docx whose document part holds `count` short paragraphs (passes the zip-bomb checks)."""
    import docx

    blank = io.BytesIO()
    docx.Document().save(blank)
    body = "".join(f"<w:p><w:r><w:t>{i}</w:t></w:r></w:p>" for i in range(count))
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f"{body}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blank.getvalue())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            z.writestr(item, xml if item.filename == "word/document.xml" else source.read(item.filename))
    return "paragraphs.docx", out.getvalue()


@pytest.mark.parametrize("make", [endless_sentence, empty_divs, many_paragraphs])
def test_a_hostile_upload_costs_bounded_time_and_memory_and_never_stalls_the_server(open_url, make):
    name, data = make()
    pid = SERVERS[open_url + "/"].pid
    before = titles(open_url)
    reply: dict = {}

    def send() -> None:
        started = time.monotonic()
        response = httpx.post(f"{open_url}/api/articles", files={"file": (name, data)}, timeout=120)
        reply.update(status=response.status_code, body=response.json(), seconds=time.monotonic() - started)

    resident = rss_bytes(pid)
    sender = threading.Thread(target=send)
    sender.start()
    slowest, peak = 0.0, tree_rss_bytes(pid)
    while sender.is_alive():
        started = time.monotonic()
        assert httpx.get(f"{open_url}/api/health", timeout=10).status_code == 200
        slowest = max(slowest, time.monotonic() - started)
        peak = max(peak, tree_rss_bytes(pid))
        time.sleep(0.05)
    sender.join()
    assert reply["status"] in (201, 413, 422), reply
    assert reply["seconds"] < UPLOAD_SECONDS, reply
    assert slowest < HEALTH_SECONDS, f"/api/health took {slowest:.2f} s"
    assert peak < PEAK_RSS_BYTES, f"peak {peak / 1024**2:.0f} MB"
    if reply["status"] != 201:
        assert reply["body"]["error"]["message"] and titles(open_url) == before
        assert rss_bytes(pid) - resident < KEPT_BYTES  # the reading happened elsewhere; its memory is gone


def test_bodies_that_used_to_fail_get_a_4xx_and_change_nothing(open_url):
    before = titles(open_url)
    json_body = {"content-type": "application/json"}
    text = "某区新增停车位三百个,缓解了老城区停车难。"
    deep = b"[" * 100_000 + b"]" * 100_000
    cases = [
        ("/api/answer", deep),
        ("/v1/chat/completions", deep),
        ("/api/articles", deep),
        ("/api/articles", b'{"text": "\\ud800' + text.encode() + b'"}'),
        ("/api/articles", b'{"text": "' + text.encode() + b'", "title": "\\udc00"}'),
        ("/api/articles", json.dumps({"text": text, "title": "a\u0000b"}).encode()),
        ("/api/articles", json.dumps({"text": text, "title": "标" * 50_000}).encode()),
        ("/api/articles", b'{"text": "\xff\xfe"}'),
    ]
    for path, body in cases:
        response = httpx.post(f"{open_url}{path}", content=body, headers=json_body, timeout=30)
        assert 400 <= response.status_code < 500, (path, body[:40], response.text)
        assert response.json()["error"]["message"]
    swapped = {"data": [{"path": str(VICTIM), "meta": {"_type": "gradio.FileData"}}, "all"], "fn_index": 0,
               "session_hash": "h"}  # /stream/ replaces a queued call's data
    assert httpx.post(f"{open_url}/gradio_api/stream/some-event", json=swapped).status_code == 403
    huge = json.dumps({"data": ["问" * 2_000_000], "fn_index": 0, "session_hash": "h"}).encode()
    assert httpx.post(f"{open_url}/gradio_api/queue/join", content=huge, headers=json_body).status_code == 413
    # A lone surrogate in a question or the history is dropped, as other invalid characters are.
    for body in [b'{"question": "\\ud800\xe8\xb0\x81\xe5\x86\x99\xe7\x9a\x84?"}', b'{"question": "x?", "history": ["\\udc00"]}']:
        assert httpx.post(f"{open_url}/api/answer", content=body, headers=json_body, timeout=30).status_code in (200, 422)
    assert titles(open_url) == before
