"""Lay an extracted article out the way the chunker reads a copied page: title, date and byline lines,
the paragraphs separated by blank lines, and a `来源:` footer."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..text.normalize import SENTENCE_END, ends_sentence
from .bylines import BYLINE_RE, DATE_RE, iso_day

TITLE_MAX_CHARS = 80
URL_MAX_CHARS = 2000  # a page's own address; longer ones are not kept
URL_SCHEMES = ("http", "https")
_URL_FORBIDDEN = set("<>\"'`\\{}|^")  # never unescaped in a real page address; markup or script in a hostile one
META_LINE_MAX_CHARS = 60  # "2024-04-23 09:30 来源:某某日报 记者 某某" and the like
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_SPACE_RE = re.compile(r"\s+")
# Every control and format character (Unicode Cc and Cf) but tab and line ends: what a page may hide in
# text (zero-width and direction marks, bidi embeddings: U+202E turns the text after it around, soft
# hyphens, BOMs, tag characters U+E0000–E007F).
_INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_LINE_ENDS = str.maketrans(dict.fromkeys("\x0b\x0c\x1c\x1d\x1e\x85", "\n"))
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_GAP_RE = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_REPORTER_RE = r"(本报记者|记者|通讯员|实习生|作者)"


@dataclass(frozen=True)
class ReadArticle:
    """What a format reader found: metadata (None when unknown) and the body's paragraphs in order."""

    paragraphs: list[str]
    title: str | None = None
    date: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None  # the page's own address (<link rel="canonical"> or og:url), http(s) only


def drop_invisible(text: str) -> str:
    """`text` without control and format characters: tabs and line ends kept, the controls that end a
    line (vertical tab and form feed from Word or PowerPoint, NEL, the file/group/record separators)
    made line ends."""
    return _INVISIBLE_RE.sub("", text.translate(_LINE_ENDS))


def clean_line(text: str, join_cjk: bool = False) -> str:
    """One line of text with whitespace folded; `join_cjk` also drops spaces between Chinese characters
    (gaps that PDF layout leaves, not the separators a headline uses)."""
    text = _SPACE_RE.sub(" ", drop_invisible(text)).strip()
    return _CJK_GAP_RE.sub("", text) if join_cjk else text


def clean_title(title: str | None) -> str | None:
    """A title fit for the first line: one line, at most TITLE_MAX_CHARS, no sentence end."""
    if not title:
        return None
    title = clean_line(title)[:TITLE_MAX_CHARS].rstrip(SENTENCE_END + " ")
    return title or None


def clean_url(url: str | None) -> str | None:
    """A web address fit to link to: http or https with a host, at most URL_MAX_CHARS, without white space,
    control characters or quotes; None for anything else (javascript:, data:, relative, hostile or huge)."""
    url = (url or "").strip()
    if not url or len(url) > URL_MAX_CHARS:
        return None
    if any(ch in _URL_FORBIDDEN or ch.isspace() or unicodedata.category(ch).startswith("C") for ch in url):
        return None
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port  # reading the port raises ValueError for one that is not
    except ValueError:  # a malformed port or IPv6 address
        return None
    return url if parts.scheme.lower() in URL_SCHEMES and host else None


def iso_date(value: str | None) -> str | None:
    """'YYYY-MM-DD' from the start of an ISO date or timestamp, else None."""
    match = _ISO_DATE_RE.match(value or "")
    return "-".join(match.groups()) if match else None


def clean_author(author: str | None) -> str | None:
    """The name(s) without a leading 记者/作者/文/ label."""
    if not author:
        return None
    author = clean_line(BYLINE_RE.sub("", clean_line(author)))
    author = re.sub(rf"^{_REPORTER_RE}[\s:：]*", "", author)
    return author or None


def byline(author: str, context: str = "") -> str:
    """`记者 张三` when the page calls the author a reporter (or the like), else `文/张三`."""
    match = re.search(rf"{_REPORTER_RE}[\s:：/]*{re.escape(author)}", context)
    label = match.group(1) if match and match.group(1) != "作者" else "文/"
    return f"{label}{author}" if label.endswith("/") else f"{label} {author}"


def is_meta_line(line: str, article: ReadArticle) -> bool:
    """A short line before the body that only repeats the title, the author, the date or the source."""
    if len(line) > META_LINE_MAX_CHARS or ends_sentence(line):
        return False
    if line in (article.title, article.author):
        return True
    return bool(BYLINE_RE.match(line) or DATE_RE.search(line) or "来源" in line or "发布时间" in line)


def lead_lines(article: ReadArticle) -> list[str]:
    """The meta lines before the body (e.g. `发布时间:2023年11月8日 来源:某报`)."""
    lines: list[str] = []
    for line in (clean_line(p) for p in article.paragraphs):
        if line and not is_meta_line(line, article):
            break
        lines.append(line)
    return lines


def lead_date(article: ReadArticle) -> str | None:
    """'YYYY-MM-DD' from the first date in the meta lines before the body."""
    match = next((m for m in map(DATE_RE.search, lead_lines(article)) if m), None)
    return iso_day(match.group(0)) if match else None


def body_paragraphs(article: ReadArticle) -> list[str]:
    """The paragraphs, cleaned, with the page's own title/date/byline lines before the body dropped."""
    paragraphs = [p for p in (clean_line(p) for p in article.paragraphs) if p]
    start = 0
    while start < len(paragraphs) and is_meta_line(paragraphs[start], article):
        start += 1
    return paragraphs[start:]


def shape_text(article: ReadArticle, byline_line: str | None = None) -> str:
    """The chunker-shaped text: head lines, a blank line, paragraphs separated by blank lines, footer."""
    head: list[str] = []
    if article.title:
        head.append(article.title)
    match = _ISO_DATE_RE.match(article.date or "")
    if match:
        year, month, day = (int(g) for g in match.groups())
        head.append(f"{year}年{month}月{day}日")
    if byline_line:
        head.append(byline_line)
    parts = ["\n".join(head)] if head else []
    parts.extend(body_paragraphs(article))
    if article.site:
        parts.append(f"来源:{article.site}")
    return "\n\n".join(parts) + "\n"
