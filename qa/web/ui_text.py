"""The chat page's own words — labels, buttons, status lines, progress stages, error messages — in
Chinese and English, each beside its translation.

The page's fixed labels reach the browser through Gradio's i18n (`I18N`, `label`): the browser's
language picks them. What the handlers write (status lines, the article list and panel, progress,
errors) follows the request's Accept-Language (`text_for`). English for an English browser, Chinese
otherwise. The bot's replies follow the question's language instead (`qa.answering.language`), and
the library's own error messages stay Chinese (in English they come after an English lead).
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr
from gradio.i18n import I18nData

from ..errors import ArticleNotFoundError, BusyError, DuplicateArticleError, QAError
from ..progress import CHUNKING, ENCODING, READING, WRITING


@dataclass(frozen=True)
class UiText:
    """One language's share of what the page says."""

    # Fixed labels (also Gradio i18n keys).
    intro: str
    intro_uploads: str  # the intro when readers can add articles
    scope: str
    chat: str
    send: str
    clear: str
    examples: str
    passages: str
    article_panel: str
    library: str
    remove_choice: str
    remove: str
    add_heading: str
    upload_tab: str
    upload_label: str
    add_file: str
    paste_tab: str
    paste_title: str
    paste_text: str
    add_text: str
    placeholder: str
    question: str
    # Written by the handlers, in the request's language.
    placeholder_example: str
    all_articles: str
    heading_many: str
    article_count: str
    article_id: str
    author: str
    passage_count: str
    paragraph: str
    head: str
    caption: str
    footer: str
    no_file: str
    no_text: str
    no_choice: str
    added: str
    ask_now: str
    removed: str
    skipped: str
    library_error: str
    duplicate: str
    busy_upload: str
    not_found: str
    change_failed: str
    error_reply: str
    busy_reply: str
    reading: str
    chunking: str
    encoding: str
    writing: str
    scroll_down: str

    def stage(self, stage: str) -> str:
        """A progress stage (`qa.progress`, named in Chinese) in this language."""
        names = {READING: self.reading, CHUNKING: self.chunking, ENCODING: self.encoding, WRITING: self.writing}
        return names.get(stage, stage)

    def library_problem(self, error: QAError) -> str:
        """What the reader is told when the library refused a change (its message is Chinese)."""
        frames = {DuplicateArticleError: self.duplicate, BusyError: self.busy_upload, ArticleNotFoundError: self.not_found}
        frame = next((f for kind, f in frames.items() if isinstance(error, kind)), self.library_error)
        return frame.format(error)


_INTRO = (
    "用中文(简体、繁体或口语)或英文就文章提问,我会给出答案(要点加粗)、答案句和原文依据段落,"
    "并标出与问题匹配的词;文章没有提到的内容会如实说明。",
    "Ask about the articles in Chinese (simplified, traditional or colloquial) or in English: you get the "
    "answer (its key phrase in bold), the sentence it comes from and the passages behind it, with the words "
    "that match your question marked; what the articles do not say, you are told.",
)
_UPLOADS = (
    "也可以在下方“文章库”里添加自己的文章(文件或粘贴的文字),再选择就哪篇文章提问。",
    " You can also add your own articles (a file or pasted text) in the “Article library” below, "
    "then choose which one to ask about.",
)
# Each of the page's labels beside its translation: (Chinese, English). These are Gradio i18n keys too.
_LABELS = {
    "intro": _INTRO,
    "intro_uploads": (_INTRO[0] + _UPLOADS[0], _INTRO[1] + _UPLOADS[1]),
    "scope": ("问答范围", "Ask about"),
    "chat": ("问答", "Questions and answers"),
    "send": ("提问", "Ask"),
    "clear": ("清空对话", "Clear the chat"),
    "examples": ("示例问题", "Example questions"),
    "passages": ("依据段落数", "Passages shown"),
    "article_panel": ("文章原文(命中的段落已标出)", "The article (the passages found are marked)"),
    "library": ("文章库", "Article library"),
    "remove_choice": ("要删除的文章", "Article to remove"),
    "remove": ("删除", "Remove"),
    "add_heading": ("**添加文章**", "**Add an article**"),
    "upload_tab": ("上传文件", "Upload a file"),
    "upload_label": (
        "文章文件(.txt .md .html .htm .pdf .docx,不超过 10 MB)",
        "Article file (.txt .md .html .htm .pdf .docx, up to 10 MB)",
    ),
    "add_file": ("添加文件", "Add the file"),
    "paste_tab": ("粘贴文字", "Paste text"),
    "paste_title": ("标题(可不填,默认用第一行)", "Title (optional: the first line by default)"),
    "paste_text": ("文章正文", "Article text"),
    "add_text": ("添加文字", "Add the text"),
    "placeholder": ("请输入问题", "Type a question"),
    "question": ("问题", "Your question"),  # the question box's name for screen readers (its label is hidden)
}
# Each of the handlers' words beside its translation: (Chinese, English).
_MESSAGES = {
    "placeholder_example": ("请输入问题,例如:{}", "Type a question, for example: {}"),
    "all_articles": ("全部文章", "All articles"),
    "heading_many": ("新闻问答 · {} 篇文章", "News QA · {} articles"),
    "article_count": ("共 {} 篇文章", "{} articles"),
    "article_id": ("编号 {}", "id {}"),
    "author": ("作者 {}", "by {}"),
    "passage_count": ("{} 段", "{} passages"),
    "paragraph": ("第 {} 段", "paragraph {}"),
    "head": ("标题", "headline"),
    "caption": ("图片说明", "caption"),
    "footer": ("页脚", "footer"),
    "no_file": ("请先选择要上传的文件。", "Choose a file to upload first."),
    "no_text": ("请先粘贴文章正文。", "Paste the article's text first."),
    "no_choice": ("请先选择要删除的文章。", "Choose the article to remove first."),
    "added": (
        "已添加《{title}》(编号 {id}):{passages} 个段落,用时 {seconds:.1f} 秒。",
        "Added 《{title}》 (id {id}): {passages} passages in {seconds:.1f} s.",
    ),
    "ask_now": ("现在可以就它提问了。", "You can ask about it now."),
    "removed": ("已删除《{title}》(编号 {id})。", "Removed 《{title}》 (id {id})."),
    "skipped": ("{}", "Not added: {}"),
    "library_error": ("{}", "The library was not changed: {}"),
    "duplicate": ("{}", "This article is already in the library."),
    "busy_upload": ("{}", "Another upload is being read. Please try again in a moment."),
    "not_found": ("{}", "That article is not in the library (it may have been removed)."),
    "change_failed": (
        "处理时出错了,文章库没有改动。请稍后再试。",
        "Something went wrong; the library was not changed. Please try again later.",
    ),
    "error_reply": (
        "抱歉,处理这个问题时出错了,请稍后再试或换个问法。",
        "Sorry, something went wrong with this question. Please try again later or ask it another way.",
    ),
    "busy_reply": ("现在提问的人太多,请稍后再试。", "Too many people are asking right now. Please try again shortly."),
    "reading": (READING, "Reading the file"),
    "chunking": (CHUNKING, "Cutting it into passages"),
    "encoding": (ENCODING, "Encoding the passages"),
    "writing": (WRITING, "Writing the index"),
    "scroll_down": ("滚动到最新", "Scroll down"),  # Gradio's chat scroll button, which it never translates (page.js)
}
_TABLE = {**_LABELS, **_MESSAGES}
CHINESE = UiText(**{key: chinese for key, (chinese, _) in _TABLE.items()})
ENGLISH = UiText(**{key: english for key, (_, english) in _TABLE.items()})

# Gradio's own labels its Chinese locales lack (the chat's copy button).
_GRADIO_CHINESE = {"chatbot.copy_message": "复制消息", "chatbot.copied_message": "已复制"}
# The languages Gradio's page knows (6.x): it shows one of them, and falls back to English for a key its
# language lacks. Every one but English gets the Chinese labels, so only an English browser sees English.
# (A browser language Gradio does not know at all, such as zh-HK, gets Gradio's English labels; what the
# server writes for it stays Chinese.)
GRADIO_LOCALES = (
    "ar", "ca", "ckb", "de", "en", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "id", "ja", "ko", "lt", "nb",
    "nl", "pl", "pt-BR", "pt", "ro", "ru", "sv", "ta", "th", "tr", "uk", "ur", "uz", "zh-CN", "zh-TW",
)
MAX_LANGUAGE_TAGS = 32  # of an Accept-Language header read


def translations() -> dict[str, dict[str, str]]:
    """The page's labels for Gradio's i18n, by locale: English for `en`, Chinese for every other."""
    english = {key: english for key, (_, english) in _LABELS.items()}
    chinese = {key: chinese for key, (chinese, _) in _LABELS.items()}
    table = {locale: chinese for locale in GRADIO_LOCALES if locale != "en"}
    for locale in ("zh-CN", "zh-TW", "zh"):
        table[locale] = {**chinese, **_GRADIO_CHINESE}
    return {"en": english, **table}


I18N = gr.I18n(**translations())


def label(key: str) -> I18nData:
    """A fixed label, translated by the browser; KeyError for a key the table lacks."""
    if key not in _LABELS:
        raise KeyError(f"no page label {key!r} in qa.web.ui_text")
    return I18N(key)


def prefers_english(accept_language: str | None) -> bool:
    """Whether a browser's first choice (the highest-weighted tag of its Accept-Language) is English."""
    best, weight = "", -1.0
    for part in (accept_language or "").split(",")[:MAX_LANGUAGE_TAGS]:
        tag, _, params = part.partition(";")
        tag, params = tag.strip().lower(), params.strip().lower()
        try:
            q = float(params[2:]) if params.startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        if tag and tag != "*" and q > weight:
            best, weight = tag, q
    return best == "en" or best.startswith("en-")


def text_for(request: gr.Request | None) -> UiText:
    """The page's words for a request: English when the browser prefers English, Chinese otherwise."""
    headers = getattr(request, "headers", None)
    return ENGLISH if headers is not None and prefers_english(headers.get("accept-language")) else CHINESE
