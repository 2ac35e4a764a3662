"""BM25 over word tokens (bm25s), saved as .npy and JSON without pickle."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np


class LexicalIndex:
    """BM25 scores for every chunk, plus each word's IDF for weighting matches."""

    def __init__(self, bm25) -> None:
        self.bm25 = bm25
        indptr = np.asarray(bm25.scores["indptr"])
        self._df = np.diff(indptr)
        self.num_docs = int(bm25.scores["num_docs"])
        self._idf: dict[str, float] = {}  # the index never changes: each corpus word's IDF is worked out once

    @classmethod
    def build(cls, token_lists: list[list[str]]) -> LexicalIndex:
        bm25 = _bm25s().BM25()
        bm25.index([tokens or [""] for tokens in token_lists], show_progress=False)
        return cls(bm25)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk for these query tokens (zeros when none is known)."""
        ids = self.bm25.get_tokens_ids(tokens)
        if not ids:
            return np.zeros(self.num_docs, dtype=np.float32)
        return np.asarray(self.bm25.get_scores_from_ids(ids), dtype=np.float32)

    def coverage(self, terms: list[str] | list[list[str]]) -> np.ndarray:
        """Per chunk, the IDF-weighted share of the query's distinct terms that the chunk contains.

        A term may be a list of alternatives (the Chinese senses of one English word): the chunk covers
        it when it holds any of them, and it weighs as much as its rarest alternative.
        """
        found = np.zeros(self.num_docs, dtype=np.float64)
        indptr, indices = self.bm25.scores["indptr"], self.bm25.scores["indices"]
        total = 0.0
        for group, weight in weighted_groups(terms, self.idf):
            total += weight
            present = np.zeros(self.num_docs, dtype=bool)
            for token in group:
                token_id = self.bm25.vocab_dict.get(token)
                if token_id is not None and token_id + 1 < len(indptr):
                    present[indices[indptr[token_id] : indptr[token_id + 1]]] = True
            found += weight * present
        return found / total if total > 0 else found

    def share(self, terms: list[str] | list[list[str]], present: frozenset[str]) -> float:
        """The IDF-weighted share of the distinct `terms` (or groups of alternatives) found in `present`."""
        return weighted_share(terms, present, self.idf)

    @property
    def vocabulary(self) -> dict[str, int]:
        """Every token of the corpus (→ its id)."""
        return self.bm25.vocab_dict

    def vocabulary_of(self, tokens: list[str]) -> frozenset[str]:
        """The tokens that occur somewhere in the corpus."""
        return frozenset(t for t in tokens if t in self.bm25.vocab_dict)

    def idf(self, token: str) -> float:
        """Rarity of a word in the corpus; a word never seen is rarer than any seen one."""
        value = self._idf.get(token)
        if value is None:
            token_id = self.bm25.vocab_dict.get(token)
            df = 0 if token_id is None or token_id >= len(self._df) else int(self._df[token_id])
            value = bm25_idf(df, self.num_docs)
            if token_id is not None:  # bounded by the vocabulary, whatever the questions
                self._idf[token] = value
        return value

    def save(self, directory: Path) -> None:
        self.bm25.save(str(directory), allow_pickle=False, show_progress=False)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        return cls(_bm25s().BM25.load(str(directory), allow_pickle=False))


def _bm25s():
    """The bm25s module, its logger (which it sets to DEBUG) kept to warnings."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def bm25_idf(df: int, num_docs: int) -> float:
    """bm25s' "lucene" inverse document frequency of a term found in `df` of `num_docs` passages."""
    return math.log(1 + (num_docs - df + 0.5) / (df + 0.5))


def weighted_share(terms: list[str] | list[list[str]], present: frozenset[str], idf: Callable[[str], float]) -> float:
    """The share of the distinct `terms` (or groups of alternatives) found in `present`, each weighing
    as much as its rarest alternative's `idf`."""
    total = covered = 0.0
    for group, weight in weighted_groups(terms, idf):
        total += weight
        covered += weight if any(t in present for t in group) else 0.0
    return covered / total if total else 0.0


def local_shares(
    terms: list[str] | list[list[str]], sets: list[frozenset[str]], idf: Callable[[str], float]
) -> np.ndarray:
    """For each of `sets` (the candidate sentences' terms), the share of the query's terms it holds, each
    term weighing its corpus `idf` times its rarity among these sets: the subject a whole passage
    repeats counts little, the word only one sentence holds counts most. Terms no set holds are left out.
    """
    groups = weighted_groups(terms, idf)
    present = np.array([[any(t in s for t in group) for s in sets] for group, _ in groups], dtype=bool).reshape(-1, len(sets))
    weights = np.array([w * bm25_idf(int(n), len(sets)) if n else 0.0 for (_, w), n in zip(groups, present.sum(axis=1))])
    total = float(weights.sum())
    return (weights @ present) / total if total > 0 else np.zeros(len(sets))


def best_shares(
    terms: list[str] | list[list[str]], passages: list[tuple[frozenset[str], ...]], idf: Callable[[str], float]
) -> np.ndarray:
    """Per passage (the term sets of its sentences), the largest `weighted_share` one sentence holds."""
    groups = weighted_groups(terms, idf)
    weights = [w for _, w in groups]
    total = sum(weights)
    owners: dict[str, list[int]] = {}
    for g, (group, _) in enumerate(groups):
        for t in group:
            owners.setdefault(t, []).append(g)
    keys = frozenset(owners)
    out = np.zeros(len(passages))
    if not total:
        return out
    for n, sentences in enumerate(passages):
        best = 0.0
        for present in sentences:
            found = keys & present
            if found:
                best = max(best, sum(weights[g] for g in {g for t in found for g in owners[t]}))
        out[n] = best / total
    return out


def weighted_groups(terms: list[str] | list[list[str]], idf: Callable[[str], float]) -> list[tuple[tuple[str, ...], float]]:
    """The distinct terms as groups of alternatives, each weighing as much as its rarest alternative's `idf`."""
    return [(group, max(idf(t) for t in group)) for group in _groups(terms)]


def _groups(terms: list[str] | list[list[str]]) -> list[tuple[str, ...]]:
    """Distinct terms as groups of alternatives (a plain term is a group of one)."""
    groups = [tuple(t) if isinstance(t, (list, tuple)) else (t,) for t in terms]
    return [g for g in dict.fromkeys(groups) if g]
