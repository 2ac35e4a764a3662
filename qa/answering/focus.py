"""A question's focus: the words right around its question word (房价 in 滨湖金融小镇的房价是多少?,
员工 in 快手安徽总部有多少员工?), which the passage that answers it has to speak of."""

from __future__ import annotations

import re
from functools import lru_cache

import rjieba

from ..text.normalize import normalize
from ..text.tokens import STOPWORDS

_QUESTION_WORD_RE = re.compile(
    r"什么时候|什么时间|什么地方|什么样|哪里|哪儿|哪些|哪个|哪位|哪家|哪年|哪天|哪一|什么|啥|多少|多大|多长|多高|多远|多久|多重|几|谁|哪|怎么|怎样|如何|为什么|为何|何时|何地|何人|是否|有没有"
    r"|\b(?:what|which|who|whom|whose|when|where|why|how)\b"
)
_CONTENT_RE = re.compile(r"[0-9a-z\u3400-\u9fff]")


@lru_cache(maxsize=4096)
def focus_words(question: str) -> tuple[str, ...]:
    """The content word just before the question word and the one just after it (either may be missing)."""
    text = normalize(question)
    match = _QUESTION_WORD_RE.search(text)
    if match is None:
        return ()
    words = [(w, s, e) for w, s, e in rjieba.tokenize(text) if w not in STOPWORDS and _CONTENT_RE.search(w)]
    before = [w for w, _, end in words if end <= match.start()]
    after = [w for w, start, _ in words if start >= match.end()]
    return tuple(dict.fromkeys(([before[-1]] if before else []) + ([after[0]] if after else [])))
