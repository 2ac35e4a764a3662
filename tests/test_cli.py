import json
from pathlib import Path

import pytest

from qa.cli import main

from .conftest import ARTICLE


def test_build_index_with_a_missing_source_is_one_clear_line(tmp_path, capsys):
    assert main(["build-index", "--source", str(tmp_path / "nope.txt"), "--index-dir", str(tmp_path / "i")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误:找不到") and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_ask_refuses_a_damaged_index(tmp_path, capsys):
    index_dir = tmp_path / "i"
    index_dir.mkdir()
    (index_dir / "manifest.json").write_text("garbage", encoding="utf-8")
    assert main(["ask", "问题", "--index-dir", str(index_dir)]) == 1
    assert "qa build-index" in capsys.readouterr().err


@pytest.mark.model
def test_build_then_ask_then_eval(tmp_path, capsys):
    index_dir = str(tmp_path / "i")
    assert main(["build-index", "--source", str(ARTICLE), "--index-dir", index_dir]) == 0
    out = capsys.readouterr().out
    assert "段落数:36" in out and "use-multilingual-v3" in out

    assert main(["ask", "合肥港的生产情况怎么样?", "--index-dir", index_dir, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["found"] and "生产一片繁忙" in result["text"]

    questions = tmp_path / "q.jsonl"
    rows = [{"q": "合肥港的生产情况怎么样?", "gold": ["生产一片繁忙"], "kind": "lexical"},
            {"q": "比特币现在多少钱?", "gold": [], "kind": "out_of_scope"}]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    assert main(["eval", "--questions", str(questions), "--index-dir", index_dir, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["overall"]["hit@1"] == 1.0 and report["overall"]["abstention"] == 1.0
    assert set(report["by_kind"]) == {"lexical", "out_of_scope"} and report["latency_ms"]["p50"] > 0


def test_ask_builds_a_missing_index(tmp_path, capsys, monkeypatch):
    import qa.index.lifecycle

    from .conftest import HashEncoder

    monkeypatch.setattr(qa.index.lifecycle, "load_encoder", lambda name: HashEncoder(name))
    monkeypatch.setattr("qa.index.build.load_encoder", lambda name: HashEncoder(name))
    assert main(["ask", "合肥港的生产情况怎么样?", "--index-dir", str(tmp_path / "new")]) == 0
    assert "生产一片繁忙" in capsys.readouterr().out


@pytest.mark.model
def test_ask_shows_the_answer_phrase_and_eval_runs_a_squad_set(real_index, capsys):
    assert main(["ask", "包河区综合实力在全国百强区排第几位?", "--index-dir", str(real_index)]) == 0
    assert capsys.readouterr().out.startswith("答案:【第41位】\n经过多年发展")
    tiny = str(Path(__file__).parent / "data" / "tiny-squad.json")
    assert main(["eval", "--squad", tiny, "--index-dir", str(real_index), "--limit", "4"]) == 0
    out = capsys.readouterr().out
    assert "| qa | 4 |" in out and "| bm25 | 4 |" in out and "refused" in out


def test_eval_with_a_bad_squad_file_is_one_clear_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    assert main(["eval", "--squad", str(bad), "--index-dir", str(tmp_path / "i")]) == 1
    err = capsys.readouterr().err
    assert "SQuAD" in err and "Traceback" not in err
