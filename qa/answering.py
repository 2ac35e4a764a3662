"""From retrieved passages to an answer: abstain when nothing is relevant, else pick the best sentence."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .highlight import matched_terms
from .lexical import LexicalIndex
from .results import Passage
from .retriever import Hit, Query
from .text import normalize, split_sentences
from .tokens import bigrams, proper_nouns, tokenize

NOT_FOUND = "文章中没有找到与该问题相关的内容。"
# Calibrated with `qa eval`: below MIN_SCORE nothing is relevant (midway between the best-scoring
# unanswerable and the worst-scoring answerable development question); a question naming someone or
# something the sources never mention needs strong evidence (NAMED_MIN_SCORE) to be answered.
MIN_SCORE = 0.15
NAMED_MIN_SCORE = 0.5
SENTENCE_PASSAGES = 3
SENTENCE_WEIGHT = 0.7
RANK_PENALTY = 0.02


@dataclass(frozen=True)
class Sentence:
    """A candidate answer sentence and how well it matches."""

    text: str
    chunk_id: int
    score: float


def unknown_names(question: str, corpus_text: str) -> list[str]:
    """Proper nouns of the question that the (normalized) sources never mention."""
    return [name for name in proper_nouns(question) if name not in corpus_text]


def is_answerable(hits: list[Hit], question: str, corpus_text: str) -> bool:
    """Whether the best passage is relevant enough to answer from."""
    if not hits or hits[0].score < MIN_SCORE:
        return False
    return hits[0].score >= NAMED_MIN_SCORE or not unknown_names(question, corpus_text)


@lru_cache(maxsize=65536)
def sentence_terms(sentence: str) -> tuple[frozenset[str], frozenset[str]]:
    """A sentence's words and character pairs (cached: passages recur across questions)."""
    return frozenset(tokenize(sentence)), frozenset(bigrams(sentence))


def best_sentence(query: Query, hits: list[Hit], words: LexicalIndex, pairs: LexicalIndex) -> Sentence:
    """The sentence of the top passages that covers most of the question, weighted by passage relevance.

    Sentence-level dense similarity was tried and measured with `qa eval`: it did not pick better
    sentences with the default encoder and doubled the latency, so matching here is lexical.
    """
    best = Sentence(hits[0].chunk.text, hits[0].chunk.chunk_id, -1.0)
    for rank, hit in enumerate(hits[:SENTENCE_PASSAGES]):
        for sentence in split_sentences(hit.chunk.text):
            sentence_words, sentence_pairs = sentence_terms(sentence)
            lexical = 0.5 * words.share(query.tokens, sentence_words) + 0.5 * pairs.share(query.bigrams, sentence_pairs)
            score = SENTENCE_WEIGHT * lexical + (1 - SENTENCE_WEIGHT) * hit.score - RANK_PENALTY * rank
            if score > best.score:
                best = Sentence(sentence, hit.chunk.chunk_id, score)
    return best


def to_passages(hits: list[Hit], query: Query) -> list[Passage]:
    """Hits as evidence passages, with the question's words found in each."""
    # Single characters would light up half the passage; words and character pairs are enough.
    terms = [t for t in dict.fromkeys(query.tokens + query.bigrams) if len(t) > 1]
    return [
        Passage(
            text=hit.chunk.text,
            score=round(hit.score, 4),
            chunk_id=hit.chunk.chunk_id,
            section=hit.chunk.section,
            source=hit.chunk.source,
            paragraph=hit.chunk.paragraph,
            kind=hit.chunk.kind,
            matched=matched_terms(hit.chunk.text, [normalize(t) for t in terms]),
        )
        for hit in hits
    ]
