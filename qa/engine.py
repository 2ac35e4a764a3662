"""The question-answering engine: loads (or rebuilds) an index once and answers questions with it."""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

from . import answering, tokens
from .atomic import recover
from .building import build_index
from .chunking import Chunk
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
from .sources import read_sources
from .store import REBUILD_HINT, IndexBundle, changed_sources, load_bundle, read_manifest, resolve_source
from .text import clean_text, normalize

log = logging.getLogger(__name__)

EMPTY_QUESTION = "请输入一个问题。"
TOO_LONG = f"问题太长了(超过 {MAX_QUESTION_CHARS} 个字),请精简后再问。"
NO_WORDS = "没有在问题里找到可以检索的文字,请换个说法再问。"
_WORD_RE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


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


class Engine:
    """Answers questions from one index directory.

    `strict=False` (the library and the app) rebuilds a missing, damaged or mismatched index
    from its sources; `strict=True` (`qa ask`) builds only a missing one and refuses the rest.
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
    ) -> None:
        """`learned`: the fitted models (or their JSON file; default QA_WEIGHTS or the shipped one);
        `weights`: rank passages by a hand-set weighted sum of the signals instead (for comparison)."""
        self.index_dir = Path(index_dir) if index_dir else default_index_dir()
        self.model = model or env_model()
        self.sources = sources or env_sources()
        self.strict = strict
        self._encoder = encoder
        self._weights = weights
        self._learned = learned
        self.learned: Weights | None = None
        self._retriever: Retriever | None = None
        self._corpus_text = ""
        self._articles: dict[str, ArticleInfo] = {}
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
        if self.sources:
            wanted = sorted(f.sha256 for f in read_sources(self.sources))
            if wanted != sorted(s["sha256"] for s in manifest["sources"]):
                return "索引不是用当前配置的来源文件建立的"
        else:
            changed = changed_sources(bundle.directory, manifest)
            if changed:
                return f"来源文件在建索引后有变化:{', '.join(changed)}"
        return None

    def _build(self, reason: str) -> IndexBundle:
        log.warning("重建索引 %s:%s", self.index_dir, reason)
        recorded_sources, recorded_model = self._recorded()
        model = self.model or recorded_model or DEFAULT_MODEL
        if self._encoder is None or self._encoder.name != model:
            self._encoder = load_encoder(model)
        build_index(self.sources or recorded_sources, self.index_dir, model=model, encoder=self._encoder)
        return load_bundle(self.index_dir)

    def _recorded(self) -> tuple[list[Path] | None, str | None]:
        """Sources (when they all still exist) and model that an existing manifest names."""
        try:
            manifest = read_manifest(self.index_dir)
        except (IndexMissingError, IndexDamagedError, IndexMismatchError):
            return None, None
        paths = [resolve_source(self.index_dir, s["path"]) for s in manifest["sources"]]
        return (paths if paths and all(p.exists() for p in paths) else None), manifest["model"]

    def _load(self) -> Retriever:
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
        if encoder.dimension != bundle.dense.dimension:
            reason = f"模型 {encoder.name} 的向量维度({encoder.dimension})与索引({bundle.dense.dimension})不符"
            if self.strict:
                raise IndexMismatchError(f"{reason}。{REBUILD_HINT}")
            self._encoder = encoder
            bundle = self._build(reason)
        self.learned = self._learned if isinstance(self._learned, Weights) else load_weights(self._learned or env_weights())
        self.learned.check(FEATURES)
        tune_for_single_queries()
        tokens.warm_up()
        encoder.encode(["预热"])  # lazy weights load now, not on the first question
        self._corpus_text = answering.corpus_text(bundle.chunks)
        by_source: dict[str, list[Chunk]] = {}
        for chunk in bundle.chunks:
            by_source.setdefault(chunk.source, []).append(chunk)
        self._articles = {source: article_info(chunks) for source, chunks in by_source.items()}
        return Retriever(bundle, encoder, model=self.learned.passage, weights=self._weights)

    @property
    def retriever(self) -> Retriever:
        """The loaded retriever; the first use loads (or builds) the index, once, thread-safely."""
        if self._retriever is None:
            with self._lock:
                if self._retriever is None:
                    self._retriever = self._load()
        return self._retriever

    @property
    def chunks(self) -> list[Chunk]:
        """The indexed passages, in reading order."""
        return self.retriever.bundle.chunks

    @property
    def title(self) -> str:
        """The first source's headline (or file name)."""
        sources = self.retriever.bundle.manifest["sources"]
        return (sources[0].get("title") or sources[0]["name"]) if sources else ""

    # ---------- answering ----------
    def answer(self, question: str, k: int = 3, history: list[str] | None = None) -> Answer:
        """Answer one question; bad input gets a message, never an exception."""
        return self.run(question, k, history)[0]

    def run(self, question: str, k: int = 3, history: list[str] | None = None) -> tuple[Answer, list[Hit]]:
        """The answer and the ranked passages behind it (also when the answer is a refusal)."""
        cleaned, problem = check_question(question)
        if problem:
            return Answer(question=cleaned, found=False, text=problem), []
        resolved = self.resolve(cleaned, history)
        retriever = self.retriever
        query = retriever.prepare(resolved)
        k = passage_count(k)
        hits = retriever.search(query, max(k, answering.SENTENCE_PASSAGES))
        about = self.about_article(cleaned, resolved, query, hits, k)
        if about is not None:
            return about
        return self.compose(cleaned, resolved, query, hits, k), hits[:k]

    def about_article(
        self, question: str, resolved: str, query: Query, hits: list[Hit], k: int
    ) -> tuple[Answer, list[Hit]] | None:
        """A question about the article itself (author, date, headline, publisher, gist), answered
        from the header, footer and lead of the article the best passage is in; None otherwise."""
        intent = asked_about_article(resolved)
        if intent is None or not self._articles:
            return None
        source = hits[0].chunk.source if hits else next(iter(self._articles))
        meta = answer_about(self._articles[source], intent)
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
        """The question completed from the last few earlier ones, when it is a follow-up."""
        earlier = [clean_text(h) for h in history or [] if isinstance(h, str) and clean_text(h)]
        return resolve_follow_up(question, earlier[-5:])

    def compose(self, question: str, resolved: str, query: Query, hits: list[Hit], k: int = 3) -> Answer:
        """The answer from ranked passages: the best sentence and its phrase, or not-found."""
        refusal = Answer(question, False, answering.NOT_FOUND, [], resolved)
        if not hits:
            return refusal
        learned = self.learned
        asks = asked_type(resolved) is not None
        sentence, _, _ = answering.best_sentence(query, hits, self.retriever, learned.sentence, asks)
        features = answering.decision_features(query, hits, sentence, self.retriever, self._corpus_text, asks)
        decision = answering.decide(features, learned.answerable)
        if not decision.answer:
            return refusal
        passages = answering.to_passages(hits[:k], query)
        return Answer(
            question, True, sentence.text, passages, resolved, sentence.chunk_id, sentence.phrase, round(decision.probability, 4)
        )

