"""Text normalization and sentence splitting shared by indexing and querying."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SENTENCE_END = "。！？!?；;…"
CLOSERS = "”’」』）)\"'"
_SENTENCE_RE = re.compile(rf"[^{SENTENCE_END}\n]+(?:[{SENTENCE_END}]+[{CLOSERS}]*)?|[{SENTENCE_END}]+[{CLOSERS}]*")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_SPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def clean_text(text: str) -> str:
    """NFKC (full-width to half-width), no control characters or lone surrogates, folded spaces."""
    text = _SURROGATE_RE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL_RE.sub(" ", text)
    return _SPACE_RE.sub(" ", text).strip()


def to_simplified(text: str) -> str:
    """Traditional Chinese to simplified (OpenCC t2s); other scripts pass through."""
    return _t2s().convert(text) if text else text


def normalize(text: str) -> str:
    """The form both questions and passages take before matching."""
    return to_simplified(clean_text(text)).lower()


def ends_sentence(line: str) -> bool:
    """Whether a line ends with sentence-final punctuation (closing quotes allowed)."""
    stripped = line.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def split_sentences(text: str) -> list[str]:
    """Sentences ending at 。！？；(and their ASCII forms), keeping closing quotes with them."""
    return [s.strip() for s in _SENTENCE_RE.findall(text) if s.strip(f" {SENTENCE_END}{CLOSERS}")]
