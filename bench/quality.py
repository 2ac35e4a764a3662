"""Answer quality on the public sets and the article's questions, in one run:

- each public set (every context an article, `qa eval --squad`) with the shipped models, beside the BM25
  sentence baseline, and its questions asked of the shipped article (all should be refused);
- held out: each public set again with models fitted on the *other* set only (it never saw these);
- the article's development questions and the project's own questions of the new classes.

    python bench/quality.py [--limit N]      # writes bench/results/quality.json
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _util import ROOT, machine, table, write_result

from qa.encoders.loading import load_query_encoder
from qa.engine import Engine
from qa.evaluation.public_sets import COLUMNS as RATE_COLUMNS
from qa.evaluation.public_sets import evaluate_squad
from qa.evaluation.questions import evaluate, read_questions
from qa.evaluation.squad import SquadSet, read_squad
from qa.learn.train import train
from qa.models.linear import load_weights

SHARED = ROOT.parent / "shared" / "eval"
SETS = [SHARED / "external" / "cmrc2018-trial.json", SHARED / "external" / "drcd-test.json"]
ARTICLE_SETS = {"dev": SHARED / "dev.jsonl", "new classes": ROOT / "tests" / "data" / "new-classes.jsonl"}
COLUMNS = ["set", "models", "system", *RATE_COLUMNS]


def public_rows(squad: SquadSet, models: str, weights: Path | None, encoder) -> list[dict]:
    """The engine (with these fitted models) and the baseline on one set, and refusals on the article."""
    shipped = Engine(ROOT / "index", strict=True, encoder=encoder, learned=weights)
    report = evaluate_squad(squad, encoder=encoder, out_of_scope=shipped, learned=weights)
    rows = [{"set": squad.name, "models": models, "system": name, **rates} for name, rates in report.systems.items()]
    rows[0]["refused_on_article"] = report.pseudo_out_of_scope["refusal_rate"]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N questions of each public set")
    args = parser.parse_args()
    encoder = load_query_encoder()
    squads = [read_squad(path).first(args.limit) for path in SETS]

    rows: list[dict] = []
    for squad in squads:
        rows += public_rows(squad, "shipped (fitted on both sets)", None, encoder)
    with tempfile.TemporaryDirectory() as tmp:
        for held, path in zip(squads, SETS):
            others = [p for p in SETS if p != path]
            weights = Path(tmp) / f"without-{held.name}.json"
            train(others, weights, report=False)
            load_weights(weights)
            learned_on = "held out: fitted on " + ", ".join(p.stem for p in others)
            rows += [r for r in public_rows(held, learned_on, weights, encoder) if r["system"] == "qa"]
    print(table(rows, COLUMNS + ["refused_on_article"]))

    article = []
    for name, path in ARTICLE_SETS.items():
        report = evaluate(Engine(ROOT / "index", strict=True, encoder=encoder), read_questions(path))
        article += [{"set": name, "kind": kind, **rates} for kind, rates in
                    [("all", report.overall), *report.by_kind.items()]]
        article[-1 - len(report.by_kind)]["p50_ms"] = report.latency_ms["p50"]
    print()
    print(table(article, ["set", "kind", "questions", "hit@1", "hit@3", "mrr", "answer_accuracy", "abstention",
                          "false_abstentions"]))
    path = write_result("quality", {"machine": machine(), "public": rows, "article": article})
    print(f"\n→ {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
