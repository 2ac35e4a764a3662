"""The public-set benchmark: reading SQuAD-style files, answer matching, the BM25 baseline, the run."""

import json
from pathlib import Path

import pytest

from qa.errors import SourceError
from qa.evaluation.baseline import SentenceBM25
from qa.evaluation.squad import answer_form, contains_answer, read_squad, write_articles

TINY = Path(__file__).parent / "data" / "tiny-squad.json"


def test_read_squad_makes_one_article_per_context(tmp_path):
    squad = read_squad(TINY)
    assert len(squad.contexts) == 8 and len(squad.questions) == 16
    assert squad.titles["tiny-squad-0000.txt"] == "青石镇"
    paths = write_articles(squad, tmp_path)
    assert [p.name for p in paths] == sorted(squad.contexts)
    assert paths[0].read_text(encoding="utf-8").strip() == squad.contexts[paths[0].name]


def test_bad_squad_files_get_a_message(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(SourceError, match="SQuAD"):
        read_squad(broken)
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"data": [{"paragraphs": [{"context": "x", "qas": []}]}]}), encoding="utf-8")
    with pytest.raises(SourceError, match="没有带答案的问题"):
        read_squad(empty)


def test_answers_match_across_scripts_widths_and_spaces():
    assert answer_form("第４１位 ") == "第41位"
    assert contains_answer("包河綜合實力躋身全國百強區第41位", ["综合实力"])
    assert not contains_answer("包河", ["综合实力"])
    assert not contains_answer("anything", [" "])


def test_a_missed_answer_is_put_down_to_the_stage_that_lost_it():
    from qa.evaluation.public_sets import answer_loss

    shown, sources = ["甲镇在北方。乙镇在南方。", "丙镇有三座桥。"], ["a.txt", "b.txt"]

    def loss(found=True, text="", answers=("三座桥",), context="b.txt"):
        return answer_loss(found, text, sources, shown, context, answers)

    assert loss(text="丙镇有三座桥。") is None
    assert loss(found=False) == "refused"
    assert loss(context="c.txt") == "context not shown"
    assert loss(answers=("五座桥",)) == "in no shown passage"
    assert loss(text="甲镇在北方。", answers=("北方。乙镇",), context="a.txt") == "across sentences"
    assert loss(text="甲镇在北方。") == "sentence not chosen"


def test_the_bm25_baseline_finds_the_sentence():
    squad = read_squad(TINY)
    baseline = SentenceBM25(squad.contexts)
    hits = baseline.search("哪位学者编写了《云岭古道志》?")
    assert hits and "赵明远" in hits[0].sentence and hits[0].article == "tiny-squad-0007.txt"
    assert baseline.search("bitcoin") == []


@pytest.mark.model
def test_the_benchmark_reports_engine_and_baseline(real_engine):
    from qa.evaluation.public_sets import evaluate_squad

    report = evaluate_squad(read_squad(TINY), out_of_scope=real_engine, progress=False)
    qa, bm25 = report.systems["qa"], report.systems["bm25"]
    assert qa["questions"] == bm25["questions"] == 16
    assert qa["ctx@1"] >= 0.9 and qa["ctx@3"] == 1.0 and qa["answer"] >= 0.75
    assert qa["ctx@1"] >= bm25["ctx@1"]
    assert 0.85 <= qa["passage@1"] <= qa["ctx@1"]  # the first passage shown holds the answer
    assert report.pseudo_out_of_scope["refusal_rate"] >= 0.9
    assert qa["lost"]["refused"] == qa["abstain"]
    assert abs(qa["answer"] + sum(qa["lost"].values()) - 1) < 0.01  # every miss put down to one stage


def test_span_scores_follow_cmrcs_official_style():
    from qa.evaluation.span_scores import exact_match, f1, segments

    assert segments("第41位，The Big-Apple 2020年!") == ["第", "41", "位", "the", "big", "apple", "2020", "年"]
    assert exact_match("第41位。", ["第41位"]) and exact_match("《紅樓夢》", ["红楼梦"])  # punctuation, traditional
    assert not exact_match("第41", ["第41位"]) and not exact_match("", [""])
    assert f1("第41位", ["第41位", "41"]) == 1.0
    assert round(f1("全国百强区第41位", ["第41位"]), 3) == round(2 * (3 / 8) / (3 / 8 + 1), 3)  # a longer phrase
    assert f1("首都", ["第41位"]) == f1("x", []) == 0.0
    assert f1("一二三四", ["一二x三四"]) == 2 * 0.5 * 0.4 / 0.9  # the longest shared *run*, as the official LCS
