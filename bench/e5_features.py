"""multilingual-e5-small as a feature of the fitted rankers: cross-validated top-1 with and without it.

    pip install -e '.[e5]' && python bench/e5_features.py [--limit N]    # N: the first N questions of each set

The passage and sentence rows are those `make train` fits on (the shipped passage model picks the
passages whose sentences compete). Three columns are added to each: the e5 cosine of the question
("query: ") with the candidate ("passage: "), its gap to the question's best candidate and its
reciprocal rank. Both variants are fitted and scored exactly as `make train` cross-validates (listwise,
5 folds grouped by title); cascades then take the e5 variant's scores only for the share of questions
whose best candidate the variant without e5 is least sure of. Run time is mostly e5 encoding every
candidate passage and sentence (~25 min on the 2-core machine for both sets). Writes
bench/results/e5_features.json.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from _util import ROOT, table, write_result

from bench.e5_encoder import E5Encoder
from qa.answering.asking import asked_type
from qa.answering.sentences import SENTENCE_PASSAGES, best_sentence
from qa.config import DEFAULT_WEIGHTS
from qa.encoders.loading import load_query_encoder
from qa.evaluation.squad import contains_answer, read_squad
from qa.index.build import dense_text
from qa.learn.corpus import Prepared, ask, holds_answer, prepare
from qa.learn.fitting import fit_ranking, out_of_fold, top1_hits
from qa.models.features import FEATURES
from qa.models.linear import load_weights

SETS = [ROOT.parent / "shared" / "eval" / "external" / f"{name}.json" for name in ("cmrc2018-trial", "drcd-test")]
E5_COLUMNS = ("e5", "e5_gap", "e5_rr")
CASCADE_SHARES = (0.2, 0.3, 0.4, 0.5)  # e5 asked only for this share of questions (the least sure)


def collect(prepared: Prepared, weights) -> dict[str, list]:
    """Per question with a right candidate: its rows, labels and candidate texts, for both rankers."""
    corpus = prepared.large
    retriever = corpus.retriever
    retriever.model, retriever.weights = weights.passage, None
    out: dict[str, list] = {f"{kind}_{part}": [] for kind in ("passage", "sentence") for part in ("x", "y", "texts", "question", "group")}
    for item in prepared.squad.questions:
        query, candidates, _ = ask(corpus, item, prepared.vectors[item.qid], hide=False)
        chunks = [retriever.bundle.chunks[int(i)] for i in candidates.ids]
        labels = np.array([holds_answer(corpus, c.chunk_id, item) for c in chunks])
        group = prepared.title_of[item.context]
        if labels.any():
            for part, value in zip(("x", "y", "texts", "question", "group"),
                                   (retriever.features(candidates), labels, [c.search_text for c in chunks], item.question, group)):
                out[f"passage_{part}"].append(value)
        hits = retriever.fuse(candidates, SENTENCE_PASSAGES)
        choice = best_sentence(query, hits, retriever, weights.sentence, asked_type(item.question) is not None)
        labels = np.array([contains_answer(text, item.answers) for text, _ in choice.candidates])
        if labels.any():
            for part, value in zip(("x", "y", "texts", "question", "group"),
                                   (choice.features, labels, [text for text, _ in choice.candidates], item.question, group)):
                out[f"sentence_{part}"].append(value)
    return out


def e5_columns(cosines: np.ndarray) -> np.ndarray:
    """The e5 cosine of one question's candidates, its gap to the best and its reciprocal rank."""
    ranks = np.empty(len(cosines))
    ranks[np.argsort(-cosines, kind="stable")] = np.arange(len(cosines))
    return np.column_stack([cosines, cosines - cosines.max(), 1.0 / (1.0 + ranks)])


def top1(scores: np.ndarray, y: np.ndarray, query: np.ndarray, origin: np.ndarray) -> dict[str, float]:
    """Share of questions whose best-scored candidate is right, over all and per set."""
    right = top1_hits(scores, y, query)
    first = {q: origin[np.flatnonzero(query == q)[0]] for q in right}
    out = {"all": round(float(np.mean(list(right.values()))), 4)}
    for name in sorted(set(first.values())):
        out[name] = round(float(np.mean([v for q, v in right.items() if first[q] == name])), 4)
    return out


def cascade(base: np.ndarray, with_e5: np.ndarray, query: np.ndarray, share: float) -> np.ndarray:
    """Scores where only the `share` of questions least sure of their best candidate (by the base
    model's top probability) are scored again with e5; the rest keep the base model's."""
    sureness = {q: base[query == q].max() for q in np.unique(query)}
    cut = np.quantile(list(sureness.values()), share)
    unsure = np.array([sureness[q] <= cut for q in query])
    return np.where(unsure, with_e5, base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N questions of each set")
    args = parser.parse_args()
    started = time.perf_counter()
    weights = load_weights(DEFAULT_WEIGHTS)
    use = load_query_encoder()
    e5 = E5Encoder(threads=2)
    rows: dict[str, dict[str, list]] = {"passage": {}, "sentence": {}}
    cache: dict[tuple[str, str], np.ndarray] = {}
    encode_seconds: list[float] = []

    def vectors(texts: list[str], role: str) -> np.ndarray:
        fresh = [t for t in dict.fromkeys(texts) if (role, t) not in cache]
        for i in range(0, len(fresh), 32):
            batch = fresh[i : i + 32]
            tick = time.perf_counter()
            cache.update(zip(((role, t) for t in batch), e5.encode([dense_text(t) for t in batch], role=role)))
            if role == "query":
                encode_seconds.append((time.perf_counter() - tick) / len(batch))
        return np.vstack([cache[(role, t)] for t in texts])

    for path in SETS:
        squad = read_squad(path).first(args.limit)
        collected = collect(prepare(squad, use), weights)
        for kind in rows:
            extra = [e5_columns(vectors(texts, "passage") @ vectors([question], "query")[0])
                     for texts, question in zip(collected[f"{kind}_texts"], collected[f"{kind}_question"])]
            for part, value in (("x", collected[f"{kind}_x"]), ("y", collected[f"{kind}_y"]), ("e5", extra)):
                rows[kind].setdefault(part, []).extend(value)
            rows[kind].setdefault("group", []).extend(
                np.full(len(y), g, dtype=object) for g, y in zip(collected[f"{kind}_group"], collected[f"{kind}_y"]))
            rows[kind].setdefault("origin", []).extend(np.full(len(y), squad.name, dtype=object) for y in collected[f"{kind}_y"])
    table_rows = []
    for kind, parts in rows.items():
        x, e, y = np.vstack(parts["x"]), np.vstack(parts["e5"]), np.concatenate(parts["y"]).astype(np.int64)
        query = np.concatenate([np.full(len(v), i) for i, v in enumerate(parts["y"])])
        group, origin = np.concatenate(parts["group"]), np.concatenate(parts["origin"])
        names = FEATURES[kind]
        xe = np.column_stack([x, e])
        base = out_of_fold(lambda r: fit_ranking(x[r], y[r], query[r], names), x, y, group)
        with_e5 = out_of_fold(lambda r: fit_ranking(xe[r], y[r], query[r], names + E5_COLUMNS), xe, y, group)
        variants = [("fitted features", base), ("+ e5", with_e5)]
        variants += [(f"+ e5 for the least-sure {share:.0%}", cascade(base, with_e5, query, share)) for share in CASCADE_SHARES]
        for label, scores in variants:
            figures = top1(scores, y, query, origin)
            table_rows.append({"model": kind, "features": label, "questions": len(parts["y"]), **{f"top1 {k}": v for k, v in figures.items()}})
    print(table([{k: f"{v:.4f}" if isinstance(v, float) else v for k, v in row.items()} for row in table_rows], list(table_rows[0])))
    query_ms = round(statistics.median(encode_seconds) * 1000, 1) if encode_seconds else None
    print(f"e5: {query_ms} ms per question (median, one question at a time, 2 threads)")
    write_result("e5_features", {"limit": args.limit, "rows": table_rows, "e5_query_ms": query_ms,
                                 "seconds": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()
