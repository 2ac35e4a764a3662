"""Passages on Milvus: one collection per index version, searched through pymilvus.

The same code runs against milvus-lite (a local `.db` path, in-process), Milvus standalone and
Milvus distributed (an http(s)://host:19530 URI). Milvus holds the vectors (dense search) and the
project's own word and character-pair tokens (full-text search with its BM25 function); the
signals the passage model reads (cosine, BM25, coverage) are then computed here exactly as the
in-process index computes them (`terms.py`), so both backends rank the same candidates the same way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import uuid
from collections import OrderedDict

import numpy as np

from ..config import BackendSettings
from ..errors import BackendError, IndexDamagedError, IndexMismatchError
from ..ingest.chunking import Chunk
from ..text.tokens import bigrams, tokenize
from .base import MILVUS, Backend, TextResult
from .dense import APPROXIMATE_FROM, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_NEIGHBOURS
from .terms import K1, B, TermStats

SCHEMA_VERSION = 1
INSERT_BATCH = 2_000
READ_BATCH = 4_096
TOKEN_CACHE = 50_000
REBUILD_HINT = "请运行 `qa build-index` 重建索引。"
MISSING_EXTRA = "未安装 Milvus 支持。请运行 pip install '.[milvus]'(即 pymilvus 与 milvus-lite)后再试。"
_clients: dict[tuple[str, str], object] = {}
_clients_lock = threading.Lock()


def _pymilvus():
    try:
        import pymilvus
    except ImportError as exc:
        raise BackendError(MISSING_EXTRA) from exc
    # milvus-lite logs a traceback of its own when a file is locked (BackendError says what to do), and
    # its embedded gRPC server one for every call it does not implement (AllocTimestamp, harmless).
    for name in ("milvus_lite", "grpc._server"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    return pymilvus


def check_uri(uri: str) -> str:
    """A server URI as given; a local path made absolute (milvus-lite needs a `.db` file name)."""
    if "://" in uri:
        if uri.split("://", 1)[0] not in ("http", "https", "tcp"):
            raise BackendError(f"无法识别的 Milvus 地址:{uri}。请使用 http://主机:19530 或本地 .db 文件路径。")
        return uri
    if not uri.endswith(".db"):
        raise BackendError(f"本地 Milvus(milvus-lite)路径须以 .db 结尾:{uri}")
    path = os.path.abspath(os.path.expanduser(uri))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def client(uri: str):
    """One pymilvus client per URI and token (QA_MILVUS_TOKEN), shared by the threads of a process."""
    pymilvus = _pymilvus()
    token = BackendSettings.from_env().token
    key = (uri, token)
    with _clients_lock:
        if key not in _clients:
            try:
                _clients[key] = pymilvus.MilvusClient(uri=uri, token=token)
            except Exception as exc:  # connection refused, bad token, lite data directory in use
                if "://" not in uri:
                    raise BackendError(
                        f"无法打开本地 Milvus 文件 {uri}:milvus-lite 只允许一个进程打开它,可能正被另一个进程"
                        "(例如正在运行的网页服务)使用。请先停止那个进程,或通过网页、/api/articles 添加和删除文章。"
                    ) from exc
                raise BackendError(f"无法连接 Milvus({uri}):{exc}。请检查服务是否在运行、地址与 QA_MILVUS_TOKEN。") from exc
        return _clients[key]


def release(uri: str) -> None:
    """Close this process's clients of `uri` (and stop milvus-lite's server for a local path)."""
    with _clients_lock:
        for key in [k for k in _clients if k[0] == uri]:
            _clients.pop(key).close()
    if "://" not in uri:
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(uri)


def token_key(token: str) -> str:
    """A token as an opaque lower-case ASCII word, kept whole by any Milvus analyzer (lite or server)."""
    return "t" + hashlib.blake2b(token.encode("utf-8"), digest_size=8).hexdigest()


def key_text(tokens: list[str]) -> str:
    return " ".join(token_key(t) for t in (tokens or [""]))


def index_settings(count: int, dense_kind: str = "auto") -> dict:
    """The dense index for `count` passages (exact below APPROXIMATE_FROM, as in-process) and BM25's parameters."""
    kind = dense_kind if dense_kind != "auto" else ("hnsw" if count >= APPROXIMATE_FROM else "flat")
    dense = (
        {"index_type": "FLAT", "metric_type": "IP", "params": {}}
        if kind == "flat"
        else {"index_type": "HNSW", "metric_type": "IP", "params": {"M": HNSW_NEIGHBOURS, "efConstruction": HNSW_EF_CONSTRUCTION}}
    )
    return {"schema": SCHEMA_VERSION, "dense": dense, "bm25": {"bm25_k1": K1, "bm25_b": B}, "tokens": "blake2b-64"}


class MilvusStore:
    """An index version's passages in one Milvus collection (ids 0..n-1)."""

    kind = MILVUS

    def __init__(self, uri: str, collection: str, settings: dict, dimension: int, chunks: list[Chunk],
                 words: TermStats | None = None, pairs: TermStats | None = None) -> None:
        self.uri = uri
        self.collection = collection
        self.settings = settings
        self._dimension = dimension
        self.chunks = chunks
        self.words = words
        self.pairs = pairs
        self.client = client(uri)
        self._tokens: OrderedDict[int, tuple] = OrderedDict()
        self._lock = threading.Lock()

    # ---------- writing ----------
    @classmethod
    def create(cls, backend: Backend, prefix: str, dimension: int, count: int, dense_kind: str = "auto") -> MilvusStore:
        """A new, empty collection named `prefix`_<random> with the schema and indexes of this version."""
        pymilvus = _pymilvus()
        DataType, Function, FunctionType = pymilvus.DataType, pymilvus.Function, pymilvus.FunctionType
        uri = check_uri(backend.uri)
        milvus = client(uri)
        settings = index_settings(count, dense_kind)
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        schema = milvus.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("article", DataType.VARCHAR, max_length=64)
        schema.add_field("chunk", DataType.VARCHAR, max_length=65_535)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dimension)
        for field in ("words", "pairs"):
            schema.add_field(field, DataType.VARCHAR, max_length=65_535, enable_analyzer=True,
                             analyzer_params={"tokenizer": "standard"})
            schema.add_field(f"{field}_sparse", DataType.SPARSE_FLOAT_VECTOR)
            schema.add_function(Function(name=f"{field}_bm25", function_type=FunctionType.BM25,
                                         input_field_names=[field], output_field_names=[f"{field}_sparse"]))
        params = milvus.prepare_index_params()
        dense = settings["dense"]
        params.add_index("vector", index_type=dense["index_type"], metric_type=dense["metric_type"], params=dense["params"])
        for field in ("words_sparse", "pairs_sparse"):
            params.add_index(field, index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params=settings["bm25"])
        try:
            milvus.create_collection(name, schema=schema, index_params=params,
                                     properties={"qa.settings": json.dumps(settings, sort_keys=True)})
        except Exception as exc:
            raise BackendError(f"无法在 Milvus({uri})中建立集合 {name}:{exc}") from exc
        return cls(uri, name, settings, dimension, [])

    def add(self, chunks: list[Chunk], vectors: np.ndarray, words: list[list[str]], pairs: list[list[str]]) -> None:
        """Insert passages (their ids are their chunk ids) in batches."""
        for start in range(0, len(chunks), INSERT_BATCH):
            rows = [
                {
                    "id": chunk.chunk_id,
                    "article": chunk.article,
                    "chunk": json.dumps(chunk.to_dict(), ensure_ascii=False),
                    "vector": vector.tolist(),
                    "words": key_text(w),
                    "pairs": key_text(p),
                }
                for chunk, vector, w, p in zip(chunks[start : start + INSERT_BATCH], vectors[start : start + INSERT_BATCH],
                                               words[start : start + INSERT_BATCH], pairs[start : start + INSERT_BATCH])
            ]
            self.client.insert(self.collection, rows)
        self.chunks = self.chunks + list(chunks)

    def finish(self) -> None:
        """Make what was inserted durable and searchable."""
        self.client.flush(self.collection)
        self.client.load_collection(self.collection)

    def drop(self) -> None:
        self.client.drop_collection(self.collection)

    def describe(self) -> dict:
        return {"kind": MILVUS, "uri": self.uri, "collection": self.collection, "index": self.settings}

    # ---------- opening ----------
    @classmethod
    def open(cls, record: dict, dimension: int, count: int, chunks: list[Chunk], words: TermStats, pairs: TermStats) -> MilvusStore:
        """The collection a manifest names, checked against what the manifest recorded."""
        uri, name = record["uri"], record["collection"]
        milvus = client(uri)
        try:
            exists = milvus.has_collection(name)
        except Exception as exc:
            raise BackendError(f"无法连接 Milvus({uri}):{exc}。请检查服务是否在运行。") from exc
        if not exists:
            raise IndexDamagedError(f"Milvus({uri})中没有索引记录的集合 {name}。{REBUILD_HINT}")
        properties = milvus.describe_collection(name).get("properties") or {}
        stored = json.loads(properties.get("qa.settings", "null"))
        if stored != record.get("index") or stored != index_settings(count, _kind(stored)):
            raise IndexMismatchError(f"Milvus 集合 {name} 的结构或索引参数与索引清单(或本程序)不符。{REBUILD_HINT}")
        rows = int(milvus.get_collection_stats(name).get("row_count", -1))
        if rows != count:
            raise IndexDamagedError(f"Milvus 集合 {name} 有 {rows} 个段落,索引清单记录的是 {count} 个。{REBUILD_HINT}")
        milvus.load_collection(name)
        return cls(uri, name, stored, dimension, chunks, words, pairs)

    # ---------- searching ----------
    @property
    def dimension(self) -> int:
        return self._dimension

    def __len__(self) -> int:
        return len(self.chunks)

    @staticmethod
    def _filter(within: range | None, exclude: frozenset[int] = frozenset()) -> str:
        parts = [f"id >= {within.start} and id < {within.stop}"] if within is not None else []
        if exclude:
            parts.append(f"not (id in [{', '.join(map(str, sorted(exclude)))}])")
        return " and ".join(parts)

    def dense_search(self, vector: np.ndarray, depth: int, within: range | None = None) -> dict[int, float]:
        depth = min(depth, len(within) if within is not None else len(self))
        if depth <= 0:
            return {}
        params = {"metric_type": "IP", "params": {"ef": max(HNSW_EF_SEARCH, depth)}}
        found = self.client.search(self.collection, data=[np.asarray(vector, dtype=np.float32).tolist()], anns_field="vector",
                                   limit=depth, filter=self._filter(within), search_params=params)
        return {int(hit["id"]): float(hit["distance"]) for hit in found[0]}

    def text_search(
        self, tokens: list[str], pairs: list[str], groups: list[list[str]], depth: int,
        within: range | None = None, exclude: frozenset[int] = frozenset(),
    ) -> TextResult:
        """Milvus' BM25 top of each field, rescored here by the summed BM25; zero scores padded by id."""
        limit = min(2 * depth + len(exclude), 16_384)
        flt = self._filter(within, exclude)
        found: set[int] = set()
        for field, terms, stats in (("words_sparse", tokens, self.words), ("pairs_sparse", pairs, self.pairs)):
            known = list(dict.fromkeys(token_key(t) for t in terms if t in stats.df))
            if known:
                hits = self.client.search(self.collection, data=[" ".join(known)], anns_field=field, limit=limit,
                                          filter=flt, search_params={"metric_type": "BM25"})
                found.update(int(hit["id"]) for hit in hits[0])
        found -= exclude
        scorer = self._scorer(tokens, pairs, groups)
        ranked = sorted(found)
        scores = scorer(np.array(ranked, dtype=np.int64))[0] if ranked else np.zeros(0, dtype=np.float32)
        ids = [i for _, i in sorted(zip((-scores).tolist(), ranked))][:depth]
        if len(ids) < depth:  # the in-process index fills up with unmatched passages, lowest ids first
            span = within if within is not None else range(len(self))
            seen = set(ids)
            ids += [i for i in _take(span, seen | exclude | found, depth - len(ids))]
        return TextResult(ids, bool(len(scores) and scores.max() > 0), scorer)

    def _scorer(self, tokens: list[str], pairs: list[str], groups: list[list[str]]):
        def signals(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            parts = [self._passage_tokens(int(i)) for i in ids]
            bm25 = self.words.bm25(tokens, [p[0] for p in parts]) + self.pairs.bm25(pairs, [p[1] for p in parts])
            return bm25, self.words.coverage(groups, [p[2] for p in parts]), self.pairs.coverage(pairs, [p[3] for p in parts])

        return signals

    def _passage_tokens(self, chunk_id: int) -> tuple:
        with self._lock:
            cached = self._tokens.get(chunk_id)
        if cached is not None:
            return cached
        text = self.chunks[chunk_id].search_text
        words, pairs = tokenize(text), bigrams(text)
        entry = (words, pairs, frozenset(words or [""]), frozenset(pairs or [""]))
        with self._lock:
            self._tokens[chunk_id] = entry
            while len(self._tokens) > TOKEN_CACHE:
                self._tokens.popitem(last=False)
        return entry

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        ids = [int(i) for i in ids]
        if not ids:
            return np.zeros((0, self.dimension), dtype=np.float32)
        rows = self.client.query(self.collection, ids=ids, output_fields=["vector"])
        by_id = {int(row["id"]): row["vector"] for row in rows}
        return np.asarray([by_id[i] for i in ids], dtype=np.float32)

    def all_vectors(self) -> np.ndarray:
        parts = []
        for start in range(0, len(self), READ_BATCH):
            stop = min(start + READ_BATCH, len(self))
            parts.append(self.vectors(np.arange(start, stop)))
        return np.vstack(parts) if parts else np.zeros((0, self.dimension), dtype=np.float32)

    def fetch(self, ids: list[int]) -> list[Chunk]:
        ids = [int(i) for i in ids]
        if not ids:
            return []
        rows = self.client.query(self.collection, ids=ids, output_fields=["chunk"])
        by_id = {int(row["id"]): Chunk(**json.loads(row["chunk"])) for row in rows}
        return [by_id[i] for i in ids]


def _kind(settings: dict | None) -> str:
    return "hnsw" if settings and settings.get("dense", {}).get("index_type") == "HNSW" else "flat"


def _take(span: range, skip: set[int], count: int) -> list[int]:
    out = []
    for i in span:
        if len(out) >= count:
            break
        if i not in skip:
            out.append(i)
    return out


def retire(uri: str, prefix: str, keep: set[str]) -> list[str]:
    """Drop this index's other collections (older versions, leftovers of a killed change); return their names."""
    milvus = client(uri)
    gone = [name for name in milvus.list_collections() if name.startswith(prefix + "_") and name not in keep]
    for name in gone:
        milvus.drop_collection(name)
    return gone
