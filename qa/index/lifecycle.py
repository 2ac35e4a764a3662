"""An index directory's lifecycle for one configuration: recover from a killed change, build a missing
index, rebuild (or, when strict, refuse) one that does not fit, open it, add and remove articles."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import DEFAULT_MODEL, ChunkerSettings
from ..encoders.loading import Encoder, load_encoder, load_query_encoder, model_fingerprint
from ..errors import IndexDamagedError, IndexMismatchError, IndexMissingError, SourceError
from ..ingest.document import Document
from ..ingest.reader import read_path
from ..ingest.sources import FileDocument, read_sources
from ..progress import Progress, silent
from ..storage import Backend, backend_of, describe, same_place
from ..text import tokens
from .articles import Article
from .atomic import index_lock, recover
from .build import build_index
from .changes import AddReport, add_documents, remove_article
from .files import REBUILD_HINT, IndexBundle, changed_sources, load_bundle, read_manifest, read_texts, resolve_source

log = logging.getLogger(__name__)


def stored_documents(index_dir: Path, manifest: dict) -> list:
    """The indexed articles as documents to rebuild from: the current content of a file given to
    `build-index` that still exists, else the text the index kept."""
    texts = read_texts(index_dir)
    documents = []
    for record in map(Article.from_dict, manifest["articles"]):
        path = resolve_source(index_dir, record.path) if record.path else None
        if path is not None and path.is_file():
            documents.append(FileDocument(read_path(path), path))
        elif record.id in texts:
            kept = Document(texts[record.id], record.name, record.format, record.sha256, record.size,
                            record.title, record.date, record.author, record.site, record.url)
            documents.append(kept)  # the file is gone: the article stays, as an added one would
    return documents


def kept_texts(index_dir: Path) -> list[Document]:
    """The articles' texts an index kept, as documents, when its manifest (the record of what they were)
    cannot be read: a rebuild keeps every article's content, under a name that says it was recovered."""
    try:
        texts = read_texts(index_dir)
    except IndexDamagedError:
        return []
    documents = []
    for key, text in texts.items():
        data = text.encode("utf-8")
        documents.append(Document(text, f"恢复的文章 {key}", "text", hashlib.sha256(data).hexdigest(), len(data)))
    if documents:
        log.warning("索引清单无法读取,从保存的 %d 篇文章原文重建", len(documents))
    return documents


@dataclass
class ManagedIndex:
    """One index directory as a configuration wants it: the model (None: whatever the index has), the
    source files it is built from (None: those it records), where passages are stored (None: wherever
    the index says), and the encoder once known.

    `strict=False` (the library and the app) rebuilds a missing, damaged or mismatched index from its
    sources; `strict=True` (the CLI) builds only a missing one and refuses the rest.
    """

    index_dir: Path
    model: str | None
    sources: list[Path] | None
    strict: bool
    backend: Backend | None
    encoder: Encoder | None = None  # the one that encodes questions and added passages

    # ---------- checking ----------
    def mismatch(self, manifest: dict) -> str | None:
        """Why the index on disk does not fit this configuration, or None."""
        if self.model and manifest["model"] != self.model:
            return f"索引使用的模型是 {manifest['model']},而当前配置的是 {self.model}"
        if manifest.get("model_fingerprint") != model_fingerprint(manifest["model"]):
            return "嵌入模型的版本与建索引时不同"
        if manifest["chunker"] != ChunkerSettings().to_dict():
            return "分段设置与建索引时不同"
        if manifest.get("tokenizer") != tokens.fingerprint():
            return "分词设置与建索引时不同"
        recorded = backend_of(manifest)
        if self.backend is not None and not same_place(recorded, self.backend):
            return f"索引存放在{describe(recorded)},而当前配置的是{describe(self.backend)}"
        if self.sources:
            wanted = sorted(f.sha256 for f in read_sources(self.sources))
            if wanted != sorted(a["sha256"] for a in manifest["articles"] if a.get("path")):
                return "索引不是用当前配置的来源文件建立的"
        else:
            changed = changed_sources(self.index_dir, manifest)
            if changed:
                return f"来源文件在建索引后有变化:{', '.join(changed)}"
        return None

    def _refuse_or_rebuild(self, reason: str) -> None:
        if self.strict:
            raise IndexMismatchError(f"{reason}。{REBUILD_HINT}")
        self.rebuild(reason)

    # ---------- building ----------
    def rebuild(self, reason: str) -> None:
        """`_rebuild` under the index's lock, held from reading what the index holds to publishing
        the new one: an article another process adds meanwhile waits, then lands, never lost."""
        log.warning("重建索引 %s:%s", self.index_dir, reason)
        with index_lock(self.index_dir):
            self._rebuild()

    def _rebuild(self) -> None:
        """Rebuild: from the configured sources (QA_SOURCE) or the files the index was built from,
        plus every added article's kept text; from the shipped article when nothing is left."""
        documents, recorded_model, recorded_backend, added_at = self._recorded()
        model = self.model or recorded_model or DEFAULT_MODEL
        backend = self.backend or recorded_backend
        if self.encoder is None or self.encoder.name != model:
            self.encoder = load_encoder(model)
        if self.sources:
            documents = [d for d in documents if not isinstance(d, FileDocument)] + read_sources(self.sources)
        if not documents:
            build_index(None, self.index_dir, model=model, encoder=self.encoder, backend=backend)
        else:
            build_index(documents=documents, index_dir=self.index_dir, model=model, encoder=self.encoder,
                        backend=backend, added_at=added_at)

    def _recorded(self) -> tuple[list, str | None, Backend | None, dict[str, str]]:
        """The documents an existing index holds (files re-read), its model, its backend and when each
        article was added; nothing if unreadable."""
        try:
            manifest = read_manifest(self.index_dir)
            added_at = {a["id"]: a.get("added_at", "") for a in manifest["articles"]}
            return stored_documents(self.index_dir, manifest), manifest["model"], backend_of(manifest), added_at
        except (IndexMissingError, IndexDamagedError, IndexMismatchError, KeyError, TypeError):
            return kept_texts(self.index_dir), None, None, {}

    # ---------- opening ----------
    def _encoder_for(self, model: str) -> Encoder:
        if self.encoder is None or self.encoder.name != model:
            self.encoder = load_query_encoder(model)
        return self.encoder

    def ensure(self) -> dict:
        """The published manifest, once the index fits (built, or rebuilt, first when needed); reads
        only the manifest and the source files it names, not the index's data."""
        recover(self.index_dir)
        try:
            manifest = read_manifest(self.index_dir)
        except IndexMissingError:
            self.rebuild("索引不存在")
            return read_manifest(self.index_dir)
        except (IndexDamagedError, IndexMismatchError) as exc:
            if self.strict:
                raise
            self.rebuild(str(exc))
            return read_manifest(self.index_dir)
        reason = self.mismatch(manifest)
        if reason is None:
            encoder = self._encoder_for(manifest["model"])
            if encoder.dimension != manifest["dimension"]:
                reason = f"模型 {encoder.name} 的向量维度({encoder.dimension})与索引({manifest['dimension']})不符"
        if reason is None:
            return manifest
        self._refuse_or_rebuild(reason)
        return read_manifest(self.index_dir)

    def open(self) -> IndexBundle:
        """The published index, loaded and checked (built or rebuilt first when it does not fit)."""
        self.ensure()
        try:
            bundle = load_bundle(self.index_dir)
        except (IndexDamagedError, IndexMismatchError) as exc:  # its data, not its manifest, is at fault
            if self.strict:
                raise
            self.rebuild(str(exc))
            bundle = load_bundle(self.index_dir)
        self._encoder_for(bundle.model)
        return bundle

    # ---------- changing ----------
    def _change_encoder(self, checked: bool) -> Encoder:
        """The encoder a change uses: the open index's, else the one of the index `ensure` finds fit."""
        return self.encoder if checked and self.encoder else self._encoder_for(self.ensure()["model"])

    def add(self, documents: Sequence[Document], checked: bool = False, progress: Progress = silent) -> AddReport:
        """Append read documents: only their passages are encoded, and the index is read once.
        `checked`: the index was opened already (an answering engine), so it is not checked again."""
        if not documents:
            raise SourceError("没有要添加的文章。")
        try:
            return add_documents(self.index_dir, list(documents), self._change_encoder(checked), progress=progress)
        except IndexDamagedError as exc:
            if self.strict:
                raise
            self.rebuild(str(exc))
            return add_documents(self.index_dir, list(documents), self._encoder_for(self.ensure()["model"]),
                                 progress=progress)

    def remove(self, key: str, checked: bool = False) -> Article:
        """Remove one article (by id or unique id prefix) and its passages (`checked` as for `add`)."""
        return remove_article(self.index_dir, key, self._change_encoder(checked))
