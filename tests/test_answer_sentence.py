"""The answer text around the chosen sentence (its antecedent when it leans on one, the neighbours the
answer runs into) and the features that tell the asked-for words from the question's subject."""

import numpy as np

from qa.answering.phrase import find_phrase
from qa.answering.sentences import (
    Sentence,
    SentenceChoice,
    answer_span,
    asks_definition,
    extent_inputs,
    in_answer_order,
    longest_run,
    nouns_uncovered,
    order_inputs,
    question_units,
    runner_up,
    unknown_names,
    with_antecedent,
)
from qa.ingest.chunking import Chunk
from qa.models.features import EXTENT_FEATURES, RUNNER_FEATURES, SENTENCE_FEATURES
from qa.models.linear import LinearModel
from qa.retrieve.retriever import Hit, Query
from qa.storage.lexical import local_shares
from qa.text.tokens import (
    content_chars,
    first_sentence_words,
    proper_nouns,
    sentence_chars,
    tokenize,
    without_question_phrases,
    word_units,
)


def test_a_sentence_opening_with_a_pronoun_comes_with_the_sentence_it_points_to():
    previous = "教宗亚历山大六世,原名罗德里哥·迪波吉亚,出身于波吉亚家族。"
    sentence = "他是文艺复兴时期最具争议的教宗。"
    text, _ = with_antecedent("哪一个教宗为文艺复兴时期最具争议的教宗?", sentence, previous, asks_type=True)
    assert text == previous + sentence


def test_a_sentence_without_the_asked_kind_of_phrase_takes_the_one_before_that_has_it():
    previous = "1603年,德川家康创立江户幕府。"
    sentence = "幕府设在江户,由德川家世袭将军之职。"
    text, phrase = with_antecedent("江户幕府是哪一年创立的?", sentence, previous, asks_type=True)
    assert text == previous + sentence and phrase and "1603" in phrase.text


def test_a_self_contained_sentence_and_a_passage_opening_stay_alone():
    sentence = "体长可达50公分。"
    assert with_antecedent("黄鳍紫鱼体长多少?", sentence, "黄鳍紫鱼是笛鲷科的一种。", True)[0] == sentence
    assert with_antecedent("他是谁?", "他是第三任校长。", None, True)[0] == "他是第三任校长。"


def test_latin_sentences_are_joined_with_a_space():
    text, _ = with_antecedent("When was the shogunate founded?", "It ruled Japan.", "Ieyasu founded it in 1603.", True)
    assert text == "Ieyasu founded it in 1603. It ruled Japan."


def test_the_longest_repeated_stretch_of_the_question():
    assert longest_run("维珍尼亚出于什么目的设计了评分方法?", "她为了评估麻醉的影响,设计出评分方法。") == 4 / 18
    assert longest_run("", "任何句子") == 0.0


def test_a_long_name_is_one_unit_with_its_sub_words_as_alternatives():
    units = word_units("大果西番莲的叶柄有什么特点?")
    assert ("西番莲", "西番") in units and ("叶柄",) in units
    assert not any("的" in unit or "什么" in unit for unit in units)


def test_what_is_questions_are_told_from_questions_about_an_attribute():
    assert asks_definition("什么是冠夫姓?") and asks_definition("棱柱是什么?") and asks_definition("高英是谁")
    assert not asks_definition("松平康忠的父亲是谁?") and not asks_definition("包河区综合实力排第几?")


def test_characters_tie_a_reworded_question_to_the_sentence_that_answers_it():
    chars = content_chars(["美誉"])
    sentences = ["王爱爱,擅长青衣。", "被誉为晋剧皇后。"]
    shares = local_shares(chars, [sentence_chars(s) for s in sentences], lambda _: 1.0)
    assert chars == ["美", "誉"] and shares[1] > shares[0] == 0.0


def test_the_words_a_passage_opening_names_are_what_its_later_sentences_inherit():
    words = first_sentence_words("大果西番莲是一种藤本植物。叶柄有腺体。")
    assert "西番莲" in words and "叶柄" not in words


def test_a_question_phrase_leaves_no_parts_behind_as_terms():
    # jieba's search mode cuts 哪一年 into 一年 too, which matches any passage that says 一年.
    assert tokenize(without_question_phrases("阿森纳于哪一年首次夺冠?")) == ["阿森", "阿森纳", "首次", "夺冠"]
    assert "一位" not in tokenize(without_question_phrases("哪一位教宗最具争议?"))
    # Names and words that merely contain such characters stay whole.
    assert "几内亚" in tokenize(without_question_phrases("几内亚在哪里?"))
    assert "多伦多" in tokenize(without_question_phrases("多伦多大学有几个校区?"))


def test_names_are_dictionary_names_that_the_question_reads_as_names_in_context():
    # jieba's dictionary alone tags 城市, 普通 and 双打 as names, and cuts 段时间 out of 那段时间
    assert proper_nouns("启动活动是在哪个城市办的?") == []
    assert proper_nouns("DNC什么时候开放给普通用户用?") == []
    assert proper_nouns("2004到2008年那段时间,中国人拿过哪些重要的双打冠军?") == ["中国"]
    assert unknown_names("李娜首轮是输给了谁?", "彭帅和谢淑薇夺得冠军。") == ["李娜"]
    assert unknown_names("那比特币呢?", "合杭梦想小镇正式挂牌开园。") == ["比特"]  # inside a word, still unknown
    assert unknown_names("合肥包河区的GDP是多少", "包河区gdp增长") == []
    # a name LAC cuts into a name and more stays whole
    assert unknown_names("巴尔的摩暴乱于何年发生?", "巴尔干半岛局势紧张。") == ["巴尔的摩"]
    assert unknown_names("中国队和日本队谁赢了?", "中国选手出战,日本队获胜。") == ["中国队"]


def test_a_number_beside_the_question_words_with_the_asked_unit_fits_better_than_an_incidental_one():
    question = "黄鳍紫鱼体长多少?"
    fitting = find_phrase(question, "体长可达50公分。")
    incidental = find_phrase(question, "黄鳍紫鱼为辐鳍鱼纲鲈形目笛鲷科的其中一个种。")
    assert fitting is not None and fitting.text == "50公分"
    assert incidental is not None and fitting.cost < incidental.cost


def test_the_extent_model_reads_the_best_sentences_neighbours_in_its_passage_only():
    candidates = [("花为圆锥花序；", 1), ("花淡红色，无花冠。", 1), ("此外，果实可食。", 1), ("别的段落。", 2)]
    features = np.zeros((4, len(SENTENCE_FEATURES)))
    scores = np.array([0.3, 0.6, 0.1, 0.2])
    neighbours, rows = extent_inputs("假苹婆的花是什么样的?", candidates, scores, features, 1)
    assert neighbours == [0, 2] and rows.shape == (2, len(EXTENT_FEATURES))
    column = {name: rows[:, i] for i, name in enumerate(EXTENT_FEATURES)}
    assert column["after"].tolist() == [0.0, 1.0]
    assert column["second"].tolist() == [1.0, 0.0]
    assert column["listing"].tolist() == [1.0, 0.0]  # "……；" then the best sentence: the list goes on
    assert column["leans"].tolist() == [0.0, 1.0]  # "此外，" adds to the best sentence
    assert column["describes"].tolist() == [1.0, 1.0]
    assert np.allclose(column["ratio"], [0.5, 1 / 6])
    # The last sentence of one passage has no neighbour in the next one.
    assert extent_inputs("问?", candidates, scores, features, 3)[0] == []
    # The answer widens to each neighbour the model gives at least its threshold.
    after = LinearModel(EXTENT_FEATURES, (0.0,) * 12, (1.0,) * 12, tuple(20.0 * (f == "after") for f in EXTENT_FEATURES), -10.0, 0.1)
    assert answer_span("问?", candidates, scores, features, 1, after) == (1, 2)
    assert answer_span("问?", candidates, scores, features, 1, None) == (1, 1)


def test_the_runner_up_is_the_likeliest_sentence_the_answer_lacks():
    candidates = [("甲段首句。", 1), ("甲段次句。", 1), ("乙段首句有21个。", 2), ("乙段次句。", 2)]
    features = np.zeros((4, len(SENTENCE_FEATURES)))
    features[2, SENTENCE_FEATURES.index("typed")] = 1.0
    scores = np.array([0.2, 0.6, 0.4, 0.1])
    # The answer already holds the first two sentences: the runner-up is the third, of another passage.
    other, row = runner_up(candidates, scores, features, 1, "甲段首句。甲段次句。")
    column = dict(zip(RUNNER_FEATURES, row[0]))
    assert other == 2 and row.shape == (1, len(RUNNER_FEATURES))
    assert column["same_passage"] == 0.0 and column["typed_runner"] == 1.0 and column["typed_best"] == 0.0
    assert np.isclose(column["ratio"], 0.4 / 0.6) and np.isclose(column["third"], np.log(0.1))
    assert runner_up(candidates, scores, features, 1, "".join(text for text, _ in candidates)) is None


def test_the_passages_are_shown_in_the_order_of_their_chance_to_hold_the_answer():
    hits = [Hit(Chunk(i, f"第{i}段。", "", "a.txt", i, "body"), score, 0.0, 0.0, 0.0, i) for i, score in enumerate([0.5, 0.3, 0.1, 0.4])]
    # The second passage holds the sentence the model is surest of; the fourth offered no sentences.
    candidates = [("甲。", 0), ("乙。", 0), ("丙。", 1), ("丁。", 2)]
    features = np.zeros((4, len(SENTENCE_FEATURES)))
    features[:, SENTENCE_FEATURES.index("run")] = [0.0, 0.9, 0.1, 0.2]
    choice = SentenceChoice(Sentence("丙。", 1, 0.8), candidates, features, np.array([0.05, 0.1, 0.8, 0.05]))
    # log P(passage) + log P(best sentence), the form `make train` fits (the run, read from each passage's
    # best sentence: 乙, not 甲, weighs nothing here)
    model = LinearModel(("passage", "sentence", "run"), (0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (1.0, 1.0, 0.0), 0.0)
    assert np.allclose(order_inputs(hits, choice)[:, 2], [0.9, 0.1, 0.2])
    shown = in_answer_order(hits, choice, model)
    assert [hit.chunk.chunk_id for hit in shown] == [1, 0, 2, 3] and [hit.rank for hit in shown[:3]] == [0, 1, 2]
    assert all(a.score >= b.score for a, b in zip(shown, shown[1:]))  # never shown as more relevant than one above
    assert shown[3].score == shown[2].score < 0.4
    assert in_answer_order([], choice, model) == []


def test_an_english_word_counts_once_whichever_of_its_senses_a_passage_uses():
    # "What are house prices in the town?": 房价 and the senses of "town" (小镇, 城镇)
    query = Query("What are house prices in the town?", ["房价", "小镇", "城镇"], [], np.zeros(3), [["房价"], ["小镇", "城镇"], ["房价"]])
    units = question_units(query)
    assert units == [("房价",), ("小镇", "城镇")]  # two words, not three terms
    assert nouns_uncovered(units, "滨湖金融小镇正式开园", lambda word: 1.0) == 0.5  # the town is there, its prices are not
    assert nouns_uncovered(units, "滨湖金融小镇的房价", lambda word: 1.0) == 0.0
    assert nouns_uncovered([], "任何文字", lambda word: 1.0) == 0.0


def test_the_runner_up_joins_the_answer_on_a_line_of_its_own_only_when_its_model_says_so(real_index):
    import dataclasses

    from qa.config import DEFAULT_WEIGHTS
    from qa.engine import Engine
    from qa.models.linear import load_weights

    shipped = load_weights(DEFAULT_WEIGHTS)
    n = len(RUNNER_FEATURES)
    answers = {}
    for intercept in (-30.0, 30.0):
        runner = LinearModel(RUNNER_FEATURES, (0.0,) * n, (1.0,) * n, (0.0,) * n, intercept, 0.2)
        engine = Engine(real_index, learned=dataclasses.replace(shipped, runner=runner))
        answers[intercept] = engine.answer("包河区综合实力跻身全国百强区第几位?")
    never, always = answers[-30.0], answers[30.0]
    assert never.found and always.found and "\n" not in never.text
    first, second = always.text.split("\n")
    assert first == never.text and second and second not in first
    assert always.runner_up == second and never.runner_up is None
    assert always.to_dict()["runner_up"] == second
    assert any(second in passage.text for passage in always.passages)
    assert always.phrase == never.phrase
