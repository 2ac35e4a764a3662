"""Inner-product search over normalized vectors with faiss: exact (flat) or approximate (HNSW)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

# From here HNSW pays for its small recall loss: exact search costs about as much as HNSW at 10k
# passages (8.6 vs 8.0 ms per answer) but 3x more at 100k (25.6 vs 8.6 ms); bench/scale.py, BENCHMARKS.md.
APPROXIMATE_FROM = 50_000
HNSW_NEIGHBOURS = 32
HNSW_EF_CONSTRUCTION = 200
# recall@10 against exact search at ~100k passages (bench/scale.py's corpus): 0.94 at 256, 0.96 at 512,
# for 0.3 ms more per search (0.6 ms).
HNSW_EF_SEARCH = 512


def tune_for_single_queries() -> None:
    """One faiss thread: answering searches one vector at a time, and OpenMP's spinning threads
    then only compete with the encoder for the cores (measured: 17 → 9 ms per answer at 10k passages)."""
    import faiss

    faiss.omp_set_num_threads(1)


class DenseIndex:
    """A faiss inner-product index; `search` lowers k to the index size."""

    def __init__(self, index) -> None:
        self.index = index
        if hasattr(index, "hnsw"):
            index.hnsw.efSearch = HNSW_EF_SEARCH

    @classmethod
    def build(cls, vectors: np.ndarray, kind: str = "auto") -> DenseIndex:
        """`kind`: "flat" (exact), "hnsw" (approximate) or "auto" (HNSW from APPROXIMATE_FROM vectors)."""
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError("vectors must be a 2-D array")
        if kind == "auto":
            kind = "hnsw" if len(vectors) >= APPROXIMATE_FROM else "flat"
        if kind == "flat":
            index = faiss.IndexFlatIP(vectors.shape[1])
        elif kind == "hnsw":
            index = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        else:
            raise ValueError(f"unknown dense index kind {kind!r}")
        index.add(vectors)
        return cls(index)

    @property
    def kind(self) -> str:
        return "hnsw" if hasattr(self.index, "hnsw") else "flat"

    @property
    def dimension(self) -> int:
        return int(self.index.d)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and ids, best first, shape (n_queries, min(k, size))."""
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if queries.shape[1] != self.dimension:
            raise ValueError(f"query dimension {queries.shape[1]} != index dimension {self.dimension}")
        k = min(k, len(self))
        if k <= 0:
            return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
        return self.index.search(queries, k)

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """Stored vectors of the given ids."""
        return np.vstack([self.index.reconstruct(int(i)) for i in ids]) if len(ids) else np.zeros((0, self.dimension))

    def all_vectors(self) -> np.ndarray:
        """Every stored vector, in id order (adding or removing an article re-encodes nothing)."""
        if len(self) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray(self.index.reconstruct_n(0, len(self)), dtype=np.float32)

    def range_vectors(self, start: int, stop: int) -> np.ndarray:
        """The vectors of ids start..stop-1 (one article's passages)."""
        return np.asarray(self.index.reconstruct_n(start, stop - start), dtype=np.float32)

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        import faiss

        return cls(faiss.read_index(str(path)))
