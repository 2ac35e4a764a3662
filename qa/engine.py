"""The question-answering engine: loads (or rebuilds) an index once and answers questions with it."""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import answering, tokens
from .articles import Article
from .atomic import index_lock, recover
from .building import build_index, dense_text
from .chunking import Chunk
from .corpus import AddReport, ArticleNotFoundError, add_documents, find_article, remove_article
from .config import (
    DEFAULT_MODEL,
    MAX_QUESTION_CHARS,
    ChunkerSettings,
    default_index_dir,
    env_model,
    env_sources,
    env_weights,
)
from .dense import tune_for_single_queries
from .encoders import Encoder, load_encoder, load_query_encoder, model_fingerprint
from .errors import IndexDamagedError, IndexMismatchError, IndexMissingError
from .followup import resolve as resolve_follow_up
from .learn.features import FEATURES
from .learn.linear import Weights, load_weights
from .metadata import ArticleInfo, answer_about, article_info, asked_about_article
from .phrase import asked_type
from .results import Answer
from .retriever import Hit, Query, Retriever
from .sources import FileDocument, read_sources
from .storage import Backend, backend_of, describe, env_backend, same_place
from .store import (
    REBUILD_HINT,
    IndexBundle,
    changed_sources,
    load_bundle,
    read_manifest,
    read_texts,
    resolve_source,
    stamp,
)
from .text import clean_text, normalize

log = logging.getLogger(__name__)

EMPTY_QUESTION = "请输入一个问题。"
TOO_LONG = f"问题太长了(超过 {MAX_QUESTION_CHARS} 个字),请精简后再问。"
NO_WORDS = "没有在问题里找到可以检索的文字,请换个说法再问。"
_WORD_RE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
HISTORY_TURNS = 5  # the earlier questions a follow-up is read against


def check_question(question: object) -> tuple[str, str | None]:
    """The cleaned question, and a message for the user when it cannot be searched."""
    if not isinstance(question, str):
        return "", EMPTY_QUESTION
    if len(question) > MAX_QUESTION_CHARS * 4:
        return question[:MAX_QUESTION_CHARS], TOO_LONG
    cleaned = clean_text(question)
    if not cleaned:
        return "", EMPTY_QUESTION
    if len(cleaned) > MAX_QUESTION_CHARS:
        return cleaned[:MAX_QUESTION_CHARS], TOO_LONG
    if not _WORD_RE.search(normalize(cleaned)):
        return cleaned, NO_WORDS
    return cleaned, None


def passage_count(k: object, default: int = 3) -> int:
    """`k` as a number of passages between 1 and 20 (anything unreadable means the default)."""
    try:
        return max(1, min(int(k), 20))
    except (TypeError, ValueError, OverflowError):
        return default


@dataclass(frozen=True)
class Loaded:
    """One published version of the index, ready to answer from; replaced whole when the index changes."""

    retriever: Retriever
    stamp: tuple[int, int, int] | None
    corpus_text: str
    texts: dict[str, str]  # article id → its passages normalized (what `unknown_names` looks in)
    infos: dict[str, ArticleInfo]
    spans: dict[str, range]  # article id → its chunk ids
    articles: list[Article]


def stored_documents(index_dir: Path, manifest: dict) -> list:
    """The indexed articles as documents to rebuild from: the current content of a file given to
    `build-index` that still exists, else the text the index kept."""
    from .ingest import Document, read_path

    texts = read_texts(index_dir)
    documents = []
    for record in map(Article.from_dict, manifest["articles"]):
        path = resolve_source(index_dir, record.path) if record.path else None
        if path is not None and path.is_file():
            documents.append(FileDocument(read_path(path), path))
        elif record.id in texts:
            kept = Document(texts[record.id], record.name, record.format, record.sha256, record.size,
                            record.title, record.date, record.author, record.site)
            documents.append(kept)  # the file is gone: the article stays, as an added one would
    return documents


class Engine:
    """Answers questions from one index directory, and adds or removes its articles.

    `strict=False` (the library and the app) rebuilds a missing, damaged or mismatched index
    from its sources; `strict=True` (`qa ask`) builds only a missing one and refuses the rest.
    A change published by another process (`qa add`, another server) is picked up at the next question.
    """

    def __init__(
        self,
        index_dir: Path | str | None = None,
        model: str | None = None,
        sources: list[Path] | None = None,
        strict: bool = False,
        encoder: Encoder | None = None,
        weights: dict[str, float] | None = None,
        learned: Weights | Path | str | None = None,
        backend: Backend | None = None,
    ) -> None:
        """`learned`: the fitted models (or their JSON file; default QA_WEIGHTS or the shipped one);
        `weights`: rank passages by a hand-set weighted sum of the signals instead (for comparison);
        `backend`: where the passages must be stored (default QA_BACKEND; unset: wherever the index says)."""
        self.index_dir = Path(index_dir) if index_dir else default_index_dir()
        self.model = model or env_model()
        self.sources = sources or env_sources()
        self.strict = strict
        self.backend = backend or env_backend()
        self._encoder = encoder
        self._weights = weights
        self._learned = learned
        self.learned: Weights | None = None
        self._loaded: Loaded | None = None
        self._lock = threading.Lock()

    # ---------- loading ----------
    def _mismatch(self, bundle: IndexBundle) -> str | None:
        """Why the index on disk does not fit this engine's configuration, or None."""
        manifest = bundle.manifest
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
            changed = changed_sources(bundle.directory, manifest)
            if changed:
                return f"来源文件在建索引后有变化:{', '.join(changed)}"
        return None

    def _build(self, reason: str) -> IndexBundle:
        """`_rebuild` under the index's lock, held from reading what the index holds to publishing
        the new one: an article another process adds meanwhile waits, then lands, never lost."""
        log.warning("重建索引 %s:%s", self.index_dir, reason)
        with index_lock(self.index_dir):
            return self._rebuild()

    def _rebuild(self) -> IndexBundle:
        """Rebuild: from the configured sources (QA_SOURCE) or the files the index was built from,
        plus every added article's kept text; from the shipped article when nothing is left."""
        documents, recorded_model, recorded_backend, added_at = self._recorded()
        model = self.model or recorded_model or DEFAULT_MODEL
        backend = self.backend or recorded_backend
        if self._encoder is None or self._encoder.name != model:
            self._encoder = load_encoder(model)
        if self.sources:
            documents = [d for d in documents if not isinstance(d, FileDocument)] + read_sources(self.sources)
        if not documents:
            build_index(None, self.index_dir, model=model, encoder=self._encoder, backend=backend)
        else:
            build_index(
                documents=documents,
                index_dir=self.index_dir,
                model=model,
                encoder=self._encoder,
                backend=backend,
                added_at=added_at,
            )
        return load_bundle(self.index_dir)

    def _recorded(self) -> tuple[list, str | None, Backend | None, dict[str, str]]:
        """The documents an existing index holds (files re-read), its model, its backend and when each
        article was added; nothing if unreadable."""
        try:
            manifest = read_manifest(self.index_dir)
            added_at = {a["id"]: a.get("added_at", "") for a in manifest["articles"]}
            return stored_documents(self.index_dir, manifest), manifest["model"], backend_of(manifest), added_at
        except (IndexMissingError, IndexDamagedError, IndexMismatchError, KeyError, TypeError):
            return [], None, None, {}

    def _open(self) -> IndexBundle:
        """The published index, built or rebuilt first when it is missing or does not fit."""
        recover(self.index_dir)
        try:
            bundle = load_bundle(self.index_dir)
        except IndexMissingError:
            bundle = self._build("索引不存在")
        except (IndexDamagedError, IndexMismatchError) as exc:
            if self.strict:
                raise
            bundle = self._build(str(exc))
        else:
            reason = self._mismatch(bundle)
            if reason and self.strict:
                raise IndexMismatchError(f"{reason}。{REBUILD_HINT}")
            if reason:
                bundle = self._build(reason)
        encoder = self._encoder
        if encoder is None or encoder.name != bundle.model:
            encoder = load_query_encoder(bundle.model)
        if encoder.dimension != bundle.store.dimension:
            reason = f"模型 {encoder.name} 的向量维度({encoder.dimension})与索引({bundle.store.dimension})不符"
            if self.strict:
                raise IndexMismatchError(f"{reason}。{REBUILD_HINT}")
            self._encoder = encoder
            bundle = self._build(reason)
        self._encoder = encoder
        return bundle

    def _prepare(self, bundle: IndexBundle, version: tuple[int, int, int] | None) -> Loaded:
        """Everything answering needs from one loaded index."""
        spans = bundle.spans
        by_article = {key: bundle.chunks[span.start:span.stop] for key, span in spans.items()}
        texts = {key: answering.corpus_text(chunks) for key, chunks in by_article.items()}
        return Loaded(
            Retriever(bundle, self._encoder, model=self.learned.passage, weights=self._weights),
            version,
            "\n".join(texts.values()),  # the articles' passages are stored one article after another
            texts,
            {key: article_info(chunks) for key, chunks in by_article.items()},
            spans,
            bundle.articles,
        )

    def _first_load(self) -> Loaded:
        bundle = self._open()
        self.learned = self._learned if isinstance(self._learned, Weights) else load_weights(self._learned or env_weights())
        self.learned.check(FEATURES)
        tune_for_single_queries()
        tokens.warm_up()
        self._encoder.encode(["预热"])  # lazy weights load now, not on the first question
        return self._prepare(bundle, bundle.version)

    def current(self) -> Loaded:
        """The loaded index; the first use loads (or builds) it, and a newer published version
        (an add or remove, here or in another process) replaces it. Thread-safe."""
        loaded = self._loaded
        if loaded is not None and stamp(self.index_dir) in (loaded.stamp, None):
            return loaded
        with self._lock:
            if self._loaded is None:
                self._loaded = self._first_load()
            elif stamp(self.index_dir) not in (self._loaded.stamp, None):
                self._reload()
            return self._loaded

    def _reload(self) -> None:
        """Switch to the version now published; keep answering from the old one if it cannot be read."""
        try:
            bundle = load_bundle(self.index_dir)
        except (IndexMissingError, IndexDamagedError, IndexMismatchError) as exc:
            log.error("索引已更新但无法读取,继续使用上一个版本:%s", exc)
            self._loaded = dataclasses.replace(self._loaded, stamp=stamp(self.index_dir))
            return
        self._loaded = self._prepare(bundle, bundle.version)

    @property
    def retriever(self) -> Retriever:
        """The current retriever (see `current`)."""
        return self.current().retriever

    @property
    def chunks(self) -> list[Chunk]:
        """The indexed passages of every article, in reading order."""
        return self.retriever.bundle.chunks

    @property
    def title(self) -> str:
        """The first article's headline (or file name)."""
        articles = self.current().articles
        return articles[0].title if articles else ""

    # ---------- articles ----------
    def articles(self) -> list[Article]:
        """The indexed articles, in the order they were added."""
        return list(self.current().articles)

    def article(self, key: str) -> Article:
        """One article by id (or a unique id prefix); ArticleNotFoundError otherwise."""
        return find_article(self.current().articles, key)

    def article_chunks(self, key: str) -> list[Chunk]:
        """One article's passages, in reading order."""
        loaded = self.current()
        span = loaded.spans[find_article(loaded.articles, key).id]
        return loaded.retriever.bundle.chunks[span.start : span.stop]

    def add(self, documents: list) -> AddReport:
        """Add read documents (`qa.ingest.Document`): only their passages are encoded; the index is
        replaced atomically and this engine answers from it at once."""
        report = add_documents(self.index_dir, documents, self.current().retriever.encoder)
        self.current()
        return report

    def remove(self, key: str) -> Article:
        """Remove one article (by id or unique id prefix) and its passages."""
        gone = remove_article(self.index_dir, key, self.current().retriever.encoder)
        self.current()
        return gone

    # ---------- answering ----------
    def answer(self, question: str, k: int = 3, history: list[str] | None = None, article: str | None = None) -> Answer:
        """Answer one question (about one article when `article` is its id); bad input gets a
        message, never an exception."""
        return self.run(question, k, history, article)[0]

    def answer_batch(self, asked: Sequence[tuple[str, int, list[str] | None, str | None]]) -> Iterator[Answer]:
        """Answers to several `(question, k, history, article)`, in order, each as soon as it is ready;
        the questions are encoded in one call first, which costs less per question than one by one."""
        texts = {}
        for n, (question, _, history, _) in enumerate(asked):
            cleaned, problem = check_question(question)
            if not problem:
                texts[n] = dense_text(self.resolve(cleaned, history))
        encoder = self.current().retriever.encoder
        vectors = dict(zip(texts, encoder.encode(list(texts.values())))) if texts else {}
        for n, (question, k, history, article) in enumerate(asked):
            yield self.run(question, k, history, article, vectors.get(n))[0]

    def run(
        self,
        question: str,
        k: int = 3,
        history: list[str] | None = None,
        article: str | None = None,
        vector: np.ndarray | None = None,
    ) -> tuple[Answer, list[Hit]]:
        """The answer and the ranked passages behind it (also when the answer is a refusal); `vector`
        is the resolved question's, when it was encoded already."""
        cleaned, problem = check_question(question)
        if problem:
            return Answer(question=cleaned, found=False, text=problem), []
        loaded = self.current()
        within = None
        if article:
            try:
                within = loaded.spans[find_article(loaded.articles, article).id]
            except ArticleNotFoundError as exc:
                return Answer(question=cleaned, found=False, text=str(exc)), []
        resolved = self.resolve(cleaned, history)
        retriever = loaded.retriever
        query = retriever.prepare(resolved, vector)
        k = passage_count(k)
        hits = retriever.search(query, max(k, answering.SENTENCE_PASSAGES), within=within)
        about = self.about_article(loaded, cleaned, resolved, query, hits, k)
        if about is not None:
            return about
        text = loaded.texts[hits[0].chunk.article] if within is not None and hits else loaded.corpus_text
        return self.compose(loaded, cleaned, resolved, query, hits, k, text)

    def about_article(
        self, loaded: Loaded, question: str, resolved: str, query: Query, hits: list[Hit], k: int
    ) -> tuple[Answer, list[Hit]] | None:
        """A question about the article itself (author, date, headline, publisher, gist), answered
        from the header, footer and lead of the article the best passage is in; None otherwise."""
        intent = asked_about_article(resolved)
        if intent is None or not loaded.infos:
            return None
        key = hits[0].chunk.article if hits else next(iter(loaded.infos))
        meta = answer_about(loaded.infos[key], intent)
        if meta is None:
            return None
        shown = [Hit(chunk, 1.0, 0.0, 0.0, 0.0, rank) for rank, chunk in enumerate(meta.chunks)]
        ids = {hit.chunk.chunk_id for hit in shown}
        shown += [hit for hit in hits if hit.chunk.chunk_id not in ids]
        passages = answering.to_passages(shown[:k], query)
        chunk_id = meta.chunks[0].chunk_id if meta.chunks else None
        return Answer(question, True, meta.text, passages, resolved, chunk_id, meta.phrase or None, 1.0), shown[:k]

    @staticmethod
    def resolve(question: str, history: list[str] | None) -> str:
        """The question completed from the last few earlier ones (HISTORY_TURNS, each cut to a
        question's length), when it is a follow-up."""
        earlier: list[str] = []
        for turn in reversed(history or []):
            text = clean_text(turn[: MAX_QUESTION_CHARS * 4])[:MAX_QUESTION_CHARS] if isinstance(turn, str) else ""
            if text:
                earlier.insert(0, text)
                if len(earlier) == HISTORY_TURNS:
                    break
        return resolve_follow_up(question, earlier)

    def compose(
        self, loaded: Loaded, question: str, resolved: str, query: Query, hits: list[Hit], k: int, corpus_text: str
    ) -> tuple[Answer, list[Hit]]:
        """The answer from ranked passages (the best sentence and its phrase, or not-found), and the
        passages to show, in the order of their probability of holding the answer."""
        refusal = Answer(question, False, answering.NOT_FOUND, [], resolved)
        if not hits:
            return refusal, hits
        learned = self.learned
        asks = asked_type(resolved) is not None
        choice = answering.best_sentence(
            query, hits, loaded.retriever, learned.sentence, asks, learned.extent, learned.runner
        )
        sentence = choice.sentence
        shown = answering.in_answer_order(hits, choice, learned.order)
        features = answering.decision_features(query, hits, sentence, loaded.retriever, corpus_text, asks, shown)
        decision = answering.decide(features, learned.answerable)
        shown = shown[:k]
        if not decision.answer:
            return refusal, shown
        passages = answering.to_passages(shown, query)
        answer = Answer(
            question, True, sentence.text, passages, resolved, sentence.chunk_id, sentence.phrase,
            round(decision.probability, 4), sentence.runner_up,
        )
        return answer, shown
