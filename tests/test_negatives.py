"""Made-up unanswerable questions for the answerability model (`qa.learn.negatives`)."""

from qa.answering.sentences import lacks_asked_unit
from qa.learn.negatives import attribute_pool, counted_unit, focus_nouns, swapped_focus, swapped_unit, unit_pool

QUESTIONS = ["滨湖金融小镇的面积有多大?", "清华大学金融科技研究院的院长是谁?", "快手安徽总部有多少员工?", "他在哪一年出生?"]
ARTICLE = "8月29日,滨湖金融小镇正式开园,与清华大学金融科技研究院签约,快手安徽总部落地,园区面积3平方公里。"


def test_the_focus_nouns_are_what_a_question_asks_about():
    assert focus_nouns("清华大学金融科技研究院的院长是谁?") == ["院长"]
    assert focus_nouns("他在哪一年出生?") == []


def test_the_pool_holds_each_asked_about_noun_once_in_a_fixed_order():
    pool = attribute_pool(QUESTIONS)
    assert pool == tuple(sorted(set(pool))) and {"面积", "院长", "员工"} <= set(pool)
    assert attribute_pool(reversed(QUESTIONS)) == pool


def test_a_swapped_question_keeps_its_subject_and_asks_for_a_fact_the_article_never_gives():
    pool = attribute_pool(QUESTIONS)
    for question in QUESTIONS[:3]:
        swapped = swapped_focus(question, pool, ARTICLE, seed=f"1:{question}")
        assert swapped is not None and swapped != question
        new = set(focus_nouns(swapped)) - set(focus_nouns(question))
        assert new and all(noun not in ARTICLE for noun in new)
        assert swapped == swapped_focus(question, pool, ARTICLE, seed=f"1:{question}")  # same seed, same question


def test_a_question_with_nothing_to_swap_gives_none():
    pool = attribute_pool(QUESTIONS)
    assert swapped_focus("他在哪一年出生?", pool, ARTICLE, seed="1") is None
    assert swapped_focus("滨湖金融小镇的面积有多大?", (), ARTICLE, seed="1") is None
    assert swapped_focus("滨湖金融小镇的面积有多大?", ("面积",), ARTICLE, seed="1") is None  # nothing it lacks


def test_the_unit_a_how_many_question_counts_in():
    assert counted_unit("快手安徽总部有多少员工?") is None  # a noun, not a unit
    assert counted_unit("园区面积有多少平方公里?")[0] == "平方公里"
    assert counted_unit("开园那天来了多少人?")[0] == "人"
    assert counted_unit("共有多少名观众?") is None  # 名 counts the noun after it
    assert counted_unit("他在哪一年出生?") is None
    assert unit_pool(["有多少吨?", "来了多少人?", "长多少公里?", "来了多少人?"]) == ("人", "公里", "吨")


def test_a_unit_swapped_question_counts_in_a_unit_its_article_never_uses():
    pool = ("人", "公里", "吨", "平方公里")
    swapped = swapped_unit("开园那天来了多少人?", pool, ARTICLE, seed="1")
    assert swapped is not None and swapped.startswith("开园那天来了多少") and swapped.endswith("?")
    unit = swapped[len("开园那天来了多少"):-1]
    assert unit in pool and unit not in ARTICLE and unit != "人"
    assert swapped == swapped_unit("开园那天来了多少人?", pool, ARTICLE, seed="1")
    assert swapped_unit("他在哪一年出生?", pool, ARTICLE, seed="1") is None


def test_a_number_in_another_unit_than_the_one_asked_for_does_not_fit():
    assert lacks_asked_unit("收购花了多少钱?", "2014年")
    assert lacks_asked_unit("他今年几岁?", "一个")
    assert not lacks_asked_unit("收购花了多少钱?", "4亿英镑")
    assert not lacks_asked_unit("有多少人是阳性?", "7104名")  # 名 and 位 count people too
    assert not lacks_asked_unit("路口有几个禁止左转?", "17座")  # 个 is any measure word
    assert not lacks_asked_unit("收购花了多少钱?", None)  # no phrase: `untyped`
    assert not lacks_asked_unit("他毕业于哪所大学?", "清华")  # not a how-many question
