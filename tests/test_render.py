from qa.answering.language import CHINESE
from qa.answering.question import TOO_LONG
from qa.index.articles import Article
from qa.ingest.chunking import Chunk
from qa.results import Answer, Passage
from qa.text.highlight import match_spans
from qa.web.render import (
    answer_source,
    article_facts,
    escape,
    highlight,
    render_answer,
    render_article,
    render_article_list,
    render_article_panel,
    render_question,
    topics_of,
)

XSS = "<img src=x onerror=alert(1)>"


def _answer(text="包河综合实力跻身全国百强区第41位。", passage_text=None, matched=("综合实力",)):
    passage = Passage(passage_text or text, 0.62, 7, "思想破冰 坚持高标准融入长三角", "标题", 7, "body", list(matched))
    return Answer("包河区综合实力排第几?", True, text, [passage])


def test_question_is_shown_as_text_never_markup():
    shown = render_question(XSS)
    assert "<img" not in shown and "&#60;img" in shown


def test_markdown_characters_are_neutralised():
    shown = escape("**粗体** [链接](http://x) `code` # 标题")
    assert "*" not in shown and "[" not in shown and "`" not in shown and "# " not in shown
    assert shown.count("&#42;") == 4 and "&#35; 标题" in shown


def test_highlight_marks_matches_and_escapes_the_rest():
    out = highlight("<b>合肥港</b>生产繁忙", ["合肥港"])
    assert out == "&#60;b&#62;<mark>合肥港</mark>&#60;/b&#62;生产繁忙"
    assert "<b>" not in out


def test_highlight_matches_traditional_and_full_width_forms():
    assert "<mark>國家</mark>" in highlight("包河國家試驗區", ["国家"])
    assert "<mark>ＧＤＰ</mark>" in highlight("人均ＧＤＰ达到", ["gdp"])
    # Terms as a passage reported them (original forms) mark the same words elsewhere too.
    assert "<mark>国家</mark>" in highlight("国家试验区", ["國家"])
    assert "<mark>GDP</mark>" in highlight("GDP", ["ＧＤＰ"])


def test_answer_card_has_sentence_section_paragraph_relevance_and_marks():
    html = render_answer(_answer())
    assert html.index("qa-answer") < html.index("qa-evidence")
    assert "第 7 段" in html and "思想破冰" in html and "相关度 62%" in html and "width:62%" in html
    assert "<mark>综合实力</mark>" in html


def test_article_text_with_markup_is_escaped_in_cards():
    html = render_answer(_answer(text=XSS, passage_text=f"前文{XSS}后文", matched=()))
    assert "<img" not in html and "&#60;img" in html


def test_not_found_reply_is_polite_and_hints_topics():
    html = render_answer(Answer("比特币?", False, CHINESE.not_found), ["思想破冰 坚持高标准融入长三角", "<script>"])
    assert "文章中没有找到相关内容" in html and "思想破冰" in html
    assert "<script>" not in html and "qa-passage" not in html


def test_long_input_message_is_shown_as_is():
    html = render_answer(Answer("长" * 10, False, TOO_LONG))
    assert "问题太长了" in html and "qa-passage" not in html


def test_article_view_marks_retrieved_paragraphs():
    chunks = [
        Chunk(0, "标题行", "标题", "t", 0, "head"),
        Chunk(1, "第一段<i>内容</i>。", "小节一", "t", 1, "body"),
        Chunk(2, "第二段。", "小节一", "t", 2, "body"),
    ]
    html = render_article(chunks, marked=[2, 0])
    assert 'class="qa-para qa-hit qa-top" id="qa-chunk-2"' in html and 'class="qa-para" id="qa-chunk-1"' in html
    assert 'class="qa-para qa-hit" id="qa-chunk-0"' in html
    assert html.count("小节一") == 1 and "<i>" not in html
    assert topics_of(chunks) == ["小节一"]


def test_the_answer_phrase_is_bold_and_escaped():
    html = render_answer(Answer("几位?", True, "排第<41>位。", [], phrase="第<41>位"))
    assert '<strong class="qa-phrase">第&#60;41&#62;位</strong>' in html
    assert "<41>" not in html
    assert "qa-phrase" not in render_answer(Answer("怎样?", True, "一句话。", []))


def _two_article_answer():
    passages = [
        Passage("新馆总建筑面积3.2万平方米。", 0.8, 40, "导语", "南湖区图书馆新馆<开馆>", 1, article="0123456789ab"),
        Passage("包河区第41位。", 0.3, 7, "思想破冰", "创示范 争一流", 7, article="2926633ce86a"),
    ]
    return Answer("面积?", True, "新馆总建筑面积3.2万平方米。", passages, sentence_chunk_id=40, phrase="3.2万平方米")


def test_passages_and_answer_name_their_article_when_there_are_several():
    html = render_answer(_two_article_answer(), name_sources=True)
    assert html.count('class="qa-source"') == 3  # the answer's, then each passage's
    assert '<div class="qa-from">出自<span class="qa-source">《南湖区图书馆新馆&#60;开馆&#62;》</span>' in html
    assert "《创示范 争一流》" in html and "<开馆>" not in html
    assert "qa-source" not in render_answer(_two_article_answer())  # one article: no names


def test_answer_source_is_the_sentence_passage_else_the_best():
    answer = _two_article_answer()
    assert answer_source(answer).article == "0123456789ab"
    assert answer_source(Answer("q", True, "a", answer.passages[::-1], sentence_chunk_id=40)).chunk_id == 40
    assert answer_source(Answer("q", True, "a", answer.passages[::-1])).chunk_id == 7
    assert answer_source(Answer("q", False, CHINESE.not_found)) is None


def test_not_found_in_several_articles_lists_their_titles():
    html = render_answer(Answer("比特币?", False, CHINESE.not_found), ["小节"], titles=["甲", XSS])
    assert "《甲》" in html and "小节" not in html and "<img" not in html


def _article(**facts):
    return Article("0123456789ab", XSS, "news.html", "html", "0" * 64, 10, 5, **facts)


def test_article_list_and_panel_show_escaped_title_and_known_facts():
    known = _article(date="2024-04-23", author="沈佳怡", site="嘉兴日报")
    assert article_facts(known) == ["2024-04-23", "作者 沈佳怡", "嘉兴日报", "5 段", "news.html"]
    assert article_facts(_article()) == ["5 段", "news.html"]
    listing = render_article_list([known, _article()])
    assert "共 2 篇文章" in listing and listing.count("qa-article-item") == 2 and "编号 0123456789ab" in listing
    assert "<img" not in listing and "&#60;img" in listing
    chunks = [Chunk(0, "正文<b>一</b>", "导语", "t", 1, "body", "0123456789ab")]
    panel = render_article_panel(known, chunks, [0])
    assert panel.index("qa-article-head") < panel.index('class="qa-article"') and "嘉兴日报" in panel
    assert "<img" not in panel and "<b>" not in panel and "qa-top" in panel


def test_a_tiny_relevance_reads_below_one_percent_not_zero():
    low = Passage("第二段。", 0.003, 2, "导语", "报道", paragraph=2)
    none = Passage("第三段。", 0.0, 3, "导语", "报道", paragraph=3)
    html = render_answer(Answer("问?", True, "答。", [low, none]))
    assert "相关度 &#60;1%" in html and "相关度 0%" in html


def test_overlapping_matches_make_one_highlight_whatever_the_order_of_terms():
    text = "包河综合实力跻身全国百强区第41位"
    terms = ["包河", "综合", "合实", "实力", "全国", "国百", "百强", "强区"]
    assert match_spans(text, terms) == match_spans(text, list(reversed(terms))) == [(0, 6), (8, 13)]
