"""How sure the answer phrase is: the fitted phrase model's probability that the phrase cut from the
answer is exactly what was asked. The phrase is shown only when that probability reaches the model's
threshold — right or absent."""

from __future__ import annotations

import numpy as np

from ..models.features import phrase_features
from ..text.normalize import normalize
from .phrase import Phrase


def phrase_inputs(question: str, phrase: Phrase, scores: np.ndarray, best: int, joined: bool, from_runner: bool) -> np.ndarray:
    """The phrase model's input for `phrase`, cut from the answer around the best candidate sentence `best`
    (`joined`: the answer is more than that sentence) or, when `from_runner`, from the runner-up sentence."""
    ranked = np.sort(scores)[::-1]
    gap = float(ranked[0] - ranked[1]) if len(ranked) > 1 else float(ranked[0])
    q = set(normalize(question))
    text = normalize(phrase.text)
    shared = sum(c in q for c in text) / len(text) if text else 0.0
    return phrase_features(
        phrase.kind, phrase.cost, phrase.margin, phrase.rivals, phrase.tier, phrase.text, shared, float(scores[best]), gap,
        joined, from_runner,
    )
