"""Questions about the article itself: what is asked, and the facts its header, footer and lead give."""

import pytest

from qa.answering.about import AUTHOR, DATE, PUBLISHER, SUMMARY, TITLE, answer_about, asked_about_article
from qa.config import DEFAULT_SOURCE, ChunkerSettings
from qa.index.build import chunk_sources
from qa.ingest.chunking import chunk_article
from qa.ingest.header import article_info
from qa.ingest.sources import read_source


@pytest.mark.parametrize(
    "question, intent",
    [
        ("这篇文章是谁写的?", AUTHOR),
        ("報道的記者叫什麼名字", AUTHOR),
        ("Who wrote this article?", AUTHOR),
        ("这篇报道是哪天发表的?", DATE),
        ("这是哪天的新闻?", DATE),
        ("When was this report published?", DATE),
        ("标题是什么", TITLE),
        ("What is the headline?", TITLE),
        ("这篇报道刊登在哪家报社?", PUBLISHER),
        ("Which newspaper published it?", PUBLISHER),
        ("这篇文章主要讲了什么?", SUMMARY),
        ("What is this article about?", SUMMARY),
        ("这条消息是谁编译的?", AUTHOR),
        ("這則新聞是哪幾位記者寫的?", AUTHOR),
        ("这篇稿子是几号发的?", DATE),
        ("文章原来的标题叫什么?", TITLE),
        ("《春晓》这首诗是谁写的?", None),
        ("原作者的女儿是做什么的?", None),
        ("这本书的作者是谁?", None),
        ("谁跟随考察小分队去了南通海门?", None),
        ("合杭梦想小镇是什么时候开园的?", None),
        ("陆勇说了什么?", None),
        ("包河区编制的产业规划叫什么?", None),
    ],
)
def test_what_is_asked_about_the_article(question, intent):
    assert asked_about_article(question) == intent


def test_the_shipped_articles_header_footer_and_lead():
    chunks, _ = chunk_sources([read_source(DEFAULT_SOURCE)], ChunkerSettings())
    info = article_info(chunks)
    assert info.title == "创示范 争一流 包河区勇当长三角一体化发展排头兵"
    assert (info.date, info.byline, info.publisher) == ("2020年10月30日", "记者 沈娟娟", "安徽市场星报社")
    assert info.lead.startswith("安徽中心,和美包河")
    assert answer_about(info, AUTHOR).phrase == "沈娟娟"
    assert "2020年10月30日" in answer_about(info, DATE).text
    assert info.title in answer_about(info, SUMMARY).text


def test_an_article_without_a_header_has_nothing_to_say(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("这是一段没有标题和署名的正文,讲的是一座小城的变化。\n", encoding="utf-8")
    chunks, _ = chunk_sources([read_source(plain)], ChunkerSettings())
    info = article_info(chunks)
    assert answer_about(info, AUTHOR) is None and answer_about(info, DATE) is None
    assert answer_about(info, TITLE) is None


DISPATCH = """江边古镇灯会开幕
（原标题：万盏花灯点亮古镇）

江城网-掌上江城客户端2月5日讯 今晚，江边古镇第十届灯会开幕，展出花灯一万余盏。

灯会将持续到元宵节，每晚六点亮灯。（编译/吴晓东）
"""


def _dispatch_info():
    return article_info(chunk_article(DISPATCH, "denghui.txt")[1])


def test_answers_from_a_dateline_and_a_closing_credit():
    info = _dispatch_info()
    author = answer_about(info, AUTHOR)
    assert author.phrase == "吴晓东" and "编译 吴晓东" in author.text and "吴晓东" in author.chunks[0].text
    date = answer_about(info, DATE)
    assert date.phrase == "2月5日" and "2月5日" in date.chunks[0].text
    publisher = answer_about(info, PUBLISHER)
    assert publisher.phrase == "江城网-掌上江城客户端" and publisher.chunks[0].kind == "body"


def test_the_original_headline_is_given_and_asked_for():
    info = _dispatch_info()
    plain = answer_about(info, TITLE, question="这篇文章的标题是什么?")
    assert plain.phrase == "江边古镇灯会开幕" and "原标题为《万盏花灯点亮古镇》" in plain.text
    original = answer_about(info, TITLE, question="这篇文章原来的标题是什么?")
    assert original.phrase == "万盏花灯点亮古镇" and original.chunks[0].kind == "head"
