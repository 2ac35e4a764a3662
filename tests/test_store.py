import json
import logging
import os

import pytest

from qa.engine import Engine
from qa.errors import IndexDamagedError, IndexMismatchError, IndexMissingError
from qa.index.atomic import clean_leftovers
from qa.index.build import build_index
from qa.index.files import CHUNKS, DENSE, MANIFEST, load_bundle

from .conftest import HashEncoder


@pytest.fixture
def built(tmp_path, article_copy, fake_encoder):
    index_dir = tmp_path / "index"
    build_index([article_copy], index_dir, encoder=fake_encoder)
    return index_dir


def test_manifest_describes_the_build(built, article_copy):
    manifest = json.loads((built / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["model"] == "fake-hash-encoder" and manifest["dimension"] == 64
    assert manifest["chunk_count"] == len(load_bundle(built).chunks) > 30
    article = manifest["articles"][0]
    assert article["name"] == article_copy.name and len(article["sha256"]) == 64 and article["path"]
    assert article["id"] == article["sha256"][:12] and article["passages"] == manifest["chunk_count"]
    assert {DENSE, CHUNKS, "bm25/vocab.index.json"} <= set(manifest["files"])
    assert manifest["chunker"] and manifest["built_at"] and manifest["package_version"]


def test_missing_index_is_reported(tmp_path):
    with pytest.raises(IndexMissingError, match="qa build-index"):
        load_bundle(tmp_path / "nowhere")


@pytest.mark.parametrize("damage", ["truncate", "zero", "delete", "manifest"])
def test_damage_is_detected_before_parsing(built, damage):
    dense = built / DENSE
    if damage == "truncate":
        dense.write_bytes(dense.read_bytes()[:100])
    elif damage == "zero":
        dense.write_bytes(b"\x00" * dense.stat().st_size)
    elif damage == "delete":
        (built / CHUNKS).unlink()
    else:
        (built / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexDamagedError, match="qa build-index"):
        load_bundle(built)


def test_strict_engine_refuses_a_damaged_index_and_lenient_one_rebuilds(built, fake_encoder, caplog):
    (built / DENSE).write_bytes(b"\x00" * 10)
    with pytest.raises(IndexDamagedError):
        Engine(built, strict=True, encoder=fake_encoder).retriever
    with caplog.at_level(logging.WARNING):
        result = Engine(built, encoder=fake_encoder).answer("合肥港的生产情况怎么样?")
    assert "重建索引" in caplog.text
    assert load_bundle(built).manifest["chunk_count"] > 0 and result.passages


def test_index_from_another_model_is_a_mismatch(built):
    with pytest.raises(IndexMismatchError, match="qa build-index"):
        Engine(built, model="some-other-model", strict=True, encoder=HashEncoder("some-other-model")).retriever


def test_another_model_rebuilds_for_the_library(built, caplog):
    other = HashEncoder("other-hash-encoder")
    with caplog.at_level(logging.WARNING):
        Engine(built, model=other.name, encoder=other).retriever
    assert load_bundle(built).model == other.name and "重建索引" in caplog.text


def test_changed_sources_are_detected(built, article_copy, fake_encoder):
    before = load_bundle(built).manifest["chunk_count"]
    with article_copy.open("a", encoding="utf-8") as handle:
        handle.write("\n补充的一段新内容,讲述包河区新开的图书馆。\n")
    with pytest.raises(IndexMismatchError, match="来源文件"):
        Engine(built, strict=True, encoder=fake_encoder).retriever
    result = Engine(built, encoder=fake_encoder).answer("包河区新开了什么图书馆?")
    assert load_bundle(built).manifest["chunk_count"] > before
    assert "图书馆" in result.passages[0].text


class ExplodingEncoder(HashEncoder):
    def encode(self, texts, show_progress=False):
        raise RuntimeError("killed mid-encode")


def test_failed_build_leaves_the_old_index_working(built, article_copy):
    before = (built / MANIFEST).read_text(encoding="utf-8")
    with pytest.raises(RuntimeError):
        build_index([article_copy], built, encoder=ExplodingEncoder())
    assert (built / MANIFEST).read_text(encoding="utf-8") == before
    assert load_bundle(built).chunks
    assert not [p for p in built.parent.iterdir() if p.name.startswith(".index.") and p.name != ".index.lock"]


def test_leftovers_of_a_killed_build_are_cleaned_and_old_version_recovered(built, article_copy, fake_encoder):
    dead_pid = 2**22 + 7  # above pid_max on Linux: no such process
    leftover = built.parent / f".index.tmp-{dead_pid}-abc"
    leftover.mkdir()
    (leftover / "half-written").write_text("x")
    # A kill between the two renames of a swap leaves the old index aside and no index.
    os.rename(built, built.parent / f".index.old-{dead_pid}")
    assert Engine(built, strict=True, encoder=fake_encoder).answer("合肥港的生产情况怎么样?").found
    clean_leftovers(built)
    assert load_bundle(built).chunks and not leftover.exists()
    build_index([article_copy], built, encoder=fake_encoder)
    assert not [p for p in built.parent.iterdir() if p.name.startswith(".index.") and p.name != ".index.lock"]


def test_a_tokenizer_change_is_a_mismatch(built, fake_encoder, monkeypatch):
    import qa.text.tokens

    monkeypatch.setattr(qa.text.tokens, "STOPWORDS", qa.text.tokens.STOPWORDS | {"包河"})
    with pytest.raises(IndexMismatchError, match="分词"):
        Engine(built, strict=True, encoder=fake_encoder).retriever


def test_the_lexical_tokens_of_a_build_share_one_string_per_term():
    # A 100k-passage build holds every passage's tokens at once; one object per term keeps it in memory.
    from qa.index.build import chunk_tokens
    from qa.ingest.chunking import Chunk

    chunks = [Chunk(i, text, "", "a.txt", i, "body") for i, text in enumerate(["合肥港集装箱吞吐量增长。", "合肥港开通新航线。"])]
    words, pairs = chunk_tokens(chunks)
    first = next(t for t in words[0] if t == "合肥")
    second = next(t for t in words[1] if t == "合肥")
    assert first is second
    assert next(p for p in pairs[0] if p == "合肥") is next(p for p in pairs[1] if p == "合肥")
