"""The one result type of the ingest package."""

from __future__ import annotations

from dataclasses import dataclass

PASTED_NAME = "粘贴的文本"


@dataclass(frozen=True)
class Document:
    """One article read from a file, a web page or pasted text."""

    text: str  # shaped for qa.ingest.chunking.chunk_article: title, date, byline, paragraphs, `来源:` footer
    name: str  # file name as given, or "粘贴的文本"
    format: str  # "html" | "pdf" | "docx" | "text"
    sha256: str  # of the raw bytes (for pasted text: of its UTF-8 encoding)
    size: int  # bytes
    title: str | None = None
    date: str | None = None  # "YYYY-MM-DD" when known
    author: str | None = None
    site: str | None = None
    url: str | None = None  # a web page's own http(s) address, when it declares one
