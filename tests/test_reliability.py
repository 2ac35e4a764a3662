"""Bad input, damaged data, kills and the server's exposure: nothing crashes, leaks or loses data."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from qa.cli import main
from qa.engine import Engine
from qa.errors import IndexMismatchError
from qa.index.build import build_index
from qa.index.files import MANIFEST, load_bundle

from .browser import running_app
from .conftest import ARTICLE, HashEncoder

BAD_QUESTIONS = {
    "empty": "",
    "whitespace": " \t\n ",
    "huge": "包河" * 5000,
    "emoji": "😀🎉🚀",
    "punctuation": "?!。,、;:“”",
    "control": "合肥港\x00\x01\x1b[31m的生产\x7f情况",
    "surrogate": "包河\ud800区",
    "html": "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "sql": "'; DROP TABLE chunks; --",
    "template": "{{7*7}} ${7*7} {% raw %}",
    "path": "../../../../etc/passwd",
    "mixed": "Baohe区的GDP target是多少?",
    "english": "What is the weather like today?",
    "digits": "0551",
}


@pytest.mark.model
@pytest.mark.parametrize("name", BAD_QUESTIONS)
def test_bad_questions_never_raise_and_stay_fast(real_engine, name):
    started = time.perf_counter()
    result = real_engine.answer(BAD_QUESTIONS[name])
    assert time.perf_counter() - started < 1.0
    assert isinstance(result.text, str) and result.text
    assert len(result.question) <= 500
    json.dumps(result.to_dict(), ensure_ascii=False)


@pytest.mark.model
@pytest.mark.parametrize("name", ["empty", "huge", "control", "html", "surrogate"])
def test_bad_questions_through_the_cli(real_index, capsys, name):
    assert main(["ask", BAD_QUESTIONS[name], "--index-dir", str(real_index)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() and "Traceback" not in err


@pytest.mark.model
@pytest.mark.parametrize("name", ["empty", "huge", "html", "surrogate", "emoji"])
def test_bad_questions_through_the_app(real_index, monkeypatch, name):
    import qa.api

    monkeypatch.setattr(qa.api, "_engine", Engine(real_index))
    from qa.web import handlers
    from qa.web.ui_text import CHINESE

    _, chat, _, _ = handlers.respond(BAD_QUESTIONS[name], [], [], 3)
    assert chat[-1]["content"] != CHINESE.error_reply
    assert "<img" not in chat[0]["content"] and "<script" not in chat[0]["content"]


@pytest.mark.model
def test_index_from_a_model_of_another_dimension_is_refused(tmp_path):
    index_dir = tmp_path / "index"
    # A 64-dim index that claims to be the default model: the real one gives 512 dims.
    build_index([ARTICLE], index_dir, encoder=HashEncoder("use-multilingual-v3"))
    with pytest.raises(IndexMismatchError, match="qa build-index"):
        Engine(index_dir, strict=True).retriever
    assert Engine(index_dir).answer("合肥港的生产情况怎么样?").found
    assert load_bundle(index_dir).manifest["dimension"] == 512


@pytest.mark.parametrize("kind", ["binary", "empty", "unknown-encoding", "unreadable-dir"])
def test_bad_sources_leave_the_index_untouched(tmp_path, capsys, monkeypatch, kind):
    index_dir = tmp_path / "index"
    build_index([ARTICLE], index_dir, encoder=HashEncoder())
    before = (index_dir / MANIFEST).read_bytes()
    source = tmp_path / "bad"
    source.mkdir()
    if kind == "binary":
        (source / "a.txt").write_bytes(bytes(range(256)))
    elif kind == "empty":
        (source / "a.txt").write_bytes(b"")
    elif kind == "unknown-encoding":
        (source / "a.txt").write_bytes("包河区".encode("utf-16-le") + b"\x00\x00\xff")
    else:
        (source / "a.txt").write_text("内容。", encoding="utf-8")
        original = Path.rglob

        def denied(self, pattern):
            if self == source:
                raise PermissionError(13, "Permission denied")
            return original(self, pattern)

        monkeypatch.setattr(Path, "rglob", denied)
    assert main(["build-index", "--source", str(source), "--index-dir", str(index_dir)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误:") and "Traceback" not in err
    assert (index_dir / MANIFEST).read_bytes() == before


def _big_source(directory: Path, copies: int = 60) -> Path:
    directory.mkdir()
    text = ARTICLE.read_text(encoding="utf-8")
    for i in range(copies):
        (directory / f"copy-{i:03d}.txt").write_text(text.replace("包河", f"包河{i}"), encoding="utf-8")
    return directory


@pytest.mark.model
def test_sigkill_mid_build_keeps_the_old_index(tmp_path):
    index_dir = tmp_path / "index"
    build_index([ARTICLE], index_dir, encoder=HashEncoder("use-multilingual-v3-fake"))
    before = (index_dir / MANIFEST).read_bytes()
    source = _big_source(tmp_path / "big")
    process = subprocess.Popen(
        [sys.executable, "-m", "qa", "build-index", "--source", str(source), "--index-dir", str(index_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    staged = []
    while not staged and time.monotonic() < deadline and process.poll() is None:
        staged = list(tmp_path.glob(".index.tmp-*"))
        time.sleep(0.05)
    assert staged, "the build never reached its staging directory"
    time.sleep(1.0)  # well inside the encoding of ~2,000 passages
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert (index_dir / MANIFEST).read_bytes() == before
    assert load_bundle(index_dir).chunks
    assert Engine(index_dir, strict=True, encoder=HashEncoder("use-multilingual-v3-fake")).answer("合肥港的生产").found
    assert list(tmp_path.glob(".index.tmp-*"))  # what the killed build left
    build_index([ARTICLE], index_dir, encoder=HashEncoder("use-multilingual-v3-fake"))
    assert not list(tmp_path.glob(".index.tmp-*")) and not list(tmp_path.glob(".index.old-*"))


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (from /proc, no traffic sent)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":
                found.add(address)
    return found


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.model
def test_server_binds_loopback_and_serves_no_files(real_index):
    secret = "QA_TEST_SECRET_" + "x" * 8
    os.environ["QA_LEAK_CANARY"] = secret
    try:
        with running_app(real_index) as url:
            port = int(url.rstrip("/").rsplit(":", 1)[1])
            assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1 only
            pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
            for target in ("/etc/passwd", str(pyproject), "/proc/self/environ"):
                status, body = _get(f"{url}gradio_api/file={target}")
                assert status >= 400, target
                assert b"root:" not in body and b"[project]" not in body and secret.encode() not in body
            assert _get(f"{url}monitoring")[0] in (403, 404)
            status, _ = _get(f"{url}gradio_api/info")
            assert status == 200
    finally:
        del os.environ["QA_LEAK_CANARY"]


@pytest.mark.model
def test_direct_run_route_is_closed_and_a_flood_gets_busy_replies(real_index, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("QA_QUEUE_SIZE", "2")
    monkeypatch.setenv("QA_CONCURRENCY", "1")
    with running_app(real_index) as url:
        body = json.dumps({"data": ["合肥港的生产情况怎么样?"]}).encode()

        def post(path: str) -> int:
            request = urllib.request.Request(url + path, data=body, headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return response.status
            except urllib.error.HTTPError as exc:
                return exc.code

        assert post("gradio_api/run/answer") >= 400  # skipping the queue is not allowed
        with ThreadPoolExecutor(max_workers=40) as pool:
            statuses = list(pool.map(lambda _: post("gradio_api/call/answer"), range(80)))
        assert 503 in statuses and 200 in statuses
        assert set(statuses) <= {200, 503}
        time.sleep(2)
        assert post("gradio_api/call/answer") == 200  # still serving after the flood
