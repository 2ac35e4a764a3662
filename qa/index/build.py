"""Build the index from article files: chunk, tokenize, encode, and publish atomically."""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .._version import __version__
from ..config import DEFAULT_MODEL, DEFAULT_SOURCE, ChunkerSettings, default_index_dir
from ..encoders.loading import Encoder, load_encoder, model_fingerprint
from ..errors import IndexDamagedError, IndexMismatchError, IndexMissingError, SourceError
from ..ingest.bylines import BYLINE_RE
from ..ingest.chunking import Chunk, chunk_article
from ..ingest.header import article_info
from ..ingest.sources import FileDocument, read_sources
from ..progress import ENCODE_BATCH, ENCODING, Progress
from ..storage import Backend, LocalStore, describe, env_backend, retire_previous, with_prefix, write_store
from ..text import tokens
from ..text.normalize import clean_text, to_simplified
from ..text.tokens import bigrams, tokenize
from .articles import Article, article_id
from .atomic import clean_leftovers, index_lock, publish, staging_dir
from .files import FORMAT_VERSION, read_manifest, write_files, write_manifest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildReport:
    """What a build produced."""

    index_dir: Path
    chunks: int
    sources: int
    model: str
    dimension: int
    seconds: float
    backend: str = "本机索引(faiss + BM25)"


def chunk_document(
    document, settings: ChunkerSettings, first_id: int = 0, path: str | None = None, added_at: str | None = None
) -> tuple[Article, list[Chunk]]:
    """One document's record and its chunks, numbered from `first_id`.

    `document` is a `qa.ingest.Document` (or anything with its text, name, sha256 and size);
    `added_at` keeps the time a rebuilt article was first added (default: now).
    """
    key = article_id(document.sha256)
    title, parts = chunk_article(document.text, document.name, settings)
    chunks = [dataclasses.replace(part, chunk_id=first_id + i, article=key) for i, part in enumerate(parts)]
    info = article_info(chunks)
    # The names the byline gives (林靖东, not 编译 林靖东); else the line without its label.
    names = "、".join(info.credit.names) if info.credit and info.credit.names else None
    byline = names or (BYLINE_RE.sub("", info.byline).strip() if info.byline else None)
    record = Article(
        id=key,
        title=getattr(document, "title", None) or info.title or title,
        name=document.name,
        format=getattr(document, "format", "text"),
        sha256=document.sha256,
        size=document.size,
        passages=len(chunks),
        date=getattr(document, "date", None) or info.date,
        author=getattr(document, "author", None) or byline or None,
        site=getattr(document, "site", None) or info.publisher,
        added_at=added_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        path=path,
        url=getattr(document, "url", None),
    )
    return record, chunks


def chunk_documents(
    documents: list, settings: ChunkerSettings, index_dir: Path | None = None, added_at: dict[str, str] | None = None
) -> tuple[list[Article], dict[str, str], list[Chunk]]:
    """Records, texts (by article id) and chunks (ids 0..n-1) of documents; a repeated document is kept
    once and one without passages left out.

    A `FileDocument` records its file's path (relative to `index_dir`), so that a changed file is
    noticed; `added_at` (article id → time) keeps when articles of a rebuilt index were added."""
    articles: list[Article] = []
    texts: dict[str, str] = {}
    chunks: list[Chunk] = []
    for item in documents:
        document, path = (item.document, item.path) if isinstance(item, FileDocument) else (item, None)
        key = article_id(document.sha256)
        if key in texts:
            log.warning("重复的文章已跳过:%s", document.name)
            continue
        where = relative_path(path, index_dir) if path and index_dir else None
        record, parts = chunk_document(document, settings, len(chunks), where, (added_at or {}).get(key))
        if not parts:
            log.warning("文章中没有可以索引的段落,已跳过:%s", document.name)
            continue
        articles.append(record)
        texts[key] = document.text
        chunks.extend(parts)
    if not chunks:
        raise SourceError("来源文件中没有可以索引的段落。请检查文件内容。")
    return articles, texts, chunks


def chunk_sources(sources: list, settings: ChunkerSettings) -> tuple[list[Chunk], list[str]]:
    """Chunks of all sources with ids 0..n-1, and each source's title."""
    articles, _, chunks = chunk_documents(sources, settings)
    return chunks, [article.title for article in articles]


def chunk_tokens(chunks: list[Chunk]) -> tuple[list[list[str]], list[list[str]]]:
    """What the lexical indexes hold of each chunk: its words, and its character pairs.

    Tokens are interned: a corpus repeats the same few hundred thousand terms, and one string object
    each instead of one per occurrence keeps a 100k-passage build about 1 GB smaller."""
    return ([[sys.intern(t) for t in tokenize(chunk.search_text)] for chunk in chunks],
            [[sys.intern(p) for p in bigrams(chunk.search_text)] for chunk in chunks])


def local_store(chunks: list[Chunk], vectors: np.ndarray, dense_kind: str = "auto") -> LocalStore:
    """The in-process store (faiss, BM25 of words and of character pairs) of numbered chunks, in memory."""
    return LocalStore.build(chunks, vectors, *chunk_tokens(chunks), dense_kind)


def dense_text(text: str) -> str:
    """What the encoder reads: cleaned, in simplified characters."""
    return to_simplified(clean_text(text))


def encode_chunks(
    encoder: Encoder, chunks: list[Chunk], show_progress: bool = False, progress: Progress | None = None
) -> np.ndarray:
    """The dense vectors of chunks; with `progress`, encoded ENCODE_BATCH at a time, each batch reported."""
    if not chunks:
        return np.zeros((0, encoder.dimension), dtype=np.float32)
    texts = [dense_text(chunk.search_text) for chunk in chunks]
    if progress is None:
        return encoder.encode(texts, show_progress=show_progress)
    parts = []
    for start in range(0, len(texts), ENCODE_BATCH):
        parts.append(encoder.encode(texts[start : start + ENCODE_BATCH]))
        progress(ENCODING, min(start + ENCODE_BATCH, len(texts)), len(texts))
    return np.vstack(parts)


def relative_path(path: Path, index_dir: Path) -> str:
    """A source path as recorded: relative to the index directory, so that a checkout can move."""
    try:
        return os.path.relpath(path.resolve(), index_dir.resolve())
    except ValueError:  # another drive on Windows
        return str(path.resolve())


@dataclass(frozen=True)
class Corpus:
    """Everything an index is written from: articles, their texts, numbered chunks and their vectors."""

    articles: list[Article]
    texts: dict[str, str]
    chunks: list[Chunk]
    vectors: np.ndarray


def _manifest_or_none(directory: Path) -> dict | None:
    try:
        return read_manifest(directory)
    except (IndexMissingError, IndexDamagedError, IndexMismatchError):
        return None


@contextmanager
def replacing(index_dir: Path) -> Iterator[Path]:
    """A staging directory to write the new index into; published in place of `index_dir` when the
    block ends, removed when it raises. A kill at any point leaves the old index or the new one, whole.

    On Milvus the new version is a new collection, named by the new manifest: until the manifest is
    published, readers keep the previous collection; collections of older versions are dropped after."""
    clean_leftovers(index_dir)
    previous = _manifest_or_none(index_dir)
    staged = staging_dir(index_dir)  # a kill from here on leaves only this directory behind
    try:
        yield staged
        publish(staged, index_dir)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    retire_previous(_manifest_or_none(index_dir), previous)


def write_index(
    corpus: Corpus,
    staged: Path,
    model: str,
    dimension: int,
    settings: ChunkerSettings = ChunkerSettings(),
    dense_kind: str = "auto",
    backend: Backend = Backend(),
) -> None:
    """Write `corpus` as a whole index (the store, the data files, then the manifest) into the directory
    `staged`; `backend` (with its collection prefix, `with_prefix`) says where the passages are stored."""
    if not corpus.chunks:
        raise SourceError("没有可以索引的段落。")
    words, pairs = chunk_tokens(corpus.chunks)
    record = write_store(staged, corpus.chunks, np.asarray(corpus.vectors, dtype=np.float32), words, pairs, backend, dense_kind)
    files_meta = write_files(staged, corpus.chunks, corpus.texts)
    manifest = {
        "format": FORMAT_VERSION,
        "package_version": __version__,
        "model": model,
        "model_fingerprint": model_fingerprint(model),
        "dimension": dimension,
        "chunker": settings.to_dict(),
        "tokenizer": tokens.fingerprint(),
        "articles": [article.to_dict() for article in corpus.articles],
        "chunk_count": len(corpus.chunks),
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "dense_index": record.get("dense_index") or record["index"]["dense"]["index_type"].lower(),
        "backend": record,
        "files": files_meta,
    }
    write_manifest(staged, manifest)


def corpus_of(
    documents: list,
    encoder: Encoder,
    settings: ChunkerSettings,
    index_dir: Path,
    show_progress: bool = False,
    added_at: dict[str, str] | None = None,
) -> Corpus:
    """Chunk (`chunk_documents`) and encode documents into a fresh corpus."""
    articles, texts, chunks = chunk_documents(documents, settings, index_dir, added_at)
    return Corpus(articles, texts, chunks, encode_chunks(encoder, chunks, show_progress))


def build_index(
    sources: list[Path] | None = None,
    index_dir: Path | None = None,
    model: str = DEFAULT_MODEL,
    settings: ChunkerSettings = ChunkerSettings(),
    encoder: Encoder | None = None,
    show_progress: bool = False,
    dense_kind: str = "auto",
    documents: list | None = None,
    backend: Backend | None = None,
    added_at: dict[str, str] | None = None,
) -> BuildReport:
    """Build an index of `sources` (files or directories; default: the shipped article) — or of
    already read `documents` — into `index_dir`, replacing it atomically.

    `dense_kind` "auto" keeps small sources exact and switches large ones to HNSW (see qa/storage/dense.py).
    `backend` (default: QA_BACKEND, else in-process files) is where the passages are stored.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir or default_index_dir())
    if documents is None:
        documents = read_sources([Path(p) for p in (sources or [DEFAULT_SOURCE])])
    encoder = encoder or load_encoder(model)
    backend = with_prefix(backend or env_backend() or Backend(), index_dir)
    with index_lock(index_dir), replacing(index_dir) as staged:
        corpus = corpus_of(documents, encoder, settings, index_dir, show_progress, added_at)
        write_index(corpus, staged, encoder.name, encoder.dimension, settings, dense_kind, backend)
    seconds = time.perf_counter() - started
    log.info("built index %s: %d chunks, model %s, %.1f s", index_dir, len(corpus.chunks), encoder.name, seconds)
    return BuildReport(index_dir, len(corpus.chunks), len(corpus.articles), encoder.name, encoder.dimension, seconds,
                       describe(backend))
