"""Hybrid retrieval: dense (faiss) and lexical (BM25 words and character pairs) fused into one ranking."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .building import dense_text
from .chunking import Chunk
from .encoders import Encoder
from .fusion import weighted_sum
from .store import IndexBundle
from .tokens import bigrams, tokenize

# Calibrated with `qa eval` on the development questions (see README, "How it works").
WEIGHTS = {"dense": 0.4, "words": 0.3, "bigrams": 0.3}


@dataclass(frozen=True)
class Query:
    """A question prepared for retrieval."""

    text: str
    tokens: list[str]
    bigrams: list[str]
    vector: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk: its fused relevance (0..1) and the signals behind it."""

    chunk: Chunk
    score: float
    dense: float
    words: float
    bigrams: float


@dataclass(frozen=True)
class Candidates:
    """Chunk ids worth scoring, with their per-signal scores (same order as `ids`)."""

    ids: np.ndarray
    signals: dict[str, np.ndarray]
    tiebreak: np.ndarray


def _top(scores: np.ndarray, depth: int) -> np.ndarray:
    """Indices of the `depth` highest scores, best first (ties by index), without a full sort."""
    if depth >= len(scores):
        return np.argsort(-scores, kind="stable")
    kth = -np.partition(-scores, depth - 1)[depth - 1]
    above = np.flatnonzero(scores > kth)
    part = np.concatenate([above, np.flatnonzero(scores == kth)[: depth - len(above)]])
    return part[np.lexsort((part, -scores[part]))]


class Retriever:
    """Ranks an index's chunks for a question; each stage is a method so it can be timed alone."""

    def __init__(
        self, bundle: IndexBundle, encoder: Encoder, candidates: int = 50, weights: dict[str, float] | None = None
    ) -> None:
        self.bundle = bundle
        self.encoder = encoder
        self.candidates = candidates
        self.weights = weights or WEIGHTS

    def terms(self, text: str) -> tuple[list[str], list[str]]:
        """Stage 1, query normalization: words and character pairs."""
        return tokenize(text), bigrams(text)

    def encode(self, text: str) -> np.ndarray:
        """Stage 2, query encoding."""
        return self.encoder.encode([dense_text(text)])[0]

    def prepare(self, text: str) -> Query:
        words, pairs = self.terms(text)
        return Query(text, words, pairs, self.encode(text))

    def dense_search(self, query: Query, depth: int) -> dict[int, float]:
        """Stage 3: the `depth` nearest chunks and their cosine similarity."""
        scores, ids = self.bundle.dense.search(query.vector, depth)
        return dict(zip(ids[0].tolist(), scores[0].tolist()))

    def lexical_scores(self, query: Query) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Stage 4: BM25 (words + pairs) and the two coverage signals, for every chunk."""
        bundle = self.bundle
        bm25 = bundle.words.scores(query.tokens) + bundle.bigrams.scores(query.bigrams)
        return bm25, bundle.words.coverage(query.tokens), bundle.bigrams.coverage(query.bigrams)

    def candidates_for(self, query: Query, k: int) -> Candidates:
        """Stages 3 and 4, then the union of their top chunks with every signal."""
        depth = self.depth(k)
        dense = self.dense_search(query, depth) if self.weights.get("dense") else {}
        return self.merge(query, dense, self.lexical_scores(query), depth)

    def depth(self, k: int) -> int:
        return min(len(self.bundle.chunks), max(self.candidates, k))

    def merge(
        self, query: Query, dense: dict[int, float], lexical: tuple[np.ndarray, np.ndarray, np.ndarray], depth: int
    ) -> Candidates:
        """The union of the dense and lexical top chunks, each with all three signals."""
        bm25, words, pairs = lexical
        lexical_top = _top(bm25, depth) if bm25.any() or not dense else []
        ids = np.array(list(dict.fromkeys([*dense, *map(int, lexical_top)])), dtype=np.int64)
        dense = dict(dense)
        missing = [i for i in ids if int(i) not in dense]
        dense.update(zip(map(int, missing), (self.bundle.dense.vectors(np.array(missing)) @ query.vector).tolist()))
        signals = {"dense": np.array([dense[int(i)] for i in ids]), "words": words[ids], "bigrams": pairs[ids]}
        return Candidates(ids, signals, bm25[ids])

    def fuse(self, candidates: Candidates, k: int) -> list[Hit]:
        """Stage 5: weighted sum of the signals, best `k` first."""
        ranked = weighted_sum(candidates.signals, self.weights, tiebreak=candidates.tiebreak)
        signals = candidates.signals
        return [
            Hit(
                self.bundle.chunks[int(candidates.ids[pos])],
                score,
                float(signals["dense"][pos]),
                float(signals["words"][pos]),
                float(signals["bigrams"][pos]),
            )
            for pos, score in ranked[:k]
        ]

    def search(self, query: Query, k: int) -> list[Hit]:
        """The best `k` chunks by the weighted sum of dense similarity and lexical coverage."""
        return self.fuse(self.candidates_for(query, k), k)
