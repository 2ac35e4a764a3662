"""Adding and removing articles of a built index: only new passages are encoded, every change is
published atomically and serialized, and questions keep being answered from the previous version."""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..config import ChunkerSettings, max_passages
from ..encoders.loading import Encoder
from ..errors import ArticleNotFoundError, DuplicateArticleError, IndexMismatchError, SourceError
from ..progress import CHUNKING, WRITING, Progress, silent
from ..storage import backend_of
from ..text.normalize import clean_text
from .articles import Article, article_id
from .atomic import index_lock
from .build import Corpus, chunk_document, encode_chunks, replacing, write_index
from .files import REBUILD_HINT, load_bundle, read_texts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AddReport:
    """What an add did: the articles now indexed, and the documents left out with the reason."""

    added: list[Article]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, message)
    seconds: float = 0.0


def find_article(articles: list[Article], key: str) -> Article:
    """The article with this id (or unique id prefix of at least 4 characters)."""
    key = clean_text(key or "")[:64].lower()  # it may be shown back: no control characters or lone surrogates
    exact = [a for a in articles if a.id == key]
    found = exact or ([a for a in articles if a.id.startswith(key)] if len(key) >= 4 else [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ArticleNotFoundError(f"编号“{key}”对应多篇文章,请写出更完整的编号。")
    raise ArticleNotFoundError(f"没有编号为“{key}”的文章,它可能已被删除。")


def _load_corpus(index_dir: Path, encoder: Encoder):
    bundle = load_bundle(index_dir)
    if bundle.model != encoder.name:
        raise IndexMismatchError(f"索引使用的模型是 {bundle.model},而不是 {encoder.name}。{REBUILD_HINT}")
    texts = read_texts(index_dir)
    return bundle, Corpus(bundle.articles, texts, bundle.chunks, bundle.store.all_vectors())


def add_documents(
    index_dir: Path,
    documents: list,
    encoder: Encoder,
    settings: ChunkerSettings = ChunkerSettings(),
    progress: Progress = silent,
) -> AddReport:
    """Append documents (`qa.ingest.Document`) to the index in `index_dir`.

    A document already indexed (same content), without passages, or over the corpus cap is skipped
    with a message; when none is left, SourceError says why and the index stays as it was.
    """
    started = time.perf_counter()
    with index_lock(index_dir), replacing(index_dir) as staged:
        bundle, corpus = _load_corpus(index_dir, encoder)
        known = {a.id: a for a in corpus.articles}
        limit = max_passages()
        added: list[Article] = []
        new_chunks = []
        texts = dict(corpus.texts)
        skipped: list[tuple[str, str]] = []
        duplicates = 0
        for number, document in enumerate(documents, 1):
            progress(CHUNKING, number - 1, len(documents))
            key = article_id(document.sha256)
            if key in known:
                skipped.append((document.name, f"{document.name}:这篇文章已经添加过了(《{known[key].title}》,编号 {key})。"))
                duplicates += 1
                continue
            record, chunks = chunk_document(document, settings, len(corpus.chunks) + len(new_chunks))
            if not chunks:
                skipped.append((document.name, f"{document.name}:没有找到可以索引的正文段落。"))
                continue
            if len(corpus.chunks) + len(new_chunks) + len(chunks) > limit:
                skipped.append((document.name, f"{document.name}:文章库已达上限({limit} 个段落),请先删除一些文章。"))
                continue
            known[key] = record
            added.append(record)
            new_chunks.extend(chunks)
            texts[key] = document.text
        if not added:
            error = DuplicateArticleError if skipped and duplicates == len(skipped) else SourceError
            raise error("\n".join(message for _, message in skipped) or "没有要添加的文章。")
        progress(CHUNKING, len(documents), len(documents))
        vectors = np.vstack([corpus.vectors, encode_chunks(encoder, new_chunks, progress=progress)])
        grown = Corpus(corpus.articles + added, texts, corpus.chunks + new_chunks, vectors)
        progress(WRITING, 0, 1)
        write_index(grown, staged, bundle.model, bundle.store.dimension, settings, backend=backend_of(bundle.manifest))
    progress(WRITING, 1, 1)
    seconds = time.perf_counter() - started
    log.info("added %d article(s), %d passages, %.2f s", len(added), len(new_chunks), seconds)
    return AddReport(added, skipped, round(seconds, 3))


def remove_article(index_dir: Path, key: str, encoder: Encoder, settings: ChunkerSettings = ChunkerSettings()) -> Article:
    """Drop one article and its passages from the index; the last article cannot be removed."""
    with index_lock(index_dir), replacing(index_dir) as staged:
        bundle, corpus = _load_corpus(index_dir, encoder)
        gone = find_article(corpus.articles, key)
        if len(corpus.articles) == 1:
            raise SourceError(f"《{gone.title}》是索引中唯一的文章,不能删除;请先添加其他文章。")
        keep = [i for i, chunk in enumerate(corpus.chunks) if chunk.article != gone.id]
        chunks = [dataclasses.replace(corpus.chunks[old], chunk_id=new) for new, old in enumerate(keep)]
        texts = {k: v for k, v in corpus.texts.items() if k != gone.id}
        articles = [a for a in corpus.articles if a.id != gone.id]
        shrunk = Corpus(articles, texts, chunks, corpus.vectors[keep])
        write_index(shrunk, staged, bundle.model, bundle.store.dimension, settings, backend=backend_of(bundle.manifest))
    log.info("removed article %s (%s)", gone.id, gone.title)
    return gone
