"""Word .docx files through python-docx, after a zip-bomb check of the package."""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import SourceError
from ..text.normalize import ends_sentence
from .shape import ReadArticle, byline, clean_author, clean_line, clean_title

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_RATIO = 100  # uncompressed / compressed, for members large enough to matter
RATIO_MIN_BYTES = 1024 * 1024
MAX_PARAGRAPHS = 50_000  # a 300-page book has ~10,000
DOCUMENT_PART = "word/document.xml"
TITLE_LINES = 3
_PARAGRAPH_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?p[\s/>]")  # <w:p>, under any namespace prefix
_TAG_TAIL = 48


def check_package(data: bytes, name: str, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse a damaged zip, or one that would unpack to too much (a zip bomb), before opening it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise SourceError(f"Word 文件 {name} 已损坏,无法打开。请在 Word 中重新保存后重试。") from exc
    total = sum(m.file_size for m in members)
    bomb = (
        len(members) > MAX_MEMBERS
        or total > max_unpacked
        or any(m.file_size > RATIO_MIN_BYTES and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members)
    )
    if bomb:
        raise SourceError(
            f"Word 文件 {name} 解压后过大或结构异常(共 {len(members)} 个部件,解压后约 {total / 1024 / 1024:.0f} MB),"
            "可能是恶意文件,已拒绝读取。请确认文件来源,或复制正文后粘贴。"
        )
    if DOCUMENT_PART in {m.filename for m in members} and count_paragraphs(data) > MAX_PARAGRAPHS:
        raise SourceError(
            f"Word 文件 {name} 的段落超过 {MAX_PARAGRAPHS:,} 个,不像一篇文章,已拒绝读取。请只保留文章正文,或复制正文后粘贴。"
        )


def _lines(document) -> list[tuple[str, str]]:
    """(style name, text) of each paragraph and table row with text, in document order; the style
    only of the first TITLE_LINES (python-docx looks a style up in ~1 ms, and only they can be the title)."""
    from docx.table import Table

    lines: list[tuple[str, str]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(clean_line(cell.text) for cell in row.cells))  # merged cells repeat
                lines.append(("Table", " ".join(c for c in cells if c)))
        elif block.text.strip():
            style = block.style if len(lines) < TITLE_LINES else None
            lines.append((style.name if style is not None else "", block.text))
    return [(style, text) for style, text in lines if text.strip()]


def count_paragraphs(data: bytes) -> int:
    """How many paragraphs (`<w:p>` elements) the document part holds, counted while unpacking it."""
    count, tail = 0, b""
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(DOCUMENT_PART) as part:
        while block := part.read(1024 * 1024):
            window = tail + block
            cut = max(0, len(window) - _TAG_TAIL)  # a tag starting after `cut` may run on: counted next time
            count += sum(1 for m in _PARAGRAPH_RE.finditer(window) if m.start() < cut)
            tail = window[cut:]
    return count + len(_PARAGRAPH_RE.findall(tail))


def read_docx(data: bytes, name: str) -> tuple[ReadArticle, str | None]:
    """Paragraphs of a .docx; the title from its properties or its first Title/Heading paragraph."""
    check_package(data, name)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines = _lines(document)
        props = document.core_properties
        title, author = props.title, props.author
    except Exception as exc:  # python-docx, zipfile and lxml each raise their own kinds
        raise SourceError(
            f"Word 文件 {name} 已损坏或不是有效的 .docx 文件,无法读取({type(exc).__name__})。请在 Word 中重新保存后重试。"
        ) from exc
    if not lines:
        raise SourceError(f"Word 文件 {name} 中没有文字。请检查文件内容后重试。")
    paragraphs = [text for _, text in lines]
    if not (title or "").strip():
        styled = next((t for s, t in lines[:TITLE_LINES] if s.startswith(("Title", "Heading")) and not ends_sentence(t)), None)
        title = styled
    author = clean_author(author)
    article = ReadArticle(paragraphs=paragraphs, title=clean_title(title), author=author)
    return article, byline(author, "\n".join(paragraphs)) if author else None
