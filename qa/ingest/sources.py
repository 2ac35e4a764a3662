"""Find article files on disk and read them through `qa.ingest`, whatever their format."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from .document import Document
from .reader import SUFFIXES, read_path


@dataclass(frozen=True)
class FileDocument:
    """A document read from a file given to `build-index` (the file is re-read when it changes)."""

    document: Document
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
            raise SourceError(f"找不到来源文件或目录:{path}。请检查路径是否正确。")
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


def read_source(path: Path) -> FileDocument:
    """Read one article file (text, HTML, PDF or Word); errors name the file and the fix."""
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
