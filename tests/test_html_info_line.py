"""A news page's info line under its headline (`2024-05-06 09:30 来源：某报 作者：张三`): trafilatura
drops it from the text, so the HTML reader looks at the few short elements after the <h1> for the
author (and the date and source) when the page's metadata gives none. All pages here are made up."""

from __future__ import annotations

import time

import pytest
from trafilatura.utils import load_html

from qa.config import ChunkerSettings
from qa.index.build import chunk_document
from qa.ingest import read_document
from qa.ingest.html import info_lines

TITLE = "城东湿地公园二期开园 新增步道十二公里"
BODY = "".join(
    f"<p>{text}</p>"
    for text in (
        "5月5日上午，城东湿地公园二期正式向市民开放，新增环湖步道十二公里，并建成观鸟屋三座。",
        "据介绍，二期工程历时两年建成，种植乔木一万余株，恢复水面面积八十余公顷，成为城区最大的湿地公园。",
        "公园管理处负责人介绍，园区每天早上六点至晚上十点开放，市民可免费入园，节假日将增开接驳公交线路。",
        "不少市民一早就来到园区散步拍照。家住附近的陈女士说，以后晚饭后又多了一个散步的好去处。",
    )
)


def page(header: str, body: str = BODY, head: str = "", title: str = TITLE) -> bytes:
    """A news page: site chrome, then <article> with the headline, `header` after it and the body."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}_本地新闻_江城在线</title>{head}</head>
<body>
<div class="top"><div class="logo"><a href="/">江城在线</a></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/local/">本地</a></li><li><a href="/life/">生活</a></li></ul></div>
<div class="main"><article class="content">
<h1>{title}</h1>
{header}
<div class="text">{body}</div>
</article></div>
<div class="footer"><p>Copyright 2024 江城在线 版权所有</p></div>
</body></html>""".encode()


def read(data: bytes, name: str = "news.html"):
    return read_document(data, name)


def test_an_info_div_with_source_and_author():
    doc = read(page('<div class="info">2024-05-06 09:30 来源：江城日报 作者：林雨桐</div>'))
    assert (doc.title, doc.author, doc.date, doc.site) == (TITLE, "林雨桐", "2024-05-06", "江城日报")
    head = doc.text.split("\n\n")[0].split("\n")
    assert head == [TITLE, "2024年5月6日", "文/林雨桐"]
    assert doc.text.rstrip().endswith("来源:江城日报")


def test_a_time_line_and_a_reporter_in_separate_elements():
    doc = read(page('<p class="time">2021年3月4日 来源：江城日报</p>\n<span class="author">记者 王晓峰</span>'))
    assert (doc.author, doc.date, doc.site) == ("王晓峰", "2021-03-04", "江城日报")
    assert "记者 王晓峰" in doc.text.split("\n\n")[0]


def test_fields_in_spans_without_spaces_between_them():
    info = '<div class="info"><span>2024-05-06 09:30</span><span>来源：<a href="/">江城日报</a></span><span>作者：林雨桐</span></div>'
    doc = read(page(info))
    assert (doc.author, doc.date, doc.site) == ("林雨桐", "2024-05-06", "江城日报")


def test_two_reporters_and_an_editor():
    doc = read(page('<div class="info">来源：江城日报 记者：林雨桐 陈立 责任编辑：赵敏</div>'))
    assert doc.author == "林雨桐、陈立"
    assert "赵敏" not in doc.text.split("\n\n")[0]


@pytest.mark.parametrize(
    "header",
    [
        '<div class="info">2024-05-06 09:30 来源：江城日报 编辑：赵敏</div>',
        '<div class="info">2024-05-06 09:30 来源：江城日报</div><div class="editor">责任编辑：赵敏</div>',
    ],
)
def test_an_editor_is_never_the_author(header):
    doc = read(page(header))
    assert doc.author is None and (doc.date, doc.site) == ("2024-05-06", "江城日报")
    assert "赵敏" not in doc.text


@pytest.mark.parametrize(
    "first",
    [
        "刘建国表示，二期开园后，湿地公园将成为全市的生态名片。",  # short: in the headline's neighbourhood
        "刘建国表示，二期工程历时两年建成，种植乔木一万余株，恢复水面面积八十余公顷，园区每天早上六点至晚上十点开放。",
        "刘建国",
    ],
)
def test_a_body_paragraph_right_after_the_headline_is_no_author(first):
    doc = read(page("", body=f"<p>{first}</p>{BODY}"))
    assert doc.author is None


def test_metadata_keeps_the_author_it_gives():
    doc = read(page('<div class="info">来源：江城日报 作者：林雨桐</div>', head='<meta name="author" content="孙海">'))
    assert doc.author == "孙海"


def test_the_headline_that_reads_as_the_title():
    logo = '<h1 class="logo">江城在线</h1><div class="slogan">作者：钱多多</div>'
    data = page('<div class="info">2024-05-06 来源：江城日报 作者：林雨桐</div>').replace(
        b'<div class="top">', f'{logo}<div class="top">'.encode()
    )
    assert read(data).author == "林雨桐"


def test_a_headline_wrapped_with_its_info_line():
    data = page("").replace(
        f"<h1>{TITLE}</h1>".encode(),
        f'<div class="hd"><div class="title"><h1>{TITLE}</h1></div><!-- info --><div class="info"><span>2024-05-06</span> <span>作者：林雨桐</span></div></div>'.encode(),
    )
    doc = read(data)
    assert (doc.author, doc.date) == ("林雨桐", "2024-05-06")


def test_a_headline_or_an_info_line_the_page_never_shows_is_not_read():
    unseen = f'<template><h1>{TITLE}</h1><div>2001-01-01 作者：钱多多</div></template>'
    data = page('<div style="display: none">2001-01-01 作者：孙海</div><div class="info">2024-05-06 作者：林雨桐</div>')
    doc = read(data.replace(b'<div class="main">', f'{unseen}<div class="main">'.encode()))
    assert (doc.author, doc.date) == ("林雨桐", "2024-05-06")
    hidden = page('<div class="info">作者：林雨桐</div>').replace(b"<h1>", b'<h1 hidden>')
    assert read(hidden.replace(b'<div class="main">', f'<h1>{TITLE}</h1><p>作者：孙海</p><div class="main">'.encode())).author == "孙海"


@pytest.mark.parametrize("written", ["9999-01-01", "0001-01-01", "2019-13-01"])
def test_a_date_that_never_was_is_no_date(written):
    doc = read(page(f'<div class="info">{written} 来源：江城日报 作者：林雨桐</div>'))
    assert (doc.author, doc.date) == ("林雨桐", None)


META_DATE = '<meta property="article:published_time" content="2019-01-01T08:00:00+08:00">'


def test_the_publication_date_the_info_line_shows_wins_over_one_read_elsewhere():
    doc = read(page('<div class="info">发布时间：2023-02-30 10:00 来源：江城日报 作者：林雨桐</div>'))
    assert (doc.author, doc.date) == ("林雨桐", None)  # trafilatura alone reads it as 2023-02-01
    assert read(page('<div class="info">2024-05-06 09:30 来源：江城日报</div>', head=META_DATE)).date == "2024-05-06"
    assert read(page('<div class="info">来源：江城日报</div>', head=META_DATE)).date == "2019-01-01"
    both = '<div class="info">更新时间：2024-05-09 发布时间：2024-05-06 来源：江城日报</div>'
    assert read(page(both, head=META_DATE)).date == "2024-05-06"


@pytest.mark.parametrize(
    "info",
    ['<p>北京时间2024年5月6日凌晨，江城队客场取胜。</p>', '<p>开放时间：2024年6月1日起</p>',
     '<div class="info">报名时间：2024-07-01 来源：江城日报</div>', '<div class="info">更新时间：2024-07-01 来源：江城日报</div>'],
)
def test_an_event_an_update_or_the_time_of_day_is_no_publication_date(info):
    assert read(page(info, head=META_DATE)).date == "2019-01-01"


def test_hidden_characters_inside_the_text_leave_no_gap():
    junk = "".join(f'{c}<span style="display:none">x</span>' for c in "城东湿地公园")
    doc = read(page("", body=f"<p>{junk}二期正式向市民开放<br style='display:none'>，新增环湖步道十二公里。</p>{BODY}"))
    assert "城东湿地公园二期正式向市民开放，新增环湖步道十二公里。" in doc.text and "x" not in doc.text
    info = '<div class="info">来源：江城日报 作者：林<span style="display:none">广告</span>雨桐</div>'
    assert read(page(info)).author == "林雨桐"


def test_an_article_the_page_hides_until_a_script_shows_it_is_read():
    sidebar = "<ul>" + "".join(f"<li><a href='/n/{i}'>江城新闻热点标题第{i}条</a></li>" for i in range(8)) + "</ul>"
    data = page('<div class="info">来源：江城日报</div>').replace(b'<div class="main">', f'{sidebar}<div class="main" style="display: none">'.encode())
    doc = read(data)
    assert "城东湿地公园二期正式向市民开放" in doc.text and "热点标题" not in doc.text


@pytest.mark.parametrize("style", ['hidden="until-found"', 'style="display:none;display:block"', "style=\"font-family:'display:none'\""])
def test_an_element_a_browser_shows_is_read(style):
    doc = read(page("", body=f"<div {style}>{BODY}</div>"))
    assert "观鸟屋三座" in doc.text


@pytest.mark.parametrize("author", ["佚名", "admin", "新华社", "小编", "网友投稿", "Admin User", "WordPress", "Xinhua News Agency"])
def test_a_meta_author_that_names_nobody_gives_way_to_the_info_line(author):
    doc = read(page('<div class="info">来源：江城日报 作者：林雨桐</div>', head=f'<meta name="author" content="{author}">'))
    assert doc.author == "林雨桐"
    assert read(page("", head=f'<meta name="author" content="{author}">')).author is None


@pytest.mark.parametrize(
    ("author", "names"),
    [("新华社记者 孙海", "孙海"), ("记者：孙海 通讯员：林雨桐", "孙海、林雨桐"), ("孙海（实习生）", "孙海"), ("王国", "王国"),
     ("李会", "李会"), ("Mary Ann de la Cruz", "Mary Ann de la Cruz")],
)
def test_a_meta_author_is_the_people_it_names(author, names):
    assert read(page("", head=f'<meta name="author" content="{author}">')).author == names


def test_a_hidden_element_still_parts_the_fields_beside_it():
    info = '<div class="info">来源：江城日报<span hidden>广告</span>作者：<span aria-hidden="true">林雨桐</span></div>'
    doc = read(page(info))
    assert (doc.site, doc.author) == ("江城日报", "林雨桐")


def test_control_characters_are_dropped_from_the_info_line():
    doc = read(page('<div class="info">2024-05-06 来源：江城\u202e日报\u200b 作者：林\u200d雨桐</div>'))
    assert (doc.author, doc.site) == ("林雨桐", "江城日报")


def test_a_huge_element_after_the_headline_is_the_body_not_an_info_line():
    huge = "作者：赵六 " + "湿地公园的建设历时两年" * 10_000  # ~100 KB of text
    data = page(f'<div class="lead">{huge}</div>')
    doc = read(data)
    assert doc.author is None
    tree = load_html(data.decode())
    started = time.perf_counter()
    assert info_lines(tree, TITLE) == []
    assert time.perf_counter() - started < 0.5


def test_many_elements_after_the_headline_are_read_only_so_far():
    spans = "<span>作者：赵六</span>" + "<span>湿</span>" * 50_000
    tree = load_html(page(f"<div>{spans}</div>" + "<p>作者：赵六</p>" * 10_000).decode())
    started = time.perf_counter()
    assert info_lines(tree, TITLE) == []  # the first element holds too many, and ends the search
    assert time.perf_counter() - started < 0.5


def test_only_a_few_short_elements_after_the_headline():
    filler = "".join(f'<div class="ad">广告位{i}</div>' for i in range(10))
    doc = read(page(f'{filler}<div class="info">作者：林雨桐</div>'))
    assert doc.author is None


def test_the_author_is_listed_and_answered(api_engine):
    doc = read(page('<div class="info">2024-05-06 09:30 来源：江城日报 作者：林雨桐</div>'), "wetland.html")
    added = api_engine.add([doc]).added[0]
    listed = {a.id: a for a in api_engine.articles()}[added.id]
    assert (listed.author, listed.date, listed.site) == ("林雨桐", "2024-05-06", "江城日报")
    answer = api_engine.answer("这篇报道的作者是谁？", article=added.id)
    assert answer.found and answer.phrase == "林雨桐" and "林雨桐" in answer.text


def test_the_stored_author_is_the_bylines_names():
    doc = read(page('<div class="info">2024-05-06 来源：江城日报</div>', body=BODY + "<p>（编译/吴晓东）</p>"))
    assert doc.author is None and "编译/吴晓东" in doc.text
    record, _ = chunk_document(doc, ChunkerSettings())
    assert record.author == "吴晓东"
