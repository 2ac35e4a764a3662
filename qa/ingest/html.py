"""News pages: decode by the declared charset, then trafilatura finds the article and its metadata."""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import replace
from itertools import islice

from lxml import etree
from lxml.html import HtmlElement

from ..errors import SourceError
from .bylines import META_LABEL_RE, author_names, find_byline, find_source, info_date, published_date
from .header import find_publisher
from .shape import (
    ReadArticle,
    byline,
    clean_author,
    clean_line,
    clean_title,
    clean_url,
    iso_date,
    lead_date,
    lead_lines,
)

# A <meta charset=...> or <meta http-equiv="Content-Type" content="text/html; charset=...">.
_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz-gb-2312", "x-gbk", "cp936", "euc-cn", "csgb2312", "gb_2312-80"}
_FALLBACKS = ("utf-8", "gb18030")
_INLINE_TAGS = {"hi", "ref", "cell", "del", "lb", "graphic"}  # trafilatura XML; everything else is a block
MIN_ARTICLE_CHARS = 20
MAX_TAGS = 200_000  # a large news page has a few thousand elements
# The info line under a headline (`2019-09-24 09:10 来源：某报 作者：张三`): a few elements after it, each short.
HEADLINE_NEIGHBOURS = 6  # elements looked at after the headline (siblings, then its parents' siblings)
INFO_MAX_CHARS = 200  # an element holding more is the body (or hostile), and ends the search
INFO_MAX_NODES = 50  # elements inside one of them
_BLOCK_TAGS = {"p", "div", "br", "li", "dd", "dt", "tr", "ul", "ol", "dl", "section", "header", "footer", "table",
               "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "address", "figure", "figcaption"}
STYLE_MAX_CHARS = 2_000  # of an inline style attribute read for display and visibility
_HIDDEN_TAGS = {"script", "style", "noscript", "template", "select", "button", "iframe", "object", "svg", "head"}

logging.getLogger("trafilatura").setLevel(logging.ERROR)  # it logs "discarding data" for every empty page


def declared_charset(data: bytes) -> str | None:
    """The page's own charset, as a Python codec name (GB2312 and GBK read as their superset GB18030)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    match = _CHARSET_RE.search(data[:4096])
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    if label in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, name: str) -> str:
    """The page as text: the declared charset first, then UTF-8, then GB18030."""
    declared = declared_charset(data)
    for encoding in ([declared] if declared else []) + [e for e in _FALLBACKS if e != declared]:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if declared:  # a few broken bytes in a page that says what it is
        return data.decode(declared, errors="replace")
    raise SourceError(f"无法识别网页 {name} 的编码。请在浏览器中将网页另存为 UTF-8 编码的 .html 文件后重试。")


def _lines(body) -> list[str]:
    """Paragraphs of trafilatura's output tree: each block element (and each <lb/>, a <br>) ends a line;
    table cells are joined by spaces. Works for its own <body> and for a fallback extractor's <div>s."""
    parts: list[str] = []

    def walk(element) -> None:
        inline = element.tag in _INLINE_TAGS
        if element.tag == "lb" or not inline:
            parts.append("\n")
        parts.append(element.text or "")
        for child in element:
            walk(child)
            parts.append(" " if child.tag == "cell" else "")
            parts.append(child.tail or "")
        if not inline:
            parts.append("\n")

    walk(body)
    return [line for line in "".join(parts).split("\n") if line.strip()]


def _length(found) -> int:
    """Characters of text trafilatura found (0 for nothing)."""
    return len("".join((found.text or "").split())) if found is not None and found.body is not None else 0


def _meta_author(tree: HtmlElement) -> str | None:
    """<meta name="author">: trafilatura drops one-word authors, which is every Chinese name."""
    values = tree.xpath("//meta[translate(@name, 'AUTHOR', 'author')='author']/@content")
    return next((v.strip() for v in values if v.strip()), None)


def _person(author: str | None) -> str | None:
    """The names an author field gives (`作者：张三 李四` → 张三、李四), or None for a filler, an outlet or a clause."""
    names = author_names(clean_line(author or "")) or author_names(clean_author(author))
    return "、".join(names) if names else None


def _shown_lines(element, max_chars: int = INFO_MAX_CHARS) -> list[str] | None:
    """The lines an element shows (a block element or a <br> starts a new one; inline elements are spaced
    apart, so that `<span>2024-05-06</span><span>来源：某报</span>` stays two fields), or None when it holds
    more than `max_chars` characters or INFO_MAX_NODES elements: read only as far as that."""
    parts: list[str] = []
    used = nodes = 0

    def add(text: str | None) -> bool:
        nonlocal used
        if text:
            used += len(text.strip())
            parts.append(text)
        return used <= max_chars

    walk = etree.iterwalk(element, events=("start", "end"))
    for event, node in walk:
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            nodes += 1
            if nodes > INFO_MAX_NODES:
                return None
            if _hidden(node):
                walk.skip_subtree()
                continue
            parts.append("\n" if tag in _BLOCK_TAGS else " ")
            if not add(node.text):
                return None
        else:
            parts.append(_gap(node.tail) if _hidden(node) else "\n" if tag in _BLOCK_TAGS else " ")
            if node is not element and not add(node.tail):
                return None
    return [line for line in (clean_line(part) for part in "".join(parts).split("\n")) if line]


def _hidden(node) -> bool:
    """Whether an element is never shown, whatever its parents: a <script>, <template> or the like, or
    marked `hidden` or styled `display: none` / `visibility: hidden` (`aria-hidden` hides it from screen
    readers only)."""
    if not isinstance(node.tag, str):
        return False
    if node.tag in _HIDDEN_TAGS or node.get("hidden") not in (None, "until-found"):
        return True
    style = node.get("style")
    return bool(style) and _style_hides(style)


def _style_hides(style: str) -> bool:
    """Whether an inline style's last `display` is none or its last `visibility` hidden or collapse."""
    values: dict[str, str] = {}
    for declaration in style[:STYLE_MAX_CHARS].split(";"):
        name, _, value = declaration.partition(":")
        values[name.strip().lower()] = value.replace("!important", "").strip().lower()
    return values.get("display") == "none" or values.get("visibility") in ("hidden", "collapse")


def _gap(after: str | None) -> str:
    """What stands in for a hidden element, which a browser does not lay out at all: nothing (城<span
    hidden>x</span>东 reads 城东, a hidden <br> breaks no line), but a space before a label, so that the
    fields on either side stay apart (来源：某报<span hidden></span>作者：张三)."""
    return " " if META_LABEL_RE.match((after or "").lstrip()) else ""


def _without_hidden(tree: HtmlElement) -> int:
    """Drop the elements of the page's body that are marked hidden or styled out of sight (`_gap` stands
    in for each); the characters of text they held."""
    body = tree.find("body")
    if body is None:
        return 0
    dropped = []
    walk = etree.iterwalk(body, events=("start",))
    for _, node in walk:
        if node is not body and _hidden(node) and node.tag not in _HIDDEN_TAGS:
            dropped.append(node)
            walk.skip_subtree()
    hidden_chars = 0
    for node in dropped:
        hidden_chars += len("".join(node.itertext()).strip())
        node.tail = _gap(node.tail) + (node.tail or "")
        node.drop_tree()
    return hidden_chars


def _shown(element: HtmlElement) -> bool:
    """Whether a browser shows the element: neither it nor a parent is `_hidden`."""
    return not any(_hidden(node) for node in (element, *element.iterancestors()))


def _headline(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The article's headline: the <h1> (or the first heading in <article>) that reads as the title found,
    else the first heading in <article>, else the first <h1>."""
    headings = tree.xpath("//article//*[self::h1 or self::h2 or self::h3]")
    in_article = list(islice(filter(_shown, headings), 1))
    candidates = in_article + list(islice((h for h in tree.xpath("//h1") if h not in in_article and _shown(h)), 5))
    wanted = "".join((title or "").split())
    for heading in candidates:
        text = "".join("".join(_shown_lines(heading) or ()).split())
        if wanted and len(text) >= 4 and (text in wanted or wanted in text):
            return heading
    return candidates[0] if candidates else None


def _following(element: HtmlElement, limit: int = HEADLINE_NEIGHBOURS):
    """The elements after `element` in reading order, at its level and then (past the end of its parent)
    at its parents' level: at most `limit` of them (comments count, and are not given)."""
    seen = 0
    node = element
    while node is not None and node.tag not in ("body", "html"):
        for sibling in node.itersiblings():
            seen += 1
            if seen > limit:
                return
            if isinstance(sibling.tag, str):
                yield sibling
        node = node.getparent()


def info_lines(tree: HtmlElement, title: str | None) -> list[str]:
    """The lines of the short elements just under the headline, where a news page states its date,
    source and author (`<div class="info">2019-09-24 09:10 来源：某报 作者：张三</div>`); the first
    element longer than INFO_MAX_CHARS is taken for the body and ends them."""
    headline = _headline(tree, title)
    lines: list[str] = []
    for element in _following(headline) if headline is not None else ():
        if _hidden(element):
            continue
        shown = _shown_lines(element)
        if shown is None:
            break
        lines += shown
    return lines


def read_html(data: bytes, name: str) -> tuple[ReadArticle, str | None]:
    """The article of a news page (and its byline line); chrome such as menus and footers left out."""
    import trafilatura
    from trafilatura.settings import set_date_params
    from trafilatura.utils import load_html

    no_article = SourceError(f"网页 {name} 中没有找到文章正文。请确认保存的是文章页面,或直接复制正文后粘贴。")
    if data.count(b"<") > MAX_TAGS:
        raise SourceError(
            f"网页 {name} 的标签超过 {MAX_TAGS:,} 个,不像一篇文章页面,已拒绝读取。请只保存文章页面,或复制正文后粘贴。"
        )
    # Precision first: on a short page the default recall pass keeps menus and footers made of <div>s.
    # No extensive date search: it turns "截至2024年底" into 2024-01-01.
    options = {"with_metadata": True, "include_comments": False, "date_extraction_params": set_date_params(False)}

    def extract(tree: HtmlElement):
        found = trafilatura.bare_extraction(tree, favor_precision=True, **options)
        return found if _length(found) >= MIN_ARTICLE_CHARS else trafilatura.bare_extraction(tree, **options)

    try:
        html = decode_html(data, name)
        tree = load_html(html)
        if tree is None:
            raise no_article
        etree.strip_elements(tree, "template", with_tail=False)  # never shown; trafilatura reads its dates
        meta_author = _meta_author(tree)
        page_text = clean_line(tree.text_content())
        # Text the page hides (an author, a date, words for search engines) is not the article's; a page
        # that hides more text than the article found (its article, until a script shows it) is read
        # again as it is, and the longer article kept.
        hidden_chars = _without_hidden(tree)
        found = extract(tree)
        if hidden_chars >= max(_length(found), MIN_ARTICLE_CHARS):
            whole = load_html(html)
            etree.strip_elements(whole, "template", with_tail=False)
            again = extract(whole)
            if _length(again) >= max(2 * _length(found), MIN_ARTICLE_CHARS):
                tree, found = whole, again
    except SourceError:
        raise
    except Exception as exc:  # lxml/trafilatura raise many kinds on broken markup
        raise SourceError(
            f"无法解析网页 {name}({type(exc).__name__})。请在浏览器中重新保存网页,或复制正文后粘贴。"
        ) from exc
    if _length(found) < MIN_ARTICLE_CHARS:
        raise no_article
    paragraphs = _lines(found.body)
    author = _person(found.author) or _person(meta_author)
    article = ReadArticle(
        paragraphs=paragraphs,
        title=clean_title(found.title),
        date=iso_date(found.date),
        author=author,
        site=clean_line(found.sitename) if found.sitename else None,
        url=clean_url(found.url),  # the page's canonical or og:url address, when it gives one
    )
    # What trafilatura missed may stand in the page's own meta line: `发布时间:2023年11月8日 来源:某报`,
    # kept as a line before the body or, more often dropped, under the headline. The publication date
    # it shows is the one the reader sees: trafilatura reads 2023-02-30 as 2023-02-01.
    lines = info_lines(tree, article.title)
    credit = None if author else find_byline(lines)  # writers only: an editor is never the author
    shown, day = published_date(lines)
    article = replace(
        article,
        author=author or ("、".join(credit.names) if credit else None),
        date=day if shown else article.date or lead_date(article) or info_date(lines),
        site=article.site or find_publisher(lead_lines(article)) or find_source(lines),
    )
    if credit:
        return article, credit.shown
    return article, byline(author, page_text) if author else None
