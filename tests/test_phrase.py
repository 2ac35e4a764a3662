"""The answer phrase (`qa.answering.phrase`): question types, typed spans, original characters, None cases."""

from __future__ import annotations

import time

import pytest

from qa.answering.asking import asked_type, parse_question
from qa.answering.phrase import answer_phrase, find_phrase

from .conftest import ARTICLE

SENTENCES = {
    "rank": "经过多年发展,包河综合实力跻身全国百强区第41位,位居全省首位。",
    "footer": "广告垂询电话:0551-62815807 新闻热线:0551-62620110 网络部:0551-62636377 发行部电话:0551-62813115",
    "luyong": "陆勇是包河经开区规划建设部部长,连日来,他跟随包河产业招商考察小分队深入杭州萧山和南通海门取经学习,收获颇丰。",
    "finance": "8月29日,全省唯一的金融特色小镇—滨湖金融小镇正式开园,并与中科大长三角科技战略前沿研究中心、上海交大中国金融研究院、"
               "清华大学金融科技研究院、华安证券、全联并购工会安徽分会签订了合作协议。",
    "gdp": "到2025年,包河区主要经济指标与沪宁杭发达城区的差距明显缩小,人均GDP达到2.5万美元左右。",
    "plan": "今年4月《包河区融入长三角一体化行动方案》出台,明确了13项年度重点工作。",
    "address": "地址:中国·安徽省合肥市黄山路599号 皖ICP备10200519号-2",
    "edu": "9月24日,合肥市包河区教育体育局与上海徐汇区教育局签订为期3年的战略合作协议。",
}


@pytest.mark.parametrize(("question", "kind"), [
    ("包河区综合实力在全国百强区排第几位?", "number"),
    ("报社的广告电话是多少", "number"),
    ("合肥港今年的吞吐量增长了百分之几?", "number"),
    ("两座城市相隔多远?", "number"),
    ("合杭梦想小镇是什么时候开园的?", "date"),
    ("方案是哪一年出台的?", "date"),
    ("楚昭辅是哪个朝代的人?", "date"),
    ("谁跟随考察小分队去了南通海门?", "person"),
    ("喜马拉雅合肥服务中心的负责人是哪位?", "person"),
    ("滨湖金融小镇与清华大学哪个研究院签约?", "organization"),
    ("哪家公司入驻了合杭梦想小镇?", "organization"),
    ("他毕业于哪所大学?", "organization"),
    ("报社地址在哪里?", "place"),
    ("阵内智则是哪个国家的演员?", "place"),
    ("招商分局设在哪个城市?", "place"),
    ("今年4月出台的方案叫什么?", "name"),
    ("魏玩的字是什么?", "name"),
    ("她主演了哪部电影?", "name"),
    ("包河區綜合實力在全國百強區排第幾位？", "number"),  # traditional, full-width
    ("誰跟隨考察小分隊去了南通海門?", "person"),
    ("How many companies moved in?", "number"),
    ("When did the town open?", "date"),
    ("Who is in charge of the center?", "person"),
    ("Where is the newspaper?", "place"),
    ("Which company signed the deal?", "organization"),
    ("What is the plan called?", "name"),
])
def test_asked_type(question, kind):
    assert asked_type(question) == kind


@pytest.mark.parametrize("question", [
    "包河区为什么要融入长三角?",
    "合肥港的生产情况怎么样?",
    "长三角一体化项目集中开工入园了吗?",
    "包河区提出了什么样的奋斗目标?",
    "安徽创新馆在长三角区域扮演什么角色?",
    "211系全新设计体现在哪里?",
    "Why did the district join the delta?",
    "",
])
def test_not_a_factoid_question(question):
    assert asked_type(question) is None
    assert answer_phrase(question, SENTENCES["rank"]) is None


@pytest.mark.parametrize(("question", "sentence", "phrase"), [
    ("包河区综合实力在全国百强区排第几位?", "rank", "第41位"),
    ("报社的广告电话是多少", "footer", "0551-62815807"),
    ("报社的新闻热线是多少?", "footer", "0551-62620110"),
    ("到2025年包河区人均GDP要达到多少?", "gdp", "2.5万美元"),
    ("合肥港吞吐量增长了多少?", "合肥港吞吐量同比增长百分之三十,创历史新高。", "百分之三十"),
    ("有多少运动员?", "中国皮划艇队共计40人,其中运动员23人,领队刘刚。", "23人"),
    ("滨湖金融小镇是什么时候开园的?", "finance", "8月29日"),
    ("方案是哪年出台的?", "方案于2020年10月30日正式出台。", "2020年"),
    ("楚昭辅是哪一朝代的人?", "楚昭辅,北宋开国功臣,著名将领。", "北宋"),
    ("谁跟随考察小分队去了南通海门?", "luyong", "陆勇"),
    ("喜马拉雅合肥服务中心的负责人是谁?", "喜马拉雅合肥服务中心负责人杨宇说,这是一个非常好的平台。", "杨宇"),
    ("鸟兽脚类的概念是由谁提出来的?", "在1988年,保罗·塞里诺(Paul Sereno)提出鸟兽脚类的概念。", "保罗·塞里诺"),
    ("滨湖金融小镇与清华大学哪个研究院签约?", "finance", "清华大学金融科技研究院"),
    ("包河区教育体育局与哪个机构签订了战略合作协议?", "edu", "上海徐汇区教育局"),
    ("报社地址在哪里?", "address", "中国·安徽省合肥市黄山路599号"),
    ("费尔德海斯是哪个国家的游泳运动员?", "玛格达莱娜·费尔德海斯,荷兰女子游泳运动员。", "荷兰"),
    ("今年4月出台了什么方案?", "plan", "《包河区融入长三角一体化行动方案》"),
    ("林郁智的艺名是什么?", "林郁智,艺名纳豆,台湾男演员、主持人。", "纳豆"),
    ("魏玩的字是什么?", "魏玩,字玉汝,北宋襄阳邓城人,著名女词人。", "玉汝"),
])
def test_answer_phrase(question, sentence, phrase):
    assert answer_phrase(question, SENTENCES.get(sentence, sentence)) == phrase


def test_phrase_is_taken_from_the_original_text():
    """Traditional characters and full-width forms come back as written, with their offsets."""
    sentence = "經過多年發展，包河綜合實力躋身全國百強區第４１位，位居全省首位。"
    found = find_phrase("包河区综合实力在全国百强区排第几位?", sentence)
    assert found is not None and found.text == "第４１位" and found.kind == "number"
    assert sentence[found.start:found.end] == found.text
    assert answer_phrase("誰跟隨考察小分隊去了南通海門？", "陸勇是包河經開區規劃建設部部長，他跟隨考察小分隊深入南通海門。") == "陸勇"
    assert answer_phrase("合杭夢想小鎮是什麼時候開園的？", "8月29日，合杭夢想小鎮正式掛牌開園。") == "8月29日"


def test_english_questions_and_sentences():
    opened = "The park opened on October 30, 2020 in Hefei."
    assert answer_phrase("When did the park open?", opened) == "October 30, 2020"
    assert answer_phrase("How many people live there?", "About 1.2 million people live there.") == "1.2 million"
    assert answer_phrase("What year was it founded?", "It was founded in 1976 by two friends.") == "1976"


@pytest.mark.parametrize(("question", "sentence"), [
    ("谁跟随考察小分队去了南通海门?", "连日来,考察小分队深入杭州和南通取经学习。"),  # no person at all
    ("包河区综合实力在全国百强区排第几位?", "包河综合实力位居全省首位。"),  # no number
    ("合杭梦想小镇是什么时候开园的?", "合杭梦想小镇正式挂牌开园。"),  # no date
    ("今年4月出台了什么方案?", "   "),
])
def test_nothing_of_the_asked_type(question, sentence):
    assert answer_phrase(question, sentence) is None


@pytest.mark.parametrize(("question", "sentence", "phrase"), [
    ("他是什么时候去世的?", "他晚年历时4年积累出一部新儿歌集,于2009年5月14日去世。", "2009年5月14日"),
    ("他是哪一年出生的?", "他生于民国4年。", "4年"),
    ("轻轨是什么时候停工的?", "轻轨二阶争议不断,2年前停工至今。", "2年前"),
])
def test_a_count_of_years_is_no_date_but_an_eras_year_is(question, sentence, phrase):
    assert answer_phrase(question, sentence) == phrase
    assert answer_phrase("他是什么时候去世的?", "他历时4年积累出一部新儿歌集。") != "4年"


@pytest.mark.parametrize(("question", "kind", "unit"), [
    ("这几年包河区的GDP增长了多少?", "number", None),  # 这几年 is when, not what is asked
    ("前几个月一共卖出多少辆车?", "number", "辆"),
    ("复工总共要花多少钱?", "number", "元"),
    ("多少奖金?", "number", "元"),
    ("他今年几岁?", "number", "岁"),
])
def test_what_a_how_many_question_counts_in(question, kind, unit):
    asked = parse_question(question)
    assert asked.kind == kind and (asked.hints[0] if asked.hints else None) == unit


def test_question_words_and_question_text_are_not_answers():
    # 2013年3月 is in the question; the phrase must be something else
    assert answer_phrase("2013年3月以后他在职多少年?", "2013年3月起他又在职5年。") == "5年"


def test_a_figure_the_question_states_is_not_its_answer_in_another_measure_word():
    question = "那18401个做过检测的用户里,有多少人是阳性?"
    assert answer_phrase(question, "其中的18401名用户还接受了检测。检测结果:7104人为阳性。") == "7104人"
    assert answer_phrase(question, "其中的18401名用户还接受了检测。") is None
    assert answer_phrase(question, "其中的18,401名用户还接受了检测。") is None
    assert answer_phrase("2008年奥运会是哪天开幕的?", "2008年8月8日,奥运会开幕。") == "2008年8月8日"
    # the same number, but not the question's count
    assert answer_phrase("12月12日当天共卖出了多少件商品?", "12月12日当天共卖出12万件商品。") == "12万件"
    assert answer_phrase("10个人平均每人捐了多少钱?", "这10个人平均每人捐款10元。") == "10元"
    assert answer_phrase("18岁以下的有多少人?", "18岁以下的有18人。") == "18人"


def test_a_number_ending_a_latin_name_is_no_count():
    assert answer_phrase("有多少人接受了检测?", "他们接受了SARS-CoV-2检测。") is None
    assert answer_phrase("有多少人接受了检测?", "他们接受了sars–cov–2检测。") is None  # an en dash
    assert answer_phrase("这种飞机有多少架?", "DC-9-32共有3架。") == "3架"  # not 32
    assert answer_phrase("有多少人感染?", "COVID-19已感染300人。") == "300人"


def test_every_article_sentence_is_handled_quickly():
    sentences = [line for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = ["包河区综合实力在全国百强区排第几位?", "谁跟随考察小分队去了南通海门?", "报社地址在哪里?",
                 "合杭梦想小镇是什么时候开园的?", "与哪个研究院签约?", "今年4月出台了什么方案?"]
    answer_phrase(questions[0], sentences[0])  # loads the dictionaries
    started = time.perf_counter()
    calls = 0
    for question in questions:
        for sentence in sentences:
            phrase = answer_phrase(question, sentence)
            assert phrase is None or phrase in sentence
            calls += 1
    assert (time.perf_counter() - started) / calls < 0.005  # ~0.2 ms typical; generous for slow CI
