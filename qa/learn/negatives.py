"""Made-up questions that no passage answers, for fitting the answerability model: a thing the article
names, asked for a fact it never gives (滨湖金融小镇的房价是多少? of an article that names 滨湖金融小镇
but no price). The public sets hold no such questions; hiding a question's context removes its
subject too, most of the time."""

from __future__ import annotations

import random
from collections.abc import Iterable

from ..answering.focus import focus_words
from ..text.normalize import normalize
from ..text.tokens import is_noun


def focus_nouns(question: str) -> list[str]:
    """The Chinese nouns among the question's focus words (`qa.answering.focus`): what it asks about (面积, 人口, 院长)."""
    return [w for w in focus_words(question) if len(w) > 1 and not w.isascii() and is_noun(w)]


def attribute_pool(questions: Iterable[str]) -> tuple[str, ...]:
    """Every focus noun of these questions, once, in a fixed order: what questions ask about."""
    return tuple(sorted({w for q in questions for w in focus_nouns(q)}))


def swapped_focus(question: str, pool: tuple[str, ...], text: str, seed: str) -> str | None:
    """The question (normalized) with one of its focus nouns replaced by a noun of `pool` that `text`
    (its article, normalized) never mentions, drawn with `seed`; None when it has no focus noun."""
    q = normalize(question)
    nouns = [w for w in focus_nouns(q) if w in q]
    if not nouns or not pool:
        return None
    rng = random.Random(seed)
    target = rng.choice(nouns)
    for _ in range(20):
        other = rng.choice(pool)
        if other not in text and other not in q and target not in other:
            return q.replace(target, other, 1)
    return None
