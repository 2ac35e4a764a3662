"""The storage interface the retriever uses, and which backend an index lives on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..config import BackendSettings
from ..errors import BackendError
from ..ingest.chunking import Chunk

LOCAL = "local"
MILVUS = "milvus"



@dataclass(frozen=True)
class Backend:
    """Where passages, vectors and full-text live: in-process files (`local`) or a Milvus collection."""

    kind: str = LOCAL
    uri: str | None = None  # a local `.db` path (milvus-lite) or http(s)://host:19530 (a server)
    collection: str | None = None  # the prefix of the index's collection names (QA_MILVUS_COLLECTION)

    def __post_init__(self) -> None:
        if self.kind not in (LOCAL, MILVUS):
            raise BackendError(f"未知的存储后端“{self.kind}”,可选 local 或 milvus(QA_BACKEND / --backend)。")
        if self.kind == MILVUS and not self.uri:
            raise BackendError("使用 Milvus 后端需要指定地址:QA_MILVUS_URI 或 --milvus-uri(本地 .db 路径或 http://主机:19530)。")

    @property
    def remote(self) -> bool:
        return bool(self.uri) and self.uri.split("://", 1)[0] in ("http", "https", "tcp")


def env_backend() -> Backend | None:
    """The backend asked for through QA_BACKEND / QA_MILVUS_URI, or None when not set."""
    asked = BackendSettings.from_env()
    if not asked.kind:
        return None
    if asked.kind != MILVUS:
        return Backend(asked.kind)
    return Backend(asked.kind, asked.uri, asked.collection)


@dataclass(frozen=True)
class TextResult:
    """Full-text candidates of one query, best first, and the lexical signals of any passage.

    `ids`: the top passages by summed BM25 (words + character pairs), ties and zero scores by id, as
    the in-process index ranks them; `matched`: whether any passage in scope scored above zero.
    """

    ids: list[int]
    matched: bool
    scorer: object  # callable ids -> (bm25, word coverage, pair coverage)

    def signals(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.scorer(ids)


class PassageStore(Protocol):
    """Dense and full-text search over an index's passages (ids 0..n-1, one article a contiguous range)."""

    kind: str

    @property
    def dimension(self) -> int: ...

    def __len__(self) -> int: ...

    def dense_search(self, vector: np.ndarray, depth: int, within: range | None = None) -> dict[int, float]:
        """The `depth` nearest passages (of the `within` id range) and their cosine, best first."""

    def text_search(
        self, tokens: list[str], pairs: list[str], groups: list[list[str]], depth: int,
        within: range | None = None, exclude: frozenset[int] = frozenset(),
    ) -> TextResult:
        """The full-text candidates of a query's words and character pairs (coverage counts `groups`)."""

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """Stored vectors of the given ids."""

    def all_vectors(self) -> np.ndarray:
        """Every vector in id order (adding or removing an article re-encodes nothing)."""

    def fetch(self, ids: list[int]) -> list[Chunk]:
        """The passages with these ids, in that order."""
