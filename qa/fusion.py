"""Pure functions that fuse the scores of several retrievers into one ranking."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], k: int = 60, weights: Sequence[float] | None = None
) -> list[tuple[int, float]]:
    """Fuse ranked id lists: score(id) = sum of weight / (k + rank), rank from 1; best first."""
    weights = weights or [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking is needed")
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, doc_id in enumerate(ranking, start=1):
            fused[doc_id] = fused.get(doc_id, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def weighted_sum(
    signals: Mapping[str, np.ndarray], weights: Mapping[str, float], tiebreak: np.ndarray | None = None
) -> list[tuple[int, float]]:
    """Fuse per-candidate scores already on a 0..1 scale by a weighted sum; best first.

    `signals` maps a name to one score per candidate (same order for all); `tiebreak`
    orders candidates whose fused scores are equal.
    """
    missing = set(weights) - set(signals)
    if missing:
        raise ValueError(f"no signal for weights {sorted(missing)}")
    total = sum(weights[name] * np.asarray(signals[name], dtype=np.float64) for name in weights)
    total = np.atleast_1d(total)
    secondary = np.zeros_like(total) if tiebreak is None else -np.asarray(tiebreak, dtype=np.float64)
    order = np.lexsort((secondary, -total))
    return [(int(i), float(total[i])) for i in order]
