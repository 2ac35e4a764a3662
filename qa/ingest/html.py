"""News pages: decode by the declared charset, then trafilatura finds the article and its metadata."""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import replace

from lxml.html import HtmlElement

from ..errors import SourceError
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
    try:
        tree = load_html(decode_html(data, name))
        if tree is None:
            raise no_article
        meta_author = _meta_author(tree)
        page_text = clean_line(tree.text_content())
        # Precision first: on a short page the default recall pass keeps menus and footers made of <div>s.
        # No extensive date search: it turns "截至2024年底" into 2024-01-01.
        options = {"with_metadata": True, "include_comments": False, "date_extraction_params": set_date_params(False)}
        found = trafilatura.bare_extraction(tree, favor_precision=True, **options)
        if _length(found) < MIN_ARTICLE_CHARS:
            found = trafilatura.bare_extraction(tree, **options)
    except SourceError:
        raise
    except Exception as exc:  # lxml/trafilatura raise many kinds on broken markup
        raise SourceError(
            f"无法解析网页 {name}({type(exc).__name__})。请在浏览器中重新保存网页,或复制正文后粘贴。"
        ) from exc
    if _length(found) < MIN_ARTICLE_CHARS:
        raise no_article
    paragraphs = _lines(found.body)
    author = clean_author(found.author) or clean_author(meta_author)
    article = ReadArticle(
        paragraphs=paragraphs,
        title=clean_title(found.title),
        date=iso_date(found.date),
        author=author,
        site=clean_line(found.sitename) if found.sitename else None,
        url=clean_url(found.url),  # the page's canonical or og:url address, when it gives one
    )
    # What trafilatura missed may stand in the page's own meta line: `发布时间:2023年11月8日 来源:某报`.
    article = replace(
        article, date=article.date or lead_date(article), site=article.site or find_publisher(lead_lines(article))
    )
    return article, byline(author, page_text) if author else None
