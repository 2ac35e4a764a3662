"""Generate the reader-article fixtures in tests/data/articles/ (run: `.venv/bin/python tests/data/make_articles.py`).

Four invented but realistic Chinese news items, one per format the ingest package reads:

- news-utf8.html  a UTF-8 news page with menus, scripts, a share bar, related links and a site footer
- news-gbk.html   a GBK page declaring `<meta http-equiv ... charset=gb2312>`, with chrome too
- report.pdf      a text PDF typeset by reportlab in the standard STSong-Light CID font (not embedded, so
                  the file stays small; pypdf maps it back through the UniGB-UCS2-H CMap)
- notice.docx     a Word file written with python-docx, title and author in its core properties

The text is fixed, and the PDF (reportlab `invariant=1`) and the .docx get fixed metadata and
timestamps, so reruns give byte-identical files. Needs reportlab (`.venv/bin/pip install reportlab`) and
python-docx. QUESTIONS maps each file to one question that only its article answers, and the gold answer
text (found verbatim in the article).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "articles"

# file name -> (question, gold answer text found verbatim in the article)
QUESTIONS: dict[str, tuple[str, str]] = {
    "news-utf8.html": ("南湖区图书馆新馆总建筑面积是多少?", "3.2万平方米"),
    "news-gbk.html": ("袁河城区段生态修复工程新建了多少公里污水管网?", "46公里"),
    "report.pdf": ("洛阳公交2023年新投放了多少辆纯电动公交车?", "520辆"),
    "notice.docx": ("老旧小区加装电梯每台最高补贴多少钱?", "20万元"),
}

LIBRARY = {
    "title": "南湖区图书馆新馆正式开馆 藏书120万册",
    "date": "2024-04-23",
    "author": "沈佳怡",
    "site": "嘉兴日报",
    "paragraphs": [
        (
            "4月23日上午,在第29个世界读书日到来之际,嘉兴市南湖区图书馆新馆正式向市民开放。新馆位于南湖新区秀园路188号,"
            "总建筑面积约3.2万平方米,地上五层、地下一层,总投资4.6亿元,是目前全市规模最大的公共图书馆。"
        ),
        (
            "据南湖区文化广电旅游局局长王建平介绍,新馆设计藏书量为120万册,首批上架图书约68万册,设有阅览座位1800个,"
            "比老馆增加了近三倍。馆内还划分出少儿阅读区、古籍修复室、数字体验区和24小时自助阅览室等12个功能区。"
        ),
        (
            "“我们希望把图书馆建成市民家门口的‘城市书房’。”王建平说,新馆开放时间为每周二至周日9:00至21:00,"
            "每周一闭馆进行设备维护,24小时自助阅览室则全年无休。"
        ),
        (
            "记者在现场看到,一层的少儿阅读区里,不少家长带着孩子席地而坐、翻阅绘本。市民陈女士说:“以前带孩子去老馆要排队等座位,"
            "现在地方宽敞多了,环境也安静。”"
        ),
        (
            "新馆还引入了智能书架和自助借还系统,读者凭身份证或“浙里办”电子证照即可办理借阅,单次最多可借图书10册,借期30天。"
            "据统计,开馆当天共接待读者约1.5万人次,新办读者证2300余张。"
        ),
        "古籍修复室是新馆的一大亮点。馆方从浙江图书馆引进了3名专业修复师,计划用五年时间完成馆藏2600余册地方文献的修复和数字化工作。",
        "下一步,南湖区还将依托新馆建设15家分馆和40个“城市书房”,到2026年底实现城乡公共阅读服务“15分钟覆盖圈”。",
    ],
}

RIVER = {
    "title": "袁河城区段生态修复工程完工 白鹭重回河畔",
    "date": "2023-11-08",
    "author": "刘晓燕",
    "site": "宜春日报",
    "paragraphs": [
        (
            "11月7日,历时两年半的袁河城区段生态修复工程通过竣工验收。工程全长12.6公里,总投资8.3亿元,"
            "涉及袁州区秀江街道、灵泉街道等6个街道。"
        ),
        (
            "宜春市水利局副局长周文斌介绍,工程共清理河道淤泥约38万立方米,新建污水管网46公里,"
            "改造雨污合流排口127个,并在沿岸建成生态缓冲带和湿地公园4处。"
        ),
        (
            "治理前,袁河城区段部分断面水质常年处于劣Ⅴ类。经过综合整治,今年以来监测断面水质已稳定达到Ⅲ类标准,"
            "河里重新出现了成群的白鹭和野鸭。"
        ),
        "“以前夏天一走近河边就能闻到臭味,现在每天傍晚都来这里散步。”家住河畔的退休教师黄德明说。",
        "据了解,宜春市已为袁河建立“河长+检察长+警长”协作机制,聘请了32名民间河长开展日常巡河,确保治理成果长期保持。",
        "周文斌表示,明年该市还将启动袁河上游8.5公里河段的治理,计划于2025年底前完工。",
    ],
}

BUS = {
    "title": "洛阳市新能源公交车推广应用情况报告",
    "author": "洛阳市交通运输局",
    "paragraphs": [
        (
            "2023年,洛阳市公交集团新投放纯电动公交车520辆,全部替换服役超过八年的柴油车。截至12月底,"
            "全市公交车总数达到2860辆,其中新能源车辆占比由2020年的46%提高到91%。"
        ),
        (
            "为保障车辆充电,全市新建公交充电站18座、充电桩1360个,基本实现主城区公交场站全覆盖。"
            "充电主要安排在夜间低谷时段,每辆车年均节省能源费用约3.8万元。"
        ),
        (
            "据测算,新能源公交车全年累计行驶里程约1.2亿公里,与同等规模的柴油车相比,减少二氧化碳排放约4.7万吨,"
            "减少氮氧化物排放约310吨。"
        ),
        "在乘客满意度调查中,87.6%的受访市民认为新能源公交车更安静、更平稳。",
        "2024年,洛阳市计划再更新新能源公交车300辆,并在龙门石窟、白马寺等景区线路试点运行氢燃料电池公交车20辆。",
    ],
}

ELEVATOR = {
    "title": "关于开展2024年老旧小区加装电梯补贴申报工作的通知",
    "author": "杭州市拱墅区住房和城乡建设局",
    "paragraphs": [
        "为改善老旧小区居民特别是老年人的出行条件,根据市政府有关文件精神,现就2024年老旧小区加装电梯补贴申报工作通知如下。",
        "一、补贴对象为2000年以前建成、四层及以上、未设电梯的住宅。已取得施工许可并于2024年内完成竣工验收的加装电梯项目均可申报。",
        "二、补贴标准为每台电梯最高20万元;楼道内存在残疾人或80周岁以上老人家庭的,每台再增加补贴2万元。",
        (
            "三、申报时间为2024年6月1日至8月31日。申报单位为所在小区业主委员会或加装电梯实施主体,需提交竣工验收证明、"
            "费用发票和业主同意书等材料。"
        ),
        "四、区住建局将在收到材料后20个工作日内完成审核,并在区政府网站公示7天,公示无异议后拨付补贴资金。",
        "咨询电话:0571-88256710(工作日9:00至17:00)。",
    ],
}

UTF8_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}_嘉兴日报</title>
<meta name="keywords" content="南湖区,图书馆,世界读书日">
<meta name="description" content="南湖区图书馆新馆4月23日正式开馆。">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="嘉兴日报">
<meta name="author" content="{author}">
<meta name="publishdate" content="{date}">
<script>var _hmt = _hmt || []; window.SITE_CONFIG = {{channel: "本地新闻", notice: "欢迎访问嘉兴日报网站,请登录后评论"}};</script>
<script src="/static/js/jquery.min.js"></script>
<style>body {{ font-family: sans-serif; }} .share a {{ margin: 0 4px; }}</style>
</head>
<body>
<div class="topbar">登录 | 注册 | 手机版 | 数字报</div>
<nav class="menu"><ul>
<li><a href="/">首页</a></li><li><a href="/local/">本地新闻</a></li><li><a href="/china/">国内国际</a></li>
<li><a href="/culture/">文化教育</a></li><li><a href="/sports/">体育</a></li><li><a href="/video/">视频</a></li>
</ul></nav>
<div class="crumbs">当前位置:<a href="/">首页</a> &gt; <a href="/local/">本地新闻</a> &gt; 正文</div>
<main>
<article>
<h1>{title}</h1>
<div class="info"><span class="time">{date} 09:30</span> <span class="source">来源:嘉兴日报</span> <span class="author">记者 {author}</span></div>
<div class="share">分享到:<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a> 字号:<a>大</a><a>中</a><a>小</a></div>
<div class="content">
{paragraphs}
</div>
<p class="editor">责任编辑:李明</p>
</article>
<aside class="related"><h3>相关新闻</h3><ul>
<li><a href="/local/1001.html">秀洲区新增三家城市书房 市民阅读更便利</a></li>
<li><a href="/local/1002.html">嘉兴市全民阅读月活动启动 推出百场读书会</a></li>
<li><a href="/local/1003.html">平湖市档案馆新馆开工建设</a></li>
</ul></aside>
</main>
<script>document.getElementById("hot").innerHTML = "热门推荐:点击查看更多精彩内容";</script>
<footer><p>关于我们 | 联系我们 | 广告服务 | 网站地图</p>
<p>版权所有 嘉兴日报报业传媒集团 未经授权禁止转载</p><p>浙ICP备05012345号 浙公网安备33040202000123号</p></footer>
</body>
</html>
"""

GBK_PAGE = """<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}-宜春新闻网</title>
<meta name="author" content="{author}">
<meta name="publishdate" content="{date}">
<meta property="og:site_name" content="宜春日报">
<script type="text/javascript">var tips = "请使用新版浏览器访问本站";</script>
</head>
<body>
<div id="nav"><a href="/">网站首页</a> <a href="/yc/">宜春要闻</a> <a href="/xq/">县区新闻</a> <a href="/ms/">民生</a> <a href="/zt/">专题</a></div>
<div class="main">
<div class="article">
<h1>{title}</h1>
<div class="meta">发布时间:{date} 来源:宜春日报 作者:记者 {author}</div>
<div class="share-bar">分享到:微信 微博 QQ 【打印本页】【关闭窗口】</div>
<div id="text">
{paragraphs}
</div>
</div>
<div class="related"><div class="title">相关新闻</div><ul>
<li><a href="/a/1.html">宜春市召开河长制工作推进会</a></li>
<li><a href="/a/2.html">明月山景区获评省级生态旅游示范区</a></li>
</ul></div>
</div>
<div id="footer">主办:宜春日报社 版权所有 赣ICP备09001234号 联系电话:0795-3201234</div>
</body>
</html>
"""

FIXED_TIME = dt.datetime(2024, 1, 15, 9, 0, 0)


def _zh(text: str) -> str:
    """Chinese typesetting: full-width commas and semicolons."""
    return text.replace(",", "，").replace(";", "；")


def _html_paragraphs(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{_zh(p)}</p>" for p in paragraphs)


def make_utf8_html() -> bytes:
    page = UTF8_PAGE.format(
        paragraphs=_html_paragraphs(LIBRARY["paragraphs"]), **{k: LIBRARY[k] for k in ("title", "date", "author")}
    )
    return page.encode("utf-8")


def make_gbk_html() -> bytes:
    page = GBK_PAGE.format(
        paragraphs=_html_paragraphs(RIVER["paragraphs"]), **{k: RIVER[k] for k in ("title", "date", "author")}
    )
    return page.encode("gbk")


def make_pdf() -> bytes:
    """Typeset the report with reportlab in the standard (not embedded) STSong-Light CID font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle(
        "body", fontName="STSong-Light", fontSize=12, leading=20, firstLineIndent=24, spaceAfter=10, wordWrap="CJK"
    )
    head = ParagraphStyle("head", parent=body, fontSize=18, leading=26, firstLineIndent=0, alignment=1, spaceAfter=6)
    byline = ParagraphStyle("byline", parent=body, firstLineIndent=0, alignment=1, spaceAfter=14)
    story = [Paragraph(BUS["title"], head), Paragraph(BUS["author"], byline)]
    story += [Paragraph(_zh(p), body) for p in BUS["paragraphs"]]
    story.append(Spacer(1, 10 * mm))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=BUS["title"],
        author=BUS["author"],
        invariant=1,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
    )
    doc.build(story)
    return out.getvalue()


def make_docx() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(ELEVATOR["title"], level=1)
    for paragraph in ELEVATOR["paragraphs"]:
        doc.add_paragraph(_zh(paragraph))
    doc.add_paragraph("杭州市拱墅区住房和城乡建设局")
    doc.add_paragraph("2024年5月20日")
    props = doc.core_properties
    props.title = ELEVATOR["title"]
    props.author = ELEVATOR["author"]
    props.created = props.modified = FIXED_TIME
    props.last_modified_by = ELEVATOR["author"]
    saved = io.BytesIO()
    doc.save(saved)
    return _fixed_zip_times(saved.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same package with every member dated FIXED_TIME (python-docx stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(
                zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6]),
                src.read(info),
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, make in (
        ("news-utf8.html", make_utf8_html),
        ("news-gbk.html", make_gbk_html),
        ("report.pdf", make_pdf),
        ("notice.docx", make_docx),
    ):
        data = make()
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
