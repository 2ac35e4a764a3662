"""`qa add` killed mid-way, or running while questions are asked: the published index stays whole and answering."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from qa.cli import main
from qa.engine import Engine
from qa.index.files import MANIFEST, load_bundle

from .data.make_articles import BUS, ELEVATOR, LIBRARY, RIVER

pytestmark = pytest.mark.model

QUESTION, GOLD = "包河区综合实力在全国百强区排第几位?", "第41位"
PLACES = ["临川", "江陵", "宛丘", "云中", "广陵", "会稽", "琅琊", "陇西", "巴郡", "汉中", "南阳", "颍川", "汝南", "东海"]


def big_article(path: Path, paragraphs: int = 2000) -> Path:
    """A plain-text article of `paragraphs` distinct paragraphs (one passage each): the reader
    articles' paragraphs with other places and numbers. Encoding it takes the real model seconds."""
    source = [p for article in (LIBRARY, RIVER, BUS, ELEVATOR) for p in article["paragraphs"]]
    lines = ["各地民生工程汇编"]
    for i in range(paragraphs):
        text = re.sub(r"\d+", lambda m, i=i: str(int(m.group()) * (i + 3) % 9973), source[i % len(source)])
        lines.append(f"{PLACES[i % len(PLACES)]}第{i + 1}期:{text}")
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def staged_dirs(index_dir: Path) -> list[Path]:
    return list(index_dir.parent.glob(f".{index_dir.name}.tmp-*"))


def leftovers(index_dir: Path) -> list[Path]:
    return staged_dirs(index_dir) + list(index_dir.parent.glob(f".{index_dir.name}.old-*"))


def qa_add(path: Path, index_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "qa", "add", str(path), "--index-dir", str(index_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for_staging(process: subprocess.Popen, index_dir: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not staged_dirs(index_dir):
        assert process.poll() is None, f"qa add ended before staging: {process.stderr.read().decode()}"
        assert time.monotonic() < deadline, "qa add never reached its staging directory"
        time.sleep(0.05)


@pytest.fixture
def index_dir(real_index, tmp_path) -> Path:
    target = tmp_path / "copy" / "index"
    shutil.copytree(real_index, target)
    return target


def test_sigkill_mid_add_keeps_the_old_index(index_dir, real_engine, tmp_path, capsys):
    before = (index_dir / MANIFEST).read_bytes()
    old = [a.id for a in load_bundle(index_dir).articles]
    process = qa_add(big_article(tmp_path / "big.txt"), index_dir)
    wait_for_staging(process, index_dir)
    time.sleep(1.0)  # inside the encoding of ~2,000 passages
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    assert (index_dir / MANIFEST).read_bytes() == before
    assert [a.id for a in load_bundle(index_dir).articles] == old
    assert staged_dirs(index_dir)  # what the killed add left
    assert main(["list", "--json", "--index-dir", str(index_dir)]) == 0
    assert '"id": "' + old[0] + '"' in capsys.readouterr().out
    engine = Engine(index_dir, strict=True, encoder=real_engine.retriever.encoder)
    assert [a.id for a in engine.articles()] == old
    result = engine.answer(QUESTION)
    assert result.found and GOLD in result.text

    small = tmp_path / "small.txt"
    small.write_text("包河区口袋公园建设\n\n今年包河区新建口袋公园27座,总面积约4.5万平方米。\n", encoding="utf-8")
    assert main(["add", str(small), "--index-dir", str(index_dir)]) == 0
    assert not leftovers(index_dir)  # the next add cleaned up after the killed one
    assert [a.name for a in engine.articles()] == [load_bundle(index_dir).articles[0].name, "small.txt"]
    assert "27座" in engine.answer("包河区今年新建了多少座口袋公园?").text
    assert GOLD in engine.answer(QUESTION).text


def test_questions_are_answered_while_an_add_runs(index_dir, real_engine, tmp_path):
    engine = Engine(index_dir, strict=True, encoder=real_engine.retriever.encoder)
    old = [a.id for a in engine.articles()]
    answers: list[tuple[bool, str, bool]] = []  # (found, text, asked while the add was staged)
    errors: list[BaseException] = []
    done = threading.Event()

    def ask() -> None:
        try:
            while not done.is_set():
                staging = bool(staged_dirs(index_dir))
                result = engine.answer(QUESTION)
                answers.append((result.found, result.text, staging))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    process = qa_add(big_article(tmp_path / "big.txt"), index_dir)
    asker = threading.Thread(target=ask, daemon=True)
    asker.start()
    try:
        assert process.wait(300) == 0, process.stderr.read().decode()
        time.sleep(0.5)  # a few questions more, from the new version
    finally:
        done.set()
        asker.join(60)
    assert not errors
    assert sum(staging for *_, staging in answers) >= 3, "no question was asked while the add ran"
    assert all(found and GOLD in text for found, text, _ in answers), [a for a in answers if not a[0] or GOLD not in a[1]][:3]
    assert len(engine.articles()) == len(old) + 1 and engine.articles()[-1].passages >= 2000
    assert not leftovers(index_dir)
