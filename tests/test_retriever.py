import numpy as np

from qa.retriever import _top


def test_top_matches_a_stable_full_sort():
    rng = np.random.default_rng(0)
    for size, depth in [(100, 10), (1000, 50), (30, 50), (500, 1)]:
        scores = rng.integers(0, 5, size).astype(np.float32)  # many ties
        assert _top(scores, depth).tolist() == np.argsort(-scores, kind="stable")[:depth].tolist()
