"""`qa eval`: retrieval and answer quality, abstention and latency over a JSONL question file."""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..engine import Engine
from ..errors import SourceError


@dataclass(frozen=True)
class Question:
    q: str
    gold: list[str]
    kind: str


@dataclass
class KindStats:
    """Counts for one kind of question (or all of them)."""

    questions: int = 0
    answerable: int = 0
    hit1: int = 0
    hit3: int = 0
    reciprocal_rank: float = 0.0
    sentence: int = 0
    unanswerable: int = 0
    abstained: int = 0
    false_abstentions: int = 0

    def add(self, gold: list[str], answer, rank: int | None) -> None:
        self.questions += 1
        if not gold:
            self.unanswerable += 1
            self.abstained += not answer.found
            return
        self.answerable += 1
        self.false_abstentions += not answer.found
        if rank is not None:
            self.hit1 += rank == 1
            self.hit3 += rank <= 3
            self.reciprocal_rank += 1 / rank
        self.sentence += answer.found and any(g in answer.text for g in gold)

    def rates(self) -> dict[str, float | int | None]:
        share = (lambda n, d: round(n / d, 3) if d else None)
        return {
            "questions": self.questions,
            "hit@1": share(self.hit1, self.answerable),
            "hit@3": share(self.hit3, self.answerable),
            "mrr": share(self.reciprocal_rank, self.answerable),
            "answer_accuracy": share(self.sentence, self.answerable),
            "abstention": share(self.abstained, self.unanswerable),
            "false_abstentions": self.false_abstentions,
        }


@dataclass
class EvalReport:
    overall: dict
    by_kind: dict[str, dict]
    latency_ms: dict[str, float]
    failures: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def read_questions(path: Path) -> list[Question]:
    """Questions from a JSONL file with `q`, `gold` and `kind`."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"无法读取问题文件 {path}:{exc}。") from exc
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            questions.append(Question(str(item["q"]), [str(g) for g in item.get("gold", [])], str(item.get("kind", "-"))))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise SourceError(f"问题文件 {path} 第 {number} 行格式不对:需要含有 q、gold、kind 的 JSON。") from exc
    if not questions:
        raise SourceError(f"问题文件 {path} 中没有问题。")
    return questions


def evaluate(engine: Engine, questions: list[Question], depth: int = 10) -> EvalReport:
    """Ask every question; a passage is right when it contains one of the gold strings."""
    engine.retriever  # load before timing
    overall = KindStats()
    kinds: dict[str, KindStats] = {}
    latencies: list[float] = []
    failures: list[dict] = []
    for question in questions:
        started = time.perf_counter()
        answer = engine.answer(question.q, k=3)
        latencies.append((time.perf_counter() - started) * 1000)
        rank = None
        if question.gold:
            _, hits = engine.run(question.q, k=depth)
            rank = next((i for i, h in enumerate(hits, 1) if any(g in h.chunk.text for g in question.gold)), None)
        for stats in (overall, kinds.setdefault(question.kind, KindStats())):
            stats.add(question.gold, answer, rank)
        right = (not question.gold and not answer.found) or (
            question.gold and answer.found and rank == 1 and any(g in answer.text for g in question.gold)
        )
        if not right:
            failures.append({"q": question.q, "kind": question.kind, "rank": rank, "found": answer.found, "answer": answer.text})
    ordered = sorted(latencies)
    latency = {
        "p50": round(statistics.median(ordered), 2),
        "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
    }
    return EvalReport(overall.rates(), {k: v.rates() for k, v in sorted(kinds.items())}, latency, failures)
