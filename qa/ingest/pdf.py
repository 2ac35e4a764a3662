"""Text PDFs through pypdf: lines joined back into paragraphs, the title from the metadata or the first line."""

from __future__ import annotations

import io
import logging
import re
import unicodedata

from ..errors import SourceError
from ..text.normalize import ends_sentence
from .shape import TITLE_MAX_CHARS, ReadArticle, byline, clean_author, clean_line, clean_title

logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings about slightly malformed files

# Glyphs that CJK fonts share with radicals often map back to the radical (⻋ for 车, ⼴ for 广).
# NFKC folds the Kangxi radicals; the simplified forms of the supplement need a table.
_RADICALS = str.maketrans(
    "⺠⺰⻄⻅⻆⻈⻉⻋⻐⻓⻔⻘⻙⻚⻛⻜⻝⻠⻢⻣⻤⻥⻦⻧⻩⻪⻬⻮⻰⻳",
    "民纟西见角讠贝车钅长门青韦页风飞食饣马骨鬼鱼鸟卤黄黾齐齿龙龟",
)
_KANGXI_RE = re.compile(r"[\u2f00-\u2fdf]")
_PAGE_NUMBER_RE = re.compile(r"^(?:[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页.*|\d+\s*/\s*\d+|page \d+.*)$", re.IGNORECASE)
_JUNK_TITLES_RE = re.compile(
    r"^(?:untitled|无标题|microsoft word|document\d*|文档\d*)$|\.(?:docx?|pdf|wps|txt)$", re.IGNORECASE
)
_JUNK_AUTHORS = {"administrator", "admin", "user", "owner", "(unspecified)", "unknown", "微软用户", "用户"}
_INDENT = 2  # leading spaces (layout mode) that mark a first line


def fix_radicals(text: str) -> str:
    """Radical code points back to the ordinary characters they stand for."""
    text = _KANGXI_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    return text.translate(_RADICALS)


def _join(left: str, right: str) -> str:
    """Two pieces of one paragraph: a space only between Latin letters or digits."""
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def page_paragraphs(layout: str) -> list[str]:
    """Paragraphs of one page laid out as text: a blank line, or an indented line after a sentence end,
    starts a new one; other line breaks (mid-sentence in Chinese) are joined."""
    lines = [line.rstrip() for line in fix_radicals(layout).split("\n")]
    margin = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        text = clean_line(line, join_cjk=True)
        if not text or _PAGE_NUMBER_RE.match(text):
            if current:
                paragraphs.append(current)
            current = ""
            continue
        indented = len(line) - len(line.lstrip()) - margin >= _INDENT
        if current and indented and ends_sentence(current):
            paragraphs.append(current)
            current = ""
        current = _join(current, text)
    if current:
        paragraphs.append(current)
    return paragraphs


def _merge_pages(pages: list[list[str]]) -> list[str]:
    """A paragraph that runs over a page break (no sentence end at the bottom) continues on the next page."""
    paragraphs: list[str] = []
    for page in pages:
        for i, paragraph in enumerate(page):
            if i == 0 and paragraphs and not ends_sentence(paragraphs[-1]) and len(paragraphs[-1]) > TITLE_MAX_CHARS:
                paragraphs[-1] = _join(paragraphs[-1], paragraph)
            else:
                paragraphs.append(paragraph)
    return paragraphs


def _page_text(page) -> str:
    """The page laid out as text (keeps blank lines and indents); plain extraction if layout mode fails."""
    try:
        return page.extract_text(extraction_mode="layout")
    except Exception:  # noqa: BLE001 -- layout mode is stricter about odd fonts than plain mode
        return page.extract_text()


def _meta(value) -> str | None:
    return clean_line(str(value)) if value else None


def read_pdf(data: bytes, name: str) -> tuple[ReadArticle, str | None]:
    """The text of a PDF; encrypted and image-only files get a message saying what to do."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError(
                f"PDF 文件 {name} 已加密,需要密码才能打开。请先去掉密码(另存或打印为不加密的 PDF)后重试。"
            )
        pages = [page_paragraphs(_page_text(page)) for page in reader.pages]
        info = reader.metadata or {}
        title, author = _meta(info.get("/Title")), _meta(info.get("/Author"))
    except SourceError:
        raise
    except DependencyError as exc:
        raise SourceError(
            f"PDF 文件 {name} 使用了 AES 加密,需要安装 cryptography 包才能读取(pip install cryptography)。"
        ) from exc
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as exc:
        raise SourceError(
            f"PDF 文件 {name} 已损坏或格式不正确,无法读取({type(exc).__name__})。请重新导出 PDF 后重试。"
        ) from exc
    paragraphs = _merge_pages(pages)
    if not any(p.strip() for p in paragraphs):
        raise SourceError(
            f"PDF 文件 {name} 中没有可提取的文字,可能是扫描件或图片。请先用 OCR 工具转换成文字,或复制正文后粘贴。"
        )
    if title and _JUNK_TITLES_RE.search(title):
        title = None
    if not title and paragraphs and len(paragraphs[0]) <= TITLE_MAX_CHARS and not ends_sentence(paragraphs[0]):
        title = paragraphs[0]
    author = None if author and author.lower() in _JUNK_AUTHORS else clean_author(author)
    article = ReadArticle(paragraphs=paragraphs, title=clean_title(title), author=author)
    return article, byline(author, "\n".join(paragraphs)) if author else None
