"""`qa eval --news DIR`: a folder of readers' articles and questions as a benchmark
(`qa.evaluation.news`, `news_set.py`, `news_scores.py`). The fixture `tests/data/news/` holds two made-up articles (a .txt and an
.html page) and questions of every kind."""

import json
import shutil
import statistics
from pathlib import Path

import pytest

from qa.cli import main
from qa.errors import SourceError
from qa.evaluation.news import evaluate_news
from qa.evaluation.news_scores import QuestionResult, holds, score, tally
from qa.evaluation.news_set import NewsQuestion, read_news_set

from .conftest import HashEncoder

NEWS = Path(__file__).parent / "data" / "news"


def test_the_fixtures_gold_strings_are_in_their_articles():
    news = read_news_set(NEWS)
    assert news.articles == ["bridge.txt", "market.html"]
    assert {q.kind for q in news.questions} == {"factoid", "list", "why", "what", "about", "unanswerable"}
    for question in news.questions:
        raw = (NEWS / question.article).read_text(encoding="utf-8")
        assert all(gold in raw for gold in question.gold), question.q


def test_a_gold_date_matches_the_same_day_written_otherwise():
    assert holds("这篇报道发表于2023年6月12日。", ["2023-06-12"])
    assert holds("发布于 2023-06-12 08:30", ["2023年6月12日"])
    assert holds("某某网2023年6月5日讯", ["6月5日"])  # a gold without a year: any year
    assert not holds("这篇报道发表于2022年6月12日。", ["2023-06-12"])
    assert not holds("全长6.5公里", ["6月5日"])
    assert holds("傳統糯米灰漿", ["传统糯米灰浆"])  # compared simplified, as `qa eval --squad` compares


def test_one_reply_scored():
    question = NewsQuestion("a.txt", "这篇报道是哪天发表的?", ("2023-06-12",), "about")
    right = score(question, True, "这篇报道发表于2023年6月12日。", "2023年6月12日", ["标题\n2023年6月12日"], 5.0)
    assert right.passage_hit and right.answer_hit and right.phrase_exact and right.phrase_f1 == 1.0 and right.right
    refused = score(question, False, "文章中没有找到与该问题相关的内容。", None, ["别的段落"], 5.0)
    assert not refused.answer_hit and refused.loss == "refused" and refused.phrase is None and not refused.right
    wrong = NewsQuestion("a.txt", "桥有多长?", ("42米",), "factoid")
    missed = score(wrong, True, "桥建于1908年。", "1908年", ["桥建于1908年。桥长42米。"], 5.0)
    assert missed.loss == "sentence not chosen" and missed.passage_hit and missed.phrase_f1 == 0.0
    unanswerable = NewsQuestion("a.txt", "花了多少钱?", (), "unanswerable")
    assert score(unanswerable, False, "文章中没有找到与该问题相关的内容。", None, [], 5.0).right
    assert not score(unanswerable, True, "花了很多钱。", None, ["花了很多钱。"], 5.0).right


def _result(kind: str, gold: tuple, found: bool, hit: bool, phrase: str | None, exact: bool, f1: float, ms: float):
    return QuestionResult("a.txt", "问题", kind, gold, found, "答", phrase, hit, hit and found, exact, f1,
                          None if hit or not gold else ("refused" if not found else "sentence not chosen"), ms)


def test_the_figures_of_hand_made_results():
    results = [
        _result("factoid", ("甲",), True, True, "甲", True, 1.0, 10.0),
        _result("factoid", ("乙",), True, False, "丙", False, 0.0, 20.0),
        _result("why", ("丁",), False, False, None, False, 0.0, 30.0),
        _result("unanswerable", (), False, False, None, False, 0.0, 40.0),
        _result("unanswerable", (), True, False, None, False, 0.0, 50.0),
    ]
    overall, kinds, articles = tally(results)
    assert (overall["questions"], overall["answerable"], overall["unanswerable"]) == (5, 3, 2)
    assert overall["passage@1"] == overall["answer"] == round(1 / 3, 3)
    assert overall["phrase_shown"] == round(2 / 3, 3) and overall["phrase_exact"] == 0.5
    assert overall["phrase_f1"] == round(1 / 3, 3)
    assert overall["refused_answerable"] == round(1 / 3, 3) and overall["refused_unanswerable"] == 0.5
    assert overall["p50_ms"] == 30.0 and overall["lost"]["refused"] == 1 and overall["lost"]["sentence not chosen"] == 1
    assert kinds["factoid"]["answer"] == 0.5 and kinds["why"]["refused_answerable"] == 1.0
    assert kinds["unanswerable"]["answer"] is None and kinds["factoid"]["refused_unanswerable"] is None
    assert list(articles) == ["a.txt"] and articles["a.txt"]["questions"] == 5


def test_the_folder_is_measured_in_a_scratch_index(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "users-index"))
    report = evaluate_news(NEWS, encoder=HashEncoder(), progress=False, work_dir=tmp_path)
    assert not (tmp_path / "users-index").exists() and not list(tmp_path.glob("qa-news-*"))  # scratch, removed
    assert set(report.articles) == {"bridge.txt", "market.html"} and len(set(report.articles.values())) == 2
    results = report.results
    assert len(results) == 13 and set(report.by_kind) == {"about", "factoid", "list", "unanswerable", "what", "why"}
    # Questions about the articles are answered from their headers, whatever the encoder.
    about = report.by_kind["about"]
    assert (about["questions"], about["passage@1"], about["answer"], about["phrase_exact"]) == (4, 1.0, 1.0, 1.0)
    # Every figure is what the questions' own results add up to.
    answerable = [r for r in results if r.gold]
    unanswerable = [r for r in results if not r.gold]
    overall = report.overall
    assert (overall["answerable"], overall["unanswerable"]) == (11, 2)
    assert overall["passage@1"] == round(sum(r.passage_hit for r in answerable) / 11, 3)
    assert overall["answer"] == round(sum(r.answer_hit for r in answerable) / 11, 3)
    assert overall["refused_answerable"] == round(sum(not r.found for r in answerable) / 11, 3)
    assert overall["refused_unanswerable"] == round(sum(not r.found for r in unanswerable) / 2, 3)
    assert overall["p50_ms"] == round(statistics.median(r.ms for r in results), 2) > 0
    assert [r.q for r in report.failures] == [r.q for r in results if not r.right]
    assert json.loads(json.dumps(report.to_dict(), ensure_ascii=False))["overall"] == overall


def _fails(args: list[str], capsys) -> str:
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误:") and "Traceback" not in err and len(err.strip().splitlines()) == 1
    return err


def _copy(tmp_path: Path, questions: str) -> Path:
    folder = tmp_path / "news"
    shutil.copytree(NEWS, folder)
    (folder / "questions.jsonl").write_text(questions, encoding="utf-8")
    return folder


def test_a_missing_folder_or_a_file_is_a_clear_message(tmp_path, capsys):
    assert "找不到评测文件夹" in _fails(["eval", "--news", str(tmp_path / "nope")], capsys)
    assert "不是文件夹" in _fails(["eval", "--news", str(NEWS / "bridge.txt")], capsys)
    (tmp_path / "empty").mkdir()
    assert "没有 questions.jsonl" in _fails(["eval", "--news", str(tmp_path / "empty")], capsys)
    assert "--news" in _fails(["eval", "--questions", str(NEWS)], capsys)


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"article": "bridge.txt", "q": "桥有多长?", "gold": ["42米"]', "第 2 行不是合法的 JSON"),
        ('["bridge.txt", "桥有多长?"]', "第 2 行应是一个 JSON 对象"),
        ('{"article": "bridge.txt", "gold": ["42米"], "kind": "factoid"}', "第 2 行缺少字段 q"),
        ('{"article": "bridge.txt", "q": "桥有多长?", "gold": "42米", "kind": "factoid"}', "第 2 行的 gold 应是字符串列表"),
        ('{"article": "nope.txt", "q": "桥有多长?", "gold": ["42米"], "kind": "factoid"}', "提到的文章 nope.txt 不在文件夹"),
        ('{"article": "../bridge.txt", "q": "桥有多长?", "gold": [], "kind": "factoid"}', "第 2 行的 article 应是文件夹"),
    ],
)
def test_a_bad_line_is_named(tmp_path, capsys, line, message):
    first = '{"article": "bridge.txt", "q": "永安桥全长多少米？", "gold": ["42米"], "kind": "factoid"}'
    folder = _copy(tmp_path, f"{first}\n{line}\n")
    assert message in _fails(["eval", "--news", str(folder)], capsys)
    with pytest.raises(SourceError):
        read_news_set(folder)


@pytest.mark.model
def test_the_command_prints_the_tables_and_json(capsys):
    assert main(["eval", "--news", str(NEWS)]) == 0
    out = capsys.readouterr().out
    assert "2 篇文章,13 个问题" in out and "| kind | questions | passage@1 | answer |" in out
    assert "| about | 4 | 1.0 | 1.0 |" in out and "| bridge.txt | 7 |" in out and "| market.html | 6 |" in out
    assert main(["eval", "--news", str(NEWS), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["overall"]["questions"] == 13 and report["by_kind"]["about"]["answer"] == 1.0
    assert all(f["q"] for f in report["failures"])
