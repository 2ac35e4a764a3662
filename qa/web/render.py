"""HTML for the chat: escaped text, highlighted matches, answer cards and the article view.

Everything that comes from the user or the article is escaped here before any markup is added; an
article's web address becomes a link only when it is a sane http(s) one (`qa.ingest.shape.clean_url`).
The reply's words follow the question's language; the article panel and list take the page's (`UiText`).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..answering.language import NOT_FOUND, words_for
from ..index.articles import Article
from ..ingest.chunking import SECTION_CAPTION, SECTION_FOOTER, SECTION_HEAD, SECTION_LEAD, Chunk
from ..ingest.shape import clean_url
from ..results import Answer, Passage
from ..text.highlight import match_spans
from ..text.normalize import normalize
from .ui_text import CHINESE, UiText

# HTML specials and the characters Markdown would act on, written as entities so the chat
# shows them exactly as typed.
_ENTITIES = {c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-.!|~$="}


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


def linked(html: str, url: str | None, css: str) -> str:
    """`html` (already escaped) in a span of class `css`; for a sane http(s) `url`, a link that opens the
    page in a new tab instead (escaped, and telling the page neither who opened it nor from where)."""
    safe = clean_url(url)
    if not safe:
        return f'<span class="{css}">{html}</span>'
    return f'<a class="{css}" href="{escape(safe)}" target="_blank" rel="noopener noreferrer">{html}</a>'


def _source(title: str, url: str | None = None) -> str:
    return linked(f"《{escape(title)}》", url, "qa-source")


def _passage_card(number: int, passage: Passage, name_source: bool = False) -> str:
    percent = max(0, min(100, round(passage.score * 100)))
    shown = "<1" if percent == 0 and passage.score > 0 else str(percent)
    named = passage.source and (name_source or clean_url(passage.url))  # a page with an address is linked
    source = _source(passage.source, passage.url) if named else ""
    return (
        '<div class="qa-passage">'
        f'<div class="qa-meta"><a class="qa-cite qa-rank" href="#qa-chunk-{int(passage.chunk_id)}">[{number}]</a> '
        f'{source}{escape(where(passage))}'
        f'<span class="qa-bar" title="相关度 {escape(shown)}%"><span style="width:{percent}%"></span></span>'
        f'<span class="qa-score">相关度 {escape(shown)}%</span></div>'
        f'<div class="qa-text">{highlight(passage.text, passage.matched)}</div>'
        "</div>"
    )


def answer_source(answer: Answer) -> Passage | None:
    """The passage the answer sentence comes from (else the best one), or None without passages."""
    for passage in answer.passages:
        if passage.chunk_id == answer.sentence_chunk_id:
            return passage
    return answer.passages[0] if answer.passages else None


def render_answer(
    answer: Answer, topics: list[str] | None = None, name_sources: bool = False, titles: list[str] | None = None
) -> str:
    """The bot's reply: the answer sentence first, then the evidence passages; or a polite not-found.

    `name_sources` (several articles indexed) names each passage's article and the answer's, as does a
    web address (the title then links to the page); `titles` (several articles in scope) are suggested on
    not-found instead of one article's `topics`.
    """
    words = words_for(answer.question)
    if not answer.found:
        if answer.text and answer.text not in NOT_FOUND:
            return f'<div class="qa-notice">{escape(answer.text)}</div>'
        hint = ""
        if titles:
            hint = (
                "<br>已收录的文章:" + "、".join(f"《{escape(t)}》" for t in titles) + "。可以试着问问这些文章的内容。"
            )
        elif topics:
            hint = "<br>这篇文章主要讲:" + "、".join(escape(t) for t in topics) + "。可以试着问问这些方面。"
        return f'<div class="qa-notfound">{words.not_found_short}{hint}</div>'
    terms = [t for p in answer.passages for t in p.matched]
    cards = "".join(_passage_card(i, p, name_sources) for i, p in enumerate(answer.passages, start=1))
    phrase = f'<strong class="qa-phrase">{escape(answer.phrase)}</strong>' if answer.phrase else ""
    origin = answer_source(answer)
    named = origin and origin.source and (name_sources or clean_url(origin.url))
    source = f'<div class="qa-from">{words.from_article}{_source(origin.source, origin.url)}</div>' if named else ""
    return (
        f'<div class="qa-answer"><span class="qa-label">{words.answer}</span>{phrase}'
        f'<div class="qa-sentence">{highlight(answer.text, terms)}</div>{source}</div>'
        f'<div class="qa-evidence"><div class="qa-evidence-title">{words.sources}</div>{cards}</div>'
    )


def render_article(
    chunks: list[Chunk], marked: Iterable[int] = (), current: int | None = None, text: UiText = CHINESE
) -> str:
    """The whole article by section, with the retrieved paragraphs marked (the best one as `qa-top`) and
    the `current` one (a citation followed from another article) as `aria-current`."""
    marked = list(marked)
    labels = {"head": text.head, "caption": text.caption, "footer": text.footer}
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
        label = labels.get(chunk.kind) or text.paragraph.format(chunk.paragraph)
        mark = ' aria-current="true"' if chunk.chunk_id == current else ""
        parts.append(
            f'<div class="{css}" id="qa-chunk-{chunk.chunk_id}"{mark}><span class="qa-para-no">{escape(label)}</span>'
            f"{escape(chunk.text)}</div>"
        )
    return '<div class="qa-article">' + "".join(parts) + "</div>"


def topics_of(chunks: list[Chunk]) -> list[str]:
    """The article's real section headings, in order."""
    synthetic = {SECTION_HEAD, SECTION_CAPTION, SECTION_FOOTER, SECTION_LEAD}
    return list(dict.fromkeys(c.section for c in chunks if c.section not in synthetic))


def article_facts(article: Article, text: UiText = CHINESE) -> list[str]:
    """What a reader knows about an article besides its title: date, author, site, size, origin."""
    author = text.author.format(article.author) if article.author else None
    facts = [article.date, author, article.site, text.passage_count.format(article.passages), article.name]
    return [f for f in facts if f]


def _title(article: Article) -> str:
    """An article's 《title》, a link to its web page when it has one."""
    return linked(f"《{escape(article.title)}》", article.url, "qa-title-link")


def render_article_head(article: Article, text: UiText = CHINESE) -> str:
    """The article's title (a link to its page, when it has one) and facts, shown above its text."""
    facts = " · ".join(escape(f) for f in article_facts(article, text))
    return (
        f'<div class="qa-article-head"><div class="qa-article-title">{_title(article)}</div>'
        f'<div class="qa-facts">{facts}</div></div>'
    )


def render_article_panel(
    article: Article,
    chunks: list[Chunk],
    marked: Iterable[int] = (),
    current: int | None = None,
    text: UiText = CHINESE,
) -> str:
    """One article for the side panel: its title and facts, then its text with `marked` passages and the
    `current` one."""
    return render_article_head(article, text) + render_article(chunks, marked, current, text)


def render_article_list(articles: list[Article], text: UiText = CHINESE) -> str:
    """The indexed articles as a list: title, then date, author, site, passages and id."""
    items = "".join(
        f'<li class="qa-article-item"><span class="qa-article-title">{_title(a)}</span><span class="qa-facts">'
        f'{" · ".join(escape(f) for f in article_facts(a, text) + [text.article_id.format(a.id)])}</span></li>'
        for a in articles
    )
    count = escape(text.article_count.format(len(articles)))
    return f'<div class="qa-articles"><div class="qa-articles-count">{count}</div><ol>{items}</ol></div>'
