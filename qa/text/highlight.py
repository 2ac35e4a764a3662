"""Find where question words occur in original (un-normalized) passage text."""

from __future__ import annotations

from functools import lru_cache

from .normalize import normalize


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
    """Sorted (start, end) spans of `text` covered by occurrences of any of `terms`; touching or
    overlapping occurrences make one span, whatever order the terms come in."""
    normalized, offsets = _normalized_with_offsets(text)
    covered = [False] * len(normalized)
    for term in {t for t in terms if t}:
        start = normalized.find(term)
        while start != -1:
            covered[start : start + len(term)] = [True] * len(term)
            start = normalized.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    run_start = None
    for i, hit in enumerate(covered + [False]):
        if hit and run_start is None:
            run_start = i
        elif not hit and run_start is not None:
            start, end = offsets[run_start], offsets[i - 1] + 1
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
            run_start = None
    return merged


def matched_terms(text: str, terms: list[str]) -> list[str]:
    """The original-text strings that matched, in order of appearance, without repeats."""
    return list(dict.fromkeys(text[s:e] for s, e in match_spans(text, terms)))
