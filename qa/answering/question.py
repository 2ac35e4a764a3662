"""The question as asked: checked and cleaned (bad input gets a message), and completed from the
conversation when it is a follow-up."""

from __future__ import annotations

import re

from ..config import MAX_QUESTION_CHARS
from ..text.normalize import clean_text, normalize
from .followup import readings as follow_up_readings

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


def readings_of(question: str, history: list[str] | None) -> list[str]:
    """The ways to read the question after the last few earlier ones (HISTORY_TURNS, each cut to a
    question's length), the likeliest first (`followup.readings`); just the question without history."""
    earlier: list[str] = []
    for turn in reversed(history or []):
        text = clean_text(turn[: MAX_QUESTION_CHARS * 4])[:MAX_QUESTION_CHARS] if isinstance(turn, str) else ""
        if text:
            earlier.insert(0, text)
            if len(earlier) == HISTORY_TURNS:
                break
    return follow_up_readings(question, earlier)
