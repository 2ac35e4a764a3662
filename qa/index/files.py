"""The index on disk: files, a manifest that describes and fingerprints them, and checks on load."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import IndexDamagedError, IndexMismatchError, IndexMissingError, QAError
from ..ingest.chunking import Chunk
from ..ingest.sources import file_sha256
from ..storage import PassageStore, open_store
from ..storage.backends import needed_files
from .articles import Article

FORMAT_VERSION = 2  # 2: several articles, each with an id, its text kept for rebuilds
MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
TEXTS = "articles.jsonl"
DENSE = "dense.faiss"
REBUILD_HINT = "请运行 `qa build-index` 重建索引。"


@dataclass
class IndexBundle:
    """Everything retrieval needs, loaded and checked: the passages' store (searches) and the corpus
    term statistics of words and character pairs (`LexicalIndex` or `TermStats`: idf, share, vocabulary)."""

    directory: Path
    manifest: dict[str, Any]
    chunks: list[Chunk]
    store: PassageStore
    words: Any
    bigrams: Any
    version: tuple[int, int, int] | None = None  # the `stamp` of the published version these files are

    @property
    def model(self) -> str:
        return self.manifest["model"]

    @property
    def articles(self) -> list[Article]:
        """The indexed articles, in the order their passages are stored."""
        return [Article.from_dict(a) for a in self.manifest["articles"]]

    @cached_property
    def spans(self) -> dict[str, range]:
        """Article id → its chunk ids (an article's passages are stored one after another)."""
        first: dict[str, int] = {}
        last: dict[str, int] = {}
        for chunk in self.chunks:
            first.setdefault(chunk.article, chunk.chunk_id)
            last[chunk.article] = chunk.chunk_id
        return {key: range(start, last[key] + 1) for key, start in first.items()}


def write_files(directory: Path, chunks: list[Chunk], texts: dict[str, str]) -> dict[str, dict]:
    """Write the passages and texts into `directory` (where the store wrote its files, if any); return
    the sizes and hashes of every file there for the manifest.

    `texts` (article id → the text its passages were cut from) lets the index be rebuilt without the
    original files, which an upload does not leave behind.
    """
    with (directory / CHUNKS).open("w", encoding="utf-8") as handle:
        for chunk in chunks:
            handle.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
    with (directory / TEXTS).open("w", encoding="utf-8") as handle:
        for key, text in texts.items():
            handle.write(json.dumps({"id": key, "text": text}, ensure_ascii=False) + "\n")
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.name != MANIFEST)
    return {p.relative_to(directory).as_posix(): {"size": p.stat().st_size, "sha256": file_sha256(p)} for p in files}


def write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest, or a clear error when the index is missing or the manifest unreadable."""
    if not directory.is_dir():
        raise IndexMissingError(f"索引目录不存在:{directory}。{REBUILD_HINT}")
    path = directory / MANIFEST
    if not path.is_file():
        raise IndexDamagedError(f"索引目录 {directory} 缺少 {MANIFEST},索引已损坏。{REBUILD_HINT}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexDamagedError(f"索引清单 {path} 已损坏,无法解析。{REBUILD_HINT}") from exc
    required = ("format", "model", "dimension", "chunk_count", "files", "articles", "chunker")
    if not isinstance(manifest, dict) or any(key not in manifest for key in required):
        raise IndexDamagedError(f"索引清单 {path} 不完整。{REBUILD_HINT}")
    if manifest["format"] != FORMAT_VERSION:
        raise IndexMismatchError(f"索引格式版本 {manifest['format']} 与本程序({FORMAT_VERSION})不符。{REBUILD_HINT}")
    return manifest


def verify_files(directory: Path, manifest: dict[str, Any]) -> None:
    """Check every data file's size and hash before any of them is parsed."""
    for name, expected in manifest["files"].items():
        path = directory / name
        if not path.is_file():
            raise IndexDamagedError(f"索引文件缺失:{path}。{REBUILD_HINT}")
        try:
            intact = path.stat().st_size == expected.get("size") and file_sha256(path) == expected.get("sha256")
        except OSError:  # gone between the check and the read: a newer version was published meanwhile
            intact = False
        if not intact:
            raise IndexDamagedError(f"索引文件已损坏或被修改:{path}。{REBUILD_HINT}")
    for needed in (CHUNKS, TEXTS) + needed_files(manifest):
        if needed not in manifest["files"]:
            raise IndexDamagedError(f"索引清单中没有 {needed}。{REBUILD_HINT}")


def resolve_source(directory: Path, recorded: str) -> Path:
    """Source paths are stored relative to the index directory so that a checkout can move."""
    path = Path(recorded)
    return path if path.is_absolute() else Path(os.path.normpath(directory / path))


def changed_sources(directory: Path, manifest: dict[str, Any]) -> list[str]:
    """Files given to `build-index` that differ from when the index was built. A file that is gone
    (or an index moved away from it) changes nothing: the index keeps the text it was built from."""
    changed = []
    for source in manifest["articles"]:
        path = resolve_source(directory, source["path"]) if source.get("path") else None
        if path is None or not path.is_file():
            continue
        if path.stat().st_size != source["size"] or file_sha256(path) != source["sha256"]:
            changed.append(str(path))
    return changed


def read_texts(directory: Path) -> dict[str, str]:
    """Each article's text as indexed (article id → text)."""
    try:
        lines = (directory / TEXTS).read_text(encoding="utf-8").splitlines()
        return {row["id"]: row["text"] for row in map(json.loads, lines)}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise IndexDamagedError(f"索引中的文章原文无法读取({exc.__class__.__name__})。{REBUILD_HINT}") from exc


def stamp(directory: Path) -> tuple[int, int, int] | None:
    """Identifies the published index version (changes with every build, add or remove); None if absent."""
    try:
        info = (directory / MANIFEST).stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


LOAD_ATTEMPTS = 5


def load_bundle(directory: Path) -> IndexBundle:
    """Load a checked index; raise IndexMissing/Damaged/MismatchError otherwise.

    Readers take no lock, so a change published while the files are read (another process's add)
    can mix two versions: the read counts only when the manifest's stamp is the same before and
    after it, and is repeated otherwise."""
    for _ in range(LOAD_ATTEMPTS):
        before = stamp(directory)
        try:
            bundle = _load_once(directory)
        except (IndexDamagedError, IndexMismatchError, IndexMissingError):
            if stamp(directory) == before:
                raise
            continue
        if stamp(directory) == before:
            bundle.version = before
            return bundle
    raise IndexDamagedError(f"索引在读取期间被连续更新了 {LOAD_ATTEMPTS} 次,请稍后重试。")


def _load_once(directory: Path) -> IndexBundle:
    manifest = read_manifest(directory)
    verify_files(directory, manifest)
    try:
        chunks = [Chunk(**json.loads(line)) for line in (directory / CHUNKS).read_text(encoding="utf-8").splitlines()]
    except Exception as exc:  # the files passed their hashes, so this is a format problem
        raise IndexDamagedError(f"索引文件无法读取({exc.__class__.__name__})。{REBUILD_HINT}") from exc
    try:
        store, words, bigrams = open_store(directory, manifest, chunks)
    except QAError:
        raise
    except Exception as exc:
        raise IndexDamagedError(f"索引文件无法读取({exc.__class__.__name__})。{REBUILD_HINT}") from exc
    if len(chunks) != manifest["chunk_count"] or len(store) != len(chunks) or {words.num_docs, bigrams.num_docs} != {len(chunks)}:
        raise IndexDamagedError(f"索引各部分的段落数不一致。{REBUILD_HINT}")
    if {c.article for c in chunks} - {a["id"] for a in manifest["articles"]}:
        raise IndexDamagedError(f"索引中有段落不属于任何已登记的文章。{REBUILD_HINT}")
    if store.dimension != manifest["dimension"]:
        raise IndexMismatchError(f"向量维度 {store.dimension} 与清单记录的 {manifest['dimension']} 不符。{REBUILD_HINT}")
    return IndexBundle(directory, manifest, chunks, store, words, bigrams)
