"""Two more signals for the fitted rankers, cross-validated as `make train` does: do they pick the right
passage or sentence more often?

    python bench/ranker_signals.py [--limit N]    # N: the first N questions of each set

- *USE interaction*: the elementwise product of the question's and the candidate's USE vectors (512
  columns, a learned weighting of the cosine's dimensions), fitted with its coefficients penalized
  `INTERACTION_PENALTIES` times harder than the other features' (1 = as `make train` fits them).
- *CC-CEDICT synonyms*: the IDF-weighted share of the question's words a candidate holds itself or as a
  synonym (two headwords that share two English glosses, or one gloss that at most four headwords
  share: 创办 ~ 创立, 建立; 去世 ~ 逝世), what it adds to the plain share, and its gap to the best
  candidate's.

The rows are those of `bench/e5_features.py` (the shipped passage model picks the passages whose
sentences compete); listwise fits, 5 folds grouped by title. About 5 minutes on the 2-core machine.
Writes bench/results/ranker_signals.json.
"""

from __future__ import annotations

import argparse
import gzip
import re
import time
from collections import Counter, defaultdict

import numpy as np
from _util import table, write_result
from e5_features import SETS, collect, top1

from qa.config import DEFAULT_WEIGHTS
from qa.encoders.loading import load_query_encoder
from qa.evaluation.squad import read_squad
from qa.learn.corpus import prepare
from qa.learn.fitting import _listwise, out_of_fold
from qa.models.linear import load_weights
from qa.text import english_table as bilingual
from qa.text.normalize import normalize
from qa.text.tokens import passage_terms, without_question_phrases, word_units

INTERACTION_PENALTIES = (1, 100, 1000)
_HAN_RE = re.compile(r"^[\u3400-\u9fff]{2,}$")
_NOT_A_SENSE = re.compile(r"^(?:cl:|variant of|old variant|surname|abbr|see |also written|used in|pr\.|erhua)")


def synonyms(shared: int = 2, small: int = 4, widest: int = 80) -> dict[str, frozenset[str]]:
    """Chinese words (simplified, two characters or more) → their CC-CEDICT synonyms."""
    by_gloss: dict[str, set[str]] = defaultdict(set)
    with gzip.open(bilingual.source_path(), "rt", encoding="utf-8") as source:
        for line in source:
            head, _, rest = line.partition(" [")
            parts = head.split(" ")
            if line.startswith("#") or len(parts) != 2 or not _HAN_RE.match(word := normalize(parts[1])):
                continue
            for gloss in rest.partition("] /")[2].strip().strip("/").split("/"):
                gloss = re.sub(r"\([^)]*\)", "", gloss.lower()).strip()
                if len(gloss) >= 3 and not _NOT_A_SENSE.match(gloss):
                    by_gloss[gloss].add(word)
    pairs: Counter = Counter()
    narrow: set[tuple[str, str]] = set()
    for words in by_gloss.values():
        if 2 <= len(words) <= widest:
            ordered = sorted(words)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    pairs[a, b] += 1
                    if len(words) <= small:
                        narrow.add((a, b))
    out: dict[str, set[str]] = defaultdict(set)
    for (a, b), count in pairs.items():
        if count >= shared or (a, b) in narrow:
            out[a].add(b)
            out[b].add(a)
    return {word: frozenset(others) for word, others in out.items()}


def synonym_columns(question: str, candidates: list[frozenset[str]], idf, table: dict[str, frozenset[str]]) -> np.ndarray:
    """Per candidate (its words): the synonym-aware share, what it adds to the plain share, its gap to the best."""
    units = word_units(without_question_phrases(question))
    weights = np.array([max(idf(w) for w in unit) for unit in units])
    total = weights.sum()
    plain, wide = np.zeros(len(candidates)), np.zeros(len(candidates))
    if total > 0:
        for i, words in enumerate(candidates):
            held = np.array([any(w in words for w in unit) for unit in units])
            near = np.array([h or any(s in words for w in unit for s in table.get(w, ())) for unit, h in zip(units, held)])
            plain[i], wide[i] = weights @ held / total, weights @ near / total
    return np.column_stack([wide - plain, wide - wide.max(), wide])


def penalized(x: np.ndarray, y: np.ndarray, query: np.ndarray, extra: int, penalty: float):
    """A listwise fit (`fitting._listwise`) whose last `extra` standardized columns are shrunk as if their
    L2 penalty were `penalty` times the others'; returns a scorer."""
    mean, scale = x.mean(0), np.where(x.std(0) > 1e-9, x.std(0), 1.0)
    shrink = np.r_[np.ones(x.shape[1] - extra), np.full(extra, penalty ** -0.5)]
    w = _listwise((x - mean) / scale * shrink, y.astype(np.float64), query)

    class Scorer:
        def probability(self, rows: np.ndarray) -> np.ndarray:
            return (rows - mean) / scale * shrink @ w

    return Scorer()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N questions of each set")
    args = parser.parse_args()
    started = time.perf_counter()
    weights = load_weights(DEFAULT_WEIGHTS)
    use = load_query_encoder()
    table_of = synonyms()
    rows: dict[str, dict[str, list]] = {"passage": defaultdict(list), "sentence": defaultdict(list)}
    for path in SETS:
        squad = read_squad(path).first(args.limit)
        prepared = prepare(squad, use)
        retriever = prepared.large.retriever
        collected = collect(prepared, weights)
        vector = {item.question: prepared.vectors[item.qid] for item in squad.questions}
        for kind, parts in rows.items():
            for x, y, texts, question, group in zip(*(collected[f"{kind}_{p}"] for p in ("x", "y", "texts", "question", "group"))):
                words = [frozenset().union(*passage_terms(text)[0]) for text in texts]
                parts["x"].append(x)
                parts["y"].append(y)
                parts["synonyms"].append(synonym_columns(question, words, retriever.bundle.words.idf, table_of))
                parts["interaction"].append(retriever.sentence_vectors(texts) * vector[question])
                parts["group"].append(np.full(len(y), group, dtype=object))
                parts["origin"].append(np.full(len(y), squad.name, dtype=object))
    table_rows = []
    for kind, parts in rows.items():
        x, y = np.vstack(parts["x"]), np.concatenate(parts["y"]).astype(np.int64)
        query = np.concatenate([np.full(len(v), i) for i, v in enumerate(parts["y"])])
        group, origin = np.concatenate(parts["group"]), np.concatenate(parts["origin"])
        variants = [("fitted features", x, 0, 1)]
        variants.append(("+ CC-CEDICT synonyms", np.column_stack([x, np.vstack(parts["synonyms"])]), 3, 1))
        interaction = np.column_stack([x, np.vstack(parts["interaction"])])
        variants += [(f"+ USE interaction, penalty ×{p}", interaction, interaction.shape[1] - x.shape[1], p) for p in INTERACTION_PENALTIES]
        for label, features, extra, penalty in variants:
            scores = out_of_fold(lambda r: penalized(features[r], y[r], query[r], extra, penalty), features, y, group)
            figures = top1(scores, y, query, origin)
            table_rows.append({"model": kind, "features": label, "questions": len(parts["y"]),
                               **{f"top1 {k}": v for k, v in figures.items()}})
            print(table_rows[-1], flush=True)
    print(table([{k: f"{v:.4f}" if isinstance(v, float) else v for k, v in row.items()} for row in table_rows], list(table_rows[0])))
    write_result("ranker_signals", {"limit": args.limit, "rows": table_rows, "seconds": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()
