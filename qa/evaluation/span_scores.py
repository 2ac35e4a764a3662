"""Answer-span scores in the style of CMRC 2018's official evaluation: exact match and F1 over characters
(Latin and digit runs as words), punctuation dropped, the best over the gold answers. Both sides are
normalized first (NFKC, traditional → simplified, lower case), so DRCD's traditional text scores alike."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..text.normalize import normalize

# The official script's punctuation, plus the ASCII marks its English tokenizer splits off.
_PUNCTUATION = frozenset("-:_*^/\\~`+=，。：？！“”；’《》…·、「」（）－～『』,.?!;'\"()[]{}<>%#@&|")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def segments(text: str) -> list[str]:
    """Characters of CJK text and words of the rest, punctuation and white space dropped."""
    out: list[str] = []
    run = ""
    for char in normalize(text).lower().strip():
        if char in _PUNCTUATION or char.isspace():
            out.extend(_WORD_RE.findall(run))
            run = ""
        elif _CJK_RE.match(char):
            out.extend(_WORD_RE.findall(run))
            run = ""
            out.append(char)
        else:
            run += char
    out.extend(_WORD_RE.findall(run))
    return out


def _longest_common_run(a: list[str], b: list[str]) -> int:
    """Length of the longest run of segments `a` and `b` share (contiguous, as the official script's LCS)."""
    best = 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def exact_match(prediction: str, answers: Iterable[str]) -> bool:
    """Whether the prediction equals a gold answer once both lose their punctuation and white space."""
    said = "".join(segments(prediction))
    return bool(said) and any(said == "".join(segments(answer)) for answer in answers)


def f1(prediction: str, answers: Iterable[str]) -> float:
    """The best F1 against the gold answers, over the longest shared run of segments."""
    said = segments(prediction)
    best = 0.0
    for answer in answers:
        gold = segments(answer)
        shared = _longest_common_run(gold, said) if said and gold else 0
        if shared:
            precision, recall = shared / len(said), shared / len(gold)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best
