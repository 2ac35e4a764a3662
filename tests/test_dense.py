import numpy as np

from qa.storage.dense import DenseIndex


def _normalized(rows: int, dim: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_search_matches_brute_force():
    corpus, queries = _normalized(500, 32, 0), _normalized(20, 32, 1)
    scores, ids = DenseIndex.build(corpus).search(queries, 10)
    brute = queries @ corpus.T
    expected_ids = np.argsort(-brute, axis=1)[:, :10]
    assert (ids == expected_ids).all()
    np.testing.assert_allclose(scores, np.take_along_axis(brute, expected_ids, axis=1), rtol=1e-5, atol=1e-5)


def test_k_is_lowered_to_the_index_size_and_roundtrip(tmp_path):
    corpus = _normalized(5, 8, 2)
    index = DenseIndex.build(corpus)
    scores, ids = index.search(corpus[0], 50)
    assert ids.shape == (1, 5) and ids[0, 0] == 0
    index.save(tmp_path / "d.faiss")
    loaded = DenseIndex.load(tmp_path / "d.faiss")
    assert len(loaded) == 5 and loaded.dimension == 8
    assert (loaded.search(corpus, 3)[1] == index.search(corpus, 3)[1]).all()


def test_hnsw_recall_against_exact():
    corpus, queries = _normalized(3000, 32, 3), _normalized(50, 32, 4)
    exact = DenseIndex.build(corpus, kind="flat").search(queries, 10)[1]
    approx_index = DenseIndex.build(corpus, kind="hnsw")
    assert approx_index.kind == "hnsw"
    approx = approx_index.search(queries, 10)[1]
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact)])
    assert recall >= 0.95


def test_auto_kind_switches_at_the_threshold(monkeypatch):
    import qa.storage.dense

    monkeypatch.setattr(qa.storage.dense, "APPROXIMATE_FROM", 100)
    assert DenseIndex.build(_normalized(99, 8, 5)).kind == "flat"
    assert DenseIndex.build(_normalized(100, 8, 5)).kind == "hnsw"


def test_stored_vectors_are_returned():
    corpus = _normalized(10, 8, 6)
    np.testing.assert_allclose(DenseIndex.build(corpus).vectors(np.array([3, 7])), corpus[[3, 7]])
