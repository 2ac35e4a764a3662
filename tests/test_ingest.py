"""Reading readers' articles: HTML, PDF, Word and text, the type told from the content (no model needed)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from qa.errors import BusyError, SourceError
from qa.ingest import MAX_FILE_BYTES, SUFFIXES, Document, isolated, read_document, read_isolated, read_pasted, read_path
from qa.ingest import docx as docx_reader
from qa.ingest.chunking import chunk_article
from qa.ingest.detect import detect_format
from qa.ingest.header import article_info
from qa.ingest.limits import MAX_ARTICLE_CHARS
from qa.ingest.pdf import _merge_pages, fix_radicals, page_paragraphs

from .data.make_articles import ELEVATOR, LIBRARY, QUESTIONS, RIVER

ARTICLES = Path(__file__).parent / "data" / "articles"

# name -> (format, title, date, author, byline line, site)
EXPECTED = {
    "news-utf8.html": ("html", LIBRARY["title"], "2024-04-23", "沈佳怡", "记者 沈佳怡", "嘉兴日报"),
    "news-gbk.html": ("html", RIVER["title"], "2023-11-08", "刘晓燕", "记者 刘晓燕", "宜春日报"),
    "report.pdf": ("pdf", "洛阳市新能源公交车推广应用情况报告", None, "洛阳市交通运输局", "文/洛阳市交通运输局", None),
    "notice.docx": ("docx", ELEVATOR["title"], None, ELEVATOR["author"], f"文/{ELEVATOR['author']}", None),
}
CHROME = {
    "news-utf8.html": [
        "首页",
        "本地新闻",
        "登录",
        "分享到",
        "微博",
        "相关新闻",
        "秀洲区新增三家城市书房",
        "版权所有",
        "ICP",
        "SITE_CONFIG",
        "欢迎访问",
        "热门推荐",
        "关于我们",
        "当前位置",
        "jquery",
    ],
    "news-gbk.html": [
        "网站首页",
        "宜春要闻",
        "请使用新版浏览器",
        "分享到",
        "打印本页",
        "相关新闻",
        "明月山景区",
        "版权所有",
        "ICP",
        "0795-3201234",
    ],
}


def _read(name: str) -> Document:
    return read_path(ARTICLES / name)


def _pdf_bytes(build) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip(members: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return out.getvalue()


# --- the shipped fixtures -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_metadata(name):
    doc = _read(name)
    fmt, title, date, author, _, site = EXPECTED[name]
    assert (doc.format, doc.title, doc.date, doc.author, doc.site) == (fmt, title, date, author, site)
    data = (ARTICLES / name).read_bytes()
    assert (doc.name, doc.size, doc.sha256) == (name, len(data), hashlib.sha256(data).hexdigest())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_text_is_shaped_for_the_chunker(name):
    doc = _read(name)
    _, title, date, _, byline, site = EXPECTED[name]
    source, chunks = chunk_article(doc.text, doc.name)
    assert source == title
    head = [c for c in chunks if c.kind == "head"]
    expected_head = [title] + ([f"{int(date[:4])}年{int(date[5:7])}月{int(date[8:])}日"] if date else []) + [byline]
    assert head and head[0].text.split("\n") == expected_head
    info = article_info(chunks)
    assert info.title == title and info.byline == byline
    if date:
        assert info.date == expected_head[1]
    if site:
        assert chunks[-1].kind == "footer" and f"来源:{site}" in chunks[-1].text
        assert info.publisher == site


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_paragraphs_stay_paragraphs(name):
    doc = _read(name)
    _, chunks = chunk_article(doc.text, doc.name)
    body = [c.text for c in chunks if c.kind == "body"]
    source = {"news-utf8.html": LIBRARY, "news-gbk.html": RIVER, "notice.docx": ELEVATOR}.get(name)
    if source:
        expected = [p.replace(",", "，").replace(";", "；") for p in source["paragraphs"]]
        assert body == expected
    else:  # the PDF: five paragraphs, each whole, lines joined without spaces
        assert len(body) == 5
        assert body[0].startswith("2023年，洛阳市公交集团") and body[0].endswith("提高到91%。")
        assert all(" " not in p for p in body)


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_gold_answer_is_in_the_text(name):
    question, answer = QUESTIONS[name]
    assert question and answer in _read(name).text
    others = [other for other in QUESTIONS if other != name]
    assert all(answer not in _read(other).text for other in others)


@pytest.mark.parametrize("name", sorted(CHROME))
def test_page_chrome_is_gone(name):
    text = _read(name).text
    assert [word for word in CHROME[name] if word in text] == []


def test_gbk_page_is_decoded_by_its_declared_charset():
    text = _read("news-gbk.html").text
    assert "劣Ⅴ类" in text and "“河长+检察长+警长”" in text and "\ufffd" not in text


def test_gb2312_label_reads_gbk_only_characters():
    page = (
        "<html><head><meta charset='gb2312'><title>朱镕基题词的石碑修复完成</title></head><body>"
        "<h1>朱镕基题词的石碑修复完成</h1><p>这块由朱镕基题词的石碑立于1998年，今年3月完成修复，碑高2.4米。</p>"
        "<p>修复工作由省文物局组织，历时四个月，共投入资金86万元，由专业团队负责施工。</p></body></html>"
    )
    doc = read_document(page.encode("gbk"), "stele.html")
    assert "朱镕基" in doc.text and "86万元" in doc.text


def test_undeclared_gbk_page_falls_back_to_gb18030():
    page = (
        "<html><body><h1>城区新增公交线路</h1><p>本月起，城区新增三条公交线路，覆盖12个小区，预计每天服务乘客约8000人次。</p>"
        "<p>新线路首班车6:30发车，末班车21:00发车，票价统一为2元。</p></body></html>"
    )
    doc = read_document(page.encode("gbk"), "bus.htm")
    assert doc.format == "html" and "8000人次" in doc.text


def test_div_page_with_br_paragraphs():
    page = (
        "<html><head><title>某县举办农民丰收节</title></head><body><div id=nav><a>首页</a><a>新闻</a></div>"
        "<div class=article><h2>某县举办农民丰收节</h2><div class=info>发布时间:2024年9月23日 来源:某县融媒体中心</div>"
        "<div class=con>9月22日，某县举办农民丰收节，吸引游客约2万人次。<br><br>"
        "活动现场共有86家合作社参展，当天销售额达到130万元。<br><br>"
        "全县粮食总产量预计达到41.5万吨，截至2024年底比去年增长3.2%。</div></div>"
        "<div class=foot>版权所有 某县融媒体中心</div></body></html>"
    )
    doc = read_document(page.encode(), "harvest.html")
    assert (doc.title, doc.date, doc.site) == ("某县举办农民丰收节", "2024-09-23", "某县融媒体中心")
    _, chunks = chunk_article(doc.text, doc.name)
    assert [c.text[:8] for c in chunks if c.kind == "body"] == ["9月22日，某县", "活动现场共有86", "全县粮食总产量预"]
    assert "首页" not in doc.text and "版权所有" not in doc.text


def test_no_date_is_guessed_from_the_body():
    page = (
        "<html><body><article><h1>学校建设情况</h1><p>截至2024年底，全区共有中小学52所，在校学生约6.8万人。</p>"
        "<table><tr><td>城区</td><td>12所</td></tr><tr><td>新区</td><td>8所</td></tr></table></article></body></html>"
    )
    doc = read_document(page.encode(), "schools.html")
    assert doc.date is None
    assert "城区 12所\n\n新区 8所" in doc.text


# --- type from content ----------------------------------------------------------------------------------


def test_pdf_named_txt_is_read_as_pdf():
    data = (ARTICLES / "report.pdf").read_bytes()
    doc = read_document(data, "report.txt")
    assert doc.format == "pdf" and "520辆" in doc.text


def test_html_named_txt_is_html_and_text_named_html_is_text():
    page = (ARTICLES / "news-utf8.html").read_bytes()
    assert read_document(page, "page.txt").format == "html"
    plain = "市图书馆周末延长开放时间。\n\n从下周起，周六周日开放到晚上九点。".encode()
    doc = read_document(plain, "note.html")
    assert doc.format == "text" and doc.text == plain.decode()


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"<!DOCTYPE html><html>", "html"),
        (b"\xef\xbb\xbf<!-- saved -->\n<div class=a>", "html"),
        (b"<p>hello</p>", "html"),
        ("标题\n\n正文。<div>".encode(), "text"),
        ("# 标题\n\n正文。".encode(), "text"),
    ],
)
def test_detect_format(head, fmt):
    assert detect_format(head, "x") == fmt


def test_png_named_html_is_refused():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    with pytest.raises(SourceError, match="图片.*支持的格式"):
        read_document(png, "photo.html")


def test_other_zip_is_not_supported():
    with pytest.raises(SourceError, match="不支持的文件类型"):
        read_document(_zip({"readme.txt": "hello"}), "archive.docx")
    with pytest.raises(SourceError, match="不支持的文件类型.*Excel"):
        read_document(_zip({"xl/workbook.xml": "<x/>"}), "sheet.docx")


def test_old_word_file_is_refused_with_the_fix():
    with pytest.raises(SourceError, match="另存为 .docx"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old.doc")


# --- bad inputs -----------------------------------------------------------------------------------------


def test_encrypted_pdf_is_refused():
    from pypdf import PdfReader

    def build(writer):
        writer.append(PdfReader(ARTICLES / "report.pdf"))
        writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")

    with pytest.raises(SourceError, match="已加密"):
        read_document(_pdf_bytes(build), "secret.pdf")


def test_pdf_with_only_an_owner_password_opens():
    from pypdf import PdfReader

    def build(writer):
        writer.append(PdfReader(ARTICLES / "report.pdf"))
        writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")

    assert "520辆" in read_document(_pdf_bytes(build), "restricted.pdf").text


def test_image_only_pdf_is_refused():
    with pytest.raises(SourceError, match="扫描件"):
        read_document(_pdf_bytes(lambda w: w.add_blank_page(595, 842)), "scan.pdf")


def test_damaged_pdf_is_refused():
    data = (ARTICLES / "report.pdf").read_bytes()
    with pytest.raises(SourceError, match="已损坏"):
        read_document(data[:1200], "broken.pdf")


def test_truncated_docx_is_refused():
    data = (ARTICLES / "notice.docx").read_bytes()
    with pytest.raises(SourceError, match="损坏"):
        read_document(data[: len(data) // 2], "broken.docx")


def test_docx_with_broken_xml_is_refused():
    data = _zip({"[Content_Types].xml": "garbage", "word/document.xml": "<<<"})
    with pytest.raises(SourceError, match="已损坏"):
        read_document(data, "broken.docx")


def test_zip_bomb_docx_is_refused_before_opening(monkeypatch):
    import docx

    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("python-docx must not open a zip bomb"))
    ratio_bomb = _zip({"word/document.xml": "<x/>", "word/media/image1.bin": b"\0" * (4 * 1024 * 1024)})
    with pytest.raises(SourceError, match="恶意文件"):
        read_document(ratio_bomb, "bomb.docx")
    many = _zip({"word/document.xml": "<x/>", **{f"word/m{i}.xml": "" for i in range(1200)}}, zipfile.ZIP_STORED)
    with pytest.raises(SourceError, match="恶意文件"):
        read_document(many, "many.docx")


def test_oversized_docx_member_is_refused():
    big = _zip({"word/document.xml": "<x/>", "word/media/big.bin": b"\0" * (51 * 1024 * 1024)})
    assert len(big) < MAX_FILE_BYTES
    with pytest.raises(SourceError, match="解压后"):
        read_document(big, "big.docx")


@pytest.mark.parametrize("data", [b"\x00\x01\x02\x03binary", bytes(range(128, 256)) * 3])
def test_binary_named_txt_is_refused(data):
    with pytest.raises(SourceError, match="支持的格式"):
        read_document(data, "data.txt")


def test_html_without_an_article_is_refused():
    page = (
        "<html><head><title>首页</title></head><body><nav><a href='/'>首页</a> <a href='/news'>新闻</a></nav>"
        "<footer>版权所有 某某网 京ICP备12345678号</footer></body></html>"
    )
    with pytest.raises(SourceError, match="没有找到文章正文"):
        read_document(page.encode(), "home.html")


@pytest.mark.parametrize("data", [b"", b"  \n\n"])
def test_empty_file_is_refused(data):
    with pytest.raises(SourceError, match="空的"):
        read_document(data, "empty.txt")


def test_size_cap():
    with pytest.raises(SourceError, match=r"太大\(0\.0 MB\)"):
        read_document(b"x" * 100, "a.txt", max_bytes=50)
    assert MAX_FILE_BYTES == 10 * 1024 * 1024


def test_read_path_checks_the_size_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2048)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read before the size check"))
    with pytest.raises(SourceError, match="big.txt 太大"):
        read_path(path, max_bytes=1024)


def test_read_path_missing_file_and_directory(tmp_path):
    with pytest.raises(SourceError, match="找不到文件"):
        read_path(tmp_path / "nope.html")
    with pytest.raises(SourceError, match="是目录"):
        read_path(tmp_path)


def test_read_path_refuses_what_is_not_a_regular_file():
    with pytest.raises(SourceError, match="不是普通文件"):
        read_path(Path("/dev/zero"))  # would never end


def test_an_article_has_a_minimum_and_a_maximum_size():
    with pytest.raises(SourceError, match="文字太少"):
        read_document(b"ab", "hostname")  # a two-character system file
    with pytest.raises(SourceError, match="文字太少"):
        read_pasted("\u3000!!!")
    with pytest.raises(SourceError, match="正文太长"):
        read_pasted("问" * (MAX_ARTICLE_CHARS + 1))
    assert read_pasted("某区新增停车位三百个,缓解了老城区停车难。").format == "text"


def test_titles_and_names_are_bounded_and_clean():
    text = "某区新增停车位三百个,缓解了老城区停车难。"
    for title, words in [("a\x00b", "控制字符"), ("第一行\n第二行", "控制字符"), ("标" * 201, "标题太长"), ("\udc00", "无效")]:
        with pytest.raises(SourceError, match=words):
            read_pasted(text, title)
    with pytest.raises(SourceError, match="无效的 Unicode"):
        read_pasted("\ud800" + text)
    doc = read_document(text.encode(), "../../etc/\x00" + "长" * 300 + ".txt")
    assert doc.name.endswith(".txt") and len(doc.name) == 200 and "/" not in doc.name and "\x00" not in doc.name


def test_utf16_text_with_a_bom_is_read():
    text = "市民公园改造完工\n\n公园新增步道2公里,改造投资300万元。"
    for encoding in ("utf-16-le", "utf-16-be"):
        bom = "\ufeff".encode(encoding)
        doc = read_document(bom + text.encode(encoding), "park.txt")
        assert (doc.format, doc.text) == ("text", text)


def test_documents_are_read_in_a_bounded_child_process():
    text = "市民公园改造完工\n\n公园新增步道2公里,改造投资300万元。"
    assert read_isolated(text.encode(), "park.txt") == read_document(text.encode(), "park.txt")
    with pytest.raises(SourceError, match="文字太少"):
        read_isolated(b"ab", "x.txt")  # the child's own SourceError, passed on
    with pytest.raises(SourceError, match="超过了 0.01 秒"):
        read_isolated(text.encode(), "park.txt", seconds=0.01)
    with pytest.raises(SourceError, match="内存"):
        read_isolated(text.encode() * 100_000, "park.txt", memory_bytes=1024 * 1024)  # 6 MB to decode in 1 MB


def test_one_upload_is_read_at_a_time_and_the_next_is_refused_not_queued():
    text = "市民公园改造完工\n\n公园新增步道2公里,改造投资300万元。".encode()
    assert isolated._slots.acquire(blocking=False)  # another upload being read
    try:
        with pytest.raises(BusyError, match="请稍后重试"):
            read_isolated(text, "park.txt")
    finally:
        isolated._slots.release()
    assert read_isolated(text, "park.txt").format == "text"


def word_package(xml_body: str, prefix: str) -> bytes:
    """A .docx whose document part has `xml_body` under the namespace prefix `prefix` ("" = default)."""
    import docx

    blank = io.BytesIO()
    docx.Document().save(blank)
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    tag = f"{prefix}:" if prefix else ""
    declared = f'xmlns:{prefix}="{ns}"' if prefix else f'xmlns="{ns}"'
    xml = f'<?xml version="1.0"?><{tag}document {declared}><{tag}body>{xml_body}</{tag}body></{tag}document>'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blank.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item, xml if item.filename == "word/document.xml" else src.read(item.filename))
    return out.getvalue()


@pytest.mark.parametrize("prefix", ["w", "x", ""])
def test_word_paragraphs_are_counted_under_any_namespace_prefix(prefix):
    tag = f"{prefix}:" if prefix else ""
    body = "".join(f"<{tag}p><{tag}pPr/><{tag}r><{tag}t>{i}</{tag}t></{tag}r></{tag}p>" for i in range(60_001))
    data = word_package(body, prefix)
    assert docx_reader.count_paragraphs(data) == 60_001
    with pytest.raises(SourceError, match="段落超过"):
        read_document(data, "many.docx")


# --- plain and pasted text ------------------------------------------------------------------------------


def test_plain_text_is_kept_as_is():
    text = "市民公园改造完工\n2024年3月1日\n\n公园新增步道2公里。\r\n分享到 微信\n"
    doc = read_document(text.encode("gb18030"), "park.md")
    assert (doc.format, doc.title, doc.text) == ("text", None, text.replace("\r\n", "\n"))


def test_pasted_text():
    doc = read_pasted("公园新增步道2公里。\r\n\r\n改造投资300万元。", title="市民公园改造完工")
    assert (doc.name, doc.format, doc.title) == ("粘贴的文本", "text", "市民公园改造完工")
    assert doc.text == "市民公园改造完工\n\n公园新增步道2公里。\n\n改造投资300万元。"
    assert doc.sha256 == hashlib.sha256(doc.text.encode()).hexdigest() and doc.size == len(doc.text.encode())
    assert chunk_article(doc.text, doc.name)[0] == "市民公园改造完工"
    with pytest.raises(SourceError, match="粘贴的文本是空的"):
        read_pasted(" \n ")


def test_suffixes():
    assert SUFFIXES == (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


# --- PDF line joining (pure functions) ------------------------------------------------------------------


def test_pdf_lines_join_into_paragraphs():
    layout = (
        "        市政府工作报告\n\n"
        "  今年全市新建学校12所,新增学位\n"
        "1.5万个。全市中小学\n"
        "在校生达到38万人。\n"
        "  二是医疗卫生服务持续改善。\n"
        "新建社区卫生服务中心8个。\n\n"
        "- 2 -\n"
        "第三段 GDP growth\n"
        "reached 5.2%.\n"
    )
    assert page_paragraphs(layout) == [
        "市政府工作报告",
        "今年全市新建学校12所,新增学位1.5万个。全市中小学在校生达到38万人。",
        "二是医疗卫生服务持续改善。新建社区卫生服务中心8个。",
        "第三段 GDP growth reached 5.2%.",
    ]


def test_pdf_paragraph_continues_over_a_page_break():
    first = "这是一段很长的文字," * 10
    pages = [["标题", first], ["接着上一页写完。", "新的一段。"]]
    assert _merge_pages(pages) == ["标题", first + "接着上一页写完。", "新的一段。"]


def test_radicals_become_ordinary_characters():
    assert fix_radicals("新能源公交⻋推⼴应⽤,市⺠") == "新能源公交车推广应用,市民"


def test_a_file_name_is_its_last_part_and_never_a_path_step():
    from qa.ingest.limits import clean_name

    assert clean_name("../../etc/passwd", "未命名文件") == "passwd"
    assert clean_name("..", "未命名文件") == clean_name(".", "未命名文件") == clean_name("a/..", "未命名文件") == "未命名文件"
    assert clean_name(".hidden.txt", "未命名文件") == ".hidden.txt"


def test_invisible_characters_are_dropped_from_text_files_and_pasted_text():
    hidden = "\u200b\u202e\u00ad\U000e0041\U000e007f\ufeff\x07"
    doc = read_document(f"标题\n\n某区新增{hidden}停车位三百个,缓解了老城区停车难。{'居民说停车方便多了。' * 20}\n".encode(), "a.txt")
    assert "某区新增停车位三百个" in doc.text and not any(c in doc.text for c in hidden)
    assert "新增停车位" in read_pasted(f"某区新增{hidden}停车位三百个,缓解了老城区停车难。").text


def test_every_control_and_format_character_but_tab_and_line_ends_is_invisible():
    import sys
    import unicodedata

    from qa.ingest.shape import drop_invisible

    invisible = "".join(
        c for c in map(chr, range(sys.maxunicode + 1)) if unicodedata.category(c) in ("Cc", "Cf") and c not in "\t\n\r"
    )
    line_ends = "\x0b\x0c\x1c\x1d\x1e\x85"
    assert drop_invisible(invisible.translate(dict.fromkeys(map(ord, line_ends))) + "\t\n\r文") == "\t\n\r文"
    assert drop_invisible(f"标题{line_ends[0]}第一段。{line_ends[1]}第二段。") == "标题\n第一段。\n第二段。"
