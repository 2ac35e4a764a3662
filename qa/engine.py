"""The question-answering engine: answers questions from the current version of an index, and adds
or removes its articles through the index's lifecycle (`qa.index.lifecycle`)."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .answering import sentences as answering
from .answering.about import answer_about, asked_about_article
from .answering.asking import asked_type
from .answering.language import words_for
from .answering.question import check_question, passage_count, readings_of
from .config import default_index_dir, env_model, env_sources, env_weights
from .encoders.loading import Encoder
from .errors import ArticleNotFoundError, IndexDamagedError, IndexMismatchError, IndexMissingError, SourceError
from .index.articles import Article
from .index.build import dense_text
from .index.changes import AddReport, find_article
from .index.files import load_bundle, stamp
from .index.lifecycle import ManagedIndex
from .ingest.chunking import Chunk
from .ingest.header import ArticleInfo, article_info
from .ingest.intake import Source, read_all
from .models.features import FEATURES
from .models.linear import Weights, load_weights
from .progress import Progress, silent
from .results import Answer
from .retrieve.retriever import Hit, Query, Retriever
from .storage import Backend, env_backend
from .storage.dense import tune_for_single_queries
from .text import tokens

log = logging.getLogger(__name__)


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
    urls: dict[str, str]  # article id → its web address, for the articles that have one


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
        self.index = ManagedIndex(
            Path(index_dir) if index_dir else default_index_dir(), model or env_model(), sources or env_sources(),
            strict, backend or env_backend(), encoder,
        )
        self._weights = weights
        self._learned = learned
        self.learned: Weights | None = None
        self._loaded: Loaded | None = None
        self._lock = threading.Lock()

    @property
    def index_dir(self) -> Path:
        return self.index.index_dir

    # ---------- loading ----------
    def _prepare(self, bundle, version: tuple[int, int, int] | None) -> Loaded:
        """Everything answering needs from one loaded index."""
        spans = bundle.spans
        by_article = {key: bundle.chunks[span.start:span.stop] for key, span in spans.items()}
        texts = {key: answering.corpus_text(chunks) for key, chunks in by_article.items()}
        return Loaded(
            Retriever(bundle, self.index.encoder, model=self.learned.passage, weights=self._weights),
            version,
            "\n".join(texts.values()),  # the articles' passages are stored one article after another
            texts,
            {key: article_info(chunks) for key, chunks in by_article.items()},
            spans,
            bundle.articles,
            {a.id: a.url for a in bundle.articles if a.url},
        )

    def _first_load(self) -> Loaded:
        bundle = self.index.open()
        self.learned = self._learned if isinstance(self._learned, Weights) else load_weights(self._learned or env_weights())
        self.learned.check(FEATURES)
        tune_for_single_queries()
        tokens.warm_up()
        self.index.encoder.encode(["预热"])  # lazy weights load now, not on the first question
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

    def article_of(self, chunk_id: int) -> Article | None:
        """The article a passage (by its id in the current index) belongs to, or None."""
        loaded = self.current()
        return next((a for a in loaded.articles if chunk_id in loaded.spans.get(a.id, range(0))), None)

    def add(self, sources: Sequence[Source], isolated: bool = False, progress: Progress = silent) -> AddReport:
        """Add articles — the one way every surface adds: files or directories, `Upload`s, `Pasted` text
        or read documents (`qa.ingest.intake`); `isolated` reads files in a bounded child process.

        Only the new passages are encoded and the index is read once; the change is published
        atomically and this engine answers from it at once (when it answers at all). Sources that
        cannot be read or added are in the report's `skipped`; SourceError when none could be added.
        `progress` hears each stage (`qa.progress`: reading, chunking, encoding n/N, writing)."""
        intake = read_all(sources, isolated, progress)
        if not intake.documents:
            raise SourceError("\n".join(message for _, message in intake.problems) or "没有要添加的文章。")
        report = self.index.add(intake.documents, checked=self._loaded is not None, progress=progress)
        self._refresh()
        return dataclasses.replace(report, skipped=intake.problems + report.skipped)

    def remove(self, key: str) -> Article:
        """Remove one article (by id or unique id prefix) and its passages."""
        gone = self.index.remove(key, checked=self._loaded is not None)
        self._refresh()
        return gone

    def _refresh(self) -> None:
        """Answer from a change at once, when answering has started (the CLI's add never loads it)."""
        if self._loaded is not None:
            self.current()

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
                texts[n] = dense_text(readings_of(cleaned, history)[0])
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
        is the first reading's, when it was encoded already. A follow-up is read in each way its history
        allows (`answering.followup.readings`) and the surest answer kept."""
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
        k = passage_count(k)
        best: tuple[Answer, list[Hit]] | None = None
        for n, reading in enumerate(readings_of(cleaned, history)):  # one, unless it follows up
            answered = self.read(loaded, cleaned, reading, k, within, vector if n == 0 else None)
            if best is None or answered[0].found and (not best[0].found or answered[0].confidence > best[0].confidence):
                best = answered
        return best[0].linked(loaded.urls), best[1]

    def read(
        self, loaded: Loaded, question: str, reading: str, k: int, within: range | None, vector: np.ndarray | None
    ) -> tuple[Answer, list[Hit]]:
        """The answer to one reading of the question (`question` as asked, `reading` as resolved)."""
        retriever = loaded.retriever
        query = retriever.prepare(reading, vector)
        hits = retriever.search(query, max(k, answering.SENTENCE_PASSAGES), within=within)
        about = self.about_article(loaded, question, reading, query, hits, k)
        if about is not None:
            return about
        text = loaded.texts[hits[0].chunk.article] if within is not None and hits else loaded.corpus_text
        return self.compose(loaded, question, reading, query, hits, k, text)

    def about_article(
        self, loaded: Loaded, question: str, resolved: str, query: Query, hits: list[Hit], k: int
    ) -> tuple[Answer, list[Hit]] | None:
        """A question about the article itself (author, date, headline, publisher, gist), answered
        from the header, footer and lead of the article the best passage is in; None otherwise."""
        intent = asked_about_article(resolved)
        if intent is None or not loaded.infos:
            return None
        key = hits[0].chunk.article if hits else next(iter(loaded.infos))
        meta = answer_about(loaded.infos[key], intent, words_for(question), resolved)
        if meta is None:
            return None
        shown = [Hit(chunk, 1.0, 0.0, 0.0, 0.0, rank) for rank, chunk in enumerate(meta.chunks)]
        ids = {hit.chunk.chunk_id for hit in shown}
        shown += [hit for hit in hits if hit.chunk.chunk_id not in ids]
        passages = answering.to_passages(shown[:k], query)
        chunk_id = meta.chunks[0].chunk_id if meta.chunks else None
        return Answer(question, True, meta.text, passages, resolved, chunk_id, meta.phrase or None, 1.0), shown[:k]

    def compose(
        self, loaded: Loaded, question: str, resolved: str, query: Query, hits: list[Hit], k: int, corpus_text: str
    ) -> tuple[Answer, list[Hit]]:
        """The answer from ranked passages (the best sentence and its phrase, or not-found), and the
        passages to show, in the order of their probability of holding the answer."""
        refusal = Answer(question, False, words_for(question).not_found, [], resolved)
        if not hits:
            return refusal, hits
        learned = self.learned
        asks = asked_type(resolved) is not None
        choice = answering.best_sentence(
            query, hits, loaded.retriever, learned.sentence, asks, learned.extent, learned.runner, learned.phrase
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
            question, True, sentence.text, passages, resolved, sentence.chunk_id, sentence.shown_phrase,
            round(decision.probability, 4), sentence.runner_up,
        )
        return answer, shown
