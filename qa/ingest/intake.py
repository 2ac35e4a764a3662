"""What a reader hands in to be added — files or directories, uploaded bytes, pasted text — read into
documents, each one that cannot be read set aside with the reason (the one reading step of adding)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from ..progress import READING, Progress, silent
from .document import PASTED_NAME, Document
from .isolated import read_isolated, read_path_isolated
from .reader import read_document, read_pasted, read_path
from .sources import find_source_files


@dataclass(frozen=True)
class Upload:
    """A file's bytes as they arrived (a browser upload, an HTTP request, a Python caller) and its name."""

    data: bytes
    name: str = "未命名文件"


@dataclass(frozen=True)
class Pasted:
    """Text pasted as an article; its first line is the headline unless `title` is given."""

    text: str
    title: str | None = None

    @property
    def name(self) -> str:
        return PASTED_NAME


Source = Path | str | Upload | Pasted | Document


@dataclass(frozen=True)
class Intake:
    """The documents read, and (name, message) for each source that could not be."""

    documents: list[Document]
    problems: list[tuple[str, str]]


def _read_one(source: Upload | Pasted | Path, isolated: bool) -> Document:
    if isinstance(source, Upload):
        return read_isolated(source.data, source.name) if isolated else read_document(source.data, source.name)
    if isinstance(source, Pasted):
        return read_pasted(source.text, source.title)
    return read_path_isolated(source) if isolated else read_path(source)


def read_all(sources: Iterable[Source], isolated: bool = False, progress: Progress = silent) -> Intake:
    """Read every source; a directory gives its article files. `isolated` (anything from outside:
    uploads) reads each file in a bounded child process and takes a path only as one regular file;
    BusyError (no reader free) is raised, not set aside."""
    documents: list[Document] = []
    problems: list[tuple[str, str]] = []
    sources = list(sources)
    for number, source in enumerate(sources):
        progress(READING, number, len(sources))
        if isinstance(source, Document):
            documents.append(source)
            continue
        if isinstance(source, (str, Path)) and isolated:
            items: list = [Path(source)]  # from outside: one regular file, never a directory to walk
        elif isinstance(source, (str, Path)):
            try:
                items = find_source_files([Path(source)])
            except SourceError as exc:
                problems.append((str(source), str(exc)))
                continue
        else:
            items = [source]
        for item in items:
            try:
                documents.append(_read_one(item, isolated))
            except SourceError as exc:
                problems.append((item.name, str(exc)))
    progress(READING, len(sources), len(sources))
    return Intake(documents, problems)
