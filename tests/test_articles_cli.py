"""`qa add`, `qa list`, `qa remove` and `qa ask --article` on a copy of the real index."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from qa.cli import main
from qa.index.files import MANIFEST

from .data.make_articles import QUESTIONS

ARTICLES = Path(__file__).parent / "data" / "articles"
pytestmark = pytest.mark.model


@pytest.fixture
def index_dir(real_index, tmp_path) -> Path:
    target = tmp_path / "copy" / "index"
    shutil.copytree(real_index, target)
    return target


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def listed(capsys, index_dir: Path) -> list[dict]:
    status, out, _ = run(capsys, "list", "--json", "--index-dir", str(index_dir))
    assert status == 0
    return json.loads(out)


def test_add_list_ask_and_remove_one_file(index_dir, capsys):
    status, out, err = run(capsys, "add", str(ARTICLES / "news-utf8.html"), "--index-dir", str(index_dir))
    assert status == 0 and not err
    assert "已添加:《南湖区图书馆新馆正式开馆 藏书120万册》" in out and "用时" in out

    articles = listed(capsys, index_dir)
    assert len(articles) == 2
    added = articles[1]
    assert set(added) == {"id", "title", "date", "author", "site", "url", "passages", "name", "format", "added_at"}
    assert (added["date"], added["author"], added["site"], added["format"]) == ("2024-04-23", "沈佳怡", "嘉兴日报", "html")
    assert f"编号 {added['id']}" in out

    status, out, _ = run(capsys, "list", "--index-dir", str(index_dir))
    lines = out.strip().splitlines()
    assert status == 0 and len(lines) == 2
    assert lines[1].startswith(added["id"]) and "2024-04-23 · 沈佳怡 · 嘉兴日报" in lines[1]
    assert f"({added['passages']} 段" in lines[1]

    question, gold = QUESTIONS["news-utf8.html"]
    status, out, _ = run(capsys, "ask", "--article", added["id"], "--json", question, "--index-dir", str(index_dir))
    result = json.loads(out)
    assert status == 0 and result["found"] and gold in result["text"]
    assert {p["article"] for p in result["passages"]} == {added["id"]}
    status, out, _ = run(capsys, "ask", "--article", added["id"][:6], question, "--index-dir", str(index_dir))
    assert status == 0 and gold in out and "《南湖区图书馆新馆正式开馆 藏书120万册》" in out  # sources named: 2 articles

    status, out, _ = run(capsys, "ask", "--article", articles[0]["id"], "--json", question, "--index-dir", str(index_dir))
    result = json.loads(out)
    assert status == 0 and gold not in result["text"]
    assert {p["article"] for p in result["passages"]} <= {articles[0]["id"]}

    status, out, err = run(capsys, "remove", added["id"], "--index-dir", str(index_dir))
    assert status == 0 and out.startswith("已删除:《南湖区图书馆新馆正式开馆 藏书120万册》") and not err
    assert [a["id"] for a in listed(capsys, index_dir)] == [articles[0]["id"]]


def test_add_a_directory_with_a_bad_file(index_dir, tmp_path, capsys):
    source = tmp_path / "incoming"
    source.mkdir()
    shutil.copy(ARTICLES / "report.pdf", source / "report.pdf")
    (source / "garbage.txt").write_bytes(bytes(range(256)) * 8)
    (source / "ignored.jpg").write_bytes(b"\xff\xd8\xff")  # not an article suffix: not even looked at

    status, out, err = run(capsys, "add", str(source), "--index-dir", str(index_dir))
    assert status == 1
    assert err.startswith("跳过:") and "garbage.txt" in err and len(err.strip().splitlines()) == 1
    assert "已添加:《洛阳市新能源公交车推广应用情况报告》" in out
    assert [a["name"] for a in listed(capsys, index_dir)][1:] == ["report.pdf"]

    status, out, err = run(capsys, "add", str(source / "report.pdf"), "--index-dir", str(index_dir))
    assert status == 1 and err.startswith("错误:") and "已经添加过了" in err and not out


def test_add_nothing_readable_leaves_the_index(index_dir, tmp_path, capsys):
    before = (index_dir / MANIFEST).read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    status, _, err = run(capsys, "add", str(bad), str(tmp_path / "missing.html"), "--index-dir", str(index_dir))
    assert status == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith("错误:") and "bad.txt" in lines[0] and "找不到" in lines[1] and "missing.html" in lines[1]
    assert (index_dir / MANIFEST).read_bytes() == before


def test_remove_unknown_or_last_is_an_error(index_dir, capsys):
    before = (index_dir / MANIFEST).read_bytes()
    status, out, err = run(capsys, "remove", "nope", "--index-dir", str(index_dir))
    assert status == 1 and not out and err.startswith("错误:没有编号为“nope”的文章")
    (shipped,) = listed(capsys, index_dir)
    status, _, err = run(capsys, "remove", shipped["id"], "--index-dir", str(index_dir))
    assert status == 1 and err.startswith("错误:") and "唯一的文章" in err
    assert (index_dir / MANIFEST).read_bytes() == before


def test_ask_about_an_unknown_article_is_an_error(index_dir, capsys):
    status, out, err = run(capsys, "ask", "--article", "nope", "包河区在哪里?", "--index-dir", str(index_dir))
    assert status == 1 and not out and err.startswith("错误:没有编号为“nope”的文章")


def test_add_pasted_text_file_then_ask_all_articles(index_dir, tmp_path, capsys):
    note = tmp_path / "口袋公园.txt"
    note.write_text("包河区口袋公园建设\n\n今年包河区新建口袋公园27座,总面积约4.5万平方米。\n", encoding="gb18030")
    status, out, _ = run(capsys, "add", str(note), "--index-dir", str(index_dir))
    assert status == 0 and "已添加:《包河区口袋公园建设》" in out
    status, out, _ = run(capsys, "ask", "--json", "包河区今年新建了多少座口袋公园?", "--index-dir", str(index_dir))
    result = json.loads(out)
    assert status == 0 and result["found"] and "27座" in result["text"]
    status, out, _ = run(capsys, "ask", "--json", "包河区综合实力在全国百强区排第几位?", "--index-dir", str(index_dir))
    assert "第41位" in json.loads(out)["text"]


def test_a_reader_that_stops_early_gets_no_traceback(index_dir):
    import subprocess
    import sys

    command = [sys.executable, "-m", "qa", "list", "--index-dir", str(index_dir)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # like `qa list | head -0`
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) in (0, 1) and "Traceback" not in err and "BrokenPipe" not in err


def test_a_long_add_shows_its_stages_and_counts_on_a_terminal(index_dir, tmp_path, capsys, monkeypatch):
    paragraphs = [f"第{n}段:包河区今年新建了{n}所学校和{n * 3}个社区食堂,方便了居民生活。" * 4 for n in range(1, 2700)]
    long = tmp_path / "long.txt"
    long.write_text("一篇很长的报道\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    assert long.stat().st_size > 1_000_000
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # a person watches: the bars are drawn
    status, out, err = run(capsys, "add", str(long), "--index-dir", str(index_dir))
    assert status == 0 and "已添加:《一篇很长的报道》" in out
    encoded = set(re.findall(r"正在编码段落:.*?(\d+)/(\d+)", err))
    assert len(encoded) > 3 and max(int(done) for done, _ in encoded) == int(next(iter(encoded))[1])
    assert all(stage in err for stage in ("正在读取文件", "正在分段", "正在写入索引"))


def test_no_bars_when_nobody_watches(index_dir, capsys):
    status, _, err = run(capsys, "add", str(ARTICLES / "news-utf8.html"), "--index-dir", str(index_dir))
    assert status == 0 and not err
