"""What an article says about itself — headline, date, byline, publisher, lead — read from its header,
footer and first passages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.normalize import split_sentences
from .chunking import BYLINE_RE, DATE_RE, Chunk

_PUBLISHER_RE = re.compile(
    r"^([\u4e00-\u9fff]{2,12}(?:报业集团|日报社|晚报社|报社|日报|晚报|晨报|时报|星报|商报|青年报|新闻网|电视台|广播电台|通讯社))"
)
_SOURCE_RE = re.compile(r"(?:来源|稿源|出处|转自|转载自)\s*[:：]\s*([^\s,，。;；|]{2,24})")
_CUT_RE = re.compile(r"[^\u4e00-\u9fff]+|[为由是的在属归]")
SUMMARY_CHARS = 160


@dataclass(frozen=True)
class ArticleInfo:
    """What an article says about itself, and the passages that say it."""

    source: str
    title: str
    date: str | None
    byline: str | None
    publisher: str | None
    lead: str
    head: Chunk | None
    lead_chunks: tuple[Chunk, ...]
    footer: Chunk | None


def find_publisher(texts: list[str]) -> str | None:
    """A newspaper, site or agency named as the source or the copyright holder."""
    for text in texts:
        match = _SOURCE_RE.search(text)
        if match:
            return match.group(1)
    for text in texts:
        for run in _CUT_RE.split(text):
            match = _PUBLISHER_RE.match(run)
            if match:
                return match.group(1)
    return None


def article_info(chunks: list[Chunk]) -> ArticleInfo:
    """Header facts of one article's chunks (in reading order)."""
    head = next((c for c in chunks if c.kind == "head"), None)
    footer = next((c for c in chunks if c.kind == "footer"), None)
    body = [c for c in chunks if c.kind == "body"]
    lines = head.text.split("\n") if head else []
    date = next((m.group(0) for line in lines for m in [DATE_RE.search(line)] if m), None)
    byline = next((line.strip() for line in lines if BYLINE_RE.match(line)), None)
    lead_chunks: list[Chunk] = []
    lead = ""
    for chunk in body:
        if len(lead) >= SUMMARY_CHARS:
            break
        lead_chunks.append(chunk)
        for sentence in split_sentences(chunk.text):
            if len(lead) >= SUMMARY_CHARS:
                break
            lead += sentence
    source = chunks[0].source if chunks else ""
    title = source if lines and lines[0] == source else ""  # else the source is a file name
    publisher = find_publisher([c.text for c in (head, footer) if c])
    return ArticleInfo(source, title, date, byline, publisher, lead, head, tuple(lead_chunks), footer)
