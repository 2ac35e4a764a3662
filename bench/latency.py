"""Warm `answer()` latency over the dev questions (>= 1,000 calls), split by stage; and the fitted
passage model vs the old hand-set fusion vs BM25-only vs dense-only, quality and latency, in the same run.

    python bench/latency.py [--calls 1000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from _util import QUESTIONS, ROOT, percentiles, questions, table, write_result

from qa.answering.question import check_question, readings_of
from qa.engine import Engine
from qa.evaluation.questions import evaluate, read_questions
from qa.retrieve.retriever import HAND_SET_WEIGHTS, Query

MODES = {  # how passages are ranked; sentence choice and answerability are the fitted models in all
    "learned": None,
    "hand-set 0.4/0.3/0.3": HAND_SET_WEIGHTS,
    "bm25-only": {"words": 0.5, "bigrams": 0.5},
    "dense-only": {"dense": 1.0},
}


def stage_latency(engine: Engine, asked: list[str], calls: int, k: int = 3) -> dict[str, dict[str, float]]:
    """Time each stage of the same pipeline `Engine.answer` runs, over `calls` questions."""
    retriever = engine.retriever
    stages: dict[str, list[float]] = {n: [] for n in
                                      ("normalize", "encode", "dense", "bm25", "fusion", "answer", "total")}
    for i in range(calls):
        question = asked[i % len(asked)]
        t0 = time.perf_counter()
        cleaned, _ = check_question(question)
        resolved = readings_of(cleaned, None)[0]
        words, pairs, groups = retriever.terms(resolved)
        t1 = time.perf_counter()
        vector = retriever.encode(resolved)
        query = Query(resolved, words, pairs, vector, groups)
        t2 = time.perf_counter()
        depth = retriever.depth(k)
        dense = retriever.dense_search(query, depth)
        t3 = time.perf_counter()
        lexical = retriever.lexical_scores(query, depth)
        t4 = time.perf_counter()
        hits = retriever.fuse(retriever.merge(query, dense, lexical, depth), k)
        t5 = time.perf_counter()
        loaded = engine.current()
        engine.compose(loaded, cleaned, resolved, query, hits, k, loaded.corpus_text)
        t6 = time.perf_counter()
        for name, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5, t6 - t0)):
            stages[name].append(seconds)
    return {name: percentiles(values) for name, values in stages.items()}


def end_to_end(engine: Engine, asked: list[str], calls: int) -> dict[str, float]:
    seconds = []
    for i in range(calls):
        started = time.perf_counter()
        engine.answer(asked[i % len(asked)])
        seconds.append(time.perf_counter() - started)
    return percentiles(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1014)
    parser.add_argument("--index-dir", type=Path, default=ROOT / "index")
    args = parser.parse_args()
    asked = questions()

    engine = Engine(args.index_dir, strict=True)
    for question in asked:  # warm caches once, as a running app would be
        engine.answer(question)
    stages = stage_latency(engine, asked, args.calls)
    answer_calls = end_to_end(engine, asked, args.calls)
    print(f"warm answer() over {args.calls} calls ({len(engine.chunks)} passages)")
    print(table([{"stage": n, **v} for n, v in stages.items()], ["stage", "p50_ms", "p95_ms"]))
    print(f"answer() end to end: p50 {answer_calls['p50_ms']} ms, p95 {answer_calls['p95_ms']} ms\n")

    modes = []
    for mode, weights in MODES.items():
        report = evaluate(Engine(args.index_dir, strict=True, weights=weights), read_questions(QUESTIONS))
        timing = end_to_end(Engine(args.index_dir, strict=True, weights=weights), asked, len(asked) * 5)
        modes.append({"mode": mode, **{k: report.overall[k] for k in
                                       ("hit@1", "hit@3", "mrr", "answer_accuracy", "abstention",
                                        "false_abstentions")}, **timing})
    print("retrieval modes on the dev questions")
    print(table(modes, ["mode", "hit@1", "hit@3", "mrr", "answer_accuracy", "abstention", "false_abstentions",
                        "p50_ms", "p95_ms"]))
    path = write_result("latency", {"calls": args.calls, "passages": len(engine.chunks), "stages": stages,
                                    "answer": answer_calls, "modes": modes})
    print(f"\n→ {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
