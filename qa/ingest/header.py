"""What an article says about itself — headline (and original headline), date, byline, publisher,
lead — read from its header, its opening dateline, the note closing its last paragraph and its footer
(the patterns in `bylines.py`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.normalize import split_sentences
from .bylines import (
    Byline,
    bracket_byline,
    closing_byline,
    closing_note,
    credit_line,
    dateline,
    find_byline,
    find_date,
    find_editors,
    find_source,
    labelled_date,
    meta_byline,
    original_title,
)
from .chunking import Chunk

_PUBLISHER_RE = re.compile(
    r"^([\u4e00-\u9fff]{2,12}(?:报业集团|日报社|晚报社|报社|日报|晚报|晨报|时报|星报|商报|青年报|新闻网|电视台|广播电台|通讯社))"
)
_CUT_RE = re.compile(r"[^\u4e00-\u9fff]+|[为由是的在属归]")
SUMMARY_CHARS = 160


@dataclass(frozen=True)
class ArticleInfo:
    """What an article says about itself, and the passages that say it."""

    source: str
    title: str
    date: str | None  # as written, with its time when given: 2019年9月24日, 2019-09-24 09:10, 6月8日
    byline: str | None  # one line, its role first: 记者 张三, 文/李四, 编译 王五 (or the bare names)
    publisher: str | None
    lead: str
    head: Chunk | None
    lead_chunks: tuple[Chunk, ...]
    footer: Chunk | None
    credit: Byline | None = None  # the byline's roles, names and outlet
    original_title: str | None = None
    editors: tuple[str, ...] = ()
    evidence: tuple[Chunk, ...] = ()  # where header facts are read: head, opening, closing, footer

    def passages_naming(self, text: str) -> tuple[Chunk, ...]:
        """The passages among `evidence` that hold `text` (the head first)."""
        return tuple(chunk for chunk in self.evidence if text and text in chunk.text)


def outlet_named(texts: list[str]) -> str | None:
    """A newspaper, site or agency named in a line (`某某日报社版权所有`, `某某晚报记者 张三`)."""
    for text in texts:
        for run in _CUT_RE.split(text):
            match = _PUBLISHER_RE.match(run)
            if match:
                return match.group(1)
    return None


def find_publisher(texts: list[str]) -> str | None:
    """A newspaper, site or agency named as the source or the copyright holder."""
    lines = [line for text in texts for line in text.split("\n")]
    return find_source(lines) or outlet_named(texts)


def _closing_facts(closing: Chunk | None, footer_lines: list[str]) -> tuple[Byline | None, list[str]]:
    """The byline the end of the article gives, and its note lines (the last paragraph's （…）, the footer)."""
    note = closing_note(closing.text) if closing else None
    notes = ([note] if note else []) + footer_lines
    byline = closing_byline(closing.text) if closing else None
    for line in footer_lines:
        byline = byline or credit_line(line) or closing_byline(line) or meta_byline(line)
    return (byline if byline and byline.writers else None), notes


def article_info(chunks: list[Chunk]) -> ArticleInfo:
    """Header facts of one article's chunks (in reading order)."""
    heads = [c for c in chunks if c.kind == "head"]
    footers = [c for c in chunks if c.kind == "footer"]
    body = [c for c in chunks if c.kind == "body"]
    head, footer = (heads[0] if heads else None), (footers[0] if footers else None)
    opening, closing = (body[0] if body else None), (body[-1] if body else None)
    lines = [line for c in heads for line in c.text.split("\n")]
    footer_lines = [line for c in footers for line in c.text.split("\n")]
    opened = next(filter(None, map(dateline, lines[1:] + ([opening.text] if opening else []))), None)
    ending, notes = _closing_facts(closing, footer_lines)
    byline = (
        find_byline(lines)
        or (opened.byline if opened and opened.byline and opened.byline.writers else None)
        or (bracket_byline(opening.text) if opening else None)
        or ending
    )
    source = chunks[0].source if chunks else ""
    title = source if lines and lines[0] == source else ""  # else the source is a file name
    # A date in the headline is the news's, not the article's (`2024年5月1日起实施`).
    date = find_date(lines[1:] if title else lines) or (opened.date if opened else None) or labelled_date(notes)
    publisher = (
        find_source(lines + notes)
        or (opened.outlet if opened else None)
        or (byline.outlet if byline else None)
        or outlet_named(lines + footer_lines)
    )
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
    evidence = tuple(dict.fromkeys(c for c in (*heads, opening, closing, *footers) if c is not None))
    return ArticleInfo(
        source, title, date, byline.line if byline else None, publisher, lead, head, tuple(lead_chunks), footer,
        byline, original_title(lines + notes), find_editors(lines + notes), evidence,
    )
