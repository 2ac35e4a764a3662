"""Elliptical follow-ups: each reading the history allows is answered and the surest kept
(`qa.answering.followup.readings`), and what the article does not say stays refused."""

import pytest

from qa.answering.followup import readings

pytestmark = pytest.mark.model

ANSWERED = [
    # the topic in the place of the last question's subject
    (["滨湖金融小镇是哪天开园的?"], "那合杭梦想小镇呢?", "合杭梦想小镇正式挂牌开园", "8月29日"),
    (["滨湖金融小镇是哪天开园的?"], "合杭梦想小镇呢?", "合杭梦想小镇正式挂牌开园", "8月29日"),
    # a relation of the earlier subject, named without it
    (["包河区教育体育局和哪个区签了合作协议?"], "协议期限是多久?", "为期3年", "3年"),
    # a part of what was asked before ("among them")
    (["G60科创走廊有多少个事项?"], "其中法人事项有多少个?", "法人事项30个", "30个"),
    # no subject at all: the earlier one's
    (["合杭梦想小镇是什么时候开园的?"], "有哪些企业入驻了?", "入驻合杭梦想小镇", None),
    # a pronoun for the earlier subject, two questions back
    (["合杭梦想小镇是什么时候开园的?", "有哪些企业入驻了?"], "它的产业创新中心建成了吗?", "产业创新中心已建成开放", None),
]

REFUSED = [
    (["合杭梦想小镇是什么时候开园的?"], "那比特币呢?"),  # a topic the article never names
    (["合杭梦想小镇是什么时候开园的?"], "包河区有多少常住人口?"),  # a question of its own, not answered
]


@pytest.mark.parametrize(("history", "question", "sentence", "phrase"), ANSWERED)
def test_an_elliptical_follow_up_is_answered_from_its_history(real_engine, history, question, sentence, phrase):
    result = real_engine.answer(question, history=history)
    assert result.found, (question, result.resolved_question)
    assert sentence in result.text.split("\n")[0]
    if phrase:
        assert result.phrase == phrase


@pytest.mark.parametrize(("history", "question"), REFUSED)
def test_a_follow_up_the_article_does_not_answer_is_refused(real_engine, history, question):
    assert not real_engine.answer(question, history=history).found


def test_readings_without_history_are_the_question_alone():
    assert readings("那合杭梦想小镇呢?", []) == ["那合杭梦想小镇呢?"]
    assert readings("包河区有多少人口?", ["合杭梦想小镇是什么时候开园的?"]) == ["包河区有多少人口?"]  # names its own


def test_a_question_without_a_subject_is_never_read_without_the_earlier_one(real_engine):
    result = real_engine.answer("有哪些企业入驻了?", history=["滨湖金融小镇是哪天开园的?"])
    assert result.resolved_question.startswith("滨湖金融小镇") and "喜马拉雅" not in result.text  # not 合杭's tenants
    assert readings("有哪些企业入驻了?", ["滨湖金融小镇是哪天开园的?"]) == ["滨湖金融小镇有哪些企业入驻了?"]
