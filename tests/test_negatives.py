"""Made-up unanswerable questions for the answerability model (`qa.learn.negatives`)."""

from qa.learn.negatives import attribute_pool, focus_nouns, swapped_focus

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
