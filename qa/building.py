"""Build the index from article files: chunk, tokenize, encode, and publish atomically."""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from . import __version__, tokens
from .atomic import clean_leftovers, publish, staging_dir
from .chunking import Chunk, chunk_article
from .config import DEFAULT_MODEL, DEFAULT_SOURCE, ChunkerSettings, default_index_dir
from .dense import DenseIndex
from .encoders import Encoder, load_encoder, model_fingerprint
from .errors import SourceError
from .lexical import LexicalIndex
from .sources import SourceFile, read_sources
from .store import FORMAT_VERSION, write_files, write_manifest
from .text import clean_text, to_simplified
from .tokens import bigrams, tokenize

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


def chunk_sources(sources: list[SourceFile], settings: ChunkerSettings) -> tuple[list[Chunk], list[str]]:
    """Chunks of all sources with ids 0..n-1, and each source's title."""
    chunks: list[Chunk] = []
    titles: list[str] = []
    for source in sources:
        title, parts = chunk_article(source.text, source.name, settings)
        titles.append(title)
        offset = len(chunks)
        chunks.extend(dataclasses.replace(part, chunk_id=offset + i) for i, part in enumerate(parts))
    if not chunks:
        raise SourceError("来源文件中没有可以索引的段落。请检查文件内容。")
    return chunks, titles


def index_parts(
    chunks: list[Chunk], vectors: np.ndarray, dense_kind: str = "auto"
) -> tuple[DenseIndex, LexicalIndex, LexicalIndex]:
    """The dense index and the two BM25 indexes (words, character pairs) of numbered chunks."""
    words = LexicalIndex.build([tokenize(chunk.search_text) for chunk in chunks])
    pairs = LexicalIndex.build([bigrams(chunk.search_text) for chunk in chunks])
    return DenseIndex.build(vectors, kind=dense_kind), words, pairs


def dense_text(text: str) -> str:
    """What the encoder reads: cleaned, in simplified characters."""
    return to_simplified(clean_text(text))


def _relative(path: Path, index_dir: Path) -> str:
    try:
        return os.path.relpath(path.resolve(), index_dir.resolve())
    except ValueError:  # another drive on Windows
        return str(path.resolve())


def _manifest(
    encoder: Encoder,
    settings: ChunkerSettings,
    files: list[SourceFile],
    titles: list[str],
    index_dir: Path,
    chunk_count: int,
    files_meta: dict[str, dict],
) -> dict:
    return {
        "format": FORMAT_VERSION,
        "package_version": __version__,
        "model": encoder.name,
        "model_fingerprint": model_fingerprint(encoder.name),
        "dimension": encoder.dimension,
        "chunker": settings.to_dict(),
        "tokenizer": tokens.fingerprint(),
        "sources": [
            {"path": _relative(f.path, index_dir), "name": f.name, "title": t, "sha256": f.sha256, "size": f.size}
            for f, t in zip(files, titles)
        ],
        "chunk_count": chunk_count,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "files": files_meta,
    }


def build_index(
    sources: list[Path] | None = None,
    index_dir: Path | None = None,
    model: str = DEFAULT_MODEL,
    settings: ChunkerSettings = ChunkerSettings(),
    encoder: Encoder | None = None,
    show_progress: bool = False,
    dense_kind: str = "auto",
) -> BuildReport:
    """Build an index of `sources` (default: the shipped article) into `index_dir`, replacing it atomically.

    `dense_kind` "auto" keeps small sources exact and switches large ones to HNSW (see qa/dense.py).
    """
    started = time.perf_counter()
    index_dir = Path(index_dir or default_index_dir())
    files = read_sources([Path(p) for p in (sources or [DEFAULT_SOURCE])])
    chunks, titles = chunk_sources(files, settings)
    encoder = encoder or load_encoder(model)

    clean_leftovers(index_dir)
    staged = staging_dir(index_dir)  # a kill from here on leaves only this directory behind
    try:
        vectors = encoder.encode([dense_text(chunk.search_text) for chunk in chunks], show_progress=show_progress)
        dense, words, pairs = index_parts(chunks, vectors, dense_kind)
        files_meta = write_files(staged, chunks, dense, words, pairs)
        manifest = _manifest(encoder, settings, files, titles, index_dir, len(chunks), files_meta)
        write_manifest(staged, manifest | {"dense_index": dense.kind})
        publish(staged, index_dir)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    seconds = time.perf_counter() - started
    log.info("built index %s: %d chunks, model %s, %.1f s", index_dir, len(chunks), encoder.name, seconds)
    return BuildReport(index_dir, len(chunks), len(files), encoder.name, encoder.dimension, seconds)
