"""Shared fixtures: a deterministic fake encoder for fast tests, and one real index per session."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

import qa.api
from qa.config import DEFAULT_SOURCE
from qa.engine import Engine
from qa.index.build import build_index

ARTICLE = DEFAULT_SOURCE


class HashEncoder:
    """Bag of character bigrams hashed into 64 dims: deterministic, instant, no model."""

    dimension = 64

    def __init__(self, name: str = "fake-hash-encoder") -> None:
        self.name = name

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for i in range(max(1, len(text) - 1)):
                digest = hashlib.md5(text[i : i + 2].encode()).digest()
                out[row, digest[0] % self.dimension] += 1.0
            out[row] /= np.linalg.norm(out[row]) or 1.0
        return out


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Every test gets its own index directory and a fresh default engine."""
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.delenv("QA_MODEL", raising=False)
    monkeypatch.delenv("QA_SOURCE", raising=False)
    monkeypatch.setattr(qa.api, "_engine", None)
    yield


@pytest.fixture
def fake_encoder() -> HashEncoder:
    return HashEncoder()


@pytest.fixture
def article_copy(tmp_path) -> Path:
    """A private copy of the shipped article, safe to modify."""
    target = tmp_path / "src" / ARTICLE.name
    target.parent.mkdir()
    shutil.copy(ARTICLE, target)
    return target


@pytest.fixture
def api_engine(tmp_path, monkeypatch) -> Engine:
    """The shipped article over the hash encoder, installed as the engine `qa.api` (and the chat) answers with."""
    index_dir = tmp_path / "idx" / "index"
    build_index([ARTICLE], index_dir, encoder=HashEncoder())
    engine = Engine(index_dir, model=HashEncoder().name, encoder=HashEncoder(), strict=True)
    monkeypatch.setattr(qa.api, "_engine", engine)
    return engine


@pytest.fixture(scope="session")
def real_index(tmp_path_factory) -> Path:
    """The shipped article indexed with the real default model, built once per test session."""
    directory = tmp_path_factory.mktemp("real") / "index"
    build_index([ARTICLE], directory)
    return directory


@pytest.fixture(scope="session")
def real_engine(real_index) -> Engine:
    engine = Engine(real_index, strict=True)
    engine.retriever
    return engine
