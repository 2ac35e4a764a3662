"""Writing and opening an index's store on the backend its manifest names."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np

from ..errors import BackendError, IndexDamagedError
from ..ingest.chunking import Chunk
from .base import LOCAL, MILVUS, Backend
from .local import DENSE, LocalStore
from .terms import TermStats, load_terms, save_terms

log = logging.getLogger(__name__)
TERMS = "terms.json"


def store_record(manifest: dict | None) -> dict:
    """What a manifest records of its store (indexes older than backends are local)."""
    return (manifest or {}).get("backend") or {"kind": LOCAL}


def backend_of(manifest: dict | None) -> Backend | None:
    """The backend an index was built on (None for no index; local for indexes older than backends)."""
    if manifest is None:
        return None
    record = store_record(manifest)
    if record.get("kind") == MILVUS:
        return Backend(MILVUS, record.get("uri"), record.get("prefix"))
    return Backend(LOCAL)


def describe(backend: Backend | None) -> str:
    """A backend as users read it."""
    if backend is None or backend.kind == LOCAL:
        return "本机索引(faiss + BM25)"
    return f"Milvus({backend.uri})"


def same_place(a: Backend, b: Backend) -> bool:
    """Whether two backend settings point at the same store (a Milvus URI compared as resolved)."""
    if a.kind != b.kind:
        return False
    if a.kind == LOCAL:
        return True
    from .milvus import check_uri

    return b.uri is None or check_uri(a.uri) == check_uri(b.uri)


def with_prefix(backend: Backend, index_dir: Path) -> Backend:
    """The backend with its collection prefix: QA_MILVUS_COLLECTION, else one derived from the index directory."""
    if backend.kind != MILVUS or backend.collection:
        return backend
    digest = hashlib.sha256(str(Path(index_dir).resolve()).encode()).hexdigest()[:10]
    return Backend(MILVUS, backend.uri, f"qa_{digest}")


def write_store(
    directory: Path, chunks: list[Chunk], vectors: np.ndarray, words: list[list[str]], pairs: list[list[str]],
    backend: Backend, dense_kind: str = "auto",
) -> dict:
    """Store the passages on `backend` (files in `directory`, or a new Milvus collection); the manifest's record."""
    if backend.kind == LOCAL:
        store = LocalStore.build(chunks, vectors, words, pairs, dense_kind)
        store.save(directory)
        return store.describe()
    from .milvus import MilvusStore

    if not backend.collection:
        raise BackendError("Milvus 集合名前缀未设定。")
    save_terms(directory / TERMS, TermStats.build(words), TermStats.build(pairs))
    store = MilvusStore.create(backend, backend.collection, vectors.shape[1], len(chunks), dense_kind)
    try:
        store.add(chunks, vectors, words, pairs)
        store.finish()
    except BaseException:
        store.drop()  # a failed change leaves nothing behind (a killed one: `retire` at the next change)
        raise
    record = store.describe()
    record["prefix"] = backend.collection
    return record


def needed_files(manifest: dict) -> tuple[str, ...]:
    return (TERMS,) if store_record(manifest).get("kind") == MILVUS else (DENSE,)


def open_store(directory: Path, manifest: dict, chunks: list[Chunk]):
    """The store a manifest names and the term statistics answering reads: (store, words, pairs)."""
    record = store_record(manifest)
    if record.get("kind") == LOCAL:
        store = LocalStore.load(directory, chunks)
        return store, store.words, store.pairs
    if record.get("kind") != MILVUS:
        raise IndexDamagedError(f"索引清单记录了未知的存储后端 {record.get('kind')}。请运行 `qa build-index` 重建索引。")
    from .milvus import MilvusStore

    words, pairs = load_terms(directory / TERMS)
    store = MilvusStore.open(record, manifest["dimension"], manifest["chunk_count"], chunks, words, pairs)
    return store, words, pairs


def retire_previous(manifest: dict | None, previous: dict | None) -> None:
    """After a change is published: drop the index's Milvus collections other than the new and the
    previous one (processes still answering from it switch at their next question)."""
    record = store_record(manifest)
    if record.get("kind") != MILVUS:
        return
    from .milvus import retire

    before = store_record(previous).get("collection")
    try:
        gone = retire(record["uri"], record["prefix"], {record["collection"], before} - {None})
    except Exception as exc:  # the new version is published; old collections only cost space
        log.warning("旧的 Milvus 集合未能删除:%s", exc)
        return
    if gone:
        log.info("dropped old Milvus collections: %s", ", ".join(gone))
