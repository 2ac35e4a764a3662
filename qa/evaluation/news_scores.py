"""Scoring the replies to a news folder's questions (`qa eval --news`): whether a text holds a gold string
(compared as `squad.answer_form` compares, a gold date matching the same day written another way),
the bold phrase in CMRC 2018's style (`span_scores.py`), where a missed answer was lost, and the
tallies per kind, per article and overall."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from .news_set import NewsQuestion
from .public_sets import lost_at
from .span_scores import exact_match, f1
from .squad import answer_form

# Where an answerable question the answer misses lost it, in pipeline order.
LOSSES = ("refused", "in no shown passage", "across sentences", "sentence not chosen")
# The rates of `NewsTally.rates` a results table shows, in order.
COLUMNS = ("questions", "passage@1", "answer", "phrase_shown", "phrase_exact", "phrase_f1",
           "refused_answerable", "refused_unanswerable", "p50_ms")

# A day: 2019-09-24 (or with / or .), 2019年9月24日, or 9月24日 (号) without a year.
_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?|(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"
_DATE_RE = re.compile(_DATE)
_WHOLE_DATE_RE = re.compile(rf"^(?:{_DATE})$")


def _day(groups: tuple) -> tuple[int | None, int, int]:
    """(year or None, month, day) of a `_DATE` match's groups."""
    year, month, day, short_month, short_day = groups
    return (int(year), int(month), int(day)) if year else (None, int(short_month), int(short_day))


def _same_date(text: str, gold: str) -> bool:
    """Whether `gold` is a date alone and `text` names that day (a gold without a year: any year)."""
    match = _WHOLE_DATE_RE.match(gold.strip())
    if not match:
        return False
    year, month, day = _day(match.groups())
    return any(
        (m, d) == (month, day) and (year is None or y == year) for y, m, d in map(_day, _DATE_RE.findall(text))
    )


def holds(text: str, gold: tuple[str, ...] | list[str]) -> bool:
    """Whether `text` holds one of the gold strings (compared in `answer_form`, a date in any form)."""
    form = answer_form(text)
    return any((answer_form(g) and answer_form(g) in form) or _same_date(text, g) for g in gold)


def phrase_scores(phrase: str, gold: tuple[str, ...] | list[str]) -> tuple[bool, float]:
    """Exact match and F1 of a shown phrase in CMRC 2018's style (the same day in another form is exact)."""
    if any(_same_date(phrase, g) and _WHOLE_DATE_RE.match(phrase.strip()) for g in gold):
        return True, 1.0
    return exact_match(phrase, gold), f1(phrase, gold)


def loss_of(found: bool, text: str, shown: list[str], gold: tuple[str, ...]) -> str | None:
    """The stage at which an answerable question's reply missed its gold strings (None: it holds one)."""
    return lost_at(found, text, shown, lambda passage: holds(passage, gold))


@dataclass(frozen=True)
class QuestionResult:
    """One question and what the engine made of it."""

    article: str
    q: str
    kind: str
    gold: tuple[str, ...]
    found: bool
    text: str
    phrase: str | None
    passage_hit: bool  # the first passage shown holds a gold string
    answer_hit: bool  # the reply's text holds a gold string (and it is not a refusal)
    phrase_exact: bool
    phrase_f1: float
    loss: str | None  # for an answerable question the reply misses: where it was lost
    ms: float
    top_passage: str = ""

    @property
    def right(self) -> bool:
        """Answered with a gold string, or refused when the article does not say."""
        return self.answer_hit if self.gold else not self.found


def score(question: NewsQuestion, found: bool, text: str, phrase: str | None, shown: list[str], ms: float) -> QuestionResult:
    """Score one reply: its text, phrase and the passages shown with it (best first)."""
    gold = question.gold
    top = shown[0] if shown else ""
    shown_phrase = phrase if found and phrase else None
    exact, overlap = phrase_scores(shown_phrase, gold) if shown_phrase and gold else (False, 0.0)
    return QuestionResult(
        question.article, question.q, question.kind, gold, found, text, shown_phrase,
        bool(gold) and holds(top, gold), bool(gold) and found and holds(text, gold), exact, overlap,
        loss_of(found, text, shown, gold) if gold else None, ms, top,
    )


@dataclass
class NewsTally:
    """Counts over one kind of question (or all of them)."""

    questions: int = 0
    answerable: int = 0
    passage1: int = 0
    answer: int = 0
    phrases: int = 0
    phrase_exact: int = 0
    phrase_f1: float = 0.0
    refused_answerable: int = 0
    unanswerable: int = 0
    refused_unanswerable: int = 0
    lost: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list, repr=False)

    def add(self, result: QuestionResult) -> None:
        self.questions += 1
        self.latencies.append(result.ms)
        if not result.gold:
            self.unanswerable += 1
            self.refused_unanswerable += not result.found
            return
        self.answerable += 1
        self.passage1 += result.passage_hit
        self.answer += result.answer_hit
        self.phrases += result.phrase is not None
        self.phrase_exact += result.phrase_exact
        self.phrase_f1 += result.phrase_f1
        self.refused_answerable += not result.found
        if result.loss:
            self.lost[result.loss] += 1

    def rates(self) -> dict:
        share = lambda n, d: round(n / d, 3) if d else None  # noqa: E731
        return {
            "questions": self.questions,
            "answerable": self.answerable,
            "unanswerable": self.unanswerable,
            "passage@1": share(self.passage1, self.answerable),
            "answer": share(self.answer, self.answerable),
            "phrase_shown": share(self.phrases, self.answerable),
            "phrase_exact": share(self.phrase_exact, self.phrases),
            "phrase_f1": share(self.phrase_f1, self.answerable),
            "refused_answerable": share(self.refused_answerable, self.answerable),
            "refused_unanswerable": share(self.refused_unanswerable, self.unanswerable),
            "p50_ms": round(statistics.median(self.latencies), 2) if self.latencies else None,
            "counts": {"passage@1": self.passage1, "answer": self.answer, "phrase_shown": self.phrases,
                       "phrase_exact": self.phrase_exact, "refused_answerable": self.refused_answerable,
                       "refused_unanswerable": self.refused_unanswerable},
            "lost": {loss: self.lost[loss] for loss in LOSSES} if self.answerable else {},
        }


def tally(results: list[QuestionResult]) -> tuple[dict, dict[str, dict], dict[str, dict]]:
    """Rates overall, per kind (sorted) and per article (in order)."""
    overall = NewsTally()
    kinds: dict[str, NewsTally] = {}
    articles: dict[str, NewsTally] = {}
    for result in results:
        for counts in (overall, kinds.setdefault(result.kind, NewsTally()), articles.setdefault(result.article, NewsTally())):
            counts.add(result)
    return overall.rates(), {k: v.rates() for k, v in sorted(kinds.items())}, {k: v.rates() for k, v in articles.items()}
