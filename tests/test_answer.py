"""The `answer()` contract and answer quality behaviours, with the real default encoder."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

import qa
from qa import Answer, Passage, answer
from qa.answering.language import CHINESE
from qa.answering.question import EMPTY_QUESTION, NO_WORDS, TOO_LONG

pytestmark = pytest.mark.model


@pytest.fixture
def default_index(real_index, monkeypatch):
    """Point `answer()` at the session's real index."""
    monkeypatch.setenv("QA_INDEX_DIR", str(real_index))


def test_contract(default_index):
    r = answer("包河区综合实力在全国百强区排第几位?")
    assert isinstance(r, Answer) and r.found is True
    assert "第41位" in r.text
    assert 1 <= len(r.passages) <= 3 and all(isinstance(p, Passage) for p in r.passages)
    top = r.passages[0]
    assert isinstance(top.text, str) and isinstance(top.score, float) and isinstance(top.chunk_id, int)
    assert top.section == "思想破冰 坚持高标准融入长三角" and top.source.startswith("创示范")
    assert [p.score for p in r.passages] == sorted((p.score for p in r.passages), reverse=True)
    assert json.loads(json.dumps(r.to_dict(), ensure_ascii=False))["passages"][0]["chunk_id"] == top.chunk_id


def test_k_bounds_the_passages(default_index):
    assert len(answer("合杭梦想小镇", k=1).passages) == 1
    assert len(answer("合杭梦想小镇", k=5).passages) == 5


def test_matched_words_are_reported(default_index):
    r = answer("报社的广告电话是多少")
    assert "0551-62815807" in r.text
    assert {"广告", "电话"} <= set(r.passages[0].matched)


def test_traditional_chinese_question(default_index):
    r = answer("包河國家可持續發展試驗區在評審中得了第幾名?")
    assert r.found and "荣获第一" in r.text


def test_full_width_question(default_index):
    r = answer("Ｇ６０科创走廊有几个城市？")
    assert r.found and "9个城市" in r.text


def test_follow_up_takes_the_earlier_subject(default_index):
    alone = answer("有哪些企业入驻了?")
    follow = answer("有哪些企业入驻了?", history=["合杭梦想小镇是什么时候开园的?"])
    assert follow.resolved_question.startswith("合杭梦想小镇")
    assert "合杭梦想小镇" in follow.passages[0].text
    assert alone.resolved_question == "有哪些企业入驻了?"


@pytest.mark.parametrize("question", ["上海迪士尼乐园几点开门?", "怎么申请美国签证?", "红烧肉怎么做才好吃?"])
def test_out_of_scope_questions_are_abstained(default_index, question):
    r = answer(question)
    assert r.found is False and r.text == CHINESE.not_found and r.passages == []


@pytest.mark.parametrize(
    ("question", "message"),
    [("", EMPTY_QUESTION), ("   \n\t", EMPTY_QUESTION), ("😀😀", NO_WORDS), ("?!。,", NO_WORDS), ("长" * 501, TOO_LONG)],
)
def test_bad_questions_get_a_message(default_index, question, message):
    r = answer(question)
    assert r.found is False and r.text == message


def test_control_characters_are_stripped(default_index):
    r = answer("合肥港\x00的生产\x07情况怎么样?")
    assert r.found and "\x00" not in r.question


def test_concurrent_calls_agree(default_index):
    questions = ["合肥港的生产情况怎么样?", "包河区的营商服务体系叫什么名字?", "比特币现在多少钱?"] * 8
    expected = {q: answer(q).to_dict() for q in set(questions)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(answer, questions))
    assert all(r.to_dict() == expected[q] for q, r in zip(questions, results))


def test_first_call_builds_a_missing_default_index(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "fresh"))
    r = qa.answer("合肥港的生产情况怎么样?")
    assert r.found and (tmp_path / "fresh" / "manifest.json").is_file()


def test_odd_k_values_are_forgiven(default_index):
    assert len(answer("合杭梦想小镇", k=0).passages) == 1
    assert len(answer("合杭梦想小镇", k=999).passages) == 20
    assert len(answer("合杭梦想小镇", k="abc").passages) == 3


def test_to_dict_and_to_json_carry_every_field_in_order():
    import dataclasses

    r = Answer("q", True, "句子。", [Passage("原文", 0.5, 1, "节", "题", 2, "body", ["词"], "a1")], "q", 1, "词", 0.9)
    assert r.to_dict() == dataclasses.asdict(r) and list(r.to_dict()) == [f.name for f in dataclasses.fields(Answer)]
    assert list(r.passages[0].to_dict()) == [f.name for f in dataclasses.fields(Passage)]
    assert json.loads(r.to_json()) == r.to_dict() and "句子" in r.to_json().decode("utf-8")


def test_a_batch_is_answered_as_each_question_alone(real_engine):
    asked = [
        ("包河区综合实力在全国百强区排第几位?", 3, None, None),
        ("", 3, None, None),  # refused before encoding
        ("有哪些企业入驻了?", 2, ["合杭梦想小镇是什么时候开园的?"], None),
        ("合肥港的生产情况怎么样?", 1, None, "no-such-article"),
        ("Who wrote this article?", 3, None, None),
    ]
    batch = list(real_engine.answer_batch(asked))
    alone = [real_engine.answer(q, k=k, history=h, article=a) for q, k, h, a in asked]
    assert [b.to_dict() for b in batch] == [a.to_dict() for a in alone]
    assert batch[0].found and not batch[1].found and batch[2].resolved_question.startswith("合杭梦想小镇")


def test_a_follow_up_reads_at_most_the_last_five_earlier_questions_each_cut_to_a_questions_length(monkeypatch):
    from qa.answering import question
    from qa.answering.question import HISTORY_TURNS, readings_of

    seen = []
    monkeypatch.setattr(question, "follow_up_readings", lambda question, earlier: seen.append(earlier) or question)
    readings_of("那呢?", ["问" * 100_000] + ["", "  "] + [f"第{i}个问题?" for i in range(HISTORY_TURNS + 3)] + [None])
    assert seen == [[f"第{i}个问题?" for i in range(3, HISTORY_TURNS + 3)]]
    seen.clear()
    readings_of("那呢?", ["长" * 100_000, "第二问?"])
    assert seen == [["长" * 500, "第二问?"]]
