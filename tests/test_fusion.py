import numpy as np
import pytest

from qa.retrieve.fusion import weighted_sum


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

