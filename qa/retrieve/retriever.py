"""Hybrid retrieval: dense and lexical (BM25 words and character pairs) fused into one ranking.

The searches go through the index's store (`qa.storage`: in-process faiss + bm25s, or Milvus); the
signals and the ranking are the same whichever store answers."""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from ..encoders.loading import Encoder
from ..errors import QAError
from ..index.build import dense_text
from ..index.files import IndexBundle
from ..ingest.chunking import Chunk
from ..models.features import passage_features
from ..models.linear import LinearModel
from ..storage import TextResult
from ..storage.lexical import best_shares
from ..text.tokens import bigrams, first_sentence_words, passage_terms, tokenize, without_question_phrases
from .fusion import weighted_sum

log = logging.getLogger(__name__)
_LATIN_RE = re.compile(r"[A-Za-z]{2,}")
SENTENCE_CACHE = 50_000  # sentence vectors kept (~100 MB at 512 dimensions)

# The hand-set fusion the fitted passage model replaced; kept to compare against (bench/latency.py).
HAND_SET_WEIGHTS = {"dense": 0.4, "words": 0.3, "bigrams": 0.3}


@dataclass(frozen=True)
class Query:
    """A question prepared for retrieval."""

    text: str
    tokens: list[str]
    bigrams: list[str]
    vector: np.ndarray = field(repr=False)
    groups: list[list[str]] | None = None  # tokens as alternatives (an English word's senses); None: one each

    @property
    def word_groups(self) -> list[list[str]]:
        """What coverage counts: each word once, an English word once whatever sense a passage uses."""
        return self.groups if self.groups is not None else [[t] for t in self.tokens]


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk: its fused relevance (0..1) and the signals behind it."""

    chunk: Chunk
    score: float
    dense: float
    words: float
    bigrams: float
    rank: int = 0


@dataclass(frozen=True)
class Candidates:
    """Chunk ids worth scoring, with their per-signal scores (same order as `ids`)."""

    ids: np.ndarray
    signals: dict[str, np.ndarray]
    tiebreak: np.ndarray


class Retriever:
    """Ranks an index's chunks for a question; each stage is a method so it can be timed alone."""

    def __init__(
        self,
        bundle: IndexBundle,
        encoder: Encoder,
        model: LinearModel | None = None,
        candidates: int = 50,
        weights: dict[str, float] | None = None,
    ) -> None:
        """`model` scores passages (the fitted passage model); `weights` instead fuses the signals by a
        hand-set weighted sum (for comparison)."""
        if model is None and weights is None:
            raise ValueError("a passage model or fusion weights are needed")
        self.bundle = bundle
        self.encoder = encoder
        self.model = model
        self.candidates = candidates
        self.weights = weights
        self._pinyin = None
        self._sentence_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def sentence_vectors(self, sentences: list[str]) -> np.ndarray:
        """Vectors of passage sentences, encoded once in a batch and kept in a bounded LRU cache."""
        with self._cache_lock:
            missing = [s for s in dict.fromkeys(sentences) if s not in self._sentence_cache]
        if missing:
            fresh = self.encoder.encode([dense_text(s) for s in missing])
            with self._cache_lock:
                self._sentence_cache.update(zip(missing, fresh))
                while len(self._sentence_cache) > SENTENCE_CACHE:
                    self._sentence_cache.popitem(last=False)
        with self._cache_lock:
            found = [self._sentence_cache.get(s) for s in sentences]
        if any(v is None for v in found):  # evicted meanwhile by another thread
            return self.encoder.encode([dense_text(s) for s in sentences])
        return np.vstack(found) if found else np.zeros((0, self.encoder.dimension), dtype=np.float32)

    def terms(self, text: str) -> tuple[list[str], list[str], list[list[str]] | None]:
        """Stage 1, query normalization: words, character pairs and, for a question with English words,
        the groups of Chinese corpus words that translate each of them."""
        content = without_question_phrases(text)
        words, pairs = tokenize(content), bigrams(content)
        if not _LATIN_RE.search(text):
            return words, pairs, None
        # A Chinese corpus lacks most English words; only those it has (GDP, 5G) and the Chinese words
        # carried over are the question's terms, so coverage means the same as for a Chinese question.
        known = self.bundle.words.vocabulary_of(words) | self.bundle.bigrams.vocabulary_of(pairs)
        groups = [[w] for w in dict.fromkeys(words) if not w.isascii() or w in known]
        groups += [g for g in self.carried_over_groups(text) if g not in groups]
        carried = [t for g in groups for t in g]
        # Character pairs of each word's best sense only: those of every sense would dilute the coverage.
        pairs = [p for p in pairs if not p.isascii() or p in known] + bigrams(" ".join(g[0] for g in groups))
        return list(dict.fromkeys(carried)), pairs, groups

    def carried_over_groups(self, text: str) -> list[list[str]]:
        """Per English word, the corpus words that translate (CC-CEDICT) or transliterate (pinyin) it."""
        from ..text import english as bilingual

        try:
            if self._pinyin is None:
                self._pinyin = bilingual.PinyinIndex(self.bundle.words.vocabulary)
            return bilingual.translate_groups(text, self._pinyin)
        except QAError as exc:  # no dictionary: the dense signal still answers
            log.warning("英文问题无法翻译为中文检索词:%s", exc)
            return []

    def carried_over(self, text: str) -> list[str]:
        """The corpus words that carry a text's English words over to Chinese, flattened."""
        return [t for group in self.carried_over_groups(text) for t in group]

    def encode(self, text: str) -> np.ndarray:
        """Stage 2, query encoding."""
        return self.encoder.encode([dense_text(text)])[0]

    def prepare(self, text: str, vector: np.ndarray | None = None) -> Query:
        words, pairs, groups = self.terms(text)
        return Query(text, words, pairs, self.encode(text) if vector is None else vector, groups)

    def dense_search(self, query: Query, depth: int, within: range | None = None) -> dict[int, float]:
        """Stage 3: the `depth` nearest chunks (of one article's id range `within`) and their cosine."""
        return self.bundle.store.dense_search(query.vector, depth, within)

    def lexical_scores(
        self, query: Query, depth: int, within: range | None = None, exclude: frozenset[int] = frozenset()
    ) -> TextResult:
        """Stage 4: the full-text top chunks by BM25 (words + pairs), and the lexical signals of any chunk."""
        return self.bundle.store.text_search(query.tokens, query.bigrams, query.word_groups, depth, within, exclude)

    def candidates_for(
        self, query: Query, k: int, exclude: frozenset[int] = frozenset(), within: range | None = None
    ) -> Candidates:
        """Stages 3 and 4, then the union of their top chunks with every signal.

        `exclude` hides chunks (training asks questions of a corpus without their own context);
        `within` keeps only the chunks of that id range (one article).
        """
        depth = self.depth(k)
        use_dense = self.weights is None or self.weights.get("dense")
        dense = self.dense_search(query, depth + len(exclude), within) if use_dense else {}
        if exclude:
            dense = {i: s for i, s in dense.items() if i not in exclude}
        lexical = self.lexical_scores(query, depth, within, exclude)
        return self.merge(query, dense, lexical, depth, exclude, within)

    def depth(self, k: int) -> int:
        return min(len(self.bundle.chunks), max(self.candidates, k))

    def merge(
        self,
        query: Query,
        dense: dict[int, float],
        lexical: TextResult,
        depth: int,
        exclude: frozenset[int] = frozenset(),
        within: range | None = None,
    ) -> Candidates:
        """The union of the dense and lexical top chunks, each with all three signals."""
        lexical_top = lexical.ids[:depth] if lexical.matched or not dense else []
        ids = [
            i
            for i in dict.fromkeys([*dense, *lexical_top])
            if i not in exclude and (within is None or i in within)
        ]
        ids = np.array(ids, dtype=np.int64)
        dense = dict(dense)
        missing = [i for i in ids if int(i) not in dense]
        dense.update(zip(map(int, missing), (self.bundle.store.vectors(np.array(missing)) @ query.vector).tolist()))
        bm25, words, pairs = lexical.signals(ids)
        signals = {"dense": np.array([dense[int(i)] for i in ids]), "words": words, "bigrams": pairs}
        signals["sentence_words"], signals["sentence_pairs"] = self.sentence_shares(query, ids)
        return Candidates(ids, signals, bm25)

    def sentence_shares(self, query: Query, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per chunk, the best share of the question's words (and character pairs) that one of its
        sentences holds: the words of an answer come together in one sentence, not across a passage."""
        terms = [passage_terms(self.bundle.chunks[int(i)].text) for i in ids]
        return (
            best_shares(query.word_groups, [w for w, _ in terms], self.bundle.words.idf),
            best_shares(query.bigrams, [p for _, p in terms], self.bundle.bigrams.idf),
        )

    def topic_terms(self, chunk: Chunk) -> frozenset[str]:
        """The words a passage's sentences inherit without repeating them: those of its opening sentence
        and of its article's opening sentence (a headline, or the sentence that names the subject)."""
        span = self.bundle.spans.get(chunk.article)
        first = self.bundle.chunks[span.start] if span else chunk
        return first_sentence_words(first.text) | first_sentence_words(chunk.text)

    def features(self, candidates: Candidates) -> np.ndarray:
        """The passage model's input: one row per candidate."""
        signals = candidates.signals
        return passage_features(
            signals["dense"], signals["words"], signals["bigrams"], candidates.tiebreak,
            signals["sentence_words"], signals["sentence_pairs"],
        )

    def fuse(self, candidates: Candidates, k: int) -> list[Hit]:
        """Stage 5: each candidate's probability of holding the answer (the fitted passage model), best `k` first."""
        if self.weights is not None:
            ranked = weighted_sum(candidates.signals, self.weights, tiebreak=candidates.tiebreak)
        else:
            scores = self.model.probability(self.features(candidates)) if len(candidates.ids) else np.zeros(0)
            order = np.lexsort((-candidates.tiebreak, -scores))
            ranked = [(int(i), float(scores[i])) for i in order]
        signals = candidates.signals
        return [
            Hit(
                self.bundle.chunks[int(candidates.ids[pos])],
                score,
                float(signals["dense"][pos]),
                float(signals["words"][pos]),
                float(signals["bigrams"][pos]),
                rank,
            )
            for rank, (pos, score) in enumerate(ranked[:k])
        ]

    def search(
        self, query: Query, k: int, exclude: frozenset[int] = frozenset(), within: range | None = None
    ) -> list[Hit]:
        """The best `k` chunks (of the `within` id range, when given), most likely to hold the answer first."""
        return self.fuse(self.candidates_for(query, k, exclude, within), k)
