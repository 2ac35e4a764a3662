"""Plain text and Markdown files, and text pasted in the browser: kept as they are."""

from __future__ import annotations

from ..errors import SourceError
from ..sources import decode_text
from .detect import SUPPORTED


def read_plain(data: bytes, name: str) -> str:
    """The file's text (UTF-8 or GB18030), unchanged but for line endings."""
    try:
        text = decode_text(data, name)
    except SourceError as exc:
        raise SourceError(f"{exc} 如果它不是文本文件:{SUPPORTED}。") from exc
    if not text.strip():
        raise SourceError(f"文件 {name} 是空的,没有可以索引的文字。请检查文件内容后重试。")
    return text


def clean_pasted(text: str, title: str | None = None) -> str:
    """Pasted text with Unix line endings, the title (when given and not already there) on the first line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise SourceError("粘贴的文本是空的。请先复制文章的正文,再粘贴到输入框中。")
    title = (title or "").strip()
    if title and text.lstrip().split("\n", 1)[0].strip() != title:
        text = f"{title}\n\n{text}"
    return text
