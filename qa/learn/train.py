"""`make train`: fit the passage, sentence, passage-order, answer-extent, runner-up, answer-phrase and answerability models on public SQuAD-style sets.

    python -m qa.learn.train --squad A.json --squad B.json --out qa/data/weights.json

Each set's contexts are chunked like articles and indexed in memory twice: all together (a large
corpus, where ranking is hard) and grouped by their Wikipedia title (small corpora of one to a few
paragraphs, like one news article). Questions are asked of
- the corpus holding their context (answerable),
- the same corpus with their own context hidden (not answerable: the subject is often still there,
  in a sibling paragraph, but not the fact asked for),
- a small corpus of another title (not answerable).
The seven models are fitted in turn with scikit-learn (only needed here), cross-validated by title,
and written as JSON. Deterministic: fixed order, fixed seed, a deterministic solver.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..config import DEFAULT_WEIGHTS
from ..encoders.loading import load_query_encoder
from ..evaluation.squad import read_squad
from ..models.features import FEATURES
from ..models.linear import LinearModel, Weights, save_weights
from .corpus import SEED, SHARED_SENTENCES, prepare
from .fitting import cross_set, cross_validate, fit_for, fit_ranking, threshold_curve
from .rows import (
    Rows,
    answerable_rows,
    extent_rows,
    order_rows,
    passage_rows,
    phrase_rows,
    rescored,
    runner_rows,
    sentence_rows,
)


def train(paths: list[Path], out: Path, limit: int | None = None, report: bool = True) -> dict:
    """Fit the seven models on the SQuAD-style files and write them to `out`; returns the figures."""
    started = time.perf_counter()
    SHARED_SENTENCES.clear()
    encoder = load_query_encoder()
    sets = []
    for path in paths:
        sets.append(prepare(read_squad(path).first(limit), encoder))

    passages = Rows()
    passage_rows(sets, passages)
    passage = fit_ranking(*passages.arrays()[:2], passages.queries(), FEATURES["passage"])

    # The sentence rows need a sentence model to run `best_sentence`; its choice is not used here.
    sentences = Rows()
    asked = sentence_rows(sets, passage, _uniform(FEATURES["sentence"]), sentences)
    sentence = fit_ranking(*sentences.arrays()[:2], sentences.queries(), FEATURES["sentence"])

    asked = rescored(asked, sentence)
    orders = Rows()
    order_rows(asked, orders)
    order = fit_ranking(*orders.arrays()[:2], orders.queries(), FEATURES["order"])

    extents = Rows()
    extent_rows(asked, extents)
    extent = fit_for("extent", *extents.arrays()[:2], extents.queries(), extents.weights())

    runners = Rows()
    runner_rows(asked, extent, runners)
    runner = fit_for("runner", *runners.arrays()[:2], runners.queries(), runners.weights())

    phrases = Rows()
    phrase_rows(asked, extent, runner, phrases)
    phrase = fit_for("phrase", *phrases.arrays()[:2], phrases.queries(), phrases.weights())

    questions = Rows()
    upstream = Weights(passage, sentence, _uniform(FEATURES["answerable"]), order, extent, runner, phrase)
    answerable_rows(sets, upstream, questions)
    answerable = fit_for("answerable", *questions.arrays()[:2], questions.queries(), questions.weights())

    figures: dict = {}
    if report:
        models = (("passage", passages), ("sentence", sentences), ("order", orders), ("extent", extents), ("runner", runners),
                  ("phrase", phrases), ("answerable", questions))
        for name, rows in models:
            figures[name] = cross_validate(name, rows) | cross_set(name, rows)
        figures["phrase"]["threshold_curve"] = threshold_curve("phrase", phrases)
    meta = {
        "command": "make train",
        "trained_on": [{"file": Path(p).name, "questions": len(s.squad.questions), "contexts": len(s.squad.contexts)} for p, s in zip(paths, sets)],
        "seed": SEED,
        "cross_validation": figures,
    }
    save_weights(Weights(passage, sentence, answerable, order, extent, runner, phrase), out, meta)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    return figures


def _uniform(features: tuple[str, ...]) -> LinearModel:
    n = len(features)
    return LinearModel(features, (0.0,) * n, (1.0,) * n, (1.0,) * n, 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa.learn.train", description=__doc__.split("\n")[0])
    parser.add_argument("--squad", type=Path, action="append", required=True, help="SQuAD-style JSON; repeatable")
    parser.add_argument("--out", type=Path, default=DEFAULT_WEIGHTS, help="where to write the weights JSON")
    parser.add_argument("--limit", type=int, help="only the first N questions of each set (a quick run)")
    parser.add_argument("--no-report", action="store_true", help="skip cross-validation")
    args = parser.parse_args(argv)
    figures = train(args.squad, args.out, args.limit, report=not args.no_report)
    import json

    print(json.dumps(figures, ensure_ascii=False, indent=1))
    print(f"已写入 {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
