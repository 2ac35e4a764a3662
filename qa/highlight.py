"""Find where question words occur in original (un-normalized) passage text."""

from __future__ import annotations

from functools import lru_cache

from .text import normalize


@lru_cache(maxsize=16384)
def _normalized_with_offsets(text: str) -> tuple[str, tuple[int, ...]]:
    """The normalized text and, for each of its characters, the index of the original character."""
    parts: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        norm = normalize(ch) if not ch.isspace() else " "
        norm = norm or ch
        parts.append(norm)
        offsets.extend([i] * len(norm))
    return "".join(parts), tuple(offsets)


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of `text` where any of `terms` occurs, longest terms first."""
    normalized, offsets = _normalized_with_offsets(text)
    taken = [False] * len(normalized)
    spans: list[tuple[int, int]] = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        start = normalized.find(term)
        while start != -1:
            end = start + len(term)
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                spans.append((offsets[start], offsets[end - 1] + 1))
            start = normalized.find(term, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def matched_terms(text: str, terms: list[str]) -> list[str]:
    """The original-text strings that matched, in order of appearance, without repeats."""
    return list(dict.fromkeys(text[s:e] for s, e in match_spans(text, terms)))
