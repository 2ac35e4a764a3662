"""Plain text and Markdown files (UTF-8 or GB18030, told apart here), and text pasted in the browser:
kept as they are."""

from __future__ import annotations

import unicodedata

from ..errors import SourceError
from .detect import SUPPORTED, UTF16_BOMS
from .shape import drop_invisible

ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes, label: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030/GBK; reject binary and other encodings."""
    if data.startswith(UTF16_BOMS):
        try:
            text = data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            raise SourceError(f"{label} 标明是 UTF-16 编码,但内容无法按 UTF-16 读取。请另存为 UTF-8 后重试。") from None
        return text.replace("\r\n", "\n").replace("\r", "\n")
    if b"\x00" in data:
        raise SourceError(f"{label} 不是文本文件(含有二进制内容)。请提供 UTF-8 或 GB18030 编码的 .txt/.md 文章。")
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text.replace("\r\n", "\n").replace("\r", "\n")
    raise SourceError(f"无法识别 {label} 的编码。请将文件另存为 UTF-8 或 GB18030 编码后重试。")


def _looks_like_text(text: str) -> bool:
    """False when many characters are controls or private-use: a wrong guess of encoding."""
    if not text:
        return True
    odd = sum(1 for ch in text if ch not in "\n\r\t" and unicodedata.category(ch) in ("Cc", "Co", "Cs"))
    return odd / len(text) < 0.01


def read_plain(data: bytes, name: str) -> str:
    """The file's text (UTF-8 or GB18030), unchanged but for line endings and invisible characters."""
    try:
        text = drop_invisible(decode_text(data, name))
    except SourceError as exc:
        raise SourceError(f"{exc} 如果它不是文本文件:{SUPPORTED}。") from exc
    if not text.strip():
        raise SourceError(f"文件 {name} 是空的,没有可以索引的文字。请检查文件内容后重试。")
    return text


def clean_pasted(text: str, title: str | None = None) -> str:
    """Pasted text with Unix line endings, the title (when given and not already there) on the first line."""
    text = drop_invisible(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise SourceError("粘贴的文本是空的。请先复制文章的正文,再粘贴到输入框中。")
    title = (title or "").strip()
    if title and text.lstrip().split("\n", 1)[0].strip() != title:
        text = f"{title}\n\n{text}"
    return text
