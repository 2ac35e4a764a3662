"""Adding and removing articles through the library: what is listed, what is answered, what stays intact.

Most tests use the fake `HashEncoder`; the marked ones add each shipped reader article to a copy of
the real index and ask its question.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import qa
import qa.api
from qa.engine import Engine
from qa.errors import ArticleNotFoundError, DuplicateArticleError, SourceError
from qa.index.articles import Article
from qa.index.build import build_index
from qa.index.changes import find_article
from qa.index.files import MANIFEST, load_bundle, read_texts
from qa.index.lifecycle import ManagedIndex
from qa.ingest import read_document, read_path
from qa.ingest.intake import Pasted, Upload

from .conftest import ARTICLE, HashEncoder
from .data.make_articles import QUESTIONS

ARTICLES = Path(__file__).parent / "data" / "articles"
SHIPPED_QUESTION = ("包河区综合实力在全国百强区排第几位?", "第41位")

# file -> (title, date, author, site) as listed after an add
LISTED = {
    "news-utf8.html": ("南湖区图书馆新馆正式开馆 藏书120万册", "2024-04-23", "沈佳怡", "嘉兴日报"),
    "news-gbk.html": ("袁河城区段生态修复工程完工 白鹭重回河畔", "2023-11-08", "刘晓燕", "宜春日报"),
    "report.pdf": ("洛阳市新能源公交车推广应用情况报告", None, "洛阳市交通运输局", None),
    "notice.docx": ("关于开展2024年老旧小区加装电梯补贴申报工作的通知", None, "杭州市拱墅区住房和城乡建设局", None),
}


def leftovers(index_dir: Path) -> list[Path]:
    return list(index_dir.parent.glob(f".{index_dir.name}.tmp-*")) + list(index_dir.parent.glob(f".{index_dir.name}.old-*"))


# ---------- the real model: each shipped reader article ----------
@pytest.fixture
def real_copy(real_index, real_engine, tmp_path) -> Engine:
    """An engine over a private copy of the real index (sharing the session's loaded encoder)."""
    target = tmp_path / "copy" / "index"
    shutil.copytree(real_index, target)
    return Engine(target, strict=True, encoder=real_engine.retriever.encoder)


@pytest.mark.model
@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_a_shipped_article_is_added_listed_scoped_and_removed(real_copy, name):
    engine = real_copy
    question, gold = QUESTIONS[name]
    (shipped,) = engine.articles()

    added = engine.add([read_path(ARTICLES / name)]).added[0]
    title, date, author, site = LISTED[name]
    listed = {a.id: a for a in engine.articles()}
    assert list(listed) == [shipped.id, added.id]
    assert (listed[added.id].title, listed[added.id].date, listed[added.id].author, listed[added.id].site) == (
        title, date, author, site,
    )
    assert listed[added.id].name == name and listed[added.id].passages == len(engine.article_chunks(added.id))

    answered = engine.answer(question)
    assert answered.found and answered.passages[0].article == added.id  # answered from that article
    scoped = engine.answer(question, article=shipped.id)
    assert gold not in scoped.text
    assert all(p.article == shipped.id for p in scoped.passages)
    _, hits = engine.run(question, article=added.id)
    assert hits and all(h.chunk.article == added.id for h in hits)
    assert any(gold in h.chunk.text for h in hits)

    gone = engine.remove(added.id)
    assert gone.id == added.id
    assert [a.id for a in engine.articles()] == [shipped.id]
    after = engine.answer(question)
    assert not after.found and all(p.article == shipped.id for p in after.passages)
    assert engine.answer(*SHIPPED_QUESTION[:1]).found


@pytest.mark.model
@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_a_shipped_article_question_is_answered_from_it(real_copy, name):
    engine = real_copy
    question, gold = QUESTIONS[name]
    added = engine.add([read_path(ARTICLES / name)]).added[0]
    result = engine.answer(question)
    assert result.found and gold in result.text
    assert result.passages[0].article == added.id
    assert engine.answer(question, article=added.id).found


@pytest.mark.model
def test_the_python_api_adds_lists_and_removes(real_index, real_engine, tmp_path, monkeypatch):
    target = tmp_path / "copy" / "index"
    shutil.copytree(real_index, target)
    monkeypatch.setenv("QA_INDEX_DIR", str(target))
    monkeypatch.setattr(qa.api, "_engine", Engine(target, encoder=real_engine.retriever.encoder))
    question, gold = QUESTIONS["report.pdf"]
    added = qa.add_article(ARTICLES / "report.pdf")
    assert [a.id for a in qa.list_articles()][-1] == added.id
    result = qa.answer(question)
    assert gold in result.text and result.passages[0].article == added.id
    assert qa.remove_article(added.id[:6]).id == added.id
    assert not qa.answer(question).found


# ---------- fast: a fake encoder ----------
@pytest.fixture
def index_dir(tmp_path) -> Path:
    directory = tmp_path / "idx" / "index"
    build_index([ARTICLE], directory, encoder=HashEncoder())
    return directory


def fake_engine(index_dir: Path, encoder: HashEncoder | None = None, strict: bool = True) -> Engine:
    encoder = encoder or HashEncoder()
    return Engine(index_dir, model=encoder.name, encoder=encoder, strict=strict)


def doc(name: str):
    return read_path(ARTICLES / name)


def test_removing_a_middle_article_renumbers_and_keeps_the_rest(index_dir):
    engine = fake_engine(index_dir)
    first = engine.add([doc("news-utf8.html")]).added[0]
    second = engine.add([doc("report.pdf")]).added[0]
    shipped = engine.articles()[0]
    before = {key: [(c.text, c.kind, c.section) for c in engine.article_chunks(key)] for key in (shipped.id, second.id)}
    vectors = engine.retriever.bundle.store.all_vectors()
    kept_rows = [c.chunk_id for c in engine.chunks if c.article != first.id]

    assert engine.remove(first.id).id == first.id
    bundle = engine.retriever.bundle
    assert [a.id for a in engine.articles()] == [shipped.id, second.id]
    assert [c.chunk_id for c in engine.chunks] == list(range(len(engine.chunks)))
    assert len(bundle.store) == len(engine.chunks) == bundle.manifest["chunk_count"]
    assert bundle.words.num_docs == bundle.bigrams.num_docs == len(engine.chunks)
    assert first.id not in {c.article for c in engine.chunks} and first.id not in read_texts(index_dir)
    after = {key: [(c.text, c.kind, c.section) for c in engine.article_chunks(key)] for key in (shipped.id, second.id)}
    assert after == before
    np.testing.assert_array_equal(bundle.store.all_vectors(), vectors[kept_rows])
    second_ids = [c.chunk_id for c in engine.article_chunks(second.id)]
    assert second_ids == list(range(engine.articles()[0].passages, len(engine.chunks)))

    question, gold = QUESTIONS["report.pdf"]
    _, hits = engine.run(question, article=second.id)
    assert hits and {h.chunk.article for h in hits} == {second.id}
    assert any(gold in h.chunk.text for h in hits)


def test_a_duplicate_is_refused_and_the_index_left_alone(index_dir):
    engine = fake_engine(index_dir)
    added = engine.add([doc("news-utf8.html")]).added[0]
    before = (index_dir / MANIFEST).read_bytes()
    renamed = read_document((ARTICLES / "news-utf8.html").read_bytes(), "另一个名字.html")
    with pytest.raises(DuplicateArticleError, match="已经添加过了") as caught:
        engine.add([renamed])
    assert added.id in str(caught.value) and added.title in str(caught.value)
    assert (index_dir / MANIFEST).read_bytes() == before
    assert not leftovers(index_dir)

    report = engine.add([renamed, doc("report.pdf")])  # the new one goes in, the repeat is reported
    assert [a.name for a in report.added] == ["report.pdf"]
    assert len(report.skipped) == 1 and "已经添加过了" in report.skipped[0][1]

    engine.remove(added.id)  # once removed, the same article can come back
    again = engine.add([doc("news-utf8.html")]).added[0]
    assert again.id == added.id and [a.id for a in engine.articles()][-1] == added.id


def test_pasted_text_twice_is_a_duplicate(index_dir):
    engine = fake_engine(index_dir)
    text = "试点新闻\n\n某市今年新建了十二座口袋公园,每座面积约八百平方米。"
    from qa.ingest import read_pasted

    added = engine.add([read_pasted(text)]).added[0]
    assert added.format == "text" and added.title == "试点新闻"
    with pytest.raises(DuplicateArticleError):
        engine.add([read_pasted(text)])


def test_the_last_article_cannot_be_removed(index_dir):
    engine = fake_engine(index_dir)
    (only,) = engine.articles()
    before = (index_dir / MANIFEST).read_bytes()
    with pytest.raises(SourceError, match="唯一的文章"):
        engine.remove(only.id)
    assert (index_dir / MANIFEST).read_bytes() == before and not leftovers(index_dir)
    assert engine.articles() == [only]


def test_an_unknown_id_is_a_clear_error(index_dir):
    engine = fake_engine(index_dir)
    before = (index_dir / MANIFEST).read_bytes()
    with pytest.raises(ArticleNotFoundError, match="没有编号为“nope”的文章"):
        engine.remove("nope")
    with pytest.raises(ArticleNotFoundError):
        engine.article("ffffffffffff")
    result = engine.answer(SHIPPED_QUESTION[0], article="nope")
    assert not result.found and "没有编号为“nope”的文章" in result.text and not result.passages
    assert (index_dir / MANIFEST).read_bytes() == before and not leftovers(index_dir)


def test_a_unique_id_prefix_is_enough(index_dir):
    engine = fake_engine(index_dir)
    added = engine.add([doc("report.pdf")]).added[0]
    assert engine.article(added.id[:4].upper()).id == added.id
    assert [c.article for c in engine.article_chunks(added.id[:5])] == [added.id] * added.passages
    with pytest.raises(ArticleNotFoundError):
        engine.article(added.id[:3])  # too short to be trusted
    _, hits = engine.run(QUESTIONS["report.pdf"][0], article=added.id[:6])
    assert hits and {h.chunk.article for h in hits} == {added.id}
    assert engine.remove(added.id[:6]).id == added.id


def test_an_ambiguous_prefix_is_refused():
    def article(key: str) -> Article:
        return Article(id=key, title=key, name="x", format="text", sha256=key, size=1, passages=1)

    articles = [article("abcd11112222"), article("abcd33334444")]
    with pytest.raises(ArticleNotFoundError, match="多篇文章"):
        find_article(articles, "abcd")
    assert find_article(articles, "abcd3").id == "abcd33334444"
    assert find_article(articles, " ABCD11112222 ").id == "abcd11112222"


def test_an_engine_opened_before_an_add_answers_from_the_new_article(index_dir):
    reader = fake_engine(index_dir)
    assert reader.answer(SHIPPED_QUESTION[0]).question  # loaded before the change
    writer = fake_engine(index_dir)  # another process's view of the same index
    added = writer.add([doc("report.pdf")]).added[0]

    assert [a.id for a in reader.articles()][-1] == added.id
    question, gold = QUESTIONS["report.pdf"]
    _, hits = reader.run(question, article=added.id)
    assert hits and any(gold in h.chunk.text for h in hits)

    writer.remove(added.id)
    assert added.id not in {a.id for a in reader.articles()}
    result = reader.answer(question, article=added.id)
    assert not result.found and "没有编号" in result.text


def test_concurrent_adds_from_two_engines_both_land(index_dir):
    names = ["news-utf8.html", "report.pdf", "notice.docx", "news-gbk.html"]
    errors: list[BaseException] = []

    def add(name: str) -> None:
        try:
            fake_engine(index_dir).add([doc(name)])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(n,)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    bundle = load_bundle(index_dir)
    assert sorted(a.name for a in bundle.articles[1:]) == sorted(names)
    assert [c.chunk_id for c in bundle.chunks] == list(range(len(bundle.chunks))) and len(bundle.store) == len(bundle.chunks)
    assert not leftovers(index_dir)


def test_a_load_that_a_publish_interrupts_is_read_again_whole(index_dir, monkeypatch):
    import qa.index.files

    real_open = qa.index.files.open_store
    published: list[str] = []
    document = doc("report.pdf")

    def open_after_another_add(directory, manifest, chunks):
        if not published:  # the first read's files are checked; now another process publishes
            published.append("")  # the add's own load passes here too and must not add again
            published[0] = fake_engine(index_dir).add([document]).added[0].id
        return real_open(directory, manifest, chunks)

    monkeypatch.setattr(qa.index.files, "open_store", open_after_another_add)
    bundle = load_bundle(index_dir)
    assert [a.id for a in bundle.articles][-1] == published[0]
    assert len(bundle.store) == len(bundle.chunks) == bundle.manifest["chunk_count"]
    assert bundle.version == qa.index.files.stamp(index_dir)


class FlakyEncoder(HashEncoder):
    """Fails on demand, as a model can when memory runs out mid-add."""

    fail = False

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if self.fail:
            raise RuntimeError("encoder failed")
        return super().encode(texts, show_progress)


def test_a_failing_encoder_leaves_the_previous_index_answering(index_dir):
    encoder = FlakyEncoder()
    engine = fake_engine(index_dir, encoder)
    articles = engine.articles()
    expected = engine.answer(SHIPPED_QUESTION[0])
    before = (index_dir / MANIFEST).read_bytes()
    encoder.fail = True
    with pytest.raises(RuntimeError):
        engine.add([doc("report.pdf")])
    encoder.fail = False
    assert (index_dir / MANIFEST).read_bytes() == before and not leftovers(index_dir)
    assert engine.articles() == articles
    assert engine.answer(SHIPPED_QUESTION[0]) == expected
    assert fake_engine(index_dir).articles() == articles  # a fresh reader too
    assert engine.add([doc("report.pdf")]).added  # and the next add works


def test_the_corpus_cap_refuses_an_article_with_a_message(index_dir, monkeypatch):
    engine = fake_engine(index_dir)
    shipped = engine.articles()[0].passages
    monkeypatch.setenv("QA_MAX_PASSAGES", str(shipped + 3))
    before = (index_dir / MANIFEST).read_bytes()
    with pytest.raises(SourceError, match="上限"):
        engine.add([doc("news-utf8.html")])
    assert (index_dir / MANIFEST).read_bytes() == before


def test_a_rebuild_for_another_model_keeps_added_articles(tmp_path):
    index_dir = tmp_path / "index"
    build_index([ARTICLE], index_dir, encoder=HashEncoder("model-a"))
    old = fake_engine(index_dir, HashEncoder("model-a"))
    added = old.add([doc("report.pdf")]).added[0]
    pasted = old.add([qa.ingest.read_pasted("口袋公园\n\n某市今年新建了十二座口袋公园。")]).added[0]
    before = {a.id: a for a in old.articles()}

    rebuilt = fake_engine(index_dir, HashEncoder("model-b"), strict=False)
    after = {a.id: a for a in rebuilt.articles()}
    assert load_bundle(index_dir).model == "model-b"
    assert list(after) == list(before)
    for key in (added.id, pasted.id):
        assert (after[key].title, after[key].name, after[key].passages, after[key].author) == (
            before[key].title, before[key].name, before[key].passages, before[key].author,
        )
    question, gold = QUESTIONS["report.pdf"]
    _, hits = rebuilt.run(question, article=added.id)
    assert hits and any(gold in h.chunk.text for h in hits)
    assert [c.chunk_id for c in rebuilt.chunks] == list(range(len(rebuilt.chunks)))


def test_a_rebuild_keeps_when_articles_were_added(tmp_path):
    index_dir = tmp_path / "index"
    build_index([ARTICLE], index_dir, encoder=HashEncoder("model-a"))
    fake_engine(index_dir, HashEncoder("model-a")).add([doc("report.pdf")])
    before = [(a.id, a.added_at) for a in load_bundle(index_dir).articles]
    time.sleep(1.1)  # added_at has a resolution of one second
    rebuilt = fake_engine(index_dir, HashEncoder("model-b"), strict=False)
    assert [(a.id, a.added_at) for a in rebuilt.articles()] == before


def test_a_changed_source_file_is_reread_and_added_articles_kept(tmp_path, article_copy):
    index_dir = tmp_path / "index"
    build_index([article_copy], index_dir, encoder=HashEncoder())
    engine = fake_engine(index_dir)
    added = engine.add([doc("news-utf8.html")]).added[0]
    old_id = engine.articles()[0].id
    with article_copy.open("a", encoding="utf-8") as handle:
        handle.write("\n\n补记:包河区新开通了三条公交线路。\n")

    rebuilt = fake_engine(index_dir, strict=False)
    articles = rebuilt.articles()
    assert [a.id for a in articles][1:] == [added.id]
    assert articles[0].path and articles[0].id != old_id
    assert any("三条公交线路" in c.text for c in rebuilt.chunks)
    assert len(rebuilt.article_chunks(added.id)) == added.passages


def test_an_add_during_a_rebuild_waits_for_it_and_is_kept(tmp_path, article_copy, monkeypatch):
    index_dir = tmp_path / "index"
    build_index([article_copy], index_dir, encoder=HashEncoder())
    document, adder = doc("report.pdf"), fake_engine(index_dir)
    adder.articles()  # another process's engine, loaded before the source changes
    with article_copy.open("a", encoding="utf-8") as handle:
        handle.write("\n\n补记:包河区新开通了三条公交线路。\n")  # the next engine rebuilds
    real_recorded = ManagedIndex._recorded
    adds: list[threading.Thread] = []

    def recorded_then_another_add(self):
        recorded = real_recorded(self)
        adds.append(threading.Thread(target=adder.add, args=([document],)))
        adds[0].start()
        adds[0].join(1.0)
        assert adds[0].is_alive()  # the add waits for the lock the rebuild holds
        monkeypatch.setattr(ManagedIndex, "_recorded", real_recorded)
        return recorded

    monkeypatch.setattr(ManagedIndex, "_recorded", recorded_then_another_add)
    fake_engine(index_dir, strict=False).articles()
    adds[0].join(60)
    names = [a.name for a in load_bundle(index_dir).articles]
    assert names == [article_copy.name, "report.pdf"]
    assert any("三条公交线路" in c.text for c in load_bundle(index_dir).chunks)


def test_the_python_api_with_a_fake_engine(index_dir, monkeypatch):
    monkeypatch.setattr(qa.api, "_engine", fake_engine(index_dir, strict=False))
    data = (ARTICLES / "notice.docx").read_bytes()
    added = qa.add_article(data, name="通知.docx")
    assert added.name == "通知.docx" and added.format == "docx"
    pasted = qa.add_text("正文第一段:某区新增停车位三百个。", title="停车位")
    assert pasted.title == "停车位"
    assert [a.id for a in qa.list_articles()][1:] == [added.id, pasted.id]
    with pytest.raises(DuplicateArticleError):
        qa.add_article(data, name="again.docx")
    with pytest.raises(SourceError, match="空的"):
        qa.add_article(b"   ", name="empty.txt")
    with pytest.raises(SourceError, match="是目录"):
        qa.add_article(ARTICLES)  # one article: a directory is `qa add`'s
    assert qa.remove_article(pasted.id).id == pasted.id
    assert [a.id for a in qa.list_articles()][1:] == [added.id]


def test_one_add_takes_files_directories_uploads_and_pasted_text_together(index_dir, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(ARTICLES / "report.pdf", folder / "report.pdf")
    (folder / "garbage.txt").write_bytes(bytes(range(256)) * 8)  # unreadable: set aside with its reason
    engine = fake_engine(index_dir)
    report = engine.add([
        ARTICLES / "news-utf8.html",
        str(folder),
        Upload((ARTICLES / "notice.docx").read_bytes(), "通知.docx"),
        Pasted("正文第一段:某区新增停车位三百个。", "停车位"),
        tmp_path / "missing.html",
    ])
    assert [a.name for a in report.added] == ["news-utf8.html", "report.pdf", "通知.docx", "粘贴的文本"]
    assert [name for name, _ in report.skipped] == ["garbage.txt", str(tmp_path / "missing.html")]
    assert [a.name for a in load_bundle(index_dir).articles][1:] == [a.name for a in report.added]


def test_nothing_readable_is_one_clear_error_and_the_index_is_left(index_dir, tmp_path):
    before = (index_dir / MANIFEST).read_bytes()
    with pytest.raises(SourceError) as caught:
        fake_engine(index_dir).add([tmp_path / "missing.html", Upload(b"   ", "empty.txt")])
    assert "missing.html" in str(caught.value) and "empty.txt" in str(caught.value)
    assert (index_dir / MANIFEST).read_bytes() == before


def test_a_path_from_outside_is_one_file_never_a_directory_walked(index_dir, tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    shutil.copy(ARTICLES / "news-utf8.html", folder / "news.html")
    with pytest.raises(SourceError, match="是目录") as caught:
        fake_engine(index_dir).add([folder], isolated=True)
    assert str(tmp_path) not in str(caught.value)  # an upload is named by its file name, never a server path
    with pytest.raises(SourceError, match="找不到文件:gone.txt。") as caught:
        fake_engine(index_dir).add([folder / "gone.txt"], isolated=True)  # an upload deleted meanwhile
    assert str(tmp_path) not in str(caught.value)
    assert len(load_bundle(index_dir).articles) == 1


def test_a_cli_add_reads_the_index_once(index_dir, monkeypatch):
    import qa.index.files

    reads = []
    original = qa.index.files._load_once
    monkeypatch.setattr(qa.index.files, "_load_once", lambda directory: reads.append(directory) or original(directory))
    fake_engine(index_dir).add([ARTICLES / "news-utf8.html"])
    assert len(reads) == 1


def test_a_damaged_manifest_rebuilds_from_the_kept_texts_and_loses_no_article(index_dir):
    engine = fake_engine(index_dir)
    engine.add([doc("news-utf8.html"), Pasted("补记:某区新增停车位三百个。", "停车位")])
    manifest = index_dir / MANIFEST
    manifest.write_bytes(manifest.read_bytes()[:-50])
    rebuilt = fake_engine(index_dir, strict=False)
    assert len(rebuilt.articles()) == 3
    assert any("停车位三百个" in chunk.text for chunk in rebuilt.chunks)
    assert any("南湖区图书馆" in chunk.text for chunk in rebuilt.chunks)


def test_a_source_that_cannot_be_read_is_reported_under_its_name(index_dir):
    report = fake_engine(index_dir).add([Pasted("   "), Upload(b"", "空.txt"), ARTICLES / "news-utf8.html"])
    assert [name for name, _ in report.skipped] == ["粘贴的文本", "空.txt"]
