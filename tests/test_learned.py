"""The fitted models: JSON loading and validation, scoring, and deterministic training."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from qa.config import DEFAULT_WEIGHTS
from qa.errors import WeightsError
from qa.learn.fitting import EXTENT_THRESHOLD, RUNNER_THRESHOLD, _listwise, fit, fit_ranking
from qa.models.features import ANSWERABLE_SIGNS, FEATURES, passage_features
from qa.models.linear import MODELS, LinearModel, load_weights
from qa.storage.lexical import local_shares

TINY = Path(__file__).parent / "data" / "tiny-squad.json"


def test_shipped_weights_load_and_match_the_features():
    weights = load_weights(DEFAULT_WEIGHTS)
    weights.check(FEATURES)
    data = json.loads(DEFAULT_WEIGHTS.read_text(encoding="utf-8"))
    assert data["command"] == "make train" and data["trained_on"]
    assert 0 < weights.answerable.threshold < 1
    assert weights.extent.threshold == EXTENT_THRESHOLD
    assert weights.runner.threshold == RUNNER_THRESHOLD


def test_probability_is_the_standardized_logistic():
    model = LinearModel(("a", "b"), (1.0, 2.0), (2.0, 4.0), (0.5, -1.0), 0.25)
    x = np.array([[3.0, 6.0], [1.0, 2.0]])
    z = ((x - [1.0, 2.0]) / [2.0, 4.0]) @ [0.5, -1.0] + 0.25
    assert np.allclose(model.probability(x), 1 / (1 + np.exp(-z)))


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: text.replace('"format": 1', '"format": 99'),
        lambda text: text.replace('"scale": [', '"scale": [-1, '),
        lambda text: "not json at all",
    ],
)
def test_a_damaged_weights_file_gets_a_clear_error(tmp_path, damage):
    path = tmp_path / "weights.json"
    path.write_text(damage(DEFAULT_WEIGHTS.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(WeightsError, match="make train"):
        load_weights(path)


def test_a_missing_weights_file_and_other_features_are_refused(tmp_path):
    with pytest.raises(WeightsError, match="找不到"):
        load_weights(tmp_path / "none.json")
    data = json.loads(DEFAULT_WEIGHTS.read_text(encoding="utf-8"))
    data["models"]["passage"]["features"][0] = "something_else"
    path = tmp_path / "weights.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(WeightsError, match="特征与程序不符"):
        load_weights(path).check(FEATURES)


def test_engine_reports_damaged_weights_as_a_qa_error(tmp_path, monkeypatch, fake_encoder):
    from qa.config import DEFAULT_SOURCE
    from qa.engine import Engine
    from qa.index.build import build_index

    build_index([DEFAULT_SOURCE], tmp_path / "index", model=fake_encoder.name, encoder=fake_encoder)
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    monkeypatch.setenv("QA_WEIGHTS", str(bad))
    with pytest.raises(WeightsError):
        Engine(tmp_path / "index", encoder=fake_encoder).answer("包河区在哪里?")


def test_passage_features_are_relative_to_the_best_candidate():
    dense, words, pairs, bm25 = (np.array(v, dtype=float) for v in ([0.5, 0.7], [1.0, 0.2], [0.4, 0.4], [3.0, 0.0]))
    x = passage_features(dense, words, pairs, bm25, np.array([0.9, 0.1]), np.array([0.8, 0.3]))
    assert x.shape == (2, len(FEATURES["passage"]))
    column = dict(zip(FEATURES["passage"], x.T))
    assert column["dense_gap"].tolist() == pytest.approx([-0.2, 0.0])
    assert column["bm25_rel"].tolist() == [1.0, 0.0]
    assert column["dense_rr"].tolist() == [0.5, 1.0]
    assert column["sentence_words"].tolist() == [0.9, 0.1]


@pytest.mark.model
def test_training_is_deterministic_on_a_small_sample(tmp_path):
    from qa.learn.train import train

    first, second = tmp_path / "a.json", tmp_path / "b.json"
    train([TINY], first, report=False)
    train([TINY], second, report=False)
    assert first.read_bytes() == second.read_bytes()
    weights = load_weights(first)
    weights.check(FEATURES)
    shutil.copy(first, tmp_path / "copy.json")
    copy = load_weights(tmp_path / "copy.json")
    assert [getattr(copy, m) for m in MODELS] == [getattr(weights, m) for m in MODELS]


def test_the_shipped_answerability_model_keeps_the_declared_signs():
    model = load_weights(DEFAULT_WEIGHTS).answerable
    for name, coef in zip(model.features, model.coef):
        assert coef * ANSWERABLE_SIGNS.get(name, 0) >= 0, name


def test_a_sign_constrained_fit_holds_a_feature_to_its_sign():
    # "b" copies "a" plus noise; free, the fit may give "b" a negative weight that "a" makes up for.
    rng = np.random.default_rng(0)
    a = rng.normal(size=2000)
    x = np.column_stack([a, a + 0.3 * rng.normal(size=2000)])
    y = (a + 0.5 * rng.normal(size=2000) - 0.2 * x[:, 1] > 0).astype(int)
    free = fit(x, y, ("a", "b"))
    held = fit(x, y, ("a", "b"), signs={"a": 1, "b": 1})
    assert free.coef[1] < 0 <= held.coef[1] and held.coef[0] > 0
    assert fit(x, y, ("a", "b")) == free  # deterministic


def test_a_listwise_ranker_puts_each_questions_right_candidate_first():
    # Ten candidates per question; the right one has the largest "a" of its question, "b" is noise, and
    # "a" shifts from question to question, so only its order within a question tells.
    rng = np.random.default_rng(0)
    questions, per = 200, 10
    query = np.repeat(np.arange(questions), per)
    a = rng.normal(size=questions * per) + np.repeat(rng.normal(scale=3.0, size=questions), per)
    x = np.column_stack([a, rng.normal(size=questions * per)])
    y = np.zeros(len(a), dtype=int)
    for q in range(questions):
        rows = np.flatnonzero(query == q)
        y[rows[np.argmax(a[rows])]] = 1
    model = fit_ranking(x, y, query, ("a", "b"))
    scores = model.probability(x)
    top1 = np.mean([y[rows][np.argmax(scores[rows])] for rows in np.split(np.arange(len(y)), questions)])
    assert top1 >= 0.98 and model.coef[0] > 0 and abs(model.coef[1]) < model.coef[0] / 20 and ((0 < scores) & (scores < 1)).all()
    assert fit_ranking(x, y, query, ("a", "b")) == model  # deterministic
    # A question without a right candidate says nothing about the order: the direction is the same.
    extra = rng.normal(size=(per, 2))
    alone = _listwise(x, y.astype(float), query)
    more = _listwise(np.vstack([x, extra]), np.r_[y, np.zeros(per)], np.r_[query, np.full(per, questions)])
    assert np.allclose(alone, more, atol=1e-6)


def test_rarity_among_the_sentences_weighs_the_asked_word_over_the_repeated_subject():
    idf = {"黄鳍紫鱼": 3.0, "体长": 2.0}.get
    sentences = [frozenset({"黄鳍紫鱼", "辐鳍鱼纲"}), frozenset({"体长", "公分"}), frozenset({"黄鳍紫鱼", "分布"}),
                 frozenset({"黄鳍紫鱼", "栖息"})]
    shares = local_shares(["黄鳍紫鱼", "体长", "未见"], sentences, idf)
    assert shares[1] > shares[0] == shares[2] and 0 < shares.max() <= 1
    assert not local_shares(["未见"], sentences, idf).any()
