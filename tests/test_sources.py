import dataclasses

import pytest

from qa.config import ChunkerSettings
from qa.errors import SourceError
from qa.index.build import chunk_sources
from qa.ingest.plain import decode_text
from qa.ingest.sources import find_source_files, read_source, read_sources

from .conftest import ARTICLE


def test_gb18030_copy_gives_the_same_chunks(tmp_path):
    gbk = tmp_path / ARTICLE.name
    gbk.write_bytes(ARTICLE.read_text(encoding="utf-8").encode("gb18030"))
    utf8_chunks, _ = chunk_sources([read_source(ARTICLE)], ChunkerSettings())
    gbk_chunks, _ = chunk_sources([read_source(gbk)], ChunkerSettings())
    same_article = [dataclasses.replace(c, article="") for c in gbk_chunks]
    assert same_article == [dataclasses.replace(c, article="") for c in utf8_chunks]  # ids hash the bytes


def test_utf8_bom_and_crlf_are_handled():
    assert decode_text("\ufeff第一行\r\n第二行".encode("utf-8"), "x") == "第一行\n第二行"


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01\x02binary\xff\xfe", "Ceci est un café très noir".encode("latin-1"), "文本 text".encode("utf-16-le")],
)
def test_binary_and_unknown_encodings_are_rejected(data):
    with pytest.raises(SourceError, match="UTF-8 或 GB18030"):
        decode_text(data, "x.txt")


def test_empty_file_is_an_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(SourceError, match="空的"):
        read_source(empty)


def test_missing_path_names_the_path(tmp_path):
    with pytest.raises(SourceError, match="找不到"):
        find_source_files([tmp_path / "nope.txt"])


def test_directory_without_articles(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    with pytest.raises(SourceError, match=r"\.txt"):
        find_source_files([tmp_path])


def test_directory_of_articles_is_read_in_order(tmp_path):
    (tmp_path / "b.md").write_text("# 乙\n\n第二篇文章的内容比较简短。\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("甲\n\n第一篇文章的内容比较简短。\n", encoding="utf-8")
    (tmp_path / "skip.json").write_text("{}", encoding="utf-8")
    files = read_sources([tmp_path])
    assert [f.name for f in files] == ["a.txt", "b.md"]
    chunks, titles = chunk_sources(files, ChunkerSettings())
    assert titles == ["甲", "乙"]
    assert [c.chunk_id for c in chunks] == list(range(len(chunks)))
