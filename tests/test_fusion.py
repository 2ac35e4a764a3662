import numpy as np
import pytest

from qa.fusion import reciprocal_rank_fusion, weighted_sum


def test_rrf_rewards_agreement():
    fused = reciprocal_rank_fusion([[1, 2, 3], [2, 3, 1]], k=60)
    assert [doc for doc, _ in fused] == [2, 1, 3]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_rrf_weights_and_missing_ids():
    fused = dict(reciprocal_rank_fusion([[1], [2]], k=0, weights=[1.0, 3.0]))
    assert fused == {1: 1.0, 2: 3.0}
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([[1]], weights=[1.0, 2.0])


def test_weighted_sum_orders_by_total_then_tiebreak():
    signals = {"dense": np.array([0.2, 0.9, 0.5]), "words": np.array([1.0, 0.0, 0.5])}
    ranked = weighted_sum(signals, {"dense": 0.5, "words": 0.5}, tiebreak=np.array([0.0, 0.0, 5.0]))
    totals = dict(ranked)
    assert totals[0] == pytest.approx(0.6) and totals[1] == pytest.approx(0.45) and totals[2] == pytest.approx(0.5)
    assert [i for i, _ in ranked] == [0, 2, 1]


def test_weighted_sum_tiebreak_decides_equal_totals():
    signals = {"a": np.array([0.5, 0.5, 0.5])}
    assert [i for i, _ in weighted_sum(signals, {"a": 1.0}, tiebreak=np.array([1.0, 3.0, 2.0]))] == [1, 2, 0]


def test_weighted_sum_needs_every_signal():
    with pytest.raises(ValueError):
        weighted_sum({"a": np.array([1.0])}, {"a": 1.0, "b": 1.0})

