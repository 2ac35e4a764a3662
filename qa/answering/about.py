"""Questions about an article itself (who wrote it, when, its headline, where it appeared, what it is
about), answered from the article's header facts (`qa.ingest.header`) instead of its body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.chunking import Chunk
from ..ingest.header import ArticleInfo
from ..text.normalize import normalize
from .language import CHINESE, ENGLISH, Words

AUTHOR, DATE, TITLE, PUBLISHER, SUMMARY = "author", "date", "title", "publisher", "summary"
_ARTICLE = r"(?:这篇|该篇|本篇|此篇|这则|这条|本文|全文|文章|报道|新闻|稿件|这稿|原文)"
_ARTICLE_EN = r"(?:article|story|report|piece|news|text|this)"
# (what is asked, pattern over the normalized question); the first that matches wins.
_INTENTS: list[tuple[str, re.Pattern[str]]] = [
    (AUTHOR, re.compile(r"谁(?:写|编译|翻译|撰写|采写|报道)|作者|撰稿|执笔|编译者|译者|哪(?:几)?位记者|哪些记者|几位记者|什么记者"
                        r"|记者(?:是谁|都?有谁|叫)|署名|who (?:wrote|writes|is the author|authored|translated|compiled)"
                        r"|\bauthors?\b|\breporters?\b|written by|\bbyline\b")),
    (DATE, re.compile(rf"(?:什么时候|何时|哪天|哪一天|哪日|几月几[日号]|几号|哪年|什么日期|哪个日期|日期|时间)\S{{0,6}}"
                      rf"(?:发表|发布|刊登|刊发|见报|登出|出版|报道|写|发的|发出|发稿)"
                      rf"|(?:发表|发布|刊登|刊发|见报|出版)\S{{0,4}}(?:时间|日期|于哪|在哪天|是哪天|是什么时候|是何时)"
                      rf"|{_ARTICLE}\S{{0,6}}(?:日期|哪天|哪一天|几号|几月几[日号]|什么时候的)"
                      rf"|(?:哪天|哪一天|什么时候|何时|哪年)的(?:新闻|报道|文章|稿子)"
                      rf"|when (?:was|is|did) (?:the |this )?{_ARTICLE_EN}\w* (?:\w+ )?(?:published|written|released|come out|appear)"
                      rf"|publication date|date of (?:the |this )?{_ARTICLE_EN}")),
    (TITLE, re.compile(rf"标题|题目|题为|原题|headline|\btitle\b|what is (?:the |this )?{_ARTICLE_EN} called")),
    (PUBLISHER, re.compile(rf"{_ARTICLE}\S{{0,8}}(?:哪家|哪个|什么)(?:报|媒体|网站|报社|报纸|刊物|杂志|单位)"
                           rf"|(?:哪家|哪个|什么)(?:报社|报纸|媒体)\S{{0,4}}(?:发|登|刊|报道|出)|出处|来源是|来自哪"
                           rf"|which (?:newspaper|paper|outlet|publication|media|website|site)"
                           rf"|(?:published|printed) (?:in|by) (?:which|what)|\bsource of\b")),
    (SUMMARY, re.compile(rf"{_ARTICLE}\S{{0,6}}(?:讲|说|写|报道|介绍|谈|讨论)(?:了|的是|的)?(?:什么|啥|哪些)"
                         rf"|{_ARTICLE}\S{{0,6}}(?:主要内容|内容是|大意|主旨|主题|要点|概要|梗概)|(?:概括|总结)\S{{0,4}}{_ARTICLE}"
                         rf"|{_ARTICLE}\S{{0,4}}(?:关于什么|是关于)"
                         rf"|what(?:'s| is| was) (?:the |this )?{_ARTICLE_EN}\w* (?:mainly |mostly )?about|summar(?:y|ize|ise)"
                         rf"|main (?:point|idea|topic)|gist")),
]

# Who wrote or when came out something the article tells of (a song, a book, 《…》, the 原作者), not the
# article itself: unless the question names the article too.
_OTHER_WORK_RE = re.compile(
    r"《[^》]+》|(?:这|那|该|此)(?:首|部|本|幅|张|项|份)|歌|诗|书|小说|电影|论文|剧|作品|画|(?:原|词|曲)作者|作者的(?!名字|姓名)"
)
_NAMES_ARTICLE_RE = re.compile(rf"{_ARTICLE}|稿子|{_ARTICLE_EN}")


def asked_about_article(question: str) -> str | None:
    """Which fact about the article itself a question asks for, or None for a question about its content."""
    text = normalize(question)
    intent = next((intent for intent, pattern in _INTENTS if pattern.search(text)), None)
    if intent in (AUTHOR, DATE) and _OTHER_WORK_RE.search(text) and not _NAMES_ARTICLE_RE.search(text):
        return None
    return intent


# The original headline after the headline (a frame of the bot's own, in the asker's language).
_ORIGINAL = {CHINESE: "原标题为《{}》。", ENGLISH: " Its original headline was 《{}》."}
_ASKS_ORIGINAL_RE = re.compile(r"原(?:来的?|始的?|先的?)?标题|原题|original (?:title|headline)")


@dataclass(frozen=True)
class MetaAnswer:
    """The reply to a question about the article: its text, the phrase, the passages it rests on."""

    text: str
    phrase: str
    chunks: tuple[Chunk, ...]


def _title(info: ArticleInfo, question: str, words: Words) -> MetaAnswer | None:
    """The headline (and the original one a note gives); the original as the phrase when it is asked for."""
    original = info.original_title
    if not info.title and not original:
        return None
    asks_original = bool(original and _ASKS_ORIGINAL_RE.search(normalize(question)))
    text = words.title.format(info.title) if info.title else ""
    if original:
        text += _ORIGINAL.get(words, _ORIGINAL[CHINESE]).format(original)
    phrase = original if asks_original or not info.title else info.title
    return MetaAnswer(text.strip(), phrase, info.passages_naming(phrase) or ((info.head,) if info.head else ()))


def answer_about(info: ArticleInfo, intent: str, words: Words = CHINESE, question: str = "") -> MetaAnswer | None:
    """The answer from the article's own header, dateline, closing note, footer or lead, framed in
    `words`' language; None when the article does not say. `question` tells an original headline asked for."""
    head = (info.head,) if info.head else ()
    if intent == AUTHOR and info.credit and info.credit.names:
        names = info.credit.names
        return MetaAnswer(words.author.format(info.credit.said), "、".join(names), info.passages_naming(names[0]) or head)
    if intent == DATE and info.date:
        return MetaAnswer(words.date.format(info.date), info.date, info.passages_naming(info.date) or head)
    if intent == TITLE:
        return _title(info, question, words)
    if intent == PUBLISHER and info.publisher:
        return MetaAnswer(words.publisher.format(info.publisher), info.publisher, info.passages_naming(info.publisher))
    if intent == SUMMARY and info.lead:
        text = words.summary_titled.format(info.title, info.lead) if info.title else words.summary.format(info.lead)
        return MetaAnswer(text, "", head + info.lead_chunks)
    return None
