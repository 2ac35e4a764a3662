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


def test_a_header_sentence_competes_only_when_it_holds_an_asked_word_no_body_sentence_holds():
    header = np.array([True, True, False, False])
    # words × sentences: the first word is in the headline and the body, the second in the body only
    restated = np.array([[True, False, True, False], [False, False, False, True]])
    assert offered(header, restated).tolist() == [False, False, True, True]
    only_headline = np.array([[True, False, True, False], [True, False, False, False]])
    assert offered(header, only_headline).tolist() == [True, False, True, True]
    assert offered(np.array([True]), np.zeros((1, 1), dtype=bool)).tolist() == [True]
    assert offered(np.array([], dtype=bool), np.zeros((2, 0), dtype=bool)).tolist() == []


def asker(tmp_path, encoder, text: str):
    """A function asking questions of `text`, added as a reader adds a .txt article."""
    from qa import Engine, build_index
    from qa.ingest import read_path

    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    index = build_index(None, tmp_path / "index", encoder=encoder, model=encoder.name).index_dir
    engine = Engine(index, model=encoder.name, encoder=encoder, strict=True)
    article = engine.add([read_path(path)]).added[0].id
    return lambda question: engine.answer(question, article=article)


def test_a_question_in_the_headlines_words_is_answered_from_the_body(tmp_path, fake_encoder):
    result = asker(tmp_path, fake_encoder, ARTICLE)("星河市地铁三号线全长多少公里？")
    assert result.found
    assert "28.6公里" in result.text and "二十八公里" not in result.text


def test_a_fact_only_the_headline_gives_is_answered_from_the_headline(tmp_path, fake_encoder):
    ask = asker(tmp_path, fake_encoder, ARTICLE.replace("全长二十八公里", "总投资216亿元"))
    result = ask("星河市地铁三号线总投资多少？")
    assert result.found
    assert result.text.splitlines()[0].endswith("总投资216亿元")


SCHOOL = """星河一中获评省级示范高中
2023-03-06 10:20 来源：星河日报 作者：吴某某
3月5日，省教育厅公布新一批省级示范高中名单，全市共有三所学校入选。
该校校长李明远表示，学校将以此为契机，继续推进课程改革和教师队伍建设。
据介绍，该校创办于1956年，现有教学班48个，在校学生2300余人。
"""


def test_a_subject_only_the_headline_names_does_not_make_the_headline_the_answer(tmp_path, fake_encoder):
    """The body calls its subject 该校: the question's subject is the headline's alone, what it asks about
    (校长, 创办) the body's."""
    ask = asker(tmp_path, fake_encoder, SCHOOL)
    result = ask("星河一中的校长是谁？")
    assert result.found and "李明远" in result.text.splitlines()[0]
    result = ask("星河一中是哪一年创办的？")
    assert result.found and "1956年" in result.text.splitlines()[0]
