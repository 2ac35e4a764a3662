"""How much one article may hold, and the checks every reader applies before anything is indexed.

A file may be up to MAX_FILE_BYTES; its text, after reading, at most MAX_ARTICLE_CHARS characters
and at least MIN_ARTICLE_CHARS letters or digits; a title given with pasted text at most
MAX_TITLE_CHARS on one line; a file name is cut to MAX_NAME_CHARS. The chunker keeps every passage
within `ChunkerSettings.max_chars`, and an add refuses an article of more than MAX_ARTICLE_PASSAGES.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import islice

from ..errors import SourceError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ARTICLE_CHARS = 500_000  # about 1.5 MB of Chinese text: a long report, not a book
MIN_ARTICLE_CHARS = 10  # letters, digits or CJK characters
MAX_ARTICLE_PASSAGES = 3_000
MAX_TITLE_CHARS = 200
MAX_NAME_CHARS = 200

_CONTENT_RE = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


def _has_surrogates(text: str) -> bool:
    return bool(_SURROGATE_RE.search(text))


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def too_large(name: str, size: int, max_bytes: int = MAX_FILE_BYTES) -> SourceError:
    """The error for a file of `size` bytes over `max_bytes`."""
    return SourceError(
        f"文件 {name} 太大({megabytes(size)}),超过了 {megabytes(max_bytes)} 的上限。请只保留文章正文,或拆分成几个文件后重试。"
    )


def check_text(text: str, label: str) -> str:
    """The article's text if it is valid Unicode of an article's size; SourceError naming `label`
    ("粘贴的文本", "文件 a.txt ") else."""
    if _has_surrogates(text):
        raise SourceError(f"{label}含有无效的 Unicode 字符(孤立的代理码位),无法保存。请检查文字的编码后重试。")
    if len(text) > MAX_ARTICLE_CHARS:
        raise SourceError(
            f"{label}的正文太长({len(text):,} 个字符),超过了 {MAX_ARTICLE_CHARS:,} 个字符的上限。请拆分成几篇后分别添加。"
        )
    if sum(1 for _ in islice(_CONTENT_RE.finditer(text), MIN_ARTICLE_CHARS)) < MIN_ARTICLE_CHARS:
        raise SourceError(f"{label}的文字太少(不到 {MIN_ARTICLE_CHARS} 个字),不像一篇文章。请检查文件内容后重试。")
    return text


def check_title(title: str | None) -> str | None:
    """A title a caller gave: one line of valid text, at most MAX_TITLE_CHARS; SourceError else."""
    if title is None:
        return None
    title = title.strip()
    if _has_surrogates(title):
        raise SourceError("标题含有无效的 Unicode 字符(孤立的代理码位)。请检查后重试。")
    if any(unicodedata.category(ch) == "Cc" for ch in title):
        raise SourceError("标题含有控制字符(如换行或 NUL),请只写一行文字。")
    if len(title) > MAX_TITLE_CHARS:
        raise SourceError(f"标题太长({len(title)} 个字符),上限是 {MAX_TITLE_CHARS} 个字符。")
    return title or None


def clean_name(name: str | None, default: str) -> str:
    """A file name fit to show and store: its last path part, no control characters or invalid
    Unicode, at most MAX_NAME_CHARS (the suffix kept)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _SURROGATE_RE.sub("", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf")).strip()
    name = "" if name.strip(".") == "" else name  # ".", "..": a path's parts, not a name
    if len(name) > MAX_NAME_CHARS:
        stem, dot, suffix = name.rpartition(".")
        suffix = dot + suffix if dot and len(suffix) <= 10 else ""
        name = name[: MAX_NAME_CHARS - len(suffix)] + suffix
    return name or default
