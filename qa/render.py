"""HTML for the chat: escaped text, highlighted matches, answer cards and the article view.

Everything that comes from the user or the article is escaped here before any markup is added.
"""

from __future__ import annotations

from collections.abc import Iterable

from .answering import NOT_FOUND as NOT_FOUND_TEXT
from .chunking import SECTION_CAPTION, SECTION_FOOTER, SECTION_HEAD, SECTION_LEAD, Chunk
from .highlight import match_spans
from .results import Answer, Passage
from .text import normalize

# HTML specials and the characters Markdown would act on, written as entities so the chat
# shows them exactly as typed.
_ENTITIES = {c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-.!|~$="}
NOT_FOUND_REPLY = "文章中没有找到相关内容。"


def escape(text: str) -> str:
    """HTML- and Markdown-escaped text; newlines become <br>."""
    return "".join(_ENTITIES.get(ch, ch) for ch in text).replace("\n", "<br>")


def highlight(text: str, terms: Iterable[str]) -> str:
    """Escaped text with every occurrence of `terms` (in any script or width) wrapped in <mark>."""
    out: list[str] = []
    last = 0
    for start, end in match_spans(text, [normalize(t) for t in terms]):
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def render_question(question: str) -> str:
    """The reader's question as it will appear in the chat: text only, never markup."""
    return escape(question)


def where(passage: Passage | Chunk) -> str:
    """A passage's place in the article: its section and paragraph number."""
    if passage.paragraph:
        return f"{passage.section} · 第 {passage.paragraph} 段"
    return passage.section


def _passage_card(number: int, passage: Passage) -> str:
    percent = max(0, min(100, round(passage.score * 100)))
    return (
        '<div class="qa-passage">'
        f'<div class="qa-meta"><span class="qa-rank">[{number}]</span> {escape(where(passage))}'
        f'<span class="qa-bar" title="相关度 {percent}%"><span style="width:{percent}%"></span></span>'
        f'<span class="qa-score">相关度 {percent}%</span></div>'
        f'<div class="qa-text">{highlight(passage.text, passage.matched)}</div>'
        "</div>"
    )


def render_answer(answer: Answer, topics: list[str] | None = None) -> str:
    """The bot's reply: the answer sentence first, then the evidence passages; or a polite not-found."""
    if not answer.found:
        if answer.text and answer.text != NOT_FOUND_TEXT:
            return f'<div class="qa-notice">{escape(answer.text)}</div>'
        hint = ""
        if topics:
            hint = "<br>这篇文章主要讲:" + "、".join(escape(t) for t in topics) + "。可以试着问问这些方面。"
        return f'<div class="qa-notfound">{NOT_FOUND_REPLY}{hint}</div>'
    terms = [t for p in answer.passages for t in p.matched]
    cards = "".join(_passage_card(i, p) for i, p in enumerate(answer.passages, start=1))
    phrase = f'<strong class="qa-phrase">{escape(answer.phrase)}</strong>' if answer.phrase else ""
    return (
        f'<div class="qa-answer"><span class="qa-label">答案</span>{phrase}'
        f'<div class="qa-sentence">{highlight(answer.text, terms)}</div></div>'
        f'<div class="qa-evidence"><div class="qa-evidence-title">依据段落</div>{cards}</div>'
    )


def render_article(chunks: list[Chunk], marked: Iterable[int] = ()) -> str:
    """The whole article by section, with the retrieved paragraphs marked (the best one as `qa-top`)."""
    marked = list(marked)
    top = marked[0] if marked else None
    parts: list[str] = []
    section = None
    for chunk in chunks:
        if chunk.section != section and chunk.section not in (SECTION_HEAD, SECTION_CAPTION, SECTION_FOOTER):
            section = chunk.section
            if section != SECTION_LEAD:
                parts.append(f'<h4 class="qa-section">{escape(section)}</h4>')
        css = "qa-para qa-hit" if chunk.chunk_id in marked else "qa-para"
        css += " qa-top" if chunk.chunk_id == top else ""
        label = {"head": "标题", "caption": "图片说明", "footer": "页脚"}.get(chunk.kind, f"第 {chunk.paragraph} 段")
        parts.append(
            f'<div class="{css}" id="qa-chunk-{chunk.chunk_id}"><span class="qa-para-no">{label}</span>'
            f"{escape(chunk.text)}</div>"
        )
    return '<div class="qa-article">' + "".join(parts) + "</div>"


def topics_of(chunks: list[Chunk]) -> list[str]:
    """The article's real section headings, in order."""
    synthetic = {SECTION_HEAD, SECTION_CAPTION, SECTION_FOOTER, SECTION_LEAD}
    return list(dict.fromkeys(c.section for c in chunks if c.section not in synthetic))

