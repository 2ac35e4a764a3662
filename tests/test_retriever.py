import numpy as np
import pytest

from qa.storage.local import top as _top


def test_top_matches_a_stable_full_sort():
    rng = np.random.default_rng(0)
    for size, depth in [(100, 10), (1000, 50), (30, 50), (500, 1)]:
        scores = rng.integers(0, 5, size).astype(np.float32)  # many ties
        assert _top(scores, depth).tolist() == np.argsort(-scores, kind="stable")[:depth].tolist()


def test_hidden_chunks_never_come_back_and_english_words_are_carried_over(tmp_path, fake_encoder):
    from qa.config import DEFAULT_SOURCE
    from qa.engine import Engine
    from qa.index.build import build_index

    build_index([DEFAULT_SOURCE], tmp_path / "index", model=fake_encoder.name, encoder=fake_encoder)
    retriever = Engine(tmp_path / "index", encoder=fake_encoder).retriever
    query = retriever.prepare("合杭梦想小镇是什么时候开园的?")
    best = retriever.search(query, 3)[0].chunk.chunk_id
    hidden = retriever.search(query, 10, exclude=frozenset({best}))
    assert best not in {hit.chunk.chunk_id for hit in hidden} and len(hidden) == 10
    words, pairs, groups = retriever.terms("When did the Hehang Dream Town open?")
    assert "合杭" in words and "梦想" in words and "合杭" in pairs
    assert not {"when", "did", "town"} & set(words)  # English words the article lacks are not terms


def test_a_passage_scores_the_question_words_its_best_sentence_holds_together(tmp_path, fake_encoder):
    from qa.config import DEFAULT_SOURCE
    from qa.engine import Engine
    from qa.index.build import build_index

    build_index([DEFAULT_SOURCE], tmp_path / "index", model=fake_encoder.name, encoder=fake_encoder)
    retriever = Engine(tmp_path / "index", encoder=fake_encoder).retriever
    query = retriever.prepare("包河区综合实力在全国百强区排第几位?")
    hits = retriever.search(query, 10)
    together, pairs = retriever.sentence_shares(query, np.array([hit.chunk.chunk_id for hit in hits]))
    assert together.shape == pairs.shape == (len(hits),)
    assert all(0.0 <= s <= hit.words + 1e-9 for s, hit in zip(together, hits))  # one sentence holds at most the passage's
    best = next(i for i, hit in enumerate(hits) if "第41位" in hit.chunk.text)
    assert together[best] == together.max() > 0


def test_a_passage_inherits_the_words_of_its_own_and_its_articles_opening(tmp_path, fake_encoder):
    from qa.engine import Engine
    from qa.index.build import build_index

    article = tmp_path / "fruit.txt"
    article.write_text("大果西番莲是一种藤本植物。\n\n它的叶柄有腺体。花瓣淡紫色。\n", encoding="utf-8")
    build_index([article], tmp_path / "index", model=fake_encoder.name, encoder=fake_encoder)
    retriever = Engine(tmp_path / "index", encoder=fake_encoder).retriever
    later = next(c for c in retriever.bundle.chunks if "叶柄" in c.text)
    topic = retriever.topic_terms(later)
    assert {"西番莲", "叶柄"} <= topic and "花瓣" not in topic


def test_best_shares_is_the_best_sentence_weighted_share():
    from qa.storage.lexical import best_shares, weighted_share

    rng = np.random.default_rng(1)
    vocabulary = [f"w{i}" for i in range(12)]
    idf = {t: float(i + 1) for i, t in enumerate(vocabulary)}.get
    terms = ["w1", ["w2", "w3"], "w5", "w11"]
    passages = [
        tuple(frozenset(rng.choice(vocabulary, size=int(rng.integers(0, 6)), replace=False)) for _ in range(int(rng.integers(1, 5))))
        for _ in range(50)
    ]
    expected = [max(weighted_share(terms, s, idf) for s in sentences) for sentences in passages]
    assert best_shares(terms, passages, idf).tolist() == pytest.approx(expected)
