"""The answer phrase is shown only when the fitted phrase model is sure enough of it (right or absent)."""

import dataclasses

import numpy as np
import pytest

from qa.answering.phrase import RIVAL_CAP, find_phrase
from qa.answering.phrase_confidence import phrase_inputs
from qa.config import DEFAULT_WEIGHTS
from qa.models.features import PHRASE_FEATURES
from qa.models.linear import LinearModel, load_weights


def _constant(intercept: float) -> LinearModel:
    n = len(PHRASE_FEATURES)
    return LinearModel(PHRASE_FEATURES, (0.0,) * n, (1.0,) * n, (0.0,) * n, intercept, 0.5)


def test_a_phrase_knows_how_sure_its_source_is_and_its_margin_over_rivals():
    alone = find_phrase("包河区跻身全国百强区第几位?", "包河区综合实力跻身全国百强区第41位。")
    assert alone.text == "第41位" and alone.tier == 0 and alone.rivals >= 1
    assert alone.margin == pytest.approx(RIVAL_CAP) if alone.rivals == 1 else 0 < alone.margin <= RIVAL_CAP
    crowded = find_phrase("会议在哪一年召开?", "1998年筹备,2001年召开,2005年闭幕。")
    assert crowded.text == "2001年" and crowded.rivals == 3 and 0 < crowded.margin < RIVAL_CAP


def test_the_phrase_features_read_the_phrase_and_its_sentence():
    phrase = find_phrase("包河区跻身全国百强区第几位?", "包河区综合实力跻身全国百强区第41位。")
    row = phrase_inputs("包河区跻身全国百强区第几位?", phrase, np.array([0.9, 0.2]), 0, False, False)[0]
    named = dict(zip(PHRASE_FEATURES, row))
    assert row.shape == (len(PHRASE_FEATURES),) and np.isfinite(row).all()
    assert named["number"] == 1 and named["date"] == 0 and named["digits"] == 1 and named["sure"] == 1
    assert named["sentence_gap"] == pytest.approx(0.7) and named["joined"] == 0 and named["runner"] == 0
    assert named["from_question"] == pytest.approx(2 / 4)  # 第 and 位 are in the question, 4 and 1 are not


def test_the_shipped_phrase_model_reads_what_the_code_computes():
    model = load_weights(DEFAULT_WEIGHTS).phrase
    assert model.features == PHRASE_FEATURES and 0.5 <= model.threshold < 1


def test_a_phrase_is_shown_only_when_the_phrase_model_is_sure_enough(real_index):
    from qa.engine import Engine

    shipped = load_weights(DEFAULT_WEIGHTS)
    question = "包河区综合实力跻身全国百强区第几位?"
    sure = Engine(real_index, learned=dataclasses.replace(shipped, phrase=_constant(30.0))).answer(question)
    unsure = Engine(real_index, learned=dataclasses.replace(shipped, phrase=_constant(-30.0))).answer(question)
    assert sure.found and unsure.found and sure.text == unsure.text  # the answer itself does not change
    assert sure.phrase and sure.phrase in sure.text and unsure.phrase is None
    assert unsure.to_dict()["phrase"] is None


def test_weights_without_a_phrase_model_name_the_fix(tmp_path):
    import json

    from qa.errors import WeightsError

    data = json.loads(DEFAULT_WEIGHTS.read_text(encoding="utf-8"))
    del data["models"]["phrase"]
    old = tmp_path / "weights.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(WeightsError, match="make train"):
        load_weights(old)
