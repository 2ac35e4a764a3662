"""The headline restates the body in brief: a fact comes from the body's sentence; the headline answers
when it covers the question better than every body sentence (a fact only it gives) or is all there is."""

import numpy as np

from qa.answering.sentences import offered

ARTICLE = """星河市地铁三号线开通 全长二十八公里
2023-04-02 08:15 来源：星河日报 作者：周某某
4月1日上午，星河市地铁三号线正式开通运营，线路全长28.6公里，共设车站21座。
市交通局负责人介绍，三号线连接城东商务区与城西大学城，预计日均客流量可达15万人次。
开通首日，不少市民专程前来体验，车厢内秩序井然。
"""


def test_a_header_sentence_competes_only_when_it_covers_the_question_better_than_the_body():
    header = np.array([True, True, False, False])
    assert offered(header, np.array([0.6, 0.2, 0.6, 0.4])).tolist() == [False, False, True, True]
    assert offered(header, np.array([0.8, 0.2, 0.6, 0.4])).tolist() == [True, False, True, True]
    assert offered(np.array([True]), np.array([0.0])).tolist() == [True]
    assert offered(np.array([], dtype=bool), np.array([])).tolist() == []


def test_a_question_in_the_headlines_words_is_answered_from_the_body(tmp_path, fake_encoder):
    from qa import Engine, build_index
    from qa.ingest import read_path

    path = tmp_path / "metro.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    index = build_index(None, tmp_path / "index", encoder=fake_encoder, model=fake_encoder.name).index_dir
    engine = Engine(index, model=fake_encoder.name, encoder=fake_encoder, strict=True)
    article = engine.add([read_path(path)]).added[0].id
    result = engine.answer("星河市地铁三号线全长多少公里？", article=article)
    assert result.found
    assert "28.6公里" in result.text and "二十八公里" not in result.text


def test_a_fact_only_the_headline_gives_is_answered_from_the_headline(tmp_path, fake_encoder):
    from qa import Engine, build_index
    from qa.ingest import read_path

    path = tmp_path / "metro.txt"
    path.write_text(ARTICLE.replace("全长二十八公里", "总投资216亿元"), encoding="utf-8")
    index = build_index(None, tmp_path / "index", encoder=fake_encoder, model=fake_encoder.name).index_dir
    engine = Engine(index, model=fake_encoder.name, encoder=fake_encoder, strict=True)
    article = engine.add([read_path(path)]).added[0].id
    result = engine.answer("星河市地铁三号线总投资多少？", article=article)
    assert result.found
    assert result.text.splitlines()[0].endswith("总投资216亿元")
