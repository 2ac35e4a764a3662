"""Result types returned by `answer()`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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

    def to_dict(self) -> dict:
        """A JSON-serializable dict."""
        return asdict(self)
