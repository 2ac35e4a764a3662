"""Made-up questions that no passage answers, for fitting the answerability model: a thing the article
names, asked for a fact it never gives (滨湖金融小镇的房价是多少? of an article that names 滨湖金融小镇
but no price), or counted in a unit it never counts in (有多少人 → 有多少吨). The public sets hold no such
questions; hiding a question's context removes its subject too, most of the time."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable

from ..answering.asking import parse_question
from ..answering.focus import focus_words
from ..text.normalize import normalize
from ..text.tokens import is_noun

_MEASURE_WORDS = frozenset("个 位 家 所 部 本 首 种 座 支 只 条 项 款 张 名 间 些 类 场 届 次 段 架 辆 艘 台 件 块 头 匹".split())
_QUESTION_END_RE = re.compile(r"(?:左右|以上|多|了|呢|啊|呀)?[?？!！。.\s]*")


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


def counted_unit(question: str) -> tuple[str, int] | None:
    """The unit a how-many question counts in (有多少厘米? → 厘米, 多少人参加 → 人), and where it stands in
    the normalized question; None for other questions, and for a measure word before a noun (多少名观众:
    the noun, not the measure word, is what is asked)."""
    q = normalize(question)
    asked = parse_question(q)
    if asked is None or asked.kind != "number" or asked.ordinal or not asked.hints:
        return None
    unit = asked.hints[0]
    if not q.startswith(unit, asked.end):
        return None
    if unit in _MEASURE_WORDS and not _QUESTION_END_RE.fullmatch(q[asked.end + len(unit):]):
        return None
    return unit, asked.end


def unit_pool(questions: Iterable[str]) -> tuple[str, ...]:
    """Every unit these questions count in, once, in a fixed order."""
    return tuple(sorted({found[0] for q in questions if (found := counted_unit(q))}))


def swapped_unit(question: str, pool: tuple[str, ...], text: str, seed: str) -> str | None:
    """The question (normalized) counting in a unit of `pool` that `text` (its article, normalized) never
    uses instead of its own, drawn with `seed`; None when it counts in no unit."""
    found = counted_unit(question)
    if found is None:
        return None
    unit, at = found
    others = [u for u in pool if u not in text and unit not in u and u not in unit]
    if not others:
        return None
    q = normalize(question)
    return q[:at] + random.Random(seed).choice(others) + q[at + len(unit):]
