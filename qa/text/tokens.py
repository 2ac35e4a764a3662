"""Word tokens for lexical matching: jieba search-mode words (rjieba, the Rust port) without particles
or question words, character pairs, and the names a question mentions."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import NamedTuple

import rjieba

from . import lac
from .normalize import normalize, split_sentences

QUESTION_WORDS = frozenset(
    "什么 什么样 啥 哪 哪些 哪个 哪家 哪里 哪儿 哪天 哪年 哪位 哪方面 多少 几 几个 几位 几点 几年 几月 几号 第几 "
    "谁 怎么 怎么样 怎样 如何 为什么 为何 何时 何地 是否 是不是 有没有 请问 一下 告诉 知道 吗 呢 吧 啊 呀 么 嘛 "
    "哪些地方 哪句 哪句话 叫 叫做 名字 名称 情况 形容 描述 概括 用 话 需要 自己 这次 那次 现在 目前 具体 主要 "
    "有关 相关 关于 提到 举例 例子 说 讲 写 做 进行 成 成了 了解 可以 能 会 要 时 时要 先".split()
)
FUNCTION_WORDS = frozenset(
    "的 了 着 过 地 得 之 是 在 有 和 与 及 或 而 也 都 就 还 又 将 把 被 给 对 从 向 于 以 为 所 这 那 其 该 此 "
    "个 等 中 上 下 里 我 你 他 她 它 我们 你们 他们 这个 那个 这些 那些 这篇 篇文章 文章 本文 文中 报道 两地 "
    "a an the is are was were be of to in on for at by and or what which who whom when where why how "
    "does do did its it this that with about".split()
)
STOPWORDS = QUESTION_WORDS | FUNCTION_WORDS
_WORD_RE = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)
# A question word with the measure word or noun it forms one phrase with (哪一年, 哪位, 何时, 几个):
# jieba's search mode would yield its parts (一年, 一位) as terms that match unrelated passages.
_QUESTION_PHRASE_RE = re.compile(
    r"哪一?[个位种天年月日部间家所条本次些国里儿样类项届任款座首支只件门名]?|何(?:时|地|年|月|日|人|种|处)"
    r"|什么(?:时候|样|地方)?|多少[个年次天人]?|几[个位种天年月日次岁号点部条家所本项届名]|为什么|为何|如何|怎么样|怎么|怎样|是否"
)
_HAN_RE = re.compile(r"[\u3400-\u9fff]")
_RUN_RE = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")


PROPER_NOUN_TAGS = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz"})


def fingerprint() -> str:
    """Identifies how text becomes tokens (segmenter version and stopwords); kept in the manifest."""
    from importlib.metadata import version

    digest = hashlib.sha256(" ".join(sorted(STOPWORDS)).encode()).hexdigest()[:12]
    return f"rjieba=={version('rjieba')};stopwords={digest}"


def tokenize(text: str) -> list[str]:
    """Normalized word tokens (overlapping sub-words included), stopwords and punctuation left out."""
    words = rjieba.cut_for_search(normalize(text))
    return [w for w in (w.strip() for w in words) if w and w not in STOPWORDS and _WORD_RE.search(w)]


@lru_cache(maxsize=4096)
def word_units(text: str) -> tuple[tuple[str, ...], ...]:
    """The text's words, each with the sub-words `tokenize` also yields for it (大果西番莲: 大果, 西番,
    西番莲) as alternatives: one unit per word, so a long name does not count three times."""
    units = []
    for word in rjieba.cut(normalize(text)):
        word = word.strip()
        if not word or word in STOPWORDS or not _WORD_RE.search(word):
            continue
        parts = [w for w in rjieba.cut_for_search(word) if w != word and w not in STOPWORDS and _WORD_RE.search(w)]
        units.append((word, *parts))
    return tuple(dict.fromkeys(units))


@lru_cache(maxsize=65536)
def sentence_terms(sentence: str) -> tuple[frozenset[str], frozenset[str]]:
    """A sentence's words and character pairs (cached: passages recur across questions)."""
    return frozenset(tokenize(sentence)), frozenset(bigrams(sentence))


@lru_cache(maxsize=65536)
def sentence_chars(sentence: str) -> frozenset[str]:
    """The Chinese characters of a sentence (normalized): what a reworded question still shares with
    it (美誉 and 誉为, 核心 and 服务核)."""
    return frozenset(_HAN_RE.findall(normalize(sentence)))


def content_chars(tokens: list[str]) -> list[str]:
    """The distinct Chinese characters of a question's content words (its tokens)."""
    return list(dict.fromkeys(c for token in tokens for c in _HAN_RE.findall(token)))


@lru_cache(maxsize=65536)
def passage_sentences(text: str) -> tuple[str, ...]:
    """A passage's sentences (the passage itself when it has no sentence end)."""
    return tuple(split_sentences(text)) or (text,)


@lru_cache(maxsize=16384)
def passage_terms(text: str) -> tuple[tuple[frozenset[str], ...], tuple[frozenset[str], ...]]:
    """The words and the character pairs of each sentence of a passage."""
    terms = [sentence_terms(sentence) for sentence in passage_sentences(text)]
    return tuple(w for w, _ in terms), tuple(p for _, p in terms)


def without_question_phrases(question: str) -> str:
    """The (normalized) question with its question phrases blanked out: what its terms are read from."""
    return _QUESTION_PHRASE_RE.sub(" ", normalize(question))


def first_sentence_words(text: str) -> frozenset[str]:
    """The words of a passage's opening sentence."""
    return sentence_terms(passage_sentences(text)[0])[0]


def tag(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech) pairs of the normalized text, for finding a question's subject."""
    return [(word, flag) for word, flag in rjieba.tag(normalize(text))]


NOUN_TAGS = PROPER_NOUN_TAGS | {"n", "ng", "nl", "vn", "an", "j", "eng"}


@lru_cache(maxsize=65536)
def is_noun(word: str) -> bool:
    """Whether the segmenter tags a (normalized) word as a noun: what a question is about."""
    tags = rjieba.tag(word)
    return len(tags) == 1 and tags[0][1] in NOUN_TAGS


def bigrams(text: str) -> list[str]:
    """Overlapping CJK character pairs (and whole Latin/digit runs), stopwords cut out first.

    A second lexical view that does not depend on word segmentation agreeing between
    question and article, which matters for names and numbers.
    """
    kept = " ".join(" " if w in STOPWORDS else w for w in rjieba.cut(normalize(text)))
    grams: list[str] = []
    for run in _RUN_RE.findall(kept):
        if run.isascii() or len(run) == 1:
            grams.append(run)
        else:
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def _is_proper(word: str) -> bool:
    """A dictionary word tagged as a name (words guessed by the HMM, often mis-cuts, are not)."""
    if len(word) < 2 or word.isascii() or not _RUN_RE.fullmatch(word) or not rjieba.has_word(word):
        return False
    tags = rjieba.tag(word)
    return len(tags) == 1 and tags[0][1] in PROPER_NOUN_TAGS


def dictionary_names(text: str) -> list[str]:
    """The words of a text jieba's dictionary tags as names (two or more CJK characters), search-mode
    parts included; `read_as_names` keeps those the text reads as names."""
    normalized = normalize(text)
    words = [w for w, _ in rjieba.tag(normalized)] + rjieba.cut_for_search(normalized)
    return [w for w in dict.fromkeys(words) if _is_proper(w)]


class _Read(NamedTuple):
    """One of LAC's words in a normalized text."""

    start: int
    end: int
    word: str
    name: bool  # tagged as a name


@lru_cache(maxsize=1024)
def _lac_words(normalized: str) -> tuple[_Read, ...]:
    """LAC's words of a normalized text, where they stand and whether each is tagged as a name."""
    words, start = [], 0
    for word, flag in lac.tag(normalized):
        found = normalized.find(word, start)
        if found >= 0:
            start = found + len(word)
            words.append(_Read(found, start, word, flag in PROPER_NOUN_TAGS))
    return tuple(words)


def read_as_names(text: str, candidates: list[str]) -> list[str]:
    """The `candidates` (dictionary names of `text`) that LAC, reading the whole text, reads as part of a
    name. jieba's dictionary alone tags 城市, 普通 and 双打 as names, and its search mode cuts 段时间 out of
    那段时间: LAC reads the first as common words, and cuts across the last without a name. A name LAC
    cuts into a name and more (巴尔 + 的摩 of 巴尔的摩, 中国 + 队) stays; so does a name inside a longer
    word LAC reads as common (比特 of 比特币): an article that never names it should still be found to
    lack it."""
    if not candidates:
        return []
    normalized = normalize(text)
    words = _lac_words(normalized)
    kept = []
    for name in candidates:
        for match in re.finditer(re.escape(name), normalized):
            start, end = match.span()
            over = [w for w in words if w.start < end and start < w.end]
            inside = next((w for w in over if w.start <= start and end <= w.end), None)
            if (inside.word != name or inside.name) if inside else any(w.name for w in over):
                kept.append(name)
                break
    return kept


def proper_nouns(text: str) -> list[str]:
    """Known names of people, places, organisations and things in a text, as the text reads them."""
    return read_as_names(text, dictionary_names(text))


def warm_up() -> None:
    """Load the segmenter's dictionary now rather than on the first question."""
    tag("预热")
