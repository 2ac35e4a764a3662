"""Find article files on disk and read them (through `qa.ingest`, whatever their format); decode text
files whatever their encoding (UTF-8 or GB18030)."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SourceError

SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class FileDocument:
    """A document read from a file given to `build-index` (the file is re-read when it changes)."""

    document: Any  # qa.ingest.Document
    path: Path

    @property
    def sha256(self) -> str:
        return self.document.sha256

    @property
    def name(self) -> str:
        return self.document.name


def find_source_files(paths: list[Path]) -> list[Path]:
    """Expand files and directories into a sorted list of article files."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise SourceError(f"找不到来源文件或目录:{path}。请检查 --source 参数的路径。")
        if path.is_dir():
            try:
                found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            except PermissionError as exc:
                raise SourceError(f"无法读取目录:{path}({exc.strerror})。请检查目录权限。") from exc
            if not found:
                raise SourceError(f"目录 {path} 中没有文章文件({'、'.join(SUFFIXES)})。")
            files.extend(found)
        else:
            files.append(path)
    return files


def decode_text(data: bytes, label: str) -> str:
    """Decode UTF-8 (with or without BOM) or GB18030/GBK; reject binary and other encodings."""
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


def read_source(path: Path) -> FileDocument:
    """Read one article file (text, HTML, PDF or Word); errors name the file and the fix."""
    from .ingest import read_path

    return FileDocument(read_path(path), path)


def read_sources(paths: list[Path]) -> list[FileDocument]:
    """Read every article under `paths`."""
    return [read_source(p) for p in find_source_files(paths)]


def file_sha256(path: Path) -> str:
    """Hash of a file's bytes, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
