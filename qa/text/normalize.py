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
# Who said it: "杨宇说。", "包河区长三办负责人表示。", "他告诉记者。"
_ATTRIBUTION_RE = re.compile(
    r"^[^。！？!?“”「」\n]{1,24}?(说|表示|介绍|指出|称|坦言|透露|告诉记者|强调|感慨|感叹|回忆|补充|解释|认为)道?[。！？!?…]*$"
)
_CONTENT_RE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
MIN_SENTENCE_CONTENT = 3


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


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """The form both questions and passages take before matching (cached: the answer path meets the
    same question, passages and sentences several times)."""
    return to_simplified(clean_text(text)).lower()


def ends_sentence(line: str) -> bool:
    """Whether a line ends with sentence-final punctuation (closing quotes allowed)."""
    stripped = line.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def split_sentences(text: str) -> list[str]:
    """Sentences ending at 。！？；(and their ASCII forms), keeping closing quotes with them.

    A quotation stays with its attribution ("……。”某某说。" is one sentence), and a fragment with
    fewer than MIN_SENTENCE_CONTENT letters joins the sentence before it.
    """
    sentences: list[str] = []
    for piece in _SENTENCE_RE.findall(text):
        piece = piece.strip()
        if not piece.strip(f" {SENTENCE_END}{CLOSERS}"):
            continue
        contentless = len(_CONTENT_RE.findall(piece)) < MIN_SENTENCE_CONTENT
        attribution = sentences and sentences[-1][-1] in CLOSERS and _ATTRIBUTION_RE.match(piece)
        if sentences and (contentless or attribution):
            sentences[-1] += piece
        else:
            sentences.append(piece)
    return sentences
