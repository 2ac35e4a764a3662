"""The storage interface without Milvus: term statistics equal bm25s', backend settings, the default store."""

from __future__ import annotations

import numpy as np
import pytest

from qa.errors import BackendError
from qa.index.build import build_index
from qa.index.files import load_bundle
from qa.storage import Backend, LocalStore, TermStats, env_backend
from qa.storage.lexical import LexicalIndex
from qa.text.tokens import bigrams, tokenize

QUESTIONS = ["包河区综合实力在全国百强区排第几位?", "合肥港的生产情况怎么样?", "合杭梦想小镇 开园 企业", "5G 基站 GDP"]


def _corpus(bundle) -> tuple[list[list[str]], list[list[str]]]:
    texts = [chunk.search_text for chunk in bundle.chunks]
    return [tokenize(t) for t in texts], [bigrams(t) for t in texts]


def test_term_statistics_give_bm25s_scores_and_coverage(tmp_path, fake_encoder):
    bundle = load_bundle(build_index(None, tmp_path / "index", encoder=fake_encoder).index_dir)
    words, pairs = _corpus(bundle)
    words[3] = []  # an empty passage is indexed as [""] by both
    index, stats = LexicalIndex.build(words), TermStats.build(words)
    pair_index, pair_stats = LexicalIndex.build(pairs), TermStats.build(pairs)
    ids = np.arange(len(words))
    for question in QUESTIONS:
        q_words, q_pairs = tokenize(question) + tokenize(question)[:1], bigrams(question)  # a repeated token counts twice
        expected = index.scores(q_words) + pair_index.scores(q_pairs)
        got = stats.bm25(q_words, [words[i] for i in ids]) + pair_stats.bm25(q_pairs, [pairs[i] for i in ids])
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-5)
        sets = [frozenset(w or [""]) for w in words]
        groups = [[w] for w in q_words]
        np.testing.assert_allclose(stats.coverage(groups, sets), index.coverage(groups), atol=1e-9)
        assert stats.idf(q_words[0]) == pytest.approx(index.idf(q_words[0]))
        assert stats.vocabulary_of(q_words) == index.vocabulary_of(q_words)


def test_local_store_is_the_default_and_recorded(tmp_path, fake_encoder):
    built = build_index(None, tmp_path / "index", encoder=fake_encoder)
    bundle = load_bundle(built.index_dir)
    assert isinstance(bundle.store, LocalStore) and bundle.manifest["backend"] == {"kind": "local", "dense_index": "flat"}
    assert [c.chunk_id for c in bundle.store.fetch([2, 0])] == [2, 0]
    vector = bundle.store.vectors(np.array([5]))[0]
    found = bundle.store.dense_search(vector, 3)
    assert next(iter(found)) == 5 and found[5] == pytest.approx(1.0, abs=1e-5)
    assert set(bundle.store.dense_search(vector, 3, within=range(10, 20))) <= set(range(10, 20))


def test_backend_settings(monkeypatch):
    monkeypatch.delenv("QA_BACKEND", raising=False)
    assert env_backend() is None
    monkeypatch.setenv("QA_BACKEND", "milvus")
    monkeypatch.setenv("QA_MILVUS_URI", "http://milvus.internal:19530")
    assert env_backend() == Backend("milvus", "http://milvus.internal:19530") and env_backend().remote
    monkeypatch.delenv("QA_MILVUS_URI")
    with pytest.raises(BackendError, match="QA_MILVUS_URI"):
        env_backend()
    monkeypatch.setenv("QA_BACKEND", "elastic")
    with pytest.raises(BackendError, match="local 或 milvus"):
        env_backend()
