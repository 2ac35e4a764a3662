"""The default store: faiss vectors and bm25s indexes in the index directory, searched in-process."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..ingest.chunking import Chunk
from .base import LOCAL, TextResult
from .dense import DenseIndex
from .lexical import LexicalIndex

DENSE = "dense.faiss"
BM25_DIR = "bm25"
BIGRAM_DIR = "bm25-bigrams"


def top(scores: np.ndarray, depth: int) -> np.ndarray:
    """Indices of the `depth` highest scores, best first (ties by index), without a full sort."""
    if depth >= len(scores):
        return np.argsort(-scores, kind="stable")
    kth = -np.partition(-scores, depth - 1)[depth - 1]
    above = np.flatnonzero(scores > kth)
    part = np.concatenate([above, np.flatnonzero(scores == kth)[: depth - len(above)]])
    return part[np.lexsort((part, -scores[part]))]


class LocalStore:
    """faiss (exact or HNSW) for dense search, BM25 over every passage with bm25s for full text."""

    kind = LOCAL

    def __init__(self, dense: DenseIndex, words: LexicalIndex, pairs: LexicalIndex, chunks: list[Chunk]) -> None:
        self.dense = dense
        self.words = words
        self.pairs = pairs
        self.chunks = chunks

    @classmethod
    def build(cls, chunks: list[Chunk], vectors: np.ndarray, words: list[list[str]], pairs: list[list[str]],
              dense_kind: str = "auto") -> LocalStore:
        return cls(DenseIndex.build(vectors, kind=dense_kind), LexicalIndex.build(words), LexicalIndex.build(pairs), chunks)

    def save(self, directory: Path) -> None:
        self.dense.save(directory / DENSE)
        self.words.save(directory / BM25_DIR)
        self.pairs.save(directory / BIGRAM_DIR)

    @classmethod
    def load(cls, directory: Path, chunks: list[Chunk]) -> LocalStore:
        return cls(DenseIndex.load(directory / DENSE), LexicalIndex.load(directory / BM25_DIR),
                   LexicalIndex.load(directory / BIGRAM_DIR), chunks)

    def describe(self) -> dict:
        return {"kind": LOCAL, "dense_index": self.dense.kind}

    @property
    def dimension(self) -> int:
        return self.dense.dimension

    def __len__(self) -> int:
        return len(self.dense)

    def dense_search(self, vector: np.ndarray, depth: int, within: range | None = None) -> dict[int, float]:
        if within is None:
            scores, ids = self.dense.search(vector, depth)
            return dict(zip(ids[0].tolist(), scores[0].tolist()))
        scores = self.dense.range_vectors(within.start, within.stop) @ vector  # exact inside one article
        return {within.start + int(i): float(scores[i]) for i in top(scores, min(depth, len(scores)))}

    def text_search(
        self, tokens: list[str], pairs: list[str], groups: list[list[str]], depth: int,
        within: range | None = None, exclude: frozenset[int] = frozenset(),
    ) -> TextResult:
        bm25 = self.words.scores(tokens) + self.pairs.scores(pairs)
        words, pair_share = self.words.coverage(groups), self.pairs.coverage(pairs)
        hidden = np.fromiter(exclude, dtype=np.int64) if exclude else None
        if within is not None:
            inside = np.zeros(len(bm25), dtype=bool)
            inside[within.start : within.stop] = True
            hidden = np.flatnonzero(~inside) if hidden is None else np.union1d(hidden, np.flatnonzero(~inside))
        if hidden is not None and len(hidden):
            bm25, words, pair_share = bm25.copy(), words.copy(), pair_share.copy()
            bm25[hidden] = words[hidden] = pair_share[hidden] = -1.0
        return TextResult(
            list(map(int, top(bm25, depth))), bool((bm25 > 0).any()), lambda ids: (bm25[ids], words[ids], pair_share[ids])
        )

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        return self.dense.vectors(np.asarray(ids))

    def all_vectors(self) -> np.ndarray:
        return self.dense.all_vectors()

    def fetch(self, ids: list[int]) -> list[Chunk]:
        return [self.chunks[int(i)] for i in ids]
