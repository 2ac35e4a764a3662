"""Bylines, datelines, source and original-title notes and dates as Chinese news pages write them
(`qa.ingest.bylines`), and the header facts an article's passages give (`qa.ingest.header`). Every
line here is made up; none is copied from an evaluation set."""

import pytest

from qa.config import ChunkerSettings
from qa.ingest.bylines import (
    author_names,
    bracket_byline,
    closing_byline,
    credit_line,
    dateline,
    find_byline,
    find_date,
    find_source,
    is_header_line,
    meta_byline,
    original_title,
)
from qa.ingest.chunking import chunk_article
from qa.ingest.header import article_info


@pytest.mark.parametrize(
    "line, names, shown",
    [
        ("■ 记者 韩立新", ("韩立新",), "记者 韩立新"),
        ("本报记者 王海涛 通讯员 刘一鸣", ("王海涛", "刘一鸣"), "记者 王海涛 通讯员 刘一鸣"),
        ("记者王海涛通讯员刘一鸣", ("王海涛", "刘一鸣"), "记者 王海涛 通讯员 刘一鸣"),
        ("晨江晚报记者 陈思远", ("陈思远",), "晨江晚报记者 陈思远"),
        ("文/某某县农业农村局", ("某某县农业农村局",), "文/某某县农业农村局"),
        ("作者：白露", ("白露",), "文/白露"),
        ("编译/吴晓东", ("吴晓东",), "编译 吴晓东"),
        ("記者 黃志明、林美君", ("黃志明", "林美君"), "记者 黃志明 林美君"),
        ("记者 欧阳娜娜 摄", ("欧阳娜娜",), "记者 欧阳娜娜"),
        ("记者 文静", ("文静",), "记者 文静"),
        ("文/张小北 图/李南", ("张小北",), "文/张小北"),
        ("作者：王建国 李卫国", ("王建国", "李卫国"), "文/王建国 李卫国"),
        ("作者：省人民医院", ("省人民医院",), "文/省人民医院"),
    ],
)
def test_a_byline_line_gives_its_writers(line, names, shown):
    byline = credit_line(line)
    assert byline is not None and byline.names == names and byline.shown == shown


@pytest.mark.parametrize(
    "line",
    ["记者了解到，今年的活动吸引了三千多人参加。", "记者手记", "作者简介", "编辑部", "记者从市交通局获悉", "图/新华社", "来源：某某日报"],
)
def test_a_sentence_a_column_or_an_organisation_is_no_byline(line):
    byline = credit_line(line)
    assert byline is None or not byline.writers


@pytest.mark.parametrize(
    "line",
    ["作者：佚名", "作者：匿名", "作者：未知", "作者：小编", "作者：网友", "作者：admin", "作者：本报综合", "作者：综合整理",
     "作者：本站", "作者：点击数", "作者：新华社", "作者：人民网", "作者：美国", "记者 英国",
     "作者：今天天气很好我们一起去公园散步", "文/我们一起去公园散步然后回家", "作者：点击量", "作者：网友投稿",
     "作者：热心网友", "作者：小编整理", "作者：来源网络", "作者：网络", "作者：转自网络", "作者：据了解", "文/本刊编辑部",
     "文/编辑部", "作者：全国"],
)
def test_a_templates_filler_an_outlet_or_a_clause_is_no_author(line):
    assert credit_line(line) is None and meta_byline(f"来源：某某日报 {line}") is None


@pytest.mark.parametrize(
    ("line", "names"),
    [("记者 张国", ("张国",)), ("作者：刘国", ("刘国",)), ("文/王建国", ("王建国",)), ("作者：张三等", ("张三",)),
     ("文/星河市交通运输局", ("星河市交通运输局",))],
)
def test_names_ending_in_guo_an_et_al_and_an_organisation_are_writers(line, names):
    assert credit_line(line).names == names


@pytest.mark.parametrize(
    ("field", "names"),
    [("张三", ("张三",)), ("张三 李四", ("张三", "李四")), ("张三;李四", ("张三", "李四")), ("John Smith", ("John Smith",)),
     ("John Smith, Jane Doe", ("John Smith", "Jane Doe")), ("佚名", None), ("admin", None), ("Editor", None),
     ("新华社", None), ("小编", None), ("热心网友", None), ("星河市地铁三号线今日开通", None), ("", None), (None, None),
     ("王国", ("王国",)), ("马国", ("马国",)), ("李会", ("李会",)), ("王照", ("王照",)), ("新华社记者 张三", ("张三",)),
     ("张三（实习生）", ("张三",)), ("Mary Ann de la Cruz", ("Mary Ann de la Cruz",)), ("Admin User", None),
     ("WordPress", None), ("Reuters", None), ("新闻", None), ("全市", None)],
)
def test_a_pages_author_field_names_people_or_nobody(field, names):
    assert author_names(field) == names


def test_editors_are_never_the_writers():
    byline = credit_line("责任编辑：周立")
    assert byline.writers == () and byline.editors[0].names == ("周立",)
    assert credit_line("记者 赵刚 编辑 钱敏").names == ("赵刚",)


@pytest.mark.parametrize(
    "paragraph, names",
    [
        ("【陈建宏、王家豪／台中報導】台中捷運綠線昨日通車。", ("陈建宏", "王家豪")),
        ("【记者 刘芳／上海报道】", ("刘芳",)),
        ("[李明/北京报道]", ("李明",)),
    ],
)
def test_a_bracketed_byline_opening_a_paragraph(paragraph, names):
    assert bracket_byline(paragraph).names == names


@pytest.mark.parametrize(
    "paragraph, names",
    [
        ("活动将于下月在省城举行。（周海波）", ("周海波",)),
        ("研究已发表在期刊上。（编译/吴晓东）", ("吴晓东",)),
        ("他说。（记者 赵刚 通讯员 钱敏）", ("赵刚", "钱敏")),
        ("比赛将于周日结束。(王可、李越)", ("王可", "李越")),
    ],
)
def test_a_credit_closing_the_last_paragraph(paragraph, names):
    assert closing_byline(paragraph).names == names


@pytest.mark.parametrize(
    "paragraph",
    ["全文完。（完）", "数据来自官方。（新华社）", "数据如上。（资料图）", "(本文来自东岸新闻，更多资讯请下载APP)",
     "会议在北京召开。（记者手记）", "这是一座古城（西安市）", "本届共有12支队伍参赛。"],
)
def test_other_closing_notes_name_no_writer(paragraph):
    assert closing_byline(paragraph) is None


@pytest.mark.parametrize(
    "paragraph, outlet, date, names",
    [
        ("新华社北京9月1日电（记者 张晓明 李娜）今天，……", "新华社", "9月1日", ("张晓明", "李娜")),
        ("本报讯（记者 王强）近日，……", None, None, ("王强",)),
        ("江城网-掌上江城客户端讯 今（3）日，……", "江城网-掌上江城客户端", None, ()),
        ("凤凰体育5月2日讯 在刚刚结束的比赛中，……", "凤凰体育", "5月2日", ()),
        ("人民网上海3月4日电 据悉，……", "人民网", "3月4日", ()),
        ("某某中文站 10月14日报道", "某某中文站", "10月14日", ()),
        ("央视网消息：近日，……", "央视网", None, ()),
    ],
)
def test_a_dateline_gives_outlet_date_and_reporters(paragraph, outlet, date, names):
    found = dateline(paragraph)
    assert (found.outlet, found.date) == (outlet, date)
    assert (found.byline.names if found.byline else ()) == names


@pytest.mark.parametrize(
    "paragraph",
    ["市场快讯 今天，……", "最新消息：今天，……", "记者从市通讯管理局获悉，……", "据路透社10月3日报道，……",
     "共享单车涨价了。", "新华社报道，……", "喜讯传来，全村沸腾。"],
)
def test_no_dateline(paragraph):
    assert dateline(paragraph) is None


def test_meta_lines_sources_and_original_titles():
    line = "2021-03-05 14:20 来源：南岭日报 作者：李文华"
    assert meta_byline(line).names == ("李文华",) and meta_byline("2021-03-05 来源：南岭日报 作者：") is None
    assert find_source([line]) == "南岭日报"
    assert find_source(["(本文来自东岸新闻，更多资讯请下载APP)"]) == "东岸新闻"
    assert find_source(["來源：北方時報"]) == "北方時報"
    assert find_source(["数据显示，今年销量上升。"]) is None
    assert original_title(["（原标题：“快跑”两个字救了他！保安果断出手）"]) == "“快跑”两个字救了他！保安果断出手"
    assert original_title(["（原题为《谁在“收割”游客》）"]) == "谁在“收割”游客"
    assert original_title(["原标题：某市推出新政"]) == "某市推出新政"


@pytest.mark.parametrize(
    "line, date",
    [
        ("2021-03-05 14:20 来源：南岭日报", "2021-03-05 14:20"),
        ("2021年3月5日 14:20", "2021年3月5日 14:20"),
        ("2021年3月5日08时30分", "2021年3月5日08时30分"),
        ("2021/3/5", "2021/3/5"),
        ("发布于2021-03-05T08:00:00+08:00", "2021-03-05T08:00:00"),
        ("2021年3月5日", "2021年3月5日"),
        ("9999-01-01 来源：某报 2021-03-05", "2021-03-05"),
        ("2023-02-30 0001-01-01 12024-05-06", None),
    ],
)
def test_dates_keep_their_time(line, date):
    assert find_date([line]) == date


@pytest.mark.parametrize(
    "line, header",
    [
        ("记者近日从市教育局获悉，今年全市新增学位一万个。", False),
        ("2021-03-05 14:20 来源：南岭日报 作者：李文华", True),
        ("（原标题：某市推出新政）", True),
        ("【陈建宏／台中報導】", True),
        ("记者 张三", True),
        ("某某中文站 10月14日报道", True),
        ("一、总体要求", False),
    ],
)
def test_what_goes_in_the_header(line, header):
    assert is_header_line(line, ChunkerSettings().heading_max_chars) is header


MADE_UP = """湖畔书屋开门迎客 全市第十家城市书房落成
藏书两万册 二十四小时开放
（原标题：家门口的书房又多一家）

南湖日报4月23日讯（记者 韩立新 通讯员 孟可）今天上午，位于南湖公园东侧的湖畔书屋正式对外开放。

书屋面积约300平方米，藏书两万册，市民刷身份证即可入内借阅。

据介绍，书屋由市图书馆统一配书，每月更新一次。（完）

责任编辑：周立
"""


def test_an_articles_header_facts_from_its_dateline_and_notes():
    title, chunks = chunk_article(MADE_UP, "shufang.txt")
    info = article_info(chunks)
    head = [c.text for c in chunks if c.kind == "head"]
    assert head == ["湖畔书屋开门迎客 全市第十家城市书房落成\n藏书两万册 二十四小时开放\n（原标题：家门口的书房又多一家）"]
    assert [c.text[:4] for c in chunks if c.kind == "body"] == ["南湖日报", "书屋面积", "据介绍，"]
    assert info.title == title and info.original_title == "家门口的书房又多一家"
    assert info.credit.names == ("韩立新", "孟可") and info.byline == "记者 韩立新 通讯员 孟可"
    assert (info.date, info.publisher, info.editors) == ("4月23日", "南湖日报", ("周立",))


def test_a_body_paragraph_opening_with_a_reporter_is_never_the_byline():
    text = "新校区启用\n\n记者近日从市教育局获悉，今年全市新增学位一万个。\n\n新校区将于九月开学。\n"
    _, chunks = chunk_article(text, "school.txt")
    info = article_info(chunks)
    assert info.byline is None and info.credit is None
    assert [c.kind for c in chunks] == ["head", "body", "body"]


def test_a_closing_credit_keeps_its_paragraph_in_the_body():
    text = "古桥修缮完工\n\n古桥已恢复通行。\n\n修缮后的古桥将对游客开放。（周海波）\n\n地址：某某路1号\n"
    _, chunks = chunk_article(text, "bridge.txt")
    assert [(c.kind, c.text[:4]) for c in chunks] == [("head", "古桥修缮"), ("body", "古桥已恢"), ("body", "修缮后的"), ("footer", "地址：某")]
    assert article_info(chunks).credit.names == ("周海波",)


def test_a_date_in_the_first_sentence_is_not_the_articles_date():
    text = MADE_UP.replace("南湖日报4月23日讯（记者 韩立新 通讯员 孟可）今天上午，", "南湖日报讯（记者 韩立新 通讯员 孟可）4月23日，")
    info = article_info(chunk_article(text, "shufang.txt")[1])
    assert info.date is None and info.publisher == "南湖日报" and info.credit.names == ("韩立新", "孟可")


def test_a_date_in_the_headline_is_not_the_articles_date():
    text = "新规2024年5月1日起实施\n2024-04-20 10:05\n\n新规明确了电动车的停放要求。\n"
    assert article_info(chunk_article(text, "rule.txt")[1]).date == "2024-04-20 10:05"
    text = "新规2024年5月1日起实施\n\n新规明确了电动车的停放要求。\n"
    assert article_info(chunk_article(text, "rule.txt")[1]).date is None


def test_a_sentence_names_the_writers_without_a_bare_writing_label():
    assert find_byline(["文/石某某"]).said == "石某某"
    assert find_byline(["作者：王某、李某"]).said == "王某、李某"
    assert find_byline(["扬子晚报记者 张某某"]).said == "扬子晚报记者 张某某"
    assert find_byline(["编译 林某某"]).said == "编译 林某某"
