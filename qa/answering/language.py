"""The words the bot writes itself — frames, refusals, headings — in the asker's language: English for
a question written in English, Chinese otherwise. The article's own words are never translated."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True)
class Words:
    """One language's share of what the bot says."""

    not_found: str  # the refusal an answer carries
    not_found_short: str  # the refusal the chat shows, before its hint
    answer: str  # the label before the answer
    sources: str  # the heading before the evidence passages (in the chat)
    sources_line: str  # the line before them in a text reply (the OpenAI API)
    from_article: str  # before the answer's article, with several articles
    author: str
    date: str
    title: str
    publisher: str
    summary: str
    summary_titled: str


# Each of the bot's words beside its translation: (Chinese, English).
_WORDS = {
    "not_found": ("文章中没有找到与该问题相关的内容。", "Nothing in the article answers this question."),
    "not_found_short": ("文章中没有找到相关内容。", "The article does not say."),
    "answer": ("答案", "Answer"),
    "sources": ("依据段落", "Sources"),
    "sources_line": ("依据:", "Sources:"),
    "from_article": ("出自", "From "),
    "author": ("这篇报道的作者是{}。", "This report was written by {}."),
    "date": ("这篇报道发表于{}。", "This report was published on {}."),
    "title": ("这篇报道的标题是《{}》。", "This report's headline is 《{}》."),
    "publisher": ("这篇报道出自{}。", "This report comes from {}."),
    "summary": ("这篇报道主要讲:{}", "This report is mainly about: {}"),
    "summary_titled": ("这篇报道题为《{}》,主要讲:{}", "This report, headlined 《{}》, is mainly about: {}"),
}
CHINESE = Words(**{field: chinese for field, (chinese, _) in _WORDS.items()})
ENGLISH = Words(**{field: english for field, (_, english) in _WORDS.items()})
NOT_FOUND = frozenset({CHINESE.not_found, ENGLISH.not_found})


def in_english(question: str) -> bool:
    """Whether a question is written in English (Latin words and no Chinese characters)."""
    return bool(_LATIN_WORD_RE.search(question or "")) and not _CJK_RE.search(question or "")


def words_for(question: str) -> Words:
    """The bot's words for the language the question was asked in."""
    return ENGLISH if in_english(question) else CHINESE
