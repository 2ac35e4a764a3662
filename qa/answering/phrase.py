"""The short phrase that answers a factoid question (a number, date, person, organization, place or
name) inside the answer sentence: typed candidate spans from regexes and jieba tags, the one nearest
to the question's own words wins. Pure functions, no model."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from ..text.normalize import normalize
from ..text.tokens import QUESTION_WORDS, tokenize
from .asking import QuestionType, parse_question
from .spans import ARABIC, Span, candidates, read_sentence

_WORDY_RE = re.compile(r"[^\W_]")
# A count: a number with the measure word right after it (18401个, 3 名), not 12万件, 2008年 or 30度.
_COUNT_RE = re.compile(rf"({ARABIC})\s?[个名位人家件台只辆条次所座架艘头匹本张份户套项篇首部间]")

# Scoring, in characters of distance (fitted on CMRC 2018 trial only)
_TIER = (0.0, 8.0, 20.0)  # penalty per candidate source: sure, likely, fallback
_FAR = 40.0  # cap on a gap
_SATURATE = 10.0  # gaps count less and less, up to this many characters: far matches are weak evidence
_NEAR = 4.0  # extra weight of question words next to the question word ...
_TAU = 3.0  # ... decaying over this many characters of the question
_WRONG_SIDE = 6.0  # a question word before 谁 found after the candidate in the sentence (or vice versa)
_ADJACENT = 1  # question words this close to the question word belong to it: no side (多少运动员)
_INSIDE = 5.0  # a question word found inside the candidate itself
_HINT = 6.0  # bonus: the candidate carries the asked unit or head noun (多少人 → 人, 哪所大学 → 大学)
_PAREN = 8.0  # penalty: the candidate sits inside parentheses (a gloss)
RIVAL_CAP = 20.0  # a phrase's margin over its best rival is read up to this many characters' worth


@dataclass(frozen=True, slots=True)
class Phrase:
    """The chosen phrase: its text as written in the sentence, its offsets there, its kind, and its cost
    (how far it sits from the question's words, how sure its source is, less a bonus for the asked unit
    or head noun: lower is a better fit); `tier` is how sure its source is (0 sure … 2 fallback), `margin`
    how much more the best rival with other words costs (RIVAL_CAP without one), `rivals` how many
    candidates it was chosen from."""

    text: str
    start: int
    end: int
    kind: str
    cost: float = 0.0
    tier: int = 0
    margin: float = 0.0
    rivals: int = 0


def _restates(text: str, counts: set[str]) -> bool:
    """Whether a span is a count the question already states in another measure word (18401名 for
    那18401个用户里有多少人…): the question's own figure, not its answer."""
    count = _COUNT_RE.match(text)
    return count is not None and count.group(1).replace(",", "") in counts


def _prune(spans: list[Span], norm: str, question: str) -> list[Span]:
    """Drop question words, spans the question already contains (or restate a count it states), and
    spans inside a better one."""
    counts = {number.replace(",", "") for number in _COUNT_RE.findall(question)}
    kept: dict[tuple[int, int], Span] = {}
    for span in spans:
        raw = norm[span.start:span.end]
        start, end = span.start + len(raw) - len(raw.lstrip()), span.end - len(raw) + len(raw.rstrip())
        bare = norm[start:end].strip("《》“”「」『』〈〉\"' ")
        if not bare or bare in QUESTION_WORDS or bare in question or not _WORDY_RE.search(bare) or _restates(bare, counts):
            continue
        span = replace(span, start=start, end=end)
        old = kept.get((start, end))
        if old is None or (span.tier, not span.cue) < (old.tier, not old.cue):
            kept[(start, end)] = span
    spans = list(kept.values())
    return [s for s in spans if not any(o is not s and o.tier <= s.tier and o.start <= s.start and s.end <= o.end
                                        for o in spans)]


def _anchors(question: str, asked: QuestionType, norm: str) -> list[tuple[float, int, list[tuple[int, int]]]]:
    """The question's content words found in the sentence: (weight, side, occurrences as (start, end)).

    side is -1 for a word before the question word in the question, +1 after it, 0 inside it.
    """
    q = normalize(question)
    found = []
    for word in dict.fromkeys(tokenize(question)):
        at, spots = norm.find(word), []
        while at >= 0:
            spots.append((at, at + len(word)))
            at = norm.find(word, at + 1)
        if not spots:
            continue
        where = q.find(word)
        if where < 0:
            side, gap = 0, _FAR
        elif where + len(word) <= asked.start:
            gap = asked.start - where - len(word)
            side = -1 if gap > _ADJACENT else 0
        elif where >= asked.end:
            gap = where - asked.end
            side = 1 if gap > _ADJACENT else 0
        else:
            side, gap = 0, 0
        found.append((len(word) * (1.0 + _NEAR * math.exp(-gap / _TAU)), side, spots))
    return found


def _distance(span: Span, anchors: list[tuple[float, int, list[tuple[int, int]]]]) -> float:
    """Weighted mean, over the question's words found in the sentence, of the gap to their nearest occurrence
    (plus a penalty when it is on the other side of the candidate than in the question)."""
    total = weights = 0.0
    for weight, side, spots in anchors:
        best = _FAR
        for s, e in spots:
            if s >= span.start and e <= span.end:
                gap = 0.0 if side == 0 else _INSIDE  # 清华大学哪个研究院 → 清华大学金融科技研究院
            elif e <= span.start:
                gap = min(span.start - e, _FAR) + (_WRONG_SIDE if side > 0 else 0.0)
            elif s >= span.end:
                gap = min(s - span.end, _FAR) + (_WRONG_SIDE if side < 0 else 0.0)
            else:
                gap = _INSIDE
            best = min(best, gap)
        total += weight * _SATURATE * (1.0 - math.exp(-best / _SATURATE))
        weights += weight
    return total / weights if weights else 0.0


def _mirrored(q: str, asked: QuestionType, norm: str) -> list[Span]:
    """The text the question's own context frames in the sentence: 由谁设计 + 由建筑师博罗米尼设计 → 建筑师博罗米尼."""
    spans: list[Span] = []
    left = q[max(0, asked.start - 4):asked.start]
    right = q[asked.end:asked.end + 2]
    for size in (4, 3, 2):
        context = left[-size:]
        for variant in dict.fromkeys((context, context.rstrip("是为的"))):
            if len(variant) < 2:
                continue
            at = norm.find(variant)
            while at >= 0:
                start = at + len(variant)
                stop = _STOP_RE.search(norm, start)
                end = stop.start() if stop else len(norm)
                if len(right) == 2:
                    closing = norm.find(right, start, end)
                    end = closing if closing > start else end
                if 2 <= end - start <= 16:
                    spans.append(Span(start, end, 1))
                at = norm.find(variant, at + 1)
        if spans:
            break
    return spans


_STOP_RE = re.compile(r"[,，。;；:：()（）!?！？、\s]|的")


def _gloss(norm: str, span: Span, ends: set[int]) -> bool:
    """A parenthesized gloss right after another candidate: 保罗·塞里诺(Paul Sereno)."""
    opened = norm.rfind("(", 0, span.start)
    if opened < 0 or opened not in ends:
        return False
    lead = norm[opened + 1:span.start]
    return not re.sub(r"^(?:英语|英文|法语|德语|日语|拉丁语):", "", lead).strip(" \"'“")


def _in_parentheses(norm: str, span: Span) -> bool:
    opened = norm.rfind("(", 0, span.start)
    return opened >= 0 and norm.rfind(")", opened, span.start) < 0 and norm.find(")", span.end) >= 0


_YEAR_ASKED_RE = re.compile(r"哪一?年(?!代)|何年|什么年份|哪个年份|年份")
_YEAR_RE = re.compile(r"^(.{1,12}?年)(?:[春夏秋冬]|\d{1,2}月|[一二三四五六七八九十]{1,3}月|[初中底末])")
_DATE_TAIL_RE = re.compile(r"(?:以来|起|中|期间|间|前后|左右)$")


def _as_asked(date: str, question: str) -> str:
    """A date cut to what was asked: the year when the question asks which year (1789年6月20日 → 1789年),
    without a trailing 以来, 起, 中 … (2013年起 → 2013年)."""
    if _YEAR_ASKED_RE.search(question) and (year := _YEAR_RE.match(date)):
        return year.group(1)
    return _DATE_TAIL_RE.sub("", date) or date


def find_phrase(question: str, sentence: str) -> Phrase | None:
    """The `Phrase` of `sentence` answering `question`, or None (see `answer_phrase`)."""
    asked = parse_question(question)
    if asked is None or not sentence.strip():
        return None
    norm, origin, tokens = read_sentence(sentence)
    q = normalize(question)
    spans = candidates(asked, norm, sentence, origin, tokens, q[asked.end:asked.end + 6])
    if asked.kind in ("person", "organization", "place", "name"):
        typed = [s for s in spans if s.tier < 2]
        spans += [m if asked.kind == "name" or any(m.start <= s.start and s.end <= m.end for s in typed)
                  else replace(m, tier=2)
                  for m in _mirrored(q, asked, norm)]
    spans = _prune(spans, norm, q)
    ends = {s.end for s in spans}
    spans = [s for s in spans if not _gloss(norm, s, ends)] or spans
    if not spans:
        return None
    anchors = _anchors(question, asked, norm)

    def cost(span: Span) -> tuple[float, int]:
        text = norm[span.start:span.end]
        score = _distance(span, anchors) + _TIER[span.tier]
        if asked.hints and any(h in text for h in asked.hints):
            score -= _HINT
        if asked.cue and span.cue == asked.cue:
            score -= 2 * _HINT
        if asked.ordinal and text.startswith("第"):
            score -= _HINT
        if _in_parentheses(norm, span):
            score += _PAREN
        return score, span.start

    costs = sorted(((cost(s)[0], s.start, s) for s in spans), key=lambda c: c[:2])
    best, _, span = costs[0]
    text = norm[span.start:span.end]
    rival = next((c for c, _, s in costs[1:] if norm[s.start:s.end] != text), best + RIVAL_CAP)
    if asked.kind == "date":
        span = replace(span, end=span.start + len(_as_asked(text, q)))
    start, end = origin[span.start], origin[span.end - 1] + 1
    return Phrase(sentence[start:end], start, end, asked.kind, best, span.tier, min(rival - best, RIVAL_CAP), len(spans))


def answer_phrase(question: str, sentence: str) -> str | None:
    """The shortest span of `sentence` (as written) answering a number/date/person/organization/place/name
    question; None for other questions or when the sentence holds nothing of the asked type."""
    phrase = find_phrase(question, sentence)
    return phrase.text if phrase else None
