"""The bot's own words (frames, refusals, headings) in the asker's language; the article's never translated."""

import pytest

from qa.answering.language import CHINESE, ENGLISH, in_english, words_for
from qa.results import Answer, Passage
from qa.server.openai_api import reply_parts
from qa.web.render import render_answer


def test_a_question_in_english_is_told_from_one_in_chinese():
    assert in_english("Who wrote this article?") and in_english("What about G60?")
    assert not in_english("这篇报道的作者是谁?") and not in_english("G60科创走廊有多少个事项?") and not in_english("?!")
    assert words_for("Who wrote this article?") is ENGLISH and words_for("谁写的?") is CHINESE


def test_replies_label_answer_and_sources_in_the_askers_language():
    passage = Passage("包河综合实力跻身全国百强区第41位。", 0.9, 7, "思想破冰", "创示范", paragraph=7)
    english = Answer("Where does Baohe rank?", True, "包河综合实力跻身全国百强区第41位。", [passage], phrase="第41位")
    chinese = Answer("包河排第几?", True, "包河综合实力跻身全国百强区第41位。", [passage], phrase="第41位")
    assert ">Answer<" in render_answer(english) and ">Sources<" in render_answer(english)
    assert ">答案<" in render_answer(chinese) and ">依据段落<" in render_answer(chinese)
    assert "\n\nSources:" in "".join(reply_parts(english)) and "\n\n依据:" in "".join(reply_parts(chinese))
    refused = render_answer(Answer("What is the price of oil?", False, ENGLISH.not_found))
    assert ENGLISH.not_found_short in refused and "没有" not in refused


@pytest.mark.model
def test_frames_and_refusals_follow_the_question(real_engine):
    assert real_engine.answer("Who wrote this article?").text == "This report was written by 记者 沈娟娟."
    assert real_engine.answer("这篇报道的作者是谁?").text == "这篇报道的作者是记者 沈娟娟。"
    assert real_engine.answer("When was this article published?").text == "This report was published on 2020年10月30日."
    refused = real_engine.answer("How many goals did Messi score in 2022?")
    assert not refused.found and refused.text == ENGLISH.not_found
    assert real_engine.answer("比特币现在多少钱?").text == CHINESE.not_found
