"""Cut a raw article (as copied from a web page) into passages a reader would recognise."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..config import ChunkerSettings
from ..text.normalize import SENTENCE_END, ends_sentence, split_sentences
from .bylines import BULLETS, is_header_line, without_closing_note

CHROME_TOKENS = frozenset(
    "放大 缩小 默认 返回版面 版面导航 关闭 关闭窗口 打印 打印本页 返回顶部 返回首页 上一篇 下一篇 上一版 下一版 "
    "分享到 收藏 字号 【大 中 小】 [大 中 小]".split()
)
CAPTION_MAX_CHARS = 80
_CLAUSE_RE = re.compile(r"[^，,、：:]+[，,、：:]*|[，,、：:]+")

SECTION_HEAD = "标题"
SECTION_CAPTION = "图片说明"
SECTION_LEAD = "导语"
SECTION_FOOTER = "页脚"
SYNTHETIC_SECTIONS = frozenset({SECTION_HEAD, SECTION_CAPTION, SECTION_LEAD, SECTION_FOOTER})


@dataclass(frozen=True)
class Chunk:
    """One passage: a paragraph (or a window of a long one), a caption, the header or the footer."""

    chunk_id: int
    text: str
    section: str
    source: str
    paragraph: int
    kind: str
    article: str = ""  # the id of the article it belongs to

    @property
    def search_text(self) -> str:
        """What retrieval sees: a real heading takes part in matching, a synthetic label does not."""
        if self.section and self.section not in SYNTHETIC_SECTIONS:
            return f"{self.section}\n{self.text}"
        return self.text

    def to_dict(self) -> dict:
        """The fields in order, written out (`dataclasses.asdict` costs ~10× more: an add writes every passage)."""
        return {"chunk_id": self.chunk_id, "text": self.text, "section": self.section, "source": self.source,
                "paragraph": self.paragraph, "kind": self.kind, "article": self.article}


def strip_chrome(line: str) -> str:
    """Drop web-page chrome tokens at either end of a line; an all-chrome line becomes empty."""
    tokens = line.split()
    while tokens and tokens[-1] in CHROME_TOKENS:
        tokens.pop()
    while tokens and tokens[0] in CHROME_TOKENS:
        tokens.pop(0)
    return " ".join(tokens) if len(tokens) != len(line.split()) else line.strip()


def _blocks(lines: list[str]) -> list[list[int]]:
    """Runs of indices of non-empty lines, separated by blank lines."""
    blocks: list[list[int]] = [[]]
    for i, line in enumerate(lines):
        if line:
            blocks[-1].append(i)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _pack(parts: list[str], max_chars: int, joiner: str = "") -> list[str]:
    """Consecutive parts (each at most `max_chars`) joined greedily into runs of at most `max_chars`."""
    runs: list[str] = []
    for part in parts:
        if runs and len(runs[-1]) + len(joiner) + len(part) <= max_chars:
            runs[-1] += joiner + part
        else:
            runs.append(part)
    return runs


def _cut(text: str, max_chars: int) -> list[str]:
    """A sentence longer than `max_chars` cut after clause marks, and a run without any at `max_chars`."""
    if len(text) <= max_chars:
        return [text]
    slices = [c[i : i + max_chars] for c in _CLAUSE_RE.findall(text) for i in range(0, len(c), max_chars)]
    return _pack(slices, max_chars)


def _windows(paragraph: str, max_chars: int) -> list[str]:
    """A paragraph as is, or cut at sentence ends into windows of at most `max_chars` (a longer
    sentence is cut at clause marks, then at `max_chars`): no passage is longer."""
    if len(paragraph) <= max_chars:
        return [paragraph]
    return _pack([piece for s in split_sentences(paragraph) or [paragraph] for piece in _cut(s, max_chars)], max_chars)


def _bounded(lines: list[str], max_chars: int) -> list[str]:
    """Lines (the header or the footer) joined by newlines into passages of at most `max_chars`."""
    return _pack([piece for line in lines for piece in _cut(line, max_chars)], max_chars, "\n")


def _is_fragment(line: str) -> bool:
    """A caption-like line: not empty, not too long, and ending no sentence."""
    return bool(line) and len(line) <= CAPTION_MAX_CHARS and not _ends_body(line)


def _ends_body(line: str) -> bool:
    """Whether a line ends a sentence, before the （…） note (a byline, a source) that may close it."""
    return ends_sentence(line) or ends_sentence(without_closing_note(line))


def chunk_article(text: str, file_name: str, settings: ChunkerSettings = ChunkerSettings()) -> tuple[str, list[Chunk]]:
    """Return the article's title and its chunks (ids are 0; the caller numbers them)."""
    markdown = file_name.lower().endswith(".md")
    raw = [strip_chrome(line) for line in text.split("\n")]
    md_heading = [markdown and line.startswith("#") for line in raw]
    lines = [line.lstrip("#").strip() if md else line for line, md in zip(raw, md_heading)]
    nonempty = [i for i, line in enumerate(lines) if line]
    if not nonempty:
        return file_name, []

    short = settings.heading_max_chars
    first = nonempty[0]
    title = lines[first] if len(lines[first]) <= 80 and not ends_sentence(lines[first]) else ""
    # Whatever follows the last sentence of the body (address, copyright, hotlines) is the footer.
    body_end = max((i for i in nonempty if _ends_body(lines[i])), default=nonempty[-1])

    head: list[str] = [title] if title else []
    footer: list[str] = []
    units: list[tuple[str, str, str]] = []  # (kind, section, text)
    section = SECTION_LEAD
    seen_body = False
    for block in _blocks(lines):
        for pos, i in enumerate(block):
            line = lines[i]
            if title and (i == first or line.rstrip(SENTENCE_END) == title.rstrip(SENTENCE_END)):
                continue  # the headline, and its repeats (a page's <h1> keeps the ？ its <title> lost)
            if i > body_end:
                footer.append(line)
            elif md_heading[i]:
                section = line
            elif not seen_body and (is_header_line(line, short) or (title and first in block and _is_fragment(line))):
                head.append(line.strip(BULLETS))  # a byline, date or meta line, or the title's subtitle
            elif _ends_body(line) or len(line) > CAPTION_MAX_CHARS:
                seen_body = True
                units.append(("body", section, line))
            else:
                before = lines[block[pos - 1]] if pos > 0 else ""
                after = lines[block[pos + 1]] if pos + 1 < len(block) else ""
                # Runs of lines that end no sentence are photo captions; a lone short one is a heading.
                if _is_fragment(before) or _is_fragment(after):
                    units.append(("caption", SECTION_CAPTION, line))
                elif len(line) <= short:
                    section = line
                else:
                    seen_body = True
                    units.append(("body", section, line))

    source = title or file_name
    chunks: list[Chunk] = []
    chunks.extend(Chunk(0, part, SECTION_HEAD, source, 0, "head") for part in _bounded(head, settings.max_chars))
    paragraph = 0
    for kind, sec, unit in units:
        if kind == "body":
            paragraph += 1
            chunks.extend(Chunk(0, w, sec, source, paragraph, kind) for w in _windows(unit, settings.max_chars))
        else:
            chunks.append(Chunk(0, unit, sec, source, 0, kind))
    chunks.extend(Chunk(0, part, SECTION_FOOTER, source, 0, "footer") for part in _bounded(footer, settings.max_chars))
    return source, chunks
