"""Read an article from bytes, a path or pasted text, whatever its format (decided from the content)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import SourceError
from .detect import detect_format
from .document import PASTED_NAME, Document
from .docx import read_docx
from .html import read_html
from .limits import MAX_FILE_BYTES, check_text, check_title, clean_name, megabytes, too_large
from .pdf import read_pdf
from .plain import clean_pasted, read_plain
from .shape import shape_text

SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
_READERS = {"html": read_html, "pdf": read_pdf, "docx": read_docx}


def read_document(data: bytes, name: str, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """One article from a file's bytes; SourceError (in Chinese, naming the file) when it cannot be read
    or is not an article's size (`qa.ingest.limits`)."""
    name = clean_name(name, "未命名文件")
    if len(data) > max_bytes:
        raise too_large(name, len(data), max_bytes)
    if not data.strip():
        raise SourceError(f"文件 {name} 是空的,没有可以索引的文字。请检查文件内容后重试。")
    kind = detect_format(data, name)
    digest = hashlib.sha256(data).hexdigest()
    if kind == "text":
        text = check_text(read_plain(data, name), f"文件 {name} ")
        return Document(text=text, name=name, format="text", sha256=digest, size=len(data))
    article, byline = _READERS[kind](data, name)
    return Document(
        text=check_text(shape_text(article, byline), f"文件 {name} "),
        name=name,
        format=kind,
        sha256=digest,
        size=len(data),
        title=article.title,
        date=article.date,
        author=article.author,
        site=article.site,
        url=article.url,
    )


def read_file_bytes(path: Path, max_bytes: int = MAX_FILE_BYTES, shown: str | None = None) -> bytes:
    """A regular file's bytes, its size checked before reading; SourceError naming the problem and the
    file as `shown` (default: its path; a server names an upload only by its file name)."""
    path = Path(path)
    shown = shown or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise SourceError(f"找不到文件:{shown}。请检查路径是否正确。") from exc
    except OSError as exc:
        raise SourceError(f"无法读取文件:{shown}({exc.strerror or exc})。请检查文件权限。") from exc
    if path.is_dir():
        raise SourceError(f"{shown} 是目录,不是文件。请选择一篇文章文件。")
    if not path.is_file():  # a device or a pipe (/dev/zero) would never end
        raise SourceError(f"{shown} 不是普通文件。请选择一篇文章文件。")
    if size > max_bytes:
        raise too_large(path.name, size, max_bytes)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"无法读取文件:{shown}({exc.strerror or exc})。请检查文件权限。") from exc


def read_path(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read a file (its size checked before reading) and then its article."""
    path = Path(path)
    return read_document(read_file_bytes(path, max_bytes), path.name, max_bytes)


def read_pasted(text: str, title: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Text pasted in the browser, as a plain-text article; SourceError for a title that is not one
    line of at most 200 characters, or a text that is not an article's size."""
    title = check_title(title)
    text = check_text(clean_pasted(text, title), "粘贴的文本")
    data = text.encode("utf-8")
    if len(data) > max_bytes:
        raise SourceError(
            f"粘贴的文本太长({megabytes(len(data))}),超过了 {megabytes(max_bytes)} 的上限。请分几次粘贴。"
        )
    return Document(
        text=text,
        name=PASTED_NAME,
        format="text",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        title=title,
    )
