"""The Milvus backend on milvus-lite: build, ask, scope, add/remove, checks, and parity with the default."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pymilvus", reason="the milvus extra is not installed (pip install '.[milvus]')")

from qa.cli import main  # noqa: E402
from qa.engine import Engine  # noqa: E402
from qa.errors import BackendError, IndexDamagedError, IndexMismatchError  # noqa: E402
from qa.evaluation.squad import read_squad, write_articles  # noqa: E402
from qa.index.build import build_index  # noqa: E402
from qa.index.files import MANIFEST, load_bundle  # noqa: E402
from qa.ingest import read_pasted  # noqa: E402
from qa.storage import Backend  # noqa: E402
from qa.storage import milvus as milvus_store  # noqa: E402

DATA = Path(__file__).parent / "data"
QUESTIONS = [json.loads(line)["q"] for line in (DATA / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
NEW_ARTICLE = "示例新闻\n2024年5月1日\n\n青石镇今年建成了一座新的图书馆,藏书三万册,每天开放十二小时。\n\n镇长李明说,图书馆由当地企业捐建。"


@pytest.fixture
def lite(tmp_path):
    """A milvus-lite database of this test, released afterwards (one process may hold it at a time)."""
    uri = str(tmp_path / "milvus.db")
    yield Backend("milvus", uri)
    milvus_store.release(uri)


def _top3(engine: Engine, question: str, article: str | None = None) -> list[int]:
    _, hits = engine.run(question, k=3, article=article)
    return [hit.chunk.chunk_id for hit in hits]


def test_build_ask_and_the_manifest_record(tmp_path, lite, fake_encoder):
    built = build_index(None, tmp_path / "index", encoder=fake_encoder, backend=lite)
    manifest = json.loads((built.index_dir / MANIFEST).read_text(encoding="utf-8"))
    record = manifest["backend"]
    assert record["kind"] == "milvus" and record["uri"] == lite.uri and record["index"]["dense"]["index_type"] == "FLAT"
    assert not (built.index_dir / "dense.faiss").exists() and "terms.json" in manifest["files"]
    bundle = load_bundle(built.index_dir)
    assert len(bundle.store) == len(bundle.chunks) and bundle.store.fetch([3])[0] == bundle.chunks[3]
    np.testing.assert_allclose(bundle.store.all_vectors()[:5], bundle.store.vectors(np.arange(5)))
    answer = Engine(built.index_dir, encoder=fake_encoder, strict=True).answer("包河区综合实力在全国百强区排第几位?")
    assert answer.found and "第41位" in answer.text


def test_candidate_signals_equal_the_default(tmp_path, lite, fake_encoder):
    local = Engine(build_index(None, tmp_path / "a", encoder=fake_encoder).index_dir, encoder=fake_encoder, strict=True)
    remote = Engine(build_index(None, tmp_path / "b", encoder=fake_encoder, backend=lite).index_dir, encoder=fake_encoder, strict=True)
    for question in QUESTIONS[:15] + ["Who wrote this article?"]:
        want = local.retriever.candidates_for(local.retriever.prepare(question), 3)
        got = remote.retriever.candidates_for(remote.retriever.prepare(question), 3)
        assert sorted(got.ids.tolist()) == sorted(want.ids.tolist()), question  # (equal cosines may come in another order)
        mine, theirs = np.argsort(got.ids), np.argsort(want.ids)
        np.testing.assert_allclose(got.tiebreak[mine], want.tiebreak[theirs], atol=1e-5)
        for name in ("dense", "words", "bigrams"):
            np.testing.assert_allclose(got.signals[name][mine], want.signals[name][theirs], atol=1e-5)


def test_scope_add_and_remove(tmp_path, lite, fake_encoder):
    engine = Engine(build_index(None, tmp_path / "index", encoder=fake_encoder, backend=lite).index_dir,
                    encoder=fake_encoder, strict=True)
    first = engine.current().retriever.bundle.manifest["backend"]["collection"]
    added = engine.add([read_pasted(NEW_ARTICLE, "青石镇图书馆")]).added[0]
    second = engine.current().retriever.bundle.manifest["backend"]["collection"]
    assert second != first and engine.answer("青石镇图书馆藏书多少册?").found
    scoped = _top3(engine, "图书馆", article=added.id)
    assert scoped and all(engine.retriever.bundle.chunks[i].article == added.id for i in scoped)
    engine.remove(added.id)
    client = milvus_store.client(lite.uri)
    third = engine.current().retriever.bundle.manifest["backend"]["collection"]
    assert first not in client.list_collections() and {second, third} <= set(client.list_collections())
    assert len(engine.chunks) == client.get_collection_stats(third)["row_count"]
    assert not engine.answer("青石镇图书馆藏书多少册?").found


def test_a_failed_add_leaves_the_previous_corpus_answering(tmp_path, lite, fake_encoder, monkeypatch):
    engine = Engine(build_index(None, tmp_path / "index", encoder=fake_encoder, backend=lite).index_dir,
                    encoder=fake_encoder, strict=True)
    before = set(milvus_store.client(lite.uri).list_collections())

    def broken(self, *args):
        raise OSError("killed mid-insert")

    monkeypatch.setattr(milvus_store.MilvusStore, "add", broken)
    with pytest.raises(OSError):
        engine.add([read_pasted(NEW_ARTICLE, "青石镇图书馆")])
    assert set(milvus_store.client(lite.uri).list_collections()) == before
    assert len(engine.articles()) == 1 and engine.answer("包河区综合实力在全国百强区排第几位?").found


def test_mismatch_and_missing_collection_name_the_fix(tmp_path, lite, fake_encoder, monkeypatch):
    index = build_index(None, tmp_path / "index", encoder=fake_encoder, backend=lite).index_dir
    with pytest.raises(IndexMismatchError, match="当前配置的是本机索引.*qa build-index"):
        Engine(index, encoder=fake_encoder, strict=True, backend=Backend()).retriever
    monkeypatch.setenv("QA_BACKEND", "milvus")
    monkeypatch.setenv("QA_MILVUS_URI", lite.uri)
    assert Engine(index, encoder=fake_encoder, strict=True).answer("合肥港的生产情况怎么样?").found
    collection = load_bundle(index).manifest["backend"]["collection"]
    milvus_store.client(lite.uri).drop_collection(collection)
    with pytest.raises(IndexDamagedError, match=f"没有索引记录的集合 {collection}"):
        load_bundle(index)
    assert Engine(index, encoder=fake_encoder).answer("合肥港的生产情况怎么样?").found  # the library rebuilds it


def test_missing_extra_names_the_install(monkeypatch, tmp_path, fake_encoder):
    monkeypatch.setitem(sys.modules, "pymilvus", None)
    with pytest.raises(BackendError, match=r"pip install '\.\[milvus\]'"):
        build_index(None, tmp_path / "index", encoder=fake_encoder, backend=Backend("milvus", str(tmp_path / "m.db")))


def test_cli_builds_on_milvus(tmp_path, capsys, monkeypatch):
    import qa.index.build
    from tests.conftest import HashEncoder

    monkeypatch.setattr(qa.index.build, "load_encoder", lambda model: HashEncoder())
    uri = str(tmp_path / "cli.db")
    try:
        assert main(["build-index", "--index-dir", str(tmp_path / "index"), "--backend", "milvus", "--milvus-uri", uri]) == 0
    finally:
        milvus_store.release(uri)
    assert f"Milvus({uri})" in capsys.readouterr().out


def test_public_set_parity(tmp_path, lite, fake_encoder):
    squad = read_squad(DATA / "tiny-squad.json")
    files = write_articles(squad, tmp_path / "articles")
    local = Engine(build_index(files, tmp_path / "a", encoder=fake_encoder).index_dir, encoder=fake_encoder, strict=True)
    remote = Engine(build_index(files, tmp_path / "b", encoder=fake_encoder, backend=lite).index_dir,
                    encoder=fake_encoder, strict=True)
    same = [_top3(local, q.question) == _top3(remote, q.question) for q in squad.questions]
    assert len(same) >= 5 and all(same)


@pytest.mark.model
def test_dev_questions_parity_with_the_real_encoder(tmp_path, lite, real_engine):
    """The article's development questions: the same top-3 passages (and answer) on both backends."""
    remote = Engine(build_index(None, tmp_path / "index", backend=lite).index_dir, strict=True)
    agree = 0
    for question in QUESTIONS:
        (a, hits_a), (b, hits_b) = real_engine.run(question), remote.run(question)
        agree += [h.chunk.chunk_id for h in hits_a] == [h.chunk.chunk_id for h in hits_b] and a.text == b.text
        np.testing.assert_allclose([h.score for h in hits_a], [h.score for h in hits_b], atol=1e-4)
    assert agree == len(QUESTIONS)


def test_the_server_answers_in_its_own_process_over_milvus_lite(tmp_path, lite, fake_encoder):
    from qa.config import ServerSettings
    from qa.server import make_answerer
    from qa.server.answerers import InProcessAnswerer

    built = build_index(None, tmp_path / "index", encoder=fake_encoder, backend=lite)
    engine = Engine(built.index_dir, encoder=fake_encoder, strict=True)
    answerer = make_answerer(ServerSettings(workers=2), engine)  # a worker could not open the same .db
    assert isinstance(answerer, InProcessAnswerer) and answerer.engine is engine
