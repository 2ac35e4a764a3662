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

# Calibrated with `qa eval` on the development questions (see README, "Quality").
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


class Retriever:
    """Ranks an index's chunks for a question."""

    def __init__(self, bundle: IndexBundle, encoder: Encoder, candidates: int = 50) -> None:
        self.bundle = bundle
        self.encoder = encoder
        self.candidates = candidates

    def prepare(self, text: str) -> Query:
        return Query(text, tokenize(text), bigrams(text), self.encoder.encode([dense_text(text)])[0])

    def search(self, query: Query, k: int) -> list[Hit]:
        """The best `k` chunks by the weighted sum of dense similarity and lexical coverage."""
        bundle = self.bundle
        depth = min(len(bundle.chunks), max(self.candidates, k))
        dense_scores, dense_ids = bundle.dense.search(query.vector, depth)
        word_bm25 = bundle.words.scores(query.tokens)
        pair_bm25 = bundle.bigrams.scores(query.bigrams)
        lexical_best = np.argsort(-(word_bm25 + pair_bm25), kind="stable")[:depth]
        ids = np.array(list(dict.fromkeys(dense_ids[0].tolist() + lexical_best.tolist())), dtype=np.int64)
        dense = dict(zip(dense_ids[0].tolist(), dense_scores[0].tolist()))
        signals = {
            "dense": np.array([dense.get(i) if i in dense else self._similarity(query, i) for i in ids]),
            "words": bundle.words.coverage(query.tokens)[ids],
            "bigrams": bundle.bigrams.coverage(query.bigrams)[ids],
        }
        ranked = weighted_sum(signals, WEIGHTS, tiebreak=(word_bm25 + pair_bm25)[ids])
        return [
            Hit(
                bundle.chunks[int(ids[pos])],
                score,
                float(signals["dense"][pos]),
                float(signals["words"][pos]),
                float(signals["bigrams"][pos]),
            )
            for pos, score in ranked[:k]
        ]

    def _similarity(self, query: Query, chunk_id: int) -> float:
        return float(self.bundle.dense.index.reconstruct(int(chunk_id)) @ query.vector)
