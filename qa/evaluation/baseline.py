"""The plain baseline the project is measured against: BM25 over the jieba words of sentences."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..storage.lexical import LexicalIndex
from ..text.normalize import split_sentences
from ..text.tokens import tokenize


@dataclass(frozen=True)
class BaselineHit:
    sentence: str
    article: str
    score: float


class SentenceBM25:
    """Every sentence of every article is a BM25 document; the best sentence is the answer."""

    def __init__(self, articles: dict[str, str]) -> None:
        self.sentences: list[tuple[str, str]] = [
            (name, sentence) for name, text in articles.items() for sentence in split_sentences(text)
        ]
        self.index = LexicalIndex.build([tokenize(sentence) for _, sentence in self.sentences])

    def search(self, question: str, k: int = 3) -> list[BaselineHit]:
        """The best `k` sentences (none when no word of the question is in the corpus)."""
        scores = self.index.scores(tokenize(question))
        if not scores.any():
            return []
        top = np.argsort(-scores, kind="stable")[:k]
        return [BaselineHit(self.sentences[i][1], self.sentences[i][0], float(scores[i])) for i in top if scores[i] > 0]
