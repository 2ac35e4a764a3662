"""Corpus term statistics (document frequencies, lengths) and BM25 / coverage of chosen passages.

What the lexical signals need when the inverted index lives elsewhere (Milvus): the scores are
bm25s' "lucene" BM25 reproduced exactly (float32, k1 1.5, b 0.75, an empty passage indexed as [""]),
so both backends give the retriever the same numbers.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .lexical import bm25_idf, weighted_groups, weighted_share

K1 = 1.5
B = 0.75


@dataclass
class TermStats:
    """Document frequency of every term, the number of passages and their mean length."""

    df: dict[str, int]
    num_docs: int
    avgdl: float

    @classmethod
    def build(cls, token_lists: list[list[str]]) -> TermStats:
        docs = [tokens or [""] for tokens in token_lists]
        df: Counter[str] = Counter()
        for tokens in docs:
            df.update(set(tokens))
        avgdl = float(np.array([len(tokens) for tokens in docs]).mean()) if docs else 1.0
        return cls(dict(df), len(docs), avgdl)

    # ---- what answering uses (the same methods as LexicalIndex) ----
    @property
    def vocabulary(self) -> dict[str, int]:
        return self.df

    def idf(self, token: str) -> float:
        """Rarity of a word in the corpus; a word never seen is rarer than any seen one."""
        return bm25_idf(self.df.get(token, 0), self.num_docs)

    def share(self, terms: list[str] | list[list[str]], present: frozenset[str]) -> float:
        """The IDF-weighted share of the distinct `terms` (or groups of alternatives) found in `present`."""
        return weighted_share(terms, present, self.idf)

    def vocabulary_of(self, tokens: list[str]) -> frozenset[str]:
        """The tokens that occur somewhere in the corpus."""
        return frozenset(t for t in tokens if t in self.df)

    # ---- the signals of chosen passages ----
    def bm25(self, query: list[str], docs: list[list[str]]) -> np.ndarray:
        """BM25 of each passage (its tokens) for the query tokens, summed with repeats, as bm25s scores it."""
        known = [t for t in query if t in self.df]
        idf = {t: np.float32(self.idf(t)) for t in set(known)}
        avgdl = np.float64(self.avgdl)
        out = np.zeros(len(docs), dtype=np.float32)
        for row, tokens in enumerate(docs):
            tokens = tokens or [""]
            counts = Counter(tokens)
            dl = len(tokens)
            total = np.float32(0.0)
            for token in known:
                tf = counts.get(token)
                if tf:
                    tf = np.float32(tf)
                    total = np.float32(total + np.float32(idf[token] * (tf / (K1 * ((1 - B) + B * dl / avgdl) + tf))))
            out[row] = total
        return out

    def coverage(self, terms: list[str] | list[list[str]], docs: list[frozenset[str]]) -> np.ndarray:
        """Per passage (its token set), the IDF-weighted share of the query's distinct terms it contains."""
        found = np.zeros(len(docs), dtype=np.float64)
        total = 0.0
        for group, weight in weighted_groups(terms, self.idf):
            total += weight
            present = np.array([any(t in doc for t in group if t in self.df) for doc in docs], dtype=bool)
            found += weight * present
        return found / total if total > 0 else found

    # ---- on disk ----
    def to_dict(self) -> dict:
        return {"num_docs": self.num_docs, "avgdl": self.avgdl, "df": self.df}

    @classmethod
    def from_dict(cls, data: dict) -> TermStats:
        return cls({str(k): int(v) for k, v in data["df"].items()}, int(data["num_docs"]), float(data["avgdl"]))


def save_terms(path: Path, words: TermStats, pairs: TermStats) -> None:
    path.write_text(json.dumps({"words": words.to_dict(), "pairs": pairs.to_dict()}, ensure_ascii=False), encoding="utf-8")


def load_terms(path: Path) -> tuple[TermStats, TermStats]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return TermStats.from_dict(data["words"]), TermStats.from_dict(data["pairs"])
