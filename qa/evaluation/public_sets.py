"""`qa eval --squad FILE`: a public reading-comprehension set as a retrieval + answer benchmark.

Every context becomes one article of a temporary index; every question is asked against the whole
corpus and scored on ctx@1/ctx@3 (its own context is the source of the top 1/3 passages), passage@1
(the first passage shown holds the gold text: a reader finds the answer in it), answer
(the gold text is inside the returned answer; first_line: inside its first sentence line, the runner-up
left out), the answer phrase (how often one is shown, exact when shown and F1 over all questions in
CMRC 2018's official style, `span_scores.py`; phrase_hit: the gold text inside it) and abstain, beside
the BM25 sentence baseline (`qa/evaluation/baseline.py`) on the same corpus. "Pseudo out of scope" asks the same
questions of another index (the shipped article), where every one should be refused.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..encoders.loading import Encoder, load_query_encoder
from ..engine import Engine
from ..index.build import build_index
from ..text.tokens import passage_sentences
from .baseline import SentenceBM25
from .span_scores import exact_match, f1
from .squad import SquadQuestion, SquadSet, contains_answer, write_articles

# The rates of `Tally.rates` a results table shows, in order (`qa eval --squad`, bench/quality.py).
COLUMNS = ("questions", "ctx@1", "ctx@3", "passage@1", "answer", "first_line", "answer_chars", "phrase_shown",
           "phrase_exact", "phrase_f1", "phrase_hit", "phrase_chars", "abstain", "p50_ms", "p95_ms")
# Where a question the answer misses lost it (`answer_loss`), in pipeline order.
LOSSES = ("refused", "context not shown", "in no shown passage", "across sentences", "sentence not chosen")


def answer_loss(found: bool, text: str, sources: list[str], shown: list[str], context: str, answers) -> str | None:
    """The stage at which an answer without the gold text lost it (None when it holds it): refused; none of
    the shown passages is from the question's context; they are, but none holds the gold text (it is in
    another passage, or runs over two); one holds it only across a sentence end; or a single sentence of
    theirs holds it and was not chosen."""
    if found and not contains_answer(text, answers) and context not in sources:
        return "context not shown"
    return lost_at(found, text, shown, lambda passage: contains_answer(passage, answers))


def lost_at(found: bool, text: str, shown: list[str], holds: Callable[[str], bool]) -> str | None:
    """Where an answer whose text does not `holds` the gold lost it (None when it holds it): refused; none
    of the shown passages holds it; one does only across a sentence end; or a sentence of theirs does and
    was not chosen."""
    if found and holds(text):
        return None
    if not found:
        return "refused"
    holding = [passage for passage in shown if holds(passage)]
    if not holding:
        return "in no shown passage"
    if not any(holds(sentence) for passage in holding for sentence in passage_sentences(passage)):
        return "across sentences"
    return "sentence not chosen"


@dataclass
class Tally:
    """Counts over answerable questions for one system."""

    questions: int = 0
    ctx1: int = 0
    ctx3: int = 0
    passage1: int = 0
    answer: int = 0
    first_line: int = 0
    phrase: int = 0
    phrases: int = 0
    phrase_exact: int = 0
    phrase_f1: float = 0.0
    phrase_chars: int = 0
    abstained: int = 0
    answer_chars: int = 0
    lost: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list, repr=False)

    def add(
        self, sources: list[str], shown: list[str], context: str, found: bool, text: str, phrase: str | None, answers,
        ms: float,
    ) -> None:
        """One question: the source and text of each shown passage, then the answer."""
        first = shown[0] if shown else ""
        self.questions += 1
        self.ctx1 += bool(sources) and sources[0] == context
        self.ctx3 += context in sources[:3]
        self.passage1 += bool(sources) and sources[0] == context and contains_answer(first, answers)
        loss = answer_loss(found, text, sources, shown, context, answers)
        self.answer += loss is None
        self.first_line += found and contains_answer(text.split("\n", 1)[0], answers)
        self.answer_chars += len(text) if found else 0
        if found and phrase:
            self.phrases += 1
            self.phrase_chars += len(phrase)
            self.phrase += contains_answer(phrase, answers)
            self.phrase_exact += exact_match(phrase, answers)
            self.phrase_f1 += f1(phrase, answers)
        self.abstained += not found
        if loss:
            self.lost[loss] += 1
        self.latencies.append(ms)

    def rates(self) -> dict[str, float | int | None]:
        share = lambda n: round(n / self.questions, 3) if self.questions else None  # noqa: E731
        ordered = sorted(self.latencies) or [0.0]
        return {
            "questions": self.questions,
            "ctx@1": share(self.ctx1),
            "ctx@3": share(self.ctx3),
            "passage@1": share(self.passage1),
            "answer": share(self.answer),
            "first_line": share(self.first_line),
            "phrase_shown": share(self.phrases),
            "phrase_exact": round(self.phrase_exact / self.phrases, 3) if self.phrases else None,
            "phrase_f1": share(self.phrase_f1),
            "phrase_hit": round(self.phrase / self.phrases, 3) if self.phrases else None,
            "phrase_chars": round(self.phrase_chars / self.phrases, 1) if self.phrases else None,
            "abstain": share(self.abstained),
            "answer_chars": round(self.answer_chars / given, 1) if (given := self.questions - self.abstained) else None,
            "p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
            "lost": {loss: share(self.lost[loss]) for loss in LOSSES},
        }


@dataclass
class SquadReport:
    """One set's figures: the engine, the baseline, and refusals of its questions elsewhere."""

    name: str
    contexts: int
    passages: int
    systems: dict[str, dict]
    pseudo_out_of_scope: dict[str, float | int] | None = None
    build_seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def _progress(items, label: str, enabled: bool):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, file=sys.stderr, leave=False, mininterval=1.0)


def context_of(engine: Engine) -> dict[str, str]:
    """Each article id → the context (file name) it was built from."""
    return {article.id: article.name for article in engine.articles()}


def ask_all(engine: Engine, questions: list[SquadQuestion], tally: Tally, progress: bool) -> None:
    """The engine's answers to every question, scored into `tally`."""
    contexts = context_of(engine)
    for item in _progress(questions, "qa", progress):
        started = time.perf_counter()
        result, hits = engine.run(item.question, k=3)
        ms = (time.perf_counter() - started) * 1000
        sources = [contexts.get(hit.chunk.article, hit.chunk.source) for hit in hits]
        shown = [hit.chunk.text for hit in hits]
        tally.add(sources, shown, item.context, result.found, result.text, result.phrase, item.answers, ms)


def baseline_all(squad: SquadSet, tally: Tally, progress: bool) -> None:
    """The BM25 sentence baseline on the same corpus and questions."""
    baseline = SentenceBM25(squad.contexts)
    for item in _progress(squad.questions, "bm25", progress):
        started = time.perf_counter()
        hits = baseline.search(item.question, k=3)
        ms = (time.perf_counter() - started) * 1000
        text = hits[0].sentence if hits else ""
        tally.add([h.article for h in hits], [h.sentence for h in hits], item.context, bool(hits), text, None, item.answers, ms)


def refusals(engine: Engine, questions: list[SquadQuestion], progress: bool) -> dict[str, float | int]:
    """How many of these questions `engine` (over unrelated articles) refuses."""
    refused = sum(not engine.answer(item.question).found for item in _progress(questions, "refuse", progress))
    return {"questions": len(questions), "refused": refused, "refusal_rate": round(refused / len(questions), 3)}


def evaluate_squad(
    squad: SquadSet,
    encoder: Encoder | None = None,
    limit: int | None = None,
    out_of_scope: Engine | None = None,
    progress: bool = True,
    work_dir: Path | None = None,
    learned: Path | None = None,
) -> SquadReport:
    """Index `squad`'s contexts in a temporary directory and measure the engine and the baseline on it.

    `limit` keeps the first questions only (a quick run); `out_of_scope` is an engine over other
    articles (e.g. the shipped one) that should refuse every question; `learned` another weights file.
    """
    questions = squad.questions[:limit] if limit else squad.questions
    encoder = encoder or load_query_encoder()
    with tempfile.TemporaryDirectory(dir=work_dir, prefix="qa-squad-") as tmp:
        paths = write_articles(squad, Path(tmp) / "articles")
        report = build_index(paths, Path(tmp) / "index", model=encoder.name, encoder=encoder, show_progress=progress)
        engine = Engine(report.index_dir, encoder=encoder, strict=True, learned=learned)
        engine.retriever
        systems = {"qa": Tally(), "bm25": Tally()}
        ask_all(engine, questions, systems["qa"], progress)
        baseline_all(SquadSet(squad.name, squad.contexts, squad.titles, questions), systems["bm25"], progress)
    pseudo = refusals(out_of_scope, questions, progress) if out_of_scope is not None else None
    return SquadReport(
        squad.name,
        len(squad.contexts),
        report.chunks,
        {name: tally.rates() for name, tally in systems.items()},
        pseudo,
        round(report.seconds, 1),
    )
