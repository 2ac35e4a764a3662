"""English questions to Chinese terms for the lexical side of retrieval.

The dense encoder is multilingual, but BM25 over Chinese words and character pairs finds nothing
in an English question. `translate` carries its content words over to Chinese:

- common words and multi-word entries through CC-CEDICT read backwards (English gloss → Chinese
  headword), the table of `qa.text.english_table`;
- names through pinyin: "Baohe" → 包河, "Lu Yong" → 陆勇, "Hehang" → 合杭, against the corpus words
  (`PinyinIndex`) or, without one, CC-CEDICT's own proper nouns.

Nothing is loaded until a question has a Latin content word. `python -m qa.text.english [question ...]`
builds the table's cache ahead of time and shows each question's terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .english_table import MAX_PHRASE, Table, ascii_fold, cache_path, is_cjk, load, source_path
from .english_words import STOPWORDS, WEAK, lemmas
from .normalize import clean_text

__all__ = ["PinyinIndex", "translate"]

MAX_SENSES = 4  # Chinese terms per English word (or phrase) returned by translate

# A few news-domain senses CC-CEDICT does not give for these keys (checked before the dictionary).
EXTRA: dict[str, tuple[str, ...]] = {
    "who write": ("记者", "作者"),
    "author": ("作者", "记者"),
    "writer": ("作者", "记者"),
    "open": ("开放", "开园", "开业", "开通"),
    "opening": ("开幕", "开园", "开业", "开通"),
}

# Words and numbers (2025, 2.5, 80%, G60, 5G), Chinese runs, hyphens, spaces, anything else.
_TOKEN_RE = re.compile(
    r"(?P<word>\d+(?:[.:]\d+)+%?|[A-Za-z0-9]+(?:['’][A-Za-z]+)*%?)|(?P<cjk>[\u3400-\u9fff\uf900-\ufaff]+)"
    r"|(?P<hyphen>-)|(?P<space>\s+)|(?P<other>.)"
)


# --- names through pinyin ---------------------------------------------------------------------


class PinyinIndex:
    """Corpus words listed by toneless pinyin, to find names written in Latin letters.

    Callable as a vocabulary predicate too. Words of 2–4 CJK characters (names are short) are
    indexed under the readings their characters allow, commonest first, at most 8 spellings a word:
    合杭 under "hehang" and "gehang". `readings` gives a character's syllables (default: the table's).
    """

    MAX_SPELLINGS = 8
    NAME_CHARS = range(2, 5)

    def __init__(self, words: Iterable[str], readings: Callable[[str], Sequence[str]] | None = None) -> None:
        self.words = frozenset(words)
        syllables = readings or load().syllables
        self.by_pinyin: dict[str, list[str]] = {}
        cache: dict[str, Sequence[str]] = {}
        for word in sorted(w for w in self.words if len(w) in self.NAME_CHARS and is_cjk(w)):
            spellings = [""]
            for char in word:
                options = cache.get(char)
                if options is None:
                    options = cache[char] = tuple(syllables(char))
                if len(options) == 1:
                    spellings = [s + options[0] for s in spellings]
                else:
                    spellings = [s + o for s in spellings for o in options][: self.MAX_SPELLINGS]
            for spelling in spellings:
                if spelling:
                    self.by_pinyin.setdefault(spelling, []).append(word)
        self._longest = max(map(len, self.by_pinyin), default=0)

    def __call__(self, word: str) -> bool:
        return word in self.words

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def __len__(self) -> int:
        return len(self.words)

    def lookup(self, latin: str, limit: int = MAX_SENSES) -> list[str]:
        """Corpus words spelled `latin` in pinyin, or, split across syllables, the words that spell it
        in turn ("hehangmengxiang" → 合杭, 梦想): at most three pieces, fewest first."""
        key = _pinyin_key(latin)
        if not key:
            return []
        if key in self.by_pinyin:
            return self.by_pinyin[key][:limit]
        n = len(key)
        best: list[list[str] | None] = [None] * (n + 1)  # fewest pieces spelling key[:i]
        best[0] = []
        for i in range(n):
            if best[i] is None or len(best[i]) >= 3:
                continue
            for j in range(i + 2, min(n, i + self._longest) + 1):
                piece = key[i:j]
                if piece in self.by_pinyin and (best[j] is None or len(best[j]) > len(best[i]) + 1):
                    best[j] = [*best[i], piece]
        if not best[n] or len(best[n]) < 2:
            return []
        return [self.by_pinyin[piece][0] for piece in best[n]][:limit]


def _pinyin_key(latin: str) -> str:
    """A Latin word as a pinyin lookup key: lower case, ü and v as u, nothing but letters."""
    folded = ascii_fold(latin.lower().replace("ü", "u")).replace("v", "u")
    return folded if folded.isalpha() and folded.isascii() else ""


# --- translating a question -------------------------------------------------------------------


@dataclass
class _Word:
    text: str  # as written, possessive cut
    lower: str
    capital: bool
    initial: bool  # first word of the question or of a sentence


def _segments(text: str) -> list[list[_Word]]:
    """Runs of Latin words and numbers that a phrase may span (punctuation and Chinese end a run)."""
    runs: list[list[_Word]] = [[]]
    initial = True
    for match in _TOKEN_RE.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "word":
            value = re.sub(r"['’]s$|['’]$", "", value)
            runs[-1].append(_Word(value, value.lower(), value[:1].isupper(), initial))
            initial = False
        elif kind not in ("hyphen", "space"):  # "per-capita" and "per capita" are one phrase
            runs.append([])
            initial = value in ".!?。！？"
    return [run for run in runs if run]


def _senses(table: Table, key: str) -> list[str]:
    return list(dict.fromkeys([*EXTRA.get(key, ()), *table.lookup(key)]))


def _phrase(table: Table, words: list[_Word], edges: bool = True) -> list[str]:
    """Senses of a multi-word key, trying the last word's base forms ("free trade zones").

    A phrase starting or ending with a stopword ("how many", "who wrote") is only taken from EXTRA;
    `edges` says whether the first word is a content word."""
    head = " ".join(w.lower for w in words[:-1])
    for last in lemmas(words[-1].lower):
        key = f"{head} {last}"
        if key in EXTRA:
            return _senses(table, key)
        if edges and last not in STOPWORDS and words[-1].lower not in STOPWORDS:
            found = _senses(table, key)
            if found:
                return found
    return []


def _word_senses(table: Table, word: str) -> list[str]:
    """Senses of a single word over its base forms, direct forms first."""
    out: list[str] = []
    for form in lemmas(word):
        out += _senses(table, form)
    return list(dict.fromkeys(out))


def _names(table: Table, latin: str, vocabulary: Callable[[str], bool] | None) -> list[str]:
    """Chinese words spelled `latin` in pinyin: CC-CEDICT's proper nouns (those the corpus has, given
    a vocabulary), then, given a `PinyinIndex`, any corpus word so spelled or spelled piece by piece."""
    key = _pinyin_key(latin)
    if not key:
        return []
    found = [w for w in table.proper_nouns(key) if vocabulary is None or vocabulary(w)]
    if isinstance(vocabulary, PinyinIndex):
        found += vocabulary.lookup(key)
    return list(dict.fromkeys(found))


def translate(question: str, vocabulary: Callable[[str], bool] | None = None, limit: int = MAX_SENSES) -> list[str]:
    """Chinese terms for the English content words of `question` (`translate_groups`, flattened)."""
    return list(dict.fromkeys(t for group in translate_groups(question, vocabulary, limit) for t in group))


def translate_groups(
    question: str, vocabulary: Callable[[str], bool] | None = None, limit: int = MAX_SENSES
) -> list[list[str]]:
    """Chinese terms for the English content words of `question`, in question order, best senses first.

    Stopwords are dropped, words are reduced to base forms, dictionary phrases are matched longest
    first ("per capita", "Yangtze River Delta"), numbers pass through and Chinese text is left to the
    usual tokenizer (nothing returned for it). At most `limit` terms per word or phrase.

    With `vocabulary` (does the corpus contain this word?) only the senses the corpus contains are
    kept, best first: a term the corpus lacks could not match anyway. Names — capitalized words or
    words the dictionary lacks, and runs of capitalized words ("Lu Yong") — are also spelled in pinyin:
    pass a `PinyinIndex` as the vocabulary to match them against corpus words.

    One group per English word or phrase: its senses are alternatives, so a passage that holds one
    of them covers the word.
    """
    text = clean_text(question)
    if not re.search(r"[A-Za-z0-9]", text):
        return []
    segments = _segments(text)
    if not any(w.lower not in STOPWORDS for run in segments for w in run):
        return []
    table = load()
    known = (lambda w: True) if vocabulary is None else vocabulary
    groups: list[list[str]] = []

    def emit(found: Iterable[str]) -> None:
        kept = [t for t in dict.fromkeys(found) if known(t)][:limit]
        if kept:
            groups.append(kept)

    for run in segments:
        i = 0
        while i < len(run):
            word = run[i]
            if any(c.isdigit() for c in word.lower):  # numbers and codes pass through: 2025, 2.5, g60
                groups.append([word.lower.rstrip("%")])
                i += 1
                continue
            # Longest dictionary phrase starting here ("who wrote", "per capita", "research institute").
            for n in range(min(MAX_PHRASE, len(run) - i), 1, -1):
                span = run[i : i + n]
                found = [t for t in _phrase(table, span, edges=span[0].lower not in STOPWORDS) if known(t)]
                if found:
                    emit(found)
                    i += n
                    break
            else:
                # A run of capitalized words spelled in pinyin as one name ("Lu Yong" → 陆勇).
                span = 1
                while i + span < len(run) and run[i + span].capital and span < 3:
                    span += 1
                for n in range(span, 1, -1):
                    if word.capital and all(w.text.isalpha() for w in run[i : i + n]):
                        found = _names(table, "".join(w.lower for w in run[i : i + n]), vocabulary)
                        if found:
                            emit(found)
                            i += n
                            break
                else:
                    if word.lower not in STOPWORDS and word.lower not in WEAK:
                        emit(_single(table, word, vocabulary))
                    i += 1
    return groups


def _single(table: Table, word: _Word, vocabulary: Callable[[str], bool] | None) -> list[str]:
    """Senses of one word; names spelled in pinyin first for a capitalized word inside a sentence."""
    senses = _word_senses(table, word.lower)
    if vocabulary is not None and word.lower.isascii() and vocabulary(word.lower):
        senses.append(word.lower)  # Latin words the corpus itself has: GDP, G60, 5G
    if not word.text.isalpha() or (senses and not word.capital):
        return senses  # a known lower-case word is no name
    names = _names(table, word.lower, vocabulary)
    return [*names, *senses] if word.capital and not word.initial else [*senses, *names]


if __name__ == "__main__":  # python -m qa.text.english [question ...]: build the cache, show terms
    import sys
    import time

    started = time.perf_counter()
    load()
    print(f"table: {cache_path(source_path())} ({time.perf_counter() - started:.3f} s)")
    for arg in sys.argv[1:]:
        print(arg, "→", " ".join(translate(arg)))
