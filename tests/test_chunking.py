from qa.config import ChunkerSettings
from qa.ingest.chunking import SECTION_CAPTION, SECTION_FOOTER, SECTION_HEAD, chunk_article, strip_chrome

from .conftest import ARTICLE

RAW = ARTICLE.read_text(encoding="utf-8")


def chunks():
    return chunk_article(RAW, ARTICLE.name)


def test_title_is_found_and_used_as_source():
    title, parts = chunks()
    assert title == "创示范 争一流 包河区勇当长三角一体化发展排头兵"
    assert all(c.source == title for c in parts)


def test_web_chrome_is_dropped():
    _, parts = chunks()
    text = "\n".join(c.text for c in parts)
    assert "放大 缩小 默认" not in text and "返回版面" not in text and "版面导航" not in text
    assert not any(line.strip() == "关闭" for c in parts for line in c.text.split("\n"))
    assert sum(c.text.count("创示范 争一流") for c in parts) == 1  # the repeated title is gone


def test_head_keeps_title_date_and_reporter():
    _, parts = chunks()
    head = parts[0]
    assert head.section == SECTION_HEAD
    assert "2020年10月30日" in head.text and "记者 沈娟娟" in head.text and "■" not in head.text


def test_photo_captions_are_their_own_chunks():
    _, parts = chunks()
    captions = [c.text for c in parts if c.kind == "caption"]
    assert "复工复产后合肥港与长三角各地港口开展协作,生产一片繁忙" in captions
    assert "安徽创新馆成为长三角区域重要的科技成果转化交易中心" in captions
    assert len(captions) == 6
    assert all(c.section == SECTION_CAPTION for c in parts if c.kind == "caption")


def test_headings_become_sections_of_following_paragraphs():
    _, parts = chunks()
    by_start = {c.text[:8]: c for c in parts}
    assert by_start["“长三角之行开阔"].section == "思想破冰 坚持高标准融入长三角"
    assert by_start["教育是民生之本、"].section == "一体互通 推动公共服务共建共享"
    assert "思想破冰 坚持高标准融入长三角" in by_start["“长三角之行开阔"].search_text
    assert not any(c.text == "思想破冰 坚持高标准融入长三角" for c in parts)


def test_footer_stays_searchable():
    _, parts = chunks()
    footer = parts[-1]
    assert footer.section == SECTION_FOOTER
    assert "0551-62815807" in footer.text and "安徽市场星报社" in footer.text and "黄山路599号" in footer.text


def test_body_paragraphs_are_numbered_in_order():
    _, parts = chunks()
    numbers = [c.paragraph for c in parts if c.kind == "body"]
    assert numbers == sorted(numbers) and numbers[0] == 1


def test_long_paragraph_is_split_at_sentence_ends():
    paragraph = "".join(f"第{i}句话讲的是一件很长的事情,内容需要切分。" for i in range(40))
    _, parts = chunk_article(f"标题\n\n{paragraph}\n", "a.txt", ChunkerSettings(max_chars=120))
    body = [c for c in parts if c.kind == "body"]
    assert len(body) > 1
    assert all(len(c.text) <= 120 and c.text.endswith("。") for c in body)
    assert "".join(c.text for c in body) == paragraph
    assert {c.paragraph for c in body} == {1}


def test_markdown_headings():
    text = "# 标题一\n\n## 小节\n\n正文第一段。\n\n正文第二段。\n"
    title, parts = chunk_article(text, "a.md")
    assert title == "标题一"
    assert [c.section for c in parts if c.kind == "body"] == ["小节", "小节"]


def test_strip_chrome_only_at_the_edges():
    assert strip_chrome("2020年10月30日 放大 缩小 默认") == "2020年10月30日"
    assert strip_chrome("返回版面 版面导航") == ""
    assert strip_chrome("默认设置已经放大") == "默认设置已经放大"


def test_a_quotation_keeps_its_attribution():
    from qa.text.normalize import split_sentences

    assert split_sentences("“带个电脑就能办公,非常方便。”杨宇说。他很满意。") == ["“带个电脑就能办公,非常方便。”杨宇说。", "他很满意。"]
    assert split_sentences("确保各项任务落地见效。”包河区长三办负责人说。下一句话。") == [
        "确保各项任务落地见效。”包河区长三办负责人说。",
        "下一句话。",
    ]
    # a short fragment with no content joins the sentence before it; a real sentence after a quote does not
    assert split_sentences("他说:“我们要加油!”这是目标。好。") == ["他说:“我们要加油!”", "这是目标。好。"]


def test_no_passage_is_longer_than_the_bound_whatever_the_text():
    bound = ChunkerSettings().max_chars
    texts = [
        "标题\n\n" + "问" * 5_000,  # no sentence end, no clause mark
        "标题\n\n" + "这是一句很长而且没有句号的话," * 400 + "。",  # one sentence of clauses
        "标题\n\n" + "\n".join(["记者 张三 2024年1月1日 " * 30] * 20),  # a header of byline lines
        "标题\n\n正文第一句。\n\n" + "\n".join("页脚链接 " * 40 for _ in range(50)),  # a footer after the last sentence
    ]
    for text in texts:
        _, parts = chunk_article(text, "a.txt")
        assert parts and max(len(c.text) for c in parts) <= bound
        body = "".join(c.text.replace("\n", "") for c in parts)
        assert body.count("问") == text.count("问")  # nothing dropped while cutting
    _, parts = chunk_article(RAW, ARTICLE.name)
    assert len(parts) == 36  # the shipped article has no sentence over the bound: cut as before


def test_a_repeated_headline_with_its_question_mark_is_no_paragraph():
    text = "古镇该不该收门票\n2023年5月1日\n\n古镇该不该收门票？\n\n五一假期，古镇游客超过十万人次。\n"
    _, parts = chunk_article(text, "ticket.txt")
    assert [(c.kind, c.text) for c in parts] == [("head", "古镇该不该收门票\n2023年5月1日"), ("body", "五一假期，古镇游客超过十万人次。")]
