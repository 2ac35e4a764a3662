"""Result types returned by `answer()`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk shown as evidence."""

    text: str
    score: float
    chunk_id: int
    section: str
    source: str
    paragraph: int = 0
    kind: str = "body"
    matched: list[str] = field(default_factory=list)
    article: str = ""  # the id of the article it comes from (`source` is that article's title)
    url: str | None = None  # that article's web address (http or https), when its page declared one

    def to_dict(self) -> dict:
        """A JSON-serializable dict."""
        return {
            "text": self.text,
            "score": self.score,
            "chunk_id": self.chunk_id,
            "section": self.section,
            "source": self.source,
            "paragraph": self.paragraph,
            "kind": self.kind,
            "matched": list(self.matched),
            "article": self.article,
            "url": self.url,
        }


@dataclass(frozen=True)
class Answer:
    """The reply to one question: an answer sentence (or a not-found message) and its evidence."""

    question: str
    found: bool
    text: str
    passages: list[Passage] = field(default_factory=list)
    resolved_question: str = ""
    sentence_chunk_id: int | None = None
    phrase: str | None = None  # the words that answer a number/date/person/organization/place/name question
    confidence: float | None = None  # the answerability model's probability that the article answers it
    runner_up: str | None = None  # the second sentence shown on the last line of `text`, when there is one

    def linked(self, urls: Mapping[str, str]) -> Answer:
        """The answer with each passage's article address from `urls` (article id → http(s) address)."""
        if not any(p.article in urls for p in self.passages):
            return self
        passages = [replace(p, url=urls[p.article]) if p.article in urls else p for p in self.passages]
        return replace(self, passages=passages)

    def to_dict(self) -> dict:
        """A JSON-serializable dict (fields in order, written out: `dataclasses.asdict` costs ~10× more)."""
        return {
            "question": self.question,
            "found": self.found,
            "text": self.text,
            "passages": [p.to_dict() for p in self.passages],
            "resolved_question": self.resolved_question,
            "sentence_chunk_id": self.sentence_chunk_id,
            "phrase": self.phrase,
            "confidence": self.confidence,
            "runner_up": self.runner_up,
        }

    def to_json(self) -> bytes:
        """`to_dict()` as compact UTF-8 JSON, as the HTTP API sends it."""
        return json.dumps(self.to_dict(), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
